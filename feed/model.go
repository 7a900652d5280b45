package feed

import (
	"slices"
	"time"
)

// Feed is one feed document, independent of its format.
type Feed struct {
	Title       string
	Description string
	SelfURL     string // absolute URL of this feed document
	SiteURL     string // absolute URL of the HTML page the feed stands for
	Language    string // ISO 639-1, may be empty
	// Updated is the newest item's updated time, or now for an empty feed.
	// When zero, the writers use the newest item time; an empty feed then has
	// no date in RSS and JSON, and the Unix epoch in Atom, which requires one.
	Updated  time.Time
	IconURL  string // small square icon (favicon), may be empty
	ImageURL string // larger image or logo, may be empty
	// Alternates are the same feed in the other formats. An alternate whose
	// URL is SelfURL, or whose type repeats an earlier one, is left out, so
	// the caller can pass the same list to every format.
	Alternates []Link
	Items      []Item
}

// Link is a typed link to another document.
type Link struct{ URL, Type, Title string }

// Item is one entry of a feed.
type Item struct {
	GUID        string // stable, unique id; empty: Link is the id
	Title       string
	Link        string    // absolute link to the source article
	Published   time.Time // zero when unknown
	Updated     time.Time // zero when unknown
	Authors     []string
	Summary     string     // plain text
	ContentHTML string     // sanitized HTML of the full body; empty: summary only
	Image       *Enclosure // may be nil
	Categories  []string   // section first, then keywords
}

// Enclosure is a linked media file.
type Enclosure struct {
	URL    string
	Type   string // media type; empty: guessed from the URL's extension
	Length int64  // bytes, 0 when unknown
}

// id is the item's id in every format.
func (it *Item) id() string {
	if it.GUID != "" {
		return it.GUID
	}
	return it.Link
}

// date is the item's publication date as far as it is known.
func (it *Item) date() time.Time {
	if !it.Published.IsZero() {
		return it.Published
	}
	return it.Updated
}

// updated returns the feed's Updated, or the newest item date when zero.
func (f *Feed) updated() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var newest time.Time
	for i := range f.Items {
		for _, t := range [2]time.Time{f.Items[i].Published, f.Items[i].Updated} {
			if t.After(newest) {
				newest = t
			}
		}
	}
	return newest
}

// alternates returns f.Alternates without the feed itself and without
// repeated types, the ones in seen included.
func (f *Feed) alternates(seen ...string) []Link {
	var out []Link
	for _, l := range f.Alternates {
		if l.URL == "" || l.URL == f.SelfURL || slices.Contains(seen, l.Type) {
			continue
		}
		seen = append(seen, l.Type)
		out = append(out, l)
	}
	return out
}
