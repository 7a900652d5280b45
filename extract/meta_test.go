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
	// An address without a section, since the URL path is a source too.
	m := readTestMetadata(t, "https://news.example/river-accord", "", "", "")
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
