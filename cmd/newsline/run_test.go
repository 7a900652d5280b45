package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRunCommandsKeepCachesLive starts each command that serves the API
// the way the command line does, and asks for a feed until one is answered
// from memory: the server keeps what it builds only while api.Server.Run
// listens for the database's notifications, so without Run in the
// command's start path no feed request is ever a cache hit.
func TestRunCommandsKeepCachesLive(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts the server, worker and scheduler")
	}
	for _, command := range []string{"serve", "all", "dev"} {
		t.Run(command, func(t *testing.T) {
			// One disabled site: the worker and scheduler of all and dev
			// have nothing to crawl, so no notification empties the cache.
			sites := filepath.Join(t.TempDir(), "sites.yaml")
			if err := os.WriteFile(sites, []byte("sites:\n  - host: disabled.example\n    enabled: false\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			e, _ := workerEnv(t, sites)
			e["NEWSLINE_HTTP_ADDR"] = "127.0.0.1:0"
			url, srv := startServing(t, e, command)
			deadline := time.Now().Add(30 * time.Second)
			for srv.FeedCacheHits() == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("no feed request was answered from memory within 30 s (%d built): is api.Server.Run running?", srv.FeedCacheMisses())
				}
				resp, err := http.Get(url + "feeds/latest.rss")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET /feeds/latest.rss: %s", resp.Status)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
