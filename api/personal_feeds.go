package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/store"
)

// personalFeedCacheControl keeps a personal feed out of shared caches:
// its URL is a secret, and it changes with the user's follows.
const personalFeedCacheControl = "private, max-age=60"

func (s *Server) personalFeedRoutes() []route {
	return []route{
		{"GET /feeds/me/{file}", s.personalFeed(false)},
		{"GET /feeds/me/{secret}/{file}", s.personalFeed(true)},
	}
}

// personalFeed serves a user's feeds without a login, for feed readers and
// podcast apps: the secret in the URL is the credential. A secret nobody
// has, a rotated one included, is a 404.
func (s *Server) personalFeed(bookmarks bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := parseFeedView(r, "me") // the format, the parameters; the name as it is
		if err != nil {
			s.error(w, r, err)
			return
		}
		secret := r.PathValue("secret")
		v.kind = "me"
		if bookmarks {
			if v.name != "bookmarks" {
				s.error(w, r, newsline.Errorf(newsline.ENOTFOUND, "no feed %q: try bookmarks.rss, bookmarks.atom or bookmarks.json", r.PathValue("file")))
				return
			}
			v.kind = "bookmarks"
		} else {
			secret = v.name
		}
		v.name = secret
		u, err := s.DB.UserByFeedSecret(r.Context(), secret)
		if err != nil {
			s.error(w, r, err)
			return
		}
		q := store.FeedQuery{Limit: v.limit, FollowerID: u.ID}
		meta := feedMeta{title: u.Name + "’s feed – Newsline", description: "The newest articles of the sites and authors " + u.Name + " follows",
			page: s.BaseURL + "/"}
		if bookmarks {
			q = store.FeedQuery{Limit: v.limit, BookmarksOf: u.ID}
			meta.title, meta.description = u.Name+"’s bookmarks – Newsline", "The articles "+u.Name+" bookmarked, the latest first"
		}
		articles, err := s.DB.FeedArticles(r.Context(), q)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f := s.feedDocument(v, meta, articles)
		var body strings.Builder
		if err := feed.Write(&body, v.format, f); err != nil {
			s.error(w, r, err)
			return
		}
		var modified time.Time
		if len(articles) > 0 {
			modified = f.Updated
		}
		writeCached(w, r, newCachedResponse(r.URL.Path, []byte(body.String()), modified, v.format.ContentType(), personalFeedCacheControl))
	}
}
