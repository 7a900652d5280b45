package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
	"github.com/newsline/newsline/internal/testenv"
)

// TestBenchReextract runs `newsline bench reextract` on a tiny archive and
// checks the shape of its output, not its figures.
func TestBenchReextract(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end benchmark")
	}
	e := env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t)}
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "reextract", "--articles", "20", "--workers", "2", "--batch", "6", "--json"}
	if code := Main(context.Background(), args, &stdout, &stderr, e.lookup); code != 0 {
		t.Fatalf("newsline %s exited %d:\n%s", strings.Join(args, " "), code, stderr.String())
	}
	got := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var m bench.Metric
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if m.Bench != "reextract" || m.Unit == "" {
			t.Errorf("bad metric %+v", m)
		}
		got[m.System+"/"+m.Metric] = m.Value
	}
	if got["newsline/articles"] != 20 || got["newsline/changed_bodies"] != 20 || got["newsline/errors"] != 0 {
		t.Errorf("want 20 articles re-extracted, all changed, none failed: %v", got)
	}
	for _, k := range []string{"newsline/articles_per_s", "newsline/cpu_per_article", "extract-only/pages_per_s", "newsline/ratio"} {
		if got[k] <= 0 {
			t.Errorf("%s = %v, want > 0", k, got[k])
		}
	}
	if code, out := run(t, env{}, "bench", "reextract", "--articles", "0"); code != 2 {
		t.Errorf("--articles 0: exit %d\n%s", code, out)
	}
}
