package audio

import (
	"context"
	"errors"
	"io"
	"math"
	"unicode/utf8"
)

// toneEngine is a stand-in engine for tests of the rendering around the
// engine: it "reads" a text as a tone of 40 ms per character, framed by
// silence as real engines frame speech, at rate Hz.
type toneEngine struct {
	rate   int
	failAt int // 1-based chunk that fails; 0 never
	calls  int
}

const toneMsPerRune = 40

func (e *toneEngine) Name() string    { return "tone" }
func (e *toneEngine) Version() string { return "tone/1" }

func (e *toneEngine) Synthesize(_ context.Context, text, _ string, w io.Writer) error {
	e.calls++
	if e.calls == e.failAt {
		return errors.New("tone engine broke")
	}
	_, err := w.Write(encodeWAV(tone(e.rate, utf8.RuneCountInString(text)*toneMsPerRune)))
	return err
}

// tone returns ms milliseconds of a 440 Hz tone with 100 ms of silence on
// each side.
func tone(rate, ms int) pcm {
	pad := rate / 10
	n := rate * ms / 1000
	s := make([]int16, pad+n+pad)
	for i := range n {
		s[pad+i] = int16(8000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
	}
	return pcm{rate: rate, samples: s}
}
