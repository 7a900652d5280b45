package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/logctx"
)

// observe is the worker's outermost middleware: it puts the task's type
// and id in the context's log attributes (internal/logctx), so every line
// logged with the context names them, and records the task's duration,
// outcome and retries in h.Metrics.
func (h *Handlers) observe(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		id, _ := asynq.GetTaskID(ctx)
		ctx = logctx.With(ctx, slog.String("task", t.Type()), slog.String("task_id", id))
		retried, _ := asynq.GetRetryCount(ctx)
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		h.Metrics.TaskDone(t.Type(), time.Since(start), err != nil, retried > 0)
		return err
	})
}

// withSite adds a task's site to the context's log attributes.
func withSite(ctx context.Context, host string) context.Context {
	if host == "" {
		return ctx
	}
	return logctx.With(ctx, slog.String("site", host))
}

// extract runs the extractor on one page, within the site's declared
// languages (none: any), and records its kind of result
// and duration.
func (h *Handlers) extract(ctx context.Context, languages []string, url string, body []byte) (newsline.Article, error) {
	start := time.Now()
	a, err := h.Extractor.WithLanguages(languages).Extract(ctx, url, body)
	kind := a.Kind
	switch {
	case errors.Is(err, extract.ErrNotArticle):
		kind = "no_content"
	case errors.Is(err, extract.ErrTooLarge):
		kind = "too_large"
	case err != nil:
		kind = "failed"
	case kind == "":
		kind = "unknown"
	}
	h.Metrics.Extracted(kind, time.Since(start))
	return a, err
}
