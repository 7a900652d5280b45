package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Defaults of Options.
const (
	DefaultBitrate    = 48    // kbit/s: clear speech in mono at 22–24 kHz
	DefaultSampleRate = 22050 // Hz
	// DefaultEngines reads English with Festival's HTS voice and every
	// other language with espeak-ng.
	DefaultEngines = "en=festival,*=espeak-ng"
)

// Pauses between chunks, so that paragraphs and headings sound apart.
const (
	pauseParagraph = 600 * time.Millisecond
	pauseHeading   = 900 * time.Millisecond
)

// Options configure a Speaker.
type Options struct {
	// Engines maps a language (ISO 639-1) to an engine name; "*" is every
	// other language. Names: festival, espeak-ng, http.
	Engines    map[string]string
	Bitrate    int // kbit/s; DefaultBitrate when 0
	SampleRate int // Hz of the MP3; DefaultSampleRate when 0
	Lame       string
	Festival   FestivalOptions
	Espeak     EspeakOptions
	HTTP       HTTPOptions
	// Extra are engines by name beside the built-in ones, which Engines
	// may name: another implementation, or a fast one for tests.
	Extra  map[string]Engine
	Logger *slog.Logger
}

// ParsePairs reads "en=festival,*=espeak-ng": LANG=VALUE pairs separated
// by commas, languages lower-cased; empty is none.
func ParsePairs(s string) (map[string]string, error) {
	m := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("want LANG=VALUE pairs separated by commas (en=festival,*=espeak-ng), got %q", part)
		}
		m[k] = v
	}
	return m, nil
}

// ParseEngines reads "en=festival,de=http,*=espeak-ng".
func ParseEngines(s string) (map[string]string, error) {
	m, err := ParsePairs(s)
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, errors.New("no engine configured")
	}
	for lang, name := range m {
		if !knownEngine(name) {
			return nil, fmt.Errorf("unknown engine %q for %s; engines: festival, espeak-ng, http", name, lang)
		}
	}
	return m, nil
}

func knownEngine(name string) bool {
	return name == "festival" || name == "espeak-ng" || name == "http"
}

// Speaker renders scripts to MP3 files.
type Speaker struct {
	opts    Options
	engines map[string]Engine // by name, only those configured
}

// NewSpeaker checks the options and builds the configured engines. It
// does not look for programs and voices: Check does, and Render fails
// with ErrMissing when one is not there, so a worker can start and retry
// its jobs once the operator has installed them.
func NewSpeaker(opts Options) (*Speaker, error) {
	if len(opts.Engines) == 0 {
		opts.Engines, _ = ParseEngines(DefaultEngines)
	}
	if opts.Bitrate == 0 {
		opts.Bitrate = DefaultBitrate
	}
	if opts.SampleRate == 0 {
		opts.SampleRate = DefaultSampleRate
	}
	if opts.Lame == "" {
		opts.Lame = "lame"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := CheckMP3Settings(opts.Bitrate, opts.SampleRate); err != nil {
		return nil, err
	}
	s := &Speaker{opts: opts, engines: map[string]Engine{}}
	for lang, name := range opts.Engines {
		if _, ok := s.engines[name]; ok {
			continue
		}
		e, err := s.newEngine(name)
		if err != nil {
			return nil, fmt.Errorf("engine for %s: %w", lang, err)
		}
		s.engines[name] = e
	}
	return s, nil
}

func (s *Speaker) newEngine(name string) (Engine, error) {
	if e, ok := s.opts.Extra[name]; ok {
		return e, nil
	}
	switch name {
	case "festival":
		return NewFestival(s.opts.Festival), nil
	case "espeak-ng":
		return NewEspeak(s.opts.Espeak), nil
	case "http":
		return NewHTTP(s.opts.HTTP)
	}
	return nil, fmt.Errorf("unknown engine %q", name)
}

// CheckMP3Settings checks that MP3 has the bitrate at the sample rate.
func CheckMP3Settings(bitrate, rate int) error {
	rates := map[int]bool{8000: true, 11025: true, 12000: true, 16000: true, 22050: true, 24000: true, 32000: true, 44100: true, 48000: true}
	if !rates[rate] {
		return fmt.Errorf("sample rate %d Hz: MP3 has 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 or 48000", rate)
	}
	allowed := mp3Bitrates2[1:15]
	if rate >= 32000 {
		allowed = mp3Bitrates1[1:15]
	}
	for _, b := range allowed {
		if b == bitrate {
			return nil
		}
	}
	return fmt.Errorf("bitrate %d kbit/s is not one MP3 has at %d Hz: %v", bitrate, rate, allowed)
}

// Engine returns the engine that reads lang.
func (s *Speaker) Engine(lang string) (Engine, error) {
	name, ok := s.opts.Engines[strings.ToLower(lang)]
	if !ok {
		if name, ok = s.opts.Engines["*"]; !ok {
			return nil, fmt.Errorf("no speech engine configured for language %q (add %s=ENGINE or *=ENGINE)", lang, lang)
		}
	}
	return s.engines[name], nil
}

// CheckResult is one line of Check's report.
type CheckResult struct {
	What  string // "festival (en)", "lame"
	Found string // what was found, when OK
	Err   error  // wraps ErrMissing when something must be installed
}

// Check looks for lame and for every configured engine's program and
// voice, and for the HTTP engine's server.
func (s *Speaker) Check(ctx context.Context) []CheckResult {
	var out []CheckResult
	v, err := lameVersion(ctx, s.opts.Lame)
	out = append(out, CheckResult{What: "lame (MP3)", Found: v, Err: err})
	langs := map[string][]string{}
	for lang, name := range s.opts.Engines {
		langs[name] = append(langs[name], lang)
	}
	names := make([]string, 0, len(s.engines))
	for name := range s.engines {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sort.Strings(langs[name])
		r := CheckResult{What: fmt.Sprintf("%s (%s)", name, strings.Join(langs[name], ", "))}
		if c, ok := s.engines[name].(Checker); ok {
			r.Found, r.Err = c.Check(ctx)
		} else {
			r.Found = s.engines[name].Version()
		}
		out = append(out, r)
	}
	return out
}

// Render reads sc aloud with the engine for its language and writes an
// MP3 file with tags to path, atomically: the file appears whole or not
// at all. Tags' Length is set from the file.
func (s *Speaker) Render(ctx context.Context, sc Script, tags Tags, path string) (Result, error) {
	eng, err := s.Engine(sc.Lang)
	if err != nil {
		return Result{}, err
	}
	chunks := scriptChunks(sc)
	if len(chunks) == 0 {
		return Result{}, errors.New("audio: nothing to read: the script has no text")
	}
	dir := filepath.Dir(path)
	raw, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.lame")
	if err != nil {
		return Result{}, fmt.Errorf("audio: %w", err)
	}
	raw.Close()
	defer os.Remove(raw.Name())

	res := Result{Engine: eng.Name(), Version: eng.Version()}
	if res.Chunks, err = s.speak(ctx, eng, sc.Lang, chunks, raw.Name()); err != nil {
		return Result{}, err
	}
	info, n, err := writeTagged(raw.Name(), path, tags)
	if err != nil {
		return Result{}, err
	}
	res.Duration, res.Bytes = info.Duration, n
	return res, nil
}

// speak synthesizes the chunks one by one and streams them, with pauses
// between, to lame writing mp3Path.
func (s *Speaker) speak(ctx context.Context, eng Engine, lang string, chunks []chunk, mp3Path string) ([]ChunkTiming, error) {
	var (
		enc     *encoder
		timings []ChunkTiming
		written int // samples sent to lame
		buf     bytes.Buffer
	)
	defer func() {
		if enc != nil {
			enc.abort()
		}
	}()
	for i, c := range chunks {
		buf.Reset()
		if err := eng.Synthesize(ctx, c.spoken, lang, &buf); err != nil {
			return nil, fmt.Errorf("audio: chunk %d of %d: %w", i+1, len(chunks), engineError(eng, err))
		}
		p, err := decodeWAV(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("audio: chunk %d of %d: %s's output: %w", i+1, len(chunks), eng.Name(), err)
		}
		if enc == nil {
			if enc, err = startLame(ctx, s.opts.Lame, p.rate, s.opts.SampleRate, s.opts.Bitrate, mp3Path); err != nil {
				return nil, fmt.Errorf("audio: %w", err)
			}
		}
		p = resample(p, enc.rate)
		samples := trimSilence(p.samples)
		start := written
		if err := enc.write(samples); err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
		written += len(samples)
		pause := pauseParagraph
		if c.heading {
			pause = pauseHeading
		}
		if i < len(chunks)-1 {
			n := int(pause.Seconds() * float64(enc.rate))
			if err := enc.silence(n); err != nil {
				return nil, fmt.Errorf("audio: %w", err)
			}
			written += n
		}
		timings = append(timings, ChunkTiming{
			Start:    samplesToDuration(start, enc.rate),
			Duration: samplesToDuration(written, enc.rate) - samplesToDuration(start, enc.rate),
			Text:     c.text,
			Heading:  c.heading,
		})
		s.opts.Logger.DebugContext(ctx, "audio chunk", "n", i+1, "of", len(chunks), "seconds", p.duration())
	}
	err := enc.finish()
	enc = nil
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	return timings, nil
}

func samplesToDuration(n, rate int) time.Duration {
	return time.Duration(float64(n) / float64(rate) * float64(time.Second))
}

// trimSilence drops the near-silence engines put before and after their
// speech, so that the pauses between chunks are the ones Render chooses.
// A little is kept at each end so no word's edge is cut.
func trimSilence(s []int16) []int16 {
	const threshold, keep = 300, 800 // amplitude; samples (~36 ms at 22 kHz)
	loud := func(v int16) bool { return v > threshold || v < -threshold }
	first, last := 0, len(s)-1
	for first < len(s) && !loud(s[first]) {
		first++
	}
	for last > first && !loud(s[last]) {
		last--
	}
	if first >= len(s) {
		return s[:0]
	}
	return s[max(0, first-keep):min(len(s), last+1+keep)]
}

// writeTagged writes tags and then the MP3 file at raw to path through a
// temporary file in the same directory, renamed into place once synced.
func writeTagged(raw, path string, tags Tags) (MP3Info, int64, error) {
	mp3, err := os.ReadFile(raw)
	if err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: %w", err)
	}
	info, err := Measure(bytes.NewReader(mp3))
	if err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: lame's output: %w", err)
	}
	tags.Length = info.Duration
	tag := id3Tag(tags)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	_, err1 := tmp.Write(tag)
	_, err2 := tmp.Write(mp3)
	err3 := tmp.Sync()
	err4 := tmp.Close()
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: writing %s: %w", path, err)
	}
	// CreateTemp makes files 0600; the web server that serves episodes
	// may run as another user.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return MP3Info{}, 0, fmt.Errorf("audio: %w", err)
	}
	return info, int64(len(tag) + len(mp3)), nil
}

func isNotFound(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
}

// Close ends what the engines keep running between chunks (Festival's
// processes).
func (s *Speaker) Close() error {
	var errs []error
	for _, e := range s.engines {
		if c, ok := e.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// Bitrate is the MP3 bitrate in kbit/s.
func (s *Speaker) Bitrate() int { return s.opts.Bitrate }

// SampleRate is the MP3 sample rate in Hz.
func (s *Speaker) SampleRate() int { return s.opts.SampleRate }
