package audio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsline/newsline/internal/testaudio"
)

// decodedSeconds decodes an MP3 with lame, as an independent decoder, and
// returns the length of what it decoded.
func decodedSeconds(t *testing.T, mp3 string) float64 {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "decoded.wav")
	if out, err := exec.Command("lame", "--quiet", "--decode", mp3, wav).CombinedOutput(); err != nil {
		t.Fatalf("lame --decode: %v: %s", err, out)
	}
	b, err := os.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	p, err := decodeWAV(b)
	if err != nil {
		t.Fatal(err)
	}
	return p.duration()
}

// within reports whether got is within 5% of want.
func within(got, want float64) bool { return math.Abs(got-want) <= 0.05*want }

// checkEpisode checks what every rendered file must be: tags at the start,
// the stored size, a duration that an independent decoder agrees with and
// chunks that follow each other without gap to the end.
func checkEpisode(t *testing.T, path string, res Result, tags Tags) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadTags(f)
	if err != nil {
		t.Fatalf("tags at the start: %v", err)
	}
	for id, want := range map[string]string{"TIT2": tags.Title, "TPE1": tags.Artist, "TALB": tags.Album, "COMM": tags.Comment} {
		if got[id] != want {
			t.Errorf("tag %s = %q, want %q", id, got[id], want)
		}
	}
	if want := strconv.FormatInt(res.Duration.Milliseconds(), 10); got["TLEN"] != want {
		t.Errorf("TLEN %q, want %s", got["TLEN"], want)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != res.Bytes {
		t.Errorf("Result.Bytes %d, file has %d", res.Bytes, st.Size())
	}
	if decoded := decodedSeconds(t, path); !within(decoded, res.Duration.Seconds()) {
		t.Errorf("lame --decode gives %.2f s, Result.Duration %.2f s", decoded, res.Duration.Seconds())
	}
	var end time.Duration
	for i, c := range res.Chunks {
		if c.Start != end {
			t.Errorf("chunk %d starts at %v, the one before ends at %v", i, c.Start, end)
		}
		end = c.Start + c.Duration
	}
	if !within(end.Seconds(), res.Duration.Seconds()) {
		t.Errorf("chunks end at %v, the audio at %v", end, res.Duration)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func toneSpeaker(t *testing.T, eng *toneEngine, opts Options) *Speaker {
	t.Helper()
	opts.Engines = map[string]string{"*": "tone"}
	opts.Extra = map[string]Engine{"tone": eng}
	sp, err := NewSpeaker(opts)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

var testScript = Script{
	Title: "Bridge reopens", Authors: []string{"Ann Lee"}, Site: "The Daily", Lang: "en",
	Date: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC),
	Body: []Block{
		{Text: "The bridge reopened on Monday after two years of work."},
		{Text: "Traffic", Heading: true},
		{Text: strings.Repeat("Traffic was light in the morning and heavier later. ", 14)},
	},
}

func TestRenderJoinsChunks(t *testing.T) {
	testaudio.Require(t, "lame")
	eng := &toneEngine{rate: 24000}
	sp := toneSpeaker(t, eng, Options{Bitrate: 32, SampleRate: 16000})
	path := filepath.Join(t.TempDir(), "episode.mp3")
	tags := testScript.Tags("Newsline", "https://daily.example/bridge")
	res, err := sp.Render(context.Background(), testScript, tags, path)
	if err != nil {
		t.Fatal(err)
	}
	checkEpisode(t, path, res, tags)
	if res.Engine != "tone" || res.Version != "tone/1" {
		t.Errorf("engine %q %q", res.Engine, res.Version)
	}
	// Title, byline, paragraph, heading, and the long paragraph in two.
	if len(res.Chunks) != 6 || eng.calls != 6 {
		t.Fatalf("%d chunks, %d calls: %+v", len(res.Chunks), eng.calls, res.Chunks)
	}
	for i, c := range res.Chunks {
		pause := pauseParagraph
		if c.Heading {
			pause = pauseHeading
		}
		if i == len(res.Chunks)-1 {
			pause = 0
		}
		// The tone, the silence trimSilence keeps around it, the pause.
		spoken := prepare(c.Text, "en")
		want := time.Duration(utf8.RuneCountInString(spoken)*toneMsPerRune)*time.Millisecond + 2*800*time.Second/24000 + pause
		if d := c.Duration - want; d < -30*time.Millisecond || d > 30*time.Millisecond {
			t.Errorf("chunk %d (%q) lasts %v, want about %v", i, c.Text, c.Duration, want)
		}
	}
	if !res.Chunks[0].Heading || res.Chunks[0].Text != "Bridge reopens" || res.Chunks[1].Text != "by Ann Lee, The Daily, 5 March 2026." {
		t.Errorf("first chunks: %+v", res.Chunks[:2])
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := Measure(f)
	if err != nil {
		t.Fatal(err)
	}
	if info.SampleRate != 16000 || info.Bitrate != 32 || info.Duration != res.Duration {
		t.Errorf("MP3 %+v, Result.Duration %v", info, res.Duration)
	}
}

func TestRenderIsAtomic(t *testing.T) {
	testaudio.Require(t, "lame")
	dir := t.TempDir()
	path := filepath.Join(dir, "episode.mp3")
	if err := os.WriteFile(path, []byte("the episode served now"), 0o644); err != nil {
		t.Fatal(err)
	}
	sp := toneSpeaker(t, &toneEngine{rate: 16000, failAt: 3}, Options{})
	_, err := sp.Render(context.Background(), testScript, Tags{Title: "x"}, path)
	if err == nil || !strings.Contains(err.Error(), "chunk 3 of 6") || !strings.Contains(err.Error(), "tone engine broke") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "the episode served now" {
		t.Errorf("the old file was touched: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	// A cancelled render leaves nothing either.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := toneSpeaker(t, &toneEngine{rate: 16000}, Options{}).Render(ctx, testScript, Tags{}, filepath.Join(dir, "other.mp3")); err == nil {
		t.Error("cancelled render succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind after cancel: %v", entries)
	}
	// A successful render replaces the file.
	res, err := toneSpeaker(t, &toneEngine{rate: 16000}, Options{}).Render(context.Background(), testScript, Tags{Title: "x"}, path)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Size() != res.Bytes || st.Mode().Perm() != 0o644 {
		t.Errorf("replaced file: %d bytes, mode %v", st.Size(), st.Mode())
	}
}

func TestRenderErrors(t *testing.T) {
	testaudio.Require(t, "lame")
	tests := []struct {
		name    string
		opts    Options
		sc      Script
		path    string
		missing bool
		want    string
	}{
		{name: "lame missing", opts: Options{Lame: "/nonexistent/lame"}, missing: true, want: "apt-get install lame"},
		{name: "festival missing", opts: Options{Engines: map[string]string{"*": "festival"}, Festival: FestivalOptions{Festival: "/nonexistent/festival"}},
			missing: true, want: "apt-get install festival festvox-us-slt-hts"},
		{name: "espeak-ng missing", opts: Options{Engines: map[string]string{"*": "espeak-ng"}, Espeak: EspeakOptions{Binary: "/nonexistent/espeak-ng"}},
			missing: true, want: "apt-get install espeak-ng"},
		{name: "no engine for the language", opts: Options{Engines: map[string]string{"en": "espeak-ng"}}, sc: Script{Title: "T", Lang: "de"}, want: `no speech engine configured for language "de"`},
		{name: "nothing to read", opts: Options{Engines: map[string]string{"*": "espeak-ng"}}, sc: Script{Title: "https://example.com/x", Lang: "en", Body: []Block{{Text: "Photo: AP"}}}, want: "nothing to read"},
		{name: "no directory", path: "/nonexistent/dir/x.mp3", want: "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			var sp *Speaker
			if opts.Engines == nil {
				sp = toneSpeaker(t, &toneEngine{rate: 16000}, opts)
			} else {
				var err error
				if sp, err = NewSpeaker(opts); err != nil {
					t.Fatal(err)
				}
			}
			sc := tt.sc
			if sc.Title == "" {
				sc = testScript
			}
			path := tt.path
			if path == "" {
				path = filepath.Join(t.TempDir(), "x.mp3")
			}
			_, err := sp.Render(context.Background(), sc, Tags{}, path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
			if errors.Is(err, ErrMissing) != tt.missing {
				t.Errorf("errors.Is(err, ErrMissing) = %v", !tt.missing)
			}
		})
	}
}

func TestNewSpeakerRejects(t *testing.T) {
	for _, tt := range []struct {
		opts Options
		want string
	}{
		{Options{Bitrate: 192, SampleRate: 22050}, "bitrate 192"},
		{Options{SampleRate: 22000}, "sample rate 22000"},
		{Options{Engines: map[string]string{"*": "piper"}}, `unknown engine "piper"`},
		{Options{Engines: map[string]string{"*": "http"}}, "needs a server URL"},
	} {
		if _, err := NewSpeaker(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: got %v, want %q", tt.opts, err, tt.want)
		}
	}
}

func TestSpeakerEngineChoice(t *testing.T) {
	sp, err := NewSpeaker(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "festival", "EN": "festival", "de": "espeak-ng", "": "espeak-ng"} {
		e, err := sp.Engine(lang)
		if err != nil || e.Name() != want {
			t.Errorf("%q: got %v, %v; want %s", lang, e, err, want)
		}
	}
}

// TestRenderRealEngines reads English with Festival's HTS voice and German
// with espeak-ng, and checks the files with an independent decoder.
func TestRenderRealEngines(t *testing.T) {
	testaudio.Require(t, "lame", "festival", "espeak-ng")
	sp, err := NewSpeaker(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	for _, c := range sp.Check(context.Background()) {
		if c.Err != nil {
			t.Fatalf("%s: %v", c.What, c.Err)
		}
	}
	de := Script{Title: "Brücke wieder offen", Site: "Die Zeitung", Lang: "de", Authors: []string{"Jörg Müller"},
		Body: []Block{{Text: "Die Brücke ist seit Montag wieder für den Verkehr geöffnet."}, {Text: "Die Arbeiten dauerten zwei Jahre."}}}
	en := Script{Title: "Bridge reopens", Site: "The Daily", Lang: "en", Authors: []string{"Ann Lee"},
		Body: []Block{{Text: "The bridge reopened on Monday, two years and $4.5m later."}}}
	for _, tt := range []struct {
		sc     Script
		engine string
	}{{en, "festival"}, {de, "espeak-ng"}} {
		t.Run(tt.engine, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.engine+".mp3")
			tags := tt.sc.Tags("Newsline", "https://example.com/"+tt.sc.Lang)
			res, err := sp.Render(context.Background(), tt.sc, tags, path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Engine != tt.engine {
				t.Errorf("engine %s", res.Engine)
			}
			checkEpisode(t, path, res, tags)
			if res.Duration < 3*time.Second {
				t.Errorf("only %v of speech", res.Duration)
			}
		})
	}
}

func TestFestivalUnknownVoice(t *testing.T) {
	testaudio.Require(t, "festival")
	f := NewFestival(FestivalOptions{Voice: "no_such_voice"})
	defer f.Close()
	err := f.Synthesize(context.Background(), "Hello.", "en", &bytes.Buffer{})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "no_such_voice") {
		t.Errorf("got %v", err)
	}
	bad := NewFestival(FestivalOptions{Voice: "x) (system \"true\""})
	if err := bad.Synthesize(context.Background(), "Hello.", "en", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "letters, digits and _") {
		t.Errorf("voice with code: %v", err)
	}
}

func TestEspeakVoices(t *testing.T) {
	testaudio.Require(t, "espeak-ng")
	e := NewEspeak(EspeakOptions{Voices: map[string]string{"en": "en-us"}})
	for lang, want := range map[string]string{"en": "en-us", "de": "de", "zh": "cmn", "pt": "pt"} {
		if v, err := e.Voice(context.Background(), lang); err != nil || !strings.HasPrefix(v, want) {
			t.Errorf("%s: got %q, %v; want %s…", lang, v, err, want)
		}
	}
	if _, err := e.Voice(context.Background(), "qq"); err == nil {
		t.Error("a voice for qq")
	}
}

// TestRenderHTTPEngine renders through a speech server on loopback.
func TestRenderHTTPEngine(t *testing.T) {
	testaudio.Require(t, "lame")
	srv := newSpeechServer(t)
	sp, err := NewSpeaker(Options{Engines: map[string]string{"*": "http"}, HTTP: HTTPOptions{URL: srv.URL, Backoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "http.mp3")
	tags := testScript.Tags("Newsline", "https://daily.example/bridge")
	res, err := sp.Render(context.Background(), testScript, tags, path)
	if err != nil {
		t.Fatal(err)
	}
	checkEpisode(t, path, res, tags)
	if res.Engine != "http" || srv.calls() != len(res.Chunks) {
		t.Errorf("engine %s, %d requests for %d chunks", res.Engine, srv.calls(), len(res.Chunks))
	}
}

// TestFestivalKeepsItsProcess checks that one Festival process, with its
// voice loaded once, reads chunk after chunk, that an interrupted chunk
// costs only its process, and that Close ends them.
func TestFestivalKeepsItsProcess(t *testing.T) {
	testaudio.Require(t, "festival")
	f := NewFestival(FestivalOptions{})
	defer f.Close()
	ctx := context.Background()
	for i, text := range []string{"One.", "Two, with “quotes” and Łódź.", "Three."} {
		var wav bytes.Buffer
		if err := f.Synthesize(ctx, text, "en", &wav); err != nil {
			t.Fatal(err)
		}
		if p, err := decodeWAV(wav.Bytes()); err != nil || p.duration() < 0.2 {
			t.Fatalf("chunk %d: %v, %.2f s", i, err, p.duration())
		}
	}
	if f.started != 1 {
		t.Errorf("%d processes for three chunks, want 1", f.started)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := f.Synthesize(cctx, "Never read.", "en", io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if err := f.Synthesize(ctx, "Four.", "en", io.Discard); err != nil || f.started != 2 {
		t.Errorf("after a cancelled chunk: %v, %d processes", err, f.started)
	}
	f.Close()
	if err := f.Synthesize(ctx, "Five.", "en", io.Discard); err == nil {
		t.Error("closed engine synthesized")
	}
}
