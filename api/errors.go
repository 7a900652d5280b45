package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	newsline.EINVALID:      http.StatusBadRequest,
	newsline.ENOTFOUND:     http.StatusNotFound,
	newsline.ECONFLICT:     http.StatusConflict,
	newsline.EUNAUTHORIZED: http.StatusUnauthorized,
	newsline.EFORBIDDEN:    http.StatusForbidden,
	newsline.ERATELIMITED:  http.StatusTooManyRequests,
	newsline.EUNAVAILABLE:  http.StatusServiceUnavailable,
	newsline.EINTERNAL:     http.StatusInternalServerError,
}

// codeMethodNotAllowed is the error code of a 405, which no domain error
// has: only the router knows a path's methods.
const codeMethodNotAllowed = "method_not_allowed"

// ErrorJSON is the shape of every error the API answers.
type ErrorJSON struct {
	Error ErrorDetailJSON `json:"error"`
}

// ErrorDetailJSON is an error's code (newsline's domain codes, or
// method_not_allowed) and a message a user can act on.
type ErrorDetailJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// retryAfter is what a 503 asks a client to wait before it tries again:
// about as long as a restarting database takes to answer.
const retryAfter = 10 * time.Second

func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	status, err := s.classify(r, err)
	s.writeError(w, r, status, newsline.ErrorCode(err), newsline.ErrorMessage(err))
}

// classify is the one place an error becomes an HTTP status: a database
// that cannot be reached is EUNAVAILABLE, a 503 with Retry-After, whatever
// the handler wrapped it in; every 5xx is logged. It returns the status,
// and err with its domain code settled.
func (s *Server) classify(r *http.Request, err error) (int, error) {
	err = store.Unavailable(err)
	status, ok := statusOf[newsline.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch {
	case status == http.StatusServiceUnavailable:
		s.Logger.WarnContext(r.Context(), "request failed: unavailable", "method", r.Method, "route", routeOf(r), "err", err)
	case status >= 500:
		s.Logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", routeOf(r), "err", err)
	}
	return status, err
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	switch status {
	case http.StatusServiceUnavailable:
		setRetryAfter(w)
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsline"`)
	}
	s.writeJSON(w, r, status, ErrorJSON{ErrorDetailJSON{Code: code, Message: message}})
}

func setRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
}

// Encode returns v as the API answers it: JSON on one line, HTML
// characters left as they are, and a newline. The CLI's --json output
// uses it too, so the two cannot drift apart.
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeJSON encodes v before it writes anything, so that a value that
// cannot be encoded is a logged 500, never a 200 cut short.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := Encode(v)
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "encode response", "method", r.Method, "route", routeOf(r), "err", err)
		status = http.StatusInternalServerError
		body, _ = Encode(ErrorJSON{ErrorDetailJSON{Code: newsline.EINTERNAL, Message: "internal error"}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// muxErrors gives the answers ServeMux makes itself, a 404 for a path no
// route has and a 405 (with Allow) for a method a path does not take,
// which are plain text, the API's JSON error shape; outside /api/ and
// /feeds/, a browser gets a small HTML page for a 404 instead. A route's
// own errors pass untouched.
func (s *Server) muxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r) // a route, or a redirect to a cleaned path
			return
		}
		mux.ServeHTTP(&muxErrorWriter{ResponseWriter: w, answer: func(status int) {
			if status == http.StatusMethodNotAllowed {
				s.writeError(w, r, status, codeMethodNotAllowed, fmt.Sprintf("%s does not take %s; it takes %s",
					r.URL.Path, r.Method, w.Header().Get("Allow")))
				return
			}
			if !machinePath(r.URL.Path) && prefersHTML(r) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(status)
				_ = notFoundPage.Execute(w, r.URL.Path)
				return
			}
			s.writeError(w, r, status, newsline.ENOTFOUND, fmt.Sprintf("no such endpoint: %s %s", r.Method, r.URL.Path))
		}}, r)
	})
}

// machinePath reports whether path is under the API or the feeds, whose
// errors are always JSON.
func machinePath(path string) bool {
	for _, p := range []string{"/api", "/feeds"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// prefersHTML reports whether the client is a browser: it asks for HTML
// (curl and most programs send */* or application/json).
func prefersHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

var notFoundPage = template.Must(template.New("404").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found – Newsline</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem">
<h1>Not found</h1><p>Newsline has no page at <code>{{.}}</code>. <a href="/">Newest articles and search</a>.</p>
</body></html>
`))

// muxErrorWriter turns the mux's 404 and 405 into answer's, dropping the
// plain-text body the mux writes after them.
type muxErrorWriter struct {
	http.ResponseWriter
	answer   func(status int)
	answered bool
}

func (w *muxErrorWriter) WriteHeader(status int) {
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		w.answered = true
		w.answer(status)
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *muxErrorWriter) Write(b []byte) (int, error) {
	if w.answered {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}
