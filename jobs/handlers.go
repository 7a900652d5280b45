package jobs

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/metrics"
	"github.com/newsline/newsline/store"
)

// Enqueuer is the part of an asynq client the handlers use.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// ArticleSaver stores a fetched article: a *store.DB, or a *store.Writer
// that shares transactions between concurrent tasks.
type ArticleSaver interface {
	SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f store.FetchInfo) (store.SaveResult, error)
}

// Handlers run Newsline's tasks.
type Handlers struct {
	DB        *store.DB
	Crawler   *crawler.Crawler
	Extractor *extract.Extractor
	Queue     Enqueuer
	Logger    *slog.Logger
	// Saver stores articles; nil means DB, one transaction per article.
	// RunWorker gives its handlers a store.Writer.
	Saver ArticleSaver
	// Redis is the queue's: a crawl looks up the fetch tasks of URLs that
	// are already queued (to replace one that will never run), and a
	// scheduled crawl claims its tick there. nil skips both.
	Redis redis.UniversalClient
	// Podcast, when set, chooses articles after each crawl and makes
	// their episodes (podcast.go).
	Podcast *Podcast
	// Metrics records pages, extractions, tasks, crawls and episodes; nil
	// records nothing.
	Metrics *metrics.Metrics
}

func (h *Handlers) saver() ArticleSaver {
	if h.Saver != nil {
		return h.Saver
	}
	return h.DB
}

// docFreqTTL is how stale the keyword statistics an extractor uses may be.
const docFreqTTL = 10 * time.Minute

// NewExtractor returns the extractor workers use: keyword weights from the
// archive's corpus statistics, cached in memory.
func NewExtractor(db *store.DB) *extract.Extractor {
	return extract.New().WithDocFreq(store.NewDocFreqCache(db, docFreqTTL))
}

// Mux routes task types to handlers.
func (h *Handlers) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeCrawlSite, h.CrawlSite)
	mux.HandleFunc(TypeFetchArticle, h.FetchArticle)
	mux.HandleFunc(TypePodcastSelect, h.SelectArticles)
	mux.HandleFunc(TypeSpeakArticle, h.SpeakArticle)
	mux.HandleFunc(TypeReextractBatch, h.ReextractBatch)
	return mux
}

func (h *Handlers) log(ctx context.Context, t *asynq.Task, host string) *slog.Logger {
	id, _ := asynq.GetTaskID(ctx)
	return h.Logger.With("task", t.Type(), "task_id", id, "site", host)
}

// CrawlResult summarizes one crawl:site run.
type CrawlResult struct {
	Pages       int
	NotModified int
	Discovered  int
	New         int
	Queued      int
	// Requeued counts queued URLs whose fetch task would never run again
	// (archived, or lost with Redis's data) and that got a new one.
	Requeued  int
	Refetches int
	Kept      int // pages discovery read that turned out to be articles, stored at once
	Failures  map[string]int
}

// CrawlSite discovers a site's article URLs, records them, and queues a
// fetch for every URL still waiting for one and every re-fetch that is due.
// Re-running it is harmless: known URLs are skipped and queued ones collide
// on their task id.
func (h *Handlers) CrawlSite(ctx context.Context, t *asynq.Task) error {
	p, err := decode[CrawlSitePayload](t)
	if err != nil {
		return err
	}
	ctx = withSite(ctx, p.Host)
	log := h.log(ctx, t, p.Host)
	if p.Tick {
		site, err := h.DB.Site(ctx, p.Host)
		if newsline.ErrorCode(err) == newsline.ENOTFOUND {
			log.Warn("site no longer on the whitelist; skipping crawl")
			return nil
		}
		if err != nil {
			return err
		}
		first, err := h.claimTick(ctx, site.Host, site.Schedule)
		if err != nil {
			return fmt.Errorf("jobs: claim the crawl of %s: %w", site.Host, err)
		}
		if !first {
			log.Info("this tick's crawl already ran or runs elsewhere; skipping")
			return nil
		}
	}
	res, err := h.Crawl(ctx, p.Host)
	if err != nil {
		if newsline.ErrorCode(err) == newsline.ENOTFOUND {
			log.Warn("site no longer on the whitelist; skipping crawl")
			return nil
		}
		return err
	}
	log.Info("crawl done", "pages", res.Pages, "not_modified", res.NotModified, "discovered", res.Discovered,
		"new", res.New, "queued", res.Queued, "requeued", res.Requeued, "refetches", res.Refetches, "kept", res.Kept)
	h.queueSelection(ctx)
	return nil
}

// Crawl is the work of CrawlSite, callable from the CLI.
func (h *Handlers) Crawl(ctx context.Context, host string) (res CrawlResult, err error) {
	site, err := h.DB.Site(ctx, host)
	if err != nil || !site.Enabled {
		return res, err
	}
	run := store.CrawlRun{SiteID: site.ID, StartedAt: time.Now()}
	defer func() {
		run.FinishedAt = time.Now()
		h.Metrics.CrawlRun(site.Host, err != nil)
		run.Pages, run.NotModified, run.Links, run.NewURLs, run.Queued = res.Pages, res.NotModified, res.Discovered, res.New, res.Queued
		run.Requeued = res.Requeued
		run.Failures = res.Failures
		if err != nil {
			run.Error = err.Error()
		}
		// Recorded even when the crawl was canceled, so not with ctx.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if rerr := h.DB.RecordCrawlRun(rctx, run); rerr != nil && err == nil {
			err = rerr
		}
	}()
	// Fold the term statistics of the articles stored since the last
	// crawl, so keyword weights keep up with the archive.
	if _, err := h.DB.FoldTermStats(ctx); err != nil {
		h.Logger.WarnContext(ctx, "fold term statistics", "err", err)
	}
	// Candidates go to the database in batches as discovery finds them,
	// and fetches are queued batch by batch: a crawl holds no list of a
	// site's URLs, whatever the size of its sitemaps.
	d, err := h.discover(ctx, site, func(ctx context.Context, origin string, urls []string) error {
		n, err := h.DB.AddURLsFrom(ctx, site.ID, origin, urls)
		res.New += n
		return err
	})
	if err != nil {
		return res, err
	}
	res.Pages, res.NotModified, res.Discovered, res.Kept, res.Failures = d.Pages, d.NotModified, d.Found, d.Kept, d.Failures
	return res, h.queueWaiting(ctx, site, &res)
}

// Discover runs discovery for a site with conditional GET against the
// validators of its previous crawl, and records the new ones. Pages it
// reads that turn out to be articles are stored at once (keepArticle).
func (h *Handlers) Discover(ctx context.Context, site newsline.Site) (*crawler.Discovery, error) {
	return h.discover(ctx, site, nil)
}

// discover is Discover, handing the candidates to candidates as they are
// found when it is set (crawler.DiscoverOptions.Candidates).
func (h *Handlers) discover(ctx context.Context, site newsline.Site, candidates func(context.Context, string, []string) error) (*crawler.Discovery, error) {
	sources, err := h.DB.Sources(ctx, site.ID)
	if err != nil {
		return nil, err
	}
	prior := map[string]crawler.Validator{}
	for _, s := range sources {
		prior[s.URL] = crawler.Validator{ETag: s.ETag, LastModified: s.LastModified}
	}
	opts := h.discoverOptions(site, prior)
	opts.Candidates = candidates
	d, err := h.Crawler.Discover(ctx, site, opts)
	if err != nil {
		return d, fmt.Errorf("jobs: crawl %s: %w", site.Host, err)
	}
	var seen []store.Source
	for u, s := range d.Sources {
		seen = append(seen, store.Source{URL: u, Kind: s.Kind, ETag: s.ETag, LastModified: s.LastModified, Status: s.Status})
	}
	return d, h.DB.SaveSources(ctx, site.ID, seen)
}

// FetchArticle fetches one URL, extracts its article and stores it.
// Outcomes that are facts about the page (robots.txt forbids it, 404, not an
// article) are recorded on the URL and end the task; transient failures are
// retried by asynq.
func (h *Handlers) FetchArticle(ctx context.Context, t *asynq.Task) error {
	p, err := decode[FetchArticlePayload](t)
	if err != nil {
		return err
	}
	ctx = withSite(ctx, p.Host)
	log := h.log(ctx, t, p.Host)
	u, site, err := h.DB.URLWithSite(ctx, p.URLID)
	if newsline.ErrorCode(err) == newsline.ENOTFOUND {
		return nil // its site was removed
	}
	if err != nil {
		return err
	}
	due := u.NextFetchAt != nil && !u.NextFetchAt.After(time.Now())
	if u.State == store.URLFailed || (u.State == store.URLFetched && !due) {
		return nil // a retry of work that already finished
	}
	outcome, err := h.Fetch(ctx, site, u)
	if err != nil {
		retried, _ := asynq.GetRetryCount(ctx)
		maxRetry, _ := asynq.GetMaxRetry(ctx)
		log.Warn("fetch failed", "url", u.URL, "err", err, "attempt", retried+1)
		if retried >= maxRetry {
			// Out of retries: record the URL as failed for good. Until
			// that is written the task must not end, or the URL would stay
			// queued with no task: the database's error (a retry not
			// counted while it is unreachable) brings the task back.
			f := store.Failure{Reason: outcome.Reason, HTTPStatus: outcome.Status, Final: true}
			if rerr := h.DB.RecordFailure(ctx, u.ID, f); rerr != nil {
				return fmt.Errorf("jobs: record that %s failed (%v): %w", u.URL, err, rerr)
			}
		}
		return err
	}
	log.Info("fetched", "url", u.URL, "outcome", outcome.Reason, "article_id", outcome.ArticleID)
	return nil
}

// Outcome is what became of one fetch.
type Outcome struct {
	// Reason is a store.Saved* outcome (new, updated, unchanged, alias),
	// "not_modified", or the failure reason.
	Reason    string
	Status    int
	ArticleID int64
}

// Stored reports whether the fetch ended with the article stored (new,
// updated, unchanged or as an alias).
func (o Outcome) Stored() bool {
	switch o.Reason {
	case store.SavedNew, store.SavedUpdated, store.SavedUnchanged, store.SavedAlias, "not_modified":
		return true
	}
	return false
}

// Fetch fetches, extracts and stores one URL. It returns an error only for
// failures worth retrying; final failures are recorded and reported in the
// Outcome. A URL fetched before is fetched conditionally, to pick up a
// correction cheaply.
func (h *Handlers) Fetch(ctx context.Context, site newsline.Site, u store.URL) (Outcome, error) {
	var prior crawler.Validator
	if u.FetchCount > 0 {
		prior = crawler.Validator{ETag: u.ETag, LastModified: u.LastModified}
	}
	page, err := h.Crawler.Fetch(ctx, site, u.URL, prior)
	if err != nil {
		var fe *crawler.FetchError
		if !errors.As(err, &fe) {
			return Outcome{Reason: crawler.ReasonNetwork}, err
		}
		out := Outcome{Reason: fe.Reason, Status: fe.Status}
		if fe.Temporary {
			if rerr := h.DB.RecordFailure(ctx, u.ID, store.Failure{Reason: fe.Reason, HTTPStatus: fe.Status}); rerr != nil {
				return out, rerr
			}
			return out, err
		}
		return out, h.DB.RecordFailure(ctx, u.ID, store.Failure{Reason: fe.Reason, HTTPStatus: fe.Status, Final: true})
	}
	if page.NotModified {
		return Outcome{Reason: "not_modified", Status: page.Status}, h.DB.RecordNotModified(ctx, u.ID)
	}
	a, err := h.extract(ctx, site.Languages, page.URL, page.Body)
	if err != nil {
		reason := extractFailure(err)
		if reason == reasonExtractFailed && ctx.Err() != nil {
			return Outcome{Reason: crawler.ReasonCanceled}, err
		}
		out := Outcome{Reason: reason, Status: page.Status}
		return out, h.DB.RecordFailure(ctx, u.ID, store.Failure{Reason: reason, HTTPStatus: page.Status, Final: true})
	}
	return h.save(ctx, site, u.ID, page, &a)
}

// reasonExtractFailed is the reason of a page the extractor failed on for
// any cause but the two extractFailure names.
const reasonExtractFailed = "extract_failed"

// extractFailure is the reason recorded for a page the extractor rejected
// with err, by Fetch and by re-extraction alike.
func extractFailure(err error) string {
	switch {
	case errors.Is(err, extract.ErrNotArticle):
		return "no_content"
	case errors.Is(err, extract.ErrTooLarge):
		return crawler.ReasonTooLarge
	}
	return reasonExtractFailed
}

// save stores the article extracted from page as what URL urlID holds.
func (h *Handlers) save(ctx context.Context, site newsline.Site, urlID int64, page *crawler.Page, a *newsline.Article) (Outcome, error) {
	a.SiteID = site.ID
	a.FetchedAt = time.Now().UTC()
	a.CanonicalURL = canonicalURL(site, page.URL, a.CanonicalURL)
	sum := sha256.Sum256([]byte(a.Text))
	res, err := h.saver().SaveArticle(ctx, urlID, a, store.FetchInfo{
		HTTPStatus: page.Status, ETag: page.ETag, LastModified: page.LastModified, ContentHash: sum[:],
		SimHash: extract.SimHash(a.Text), RawHTML: page.Body, ExtractorVersion: extract.Version,
	})
	if err != nil {
		return Outcome{Reason: "store_failed"}, err
	}
	return Outcome{Reason: res.Outcome, Status: page.Status, ArticleID: res.ArticleID}, nil
}

// canonicalURL picks the URL an article is stored under: the page's own
// canonical link when it stays on the site, else the URL it was fetched
// from. A page cannot claim another site's URL.
func canonicalURL(site newsline.Site, fetched, declared string) string {
	fallback, err := crawler.Normalize(fetched)
	if err != nil {
		fallback = fetched
	}
	if declared == "" {
		return fallback
	}
	n, err := crawler.Normalize(declared)
	if err != nil {
		return fallback
	}
	if cu, err := url.Parse(n); err != nil || !site.AllowsHost(cu.Host) {
		return fallback
	}
	return n
}
