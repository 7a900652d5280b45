package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// workerSetup is what the benchmark hands its worker process, as the first
// line of the worker's stdin (not its arguments, which anyone can read).
type workerSetup struct {
	DatabaseURL string   `json:"database_url"`
	RedisURL    string   `json:"redis_url"`
	Workers     int      `json:"workers"`
	WarmUp      []string `json:"warm_up"` // article URLs to extract before the worker starts
}

// workerEvent is a line the worker process writes on its stdout: ready
// once the worker runs, crawl_done when the crawl:site task ended, and
// final after stdin closed and the worker stopped.
type workerEvent struct {
	Ready     bool            `json:"ready,omitempty"`
	CrawlDone bool            `json:"crawl_done,omitempty"`
	CrawlErr  string          `json:"crawl_err,omitempty"`
	CrawlTook time.Duration   `json:"crawl_took,omitempty"`
	Final     bool            `json:"final,omitempty"`
	Fetches   []time.Duration `json:"fetches,omitempty"`
	LastEnd   time.Time       `json:"last_end"`
	PeakHeap  uint64          `json:"peak_heap,omitempty"`
	PeakRSS   uint64          `json:"peak_rss,omitempty"`
	Err       string          `json:"err,omitempty"`
}

// RunCrawlWorker is the worker process of the crawl benchmark (`newsline
// bench crawl-worker`): it reads its setup from in, runs the asynq worker
// on the benchmark's database and Redis until in is closed, and reports on
// out, one JSON object per line. Its own memory is what the benchmark's
// worker_peak_rss and worker_peak_heap measure.
func RunCrawlWorker(ctx context.Context, in io.Reader, out io.Writer, logger *slog.Logger) error {
	r := bufio.NewReader(in)
	line, err := r.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("bench: crawl worker: read setup: %w", err)
	}
	var setup workerSetup
	if err := json.Unmarshal(line, &setup); err != nil {
		return fmt.Errorf("bench: crawl worker: setup: %w", err)
	}
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	emit := func(e workerEvent) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(e)
	}
	opts, err := redis.ParseURL(setup.RedisURL)
	if err != nil {
		return fmt.Errorf("bench: crawl worker: bad Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	db, err := store.Open(ctx, setup.DatabaseURL)
	if err != nil {
		return fmt.Errorf("bench: crawl worker: %w", err)
	}
	defer db.Close()
	if err := warmUpURLs(ctx, setup.WarmUp); err != nil {
		return err
	}

	heap := startHeapSampler()
	rec := &recorder{onCrawl: func(took time.Duration, err error) {
		e := workerEvent{CrawlDone: true, CrawlTook: took}
		if err != nil {
			e.CrawlErr = err.Error()
		}
		emit(e)
	}}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	workerDone := make(chan error, 1)
	go func() {
		workerDone <- jobs.RunWorker(wctx, rdb, jobs.WorkerConfig{
			Concurrency: setup.Workers, ShutdownTimeout: 10 * time.Second, Logger: logger,
			Middleware: []asynq.MiddlewareFunc{rec.middleware},
		}, benchHandlers(db, rdb, logger))
	}()
	emit(workerEvent{Ready: true})

	stdinClosed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, r); close(stdinClosed) }()
	var werr error
	select {
	case <-stdinClosed:
	case <-ctx.Done():
	case werr = <-workerDone:
		workerDone <- werr
	}
	stop()
	werr = <-workerDone
	final := workerEvent{Final: true, PeakHeap: heap(), PeakRSS: peakRSSOf("self")}
	rec.mu.Lock()
	final.Fetches, final.LastEnd = rec.fetches, rec.lastEnd
	rec.mu.Unlock()
	if werr != nil {
		final.Err = werr.Error()
	}
	emit(final)
	return werr
}

// benchHandlers builds the worker's task handlers as the production
// worker does (cmd/newsline, run.go), politeness off.
func benchHandlers(db *store.DB, rdb *redis.Client, logger *slog.Logger) *jobs.Handlers {
	return &jobs.Handlers{
		DB: db,
		// A nil Limiter turns politeness off.
		Crawler: crawler.New(crawler.Options{Limiter: nil, Logger: logger}),
		// Keywords are weighed against the stored corpus.
		Extractor: jobs.NewExtractor(db),
		Queue:     asynq.NewClientFromRedisClient(rdb),
		Logger:    logger,
	}
}

// warmUpURLs downloads and extracts pages, untimed: the language
// detector loads its models on first use.
func warmUpURLs(ctx context.Context, urls []string) error {
	client := &http.Client{Timeout: time.Minute}
	defer client.CloseIdleConnections()
	x := extract.New()
	for _, u := range urls {
		body, err := get(ctx, client, u)
		if err != nil {
			return fmt.Errorf("bench: crawl worker: warm up: %w", err)
		}
		if _, err := x.Extract(ctx, u, body); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// startHeapSampler samples the live heap every 50 ms and returns a
// function that stops sampling and returns the peak, in bytes.
func startHeapSampler() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	read := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			peak = max(peak, sample[0].Value.Uint64())
		}
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak
	}
}

// workerProcess is the parent's side of a running worker process.
type workerProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	events chan workerEvent // every event but the final one
	final  chan workerEvent // the final event, or a zero one if the process died
	done   chan error       // the process's exit
}

// startWorkerProcess starts cmd as the crawl worker and waits until it
// runs.
func startWorkerProcess(ctx context.Context, cmd *exec.Cmd, setup workerSetup) (*workerProcess, error) {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: worker process: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: worker process: %w", err)
	}
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start worker process: %w", err)
	}
	p := &workerProcess{cmd: cmd, stdin: stdin, events: make(chan workerEvent, 16),
		final: make(chan workerEvent, 1), done: make(chan error, 1)}
	go p.read(stdout)
	b, _ := json.Marshal(setup)
	if _, err := stdin.Write(append(b, '\n')); err != nil {
		return nil, errors.Join(fmt.Errorf("bench: worker process: %w", err), p.stop())
	}
	select {
	case e := <-p.events:
		if e.Ready {
			return p, nil
		}
		return nil, errors.Join(fmt.Errorf("bench: worker process: unexpected %+v", e), p.stop())
	case <-p.final:
		return nil, errors.Join(errors.New("bench: worker process ended before it was ready"), p.stop())
	case <-ctx.Done():
		return nil, errors.Join(ctx.Err(), p.stop())
	}
}

func (p *workerProcess) read(stdout io.Reader) {
	dec := json.NewDecoder(stdout)
	for {
		var e workerEvent
		if err := dec.Decode(&e); err != nil {
			p.final <- workerEvent{}
			p.done <- p.cmd.Wait()
			return
		}
		if e.Final {
			p.final <- e
			_, _ = io.Copy(io.Discard, stdout)
			p.done <- p.cmd.Wait()
			return
		}
		p.events <- e
	}
}

// peakRSS returns the worker process's peak RSS so far.
func (p *workerProcess) peakRSS() uint64 { return peakRSSOf(strconv.Itoa(p.cmd.Process.Pid)) }

// stop closes the worker's stdin, so it stops its worker and reports, and
// waits for it to exit.
func (p *workerProcess) stop() error {
	p.stdin.Close()
	select {
	case err := <-p.done:
		p.done <- err
		return err
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		return errors.New("bench: worker process did not stop within 30 s; killed")
	}
}
