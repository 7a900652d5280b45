package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/store"
)

// maxFormBytes bounds a form's body: a few fields.
const maxFormBytes = 16 << 10

// webAccountRoutes are the web app's pages for accounts and what their
// forms post to. Every form is a plain POST, which CrossOriginProtection
// refuses from another site; each answers with a redirect (303) to a page.
func (s *Server) webAccountRoutes() []route {
	return []route{
		{"GET /signup", s.withViewer(s.signupPage)},
		{"POST /signup", s.signupForm},
		{"GET /login", s.withViewer(s.loginPage)},
		{"POST /login", s.loginForm},
		{"POST /logout", s.logoutForm},
		{"GET /my/feed", s.withReader(s.myFeedPage)},
		{"GET /my/bookmarks", s.withReader(s.myBookmarksPage)},
		{"GET /settings", s.withReader(s.settingsPage)},
		{"POST /settings/tokens", s.withReader(s.createTokenForm)},
		{"POST /settings/tokens/{name}/revoke", s.withReader(s.revokeTokenForm)},
		{"POST /settings/feed-secret", s.withReader(s.rotateSecretForm)},
		{"POST /sites/{name}/follow", s.withReader(s.followForm("site", true))},
		{"POST /sites/{name}/unfollow", s.withReader(s.followForm("site", false))},
		{"POST /authors/{name}/follow", s.withReader(s.followForm("author", true))},
		{"POST /authors/{name}/unfollow", s.withReader(s.followForm("author", false))},
		{"POST /articles/{id}/bookmark", s.withReader(s.bookmarkForm(true))},
		{"POST /articles/{id}/unbookmark", s.withReader(s.bookmarkForm(false))},
	}
}

// withViewer puts the reader a browser is logged in as, if any, in the
// request's context, for the page's layout and buttons. Credentials that
// no longer hold (a session that expired) are no one.
func (s *Server) withViewer(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if token, _ := credentials(r); token != "" {
			info, err := s.authenticate(r)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), authKey{}, info))
			case newsline.ErrorCode(err) != newsline.EUNAUTHORIZED:
				s.pageError(w, r, err)
				return
			}
		}
		h(w, r)
	}
}

// withReader serves h to a logged-in reader; anyone else gets a 401 page
// with the way to log in and come back.
func (s *Server) withReader(h userHandler) http.HandlerFunc {
	return s.withViewer(func(w http.ResponseWriter, r *http.Request) {
		u, ok := viewer(r)
		if !ok {
			s.pageError(w, r, newsline.Errorf(newsline.EUNAUTHORIZED, "log in to see your feed, bookmarks and settings"))
			return
		}
		h(w, r, u)
	})
}

// viewer is the reader withViewer found.
func viewer(r *http.Request) (newsline.User, bool) {
	info, ok := r.Context().Value(authKey{}).(authInfo)
	return info.user, ok
}

// viewerName is the logged-in reader's name for the layout, "" when
// nobody is logged in.
func viewerName(r *http.Request) string {
	u, _ := viewer(r)
	return u.Name
}

// localPath is next when it is a path on this server, else def: a form's
// "come back here" must not send anyone elsewhere.
func localPath(next, def string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return def
	}
	return next
}

// parseForm reads a posted form of at most maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return newsline.Errorf(newsline.EINVALID, "the form could not be read: %v", err)
	}
	return nil
}

type signupView struct {
	page
	Open        bool
	Name, Email string
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup", &signupView{page: page{Title: "Sign up", Nav: "signup"}, Open: s.Signup})
}

// signupForm creates a reader's account and sends them to log in.
func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) {
	data := &signupView{page: page{Title: "Sign up", Nav: "signup"}, Open: s.Signup}
	fail := func(err error) {
		status, err := s.classify(r, err)
		if status >= 500 {
			s.pageError(w, r, err)
			return
		}
		data.Error = newsline.ErrorMessage(err)
		s.render(w, r, status, "signup", data)
	}
	if !s.Signup {
		fail(newsline.Errorf(newsline.EFORBIDDEN, "sign-up is closed on this server; ask its operator for an account"))
		return
	}
	if err := parseForm(w, r); err != nil {
		fail(err)
		return
	}
	pw := r.PostForm.Get("password")
	data.Name, data.Email = strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("email")
	nu, err := newUser(data.Name, data.Email, pw)
	if err != nil {
		fail(err)
		return
	}
	if err := s.limited(w, r, s.signupLimits(r, nu.Name)); err != nil {
		fail(err)
		return
	}
	if nu.PasswordHash, err = password.Hash(pw); err != nil {
		fail(err)
		return
	}
	if _, err := s.DB.CreateUser(r.Context(), nu); err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/login?"+url.Values{"name": {nu.Name}, "created": {"1"}}.Encode(), http.StatusSeeOther)
}

type loginView struct {
	page
	Name, Next string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := &loginView{page: page{Title: "Log in", Nav: "login"}, Name: q.Get("name"), Next: localPath(q.Get("next"), "")}
	if q.Get("created") != "" {
		data.Notice = "Your account is ready: log in."
	}
	s.render(w, r, http.StatusOK, "login", data)
}

// loginForm checks a name (or email) and password, starts a session in
// the cookie, and goes on to the page the reader came for.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	data := &loginView{page: page{Title: "Log in", Nav: "login"}}
	err := parseForm(w, r)
	var u newsline.User
	if err == nil {
		data.Name, data.Next = strings.TrimSpace(r.PostForm.Get("name")), localPath(r.PostForm.Get("next"), "")
		pw := r.PostForm.Get("password")
		switch {
		case data.Name == "" || pw == "":
			err = newsline.Errorf(newsline.EINVALID, "enter your name (or email) and password")
		case len(pw) > newsline.MaxPasswordLen || len(data.Name) > newsline.MaxEmailLen:
			err = newsline.Errorf(newsline.EUNAUTHORIZED, "wrong name or password")
		default:
			u, err = s.pageLogin(w, r, data.Name, pw)
		}
	}
	var token string
	if err == nil {
		token, err = s.DB.CreateSession(r.Context(), u.ID)
	}
	if err != nil {
		status, err := s.classify(r, err)
		if status >= 500 {
			s.pageError(w, r, err)
			return
		}
		data.Error = newsline.ErrorMessage(err)
		s.render(w, r, status, "login", data)
		return
	}
	s.setSessionCookie(w, r, token)
	http.Redirect(w, r, localPath(data.Next, "/my/feed"), http.StatusSeeOther)
}

// logoutForm ends the browser's session, if it has one, and forgets it.
func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.DB.DeleteSession(r.Context(), c.Value); err != nil && newsline.ErrorCode(err) != newsline.ENOTFOUND {
			s.pageError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type settingsView struct {
	page
	Email                    string
	Following, BookmarkFeeds []feedLink
	Sites                    []store.FollowedSite
	Authors                  []store.FollowedAuthor
	Tokens                   []store.APIToken
	NewToken                 *newToken
}

type newToken struct{ Name, Token string }

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, u newsline.User) {
	s.renderSettings(w, r, u, nil)
}

// renderSettings shows the settings page; a token just made is on it once.
func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, u newsline.User, made *newToken) {
	ctx := r.Context()
	secret, err := s.DB.FeedSecret(ctx, u.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data := &settingsView{page: page{Title: "Settings", Nav: "settings"}, Email: u.Email, NewToken: made}
	urls := s.personalFeedURLs(secret)
	for _, f := range []struct {
		dst   *[]feedLink
		links FeedLinksJSON
	}{{&data.Following, urls.Following}, {&data.BookmarkFeeds, urls.Bookmarks}} {
		*f.dst = []feedLink{{URL: f.links.RSS, Label: "RSS"}, {URL: f.links.Atom, Label: "Atom"}, {URL: f.links.JSON, Label: "JSON Feed"}}
	}
	if data.Sites, data.Authors, err = s.DB.Follows(ctx, u.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	if data.Tokens, err = s.DB.APITokens(ctx, u.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store") // secrets
	s.render(w, r, http.StatusOK, "settings", data)
}

func (s *Server) createTokenForm(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if err := newsline.ValidateTokenName(name); err != nil {
		s.pageError(w, r, err)
		return
	}
	_, token, err := s.DB.CreateAPIToken(r.Context(), u.ID, name)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderSettings(w, r, u, &newToken{Name: name, Token: token})
}

func (s *Server) revokeTokenForm(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := s.DB.DeleteAPIToken(r.Context(), u.ID, r.PathValue("name")); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

func (s *Server) rotateSecretForm(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if _, err := s.DB.RotateFeedSecret(r.Context(), u.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}
