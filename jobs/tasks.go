// Package jobs defines Newsline's background work on asynq: the task
// types and payloads, their handlers, the worker and the cron scheduler.
// Payloads carry ids, never documents; PostgreSQL holds the truth, so
// losing Redis loses no article.
package jobs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/store"
)

// Task types.
const (
	TypeCrawlSite    = "crawl:site"
	TypeFetchArticle = "fetch:article"
)

// Queues, and their weights: article fetches are most of the work, but a
// crawl must never starve behind thousands of them.
const (
	QueueCrawl = "crawl"
	QueueFetch = "fetch"
)

// Queues maps each queue to its priority weight for the worker.
// Speech jobs get little: they wait for crawls and fetches; re-extraction
// of the archive the least of all.
func Queues() map[string]int {
	return map[string]int{QueueCrawl: 4, QueueFetch: 12, QueuePodcast: 2, QueueReextract: 1}
}

// Retry and timeout policy.
const (
	crawlMaxRetry = 3
	crawlTimeout  = 30 * time.Minute
	// crawlUnique stops the scheduler from piling up crawls of a site
	// whose previous crawl is still queued or running. A uniqueness lock
	// (not a TaskID) is used so that a crawl that failed for good does not
	// block the site's future crawls: the lock expires.
	crawlUnique   = 10 * time.Minute
	fetchMaxRetry = 5
	fetchTimeout  = 3 * time.Minute
)

// CrawlSitePayload names the site to crawl by host.
type CrawlSitePayload struct {
	Host string `json:"host"`
	// Tick marks a crawl the scheduler enqueued for a tick of the site's
	// schedule: one such crawl runs per tick, however many schedulers
	// enqueued it.
	Tick bool `json:"tick,omitempty"`
}

// FetchArticlePayload names the URL to fetch by its row id.
type FetchArticlePayload struct {
	URLID int64  `json:"url_id"`
	Host  string `json:"host"`
}

// NewCrawlSiteTask returns the task that crawls site host now.
func NewCrawlSiteTask(host string) *asynq.Task {
	return newCrawlSiteTask(CrawlSitePayload{Host: host})
}

// NewScheduledCrawlTask returns the task the scheduler enqueues on each
// tick of site host's schedule.
func NewScheduledCrawlTask(host string) *asynq.Task {
	return newCrawlSiteTask(CrawlSitePayload{Host: host, Tick: true})
}

func newCrawlSiteTask(p CrawlSitePayload) *asynq.Task {
	b, _ := json.Marshal(p)
	return asynq.NewTask(TypeCrawlSite, b,
		asynq.Queue(QueueCrawl), asynq.MaxRetry(crawlMaxRetry), asynq.Timeout(crawlTimeout), asynq.Unique(crawlUnique))
}

// NewFetchArticleTask returns the task that fetches one URL. Its TaskID is
// derived from the URL's id, so the URL is never queued (or fetched) twice
// at once however often crawls rediscover it.
func NewFetchArticleTask(urlID int64, host string) *asynq.Task {
	b, _ := json.Marshal(FetchArticlePayload{URLID: urlID, Host: host})
	return asynq.NewTask(TypeFetchArticle, b,
		asynq.Queue(QueueFetch), asynq.MaxRetry(fetchMaxRetry), asynq.Timeout(fetchTimeout),
		asynq.TaskID(FetchTaskID(urlID)))
}

// FetchTaskID is the asynq task id of a URL's fetch.
func FetchTaskID(urlID int64) string { return "fetch:" + strconv.FormatInt(urlID, 10) }

func decode[T any](t *asynq.Task) (T, error) {
	var p T
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return p, fmt.Errorf("jobs: bad %s payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return p, nil
}

// unavailableRetry is how soon a task that found the database unreachable
// tries again. Such a retry is not counted against the task (see
// RunWorker's IsFailure), so it can be short and go on for as long as the
// outage lasts: the work resumes within seconds of the database's return.
const unavailableRetry = 5 * time.Second

// retryDelay backs off exponentially, waits at least as long as a server's
// Retry-After, retries a task orphaned by a crashed worker at once, and one
// that found the database unreachable soon.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	if errors.Is(err, asynq.ErrLeaseExpired) {
		return time.Second
	}
	if store.IsUnavailable(err) {
		return unavailableRetry
	}
	if errors.Is(err, errOlderExtractor) {
		return olderWorkerRetry
	}
	if d := podcastRetryDelay(err); d > 0 {
		return d
	}
	d := min(time.Duration(1<<min(n, 10))*5*time.Second, time.Hour)
	var fe *crawler.FetchError
	if errors.As(err, &fe) && fe.RetryIn > 0 {
		// The host's politeness clock is pushed back too, so retrying
		// right at RetryIn is safe.
		d = fe.RetryIn
	}
	return d
}
