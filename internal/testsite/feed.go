package testsite

import (
	"strings"
	"time"
)

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlText(b *htmlBuf, s string) { _, _ = xmlEscaper.WriteString(b, s) }

// renderFeed renders RSS 2.0 with the feedItems newest articles.
func (s *Site) renderFeed(req requestInfo) string {
	base := baseURL(req)
	built := s.articles[0].Modified
	for i := range s.articles {
		if s.articles[i].Modified.After(built) {
			built = s.articles[i].Modified
		}
	}
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
	base := baseURL(req)
	var b htmlBuf
	b.Grow(len(s.articles) * 140)
	b.raw(`<?xml version="1.0" encoding="UTF-8"?>`, "\n", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
	for i := range s.articles {
		a := &s.articles[i]
		if a.Disallowed {
			continue
		}
		b.raw("<url><loc>")
		xmlText(&b, base+a.Path)
		b.raw("</loc><lastmod>", a.Modified.Format(time.RFC3339), "</lastmod></url>\n")
	}
	b.raw("</urlset>\n")
	return b.String()
}

func renderRobots(req requestInfo) string {
	return "# robots.txt for " + siteName + "\nUser-agent: *\nDisallow: /private/\n\nSitemap: " + baseURL(req) + "/sitemap.xml\n"
}
