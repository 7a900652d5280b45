package testsite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Content types.
const (
	ctHTML = "text/html; charset=utf-8"
	ctRSS  = "application/rss+xml; charset=utf-8"
	ctXML  = "application/xml; charset=utf-8"
	ctText = "text/plain; charset=utf-8"
	ctCSS  = "text/css; charset=utf-8"
	ctJPEG = "image/jpeg"
	ctGzip = "application/x-gzip"
	ctPDF  = "application/pdf"
)

// requestInfo is the part of a request that influences rendered bytes.
type requestInfo struct {
	host string
	tls  bool
}

// page is a fully rendered response. Route handlers only produce pages;
// writePage turns them into HTTP responses (headers, HEAD, conditional GET).
type page struct {
	status       int
	contentType  string
	body         string
	lastModified time.Time // zero: no Last-Modified header
	etag         bool      // send a strong ETag derived from body
}

func notFound() page {
	return page{status: http.StatusNotFound, contentType: ctHTML, body: renderNotFound()}
}

func ok(contentType, body string) page {
	return page{status: http.StatusOK, contentType: contentType, body: body}
}

// route binds a net/http ServeMux pattern to either a renderer (the common
// case: a complete page written by writePage) or a raw handler that writes
// the response itself.
//
// To add behaviour (for example hostile modes such as slow bodies, redirect
// loops or malformed markup), add a route in routes, or wrap the handler
// returned by Handler. Routes needing control of the connection (partial
// writes, flushing, hijacking) set handler instead of render.
type route struct {
	pattern string
	render  func(r *http.Request) page
	handler http.Handler
}

func (s *Site) routes() []route {
	rs := []route{
		{pattern: "GET /{$}", render: s.readLocked(s.homePage)},
		{pattern: "GET /section/{name}", render: s.readLocked(s.sectionPage)},
		{pattern: "GET /feed.xml", render: s.readLocked(s.feedPage)},
		{pattern: "GET /sitemap.xml", render: s.readLocked(s.sitemapPage)},
		{pattern: "GET /sitemap_index.xml", render: s.readLocked(s.sitemapIndexPage)},
		{pattern: "GET /sitemaps/{file}", render: s.readLocked(s.sitemapFilePage)},
		{pattern: "GET /robots.txt", render: s.robotsPage},
		{pattern: "GET /static/site.css", render: func(*http.Request) page { return ok(ctCSS, styleSheet) }},
		{pattern: "GET /images/{file}", render: s.imagePage},
		{pattern: "GET /mirror/", render: s.readLocked(s.mirrorPage)},
		{pattern: "GET /", render: s.readLocked(s.articlePage)}, // everything else: articles or 404
	}
	rs = append(rs, s.hostileRoutes()...)
	for _, p := range staticPages {
		rs = append(rs, route{pattern: "GET /" + p.slug, render: func(r *http.Request) page {
			return ok(ctHTML, s.renderStatic(info(r), p))
		}})
	}
	return rs
}

// Handler returns the site's HTTP handler. Only GET and HEAD are allowed;
// HEAD responses carry the same headers as GET and no body.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		h := rt.handler
		if h == nil {
			h = pageHandler(rt.render)
		}
		mux.Handle(rt.pattern, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writePage(w, r, page{status: http.StatusMethodNotAllowed, contentType: ctHTML,
				body: renderError("Method not allowed", notAllowedText)})
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// readLocked wraps a renderer that reads articles, so Revise cannot change
// them halfway through a page.
func (s *Site) readLocked(render func(*http.Request) page) func(*http.Request) page {
	return func(r *http.Request) page {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return render(r)
	}
}

func pageHandler(render func(*http.Request) page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writePage(w, r, render(r)) })
}

func info(r *http.Request) requestInfo { return requestInfo{host: r.Host, tls: r.TLS != nil} }

// writePage writes p, honouring HEAD, If-None-Match and If-Modified-Since.
// Headers already set on w (Location, Retry-After, ...) are kept.
func writePage(w http.ResponseWriter, r *http.Request, p page) {
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	etag := ""
	if p.etag {
		etag = bodyETag(p.body)
		h.Set("ETag", etag)
	}
	if !p.lastModified.IsZero() {
		h.Set("Last-Modified", p.lastModified.UTC().Format(http.TimeFormat))
	}
	if p.status == http.StatusOK && notModified(r, etag, p.lastModified) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(p.body)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, p.body)
	}
}

// bodyETag is a strong validator: it changes whenever a byte of the body does
// (including the Host-dependent absolute URLs).
func bodyETag(body string) string {
	sum := sha256.Sum256([]byte(body))
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// notModified evaluates the request's validators against the representation
// (RFC 9110 section 13.2.2): If-None-Match, when present, decides alone;
// otherwise If-Modified-Since matches when the resource is not newer.
func notModified(r *http.Request, etag string, lastModified time.Time) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		for _, list := range inm {
			for _, tag := range strings.Split(list, ",") {
				tag = strings.TrimSpace(tag)
				// GET uses the weak comparison: a W/ prefix does not matter.
				if tag == "*" || (etag != "" && strings.TrimPrefix(tag, "W/") == etag) {
					return true
				}
			}
		}
		return false
	}
	if lastModified.IsZero() {
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	// Last-Modified has second precision, so compare at that precision.
	return err == nil && !lastModified.Truncate(time.Second).After(ims)
}

func (s *Site) homePage(r *http.Request) page { return ok(ctHTML, s.renderHome(info(r))) }

func (s *Site) sectionPage(r *http.Request) page {
	pageNum := 1
	if q := r.URL.Query(); q.Has("page") {
		n, err := strconv.Atoi(q.Get("page"))
		if err != nil {
			return notFound()
		}
		pageNum = n
	}
	body, found := s.renderSection(info(r), r.PathValue("name"), pageNum)
	if !found {
		return notFound()
	}
	return ok(ctHTML, body)
}

func (s *Site) articlePage(r *http.Request) page {
	i, found := s.byPath[r.URL.Path]
	if !found {
		return notFound()
	}
	return s.articleResponse(info(r), i, false)
}

// mirrorPage serves /mirror{path}: the article at path, as a duplicate.
func (s *Site) mirrorPage(r *http.Request) page {
	if _, real := s.byPath[r.URL.Path]; real {
		return s.articlePage(r) // a section named "mirror" keeps its articles
	}
	i, found := s.byPath[strings.TrimPrefix(r.URL.Path, mirrorPrefix)]
	if !found {
		return notFound()
	}
	return s.articleResponse(info(r), i, true)
}

// articleResponse renders article i with its validators. The caller holds
// s.mu for reading.
func (s *Site) articleResponse(req requestInfo, i int, mirror bool) page {
	p := ok(ctHTML, s.renderArticle(req, i, mirror))
	p.lastModified = s.articles[i].Modified
	p.etag = true
	return p
}

// cacheable marks a feed or sitemap page for conditional GET.
func cacheable(p page, lastModified time.Time) page {
	p.lastModified = lastModified
	p.etag = true
	return p
}

func (s *Site) feedPage(r *http.Request) page {
	return cacheable(ok(ctRSS, s.renderFeed(info(r))), s.latestModified(false))
}

func (s *Site) sitemapPage(r *http.Request) page {
	return cacheable(ok(ctXML, s.renderSitemap(info(r))), s.latestModified(true))
}

func (s *Site) sitemapIndexPage(r *http.Request) page {
	return cacheable(ok(ctXML, s.renderSitemapIndex(info(r))), s.latestModified(true))
}

// sitemapFilePage serves the children of /sitemap_index.xml.
func (s *Site) sitemapFilePage(r *http.Request) page {
	req := info(r)
	switch r.PathValue("file") {
	case "articles-1.xml.gz", "articles-2.xml.gz":
		half := s.sitemapHalf(r.PathValue("file") == "articles-2.xml.gz")
		return cacheable(ok(ctGzip, gzipString(s.renderURLSet(req, half))), s.latestOf(half))
	case "news.xml":
		idx := s.newsArticles()
		return cacheable(ok(ctXML, s.renderNewsSitemap(req, idx)), s.latestOf(idx))
	}
	return notFound()
}

func (s *Site) robotsPage(r *http.Request) page { return ok(ctText, s.renderRobots(info(r))) }

func (s *Site) imagePage(r *http.Request) page {
	name := r.PathValue("file")
	if !s.images[name] || !strings.HasSuffix(name, ".jpg") {
		return notFound()
	}
	return ok(ctJPEG, placeholderJPEG(name))
}

// placeholderJPEG renders a small deterministic gradient image.
func placeholderJPEG(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for y := range 36 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(h) + uint8(x*2), uint8(h>>8) + uint8(y*3), uint8(h >> 16), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 60}); err != nil {
		panic(err) // cannot happen: in-memory writer
	}
	return buf.String()
}
