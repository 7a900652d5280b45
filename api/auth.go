package api

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// SessionCookie is the name of the cookie a browser's login is kept in.
const SessionCookie = "newsline_session"

// authKey is the context key of a request's authenticated user.
type authKey struct{}

// authInfo is who made a request and with what.
type authInfo struct {
	user newsline.User
	cred store.Credential
}

// userHandler is a handler that needs a logged-in user.
type userHandler func(w http.ResponseWriter, r *http.Request, u newsline.User)

// credentials returns the token a request carries: an Authorization
// Bearer header, else the session cookie; "" when it has none. A header
// that is not Bearer is refused rather than ignored.
func credentials(r *http.Request) (string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", newsline.Errorf(newsline.EUNAUTHORIZED, "the Authorization header must be \"Bearer TOKEN\"")
		}
		return token, nil
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		return c.Value, nil
	}
	return "", nil
}

// authenticate returns the request's user, or an EUNAUTHORIZED error when
// it carries no valid credentials.
func (s *Server) authenticate(r *http.Request) (authInfo, error) {
	if info, ok := r.Context().Value(authKey{}).(authInfo); ok {
		return info, nil
	}
	token, err := credentials(r)
	if err != nil {
		return authInfo{}, err
	}
	if token == "" {
		return authInfo{}, newsline.Errorf(newsline.EUNAUTHORIZED,
			"log in first: send Authorization: Bearer TOKEN (POST /api/v1/sessions or an API token) or the session cookie")
	}
	u, cred, err := s.DB.Authenticate(r.Context(), token)
	return authInfo{user: u, cred: cred}, err
}

// withUser serves h to a logged-in user; anyone else gets a 401.
func (s *Server) withUser(h userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		info, err := s.authenticate(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), authKey{}, info))
		h(w, r, info.user)
	}
}

// withAdmin serves h to an admin: a 401 without credentials, a 403 for a
// reader.
func (s *Server) withAdmin(h userHandler) http.HandlerFunc {
	return s.withUser(func(w http.ResponseWriter, r *http.Request, u newsline.User) {
		if !u.IsAdmin() {
			s.error(w, r, newsline.Errorf(newsline.EFORBIDDEN, "only an admin may do this; you are a %s", u.Role))
			return
		}
		h(w, r, u)
	})
}

// setSessionCookie gives a browser its login: HttpOnly (no script reads
// it), SameSite=Lax (no other site's form posts it), Secure whenever the
// client reached us over HTTPS.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: int(store.SessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// clearSessionCookie makes a browser forget its login.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// trustedPeer reports whether the request came straight from one of the
// trusted reverse proxies, whose X-Forwarded-* headers are believed.
func (s *Server) trustedPeer(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// secure reports whether the client reached Newsline over HTTPS: its own
// TLS, or a trusted proxy's X-Forwarded-Proto.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.trustedPeer(r) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// clientIP is the address a request came from: the peer, or behind
// trusted proxies the last address in X-Forwarded-For that is not one of
// them (the ones before it are the client's to make up).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trustedPeer(r) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		trusted := false
		for _, p := range s.TrustedProxies {
			trusted = trusted || p.Contains(ip.Unmap())
		}
		if !trusted {
			return ip.Unmap().String()
		}
	}
	return host
}
