package feed_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/internal/podcastcheck"
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

func TestWritePodcast(t *testing.T) {
	var b bytes.Buffer
	if err := feed.WritePodcast(&b, testPodcast()); err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	podcastcheck.Apple(t, f)
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
