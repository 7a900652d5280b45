package main

import (
	"compress/gzip"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
)

// TestNginxServesNewsline runs nginx with deploy/nginx.conf (moved to
// loopback ports and a temporary folder) in front of a real Newsline
// server, and checks what the config promises: HTTP redirects to HTTPS,
// feeds are cached and an expired one is revalidated with its ETag,
// responses are gzipped, audio files come from the folder, and the probes
// stay private. A proxy between nginx and the server adds one feed with a
// one-second max-age, so revalidation is seen without waiting a minute.
func TestNginxServesNewsline(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts nginx and a server")
	}
	nginx := needTool(t, "nginx", "/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin")
	e, db := workerEnv(t, "")
	site := testenv.SeedSite(t, db, "news.example")
	for i := range 30 {
		testenv.SeedArticle(t, db, site, newsline.Article{URL: fmt.Sprintf("https://news.example/a/%d", i),
			Title: fmt.Sprintf("Story number %d", i), Text: strings.Repeat(fmt.Sprintf("Sentence %d of a story. ", i), 40),
			Language: "en", TSConfig: "english", Kind: "article", Completeness: 0.9})
	}
	e["NEWSLINE_HTTP_ADDR"] = freeAddr(t)
	runInProcess(t, e, "serve")
	if code, out := waitReady(t, e); code != 0 {
		t.Fatalf("server not ready: %s", out)
	}
	serverURL, _ := url.Parse("http://" + e["NEWSLINE_HTTP_ADDR"])
	var revalidations, fullAnswers atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(serverURL)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feeds/short.rss" {
			proxy.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=1")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			revalidations.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fullAnswers.Add(1)
		_, _ = io.WriteString(w, "<rss></rss>")
	}))
	defer upstream.Close()

	dir := t.TempDir()
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	conf := nginxTestConfig(t, dir, strings.TrimPrefix(upstream.URL, "http://"), map[string]string{
		"listen 80;": "listen " + httpAddr + ";", "listen [::]:80;": "",
		"listen 443 ssl http2;": "listen " + httpsAddr + " ssl http2;", "listen [::]:443 ssl http2;": "",
	})
	startNginx(t, nginx, dir, conf, httpsAddr)
	if err := os.WriteFile(filepath.Join(dir, "audio", "1.mp3"), []byte("ID3 not really"), 0o644); err != nil {
		t.Fatal(err)
	}

	noRedirect := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp := mustGet(t, noRedirect, "http://"+httpAddr+"/feeds/latest.rss?x=1", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "https://") || !strings.HasSuffix(loc, "/feeds/latest.rss?x=1") {
		t.Errorf("HTTP: %s Location %q, want a 301 to the same path on https", resp.Status, loc)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DisableCompression: true}} // the test's own certificate
	base := "https://" + httpsAddr
	for i, want := range []string{"MISS", "HIT"} {
		resp := mustGet(t, client, base+"/feeds/latest.rss", nil)
		if got := resp.Header.Get("X-Cache-Status"); resp.StatusCode != http.StatusOK || got != want || resp.Header.Get("ETag") == "" {
			t.Errorf("feed request %d: %s, X-Cache-Status %q, want 200 %s with the ETag", i+1, resp.Status, got, want)
		}
	}
	mustGet(t, client, base+"/feeds/short.rss", nil)
	// nginx counts max-age in whole seconds: ask until the copy has expired
	// and been revalidated, which proxy_cache_background_update does after
	// answering with the stale copy.
	var seen []string
	for deadline := time.Now().Add(10 * time.Second); revalidations.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		seen = append(seen, mustGet(t, client, base+"/feeds/short.rss", nil).Header.Get("X-Cache-Status"))
	}
	t.Logf("expired feed: X-Cache-Status %q; upstream answered %d full, %d 304", seen, fullAnswers.Load(), revalidations.Load())
	if revalidations.Load() == 0 || fullAnswers.Load() != 1 {
		t.Errorf("expired feed: %d conditional requests and %d full ones upstream (X-Cache-Status %q); want it revalidated with If-None-Match", revalidations.Load(), fullAnswers.Load(), seen)
	}
	resp = mustGet(t, client, base+"/api/v1/articles?limit=30", map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("/api/v1/articles: Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
	} else if zr, err := gzip.NewReader(strings.NewReader(resp.body)); err != nil {
		t.Errorf("/api/v1/articles: %v", err)
	} else if b, _ := io.ReadAll(zr); !strings.Contains(string(b), "Story number") {
		t.Errorf("/api/v1/articles: no articles in %.200s", b)
	}
	if resp := mustGet(t, client, base+"/audio/1.mp3", nil); resp.StatusCode != http.StatusOK || resp.body != "ID3 not really" {
		t.Errorf("/audio/1.mp3: %s %q", resp.Status, resp.body)
	}
	for _, p := range []string{"/readyz", "/healthz"} {
		if resp := mustGet(t, client, base+p, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s through nginx: %s, want 404", p, resp.Status)
		}
	}
}

type fetched struct {
	*http.Response
	body string
}

func mustGet(t *testing.T, c *http.Client, u string, header map[string]string) fetched {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return fetched{resp, string(b)}
}

// startNginx runs nginx in the foreground as one process until the test
// ends, and waits until addr accepts connections.
func startNginx(t *testing.T, nginx, dir, conf, addr string) {
	t.Helper()
	raw, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	// One process, as the user running the test: no workers to drop
	// privileges to a user who cannot read the temporary folder.
	if err := os.WriteFile(conf, append([]byte("master_process off;\n"), raw...), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", conf, "-e", dir+"/logs/error.log")
	out, err := os.Create(filepath.Join(dir, "logs", "nginx.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		_ = cmd.Wait()
		out.Close()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
			t.Logf("nginx error.log:\n%s", tail(string(log), 4000))
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
			t.Fatalf("nginx did not listen on %s:\n%s", addr, log)
		}
	}
}
