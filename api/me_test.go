package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/jobs"
)

// pages follows next_cursor from path and returns the titles in order.
func pages(t *testing.T, ac *accounts, path, token string) ([]string, int) {
	t.Helper()
	var titles []string
	n := 0
	for next := path; next != ""; n++ {
		var l api.ArticleListJSON
		a := ac.call(t, "GET", next, token, nil)
		if a.status != 200 {
			t.Fatalf("GET %s: %d %s", next, a.status, a.body)
		}
		a.decode(t, &l)
		for _, x := range l.Articles {
			titles = append(titles, x.Title)
		}
		next = ""
		if l.NextCursor != "" {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			next = path + sep + "cursor=" + url.QueryEscape(l.NextCursor)
		}
	}
	return titles, n
}

func TestBookmarksPaginate(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	jane := ac.user(t, "jane", newsline.RoleReader)
	// Bookmarked out of publication order: the list is by bookmark time.
	order := []int{3, 0, 5, 1, 4}
	for _, i := range order {
		if a := ac.call(t, "PUT", fmt.Sprint("/api/v1/me/bookmarks/", ac.articles[i]), jane, nil); a.status != http.StatusNoContent {
			t.Fatalf("bookmark: %d %s", a.status, a.body)
		}
	}
	// Again: no error, no second bookmark.
	ac.call(t, "PUT", fmt.Sprint("/api/v1/me/bookmarks/", ac.articles[3]), jane, nil)
	titles, n := pages(t, ac, "/api/v1/me/bookmarks?limit=2", jane)
	if fmt.Sprint(titles) != "[Story 4 Story 1 Story 5 Story 0 Story 3]" || n != 3 {
		t.Errorf("bookmarks in %d pages: %v", n, titles)
	}
	var l api.BookmarkListJSON
	ac.call(t, "GET", "/api/v1/me/bookmarks?limit=1", jane, nil).decode(t, &l)
	if len(l.Articles) != 1 || l.Articles[0].BookmarkedAt.IsZero() {
		t.Errorf("bookmark %+v", l)
	}
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"PUT", "/api/v1/me/bookmarks/999999", http.StatusNotFound},
		{"PUT", "/api/v1/me/bookmarks/abc", http.StatusBadRequest},
		{"DELETE", fmt.Sprint("/api/v1/me/bookmarks/", ac.articles[2]), http.StatusNotFound},
		{"DELETE", fmt.Sprint("/api/v1/me/bookmarks/", ac.articles[3]), http.StatusNoContent},
		{"GET", "/api/v1/me/bookmarks?cursor=nonsense", http.StatusBadRequest},
		{"GET", "/api/v1/me/bookmarks?limit=101", http.StatusBadRequest},
		{"GET", "/api/v1/me/bookmarks?sort=old", http.StatusBadRequest},
	} {
		if a := ac.call(t, c.method, c.path, jane, nil); a.status != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, a.status, a.body, c.status)
		}
	}
}

func TestMyFeed(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	jane := ac.user(t, "jane", newsline.RoleReader)
	if titles, _ := pages(t, ac, "/api/v1/me/feed", jane); len(titles) != 0 {
		t.Errorf("following nothing: %v", titles)
	}
	if a := ac.call(t, "PUT", "/api/v1/me/follows/sites/A.EXAMPLE", jane, nil); a.status != http.StatusNoContent {
		t.Fatalf("follow: %d %s", a.status, a.body)
	}
	if titles, _ := pages(t, ac, "/api/v1/me/feed", jane); fmt.Sprint(titles) != "[Story 4 Story 2 Story 0]" {
		t.Errorf("a.example's: %v", titles)
	}
	if a := ac.call(t, "PUT", "/api/v1/me/follows/authors/Bob%20Writer", jane, nil); a.status != http.StatusNoContent {
		t.Fatalf("follow author: %d %s", a.status, a.body)
	}
	titles, n := pages(t, ac, "/api/v1/me/feed?limit=4", jane)
	if fmt.Sprint(titles) != "[Story 5 Story 4 Story 3 Story 2 Story 1 Story 0]" || n != 2 {
		t.Errorf("a.example's and Bob Writer's in %d pages: %v", n, titles)
	}
	for _, c := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"PUT", "/api/v1/me/follows/sites/a.exampel", http.StatusNotFound, "did you mean a.example?"},
		{"PUT", "/api/v1/me/follows/authors/bob-writr", http.StatusNotFound, "did you mean bob-writer?"},
		{"DELETE", "/api/v1/me/follows/sites/b.example", http.StatusNotFound, "do not follow"},
		{"DELETE", "/api/v1/me/follows/authors/bob-writer", http.StatusNoContent, ""},
		{"GET", "/api/v1/me/feed?cursor=x", http.StatusBadRequest, "cursor"},
	} {
		a := ac.call(t, c.method, c.path, jane, nil)
		if a.status != c.status || !strings.Contains(string(a.body), c.want) {
			t.Errorf("%s %s: %d %s, want %d %q", c.method, c.path, a.status, a.body, c.status, c.want)
		}
	}
	var f api.FollowsJSON
	ac.call(t, "GET", "/api/v1/me/follows", jane, nil).decode(t, &f)
	if len(f.Sites) != 1 || f.Sites[0].Host != "a.example" || len(f.Authors) != 0 {
		t.Errorf("follows %+v", f)
	}
}

func TestPersonalFeeds(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	jane := ac.user(t, "jane", newsline.RoleReader)
	ac.call(t, "PUT", "/api/v1/me/follows/sites/b.example", jane, nil)
	ac.call(t, "PUT", fmt.Sprint("/api/v1/me/bookmarks/", ac.articles[0]), jane, nil)
	var me api.UserJSON
	ac.call(t, "GET", "/api/v1/me", jane, nil).decode(t, &me)
	local := func(u string) string { return strings.TrimPrefix(u, "https://newsline.example") }
	feeds := []struct{ url, want, not string }{
		{me.Feeds.Following.RSS, "Story 5", "Story 0"},
		{me.Feeds.Following.Atom, "Story 3", "Story 2"},
		{me.Feeds.Following.JSON, "Story 1", "Story 4"},
		{me.Feeds.Bookmarks.RSS, "Story 0", "Story 1"},
		{me.Feeds.Bookmarks.Atom, "Story 0", "Story 5"},
		{me.Feeds.Bookmarks.JSON, "Story 0", "Story 3"},
	}
	for _, f := range feeds {
		a := ac.call(t, "GET", local(f.url), "", nil) // no login: the secret is the credential
		if a.status != 200 || !strings.Contains(string(a.body), f.want) || strings.Contains(string(a.body), f.not) ||
			!strings.HasPrefix(a.header.Get("Cache-Control"), "private") {
			t.Errorf("%s: %d %s: want %q, not %q: %.300s", f.url, a.status, a.header.Get("Cache-Control"), f.want, f.not, a.body)
		}
		if etag := a.header.Get("ETag"); etag == "" || ac.call(t, "GET", local(f.url), "", nil, "If-None-Match", etag).status != http.StatusNotModified {
			t.Errorf("%s: no 304 for its ETag %q", f.url, etag)
		}
	}
	secret := strings.TrimSuffix(strings.TrimPrefix(local(me.Feeds.Following.RSS), "/feeds/me/"), ".rss")
	for _, p := range []string{"/feeds/me/" + secret + ".xml", "/feeds/me/" + secret + "/saved.rss", "/feeds/me/" + strings.ToUpper(secret) + ".rss"} {
		if a := ac.call(t, "GET", p, "", nil); a.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, a.status)
		}
	}
	// Rotating the secret: the old URLs are a 404, the new ones work.
	var rotated api.PersonalFeedsJSON
	a := ac.call(t, "POST", "/api/v1/me/feed-secret", jane, nil)
	a.decode(t, &rotated)
	if a.status != 200 || rotated.Following.RSS == me.Feeds.Following.RSS {
		t.Fatalf("rotate: %d %s", a.status, a.body)
	}
	for _, f := range feeds {
		if a := ac.call(t, "GET", local(f.url), "", nil); a.status != http.StatusNotFound {
			t.Errorf("old %s after rotating: %d", f.url, a.status)
		}
	}
	for _, u := range []string{rotated.Following.RSS, rotated.Bookmarks.JSON} {
		if a := ac.call(t, "GET", local(u), "", nil); a.status != 200 {
			t.Errorf("new %s: %d", u, a.status)
		}
	}
}

func TestAdminSites(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	admin := ac.user(t, "root", newsline.RoleAdmin)
	add := map[string]any{"host": "News.Example.org", "name": "News", "feeds": []string{"https://news.example.org/rss"},
		"schedule": "@every 15m", "delay_ms": 1500, "max_pages": 50, "refetch_after_s": []int{3600}, "languages": []string{"en"}}
	a := ac.call(t, "POST", "/api/v1/sites", admin, add)
	var site api.SiteJSON
	a.decode(t, &site)
	if a.status != http.StatusCreated || site.Host != "news.example.org" || site.DelayMS != 1500 || site.MaxPages != 50 ||
		site.MaxDepth != 3 || fmt.Sprint(site.RefetchAfterS) != "[3600]" || !site.Enabled || fmt.Sprint(site.Languages) != "[en]" || a.header.Get("Location") != "/api/v1/sites/news.example.org" {
		t.Fatalf("add: %d %s", a.status, a.body)
	}
	for _, c := range []struct {
		body   any
		status int
		want   string
	}{
		{add, http.StatusConflict, "already"},
		{map[string]any{"host": "x.example", "schedule": "every day"}, http.StatusBadRequest, "schedule"},
		{map[string]any{"host": "x.example", "schedule": "@every 10s"}, http.StatusBadRequest, "schedule"},
		{map[string]any{"host": "x.example", "feeds": []string{"https://elsewhere.example/rss"}}, http.StatusBadRequest, "feeds"},
		{map[string]any{"host": "x.example", "include": []string{"("}}, http.StatusBadRequest, "include"},
		{map[string]any{"host": "x.example/path"}, http.StatusBadRequest, "host"},
		{map[string]any{"name": "no host"}, http.StatusBadRequest, "host"},
		{map[string]any{"host": "x.example", "allow_private": true}, http.StatusBadRequest, "allow_private"},
		{map[string]any{"host": "x.example", "max_pages": "many"}, http.StatusBadRequest, "max_pages"},
		{map[string]any{"host": "x.example", "languages": []string{"english"}}, http.StatusBadRequest, "languages"},
		// The SSRF rules: nothing on this machine or a private network.
		{map[string]any{"host": "127.0.0.1"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "127.0.0.1:8090"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "localhost"}, http.StatusBadRequest, "this machine"},
		{map[string]any{"host": "app.localhost:8080"}, http.StatusBadRequest, "this machine"},
		{map[string]any{"host": "10.1.2.3"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "169.254.169.254"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "[::1]:80"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "[::ffff:127.0.0.1]"}, http.StatusBadRequest, "not a public address"},
		{map[string]any{"host": "x.example", "extra_hosts": []string{"192.168.1.1"}}, http.StatusBadRequest, "not a public address"},
	} {
		a := ac.call(t, "POST", "/api/v1/sites", admin, c.body)
		if a.status != c.status || !strings.Contains(string(a.body), c.want) {
			t.Errorf("add %v: %d %s, want %d %q", c.body, a.status, a.body, c.status, c.want)
		}
	}
	// PATCH changes what it names and keeps the rest.
	a = ac.call(t, "PATCH", "/api/v1/sites/news.example.org", admin, map[string]any{"enabled": false, "max_concurrency": 4})
	a.decode(t, &site)
	if a.status != 200 || site.Enabled || site.MaxConcurrency != 4 || site.MaxPages != 50 || site.Schedule != "@every 15m" ||
		fmt.Sprint(site.Languages) != "[en]" {
		t.Fatalf("patch: %d %s", a.status, a.body)
	}
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"PATCH", "/api/v1/sites/news.example.org", map[string]any{"schedule": "* * *"}, http.StatusBadRequest},
		{"PATCH", "/api/v1/sites/news.example.org", map[string]any{"host": "other.example"}, http.StatusBadRequest},
		{"PATCH", "/api/v1/sites/nowhere.example", map[string]any{"enabled": true}, http.StatusNotFound},
		{"POST", "/api/v1/sites/nowhere.example/crawl", nil, http.StatusNotFound},
		{"DELETE", "/api/v1/sites/a.example", nil, http.StatusConflict}, // it has articles
		{"DELETE", "/api/v1/sites/news.example.org", nil, http.StatusNoContent},
		{"DELETE", "/api/v1/sites/news.example.org", nil, http.StatusNotFound},
		{"DELETE", "/api/v1/sites/a.example?force=true", nil, http.StatusNoContent},
	} {
		if a := ac.call(t, c.method, c.path, admin, c.body); a.status != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, a.status, a.body, c.status)
		}
	}
	if n, _ := ac.db.CountArticles(context.Background(), "a.example"); n != 0 {
		t.Errorf("a.example's articles after a forced delete: %d", n)
	}
}

func TestAdminCrawlQueued(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	admin := ac.user(t, "root", newsline.RoleAdmin)
	var q api.CrawlQueuedJSON
	a := ac.call(t, "POST", "/api/v1/sites/B.example/crawl", admin, nil)
	a.decode(t, &q)
	if a.status != http.StatusAccepted || q.Host != "b.example" || !q.Queued {
		t.Fatalf("crawl: %d %s", a.status, a.body)
	}
	ac.call(t, "POST", "/api/v1/sites/b.example/crawl", admin, nil).decode(t, &q)
	if q.Queued {
		t.Error("a second crawl queued while the first waits")
	}
	insp := asynq.NewInspectorFromRedisClient(ac.rdb)
	tasks, err := insp.ListPendingTasks(jobs.QueueCrawl)
	if err != nil || len(tasks) != 1 || tasks[0].Type != jobs.TypeCrawlSite || !strings.Contains(string(tasks[0].Payload), `"b.example"`) {
		t.Fatalf("queued tasks %+v: %v", tasks, err)
	}
}
