package feed_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline/feed"
)

func testPodcast() *feed.Podcast {
	return &feed.Podcast{Title: "Newsline", Description: "The day's news, read aloud.", SelfURL: "https://news.example.org/feeds/podcast.rss",
		SiteURL: "https://news.example.org/", Language: "en", ImageURL: "https://news.example.org/feeds/podcast.png",
		Author: "Newsline", OwnerName: "Ann Lee", OwnerEmail: "podcast@news.example.org", Category: "News/Daily News",
		Episodes: []feed.Episode{{GUID: "newsline:episode:7", Title: "Harbour reopens \x01", Link: "https://a.example/harbour",
			Description: "Ships queued at dawn.", Authors: []string{"Ann Lee"}, Published: time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC),
			Duration: 16400 * time.Millisecond, Audio: feed.Enclosure{URL: "https://news.example.org/audio/2026/12/harbour-7.mp3", Length: 98765},
			Transcript: "https://news.example.org/audio/2026/12/harbour-7.vtt", Chapters: "https://news.example.org/audio/2026/12/harbour-7.chapters.json"}}}
}

// CheckApplePodcast fails t unless the parsed feed has every element
// Apple's podcast requirements list as required (and those they
// recommend that Newsline always has).
func checkApplePodcast(t *testing.T, f *gofeed.Feed) {
	t.Helper()
	it := f.ITunesExt
	switch {
	case f.Title == "", f.Description == "", f.Language == "", f.Link == "":
		t.Errorf("channel title %q, description %q, language %q, link %q", f.Title, f.Description, f.Language, f.Link)
	case it == nil:
		t.Fatal("no iTunes elements")
	case it.Image == "" || len(it.Categories) == 0 || it.Categories[0].Text == "" || it.Explicit == "" || it.Author == "":
		t.Errorf("itunes: image %q, categories %v, explicit %q, author %q", it.Image, it.Categories, it.Explicit, it.Author)
	case it.Owner == nil || it.Owner.Email == "":
		t.Errorf("itunes:owner %+v", it.Owner)
	}
	if len(f.Items) == 0 {
		t.Fatal("no episodes")
	}
	for _, item := range f.Items {
		if item.Title == "" || item.GUID == "" || len(item.Enclosures) != 1 || item.PublishedParsed == nil {
			t.Errorf("item %+v", item)
			continue
		}
		enc := item.Enclosures[0]
		if !strings.HasPrefix(enc.URL, "http") || enc.Length == "" || enc.Length == "0" || enc.Type != feed.MP3Type {
			t.Errorf("enclosure %+v", enc)
		}
		if item.ITunesExt == nil || item.ITunesExt.Duration == "" {
			t.Errorf("item %q has no itunes:duration", item.Title)
		}
		for _, name := range []string{"transcript", "chapters"} {
			if els := item.Extensions["podcast"][name]; len(els) != 1 || els[0].Attrs["url"] == "" || els[0].Attrs["type"] == "" {
				t.Errorf("item %q: podcast:%s %+v", item.Title, name, els)
			}
		}
	}
	if g := f.Extensions["podcast"]["guid"]; len(g) != 1 || len(g[0].Value) != 36 {
		t.Errorf("podcast:guid %+v", g)
	}
}

func TestWritePodcast(t *testing.T) {
	var b bytes.Buffer
	if err := feed.WritePodcast(&b, testPodcast()); err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	checkApplePodcast(t, f)
	item := f.Items[0]
	if item.ITunesExt.Duration != "16" || item.Enclosures[0].Length != "98765" || item.Title != "Harbour reopens" {
		t.Errorf("item: duration %q, length %q, title %q", item.ITunesExt.Duration, item.Enclosures[0].Length, item.Title)
	}
	if cats := f.ITunesExt.Categories; cats[0].Text != "News" || cats[0].Subcategory == nil || cats[0].Subcategory.Text != "Daily News" {
		t.Errorf("category %+v", cats[0])
	}
	// Podcasting 2.0's own example of a guid: podcastindex.org's.
	if got := feed.PodcastGUID("https://mp3s.nashownotes.com/pc20rss.xml"); got != "917393e3-1b1e-5cef-ace4-edaa54e1f810" {
		t.Errorf("podcast:guid %s", got)
	}
	var again bytes.Buffer
	if err := feed.WritePodcast(&again, testPodcast()); err != nil || again.String() != b.String() {
		t.Error("the same podcast wrote different bytes")
	}
}

func TestWritePodcastRefusesEpisodesWithoutAudio(t *testing.T) {
	p := testPodcast()
	p.Episodes[0].Audio.URL = ""
	if err := feed.WritePodcast(&bytes.Buffer{}, p); err == nil {
		t.Fatal("wrote an episode without audio")
	}
}
