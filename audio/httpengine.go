package audio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of HTTPOptions.
const (
	DefaultHTTPTimeout = 2 * time.Minute
	DefaultHTTPRetries = 2
	DefaultHTTPModel   = "tts-1"
	DefaultHTTPVoice   = "alloy"
	speechPath         = "/v1/audio/speech"
	maxSpeechBytes     = 256 << 20 // one chunk's WAV; minutes of audio
)

// HTTPOptions configure the HTTP engine: a speech server with the
// OpenAI-style `POST /v1/audio/speech` JSON API, which self-hosted neural
// TTS servers copy.
type HTTPOptions struct {
	// URL is the server's base URL (http://127.0.0.1:8880) or the full
	// endpoint (…/v1/audio/speech).
	URL   string
	Model string // DefaultHTTPModel when empty
	// Voice is one voice for every language ("alloy") or one per
	// language: "en=af_heart,fr=ff_siwis,*=alloy".
	Voice   string
	APIKey  string        // sent as a Bearer token when set
	Timeout time.Duration // per request; DefaultHTTPTimeout when 0
	Retries int           // after the first try, for timeouts, 429 and 5xx; DefaultHTTPRetries when < 0
	// Backoff is the wait before the first retry, doubled after each;
	// 1 s when 0.
	Backoff time.Duration
	Client  *http.Client
}

// HTTP reads text through a speech server.
type HTTP struct {
	opts     HTTPOptions
	endpoint string
	voices   map[string]string
}

// NewHTTP checks the options and returns the HTTP engine.
func NewHTTP(opts HTTPOptions) (*HTTP, error) {
	if opts.URL == "" {
		return nil, errors.New("the http engine needs a server URL (NEWSLINE_TTS_HTTP_URL)")
	}
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("speech server URL %q: want an absolute http(s) URL", opts.URL)
	}
	if !strings.HasSuffix(u.Path, speechPath) {
		u.Path = strings.TrimRight(u.Path, "/") + speechPath
	}
	if opts.Model == "" {
		opts.Model = DefaultHTTPModel
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultHTTPTimeout
	}
	if opts.Retries < 0 {
		opts.Retries = DefaultHTTPRetries
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Voice == "" {
		opts.Voice = DefaultHTTPVoice
	}
	voices, err := parseVoices(opts.Voice)
	if err != nil {
		return nil, err
	}
	return &HTTP{opts: opts, endpoint: u.String(), voices: voices}, nil
}

// parseVoices reads "alloy" or "en=af_heart,*=alloy".
func parseVoices(s string) (map[string]string, error) {
	if !strings.Contains(s, "=") {
		return map[string]string{"*": s}, nil
	}
	m, err := ParsePairs(s)
	if err != nil {
		return nil, fmt.Errorf("speech server voices: %w", err)
	}
	return m, nil
}

// Name implements Engine.
func (h *HTTP) Name() string { return "http" }

// Version implements Engine: the model and the voices, as the server's
// own version is not part of the API.
func (h *HTTP) Version() string {
	return "http/" + h.opts.Model + "/" + h.opts.Voice
}

func (h *HTTP) voice(lang string) (string, error) {
	if v, ok := h.voices[strings.ToLower(lang)]; ok {
		return v, nil
	}
	if v, ok := h.voices["*"]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no speech server voice for language %q", lang)
}

type speechRequest struct {
	Model          string `json:"model"`
	Input          string `json:"input"`
	Voice          string `json:"voice"`
	ResponseFormat string `json:"response_format"`
}

// retryable marks a failure worth another try.
type retryable struct{ error }

func (r retryable) Unwrap() error { return r.error }

// Synthesize implements Engine: it asks for WAV and retries timeouts,
// connection failures, 429 and 5xx answers with a doubling wait (the
// server's Retry-After when it gives one).
func (h *HTTP) Synthesize(ctx context.Context, text, lang string, w io.Writer) error {
	voice, err := h.voice(lang)
	if err != nil {
		return err
	}
	body, err := json.Marshal(speechRequest{Model: h.opts.Model, Input: text, Voice: voice, ResponseFormat: "wav"})
	if err != nil {
		return err
	}
	wait := h.opts.Backoff
	for attempt := 0; ; attempt++ {
		audio, after, err := h.post(ctx, body)
		if err == nil {
			_, err = w.Write(audio)
			return err
		}
		var r retryable
		if !errors.As(err, &r) || attempt >= h.opts.Retries || ctx.Err() != nil {
			if attempt > 0 {
				return fmt.Errorf("%w (after %d tries)", err, attempt+1)
			}
			return err
		}
		if after > wait {
			wait = after
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// post makes one request; on a retryable failure it also returns the
// server's Retry-After.
func (h *HTTP) post(ctx context.Context, body []byte) ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "audio/wav")
	if h.opts.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+h.opts.APIKey)
	}
	resp, err := h.opts.Client.Do(req)
	if err != nil {
		return nil, 0, retryable{fmt.Errorf("speech server: %w", err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSpeechBytes+1))
	if err != nil {
		return nil, 0, retryable{fmt.Errorf("speech server: reading the answer: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("speech server: %s: %s", resp.Status, clip(firstLines(strings.TrimSpace(string(data)), 2), 300))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return nil, retryAfter(resp.Header.Get("Retry-After")), retryable{err}
		}
		return nil, 0, err
	}
	if len(data) > maxSpeechBytes {
		return nil, 0, fmt.Errorf("speech server: answer over %d MB", maxSpeechBytes>>20)
	}
	if len(data) < 12 || string(data[:4]) != "RIFF" {
		return nil, 0, fmt.Errorf("speech server: answer is not WAV (Content-Type %q); it must honour response_format wav", resp.Header.Get("Content-Type"))
	}
	return data, 0, nil
}

// retryAfter reads a Retry-After of seconds; dates and nonsense count as
// none. It is capped so that a hostile value does not stall a worker.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, time.Minute)
}

// Check implements Checker: the server answers a short request with WAV.
func (h *HTTP) Check(ctx context.Context) (string, error) {
	voice, err := h.voice("en")
	if err != nil {
		for _, v := range h.voices {
			voice = v
			break
		}
	}
	body, err := json.Marshal(speechRequest{Model: h.opts.Model, Input: "Ready.", Voice: voice, ResponseFormat: "wav"})
	if err != nil {
		return "", err
	}
	if _, _, err := h.post(ctx, body); err != nil {
		return "", &MissingError{What: "the speech server at " + h.endpoint, Hint: "start it, or point NEWSLINE_TTS_HTTP_URL at it", Err: err}
	}
	return fmt.Sprintf("%s, model %s, voice %s", h.endpoint, h.opts.Model, h.opts.Voice), nil
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
