package audio

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultChapterEvery is how many paragraphs make a chapter in an
// article without section headings.
const DefaultChapterEvery = 4

// Chapter is one entry of a Podcasting 2.0 JSON chapters file.
type Chapter struct {
	StartTime float64 `json:"startTime"` // seconds
	Title     string  `json:"title"`
}

// Chapters divides an episode into chapters: one for the title and
// byline, then one per section heading; an article without headings gets
// one every `every` paragraphs (DefaultChapterEvery when 0), named by its
// first words.
func Chapters(chunks []ChunkTiming, every int) []Chapter {
	if every <= 0 {
		every = DefaultChapterEvery
	}
	if len(chunks) == 0 {
		return nil
	}
	headings := 0
	for _, c := range chunks[1:] {
		if c.Heading {
			headings++
		}
	}
	out := []Chapter{{StartTime: 0, Title: chunks[0].Text}}
	paragraphs := 0
	for i, c := range chunks {
		if i < 2 { // the title and the byline
			continue
		}
		switch {
		case headings > 0 && c.Heading:
			out = append(out, Chapter{StartTime: c.Start.Seconds(), Title: c.Text})
		case headings == 0:
			if paragraphs%every == 0 {
				out = append(out, Chapter{StartTime: c.Start.Seconds(), Title: firstWords(c.Text, 8)})
			}
			paragraphs++
		}
	}
	return out
}

// firstWords returns the first n words of s, with an ellipsis when cut.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.TrimRight(strings.Join(f[:n], " "), ",;:") + "…"
}

// WriteChapters writes a Podcasting 2.0 JSON chapters document
// (application/json+chapters).
func WriteChapters(w io.Writer, chapters []Chapter) error {
	doc := struct {
		Version  string    `json:"version"`
		Chapters []Chapter `json:"chapters"`
	}{"1.2.0", chapters}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// Cue is one timed line of a transcript.
type Cue struct {
	Start, End time.Duration
	Text       string
}

var sentenceEnd = regexp.MustCompile(`[.!?…]["'”’)]?\s+`)

// Cues splits each chunk into sentences and shares the chunk's time among
// them by their length, as speech takes time roughly in proportion to
// the letters read.
func Cues(chunks []ChunkTiming) []Cue {
	var out []Cue
	for _, c := range chunks {
		sentences := splitSentences(c.Text)
		total := 0
		for _, s := range sentences {
			total += utf8.RuneCountInString(s)
		}
		at := c.Start
		for i, s := range sentences {
			d := time.Duration(float64(c.Duration) * float64(utf8.RuneCountInString(s)) / float64(total))
			end := at + d
			if i == len(sentences)-1 {
				end = c.Start + c.Duration
			}
			out = append(out, Cue{Start: at, End: end, Text: s})
			at = end
		}
	}
	return out
}

func splitSentences(text string) []string {
	var out []string
	for {
		loc := sentenceEnd.FindStringIndex(text)
		if loc == nil {
			break
		}
		out = append(out, strings.TrimSpace(text[:loc[1]]))
		text = text[loc[1]:]
	}
	if t := strings.TrimSpace(text); t != "" {
		out = append(out, t)
	}
	return out
}

// WriteSRT writes the cues as SubRip subtitles.
func WriteSRT(w io.Writer, cues []Cue) error {
	bw := bufio.NewWriter(w)
	for i, c := range cues {
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", i+1, timestamp(c.Start, ','), timestamp(c.End, ','), c.Text)
	}
	return bw.Flush()
}

// WriteVTT writes the cues as WebVTT (text/vtt).
func WriteVTT(w io.Writer, cues []Cue) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("WEBVTT\n\n")
	for _, c := range cues {
		text := vttEscape.Replace(c.Text)
		fmt.Fprintf(bw, "%s --> %s\n%s\n\n", timestamp(c.Start, '.'), timestamp(c.End, '.'), text)
	}
	return bw.Flush()
}

// vttEscape escapes what WebVTT cue text reserves; "-->" cannot survive
// escaping of ">" alone in every reader, so it is written as an arrow.
var vttEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "-->", "→")

// timestamp writes HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT).
func timestamp(d time.Duration, sep byte) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
