package extract

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// testNow is the clock of the metadata tests: dates after it are in the
// future.
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const testURL = "https://news.example/world/river-accord"

// readTestMetadata parses a page made of head and body, with htmlAttrs on
// the <html> element, as if fetched from pageURL.
func readTestMetadata(t *testing.T, pageURL, htmlAttrs, head, body string) Metadata {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<!doctype html><html " + htmlAttrs + "><head>" + head + "</head><body>" + body + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	return readMetadataAt(doc, u, testNow)
}

// describe flattens m for table tests: each field as a string (times in
// RFC 3339, lists joined by "; ") and each source as "src.<field>".
func describe(m Metadata) map[string]string {
	d := map[string]string{
		"title": m.Title, "authors": strings.Join(m.Authors, "; "), "byline": m.Byline,
		"image": m.Image, "site_name": m.SiteName, "section": m.Section, "canonical": m.Canonical,
		"description": m.Description, "keywords": strings.Join(m.Keywords, "; "), "language": m.Language,
		"type": m.Type, "article_body": m.ArticleBody, "published": "", "modified": "",
	}
	if m.Published != nil {
		d["published"] = m.Published.Format(time.RFC3339)
	}
	if m.Modified != nil {
		d["modified"] = m.Modified.Format(time.RFC3339)
	}
	for k, v := range m.Sources {
		d["src."+k] = v
	}
	return d
}

// checkMeta reports every key of want whose value in m differs ("" wants
// the field empty or, for sources, absent).
func checkMeta(t *testing.T, m Metadata, want map[string]string) {
	t.Helper()
	got := describe(m)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}

func ldScript(json string) string {
	return `<script type="application/ld+json">` + json + `</script>`
}

func TestMetadataJSONLD(t *testing.T) {
	tests := []struct {
		name string
		head string
		want map[string]string
	}{
		{"NewsArticle with every field", ldScript(`{
			"@context": "https://schema.org", "@type": "NewsArticle",
			"headline": "River accord signed",
			"description": "Ten nations agree on &quot;water&quot; rights.",
			"author": {"@type": "Person", "name": "Jane Doe"},
			"datePublished": "2026-11-19T14:05:00Z", "dateModified": "2026-11-20T09:00:00+01:00",
			"image": "/img/river.jpg",
			"publisher": {"@type": "Organization", "name": "Daily Planet", "logo": {"@type": "ImageObject", "url": "/logo.png"}},
			"articleSection": "World", "keywords": ["rivers", "treaties"], "inLanguage": "en-GB",
			"mainEntityOfPage": {"@type": "WebPage", "@id": "https://news.example/world/river-accord"},
			"articleBody": "<p>First paragraph &amp; more.</p><p>Second <em>paragraph</em>.</p>"}`),
			map[string]string{
				"title": "River accord signed", "src.title": "json-ld",
				"description": `Ten nations agree on "water" rights.`, "src.description": "json-ld",
				"authors": "Jane Doe", "src.authors": "json-ld", "byline": "Jane Doe",
				"published": "2026-11-19T14:05:00Z", "src.published": "json-ld",
				"modified": "2026-11-20T09:00:00+01:00", "src.modified": "json-ld",
				"image": "https://news.example/img/river.jpg", "src.image": "json-ld",
				"site_name": "Daily Planet", "src.site_name": "json-ld",
				"section": "World", "src.section": "json-ld",
				"keywords": "rivers; treaties", "src.keywords": "json-ld",
				"language": "en", "src.language": "json-ld",
				"canonical": "https://news.example/world/river-accord", "src.canonical": "json-ld",
				"type": "NewsArticle", "src.type": "json-ld",
				"article_body": "First paragraph & more.\n\nSecond paragraph.", "src.article_body": "json-ld",
			}},
		{"@graph with references (Yoast)", ldScript(`{"@context": "https://schema.org", "@graph": [
			{"@type": "WebSite", "@id": "https://news.example/#website", "name": "Daily Planet"},
			{"@type": "ImageObject", "@id": "https://news.example/#img", "url": "https://cdn.example/river.jpg"},
			{"@type": "WebPage", "@id": "https://news.example/world/river-accord#webpage", "name": "River accord signed - Daily Planet"},
			{"@type": "Article", "@id": "https://news.example/world/river-accord#article",
			 "headline": "River accord signed", "author": {"@id": "https://news.example/#/schema/person/1"},
			 "image": {"@id": "https://news.example/#img"}, "datePublished": "2026-11-19T14:05:00+00:00",
			 "publisher": {"@id": "https://news.example/#org"}},
			{"@type": ["Person"], "@id": "https://news.example/#/schema/person/1", "name": "Jane Doe"},
			{"@type": "Organization", "@id": "https://news.example/#org", "name": "Planet Media Group"}]}`),
			map[string]string{
				"title": "River accord signed", "type": "Article", "authors": "Jane Doe",
				"image": "https://cdn.example/river.jpg", "site_name": "Planet Media Group",
				"published": "2026-11-19T14:05:00Z",
			}},
		{"array of objects, image array, Person and Organization authors", ldScript(`[
			{"@type": "BreadcrumbList", "itemListElement": []},
			{"@type": "ReportageNewsArticle", "headline": "River accord signed",
			 "image": [{"@type": "ImageObject", "url": "https://cdn.example/a.jpg"}, "https://cdn.example/b.jpg"],
			 "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Reuters"},
			            {"@type": "Person", "name": "JOHN ROE"}, {"@type": "NewsMediaOrganization", "name": "Daily Planet"}]}]`),
			map[string]string{
				"type": "ReportageNewsArticle", "image": "https://cdn.example/a.jpg", "authors": "Jane Doe; John Roe",
			}},
		{"schema URL type, ImageObject, byline string author", ldScript(`{"@context": "http://schema.org",
			"@type": "http://schema.org/AnalysisNewsArticle", "headline": "Why the accord matters",
			"image": {"@type": "ImageObject", "url": "https://cdn.example/a.jpg", "width": 1200},
			"author": "By Jane Doe and John Roe, Staff Writers"}`),
			map[string]string{
				"type": "AnalysisNewsArticle", "image": "https://cdn.example/a.jpg", "authors": "Jane Doe; John Roe",
			}},
		{"BlogPosting with given and family names, Language object", ldScript(`{"@type": "BlogPosting",
			"headline": "Ten tips", "author": {"@type": "Person", "givenName": "Jane", "familyName": "Doe"},
			"inLanguage": {"@type": "Language", "name": "German", "alternateName": "de"}, "keywords": "tips, lists,tips"}`),
			map[string]string{"type": "BlogPosting", "authors": "Jane Doe", "language": "de", "keywords": "tips; lists"}},
		{"type array", ldScript(`{"@type": ["NewsArticle", "Article"], "headline": "River accord signed"}`),
			map[string]string{"type": "NewsArticle", "title": "River accord signed"}},
		{"scripts share one graph", ldScript(`{"@type": "BreadcrumbList"}`) +
			ldScript(`{"@type": "NewsArticle", "headline": "River accord signed", "author": {"@id": "#jane"}}`) +
			ldScript(`{"@type": "Person", "@id": "#jane", "name": "Jane Doe"}`),
			map[string]string{"title": "River accord signed", "authors": "Jane Doe"}},
		{"article in a WebPage's mainEntity", ldScript(`{"@type": "WebPage", "name": "River accord signed - Daily Planet",
			"mainEntity": {"@type": "NewsArticle", "headline": "River accord signed", "datePublished": "2026-11-19"}}`),
			map[string]string{"title": "River accord signed", "type": "NewsArticle", "published": "2026-11-19T00:00:00Z"}},
		{"the article at this URL wins", ldScript(`[
			{"@type": "NewsArticle", "headline": "Another story", "url": "https://news.example/other"},
			{"@type": "NewsArticle", "headline": "River accord signed", "url": "https://news.example/world/river-accord/"}]`),
			map[string]string{"title": "River accord signed"}},
		{"WebPage stands in when there is no article", ldScript(`{"@type": "WebPage", "name": "River accord signed",
			"datePublished": "2026-11-19T14:05:00Z"}`),
			map[string]string{"title": "River accord signed", "type": "WebPage", "published": "2026-11-19T14:05:00Z"}},
		{"organization author only", ldScript(`{"@type": "NewsArticle", "headline": "River accord signed",
			"author": {"@type": "Organization", "name": "Associated Press"}}`) + `<meta name="author" content="Jane Doe">`,
			map[string]string{"authors": "Jane Doe", "src.authors": "meta"}},
		{"headline entities and tags", ldScript(`{"@type": "NewsArticle", "headline": "Q&amp;A: <em>River</em> accord"}`),
			map[string]string{"title": "Q&A: River accord"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMeta(t, readTestMetadata(t, testURL, "", tt.head, ""), tt.want)
		})
	}
}

// TestMetadataMalformedJSONLD feeds the breakage seen on real pages; what
// can be repaired is read, the rest is skipped without a panic.
func TestMetadataMalformedJSONLD(t *testing.T) {
	const og = `<meta property="og:title" content="From OpenGraph">`
	tests := []struct {
		name, script, want string
	}{
		{"trailing commas", `{"@type": "NewsArticle", "headline": "Repaired", "keywords": ["a", "b",],}`, "Repaired"},
		{"HTML comment around", `<!-- {"@type": "NewsArticle", "headline": "Repaired"} -->`, "Repaired"},
		{"CDATA", "//<![CDATA[\n{\"@type\": \"NewsArticle\", \"headline\": \"Repaired\"}\n//]]>", "Repaired"},
		{"raw newline and tab in a string", "{\"@type\": \"NewsArticle\", \"headline\": \"Repaired\", \"articleBody\": \"line one\nline\ttwo\"}", "Repaired"},
		{"invalid escape", `{"@type": "NewsArticle", "headline": "Repaired", "description": "it\'s"}`, "Repaired"},
		{"JavaScript comments", "{/* generated */ \"@type\": \"NewsArticle\", // type\n \"headline\": \"Repaired\"}", "Repaired"},
		{"objects separated by a comma", `{"@type": "BreadcrumbList"}, {"@type": "NewsArticle", "headline": "Repaired"}`, "Repaired"},
		{"objects one after another", `{"@type": "BreadcrumbList"} {"@type": "NewsArticle", "headline": "Repaired"}`, "Repaired"},
		{"trailing semicolon", `{"@type": "NewsArticle", "headline": "Repaired"};`, "Repaired"},
		{"truncated", `{"@type": "NewsArticle", "headline": "Lost"`, "From OpenGraph"},
		{"not JSON", `window.dataLayer = [];`, "From OpenGraph"},
		{"empty", ``, "From OpenGraph"},
		{"wrong value types", `{"@type": 7, "headline": 42, "author": 7, "image": {"url": 5}, "datePublished": []}`, "From OpenGraph"},
		{"wrong types in an article", `{"@type": "NewsArticle", "headline": ["Repaired"], "author": [7, null, {"name": 3}], "image": [null, {"url": 5}], "publisher": "x", "inLanguage": 5, "keywords": 9}`, "Repaired"},
		{"deep nesting", strings.Repeat(`{"@graph": [`, 50) + `{"@type": "NewsArticle", "headline": "Too deep"}` + strings.Repeat(`]}`, 50), "From OpenGraph"},
		{"unterminated comment", `{"@type": "NewsArticle", "headline": "Lost"} /* oops`, "Lost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := readTestMetadata(t, testURL, "", og+ldScript(tt.script), "")
			if m.Title != tt.want {
				t.Errorf("title %q, want %q", m.Title, tt.want)
			}
		})
	}
}

func FuzzParseJSONLD(f *testing.F) {
	for _, s := range []string{`{"@type": "NewsArticle"}`, `[{"@graph": [{"@id": "x"}]}]`, `<!-- {"a": "b\'",} -->`,
		"//<![CDATA[\n{}\n//]]>", `{"a": "\`, `/*`, `,,,]`, `"\u12"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := &collector{base: &url.URL{Scheme: "https", Host: "news.example"}}
		c.readJSONLD(parseJSONLD(s))
	})
}

func TestMetadataMicrodata(t *testing.T) {
	body := `
		<div itemscope itemtype="https://schema.org/Comment">
			<span itemprop="author">Comment Writer</span>
			<time itemprop="datePublished" datetime="2026-11-22T10:00:00Z">yesterday</time>
		</div>
		<article itemscope itemtype="http://schema.org/NewsArticle">
			<h1 itemprop="headline">River accord signed</h1>
			<meta itemprop="dateModified" content="2026-11-20T08:00:00Z">
			<div itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/jane"><span itemprop="name">Jane Doe</span></a>, Staff Writer</div>
			<time itemprop="datePublished" datetime="2026-11-19T14:05:00Z">Nov. 19</time>
			<img itemprop="image" src="/img/river.jpg">
			<span itemprop="articleSection">World</span>
			<div itemprop="publisher" itemscope itemtype="http://schema.org/Organization"><meta itemprop="name" content="Daily Planet"></div>
		</article>`
	checkMeta(t, readTestMetadata(t, testURL, "", "", body), map[string]string{
		"title": "River accord signed", "src.title": "microdata",
		"authors": "Jane Doe", "src.authors": "microdata",
		"published": "2026-11-19T14:05:00Z", "src.published": "microdata",
		"modified": "2026-11-20T08:00:00Z", "src.modified": "microdata",
		"image": "https://news.example/img/river.jpg", "src.image": "microdata",
		"section": "World", "src.section": "microdata",
		"site_name": "Daily Planet", "src.site_name": "microdata",
	})
}

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

func TestMetadataTimeElements(t *testing.T) {
	tests := []struct {
		name, body string
		want       map[string]string
	}{
		{"datetime attribute", `<time datetime="2026-11-19T14:05:00Z">Thursday</time>`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "src.published": "time"}},
		{"text when no datetime", `<time>November 19, 2026</time>`,
			map[string]string{"published": "2026-11-19T00:00:00Z"}},
		{"article beats sidebar", `<aside><time datetime="2026-11-22T10:00:00Z">x</time></aside>
			<div><time datetime="2026-11-21T10:00:00Z">x</time></div>
			<article><header><time datetime="2026-11-19T14:05:00Z">x</time></header></article>`,
			map[string]string{"published": "2026-11-19T14:05:00Z"}},
		{"pubdate attribute beats position", `<article><time datetime="2026-11-21T10:00:00Z">x</time>
			<time pubdate datetime="2026-11-19T14:05:00Z">x</time></article>`,
			map[string]string{"published": "2026-11-19T14:05:00Z"}},
		{"updated time is the modification", `<article><time class="updated" datetime="2026-11-20T10:00:00Z">x</time>
			<time class="published" datetime="2026-11-19T14:05:00Z">x</time></article>`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "modified": "2026-11-20T10:00:00Z", "src.modified": "time"}},
		{"comment times are ignored", `<div class="comments"><time datetime="2026-11-22T10:00:00Z">x</time></div>`,
			map[string]string{"published": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMeta(t, readTestMetadata(t, testURL, "", "", tt.body), tt.want)
		})
	}
}

func TestMetadataVisibleText(t *testing.T) {
	tests := []struct {
		name, body string
		want       map[string]string
	}{
		{"byline element", `<p class="byline">By Jane Doe and John Roe</p>`,
			map[string]string{"authors": "Jane Doe; John Roe", "src.authors": "text", "byline": "By Jane Doe and John Roe", "src.byline": "text"}},
		{"author links in a byline, with a date", `<div class="article-byline">By <a rel="author" href="/a/jane">Jane Doe</a>
			and <a rel="author" href="/a/john">JOHN ROE</a>, Staff Writers | Updated Nov. 20, 2026 5 p.m.</div>`,
			map[string]string{"authors": "Jane Doe; John Roe", "byline": "By Jane Doe and JOHN ROE, Staff Writers",
				"modified": "2026-11-20T17:00:00Z", "src.modified": "text", "published": ""}},
		{"sibling author elements", `<div class="meta"><a class="author-name" href="/a">Jane Doe</a>
			<a class="author-name" href="/b">John Roe</a></div>`,
			map[string]string{"authors": "Jane Doe; John Roe", "byline": "Jane Doe, John Roe"}},
		{"byline beats author bio and comments", `<div class="comments"><span class="author">Troll Person</span></div>
			<div class="author-bio">Jane Doe is a reporter covering rivers.</div>
			<article><p class="byline">By Jane Doe</p></article>`,
			map[string]string{"authors": "Jane Doe"}},
		{"date in the byline", `<h3 class="byline">by Jeff Foust<br><span>Monday, November 18, 2019</span></h3>`,
			map[string]string{"authors": "Jeff Foust", "byline": "by Jeff Foust", "published": "2019-11-18T00:00:00Z", "src.published": "text"}},
		{"date next to the byline", `<div><p class="byline">By Jane Doe</p><p><em>November 15, 2019</em></p></div>`,
			map[string]string{"published": "2019-11-15T00:00:00Z", "src.published": "text"}},
		{"one-word text name is not trusted", `<span class="author">Washington</span>`,
			map[string]string{"authors": ""}},
		{"dated element", `<article><span class="post-date">Posted 19 Nov 2026 14:05 GMT</span></article>`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "src.published": "text"}},
		{"labelled date in plain text", `<aside><p>Published: Monday, November 18th, 2019 at 11:08 a.m.</p></aside>`,
			map[string]string{"published": "2019-11-18T11:08:00Z", "src.published": "text"}},
		{"updated element", `<article><span class="updated-date">Nov 20, 2026</span></article>`,
			map[string]string{"modified": "2026-11-20T00:00:00Z", "src.modified": "text", "published": ""}},
		{"published and updated in one line", `<p class="dateline">Published Nov. 18, 2019 | Updated Nov. 19, 2019</p>`,
			map[string]string{"published": "2019-11-18T00:00:00Z", "modified": "2019-11-19T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMeta(t, readTestMetadata(t, testURL, "", "", tt.body), tt.want)
		})
	}
}

// sourceParts builds, for each source in order, the markup that offers a
// value for a field; TestMetadataPrecedence drops them one by one from the
// front and checks that the next source wins.
type sourceParts []struct {
	src  string
	head string
	body string
	want string
}

func TestMetadataPrecedence(t *testing.T) {
	tests := map[string]sourceParts{
		"title": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "headline": "T json"}`), "", "T json"},
			{"microdata", "", `<h2 itemprop="headline">T micro</h2>`, "T micro"},
			{"opengraph", `<meta property="og:title" content="T og">`, "", "T og"},
			{"dublin-core", `<meta name="DC.title" content="T dc">`, "", "T dc"},
			{"twitter", `<meta name="twitter:title" content="T twitter">`, "", "T twitter"},
			{"meta", `<meta name="title" content="T meta">`, "", "T meta"},
			{"html", `<title>T title</title>`, "", "T title"},
		},
		"published": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "datePublished": "2026-11-11T00:00:00Z"}`), "", "2026-11-11T00:00:00Z"},
			{"microdata", "", `<meta itemprop="datePublished" content="2026-11-12T00:00:00Z">`, "2026-11-12T00:00:00Z"},
			{"opengraph", `<meta property="article:published_time" content="2026-11-13T00:00:00Z">`, "", "2026-11-13T00:00:00Z"},
			{"dublin-core", `<meta name="dcterms.issued" content="2026-11-14">`, "", "2026-11-14T00:00:00Z"},
			{"meta", `<meta name="pubdate" content="2026-11-15">`, "", "2026-11-15T00:00:00Z"},
			{"time", "", `<time datetime="2026-11-16">x</time>`, "2026-11-16T00:00:00Z"},
			{"text", "", `<span class="date">November 17, 2026</span>`, "2026-11-17T00:00:00Z"},
			{"url", "", "", "2026-11-18T00:00:00Z"},
		},
		"authors": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Json"}}`), "", "Ann Json"},
			{"microdata", "", `<span itemprop="author">Ann Micro</span>`, "Ann Micro"},
			{"opengraph", `<meta property="article:author" content="Ann Graph">`, "", "Ann Graph"},
			{"dublin-core", `<meta name="DC.creator" content="Ann Dublin">`, "", "Ann Dublin"},
			{"twitter", `<meta name="twitter:creator" content="Ann Twitter">`, "", "Ann Twitter"},
			{"meta", `<meta name="author" content="Ann Meta">`, "", "Ann Meta"},
			{"text", "", `<p class="byline">By Ann Text</p>`, "Ann Text"},
		},
		"description": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "description": "D json"}`), "", "D json"},
			{"opengraph", `<meta property="og:description" content="D og">`, "", "D og"},
			{"dublin-core", `<meta name="DC.description" content="D dc">`, "", "D dc"},
			{"twitter", `<meta name="twitter:description" content="D twitter">`, "", "D twitter"},
			{"meta", `<meta name="description" content="D meta">`, "", "D meta"},
		},
		"image": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "image": "/json.jpg"}`), "", "https://news.example/json.jpg"},
			{"microdata", "", `<img itemprop="image" src="/micro.jpg">`, "https://news.example/micro.jpg"},
			{"opengraph", `<meta property="og:image" content="/og.jpg">`, "", "https://news.example/og.jpg"},
			{"twitter", `<meta name="twitter:image" content="/twitter.jpg">`, "", "https://news.example/twitter.jpg"},
			{"meta", `<link rel="image_src" href="/link.jpg">`, "", "https://news.example/link.jpg"},
		},
		"canonical": {
			{"link", `<link rel="canonical" href="/canonical">`, "", "https://news.example/canonical"},
			{"json-ld", ldScript(`{"@type": "NewsArticle", "mainEntityOfPage": "https://news.example/json"}`), "", "https://news.example/json"},
			{"opengraph", `<meta property="og:url" content="https://news.example/og">`, "", "https://news.example/og"},
		},
		"language": {
			{"json-ld", ldScript(`{"@type": "NewsArticle", "inLanguage": "fi"}`), "", "fi"},
			{"opengraph", `<meta property="og:locale" content="sv_SE">`, "", "sv"},
			{"dublin-core", `<meta name="DC.language" content="da">`, "", "da"},
			{"meta", `<meta http-equiv="Content-Language" content="nb">`, "", "nb"},
			{"html", "", "", "is"}, // from <html lang>
		},
		"site_name": {
			{"opengraph", `<meta property="og:site_name" content="S og">`, "", "S og"},
			{"json-ld", ldScript(`{"@type": "NewsArticle", "publisher": {"name": "S json"}}`), "", "S json"},
			{"dublin-core", `<meta name="DC.publisher" content="S dc">`, "", "S dc"},
			{"meta", `<meta name="application-name" content="S meta">`, "", "S meta"},
		},
	}
	for field, parts := range tests {
		for i := range parts {
			var head, body strings.Builder
			for _, p := range parts[i:] {
				head.WriteString(p.head)
				body.WriteString(p.body)
			}
			name := fmt.Sprintf("%s from %s", field, parts[i].src)
			t.Run(name, func(t *testing.T) {
				m := readTestMetadata(t, "https://news.example/2026/11/18/story", `lang="is"`, head.String(), body.String())
				checkMeta(t, m, map[string]string{field: parts[i].want, "src." + field: parts[i].src})
			})
		}
	}
}

func TestMetadataTitleCleaning(t *testing.T) {
	tests := []struct {
		name, pageURL, head, body, want string
	}{
		{"site suffix", testURL, `<title>River accord signed | Daily Planet</title><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"site prefix", testURL, `<title>Daily Planet - River accord signed</title><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"site with The", testURL, `<meta property="og:title" content="River accord signed — The Daily Planet"><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"domain suffix", "https://www.nytimes.com/x", `<title>River accord signed - NYTimes.com</title>`, "", "River accord signed"},
		{"domain spelled out", "https://vortexcannon.org/x", `<title>About bugs – Vortex Cannon Entertainment</title>`, "", "About bugs"},
		{"site name after a colon", "https://www.thespacereview.com/x", `<title>The Space Review: Seeking a bigger role</title>`, "", "Seeking a bigger role"},
		{"topic colon kept", testURL, `<title>Brexit: What happens next</title>`, "", "Brexit: What happens next"},
		{"unrelated suffix kept", "https://blog.comwrap.com/x", `<title>Take C.A.R.E. - comwrap auf der DMEXCO 2018</title>`, "", "Take C.A.R.E. - comwrap auf der DMEXCO 2018"},
		{"section and site cut to the h1", testURL, `<title>River accord signed | World | Daily Planet</title><meta property="og:site_name" content="Daily Planet">`,
			`<h1>River accord signed</h1>`, "River accord signed"},
		{"URL headline skipped", testURL, `<meta property="og:title" content="River accord signed">`,
			`<a itemprop="headline" href="/">https://news.example/</a>`, "River accord signed"},
		{"no suffix without a site match", testURL, `<title>River accord signed | World</title>`, "", "River accord signed | World"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m := readTestMetadata(t, tt.pageURL, "", tt.head, tt.body); m.Title != tt.want {
				t.Errorf("title %q, want %q", m.Title, tt.want)
			}
		})
	}
}

func TestMetadataDateChecks(t *testing.T) {
	tests := []struct {
		name, pageURL, htmlAttrs, head string
		want                           map[string]string
	}{
		{"future date skipped", testURL, "", ldScript(`{"@type": "NewsArticle", "datePublished": "2027-01-01T00:00:00Z"}`) +
			`<meta property="article:published_time" content="2026-11-19T14:05:00Z">`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "src.published": "opengraph"}},
		{"within a day is not the future", testURL, "", `<meta property="article:published_time" content="2026-11-24T06:00:00+02:00">`,
			map[string]string{"published": "2026-11-24T06:00:00+02:00"}},
		{"before 1990 skipped", testURL, "", `<meta property="article:published_time" content="1970-01-01T00:00:00Z">`,
			map[string]string{"published": "", "src.published": ""}},
		{"modified before published dropped", testURL, "", `<meta property="article:published_time" content="2026-11-19T14:05:00Z">
			<meta property="article:modified_time" content="2026-11-18T14:05:00Z">`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "modified": "", "src.modified": ""}},
		{"ambiguous numeric date in British English", testURL, `lang="en-GB"`, `<meta name="date" content="03/04/2026">`,
			map[string]string{"published": "2026-04-03T00:00:00Z"}},
		{"ambiguous numeric date, region from og:locale", testURL, `lang="en"`, `<meta name="date" content="03/04/2026"><meta property="og:locale" content="en_US">`,
			map[string]string{"published": "2026-03-04T00:00:00Z", "language": "en"}},
		{"ambiguous numeric date refused in plain English", testURL, `lang="en"`, `<meta name="date" content="03/04/2026">`,
			map[string]string{"published": ""}},
		{"bare date refined by a time on the same day", testURL, "", ldScript(`{"@type": "NewsArticle", "datePublished": "2026-11-19"}`) +
			`<meta property="article:published_time" content="2026-11-19T14:05:00Z">`,
			map[string]string{"published": "2026-11-19T14:05:00Z", "src.published": "opengraph"}},
		{"bare date kept when the time is another day", testURL, "", ldScript(`{"@type": "NewsArticle", "datePublished": "2026-11-19"}`) +
			`<meta property="article:published_time" content="2026-11-18T14:05:00Z">`,
			map[string]string{"published": "2026-11-19T00:00:00Z", "src.published": "json-ld"}},
		{"date in the URL", "https://news.example/2026/11/19/river-accord", "", "",
			map[string]string{"published": "2026-11-19T00:00:00Z", "src.published": "url"}},
		{"ISO date in the URL", "https://news.example/world/2026-11-19-river-accord", "", "",
			map[string]string{"published": "2026-11-19T00:00:00Z", "src.published": "url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMeta(t, readTestMetadata(t, tt.pageURL, tt.htmlAttrs, tt.head, ""), tt.want)
		})
	}
}

func TestMetadataFieldCleaning(t *testing.T) {
	tests := []struct {
		name, htmlAttrs, head string
		want                  map[string]string
	}{
		{"keywords merged, de-duplicated, junk dropped", "", ldScript(`{"@type": "NewsArticle", "keywords": ["Dams", "PG&amp;E"]}`) +
			`<meta property="article:tag" content="rivers"><meta property="article:tag" content="@river">
			<meta name="keywords" content="dams, Section:news, type_news, Rivers, treaties">`,
			map[string]string{"keywords": "Dams; PG&E; rivers; treaties", "src.keywords": "json-ld"}},
		{"section from a list or a path", "", `<meta property="article:section" content="/columnists/">`,
			map[string]string{"section": "columnists"}},
		{"section list", "", ldScript(`{"@type": "NewsArticle", "articleSection": "game,news,slider"}`),
			map[string]string{"section": "game"}},
		{"site name that is a URL or handle skipped", "", `<meta property="og:site_name" content="https://www.news.example">
			<meta name="DC.publisher" content="@planet"><meta name="application-name" content="Daily Planet">`,
			map[string]string{"site_name": "Daily Planet", "src.site_name": "meta"}},
		{"language from xml:lang", `xml:lang="EN-us"`, "", map[string]string{"language": "en", "src.language": "html"}},
		{"language name", "", ldScript(`{"@type": "NewsArticle", "inLanguage": "English"}`), map[string]string{"language": "en"}},
		{"bad language skipped", `lang="de"`, `<meta property="og:locale" content="x">`, map[string]string{"language": "de"}},
		{"site and publisher dropped from authors", "", `<meta property="og:site_name" content="Daily Planet">
			<meta name="author" content="Daily Planet, Jane Doe">`,
			map[string]string{"authors": "Jane Doe"}},
		{"domain dropped from authors", "", `<meta name="author" content="News Example">`,
			map[string]string{"authors": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMeta(t, readTestMetadata(t, testURL, tt.htmlAttrs, tt.head, ""), tt.want)
		})
	}
}

func TestMetadataEmptyPage(t *testing.T) {
	m := readTestMetadata(t, testURL, "", "", "")
	if m.Title != "" || m.Published != nil || len(m.Authors) != 0 || len(m.Sources) != 0 {
		t.Errorf("empty page gave %+v", m)
	}
}

func FuzzReadMetadata(f *testing.F) {
	f.Add(`<html lang="en"><head><title>A | B</title>` + ldScript(`{"@type":"NewsArticle","author":[{"@id":"x"}]}`) +
		`</head><body><p class="byline">By A and B</p><time>Nov 19, 2026</time></body></html>`)
	f.Add(`<div itemscope itemtype="Article"><span itemprop="author" itemscope><meta itemprop="name" content="X Y"></span></div>`)
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return
		}
		u, _ := url.Parse(testURL)
		m := readMetadataAt(doc, u, testNow)
		if m.Published != nil && m.Published.After(testNow.Add(24*time.Hour)) {
			t.Errorf("published in the future: %v", m.Published)
		}
	})
}

func TestMetadataMicrodataScopes(t *testing.T) {
	body := `<strong class="page-title"><a href="/" itemprop="headline">Blog - Latest News</a></strong>
		<span itemprop="author">Site Admin Person</span>
		<main itemscope itemtype="https://schema.org/BlogPosting">
			<h1 itemprop="headline"><a href="/post">River accord signed</a></h1>
			<a itemprop="author" href="/jane">Jane Doe</a> and <a itemprop="author" href="/john">John Roe</a>
		</main>`
	checkMeta(t, readTestMetadata(t, testURL, "", "", body), map[string]string{
		"title": "River accord signed", "authors": "Jane Doe; John Roe", "src.authors": "microdata",
	})
}
