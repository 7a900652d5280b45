package feed

import (
	"bytes"
	"testing"
	"time"
)

// testFeed is the feed of the golden files, as served in format: three items covering unicode,
// markup, several authors, an item without date, image or body (summary
// only, its Link as id), and one of hostile text ("]]>", control
// characters, invalid UTF-8, U+FFFE, CR LF).
func testFeed(format Format) *Feed {
	paris := time.FixedZone("CET", 3600)
	return &Feed{
		Title:       "Newsline — World",
		Description: "World news from the sites Newsline follows",
		SelfURL:     "https://news.example.org/feeds/world." + format.Ext(),
		SiteURL:     "https://news.example.org/sections/world",
		Language:    "en",
		Updated:     time.Date(2026, 12, 1, 10, 30, 0, 0, paris),
		IconURL:     "https://news.example.org/favicon.png",
		ImageURL:    "https://news.example.org/logo.png",
		Alternates: []Link{
			{URL: "https://news.example.org/feeds/world.rss", Type: "application/rss+xml", Title: "RSS"},
			{URL: "https://news.example.org/feeds/world.atom", Type: "application/atom+xml", Title: "Atom"},
			{URL: "https://news.example.org/feeds/world.json", Type: "application/feed+json", Title: "JSON Feed"},
		},
		Items: []Item{
			{
				GUID:      "tag:news.example.org,2026:article/101",
				Title:     "Zürich votes: naïve café owners win 東京 prize ✓ 🚀",
				Link:      "https://zeitung.example.ch/2026/12/zuerich-cafe?ref=rss&lang=de",
				Published: time.Date(2026, 12, 1, 9, 0, 0, 0, paris),
				Updated:   time.Date(2026, 12, 1, 10, 30, 0, 0, paris),
				Authors:   []string{"Anna Müller", "李明", "Seán O'Brien"},
				Summary:   `Café owners in Zürich won a prize in Tokyo; "naïve" art & more.`,
				ContentHTML: "<p>Café owners in <strong>Zürich</strong> won the 東京 prize.</p>\n" +
					"<p>See <a href=\"https://example.org/a?x=1&amp;y=2\">the list</a> &amp; the photos.</p>\n" +
					"<ul><li>first</li><li>second</li></ul>",
				Image: &Enclosure{
					URL:    "https://zeitung.example.ch/img/cafe.jpg",
					Type:   "image/jpeg",
					Length: 48213,
				},
				Categories: []string{"World", "Zürich", "cafés"},
			},
			{
				Title:   "Council meets again",
				Link:    "https://daily.example.com/news/council-meets-again",
				Summary: "The council met again; nothing was decided.",
			},
			{
				GUID:        "tag:news.example.org,2026:article/103",
				Title:       "Break ]]> out \x01of <b>CDATA</b> & \uFFFEfriends\xff",
				Link:        "https://hostile.example.net/a?b=1&c=<2>",
				Published:   time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC),
				Authors:     []string{"Eve \x07Hacker", "\x00"},
				Summary:     "Line one\r\nline two\x0b ]]> end",
				ContentHTML: "<p>CDATA ends here: ]]> and again ]]]]></p>\r\n<p>bell\x07 and \xed\xa0\x80surrogate</p>",
				Image: &Enclosure{
					URL: "https://hostile.example.net/img/x.PNG?size=large",
				},
				Categories: []string{"Tech", "", "x\x1fy"},
			},
		},
	}
}

func write(t testing.TB, format Format, f *Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, f); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	return buf.Bytes()
}

func allFormats() []Format { return []Format{RSS, Atom, JSON} }
