package api

import (
	"net/http"
	"net/url"

	"github.com/newsline/newsline"
)

// contentSecurityPolicy allows what Newsline's pages use and nothing
// else: their own stylesheet, icons and forms, and article images from
// anywhere over HTTPS. No script runs (the pages work without one), no
// other site may frame a page, and forms post only to Newsline.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every answer carries, JSON and feeds
// included: a browser that renders one by mistake still runs nothing.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses a request with an unsafe method (POST, PUT, PATCH,
// DELETE) that a browser sent from another site, whatever credentials it
// carries: net/http's CrossOriginProtection reads Sec-Fetch-Site (or
// Origin against Host). Programs that send neither, such as curl and API
// clients, pass; their Bearer token is not something another site can
// make a browser send. The public URL's origin is trusted too, for a
// reverse proxy that rewrites Host.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		_ = cop.AddTrustedOrigin(u.Scheme + "://" + u.Host) // well formed by construction
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, newsline.Errorf(newsline.EFORBIDDEN, "cross-origin request refused: %s %s must come from Newsline's own pages", r.Method, r.URL.Path))
	}))
	return cop.Handler(next)
}
