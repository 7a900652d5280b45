package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		ext  string
		want Format
		ok   bool
	}{
		{"rss", RSS, true},
		{"atom", Atom, true},
		{"json", JSON, true},
		{"", 0, false},
		{".rss", 0, false},
		{"RSS", 0, false},
		{"xml", 0, false},
		{"feed", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseFormat(tt.ext)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v, %v", tt.ext, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatNames(t *testing.T) {
	tests := []struct {
		f                                 Format
		ext, mediaType, contentType, name string
	}{
		{RSS, "rss", "application/rss+xml", "application/rss+xml; charset=utf-8", "RSS"},
		{Atom, "atom", "application/atom+xml", "application/atom+xml; charset=utf-8", "Atom"},
		{JSON, "json", "application/feed+json", "application/feed+json; charset=utf-8", "JSON"},
		{0, "", "", "", "Format(0)"},
		{4, "", "", "", "Format(4)"},
	}
	for _, tt := range tests {
		if got := tt.f.Ext(); got != tt.ext {
			t.Errorf("%d.Ext() = %q, want %q", int(tt.f), got, tt.ext)
		}
		if got := tt.f.MediaType(); got != tt.mediaType {
			t.Errorf("%d.MediaType() = %q, want %q", int(tt.f), got, tt.mediaType)
		}
		if got := tt.f.ContentType(); got != tt.contentType {
			t.Errorf("%d.ContentType() = %q, want %q", int(tt.f), got, tt.contentType)
		}
		if got := tt.f.String(); got != tt.name {
			t.Errorf("%d.String() = %q, want %q", int(tt.f), got, tt.name)
		}
		if tt.ext != "" {
			if back, ok := ParseFormat(tt.ext); !ok || back != tt.f {
				t.Errorf("ParseFormat(%q) = %v, %v; want %v", tt.ext, back, ok, tt.f)
			}
		}
	}
}

// TestDeterministic: the same feed gives the same bytes, also when its times
// are the same instants in another zone, and writing does not change the feed.
func TestDeterministic(t *testing.T) {
	for _, format := range allFormats() {
		first := write(t, format, testFeed(format))
		in := testFeed(format)
		tokyo := time.FixedZone("JST", 9*3600)
		in.Updated = in.Updated.In(tokyo)
		for i := range in.Items {
			in.Items[i].Published = in.Items[i].Published.In(tokyo)
			in.Items[i].Updated = in.Items[i].Updated.In(tokyo)
		}
		for range 3 {
			if again := write(t, format, in); !bytes.Equal(again, first) {
				t.Fatalf("%s: second write differs:\n%s\nfirst:\n%s", format, again, first)
			}
		}
		if in.Items[2].Title != testFeed(format).Items[2].Title {
			t.Errorf("%s: Write changed the caller's item", format)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	noSelf := testFeed(RSS)
	noSelf.SelfURL = ""
	noID := testFeed(RSS)
	noID.Items[1].GUID, noID.Items[1].Link = "", ""
	tests := []struct {
		name   string
		format Format
		f      *Feed
	}{
		{"unknown format", Format(9), testFeed(RSS)},
		{"zero format", 0, testFeed(RSS)},
		{"nil feed", RSS, nil},
		{"no self URL", Atom, noSelf},
		{"item without id", JSON, noID},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Write(&buf, tt.format, tt.f)
		if newsline.ErrorCode(err) != newsline.EINVALID {
			t.Errorf("%s: error %v, want an EINVALID error", tt.name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tt.name, buf.Len())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteReportsWriterErrors(t *testing.T) {
	for _, format := range allFormats() {
		err := Write(failWriter{}, format, testFeed(format))
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want the writer's", format, err)
		}
	}
}

// TestEmptyFeed: no items and no Updated still gives valid documents: JSON
// Feed's required items array is there, Atom's required updated is the epoch.
func TestEmptyFeed(t *testing.T) {
	for _, format := range allFormats() {
		f := &Feed{Title: "Nothing yet", SelfURL: "https://n.example/feeds/x." + format.Ext()}
		out := write(t, format, f)
		got := parse(t, format, out)
		if got.Title != f.Title || len(got.Items) != 0 {
			t.Errorf("%s: title %q and %d items, want %q and none", format, got.Title, len(got.Items), f.Title)
		}
		switch format {
		case JSON:
			if !bytes.Contains(out, []byte(`"items":[]`)) {
				t.Errorf("JSON without its items array:\n%s", out)
			}
		case Atom:
			if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(time.Unix(0, 0)) {
				t.Errorf("Atom updated %v, want the epoch", got.UpdatedParsed)
			}
		}
	}
}

// TestUpdatedFromItems: a zero Feed.Updated is the newest item date.
func TestUpdatedFromItems(t *testing.T) {
	f := testFeed(Atom)
	f.Updated = time.Time{}
	got := parse(t, Atom, write(t, Atom, f))
	want := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) // item 0's Updated
	if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(want) {
		t.Errorf("updated %v, want %v", got.UpdatedParsed, want)
	}
}

// TestAlternatesFiltered: the feed itself and repeated types are left out,
// so one list serves all formats (Atom's links must be unique by type).
func TestAlternatesFiltered(t *testing.T) {
	f := testFeed(Atom)
	f.Alternates = append(f.Alternates,
		Link{URL: "https://news.example.org/feeds/world2.rss", Type: "application/rss+xml"},
		Link{URL: "https://news.example.org/sections/world.html", Type: "text/html"},
		Link{Type: "application/json"},
	)
	got := f.alternates(Atom.MediaType(), "text/html")
	want := []string{"https://news.example.org/feeds/world.rss", "https://news.example.org/feeds/world.json"}
	if len(got) != len(want) {
		t.Fatalf("alternates %+v, want %q", got, want)
	}
	for i := range want {
		if got[i].URL != want[i] {
			t.Errorf("alternate %d: %q, want %q", i, got[i].URL, want[i])
		}
	}
}

// TestJSONContentText: JSON Feed needs content_html or content_text; an item
// with neither body nor summary gets an empty content_text.
func TestJSONContentText(t *testing.T) {
	f := &Feed{Title: "t", SelfURL: "https://n.example/f.json", Items: []Item{{GUID: "urn:x:1", Title: "only a title"}}}
	var doc struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(write(t, JSON, f), &doc); err != nil {
		t.Fatal(err)
	}
	if v, ok := doc.Items[0]["content_text"]; !ok || v != "" {
		t.Errorf("content_text %v (present %v), want an empty string", v, ok)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ASCII", "plain ASCII"},
		{"tab\tLF\nCR\r", "tab\tLF\nCR\r"},
		{"a\x00b\x01c\x08d\x0be\x0cf\x1fg", "abcdefg"},
		{"Zürich 東京 🚀", "Zürich 東京 🚀"},
		{"\uFFFE\uFFFFx\uFFFD", "x\uFFFD"},
		{"bad\xffutf\xc3", "badutf"},
		{"surrogate\xed\xa0\x80!", "surrogate!"},
		{"]]> stays", "]]> stays"},
		{"\u0085\u2028ok", "\u0085\u2028ok"}, // allowed by XML 1.0
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := cleanList([]string{"a", "\x01", "b\x02"}); strings.Join(got, ",") != "a,b" {
		t.Errorf("cleanList = %q, want [a b]", got)
	}
}

func TestImageType(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://x.example/a.jpg", "image/jpeg"},
		{"https://x.example/a.JPEG?w=1", "image/jpeg"},
		{"https://x.example/a.png#frag", "image/png"},
		{"https://x.example/a.webp", "image/webp"},
		{"https://x.example/a.avif", "image/avif"},
		{"https://x.example/a.gif", "image/gif"},
		{"https://x.example/a.svg", "image/svg+xml"},
		{"https://x.example/image?id=7", "image/jpeg"},
	}
	for _, tt := range tests {
		if got := imageType(tt.url); got != tt.want {
			t.Errorf("imageType(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
