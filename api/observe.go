package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/newsline/newsline/internal/logctx"
	"github.com/newsline/newsline/search"
)

// requestInfo is what the request log and the metrics learn of a request
// while it is served: the route pattern that took it (set by routed).
type requestInfo struct {
	route string
}

type requestInfoKey struct{}

// routeUnmatched is the route label of a request no route took (a 404 or
// 405 of the mux).
const routeUnmatched = "unmatched"

// routeOf is the pattern of the route serving r, or routeUnmatched. Logs
// name the route, never the path, which may hold a personal feed's secret.
func routeOf(r *http.Request) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok && info.route != "" {
		return info.route
	}
	return routeUnmatched
}

// routed wraps a route's handler so the request log and the metrics know
// its pattern.
func routed(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = pattern
		}
		h(w, r)
	}
}

// requestIDHeader carries a request's id: the client's (or the reverse
// proxy's) when it sends a sane one, else a new one; echoed in the answer.
const requestIDHeader = "X-Request-ID"

// requestID returns the request's own id when it is short and plain, or
// a new random one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(requestIDHeader); id != "" && len(id) <= 64 && plainID(id) {
		return id
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func plainID(id string) bool {
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// logRequests gives each request its id (X-Request-ID, also in the log
// context of everything logged while serving it), then logs one line at
// info level with its method, route, status, duration and id, and records
// it in the metrics.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		w.Header().Set(requestIDHeader, id)
		info := &requestInfo{}
		ctx := logctx.With(context.WithValue(r.Context(), requestInfoKey{}, info), slog.String("request_id", id))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		d := time.Since(start)
		route := info.route
		if route == "" {
			route = routeUnmatched
		}
		s.Metrics.HTTPRequest(route, rec.status, d)
		s.Logger.LogAttrs(ctx, slog.LevelInfo, "http request", slog.String("method", r.Method),
			slog.String("route", route), slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000), slog.String("request_id", id))
	})
}

// querySearch runs a search and records its duration by sort order.
func (s *Server) querySearch(ctx context.Context, p search.Params) (*search.Results, error) {
	start := time.Now()
	res, err := s.searcher.Query(ctx, p)
	if err == nil { // a bad sort is a 400, never a label
		sort := p.Sort
		if sort == "" {
			sort = search.SortRelevance
		}
		s.Metrics.Searched(sort, time.Since(start))
	}
	return res, err
}

// serveMetrics serves the process's metrics in the Prometheus format.
// The reverse proxy in front keeps it private (deploy/nginx.conf).
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	s.Metrics.Handler().ServeHTTP(w, r)
}
