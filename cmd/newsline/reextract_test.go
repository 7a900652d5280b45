package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// TestCLIReextract crawls a test site, makes some articles look made by
// an older extractor, and runs `newsline reextract` over them: the dry
// run, the filters, the run, the run with nothing to do, and --queue.
func TestCLIReextract(t *testing.T) {
	ctx := context.Background()
	site, _, _ := setup(t, 12, "0s")
	e := env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t), "NEWSLINE_LOG_LEVEL": "error",
		"NEWSLINE_REDIS_URL": testenv.RedisURL(t)}
	if code, out := run(t, e, "migrate", "up"); code != 0 {
		t.Fatal(out)
	}
	db, err := store.Open(ctx, e["NEWSLINE_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := db.UpsertSite(ctx, newsline.Site{Host: site.Host, Name: "Test site", StartURLs: []string{site.URL + "/"},
		Feeds: []string{site.URL + "/feed.xml"}, Schedule: "@hourly", MaxPages: 200, Enabled: true, AllowPrivate: true}); err != nil {
		t.Fatal(err)
	}
	if code, out := run(t, e, "crawl", site.Host); code != 0 {
		t.Fatalf("crawl: exit %d\n%s", code, out)
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	stale := func(cond string) int {
		t.Helper()
		tag, err := db.Pool.Exec(ctx, `UPDATE articles SET extractor_version = 0, body_text = 'old', content_hash = '\x00'::bytea,
			kind = 'stub' WHERE `+cond)
		if err != nil {
			t.Fatal(err)
		}
		return int(tag.RowsAffected())
	}
	k := stale(`id % 3 = 0`)
	if k == 0 {
		t.Fatal("no article to make stale")
	}

	for _, bad := range [][]string{{"--kind", "nope"}, {"--dry-run", "--queue"}, {"--since", "yesterday"}, {"--site", "nowhere.example"}} {
		if code, out := run(t, e, append([]string{"reextract"}, bad...)...); code == 0 {
			t.Errorf("reextract %v: exit 0\n%s", bad, out)
		}
	}
	code, out := run(t, e, "reextract", "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run: nothing was written") || !strings.Contains(out, "re-extracting [") ||
		!containsRow(out, "pages", k) || !containsRow(out, "changed bodies", k) || !containsRow(out, "changed kinds", k) {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if got := count(`SELECT count(*) FROM articles WHERE extractor_version = 0 AND body_text = 'old'`); got != k {
		t.Errorf("the dry run wrote: %d of %d stale articles left", got, k)
	}
	if code, out := run(t, e, "reextract", "--kind", "gallery", "--since", "2020-01-01"); code != 0 || !containsRow(out, "pages", 0) {
		t.Errorf("--kind gallery: exit %d\n%s", code, out)
	}
	code, out = run(t, e, "reextract", "--site", site.Host, "--kind", "stub", "--batch", "2")
	if code != 0 || !containsRow(out, "pages", k) || !containsRow(out, "changed bodies", k) || !containsRow(out, "errors", 0) {
		t.Errorf("reextract: exit %d\n%s", code, out)
	}
	if got := count(`SELECT count(*) FROM articles WHERE extractor_version = 0 OR body_text = 'old' OR kind = 'stub'`); got != 0 {
		t.Errorf("%d articles not re-extracted", got)
	}
	if code, out := run(t, e, "reextract"); code != 0 || !containsRow(out, "pages", 0) {
		t.Errorf("second run: exit %d\n%s", code, out)
	}

	k = stale(`true`)
	code, out = run(t, e, "reextract", "--queue", "--batch", "5")
	want := (k + 4) / 5
	if code != 0 || !strings.Contains(out, "queued "+strconv.Itoa(want)+" reextract:batch tasks ("+strconv.Itoa(k)+" articles) on the reextract queue") {
		t.Fatalf("--queue: exit %d\n%s", code, out)
	}
	opts, err := redis.ParseURL(e["NEWSLINE_REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: opts.Addr, DB: opts.DB, Password: opts.Password})
	defer insp.Close()
	info, err := insp.GetQueueInfo(jobs.QueueReextract)
	if err != nil || info.Pending != want {
		t.Errorf("reextract queue: %+v (err %v), want %d pending", info, err, want)
	}
}

// containsRow reports whether a summary printed by tabwriter has the row
// "label  n".
func containsRow(out, label string, n int) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.Join(f[:len(f)-1], " ") == label && f[len(f)-1] == strconv.Itoa(n) {
			return true
		}
	}
	return false
}
