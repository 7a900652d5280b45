// Package audio turns articles into speech: a Script (title, byline,
// paragraphs, section headings) is read chunk by chunk by an Engine chosen
// per language (Festival with an HTS voice, espeak-ng, or an HTTP speech
// server), joined, and encoded to MP3 by lame with ID3v2 tags, written
// atomically. The Result's chunk timings give chapters and transcripts.
package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Engine reads one chunk of text aloud.
type Engine interface {
	// Name is the engine's configuration name: festival, espeak-ng, http.
	Name() string
	// Version identifies what produces the sound (engine, voice, model),
	// so that a change of voice makes new episodes.
	Version() string
	// Synthesize writes one chunk of text, in the language given as an
	// ISO 639-1 code, to w as a WAV file of 16-bit PCM (or 32-bit float).
	Synthesize(ctx context.Context, text, lang string, w io.Writer) error
}

// Checker is implemented by engines that depend on something installed or
// running. Check says what it found ("festival 2.5.0, voice
// cmu_us_slt_arctic_hts") or an error wrapping ErrMissing that says what
// to install.
type Checker interface {
	Check(ctx context.Context) (string, error)
}

// ErrMissing means a program, voice or server speech needs is not there;
// a job that meets it should be retried later, once the operator has
// installed what the error names.
var ErrMissing = errors.New("speech engine unavailable")

// MissingError says what is missing and how to get it.
type MissingError struct {
	What string // "festival", "the Festival voice cmu_us_slt_arctic_hts"
	// Hint says what to do: "install it: apt-get install festival".
	Hint string
	Err  error // what the probe met, if anything
}

func (e *MissingError) Error() string {
	msg := e.What + " is not available"
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// Is makes errors.Is(err, ErrMissing) true for every MissingError.
func (e *MissingError) Is(target error) bool { return target == ErrMissing }

func (e *MissingError) Unwrap() error { return e.Err }

// missing returns a MissingError for something apt-get installs.
func missing(what, install string, err error) error {
	return &MissingError{What: what, Hint: "install it: " + install, Err: err}
}

// engineError prefixes an engine's error with its name.
func engineError(e Engine, err error) error {
	return fmt.Errorf("%s: %w", e.Name(), err)
}
