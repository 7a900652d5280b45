package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// saveStep is one fetched page of a scenario.
type saveStep struct {
	name, site, url, canonical, text string
	authors                          []string
}

// request makes the SaveRequest of step s, adding its URL to the site.
func (s saveStep) request(t *testing.T, db *store.DB, sites map[string]newsline.Site) store.SaveRequest {
	t.Helper()
	site := sites[s.site]
	id := testenv.SeedURL(t, db, site, s.url)
	sum := sha256.Sum256([]byte(s.text))
	return store.SaveRequest{
		URLID: id,
		Article: &newsline.Article{SiteID: site.ID, URL: s.url, CanonicalURL: s.canonical, Title: s.name, Text: s.text,
			WordCount: len(strings.Fields(s.text)), Authors: s.authors, Language: "en",
			Terms: strings.Fields(strings.ToLower(s.name)), FetchedAt: time.Now()},
		Fetch: store.FetchInfo{HTTPStatus: 200, ContentHash: sum[:], SimHash: extract.SimHash(s.text), RawHTML: []byte("<p>" + s.text)},
	}
}

// archive summarizes what a database holds after a scenario.
func archive(t *testing.T, db *store.DB) string {
	t.Helper()
	var s string
	err := db.Pool.QueryRow(context.Background(), `SELECT format('articles=%s revisions=%s aliases=%s links=%s authors=%s fetched=%s docs=%s',
		(SELECT count(*) FROM articles), (SELECT sum(revisions) FROM articles),
		(SELECT count(*) FROM urls u JOIN articles a ON a.id = u.article_id WHERE a.url <> u.url),
		(SELECT count(*) FROM article_authors), (SELECT count(*) FROM authors),
		(SELECT count(*) FROM urls WHERE state = 'fetched'),
		(SELECT coalesce(sum(docs), 0) FROM term_stats_queue))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSaveArticlesBatchMatchesOneByOne stores one scenario twice — page by
// page with SaveArticle, and as one SaveArticles batch — and expects the
// same outcome for every page and the same archive: within a batch, a page
// copying an earlier page of the batch is its alias, as it would be later.
func TestSaveArticlesBatchMatchesOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	story, housing := longText("transport"), longText("housing")
	before := []saveStep{
		{"stored before", "a", "https://a.example/old", "https://a.example/old", longText("water"), []string{"Ann Lee"}},
	}
	batch := []saveStep{
		{"new story", "a", "https://a.example/story", "https://a.example/story", story, []string{"Jane Doe", "John Roe"}},
		{"same text at a mirror", "a", "https://a.example/mirror", "https://a.example/mirror", story, nil},
		{"syndicated", "b", "https://b.example/wire", "https://b.example/wire", story, []string{"Wire Desk"}},
		{"near copy", "b", "https://b.example/wire-2", "https://b.example/wire-2", story + " First published by A.", nil},
		{"same canonical, new text", "a", "https://a.example/story?page=1", "https://a.example/story", story + " Updated.", []string{"Jane Doe"}},
		{"another story", "a", "https://a.example/other", "https://a.example/other", housing, []string{"jane doe"}},
		{"correction of the old story", "a", "https://a.example/old", "https://a.example/old", longText("water") + " Correction.", []string{"Ann Lee"}},
		{"copy of the old story", "b", "https://b.example/old", "https://b.example/old", longText("water"), nil},
	}
	run := func(oneByOne bool) ([]store.SaveResult, string, map[int64]int) {
		db := testenv.DB(t)
		sites := map[string]newsline.Site{"a": testSite(t, db, "a.example"), "b": testSite(t, db, "b.example")}
		for _, s := range before {
			if _, err := db.SaveArticles(ctx, []store.SaveRequest{s.request(t, db, sites)}); err != nil {
				t.Fatal(err)
			}
		}
		var reqs []store.SaveRequest
		for _, s := range batch {
			reqs = append(reqs, s.request(t, db, sites))
		}
		var res []store.SaveResult
		if oneByOne {
			for _, r := range reqs {
				got, err := db.SaveArticle(ctx, r.URLID, r.Article, r.Fetch)
				if err != nil {
					t.Fatal(err)
				}
				res = append(res, got)
			}
		} else {
			var err error
			if res, err = db.SaveArticles(ctx, reqs); err != nil {
				t.Fatal(err)
			}
		}
		// Article ids differ between the runs; compare them by the step
		// that stored each first.
		first := map[int64]int{}
		for i, r := range res {
			if _, ok := first[r.ArticleID]; !ok {
				first[r.ArticleID] = i
			}
		}
		return res, archive(t, db), first
	}
	want, wantArchive, wantFirst := run(true)
	got, gotArchive, gotFirst := run(false)
	for i, s := range batch {
		if got[i].Outcome != want[i].Outcome || gotFirst[got[i].ArticleID] != wantFirst[want[i].ArticleID] {
			t.Errorf("%s: batch %s of step %d's article, one by one %s of step %d's", s.name,
				got[i].Outcome, gotFirst[got[i].ArticleID], want[i].Outcome, wantFirst[want[i].ArticleID])
		}
	}
	if gotArchive != wantArchive {
		t.Errorf("archive after the batch:\n  %s\none by one:\n  %s", gotArchive, wantArchive)
	}
	wantOutcomes := []string{store.SavedNew, store.SavedAlias, store.SavedAlias, store.SavedAlias, store.SavedUpdated,
		store.SavedNew, store.SavedUpdated, store.SavedAlias}
	for i, w := range wantOutcomes {
		if want[i].Outcome != w {
			t.Errorf("%s: %s one by one, want %s", batch[i].name, want[i].Outcome, w)
		}
	}
}

// TestWriterSharesTransactions saves from many goroutines at once through
// a Writer: every article is stored once, copies of each other become
// aliases whatever order they arrive in, and the caller of each save
// learns its outcome.
func TestWriterSharesTransactions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	sites := map[string]newsline.Site{"a": testSite(t, db, "a.example")}
	const stories, copies = 12, 3
	var reqs []store.SaveRequest
	for i := range stories {
		text := longText(fmt.Sprintf("topic%d", i))
		for c := range copies {
			u := fmt.Sprintf("https://a.example/%d/%d", i, c)
			reqs = append(reqs, saveStep{fmt.Sprintf("story %d", i), "a", u, u, text, []string{"Jane Doe"}}.request(t, db, sites))
		}
	}
	w := db.NewWriter(5)
	results := make([]store.SaveResult, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			res, err := w.SaveArticle(ctx, r.URLID, r.Article, r.Fetch)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	w.Close()
	for i := range stories {
		group := results[i*copies : (i+1)*copies]
		news := 0
		for _, r := range group {
			if r.Outcome == store.SavedNew {
				news++
			} else if r.Outcome != store.SavedAlias {
				t.Errorf("story %d: outcome %s", i, r.Outcome)
			}
			if r.ArticleID != group[0].ArticleID {
				t.Errorf("story %d: copies point at articles %d and %d", i, group[0].ArticleID, r.ArticleID)
			}
		}
		if news != 1 {
			t.Errorf("story %d stored %d times", i, news)
		}
	}
	if got, want := archive(t, db), fmt.Sprintf("articles=%d revisions=%d aliases=%d links=%d authors=1 fetched=%d docs=%d",
		stories, stories, stories*(copies-1), stories, stories*copies, stories); got != want {
		t.Errorf("archive: %s, want %s", got, want)
	}
	if _, err := w.SaveArticle(ctx, reqs[0].URLID, reqs[0].Article, reqs[0].Fetch); !errors.Is(err, store.ErrWriterClosed) {
		t.Errorf("save after Close: %v, want ErrWriterClosed", err)
	}
}

// TestWriterIsolatesAFailure: a save that cannot succeed fails alone; the
// saves sharing its transaction are stored.
func TestWriterIsolatesAFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	sites := map[string]newsline.Site{"a": testSite(t, db, "a.example")}
	var reqs []store.SaveRequest
	for i := range 6 {
		u := fmt.Sprintf("https://a.example/%d", i)
		reqs = append(reqs, saveStep{"story", "a", u, u, longText(fmt.Sprint("subject", i)), nil}.request(t, db, sites))
	}
	reqs[3].URLID = 1 << 40 // no such URL
	w := db.NewWriter(0)
	defer w.Close()
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { _, errs[i] = w.SaveArticle(ctx, r.URLID, r.Article, r.Fetch) })
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 3) {
			t.Errorf("save %d: %v", i, err)
		}
	}
	if n, _ := db.CountArticles(ctx, ""); n != 5 {
		t.Errorf("%d articles stored, want 5", n)
	}
}
