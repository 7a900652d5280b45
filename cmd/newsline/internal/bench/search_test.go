package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/internal/testenv"
)

// TestSearchBench runs the whole search benchmark on a tiny archive in a
// fresh database, then checks the archive against PostgreSQL itself.
func TestSearchBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads an archive into PostgreSQL")
	}
	ctx := t.Context()
	dbURL := testenv.DatabaseURL(t)
	cfg := SearchConfig{
		Articles: 2000, Seed: 1, Queries: 5, Vocabulary: 20_000,
		DatabaseURL: dbURL, UseDatabase: true, Explain: true,
	}
	res, err := Search(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 2000 || res.Load.Reused {
		t.Fatalf("articles %d, reused %v; want a fresh load of 2000", res.Articles, res.Load.Reused)
	}
	if res.Sizes.GIN <= 0 || res.Sizes.Table <= 0 || res.Load.Copy <= 0 {
		t.Errorf("sizes %+v, load %+v: want every figure", res.Sizes, res.Load)
	}
	ran := map[string]SearchClassResult{}
	for _, c := range res.Classes {
		ran[c.Class] = c
	}
	for _, class := range SearchClasses() {
		c, ok := ran[class]
		if !ok {
			t.Errorf("class %s did not run", class)
			continue
		}
		if c.Newsline.N != 5 || c.Naive.N+c.NaiveSkipped != 5 {
			t.Errorf("class %s: %d newsline and %d+%d naive queries, want 5 each", class, c.Newsline.N, c.Naive.N, c.NaiveSkipped)
		}
		if (class == "rare" || class == "common" || class == "phrase") && (c.NewslineEmpty > 0 || c.NaiveEmpty > 0) {
			t.Errorf("class %s: %d newsline and %d naive queries found nothing (e.g. %s)", class, c.NewslineEmpty, c.NaiveEmpty, c.Example)
		}
	}
	if len(res.Explains) == 0 || len(res.Explains[0].Plans) == 0 {
		t.Errorf("explain captured no plans: %+v", res.Explains)
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// The vector COPY supplied is the one PostgreSQL computes, on a sample
	// of every language.
	var sampled, differ int
	err = conn.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE search IS DISTINCT FROM
			setweight(to_tsvector(ts_config, title), 'A') ||
			setweight(to_tsvector(ts_config, excerpt), 'B') ||
			setweight(to_tsvector(ts_config, body_text), 'C'))
		FROM articles WHERE id % 4 = 0`).Scan(&sampled, &differ)
	if err != nil {
		t.Fatal(err)
	}
	if sampled != 500 || differ != 0 {
		t.Errorf("%d of %d sampled articles have a search vector PostgreSQL would not compute", differ, sampled)
		var id int64
		var got, want string
		if err := conn.QueryRow(ctx, `
			SELECT id, search::text, (setweight(to_tsvector(ts_config, title), 'A') ||
				setweight(to_tsvector(ts_config, excerpt), 'B') || setweight(to_tsvector(ts_config, body_text), 'C'))::text
			FROM articles WHERE search IS DISTINCT FROM setweight(to_tsvector(ts_config, title), 'A') ||
				setweight(to_tsvector(ts_config, excerpt), 'B') || setweight(to_tsvector(ts_config, body_text), 'C')
			LIMIT 1`).Scan(&id, &got, &want); err == nil {
			t.Logf("article %d\n got %.600s\nwant %.600s", id, got, want)
		}
	}
	var langs, authors, sites, indexes int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(DISTINCT ts_config) FROM articles), (SELECT count(*) FROM article_authors),
		(SELECT count(*) FROM sites), (SELECT count(*) FROM pg_indexes WHERE tablename = 'articles')`).Scan(&langs, &authors, &sites, &indexes)
	if err != nil {
		t.Fatal(err)
	}
	if langs != 4 || authors < 2000 || sites != 50 || indexes < 10 {
		t.Errorf("%d languages, %d author links, %d sites, %d indexes on articles; want 4, ≥2000, 50, ≥10", langs, authors, sites, indexes)
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, m := range res.Metrics() {
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
	}
	classes := map[string]bool{}
	for line := range bytes.Lines(buf.Bytes()) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		for _, k := range []string{"bench", "system", "metric", "value", "unit", "class"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: no %q", line, k)
			}
		}
		if m["bench"] != "search" {
			t.Errorf("%s: bench is not search", line)
		}
		classes[m["class"].(string)] = true
	}
	for _, c := range append(SearchClasses(), "load") {
		if !classes[c] {
			t.Errorf("no --json line for class %s", c)
		}
	}

	// A second run reuses the loaded archive.
	cfg.Seed, cfg.Articles, cfg.Explain = 7, 10, false
	again, err := Search(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Load.Reused || again.Articles != 2000 || again.Seed != 1 {
		t.Errorf("second run: reused %v, %d articles, seed %d; want the first run's archive", again.Load.Reused, again.Articles, again.Seed)
	}
}

// BenchmarkSearchGenerate measures making one article of the search
// archive (text, HTML and search vector, written as a binary COPY row), the
// Go side of the load.
func BenchmarkSearchGenerate(b *testing.B) {
	ctx := b.Context()
	conn, err := pgx.Connect(ctx, testenv.DatabaseURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	vocabs, err := newSearchVocab(ctx, conn, 1, DefaultSearchVocabulary)
	if err != nil {
		b.Fatal(err)
	}
	l := &searchLoader{vocabs: vocabs, regcfg: make([]uint32, len(vocabs)), authorID: make([]int64, searchSites*searchAuthorsPerSite)}
	for i := range searchSites {
		l.siteIDs, l.siteNames = append(l.siteIDs, int64(i+1)), append(l.siteNames, searchSiteHost(i))
	}
	s := &copyStream{l: l, gen: newSearchGen(1, 1_000_000, vocabs, newZipfTable(DefaultSearchVocabulary, searchZipfS))}
	var row []byte
	n := 0
	for b.Loop() {
		row = s.appendRow(row[:0], n%1_000_000)
		s.links = s.links[:0]
		n++
	}
	b.SetBytes(int64(len(row)))
}
