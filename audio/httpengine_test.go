package audio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// speechServer is a small speech server with the /v1/audio/speech API on
// loopback: it answers with a tone as long as the input, after the
// failures it is told to give.
type speechServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []speechRequest
	auth     []string
	fail     []int         // statuses to answer before succeeding
	delay    time.Duration // before answering
	body     []byte        // answer instead of a WAV, when set
}

func newSpeechServer(t *testing.T) *speechServer {
	s := &speechServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *speechServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/speech" || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want POST /v1/audio/speech with JSON", http.StatusNotFound)
		return
	}
	var req speechRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	var status int
	if len(s.fail) > 0 {
		status, s.fail = s.fail[0], s.fail[1:]
	}
	delay, body := s.delay, s.body
	s.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	switch {
	case status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", status)
	case status != 0:
		http.Error(w, `{"error":"voice not found"}`, status)
	case body != nil:
		w.Write(body)
	default:
		w.Header().Set("Content-Type", "audio/wav")
		w.Write(encodeWAV(tone(24000, 20*len(req.Input))))
	}
}

// last returns the latest request and its Authorization header.
func (s *speechServer) last() (speechRequest, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1], s.auth[len(s.auth)-1]
}

func (s *speechServer) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func newTestHTTP(t *testing.T, opts HTTPOptions) *HTTP {
	t.Helper()
	opts.Backoff = time.Millisecond
	h, err := NewHTTP(opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHTTPEngineRequest(t *testing.T) {
	srv := newSpeechServer(t)
	h := newTestHTTP(t, HTTPOptions{URL: srv.URL, Model: "kokoro", Voice: "en=af_heart,fr=ff_siwis,*=alloy", APIKey: "sk-test"})
	for _, tt := range []struct{ lang, voice string }{{"en", "af_heart"}, {"FR", "ff_siwis"}, {"de", "alloy"}} {
		var out bytes.Buffer
		if err := h.Synthesize(context.Background(), "Hello there.", tt.lang, &out); err != nil {
			t.Fatal(err)
		}
		p, err := decodeWAV(out.Bytes())
		if err != nil || p.rate != 24000 {
			t.Fatalf("answer: %v, %d Hz", err, p.rate)
		}
		req, auth := srv.last()
		if auth != "Bearer sk-test" {
			t.Errorf("Authorization %q", auth)
		}
		if req.Model != "kokoro" || req.Input != "Hello there." || req.Voice != tt.voice || req.ResponseFormat != "wav" {
			t.Errorf("%s: request %+v", tt.lang, req)
		}
	}
	// The full endpoint works as well as the base URL.
	h2 := newTestHTTP(t, HTTPOptions{URL: srv.URL + "/v1/audio/speech"})
	if err := h2.Synthesize(context.Background(), "Hi.", "en", io.Discard); err != nil {
		t.Fatal(err)
	}
	if req, auth := srv.last(); auth != "" || req.Voice != DefaultHTTPVoice || req.Model != DefaultHTTPModel {
		t.Errorf("defaults: %+v, Authorization %q", req, auth)
	}
}

func TestHTTPEngineFailures(t *testing.T) {
	tests := []struct {
		name    string
		fail    []int
		delay   time.Duration
		body    []byte
		retries int
		calls   int
		err     string // empty: success
	}{
		{name: "retried until it answers", fail: []int{503, 502}, retries: 2, calls: 3},
		{name: "429 honours Retry-After", fail: []int{429}, retries: 1, calls: 2},
		{name: "gives up", fail: []int{500, 500, 500}, retries: 2, calls: 3, err: "after 3 tries"},
		{name: "4xx is not retried", fail: []int{400}, retries: 2, calls: 1, err: "voice not found"},
		{name: "timeout", delay: time.Second, retries: 1, calls: 2, err: "deadline exceeded"},
		{name: "not WAV", body: []byte(`{"audio":"base64…"}`), retries: 2, calls: 1, err: "not WAV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpeechServer(t)
			srv.fail, srv.delay, srv.body = tt.fail, tt.delay, tt.body
			h := newTestHTTP(t, HTTPOptions{URL: srv.URL, Retries: tt.retries, Timeout: 200 * time.Millisecond})
			err := h.Synthesize(context.Background(), "Hello.", "en", io.Discard)
			if tt.err == "" && err != nil {
				t.Fatal(err)
			}
			if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("got %v, want error containing %q", err, tt.err)
			}
			if got := srv.calls(); got != tt.calls {
				t.Errorf("%d requests, want %d", got, tt.calls)
			}
		})
	}
}

func TestHTTPEngineCheck(t *testing.T) {
	srv := newSpeechServer(t)
	h := newTestHTTP(t, HTTPOptions{URL: srv.URL, Model: "m", Voice: "v"})
	found, err := h.Check(context.Background())
	if err != nil || !strings.Contains(found, "model m, voice v") {
		t.Fatalf("found %q, %v", found, err)
	}
	srv.Close()
	if _, err := h.Check(context.Background()); !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "NEWSLINE_TTS_HTTP_URL") {
		t.Errorf("server down: %v", err)
	}
}

func TestNewHTTPRejects(t *testing.T) {
	for _, tt := range []struct {
		opts HTTPOptions
		err  string
	}{
		{HTTPOptions{}, "needs a server URL"},
		{HTTPOptions{URL: "file:///etc/passwd"}, "absolute http(s) URL"},
		{HTTPOptions{URL: "http://127.0.0.1:1", Voice: "en=,x"}, "LANG=VALUE"},
	} {
		if _, err := NewHTTP(tt.opts); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%+v: got %v, want %q", tt.opts, err, tt.err)
		}
	}
}
