package api

import (
	"net/http"
	"slices"
	"sort"
	"strings"

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
