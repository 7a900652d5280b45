package testsite

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Request is one access-log entry.
type Request struct {
	Method    string
	Path      string // path including query, as requested
	Status    int
	UserAgent string
	Time      time.Time // when the request arrived
	// Conditional reports that the request carried If-None-Match or
	// If-Modified-Since, i.e. the client revalidated a cached copy.
	Conditional bool
}

// Server serves a generated Site on a loopback TCP port and logs every
// request. The embedded Site's Handler does not log; the server wraps it.
type Server struct {
	*Site
	URL  string // "http://127.0.0.1:PORT"
	Host string // "127.0.0.1:PORT"

	srv  *http.Server
	done chan struct{}

	closeOnce sync.Once
	closeErr  error

	mu  sync.Mutex
	log []Request
}

// Start generates the site for cfg and serves it on 127.0.0.1 with a random
// free port.
func Start(cfg Config) (*Server, error) {
	site := Generate(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		Site: site,
		Host: ln.Addr().String(),
		done: make(chan struct{}),
	}
	s.URL = "http://" + s.Host
	s.srv = &http.Server{
		Handler:           s.logRequests(site.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// Close stops the server and closes all connections. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.srv.Close()
		<-s.done
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = err
		}
	})
	return s.closeErr
}

// Requests returns a copy of the access log, in the order responses were
// started.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// Hits returns the number of logged requests whose Path starts with
// pathPrefix.
func (s *Server) Hits(pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests clears the access log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

func (s *Server) record(e Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
}

// logRequests wraps h so that each request is logged as soon as its status
// is known — before any byte of the response reaches the client, so a client
// that has received a response always finds it in the log.
func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lw := &logWriter{ResponseWriter: w}
		entry := Request{
			Method:    r.Method,
			Path:      r.URL.RequestURI(),
			UserAgent: r.UserAgent(),
			Time:      time.Now(),
			Conditional: r.Header.Get("If-None-Match") != "" ||
				r.Header.Get("If-Modified-Since") != "",
		}
		lw.record = func(status int) {
			entry.Status = status
			s.record(entry)
		}
		defer lw.ensureLogged()
		h.ServeHTTP(lw, r)
	})
}

// logWriter reports the final status code once.
type logWriter struct {
	http.ResponseWriter
	record func(status int)
	logged bool
}

func (w *logWriter) log(status int) {
	if !w.logged {
		w.logged = true
		w.record(status)
	}
}

func (w *logWriter) ensureLogged() { w.log(http.StatusOK) }

func (w *logWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.log(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.log(http.StatusOK)
	return w.ResponseWriter.Write(p)
}

// Flush supports streaming handlers.
func (w *logWriter) Flush() {
	w.log(http.StatusOK)
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
