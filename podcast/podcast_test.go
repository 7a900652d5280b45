package podcast_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/internal/testaudio"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/podcast"
	"github.com/newsline/newsline/store"
)

// newMaker returns a Maker over a fresh database and audio directory,
// reading English with Festival (the default's voice) and the rest with
// espeak-ng.
func newMaker(t *testing.T) *podcast.Maker {
	t.Helper()
	testaudio.Require(t, "festival", "espeak-ng", "lame")
	sp, err := audio.NewSpeaker(audio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	return &podcast.Maker{DB: testenv.DB(t), Speaker: sp, Dir: t.TempDir(), Album: "Newsline"}
}

// SeedEpisodeArticle stores a short article with two sections.
func seedEpisodeArticle(t *testing.T, db *store.DB, lang string) int64 {
	t.Helper()
	site := testenv.SeedSite(t, db, "news.example")
	pub := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	return testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/harbour-" + lang, Title: "The harbour reopens",
		Authors: []string{"Ann Lee"}, PublishedAt: &pub, Language: lang, SiteName: "The Daily", Kind: "article", Completeness: 0.9,
		Text: "Ships queued at dawn.\n\nRepairs\n\nThe repairs took a year.",
		HTML: "<p>Ships queued at dawn as the harbour reopened.</p><h2>Repairs</h2><p>The repairs took a year and cost four million.</p>"})
}

func TestMakeEpisode(t *testing.T) {
	ctx := context.Background()
	m := newMaker(t)
	m.Now = func() time.Time { return time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC) }
	id := seedEpisodeArticle(t, m.DB, "en")
	ep, created, err := m.Make(ctx, id)
	if err != nil || !created {
		t.Fatalf("make: created %v, %v", created, err)
	}
	want := fmt.Sprintf("2026/12/the-harbour-reopens-%d.mp3", id)
	if ep.Path != want || ep.Engine != "festival" || ep.Chapters != 2 {
		t.Fatalf("episode %+v, want path %s by festival with 2 chapters", ep, want)
	}
	mp3 := filepath.Join(m.Dir, ep.Path)
	st, err := os.Stat(mp3)
	if err != nil || st.Size() != ep.Bytes {
		t.Fatalf("file: %v, %v; stored %d bytes", st, err, ep.Bytes)
	}
	// The decoded audio lasts what the episode says (within 5%).
	decoded := decodedSeconds(t, mp3)
	t.Logf("decoded %.2f s, stored %.2f s", decoded, ep.Duration.Seconds())
	if math.Abs(decoded-ep.Duration.Seconds()) > 0.05*decoded {
		t.Errorf("decoded %.2f s, stored %.2f s", decoded, ep.Duration.Seconds())
	}
	var chapters struct {
		Version  string
		Chapters []audio.Chapter
	}
	b, err := os.ReadFile(filepath.Join(m.Dir, ep.ChaptersPath))
	if err != nil || json.Unmarshal(b, &chapters) != nil || len(chapters.Chapters) != 2 || chapters.Chapters[1].Title != "Repairs" ||
		chapters.Chapters[1].StartTime <= 0 || chapters.Chapters[1].StartTime >= ep.Duration.Seconds() {
		t.Errorf("chapters %s: %v", b, err)
	}
	vtt, err := os.ReadFile(filepath.Join(m.Dir, ep.TranscriptPath))
	if err != nil || !strings.HasPrefix(string(vtt), "WEBVTT") || !strings.Contains(string(vtt), "The repairs took a year") {
		t.Errorf("transcript %s: %v", vtt, err)
	}
	// Made once per article and engine version, however often asked.
	again, created, err := m.Make(ctx, id)
	if err != nil || created || again.ID != ep.ID {
		t.Fatalf("again: %+v created %v, %v", again, created, err)
	}
	left, _ := filepath.Glob(filepath.Join(m.Dir, "2026", "12", ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestExpire(t *testing.T) {
	ctx := context.Background()
	m := newMaker(t)
	id := seedEpisodeArticle(t, m.DB, "de") // read by espeak-ng
	ep, _, err := m.Make(ctx, id)
	if err != nil || ep.Engine != "espeak-ng" {
		t.Fatalf("make: %+v, %v", ep, err)
	}
	if n, err := podcast.Expire(ctx, m.DB, m.Dir, time.Hour, time.Now()); err != nil || n != 0 {
		t.Fatalf("expired a new episode: %d, %v", n, err)
	}
	if n, err := podcast.Expire(ctx, m.DB, m.Dir, time.Hour, time.Now().Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("expire: %d, %v", n, err)
	}
	for _, p := range []string{ep.Path, ep.ChaptersPath, ep.TranscriptPath} {
		if _, err := os.Stat(filepath.Join(m.Dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	if eps, err := m.DB.Episodes(ctx, store.EpisodeQuery{Limit: 10}); err != nil || len(eps) != 0 {
		t.Errorf("episodes after expiry: %+v, %v", eps, err)
	}
}

// decodedSeconds decodes an MP3 file with lame and returns the length of
// the PCM it gives.
func decodedSeconds(t *testing.T, mp3 string) float64 {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "decoded.wav")
	if out, err := exec.Command("lame", "--quiet", "--decode", mp3, wav).CombinedOutput(); err != nil {
		t.Fatalf("lame --decode: %v: %s", err, out)
	}
	b, err := os.ReadFile(wav)
	if err != nil || len(b) < 12 || string(b[:4]) != "RIFF" {
		t.Fatalf("decoded WAV: %v", err)
	}
	var rate, channels, bitsPer, data int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		switch id {
		case "fmt ":
			channels = int(binary.LittleEndian.Uint16(b[p+10:]))
			rate = int(binary.LittleEndian.Uint32(b[p+12:]))
			bitsPer = int(binary.LittleEndian.Uint16(b[p+22:]))
		case "data":
			// lame may leave the size unset when it cannot seek; the
			// rest of the file is the data then.
			data = min(size, len(b)-p-8)
		}
		p += 8 + size + size%2
	}
	if rate == 0 || channels == 0 || bitsPer == 0 {
		t.Fatalf("decoded WAV has no format chunk")
	}
	return float64(data) / float64(rate*channels*bitsPer/8)
}
