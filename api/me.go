package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
)

// getMe answers who the request's credentials belong to, with the URLs
// of their personal feeds.
func (s *Server) getMe(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	secret, err := s.DB.FeedSecret(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := userJSON(u)
	feeds := s.personalFeedURLs(secret)
	out.Feeds = &feeds
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, out)
}

// personalFeedURLs are the absolute URLs of a user's personal feeds.
func (s *Server) personalFeedURLs(secret string) PersonalFeedsJSON {
	links := func(p string) FeedLinksJSON {
		return FeedLinksJSON{RSS: s.BaseURL + p + "." + feed.RSS.Ext(), Atom: s.BaseURL + p + "." + feed.Atom.Ext(),
			JSON: s.BaseURL + p + "." + feed.JSON.Ext()}
	}
	return PersonalFeedsJSON{Following: links("/feeds/me/" + secret), Bookmarks: links("/feeds/me/" + secret + "/bookmarks")}
}

// rotateFeedSecret gives the user a new feed secret: the old personal
// feed URLs stop working at once.
func (s *Server) rotateFeedSecret(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	secret, err := s.DB.RotateFeedSecret(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, s.personalFeedURLs(secret))
}

// TokenJSON is a personal API token as its owner sees it later: never
// the token itself.
type TokenJSON struct {
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// NewTokenJSON is the answer to creating a token: the only time the token
// is shown.
type NewTokenJSON struct {
	TokenJSON
	Token string `json:"token"`
}

// TokenListJSON is the answer to GET /api/v1/me/tokens.
type TokenListJSON struct {
	Tokens []TokenJSON `json:"tokens"`
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	toks, err := s.DB.APITokens(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := TokenListJSON{Tokens: []TokenJSON{}}
	for _, t := range toks {
		out.Tokens = append(out.Tokens, TokenJSON{Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// createToken makes a named API token and shows it, once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	name := strings.TrimSpace(req.Name)
	if err := newsline.ValidateTokenName(name); err != nil {
		s.error(w, r, err)
		return
	}
	t, token, err := s.DB.CreateAPIToken(r.Context(), u.ID, name)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusCreated, NewTokenJSON{TokenJSON: TokenJSON{Name: t.Name, CreatedAt: t.CreatedAt}, Token: token})
}

// deleteToken revokes one of the user's tokens by name.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.DeleteAPIToken(r.Context(), u.ID, r.PathValue("name")); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
