package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/devenv"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// primaryAndReplica starts a private PostgreSQL primary (migrated) and a
// streaming replica of it on loopback, as `newsline dev` starts its
// server, and returns them with the primary's Redis.
func primaryAndReplica(t *testing.T) (*devenv.Env, *devenv.Replica, *store.DB) {
	t.Helper()
	if _, err := devenv.FindPostgres(); err != nil {
		t.Skipf("skipping: %v", err)
	}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			t.Skip("skipping: running as root and there is no postgres user to run PostgreSQL as")
		}
	}
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil { // the postgres user must get through
			t.Fatal(err)
		}
	}
	ports := freePortNumbers(t, 3)
	ctx := context.Background()
	env, err := devenv.Start(ctx, devenv.Options{Dir: filepath.Join(dir, "p"), PGPort: ports[0], RedisPort: ports[1]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop(context.Background()) })
	db, err := store.Open(ctx, env.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := env.StartReplica(ctx, filepath.Join(dir, "r"), ports[2])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rep.Stop(context.Background()) })
	return env, rep, db
}

func freePortNumbers(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// TestServeReadsFromTheReplica runs `newsline serve` against a primary and
// a streaming replica whose replay is paused: a row written since is not
// seen by an anonymous reader (the replica serves it), is seen by the
// client that wrote (its reads go to the primary), and is seen by everyone
// once the replica is stopped (reads fall back to the primary).
func TestServeReadsFromTheReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	env, rep, db := primaryAndReplica(t)
	ctx := context.Background()
	addr := freeAddr(t)
	runInProcess(t, env2(env, rep, addr), "serve")
	base := "http://" + addr

	site := testenv.SeedSite(t, db, "replica.example")
	before := seedNamed(t, db, site, "before")
	waitFor(t, "the replica to be ready and in step", func() bool {
		var ready ReadyJSONProbe
		code := getJSONStatus(t, base+"/readyz", nil, &ready)
		return code == http.StatusOK && ready.Checks["replica"] == store.ReplicaOK &&
			status(t, base+"/api/v1/articles/"+strconv.FormatInt(before, 10), nil) == http.StatusOK
	})

	pauseReplay(t, ctx, rep.DatabaseURL)
	after := seedNamed(t, db, site, "after")
	afterURL := base + "/api/v1/articles/" + strconv.FormatInt(after, 10)
	if got := status(t, afterURL, nil); got != http.StatusNotFound {
		t.Fatalf("anonymous GET of an article the replica has not replayed: %d, want 404 (read from the replica)", got)
	}

	// A reader bookmarks the new article: its own reads go to the primary.
	u, err := db.CreateUser(ctx, store.NewUser{Name: "reader", Email: "r@example.org", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	auth := http.Header{"Authorization": {"Bearer " + token}}
	req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/me/bookmarks/"+strconv.FormatInt(after, 10), nil)
	req.Header = auth.Clone()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("PUT bookmark: %d", res.StatusCode)
	}
	var wrote *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "newsline_wrote" {
			wrote = c
		}
	}
	if wrote == nil || wrote.MaxAge != 60 {
		t.Errorf("the write's answer sets no newsline_wrote cookie lasting the max lag: %v", res.Cookies())
	}
	var marks struct {
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
	}
	if code := getJSONStatus(t, base+"/api/v1/me/bookmarks", auth, &marks); code != http.StatusOK || len(marks.Articles) != 1 || marks.Articles[0].ID != after {
		t.Errorf("the writer's bookmarks: %d %+v, want the article it just bookmarked", code, marks)
	}
	if got := status(t, afterURL, auth); got != http.StatusOK {
		t.Errorf("the writer's GET of the new article: %d, want 200 (read from the primary)", got)
	}
	if got := status(t, afterURL, http.Header{"Cookie": {"newsline_wrote=1"}}); got != http.StatusOK {
		t.Errorf("GET with the newsline_wrote cookie: %d, want 200 (read from the primary)", got)
	}
	if got := status(t, afterURL, nil); got != http.StatusNotFound {
		t.Errorf("anonymous GET after the write: %d, want 404 (still the paused replica)", got)
	}

	// The replica stops: reads fall back to the primary at once.
	if err := rep.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := status(t, afterURL, nil); got != http.StatusOK {
		t.Errorf("anonymous GET with the replica down: %d, want 200 from the primary", got)
	}
	waitFor(t, "/readyz to report the replica unavailable", func() bool {
		var ready ReadyJSONProbe
		code := getJSONStatus(t, base+"/readyz", nil, &ready)
		return code == http.StatusOK && ready.Ready && ready.Checks["replica"] == store.ReplicaUnavailable
	})
}

// TestReplicaTooFarBehindIsNotRead checks the lag check: a replica whose
// replay is paused while the primary moves on falls behind the max lag,
// and reads that allow it go to the primary.
func TestReplicaTooFarBehindIsNotRead(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	env, rep, db := primaryAndReplica(t)
	ctx := context.Background()
	routed, err := store.Open(ctx, env.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer routed.Close()
	if err := routed.OpenReplica(ctx, rep.DatabaseURL, 300*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	site := testenv.SeedSite(t, db, "lag.example")
	waitFor(t, "the replica to be in step", func() bool {
		st, _ := routed.ReplicaStatus()
		_, err := routed.Site(store.AllowReplica(ctx), site.Host)
		return st == store.ReplicaOK && err == nil
	})
	replica := pauseReplay(t, ctx, rep.DatabaseURL)
	id := seedNamed(t, db, site, "unreplayed")
	waitFor(t, "the replica to be reported lagging", func() bool {
		st, lag := routed.ReplicaStatus()
		return st == store.ReplicaLagging && lag > 300*time.Millisecond
	})
	if _, err := routed.Article(store.AllowReplica(ctx), id); err != nil {
		t.Errorf("a read allowed on a lagging replica: %v, want the primary's row", err)
	}
	if _, err := replica.Article(ctx, id); err == nil {
		t.Errorf("the paused replica has the row: the test proves nothing")
	}
	if _, err := replica.Pool.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the replica to catch up", func() bool {
		st, _ := routed.ReplicaStatus()
		return st == store.ReplicaOK
	})
}

// ReadyJSONProbe is the part of /readyz's answer the tests read.
type ReadyJSONProbe struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
}

func env2(e *devenv.Env, rep *devenv.Replica, addr string) env {
	return env{
		"NEWSLINE_DATABASE_URL": e.DatabaseURL, "NEWSLINE_READ_DATABASE_URL": rep.DatabaseURL,
		"NEWSLINE_READ_MAX_LAG": "1m", "NEWSLINE_REDIS_URL": e.RedisURL, "NEWSLINE_HTTP_ADDR": addr,
		"NEWSLINE_LOG_LEVEL": "warn", "NEWSLINE_LOG_FORMAT": "text", "NEWSLINE_PODCAST": "false",
	}
}

func seedNamed(t *testing.T, db *store.DB, site newsline.Site, name string) int64 {
	t.Helper()
	published := time.Now().Add(-time.Hour)
	return testenv.SeedArticle(t, db, site, newsline.Article{
		URL: fmt.Sprintf("https://%s/%s", site.Host, name), Title: "Article " + name,
		Text: "The article called " + name + " has words enough to be stored.", Language: "en",
		PublishedAt: &published,
	})
}

func status(t *testing.T, u string, h http.Header) int {
	t.Helper()
	return getJSONStatus(t, u, h, nil)
}

func getJSONStatus(t *testing.T, u string, h http.Header, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h != nil {
		req.Header = h.Clone()
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	if v != nil {
		_ = json.NewDecoder(res.Body).Decode(v)
	}
	return res.StatusCode
}

// waitFor polls cond every 100 ms for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
	}
}

// pauseReplay connects to the replica at url and pauses its replay of the
// primary's WAL, so what the primary writes next is not on the replica;
// the connection closes at the end of the test.
func pauseReplay(t *testing.T, ctx context.Context, url string) *store.DB {
	t.Helper()
	replica, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(replica.Close)
	if _, err := replica.Pool.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	return replica
}
