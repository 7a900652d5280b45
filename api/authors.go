package api

import (
	"net/http"
	"time"

	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/store"
)

// AuthorItemJSON is an author in the listing.
type AuthorItemJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Articles int64  `json:"articles"`
}

// AuthorListJSON is the answer to GET /api/v1/authors.
type AuthorListJSON struct {
	Authors    []AuthorItemJSON `json:"authors"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

// AuthorJSON is the answer to GET /api/v1/authors/{author}: everyone
// whose name has the slug ("Jane Doe" and "Jane-Doe" are one author).
type AuthorJSON struct {
	Slug             string          `json:"slug"`
	Name             string          `json:"name"`  // the most published name
	Names            []NameCountJSON `json:"names"` // every name, most published first
	Articles         int64           `json:"articles"`
	Sites            []HostCountJSON `json:"sites"` // most articles first
	FirstPublishedAt *time.Time      `json:"first_published_at"`
	LastPublishedAt  *time.Time      `json:"last_published_at"`
	Feeds            FeedLinksJSON   `json:"feeds"`
}

// NameCountJSON is a spelling of an author's name and its articles.
type NameCountJSON struct {
	Name     string `json:"name"`
	Articles int64  `json:"articles"`
}

// HostCountJSON is a site and a number of articles.
type HostCountJSON struct {
	Host     string `json:"host"`
	Articles int64  `json:"articles"`
}

// FeedLinksJSON are the absolute URLs of a view's feeds.
type FeedLinksJSON struct {
	RSS  string `json:"rss"`
	Atom string `json:"atom"`
	JSON string `json:"json"`
}

// feedURLs returns the absolute URLs of a view's feeds.
func (s *Server) feedURLs(v feedView) FeedLinksJSON {
	v.limit = defaultFeedItems
	return FeedLinksJSON{RSS: s.BaseURL + feedPath(v, feed.RSS), Atom: s.BaseURL + feedPath(v, feed.Atom),
		JSON: s.BaseURL + feedPath(v, feed.JSON)}
}

// authorParams reads a request for a page of authors.
func authorParams(r *http.Request) (store.AuthorListParams, error) {
	if err := checkParams(r, "q", "limit", "cursor"); err != nil {
		return store.AuthorListParams{}, err
	}
	limit, err := limitParam(r, 50, store.MaxPageSize)
	if err != nil {
		return store.AuthorListParams{}, err
	}
	q := r.URL.Query()
	p := store.AuthorListParams{Prefix: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit}
	if p.Cursor != "" {
		if _, _, err := cursor.DecodeKey(p.Cursor, 2); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) listAuthors(w http.ResponseWriter, r *http.Request) {
	p, err := authorParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.DB.Authors(r.Context(), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := AuthorListJSON{Authors: []AuthorItemJSON{}, NextCursor: page.NextCursor}
	for _, a := range page.Authors {
		out.Authors = append(out.Authors, AuthorItemJSON{Slug: a.Slug, Name: a.Name, Articles: a.Articles})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getAuthor(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.DB.Author(r.Context(), r.PathValue("author"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := AuthorJSON{Slug: a.Slug, Name: a.Name, Names: []NameCountJSON{}, Articles: a.Articles, Sites: []HostCountJSON{},
		FirstPublishedAt: a.FirstPublished, LastPublishedAt: a.LastPublished,
		Feeds: s.feedURLs(feedView{kind: "author", name: a.Slug})}
	for _, n := range a.Names {
		out.Names = append(out.Names, NameCountJSON{Name: n.Name, Articles: n.Articles})
	}
	for _, h := range a.Sites {
		out.Sites = append(out.Sites, HostCountJSON{Host: h.Host, Articles: h.Articles})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
