package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// writeCached answers a request from an encoded answer: a 304 when the
// reader's copy is current, else the body, gzipped when the reader takes
// it.
func writeCached(w http.ResponseWriter, r *http.Request, f *cachedResponse) {
	gz := acceptsGzip(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	h.Set("Cache-Control", f.cacheControl)
	h.Set("Vary", "Accept-Encoding")
	etag := f.etag
	if gz {
		etag = f.gzETag()
	}
	h.Set("ETag", etag)
	if !f.modified.IsZero() {
		h.Set("Last-Modified", f.modified.Format(http.TimeFormat))
	}
	if notModified(r, f) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if gz {
		body = f.gzipped()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// notModified applies RFC 9110's conditional GET: If-None-Match when
// given (weak comparison, either representation's tag), else
// If-Modified-Since.
func notModified(r *http.Request, f *cachedResponse) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == f.etag || tag == f.gzETag() {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || f.modified.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !f.modified.After(t.Truncate(time.Second))
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip (and
// does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if coding != "*" || q > 0 {
			return q > 0
		}
	}
	return false
}
