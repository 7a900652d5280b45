package testsite

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tests of what a site does on request: Revise, duplicate URLs, opaque URLs
// and links in bodies.

type urlSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

func TestRevise(t *testing.T) {
	t.Parallel()
	srv := startServer(t, Config{Articles: 40, Seed: 17})
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	orig := srv.Allowed()[3]
	path := orig.Path

	type state struct{ etag, lm, body, feedETag, sitemapETag string }
	snapshot := func() state {
		r := get(t, client, srv.URL+path)
		return state{r.header.Get("ETag"), r.header.Get("Last-Modified"), r.body,
			get(t, client, srv.URL+"/feed.xml").header.Get("ETag"),
			get(t, client, srv.URL+"/sitemap.xml").header.Get("ETag")}
	}
	before := snapshot()
	seen := map[string]bool{before.etag: true}
	prev := before
	for rev := 1; rev <= 2; rev++ {
		a, err := srv.Revise(path)
		if err != nil {
			t.Fatal(err)
		}
		wantPara := fmt.Sprintf("%s Revision %d.", CorrectionText, rev)
		if len(a.Paragraphs) != len(orig.Paragraphs)+rev || a.Paragraphs[len(a.Paragraphs)-1] != wantPara {
			t.Fatalf("revision %d: paragraphs end %q", rev, a.Paragraphs[len(a.Paragraphs)-1])
		}
		if !a.Modified.Equal(orig.Modified.Add(time.Duration(rev) * time.Hour)) {
			t.Errorf("revision %d: Modified %v, want %v", rev, a.Modified, orig.Modified.Add(time.Duration(rev)*time.Hour))
		}
		l, _ := srv.Lookup(path)
		fromAll := srv.Articles()[slices.IndexFunc(srv.Articles(), func(x Article) bool { return x.Path == path })]
		fromAllowed := srv.Allowed()[3]
		for _, got := range []Article{l, fromAll, fromAllowed} {
			if !slices.Equal(got.Paragraphs, a.Paragraphs) || !got.Modified.Equal(a.Modified) {
				t.Errorf("revision %d: getters return the unrevised article", rev)
			}
		}

		now := snapshot()
		if !strings.Contains(now.body, "<p>"+html.EscapeString(wantPara)+"</p>") {
			t.Errorf("revision %d: page lacks the correction", rev)
		}
		if seen[now.etag] || now.body == prev.body {
			t.Errorf("revision %d: body or ETag unchanged", rev)
		}
		seen[now.etag] = true
		if now.lm != a.Modified.Format(http.TimeFormat) {
			t.Errorf("revision %d: Last-Modified %q, want %v", rev, now.lm, a.Modified)
		}
		if now.feedETag == prev.feedETag && a.Modified.After(latest(srv.Articles()).Add(-time.Nanosecond)) {
			t.Errorf("revision %d: feed ETag unchanged although the article is now the newest modified", rev)
		}
		if now.sitemapETag == prev.sitemapETag {
			t.Errorf("revision %d: sitemap ETag unchanged (its lastmod changed)", rev)
		}
		// A cache holding the previous version must get the new one.
		if r := fetch(t, client, http.MethodGet, srv.URL+path, map[string]string{"If-None-Match": prev.etag}); r.status != 200 {
			t.Errorf("revision %d: stale ETag answered %d", rev, r.status)
		}
		if r := fetch(t, client, http.MethodGet, srv.URL+path, map[string]string{"If-Modified-Since": prev.lm}); r.status != 200 {
			t.Errorf("revision %d: stale If-Modified-Since answered %d", rev, r.status)
		}
		if r := fetch(t, client, http.MethodGet, srv.URL+path, map[string]string{"If-None-Match": now.etag}); r.status != 304 {
			t.Errorf("revision %d: current ETag answered %d", rev, r.status)
		}
		prev = now
	}
	if len(orig.Paragraphs) != len(srv.Allowed()[3].Paragraphs)-2 {
		t.Error("an earlier copy changed")
	}
	if _, err := srv.Revise("/no/such/article"); err == nil {
		t.Error("Revise of an unknown path succeeded")
	}

	// Deterministic: the same revisions on the same site give the same bytes.
	x, y := Generate(Config{Articles: 40, Seed: 17}), Generate(Config{Articles: 40, Seed: 17})
	for _, s := range []*Site{x, y} {
		s.Revise(path)
		s.Revise(path)
	}
	if !bytes.Equal(serve(x.Handler(), "GET", path).Body.Bytes(), serve(y.Handler(), "GET", path).Body.Bytes()) {
		t.Error("revised pages differ between identical sites")
	}
}

// TestReviseConcurrent is mostly for the race detector: revisions while
// pages, feeds and sitemaps are served and ground truth is read.
func TestReviseConcurrent(t *testing.T) {
	t.Parallel()
	s := Generate(Config{Articles: 30, Seed: 23})
	h := s.Handler()
	paths := articlePaths(s.Articles())
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 15 {
				p := paths[(g*7+k)%len(paths)]
				for _, target := range []string{p, "/mirror" + p, "/feed.xml", "/sitemap.xml", "/sitemaps/news.xml", "/"} {
					if rec := serve(h, "GET", target); rec.Code != http.StatusOK {
						t.Errorf("GET %s: %d", target, rec.Code)
					}
				}
				_ = s.Articles()
				_, _ = s.Lookup(p)
			}
		}()
	}
	for k := range 30 {
		if _, err := s.Revise(paths[k%5]); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	if got := len(s.Articles()[0].Paragraphs) - len(Generate(Config{Articles: 30, Seed: 23}).Articles()[0].Paragraphs); got != 6 {
		t.Errorf("article 0 has %d correction paragraphs, want 6", got)
	}
}

func TestDuplicates(t *testing.T) {
	cfg := Config{Articles: 60, Seed: 31, DisallowedEvery: 3}
	plain := Generate(cfg)
	cfg.Duplicates = true
	dup := Generate(cfg)

	home := serve(plain.Handler(), "GET", "/").Body.String()
	if strings.Contains(home, "/mirror/") || strings.Contains(home, "utm_source") {
		t.Error("homepage links duplicates without Config.Duplicates")
	}
	h := dup.Handler()
	home = serve(h, "GET", "/").Body.String()
	allowed := dup.Allowed()
	var wantLinks []string
	for _, a := range allowed[:10] {
		wantLinks = append(wantLinks, "/mirror"+a.Path, a.Path+"?utm_source=homepage&utm_medium=web&fbclid=abc123")
	}
	box := home[strings.Index(home, `<section class="more"`):]
	box = box[:strings.Index(box, "</section>")]
	var gotLinks []string
	for _, m := range hrefRE.FindAllStringSubmatch(box, -1) {
		gotLinks = append(gotLinks, html.UnescapeString(m[1]))
	}
	if !slices.Equal(gotLinks, wantLinks) {
		t.Errorf("More box links %q, want %q", gotLinks, wantLinks)
	}

	const base = "http://news.test"
	for _, a := range []Article{allowed[0], allowed[1], allowed[2], dup.Articles()[2]} { // the last one is disallowed
		orig := serve(h, "GET", a.Path)
		mirror := serve(h, "GET", "/mirror"+a.Path)
		if mirror.Code != http.StatusOK {
			t.Fatalf("mirror of %s: %d", a.Path, mirror.Code)
		}
		mb := mirror.Body.String()
		if strings.Contains(mb, `rel="canonical"`) || strings.Contains(mb, `property="og:url"`) || strings.Contains(mb, base+a.Path) {
			t.Errorf("mirror of %s reveals the original URL", a.Path)
		}
		// Identical apart from canonical, og:url and the self-references.
		want := orig.Body.String()
		want = strings.Replace(want, `<link rel="canonical" href="`+base+a.Path+"\">\n", "", 1)
		want = strings.Replace(want, `<meta property="og:url" content="`+base+a.Path+"\">\n", "", 1)
		want = strings.ReplaceAll(want, base+a.Path, base+"/mirror"+a.Path)
		want = strings.ReplaceAll(want, url.QueryEscape(base+a.Path), url.QueryEscape(base+"/mirror"+a.Path))
		if mb != want {
			t.Errorf("mirror of %s differs from the original beyond canonical/og:url/self URL", a.Path)
		}
		// Headline, byline, date and body are byte-identical.
		articleOf := func(page string) string {
			return page[strings.Index(page, `<header class="story-header">`):strings.Index(page, `<div class="share">`)] +
				page[strings.Index(page, `<div class="story-body">`):strings.Index(page, "</article>")]
		}
		if articleOf(mb) != articleOf(orig.Body.String()) {
			t.Errorf("mirror of %s: the article markup differs", a.Path)
		}
		if mirror.Header().Get("Last-Modified") != orig.Header().Get("Last-Modified") {
			t.Errorf("mirror of %s: Last-Modified differs", a.Path)
		}
		// Tracking parameters serve the original, canonical page.
		tracked := serve(h, "GET", a.Path+"?utm_source=homepage&utm_medium=web&fbclid=abc123")
		if tracked.Code != http.StatusOK || tracked.Body.String() != orig.Body.String() {
			t.Errorf("%s with tracking parameters: %d, same body %v", a.Path, tracked.Code, tracked.Body.String() == orig.Body.String())
		}
		// Mirrors exist whatever the config.
		if rec := serve(plain.Handler(), "GET", "/mirror"+a.Path); rec.Code != http.StatusOK {
			t.Errorf("mirror without Config.Duplicates: %d", rec.Code)
		}
	}
	for _, p := range []string{"/mirror/", "/mirror/nope", "/mirror/mirror" + allowed[0].Path} {
		if rec := serve(h, "GET", p); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}

	// A section literally named "mirror" keeps its own articles.
	odd := Generate(Config{Articles: 10, Seed: 1, Sections: []string{"mirror"}})
	for _, a := range odd.Articles() {
		if rec := serve(odd.Handler(), "GET", a.Path); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `rel="canonical"`) {
			t.Errorf("article %s in section mirror: %d", a.Path, rec.Code)
		}
	}
}

// TestOpaqueURLs checks that Config.OpaqueURLs moves every article to an
// opaque path, and nothing else.
func TestOpaqueURLs(t *testing.T) {
	const base = "http://news.test"
	cfg := Config{Articles: 40, Seed: 41, DisallowedEvery: 7}
	plain := Generate(cfg)
	cfg.OpaqueURLs = true
	opaque := Generate(cfg)
	cfg.LinkInBodies = true
	linked := Generate(cfg)

	h := opaque.Handler()
	feed := serve(h, "GET", "/feed.xml").Body.String()
	sitemap := serve(h, "GET", "/sitemap.xml").Body.String()
	home := serve(h, "GET", "/").Body.String()
	for i, a := range opaque.Articles() {
		p := plain.Articles()[i]
		if !opaquePathRE.MatchString(a.Path) || strings.HasPrefix(a.Path, "/private/") != a.Disallowed {
			t.Errorf("article %d at %q (disallowed %v), want /news/<16 hex>.html", i, a.Path, a.Disallowed)
		}
		// Only the path differs from the same site without OpaqueURLs.
		if a.Title != p.Title || !slices.Equal(a.Paragraphs, p.Paragraphs) || !a.Published.Equal(p.Published) {
			t.Errorf("article %d: OpaqueURLs changed more than its path", i)
		}
		if rec := serve(h, "GET", a.Path); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `rel="canonical" href="`+base+a.Path+`"`) {
			t.Errorf("GET %s: %d", a.Path, rec.Code)
		}
		if got := linked.Articles()[i].Path; got != a.Path {
			t.Errorf("article %d: LinkInBodies moved it from %s to %s", i, a.Path, got)
		}
		if i < feedItems && !strings.Contains(feed, "<link>"+base+a.Path+"</link>") {
			t.Errorf("feed does not list %s", a.Path)
		}
		if strings.Contains(sitemap, base+a.Path) == a.Disallowed {
			t.Errorf("sitemap lists %s: %v, want %v", a.Path, !a.Disallowed, a.Disallowed)
		}
		if i < homeLatest && !strings.Contains(home, `href="`+a.Path+`"`) {
			t.Errorf("homepage does not link %s", a.Path)
		}
	}
	if !strings.Contains(home, `href="/sitemap.xml"`) {
		t.Error("the footer does not link the sitemap")
	}
	quiet := Generate(Config{Articles: 5, NoSitemap: true})
	if page := serve(quiet.Handler(), "GET", "/").Body.String(); strings.Contains(page, "sitemap") {
		t.Error("the footer links the sitemap with Config.NoSitemap")
	}
	if rec := serve(quiet.Handler(), "GET", "/sitemap.xml"); rec.Code != http.StatusOK {
		t.Errorf("sitemap with Config.NoSitemap: %d, want still served", rec.Code)
	}
	if opaque.DeadLinks() != nil || strings.Contains(serve(h, "GET", opaque.Articles()[0].Path).Body.String(), "see-also") {
		t.Error("dead links without Config.LinkInBodies")
	}

}

// opaquePathRE matches the paths of Config.OpaqueURLs.
var opaquePathRE = regexp.MustCompile(`^(/private)?/news/[0-9a-f]{16}\.html$`)

// TestLinkInBodies checks the "See also" paragraph of Config.LinkInBodies:
// two other articles and a path shaped like an article's that answers 404.
func TestLinkInBodies(t *testing.T) {
	cfg := Config{Articles: 40, Seed: 41, DisallowedEvery: 7, OpaqueURLs: true, LinkInBodies: true}
	linked := Generate(cfg)
	again := Generate(cfg)
	dead := linked.DeadLinks()
	if len(dead) != cfg.Articles || !slices.Equal(dead, again.DeadLinks()) {
		t.Fatalf("%d dead links (deterministic: %v), want one per article", len(dead), slices.Equal(dead, again.DeadLinks()))
	}
	lh := linked.Handler()
	seeAlso := regexp.MustCompile(`<p class="see-also">See also: <a href="([^"]+)">[^<]+</a> and <a href="([^"]+)">[^<]+</a>\. <a href="([^"]+)">`)
	for i, a := range linked.Articles() {
		rec := serve(lh, "GET", a.Path)
		m := seeAlso.FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatalf("%s: no see-also paragraph", a.Path)
		}
		body := rec.Body.String()
		if story := body[strings.Index(body, `<div class="story-body">`):strings.Index(body, "</article>")]; !strings.Contains(story, m[0]) {
			t.Errorf("%s: the see-also links are outside the story body", a.Path)
		}
		for _, p := range m[1:3] {
			if _, ok := linked.Lookup(p); !ok || p == a.Path {
				t.Errorf("%s links %s, want another article", a.Path, p)
			}
		}
		if m[3] != dead[i] || !opaquePathRE.MatchString(m[3]) {
			t.Errorf("%s: dead link %s, want %s shaped like an article URL", a.Path, m[3], dead[i])
		}
		if rec := serve(lh, "GET", m[3]); rec.Code != http.StatusNotFound {
			t.Errorf("dead link %s: %d, want 404", m[3], rec.Code)
		}
	}
	// Without OpaqueURLs the dead links look like the site's dated URLs.
	dated := Generate(Config{Articles: 5, Seed: 41, LinkInBodies: true})
	for _, p := range dated.DeadLinks() {
		if !strings.Contains(p, "/2000/01/01/") || serve(dated.Handler(), "GET", p).Code != http.StatusNotFound {
			t.Errorf("dead link %s of a dated site", p)
		}
	}
}
