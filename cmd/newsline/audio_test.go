package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/internal/testaudio"
)

func TestDoctor(t *testing.T) {
	testaudio.Require(t, "lame", "festival", "espeak-ng")
	tests := []struct {
		name string
		env  env
		code int
		want []string
		not  string
	}{
		{name: "all there", env: env{}, code: 0, want: []string{"ok", "lame (MP3)", "festival (en)", "cmu_us_slt_arctic_hts", "espeak-ng (*)"}},
		{name: "voice missing", env: env{"NEWSLINE_TTS_FESTIVAL_VOICE": "no_such_voice"}, code: 1,
			want: []string{"MISSING", "no_such_voice", "apt-get install festival festvox-us-slt-hts", "scripts/install-audio.sh"}},
		{name: "server down, password hidden", env: env{"NEWSLINE_TTS_ENGINES": "en=http,*=espeak-ng", "NEWSLINE_TTS_HTTP_URL": "http://tts:hunter2@127.0.0.1:1"}, code: 1,
			want: []string{"MISSING", "http (en)", "NEWSLINE_TTS_HTTP_URL"}, not: "hunter2"},
		{name: "bad setting", env: env{"NEWSLINE_TTS_ENGINES": "en=piper"}, code: 2, want: []string{"NEWSLINE_TTS_ENGINES", "unknown engine"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := run(t, tt.env, "doctor")
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if tt.not != "" && strings.Contains(out, tt.not) {
				t.Errorf("output shows %q:\n%s", tt.not, out)
			}
		})
	}
	if code, out := run(t, env{}, "docter"); code != 2 || !strings.Contains(out, "did you mean doctor?") {
		t.Errorf("typo: exit %d:\n%s", code, out)
	}
}

// TestBenchAudio runs `newsline bench audio` with espeak-ng (Festival would
// take minutes) and checks the shape of its output and its sample, not its
// figures.
func TestBenchAudio(t *testing.T) {
	testaudio.Require(t, "lame", "espeak-ng")
	samples := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "audio", "--engines", "espeak-ng", "--json", "--samples", samples}
	if code := Main(context.Background(), args, &stdout, &stderr, env{}.lookup); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "espeak-ng: 3/3 articles") {
		t.Errorf("no progress on stderr:\n%s", stderr.String())
	}
	got := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var m struct {
			Bench, System, Metric, Unit, Class string
			Value                              float64
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if m.Bench != "audio" || m.System != "espeak-ng" || m.Unit == "" {
			t.Errorf("line %q", line)
		}
		got[m.Class+"/"+m.Metric] = m.Value
	}
	for _, class := range []string{"short", "medium", "long", "all"} {
		for _, metric := range []string{"rtf", "cpu_per_audio_min", "mb_per_audio_min", "audio_seconds", "wall_seconds"} {
			if got[class+"/"+metric] <= 0 {
				t.Errorf("%s %s = %v, want a positive figure", class, metric, got[class+"/"+metric])
			}
		}
	}
	if got["short/audio_seconds"] >= got["medium/audio_seconds"] || got["medium/audio_seconds"] >= got["long/audio_seconds"] {
		t.Errorf("articles not of growing length: %v", got)
	}
	f, err := os.Open(filepath.Join(samples, "espeak-ng.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if info, err := audio.Measure(f); err != nil || info.Duration <= 0 {
		t.Errorf("sample: %+v, %v", info, err)
	}

	if code, out := run(t, env{}, "bench", "audio", "--engines", "piper"); code != 2 || !strings.Contains(out, `unknown engine "piper"`) {
		t.Errorf("unknown engine: exit %d:\n%s", code, out)
	}
}
