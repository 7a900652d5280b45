package config

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParseSites checks that a whitelist file is refused with an error
// that starts with file:line, or gives sites within the documented
// bounds. Its seeds, under testdata/fuzz, hold the files issue 11 found
// accepted.
func FuzzParseSites(f *testing.F) {
	f.Add(defaultSites)
	f.Fuzz(func(t *testing.T, data []byte) {
		sites, err := ParseSites("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		if len(sites) == 0 {
			t.Fatal("no sites and no error")
		}
		seen := map[string]bool{}
		for _, s := range sites {
			switch {
			case s.Host == "" || s.Host != strings.ToLower(s.Host) || strings.ContainsAny(s.Host, "/ ?#@"):
				t.Fatalf("host %q", s.Host)
			case seen[s.Host]:
				t.Fatalf("host %q twice", s.Host)
			case !s.AllowPrivate && ValidateSchedule(s.Schedule) != nil, validateSchedule(s.Schedule, MinPrivateInterval) != nil:
				t.Fatalf("%s: schedule %q passed", s.Host, s.Schedule)
			case s.Delay < 0 || s.MaxPages < 1 || s.MaxPages > 100000 || s.MaxDepth < 1 || s.MaxDepth > 10 ||
				s.MaxConcurrency < 1 || s.MaxConcurrency > 64:
				t.Fatalf("%s: bounds %+v", s.Host, s)
			case len(s.Feeds) == 0 && len(s.StartURLs) == 0:
				t.Fatalf("%s: nothing to crawl", s.Host)
			}
			seen[s.Host] = true
			for _, raw := range append(append([]string{}, s.Feeds...), s.StartURLs...) {
				u, err := url.Parse(raw)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !s.AllowsHost(strings.ToLower(u.Host)) {
					t.Fatalf("%s: URL %q", s.Host, raw)
				}
			}
			for i := 1; i < len(s.RefetchAfter); i++ {
				if s.RefetchAfter[i] <= s.RefetchAfter[i-1] {
					t.Fatalf("%s: refetch_after %v", s.Host, s.RefetchAfter)
				}
			}
		}
	})
}
