package testsite

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	s := Generate(Config{})
	as := s.Articles()
	if len(as) != 100 {
		t.Fatalf("articles = %d, want 100", len(as))
	}
	if got := s.Sections(); !slices.Equal(got, []string{"world", "politics", "business", "technology", "science", "sport"}) {
		t.Errorf("sections = %v", got)
	}
	cfg := s.Config()
	if !cfg.Now.Equal(time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)) || cfg.DisallowedEvery != 20 {
		t.Errorf("effective config = %+v", cfg)
	}
	oldest := cfg.Now.Add(-60 * 24 * time.Hour)
	for i, a := range as {
		if !a.Published.After(oldest) || a.Published.After(cfg.Now) {
			t.Errorf("%s: published %v outside (%v, %v]", a.Path, a.Published, oldest, cfg.Now)
		}
		if i > 0 && a.Published.After(as[i-1].Published) {
			t.Errorf("articles not newest first at %d", i)
		}
		if a.Modified.Before(a.Published) {
			t.Errorf("%s: modified before published", a.Path)
		}
	}
	// Returned slices are copies.
	as[0].Paragraphs[0] = "mutated"
	as[0].Authors[0] = "mutated"
	if again := s.Articles(); again[0].Paragraphs[0] == "mutated" || again[0].Authors[0] == "mutated" {
		t.Error("Articles() exposes internal state")
	}
}

func TestDeterminism(t *testing.T) {
	cfg := Config{Articles: 150, Seed: 42, ExternalLinks: []string{"https://partner.example/x"}}
	a, b := Generate(cfg), Generate(cfg)
	other := cfg
	other.Seed = 43
	c := Generate(other)

	arts := a.Articles()
	if !slices.EqualFunc(arts, b.Articles(), func(x, y Article) bool { return fmt.Sprint(x) == fmt.Sprint(y) }) {
		t.Fatal("same config produced different articles")
	}
	tests := []struct{ name, path string }{
		{"home", "/"},
		{"section", "/section/world"},
		{"section page 2", "/section/politics?page=2"},
		{"article", arts[7].Path},
		{"jsonld article", func() string {
			for _, x := range arts {
				if x.JSONLD {
					return x.Path
				}
			}
			t.Fatal("no JSON-LD article")
			return ""
		}()},
		{"feed", "/feed.xml"},
		{"sitemap", "/sitemap.xml"},
	}
	ha, hb, hc := a.Handler(), b.Handler(), c.Handler()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ra, rb := serve(ha, "GET", tc.path), serve(hb, "GET", tc.path)
			if ra.Code != http.StatusOK {
				t.Fatalf("status %d", ra.Code)
			}
			if !bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()) {
				t.Error("same seed: bodies differ")
			}
			if again := serve(ha, "GET", tc.path); !bytes.Equal(ra.Body.Bytes(), again.Body.Bytes()) {
				t.Error("same site: repeated request differs")
			}
			if rc := serve(hc, "GET", tc.path); bytes.Equal(ra.Body.Bytes(), rc.Body.Bytes()) {
				t.Error("different seed: bodies identical")
			}
		})
	}
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title       string   `xml:"title"`
			Link        string   `xml:"link"`
			GUID        string   `xml:"guid"`
			PubDate     string   `xml:"pubDate"`
			Description string   `xml:"description"`
			Creators    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestAccessLog(t *testing.T) {
	srv := startServer(t, Config{Articles: 30, Seed: 4})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	ua := map[string]string{"User-Agent": "newsline-test/1.0"}
	a := srv.Articles()[0]

	fetch(t, client, http.MethodGet, srv.URL+"/robots.txt", ua)
	fetch(t, client, http.MethodGet, srv.URL+"/section/world?page=1", ua)
	fetch(t, client, http.MethodHead, srv.URL+a.Path, ua)
	fetch(t, client, http.MethodGet, srv.URL+"/nope", ua)

	reqs := srv.Requests()
	want := []Request{
		{Method: "GET", Path: "/robots.txt", Status: 200},
		{Method: "GET", Path: "/section/world?page=1", Status: 200},
		{Method: "HEAD", Path: a.Path, Status: 200},
		{Method: "GET", Path: "/nope", Status: 404},
	}
	if len(reqs) != len(want) {
		t.Fatalf("logged %d requests, want %d: %+v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		g := reqs[i]
		if g.Method != w.Method || g.Path != w.Path || g.Status != w.Status || g.UserAgent != "newsline-test/1.0" || g.Time.IsZero() {
			t.Errorf("request %d = %+v, want %+v", i, g, w)
		}
	}
	hits := []struct {
		prefix string
		want   int
	}{{"/", 4}, {"/robots.txt", 1}, {"/section/", 1}, {"/section/world?page=1", 1}, {a.Path, 1}, {"/private/", 0}}
	for _, h := range hits {
		if got := srv.Hits(h.prefix); got != h.want {
			t.Errorf("Hits(%q) = %d, want %d", h.prefix, got, h.want)
		}
	}

	// Concurrent requests and readers.
	srv.ResetRequests()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = srv.Requests()
			_ = srv.Hits("/")
			resp, err := client.Get(srv.URL + srv.Articles()[i%len(srv.Articles())].Path)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if got := srv.Hits("/"); got != 16 {
		t.Errorf("after concurrent requests Hits = %d, want 16", got)
	}
}

func TestStartClose(t *testing.T) {
	srv, err := Start(Config{Articles: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || srv.URL != "http://"+srv.Host {
		t.Errorf("URL %q Host %q", srv.URL, srv.Host)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get(srv.URL + "/"); err == nil {
		t.Error("server still answering after Close")
	}
}

func BenchmarkGenerate5000(b *testing.B) {
	for b.Loop() {
		Generate(Config{Articles: 5000, Seed: 1})
	}
}

func BenchmarkArticlePage(b *testing.B) {
	s := Generate(Config{Articles: 1000, Seed: 1})
	h := s.Handler()
	paths := articlePaths(s.Articles())
	i := 0
	for b.Loop() {
		serve(h, "GET", paths[i%len(paths)])
		i++
	}
}

func TestSpan(t *testing.T) {
	now := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		span, want time.Duration
	}{{0, 60 * 24 * time.Hour}, {72 * time.Hour, 72 * time.Hour}} {
		s := Generate(Config{Articles: 200, Seed: 1, Now: now, Span: tc.span})
		var lastDay int
		for _, a := range s.Articles() {
			if age := now.Sub(a.Published); age <= 0 || age > tc.want {
				t.Errorf("span %v: %s published %v before now", tc.span, a.Path, age)
			} else if age <= 24*time.Hour {
				lastDay++
			}
		}
		if tc.span == 72*time.Hour && lastDay < 40 {
			t.Errorf("span 72h: %d of 200 articles in the last day, want about a third", lastDay)
		}
	}
}
