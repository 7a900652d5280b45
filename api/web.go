package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// page is the one web page: the newest articles, or search results.
var page = template.Must(template.New("page").Funcs(template.FuncMap{
	// search.Hit.Headline is escaped text with <mark> tags only.
	"headline": func(s string) template.HTML { return template.HTML(s) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Heading}}{{.Heading}} – {{else if .Query}}{{.Query}} – {{end}}Newsline</title>
<link rel="icon" href="/favicon.ico">
{{range .Feeds}}<link rel="alternate" type="{{.Type}}" title="{{.Title}}" href="{{.URL}}">
{{end}}
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
form{display:flex;gap:.5rem;margin:1rem 0 2rem}input{flex:1;padding:.5rem;font-size:1rem}
li{margin:0 0 1.2rem}small{color:#666}mark{background:#ffe58a}.err{color:#a00}
</style></head><body>
<h1><a href="/" style="color:inherit;text-decoration:none">Newsline</a></h1>
<form action="/" method="get"><input name="q" value="{{.Query}}" placeholder="Search the news: words, &quot;a phrase&quot;, -exclude" autofocus><button>Search</button></form>
{{if .Heading}}<h2>{{.Heading}}</h2>{{end}}
{{if .Error}}<p class="err">{{.Error}}</p>{{end}}
{{if .Matches}}<p><small>{{.Matches}}{{if .Since}}; searched those published since {{.Since.Format "2 Jan 2006 15:04"}}{{end}}</small></p>{{end}}
{{if .Trending}}<p><small>Trending {{if eq .TrendingWindow "7d"}}this week{{else}}today{{end}}:{{range $i, $t := .Trending}}{{if $i}} ·{{end}} <a href="/?q={{$t.Term}}">{{$t.Term}}</a>{{end}}</small></p>{{end}}
{{if and (not .Articles) (not .Error)}}<p>No articles yet{{if .Query}} match “{{.Query}}”{{else}}: the crawler is still working, reload in a minute{{end}}.</p>{{end}}
<ol style="list-style:none;padding:0">
{{range .Articles}}<li><a href="{{.URL}}"><strong>{{.Title}}</strong></a><br>
<small>{{.Site}}{{if .PublishedAt}} · {{.PublishedAt.Format "2 Jan 2006 15:04"}}{{end}}{{if .Authors}} · {{range $i, $a := .Authors}}{{if $i}}, {{end}}{{$a}}{{end}}{{end}}</small><br>
{{if .Headline}}{{headline .Headline}}{{else}}{{.Excerpt}}{{end}}</li>
{{end}}</ol>
{{if .Feeds}}<p><small>Subscribe:{{range $i, $f := .Feeds}}{{if $i}} ·{{end}} <a href="{{$f.URL}}">{{$f.Label}}</a>{{end}}</small></p>{{end}}
<p><small>JSON: <a href="/api/v1/articles">/api/v1/articles</a> · <a href="/api/v1/search?q=news">/api/v1/search?q=</a> · <a href="/api/v1/sites">/api/v1/sites</a></small></p>
</body></html>`))

type pageArticle struct {
	newsline.Article
	Headline string
}

// pageData is what the page shows.
type pageData struct {
	Heading        string // a site's, author's or section's name
	Query          string
	Error          string
	Matches        string // "51 matching articles", as the CLI says it
	Since          *time.Time
	Articles       []pageArticle
	TrendingWindow string
	Trending       []search.Term
	Feeds          []feedLink // the page's own feeds, for feed readers to discover
}

// feedLink is one of a page's feeds.
type feedLink struct {
	URL, Type, Title, Label string
}

// pageFeeds are view's feeds in every format.
func (s *Server) pageFeeds(v feedView, title string) []feedLink {
	v.limit = defaultFeedItems
	var out []feedLink
	for _, f := range []feed.Format{feed.RSS, feed.Atom, feed.JSON} {
		out = append(out, feedLink{URL: s.BaseURL + feedPath(v, f), Type: f.MediaType(), Title: title + " (" + f.String() + ")", Label: f.String()})
	}
	return out
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	data := pageData{Query: r.URL.Query().Get("q")}
	data.Feeds = s.pageFeeds(feedView{kind: "latest"}, "Newsline: latest")
	status := http.StatusOK
	if data.Query != "" {
		data.Feeds = s.pageFeeds(feedView{kind: "search", search: search.Params{Query: data.Query}}, "Newsline: “"+data.Query+"”")
		res, err := s.searcher.Query(r.Context(), search.Params{Query: data.Query, Limit: 30})
		switch {
		case newsline.ErrorCode(err) == newsline.EINVALID:
			data.Error, status = newsline.ErrorMessage(err), http.StatusBadRequest
		case err != nil:
			s.pageError(w, r, err)
			return
		default:
			for _, h := range res.Hits {
				data.Articles = append(data.Articles, pageArticle{Article: h.Article, Headline: h.Headline})
			}
			if len(res.Hits) > 0 {
				data.Matches = res.MatchesText()
			}
			if !res.Since.IsZero() {
				data.Since = &res.Since
			}
		}
	} else {
		// Trending terms are a nicety: the page goes on without them.
		window, terms, err := s.pageTrending(r.Context())
		if err != nil {
			s.Logger.Warn("web page: trending", "err", err)
		}
		data.TrendingWindow, data.Trending = window, terms
		p, err := s.DB.Articles(r.Context(), store.ListParams{Limit: 30})
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, a := range p.Articles {
			data.Articles = append(data.Articles, pageArticle{Article: a})
		}
	}
	s.renderPage(w, r, status, data)
}

func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, data pageData) {
	var body bytes.Buffer
	if err := page.Execute(&body, data); err != nil {
		s.error(w, r, fmt.Errorf("web page: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// listingPage serves the page of one site, author or section: its newest
// articles and its feeds.
func (s *Server) listingPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		v := feedView{kind: kind, name: name}
		p := store.ListParams{Limit: 30}
		var heading string
		switch kind {
		case "site":
			site, err := s.DB.Site(r.Context(), name)
			if err != nil {
				s.pageError(w, r, s.unknown(r.Context(), "site", name, err))
				return
			}
			v.name, p.Site, heading = site.Host, site.Host, site.Name
		case "author":
			v.name = newsline.Slug(name)
			au, err := s.DB.AuthorName(r.Context(), v.name)
			if err != nil {
				s.pageError(w, r, s.unknown(r.Context(), "author", v.name, err))
				return
			}
			p.Author, heading = v.name, au
		case "section":
			key, display, err := s.DB.Section(r.Context(), name)
			if err != nil {
				s.pageError(w, r, err)
				return
			}
			v.name, p.Section, heading = key, key, display
		}
		page, err := s.DB.Articles(r.Context(), p)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		data := pageData{Heading: heading, Feeds: s.pageFeeds(v, heading+" – Newsline")}
		for _, a := range page.Articles {
			data.Articles = append(data.Articles, pageArticle{Article: a})
		}
		s.renderPage(w, r, http.StatusOK, data)
	}
}

// pageError shows a person what went wrong on the page itself; a failure
// of Newsline's own is the API's JSON error, which hides the details.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	status, err := s.classify(r, err)
	if status == http.StatusInternalServerError {
		s.writeError(w, r, status, newsline.ErrorCode(err), newsline.ErrorMessage(err))
		return
	}
	if status == http.StatusServiceUnavailable {
		setRetryAfter(w)
	}
	s.renderPage(w, r, status, pageData{Error: newsline.ErrorMessage(err)})
}
