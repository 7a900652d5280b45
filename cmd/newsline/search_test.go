package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestCLISearchCountsAndJSON: the CLI says how many articles match in
// words, and --json prints what the API answers.
func TestCLISearchCountsAndJSON(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.MigratedDatabaseURL(t)
	e := env{"NEWSLINE_DATABASE_URL": url, "NEWSLINE_LOG_LEVEL": "warn"}
	if code, out := run(t, e, "migrate", "up"); code != 0 {
		t.Fatal(out)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	site, _, err := db.UpsertSite(ctx, newsline.Site{Host: "news.example", Name: "News", Schedule: "@hourly", MaxPages: 10, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 51 {
		u := fmt.Sprintf("https://news.example/story-%d", i)
		db.AddURLs(ctx, site.ID, []string{u})
		p, _ := db.PendingURLs(ctx, site.ID, 1)
		pub := time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC)
		text := "The harbour reopened after repairs."
		if i == 7 {
			text += " The lighthouse keeper waved."
		}
		if _, err := db.SaveArticle(ctx, p[0].ID, &newsline.Article{SiteID: site.ID, URL: u, CanonicalURL: u,
			Title: fmt.Sprintf("Story %d", i), Text: text, Authors: []string{"Jane Doe"}, Section: "World", Summary: "Repairs.",
			PublishedAt: &pub, FetchedAt: pub}, store.FetchInfo{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"search", "harbour"}, "\n51 matching articles\n"},
		{[]string{"search", "harbour", "--sort", "date"}, "\n51 matching articles\n"},
		{[]string{"search", "lighthouse"}, "\n1 matching article\n"},
		{[]string{"search", "harbour", "--author", "jane-doe", "--section", "world"}, "\n51 matching articles\n"},
		{[]string{"search", "harbour", "--author", "Jane Do"}, "did you mean jane-doe?"},
		{[]string{"sites", "list"}, "NEWEST ARTICLE"},
		{[]string{"sites", "list"}, "51"},
	} {
		if _, out := run(t, e, tt.args...); !strings.Contains(out, tt.want) {
			t.Errorf("newsline %s: output lacks %q:\n%s", strings.Join(tt.args, " "), tt.want, out)
		}
	}

	// --json: the API's answer to the same search (recency 0, so the
	// ranks do not move with the clock between the two).
	code, out := run(t, e, "search", "harbour", "--json", "--recency", "0", "-n", "5")
	if code != 0 {
		t.Fatal(out)
	}
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/search?q=harbour&recency=0&limit=5")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var cli, fromAPI map[string]any
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if err := json.Unmarshal(body, &fromAPI); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cli, fromAPI) || cli["total"] != 51.0 || len(cli["results"].([]any)) != 5 {
		t.Fatalf("--json:\n%s\nAPI:\n%s", out, body)
	}
}
