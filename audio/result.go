package audio

import "time"

// Result describes a rendered episode. Duration and Bytes are measured
// from the written file.
type Result struct {
	Duration time.Duration
	Bytes    int64
	Engine   string // the engine's Name
	Version  string // the engine's Version
	Chunks   []ChunkTiming
}

// ChunkTiming places one chunk of the script in the audio: the title, the
// byline, a heading or a paragraph (long paragraphs are split at sentence
// ends into several chunks).
type ChunkTiming struct {
	Start    time.Duration
	Duration time.Duration
	Text     string // the text as written (not as prepared for the engine)
	// Heading marks the title and the section headings, where chapters
	// begin.
	Heading bool
}
