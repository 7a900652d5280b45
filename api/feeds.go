package api

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/internal/suggest"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// Feed defaults.
const (
	defaultFeedItems = 50
	// feedCacheControl lets readers and proxies keep a feed a minute, then
	// revalidate it with its ETag, which costs the server nothing while the
	// feed is cached.
	feedCacheControl = "public, max-age=60"
)

// feedView is one feed a request asks for.
type feedView struct {
	kind    string // latest, site, author, section or search
	name    string // the site's host, the author's or section's slug
	format  feed.Format
	limit   int
	summary bool          // items carry the summary only
	search  search.Params // kind search
}

// feedParams are the query parameters every feed takes; a search feed also
// takes the search's filters.
var (
	feedParams       = []string{"limit", "content"}
	searchFeedParams = []string{"limit", "content", "q", "site", "author", "language", "section", "from", "to"}
)

func (s *Server) feedRoutes() []route {
	return []route{
		{"GET /feeds/{file}", s.serveFeed("")}, // latest.*, search.*
		{"GET /feeds/sites/{file}", s.serveFeed("site")},
		{"GET /feeds/authors/{file}", s.serveFeed("author")},
		{"GET /feeds/sections/{file}", s.serveFeed("section")},
	}
}

func (s *Server) serveFeed(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := parseFeedView(r, kind)
		if err != nil {
			s.error(w, r, err)
			return
		}
		key := feedKey(r.URL.Path, v)
		f := s.caches().feeds.get(key)
		if f == nil {
			if f, err = s.buildFeed(r.Context(), key, v); err != nil {
				s.error(w, r, err)
				return
			}
		}
		writeCached(w, r, f)
	}
}

// parseFeedView reads the feed's name, format and parameters from r.
func parseFeedView(r *http.Request, kind string) (feedView, error) {
	file := r.PathValue("file")
	ext := path.Ext(file)
	format, ok := feed.ParseFormat(strings.TrimPrefix(ext, "."))
	if !ok {
		return feedView{}, newsline.Errorf(newsline.ENOTFOUND, "no feed %q: a feed's name ends in .rss, .atom or .json", file)
	}
	v := feedView{kind: kind, name: strings.TrimSuffix(file, ext), format: format}
	if kind == "" {
		switch v.name {
		case "latest", "search":
			v.kind = v.name
		default:
			return v, newsline.Errorf(newsline.ENOTFOUND, "no feed %q: try latest%s or search%s?q=…", file, ext, ext)
		}
	}
	allowed := feedParams
	if v.kind == "search" {
		allowed = searchFeedParams
	}
	if err := checkParams(r, allowed...); err != nil {
		return v, err
	}
	q := r.URL.Query()
	var err error
	if v.limit, err = feedLimit(r); err != nil {
		return v, err
	}
	switch q.Get("content") {
	case "", "full":
	case "summary":
		v.summary = true
	default:
		return v, newsline.Errorf(newsline.EINVALID, "content must be full (the default) or summary, got %q", q.Get("content"))
	}
	switch v.kind {
	case "author", "section":
		v.name = newsline.Slug(v.name)
	case "site":
		v.name = strings.ToLower(v.name)
	case "search":
		return v, v.parseSearch(r)
	}
	return v, nil
}

// parseSearch reads a search feed's query and filters; a feed lists the
// newest matches.
func (v *feedView) parseSearch(r *http.Request) error {
	q := r.URL.Query()
	v.search = search.Params{Query: q.Get("q"), Site: q.Get("site"), Author: q.Get("author"),
		Language: q.Get("language"), Section: q.Get("section"), Sort: search.SortDate}
	var err error
	if v.search.From, err = dateParam(r, "from"); err != nil {
		return err
	}
	if v.search.To, err = dateParam(r, "to"); err != nil {
		return err
	}
	p := v.search
	p.Limit = 1
	return p.Validate()
}

// feedKey names a feed in the cache: its path and the parameters that
// shape it, in a fixed order.
func feedKey(p string, v feedView) string {
	var b strings.Builder
	b.WriteString(p)
	b.WriteString("?limit=")
	b.WriteString(strconv.Itoa(v.limit))
	if v.summary {
		b.WriteString("&content=summary")
	}
	if v.kind == "search" {
		sp := v.search
		for _, kv := range [][2]string{{"q", sp.Query}, {"site", sp.Site}, {"author", sp.Author}, {"language", sp.Language},
			{"section", sp.Section}, {"from", timeParam(sp.From)}, {"to", timeParam(sp.To)}} {
			if kv[1] != "" {
				b.WriteString("&" + kv[0] + "=" + url.QueryEscape(kv[1]))
			}
		}
	}
	return b.String()
}

// buildFeed reads a feed's articles and encodes it, once however many
// requests for it arrive together, and keeps it in the cache.
func (s *Server) buildFeed(ctx context.Context, key string, v feedView) (*cachedResponse, error) {
	res, err, _ := s.flight.Do(key, func() (any, error) {
		// The request that started the build may go away; the others
		// waiting for it must not fail with it.
		ctx := context.WithoutCancel(ctx)
		meta, q, site, err := s.resolveFeed(ctx, v)
		if err != nil {
			return nil, err
		}
		t := s.caches().feeds.begin(site)
		articles, err := s.feedArticles(ctx, v, q)
		if err != nil {
			return nil, err
		}
		f := s.feedDocument(v, meta, articles)
		var body strings.Builder
		if err := feed.Write(&body, v.format, f); err != nil {
			return nil, err
		}
		var modified time.Time // an empty feed has no Last-Modified
		if len(articles) > 0 {
			modified = f.Updated
		}
		cf := newCachedResponse(key, []byte(body.String()), modified, v.format.ContentType(), feedCacheControl)
		s.expireIfReplica(ctx, cf)
		s.caches().feeds.put(t, cf)
		return cf, nil
	})
	if err != nil {
		return nil, err
	}
	return res.(*cachedResponse), nil
}

// feedMeta is what a feed says of itself.
type feedMeta struct {
	title, description, page string
}

// resolveFeed finds what a feed's name stands for: its title and page, the
// query for its articles, and the site it lists (0 when it spans sites).
func (s *Server) resolveFeed(ctx context.Context, v feedView) (feedMeta, store.FeedQuery, int64, error) {
	q := store.FeedQuery{Limit: v.limit}
	base := s.BaseURL
	switch v.kind {
	case "site":
		site, err := s.DB.Site(ctx, v.name)
		if err != nil {
			return feedMeta{}, q, 0, s.unknown(ctx, "site", v.name, err)
		}
		q.SiteID = site.ID
		return feedMeta{title: site.Name, description: "The newest articles of " + site.Name + " (" + site.Host + "), collected by Newsline",
			page: base + "/sites/" + url.PathEscape(site.Host)}, q, site.ID, nil
	case "author":
		name, err := s.DB.AuthorName(ctx, v.name)
		if err != nil {
			return feedMeta{}, q, 0, s.unknown(ctx, "author", v.name, err)
		}
		q.AuthorSlug = v.name
		return feedMeta{title: name + " – Newsline", description: "The newest articles by " + name + ", collected by Newsline",
			page: base + "/authors/" + url.PathEscape(v.name)}, q, 0, nil
	case "section":
		_, name, err := s.DB.Section(ctx, v.name)
		if err != nil {
			return feedMeta{}, q, 0, err // a 404 that suggests the closest
		}
		q.SectionKey = v.name
		return feedMeta{title: name + " – Newsline", description: "The newest articles in " + name + " across every site, collected by Newsline",
			page: base + "/sections/" + url.PathEscape(v.name)}, q, 0, nil
	case "search":
		return feedMeta{title: "“" + v.search.Query + "” – Newsline", description: "The newest articles matching " + v.search.Query,
			page: base + "/?q=" + url.QueryEscape(v.search.Query)}, q, 0, nil
	default:
		return feedMeta{title: "Newsline", description: "The newest articles of every site Newsline follows", page: base + "/"}, q, 0, nil
	}
}

// unknown turns a name nobody has into a 404 that suggests the closest one.
func (s *Server) unknown(ctx context.Context, what, name string, err error) error {
	if newsline.ErrorCode(err) != newsline.ENOTFOUND {
		return err
	}
	closest := map[string]func(context.Context, string) (string, error){
		"site": s.DB.ClosestSite, "author": s.DB.ClosestAuthor, "section": s.DB.ClosestSection}[what]
	best := ""
	if closest != nil {
		if best, err = closest(ctx, name); err != nil {
			return err
		}
	}
	return newsline.Errorf(newsline.ENOTFOUND, "no %s %q%s", what, name, suggest.Hint(best))
}

// feedArticles reads a feed's articles; a search feed pages through the
// search's newest matches first.
func (s *Server) feedArticles(ctx context.Context, v feedView, q store.FeedQuery) ([]newsline.Article, error) {
	if v.kind != "search" {
		return s.DB.FeedArticles(ctx, q)
	}
	p := v.search
	q.IDs = []int64{}
	for len(q.IDs) < v.limit {
		p.Limit = min(v.limit-len(q.IDs), search.MaxLimit)
		res, err := s.searcher.Query(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			q.IDs = append(q.IDs, h.Article.ID)
		}
		if res.NextCursor == "" {
			break
		}
		p.Cursor = res.NextCursor
	}
	return s.DB.FeedArticles(ctx, q)
}

// feedDocument makes the feed of articles.
func (s *Server) feedDocument(v feedView, m feedMeta, articles []newsline.Article) *feed.Feed {
	self := s.BaseURL + feedPath(v, v.format)
	f := &feed.Feed{Title: m.title, Description: m.description, SelfURL: self, SiteURL: m.page,
		IconURL: s.BaseURL + "/favicon.ico", ImageURL: s.BaseURL + "/icon.png", Updated: s.started}
	for _, other := range []feed.Format{feed.RSS, feed.Atom, feed.JSON} {
		if other != v.format {
			f.Alternates = append(f.Alternates, feed.Link{URL: s.BaseURL + feedPath(v, other), Type: other.MediaType(), Title: m.title})
		}
	}
	langs := map[string]int{}
	for i, a := range articles {
		it := feedItem(a, v.summary)
		if i == 0 || it.Updated.After(f.Updated) {
			f.Updated = it.Updated
		}
		langs[a.Language]++
		f.Items = append(f.Items, it)
	}
	f.Language = majority(langs)
	return f
}

// feedPath is the path and query of view v in format.
func feedPath(v feedView, format feed.Format) string {
	var p string
	switch v.kind {
	case "site":
		p = "/feeds/sites/" + url.PathEscape(v.name)
	case "author":
		p = "/feeds/authors/" + url.PathEscape(v.name)
	case "section":
		p = "/feeds/sections/" + url.PathEscape(v.name)
	case "me":
		p = "/feeds/me/" + url.PathEscape(v.name)
	case "bookmarks":
		p = "/feeds/me/" + url.PathEscape(v.name) + "/bookmarks"
	default:
		p = "/feeds/" + v.kind
	}
	p += "." + format.Ext()
	q := url.Values{}
	if v.limit != defaultFeedItems {
		q.Set("limit", strconv.Itoa(v.limit))
	}
	if v.summary {
		q.Set("content", "summary")
	}
	if v.kind == "search" {
		sp := v.search
		for k, val := range map[string]string{"q": sp.Query, "site": sp.Site, "author": sp.Author, "language": sp.Language,
			"section": sp.Section, "from": timeParam(sp.From), "to": timeParam(sp.To)} {
			if val != "" {
				q.Set(k, val)
			}
		}
	}
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// timeParam writes a date filter back as a query parameter.
func timeParam(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// feedItem is an article as a feed's item: it links to the source, and its
// guid is the article's canonical URL, which stays the same whatever
// address Newsline is served from.
func feedItem(a newsline.Article, summaryOnly bool) feed.Item {
	it := feed.Item{GUID: a.CanonicalURL, Title: a.Title, Link: a.CanonicalURL, Authors: a.Authors,
		Summary: a.Summary, Updated: a.UpdatedAt}
	if it.Summary == "" {
		it.Summary = a.Excerpt
	}
	if a.PublishedAt != nil {
		it.Published = *a.PublishedAt
	}
	if a.ModifiedAt != nil && a.ModifiedAt.After(it.Updated) {
		it.Updated = *a.ModifiedAt
	}
	if !summaryOnly {
		it.ContentHTML = a.HTML
	}
	if a.ImageURL != "" {
		it.Image = &feed.Enclosure{URL: a.ImageURL} // the writer names its type
	}
	seen := map[string]bool{}
	for _, c := range append([]string{a.Section}, a.Keywords...) {
		if k := strings.ToLower(c); c != "" && !seen[k] {
			seen[k] = true
			it.Categories = append(it.Categories, c)
		}
	}
	return it
}

// majority returns the most frequent non-empty key, the smallest on a tie.
func majority(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		if k != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || counts[k] > counts[best] {
			best = k
		}
	}
	return best
}

// feedLimit reads a feed's limit parameter: how many items, 1 to
// store.MaxFeedItems.
func feedLimit(r *http.Request) (int, error) {
	limit, err := intParam(r, "limit", defaultFeedItems)
	if err != nil {
		return 0, err
	}
	if limit < 1 || limit > store.MaxFeedItems {
		return 0, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", store.MaxFeedItems)
	}
	return limit, nil
}
