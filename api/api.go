// Package api is Newsline's HTTP edge: the JSON REST API, the web page,
// health checks. Domain errors become HTTP statuses in one table here.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
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

	searcher *search.Searcher
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	s.searcher = search.New(s.DB.Pool)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/articles", s.listArticles)
	mux.HandleFunc("GET /api/v1/articles/{id}", s.getArticle)
	mux.HandleFunc("GET /api/v1/search", s.search)
	mux.HandleFunc("GET /api/v1/trending", s.trending)
	mux.HandleFunc("GET /api/v1/sites", s.listSites)
	mux.HandleFunc("GET /api/v1/sites/{host}", s.getSite)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, newsline.Errorf(newsline.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return s.recoverer(s.logRequests(s.checkQuery(mux)))
}

// checkQuery refuses a malformed query string, which net/url would
// otherwise drop silently, answering as if the parameter were absent.
func (s *Server) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			s.error(w, r, newsline.Errorf(newsline.EINVALID, "malformed query string: %v", err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	newsline.EINVALID:      http.StatusBadRequest,
	newsline.ENOTFOUND:     http.StatusNotFound,
	newsline.ECONFLICT:     http.StatusConflict,
	newsline.EUNAUTHORIZED: http.StatusUnauthorized,
	newsline.EUNAVAILABLE:  http.StatusServiceUnavailable,
	newsline.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := newsline.ErrorCode(err)
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = newsline.ErrorMessage(err)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic in handler", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.error(w, r, errors.New("panic"))
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

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.Logger.Debug("http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

// intParam reads an optional integer query parameter.
func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, newsline.Errorf(newsline.EINVALID, "%s must be a whole number, got %q", name, v)
	}
	return n, nil
}

// ArticleJSON is the API's representation of an article.
type ArticleJSON struct {
	ID           int64             `json:"id"`
	Site         string            `json:"site"`
	URL          string            `json:"url"`
	CanonicalURL string            `json:"canonical_url"`
	Title        string            `json:"title"`
	Authors      []string          `json:"authors"`
	PublishedAt  *time.Time        `json:"published_at"`
	Excerpt      string            `json:"excerpt"`
	ImageURL     string            `json:"image_url,omitempty"`
	Language     string            `json:"language,omitempty"`
	WordCount    int               `json:"word_count"`
	FetchedAt    time.Time         `json:"fetched_at"`
	Section      string            `json:"section,omitempty"`
	Keywords     []string          `json:"keywords"`
	Summary      string            `json:"summary,omitempty"`
	Kind         string            `json:"kind"`
	KindReason   string            `json:"kind_reason,omitempty"`
	Completeness float64           `json:"completeness"`
	Sources      map[string]string `json:"field_sources,omitempty"`
	Text         string            `json:"text,omitempty"`
	HTML         string            `json:"html,omitempty"`
}

func articleJSON(a newsline.Article) ArticleJSON {
	authors := a.Authors
	if authors == nil {
		authors = []string{}
	}
	return ArticleJSON{
		ID: a.ID, Site: a.Site, URL: a.URL, CanonicalURL: a.CanonicalURL, Title: a.Title, Authors: authors,
		PublishedAt: a.PublishedAt, Excerpt: a.Excerpt, ImageURL: a.ImageURL, Language: a.Language,
		WordCount: a.WordCount, FetchedAt: a.FetchedAt, Text: a.Text, HTML: a.HTML,
		Section: a.Section, Keywords: nonNil(a.Keywords), Summary: a.Summary, Kind: a.Kind, KindReason: a.KindReason,
		Completeness: a.Completeness, Sources: a.Sources,
	}
}

func (s *Server) listArticles(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 20)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if limit < 1 || limit > store.MaxPageSize {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", store.MaxPageSize))
		return
	}
	q := r.URL.Query()
	all := q.Get("kind") == "all"
	if k := q.Get("kind"); k != "" && k != "all" && k != "article" {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "kind must be article (the default) or all, got %q", k))
		return
	}
	page, err := s.DB.Articles(r.Context(), store.ListParams{Site: q.Get("site"), Cursor: q.Get("cursor"), Limit: limit, AllKinds: all})
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := struct {
		Articles   []ArticleJSON `json:"articles"`
		NextCursor string        `json:"next_cursor,omitempty"`
	}{Articles: []ArticleJSON{}, NextCursor: page.NextCursor}
	for _, a := range page.Articles {
		out.Articles = append(out.Articles, articleJSON(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "article id must be a positive whole number, got %q", r.PathValue("id")))
		return
	}
	a, err := s.DB.Article(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, articleJSON(a))
}

// dateParam reads an optional date (2026-11-19) or time (RFC 3339).
func dateParam(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, newsline.Errorf(newsline.EINVALID, "%s must be a date such as 2026-11-19 or a time such as 2026-11-19T08:00:00Z, got %q", name, v)
}

// searchParams reads a search request's query string.
func searchParams(r *http.Request) (search.Params, error) {
	q := r.URL.Query()
	p := search.Params{Query: q.Get("q"), Site: q.Get("site"), Author: q.Get("author"), Language: q.Get("language"),
		Section: q.Get("section"), Sort: q.Get("sort"), Cursor: q.Get("cursor"), Facets: q.Get("facets") == "true"}
	var err error
	if p.Limit, err = intParam(r, "limit", search.DefaultLimit); err != nil {
		return p, err
	}
	if p.Offset, err = intParam(r, "offset", 0); err != nil {
		return p, err
	}
	if p.From, err = dateParam(r, "from"); err != nil {
		return p, err
	}
	if p.To, err = dateParam(r, "to"); err != nil {
		return p, err
	}
	if v := q.Get("recency"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return p, newsline.Errorf(newsline.EINVALID, "recency must be a number from 0 to %d, got %q", search.MaxRecency, v)
		}
		p.Recency = &f
	}
	return p, nil
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	p, err := searchParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.searcher.Query(r.Context(), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	type hit struct {
		ArticleJSON
		Rank     float64 `json:"rank"`
		Headline string  `json:"headline"`
	}
	type facet struct {
		Value string `json:"value"`
		Count int64  `json:"count"`
	}
	out := struct {
		Query        string             `json:"query"`
		Results      []hit              `json:"results"`
		NextOffset   *int               `json:"next_offset,omitempty"`
		NextCursor   string             `json:"next_cursor,omitempty"`
		Facets       map[string][]facet `json:"facets,omitempty"`
		FacetsCapped bool               `json:"facets_capped,omitempty"`
		Total           int64      `json:"total"`
		TotalIsEstimate bool       `json:"total_is_estimate"`
		Since           *time.Time `json:"searched_since,omitempty"`
		Ranked          int        `json:"ranked,omitempty"`
	}{Query: res.Query, Results: []hit{}, NextCursor: res.NextCursor, FacetsCapped: res.FacetsCapped,
		Total: res.Total, TotalIsEstimate: res.TotalIsEstimate}
	if !res.Since.IsZero() {
		out.Since, out.Ranked = &res.Since, res.Ranked
	}
	for _, h := range res.Hits {
		out.Results = append(out.Results, hit{ArticleJSON: articleJSON(h.Article), Rank: h.Rank, Headline: h.Headline})
	}
	if res.More && res.NextCursor == "" {
		next := p.Offset + len(res.Hits)
		out.NextOffset = &next
	}
	if res.Facets != nil {
		out.Facets = map[string][]facet{}
		for k, fs := range res.Facets {
			out.Facets[k] = []facet{}
			for _, f := range fs {
				out.Facets[k] = append(out.Facets[k], facet{f.Value, f.Count})
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) trending(w http.ResponseWriter, r *http.Request) {
	window, err := search.TrendingWindow(r.URL.Query().Get("window"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 20)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if limit < 1 || limit > 100 {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and 100"))
		return
	}
	terms, err := search.Trending(r.Context(), s.DB.Pool, window, time.Now(), limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	type term struct {
		Term   string  `json:"term"`
		Now    int64   `json:"articles"`
		Before int64   `json:"articles_before"`
		Score  float64 `json:"score"`
	}
	out := struct {
		Window string `json:"window"`
		Terms  []term `json:"terms"`
	}{Window: r.URL.Query().Get("window"), Terms: []term{}}
	if out.Window == "" {
		out.Window = "24h"
	}
	for _, t := range terms {
		out.Terms = append(out.Terms, term{t.Term, t.Now, t.Before, t.Score})
	}
	writeJSON(w, http.StatusOK, out)
}

// SiteJSON is the API's representation of a site.
type SiteJSON struct {
	Host           string     `json:"host"`
	Name           string     `json:"name"`
	Feeds          []string   `json:"feeds"`
	StartURLs      []string   `json:"start_urls"`
	ExtraHosts     []string   `json:"extra_hosts"`
	Include        []string   `json:"include"`
	Exclude        []string   `json:"exclude"`
	Schedule       string     `json:"schedule"`
	NextRun        *time.Time `json:"next_run,omitempty"`
	DelayMS        int64      `json:"delay_ms"`
	MaxPages       int        `json:"max_pages"`
	MaxDepth       int        `json:"max_depth"`
	MaxConcurrency int        `json:"max_concurrency"`
	RefetchAfterS  []int64    `json:"refetch_after_s"`
	Enabled        bool       `json:"enabled"`
	Stats          *StatsJSON `json:"stats,omitempty"`
}

// StatsJSON is a site's crawl statistics.
type StatsJSON struct {
	Articles      int64            `json:"articles"`
	Updated       int64            `json:"updated"`
	Aliases       int64            `json:"aliases"`
	URLs          map[string]int64 `json:"urls"`
	Failures      map[string]int64 `json:"failures"`
	Runs          int64            `json:"runs"`
	LastRunAt     *time.Time       `json:"last_run_at"`
	LastSuccessAt *time.Time       `json:"last_success_at"`
	LastError     string           `json:"last_error,omitempty"`
	LastFailures  map[string]int   `json:"last_crawl_failures"`
	LastFetchedAt *time.Time       `json:"last_fetched_at"`
}

func siteJSON(s newsline.Site) SiteJSON {
	out := SiteJSON{Host: s.Host, Name: s.Name, Feeds: nonNil(s.Feeds), StartURLs: nonNil(s.StartURLs),
		ExtraHosts: nonNil(s.ExtraHosts), Include: nonNil(s.Include), Exclude: nonNil(s.Exclude), Schedule: s.Schedule,
		DelayMS: s.Delay.Milliseconds(), MaxPages: s.MaxPages, MaxDepth: s.MaxDepth, MaxConcurrency: s.MaxConcurrency,
		RefetchAfterS: []int64{}, Enabled: s.Enabled}
	for _, d := range s.RefetchAfter {
		out.RefetchAfterS = append(out.RefetchAfterS, int64(d/time.Second))
	}
	if next, err := config.NextRun(s.Schedule, time.Now()); err == nil && s.Enabled {
		out.NextRun = &next
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) listSites(w http.ResponseWriter, r *http.Request) {
	sites, err := s.DB.Sites(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := struct {
		Sites []SiteJSON `json:"sites"`
	}{Sites: []SiteJSON{}}
	for _, site := range sites {
		out.Sites = append(out.Sites, siteJSON(site))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) {
	site, err := s.DB.Site(r.Context(), r.PathValue("host"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	st, err := s.DB.Stats(r.Context(), site.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := siteJSON(site)
	out.Stats = &StatsJSON{Articles: st.Articles, Updated: st.Updated, Aliases: st.Aliases, URLs: st.URLsByState,
		Failures: st.FailuresBy, Runs: st.Runs, LastRunAt: st.LastRunAt, LastSuccessAt: st.LastSuccessAt,
		LastError: st.LastError, LastFailures: st.LastFailures, LastFetchedAt: st.LastFetchedAt}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports whether the process can do its work: PostgreSQL and Redis
// both answer.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "redis": "ok"}
	status := http.StatusOK
	if err := s.DB.Ping(ctx); err != nil {
		checks["postgres"] = "unavailable"
		status = http.StatusServiceUnavailable
		s.Logger.Warn("readiness: postgres", "err", err)
	}
	if s.Redis == nil {
		checks["redis"] = "not configured"
		status = http.StatusServiceUnavailable
	} else if err := s.Redis.Ping(ctx).Err(); err != nil {
		checks["redis"] = "unavailable"
		status = http.StatusServiceUnavailable
		s.Logger.Warn("readiness: redis", "err", err)
	}
	writeJSON(w, status, map[string]any{"ready": status == http.StatusOK, "checks": checks})
}
