package config

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/newsline/newsline/audio"
)

// speechOptions are the NEWSLINE_TTS_… settings: which engine reads which
// language, the MP3's quality, and each engine's own settings.
func speechOptions() []option {
	return []option{
		{name: "tts-engines", def: audio.DefaultEngines, usage: "speech engine per language (ISO 639-1), * for the others: festival, espeak-ng or http",
			set: func(c *Config, v string) error {
				m, err := audio.ParseEngines(v)
				if err != nil {
					return err
				}
				c.Speech.Engines = m
				return nil
			},
			get: func(c *Config) string { return joinPairs(c.Speech.Engines) }},
		{name: "tts-bitrate", def: strconv.Itoa(audio.DefaultBitrate), usage: "MP3 bitrate of episodes in kbit/s (constant, mono)",
			set: func(c *Config, v string) error { return setInt(&c.Speech.Bitrate, v, 8, 320) },
			get: func(c *Config) string { return strconv.Itoa(c.Speech.Bitrate) }},
		{name: "tts-sample-rate", def: strconv.Itoa(audio.DefaultSampleRate), usage: "MP3 sample rate of episodes in Hz",
			set: func(c *Config, v string) error { return setInt(&c.Speech.SampleRate, v, 8000, 48000) },
			get: func(c *Config) string { return strconv.Itoa(c.Speech.SampleRate) }},
		{name: "tts-festival-voice", def: audio.DefaultFestivalVoice, usage: "Festival voice (Debian's festvox-us-slt-hts is cmu_us_slt_arctic_hts)",
			set: func(c *Config, v string) error { c.Speech.Festival.Voice = v; return nil },
			get: func(c *Config) string { return c.Speech.Festival.Voice }},
		{name: "tts-espeak-voices", def: "", usage: "espeak-ng voices that replace the language's own, e.g. en=en-us+f3,de=de+m2",
			set: func(c *Config, v string) error { return setPairs(&c.Speech.Espeak.Voices, v) },
			get: func(c *Config) string { return joinPairs(c.Speech.Espeak.Voices) }},
		{name: "tts-espeak-speed", def: "0", usage: "espeak-ng words per minute; 0 keeps espeak-ng's own (175)",
			set: func(c *Config, v string) error { return setInt(&c.Speech.Espeak.Speed, v, 0, 500) },
			get: func(c *Config) string { return strconv.Itoa(c.Speech.Espeak.Speed) }},
		{name: "tts-http-url", def: "", usage: "speech server with the POST /v1/audio/speech JSON API, for the http engine", secretURL: true,
			set: func(c *Config, v string) error {
				if v != "" {
					u, err := url.Parse(v)
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						return fmt.Errorf("want an absolute http(s) URL such as http://127.0.0.1:8880")
					}
				}
				c.Speech.HTTP.URL = v
				return nil
			},
			get: func(c *Config) string { return c.Speech.HTTP.URL }},
		{name: "tts-http-model", def: audio.DefaultHTTPModel, usage: "model the speech server is asked for",
			set: func(c *Config, v string) error { c.Speech.HTTP.Model = v; return nil },
			get: func(c *Config) string { return c.Speech.HTTP.Model }},
		{name: "tts-http-voice", def: audio.DefaultHTTPVoice, usage: "speech server voice, or one per language: en=af_heart,fr=ff_siwis,*=alloy",
			set: func(c *Config, v string) error { c.Speech.HTTP.Voice = v; return nil },
			get: func(c *Config) string { return c.Speech.HTTP.Voice }},
		{name: "tts-http-api-key", def: "", usage: "Bearer token for the speech server, if it wants one",
			set: func(c *Config, v string) error { c.Speech.HTTP.APIKey = v; return nil },
			get: func(c *Config) string {
				if c.Speech.HTTP.APIKey != "" {
					return redacted
				}
				return ""
			}},
		{name: "tts-http-timeout", def: audio.DefaultHTTPTimeout.String(), usage: "time limit of one request to the speech server",
			set: func(c *Config, v string) error { return setDuration(&c.Speech.HTTP.Timeout, v) },
			get: func(c *Config) string { return c.Speech.HTTP.Timeout.String() }},
		{name: "tts-http-retries", def: strconv.Itoa(audio.DefaultHTTPRetries), usage: "retries of a speech server request that timed out or got 429 or 5xx",
			set: func(c *Config, v string) error { return setInt(&c.Speech.HTTP.Retries, v, 0, 10) },
			get: func(c *Config) string { return strconv.Itoa(c.Speech.HTTP.Retries) }},
	}
}

// setPairs reads "k=v,k=v"; empty is none.
func setPairs(dst *map[string]string, v string) error {
	m, err := audio.ParsePairs(v)
	if err != nil {
		return err
	}
	*dst = m
	return nil
}

// joinPairs writes a map as sorted "k=v,k=v", * last.
func joinPairs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "*") != (keys[j] == "*") {
			return keys[j] == "*"
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}

// validateSpeech checks what spans speech settings.
func (c *Config) validateSpeech() error {
	for lang, name := range c.Speech.Engines {
		if name == "http" && c.Speech.HTTP.URL == "" {
			return fmt.Errorf("%s: %s=http needs %s", EnvName("tts-engines"), lang, EnvName("tts-http-url"))
		}
	}
	if err := audio.CheckMP3Settings(c.Speech.Bitrate, c.Speech.SampleRate); err != nil {
		return fmt.Errorf("%s, %s: %w", EnvName("tts-bitrate"), EnvName("tts-sample-rate"), err)
	}
	return nil
}
