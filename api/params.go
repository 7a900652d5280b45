package api

import (
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsline/newsline"
)

// checkParams refuses a query parameter the route does not know, naming it,
// so that a misspelt filter (?sites=…) is an error instead of being
// silently ignored and answered as if it were absent.
func checkParams(r *http.Request, allowed ...string) error {
	var unknown []string
	for name := range r.URL.Query() {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	known := "none"
	if len(allowed) > 0 {
		known = strings.Join(allowed, ", ")
	}
	return newsline.Errorf(newsline.EINVALID, "unknown query parameter %q; this endpoint takes: %s", unknown[0], known)
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

// limitParam reads the page size: def when absent, else 1 to max.
func limitParam(r *http.Request, def, max int) (int, error) {
	n, err := intParam(r, "limit", def)
	if err != nil {
		return 0, err
	}
	if n < 1 || n > max {
		return 0, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d, got %d", max, n)
	}
	return n, nil
}

// floatParam reads an optional number; nil when absent. NaN and the
// infinities are refused: no parameter means them, and JSON cannot carry
// what they would compute.
func floatParam(r *http.Request, name, want string) (*float64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, newsline.Errorf(newsline.EINVALID, "%s must be %s, got %q", name, want, v)
	}
	return &f, nil
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

// boolParam reads an optional true or false.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, newsline.Errorf(newsline.EINVALID, "%s must be true or false, got %q", name, v)
	}
}
