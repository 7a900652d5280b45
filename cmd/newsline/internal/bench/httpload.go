package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The HTTP benchmark's load generator: sets of keep-alive clients, each
// making one request after another for a warm-up and then a measured
// duration. It runs in the servers' process and shares their CPUs, so it
// is kept cheap: requests are made once and reused where they repeat,
// bodies are read into a buffer each client keeps, latencies go into
// slices kept from class to class.

// httpJob is one kind of request a set of clients makes.
type httpJob struct {
	clients int
	status  int // what every answer must be
	// request returns client c's next request and the length its body
	// must have (-1: any).
	request func(c *httpClient) (*http.Request, int64)
}

// httpClient is one client's state in a run.
type httpClient struct {
	id       int // within its job
	rng      *rand.Rand
	k        int             // requests made in this run
	reqs     []*http.Request // made on the first request of a run, then reused
	buf      []byte
	lat      []time.Duration // of the measured requests
	bytes    int64
	errors   int
	status5x int
	firstErr error
	end      time.Time
}

// loadGen runs jobs with a shared transport.
type loadGen struct {
	tr               http.RoundTripper
	warmup, duration time.Duration
	progress         func(Progress)
	seed             uint64
	runs             uint64
	clients          []*httpClient // kept from run to run
}

// newLoadTransport is the clients' transport: keep-alive connections for
// conns clients per server, and no gzip, so bodies come as they are.
func newLoadTransport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          4 * conns,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       2 * time.Minute,
		ResponseHeaderTimeout: time.Minute,
		DisableCompression:    true,
	}
}

// run runs the jobs at once, each with its clients, for the warm-up and
// then the measured duration, and returns each job's figures.
func (g *loadGen) run(ctx context.Context, phase string, jobs ...httpJob) []HTTPLoad {
	g.runs++
	total := 0
	for _, j := range jobs {
		total += j.clients
	}
	for len(g.clients) < total {
		g.clients = append(g.clients, &httpClient{buf: make([]byte, 64<<10), lat: make([]time.Duration, 0, 1<<14)})
	}
	start := time.Now()
	from := start.Add(g.warmup)
	until := from.Add(g.duration)
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	off := 0
	for ji := range jobs {
		j := &jobs[ji]
		for i := range j.clients {
			c := g.clients[off+i]
			*c = httpClient{id: i, rng: rand.New(rand.NewPCG(g.seed, g.runs<<32|uint64(off+i))), buf: c.buf, lat: c.lat[:0]}
			wg.Go(func() { c.loop(ctx, g.tr, j, from, until, &done, &failed) })
		}
		off += j.clients
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	report := func() {
		g.progress(Progress{Phase: phase, Done: int(done.Load()), Failed: int(failed.Load()), Elapsed: time.Since(start)})
	}
wait:
	for {
		select {
		case <-finished:
			break wait
		case <-tick.C:
			report()
		}
	}
	report()

	out := make([]HTTPLoad, len(jobs))
	off = 0
	var merged []time.Duration
	for ji, j := range jobs {
		l := &out[ji]
		l.Clients = j.clients
		merged = merged[:0]
		var end time.Time
		for _, c := range g.clients[off : off+j.clients] {
			merged = append(merged, c.lat...)
			l.Bytes += c.bytes
			l.Errors += c.errors
			l.Status5xx += c.status5x
			if c.firstErr != nil && l.FirstError == "" {
				l.FirstError = c.firstErr.Error()
			}
			if c.end.After(end) {
				end = c.end
			}
		}
		off += j.clients
		l.Requests = len(merged)
		l.Elapsed = end.Sub(from)
		l.P50, l.P99 = percentiles(merged)
	}
	return out
}

// loop makes requests until the run's end. Requests started during the
// warm-up are made but not measured; a failed one counts at any time.
func (c *httpClient) loop(ctx context.Context, tr http.RoundTripper, j *httpJob, from, until time.Time, done, failed *atomic.Int64) {
	for ctx.Err() == nil {
		start := time.Now()
		if !start.Before(until) {
			break
		}
		req, want := j.request(c)
		c.k++
		n, err := c.roundTrip(tr, req, j.status, want)
		d := time.Since(start)
		if err != nil {
			c.errors++
			if c.firstErr == nil {
				c.firstErr = err
			}
			failed.Add(1)
			continue
		}
		if !start.Before(from) {
			c.lat = append(c.lat, d)
			c.bytes += n
		}
		done.Add(1)
	}
	c.end = time.Now()
}

// roundTrip makes one request and reads the whole answer, which must have
// the status and (unless want < 0) the body length given.
func (c *httpClient) roundTrip(tr http.RoundTripper, req *http.Request, status int, want int64) (int64, error) {
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", req.URL.RequestURI(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		if resp.StatusCode >= 500 {
			c.status5x++
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		_, _ = io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("GET %s: status %d, want %d: %s", req.URL.RequestURI(), resp.StatusCode, status, bytes.TrimSpace(b))
	}
	// Read straight into the client's buffer: the body reader hands big
	// reads to the connection, a syscall per 64 KB.
	var n int64
	for {
		m, err := resp.Body.Read(c.buf)
		n += int64(m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, fmt.Errorf("GET %s: read the body: %w", req.URL.RequestURI(), err)
		}
	}
	if want >= 0 && n != want {
		return n, fmt.Errorf("GET %s: %d bytes of body, want %d", req.URL.RequestURI(), n, want)
	}
	return n, nil
}

// getRequest makes a GET of path and query on base's server.
func getRequest(ctx context.Context, base *url.URL, path, rawQuery string) *http.Request {
	u := *base
	u.Path, u.RawQuery = path, rawQuery
	req := &http.Request{Method: http.MethodGet, URL: &u, Host: u.Host, Header: http.Header{},
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	return req.WithContext(ctx)
}

// feedRequests fetches the feeds in turn, each client from its own place
// in the list, so both systems see the same sequence; conditional ones
// send the feed's ETag and want a 304.
func feedRequests(ctx context.Context, base *url.URL, feeds []servedFeed, clients int, conditional bool) httpJob {
	j := httpJob{clients: clients, status: http.StatusOK}
	if conditional {
		j.status = http.StatusNotModified
	}
	j.request = func(c *httpClient) (*http.Request, int64) {
		if c.reqs == nil {
			for _, f := range feeds {
				req := getRequest(ctx, base, f.path, "")
				if conditional {
					req.Header.Set("If-None-Match", f.etag)
				}
				c.reqs = append(c.reqs, req)
			}
		}
		i := (c.id + c.k) % len(feeds)
		if conditional {
			return c.reqs[i], 0
		}
		return c.reqs[i], int64(len(feeds[i].body))
	}
	return j
}

// articleRequests fetches random articles of the archive (ids 1 to
// articles) through the JSON API.
func articleRequests(ctx context.Context, base *url.URL, articles, clients int) httpJob {
	return httpJob{clients: clients, status: http.StatusOK, request: func(c *httpClient) (*http.Request, int64) {
		return getRequest(ctx, base, "/api/v1/articles/"+strconv.Itoa(1+c.rng.IntN(articles)), ""), -1
	}}
}

// searchRequests searches for random words of words through the JSON API.
func searchRequests(ctx context.Context, base *url.URL, words []string, clients int, uncached bool) httpJob {
	return httpJob{clients: clients, status: http.StatusOK, request: func(c *httpClient) (*http.Request, int64) {
		if uncached {
			// A weight of freshness no request has asked for before: the
			// same search's work, never a cached answer.
			w := words[c.rng.IntN(len(words))]
			r := strconv.FormatFloat(0.5+c.rng.Float64()*1e-6, 'f', 12, 64)
			return getRequest(ctx, base, "/api/v1/search", "q="+url.QueryEscape(w)+"&recency="+r), -1
		}
		if c.reqs == nil {
			for _, w := range words {
				c.reqs = append(c.reqs, getRequest(ctx, base, "/api/v1/search", "q="+url.QueryEscape(w)))
			}
		}
		return c.reqs[c.rng.IntN(len(c.reqs))], -1
	}}
}
