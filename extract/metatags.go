package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// metaTags maps lower-cased <meta> names and properties to the field they
// fill and the source they count as.
var metaTags = map[string]struct {
	f   field
	src source
}{
	"og:title": {fTitle, srcOpenGraph}, "og:image": {fImage, srcOpenGraph}, "og:image:url": {fImage, srcOpenGraph},
	"og:image:secure_url": {fImage, srcOpenGraph}, "og:site_name": {fSiteName, srcOpenGraph},
	"og:url": {fCanonical, srcOpenGraph}, "og:description": {fDescription, srcOpenGraph},
	"og:locale": {fLanguage, srcOpenGraph}, "og:language": {fLanguage, srcOpenGraph}, "og:type": {fType, srcOpenGraph},
	"article:published_time": {fPublished, srcOpenGraph}, "article:published": {fPublished, srcOpenGraph},
	"og:pubdate": {fPublished, srcOpenGraph}, "og:datepublished": {fPublished, srcOpenGraph},
	"article:modified_time": {fModified, srcOpenGraph}, "og:updated_time": {fModified, srcOpenGraph},
	"article:author": {fAuthors, srcOpenGraph}, "article:section": {fSection, srcOpenGraph},
	"og:section": {fSection, srcOpenGraph}, "article:tag": {fKeywords, srcOpenGraph}, "og:tags": {fKeywords, srcOpenGraph},

	"dc.title": {fTitle, srcDublinCore}, "dcterms.title": {fTitle, srcDublinCore},
	"dc.creator": {fAuthors, srcDublinCore}, "dcterms.creator": {fAuthors, srcDublinCore},
	"dc.date": {fPublished, srcDublinCore}, "dc.date.issued": {fPublished, srcDublinCore}, "dc.date.created": {fPublished, srcDublinCore},
	"dcterms.date": {fPublished, srcDublinCore}, "dcterms.issued": {fPublished, srcDublinCore}, "dcterms.created": {fPublished, srcDublinCore},
	"dcterms.modified": {fModified, srcDublinCore}, "dc.date.modified": {fModified, srcDublinCore},
	"dc.language": {fLanguage, srcDublinCore}, "dcterms.language": {fLanguage, srcDublinCore},
	"dc.description": {fDescription, srcDublinCore}, "dcterms.description": {fDescription, srcDublinCore},
	"dcterms.abstract": {fDescription, srcDublinCore}, "dc.subject": {fKeywords, srcDublinCore},
	"dcterms.subject": {fKeywords, srcDublinCore}, "dc.publisher": {fSiteName, srcDublinCore}, "dcterms.publisher": {fSiteName, srcDublinCore},

	"twitter:title": {fTitle, srcTwitter}, "twitter:text:title": {fTitle, srcTwitter},
	"twitter:image": {fImage, srcTwitter}, "twitter:image:src": {fImage, srcTwitter},
	"twitter:description": {fDescription, srcTwitter}, "twitter:creator": {fAuthors, srcTwitter},

	"author": {fAuthors, srcMeta}, "byl": {fAuthors, srcMeta}, "article_author": {fAuthors, srcMeta},
	"sailthru.author": {fAuthors, srcMeta}, "parsely-author": {fAuthors, srcMeta}, "author.name": {fAuthors, srcMeta},
	"dcsext.author": {fAuthors, srcMeta}, "analytics:author": {fAuthors, srcMeta}, "content-creator": {fAuthors, srcMeta},
	"date": {fPublished, srcMeta}, "pubdate": {fPublished, srcMeta}, "publishdate": {fPublished, srcMeta},
	"publish-date": {fPublished, srcMeta}, "publish_date": {fPublished, srcMeta}, "pub_date": {fPublished, srcMeta},
	"pdate": {fPublished, srcMeta}, "article.published": {fPublished, srcMeta}, "article_date_original": {fPublished, srcMeta},
	"sailthru.date": {fPublished, srcMeta}, "parsely-pub-date": {fPublished, srcMeta}, "published_at": {fPublished, srcMeta},
	"published_time": {fPublished, srcMeta}, "publication_date": {fPublished, srcMeta}, "datepublished": {fPublished, srcMeta},
	"original-publish-date": {fPublished, srcMeta}, "dcsext.articlefirstpublished": {fPublished, srcMeta},
	"citation_publication_date": {fPublished, srcMeta}, "displaydate": {fPublished, srcMeta},
	"last-modified": {fModified, srcMeta}, "lastmod": {fModified, srcMeta}, "article.updated": {fModified, srcMeta},
	"article_date_updated": {fModified, srcMeta}, "updated-date": {fModified, srcMeta}, "datemodified": {fModified, srcMeta},
	"description": {fDescription, srcMeta}, "keywords": {fKeywords, srcMeta}, "news_keywords": {fKeywords, srcMeta},
	"parsely-tags": {fKeywords, srcMeta}, "sailthru.tags": {fKeywords, srcMeta},
	"section": {fSection, srcMeta}, "parsely-section": {fSection, srcMeta}, "article.section": {fSection, srcMeta},
	"content-language": {fLanguage, srcMeta}, "language": {fLanguage, srcMeta},
	"application-name": {fSiteName, srcMeta}, "title": {fTitle, srcMeta},
}

// meta reads a <meta> tag.
func (c *collector) meta(n *html.Node, ctx walkCtx) {
	content := attr(n, "content")
	if prop := attr(n, "itemprop"); prop != "" {
		c.microdata(n, ctx, prop)
	}
	for _, key := range []string{attr(n, "property"), attr(n, "name"), attr(n, "http-equiv")} {
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			continue
		}
		t, ok := metaTags[key]
		if !ok {
			continue
		}
		switch t.f {
		case fImage, fCanonical:
			content = absolute(c.base, content)
		}
		c.offer(t.f, t.src, 0, content)
	}
}
