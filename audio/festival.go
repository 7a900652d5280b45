package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DefaultFestivalVoice is Debian's festvox-us-slt-hts: an HTS
// (statistical parametric) voice, far more natural than the diphone
// voices Festival falls back to.
const DefaultFestivalVoice = "cmu_us_slt_arctic_hts"

const festivalInstall = "apt-get install festival festvox-us-slt-hts"

// FestivalOptions configure the Festival engine.
type FestivalOptions struct {
	Voice    string // DefaultFestivalVoice when empty
	Festival string // "festival" on PATH when empty
}

// Festival reads English with Festival and an HTS voice. It keeps
// Festival processes with the voice loaded between chunks (see
// festivalIdle); Close ends them.
type Festival struct {
	opts FestivalOptions

	mu      sync.Mutex
	idle    []*festivalProc
	closed  bool
	started int // processes started, for tests
}

var voiceNameRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// NewFestival returns the Festival engine.
func NewFestival(opts FestivalOptions) *Festival {
	if opts.Voice == "" {
		opts.Voice = DefaultFestivalVoice
	}
	if opts.Festival == "" {
		opts.Festival = "festival"
	}
	return &Festival{opts: opts}
}

// Name implements Engine.
func (f *Festival) Name() string { return "festival" }

// Version implements Engine.
func (f *Festival) Version() string { return "festival/" + f.opts.Voice }

// Synthesize implements Engine. Festival reads ISO-8859-1 only: text is
// folded to it first (accents kept where Latin-1 has them, other letters
// reduced to their base letter, the rest dropped).
func (f *Festival) Synthesize(ctx context.Context, text, _ string, w io.Writer) error {
	if !voiceNameRE.MatchString(f.opts.Voice) {
		return fmt.Errorf("festival voice %q: want letters, digits and _", f.opts.Voice)
	}
	p, err := f.acquire(ctx)
	if err != nil {
		return err
	}
	wav, err := p.say(ctx, toLatin1(text))
	if err != nil {
		// A process that failed or was interrupted half way is not
		// trusted with the next chunk.
		p.kill()
		return err
	}
	f.release(p)
	_, err = w.Write(wav)
	return err
}

// acquire returns an idle process, or starts one.
func (f *Festival) acquire(ctx context.Context) (*festivalProc, error) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil, errors.New("festival: engine closed")
	}
	if n := len(f.idle); n > 0 {
		p := f.idle[n-1]
		f.idle = f.idle[:n-1]
		f.mu.Unlock()
		p.idle.Stop()
		return p, nil
	}
	f.started++
	f.mu.Unlock()
	return startFestival(ctx, f.opts.Festival, f.opts.Voice)
}

// release keeps p for the next chunk, and ends it once it has been idle
// for festivalIdle.
func (f *Festival) release(p *festivalProc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		p.kill()
		return
	}
	f.idle = append(f.idle, p)
	p.idle = time.AfterFunc(festivalIdle, func() {
		f.mu.Lock()
		i := slices.Index(f.idle, p)
		if i >= 0 {
			f.idle = slices.Delete(f.idle, i, i+1)
		}
		f.mu.Unlock()
		if i >= 0 {
			p.kill()
		}
	})
}

// Close ends the idle Festival processes; busy ones end when their chunk
// is done.
func (f *Festival) Close() error {
	f.mu.Lock()
	idle := f.idle
	f.idle, f.closed = nil, true
	f.mu.Unlock()
	for _, p := range idle {
		p.kill()
	}
	return nil
}

// Check implements Checker: Festival runs and the voice loads and speaks.
func (f *Festival) Check(ctx context.Context) (string, error) {
	v, err := output(ctx, f.opts.Festival, "--version")
	if err != nil {
		return "", missing("festival", festivalInstall, err)
	}
	var wav bytes.Buffer
	if err := f.Synthesize(ctx, "Ready.", "en", &wav); err != nil {
		if errors.Is(err, ErrMissing) {
			return "", err
		}
		return "", missing("the Festival voice "+f.opts.Voice, festivalInstall, err)
	}
	if _, err := decodeWAV(wav.Bytes()); err != nil {
		return "", fmt.Errorf("festival: %w", err)
	}
	return festivalVersion(v) + ", voice " + f.opts.Voice, nil
}

// festivalVersion picks "2.5.0" out of "festival: Festival Speech
// Synthesis System: 2.5.0:release December 2017".
func festivalVersion(s string) string {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) >= 3 {
		return "festival " + strings.TrimSpace(parts[2])
	}
	return strings.TrimSpace(s)
}

// unfoldable are letters whose marks are not separate in Unicode, so
// that decomposing them leaves no base letter.
var unfoldable = map[rune]string{'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'Œ': "OE", 'œ': "oe", 'ŀ': "l", 'Ŀ': "L"}

// toLatin1 folds text into ISO-8859-1 bytes: what Latin-1 has stays, other
// letters lose their marks (ő → o), typographic marks become plain ones,
// and whatever is left unrepresentable is dropped.
func toLatin1(s string) []byte {
	s = normalizePunctuation(s)
	var b bytes.Buffer
	strip := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	for _, r := range s {
		if c, ok := charmap.ISO8859_1.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		folded, ok := unfoldable[r]
		if !ok {
			folded, _, _ = transform.String(strip, string(r))
		}
		for _, fr := range folded {
			if c, ok := charmap.ISO8859_1.EncodeRune(fr); ok {
				b.WriteByte(c)
			}
		}
	}
	return b.Bytes()
}
