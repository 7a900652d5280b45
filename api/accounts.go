package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/store"
)

// accountRoutes are the routes of accounts: signing up, logging in and
// out, and everything under /api/v1/me, which answers a 401 without
// credentials and only ever shows or changes the caller's own things.
func (s *Server) accountRoutes() []route {
	return []route{
		{"POST /api/v1/users", s.signUp},
		{"POST /api/v1/sessions", s.logIn},
		{"DELETE /api/v1/sessions/current", s.withUser(s.logOut)},
		{"GET /api/v1/me", s.withUser(s.getMe)},
		{"GET /api/v1/me/tokens", s.withUser(s.listTokens)},
		{"POST /api/v1/me/tokens", s.withUser(s.createToken)},
		{"DELETE /api/v1/me/tokens/{name}", s.withUser(s.deleteToken)},
		{"GET /api/v1/me/follows", s.withUser(s.listFollows)},
		{"PUT /api/v1/me/follows/sites/{name}", s.withUser(s.follow("site", true))},
		{"DELETE /api/v1/me/follows/sites/{name}", s.withUser(s.follow("site", false))},
		{"PUT /api/v1/me/follows/authors/{name}", s.withUser(s.follow("author", true))},
		{"DELETE /api/v1/me/follows/authors/{name}", s.withUser(s.follow("author", false))},
		{"GET /api/v1/me/bookmarks", s.withUser(s.listBookmarks)},
		{"PUT /api/v1/me/bookmarks/{id}", s.withUser(s.bookmark(true))},
		{"DELETE /api/v1/me/bookmarks/{id}", s.withUser(s.bookmark(false))},
		{"GET /api/v1/me/feed", s.withUser(s.myFeed)},
		{"POST /api/v1/me/feed-secret", s.withUser(s.rotateFeedSecret)},
	}
}

// UserJSON is a user as the API shows them (GET /api/v1/me, sign-up).
type UserJSON struct {
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// Feeds are the user's personal feeds, for feed readers; their URLs
	// hold a secret (rotate it with POST /api/v1/me/feed-secret).
	Feeds *PersonalFeedsJSON `json:"feeds,omitempty"`
}

// PersonalFeedsJSON are a user's two personal feeds in each format.
type PersonalFeedsJSON struct {
	Following FeedLinksJSON `json:"following"`
	Bookmarks FeedLinksJSON `json:"bookmarks"`
}

func userJSON(u newsline.User) UserJSON {
	return UserJSON{Name: u.Name, Email: u.Email, Role: string(u.Role), CreatedAt: u.CreatedAt}
}

// signUpRequest is the body of POST /api/v1/users.
type signUpRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// signUp creates a reader's account when sign-up is open; the first admin
// comes from the CLI.
func (s *Server) signUp(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	if !s.Signup {
		s.error(w, r, newsline.Errorf(newsline.EFORBIDDEN, "sign-up is closed on this server; ask its operator for an account"))
		return
	}
	var req signUpRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	nu, err := newUser(req.Name, req.Email, req.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.allow(w, r, s.signupLimits(r, nu.Name)...) {
		return
	}
	if nu.PasswordHash, err = password.Hash(req.Password); err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.CreateUser(r.Context(), nu)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/me")
	s.writeJSON(w, r, http.StatusCreated, userJSON(u))
}

// newUser checks a new account's name, email and password; the caller
// hashes the password.
func newUser(name, email, pw string) (store.NewUser, error) {
	nu := store.NewUser{Name: strings.TrimSpace(name), Role: newsline.RoleReader}
	if err := newsline.ValidateUserName(nu.Name); err != nil {
		return nu, err
	}
	var err error
	if nu.Email, err = newsline.NormalizeEmail(email); err != nil {
		return nu, err
	}
	return nu, newsline.ValidatePassword(pw)
}

// logInRequest is the body of POST /api/v1/sessions: name or email.
type logInRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// SessionJSON is the answer to a login: the token for Authorization:
// Bearer, shown once (a browser gets it as the session cookie too).
type SessionJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserJSON  `json:"user"`
}

// logIn checks a name (or email) and password and starts a session.
func (s *Server) logIn(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	var req logInRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	login := strings.TrimSpace(req.Name)
	if login == "" {
		login = strings.TrimSpace(req.Email)
	}
	if login == "" || req.Password == "" {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "send name (or email) and password"))
		return
	}
	if len(req.Password) > newsline.MaxPasswordLen || len(login) > newsline.MaxEmailLen {
		s.error(w, r, newsline.Errorf(newsline.EUNAUTHORIZED, "wrong name or password"))
		return
	}
	if !s.allow(w, r, s.loginLimits(r, login)...) {
		return
	}
	u, err := s.checkPassword(r, login, req.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	token, err := s.DB.CreateSession(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.setSessionCookie(w, r, token)
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusCreated, SessionJSON{Token: token, ExpiresAt: time.Now().Add(store.SessionTTL).UTC().Truncate(time.Second),
		User: userJSON(u)})
}

// unknownUserHash is checked when no user has the login, so that a
// wrong name takes as long as a wrong password and does not tell which
// names exist.
const unknownUserHash = "$argon2id$v=19$m=19456,t=2,p=1$FGI0BGd1U72Nn6eQqlkong$Ley9Gd5n74UAWZ4762ArjitkquyJi7jcafj7ySXLwTo"

// checkPassword returns the user whose name or email is login when pw is
// their password; anything else is one EUNAUTHORIZED error.
func (s *Server) checkPassword(r *http.Request, login, pw string) (newsline.User, error) {
	wrong := newsline.Errorf(newsline.EUNAUTHORIZED, "wrong name or password")
	u, hash, err := s.DB.UserLogin(r.Context(), login)
	if newsline.ErrorCode(err) == newsline.ENOTFOUND {
		_, _ = password.Check(pw, unknownUserHash)
		return u, wrong
	}
	if err != nil {
		return u, err
	}
	ok, err := password.Check(pw, hash)
	if err != nil || !ok {
		return u, wrong
	}
	if password.NeedsRehash(hash) {
		if fresh, err := password.Hash(pw); err == nil {
			if err := s.DB.UpdatePasswordHash(r.Context(), u.ID, fresh); err != nil {
				s.Logger.Warn("rehash password", "user", u.Name, "err", err)
			}
		}
	}
	return u, nil
}

// logOut ends the session the request was made with (the cookie's or a
// session's Bearer token) and clears the cookie. An API token is not a
// session: revoke it with DELETE /api/v1/me/tokens/{name}.
func (s *Server) logOut(w http.ResponseWriter, r *http.Request, _ newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	info, _ := s.authenticate(r) // withUser put it in the context
	if !info.cred.Session {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "an API token is not a session; revoke it with DELETE /api/v1/me/tokens/{name}"))
		return
	}
	if err := s.DB.DeleteSession(r.Context(), info.cred.Token); err != nil {
		s.error(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}
