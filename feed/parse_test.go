package feed

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// wantItem is what a reader must find of each testFeed item, hostile
// characters stripped.
type wantItem struct {
	id, title, link, summary, content string
	published                         time.Time // zero: none
	authors, categories               []string
	image                             string
	imageType                         string
	imageLength                       string
}

func wantItems() []wantItem {
	return []wantItem{
		{
			id:        "tag:news.example.org,2026:article/101",
			title:     "Zürich votes: naïve café owners win 東京 prize ✓ 🚀",
			link:      "https://zeitung.example.ch/2026/12/zuerich-cafe?ref=rss&lang=de",
			summary:   `Café owners in Zürich won a prize in Tokyo; "naïve" art & more.`,
			content:   "<p>Café owners in <strong>Zürich</strong> won the 東京 prize.</p>",
			published: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC),
			authors:   []string{"Anna Müller", "李明", "Seán O'Brien"},
			categories: []string{
				"World", "Zürich", "cafés",
			},
			image:       "https://zeitung.example.ch/img/cafe.jpg",
			imageType:   "image/jpeg",
			imageLength: "48213",
		},
		{
			id:      "https://daily.example.com/news/council-meets-again",
			title:   "Council meets again",
			link:    "https://daily.example.com/news/council-meets-again",
			summary: "The council met again; nothing was decided.",
		},
		{
			id:          "tag:news.example.org,2026:article/103",
			title:       "Break ]]> out of <b>CDATA</b> & friends",
			link:        "https://hostile.example.net/a?b=1&c=<2>",
			summary:     "Line one\r\nline two ]]> end",
			content:     "<p>CDATA ends here: ]]> and again ]]]]></p>\n<p>bell and surrogate</p>",
			published:   time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC),
			authors:     []string{"Eve Hacker"},
			categories:  []string{"Tech", "xy"},
			image:       "https://hostile.example.net/img/x.PNG?size=large",
			imageType:   "image/png",
			imageLength: "0",
		},
	}
}

func parse(t *testing.T, format Format, data []byte) *gofeed.Feed {
	t.Helper()
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	f, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gofeed cannot parse our %s: %v\n%s", format, err, data)
	}
	wantType := map[Format]string{RSS: "rss", Atom: "atom", JSON: "json"}[format]
	if f.FeedType != wantType {
		t.Fatalf("gofeed sees a %q feed, want %q", f.FeedType, wantType)
	}
	return f
}

// TestParseWithGofeed reads every format back with a real feed parser and
// checks each element the writers promise.
func TestParseWithGofeed(t *testing.T) {
	for _, format := range allFormats() {
		t.Run(format.String(), func(t *testing.T) {
			in := testFeed(format)
			f := parse(t, format, write(t, format, in))
			checkFeed(t, format, in, f)
			want := wantItems()
			if len(f.Items) != len(want) {
				t.Fatalf("%d items, want %d", len(f.Items), len(want))
			}
			for i, w := range want {
				checkItem(t, format, f, i, w)
			}
		})
	}
}

func checkFeed(t *testing.T, format Format, in *Feed, f *gofeed.Feed) {
	t.Helper()
	if f.Title != in.Title {
		t.Errorf("title %q, want %q", f.Title, in.Title)
	}
	if f.Description != in.Description {
		t.Errorf("description %q, want %q", f.Description, in.Description)
	}
	if f.Link != in.SiteURL {
		t.Errorf("link %q, want the site %q", f.Link, in.SiteURL)
	}
	if f.FeedLink != in.SelfURL {
		t.Errorf("feed link %q, want self %q", f.FeedLink, in.SelfURL)
	}
	if f.Language != "en" {
		t.Errorf("language %q, want en", f.Language)
	}
	if format != JSON { // JSON Feed has no feed-level date; gofeed takes the first item's
		if f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(in.Updated) {
			t.Errorf("updated %v, want %v", f.UpdatedParsed, in.Updated)
		}
		if f.Generator != "Newsline" {
			t.Errorf("generator %q, want Newsline", f.Generator)
		}
	}
	if f.Image == nil || f.Image.URL != in.ImageURL { // RSS image, Atom logo, JSON icon
		t.Errorf("image %+v, want %s", f.Image, in.ImageURL)
	}
	if format != JSON { // alternates have no place in JSON Feed
		for _, alt := range in.Alternates {
			if alt.URL != in.SelfURL && !slices.Contains(f.Links, alt.URL) {
				t.Errorf("links %q lack the alternate %s", f.Links, alt.URL)
			}
		}
	}
}

func checkItem(t *testing.T, format Format, f *gofeed.Feed, i int, w wantItem) {
	t.Helper()
	got := f.Items[i]
	if got.GUID != w.id {
		t.Errorf("item %d: id %q, want %q", i, got.GUID, w.id)
	}
	if got.Title != w.title {
		t.Errorf("item %d: title %q, want %q", i, got.Title, w.title)
	}
	if got.Link != w.link {
		t.Errorf("item %d: link %q, want %q", i, got.Link, w.link)
	}
	if got.Description != w.summary {
		t.Errorf("item %d: summary %q, want %q", i, got.Description, w.summary)
	}
	checkContent(t, format, i, got, w)
	checkPublished(t, format, f, i, w)
	if authors := authorNames(got); !slices.Equal(authors, w.authors) {
		t.Errorf("item %d: authors %q, want %q", i, authors, w.authors)
	}
	if !slices.Equal(got.Categories, w.categories) {
		t.Errorf("item %d: categories %q, want %q", i, got.Categories, w.categories)
	}
	checkImage(t, format, i, got, w)
}

func checkContent(t *testing.T, format Format, i int, got *gofeed.Item, w wantItem) {
	t.Helper()
	switch {
	case w.content == "" && format == JSON:
		if got.Content != w.summary { // content_text is the summary
			t.Errorf("item %d: content %q, want the summary as content_text", i, got.Content)
		}
	case w.content == "":
		if got.Content != "" {
			t.Errorf("item %d: content %q in a summary-only item", i, got.Content)
		}
	case !bytes.HasPrefix([]byte(got.Content), []byte(w.content)):
		t.Errorf("item %d: content %q, want it to begin %q", i, got.Content, w.content)
	}
}

func checkPublished(t *testing.T, format Format, f *gofeed.Feed, i int, w wantItem) {
	t.Helper()
	got := f.Items[i].PublishedParsed
	want := w.published
	if want.IsZero() && format == Atom {
		want = *f.UpdatedParsed // atom:updated falls back to the feed's, and gofeed's published to updated
	}
	switch {
	case want.IsZero() && got != nil:
		t.Errorf("item %d: published %v, want none", i, got)
	case !want.IsZero() && (got == nil || !got.Equal(want)):
		t.Errorf("item %d: published %v, want %v", i, got, want)
	}
}

// authorNames returns every author: gofeed keeps only the first dc:creator
// of an RSS item in Authors, the others are in its Dublin Core extension.
func authorNames(it *gofeed.Item) []string {
	var names []string
	if it.DublinCoreExt != nil {
		return it.DublinCoreExt.Creator
	}
	for _, a := range it.Authors {
		names = append(names, a.Name)
	}
	return names
}

func checkImage(t *testing.T, format Format, i int, got *gofeed.Item, w wantItem) {
	t.Helper()
	if format != Atom { // Atom has only the enclosure link
		var url string
		if got.Image != nil {
			url = got.Image.URL
		}
		if url != w.image {
			t.Errorf("item %d: image %q, want %q", i, url, w.image)
		}
	}
	if format == JSON { // a JSON Feed image is not an attachment
		return
	}
	if w.image == "" {
		if len(got.Enclosures) != 0 {
			t.Errorf("item %d: enclosures %+v, want none", i, got.Enclosures)
		}
		return
	}
	wantLength := w.imageLength
	if format == Atom && wantLength == "0" {
		wantLength = "" // unknown: no length attribute
	}
	if len(got.Enclosures) != 1 {
		t.Fatalf("item %d: enclosures %+v, want one", i, got.Enclosures)
	}
	e := got.Enclosures[0]
	if e.URL != w.image || e.Type != w.imageType || e.Length != wantLength {
		t.Errorf("item %d: enclosure %+v, want %s %s %s", i, *e, w.image, w.imageType, wantLength)
	}
}

// TestSameItemsInEveryFormat: the three documents carry the same items, in
// the same order, with the same text.
func TestSameItemsInEveryFormat(t *testing.T) {
	type key struct{ id, title, link, summary string }
	var first []key
	for _, format := range allFormats() {
		f := parse(t, format, write(t, format, testFeed(format)))
		var keys []key
		for _, it := range f.Items {
			keys = append(keys, key{it.GUID, it.Title, it.Link, it.Description})
		}
		if first == nil {
			first = keys
			continue
		}
		if !slices.Equal(keys, first) {
			t.Errorf("%s items %q differ from RSS's %q", format, keys, first)
		}
	}
}
