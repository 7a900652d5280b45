package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// FollowsJSON is the answer to GET /api/v1/me/follows.
type FollowsJSON struct {
	Sites   []FollowedSiteJSON   `json:"sites"`
	Authors []FollowedAuthorJSON `json:"authors"`
}

// FollowedSiteJSON is a site the user follows.
type FollowedSiteJSON struct {
	Host  string    `json:"host"`
	Name  string    `json:"name"`
	Since time.Time `json:"since"`
}

// FollowedAuthorJSON is an author the user follows, by slug.
type FollowedAuthorJSON struct {
	Slug  string    `json:"slug"`
	Name  string    `json:"name"`
	Since time.Time `json:"since"`
}

func (s *Server) listFollows(w http.ResponseWriter, r *http.Request, u newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	sites, authors, err := s.DB.Follows(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := FollowsJSON{Sites: []FollowedSiteJSON{}, Authors: []FollowedAuthorJSON{}}
	for _, f := range sites {
		out.Sites = append(out.Sites, FollowedSiteJSON{Host: f.Host, Name: f.Name, Since: f.Since})
	}
	for _, f := range authors {
		out.Authors = append(out.Authors, FollowedAuthorJSON{Slug: f.Slug, Name: f.Name, Since: f.Since})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// follow serves PUT and DELETE on /api/v1/me/follows/{sites,authors}/…:
// following twice is no error; unfollowing what one does not follow is a
// 404, as is following a site or author nobody has (with a suggestion).
func (s *Server) follow(kind string, on bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, u newsline.User) {
		if err := checkParams(r); err != nil {
			s.error(w, r, err)
			return
		}
		ctx := r.Context()
		var err error
		switch name := r.PathValue("name"); {
		case kind == "site" && on:
			err = s.unknown(ctx, "site", name, s.DB.FollowSite(ctx, u.ID, name))
		case kind == "site":
			err = s.DB.UnfollowSite(ctx, u.ID, name)
		case on:
			err = s.unknown(ctx, "author", name, s.DB.FollowAuthor(ctx, u.ID, newsline.Slug(name)))
		default:
			err = s.DB.UnfollowAuthor(ctx, u.ID, newsline.Slug(name))
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// articleIDParam reads the {id} of a path.
func articleIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsline.Errorf(newsline.EINVALID, "article id must be a positive whole number, got %q", r.PathValue("id"))
	}
	return id, nil
}

// bookmark serves PUT (keep) and DELETE (drop) on
// /api/v1/me/bookmarks/{id}.
func (s *Server) bookmark(on bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, u newsline.User) {
		if err := checkParams(r); err != nil {
			s.error(w, r, err)
			return
		}
		id, err := articleIDParam(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if on {
			err = s.DB.Bookmark(r.Context(), u.ID, id)
		} else {
			err = s.DB.Unbookmark(r.Context(), u.ID, id)
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// BookmarkJSON is a bookmarked article and when it was bookmarked.
type BookmarkJSON struct {
	ArticleJSON
	BookmarkedAt time.Time `json:"bookmarked_at"`
}

// BookmarkListJSON is the answer to GET /api/v1/me/bookmarks.
type BookmarkListJSON struct {
	Articles   []BookmarkJSON `json:"articles"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// pageParams reads limit and cursor, the parameters of a personal list.
func pageParams(r *http.Request) (int, string, error) {
	if err := checkParams(r, "limit", "cursor"); err != nil {
		return 0, "", err
	}
	limit, err := limitParam(r, 20, store.MaxPageSize)
	return limit, strings.TrimSpace(r.URL.Query().Get("cursor")), err
}

func (s *Server) listBookmarks(w http.ResponseWriter, r *http.Request, u newsline.User) {
	limit, cur, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.DB.Bookmarks(r.Context(), u.ID, cur, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := BookmarkListJSON{Articles: []BookmarkJSON{}, NextCursor: page.NextCursor}
	for i, a := range page.Articles {
		out.Articles = append(out.Articles, BookmarkJSON{ArticleJSON: ArticleOf(a), BookmarkedAt: page.BookmarkedAt[i]})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// myFeed lists the articles of the sites and authors the user follows,
// newest first.
func (s *Server) myFeed(w http.ResponseWriter, r *http.Request, u newsline.User) {
	limit, cur, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.DB.FollowedArticles(r.Context(), u.ID, cur, limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := ArticleListJSON{Articles: []ArticleJSON{}, NextCursor: page.NextCursor}
	for _, a := range page.Articles {
		out.Articles = append(out.Articles, ArticleOf(a))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
