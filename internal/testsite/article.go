package testsite

import (
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type ldThing struct {
	Type string   `json:"@type"`
	Name string   `json:"name,omitempty"`
	URL  string   `json:"url,omitempty"`
	Logo *ldThing `json:"logo,omitempty"`
}

type ldArticle struct {
	Context          string    `json:"@context"`
	Type             string    `json:"@type"`
	MainEntityOfPage string    `json:"mainEntityOfPage"`
	Headline         string    `json:"headline"`
	Description      string    `json:"description"`
	Image            []string  `json:"image"`
	DatePublished    string    `json:"datePublished"`
	DateModified     string    `json:"dateModified"`
	Author           []ldThing `json:"author"`
	Publisher        ldThing   `json:"publisher"`
	ArticleSection   string    `json:"articleSection"`
}

const isoOffset = "2006-01-02T15:04:05-07:00"

func (s *Site) jsonLD(a *Article, rd *render, base, self string) string {
	ld := ldArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		MainEntityOfPage: self,
		Headline:         a.Title,
		Description:      a.Teaser,
		Image:            []string{base + a.Image},
		DatePublished:    a.Published.In(rd.zone).Format(isoOffset),
		DateModified:     a.Modified.In(rd.zone).Format(isoOffset),
		Publisher: ldThing{Type: "Organization", Name: siteName,
			Logo: &ldThing{Type: "ImageObject", URL: base + "/images/" + logoImage}},
		ArticleSection: a.Section,
	}
	for _, au := range a.Authors {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: au})
	}
	out, err := json.MarshalIndent(ld, "", "  ")
	if err != nil { // cannot happen: only strings and structs
		panic(err)
	}
	return string(out)
}

// renderArticle renders article i. A mirror copy (served under
// /mirror{path}) behaves like a careless duplicate: it has no canonical link
// and no og:url, and the URLs by which the page refers to itself (share
// links, JSON-LD mainEntityOfPage) are its own, so only the content tells it
// is the same article. The caller holds s.mu for reading.
func (s *Site) renderArticle(req requestInfo, i int, mirror bool) string {
	a := &s.articles[i]
	rd := &s.render[i]
	base := baseURL(req)
	self, canonicalPath := base+a.Path, a.Path
	if mirror {
		self, canonicalPath = base+mirrorPrefix+a.Path, ""
	}
	var b htmlBuf
	b.Grow(24 << 10)
	s.pageStart(&b, base, a.Title+" | "+siteName, a.Teaser, canonicalPath, func(b *htmlBuf) {
		s.articleHead(b, a, rd, base, self, mirror)
	})
	s.storyHeader(&b, a, rd, i)
	shareBox(&b, a, self)
	s.storyBody(&b, a, rd)
	s.relatedBox(&b, rd)
	s.partnersBox(&b)
	newsletterBox(&b)
	commentsBox(&b, rd)
	s.pageEnd(&b)
	return b.String()
}

// articleHead writes the article's OpenGraph tags and JSON-LD into <head>;
// a mirror copy has no og:url.
func (s *Site) articleHead(b *htmlBuf, a *Article, rd *render, base, self string, mirror bool) {
	b.raw("<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"", siteName, "\">\n",
		"<meta property=\"og:title\" content=\"")
	b.text(a.Title)
	b.raw("\">\n")
	if !mirror {
		b.raw("<meta property=\"og:url\" content=\"")
		b.text(self)
		b.raw("\">\n")
	}
	if a.OGImage {
		b.raw("<meta property=\"og:image\" content=\"")
		b.text(base + a.Image)
		b.raw("\">\n")
	}
	if a.JSONLD {
		b.raw("<script type=\"application/ld+json\">\n", s.jsonLD(a, rd, base, self), "\n</script>\n")
	}
}

// storyHeader writes the breadcrumb, opens <article> and writes its header:
// headline, byline and dateline.
func (s *Site) storyHeader(b *htmlBuf, a *Article, rd *render, i int) {
	b.raw("<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"/\">Home</a> › <a href=\"")
	b.text(sectionURL(a.Section, 1))
	b.raw("\">")
	b.text(sectionLabel(a.Section))
	b.raw("</a></nav>\n<article class=\"story\">\n<header class=\"story-header\">\n<h1 class=\"headline\">")
	b.text(a.Title)
	b.raw("</h1>\n<div class=\"story-meta\">\n")
	s.writeByline(b, a, i)
	b.raw("<p class=\"dateline\">")
	if rd.timeTag {
		b.raw("<time datetime=\"", a.Published.Format(time.RFC3339), "\">")
		b.text(a.DateText)
		b.raw("</time>")
	} else {
		b.raw("<span class=\"date\">")
		b.text(a.DateText)
		b.raw("</span>")
	}
	b.raw("</p>\n</div>\n</header>\n")
}

// shareBox writes the share links, which name the page's own URL.
func shareBox(b *htmlBuf, a *Article, self string) {
	esc := url.QueryEscape(self)
	b.raw("<div class=\"share\">\n<span>", shareLabel, "</span>\n",
		"<a class=\"share-facebook\" href=\"https://social.example/share?network=facebook&amp;u=", esc, "\" rel=\"noopener\">Share on Facebook</a>\n",
		"<a class=\"share-x\" href=\"https://social.example/share?network=x&amp;u=", esc, "\" rel=\"noopener\">Share on X</a>\n",
		"<a class=\"share-email\" href=\"mailto:?subject=")
	b.text(url.PathEscape(a.Title))
	b.raw("&amp;body=", esc, "\">Email</a>\n<button type=\"button\" class=\"copy-link\">Copy link</button>\n</div>\n")
}

// storyBody writes the paragraphs, with an ad after the third of a long
// article and the "See also" paragraph after the second, and closes
// <article>.
func (s *Site) storyBody(b *htmlBuf, a *Article, rd *render) {
	b.raw("<div class=\"story-body\">\n")
	for p, text := range a.Paragraphs {
		b.raw("<p>")
		b.text(text)
		b.raw("</p>\n")
		if p == 2 && len(a.Paragraphs) > 4 {
			adBlock(b, "inline", rd.adID)
		}
		if p == 1 && rd.deadLink != "" {
			s.seeAlso(b, rd)
		}
	}
	b.raw("</div>\n</article>\n")
}

// relatedBox links the related articles.
func (s *Site) relatedBox(b *htmlBuf, rd *render) {
	b.raw("<aside class=\"related\">\n<h2>", relatedTitle, "</h2>\n<ul>\n")
	for _, j := range rd.related {
		b.raw("<li><a href=\"")
		b.text(s.articles[j].Path)
		b.raw("\">")
		b.text(s.articles[j].Title)
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</aside>\n")
}

// partnersBox links Config.ExternalLinks, if any.
func (s *Site) partnersBox(b *htmlBuf) {
	if len(s.cfg.ExternalLinks) == 0 {
		return
	}
	b.raw("<aside class=\"partners\">\n<h2>", partnersTitle, "</h2>\n<ul>\n")
	for _, link := range s.cfg.ExternalLinks {
		label := link
		if u, err := url.Parse(link); err == nil && u.Host != "" {
			label = u.Host
		}
		b.raw("<li><a href=\"")
		b.text(link)
		b.raw("\" rel=\"noopener\">Read more at ")
		b.text(label)
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</aside>\n")
}

// newsletterBox writes the newsletter sign-up form.
func newsletterBox(b *htmlBuf) {
	b.raw("<section class=\"newsletter\">\n<h2>", newsletterTitle, "</h2>\n<p>", html.EscapeString(newsletterText), "</p>\n",
		"<form action=\"/newsletter/subscribe\" method=\"post\">\n<label for=\"nl-email\">Email address</label>\n",
		"<input id=\"nl-email\" type=\"email\" name=\"email\" required>\n<input type=\"hidden\" name=\"source\" value=\"article\">\n",
		"<button type=\"submit\">Sign up</button>\n</form>\n<p class=\"small\">", newsletterSmall, "</p>\n</section>\n")
}

// commentsBox writes the readers' comments.
func commentsBox(b *htmlBuf, rd *render) {
	b.raw("<section class=\"comments\" id=\"comments\">\n<h2>Comments (", strconv.Itoa(len(rd.comments)), ")</h2>\n<ol class=\"comment-list\">\n")
	for _, c := range rd.comments {
		b.raw("<li class=\"comment\">\n<p class=\"comment-meta\"><span class=\"comment-author\">")
		b.text(c.author)
		b.raw("</span> <span class=\"comment-time\">", c.ago, "</span></p>\n<p class=\"comment-body\">")
		b.text(c.text)
		b.raw("</p>\n</li>\n")
	}
	b.raw("</ol>\n<p class=\"small\">", commentsNote, "</p>\n</section>\n")
}

// seeAlso writes the body paragraph of Config.LinkInBodies: links to two
// related articles and to a path that answers 404.
func (s *Site) seeAlso(b *htmlBuf, rd *render) {
	b.raw("<p class=\"see-also\">", seeAlsoText, " ")
	for k, j := range rd.related[:min(2, len(rd.related))] {
		if k > 0 {
			b.raw(" and ")
		}
		b.raw("<a href=\"")
		b.text(s.articles[j].Path)
		b.raw("\">")
		b.text(s.articles[j].Title)
		b.raw("</a>")
	}
	b.raw(". <a href=\"")
	b.text(rd.deadLink)
	b.raw("\">", earlierReportText, "</a>.</p>\n")
}

// writeByline renders the visible byline; its text content equals a.Byline.
func (s *Site) writeByline(b *htmlBuf, a *Article, i int) {
	if strings.HasSuffix(a.Byline, ", Staff Reporter") || i%2 == 1 {
		b.raw("<div class=\"byline\">")
		b.text(a.Byline)
		b.raw("</div>\n")
		return
	}
	b.raw("<p class=\"byline\">By ")
	for k, au := range a.Authors {
		if k > 0 {
			b.raw(" and ")
		}
		b.raw("<span class=\"author\">")
		b.text(au)
		b.raw("</span>")
	}
	b.raw("</p>\n")
}
