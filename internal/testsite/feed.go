package testsite

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"time"
)

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlText(b *htmlBuf, s string) { _, _ = xmlEscaper.WriteString(b, s) }

const (
	newsSitemapItems = 30
	sitemapNS        = "http://www.sitemaps.org/schemas/sitemap/0.9"
	newsSitemapNS    = "http://www.google.com/schemas/sitemap-news/0.9"
	xmlDecl          = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
)

// Sitemap files listed by /sitemap_index.xml, in order.
var sitemapFiles = []string{"/sitemaps/articles-1.xml.gz", "/sitemaps/articles-2.xml.gz", "/sitemaps/news.xml"}

// latestModified is the newest Modified among all articles (or only the
// allowed ones): the Last-Modified of documents whose content depends on
// them. The caller holds s.mu for reading.
func (s *Site) latestModified(allowedOnly bool) time.Time {
	var t time.Time
	for i := range s.articles {
		a := &s.articles[i]
		if (!allowedOnly || !a.Disallowed) && a.Modified.After(t) {
			t = a.Modified
		}
	}
	return t
}

// latestOf is the newest Modified among the given articles; zero for none.
// The caller holds s.mu for reading.
func (s *Site) latestOf(idx []int) time.Time {
	var t time.Time
	for _, i := range idx {
		if m := s.articles[i].Modified; m.After(t) {
			t = m
		}
	}
	return t
}

// allowedIndexes lists the allowed articles, newest first.
func (s *Site) allowedIndexes() []int {
	out := make([]int, 0, len(s.articles))
	for i := range s.articles {
		if !s.articles[i].Disallowed {
			out = append(out, i)
		}
	}
	return out
}

// sitemapHalf returns the allowed articles of /sitemaps/articles-1.xml.gz
// (the newer half, rounded up) or of articles-2.xml.gz.
func (s *Site) sitemapHalf(second bool) []int {
	idx := s.allowedIndexes()
	mid := (len(idx) + 1) / 2
	if second {
		return idx[mid:]
	}
	return idx[:mid]
}

// newsArticles returns the allowed articles of the news sitemap.
func (s *Site) newsArticles() []int {
	idx := s.allowedIndexes()
	return idx[:min(newsSitemapItems, len(idx))]
}

// renderFeed renders RSS 2.0 with the feedItems newest articles.
func (s *Site) renderFeed(req requestInfo) string {
	base := baseURL(req)
	built := s.latestModified(false)
	var b htmlBuf
	b.Grow(32 << 10)
	b.raw(`<?xml version="1.0" encoding="UTF-8"?>`, "\n",
		`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">`, "\n<channel>\n",
		"<title>", siteName, "</title>\n<link>")
	xmlText(&b, base+"/")
	b.raw("</link>\n<description>", siteTagline, "</description>\n<language>en</language>\n",
		"<lastBuildDate>", built.Format(time.RFC1123Z), "</lastBuildDate>\n",
		`<atom:link href="`)
	xmlText(&b, base+"/feed.xml")
	b.raw(`" rel="self" type="application/rss+xml"/>`, "\n")
	for i := range min(feedItems, len(s.articles)) {
		a := &s.articles[i]
		link := base + a.Path
		b.raw("<item>\n<title>")
		xmlText(&b, a.Title)
		b.raw("</title>\n<link>")
		xmlText(&b, link)
		b.raw("</link>\n<guid isPermaLink=\"true\">")
		xmlText(&b, link)
		b.raw("</guid>\n<pubDate>", a.Published.Format(time.RFC1123Z), "</pubDate>\n<description>")
		xmlText(&b, a.Teaser)
		b.raw("</description>\n")
		for _, au := range a.Authors {
			b.raw("<dc:creator>")
			xmlText(&b, au)
			b.raw("</dc:creator>\n")
		}
		b.raw("<category>")
		xmlText(&b, a.Section)
		b.raw("</category>\n</item>\n")
	}
	b.raw("</channel>\n</rss>\n")
	return b.String()
}

// renderSitemap lists every article that robots.txt allows.
func (s *Site) renderSitemap(req requestInfo) string {
	return s.renderURLSet(req, s.allowedIndexes())
}

// renderURLSet renders a sitemap <urlset> of the given articles.
func (s *Site) renderURLSet(req requestInfo, idx []int) string {
	base := baseURL(req)
	var b htmlBuf
	b.Grow(len(idx) * 140)
	b.raw(xmlDecl, `<urlset xmlns="`, sitemapNS, `">`, "\n")
	for _, i := range idx {
		a := &s.articles[i]
		b.raw("<url><loc>")
		xmlText(&b, base+a.Path)
		b.raw("</loc><lastmod>", a.Modified.Format(time.RFC3339), "</lastmod></url>\n")
	}
	b.raw("</urlset>\n")
	return b.String()
}

// renderSitemapIndex renders /sitemap_index.xml. A child's lastmod is the
// newest Modified it lists (omitted for an empty child).
func (s *Site) renderSitemapIndex(req requestInfo) string {
	base := baseURL(req)
	lastmods := []time.Time{s.latestOf(s.sitemapHalf(false)), s.latestOf(s.sitemapHalf(true)), s.latestOf(s.newsArticles())}
	var b htmlBuf
	b.raw(xmlDecl, `<sitemapindex xmlns="`, sitemapNS, `">`, "\n")
	for k, file := range sitemapFiles {
		b.raw("<sitemap><loc>")
		xmlText(&b, base+file)
		b.raw("</loc>")
		if !lastmods[k].IsZero() {
			b.raw("<lastmod>", lastmods[k].Format(time.RFC3339), "</lastmod>")
		}
		b.raw("</sitemap>\n")
	}
	b.raw("</sitemapindex>\n")
	return b.String()
}

// renderNewsSitemap renders a Google News sitemap of the given articles.
func (s *Site) renderNewsSitemap(req requestInfo, idx []int) string {
	base := baseURL(req)
	var b htmlBuf
	b.Grow(len(idx) * 400)
	b.raw(xmlDecl, `<urlset xmlns="`, sitemapNS, `" xmlns:news="`, newsSitemapNS, `">`, "\n")
	for _, i := range idx {
		a := &s.articles[i]
		b.raw("<url>\n<loc>")
		xmlText(&b, base+a.Path)
		b.raw("</loc>\n<news:news>\n<news:publication>\n<news:name>", siteName, "</news:name>\n",
			"<news:language>en</news:language>\n</news:publication>\n",
			"<news:publication_date>", a.Published.Format(time.RFC3339), "</news:publication_date>\n<news:title>")
		xmlText(&b, a.Title)
		b.raw("</news:title>\n</news:news>\n</url>\n")
	}
	b.raw("</urlset>\n")
	return b.String()
}

// gzipString compresses s. The gzip header carries no name and no
// modification time, so equal input always gives equal bytes (and ETags).
func gzipString(s string) string {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		panic(err) // cannot happen: valid level
	}
	_, _ = zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		panic(err) // cannot happen: in-memory writer
	}
	return buf.String()
}

func (s *Site) renderRobots(req requestInfo) string {
	var b strings.Builder
	b.WriteString("# robots.txt for " + siteName + "\nUser-agent: *\nDisallow: /private/\n")
	if s.cfg.CrawlDelay > 0 {
		b.WriteString("Crawl-delay: " + strconv.Itoa(s.cfg.CrawlDelay) + "\n")
	}
	if s.cfg.NoSitemap {
		return b.String()
	}
	sitemap := "/sitemap.xml"
	if s.cfg.SitemapIndex {
		sitemap = "/sitemap_index.xml"
	}
	b.WriteString("\nSitemap: " + baseURL(req) + sitemap + "\n")
	return b.String()
}
