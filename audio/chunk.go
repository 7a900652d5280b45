package audio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxChunkRunes bounds one chunk's text: speech servers refuse long
// inputs (4096 characters is common), and shorter chunks give the
// transcript finer timing.
const maxChunkRunes = 600

// chunk is one piece of the script as written and as the engine reads it.
type chunk struct {
	text    string
	spoken  string
	heading bool
}

// scriptChunks lays the script out in reading order: title, byline, then
// the body, long paragraphs split at sentence ends. Blocks that are not
// worth reading (captions, credits, bare links) are left out.
func scriptChunks(sc Script) []chunk {
	var out []chunk
	add := func(text string, heading bool) {
		text = collapseSpace(stripMarkup(text))
		if text == "" || (!heading && isNoise(text)) {
			return
		}
		for _, part := range splitLong(text, maxChunkRunes) {
			if spoken := prepare(part, sc.Lang); spoken != "" {
				out = append(out, chunk{text: part, spoken: spoken, heading: heading})
			}
		}
	}
	add(sc.Title, true)
	add(sc.Byline(), false)
	for _, b := range sc.Body {
		add(b.Text, b.Heading)
	}
	return out
}

// splitLong splits text into pieces of at most limit runes, at sentence
// ends where it can, else at spaces.
func splitLong(text string, limit int) []string {
	var out []string
	for utf8.RuneCountInString(text) > limit {
		cut := cutPoint(text, limit)
		out = append(out, strings.TrimSpace(text[:cut]))
		text = strings.TrimSpace(text[cut:])
	}
	if text != "" {
		out = append(out, text)
	}
	return out
}

// cutPoint returns the byte offset where the first piece of text ends:
// after the last sentence end within limit runes, or else the last space.
func cutPoint(text string, limit int) int {
	end := len(text)
	n := 0
	for i := range text {
		if n == limit {
			end = i
			break
		}
		n++
	}
	window := text[:end]
	best := -1
	for i, r := range window {
		if (r == '.' || r == '!' || r == '?' || r == ';') && i+1 < len(window) && window[i+1] == ' ' && i > len(window)/3 {
			best = i + 1
		}
	}
	if best < 0 {
		best = strings.LastIndexFunc(window, unicode.IsSpace)
	}
	if best <= 0 {
		best = end
	}
	return best
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
