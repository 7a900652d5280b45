package extract

import "testing"

func TestMetadataOpenGraph(t *testing.T) {
	head := `
		<meta property="og:title" content="River accord signed">
		<meta property="og:image" content="/img/river.jpg">
		<meta property="og:image" content="/img/second.jpg">
		<meta property="og:site_name" content="Daily Planet">
		<meta property="og:url" content="/world/river-accord">
		<meta property="og:description" content="Ten nations agree.">
		<meta property="og:locale" content="fr_FR">
		<meta property="og:type" content="article">
		<meta property="article:published_time" content="2026-11-19T14:05:00-05:00">
		<meta property="article:modified_time" content="2026-11-19T20:00:00-05:00">
		<meta property="article:author" content="https://www.facebook.com/janedoe">
		<meta property="article:author" content="Jane Doe">
		<meta property="article:section" content="World">
		<meta property="article:tag" content="rivers">
		<meta property="article:tag" content="treaties">`
	checkMeta(t, readTestMetadata(t, testURL, "", head, ""), map[string]string{
		"title": "River accord signed", "src.title": "opengraph",
		"image": "https://news.example/img/river.jpg", "src.image": "opengraph",
		"site_name": "Daily Planet", "src.site_name": "opengraph",
		"canonical": "https://news.example/world/river-accord", "src.canonical": "opengraph",
		"description": "Ten nations agree.", "src.description": "opengraph",
		"language": "fr", "src.language": "opengraph",
		"type": "article", "src.type": "opengraph",
		"published": "2026-11-19T14:05:00-05:00", "src.published": "opengraph",
		"modified": "2026-11-19T20:00:00-05:00", "src.modified": "opengraph",
		"authors": "Jane Doe", "src.authors": "opengraph",
		"section": "World", "src.section": "opengraph",
		"keywords": "rivers; treaties", "src.keywords": "opengraph",
	})
}

func TestMetadataTwitter(t *testing.T) {
	head := `
		<meta name="twitter:title" content="River accord signed">
		<meta name="twitter:image" content="https://cdn.example/river.jpg">
		<meta name="twitter:description" content="Ten nations agree.">
		<meta name="twitter:creator" content="@janedoe">
		<meta name="twitter:creator" content="Jane Doe">`
	checkMeta(t, readTestMetadata(t, testURL, "", head, ""), map[string]string{
		"title": "River accord signed", "src.title": "twitter",
		"image": "https://cdn.example/river.jpg", "src.image": "twitter",
		"description": "Ten nations agree.", "src.description": "twitter",
		"authors": "Jane Doe", "src.authors": "twitter",
	})
	m := readTestMetadata(t, testURL, "", `<meta name="twitter:creator" content="@janedoe">`, "")
	checkMeta(t, m, map[string]string{"authors": "", "src.authors": ""})
}

func TestMetadataDublinCore(t *testing.T) {
	head := `
		<meta name="DC.title" content="River accord signed">
		<meta name="DC.creator" content="Doe, Jane">
		<meta name="DC.creator" content="John Roe">
		<meta name="DC.date" content="2026-11-19">
		<meta name="dcterms.modified" content="2026-11-20">
		<meta name="DC.language" content="de-AT">
		<meta name="dcterms.description" content="Ten nations agree.">
		<meta name="DC.subject" content="rivers">
		<meta name="DC.publisher" content="Daily Planet">`
	checkMeta(t, readTestMetadata(t, testURL, "", head, ""), map[string]string{
		"title": "River accord signed", "src.title": "dublin-core",
		"published": "2026-11-19T00:00:00Z", "src.published": "dublin-core",
		"modified": "2026-11-20T00:00:00Z", "src.modified": "dublin-core",
		"language": "de", "src.language": "dublin-core",
		"description": "Ten nations agree.", "src.description": "dublin-core",
		"keywords": "rivers", "src.keywords": "dublin-core",
		"site_name": "Daily Planet", "src.site_name": "dublin-core",
		// "Doe, Jane" splits like a list; one-word parts are names only
		// when capitalized, so both survive. Dublin Core's "Last, First"
		// order is not reversed: it is rare in news.
		"src.authors": "dublin-core",
	})
}

// TestMetadataMetaNames checks each plain <meta> name read for dates,
// authors, keywords, description and section.
func TestMetadataMetaNames(t *testing.T) {
	for _, name := range []string{"date", "pubdate", "publishdate", "publish-date", "publish_date", "pub_date",
		"article.published", "article_date_original", "sailthru.date", "parsely-pub-date", "published_at",
		"datePublished", "original-publish-date", "displaydate"} {
		m := readTestMetadata(t, testURL, "", `<meta name="`+name+`" content="2026-11-19T14:05:00Z">`, "")
		checkMeta(t, m, map[string]string{"published": "2026-11-19T14:05:00Z", "src.published": "meta"})
	}
	for _, name := range []string{"last-modified", "article.updated", "article_date_updated", "updated-date", "dateModified"} {
		m := readTestMetadata(t, testURL, "", `<meta name="`+name+`" content="2026-11-19T14:05:00Z">`, "")
		checkMeta(t, m, map[string]string{"modified": "2026-11-19T14:05:00Z", "src.modified": "meta"})
	}
	for _, name := range []string{"author", "byl", "sailthru.author", "parsely-author", "article_author"} {
		m := readTestMetadata(t, testURL, "", `<meta name="`+name+`" content="By Jane Doe">`, "")
		checkMeta(t, m, map[string]string{"authors": "Jane Doe", "src.authors": "meta"})
	}
	head := `<meta name="keywords" content="rivers, treaties"><meta name="news_keywords" content="Treaties; dams">
		<meta name="description" content="Ten nations agree."><meta name="section" content="World">
		<meta http-equiv="content-language" content="nl"><meta name="application-name" content="Daily Planet">`
	checkMeta(t, readTestMetadata(t, testURL, "", head, ""), map[string]string{
		"keywords": "rivers; treaties; dams", "src.keywords": "meta",
		"description": "Ten nations agree.", "src.description": "meta",
		"section": "World", "src.section": "meta",
		"language": "nl", "src.language": "meta",
		"site_name": "Daily Planet", "src.site_name": "meta",
	})
}
