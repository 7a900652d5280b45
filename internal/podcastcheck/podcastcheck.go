// Package podcastcheck holds tests of podcast feeds to one list: the
// elements Apple's podcast requirements call required, and the Podcasting
// 2.0 ones Newsline always writes.
package podcastcheck

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// Apple fails t unless the parsed feed has every element
// Apple's podcast requirements list as required (and those they
// recommend that Newsline always has).
func Apple(t testing.TB, f *gofeed.Feed) {
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
		if !strings.HasPrefix(enc.URL, "http") || enc.Length == "" || enc.Length == "0" || enc.Type != "audio/mpeg" {
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
