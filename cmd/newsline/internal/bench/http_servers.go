package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/newsline/newsline/api"
)

// newHTTPServer configures a server as `newsline serve` does
// (cmd/newsline/run.go).
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

// loopbackServer is an http.Server on a loopback port.
type loopbackServer struct {
	base string   // http://127.0.0.1:port
	url  *url.URL // base
	srv  *http.Server
	done chan error
}

// serveLoopback listens on a loopback port and serves what handler makes
// for the server's base URL.
func serveLoopback(handler func(base string) http.Handler) (*loopbackServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listen: %w", err)
	}
	u := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	s := &loopbackServer{base: u.String(), url: u, srv: newHTTPServer(handler(u.String())), done: make(chan error, 1)}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.done <- fmt.Errorf("bench: http server: %w", err)
		}
		close(s.done)
	}()
	return s, nil
}

func (s *loopbackServer) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(s.srv.Shutdown(ctx), <-s.done)
}

// newslineServer is the server under test: Newsline's handler, with Run
// listening for the database's notifications so that feeds stay in memory.
type newslineServer struct {
	*loopbackServer
	api     *api.Server
	cancel  context.CancelFunc
	runDone chan error
}

func startNewsline(ctx context.Context, a *archive, logger *slog.Logger) (*newslineServer, error) {
	s := &newslineServer{runDone: make(chan error, 1)}
	ls, err := serveLoopback(func(base string) http.Handler {
		s.api = &api.Server{DB: a.db, Logger: logger, BaseURL: base}
		return s.api.Handler()
	})
	if err != nil {
		return nil, err
	}
	s.loopbackServer = ls
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	go func() { s.runDone <- s.api.Run(rctx) }()
	return s, nil
}

func (s *newslineServer) stop() error {
	err := s.loopbackServer.stop()
	s.cancel()
	return errors.Join(err, <-s.runDone)
}

// servedFeed is a feed as Newsline served it: what the baseline answers.
type servedFeed struct {
	path      string
	body      []byte
	etag      string
	header    http.Header // of a 200, as Newsline sent it but for Date
	header304 http.Header // of a 304
}

// fetchFeeds fetches every feed until all are kept in memory: Run has to
// be listening before a feed built is kept.
func (s *newslineServer) fetchFeeds(ctx context.Context, tr http.RoundTripper, paths []string) ([]servedFeed, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out []servedFeed
		for _, p := range paths {
			f, err := fetchFeed(ctx, tr, s.base, p)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		if entries, _ := s.api.FeedCacheStats(); entries >= len(paths) {
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, errors.New("bench: Newsline kept no feed in memory after 30 s: is Server.Run listening?")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func fetchFeed(ctx context.Context, tr http.RoundTripper, base, path string) (servedFeed, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return servedFeed{}, fmt.Errorf("bench: %w", err)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return servedFeed{}, fmt.Errorf("bench: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return servedFeed{}, fmt.Errorf("bench: GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" || resp.Header.Get("Content-Encoding") != "" {
		return servedFeed{}, fmt.Errorf("bench: GET %s: status %d, ETag %q, Content-Encoding %q: want 200, an ETag and an identity body: %.200s",
			path, resp.StatusCode, resp.Header.Get("ETag"), resp.Header.Get("Content-Encoding"), body)
	}
	f := servedFeed{path: path, body: body, etag: resp.Header.Get("ETag"), header: resp.Header.Clone(), header304: resp.Header.Clone()}
	f.header.Del("Date") // net/http adds its own
	f.header304.Del("Date")
	f.header304.Del("Content-Type")
	f.header304.Del("Content-Length")
	return f, nil
}

// startStatic serves the baseline.
func startStatic(feeds []servedFeed) (*loopbackServer, error) {
	byPath := make(staticFeeds, len(feeds))
	for i := range feeds {
		byPath[feeds[i].path] = &feeds[i]
	}
	return serveLoopback(func(string) http.Handler { return byPath })
}

// staticFeeds is the baseline's handler: each feed's bytes and headers
// from memory, and a 304 when If-None-Match is its ETag as a plain string.
type staticFeeds map[string]*servedFeed

func (s staticFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s[r.RequestURI]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if r.Header.Get("If-None-Match") == f.etag {
		for k, v := range f.header304 {
			h[k] = v
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for k, v := range f.header {
		h[k] = v
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.body)
}
