package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"
	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline"
)

// How discovery found an article candidate.
const (
	OriginFeed    = "feed"    // an entry of an RSS or Atom feed
	OriginSitemap = "sitemap" // an entry of a sitemap or news sitemap
	OriginPage    = "page"    // a link on a page
)

// Source is what discovery learned about one feed or sitemap.
type Source struct {
	Kind   string // feed or sitemap
	Status int
	Validator
}

// Discovery is what a crawl of a site's feeds, sitemaps and start pages
// found.
type Discovery struct {
	// Articles are the normalized candidate article URLs: the entries of
	// feeds and sitemaps first (newest sources first), then the links found
	// on pages. Empty when DiscoverOptions.Candidates takes them.
	Articles []string
	// Origin tells how each of Articles was found: OriginFeed,
	// OriginSitemap or OriginPage.
	Origin map[string]string
	// Found counts the candidates found: len(Articles), or those handed
	// to DiscoverOptions.Candidates (a URL found again after it left the
	// bounded set of recent ones counts twice).
	Found       int
	Pages       int // pages fetched
	Kept        int // of which pages that turned out to be articles, kept by DiscoverOptions.Article
	NotModified int // feeds and sitemaps that answered 304
	Failures    map[string]int
	Sources     map[string]Source // feeds and sitemaps by URL, with their new validators
}

// DiscoverOptions connect discovery to what its caller knows and keeps.
// Every field may be left zero.
type DiscoverOptions struct {
	// Prior holds validators from the previous crawl, so unchanged feeds
	// and sitemaps cost a 304.
	Prior map[string]Validator
	// Known reports which of urls are recorded as article candidates
	// already; discovery leaves them to their fetch tasks and does not read
	// them.
	Known func(ctx context.Context, urls []string) (map[string]bool, error)
	// Article is handed each page discovery reads beyond the start pages,
	// feeds and sitemaps (a link the URL heuristic took for an index page)
	// with the normalized URL it was asked for. It reports whether the page
	// is an article, which it then keeps (extracts and stores): the page is
	// not fetched again, and its links are followed only if the site sets
	// FollowArticleLinks. An error leaves the URL to a fetch task.
	Article func(ctx context.Context, rawURL string, p *Page) (bool, error)
	// Candidates, when set, is handed the candidates as discovery finds
	// them, in batches of up to CandidateBatch URLs of one origin, instead
	// of collecting them in Discovery.Articles: discovery then holds only
	// a bounded set of recent URLs, whatever the size of the site's
	// sitemaps, so Candidates may be handed a URL again and must take
	// repeats (store.DB.AddURLsFrom does), and a link a feed or sitemap
	// lists too comes again with that origin. Every batch is handed over
	// before the walk looks up Known URLs. An error ends discovery.
	Candidates func(ctx context.Context, origin string, urls []string) error
}

// Bounds of streaming discovery (DiscoverOptions.Candidates).
const (
	// CandidateBatch is the most URLs one Candidates call is handed.
	CandidateBatch = 500
	// recentCandidates is how many recent candidates discovery remembers
	// to skip repeats.
	recentCandidates = 4096
)

// link is a page queued for the walk.
type link struct {
	url   string
	depth int
}

// discovery is the state of one Discover call.
type discovery struct {
	cr       *Crawler
	site     newsline.Site
	opts     DiscoverOptions
	cls      *Classifier
	sendCtx  context.Context
	client   *http.Client
	maxDepth int
	d        *Discovery

	seen     *recentSet          // candidates found, by origin: all of them, or the recent ones when streaming
	batches  map[string][]string // streaming: candidates not yet handed over, by origin
	sendErr  error               // streaming: the first Candidates error
	visited  map[string]bool     // pages requested
	answered map[string]bool     // pages requested that answered
	queued   map[string]bool     // pages in queue
	queue    []link              // index pages to walk, breadth-first
	sitemaps []string
	firstErr error
}

// Discover reads a site's feeds, sitemaps and start pages, follows index
// pages up to the site's depth, and returns the article candidates it
// found. Feed and sitemap entries are candidates whatever their URL looks
// like; links on pages are by the site's patterns or the URL heuristic.
// It never leaves the site's hosts, obeys robots.txt, fetches at most
// site.MaxPages pages, and never reads a candidate: fetch tasks do.
func (cr *Crawler) Discover(ctx context.Context, site newsline.Site, opts DiscoverOptions) (*Discovery, error) {
	w := &discovery{cr: cr, site: site, opts: opts, sendCtx: ctx,
		d:    &Discovery{Origin: map[string]string{}, Failures: map[string]int{}, Sources: map[string]Source{}},
		seen: newRecentSet(0), batches: map[string][]string{}, visited: map[string]bool{}, answered: map[string]bool{}, queued: map[string]bool{}}
	if opts.Candidates != nil {
		w.seen = newRecentSet(recentCandidates)
	}
	var err error
	if w.cls, err = NewClassifier(site); err != nil {
		return w.d, err
	}
	w.maxDepth = site.MaxDepth
	if w.maxDepth <= 0 {
		w.maxDepth = cr.opts.MaxDepth
	}
	c, client := cr.collector(ctx, site)
	w.client = client
	if site.MaxPages > 0 {
		c.MaxRequests = uint32(site.MaxPages)
	}
	w.hook(ctx, c)

	for _, f := range site.Feeds {
		w.visit(ctx, c, f, "feed", 1)
	}
	for _, s := range site.StartURLs {
		w.visit(ctx, c, s, "page", 1)
	}
	// Then sitemaps (feeds and front pages list the newest articles, and
	// URLs are fetched in the order found); indexes add more sitemaps as
	// they are read. All of them before the walk, so it knows every listed
	// candidate and reads none of them.
	if base := firstOf(site.StartURLs, site.Feeds); base != "" {
		if u, err := url.Parse(base); err == nil {
			w.sitemaps = append(w.sitemaps, cr.robots.get(ctx, client, cr.opts.UserAgent, u.Scheme+"://"+u.Host).sitemaps()...)
		}
	}
	for i := 0; i < len(w.sitemaps) && ctx.Err() == nil; i++ {
		if u, err := url.Parse(w.sitemaps[i]); err == nil && site.AllowsHost(u.Host) {
			w.visit(ctx, c, w.sitemaps[i], "sitemap", 1)
		}
	}
	if err := w.walk(ctx, c); err != nil {
		return w.d, err
	}
	if err := ctx.Err(); err != nil {
		return w.d, err
	}
	if err := w.flush(ctx); err != nil {
		return w.d, err
	}
	w.order()
	if w.d.Pages == 0 && w.firstErr != nil {
		return w.d, fmt.Errorf("crawler: discover %s: nothing could be fetched: %w", site.Host, w.firstErr)
	}
	return w.d, nil
}

// walk reads the queued index pages level by level. The crawler walks
// them itself, breadth-first, so a page is read at its shortest depth
// (colly's synchronous recursion is depth-first), and with a visited set of
// its own (a clone shares its parent's, which would make the next crawl
// skip every page this one read). URLs recorded by earlier crawls are
// looked up once per level. MaxRequests bounds the walk with the rest of
// discovery.
func (w *discovery) walk(ctx context.Context, c *colly.Collector) error {
	known := map[string]bool{}
	checked := 0 // queue[:checked] were looked up with Known
	for i := 0; i < len(w.queue) && ctx.Err() == nil; i++ {
		if i == checked && w.opts.Known != nil {
			// Streamed candidates are recorded before they are looked up.
			if err := w.flush(ctx); err != nil {
				return err
			}
			var batch []string
			for _, l := range w.queue[i:] {
				if !w.seen.has(l.url) && !w.visited[l.url] {
					batch = append(batch, l.url)
				}
			}
			k, err := w.opts.Known(ctx, batch)
			if err != nil {
				return fmt.Errorf("crawler: discover %s: %w", w.site.Host, err)
			}
			for u := range k {
				known[u] = true
			}
			checked = len(w.queue)
		}
		if l := w.queue[i]; !w.seen.has(l.url) && !known[l.url] {
			w.visit(ctx, c, l.url, "page", l.depth)
		}
	}
	return nil
}

// order puts the listed candidates before the linked ones, each in the
// order found.
func (w *discovery) order() {
	listed := make([]string, 0, len(w.d.Articles))
	var linked []string
	for _, u := range w.d.Articles {
		if w.d.Origin[u] == OriginPage {
			linked = append(linked, u)
		} else {
			listed = append(listed, u)
		}
	}
	w.d.Articles = append(listed, linked...)
}

// add records raw as a candidate found in origin, if the site's rules
// make it one. A link later listed by a feed or sitemap takes that origin.
// A page discovery read itself is no candidate: it was kept as an article,
// or read as a start or index page.
func (w *discovery) add(raw, origin string) {
	n, err := Normalize(raw)
	if err != nil || w.answered[n] {
		return
	}
	if was, ok := w.seen.get(n); ok {
		if was == OriginPage && origin != OriginPage {
			w.seen.set(n, origin)
			if w.opts.Candidates != nil {
				w.send(n, origin)
			} else {
				w.d.Origin[n] = origin
			}
		}
		return
	}
	u, _ := url.Parse(n)
	if !w.site.AllowsHost(u.Host) {
		return
	}
	if origin == OriginPage && !w.cls.IsArticle(u) || origin != OriginPage && !w.cls.IsListed(u) {
		return
	}
	w.candidate(n, origin)
}

func (w *discovery) candidate(n, origin string) {
	w.seen.set(n, origin)
	w.d.Found++
	if w.opts.Candidates != nil {
		w.send(n, origin)
		return
	}
	w.d.Origin[n] = origin
	w.d.Articles = append(w.d.Articles, n)
}

// visit requests raw once, with kind (feed, sitemap or page) and depth in
// its context.
func (w *discovery) visit(ctx context.Context, c *colly.Collector, raw, kind string, depth int) {
	n, err := Normalize(raw)
	if err != nil || w.visited[n] {
		return
	}
	w.visited[n] = true
	cctx := colly.NewContext()
	cctx.Put("kind", kind)
	cctx.Put("depth", strconv.Itoa(depth))
	cctx.Put("url", n)
	if err := c.Request(http.MethodGet, raw, nil, cctx, w.opts.Prior[raw].header()); err != nil {
		if errors.Is(err, colly.ErrMaxRequests) {
			return
		}
		fe := classify(raw, err)
		w.fail(fe)
		w.cr.opts.Logger.WarnContext(ctx, "discovery fetch failed", "site", w.site.Host, "url", raw, "reason", fe.Reason, "err", err)
	}
}

func (w *discovery) fail(fe *FetchError) {
	w.d.Failures[fe.Reason]++
	if w.firstErr == nil {
		w.firstErr = fe
	}
}

// hook installs the collector's callbacks: robots.txt and politeness
// before each request, then reading what came back.
func (w *discovery) hook(ctx context.Context, c *colly.Collector) {
	site, cr := w.site, w.cr
	c.OnRequest(func(r *colly.Request) {
		if !site.AllowsHost(r.URL.Host) {
			r.Abort()
			return
		}
		delay, ferr := cr.checkRobots(ctx, w.client, site, r.URL)
		if ferr != nil {
			w.fail(ferr)
			r.Abort()
			return
		}
		release, err := cr.acquire(ctx, site, r.URL.Host, delay)
		if err != nil {
			r.Abort()
			return
		}
		r.Ctx.Put("release", sync.OnceFunc(release))
	})
	releaseOf := func(ctx *colly.Context) {
		if f, ok := ctx.GetAny("release").(func()); ok {
			f()
		}
	}
	c.OnError(func(r *colly.Response, err error) { releaseOf(r.Ctx) })
	c.OnResponse(func(r *colly.Response) {
		releaseOf(r.Ctx)
		w.read(ctx, r)
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if e.Request.Ctx.Get("article") != "" && !site.FollowArticleLinks {
			return
		}
		abs := e.Request.AbsoluteURL(e.Attr("href"))
		if abs == "" {
			return
		}
		n, err := Normalize(abs)
		if err != nil {
			return
		}
		u, _ := url.Parse(n)
		if !site.AllowsHost(u.Host) {
			return
		}
		if w.cls.IsArticle(u) {
			w.add(n, OriginPage)
			return
		}
		depth, _ := strconv.Atoi(e.Request.Ctx.Get("depth"))
		if depth < w.maxDepth && !w.queued[n] {
			w.queued[n] = true
			w.queue = append(w.queue, link{n, depth + 1})
		}
	})
}

// read handles one response: a feed's or sitemap's entries become
// candidates; a page read in the walk is offered to DiscoverOptions.Article
// before its links are followed (by the OnHTML callback, which colly runs
// after this one).
func (w *discovery) read(ctx context.Context, r *colly.Response) {
	d, site, cr := w.d, w.site, w.cr
	d.Pages++
	w.answered[r.Ctx.Get("url")] = true
	kind := r.Ctx.Get("kind")
	if kind == "feed" || kind == "sitemap" {
		d.Sources[r.Request.URL.String()] = Source{Kind: kind, Status: r.StatusCode,
			Validator: Validator{ETag: r.Headers.Get("ETag"), LastModified: r.Headers.Get("Last-Modified")}}
	}
	switch {
	case r.StatusCode == http.StatusNotModified:
		d.NotModified++
		return
	case r.StatusCode >= 300:
		d.Failures[fmt.Sprintf("status_%d", r.StatusCode)]++
		return
	case len(r.Body) > cr.opts.MaxBodyBytes:
		d.Failures[ReasonTooLarge]++
		return
	}
	if kind == "sitemap" || looksLikeSitemap(r.Body) {
		// Entries read before a syntax error are kept: a truncated
		// sitemap still lists what it lists.
		err := parseSitemap(r.Body,
			func(child string) { w.sitemaps = append(w.sitemaps, child) },
			func(p string) { w.add(p, OriginSitemap) })
		if err != nil {
			d.Failures["bad_sitemap"]++
			cr.opts.Logger.WarnContext(ctx, "unreadable sitemap", "site", site.Host, "url", r.Request.URL.String(), "err", err)
		}
		return
	}
	if kind == "feed" || looksLikeFeed(r.Headers.Get("Content-Type"), r.Body) {
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(r.Body))
		if err != nil {
			d.Failures["bad_feed"]++
			cr.opts.Logger.WarnContext(ctx, "unreadable feed", "site", site.Host, "url", r.Request.URL.String(), "err", err)
			return
		}
		for _, it := range feed.Items {
			for _, l := range append([]string{it.Link}, it.Links...) {
				if l != "" {
					w.add(r.Request.AbsoluteURL(l), OriginFeed)
					break
				}
			}
		}
		return
	}
	if depth, _ := strconv.Atoi(r.Ctx.Get("depth")); depth > 1 && w.opts.Article != nil {
		w.offer(ctx, r)
	}
}

// offer hands a page of the walk to DiscoverOptions.Article, and marks it
// an article when it is one.
func (w *discovery) offer(ctx context.Context, r *colly.Response) {
	p := &Page{URL: r.Request.URL.String(), Status: r.StatusCode, ContentType: r.Headers.Get("Content-Type"),
		ETag: r.Headers.Get("ETag"), LastModified: r.Headers.Get("Last-Modified"), Body: r.Body}
	if checkPage(p.URL, p, w.cr.opts.MaxBodyBytes) != nil {
		return
	}
	n := r.Ctx.Get("url")
	article, err := w.opts.Article(ctx, n, p)
	switch {
	case err != nil:
		// Nothing is lost: its fetch task reads it again.
		w.cr.opts.Logger.WarnContext(ctx, "keeping an article found in discovery failed", "site", w.site.Host, "url", n, "err", err)
		w.candidate(n, OriginPage)
		r.Ctx.Put("article", "1")
	case article:
		w.d.Kept++
		r.Ctx.Put("article", "1")
	}
}

func firstOf(lists ...[]string) string {
	for _, l := range lists {
		if len(l) > 0 {
			return l[0]
		}
	}
	return ""
}

func looksLikeFeed(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "rss") || strings.Contains(ct, "atom") {
		return true
	}
	head := body[:min(len(body), 512)]
	return (strings.Contains(ct, "xml") || ct == "") && (bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")))
}

// looksLikeSitemap sniffs a sitemap, whatever link led to it.
func looksLikeSitemap(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}
