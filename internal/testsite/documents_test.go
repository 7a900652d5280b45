package testsite

import (
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests of the documents a crawler reads first: robots.txt, the feed, the
// sitemaps, and their conditional GET.

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

func TestRobotsOptions(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		want    []string // lines in order
		notWant []string
	}{
		{"default", Config{}, []string{"User-agent: *", "Disallow: /private/", "", "Sitemap: http://news.test/sitemap.xml"},
			[]string{"Crawl-delay", "sitemap_index"}},
		{"crawl delay", Config{CrawlDelay: 5}, []string{"User-agent: *", "Disallow: /private/", "Crawl-delay: 5", "", "Sitemap: http://news.test/sitemap.xml"},
			[]string{"sitemap_index"}},
		{"negative crawl delay", Config{CrawlDelay: -3}, []string{"User-agent: *", "Disallow: /private/", "", "Sitemap: http://news.test/sitemap.xml"},
			[]string{"Crawl-delay"}},
		{"sitemap index", Config{SitemapIndex: true}, []string{"User-agent: *", "Disallow: /private/", "", "Sitemap: http://news.test/sitemap_index.xml"},
			[]string{"Crawl-delay", "/sitemap.xml"}},
		{"no sitemap", Config{NoSitemap: true, SitemapIndex: true}, []string{"User-agent: *", "Disallow: /private/"},
			[]string{"Sitemap", "sitemap"}},
		{"both", Config{SitemapIndex: true, CrawlDelay: 12}, []string{"User-agent: *", "Disallow: /private/", "Crawl-delay: 12", "", "Sitemap: http://news.test/sitemap_index.xml"},
			[]string{"/sitemap.xml"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Articles = 5
			rec := serve(Generate(tc.cfg).Handler(), "GET", "/robots.txt")
			body := rec.Body.String()
			lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
			// The group starts at "User-agent: *"; everything wanted follows it
			// contiguously, so Crawl-delay is inside that group.
			start := slices.Index(lines, "User-agent: *")
			if start < 0 || !slices.Equal(lines[start:], tc.want) {
				t.Errorf("robots.txt:\n%s\nwant lines %q", body, tc.want)
			}
			for _, s := range tc.notWant {
				if strings.Contains(body, s) {
					t.Errorf("robots.txt contains %q:\n%s", s, body)
				}
			}
		})
	}
}

func TestSitemapIndex(t *testing.T) {
	for _, tc := range []struct {
		articles, every int
	}{{75, 6}, {101, 20}, {3, 50}, {2, 1}} {
		t.Run(fmt.Sprintf("n=%d,every=%d", tc.articles, tc.every), func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, Config{Articles: tc.articles, Seed: 5, DisallowedEvery: tc.every})
			client := &http.Client{Timeout: 5 * time.Second}
			defer client.CloseIdleConnections()

			locs := checkSitemapIndex(t, client, srv)
			allowed := srv.Allowed()
			checkGzipSitemaps(t, client, srv, allowed, locs[:2])
			checkNewsSitemap(t, client, srv, allowed, locs[2])
		})
	}
	rec := serve(Generate(Config{Articles: 5}).Handler(), "GET", "/sitemaps/other.xml")
	if rec.Code != http.StatusNotFound {
		t.Errorf("/sitemaps/other.xml: %d", rec.Code)
	}
}

// checkSitemapIndex checks /sitemap_index.xml and returns the sitemaps it
// lists: the two gzipped halves and the news sitemap.
func checkSitemapIndex(t *testing.T, client *http.Client, srv *Server) []string {
	t.Helper()
	r := get(t, client, srv.URL+"/sitemap_index.xml")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("index: %d %q", r.status, r.header.Get("Content-Type"))
	}
	var idx struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(r.body), &idx); err != nil {
		t.Fatalf("index does not parse: %v\n%s", err, r.body)
	}
	var locs []string
	for _, sm := range idx.Sitemaps {
		locs = append(locs, sm.Loc)
		if sm.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, sm.LastMod); err != nil {
				t.Errorf("lastmod %q: %v", sm.LastMod, err)
			}
		}
	}
	want := []string{srv.URL + "/sitemaps/articles-1.xml.gz", srv.URL + "/sitemaps/articles-2.xml.gz", srv.URL + "/sitemaps/news.xml"}
	if !slices.Equal(locs, want) {
		t.Fatalf("index lists %q, want %q", locs, want)
	}
	return locs
}

// checkGzipSitemaps checks that the gzipped sitemaps, served without
// Content-Encoding, list the allowed articles in two halves.
func checkGzipSitemaps(t *testing.T, client *http.Client, srv *Server, allowed []Article, locs []string) {
	t.Helper()
	var listed []string
	for k, loc := range locs {
		// The real client must not decompress: there is no Content-Encoding.
		r := get(t, client, loc)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-gzip" || r.header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d %q encoding %q", loc, r.status, r.header.Get("Content-Type"), r.header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("%s: not gzip: %v", loc, err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		var set urlSet
		if err := xml.Unmarshal(raw, &set); err != nil {
			t.Fatalf("%s: urlset does not parse: %v", loc, err)
		}
		if wantN := []int{(len(allowed) + 1) / 2, len(allowed) / 2}[k]; len(set.URLs) != wantN {
			t.Errorf("%s lists %d URLs, want %d", loc, len(set.URLs), wantN)
		}
		for _, u := range set.URLs {
			listed = append(listed, strings.TrimPrefix(u.Loc, srv.URL))
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				t.Errorf("lastmod %q: %v", u.LastMod, err)
			}
		}
	}
	if !slices.Equal(listed, articlePaths(allowed)) {
		t.Errorf("gz sitemaps list %d URLs, want exactly the %d allowed articles", len(listed), len(allowed))
	}
}

// checkNewsSitemap checks the Google News sitemap: the 30 newest allowed
// articles with their titles and publication times.
func checkNewsSitemap(t *testing.T, client *http.Client, srv *Server, allowed []Article, loc string) {
	t.Helper()
	r := get(t, client, loc)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("news: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`) {
		t.Error("news sitemap lacks the news namespace declaration")
	}
	var news urlSet
	if err := xml.Unmarshal([]byte(r.body), &news); err != nil {
		t.Fatalf("news sitemap does not parse: %v", err)
	}
	wantNews := allowed[:min(30, len(allowed))]
	if len(news.URLs) != len(wantNews) {
		t.Fatalf("news sitemap lists %d URLs, want %d", len(news.URLs), len(wantNews))
	}
	for i, u := range news.URLs {
		a := wantNews[i]
		if u.Loc != srv.URL+a.Path || u.News == nil {
			t.Errorf("news %d: loc %q (news %v), want %s", i, u.Loc, u.News != nil, a.Path)
			continue
		}
		d, err := time.Parse(time.RFC3339, u.News.Date)
		if u.News.Name != siteName || u.News.Language != "en" || u.News.Title != a.Title || err != nil || !d.Equal(a.Published) {
			t.Errorf("news %d: %+v, want title %q published %v", i, *u.News, a.Title, a.Published)
		}
	}
}

func TestConditionalGET(t *testing.T) {
	t.Parallel()
	srv := startServer(t, Config{Articles: 80, Seed: 12, DisallowedEvery: 7})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	all, allowed := srv.Articles(), srv.Allowed()
	half := (len(allowed) + 1) / 2
	resources := []struct {
		path string
		lm   time.Time
	}{
		{"/feed.xml", latest(all)},
		{"/sitemap.xml", latest(allowed)},
		{"/sitemap_index.xml", latest(allowed)},
		{"/sitemaps/articles-1.xml.gz", latest(allowed[:half])},
		{"/sitemaps/articles-2.xml.gz", latest(allowed[half:])},
		{"/sitemaps/news.xml", latest(allowed[:30])},
		{allowed[4].Path, allowed[4].Modified},
		{all[6].Path, all[6].Modified}, // disallowed
		{"/mirror" + allowed[2].Path, allowed[2].Modified},
	}
	for _, res := range resources {
		t.Run(res.path, func(t *testing.T) {
			checkConditionalGET(t, srv, client, res.path, res.lm)
		})
	}
	// Pages outside the list carry no validators.
	if r := get(t, client, srv.URL+"/"); r.header.Get("ETag") != "" {
		t.Error("homepage has an ETag")
	}
}

// checkConditionalGET checks that path answers with a strong ETag and
// Last-Modified, 304 to every request its validators match and the whole
// body otherwise, and that the access log marks conditional requests.
func checkConditionalGET(t *testing.T, srv *Server, client *http.Client, path string, lastModified time.Time) {
	t.Helper()
	srv.ResetRequests()
	full := get(t, client, srv.URL+path)
	etag, lm := full.header.Get("ETag"), full.header.Get("Last-Modified")
	if full.status != http.StatusOK || len(etag) < 3 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		t.Fatalf("status %d, ETag %q: want 200 with a strong ETag", full.status, etag)
	}
	if want := lastModified.Format(http.TimeFormat); lm != want {
		t.Errorf("Last-Modified %q, want %q", lm, want)
	}
	if again := get(t, client, srv.URL+path); again.header.Get("ETag") != etag {
		t.Error("ETag not stable")
	}
	older := lastModified.Add(-time.Second).Format(http.TimeFormat)
	newer := lastModified.Add(time.Hour).Format(http.TimeFormat)
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"etag", map[string]string{"If-None-Match": etag}, 304},
		{"weak etag", map[string]string{"If-None-Match": "W/" + etag}, 304},
		{"etag list", map[string]string{"If-None-Match": `"other", ` + etag}, 304},
		{"star", map[string]string{"If-None-Match": "*"}, 304},
		{"other etag", map[string]string{"If-None-Match": `"other"`}, 200},
		{"ims equal", map[string]string{"If-Modified-Since": lm}, 304},
		{"ims newer", map[string]string{"If-Modified-Since": newer}, 304},
		{"ims older", map[string]string{"If-Modified-Since": older}, 200},
		{"inm wins over ims", map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}, 200},
	}
	for _, c := range cases {
		r := fetch(t, client, http.MethodGet, srv.URL+path, c.hdr)
		if r.status != c.want {
			t.Errorf("%s: status %d, want %d", c.name, r.status, c.want)
		}
		if c.want == 304 && (r.body != "" || r.header.Get("ETag") != etag) {
			t.Errorf("%s: 304 with %d body bytes, ETag %q", c.name, len(r.body), r.header.Get("ETag"))
		}
		if c.want == 200 && r.body != full.body {
			t.Errorf("%s: body differs from unconditional GET", c.name)
		}
	}
	if h := fetch(t, client, http.MethodHead, srv.URL+path, map[string]string{"If-None-Match": etag}); h.status != 304 {
		t.Errorf("conditional HEAD: %d", h.status)
	}
	reqs := srv.Requests()
	if len(reqs) != 3+len(cases) {
		t.Fatalf("logged %d requests", len(reqs))
	}
	for i, rq := range reqs {
		if want := i >= 2; rq.Conditional != want {
			t.Errorf("request %d (%s): Conditional=%v, want %v", i, rq.Path, rq.Conditional, want)
		}
	}
	if reqs[2].Status != 304 {
		t.Errorf("log status %d, want 304", reqs[2].Status)
	}
}
