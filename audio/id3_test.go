package audio

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestID3RoundTrip(t *testing.T) {
	tags := Tags{
		Title:   "Ünïcode — “quotes” and 日本語",
		Artist:  "The Daily",
		Album:   "Newsline podcast",
		Date:    time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC),
		Comment: "https://example.com/news/1",
		Length:  90500 * time.Millisecond,
	}
	got, err := ReadTags(bytes.NewReader(id3Tag(tags)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"TIT2": tags.Title, "TPE1": "The Daily", "TALB": "Newsline podcast", "TYER": "2026", "TDAT": "0503",
		"TLEN": "90500", "TCON": "Podcast", "COMM": "https://example.com/news/1", "WOAS": "https://example.com/news/1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestID3LeavesOutEmpty(t *testing.T) {
	got, err := ReadTags(bytes.NewReader(id3Tag(Tags{Title: "Only a title", Comment: "not a URL"})))
	if err != nil {
		t.Fatal(err)
	}
	if got["TIT2"] != "Only a title" || got["COMM"] != "not a URL" {
		t.Errorf("got %v", got)
	}
	for _, k := range []string{"TPE1", "TALB", "TYER", "TLEN", "WOAS"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s written for an empty value", k)
		}
	}
}

func TestReadTagsWithoutTag(t *testing.T) {
	if _, err := ReadTags(bytes.NewReader([]byte{0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0})); !errors.Is(err, ErrNoTag) {
		t.Errorf("got %v, want ErrNoTag", err)
	}
}
