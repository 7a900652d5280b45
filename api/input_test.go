package api_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsline/newsline/api"
)

// rawCursor is a well-formed cursor of a time in microseconds and an id,
// which no page of Newsline's would hand out when the time is absurd.
func rawCursor(micros string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(micros + ":1"))
}

// TestBadInputIs400 requests every bad input issue 11 found, on every route
// that takes the parameter (the API, the feeds and the web pages), and
// some neighbours fuzzing found: each is a 4xx with a message, never a
// 500 or an empty 200, and nothing is logged as a failure.
func TestBadInputIs400(t *testing.T) {
	_, db := newArchive(t)
	var logs bytes.Buffer
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		BaseURL: "https://news.example.org"}).Handler())
	t.Cleanup(srv.Close)

	maxMicros := rawCursor("9223372036854775807")  // year 294247
	minMicros := rawCursor("-9223372036854775808") // 292277 BC
	year10000 := rawCursor("253402300800000000")   // 10000-01-01, past PostgreSQL's JSON and RFC 3339
	year0 := rawCursor("-62167219200000000")       // 0000-01-01
	beforePG := rawCursor("-250000000000000000")   // 5953 BC, before PostgreSQL's 4713 BC: SQLSTATE 22008
	hugeID := base64.RawURLEncoding.EncodeToString([]byte("1790000000000000:99999999999999999999"))
	for _, tc := range []struct {
		path   string
		status int
		msg    string // in the body
	}{
		// 2. invalid UTF-8 and NUL bytes, in parameters and in paths
		{"/api/v1/articles?site=%ff", 400, "not valid UTF-8"},
		{"/api/v1/articles?author=%00", 400, "NUL"},
		{"/api/v1/articles?section=%c3", 400, "not valid UTF-8"},
		{"/api/v1/articles?cursor=%ff", 400, "not valid UTF-8"},
		{"/api/v1/articles?kind=%00", 400, "NUL"},
		{"/api/v1/search?q=harbour&site=%ff", 400, "not valid UTF-8"},
		{"/api/v1/search?q=harbour%00", 400, "NUL"},
		{"/api/v1/search?q=harbour&language=%ff", 400, "not valid UTF-8"},
		{"/api/v1/authors?q=%ff", 400, "not valid UTF-8"},
		{"/api/v1/authors?cursor=%00", 400, "NUL"},
		{"/api/v1/trending?window=%00", 400, "NUL"},
		{"/api/v1/sites/%00", 400, "NUL"},
		{"/api/v1/sites/%ff", 400, "not valid UTF-8"},
		{"/api/v1/authors/%00", 400, "NUL"},
		{"/api/v1/articles/%ff", 400, "not valid UTF-8"},
		{"/feeds/sites/%ff.rss", 400, "not valid UTF-8"},
		{"/feeds/authors/%00.atom", 400, "NUL"},
		{"/feeds/sections/%ff.json", 400, "not valid UTF-8"},
		{"/feeds/search.rss?q=%ff", 400, "not valid UTF-8"},
		{"/feeds/search.rss?q=harbour&site=%00", 400, "NUL"},
		{"/feeds/latest.rss?content=%ff", 400, "not valid UTF-8"},
		{"/?q=%ff", 400, "not valid UTF-8"},
		{"/sites/%00", 400, "NUL"},
		{"/authors/%ff", 400, "not valid UTF-8"},
		{"/sections/%00", 400, "NUL"},
		{"/api/v1/articles?%ff=1", 400, "not valid UTF-8"},
		{"/api/v1/articles?site=%zz", 400, "malformed query"},

		// 2. a well-formed cursor holding an out-of-range time
		{"/api/v1/articles?cursor=" + beforePG, 400, "invalid cursor"},
		{"/api/v1/articles?author=jane-doe&cursor=" + beforePG, 400, "invalid cursor"},
		{"/api/v1/search?q=harbour&sort=date&cursor=" + beforePG, 400, "invalid cursor"},
		{"/api/v1/articles?cursor=" + maxMicros, 400, "invalid cursor"},
		{"/api/v1/articles?cursor=" + minMicros, 400, "invalid cursor"},
		{"/api/v1/articles?cursor=" + year10000, 400, "invalid cursor"},
		{"/api/v1/articles?cursor=" + year0, 400, "invalid cursor"},
		{"/api/v1/articles?cursor=" + hugeID, 400, "invalid cursor"},
		{"/api/v1/articles?site=news.example&cursor=" + maxMicros, 400, "invalid cursor"},
		{"/api/v1/search?q=harbour&sort=date&cursor=" + maxMicros, 400, "invalid cursor"},
		{"/api/v1/search?q=harbour&sort=date&cursor=" + minMicros, 400, "invalid cursor"},
		{"/api/v1/search?q=harbour&sort=date&cursor=" + year10000, 400, "invalid cursor"},
		{"/api/v1/search?q=harbour&sort=date&facets=true&cursor=" + maxMicros, 400, "invalid cursor"},
		{"/api/v1/authors?cursor=" + maxMicros, 400, "invalid cursor"},

		// 2. out-of-range dates in from and to
		{"/api/v1/search?q=harbour&from=0000-01-01", 400, "between years 1 and 9999"},
		{"/api/v1/search?q=harbour&to=0000-12-31T23:59:59Z", 400, "between years 1 and 9999"},
		{"/api/v1/search?q=harbour&from=99999-01-01", 400, "from must be a date"},
		{"/api/v1/search?q=harbour&to=9999-12-31T23:59:59-23:59", 400, "between years 1 and 9999"},
		{"/api/v1/search?q=harbour&from=0001-01-01T00:00:00%2B23:59", 400, "between years 1 and 9999"},
		{"/api/v1/search?q=harbour&sort=date&from=0000-01-01", 400, "between years 1 and 9999"},
		{"/feeds/search.rss?q=harbour&from=0000-01-01", 400, "between years 1 and 9999"},
		{"/feeds/search.atom?q=harbour&to=99999-01-01", 400, "to must be a date"},
		{"/api/v1/search?q=harbour&from=2026-02-30", 400, "from must be a date"},

		// 2. huge limits and offsets
		{"/api/v1/articles?limit=9223372036854775807", 400, "limit must be between"},
		{"/api/v1/articles?limit=99999999999999999999", 400, "limit must be"},
		{"/api/v1/articles?limit=-9223372036854775808", 400, "limit must be between"},
		{"/api/v1/search?q=harbour&limit=9223372036854775807", 400, "limit must be between"},
		{"/api/v1/search?q=harbour&offset=9223372036854775807", 400, "offset must be between"},
		{"/api/v1/search?q=harbour&offset=-1", 400, "offset must be between"},
		{"/api/v1/search?q=harbour&offset=99999999999999999999", 400, "offset must be"},
		{"/api/v1/authors?limit=9223372036854775807", 400, "limit must be between"},
		{"/api/v1/trending?limit=9223372036854775807", 400, "limit must be between"},
		{"/feeds/latest.rss?limit=9223372036854775807", 400, "limit must be between"},
		{"/feeds/search.json?q=harbour&limit=-9223372036854775808", 400, "limit must be between"},
		{"/api/v1/articles/9223372036854775808", 400, "positive whole number"},

		// 3. NaN and the infinities
		{"/api/v1/search?q=harbour&recency=NaN", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=nan", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=Inf", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=-Infinity", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=1e999", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=-0.1", 400, "recency must be"},
		{"/api/v1/search?q=harbour&recency=0x1p-2", 200, ""},

		// the same parameters well formed still answer
		{"/api/v1/search?q=harbour&from=0001-01-01&to=9999-12-31", 200, ""},
		{"/api/v1/search?q=harbour&sort=date&from=0001-01-01T00:00:00Z", 200, ""},
		{"/feeds/search.rss?q=harbour&to=9999-12-31T23:59:59Z", 200, ""},
		{"/api/v1/articles?cursor=" + rawCursor("1790000000000000"), 200, ""},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || len(body) == 0 || !strings.Contains(string(body), tc.msg) {
			t.Errorf("GET %s: %d %.300s, want %d with %q", tc.path, resp.StatusCode, body, tc.status, tc.msg)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("bad input logged as a failure:\n%s", logs.String())
	}
}
