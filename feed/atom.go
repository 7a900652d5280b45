package feed

import (
	"cmp"
	"encoding/xml"
	"time"
)

// The Atom 1.0 document (RFC 4287) as encoding/xml types.
type atomFeed struct {
	XMLName   xml.Name     `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string       `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Subtitle  string       `xml:"subtitle,omitempty"`
	Updated   string       `xml:"updated"`
	Links     []atomLink   `xml:"link"`
	Authors   []atomPerson `xml:"author"`
	Icon      string       `xml:"icon,omitempty"`
	Logo      string       `xml:"logo,omitempty"`
	Generator string       `xml:"generator"`
	Entries   []atomEntry  `xml:"entry"`
}

// atomLink is also RSS's atom:link, hence no XMLName of its own.
type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Summary    *atomText      `xml:"summary"`
	Content    *atomHTML      `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// atomHTML is escaped HTML (type="html"); the escaping is a CDATA section,
// which reads back as the same text and keeps the markup legible.
type atomHTML struct {
	Type string `xml:"type,attr"`
	Text string `xml:",cdata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// buildAtom maps a cleaned feed to an Atom document.
func buildAtom(f *Feed) *atomFeed {
	updated := f.updated()
	if updated.IsZero() {
		updated = time.Unix(0, 0) // atom:updated is required; see Feed.Updated
	}
	a := &atomFeed{
		Lang:      f.Language,
		ID:        f.SelfURL,
		Title:     f.Title,
		Subtitle:  f.Description,
		Updated:   rfc3339(updated),
		Icon:      f.IconURL,
		Logo:      f.ImageURL,
		Generator: generator,
	}
	a.Links = append(a.Links, atomLink{Href: f.SelfURL, Rel: "self", Type: Atom.MediaType()})
	if f.SiteURL != "" {
		a.Links = append(a.Links, atomLink{Href: f.SiteURL, Rel: "alternate", Type: "text/html"})
	}
	for _, l := range f.alternates(Atom.MediaType(), "text/html") {
		a.Links = append(a.Links, atomLink{Href: l.URL, Rel: "alternate", Type: l.Type, Title: l.Title})
	}
	a.Entries = make([]atomEntry, len(f.Items))
	anonymous := false
	for i := range f.Items {
		a.Entries[i] = newAtomEntry(&f.Items[i], updated)
		anonymous = anonymous || len(a.Entries[i].Authors) == 0
	}
	// RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
	// The feed's publisher is the best name for it.
	if anonymous {
		a.Authors = []atomPerson{{Name: cmp.Or(f.Title, generator)}}
	}
	return a
}

func newAtomEntry(it *Item, feedUpdated time.Time) atomEntry {
	e := atomEntry{
		ID:        it.id(),
		Title:     it.Title,
		Published: rfc3339(it.Published),
		Updated:   rfc3339(firstTime(it.Updated, it.Published, feedUpdated)),
	}
	if it.Link != "" {
		e.Links = append(e.Links, atomLink{Href: it.Link, Rel: "alternate", Type: "text/html"})
	}
	if img := it.Image; img != nil {
		e.Links = append(e.Links, atomLink{Href: img.URL, Rel: "enclosure", Type: img.Type, Length: img.Length})
	}
	for _, name := range it.Authors {
		e.Authors = append(e.Authors, atomPerson{Name: name})
	}
	if it.Summary != "" {
		e.Summary = &atomText{Type: "text", Text: it.Summary}
	}
	if it.ContentHTML != "" {
		e.Content = &atomHTML{Type: "html", Text: it.ContentHTML}
	}
	for _, c := range it.Categories {
		e.Categories = append(e.Categories, atomCategory{Term: c})
	}
	return e
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
