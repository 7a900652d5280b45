package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsline/newsline"
)

// Namespaces of the podcast feed's extensions: Apple's iTunes tags, which
// every podcast app reads, and Podcasting 2.0's (guid, transcripts,
// chapters).
const (
	nsITunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsPodcast = "https://podcastindex.org/namespace/1.0"
)

// Media types of an episode's files.
const (
	MP3Type      = "audio/mpeg"
	VTTType      = "text/vtt"
	ChaptersType = "application/json+chapters"
)

// Podcast is a podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0
// namespaces.
type Podcast struct {
	Title       string
	Description string
	SelfURL     string // absolute URL of this feed document
	SiteURL     string
	Language    string
	ImageURL    string // square cover, 1400–3000 px
	Author      string
	OwnerName   string
	OwnerEmail  string
	// Category is an Apple Podcasts category, with a subcategory after a
	// slash: "News/Daily News".
	Category string
	Explicit bool
	Updated  time.Time // see Feed.Updated
	Episodes []Episode
}

// Episode is one item of a podcast feed.
type Episode struct {
	GUID        string // stable; never changes once published
	Title       string
	Link        string // the article
	Description string // plain text
	Authors     []string
	Published   time.Time
	Duration    time.Duration
	Audio       Enclosure // absolute URL, exact length, type (MP3Type when empty)
	Transcript  string    // absolute URL of the WebVTT transcript, may be empty
	Chapters    string    // absolute URL of the JSON chapters, may be empty
}

// podcastNamespace is Podcasting 2.0's namespace for podcast:guid, a UUIDv5
// of the feed's URL without scheme.
var podcastNamespace = uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

// PodcastGUID is the podcast:guid of the feed at feedURL: what
// Podcasting 2.0 derives from the URL, so that the podcast keeps its
// identity should it move.
func PodcastGUID(feedURL string) string {
	u := feedURL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	return uuid.NewSHA1(podcastNamespace, []byte(strings.TrimRight(u, "/"))).String()
}

// Extension elements, written with their prefixes.
type (
	itunesImage struct {
		XMLName xml.Name `xml:"itunes:image"`
		Href    string   `xml:"href,attr"`
	}
	itunesText struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	}
	itunesOwner struct {
		XMLName xml.Name `xml:"itunes:owner"`
		Name    string   `xml:"itunes:name,omitempty"`
		Email   string   `xml:"itunes:email,omitempty"`
	}
	itunesCategory struct {
		XMLName xml.Name        `xml:"itunes:category"`
		Text    string          `xml:"text,attr"`
		Sub     *itunesCategory `xml:",omitempty"`
	}
	podcastLink struct {
		XMLName xml.Name
		URL     string `xml:"url,attr"`
		Type    string `xml:"type,attr"`
		Lang    string `xml:"language,attr,omitempty"`
		Rel     string `xml:"rel,attr,omitempty"`
	}
)

func text(name, v string) itunesText { return itunesText{XMLName: xml.Name{Local: name}, Value: v} }

// WritePodcast encodes p as RSS 2.0 to w. Output is deterministic.
func WritePodcast(w io.Writer, p *Podcast) error {
	if p == nil || p.SelfURL == "" {
		return newsline.Errorf(newsline.EINVALID, "feed: a podcast needs its self URL")
	}
	f := &Feed{Title: p.Title, Description: p.Description, SelfURL: p.SelfURL, SiteURL: p.SiteURL, Language: p.Language,
		ImageURL: p.ImageURL, Updated: p.Updated}
	for i := range p.Episodes {
		e := &p.Episodes[i]
		if e.GUID == "" || e.Audio.URL == "" {
			return newsline.Errorf(newsline.EINVALID, "feed: episode %d needs a GUID and an audio URL", i)
		}
		f.Items = append(f.Items, Item{GUID: e.GUID, Title: e.Title, Link: e.Link, Published: e.Published,
			Authors: e.Authors, Summary: e.Description})
	}
	d := buildRSS(cleaned(f))
	d.declare("itunes", nsITunes)
	d.declare("podcast", nsPodcast)
	ch := &d.Channel
	ch.Extra = append(ch.Extra, podcastChannel(p)...)
	for i := range ch.Items {
		e := &p.Episodes[i]
		typ := e.Audio.Type
		if typ == "" {
			typ = MP3Type
		}
		ch.Items[i].Enclosure = &rssEnclosure{URL: clean(e.Audio.URL), Length: max(e.Audio.Length, 0), Type: typ}
		ch.Items[i].Extra = podcastItem(e, p.Language)
	}
	if err := writeXML(w, d); err != nil {
		return fmt.Errorf("feed: write podcast: %w", err)
	}
	return nil
}

// podcastChannel returns the channel's iTunes and Podcasting 2.0 elements.
func podcastChannel(p *Podcast) []any {
	var out []any
	if p.ImageURL != "" {
		out = append(out, itunesImage{Href: clean(p.ImageURL)})
	}
	if p.Author != "" {
		out = append(out, text("itunes:author", clean(p.Author)))
	}
	if p.OwnerName != "" || p.OwnerEmail != "" {
		out = append(out, itunesOwner{Name: clean(p.OwnerName), Email: clean(p.OwnerEmail)})
	}
	if p.Category != "" {
		top, sub, _ := strings.Cut(p.Category, "/")
		c := itunesCategory{Text: clean(strings.TrimSpace(top))}
		if sub = strings.TrimSpace(sub); sub != "" {
			c.Sub = &itunesCategory{Text: clean(sub)}
		}
		out = append(out, c)
	}
	out = append(out, text("itunes:explicit", strconv.FormatBool(p.Explicit)), text("itunes:type", "episodic"))
	if p.Description != "" {
		out = append(out, text("itunes:summary", clean(p.Description)))
	}
	return append(out, text("podcast:guid", PodcastGUID(p.SelfURL)))
}

// podcastItem returns an episode's iTunes and Podcasting 2.0 elements.
func podcastItem(e *Episode, lang string) []any {
	out := []any{
		text("itunes:title", clean(e.Title)),
		text("itunes:duration", strconv.FormatInt(int64(e.Duration.Round(time.Second)/time.Second), 10)),
		text("itunes:episodeType", "full"),
	}
	if len(e.Authors) > 0 {
		out = append(out, text("itunes:author", clean(strings.Join(e.Authors, ", "))))
	}
	if e.Transcript != "" {
		out = append(out, podcastLink{XMLName: xml.Name{Local: "podcast:transcript"}, URL: clean(e.Transcript), Type: VTTType,
			Lang: clean(lang), Rel: "captions"})
	}
	if e.Chapters != "" {
		out = append(out, podcastLink{XMLName: xml.Name{Local: "podcast:chapters"}, URL: clean(e.Chapters), Type: ChaptersType})
	}
	return out
}
