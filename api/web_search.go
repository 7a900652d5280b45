package api

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/search"
)

// webSearchPageSize is how many hits a search page shows.
const webSearchPageSize = 20

// searchForm is the search page's form as the reader filled it in.
type searchForm struct {
	Site, Author, Language, Section, From, To, Sort string
}

// facetGroup is one facet (site, language) with a link per value that
// narrows the search to it, or widens it again.
type facetGroup struct {
	Name   string
	Values []facetValue
}

type facetValue struct {
	Value   string
	Count   int64
	URL     string
	Current bool
}

type searchView struct {
	page
	F     searchForm
	Sites []string
	// Filtered is set when a filter is in use: the filters start open.
	Filtered bool
	Matches  string
	Since    *time.Time
	Facets   []facetGroup
	Items    []listItem
	Next     string
}

// searchPage serves /search: the form with its filters, and with words to
// look for, the matches with their highlighted snippets, facets and a
// link to the next page. Parameters it does not know are ignored, as
// pages are linked from anywhere.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := &searchView{page: page{Title: "Search", Nav: "search", Query: strings.TrimSpace(q.Get("q"))},
		F: searchForm{Site: q.Get("site"), Author: q.Get("author"), Language: q.Get("language"), Section: q.Get("section"),
			From: q.Get("from"), To: q.Get("to"), Sort: q.Get("sort")}}
	f := data.F
	data.Filtered = f.Site != "" || f.Author != "" || f.Language != "" || f.Section != "" || f.From != "" || f.To != "" || f.Sort == search.SortDate
	var err error
	if data.Sites, err = s.DB.SiteHosts(r.Context()); err != nil {
		s.pageError(w, r, err)
		return
	}
	if data.Query == "" {
		s.render(w, r, http.StatusOK, "search", data)
		return
	}
	data.Title = data.Query
	p, err := webSearchParams(r)
	if err == nil {
		err = p.Validate()
	}
	if err == nil {
		data.Feeds = s.pageFeeds(feedView{kind: "search", search: search.Params{Query: p.Query, Site: p.Site, Author: p.Author,
			Language: p.Language, Section: p.Section, From: p.From, To: p.To}}, "Newsline: “"+p.Query+"”")
		var res *search.Results
		if res, err = s.querySearch(r.Context(), p); err == nil {
			data.fill(r, p, res)
			s.render(w, r, http.StatusOK, "search", data)
			return
		}
	}
	if newsline.ErrorCode(err) != newsline.EINVALID {
		s.pageError(w, r, err)
		return
	}
	data.Error = newsline.ErrorMessage(err)
	s.render(w, r, http.StatusBadRequest, "search", data)
}

// webSearchParams reads the search page's query string.
func webSearchParams(r *http.Request) (search.Params, error) {
	q := r.URL.Query()
	p := search.Params{Query: q.Get("q"), Site: q.Get("site"), Author: q.Get("author"), Language: q.Get("language"),
		Section: q.Get("section"), Sort: q.Get("sort"), Cursor: q.Get("cursor"), Limit: webSearchPageSize, Facets: true}
	var err error
	if p.Offset, err = intParam(r, "offset", 0); err != nil {
		return p, err
	}
	if p.From, err = dateParam(r, "from"); err != nil {
		return p, err
	}
	p.To, err = dateParam(r, "to")
	return p, err
}

// fill puts the results of p on the page.
func (d *searchView) fill(r *http.Request, p search.Params, res *search.Results) {
	for _, h := range res.Hits {
		// search.Hit.Headline is escaped text with <mark> tags only.
		d.Items = append(d.Items, listItem{Article: h.Article, Headline: template.HTML(h.Headline)})
	}
	if len(res.Hits) > 0 {
		d.Matches = res.MatchesText()
	}
	if !res.Since.IsZero() {
		d.Since = &res.Since
	}
	// The links keep the reader's filters and start again at page one.
	base := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "offset" && k != "cursor" && len(v) > 0 && v[0] != "" {
			base[k] = v[:1]
		}
	}
	switch {
	case res.NextCursor != "":
		d.Next = nextURL("/search", base, "cursor", res.NextCursor)
	case res.More:
		d.Next = nextURL("/search", base, "offset", strconv.Itoa(p.Offset+len(res.Hits)))
	}
	for _, name := range []string{"site", "language"} {
		g := facetGroup{Name: map[string]string{"site": "Site", "language": "Language"}[name]}
		for _, f := range res.Facets[name] {
			current := base.Get(name) == f.Value
			link := url.Values{}
			for k, v := range base {
				link[k] = v
			}
			if current {
				link.Del(name)
			} else {
				link.Set(name, f.Value)
			}
			g.Values = append(g.Values, facetValue{Value: f.Value, Count: f.Count, URL: "/search?" + link.Encode(), Current: current})
		}
		if len(g.Values) > 0 {
			d.Facets = append(d.Facets, g)
		}
	}
}
