package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomText strings together pieces that have broken feed writers: markup,
// CDATA ends, entities, controls, non-characters, broken UTF-8, surrogates,
// CRs, astral characters and random bytes.
func randomText(r *rand.Rand) string {
	pieces := []string{
		"]]>", "]]", "]", "<![CDATA[", "<", ">", "&", "&amp;", "&#0;", "\"", "'",
		"\x00", "\x01", "\x0b", "\x1f", "\x7f", "\u0085", "\r", "\r\n", "\n", "\t",
		"\uFFFE", "\uFFFF", "\uFFFD", "\xed\xa0\x80", "\xc3", "\xff", "\U0001F680",
		"Zürich", "東京", "<script>alert(1)</script>", "word", " ",
	}
	var b strings.Builder
	for range r.IntN(20) {
		if r.IntN(4) == 0 {
			b.WriteByte(byte(r.IntN(256)))
		} else {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return b.String()
}

func randomFeed(r *rand.Rand) *Feed {
	f := &Feed{
		Title:       randomText(r),
		Description: randomText(r),
		SelfURL:     "https://x.example/f?" + randomText(r),
		SiteURL:     randomText(r),
		Language:    randomText(r),
		IconURL:     randomText(r),
	}
	for i := range 4 {
		it := Item{
			GUID:        "tag:x.example,2026:" + randomText(r),
			Title:       randomText(r),
			Link:        randomText(r),
			Summary:     randomText(r),
			Authors:     []string{randomText(r), randomText(r)},
			Categories:  []string{randomText(r)},
			ContentHTML: randomText(r),
		}
		if i%2 == 0 {
			it.Image = &Enclosure{URL: randomText(r), Type: randomText(r)}
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// wellFormed reads every token with encoding/xml's strict decoder.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestRandomTextStaysParseable: whatever the text, every document is well
// formed, a feed parser reads it, and titles and bodies read back as their
// cleaned selves.
func TestRandomTextStaysParseable(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	for n := range 300 {
		for _, format := range allFormats() {
			in := randomFeed(r)
			out := write(t, format, in)
			if format == JSON {
				if !json.Valid(out) {
					t.Fatalf("case %d: invalid JSON:\n%q", n, out)
				}
			} else if err := wellFormed(out); err != nil {
				t.Fatalf("case %d: %s not well formed: %v\n%q", n, format, err, out)
			}
			got := parse(t, format, out)
			if len(got.Items) != len(in.Items) {
				t.Fatalf("case %d: %s: %d items, want %d", n, format, len(got.Items), len(in.Items))
			}
			for i, it := range readBack(t, format, out) {
				want := in.Items[i]
				if it.title != clean(want.Title) {
					t.Errorf("case %d: %s item %d: title %q, want %q", n, format, i, it.title, clean(want.Title))
				}
				if wantBody := lineEnds(clean(want.ContentHTML)); it.body != wantBody {
					t.Errorf("case %d: %s item %d: body %q, want %q", n, format, i, it.body, wantBody)
				}
			}
		}
	}
}

type readItem struct{ title, body string }

// readBack decodes items' titles and bodies exactly, without the trimming a
// feed parser may do.
func readBack(t *testing.T, format Format, data []byte) []readItem {
	t.Helper()
	var items []readItem
	switch format {
	case RSS:
		var doc struct {
			Items []struct {
				Title string `xml:"title"`
				Body  string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			items = append(items, readItem{it.Title, it.Body})
		}
	case Atom:
		var doc struct {
			Entries []struct {
				Title string `xml:"title"`
				Body  string `xml:"content"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, e := range doc.Entries {
			items = append(items, readItem{e.Title, e.Body})
		}
	case JSON:
		var doc struct {
			Items []struct {
				Title string `json:"title"`
				Body  string `json:"content_html"`
			} `json:"items"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			items = append(items, readItem{it.Title, it.Body})
		}
	}
	return items
}

// FuzzWrite: any title, body and link keeps every document well formed.
// go test ./feed -run '^$' -fuzz FuzzWrite explores beyond the seeds.
func FuzzWrite(f *testing.F) {
	f.Add("]]>", "<p>]]></p>", "https://x.example/?a=1&b=2")
	f.Add("\x00\x01\uFFFE", "\xed\xa0\x80\xff", "\r\n")
	f.Fuzz(func(t *testing.T, title, body, link string) {
		in := &Feed{Title: title, SelfURL: "https://x.example/f", Items: []Item{
			{GUID: "urn:x:" + link, Title: title, Link: link, ContentHTML: body, Summary: body, Authors: []string{title}},
		}}
		for _, format := range allFormats() {
			out := write(t, format, in)
			if format == JSON {
				if !json.Valid(out) {
					t.Fatalf("invalid JSON: %q", out)
				}
				continue
			}
			if err := wellFormed(out); err != nil {
				t.Fatalf("%s not well formed: %v\n%q", format, err, out)
			}
			got := readBack(t, format, out)
			if len(got) != 1 || got[0].title != clean(title) || got[0].body != lineEnds(clean(body)) {
				t.Fatalf("%s read back %q, want title %q and body %q", format, got, clean(title), lineEnds(clean(body)))
			}
		}
	})
}
