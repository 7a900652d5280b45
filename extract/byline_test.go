package extract

import "testing"

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
