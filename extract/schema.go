package extract

import "strings"

// articleTypes are the schema.org types whose JSON-LD object describes the
// article itself (lower-cased).
var articleTypes = setOf("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
	"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
	"satiricalarticle", "blogposting", "liveblogposting", "socialmediaposting", "techarticle",
	"scholarlyarticle", "report", "advertisercontentarticle")

// pageTypes describe the page rather than the article; one stands in for
// the article when a page has no article object.
var pageTypes = setOf("webpage", "itempage", "medicalwebpage", "creativework")

// schemaType reduces "https://schema.org/NewsArticle" or "schema:Person" to
// "newsarticle"; of several types the first counts.
func schemaType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if f := strings.Fields(t); len(f) > 0 {
		t = f[0]
	}
	if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// typeName is a schema.org type without its URL prefix, in its own case:
// "https://schema.org/NewsArticle" gives "NewsArticle".
func typeName(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
		t = t[i+1:]
	}
	return t
}
