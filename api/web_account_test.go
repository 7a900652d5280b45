package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
)

// webClient is a browser without script: cookies, redirects followed.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newWebClient(t *testing.T, base string) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &webClient{t: t, base: base, c: &http.Client{Jar: jar}}
}

// do makes a request and returns the final status, path and body.
func (wc *webClient) do(method, path string, form url.Values) (int, string, string) {
	wc.t.Helper()
	req, err := http.NewRequest(method, wc.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		wc.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := wc.c.Do(req)
	if err != nil {
		wc.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		wc.t.Fatal(err)
	}
	if len(body) > maxPageBytes {
		wc.t.Errorf("%s %s: %d bytes, over the budget", method, path, len(body))
	}
	wc.t.Logf("%s %s → %d %s: %d bytes", method, path, resp.StatusCode, resp.Request.URL.Path, len(body))
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			wc.t.Fatalf("%s %s: %v", method, path, err)
		}
		checkAccessible(wc.t, doc)
	}
	return resp.StatusCode, resp.Request.URL.RequestURI(), string(body)
}

// TestWebAccount walks a reader through the account pages without a
// browser: sign up, log in, bookmark, follow, the settings with tokens
// and feed URLs, log out; and checks what a stranger and another site may
// not do.
func TestWebAccount(t *testing.T) {
	t.Parallel()
	srv, db, ids := webArchive(t)
	srv.Config.Handler = (&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://newsline.example",
		Signup: true}).Handler()
	wc := newWebClient(t, srv.URL)
	article := fmt.Sprint(ids["Harbour story 3"])
	steps := []struct {
		name, method, path string
		form               url.Values
		status             int
		at                 string // the path the answer came from, after redirects
		want               []string
	}{
		{"my feed needs a login", "GET", "/my/feed", nil, 401, "/my/feed", []string{"Please log in", "/login?next=%2Fmy%2Ffeed"}},
		{"signup form", "GET", "/signup", nil, 200, "/signup", []string{`id="signup-name"`}},
		{"signup bad", "POST", "/signup", url.Values{"name": {"reader"}, "email": {"nope"}, "password": {"long enough password"}}, 400, "/signup",
			[]string{"is not an address", `value="reader"`}},
		{"signup", "POST", "/signup", url.Values{"name": {"reader"}, "email": {"reader@example.com"}, "password": {"long enough password"}}, 200,
			"/login?created=1&name=reader", []string{"Your account is ready", `value="reader"`}},
		{"signup taken", "POST", "/signup", url.Values{"name": {"reader"}, "email": {"other@example.com"}, "password": {"long enough password"}}, 409, "/signup", nil},
		{"login wrong", "POST", "/login", url.Values{"name": {"reader"}, "password": {"wrong password!"}}, 401, "/login", []string{"wrong name or password"}},
		{"login", "POST", "/login", url.Values{"name": {"reader"}, "password": {"long enough password"}, "next": {"//evil.example/"}}, 200, "/my/feed",
			[]string{"Nothing here yet", `action="/logout"`, "/feeds/me/"}},
		{"article buttons", "GET", "/articles/" + article, nil, 200, "/articles/" + article, []string{`action="/articles/` + article + `/bookmark"`, `action="/sites/other.example/follow"`}},
		{"bookmark", "POST", "/articles/" + article + "/bookmark", url.Values{}, 200, "/articles/" + article, []string{"Remove bookmark"}},
		{"bookmarks", "GET", "/my/bookmarks", nil, 200, "/my/bookmarks", []string{"Harbour story 3"}},
		{"follow", "POST", "/sites/other.example/follow", url.Values{"back": {"/sites/other.example"}}, 200, "/sites/other.example", []string{"Unfollow"}},
		{"follow author", "POST", "/authors/jane-doe/follow", url.Values{}, 200, "/authors/jane-doe", []string{"Unfollow"}},
		{"follow unknown", "POST", "/sites/nowhere.example/follow", url.Values{}, 404, "/sites/nowhere.example/follow", []string{"no site"}},
		{"my feed", "GET", "/my/feed", nil, 200, "/my/feed", []string{"Harbour story 3", "Harbour story 0", `rel="next"`}},
		{"token", "POST", "/settings/tokens", url.Values{"name": {"laptop"}}, 200, "/settings/tokens", []string{"shown this once", "laptop"}},
		{"settings", "GET", "/settings", nil, 200, "/settings", []string{"laptop", "/feeds/me/", "other.example", "Jane Doe"}},
		{"revoke", "POST", "/settings/tokens/laptop/revoke", url.Values{}, 200, "/settings", []string{"No tokens."}},
		{"rotate", "POST", "/settings/feed-secret", url.Values{}, 200, "/settings", []string{"/feeds/me/"}},
		{"unbookmark", "POST", "/articles/" + article + "/unbookmark", url.Values{}, 200, "/articles/" + article, []string{">Bookmark<"}},
		{"logout", "POST", "/logout", url.Values{}, 200, "/", []string{`href="/login"`}},
		{"my feed after logout", "GET", "/my/feed", nil, 401, "/my/feed", []string{"Please log in"}},
		{"bookmark after logout", "POST", "/articles/" + article + "/bookmark", url.Values{}, 401, "/articles/" + article + "/bookmark", nil},
	}
	for _, st := range steps {
		status, at, body := wc.do(st.method, st.path, st.form)
		if status != st.status || at != st.at {
			t.Errorf("%s: %s %s → %d at %s, want %d at %s: %.300s", st.name, st.method, st.path, status, at, st.status, st.at,
				between(body, "<main", "</main>"))
			continue
		}
		for _, w := range st.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in %.3000s", st.name, w, between(body, "<main", "</main>"))
			}
		}
	}
}

// TestWebFormsCrossOrigin refuses a form another site's page posts.
func TestWebFormsCrossOrigin(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Signup: true}).Handler())
	t.Cleanup(srv.Close)
	for _, path := range []string{"/signup", "/login", "/logout", "/sites/news.example/follow", "/articles/1/bookmark"} {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader("name=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", path, resp.StatusCode)
		}
	}
}
