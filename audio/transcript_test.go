package audio

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestChapters(t *testing.T) {
	withHeadings := []ChunkTiming{
		{Start: 0, Duration: sec(2), Text: "Title", Heading: true},
		{Start: sec(2), Duration: sec(3), Text: "by A, Site."},
		{Start: sec(5), Duration: sec(10), Text: "Intro."},
		{Start: sec(15), Duration: sec(2), Text: "Part one", Heading: true},
		{Start: sec(17), Duration: sec(20), Text: "Body."},
		{Start: sec(37), Duration: sec(2), Text: "Part two", Heading: true},
		{Start: sec(39), Duration: sec(20), Text: "More."},
	}
	got := Chapters(withHeadings, 0)
	want := []Chapter{{0, "Title"}, {15, "Part one"}, {37, "Part two"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("chapter %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	plain := []ChunkTiming{{Start: 0, Text: "Title", Heading: true}, {Start: sec(2), Text: "byline"}}
	for i := range 5 {
		plain = append(plain, ChunkTiming{Start: sec(float64(10 + 10*i)), Text: "Paragraph number " + string(rune('A'+i)) + " has quite a few words in it, more than eight."})
	}
	got = Chapters(plain, 2)
	if len(got) != 4 || got[1].StartTime != 10 || got[2].StartTime != 30 || got[3].StartTime != 50 {
		t.Fatalf("every 2 paragraphs: %+v", got)
	}
	if got[1].Title != "Paragraph number A has quite a few words…" {
		t.Errorf("title %q", got[1].Title)
	}
	if Chapters(nil, 0) != nil {
		t.Error("chapters of nothing")
	}
}

func TestWriteChapters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteChapters(&b, []Chapter{{0, "Intro"}, {12.5, "Part"}}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  string
		Chapters []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "1.2.0" || len(doc.Chapters) != 2 || doc.Chapters[1]["startTime"] != 12.5 || doc.Chapters[1]["title"] != "Part" {
		t.Errorf("got %s", b.String())
	}
}

func TestCuesAndTranscripts(t *testing.T) {
	chunks := []ChunkTiming{
		{Start: 0, Duration: sec(2), Text: "Title", Heading: true},
		{Start: sec(2), Duration: sec(9), Text: "One two. Three four five six seven eight nine ten. <b> & --> end"},
	}
	cues := Cues(chunks)
	if len(cues) != 4 {
		t.Fatalf("got %d cues: %+v", len(cues), cues)
	}
	for i := 1; i < len(cues); i++ {
		if cues[i].Start != cues[i-1].End {
			t.Errorf("cue %d starts at %v, the one before ends at %v", i, cues[i].Start, cues[i-1].End)
		}
	}
	if cues[3].End != sec(11) {
		t.Errorf("last cue ends at %v, want the chunk's end", cues[3].End)
	}
	// Longer sentences get more time.
	if cues[2].End-cues[2].Start <= cues[1].End-cues[1].Start {
		t.Errorf("time not shared by length: %+v", cues)
	}

	var srt, vtt bytes.Buffer
	if err := WriteSRT(&srt, cues); err != nil {
		t.Fatal(err)
	}
	if err := WriteVTT(&vtt, cues); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srt.String(), "1\n00:00:00,000 --> 00:00:02,000\nTitle\n\n2\n00:00:02,000 --> ") {
		t.Errorf("SRT:\n%s", srt.String())
	}
	if !strings.HasPrefix(vtt.String(), "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nTitle\n\n") {
		t.Errorf("WebVTT:\n%s", vtt.String())
	}
	if !strings.Contains(vtt.String(), "&lt;b&gt; &amp; → end") {
		t.Errorf("WebVTT not escaped:\n%s", vtt.String())
	}
	if got := timestamp(sec(3725.5), ','); got != "01:02:05,500" {
		t.Errorf("timestamp %s", got)
	}
}
