package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/podcast"
)

// Podcast task types: choosing articles (after each crawl, and daily with
// the expiry of old episodes), and reading one aloud.
const (
	TypePodcastSelect = "podcast:select"
	TypeSpeakArticle  = "tts:article"
)

// QueuePodcast is the speech jobs' queue, below crawls and fetches: an
// episode can wait, an article's fetch should not.
const QueuePodcast = "podcast"

const (
	speakMaxRetry  = 8
	speakTimeout   = 30 * time.Minute
	selectMaxRetry = 3
	selectTimeout  = 2 * time.Minute
	// DefaultSelectDelay is how long after a crawl the selection runs:
	// the crawl only queues its fetches, which store their articles over
	// the next minute or so.
	DefaultSelectDelay = time.Minute
	// speechBusyRetry is how soon a speech job that found every speech
	// slot of its worker taken tries again; missingRetry, one that found
	// its engine missing (the operator has something to install).
	speechBusyRetry = 15 * time.Second
	missingRetry    = 10 * time.Minute
)

// Podcast is the podcast's work a worker does; nil Handlers.Podcast
// turns it off.
type Podcast struct {
	Maker     *podcast.Maker
	Policy    podcast.Policy
	Retention time.Duration
	// SelectDelay is how long after a crawl the selection runs
	// (DefaultSelectDelay when 0).
	SelectDelay time.Duration
	// slots bounds the speech jobs one worker runs at once: each keeps a
	// core busy for as long as the article takes to read.
	slots chan struct{}
}

// NewPodcast returns the podcast work with at most concurrency speech
// jobs at once.
func NewPodcast(m *podcast.Maker, p podcast.Policy, retention time.Duration, concurrency int) *Podcast {
	return &Podcast{Maker: m, Policy: p, Retention: retention, slots: make(chan struct{}, max(concurrency, 1))}
}

// SelectPayload says whether a selection is the daily one, which also
// expires old episodes.
type SelectPayload struct {
	Daily bool `json:"daily,omitempty"`
}

// SpeakPayload names the article to read aloud.
type SpeakPayload struct {
	ArticleID int64 `json:"article_id"`
}

// NewSelectTask returns the selection task; one waits in the queue at a
// time, however many crawls end meanwhile.
func NewSelectTask(daily bool, delay time.Duration) *asynq.Task {
	b, _ := json.Marshal(SelectPayload{Daily: daily})
	return asynq.NewTask(TypePodcastSelect, b, asynq.Queue(QueueCrawl), asynq.MaxRetry(selectMaxRetry),
		asynq.Timeout(selectTimeout), asynq.ProcessIn(delay), asynq.Unique(delay+selectTimeout))
}

// NewSpeakTask returns the task that reads an article aloud. Its TaskID
// is the article's, so it is queued once however often it is picked up
// again; the handler makes one episode per article and engine version
// however often it runs.
func NewSpeakTask(articleID int64) *asynq.Task {
	b, _ := json.Marshal(SpeakPayload{ArticleID: articleID})
	return asynq.NewTask(TypeSpeakArticle, b, asynq.Queue(QueuePodcast), asynq.MaxRetry(speakMaxRetry),
		asynq.Timeout(speakTimeout), asynq.TaskID(SpeakTaskID(articleID)))
}

// SpeakTaskID is the asynq task id of an article's speech job.
func SpeakTaskID(articleID int64) string { return "tts:" + strconv.FormatInt(articleID, 10) }

// errSpeechBusy sends a speech job back to the queue while the worker's
// speech slots are taken; it is not a failure.
var errSpeechBusy = errors.New("jobs: every speech slot of this worker is taken")

// SelectArticles chooses the next articles for the podcast and queues a
// speech job for each, and for every earlier pick still without an
// episode (its job failed for good, or Redis lost it). The daily run also
// expires old episodes.
func (h *Handlers) SelectArticles(ctx context.Context, t *asynq.Task) error {
	p, err := decode[SelectPayload](t)
	if err != nil {
		return err
	}
	pc := h.Podcast
	if pc == nil {
		return nil
	}
	log := h.log(ctx, t, "")
	now := time.Now()
	if p.Daily {
		n, err := podcast.Expire(ctx, h.DB, pc.Maker.Dir, pc.Retention, now)
		if err != nil {
			return err
		}
		log.Info("expired old episodes", "episodes", n)
	}
	picks, err := podcast.Select(ctx, h.DB, pc.Policy, now)
	if err != nil {
		return err
	}
	waiting, err := h.DB.PicksWithoutEpisode(ctx, now.Add(-pc.Retention))
	if err != nil {
		return err
	}
	queued := 0
	for _, pk := range waiting {
		_, err := h.Queue.EnqueueContext(ctx, NewSpeakTask(pk.ArticleID))
		switch {
		case err == nil:
			queued++
		case errors.Is(err, asynq.ErrTaskIDConflict):
		default:
			return fmt.Errorf("jobs: queue the speech job of article %d: %w", pk.ArticleID, err)
		}
	}
	for _, pk := range picks {
		log.Info("picked for the podcast", "article_id", pk.ArticleID, "title", pk.Title, "reason", pk.Reason)
	}
	log.Info("podcast selection done", "picked", len(picks), "queued", queued)
	return nil
}

// SpeakArticle makes an article's episode, unless it has one by the
// engine that reads its language.
func (h *Handlers) SpeakArticle(ctx context.Context, t *asynq.Task) error {
	p, err := decode[SpeakPayload](t)
	if err != nil {
		return err
	}
	pc := h.Podcast
	if pc == nil {
		return errors.New("jobs: this worker makes no podcast episodes (NEWSLINE_PODCAST=false)")
	}
	select {
	case pc.slots <- struct{}{}:
		defer func() { <-pc.slots }()
	default:
		return errSpeechBusy
	}
	log := h.log(ctx, t, "")
	ep, created, err := pc.Maker.Make(ctx, p.ArticleID)
	switch {
	case newsline.ErrorCode(err) == newsline.ENOTFOUND:
		log.Info("article gone; no episode", "article_id", p.ArticleID)
		return nil
	case errors.Is(err, audio.ErrMissing):
		log.Warn("speech engine missing; the job tries again later (newsline doctor says what to install)", "err", err)
		return err
	case err != nil:
		return err
	}
	if created {
		h.Metrics.EpisodeMade(ep.Duration)
	}
	log.Info("episode ready", "article_id", p.ArticleID, "episode_id", ep.ID, "created", created, "path", ep.Path,
		"seconds", ep.Duration.Seconds())
	return nil
}

// queueSelection queues the selection that follows a crawl.
func (h *Handlers) queueSelection(ctx context.Context) {
	if h.Podcast == nil || h.Queue == nil {
		return
	}
	delay := h.Podcast.SelectDelay
	if delay == 0 {
		delay = DefaultSelectDelay
	}
	_, err := h.Queue.EnqueueContext(ctx, NewSelectTask(false, delay))
	if err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
		h.Logger.WarnContext(ctx, "queue the podcast selection", "err", err)
	}
}

// podcastRetryDelay is the retry policy's answer for speech jobs, or 0.
func podcastRetryDelay(err error) time.Duration {
	switch {
	case busy(err):
		return speechBusyRetry
	case errors.Is(err, audio.ErrMissing):
		return missingRetry
	}
	return 0
}

// busy reports whether a speech job waits for another job: not a failure.
func busy(err error) bool { return errors.Is(err, errSpeechBusy) || errors.Is(err, podcast.ErrBusy) }
