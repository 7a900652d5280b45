package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Podcast configures the podcast (NEWSLINE_PODCAST_… and
// NEWSLINE_AUDIO_DIR): which articles are read, where the audio goes, how
// long it is kept, and what the feed says of itself.
type Podcast struct {
	Enabled bool
	// AudioDir holds the episodes as YYYY/MM/slug-id.mp3 with their
	// chapters and transcripts, a layout a web server serves as it is.
	AudioDir        string
	MinCompleteness float64
	PerDay          int
	Sites           []string // hosts whose complete articles are read
	Trending        bool     // also read articles on the archive's trending terms
	MaxAge          time.Duration
	RetentionDays   int
	Schedule        string // cron of the daily selection and expiry
	Concurrency     int    // speech jobs one worker runs at once

	Title       string
	Description string
	Author      string
	OwnerName   string
	OwnerEmail  string
	Category    string // an Apple Podcasts category, "News" or "News/Daily News"
	Explicit    bool
	ImageURL    string // square cover, 1400–3000 px; generated when empty
}

func podcastOptions() []option {
	p := func(c *Config) *Podcast { return &c.Podcast }
	return []option{
		{name: "podcast", def: "true", usage: "make podcast episodes of chosen articles (needs the speech programs; see newsline doctor)",
			set: func(c *Config, v string) error { return setBool(&p(c).Enabled, v) },
			get: func(c *Config) string { return strconv.FormatBool(p(c).Enabled) }},
		{name: "audio-dir", def: "var/audio", usage: "directory of the episodes' MP3, chapters and transcripts (YYYY/MM/slug-id.mp3), which a web server may serve as it is",
			set: func(c *Config, v string) error { return nonEmpty(&p(c).AudioDir, v) },
			get: func(c *Config) string { return p(c).AudioDir }},
		{name: "podcast-min-completeness", def: "0.7", usage: "least completeness (0-1) of an article read aloud",
			set: func(c *Config, v string) error {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f < 0 || f > 1 {
					return fmt.Errorf("want a number from 0 to 1, got %q", v)
				}
				p(c).MinCompleteness = f
				return nil
			},
			get: func(c *Config) string { return strconv.FormatFloat(p(c).MinCompleteness, 'g', -1, 64) }},
		{name: "podcast-per-day", def: "5", usage: "most articles chosen for the podcast a day (UTC)",
			set: func(c *Config, v string) error { return setInt(&p(c).PerDay, v, 0, 1000) },
			get: func(c *Config) string { return strconv.Itoa(p(c).PerDay) }},
		{name: "podcast-sites", def: "", usage: "hosts whose complete articles are read, comma-separated (besides trending ones)",
			set: func(c *Config, v string) error { p(c).Sites = splitList(strings.ToLower(v)); return nil },
			get: func(c *Config) string { return strings.Join(p(c).Sites, ",") }},
		{name: "podcast-trending", def: "true", usage: "also read articles on the archive's trending terms of the last 24 h",
			set: func(c *Config, v string) error { return setBool(&p(c).Trending, v) },
			get: func(c *Config) string { return strconv.FormatBool(p(c).Trending) }},
		{name: "podcast-max-age", def: "48h0m0s", usage: "only articles published this recently are chosen",
			set: func(c *Config, v string) error { return setDuration(&p(c).MaxAge, v) },
			get: func(c *Config) string { return p(c).MaxAge.String() }},
		{name: "podcast-retention-days", def: "30", usage: "days an episode is kept; its files and row are then deleted",
			set: func(c *Config, v string) error { return setInt(&p(c).RetentionDays, v, 1, 3650) },
			get: func(c *Config) string { return strconv.Itoa(p(c).RetentionDays) }},
		{name: "podcast-schedule", def: "0 6 * * *", usage: "cron of the daily selection of articles and expiry of old episodes (selection also follows every crawl)",
			set: func(c *Config, v string) error {
				if _, err := cron.ParseStandard(v); err != nil {
					return fmt.Errorf("invalid cron expression %q: %w", v, err)
				}
				p(c).Schedule = v
				return nil
			},
			get: func(c *Config) string { return p(c).Schedule }},
		{name: "podcast-concurrency", def: "1", usage: "speech jobs one worker runs at once (each keeps a CPU core busy)",
			set: func(c *Config, v string) error { return setInt(&p(c).Concurrency, v, 1, 64) },
			get: func(c *Config) string { return strconv.Itoa(p(c).Concurrency) }},
	}
}

// podcastChannelOptions are what the podcast feed says of itself.
func podcastChannelOptions() []option {
	p := func(c *Config) *Podcast { return &c.Podcast }
	text := func(name, def, usage string, field func(*Podcast) *string) option {
		return option{name: name, def: def, usage: usage,
			set: func(c *Config, v string) error { *field(p(c)) = strings.TrimSpace(v); return nil },
			get: func(c *Config) string { return *field(p(c)) }}
	}
	return []option{
		text("podcast-title", "Newsline", "the podcast's title", func(p *Podcast) *string { return &p.Title }),
		text("podcast-description", "The day's news, read aloud: articles chosen from the sites Newsline follows.",
			"the podcast's description", func(p *Podcast) *string { return &p.Description }),
		text("podcast-author", "Newsline", "the podcast's author (itunes:author)", func(p *Podcast) *string { return &p.Author }),
		text("podcast-owner-name", "", "the podcast owner's name (itunes:owner); the author when empty", func(p *Podcast) *string { return &p.OwnerName }),
		{name: "podcast-owner-email", def: "", usage: "the podcast owner's e-mail address (itunes:owner), which podcast directories ask for",
			set: func(c *Config, v string) error {
				if v != "" {
					if a, err := mail.ParseAddress(v); err != nil || a.Name != "" {
						return fmt.Errorf("want an e-mail address such as podcast@example.org, got %q", v)
					}
				}
				p(c).OwnerEmail = v
				return nil
			},
			get: func(c *Config) string { return p(c).OwnerEmail }},
		text("podcast-category", "News/Daily News", "Apple Podcasts category, with a subcategory after a slash", func(p *Podcast) *string { return &p.Category }),
		{name: "podcast-explicit", def: "false", usage: "mark the podcast explicit (itunes:explicit)",
			set: func(c *Config, v string) error { return setBool(&p(c).Explicit, v) },
			get: func(c *Config) string { return strconv.FormatBool(p(c).Explicit) }},
		{name: "podcast-image-url", def: "", usage: "absolute URL of a square 1400-3000 px cover; a generated one when empty",
			set: func(c *Config, v string) error {
				if v != "" {
					u, err := url.Parse(v)
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						return fmt.Errorf("want an absolute http(s) URL, got %q", v)
					}
				}
				p(c).ImageURL = v
				return nil
			},
			get: func(c *Config) string { return p(c).ImageURL }},
	}
}

func setBool(dst *bool, v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", v)
	}
	*dst = b
	return nil
}

func nonEmpty(dst *string, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("must not be empty")
	}
	*dst = v
	return nil
}

// splitList reads "a, b,c"; empty is none.
func splitList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
