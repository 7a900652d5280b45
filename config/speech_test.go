package config

import (
	"strings"
	"testing"
	"time"
)

func TestSpeechSettings(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // error substring; empty for success
		// check looks at the loaded config when want is empty.
		check func(t *testing.T, c *Config)
	}{
		{name: "defaults", env: nil, check: func(t *testing.T, c *Config) {
			if c.Speech.Engines["en"] != "festival" || c.Speech.Engines["*"] != "espeak-ng" {
				t.Errorf("engines %v", c.Speech.Engines)
			}
			if c.Speech.Bitrate != 48 || c.Speech.SampleRate != 22050 || c.Speech.HTTP.Timeout != 2*time.Minute {
				t.Errorf("got %+v", c.Speech)
			}
		}},
		{name: "engines per language", env: map[string]string{"NEWSLINE_TTS_ENGINES": " EN = espeak-ng , de=http,*=festival", "NEWSLINE_TTS_HTTP_URL": "http://127.0.0.1:8880"},
			check: func(t *testing.T, c *Config) {
				if got := joinPairs(c.Speech.Engines); got != "de=http,en=espeak-ng,*=festival" {
					t.Errorf("engines %s", got)
				}
			}},
		{name: "espeak voices", env: map[string]string{"NEWSLINE_TTS_ESPEAK_VOICES": "en=en-us+f3,de=de+m2"},
			check: func(t *testing.T, c *Config) {
				if c.Speech.Espeak.Voices["en"] != "en-us+f3" || c.Speech.Espeak.Voices["de"] != "de+m2" {
					t.Errorf("voices %v", c.Speech.Espeak.Voices)
				}
			}},
		{name: "unknown engine", env: map[string]string{"NEWSLINE_TTS_ENGINES": "en=piper"}, want: `unknown engine "piper"`},
		{name: "not pairs", env: map[string]string{"NEWSLINE_TTS_ENGINES": "festival"}, want: "LANG=VALUE"},
		{name: "http without URL", env: map[string]string{"NEWSLINE_TTS_ENGINES": "*=http"}, want: "NEWSLINE_TTS_HTTP_URL"},
		{name: "bad URL", env: map[string]string{"NEWSLINE_TTS_HTTP_URL": "ftp://x"}, want: "absolute http(s) URL"},
		{name: "bitrate MP3 lacks at the rate", env: map[string]string{"NEWSLINE_TTS_BITRATE": "192", "NEWSLINE_TTS_SAMPLE_RATE": "22050"}, want: "bitrate 192"},
		{name: "rate MP3 lacks", env: map[string]string{"NEWSLINE_TTS_SAMPLE_RATE": "22000"}, want: "sample rate 22000"},
		{name: "high quality", env: map[string]string{"NEWSLINE_TTS_BITRATE": "128", "NEWSLINE_TTS_SAMPLE_RATE": "44100"},
			check: func(t *testing.T, c *Config) {
				if c.Speech.Bitrate != 128 || c.Speech.SampleRate != 44100 {
					t.Errorf("got %d kbit/s at %d Hz", c.Speech.Bitrate, c.Speech.SampleRate)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v, want error containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

// TestSpeechAPIKeyHidden keeps the speech server's token out of --help.
func TestSpeechAPIKeyHidden(t *testing.T) {
	c, err := Load(func(k string) (string, bool) {
		if k == "NEWSLINE_TTS_HTTP_API_KEY" {
			return "sk-secret", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	fs := newFlagSet()
	c.Bind(fs)
	if c.Speech.HTTP.APIKey != "sk-secret" {
		t.Fatalf("key %q", c.Speech.HTTP.APIKey)
	}
	if usage := fs.FlagUsages(); strings.Contains(usage, "sk-secret") {
		t.Errorf("--help shows the key:\n%s", usage)
	}
}
