package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// Extension elements as the podcast writer will define them.
type testTextElem struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type testURLElem struct {
	XMLName xml.Name
	URL     string `xml:"url,attr"`
	Type    string `xml:"type,attr"`
}

type testHrefElem struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
}

// TestRSSExtension: a dialect of RSS (the podcast feed, with the iTunes and
// Podcasting 2.0 namespaces) builds on buildRSS: it declares namespaces, adds
// channel and item elements and swaps the enclosure, without copying the
// article writer.
func TestRSSExtension(t *testing.T) {
	doc := buildRSS(cleaned(testFeed(RSS)))
	doc.declare("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd")
	doc.declare("podcast", "https://podcastindex.org/namespace/1.0")
	doc.declare("itunes", "http://example.org/declared-twice")
	doc.Channel.Extra = append(doc.Channel.Extra,
		testHrefElem{XMLName: xml.Name{Local: "itunes:image"}, Href: "https://news.example.org/cover.jpg"},
		testTextElem{XMLName: xml.Name{Local: "podcast:guid"}, Value: "917393e3-1b1e-5cef-ace4-edaa54e1f810"},
	)
	item := &doc.Channel.Items[0]
	item.Enclosure = &rssEnclosure{URL: "https://news.example.org/audio/101.mp3", Length: 1234567, Type: "audio/mpeg"}
	item.Extra = append(item.Extra,
		testTextElem{XMLName: xml.Name{Local: "itunes:duration"}, Value: "754"},
		testHrefElem{XMLName: xml.Name{Local: "itunes:image"}, Href: "https://news.example.org/img/101.jpg"},
		testURLElem{XMLName: xml.Name{Local: "podcast:transcript"}, URL: "https://news.example.org/audio/101.vtt", Type: "text/vtt"},
		testURLElem{XMLName: xml.Name{Local: "podcast:chapters"}, URL: "https://news.example.org/audio/101.json", Type: "application/json+chapters"},
	)
	var buf bytes.Buffer
	if err := writeXML(&buf, doc); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "xmlns:itunes="); n != 1 {
		t.Errorf("itunes namespace declared %d times, want once", n)
	}
	f := parse(t, RSS, buf.Bytes())
	if f.ITunesExt == nil || f.ITunesExt.Image != "https://news.example.org/cover.jpg" {
		t.Errorf("channel itunes:image %+v, want the cover", f.ITunesExt)
	}
	if g := f.Extensions["podcast"]["guid"]; len(g) != 1 || g[0].Value != "917393e3-1b1e-5cef-ace4-edaa54e1f810" {
		t.Errorf("podcast:guid %+v", g)
	}
	it := f.Items[0]
	if it.ITunesExt == nil || it.ITunesExt.Duration != "754" || it.ITunesExt.Image != "https://news.example.org/img/101.jpg" {
		t.Errorf("item itunes extension %+v, want duration 754 and the image", it.ITunesExt)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].Type != "audio/mpeg" || it.Enclosures[0].Length != "1234567" {
		t.Errorf("enclosures %+v, want the one MP3", it.Enclosures)
	}
	for _, name := range []string{"transcript", "chapters"} {
		if e := it.Extensions["podcast"][name]; len(e) != 1 || e[0].Attrs["url"] == "" || e[0].Attrs["type"] == "" {
			t.Errorf("podcast:%s %+v, want one with url and type", name, e)
		}
	}
	if it.Title != wantItems()[0].title || len(it.Categories) != 3 {
		t.Errorf("the article elements were lost: %q, %q", it.Title, it.Categories)
	}
}
