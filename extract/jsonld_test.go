package extract

import (
	"strings"
	"testing"
)

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
