package audio

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

const espeakInstall = "apt-get install espeak-ng"

// EspeakOptions configure the espeak-ng engine.
type EspeakOptions struct {
	Binary string // "espeak-ng" on PATH when empty
	// Voices maps a language to an espeak-ng voice ("en" → "en-us+f3")
	// where the one named after the language is not wanted.
	Voices map[string]string
	Speed  int // words per minute; espeak-ng's own default (175) when 0
}

// Espeak reads any language espeak-ng has a voice for; the voice follows
// the article's language.
type Espeak struct {
	opts EspeakOptions

	mu        sync.Mutex
	languages map[string]string // espeak-ng language → voice, from --voices; nil until listed
}

// NewEspeak returns the espeak-ng engine.
func NewEspeak(opts EspeakOptions) *Espeak {
	if opts.Binary == "" {
		opts.Binary = "espeak-ng"
	}
	return &Espeak{opts: opts}
}

// Name implements Engine.
func (e *Espeak) Name() string { return "espeak-ng" }

// Version implements Engine.
func (e *Espeak) Version() string {
	v := "espeak-ng"
	if e.opts.Speed > 0 {
		v += "/" + strconv.Itoa(e.opts.Speed) + "wpm"
	}
	return v
}

// ISO 639-1 codes whose espeak-ng language has another name.
var espeakAliases = map[string]string{"zh": "cmn", "no": "nb", "nn": "nb"}

// Voice returns the espeak-ng voice that reads lang.
func (e *Espeak) Voice(ctx context.Context, lang string) (string, error) {
	lang = strings.ToLower(lang)
	if v, ok := e.opts.Voices[lang]; ok {
		return v, nil
	}
	languages, err := e.voices(ctx)
	if err != nil {
		return "", err
	}
	if a, ok := espeakAliases[lang]; ok {
		lang = a
	}
	if v, ok := languages[lang]; ok {
		return v, nil
	}
	return "", fmt.Errorf("espeak-ng has no voice for language %q", lang)
}

// voices lists espeak-ng's voices once it is installed: a failure is not
// kept, so that installing it later fixes the next job.
func (e *Espeak) voices(ctx context.Context) (map[string]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.languages == nil {
		l, err := e.listVoices(ctx)
		if err != nil {
			return nil, err
		}
		e.languages = l
	}
	return e.languages, nil
}

// listVoices reads `espeak-ng --voices`: the table's second column is the
// language ("en-us", "pt-br"); a bare language also matches its first
// regional voice.
func (e *Espeak) listVoices(ctx context.Context) (map[string]string, error) {
	out, err := output(ctx, e.opts.Binary, "--voices")
	if err != nil {
		return nil, missing("espeak-ng", espeakInstall, err)
	}
	langs := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		lang := strings.ToLower(f[1])
		if _, ok := langs[lang]; !ok {
			langs[lang] = lang
		}
		if base, _, ok := strings.Cut(lang, "-"); ok {
			if _, ok := langs[base]; !ok {
				langs[base] = lang
			}
		}
	}
	if len(langs) == 0 {
		return nil, missing("espeak-ng's voices", "apt-get install espeak-ng-data", fmt.Errorf("espeak-ng --voices listed none"))
	}
	return langs, nil
}

// Synthesize implements Engine.
func (e *Espeak) Synthesize(ctx context.Context, text, lang string, w io.Writer) error {
	voice, err := e.Voice(ctx, lang)
	if err != nil {
		return err
	}
	args := []string{"-v", voice, "-b", "1", "--stdout", "--stdin"}
	if e.opts.Speed > 0 {
		args = append(args, "-s", strconv.Itoa(e.opts.Speed))
	}
	var out bytes.Buffer
	if err := run(ctx, strings.NewReader(text), &out, e.opts.Binary, args...); err != nil {
		if isNotFound(err) {
			return missing("espeak-ng", espeakInstall, err)
		}
		return err
	}
	_, err = w.Write(out.Bytes())
	return err
}

// Check implements Checker.
func (e *Espeak) Check(ctx context.Context) (string, error) {
	v, err := output(ctx, e.opts.Binary, "--version")
	if err != nil {
		return "", missing("espeak-ng", espeakInstall, err)
	}
	languages, err := e.voices(ctx)
	if err != nil {
		return "", err
	}
	// "eSpeak NG text-to-speech: 1.51  Data at: …"
	v, _, _ = strings.Cut(strings.TrimSpace(v), "Data at")
	v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "eSpeak NG text-to-speech:"))
	return fmt.Sprintf("espeak-ng %s, %d languages", v, len(languages)), nil
}
