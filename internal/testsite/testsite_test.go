package testsite

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// ---- helpers ----

func startServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	srv, err := Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func fetch(t testing.TB, client *http.Client, method, url string, hdr map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func get(t testing.TB, client *http.Client, url string) response {
	t.Helper()
	return fetch(t, client, http.MethodGet, url, nil)
}

// serve runs the handler in-process (no network) with a fixed Host.
func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, nil)
	req.Host = "news.test"
	h.ServeHTTP(rec, req)
	return rec
}

var (
	storyRE    = regexp.MustCompile(`<h3 class="story-title"><a href="([^"]+)">`)
	olderRE    = regexp.MustCompile(`<a class="older" rel="next" href="([^"]+)">Older stories</a>`)
	jsonLDRE   = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	ogImageRE  = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)
	uniqueWord = regexp.MustCompile(`^[a-z]{9,12}$`)
)

// visibleText strips tags and collapses whitespace.
func visibleText(page string) string {
	var b strings.Builder
	inTag := false
	for i := 0; i < len(page); i++ {
		switch c := page[i]; {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
		case c == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// sectionPages follows "Older stories" links from a section's first page and
// returns the article paths listed, in order, plus the number of pages.
func sectionPages(t *testing.T, h http.Handler, section string) (paths []string, pages int) {
	t.Helper()
	next := "/section/" + section
	for next != "" {
		rec := serve(h, http.MethodGet, next)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", next, rec.Code)
		}
		pages++
		body := rec.Body.String()
		for _, m := range storyRE.FindAllStringSubmatch(body, -1) {
			paths = append(paths, html.UnescapeString(m[1]))
		}
		next = ""
		if m := olderRE.FindStringSubmatch(body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	return paths, pages
}

func articlePaths(as []Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Path
	}
	return out
}

// ---- tests ----

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

func TestArticlePagesAndUniqueWords(t *testing.T) {
	t.Parallel()
	external := []string{"https://partner.example/deals?id=7", "http://offsite.example/story"}
	srv := startServer(t, Config{Articles: 90, Seed: 7, ExternalLinks: external})
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	pages := map[string]string{} // path -> body
	var order []string
	add := func(path string) string {
		r := get(t, client, srv.URL+path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, r.status)
		}
		pages[path] = r.body
		order = append(order, path)
		return r.body
	}

	for _, a := range srv.Articles() {
		r := get(t, client, srv.URL+a.Path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", a.Path, r.status)
		}
		if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", a.Path, ct)
		}
		if lm := r.header.Get("Last-Modified"); lm != a.Modified.Format(http.TimeFormat) {
			t.Errorf("%s: Last-Modified %q, want %q", a.Path, lm, a.Modified.Format(http.TimeFormat))
		}
		body := r.body
		pages[a.Path] = body
		order = append(order, a.Path)

		if !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("%s: missing lang", a.Path)
		}
		if !strings.Contains(body, "<h1 class=\"headline\">"+html.EscapeString(a.Title)+"</h1>") {
			t.Errorf("%s: missing title", a.Path)
		}
		for i, p := range a.Paragraphs {
			if !strings.Contains(body, "<p>"+html.EscapeString(p)+"</p>") {
				t.Errorf("%s: missing paragraph %d", a.Path, i)
			}
		}
		for _, link := range external {
			if !strings.Contains(body, `href="`+html.EscapeString(link)+`"`) {
				t.Errorf("%s: missing external link %s", a.Path, link)
			}
		}
		text := visibleText(body)
		if !strings.Contains(text, a.Byline) || !strings.Contains(text, a.DateText) {
			t.Errorf("%s: byline %q or date %q not visible", a.Path, a.Byline, a.DateText)
		}
		if got := strings.Count(body, `class="ad`); got < 2 {
			t.Errorf("%s: %d ad blocks", a.Path, got)
		}
		if got := strings.Count(body, `<li class="comment">`); got < 2 || got > 4 {
			t.Errorf("%s: %d comments", a.Path, got)
		}
		related := body[strings.Index(body, `<aside class="related">`):]
		related = related[:strings.Index(related, "</aside>")]
		if got := strings.Count(related, "<li>"); got != 5 {
			t.Errorf("%s: %d related stories", a.Path, got)
		}
		if got := strings.Contains(body, "application/ld+json"); got != a.JSONLD {
			t.Errorf("%s: JSON-LD present=%v, want %v", a.Path, got, a.JSONLD)
		}
		if got := strings.Contains(body, `property="og:image"`); got != a.OGImage {
			t.Errorf("%s: og:image present=%v, want %v", a.Path, got, a.OGImage)
		}
	}

	add("/")
	add("/feed.xml")
	add("/sitemap.xml")
	add("/robots.txt")
	for _, sec := range srv.Sections() {
		for p := 1; ; p++ {
			path := sectionURL(sec, p)
			if p > 1 && !strings.Contains(pages[sectionURL(sec, p-1)], "Older stories") {
				break
			}
			add(path)
		}
	}

	for _, a := range srv.Articles() {
		var found []string
		for _, path := range order {
			if strings.Contains(pages[path], a.UniqueWord) {
				found = append(found, path)
			}
		}
		if len(found) != 1 || found[0] != a.Path {
			t.Errorf("unique word %q of %s found on %v", a.UniqueWord, a.Path, found)
		}
	}
}

func TestGeneratedContent(t *testing.T) {
	t.Parallel()
	n := 5000
	if testing.Short() || raceEnabled {
		n = 1500
	}
	s := Generate(Config{Articles: n, Seed: 99})
	as := s.Articles()
	if len(as) != n {
		t.Fatalf("got %d articles", len(as))
	}
	titles, paths, words := map[string]bool{}, map[string]bool{}, map[string]bool{}
	tokenCount := map[string]int{}
	jsonLD, og := 0, 0
	dateStyles := map[string]bool{}
	styleOf := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"long", regexp.MustCompile(`^[A-Z][a-z]+ \d{1,2}, \d{4}$`)},
		{"utc", regexp.MustCompile(`^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC$`)},
		{"iso", regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)},
		{"ap", regexp.MustCompile(`^[A-Z][a-z]{2}\.? \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M EST$`)},
	}
	bylineStyles := map[string]bool{}
	for _, a := range as {
		if titles[a.Title] || paths[a.Path] || words[a.UniqueWord] {
			t.Fatalf("duplicate title, path or unique word: %+v", a)
		}
		titles[a.Title], paths[a.Path], words[a.UniqueWord] = true, true, true
		if !uniqueWord.MatchString(a.UniqueWord) {
			t.Errorf("unique word %q has wrong shape", a.UniqueWord)
		}
		if !strings.HasPrefix(a.Path, "/"+a.Section+"/") && !strings.HasPrefix(a.Path, "/private/"+a.Section+"/") {
			t.Errorf("path %q does not match section %q", a.Path, a.Section)
		}
		if len(a.Paragraphs) < 5 || len(a.Paragraphs) > 12 {
			t.Errorf("%s: %d paragraphs", a.Path, len(a.Paragraphs))
		}
		occurrences := 0
		for i, p := range a.Paragraphs {
			fields := strings.Fields(p)
			if len(fields) < 40 || len(fields) > 90 {
				t.Errorf("%s: paragraph %d has %d words", a.Path, i, len(fields))
			}
			if p[0] < 'A' || p[0] > 'Z' || !strings.HasSuffix(p, ".") {
				t.Errorf("%s: paragraph %d is not sentence-shaped: %q", a.Path, i, p)
			}
			for _, f := range fields {
				w := strings.Trim(f, ",.")
				if len(w) >= uniqueMinLen && len(w) <= uniqueMaxLen {
					tokenCount[w]++
				}
				if w == a.UniqueWord {
					occurrences++
					if i == 0 {
						t.Errorf("%s: unique word in first paragraph", a.Path)
					}
				}
			}
		}
		if occurrences != 1 {
			t.Errorf("%s: unique word occurs %d times in body", a.Path, occurrences)
		}
		if strings.Contains(a.Title, a.UniqueWord) || strings.Contains(a.Teaser, a.UniqueWord) {
			t.Errorf("%s: unique word in title or teaser", a.Path)
		}
		if !strings.HasPrefix(a.Paragraphs[0], a.Teaser) {
			t.Errorf("%s: teaser is not the lead", a.Path)
		}
		if a.JSONLD {
			jsonLD++
			if a.Image == "" {
				t.Errorf("%s: JSON-LD article without image", a.Path)
			}
		}
		if a.OGImage {
			og++
		}
		matched := false
		for _, st := range styleOf {
			if st.re.MatchString(a.DateText) {
				dateStyles[st.name], matched = true, true
			}
		}
		if !matched {
			t.Errorf("%s: unexpected date text %q", a.Path, a.DateText)
		}
		switch {
		case strings.HasSuffix(a.Byline, ", Staff Reporter") && a.Byline == "By "+strings.ToUpper(a.Authors[0])+", Staff Reporter":
			bylineStyles["upper"] = true
		case len(a.Authors) == 2 && a.Byline == "By "+a.Authors[0]+" and "+a.Authors[1]:
			bylineStyles["two"] = true
		case len(a.Authors) == 1 && a.Byline == "By "+a.Authors[0]:
			bylineStyles["one"] = true
		default:
			t.Errorf("%s: byline %q does not match authors %q", a.Path, a.Byline, a.Authors)
		}
	}
	for w := range words {
		if tokenCount[w] != 1 {
			t.Errorf("unique word %q occurs %d times across all bodies", w, tokenCount[w])
		}
	}
	// No unique word is a substring of another (checked on a subset: O(n²)).
	subset := as[:800]
	for _, a := range subset {
		for _, b := range subset {
			if a.Path != b.Path && strings.Contains(b.UniqueWord, a.UniqueWord) {
				t.Errorf("unique word %q contained in %q", a.UniqueWord, b.UniqueWord)
			}
		}
	}
	if share := float64(jsonLD) / float64(n); share < 0.35 || share > 0.45 {
		t.Errorf("JSON-LD share %.2f, want about 0.4", share)
	}
	if og == 0 || og == n {
		t.Errorf("og:image on %d of %d articles", og, n)
	}
	if len(dateStyles) != 4 || len(bylineStyles) != 3 {
		t.Errorf("date styles %v, byline styles %v", dateStyles, bylineStyles)
	}
	freq := map[string]int{}
	for _, p := range as[0].Paragraphs {
		for _, f := range strings.Fields(p) {
			freq[strings.ToLower(strings.Trim(f, ",."))]++
		}
	}
	for _, p := range as[1].Paragraphs {
		for _, f := range strings.Fields(p) {
			freq[strings.ToLower(strings.Trim(f, ",."))]++
		}
	}
	if freq["the"] <= freq["government"] || freq["the"] < 10 {
		t.Errorf("word frequencies not Zipf-like: the=%d government=%d", freq["the"], freq["government"])
	}
}

func TestRobotsAndDisallowed(t *testing.T) {
	tests := []struct {
		articles, every, want int
	}{
		{100, 0, 5},
		{100, 20, 5},
		{50, 7, 7},
		{10, 3, 3},
		{12, 1, 12},
		{5, 50, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("n=%d,every=%d", tc.articles, tc.every), func(t *testing.T) {
			s := Generate(Config{Articles: tc.articles, DisallowedEvery: tc.every, Seed: 3})
			every := tc.every
			if every == 0 {
				every = 20
			}
			got := 0
			for i, a := range s.Articles() {
				wantDis := (i+1)%every == 0
				if a.Disallowed != wantDis {
					t.Errorf("article %d: Disallowed=%v, want %v", i, a.Disallowed, wantDis)
				}
				if a.Disallowed != strings.HasPrefix(a.Path, "/private/") {
					t.Errorf("%s: Disallowed=%v", a.Path, a.Disallowed)
				}
				if a.Disallowed {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("disallowed = %d, want %d", got, tc.want)
			}
			if n := len(s.Allowed()); n != tc.articles-tc.want {
				t.Errorf("allowed = %d, want %d", n, tc.articles-tc.want)
			}
		})
	}

	srv := startServer(t, Config{Articles: 40, Seed: 3})
	r := get(t, &http.Client{Timeout: 5 * time.Second}, srv.URL+"/robots.txt")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %q", r.status, r.header.Get("Content-Type"))
	}
	for _, line := range []string{"User-agent: *", "Disallow: /private/", "Sitemap: " + srv.URL + "/sitemap.xml"} {
		if !slices.Contains(strings.Split(r.body, "\n"), line) {
			t.Errorf("robots.txt lacks %q:\n%s", line, r.body)
		}
	}

	// Disallowed articles are linked like any other.
	h := srv.Handler()
	linked := serve(h, "GET", "/").Body.String() + serve(h, "GET", "/feed.xml").Body.String()
	for _, sec := range srv.Sections() {
		linked += serve(h, "GET", "/section/"+sec).Body.String()
	}
	for _, a := range srv.Articles() {
		if a.Disallowed && !strings.Contains(linked, a.Path) {
			t.Errorf("disallowed article %s is not linked", a.Path)
		}
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

func TestFeed(t *testing.T) {
	tests := []struct{ articles, wantItems int }{{120, 50}, {50, 50}, {30, 30}}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.articles), func(t *testing.T) {
			srv := startServer(t, Config{Articles: tc.articles, Seed: 11})
			r := get(t, &http.Client{Timeout: 5 * time.Second}, srv.URL+"/feed.xml")
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/rss+xml; charset=utf-8" {
				t.Fatalf("feed: %d %q", r.status, r.header.Get("Content-Type"))
			}
			var doc rssDoc
			if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
				t.Fatalf("feed does not parse: %v", err)
			}
			if doc.Version != "2.0" {
				t.Errorf("version %q", doc.Version)
			}
			items := doc.Channel.Items
			if len(items) != tc.wantItems {
				t.Fatalf("%d items, want %d", len(items), tc.wantItems)
			}
			as := srv.Articles()
			for i, it := range items {
				a := as[i]
				if it.Link != srv.URL+a.Path || it.GUID != it.Link {
					t.Errorf("item %d: link %q guid %q, want %q", i, it.Link, it.GUID, srv.URL+a.Path)
				}
				if it.Title != a.Title || it.Description != a.Teaser {
					t.Errorf("item %d: title/description mismatch", i)
				}
				pub, err := time.Parse(time.RFC1123Z, it.PubDate)
				if err != nil || !pub.Equal(a.Published) {
					t.Errorf("item %d: pubDate %q (%v), want %v", i, it.PubDate, err, a.Published)
				}
				if !slices.Equal(it.Creators, a.Authors) {
					t.Errorf("item %d: creators %q, want %q", i, it.Creators, a.Authors)
				}
			}
		})
	}
}

func TestSitemap(t *testing.T) {
	srv := startServer(t, Config{Articles: 70, Seed: 5, DisallowedEvery: 6})
	r := get(t, &http.Client{Timeout: 5 * time.Second}, srv.URL+"/sitemap.xml")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	var doc struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, u := range doc.URLs {
		got = append(got, strings.TrimPrefix(u.Loc, srv.URL))
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("lastmod %q: %v", u.LastMod, err)
		}
	}
	want = articlePaths(srv.Allowed())
	if !slices.Equal(got, want) {
		t.Errorf("sitemap lists %d URLs, want exactly the %d allowed articles", len(got), len(want))
	}
}

func TestSectionPagination(t *testing.T) {
	s := Generate(Config{Articles: 260, Seed: 21, Sections: []string{"world", "sport", "science"}})
	h := s.Handler()
	for _, sec := range []string{"world", "sport"} {
		t.Run(sec, func(t *testing.T) {
			want := articlePaths(s.SectionArticles(sec))
			got, pages := sectionPages(t, h, sec)
			if !slices.Equal(got, want) {
				t.Fatalf("pagination listed %d articles, want %d in newest-first order", len(got), len(want))
			}
			if wantPages := (len(want) + 24) / 25; pages != wantPages {
				t.Errorf("pages = %d, want %d", pages, wantPages)
			}
			if rec := serve(h, "GET", fmt.Sprintf("/section/%s?page=%d", sec, pages+1)); rec.Code != http.StatusNotFound {
				t.Errorf("page %d: status %d, want 404", pages+1, rec.Code)
			}
		})
	}
	notFound := []string{
		"/section/nope", "/section/world?page=0", "/section/world?page=-1", "/section/world?page=abc",
		"/section/world?page=999", "/section/world/", "/no/such/page", "/world/2026/11/19/missing-0000",
	}
	for _, path := range notFound {
		rec := serve(h, "GET", path)
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("GET %s: %d %q, want 404 HTML", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}

func TestHomepage(t *testing.T) {
	s := Generate(Config{Articles: 60, Seed: 8})
	body := serve(s.Handler(), "GET", "/").Body.String()
	var got []string
	for _, m := range storyRE.FindAllStringSubmatch(body, -1) {
		got = append(got, m[1])
	}
	if want := articlePaths(s.Articles()[:20]); !slices.Equal(got, want) {
		t.Errorf("homepage lists %v, want 20 newest", got)
	}
	for _, want := range []string{`href="/feed.xml"`, `class="ad`, `href="/about"`, `href="/contact"`, `href="/privacy"`, `href="/terms"`, `href="/careers"`} {
		if !strings.Contains(body, want) {
			t.Errorf("homepage lacks %s", want)
		}
	}
	for _, sec := range s.Sections() {
		if !strings.Contains(body, `href="/section/`+sec+`"`) {
			t.Errorf("homepage lacks nav to %s", sec)
		}
	}
}

func TestJSONLDAndImages(t *testing.T) {
	srv := startServer(t, Config{Articles: 40, Seed: 13})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	checkedImage := false
	for _, a := range srv.Articles() {
		body := get(t, client, srv.URL+a.Path).body
		if a.OGImage {
			m := ogImageRE.FindStringSubmatch(body)
			if m == nil || m[1] != srv.URL+a.Image {
				t.Errorf("%s: og:image %v, want %s", a.Path, m, srv.URL+a.Image)
			} else if !checkedImage {
				checkedImage = true
				r := get(t, client, m[1])
				if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" {
					t.Errorf("image: %d %q", r.status, r.header.Get("Content-Type"))
				} else if _, err := jpeg.Decode(strings.NewReader(r.body)); err != nil {
					t.Errorf("image does not decode: %v", err)
				}
			}
		}
		if !a.JSONLD {
			continue
		}
		m := jsonLDRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no JSON-LD", a.Path)
		}
		var ld struct {
			Type          string `json:"@type"`
			Headline      string `json:"headline"`
			DatePublished string `json:"datePublished"`
			DateModified  string `json:"dateModified"`
			Image         []string
			Author        []struct {
				Type string `json:"@type"`
				Name string `json:"name"`
			} `json:"author"`
			Publisher struct {
				Name string `json:"name"`
			} `json:"publisher"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("%s: JSON-LD: %v", a.Path, err)
		}
		if ld.Type != "NewsArticle" || ld.Headline != a.Title || ld.Publisher.Name == "" || len(ld.Image) != 1 {
			t.Errorf("%s: JSON-LD %+v", a.Path, ld)
		}
		var names []string
		for _, au := range ld.Author {
			if au.Type != "Person" {
				t.Errorf("%s: author type %q", a.Path, au.Type)
			}
			names = append(names, au.Name)
		}
		if !slices.Equal(names, a.Authors) {
			t.Errorf("%s: authors %v, want %v", a.Path, names, a.Authors)
		}
		pub, err1 := time.Parse(time.RFC3339, ld.DatePublished)
		mod, err2 := time.Parse(time.RFC3339, ld.DateModified)
		if err1 != nil || err2 != nil || !pub.Equal(a.Published) || !mod.Equal(a.Modified) {
			t.Errorf("%s: dates %q %q, want %v %v", a.Path, ld.DatePublished, ld.DateModified, a.Published, a.Modified)
		}
		if strings.HasSuffix(ld.DatePublished, "Z") {
			t.Errorf("%s: datePublished %q lacks numeric offset", a.Path, ld.DatePublished)
		}
	}
	for _, path := range []string{"/about", "/privacy", "/static/site.css", "/images/logo.jpg"} {
		if r := get(t, client, srv.URL+path); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
}

func TestHEADAndConditional(t *testing.T) {
	srv := startServer(t, Config{Articles: 10, Seed: 2})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	a := srv.Articles()[0]
	for _, path := range []string{a.Path, "/", "/feed.xml", "/missing"} {
		g := get(t, client, srv.URL+path)
		h := fetch(t, client, http.MethodHead, srv.URL+path, nil)
		if h.status != g.status || h.body != "" {
			t.Errorf("HEAD %s: status %d body %d bytes; GET status %d", path, h.status, len(h.body), g.status)
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Last-Modified"} {
			if h.header.Get(k) != g.header.Get(k) {
				t.Errorf("HEAD %s: %s %q, GET %q", path, k, h.header.Get(k), g.header.Get(k))
			}
		}
	}
	r := fetch(t, client, http.MethodGet, srv.URL+a.Path, map[string]string{"If-Modified-Since": a.Modified.Format(http.TimeFormat)})
	if r.status != http.StatusNotModified {
		t.Errorf("conditional GET: status %d, want 304", r.status)
	}
	r = fetch(t, client, http.MethodPost, srv.URL+a.Path, nil)
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", r.status)
	}
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
