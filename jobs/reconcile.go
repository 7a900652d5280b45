package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// queueFetches makes sure every URL of urls has a fetch task that will
// run, and is the crawl's reconciliation of the URLs' state with the
// queue: a URL the database calls queued may have no live task, when its
// last attempt failed while the database was unreachable (so the failure
// could not be recorded) or Redis lost the task. Enqueuing finds that out
// for free: no task means the enqueue succeeds; a conflict on the URL's
// task id is looked up, and a task that will never run again is replaced.
// The work is one enqueue per URL, plus one lookup per conflict, and urls
// is bounded by the site's max_pages. What got queued is returned for
// store.MarkQueued, also on error.
func (h *Handlers) queueFetches(ctx context.Context, host string, urls []store.URL) (store.QueuedURLs, error) {
	var q store.QueuedURLs
	for _, u := range urls {
		got, err := h.enqueueFetch(ctx, u.ID, host)
		if err != nil {
			return q, fmt.Errorf("jobs: queue fetch of %s: %w", u.URL, err)
		}
		q.IDs = append(q.IDs, u.ID)
		switch {
		case got == replacedTask:
			q.Replaced = append(q.Replaced, u.ID)
		case got == newTask && u.State == store.URLQueued:
			q.Lost = append(q.Lost, u.ID)
		}
	}
	return q, nil
}

// What enqueueFetch found.
const (
	newTask      = iota // no task had the URL's id: a new one was enqueued
	liveTask            // a task that will run has it: left alone
	replacedTask        // a task that will never run again had it: replaced
)

// enqueueFetch enqueues the fetch of URL id unless a live task for it
// exists.
func (h *Handlers) enqueueFetch(ctx context.Context, id int64, host string) (int, error) {
	task := NewFetchArticleTask(id, host)
	_, err := h.Queue.EnqueueContext(ctx, task)
	if err == nil {
		return newTask, nil
	}
	if !errors.Is(err, asynq.ErrTaskIDConflict) {
		return 0, err
	}
	if h.Redis == nil {
		return liveTask, nil // nothing to look it up with
	}
	insp := asynq.NewInspectorFromRedisClient(h.Redis)
	info, err := insp.GetTaskInfo(QueueFetch, FetchTaskID(id))
	got := newTask
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound):
		// It finished between the enqueue and the look-up.
	case err != nil:
		return 0, err
	case info.State == asynq.TaskStateArchived || info.State == asynq.TaskStateCompleted:
		if err := insp.DeleteTask(QueueFetch, info.ID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return 0, err
		}
		got = replacedTask
	default:
		return liveTask, nil // pending, scheduled, retrying or running: it will run
	}
	_, err = h.Queue.EnqueueContext(ctx, task)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return liveTask, nil // another crawl enqueued it first
	}
	return got, err
}

// queueBatch is how many URLs a crawl reads and queues at a time.
const queueBatch = 1000

// queueWaiting queues a fetch for up to site.MaxPages URLs: every URL
// still waiting for one, then every due re-fetch, batch by batch. On
// failure, what did get queued is marked before giving up; the rest stays
// new and the next crawl queues it.
func (h *Handlers) queueWaiting(ctx context.Context, site newsline.Site, res *CrawlResult) error {
	budget := site.MaxPages
	var pc store.PendingCursor
	for budget > 0 {
		batch, next, err := h.DB.PendingURLsAfter(ctx, site.ID, pc, min(queueBatch, budget))
		if err != nil || len(batch) == 0 {
			if err != nil {
				return err
			}
			break
		}
		pc, budget = next, budget-len(batch)
		if err := h.queueAndMark(ctx, site.Host, batch, res); err != nil {
			return err
		}
	}
	var rc store.RefetchCursor
	for budget > 0 {
		batch, next, err := h.DB.DueRefetchesAfter(ctx, site.ID, rc, min(queueBatch, budget))
		if err != nil || len(batch) == 0 {
			return err
		}
		rc, budget = next, budget-len(batch)
		res.Refetches += len(batch)
		if err := h.queueAndMark(ctx, site.Host, batch, res); err != nil {
			return err
		}
	}
	return nil
}

// queueAndMark queues the fetches of urls and marks those queued.
func (h *Handlers) queueAndMark(ctx context.Context, host string, urls []store.URL, res *CrawlResult) error {
	q, err := h.queueFetches(ctx, host, urls)
	res.Queued += len(q.IDs)
	requeued, merr := h.DB.MarkQueued(ctx, q)
	res.Requeued += requeued
	if err == nil {
		err = merr
	}
	return err
}
