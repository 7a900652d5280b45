package extract

import "testing"

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
