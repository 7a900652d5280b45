package feed

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// clean returns s without invalid UTF-8 and without the characters XML 1.0
// forbids (C0 controls other than tab, LF and CR; surrogates; U+FFFE and
// U+FFFF). Clean text, the common case, is returned without allocating.
func clean(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, size) {
			return cleanFrom(s, i)
		}
		i += size
	}
	return s
}

// cleanFrom is clean's slow path, from the first bad byte at i.
func cleanFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if xmlChar(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether r, decoded from size bytes, is a Char of XML 1.0.
func xmlChar(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // invalid UTF-8, surrogates included
		return false
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	default:
		return r != 0xFFFE && r != 0xFFFF && r <= utf8.MaxRune
	}
}

// cleanList cleans every string and drops those left empty, returning ss
// itself when nothing changes.
func cleanList(ss []string) []string {
	for i, s := range ss {
		if c := clean(s); c == "" || len(c) != len(s) {
			out := append(make([]string, 0, len(ss)), ss[:i]...)
			for _, s := range ss[i:] {
				if c := clean(s); c != "" {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return ss
}

// cleaned returns a copy of f with every text value cleaned, so that no
// builder can forget one and all formats carry the same strings.
func cleaned(f *Feed) *Feed {
	c := *f
	c.Title = clean(f.Title)
	c.Description = clean(f.Description)
	c.SelfURL = clean(f.SelfURL)
	c.SiteURL = clean(f.SiteURL)
	c.Language = clean(f.Language)
	c.IconURL = clean(f.IconURL)
	c.ImageURL = clean(f.ImageURL)
	c.Alternates = make([]Link, len(f.Alternates))
	for i, l := range f.Alternates {
		c.Alternates[i] = Link{URL: clean(l.URL), Type: clean(l.Type), Title: clean(l.Title)}
	}
	c.Items = make([]Item, len(f.Items))
	for i := range f.Items {
		it := f.Items[i]
		it.GUID = clean(it.GUID)
		it.Title = clean(it.Title)
		it.Link = clean(it.Link)
		it.Authors = cleanList(it.Authors)
		it.Summary = clean(it.Summary)
		it.ContentHTML = lineEnds(clean(it.ContentHTML))
		it.Categories = cleanList(it.Categories)
		if it.Image != nil {
			img := Enclosure{URL: clean(it.Image.URL), Type: clean(it.Image.Type), Length: max(it.Image.Length, 0)}
			if img.Type == "" {
				img.Type = imageType(img.URL)
			}
			it.Image = &img
			if img.URL == "" {
				it.Image = nil
			}
		}
		c.Items[i] = it
	}
	return &c
}

// imageType guesses an image's media type from its URL. A fixed table, not
// mime.TypeByExtension, whose answers depend on the machine's mime.types;
// an image whose URL names no known type (CDNs often give none) is most
// likely a JPEG, and a reader shows an image/* enclosure.
func imageType(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	switch strings.ToLower(path.Ext(u)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return "image/jpeg"
}

// lineEnds turns CR LF and lone CR into LF, as every XML parser does inside
// the CDATA the HTML body is written in (XML 1.0 §2.11); done before encoding
// so that JSON carries the same body.
func lineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// RFC 1123 with a numeric zone, as RSS 2.0 asks, and RFC 3339 for Atom and
// JSON Feed; always in UTC, "" for the zero time.
func rfc1123(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC1123Z)
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // content_html stays readable
	// Not indented: json.Encoder indents in a second pass over a copy,
	// which made writing 4.5 times slower (BenchmarkWrite/JSON).
	return enc.Encode(doc)
}
