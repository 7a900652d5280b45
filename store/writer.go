package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/newsline/newsline"
)

// Defaults of a Writer.
const (
	// DefaultWriteBatch bounds the articles one transaction stores.
	DefaultWriteBatch = 32
	// writeTimeout bounds one batch's transaction; the tasks waiting on
	// it are not canceled with it (they share it).
	writeTimeout = time.Minute
)

// ErrWriterClosed is returned by a Writer's SaveArticle after Close.
var ErrWriterClosed = errors.New("store: writer closed")

// Writer stores articles for many concurrent callers in shared
// transactions: a save waits while the transaction before it commits, then
// goes into the next one with every save that arrived meanwhile (group
// commit). A lone save is written at once, so batching adds no wait when
// the worker is idle, and under load one transaction stores many articles.
//
// SaveArticle returns only once its article is committed (or has failed),
// so a task that dies waiting stores nothing and one that returns stored
// its article: exactly-once holds as with DB.SaveArticle. A batch that
// fails is retried one article at a time, so one bad article fails alone.
type Writer struct {
	db    *DB
	max   int
	queue chan *pendingSave
	wg    sync.WaitGroup

	mu     sync.RWMutex
	closed bool
}

type pendingSave struct {
	req  SaveRequest
	res  SaveResult
	err  error
	done chan struct{}
}

// NewWriter starts a Writer over db that stores at most maxBatch articles
// per transaction (DefaultWriteBatch when 0). Close stops it.
func (db *DB) NewWriter(maxBatch int) *Writer {
	if maxBatch <= 0 {
		maxBatch = DefaultWriteBatch
	}
	w := &Writer{db: db, max: maxBatch, queue: make(chan *pendingSave, maxBatch)}
	// One goroutine: a second, writing beside it, halved the batches and
	// added a third to the database's work for no more throughput (bench
	// crawl).
	w.wg.Add(1)
	go w.run()
	return w
}

// SaveArticle stores an article as DB.SaveArticle does, in a transaction
// shared with concurrent saves. It waits for the commit even when ctx is
// canceled meanwhile, so its caller always learns what became of it.
func (w *Writer) SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f FetchInfo) (SaveResult, error) {
	p := &pendingSave{req: SaveRequest{URLID: urlID, Article: a, Fetch: f}, done: make(chan struct{})}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return SaveResult{}, ErrWriterClosed
	}
	select {
	case w.queue <- p:
	case <-ctx.Done():
		w.mu.RUnlock()
		return SaveResult{}, ctx.Err()
	}
	w.mu.RUnlock()
	<-p.done
	return p.res, p.err
}

// Close stores what is queued and stops the writer.
func (w *Writer) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *Writer) run() {
	defer w.wg.Done()
	for p := range w.queue {
		batch := []*pendingSave{p}
	collect:
		for len(batch) < w.max {
			select {
			case q, ok := <-w.queue:
				if !ok {
					break collect
				}
				batch = append(batch, q)
			default:
				break collect
			}
		}
		w.write(batch)
	}
}

func (w *Writer) write(batch []*pendingSave) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	reqs := make([]SaveRequest, len(batch))
	for i, p := range batch {
		reqs[i] = p.req
	}
	res, err := w.db.SaveArticles(ctx, reqs)
	if err != nil && len(batch) > 1 {
		// One article may have failed them all: write them one by one.
		for _, p := range batch {
			w.write([]*pendingSave{p})
		}
		return
	}
	for i, p := range batch {
		if err != nil {
			p.err = err
		} else {
			p.res = res[i]
		}
		close(p.done)
	}
}
