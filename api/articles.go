package api

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/store"
)

// ArticleJSON is the API's one representation of an article: a listing's
// item, and a search hit (SearchHitJSON adds headline and rank). Text and
// HTML are only in GET /api/v1/articles/{id}.
type ArticleJSON struct {
	ID           int64             `json:"id"`
	Site         string            `json:"site"`
	SiteName     string            `json:"site_name,omitempty"`
	URL          string            `json:"url"`
	CanonicalURL string            `json:"canonical_url"`
	Title        string            `json:"title"`
	Authors      []string          `json:"authors"`
	PublishedAt  *time.Time        `json:"published_at"`
	ModifiedAt   *time.Time        `json:"modified_at,omitempty"`
	Excerpt      string            `json:"excerpt"`
	ImageURL     string            `json:"image_url,omitempty"`
	Language     string            `json:"language,omitempty"`
	WordCount    int               `json:"word_count"`
	FetchedAt    time.Time         `json:"fetched_at"`
	Section      string            `json:"section,omitempty"`
	Keywords     []string          `json:"keywords"`
	Summary      string            `json:"summary,omitempty"`
	Kind         string            `json:"kind"`
	KindReason   string            `json:"kind_reason,omitempty"`
	Completeness float64           `json:"completeness"`
	Sources      map[string]string `json:"field_sources,omitempty"`
	Text         string            `json:"text,omitempty"`
	HTML         string            `json:"html,omitempty"`
}

// ArticleOf is a's representation.
func ArticleOf(a newsline.Article) ArticleJSON {
	return ArticleJSON{
		ID: a.ID, Site: a.Site, SiteName: a.SiteName, URL: a.URL, CanonicalURL: a.CanonicalURL, Title: a.Title,
		Authors: newsline.NonNil(a.Authors), PublishedAt: a.PublishedAt, ModifiedAt: a.ModifiedAt, Excerpt: a.Excerpt,
		ImageURL: a.ImageURL, Language: a.Language, WordCount: a.WordCount, FetchedAt: a.FetchedAt, Text: a.Text, HTML: a.HTML,
		Section: a.Section, Keywords: newsline.NonNil(a.Keywords), Summary: a.Summary, Kind: a.Kind, KindReason: a.KindReason,
		Completeness: math.Round(a.Completeness*1000) / 1000, Sources: a.Sources, // stored as a 4-byte float
	}
}

// ArticleListJSON is a page of articles.
type ArticleListJSON struct {
	Articles   []ArticleJSON `json:"articles"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// listParams reads a request for a page of articles.
func listParams(r *http.Request) (store.ListParams, error) {
	if err := checkParams(r, "site", "author", "section", "kind", "limit", "cursor"); err != nil {
		return store.ListParams{}, err
	}
	limit, err := limitParam(r, 20, store.MaxPageSize)
	if err != nil {
		return store.ListParams{}, err
	}
	q := r.URL.Query()
	k := q.Get("kind")
	if k != "" && k != "all" && k != "article" {
		return store.ListParams{}, newsline.Errorf(newsline.EINVALID, "kind must be article (the default) or all, got %q", k)
	}
	p := store.ListParams{Site: q.Get("site"), Author: q.Get("author"), Section: q.Get("section"),
		Cursor: q.Get("cursor"), Limit: limit, AllKinds: k == "all"}
	if p.Cursor != "" {
		if _, _, err := cursor.Decode(p.Cursor); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) listArticles(w http.ResponseWriter, r *http.Request) {
	p, err := listParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.DB.Articles(r.Context(), p)
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

func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "article id must be a positive whole number, got %q", r.PathValue("id")))
		return
	}
	a, err := s.DB.Article(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, ArticleOf(a))
}
