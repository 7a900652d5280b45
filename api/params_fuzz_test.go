package api

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// The fuzz targets below parse a request as a route does, behind the
// checks every request passes (checkRequest), and assert that the request
// is refused with EINVALID (or a 404 for a feed's name), or that every
// value handed on to the store or the search is within its bounds. Their
// seeds, under testdata/fuzz, hold the inputs of issue 11.

// parseRequest runs parse on a GET of path and rawQuery as checkRequest
// passes it on; refused is true when checkRequest answered itself.
func parseRequest(t *testing.T, path, rawQuery string, parse func(*http.Request) error) (refused bool, err error) {
	t.Helper()
	s := &Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{}}
	called := false
	rec := httptest.NewRecorder()
	s.checkRequest(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		called = true
		err = parse(r)
	})).ServeHTTP(rec, req)
	if !called {
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("checkRequest refused %s?%s with %d, want 400", path, rawQuery, rec.Code)
		}
		return true, nil
	}
	return false, err
}

// wantCode fails unless err has one of codes.
func wantCode(t *testing.T, err error, codes ...string) {
	t.Helper()
	code := newsline.ErrorCode(err)
	for _, c := range codes {
		if code == c {
			if newsline.ErrorMessage(err) == "" {
				t.Fatalf("%v: no message", err)
			}
			return
		}
	}
	t.Fatalf("error %v has code %q, want one of %q", err, code, codes)
}

// wantText fails unless every value is text PostgreSQL takes.
func wantText(t *testing.T, values ...string) {
	t.Helper()
	for _, v := range values {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			t.Fatalf("%q reached the database", v)
		}
	}
}

// wantCursor fails unless c is empty or a cursor of a time in range.
func wantCursor(t *testing.T, c string) {
	t.Helper()
	if c == "" {
		return
	}
	at, id, err := cursor.Decode(c)
	if err != nil || !cursor.InRange(at) || id < 1 {
		t.Fatalf("cursor %q passed: %v, %d, %v", c, at, id, err)
	}
}

func FuzzSearchParams(f *testing.F) {
	f.Fuzz(func(t *testing.T, rawQuery string) {
		var p search.Params
		refused, err := parseRequest(t, "/api/v1/search", rawQuery, func(r *http.Request) error {
			var err error
			if p, err = searchParams(r); err == nil {
				err = p.Validate()
			}
			return err
		})
		if refused {
			return
		}
		if err != nil {
			wantCode(t, err, newsline.EINVALID)
			return
		}
		wantText(t, p.Query, p.Site, p.Author, p.Language, p.Section, p.Cursor)
		switch {
		case p.Query == "" || len(p.Query) > search.MaxQueryLength:
			t.Fatalf("query %q", p.Query)
		case p.Limit < 1 || p.Limit > search.MaxLimit:
			t.Fatalf("limit %d", p.Limit)
		case p.Offset < 0 || p.Offset > search.MaxOffset:
			t.Fatalf("offset %d", p.Offset)
		case p.Sort != search.SortRelevance && p.Sort != search.SortDate:
			t.Fatalf("sort %q", p.Sort)
		case p.Recency == nil || math.IsNaN(*p.Recency) || *p.Recency < 0 || *p.Recency > search.MaxRecency:
			t.Fatalf("recency %v", p.Recency)
		case !p.From.IsZero() && !cursor.InRange(p.From), !p.To.IsZero() && !cursor.InRange(p.To):
			t.Fatalf("window %v to %v", p.From, p.To)
		}
		wantCursor(t, p.Cursor)
		_ = searchKey(p)
		// Whatever was asked, its answer encodes.
		since := p.From
		res := &search.Results{Query: p.Query, More: true, Since: since, Ranked: 1,
			Hits: []search.Hit{{Article: newsline.Article{ID: 1, PublishedAt: &since, FetchedAt: since}, Rank: *p.Recency}}}
		if _, err := Encode(SearchResults(p, res)); err != nil {
			t.Fatalf("%+v: answer does not encode: %v", p, err)
		}
	})
}

func FuzzArticleParams(f *testing.F) {
	f.Fuzz(func(t *testing.T, rawQuery string) {
		var p store.ListParams
		refused, err := parseRequest(t, "/api/v1/articles", rawQuery, func(r *http.Request) error {
			var err error
			p, err = listParams(r)
			return err
		})
		if refused {
			return
		}
		if err != nil {
			wantCode(t, err, newsline.EINVALID)
			return
		}
		wantText(t, p.Site, p.Author, p.Section, p.Cursor)
		if p.Limit < 1 || p.Limit > store.MaxPageSize {
			t.Fatalf("limit %d", p.Limit)
		}
		wantCursor(t, p.Cursor)
	})
}

func FuzzAuthorParams(f *testing.F) {
	f.Fuzz(func(t *testing.T, rawQuery string) {
		var p store.AuthorListParams
		refused, err := parseRequest(t, "/api/v1/authors", rawQuery, func(r *http.Request) error {
			var err error
			p, err = authorParams(r)
			return err
		})
		if refused {
			return
		}
		if err != nil {
			wantCode(t, err, newsline.EINVALID)
			return
		}
		wantText(t, p.Prefix, p.Cursor)
		if p.Limit < 1 || p.Limit > store.MaxPageSize {
			t.Fatalf("limit %d", p.Limit)
		}
		if p.Cursor != "" {
			keys, _, err := cursor.DecodeKey(p.Cursor, 2)
			if err != nil {
				t.Fatalf("cursor %q passed: %v", p.Cursor, err)
			}
			wantText(t, keys...)
		}
	})
}

func FuzzTrendingParams(f *testing.F) {
	f.Fuzz(func(t *testing.T, rawQuery string) {
		var (
			name   string
			window time.Duration
			limit  int
		)
		refused, err := parseRequest(t, "/api/v1/trending", rawQuery, func(r *http.Request) error {
			var err error
			name, window, limit, err = trendingParams(r)
			return err
		})
		if refused {
			return
		}
		if err != nil {
			wantCode(t, err, newsline.EINVALID)
			return
		}
		if (name != "24h" && name != "7d") || window <= 0 || limit < 1 || limit > 100 {
			t.Fatalf("window %q (%v), limit %d", name, window, limit)
		}
	})
}

// FuzzFeedParams parses a feed's name and query string; kind picks the
// route (/feeds/, /feeds/sites/, /feeds/authors/, /feeds/sections/).
func FuzzFeedParams(f *testing.F) {
	kinds := []string{"", "site", "author", "section"}
	f.Fuzz(func(t *testing.T, kind uint8, file, rawQuery string) {
		k := kinds[int(kind)%len(kinds)]
		if file == "" || strings.Contains(file, "/") {
			return // the route would not match
		}
		prefix := map[string]string{"": "/feeds/", "site": "/feeds/sites/", "author": "/feeds/authors/", "section": "/feeds/sections/"}[k]
		var v feedView
		refused, err := parseRequest(t, prefix+file, rawQuery, func(r *http.Request) error {
			r.SetPathValue("file", file)
			var err error
			v, err = parseFeedView(r, k)
			return err
		})
		if refused {
			return
		}
		if err != nil {
			wantCode(t, err, newsline.EINVALID, newsline.ENOTFOUND)
			return
		}
		wantText(t, v.name)
		if v.limit < 1 || v.limit > store.MaxFeedItems {
			t.Fatalf("limit %d", v.limit)
		}
		if _, ok := feed.ParseFormat(v.format.Ext()); !ok {
			t.Fatalf("format %v", v.format)
		}
		switch v.kind {
		case "latest":
		case "site":
			if v.name != strings.ToLower(v.name) {
				t.Fatalf("site %q", v.name)
			}
		case "author", "section":
			if v.name != newsline.Slug(v.name) {
				t.Fatalf("%s %q is not a slug", v.kind, v.name)
			}
		case "search":
			p := v.search
			p.Limit = 1
			if err := p.Validate(); err != nil {
				t.Fatalf("search %+v passed, then: %v", v.search, err)
			}
			wantText(t, p.Query, p.Site, p.Author, p.Language, p.Section)
		default:
			t.Fatalf("kind %q", v.kind)
		}
		_ = feedKey(prefix+file, v)
		_ = feedPath(v, v.format)
	})
}
