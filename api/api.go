// Package api is Newsline's HTTP edge: the JSON REST API, the web page,
// health checks. Domain errors become HTTP statuses in one table here
// (errors.go); every route is listed in Handler.
package api

import (
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/internal/metrics"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// Server serves the API. Build it with its fields set, then use Handler.
type Server struct {
	DB     *store.DB
	Redis  redis.UniversalClient
	Logger *slog.Logger
	// BaseURL is the absolute URL readers reach the server at, without a
	// trailing slash (config.Config.BaseURL); feeds and pages link with it.
	BaseURL string
	// Podcast is what the podcast feeds say of themselves, and AudioDir
	// where the episodes' files are; an empty AudioDir turns the podcast
	// routes into 404s.
	Podcast config.Podcast
	// Signup lets anyone create an account (NEWSLINE_SIGNUP=open); when
	// false, accounts come from the CLI (newsline users add).
	Signup bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (NEWSLINE_TRUSTED_PROXIES): the
	// client's address for rate limits, HTTPS for the Secure cookie.
	TrustedProxies []netip.Prefix
	// RateLimits of logins and sign-ups; zero fields are the defaults.
	RateLimits RateLimits
	// Crawls queues a crawl now (POST /api/v1/sites/{host}/crawl); nil
	// answers 503.
	Crawls CrawlQueue
	// Metrics is the process's (GET /metrics); nil: a registry of the
	// server's own.
	Metrics *metrics.Metrics

	searcher   *search.Searcher
	web        *webUI
	trending   trendingCache // the web page's
	init       sync.Once
	cache      serverCaches
	flight     singleflight.Group // one build of a feed or search at a time
	started    time.Time          // an empty feed's updated time
	podcastArt podcastArt         // the generated cover
	writes     recentWrites       // credentials that wrote lately (replica.go)
}

// setup makes what Handler and Run share, whichever comes first.
func (s *Server) setup() {
	s.init.Do(func() {
		s.searcher = search.New(s.DB.Reads())
		ui, err := newWebUI()
		if err != nil {
			panic(err) // the templates are embedded: a bug any test finds
		}
		s.web = ui
		s.cache = serverCaches{
			feeds:    newResponseCache(feedCacheEntries, feedCacheBytes),
			searches: newResponseCache(searchCacheEntries, searchCacheBytes),
		}
		s.started = time.Now().UTC().Truncate(time.Second)
		if s.Metrics == nil {
			s.Metrics = metrics.New()
		}
		s.Metrics.CacheCounts("feeds", s.cache.feeds.hits.Load, s.cache.feeds.misses.Load)
		s.Metrics.CacheCounts("searches", s.cache.searches.hits.Load, s.cache.searches.misses.Load)
		s.Metrics.Pool("primary", s.DB.Pool)
	})
}

func (s *Server) caches() serverCaches {
	s.setup()
	return s.cache
}

// Handler returns the routes. A GET route answers HEAD too; a path that
// exists with another method is a 405 with Allow, any other path a 404,
// both in the JSON error shape (errors.go).
func (s *Server) Handler() http.Handler {
	s.setup()
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, routed(rt.pattern, rt.handler))
	}
	return s.recoverer(s.logRequests(s.securityHeaders(s.crossOrigin(s.checkRequest(s.routeReads(s.muxErrors(mux)))))))
}

// Routes returns the patterns Handler serves, in net/http.ServeMux syntax
// ("GET /api/v1/articles/{id}"): the list the OpenAPI document is tested
// against, in both directions.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// route is one of Handler's patterns and what serves it.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes is the one list of routes.
func (s *Server) routes() []route {
	rs := []route{
		{"GET /api/v1/openapi.json", s.openAPI},
		{"GET /api/v1/articles", s.listArticles},
		{"GET /api/v1/articles/{id}", s.getArticle},
		{"GET /api/v1/search", s.search},
		{"GET /api/v1/trending", s.getTrending},
		{"GET /api/v1/sites", s.listSites},
		{"GET /api/v1/sites/{host}", s.getSite},
		{"POST /api/v1/sites", s.withAdmin(s.addSite)},
		{"PATCH /api/v1/sites/{host}", s.withAdmin(s.patchSite)},
		{"DELETE /api/v1/sites/{host}", s.withAdmin(s.deleteSite)},
		{"POST /api/v1/sites/{host}/crawl", s.withAdmin(s.crawlSite)},
		{"GET /api/v1/authors", s.listAuthors},
		{"GET /api/v1/authors/{author}", s.getAuthor},
		{"GET /healthz", s.healthz},
		{"GET /readyz", s.readyz},
		{"GET /metrics", s.serveMetrics},
		{"GET /{$}", s.withViewer(s.home)},
		{"GET /search", s.withViewer(s.searchPage)},
		{"GET /articles/{id}", s.withViewer(s.articlePage)},
		{"GET /style.css", s.serveStyle},
		{"GET /sites/{name}", s.withViewer(s.listingPage("site"))},
		{"GET /authors/{name}", s.withViewer(s.listingPage("author"))},
		{"GET /sections/{name}", s.withViewer(s.listingPage("section"))},
	}
	rs = append(rs, s.accountRoutes()...)
	rs = append(rs, s.webAccountRoutes()...)
	rs = append(rs, s.feedRoutes()...)
	rs = append(rs, s.podcastRoutes()...)
	rs = append(rs, s.personalFeedRoutes()...)
	return append(rs, iconRoutes()...)
}

// checkRequest refuses a malformed query string, which net/url would
// otherwise drop silently, answering as if the parameter were absent, and
// a path or parameter that is not UTF-8 or holds a NUL, which no name or
// query has and PostgreSQL would refuse.
func (s *Server) checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			s.error(w, r, newsline.Errorf(newsline.EINVALID, "malformed query string: %v", err))
			return
		}
		if bad := badText(r.URL.Path); bad != "" {
			s.error(w, r, newsline.Errorf(newsline.EINVALID, "the path %s", bad))
			return
		}
		for name, values := range q {
			if bad := badText(name); bad != "" {
				s.error(w, r, newsline.Errorf(newsline.EINVALID, "a query parameter's name %s", bad))
				return
			}
			for _, v := range values {
				if bad := badText(v); bad != "" {
					s.error(w, r, newsline.Errorf(newsline.EINVALID, "query parameter %q %s", name, bad))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// badText says what is wrong with s for a request, or "".
func badText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL byte"
	}
	return ""
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.ErrorContext(r.Context(), "panic in handler", "route", routeOf(r), "panic", v, "stack", string(debug.Stack()))
				s.error(w, r, newsline.Errorf(newsline.EINTERNAL, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
