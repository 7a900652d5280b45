package bench

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"syscall"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// DefaultReextractArticles is the archive `newsline bench reextract`
// re-extracts by default.
const DefaultReextractArticles = 10000

// reextractLoadBatch is how many articles one SaveArticles call loads.
const reextractLoadBatch = 500

// ReextractConfig configures Reextract.
type ReextractConfig struct {
	Articles int   // articles in the archive; 0 means DefaultReextractArticles
	Workers  int   // pages extracted at once; 0 means one per CPU
	Batch    int   // articles per batch; 0 means jobs.DefaultReextractBatch
	Seed     int64 // selects the generated site

	// DatabaseURL names a PostgreSQL server: Reextract creates a temporary
	// database on it and drops it at the end. With UseDatabase it names
	// the database itself, which must hold no URLs.
	DatabaseURL string
	UseDatabase bool

	Logger   *slog.Logger
	Progress func(Progress)
}

// ReextractResult is what Reextract measured.
type ReextractResult struct {
	Articles, Workers, Batch int
	Load                     time.Duration // building the archive (untimed in the figures)
	// Run is `newsline reextract` over the whole archive: read the kept
	// pages, extract, write, a batch at a time. CPU is the process's CPU
	// time during it (PostgreSQL's is not included).
	Run     Phase
	CPU     time.Duration
	Summary jobs.ReextractSummary
	// Extract is the baseline: extract.Extract alone over the same pages,
	// held in memory, with the same concurrency.
	Extract    Phase
	ExtractCPU time.Duration
}

// CPUPerArticle is the process's CPU time per re-extracted article.
func (r *ReextractResult) CPUPerArticle() time.Duration {
	return perPage(r.CPU, r.Run.Pages+r.Run.Failed)
}

// ExtractCPUPerPage is the baseline's CPU time per page.
func (r *ReextractResult) ExtractCPUPerPage() time.Duration {
	return perPage(r.ExtractCPU, r.Extract.Pages+r.Extract.Failed)
}

// Ratio is re-extraction throughput over extract-only throughput.
func (r *ReextractResult) Ratio() float64 {
	if x := r.Extract.PagesPerSec(); x > 0 {
		return r.Run.PagesPerSec() / x
	}
	return 0
}

func perPage(d time.Duration, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return d / time.Duration(n)
}

// Metrics lists the re-extraction benchmark's figures.
func (r *ReextractResult) Metrics() []Metric {
	return []Metric{
		{"reextract", SystemNewsline, "articles", float64(r.Run.Pages), "articles", "reextract"},
		{"reextract", SystemNewsline, "errors", float64(r.Run.Failed), "articles", "reextract"},
		{"reextract", SystemNewsline, "changed_bodies", float64(r.Summary.ChangedBodies), "articles", "reextract"},
		{"reextract", SystemNewsline, "articles_per_s", round(r.Run.PagesPerSec(), 2), "articles/s", "reextract"},
		{"reextract", SystemNewsline, "cpu_per_article", ms(r.CPUPerArticle()), "ms", "reextract"},
		{"reextract", SystemNewsline, "seconds", round(r.Run.Elapsed.Seconds(), 3), "s", "reextract"},
		{"reextract", SystemExtractOnly, "pages_per_s", round(r.Extract.PagesPerSec(), 2), "pages/s", "extract"},
		{"reextract", SystemExtractOnly, "cpu_per_page", ms(r.ExtractCPUPerPage()), "ms", "extract"},
		{"reextract", SystemExtractOnly, "seconds", round(r.Extract.Elapsed.Seconds(), 3), "s", "extract"},
		{"reextract", SystemNewsline, "ratio", round(r.Ratio(), 3), "x", ""},
	}
}

// Reextract builds an archive of cfg.Articles articles from a generated
// site's pages, as an older extractor would have left it (version 0, a
// placeholder text), re-extracts all of it as `newsline reextract` does,
// then runs the extractor alone over the same pages, and reports both.
func Reextract(ctx context.Context, cfg ReextractConfig) (res *ReextractResult, err error) {
	cfg = cfg.withDefaults()
	db, _, closeDB, err := emptyBenchDB(ctx, cfg.DatabaseURL, cfg.UseDatabase)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, closeDB()) }()
	ts, err := testsite.Start(testsite.Config{Articles: cfg.Articles, Seed: cfg.Seed, DisallowedEvery: cfg.Articles + 1})
	if err != nil {
		return nil, fmt.Errorf("bench: start test site: %w", err)
	}
	defer ts.Close()
	site, err := addBenchSite(ctx, db, ts, cfg.Articles)
	if err != nil {
		return nil, err
	}
	ccfg := CrawlConfig{Workers: cfg.Workers, Progress: cfg.Progress}
	if err := warmUp(ctx, ccfg, ts); err != nil {
		return nil, err
	}
	res = &ReextractResult{Articles: cfg.Articles, Workers: cfg.Workers, Batch: cfg.Batch}
	start := time.Now()
	pages, err := download(ctx, ccfg, ts, ts.Allowed())
	if err != nil {
		return nil, err
	}
	if err := loadArchive(ctx, db, site, pages, cfg.Progress); err != nil {
		return nil, err
	}
	res.Load = time.Since(start)
	if err := runReextract(ctx, cfg, db, res); err != nil {
		return nil, err
	}
	cpu0 := processCPU()
	res.Extract = extractOnly(ctx, ccfg, pages)
	res.ExtractCPU = processCPU() - cpu0
	return res, ctx.Err()
}

func (cfg ReextractConfig) withDefaults() ReextractConfig {
	if cfg.Articles <= 0 {
		cfg.Articles = DefaultReextractArticles
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Batch <= 0 {
		cfg.Batch = jobs.DefaultReextractBatch
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Progress == nil {
		cfg.Progress = func(Progress) {}
	}
	return cfg
}

// loadArchive stores pages as articles an older extractor made: each
// page kept, a placeholder text, extractor version 0.
func loadArchive(ctx context.Context, db *store.DB, site newsline.Site, pages []page, progress func(Progress)) error {
	urls := make([]string, len(pages))
	for i, p := range pages {
		urls[i] = p.url
	}
	if _, err := db.AddURLs(ctx, site.ID, urls); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	ids := make(map[string]int64, len(urls))
	rows, err := db.Pool.Query(ctx, `SELECT url, id FROM urls WHERE site_id = $1`, site.ID)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	for rows.Next() {
		var u string
		var id int64
		if err := rows.Scan(&u, &id); err != nil {
			rows.Close()
			return fmt.Errorf("bench: %w", err)
		}
		ids[u] = id
	}
	rows.Close()
	start, now := time.Now(), time.Now().UTC()
	for lo := 0; lo < len(pages); lo += reextractLoadBatch {
		var reqs []store.SaveRequest
		for _, p := range pages[lo:min(lo+reextractLoadBatch, len(pages))] {
			text := "Placeholder text of " + p.url
			sum := sha256.Sum256([]byte(text))
			reqs = append(reqs, store.SaveRequest{URLID: ids[p.url],
				Article: &newsline.Article{SiteID: site.ID, URL: p.url, CanonicalURL: p.url, Title: p.url, Text: text,
					WordCount: 4, Language: "en", FetchedAt: now},
				Fetch: store.FetchInfo{HTTPStatus: 200, ContentHash: sum[:], RawHTML: p.body}})
		}
		if _, err := db.SaveArticles(ctx, reqs); err != nil {
			return fmt.Errorf("bench: load the archive: %w", err)
		}
		progress(Progress{Phase: "load", Done: lo + len(reqs), Total: len(pages), Elapsed: time.Since(start)})
	}
	return nil
}

// runReextract re-extracts the archive and times it.
func runReextract(ctx context.Context, cfg ReextractConfig, db *store.DB, res *ReextractResult) error {
	h := &jobs.Handlers{DB: db, Extractor: jobs.NewExtractor(db), Logger: cfg.Logger}
	total, err := db.CountReextract(ctx, store.ReextractFilter{Version: extract.Version})
	if err != nil {
		return err
	}
	cpu0, start := processCPU(), time.Now()
	sum, err := h.Reextract(ctx, jobs.ReextractOptions{Batch: cfg.Batch, Workers: cfg.Workers,
		Progress: func(s jobs.ReextractSummary) {
			cfg.Progress(Progress{Phase: "reextract", Done: s.Pages, Failed: s.ErrorCount(), Total: total, Elapsed: time.Since(start)})
		}})
	res.Run.Elapsed, res.CPU = time.Since(start), processCPU()-cpu0
	if err != nil {
		return err
	}
	res.Summary = sum
	res.Run.Pages, res.Run.Failed = sum.Pages-sum.ErrorCount(), sum.ErrorCount()
	return nil
}

// processCPU is the process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
