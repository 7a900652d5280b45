package api

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// webPageSize is how many articles a listing page shows.
const webPageSize = 30

// listItem is an article in a listing: a search hit has its highlighted
// snippet.
type listItem struct {
	newsline.Article
	Headline template.HTML
}

func listItems(articles []newsline.Article) []listItem {
	out := make([]listItem, 0, len(articles))
	for _, a := range articles {
		out = append(out, listItem{Article: a})
	}
	return out
}

// latestView is the home page: the newest articles, page by page.
type latestView struct {
	page
	Cursor         string
	Items          []listItem
	Next           string
	TrendingWindow string
	Trending       []search.Term
}

// home serves the newest articles; with q it is the search page, as the
// page's old links (/?q=…) expect.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Has("q") {
		s.searchPage(w, r)
		return
	}
	data := &latestView{page: page{Title: "Latest articles", Nav: "latest",
		Feeds: s.pageFeeds(feedView{kind: "latest"}, "Newsline: latest")}, Cursor: q.Get("cursor")}
	p, err := s.DB.Articles(r.Context(), store.ListParams{Limit: webPageSize, Cursor: data.Cursor})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if data.Cursor == "" {
		// Trending terms are a nicety: the page goes on without them.
		window, terms, err := s.pageTrending(r.Context())
		if err != nil {
			s.Logger.Warn("web page: trending", "err", err)
		}
		data.TrendingWindow, data.Trending = window, terms
	}
	data.Items = listItems(p.Articles)
	data.Next = nextURL("/", url.Values{}, "cursor", p.NextCursor)
	s.render(w, r, http.StatusOK, "latest", data)
}

// listingView is the page of one site, author or section, or a reader's own list.
type listingView struct {
	page
	Heading string
	Site    *siteStatus // a site's page only
	Follow  *formButton // for a signed-in reader
	Items   []listItem
	Empty   string
	Next    string
}

// siteStatus is what a site's page says of its crawling.
type siteStatus struct {
	Host, Schedule string
	Enabled        bool
	Articles       int64
	LastArticleAt  *time.Time
	LastRun        *store.RunSummary
	NextRun        *time.Time
}

// formButton is a one-button form that posts to Action (follow, bookmark,
// …) and comes back to Back.
type formButton struct {
	Action, Back, Label string
	On                  bool // the button undoes: unfollow, remove the bookmark
}

// listingPage serves the page of one site, author or section: its newest
// articles page by page, and its feeds.
func (s *Server) listingPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		v := feedView{kind: kind, name: name}
		p := store.ListParams{Limit: webPageSize, Cursor: r.URL.Query().Get("cursor")}
		data := &listingView{}
		switch kind {
		case "site":
			sum, err := s.DB.SiteSummary(r.Context(), name)
			if err != nil {
				s.pageError(w, r, s.unknown(r.Context(), "site", name, err))
				return
			}
			v.name, p.Site, data.Heading = sum.Host, sum.Host, sum.Name
			data.Site = siteStatusOf(sum)
		case "author":
			v.name = newsline.Slug(name)
			au, err := s.DB.AuthorName(r.Context(), v.name)
			if err != nil {
				s.pageError(w, r, s.unknown(r.Context(), "author", v.name, err))
				return
			}
			p.Author, data.Heading = v.name, au
		case "section":
			key, display, err := s.DB.Section(r.Context(), name)
			if err != nil {
				s.pageError(w, r, err)
				return
			}
			v.name, p.Section, data.Heading = key, key, display
		}
		list, err := s.DB.Articles(r.Context(), p)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		data.page = page{Title: data.Heading, Feeds: s.pageFeeds(v, data.Heading+" – Newsline")}
		data.Follow = s.followButton(r, kind, v.name)
		data.Items = listItems(list.Articles)
		data.Next = nextURL(r.URL.Path, url.Values{}, "cursor", list.NextCursor)
		s.render(w, r, http.StatusOK, "listing", data)
	}
}

func siteStatusOf(sum store.SiteSummary) *siteStatus {
	st := &siteStatus{Host: sum.Host, Schedule: sum.Schedule, Enabled: sum.Enabled, Articles: sum.Articles,
		LastArticleAt: sum.LastArticleAt, LastRun: sum.LastRun}
	if next, err := config.NextRun(sum.Schedule, time.Now()); err == nil && sum.Enabled {
		st.NextRun = &next
	}
	return st
}
