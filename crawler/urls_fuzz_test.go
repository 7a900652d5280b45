package crawler

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzNormalize checks that Normalize refuses a URL or returns an absolute
// http(s) URL without user information, fragment or tracking parameters,
// in a lower-case host, that normalizes to itself.
func FuzzNormalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := Normalize(raw)
		if err != nil {
			return
		}
		u, err := url.Parse(out)
		if err != nil {
			t.Fatalf("Normalize(%q) = %q, which does not parse: %v", raw, out, err)
		}
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			t.Fatalf("Normalize(%q) = %q: scheme", raw, out)
		case u.Host == "" || u.Host != strings.ToLower(u.Host):
			t.Fatalf("Normalize(%q) = %q: host", raw, out)
		case u.User != nil:
			t.Fatalf("Normalize(%q) = %q keeps user information", raw, out)
		case strings.Contains(out, "#"):
			t.Fatalf("Normalize(%q) = %q keeps a fragment", raw, out)
		case u.Port() == "80" && u.Scheme == "http", u.Port() == "443" && u.Scheme == "https":
			t.Fatalf("Normalize(%q) = %q keeps the default port", raw, out)
		}
		for k := range u.Query() {
			if lk := strings.ToLower(k); strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				t.Fatalf("Normalize(%q) = %q keeps %s", raw, out, k)
			}
		}
		again, err := Normalize(out)
		if err != nil || again != out {
			t.Fatalf("Normalize(Normalize(%q)) = %q, %v; want %q", raw, again, err, out)
		}
	})
}
