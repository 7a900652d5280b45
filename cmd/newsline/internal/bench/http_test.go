package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
)

// TestHTTPBench runs the whole HTTP benchmark on a tiny archive, a second
// per class, and checks that every class of both systems was answered as
// it expects (200 or 304, whole bodies), with no error; the figures
// themselves are not judged (no timing thresholds in tests).
func TestHTTPBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads an archive into PostgreSQL and serves it")
	}
	res, err := HTTP(t.Context(), HTTPConfig{
		Articles: 300, Seed: 1, Vocabulary: 5000, Clients: 4, Duration: time.Second, Warmup: 200 * time.Millisecond,
		DatabaseURL: testenv.DatabaseURL(t), UseDatabase: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 300 || len(res.Feeds) != 12 || len(res.Words) != 50 {
		t.Errorf("articles %d, feeds %d, words %d; want 300, 12, 50", res.Articles, len(res.Feeds), len(res.Words))
	}
	for _, f := range res.Feeds {
		if f.Bytes == 0 || f.ContentType == "" {
			t.Errorf("feed %s: %d bytes, content type %q", f.Path, f.Bytes, f.ContentType)
		}
	}
	for _, tc := range []struct {
		class  string
		static bool
	}{
		{"feed", true}, {"feed_304", true}, {"article", false}, {"search", false}, {"mixed_search", false}, {"mixed_feed", false},
	} {
		c := res.Class(tc.class)
		if c == nil {
			t.Errorf("class %s did not run", tc.class)
			continue
		}
		loads := map[string]*HTTPLoad{SystemNewsline: &c.Newsline}
		if tc.static != (c.Static != nil) {
			t.Errorf("class %s: baseline ran %v, want %v", tc.class, c.Static != nil, tc.static)
		}
		if c.Static != nil {
			loads[SystemStatic] = c.Static
		}
		for system, l := range loads {
			if l.Requests == 0 || l.Errors != 0 || l.Elapsed <= 0 || l.P99 < l.P50 || l.P50 <= 0 {
				t.Errorf("class %s, %s: %d requests, %d errors (%s), elapsed %s, p50 %s, p99 %s",
					tc.class, system, l.Requests, l.Errors, l.FirstError, l.Elapsed, l.P50, l.P99)
			}
			if tc.class == "feed_304" && l.Bytes != 0 {
				t.Errorf("class feed_304, %s: %d body bytes, want none", system, l.Bytes)
			}
		}
	}
	if res.Errors() != 0 {
		t.Errorf("%d errors", res.Errors())
	}
	if res.FeedCacheMisses != 0 {
		t.Errorf("%d feed requests missed Newsline's feed cache while measuring", res.FeedCacheMisses)
	}

	type key struct{ system, class, metric string }
	got := map[key]bool{}
	for _, m := range res.Metrics() {
		if m.Bench != "http" || m.Unit == "" {
			t.Errorf("metric %+v", m)
		}
		got[key{m.System, m.Class, m.Metric}] = true
	}
	for _, k := range []key{
		{SystemNewsline, "feed", "req_per_s"}, {SystemStatic, "feed", "req_per_s"}, {SystemStatic, "feed_304", "p99"},
		{SystemNewsline, "feed", "ratio"}, {SystemNewsline, "mixed_search", "p99"}, {SystemNewsline, "article", "p99"},
		{SystemNewsline, "search", "req_per_s"},
	} {
		if !got[k] {
			t.Errorf("no metric %+v", k)
		}
	}
	if got[key{SystemStatic, "search", "req_per_s"}] {
		t.Error("the baseline reports a class it cannot serve")
	}
}

// TestStaticFeeds checks the baseline answers as Newsline does: the bytes
// and headers given, and a 304 for the ETag compared as a plain string.
func TestStaticFeeds(t *testing.T) {
	f := &servedFeed{path: "/feeds/latest.rss", body: []byte("<rss/>"), etag: `"abc"`,
		header:    http.Header{"Content-Type": {"application/rss+xml"}, "Etag": {`"abc"`}, "Content-Length": {"6"}},
		header304: http.Header{"Etag": {`"abc"`}}}
	h := staticFeeds{f.path: f}
	for _, tc := range []struct {
		path, inm string
		status    int
		body      string
	}{
		{"/feeds/latest.rss", "", 200, "<rss/>"},
		{"/feeds/latest.rss", `"abc"`, 304, ""},
		{"/feeds/latest.rss", `W/"abc"`, 200, "<rss/>"},
		{"/feeds/latest.atom", "", 404, "404 page not found\n"},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.inm != "" {
			req.Header.Set("If-None-Match", tc.inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Body.String() != tc.body {
			t.Errorf("GET %s If-None-Match %s: %d %q, want %d %q", tc.path, tc.inm, rec.Code, rec.Body, tc.status, tc.body)
		}
		if tc.status != 404 && rec.Header().Get("ETag") != `"abc"` {
			t.Errorf("GET %s If-None-Match %s: ETag %q", tc.path, tc.inm, rec.Header().Get("ETag"))
		}
	}
}
