// Package feed writes syndication documents: RSS 2.0, Atom 1.0 (RFC 4287) and
// JSON Feed 1.1, from one format-neutral Feed.
//
// The writers are pure: they do no I/O beyond the io.Writer they are given,
// read no clock and keep no state, so the same Feed always encodes to the same
// bytes (the HTTP layer derives strong ETags from them). Every text value is
// stripped of the characters XML 1.0 forbids and of invalid UTF-8, in all
// three formats, so hostile article text cannot break a document and the
// formats carry the same strings.
//
// What the caller decides: which articles go in and in what order, absolute
// URLs (SelfURL, SiteURL, links, images), the GUIDs, the feed's Updated time
// (the writers never read the clock; see Feed.Updated), sanitizing the HTML
// body, summary-only feeds (leave Item.ContentHTML empty), and HTTP concerns:
// routes, content negotiation, caching and ETags.
package feed

import (
	"fmt"
	"io"

	"github.com/newsline/newsline"
)

// Format is a feed document format.
type Format int

// The formats, each with its file extension and media type.
const (
	RSS  Format = iota + 1 // .rss  application/rss+xml
	Atom                   // .atom application/atom+xml
	JSON                   // .json application/feed+json
)

// ParseFormat returns the format whose extension is ext ("rss", "atom" or
// "json", lower case, without the dot).
func ParseFormat(ext string) (Format, bool) {
	switch ext {
	case "rss":
		return RSS, true
	case "atom":
		return Atom, true
	case "json":
		return JSON, true
	}
	return 0, false
}

// Ext returns the file extension without the dot, "" for an unknown format.
func (f Format) Ext() string {
	switch f {
	case RSS:
		return "rss"
	case Atom:
		return "atom"
	case JSON:
		return "json"
	}
	return ""
}

// MediaType returns the media type without parameters, as used in the type
// attribute of links ("application/rss+xml"), "" for an unknown format.
func (f Format) MediaType() string {
	switch f {
	case RSS:
		return "application/rss+xml"
	case Atom:
		return "application/atom+xml"
	case JSON:
		return "application/feed+json"
	}
	return ""
}

// ContentType returns the value for a Content-Type header, with the charset
// (every format is written in UTF-8).
func (f Format) ContentType() string {
	if mt := f.MediaType(); mt != "" {
		return mt + "; charset=utf-8"
	}
	return ""
}

// String returns the format's name ("RSS", "Atom", "JSON").
func (f Format) String() string {
	switch f {
	case RSS:
		return "RSS"
	case Atom:
		return "Atom"
	case JSON:
		return "JSON"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Write encodes f in format to w. Output is deterministic: the same Feed
// gives the same bytes.
//
// f must have a SelfURL, and every item a GUID or a Link (its id in every
// format); otherwise Write writes nothing and returns an EINVALID error.
func Write(w io.Writer, format Format, f *Feed) error {
	if format.MediaType() == "" {
		return newsline.Errorf(newsline.EINVALID, "feed: unknown format %d", int(format))
	}
	if err := check(f); err != nil {
		return err
	}
	c := cleaned(f)
	var err error
	switch format {
	case RSS:
		err = writeXML(w, buildRSS(c))
	case Atom:
		err = writeXML(w, buildAtom(c))
	case JSON:
		err = writeJSON(w, buildJSON(c))
	}
	if err != nil {
		return fmt.Errorf("feed: write %s: %w", format, err)
	}
	return nil
}

func check(f *Feed) error {
	if f == nil {
		return newsline.Errorf(newsline.EINVALID, "feed: no feed")
	}
	if f.SelfURL == "" {
		return newsline.Errorf(newsline.EINVALID, "feed: no self URL")
	}
	for i := range f.Items {
		if f.Items[i].GUID == "" && f.Items[i].Link == "" {
			return newsline.Errorf(newsline.EINVALID, "feed: item %d has neither GUID nor link", i)
		}
	}
	return nil
}
