package audio

import (
	"testing"
	"time"

	"github.com/newsline/newsline"
)

func TestScriptFor(t *testing.T) {
	published := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	a := &newsline.Article{
		Title: "Bridge reopens", Authors: []string{"Ann Lee"}, Site: "www.daily.example", Language: "en", PublishedAt: &published,
		HTML: `<h1>Bridge reopens</h1>
<p>The bridge <a href="/x">reopened</a> on Monday.</p>
<figure><img src="a.jpg"><figcaption>The bridge at dawn. Photo: J. Doe</figcaption></figure>
<h2>Traffic</h2>
<p>Traffic was light.<br>Buses return next week.</p>
<ul><li>Cars from 6am</li><li>Lorries from May.</li></ul>
<table><tr><td>1</td><td>2</td></tr></table>
<pre>code()</pre>
<blockquote>It is a relief, said a resident.</blockquote>`,
		Text: "ignored when HTML has blocks",
	}
	sc := ScriptFor(a)
	if sc.Site != "daily.example" || !sc.Date.Equal(published) || sc.Lang != "en" || sc.Title != "Bridge reopens" {
		t.Errorf("metadata: %+v", sc)
	}
	want := []Block{
		{Text: "The bridge reopened on Monday."},
		{Text: "Traffic", Heading: true},
		{Text: "Traffic was light. Buses return next week."},
		{Text: "Cars from 6am."},
		{Text: "Lorries from May."},
		{Text: "It is a relief, said a resident."},
	}
	if len(sc.Body) != len(want) {
		t.Fatalf("got %d blocks: %+v", len(sc.Body), sc.Body)
	}
	for i := range want {
		if sc.Body[i] != want[i] {
			t.Errorf("block %d: got %+v, want %+v", i, sc.Body[i], want[i])
		}
	}
	tags := sc.Tags("Newsline", "https://daily.example/bridge")
	if tags.Artist != "daily.example" || tags.Album != "Newsline" || tags.Comment != "https://daily.example/bridge" || tags.Title != "Bridge reopens" {
		t.Errorf("tags %+v", tags)
	}
}

func TestScriptForPlainText(t *testing.T) {
	a := &newsline.Article{Title: "T", SiteName: "The Daily", Language: "fr", Text: "Premier paragraphe.\n\n  Deuxième\nparagraphe.  \n\n\n"}
	sc := ScriptFor(a)
	if sc.Site != "The Daily" || len(sc.Body) != 2 || sc.Body[1].Text != "Deuxième paragraphe." {
		t.Errorf("got %+v", sc)
	}
}
