package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
)

// webForms exercises the web app's account pages and forms for
// TestOpenAPI: with a session cookie, without one, from another site, and
// with the database gone.
type webForms struct {
	la     *liveArchive
	open   *httptest.Server // a server over the same database with sign-up open
	closed *httptest.Server // and one with sign-up closed
	cookie string           // a reader's session, kept for the database's outage
}

func newWebForms(t *testing.T, la *liveArchive) *webForms {
	t.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	wf := &webForms{la: la}
	for _, signup := range []bool{true, false} {
		srv := httptest.NewServer((&api.Server{DB: la.served, Redis: rdb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			BaseURL: "https://newsline.example", Signup: signup}).Handler())
		t.Cleanup(srv.Close)
		if signup {
			wf.open = srv
		} else {
			wf.closed = srv
		}
	}
	return wf
}

// post sends a form to the server with sign-up open.
func (wf *webForms) post(t *testing.T, path string, form url.Values, header http.Header) exchange {
	t.Helper()
	return postForm(t, wf.open.URL+path, form, header)
}

// postForm sends a form without following its redirect.
func postForm(t *testing.T, target string, form url.Values, header http.Header) exchange {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = io.NopCloser(strings.NewReader(body)) // for the validator to read
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: got}
}

// check validates x, which must have status.
func (wf *webForms) check(t *testing.T, v *validator, x exchange, status int) {
	t.Helper()
	if x.status != status {
		t.Errorf("%v, want %d: %.300s", x, status, x.body)
		return
	}
	v.operation(t, x, false)
}

func (wf *webForms) get(t *testing.T, v *validator, path, cookie string, status int) {
	t.Helper()
	var h http.Header
	if cookie != "" {
		h = http.Header{"Cookie": {cookie}}
	}
	wf.check(t, v, do(t, http.MethodGet, wf.open.URL+path, h), status)
}

// login logs name in and returns the session cookie.
func (wf *webForms) login(t *testing.T, v *validator, name string) string {
	t.Helper()
	x := wf.post(t, "/login", url.Values{"name": {name}, "password": {"long enough password"}}, nil)
	wf.check(t, v, x, http.StatusSeeOther)
	c, _, _ := strings.Cut(x.header.Get("Set-Cookie"), ";")
	return c
}

// run makes the requests while the database is up.
func (wf *webForms) run(t *testing.T, v *validator) {
	t.Helper()
	signup := url.Values{"name": {"webreader"}, "email": {"webreader@example.com"}, "password": {"long enough password"}}
	wf.get(t, v, "/signup", "", 200)
	wf.get(t, v, "/signup?%zz", "", 400)
	wf.check(t, v, wf.post(t, "/signup", signup, nil), 303)
	wf.check(t, v, wf.post(t, "/signup", signup, nil), 409)
	wf.check(t, v, wf.post(t, "/signup", url.Values{"name": {"x y"}, "email": {"x@example.com"}, "password": {"long enough password"}}, nil), 400)
	closed := postForm(t, wf.closed.URL+"/signup", signup, nil)
	wf.check(t, v, closed, 403)
	if !strings.Contains(string(closed.body), "Sign-up is closed") {
		t.Errorf("sign-up closed: %.300s", closed.body)
	}
	wf.get(t, v, "/login?next=/my/feed", "", 200)
	wf.get(t, v, "/login?%zz", "", 400)
	wf.check(t, v, wf.post(t, "/login", url.Values{"name": {"webreader"}, "password": {""}}, nil), 400)
	wf.check(t, v, wf.post(t, "/login", url.Values{"name": {"webreader"}, "password": {"wrong password!"}}, nil), 401)
	wf.cookie = wf.login(t, v, "webreader")
	withCookie := http.Header{"Cookie": {wf.cookie}}
	for _, p := range []string{"/my/feed", "/my/bookmarks", "/settings"} {
		wf.get(t, v, p, wf.cookie, 200)
		wf.get(t, v, p, "", 401)
	}
	wf.get(t, v, "/my/feed?cursor=nonsense", wf.cookie, 400)
	wf.get(t, v, "/my/bookmarks?cursor=nonsense", wf.cookie, 400)
	for _, c := range []struct {
		path   string
		form   url.Values
		status int
	}{
		{"/settings/tokens", url.Values{"name": {"laptop"}}, 200},
		{"/settings/tokens", url.Values{"name": {"laptop"}}, 409},
		{"/settings/tokens", url.Values{"name": {""}}, 400},
		{"/settings/tokens/laptop/revoke", nil, 303},
		{"/settings/tokens/laptop/revoke", nil, 404},
		{"/settings/feed-secret", nil, 303},
		{"/sites/news.example/follow", url.Values{"back": {"/sites/news.example"}}, 303},
		{"/sites/nowhere.example/follow", nil, 404},
		{"/sites/news.example/unfollow", nil, 303},
		{"/authors/jane-doe/follow", nil, 303},
		{"/authors/jane-do/follow", nil, 404},
		{"/authors/jane-doe/unfollow", nil, 303},
		{"/articles/" + fmt.Sprint(wf.la.article) + "/bookmark", nil, 303},
		{"/articles/999999999/bookmark", nil, 404},
		{"/articles/" + fmt.Sprint(wf.la.article) + "/unbookmark", nil, 303},
		{"/articles/abc/unbookmark", nil, 404},
	} {
		wf.check(t, v, wf.post(t, c.path, c.form, withCookie), c.status)
		if c.status != 401 {
			wf.check(t, v, wf.post(t, c.path, c.form, nil), 401)
		}
	}
	wf.check(t, v, wf.post(t, "/logout", nil, http.Header{"Cookie": {wf.login(t, v, "webreader")}}), 303)
	for _, p := range webFormPaths(wf.la.article) {
		form := url.Values{"name": {"x"}, "email": {"x@example.com"}, "password": {"long enough password"}}
		wf.check(t, v, wf.post(t, p, form, http.Header{"Sec-Fetch-Site": {"cross-site"}}), 403)
	}
	for i := 0; ; i++ { // the login rate limit, per account
		x := wf.post(t, "/login", url.Values{"name": {"victim"}, "password": {"wrong password!"}}, nil)
		if x.status == http.StatusTooManyRequests || i > 3*api.LoginsPerAccountPerMinute { // attempts refill the limit as they go
			wf.check(t, v, x, http.StatusTooManyRequests)
			break
		}
		wf.check(t, v, x, http.StatusUnauthorized)
	}
}

// webFormPaths are the paths every form posts to.
func webFormPaths(article int64) []string {
	a := fmt.Sprint(article)
	return []string{"/signup", "/login", "/logout", "/settings/tokens", "/settings/tokens/laptop/revoke", "/settings/feed-secret",
		"/sites/news.example/follow", "/sites/news.example/unfollow", "/authors/jane-doe/follow", "/authors/jane-doe/unfollow",
		"/articles/" + a + "/bookmark", "/articles/" + a + "/unbookmark"}
}

// withoutDatabase makes the requests again once the database cannot be
// used: status is 503 (unreachable) or 500 (the server's pool closed).
// On the 500 round it then runs into the sign-up rate limit, which is
// Redis's and answers whatever the database does.
func (wf *webForms) withoutDatabase(t *testing.T, v *validator, status int) {
	t.Helper()
	for _, p := range []string{"/my/feed", "/my/bookmarks", "/settings"} {
		wf.get(t, v, p, wf.cookie, status)
	}
	withCookie := http.Header{"Cookie": {wf.cookie}}
	for _, p := range webFormPaths(wf.la.article)[2:] {
		wf.check(t, v, wf.post(t, p, url.Values{"name": {"desk"}, "password": {"long enough password"}}, withCookie), status)
	}
	wf.check(t, v, wf.post(t, "/login", url.Values{"name": {fmt.Sprint("someone", status)}, "password": {"long enough password"}}, nil), status)
	signup := func(i int) exchange {
		return wf.post(t, "/signup", url.Values{"name": {fmt.Sprintf("new%d-%d", status, i)}, "email": {fmt.Sprintf("new%d-%d@example.com", status, i)},
			"password": {"long enough password"}}, nil)
	}
	wf.check(t, v, signup(0), status)
	if status != http.StatusInternalServerError {
		return
	}
	for i := 1; ; i++ {
		x := signup(i)
		if x.status == http.StatusTooManyRequests || i > 3*api.SignupsPerIPPerHour {
			wf.check(t, v, x, http.StatusTooManyRequests)
			return
		}
		wf.check(t, v, x, status)
	}
}
