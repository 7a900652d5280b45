package testsite

import (
	"encoding/json"
	"fmt"
	"html"
	"image/jpeg"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests of the HTML pages: articles, their content and metadata, the
// homepage and section listings.

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
		checkArticlePage(t, a, r, external)
		pages[a.Path] = r.body
		order = append(order, a.Path)
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

// checkArticlePage checks an article page against the article: headers,
// title, paragraphs, external links, visible byline and date, ads,
// comments, related stories, JSON-LD and og:image.
func checkArticlePage(t *testing.T, a Article, r response, external []string) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", a.Path, ct)
	}
	if lm := r.header.Get("Last-Modified"); lm != a.Modified.Format(http.TimeFormat) {
		t.Errorf("%s: Last-Modified %q, want %q", a.Path, lm, a.Modified.Format(http.TimeFormat))
	}
	body := r.body
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
	dateStyles, bylineStyles := map[string]bool{}, map[string]bool{}
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
		checkBody(t, a, tokenCount)
		if a.JSONLD {
			jsonLD++
			if a.Image == "" {
				t.Errorf("%s: JSON-LD article without image", a.Path)
			}
		}
		if a.OGImage {
			og++
		}
		if st := dateStyleOf(a.DateText); st != "" {
			dateStyles[st] = true
		} else {
			t.Errorf("%s: unexpected date text %q", a.Path, a.DateText)
		}
		if st := bylineStyleOf(a); st != "" {
			bylineStyles[st] = true
		} else {
			t.Errorf("%s: byline %q does not match authors %q", a.Path, a.Byline, a.Authors)
		}
	}
	checkUniqueAcrossSite(t, as, words, tokenCount)
	if share := float64(jsonLD) / float64(n); share < 0.35 || share > 0.45 {
		t.Errorf("JSON-LD share %.2f, want about 0.4", share)
	}
	if og == 0 || og == n {
		t.Errorf("og:image on %d of %d articles", og, n)
	}
	if len(dateStyles) != 4 || len(bylineStyles) != 3 {
		t.Errorf("date styles %v, byline styles %v", dateStyles, bylineStyles)
	}
	checkZipfLike(t, as[0], as[1])
}

// checkBody checks an article's paragraphs (count, length, shape), that
// its unique word occurs once, outside the lead, title and teaser, and
// that the teaser is the lead; it counts the body's unique-word-sized
// tokens into tokenCount.
func checkBody(t *testing.T, a Article, tokenCount map[string]int) {
	t.Helper()
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
}

var dateStyleREs = []struct {
	name string
	re   *regexp.Regexp
}{
	{"long", regexp.MustCompile(`^[A-Z][a-z]+ \d{1,2}, \d{4}$`)},
	{"utc", regexp.MustCompile(`^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC$`)},
	{"iso", regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)},
	{"ap", regexp.MustCompile(`^[A-Z][a-z]{2}\.? \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M EST$`)},
}

// dateStyleOf names the style of a visible date, "" for none.
func dateStyleOf(text string) string {
	name := ""
	for _, st := range dateStyleREs {
		if st.re.MatchString(text) {
			name = st.name
		}
	}
	return name
}

// bylineStyleOf names the style of an article's byline, "" when it does
// not match the authors.
func bylineStyleOf(a Article) string {
	switch {
	case strings.HasSuffix(a.Byline, ", Staff Reporter") && a.Byline == "By "+strings.ToUpper(a.Authors[0])+", Staff Reporter":
		return "upper"
	case len(a.Authors) == 2 && a.Byline == "By "+a.Authors[0]+" and "+a.Authors[1]:
		return "two"
	case len(a.Authors) == 1 && a.Byline == "By "+a.Authors[0]:
		return "one"
	}
	return ""
}

// checkUniqueAcrossSite checks that every unique word occurs once across
// all bodies and that none is a substring of another (on a subset: O(n²)).
func checkUniqueAcrossSite(t *testing.T, as []Article, words map[string]bool, tokenCount map[string]int) {
	t.Helper()
	for w := range words {
		if tokenCount[w] != 1 {
			t.Errorf("unique word %q occurs %d times across all bodies", w, tokenCount[w])
		}
	}
	subset := as[:800]
	for _, a := range subset {
		for _, b := range subset {
			if a.Path != b.Path && strings.Contains(b.UniqueWord, a.UniqueWord) {
				t.Errorf("unique word %q contained in %q", a.UniqueWord, b.UniqueWord)
			}
		}
	}
}

// checkZipfLike checks that the commonest word outnumbers a content word
// in the bodies of two articles.
func checkZipfLike(t *testing.T, as ...Article) {
	t.Helper()
	freq := map[string]int{}
	for _, a := range as {
		for _, p := range a.Paragraphs {
			for _, f := range strings.Fields(p) {
				freq[strings.ToLower(strings.Trim(f, ",."))]++
			}
		}
	}
	if freq["the"] <= freq["government"] || freq["the"] < 10 {
		t.Errorf("word frequencies not Zipf-like: the=%d government=%d", freq["the"], freq["government"])
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
