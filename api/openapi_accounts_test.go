package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/store"
)

// seedUsers gives the live archive an admin and a reader; the reader
// follows news.example and bookmarked la.article, so her personal feeds
// list something.
func (la *liveArchive) seedUsers(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	hash, err := password.HashWith("correct horse battery", password.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name  string
		role  newsline.Role
		token *string
	}{{"root", newsline.RoleAdmin, &la.admin}, {"jane", newsline.RoleReader, &la.reader}} {
		user, err := la.db.CreateUser(ctx, store.NewUser{Name: u.name, Email: u.name + "@example.org", PasswordHash: hash, Role: u.role})
		if err != nil {
			t.Fatal(err)
		}
		if *u.token, err = la.db.CreateSession(ctx, user.ID); err != nil {
			t.Fatal(err)
		}
		if u.role == newsline.RoleReader {
			if la.secret, err = la.db.FeedSecret(ctx, user.ID); err != nil {
				t.Fatal(err)
			}
			if err := la.db.FollowSite(ctx, user.ID, "news.example"); err != nil {
				t.Fatal(err)
			}
			if err := la.db.Bookmark(ctx, user.ID, la.article); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// accountCall is a request of an operation that GET cases cannot make:
// another method, a JSON body, credentials.
type accountCall struct {
	method, target string
	token          string   // Bearer; "" for none
	tokenRef       *string  // Bearer, read when the call is made: one an earlier call answered
	header         []string // name, value pairs
	body           string   // JSON; "" for none
	status         int
	invalid        bool                    // the document refuses the request too
	capture        func(body []byte) error // reads what later calls need
}

// doCall makes c and returns the exchange, its request ready for the
// validator to read the body again.
func (la *liveArchive) doCall(t *testing.T, c accountCall) exchange {
	t.Helper()
	req, err := http.NewRequest(c.method, la.srv.URL+c.target, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	token := c.token
	if c.tokenRef != nil {
		token = *c.tokenRef
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body, _ = req.GetBody()
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}
}

// check makes c, validates it against the document, and checks the
// documented headers.
func (la *liveArchive) check(t *testing.T, v *validator, c accountCall) {
	t.Helper()
	x := la.doCall(t, c)
	if x.status != c.status {
		t.Errorf("%v (%s), want %d: %.300s", x, c.body, c.status, x.body)
		return
	}
	v.operation(t, x, c.invalid)
	if route, _, err := v.router.FindRoute(x.req); err == nil {
		if ref := route.Operation.Responses.Status(x.status); ref != nil {
			v.headers(t, x, ref.Value)
		}
	}
	if c.capture != nil {
		if err := c.capture(x.body); err != nil {
			t.Errorf("%v: %v", x, err)
		}
	}
}

// runAccountCalls makes every account, me and admin call with each answer
// its operation documents.
func (la *liveArchive) runAccountCalls(t *testing.T, v *validator) {
	t.Helper()
	var session, apiToken string
	capture := func(dst *string) func([]byte) error {
		return func(b []byte) error {
			var x struct{ Token string }
			if err := json.Unmarshal(b, &x); err != nil || x.Token == "" {
				return fmt.Errorf("no token in %s: %v", b, err)
			}
			*dst = x.Token
			return nil
		}
	}
	for _, c := range la.publicCalls(capture(&session)) {
		la.check(t, v, c)
	}
	for _, c := range la.meCalls(&session, &apiToken, capture(&apiToken)) {
		la.check(t, v, c)
	}
	for _, c := range la.adminCalls() {
		la.check(t, v, c)
	}
}

// crossSite is the header a browser sends with another site's request.
var crossSite = []string{"Sec-Fetch-Site", "cross-site"}

func userBody(name, pw string) string {
	return fmt.Sprintf(`{"name": %q, "email": "%s@example.org", "password": %q}`, name, name, pw)
}

// publicCalls sign up and log in.
func (la *liveArchive) publicCalls(session func([]byte) error) []accountCall {
	const pw = "correct horse battery"
	cs := []accountCall{
		{method: "POST", target: "/api/v1/users", body: userBody("newbie", pw), status: 201},
		{method: "POST", target: "/api/v1/users", body: userBody("Newbie", pw), status: 409},
		{method: "POST", target: "/api/v1/users", body: userBody("new bie", pw), status: 400},
		{method: "POST", target: "/api/v1/users", body: userBody("newbie2", "short"), status: 400, invalid: true},
		{method: "POST", target: "/api/v1/users", body: `{"name": "newbie2", "role": "admin"}`, status: 400, invalid: true},
		{method: "POST", target: "/api/v1/users", body: userBody("newbie3", pw), header: crossSite, status: 403},
		{method: "POST", target: "/api/v1/sessions", body: `{"name": "jane", "password": "` + pw + `"}`, status: 201, capture: session},
		{method: "POST", target: "/api/v1/sessions", body: `{"email": "jane@example.org", "password": "wrong"}`, status: 401},
		{method: "POST", target: "/api/v1/sessions", body: `{"name": "jane"}`, status: 400, invalid: true},
		{method: "POST", target: "/api/v1/sessions", body: `{"name": "jane", "password": "` + pw + `"}`, header: crossSite, status: 403},
	}
	// Sign-ups from one address, and logins to one account, until refused.
	for i := range 11 {
		status := 201
		if i == 10 {
			status = 429
		}
		cs = append(cs, accountCall{method: "POST", target: "/api/v1/users", body: userBody(fmt.Sprint("flood", i), pw),
			header: []string{"X-Forwarded-For", "198.51.100.7"}, status: status})
	}
	for i := range 11 {
		status := 401
		if i == 10 {
			status = 429
		}
		cs = append(cs, accountCall{method: "POST", target: "/api/v1/sessions", body: `{"name": "newbie", "password": "wrong"}`,
			header: []string{"X-Forwarded-For", fmt.Sprint("198.51.100.", 20+i)}, status: status})
	}
	return cs
}

// meCalls use the reader's session, a session logged in by publicCalls
// (logged out here) and an API token made here.
func (la *liveArchive) meCalls(session, apiToken *string, token func([]byte) error) []accountCall {
	me := la.reader
	other := fmt.Sprint(la.first)
	cs := []accountCall{
		{method: "POST", target: "/api/v1/me/tokens", token: me, body: `{"name": "ci"}`, status: 201, capture: token},
		{method: "POST", target: "/api/v1/me/tokens", token: me, body: `{"name": "ci"}`, status: 409},
		{method: "POST", target: "/api/v1/me/tokens", token: me, body: `{"name": ""}`, status: 400, invalid: true},
		{method: "POST", target: "/api/v1/me/tokens", token: me, body: `{"name": "x"}`, header: crossSite, status: 403},
		{method: "POST", target: "/api/v1/me/tokens", body: `{"name": "x"}`, status: 401, invalid: true},
		{method: "POST", target: "/api/v1/me/tokens", token: me, body: `{"name": "tmp"}`, status: 201},
		{method: "DELETE", target: "/api/v1/me/tokens/tmp", token: me, status: 204},
		{method: "DELETE", target: "/api/v1/me/tokens/tmp", token: me, status: 404},
		{method: "DELETE", target: "/api/v1/me/tokens/ci?all=1", token: me, status: 400},
		{method: "DELETE", target: "/api/v1/me/tokens/ci", token: me, header: crossSite, status: 403},
		{method: "DELETE", target: "/api/v1/me/tokens/ci", status: 401, invalid: true},

		{method: "GET", target: "/api/v1/me", token: me, status: 200},
		{method: "GET", target: "/api/v1/me?verbose=1", token: me, status: 400},
		{method: "GET", target: "/api/v1/me", status: 401, invalid: true},
		{method: "GET", target: "/api/v1/me", token: "nls_forged", status: 401},
		{method: "GET", target: "/api/v1/me/tokens", token: me, status: 200},
		{method: "GET", target: "/api/v1/me/tokens?name=ci", token: me, status: 400},
		{method: "GET", target: "/api/v1/me/tokens", status: 401, invalid: true},

		{method: "PUT", target: "/api/v1/me/follows/sites/other.example", token: me, status: 204},
		{method: "PUT", target: "/api/v1/me/follows/sites/nowhere.example", token: me, status: 404},
		{method: "PUT", target: "/api/v1/me/follows/sites/other.example?x=1", token: me, status: 400},
		{method: "PUT", target: "/api/v1/me/follows/sites/other.example", token: me, header: crossSite, status: 403},
		{method: "PUT", target: "/api/v1/me/follows/sites/other.example", status: 401, invalid: true},
		{method: "DELETE", target: "/api/v1/me/follows/sites/other.example", token: me, status: 204},
		{method: "DELETE", target: "/api/v1/me/follows/sites/other.example", token: me, status: 404},
		{method: "DELETE", target: "/api/v1/me/follows/sites/other.example?x=1", token: me, status: 400},
		{method: "DELETE", target: "/api/v1/me/follows/sites/news.example", token: me, header: crossSite, status: 403},
		{method: "DELETE", target: "/api/v1/me/follows/sites/news.example", status: 401, invalid: true},
		{method: "PUT", target: "/api/v1/me/follows/authors/Jane%20Doe", token: me, status: 204},
		{method: "PUT", target: "/api/v1/me/follows/authors/jane-do", token: me, status: 404},
		{method: "PUT", target: "/api/v1/me/follows/authors/jane-doe?x=1", token: me, status: 400},
		{method: "PUT", target: "/api/v1/me/follows/authors/jane-doe", token: me, header: crossSite, status: 403},
		{method: "PUT", target: "/api/v1/me/follows/authors/jane-doe", status: 401, invalid: true},
		{method: "GET", target: "/api/v1/me/follows", token: me, status: 200},
		{method: "GET", target: "/api/v1/me/follows?kind=site", token: me, status: 400},
		{method: "GET", target: "/api/v1/me/follows", status: 401, invalid: true},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe", token: me, status: 204},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe", token: me, status: 404},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe?x=1", token: me, status: 400},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe", token: me, header: crossSite, status: 403},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe", status: 401, invalid: true},

		{method: "PUT", target: "/api/v1/me/bookmarks/" + other, token: me, status: 204},
		{method: "PUT", target: "/api/v1/me/bookmarks/999999999", token: me, status: 404},
		{method: "PUT", target: "/api/v1/me/bookmarks/abc", token: me, status: 400, invalid: true},
		{method: "PUT", target: "/api/v1/me/bookmarks/" + other, token: me, header: crossSite, status: 403},
		{method: "PUT", target: "/api/v1/me/bookmarks/" + other, status: 401, invalid: true},
		{method: "GET", target: "/api/v1/me/bookmarks?limit=1", token: me, status: 200},
		{method: "GET", target: "/api/v1/me/bookmarks?limit=0", token: me, status: 400, invalid: true},
		{method: "GET", target: "/api/v1/me/bookmarks", status: 401, invalid: true},
		{method: "DELETE", target: "/api/v1/me/bookmarks/" + other, token: me, status: 204},
		{method: "DELETE", target: "/api/v1/me/bookmarks/" + other, token: me, status: 404},
		{method: "DELETE", target: "/api/v1/me/bookmarks/0", token: me, status: 400, invalid: true},
		{method: "DELETE", target: "/api/v1/me/bookmarks/" + other, token: me, header: crossSite, status: 403},
		{method: "DELETE", target: "/api/v1/me/bookmarks/" + other, status: 401, invalid: true},
		{method: "GET", target: "/api/v1/me/feed?limit=2", token: me, status: 200},
		{method: "GET", target: "/api/v1/me/feed?cursor=nonsense", token: me, status: 400},
		{method: "GET", target: "/api/v1/me/feed", status: 401, invalid: true},
		{method: "POST", target: "/api/v1/me/feed-secret", token: me, status: 200},
		{method: "POST", target: "/api/v1/me/feed-secret?x=1", token: me, status: 400},
		{method: "POST", target: "/api/v1/me/feed-secret", token: me, header: crossSite, status: 403},
		{method: "POST", target: "/api/v1/me/feed-secret", status: 401, invalid: true},
	}
	// Logging out, with the session publicCalls logged in and the API
	// token made above (which is not a session).
	return append(cs,
		accountCall{method: "DELETE", target: "/api/v1/sessions/current", status: 401, invalid: true},
		accountCall{method: "DELETE", target: "/api/v1/sessions/current", tokenRef: apiToken, status: 400},
		accountCall{method: "DELETE", target: "/api/v1/sessions/current", tokenRef: session, header: crossSite, status: 403},
		accountCall{method: "DELETE", target: "/api/v1/sessions/current", tokenRef: session, status: 204},
		accountCall{method: "GET", target: "/api/v1/me", tokenRef: session, status: 401},
	)
}

// adminCalls manage the whitelist as the admin, and try as the reader.
func (la *liveArchive) adminCalls() []accountCall {
	root, jane := la.admin, la.reader
	return []accountCall{
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "added.example", "schedule": "@every 15m", "max_pages": 20}`, status: 201},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "added.example"}`, status: 409},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "127.0.0.1"}`, status: 400},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "x.example", "allow_private": true}`, status: 400, invalid: true},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"schedule": "@hourly"}`, status: 400, invalid: true},
		{method: "POST", target: "/api/v1/sites", token: jane, body: `{"host": "x.example"}`, status: 403},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "x.example"}`, header: crossSite, status: 403},
		{method: "POST", target: "/api/v1/sites", body: `{"host": "x.example"}`, status: 401, invalid: true},
		{method: "PATCH", target: "/api/v1/sites/added.example", token: root, body: `{"enabled": false, "delay_ms": 3000}`, status: 200},
		{method: "PATCH", target: "/api/v1/sites/nowhere.example", token: root, body: `{"enabled": false}`, status: 404},
		{method: "PATCH", target: "/api/v1/sites/added.example", token: root, body: `{"schedule": "never"}`, status: 400},
		{method: "PATCH", target: "/api/v1/sites/added.example", token: root, body: `{"max_pages": "many"}`, status: 400, invalid: true},
		{method: "PATCH", target: "/api/v1/sites/added.example", token: jane, body: `{"enabled": true}`, status: 403},
		{method: "PATCH", target: "/api/v1/sites/added.example", body: `{"enabled": true}`, status: 401, invalid: true},
		{method: "POST", target: "/api/v1/sites/added.example/crawl", token: root, status: 202},
		{method: "POST", target: "/api/v1/sites/nowhere.example/crawl", token: root, status: 404},
		{method: "POST", target: "/api/v1/sites/added.example/crawl?now=1", token: root, status: 400},
		{method: "POST", target: "/api/v1/sites/added.example/crawl", token: jane, status: 403},
		{method: "POST", target: "/api/v1/sites/added.example/crawl", status: 401, invalid: true},
		{method: "DELETE", target: "/api/v1/sites/news.example", token: root, status: 409},
		{method: "DELETE", target: "/api/v1/sites/added.example?force=maybe", token: root, status: 400, invalid: true},
		{method: "DELETE", target: "/api/v1/sites/added.example", token: jane, status: 403},
		{method: "DELETE", target: "/api/v1/sites/added.example", status: 401, invalid: true},
		{method: "DELETE", target: "/api/v1/sites/added.example", token: root, status: 204},
		{method: "DELETE", target: "/api/v1/sites/added.example", token: root, status: 404},
	}
}

// accountsWithoutDatabase makes one call of each account, me and admin
// operation once PostgreSQL cannot be used: each answers status, with
// Retry-After when it is a 503. pass keeps the sign-ups and logins of one
// pass from the rate limits of another.
func (la *liveArchive) accountsWithoutDatabase(t *testing.T, v *validator, pass int, status int) {
	t.Helper()
	root, jane := la.admin, la.reader
	ip := []string{"X-Forwarded-For", fmt.Sprint("203.0.113.", pass)}
	for _, c := range []accountCall{
		{method: "POST", target: "/api/v1/users", body: userBody(fmt.Sprint("late", pass), "correct horse battery"), header: ip},
		{method: "POST", target: "/api/v1/sessions", body: fmt.Sprintf(`{"name": "late%d", "password": "x"}`, pass), header: ip},
		{method: "DELETE", target: "/api/v1/sessions/current", token: jane},
		{method: "GET", target: "/api/v1/me", token: jane},
		{method: "GET", target: "/api/v1/me/tokens", token: jane},
		{method: "POST", target: "/api/v1/me/tokens", token: jane, body: `{"name": "z"}`},
		{method: "DELETE", target: "/api/v1/me/tokens/z", token: jane},
		{method: "GET", target: "/api/v1/me/follows", token: jane},
		{method: "PUT", target: "/api/v1/me/follows/sites/news.example", token: jane},
		{method: "DELETE", target: "/api/v1/me/follows/sites/news.example", token: jane},
		{method: "PUT", target: "/api/v1/me/follows/authors/jane-doe", token: jane},
		{method: "DELETE", target: "/api/v1/me/follows/authors/jane-doe", token: jane},
		{method: "GET", target: "/api/v1/me/bookmarks", token: jane},
		{method: "PUT", target: fmt.Sprint("/api/v1/me/bookmarks/", la.first), token: jane},
		{method: "DELETE", target: fmt.Sprint("/api/v1/me/bookmarks/", la.first), token: jane},
		{method: "GET", target: "/api/v1/me/feed", token: jane},
		{method: "POST", target: "/api/v1/me/feed-secret", token: jane},
		{method: "POST", target: "/api/v1/sites", token: root, body: `{"host": "later.example"}`},
		{method: "PATCH", target: "/api/v1/sites/news.example", token: root, body: `{"enabled": true}`},
		{method: "DELETE", target: "/api/v1/sites/news.example", token: root},
		{method: "POST", target: "/api/v1/sites/news.example/crawl", token: root},
	} {
		c.status = status
		x := la.doCall(t, c)
		la.check(t, v, c)
		if ra := x.header.Get("Retry-After"); (ra != "") != (status == http.StatusServiceUnavailable) {
			t.Errorf("%v without a database: Retry-After %q", x, ra)
		}
	}
}
