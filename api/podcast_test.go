package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/internal/podcastcheck"
	"github.com/newsline/newsline/internal/testaudio"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/podcast"
	"github.com/newsline/newsline/store"
)

// podcastServer serves a podcast of one real episode, made by espeak-ng
// and lame from a stored article.
func podcastServer(t *testing.T) (*httptest.Server, store.Episode, string) {
	t.Helper()
	testaudio.Require(t, "espeak-ng", "lame")
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	pub := time.Now().Add(-time.Hour)
	id := testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/harbour", Title: "The harbour reopens",
		Authors: []string{"Ann Lee"}, PublishedAt: &pub, Language: "en", Kind: "article", Completeness: 0.9,
		Summary: "Ships queued at dawn as the harbour reopened.",
		Text: "Ships queued at dawn as the harbour reopened after a year of repairs.\n\n" +
			"The harbour master said the new cranes could lift twice the weight of the old ones, and that the port would work through the night.\n\n" +
			"Fishermen, who had landed their catch in the next town for a year, welcomed the news."})
	sp, err := audio.NewSpeaker(audio.Options{Engines: map[string]string{"*": "espeak-ng"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	dir := t.TempDir()
	ep, _, err := (&podcast.Maker{DB: db, Speaker: sp, Dir: dir, Album: "Newsline"}).Make(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pc := config.Podcast{AudioDir: dir, Title: "Newsline", Description: "The day's news, read aloud.", Author: "Newsline",
		OwnerEmail: "podcast@news.example.org", Category: "News/Daily News"}
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: "http://news.example.org", Podcast: pc}).Handler())
	t.Cleanup(srv.Close)
	return srv, ep, dir
}

func fetch(t *testing.T, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestPodcastFeed(t *testing.T) {
	t.Parallel()
	srv, ep, dir := podcastServer(t)
	for _, path := range []string{"/feeds/podcast.rss", "/feeds/podcast/sites/news.example.rss"} {
		resp, body := fetch(t, srv.URL+path, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/rss+xml; charset=utf-8" {
			t.Fatalf("%s: %s %s", path, resp.Status, resp.Header.Get("Content-Type"))
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		podcastcheck.Apple(t, f)
		enc := f.Items[0].Enclosures[0]
		if enc.URL != "http://news.example.org/audio/"+ep.Path || enc.Length != strconv.FormatInt(ep.Bytes, 10) {
			t.Errorf("%s: enclosure %+v, episode %+v", path, enc, ep)
		}
		// The file lasts what the episode and the feed say, within 5%.
		decoded := decodedSeconds(t, filepath.Join(dir, ep.Path))
		feedSeconds, _ := strconv.ParseFloat(f.Items[0].ITunesExt.Duration, 64)
		t.Logf("decoded %.2f s, stored %.2f s, itunes:duration %s", decoded, ep.Duration.Seconds(), f.Items[0].ITunesExt.Duration)
		for what, v := range map[string]float64{"stored": ep.Duration.Seconds(), "itunes:duration": feedSeconds} {
			if math.Abs(decoded-v) > 0.05*decoded {
				t.Errorf("decoded %.2f s, %s %.2f s", decoded, what, v)
			}
		}
	}
	if resp, _ := fetch(t, srv.URL+"/feeds/podcast/sites/nowhere.example.rss", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown site: %s", resp.Status)
	}
	if resp, _ := fetch(t, srv.URL+"/feeds/podcast.rss?limit=0", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("limit=0: %s", resp.Status)
	}
	resp, body := fetch(t, srv.URL+"/feeds/podcast.png", nil)
	img, err := png.Decode(bytes.NewReader(body))
	if resp.StatusCode != http.StatusOK || err != nil || img.Bounds().Dx() != api.PodcastImageSize || img.Bounds().Dy() != api.PodcastImageSize {
		t.Errorf("cover: %s %v", resp.Status, err)
	}
}

func TestPodcastAudioRange(t *testing.T) {
	t.Parallel()
	srv, ep, dir := podcastServer(t)
	file, err := os.ReadFile(filepath.Join(dir, ep.Path))
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/audio/" + ep.Path
	resp, body := fetch(t, url, http.Header{"Range": {"bytes=1000-1999"}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, file[1000:2000]) ||
		resp.Header.Get("Content-Range") != "bytes 1000-1999/"+strconv.Itoa(len(file)) || resp.Header.Get("Content-Type") != "audio/mpeg" {
		t.Fatalf("range: %s %v, %d bytes", resp.Status, resp.Header, len(body))
	}
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || modified == "" || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("headers %v", resp.Header)
	}
	if resp, body := fetch(t, url, nil); resp.StatusCode != http.StatusOK || !bytes.Equal(body, file) {
		t.Errorf("whole file: %s, %d bytes of %d", resp.Status, len(body), len(file))
	}
	if resp, _ := fetch(t, url, http.Header{"If-None-Match": {etag}}); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %s", resp.Status)
	}
	// Resuming: the rest of the file, if it is still the same.
	resp, body = fetch(t, url, http.Header{"Range": {"bytes=5000-"}, "If-Range": {etag}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, file[5000:]) {
		t.Errorf("resume: %s, %d bytes", resp.Status, len(body))
	}
	for _, p := range []string{ep.TranscriptPath, ep.ChaptersPath} {
		if resp, _ := fetch(t, srv.URL+"/audio/"+p, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", p, resp.Status)
		}
	}
	// A file being written (a temporary name) and anything but an
	// episode's files are not served.
	tmp := filepath.Join(dir, filepath.Dir(ep.Path), ".half.mp3.123.tmp")
	if err := os.WriteFile(tmp, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Dir(ep.Path) + "/.half.mp3.123.tmp", filepath.Dir(ep.Path) + "/.half.mp3", "../secret.mp3", "2026/nothing.mp3", "x.txt"} {
		if resp, _ := fetch(t, srv.URL+"/audio/"+p, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s", p, resp.Status)
		}
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
	if err != nil || len(b) < 44 || string(b[:4]) != "RIFF" {
		t.Fatalf("decoded WAV: %v", err)
	}
	var rate, frame, data int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		switch id {
		case "fmt ":
			rate = int(binary.LittleEndian.Uint32(b[p+12:]))
			frame = int(binary.LittleEndian.Uint16(b[p+20:])) // block align: bytes per sample frame
		case "data":
			data = min(size, len(b)-p-8)
		}
		p += 8 + size + size%2
	}
	if rate == 0 || frame == 0 {
		t.Fatal("decoded WAV has no format chunk")
	}
	return float64(data) / float64(rate*frame)
}
