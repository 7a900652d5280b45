package extract

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/newsline/newsline/internal/testsite"
)

func TestSection(t *testing.T) {
	const page = "https://news.example/2026/11/23/river-accord"
	tests := []struct {
		name, url, head, body string
		want, src             string
	}{
		{"articleSection wins", "https://news.example/sport/2026/x",
			ldScript(`{"@type": "NewsArticle", "articleSection": "World"}`) + ldScript(`{"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Home", "item": "https://news.example/"}, {"@type": "ListItem", "position": 2, "name": "Europe", "item": "https://news.example/europe"}]}`),
			"", "World", "json-ld"},
		{"BreadcrumbList", page,
			ldScript(`{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", "headline": "Accord"}, {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "item": {"@id": "https://news.example/", "name": "Home"}}, {"@type": "ListItem", "position": 2, "item": {"@id": "https://news.example/world", "name": "World"}}, {"@type": "ListItem", "position": 3, "name": "Accord", "item": "https://news.example/2026/11/23/river-accord"}]}]}`),
			"", "World", "json-ld"},
		{"og section beats BreadcrumbList", page,
			`<meta property="article:section" content="Politics">` + ldScript(`{"@type": "BreadcrumbList", "itemListElement": [{"name": "Home", "item": "/"}, {"name": "World", "item": "/world"}]}`),
			"", "Politics", "opengraph"},
		{"breadcrumb nav", page, "",
			`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/section/world">World</a> › <span>Accord</span></nav>`,
			"World", "html"},
		{"aria breadcrumb list, deepest step", page, "",
			`<ol aria-label="Breadcrumbs"><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li><li><a href="/politik/ausland">Ausland</a></li><li><a href="` + page + `">Accord</a></li></ol>`,
			"Ausland", "html"},
		{"only home above", page, "", `<div class="breadcrumbs"><a href="/">Home</a> › Accord</div>`, "", ""},
		{"URL path", "https://news.example/world/2026/11/23/river-accord", "", "", "World", "url"},
		{"URL path, two words", "https://news.example/us-politics/river-accord", "", "", "Us Politics", "url"},
		{"URL container is no section", "https://news.example/news/0123abcd.html", "", "", "", ""},
		{"URL date is no section", page, "", "", "", ""},
		{"single segment is the page", "https://news.example/river-accord", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := readTestMetadata(t, tt.url, "", tt.head, tt.body)
			if m.Section != tt.want || m.Sources["section"] != tt.src {
				t.Errorf("section %q from %q, want %q from %q", m.Section, m.Sources["section"], tt.want, tt.src)
			}
		})
	}
}

// TestTestSiteSections checks that every article of the test site gets a
// section, whichever way its page states it.
func TestTestSiteSections(t *testing.T) {
	site := testsite.Generate(testsite.Config{Articles: 190, Seed: 7})
	h := site.Handler()
	x := New()
	sources := map[string]int{}
	for _, a := range site.Allowed() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", a.Path, nil))
		if rec.Code != 200 {
			continue
		}
		art, err := x.Extract(context.Background(), "http://testsite.example"+a.Path, rec.Body.Bytes())
		if err != nil {
			t.Errorf("%s: %v", a.Path, err)
			continue
		}
		if art.Section == "" {
			t.Errorf("%s: no section (want %q)", a.Path, a.Section)
		}
		sources[art.Sources["section"]]++
	}
	t.Logf("section sources: %v", sources)
}
