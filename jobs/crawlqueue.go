package jobs

import (
	"context"
	"errors"

	"github.com/hibiken/asynq"
)

// CrawlQueue queues crawls on demand (the API's "crawl now") with the task
// `newsline dev` and the scheduler's ticks queue, so its uniqueness lock
// keeps a site from being crawled twice at once.
type CrawlQueue struct {
	Client Enqueuer
}

// EnqueueCrawl queues a crawl of host now. It reports false, and no
// error, when a crawl of the site is already queued or running.
func (q CrawlQueue) EnqueueCrawl(ctx context.Context, host string) (bool, error) {
	_, err := q.Client.EnqueueContext(ctx, NewCrawlSiteTask(host))
	if errors.Is(err, asynq.ErrDuplicateTask) {
		return false, nil
	}
	return err == nil, err
}
