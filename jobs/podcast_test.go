package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/internal/metrics"
	"github.com/newsline/newsline/internal/testaudio"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/podcast"
	"github.com/newsline/newsline/store"
)

// TestPodcastJobs runs the selection, which queues a speech job per pick
// on the podcast queue, then the speech job twice: one episode.
func TestPodcastJobs(t *testing.T) {
	testaudio.Require(t, "espeak-ng", "lame")
	ctx := context.Background()
	db := testenv.DB(t)
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	client := asynq.NewClientFromRedisClient(rdb)
	sp, err := audio.NewSpeaker(audio.Options{Engines: map[string]string{"*": "espeak-ng"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := metrics.New()
	h := &jobs.Handlers{DB: db, Queue: client, Logger: logger, Metrics: m,
		Podcast: jobs.NewPodcast(&podcast.Maker{DB: db, Speaker: sp, Dir: t.TempDir(), Album: "Newsline"},
			podcast.Policy{MinCompleteness: 0.7, PerDay: 1, Sites: []string{"news.example"}, MaxAge: 48 * time.Hour}, 24*time.Hour, 1)}
	site := testenv.SeedSite(t, db, "news.example")
	now := time.Now()
	var ids []int64
	for i, title := range []string{"Harbour reopens", "Bridge closes"} {
		pub := now.Add(-time.Duration(i+1) * time.Hour)
		ids = append(ids, testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/" + newsline.Slug(title),
			Title: title, PublishedAt: &pub, Language: "en", Kind: "article", Completeness: 0.9, Text: title + " today, officials said."}))
	}
	if err := h.SelectArticles(ctx, jobs.NewSelectTask(true, 0)); err != nil {
		t.Fatal(err)
	}
	ins := asynq.NewInspectorFromRedisClient(rdb)
	info, err := ins.GetTaskInfo(jobs.QueuePodcast, jobs.SpeakTaskID(ids[0]))
	if err != nil || info.Type != jobs.TypeSpeakArticle {
		t.Fatalf("speech job of the newest article: %+v, %v", info, err)
	}
	// One a day: the second article waits for tomorrow; selecting again
	// queues nothing new.
	if err := h.SelectArticles(ctx, jobs.NewSelectTask(false, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := ins.GetTaskInfo(jobs.QueuePodcast, jobs.SpeakTaskID(ids[1])); err == nil {
		t.Fatal("a second article was queued on a day of one")
	}
	task := jobs.NewSpeakTask(ids[0])
	for range 2 {
		if err := h.SpeakArticle(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	eps, err := db.Episodes(ctx, store.EpisodeQuery{Limit: 10})
	if err != nil || len(eps) != 1 || eps[0].ArticleID != ids[0] || eps[0].Engine != "espeak-ng" {
		t.Fatalf("episodes: %+v, %v", eps, err)
	}
	// The metrics count the one episode made (the second run found it).
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			got[f.GetName()] += s.GetCounter().GetValue()
		}
	}
	if got["newsline_podcast_episodes_total"] != 1 || got["newsline_tts_audio_seconds_total"] <= 0 {
		t.Errorf("episodes %v, TTS seconds %v; want 1 and more than 0",
			got["newsline_podcast_episodes_total"], got["newsline_tts_audio_seconds_total"])
	}
	t.Logf("newsline_podcast_episodes_total %v, newsline_tts_audio_seconds_total %.2f",
		got["newsline_podcast_episodes_total"], got["newsline_tts_audio_seconds_total"])
}
