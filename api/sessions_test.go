package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
)

func TestSignUp(t *testing.T) {
	closed := newAccounts(t, accountsOptions{})
	jane := map[string]string{"name": "jane", "email": "jane@example.org", "password": "correct horse battery"}
	if a := closed.call(t, "POST", "/api/v1/users", "", jane); a.status != http.StatusForbidden {
		t.Errorf("sign-up while closed: %d %s", a.status, a.body)
	}
	ac := newAccounts(t, accountsOptions{signup: true})
	a := ac.call(t, "POST", "/api/v1/users", "", jane)
	var u api.UserJSON
	a.decode(t, &u)
	if a.status != http.StatusCreated || u.Name != "jane" || u.Role != "reader" {
		t.Fatalf("sign-up: %d %s", a.status, a.body)
	}
	for _, c := range []struct {
		body   any
		status int
	}{
		{map[string]string{"name": "JANE", "email": "j2@example.org", "password": "correct horse battery"}, http.StatusConflict},
		{map[string]string{"name": "jane2", "email": "JANE@example.org", "password": "correct horse battery"}, http.StatusConflict},
		{map[string]string{"name": "jane2", "email": "j2@example.org", "password": "short"}, http.StatusBadRequest},
		{map[string]string{"name": "jane 2", "email": "j2@example.org", "password": "correct horse battery"}, http.StatusBadRequest},
		{map[string]string{"name": "jane2", "email": "not-an-address", "password": "correct horse battery"}, http.StatusBadRequest},
		{map[string]any{"name": "jane2", "email": "j2@example.org", "password": "correct horse battery", "role": "admin"}, http.StatusBadRequest},
		{[]byte(`{"name": "jane2"`), http.StatusBadRequest},
		{[]byte(`{"name": "jane2", "email": "j2@example.org", "password": "correct horse battery"} {}`), http.StatusBadRequest},
		{[]byte(`{"name": "` + strings.Repeat("x", 70000) + `"}`), http.StatusBadRequest},
	} {
		if a := ac.call(t, "POST", "/api/v1/users", "", c.body); a.status != c.status {
			t.Errorf("sign-up %.80v: %d %s, want %d", c.body, a.status, a.body, c.status)
		}
	}
	// Without the JSON content type, a form post is refused.
	if a := ac.call(t, "POST", "/api/v1/sessions", "", nil, "Content-Type", "application/x-www-form-urlencoded"); a.status != http.StatusBadRequest {
		t.Errorf("form body: %d", a.status)
	}
	// The new account logs in by name or email.
	for _, login := range []map[string]string{{"name": "Jane"}, {"email": "jane@EXAMPLE.org"}} {
		login["password"] = "correct horse battery"
		a := ac.call(t, "POST", "/api/v1/sessions", "", login)
		var s api.SessionJSON
		a.decode(t, &s)
		if a.status != http.StatusCreated || !strings.HasPrefix(s.Token, "nls_") || s.User.Name != "jane" {
			t.Fatalf("login %v: %d %s", login, a.status, a.body)
		}
		var me api.UserJSON
		if a := ac.call(t, "GET", "/api/v1/me", s.Token, nil); a.status != 200 {
			t.Fatalf("me: %d %s", a.status, a.body)
		} else if a.decode(t, &me); me.Email != "jane@example.org" {
			t.Errorf("me %+v", me)
		}
	}
}

func TestLoginRateLimit(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	ac.user(t, "jane", newsline.RoleReader)
	wrong := map[string]string{"name": "jane", "password": "not the password"}
	for i := range api.LoginsPerAccountPerMinute {
		if a := ac.call(t, "POST", "/api/v1/sessions", "", wrong); a.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, a.status, a.body)
		}
	}
	a := ac.call(t, "POST", "/api/v1/sessions", "", map[string]string{"name": "jane", "password": "correct horse battery"})
	if secs, err := strconv.Atoi(a.header.Get("Retry-After")); a.status != http.StatusTooManyRequests || err != nil || secs < 1 {
		t.Fatalf("attempt past the account's limit: %d, Retry-After %q: %s", a.status, a.header.Get("Retry-After"), a.body)
	}
	// Per address: names nobody has, one attempt each.
	limited := false
	for i := range api.LoginsPerIPPerMinute {
		a := ac.call(t, "POST", "/api/v1/sessions", "", map[string]string{"name": fmt.Sprintf("nobody%d", i), "password": "x"})
		if a.status == http.StatusTooManyRequests && a.header.Get("Retry-After") != "" {
			limited = true
			break
		}
		if a.status != http.StatusUnauthorized {
			t.Fatalf("unknown name: %d %s", a.status, a.body)
		}
	}
	if !limited {
		t.Error("an address is not limited")
	}
	// Sign-up is limited per address as well.
	open := newAccounts(t, accountsOptions{signup: true})
	limited = false
	for i := range api.SignupsPerIPPerHour + 1 {
		a := open.call(t, "POST", "/api/v1/users", "", map[string]string{"name": fmt.Sprintf("user%d", i),
			"email": fmt.Sprintf("u%d@example.org", i), "password": "correct horse battery"})
		if a.status == http.StatusTooManyRequests && a.header.Get("Retry-After") != "" {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("sign-up is not limited")
	}
}

// login logs jane in and returns the session cookie the answer set.
func login(t *testing.T, ac *accounts, header ...string) *http.Cookie {
	t.Helper()
	a := ac.call(t, "POST", "/api/v1/sessions", "", map[string]string{"name": "jane", "password": "correct horse battery"}, header...)
	if a.status != http.StatusCreated {
		t.Fatalf("login: %d %s", a.status, a.body)
	}
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	t.Fatalf("login set no cookie: %v", a.header)
	return nil
}

func TestSessionCookie(t *testing.T) {
	behind := newAccounts(t, accountsOptions{proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}})
	behind.user(t, "jane", newsline.RoleReader)
	plain := newAccounts(t, accountsOptions{})
	plain.user(t, "jane", newsline.RoleReader)
	for _, c := range []struct {
		name   string
		ac     *accounts
		header []string
		secure bool
	}{
		{"plain HTTP", plain, nil, false},
		{"X-Forwarded-Proto from an untrusted peer", plain, []string{"X-Forwarded-Proto", "https"}, false},
		{"HTTPS at a trusted proxy", behind, []string{"X-Forwarded-Proto", "https"}, true},
		{"HTTP at a trusted proxy", behind, []string{"X-Forwarded-Proto", "http"}, false},
	} {
		ck := login(t, c.ac, c.header...)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != c.secure || ck.Path != "/" {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v", c.name, ck, c.secure)
		}
	}
	// The cookie logs the browser in, and logging out ends the session.
	ck := login(t, plain)
	cookie := api.SessionCookie + "=" + ck.Value
	if a := plain.call(t, "GET", "/api/v1/me", "", nil, "Cookie", cookie); a.status != 200 {
		t.Fatalf("me with the cookie: %d %s", a.status, a.body)
	}
	a := plain.call(t, "DELETE", "/api/v1/sessions/current", "", nil, "Cookie", cookie)
	if a.status != http.StatusNoContent || !strings.Contains(a.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d %v", a.status, a.header)
	}
	if a := plain.call(t, "GET", "/api/v1/me", "", nil, "Cookie", cookie); a.status != http.StatusUnauthorized {
		t.Errorf("me after logout: %d", a.status)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	ac.user(t, "jane", newsline.RoleReader)
	cookie := api.SessionCookie + "=" + login(t, ac).Value
	body := map[string]string{"name": "from a form"}
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "https://evil.example"},
	} {
		a := ac.call(t, "POST", "/api/v1/me/tokens", "", body, "Cookie", cookie, h[0], h[1])
		if a.status != http.StatusForbidden || !strings.Contains(string(a.body), "cross-origin") {
			t.Errorf("%s: %s: %d %s, want 403", h[0], h[1], a.status, a.body)
		}
	}
	// Logging in from another site is refused too (login CSRF).
	if a := ac.call(t, "POST", "/api/v1/sessions", "", map[string]string{"name": "jane", "password": "correct horse battery"},
		"Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
		t.Errorf("cross-site login: %d", a.status)
	}
	// A page of Newsline's own, and the public origin, may post.
	for i, h := range [][]string{{"Sec-Fetch-Site", "same-origin"}, {"Origin", "https://newsline.example"}} {
		body["name"] = fmt.Sprint("own page ", i)
		if a := ac.call(t, "POST", "/api/v1/me/tokens", "", body, "Cookie", cookie, h[0], h[1]); a.status != http.StatusCreated {
			t.Errorf("%s: %s: %d %s", h[0], h[1], a.status, a.body)
		}
	}
	// A cross-site GET reads nothing it could not read anyway: it passes.
	if a := ac.call(t, "GET", "/api/v1/articles", "", nil, "Sec-Fetch-Site", "cross-site"); a.status != 200 {
		t.Errorf("cross-site GET: %d", a.status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	for _, c := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/api/v1/articles"}, {"GET", "/api/v1/me"}, {"GET", "/nope"}, {"GET", "/feeds/latest.rss"},
		{"POST", "/api/v1/articles"}, {"POST", "/api/v1/sessions"}, {"GET", "/feeds/me/nope.rss"},
	} {
		a := ac.call(t, c.method, c.path, "", nil, "Accept", "text/html")
		h := a.header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s %s (%d): headers %v", c.method, c.path, a.status, h)
		}
	}
}

func TestAPITokens(t *testing.T) {
	ac := newAccounts(t, accountsOptions{})
	session := ac.user(t, "jane", newsline.RoleReader)
	a := ac.call(t, "POST", "/api/v1/me/tokens", session, map[string]string{"name": "feed reader"})
	var nt api.NewTokenJSON
	a.decode(t, &nt)
	if a.status != http.StatusCreated || !strings.HasPrefix(nt.Token, "nlt_") || nt.LastUsedAt != nil {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if a := ac.call(t, "POST", "/api/v1/me/tokens", session, map[string]string{"name": "feed reader"}); a.status != http.StatusConflict {
		t.Errorf("same name: %d", a.status)
	}
	if a := ac.call(t, "POST", "/api/v1/me/tokens", session, map[string]string{"name": "bad/name"}); a.status != http.StatusBadRequest {
		t.Errorf("bad name: %d", a.status)
	}
	// Shown once: the list never holds it, the database only its hash.
	list := ac.call(t, "GET", "/api/v1/me/tokens", session, nil)
	if strings.Contains(string(list.body), nt.Token) || strings.Contains(string(list.body), "nlt_") {
		t.Errorf("the list shows the token: %s", list.body)
	}
	var plain int
	if err := ac.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens WHERE position(convert_to($1, 'UTF8') in token_hash) > 0`,
		nt.Token).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("token stored as it is: %d %v", plain, err)
	}
	// Using it records its last use; a list says when.
	if a := ac.call(t, "GET", "/api/v1/me/bookmarks", nt.Token, nil); a.status != 200 {
		t.Fatalf("use: %d %s", a.status, a.body)
	}
	var toks api.TokenListJSON
	ac.call(t, "GET", "/api/v1/me/tokens", session, nil).decode(t, &toks)
	if len(toks.Tokens) != 1 || toks.Tokens[0].LastUsedAt == nil {
		t.Errorf("after use: %+v", toks)
	}
	// An API token is not a session: it does not log out.
	if a := ac.call(t, "DELETE", "/api/v1/sessions/current", nt.Token, nil); a.status != http.StatusBadRequest {
		t.Errorf("logout with a token: %d", a.status)
	}
	if a := ac.call(t, "DELETE", "/api/v1/me/tokens/feed%20reader", session, nil); a.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	if a := ac.call(t, "GET", "/api/v1/me", nt.Token, nil); a.status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", a.status)
	}
	if a := ac.call(t, "DELETE", "/api/v1/me/tokens/feed%20reader", session, nil); a.status != http.StatusNotFound {
		t.Errorf("revoke twice: %d", a.status)
	}
}
