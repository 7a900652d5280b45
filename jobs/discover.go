package jobs

import (
	"context"
	"strings"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/store"
)

// discoverOptions connect a site's discovery to the database: URLs already
// recorded are left to their fetch tasks, and a page discovery reads that
// turns out to be an article is stored from that very response.
func (h *Handlers) discoverOptions(site newsline.Site, prior map[string]crawler.Validator) crawler.DiscoverOptions {
	return crawler.DiscoverOptions{
		Prior: prior,
		Known: h.DB.KnownURLs,
		Article: func(ctx context.Context, rawURL string, p *crawler.Page) (bool, error) {
			return h.keepArticle(ctx, site, rawURL, p)
		},
	}
}

// articleKinds are the kinds of page that hold one story (extract's
// Kind); an index, error or stub page is read for its links instead.
var articleKinds = map[string]bool{
	extract.KindArticle: true, extract.KindPaywall: true, extract.KindGallery: true, extract.KindVideo: true,
}

// declaresArticle reports whether a page's declared type (JSON-LD @type or
// og:type) is a story: Article, NewsArticle, ReportageNewsArticle,
// BlogPosting, og:type article and the like.
func declaresArticle(t string) bool {
	t = strings.ToLower(t)
	return strings.Contains(t, "article") || strings.HasSuffix(t, "posting") || t == "report"
}

// keepArticle extracts a page discovery read, and when it holds a story
// records its URL and stores it, so the page is fetched once. It reports
// whether it did. Discovery reads only pages whose URL looks like no
// article's, such as section pages, and a list of teasers can pass for an
// article's text; so the page must also declare itself an article.
func (h *Handlers) keepArticle(ctx context.Context, site newsline.Site, rawURL string, p *crawler.Page) (bool, error) {
	a, err := h.extract(ctx, site.Languages, p.URL, p.Body)
	if err != nil || !articleKinds[a.Kind] || !declaresArticle(a.DeclaredType) {
		return false, ctx.Err()
	}
	u, err := h.DB.RecordURL(ctx, site.ID, rawURL, store.SourcePage)
	if err != nil {
		return false, err
	}
	out, err := h.save(ctx, site, u.ID, p, &a)
	if err != nil {
		return false, err
	}
	h.Logger.DebugContext(ctx, "kept an article found in discovery", "site", site.Host, "url", rawURL, "outcome", out.Reason, "article_id", out.ArticleID)
	return true, nil
}

// AddCandidates records what discovery found, each URL with how it was
// found, and returns how many URLs were new.
func (h *Handlers) AddCandidates(ctx context.Context, siteID int64, d *crawler.Discovery) (int, error) {
	bySource := map[string][]string{}
	for _, u := range d.Articles {
		src := d.Origin[u]
		bySource[src] = append(bySource[src], u)
	}
	added := 0
	// Listed first, so their ids, and so their turn, come first.
	for _, src := range []string{crawler.OriginFeed, crawler.OriginSitemap, crawler.OriginPage} {
		n, err := h.DB.AddURLsFrom(ctx, siteID, src, bySource[src])
		if err != nil {
			return added, err
		}
		added += n
	}
	return added, nil
}
