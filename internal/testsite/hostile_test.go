package testsite

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

func TestRateLimited(t *testing.T) {
	s := Generate(Config{Articles: 30, Seed: 6, DisallowedEvery: 1}) // every article disallowed: falls back to the newest
	s2 := Generate(Config{Articles: 30, Seed: 6})
	tests := []struct {
		name   string
		site   *Site
		target string
		status int
		want   []int
		after  string
	}{
		{"defaults", s2, "/hostile/ratelimited", 429, []int{429, 200, 200}, "2"},
		{"times and after", s2, "/hostile/ratelimited?key=a&times=3&after=7", 429, []int{429, 429, 429, 200, 200}, "7"},
		{"other key counts separately", s2, "/hostile/ratelimited?key=b&times=2&after=1", 429, []int{429, 429, 200}, "1"},
		{"times zero", s2, "/hostile/ratelimited?key=c&times=0", 429, []int{200}, ""},
		{"unavailable", s2, "/hostile/unavailable?key=a&times=2&after=30", 503, []int{503, 503, 200}, "30"},
		{"unavailable defaults", s2, "/hostile/unavailable", 503, []int{503, 200}, "2"},
		{"all disallowed", s, "/hostile/ratelimited?key=z", 429, []int{429, 200}, "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.site.Handler()
			newest := tc.site.Articles()[0]
			if as := tc.site.Allowed(); len(as) > 0 {
				newest = as[0]
			}
			article := serve(h, "GET", newest.Path).Body.String()
			for i, want := range tc.want {
				rec := serve(h, "GET", tc.target)
				if rec.Code != want {
					t.Fatalf("request %d: status %d, want %d", i+1, rec.Code, want)
				}
				if want == tc.status {
					if got := rec.Header().Get("Retry-After"); got != tc.after {
						t.Errorf("request %d: Retry-After %q, want %q", i+1, got, tc.after)
					}
					continue
				}
				if rec.Header().Get("Retry-After") != "" || rec.Body.String() != article {
					t.Errorf("request %d: 200 is not the newest allowed article's page", i+1)
				}
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	h := Generate(Config{Articles: 5}).Handler()
	tests := []struct {
		target   string
		status   int
		location string
	}{
		{"/hostile/redirect-loop", 302, "/hostile/redirect-loop?n=1"},
		{"/hostile/redirect-loop?n=41", 302, "/hostile/redirect-loop?n=42"},
		{"/hostile/redirect?to=http%3A%2F%2Foffsite.example%2Fpath%3Fq%3D1", 302, "http://offsite.example/path?q=1"},
		{"/hostile/redirect?to=http://169.254.169.254/latest/meta-data/", 302, "http://169.254.169.254/latest/meta-data/"},
		{"/hostile/redirect-metadata", 302, "http://169.254.169.254/latest/meta-data/"},
		{"/hostile/redirect", 400, ""},
	}
	for _, tc := range tests {
		rec := serve(h, "GET", tc.target)
		if rec.Code != tc.status || rec.Header().Get("Location") != tc.location {
			t.Errorf("GET %s: %d Location %q, want %d %q", tc.target, rec.Code, rec.Header().Get("Location"), tc.status, tc.location)
		}
	}

	// A real client gives up; the server keeps redirecting.
	srv := startServer(t, Config{Articles: 5})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	_, err := client.Get(srv.URL + "/hostile/redirect-loop")
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: err %v", err)
	}
	if n := srv.Hits("/hostile/redirect-loop"); n < 10 {
		t.Errorf("redirect loop served %d times", n)
	}
}

func TestWrongCharset(t *testing.T) {
	h := Generate(Config{Articles: 5}).Handler()
	utf8Page := serve(h, "GET", "/hostile/wrong-charset/utf8-declared-latin1").Body.Bytes()
	dec := func(b []byte) string {
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	tests := []struct {
		path, contentType string
		utf8              bool
		meta              string
	}{
		{"/hostile/wrong-charset/utf8-declared-latin1", "text/html; charset=iso-8859-1", true, ""},
		{"/hostile/wrong-charset/latin1-declared-utf8", "text/html; charset=utf-8", false, ""},
		{"/hostile/wrong-charset/meta-only", "text/html", false, `<meta charset="windows-1252">`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := serve(h, "GET", tc.path)
			body := rec.Body.Bytes()
			if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.contentType {
				t.Fatalf("%d %q, want 200 %q", rec.Code, rec.Header().Get("Content-Type"), tc.contentType)
			}
			if utf8.Valid(body) != tc.utf8 {
				t.Errorf("body valid UTF-8 = %v, want %v", !tc.utf8, tc.utf8)
			}
			var text string
			if tc.utf8 {
				text = string(body)
				// Bytes a latin-1 decoder would misread.
				for _, s := range []string{"Caf\xc3\xa9", "\xe2\x80\x9cfair\xe2\x80\x9d", "\xe2\x82\xac", "\xe2\x80\x94", "Z\xc3\xbcrich", "na\xc3\xafve"} {
					if !bytes.Contains(body, []byte(s)) {
						t.Errorf("UTF-8 body lacks %q", s)
					}
				}
			} else {
				text = dec(body)
				// windows-1252 bytes: é, “ ”, €, —, ü, ï.
				for _, s := range []string{"Caf\xe9", "\x93fair\x94", "\x80", "\x97", "Z\xfcrich", "na\xefve"} {
					if !bytes.Contains(body, []byte(s)) {
						t.Errorf("windows-1252 body lacks %q", s)
					}
				}
				if tc.meta == "" && text != string(utf8Page) {
					t.Error("decoded page differs from the UTF-8 page")
				}
			}
			if hasMeta := strings.Contains(text, "<meta charset"); hasMeta != (tc.meta != "") || !strings.Contains(text, tc.meta) {
				t.Errorf("meta charset: present=%v, want %q", hasMeta, tc.meta)
			}
			vis := visibleText(text)
			for _, want := range append([]string{CharsetTitle, CharsetByline, "November 18, 2026"}, CharsetParagraphs()...) {
				if !strings.Contains(vis, want) {
					t.Errorf("decoded page lacks %q", want)
				}
			}
		})
	}

	paras := CharsetParagraphs()
	if len(paras) != 6 {
		t.Fatalf("%d paragraphs", len(paras))
	}
	all := CharsetTitle + strings.Join(paras, " ")
	for _, s := range []string{"café", "naïve", "Zürich", "“", "”", "—", "€"} {
		if !strings.Contains(all, s) {
			t.Errorf("charset text lacks %q", s)
		}
	}
	for i, p := range paras {
		if n := len(strings.Fields(p)); n < 40 {
			t.Errorf("paragraph %d has %d words", i, n)
		}
	}
	paras[0] = "mutated"
	if CharsetParagraphs()[0] == "mutated" {
		t.Error("CharsetParagraphs exposes internal state")
	}
}

func TestMalformed(t *testing.T) {
	rec := serve(Generate(Config{Articles: 5}).Handler(), "GET", "/hostile/malformed")
	body := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"NUL byte", strings.Contains(body, "\x00")},
		{"invalid UTF-8", !utf8.ValidString(body) && strings.Contains(body, "\xff\xfe")},
		{"stray end tags", strings.Contains(body, "</div></span>")},
		{"unclosed table", strings.Contains(body, "<table") && !strings.Contains(body, "</table>")},
		{"unterminated comment", strings.Contains(body, "<!--") && !strings.Contains(body[strings.LastIndex(body, "<!--"):], "-->")},
		{"unquoted attributes", regexp.MustCompile(`<div class=[a-z-]+>`).MatchString(body)},
		{"more <p> than </p>", strings.Count(body, "<p") > strings.Count(body, "</p>")+3},
		{"more <div> than </div>", strings.Count(body, "<div") > strings.Count(body, "</div>")+2},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("malformed page lacks %s", c.name)
		}
	}

	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "p" && len(n.Attr) == 0 {
			got = append(got, strings.Join(strings.Fields(nodeText(n)), " "))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	want := MalformedParagraphs()
	if len(want) < 6 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parsed paragraphs:\n%q\nwant:\n%q", got, want)
	}
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

func TestSmallHostilePages(t *testing.T) {
	h := Generate(Config{Articles: 5}).Handler()
	tests := []struct {
		path, contentType, prefix string
		length                    int // -1: any
	}{
		{"/hostile/not-html", "application/pdf", "%PDF-", -1},
		{"/hostile/empty", "text/html; charset=utf-8", "", 0},
	}
	for _, tc := range tests {
		rec := serve(h, "GET", tc.path)
		body := rec.Body.String()
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.contentType || !strings.HasPrefix(body, tc.prefix) ||
			(tc.length >= 0 && len(body) != tc.length) || rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("GET %s: %d %q %d bytes (Content-Length %q)", tc.path, rec.Code, rec.Header().Get("Content-Type"), len(body), rec.Header().Get("Content-Length"))
		}
	}
}

// TestHostileHEAD: HEAD answers with GET's headers and no body, and does not
// stream or sleep.
func TestHostileHEAD(t *testing.T) {
	h := Generate(Config{Articles: 20, Seed: 2}).Handler()
	paths := []string{
		"/sitemap_index.xml", "/sitemaps/articles-1.xml.gz", "/sitemaps/news.xml",
		"/hostile/slow?seconds=0", "/hostile/huge?mb=1", "/hostile/gzip-bomb", "/hostile/malformed",
		"/hostile/wrong-charset/meta-only", "/hostile/not-html", "/hostile/empty", "/hostile/redirect-metadata",
	}
	for _, p := range paths {
		g, hd := serve(h, "GET", p), serve(h, "HEAD", p)
		if hd.Code != g.Code || hd.Body.Len() != 0 {
			t.Errorf("HEAD %s: %d with %d body bytes; GET %d", p, hd.Code, hd.Body.Len(), g.Code)
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Location"} {
			if hd.Header().Get(k) != g.Header().Get(k) {
				t.Errorf("HEAD %s: %s %q, GET %q", p, k, hd.Header().Get(k), g.Header().Get(k))
			}
		}
	}
	start := time.Now()
	if rec := serve(h, "HEAD", "/hostile/slow?seconds=30"); rec.Code != 200 || time.Since(start) > time.Second {
		t.Errorf("HEAD slow: %d after %v", rec.Code, time.Since(start))
	}
}

func TestGzipBomb(t *testing.T) {
	t.Parallel()
	srv := startServer(t, Config{Articles: 5})
	// Take the bytes as sent: the default transport would decode them.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	r := get(t, client, srv.URL+"/hostile/gzip-bomb")
	if r.status != 200 || r.header.Get("Content-Encoding") != "gzip" || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d encoding %q type %q", r.status, r.header.Get("Content-Encoding"), r.header.Get("Content-Type"))
	}
	if len(r.body) > 4<<20 || r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
		t.Fatalf("%d bytes on the wire (Content-Length %q), want a few MB at most", len(r.body), r.header.Get("Content-Length"))
	}
	if size := binary.LittleEndian.Uint32([]byte(r.body[len(r.body)-4:])); size != 1<<30 {
		t.Errorf("gzip trailer declares %d bytes, want 1 GiB", size)
	}
	zr, err := gzip.NewReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	var head bytes.Buffer
	if n, err := io.CopyN(&head, zr, 10<<20); n != 10<<20 || err != nil {
		t.Fatalf("decompressed %d bytes: %v", n, err)
	}
	if !bytes.HasPrefix(head.Bytes(), []byte("<html><body><p>")) || strings.TrimSpace(head.String()[15:]) != "" {
		t.Errorf("decompressed data starts %q", head.String()[:40])
	}
	if again := get(t, client, srv.URL+"/hostile/gzip-bomb"); again.body != r.body {
		t.Error("bomb differs between requests")
	}

	// The default client decodes transparently and keeps reading: exactly
	// what the crawler must guard against.
	plain := &http.Client{Timeout: 10 * time.Second}
	defer plain.CloseIdleConnections()
	resp, err := plain.Get(srv.URL + "/hostile/gzip-bomb")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 5<<20))
	resp.Body.Close()
	if n != 5<<20 {
		t.Errorf("default client read %d decoded bytes, want 5 MiB", n)
	}
}

// TestGzipBombComplete inflates the whole GiB once, so the hand-written
// stream's trailer (CRC and size) is checked. Too slow under -race.
func TestGzipBombComplete(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("inflates 1 GiB")
	}
	t.Parallel()
	zr, err := gzip.NewReader(strings.NewReader(gzipBomb()))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, zr)
	if n != 1<<30 || err != nil {
		t.Errorf("inflated %d bytes, err %v", n, err)
	}
}

func TestHugePage(t *testing.T) {
	t.Parallel()
	srv := startServer(t, Config{Articles: 5})
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	head, tail := hugeArticle.parts()
	minimal := len(head) + len(tail)
	for _, tc := range []struct {
		query string
		size  int
	}{{"?mb=1", 1 << 20}, {"?mb=3", 3 << 20}, {"?mb=0", minimal}, {"?mb=-2", minimal}} {
		r := get(t, client, srv.URL+"/hostile/huge"+tc.query)
		if r.status != 200 || r.header.Get("Content-Length") != strconv.Itoa(tc.size) || len(r.body) != tc.size {
			t.Fatalf("huge%s: %d Content-Length %q, read %d bytes, want %d", tc.query, r.status, r.header.Get("Content-Length"), len(r.body), tc.size)
		}
		if !strings.HasPrefix(r.body, head) || !strings.HasSuffix(r.body, tail) {
			t.Errorf("huge%s: not a complete page", tc.query)
		}
		if tc.size > minimal {
			if n := strings.Count(r.body, hugeArticle.paragraphs[0]); n < tc.size/1000 {
				t.Errorf("huge%s: first paragraph repeated only %d times", tc.query, n)
			}
		}
	}
	// The default size is announced without reading the body.
	resp, err := client.Get(srv.URL + "/hostile/huge")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close() // abandons the stream; the handler must notice
	if resp.ContentLength != 50<<20 {
		t.Errorf("default Content-Length %d", resp.ContentLength)
	}
}

func TestSlowPage(t *testing.T) {
	t.Parallel()
	srv := startServer(t, Config{Articles: 5})
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	start := time.Now()
	resp, err := client.Get(srv.URL + "/hostile/slow?seconds=3")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if headers := time.Since(start); headers > time.Second {
		t.Errorf("headers took %v; they should come at once", headers)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("slow page took %v, want >= 2s", took)
	}
	if string(body) != slowArticle.html() || resp.ContentLength != int64(len(body)) {
		t.Error("slow page body is not the complete article page")
	}

	// The handler stops when the client goes away.
	h := srv.Handler()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest("GET", "/hostile/slow?seconds=60", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	start = time.Now()
	h.ServeHTTP(rec, req)
	if took := time.Since(start); took > 2*time.Second || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("handler ran %v after the client left", took)
	}
	if rec.Body.Len() >= len(slowArticle.html()) {
		t.Error("cancelled slow page was sent completely")
	}
}

func TestSplitEven(t *testing.T) {
	for _, tc := range []struct {
		s string
		n int
	}{{"abcdefghij", 3}, {"ab", 5}, {"", 2}, {"ééééé", 4}, {"x", 1}} {
		parts := splitEven(tc.s, tc.n)
		if len(parts) != tc.n || strings.Join(parts, "") != tc.s {
			t.Errorf("splitEven(%q, %d) = %q", tc.s, tc.n, parts)
		}
		for _, p := range parts {
			if !utf8.ValidString(p) {
				t.Errorf("splitEven(%q, %d): piece %q cuts a rune", tc.s, tc.n, p)
			}
		}
	}
}

// TestHostileNotLinked: no page a crawler discovers links to /hostile/.
func TestHostileNotLinked(t *testing.T) {
	s := Generate(Config{Articles: 30, Seed: 9, Duplicates: true, SitemapIndex: true})
	h := s.Handler()
	pages := []string{"/", "/feed.xml", "/sitemap.xml", "/sitemap_index.xml", "/sitemaps/news.xml", "/robots.txt", "/about"}
	for _, sec := range s.Sections() {
		pages = append(pages, "/section/"+sec)
	}
	for _, a := range s.Articles() {
		pages = append(pages, a.Path, "/mirror"+a.Path)
	}
	for _, p := range pages {
		if strings.Contains(serve(h, "GET", p).Body.String(), "/hostile/") {
			t.Errorf("%s links to /hostile/", p)
		}
	}
}

// uniqueShape matches the made-up unique words (see makeWord).
var uniqueShape = regexp.MustCompile(`^(?:[` + uniqueConsonants + `][` + uniqueVowels + `][` + uniqueCodas + `]?)+$`)

// TestHostileTextHasNoUniqueWords: the fixed text of hostile pages and
// corrections is not in the forbidden list of unique words (adding it would
// change every generated site), so instead check that it cannot contain
// one: no lowercase run has a substring shaped like a unique word.
func TestHostileTextHasNoUniqueWords(t *testing.T) {
	h := Generate(Config{Articles: 5}).Handler()
	texts := []string{CorrectionText + " Revision 12345.", slowArticle.html(), hugeArticle.html(), notHTMLBody}
	for _, p := range []string{"/hostile/malformed", "/hostile/wrong-charset/utf8-declared-latin1", "/hostile/ratelimited?times=5",
		"/hostile/unavailable?times=5", "/hostile/redirect-metadata", "/hostile/redirect", "/hostile/redirect-loop"} {
		texts = append(texts, serve(h, "GET", p).Body.String())
	}
	for _, text := range texts {
		for _, run := range regexp.MustCompile(`[a-z]+`).FindAllString(text, -1) {
			for i := 0; i+uniqueMinLen <= len(run); i++ {
				for j := i + uniqueMinLen; j <= min(len(run), i+uniqueMaxLen); j++ {
					w := run[i:j]
					rare := 0
					for _, c := range w {
						if strings.ContainsRune(uniqueRare, c) {
							rare++
						}
					}
					if rare >= 2 && uniqueShape.MatchString(w) {
						t.Errorf("hostile text contains %q, which could be a unique word", w)
					}
				}
			}
		}
	}
}
