package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/store"
)

// TypeReextractBatch re-extracts a range of articles (`newsline reextract
// --queue`); QueueReextract is its queue, the lowest of all: re-reading
// the archive waits for everything else.
const (
	TypeReextractBatch = "reextract:batch"
	QueueReextract     = "reextract"
)

const (
	reextractMaxRetry = 5
	reextractTimeout  = 30 * time.Minute
	// olderWorkerRetry is how soon a task that reached a worker with an
	// older extractor than the one that queued it tries again: during a
	// rolling upgrade a newer worker will take it.
	olderWorkerRetry = time.Minute
)

// ReextractBatchPayload names a range of article ids, and the filter of
// the run that queued it.
type ReextractBatchPayload struct {
	From    int64      `json:"from"`
	To      int64      `json:"to"`
	Version int        `json:"version"` // the queuing extractor's
	Host    string     `json:"host,omitempty"`
	SiteID  int64      `json:"site_id,omitempty"`
	Since   *time.Time `json:"since,omitempty"`
	Kind    string     `json:"kind,omitempty"`
}

// filter is the store filter of p's range.
func (p ReextractBatchPayload) filter() store.ReextractFilter {
	f := store.ReextractFilter{SiteID: p.SiteID, Kind: p.Kind, From: p.From, To: p.To}
	if p.Since != nil {
		f.Since = *p.Since
	}
	return f
}

// NewReextractBatchTask returns the task that re-extracts p's range. Its
// TaskID names the range and the extractor version, so a range is queued
// once however often a run is repeated while it waits.
func NewReextractBatchTask(p ReextractBatchPayload) *asynq.Task {
	b, _ := json.Marshal(p)
	return asynq.NewTask(TypeReextractBatch, b,
		asynq.Queue(QueueReextract), asynq.MaxRetry(reextractMaxRetry), asynq.Timeout(reextractTimeout),
		asynq.TaskID(fmt.Sprintf("reextract:%d:%d-%d", p.Version, p.From, p.To)))
}

// errOlderExtractor makes a worker with an older extractor hand a
// reextract:batch task back.
var errOlderExtractor = errors.New("jobs: this worker's extractor is older than the one that queued the task")

// ReextractBatch runs a reextract:batch task. Running it twice is
// harmless: the second run finds the range's articles stamped current.
func (h *Handlers) ReextractBatch(ctx context.Context, t *asynq.Task) error {
	p, err := decode[ReextractBatchPayload](t)
	if err != nil {
		return err
	}
	log := h.log(ctx, t, p.Host)
	if p.Version > extract.Version {
		log.Warn("extractor older than the task's; handing it back", "version", extract.Version, "task_version", p.Version)
		return errOlderExtractor
	}
	start := time.Now()
	sum, err := h.Reextract(ctx, ReextractOptions{Filter: p.filter()})
	if err != nil {
		return err
	}
	log.Info("re-extracted", "from", p.From, "to", p.To, "pages", sum.Pages, "changed_bodies", sum.ChangedBodies,
		"changed_kinds", sum.ChangedKinds, "errors", sum.ErrorCount(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// QueueReextract queues the articles f selects as reextract:batch tasks
// of batch articles each (DefaultReextractBatch when 0), site host named
// in their logs. It returns the tasks queued and the articles they cover;
// a range already waiting is not queued twice.
func (h *Handlers) QueueReextract(ctx context.Context, f store.ReextractFilter, host string, batch int) (tasks, articles int, err error) {
	if batch <= 0 {
		batch = DefaultReextractBatch
	}
	f.Version = extract.Version
	p := ReextractBatchPayload{Version: extract.Version, Host: host, SiteID: f.SiteID, Kind: f.Kind}
	if !f.Since.IsZero() {
		p.Since = &f.Since
	}
	for after := int64(0); ; {
		ids, err := h.DB.ReextractIDs(ctx, f, after, batch)
		if err != nil || len(ids) == 0 {
			return tasks, articles, err
		}
		p.From, p.To = ids[0], ids[len(ids)-1]
		_, err = h.Queue.EnqueueContext(ctx, NewReextractBatchTask(p))
		switch {
		case err == nil:
			tasks++
			articles += len(ids)
		case !errors.Is(err, asynq.ErrTaskIDConflict):
			return tasks, articles, fmt.Errorf("jobs: queue re-extraction: %w", err)
		}
		after = p.To
	}
}
