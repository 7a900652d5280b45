package feed

import (
	"cmp"
	"encoding/xml"
	"slices"
	"strconv"
)

// Namespaces of the RSS extensions the article feed uses. RSS's own <author>
// wants an e-mail address, so authors go in Dublin Core's dc:creator.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

const generator = "Newsline"

// The RSS document as encoding/xml types. Prefixed names ("dc:creator") are
// written literally, with their namespaces declared on <rss>.
//
// A writer for an RSS dialect (the podcast feed) builds the article document
// with buildRSS and extends it rather than copying it: declare adds a
// namespace, Extra fields take any marshalable extension elements (channel
// elements come before the items), and item fields such as Enclosure can be
// replaced.
type rssDoc struct {
	XMLName    xml.Name   `xml:"rss"`
	Version    string     `xml:"version,attr"`
	Namespaces []xml.Attr `xml:",any,attr"`
	Channel    rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Generator     string     `xml:"generator"`
	AtomLinks     []atomLink `xml:"atom:link"`
	Image         *rssImage  `xml:"image"`
	Extra         []any      `xml:",any"`
	Items         []rssItem  `xml:"item"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title          string          `xml:"title,omitempty"`
	Link           string          `xml:"link,omitempty"`
	GUID           rssGUID         `xml:"guid"`
	PubDate        string          `xml:"pubDate,omitempty"`
	Description    string          `xml:"description,omitempty"`
	Content        *cdata          `xml:"content:encoded"`
	Creators       []string        `xml:"dc:creator"`
	Categories     []string        `xml:"category"`
	Enclosure      *rssEnclosure   `xml:"enclosure"`
	MediaContent   *mediaContent   `xml:"media:content"`
	MediaThumbnail *mediaThumbnail `xml:"media:thumbnail"`
	Extra          []any           `xml:",any"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// rssEnclosure's length is required by RSS 2.0; 0 stands for unknown.
type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaContent struct {
	URL      string `xml:"url,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Medium   string `xml:"medium,attr,omitempty"`
	FileSize int64  `xml:"fileSize,attr,omitempty"`
}

type mediaThumbnail struct {
	URL string `xml:"url,attr"`
}

// cdata is text written as CDATA; encoding/xml splits any "]]>" in it
// across two sections.
type cdata struct {
	Text string `xml:",cdata"`
}

// declare adds the namespace prefix on <rss> unless it is there already.
func (d *rssDoc) declare(prefix, uri string) {
	name := xml.Name{Local: "xmlns:" + prefix}
	if !slices.ContainsFunc(d.Namespaces, func(a xml.Attr) bool { return a.Name == name }) {
		d.Namespaces = append(d.Namespaces, xml.Attr{Name: name, Value: uri})
	}
}

// buildRSS maps a cleaned feed to an RSS 2.0 document.
func buildRSS(f *Feed) *rssDoc {
	d := &rssDoc{Version: "2.0"}
	d.declare("atom", nsAtom)
	d.declare("content", nsContent)
	d.declare("dc", nsDC)
	d.declare("media", nsMedia)
	ch := &d.Channel
	ch.Title = f.Title
	ch.Link = f.SiteURL
	ch.Description = f.Description
	ch.Language = f.Language
	ch.LastBuildDate = rfc1123(f.updated())
	ch.Generator = generator
	ch.AtomLinks = append(ch.AtomLinks, atomLink{Href: f.SelfURL, Rel: "self", Type: RSS.MediaType()})
	for _, l := range f.alternates(RSS.MediaType()) {
		ch.AtomLinks = append(ch.AtomLinks, atomLink{Href: l.URL, Rel: "alternate", Type: l.Type, Title: l.Title})
	}
	if img := cmp.Or(f.ImageURL, f.IconURL); img != "" {
		ch.Image = &rssImage{URL: img, Title: f.Title, Link: f.SiteURL}
	}
	ch.Items = make([]rssItem, len(f.Items))
	for i := range f.Items {
		ch.Items[i] = newRSSItem(&f.Items[i])
	}
	return d
}

func newRSSItem(it *Item) rssItem {
	ri := rssItem{
		Title:       it.Title,
		Link:        it.Link,
		GUID:        rssGUID{Value: it.id(), IsPermaLink: strconv.FormatBool(it.id() == it.Link)},
		PubDate:     rfc1123(it.date()),
		Description: it.Summary,
		Creators:    it.Authors,
		Categories:  it.Categories,
	}
	if it.ContentHTML != "" {
		ri.Content = &cdata{Text: it.ContentHTML}
	}
	if img := it.Image; img != nil {
		ri.Enclosure = &rssEnclosure{URL: img.URL, Length: img.Length, Type: img.Type}
		ri.MediaContent = &mediaContent{URL: img.URL, Type: img.Type, Medium: "image", FileSize: img.Length}
		ri.MediaThumbnail = &mediaThumbnail{URL: img.URL}
	}
	return ri
}
