package api

import (
	"net/http"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/internal/suggest"
	"github.com/newsline/newsline/store"
)

// SiteJSON is the API's representation of a site: its whitelist entry,
// its article count, newest article and latest crawl; GET
// /api/v1/sites/{host} adds the crawl statistics.
type SiteJSON struct {
	Host           string     `json:"host"`
	Name           string     `json:"name"`
	Feeds          []string   `json:"feeds"`
	StartURLs      []string   `json:"start_urls"`
	ExtraHosts     []string   `json:"extra_hosts"`
	Include        []string   `json:"include"`
	Exclude        []string   `json:"exclude"`
	Schedule       string     `json:"schedule"`
	NextRun        *time.Time `json:"next_run,omitempty"`
	DelayMS        int64      `json:"delay_ms"`
	MaxPages       int        `json:"max_pages"`
	MaxDepth       int        `json:"max_depth"`
	MaxConcurrency int        `json:"max_concurrency"`
	RefetchAfterS  []int64    `json:"refetch_after_s"`
	Enabled        bool       `json:"enabled"`
	// Languages are the site's languages (ISO 639-1); empty allows any.
	Languages []string `json:"languages"`
	// Articles counts the stored articles (every kind, as stats does).
	Articles int64 `json:"articles"`
	// LastArticleAt is the newest article's time: published, or first
	// fetched when the page gave no date.
	LastArticleAt *time.Time    `json:"last_article_at"`
	LastCrawl     *CrawlRunJSON `json:"last_crawl"`
	// Subscribe are Newsline's own feeds of the site's articles (Feeds
	// are the site's, which the crawler reads).
	Subscribe FeedLinksJSON  `json:"subscribe"`
	Stats     *SiteStatsJSON `json:"stats,omitempty"`
}

// CrawlRunJSON is the outcome of a site's latest crawl.
type CrawlRunJSON struct {
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Outcome    string    `json:"outcome"` // ok or failed
	Error      string    `json:"error,omitempty"`
}

// SiteStatsJSON is a site's crawl statistics.
type SiteStatsJSON struct {
	Articles      int64            `json:"articles"`
	Updated       int64            `json:"updated"`
	Aliases       int64            `json:"aliases"`
	URLs          map[string]int64 `json:"urls"`
	Failures      map[string]int64 `json:"failures"`
	Runs          int64            `json:"runs"`
	LastRunAt     *time.Time       `json:"last_run_at"`
	LastSuccessAt *time.Time       `json:"last_success_at"`
	LastError     string           `json:"last_error,omitempty"`
	LastFailures  map[string]int   `json:"last_crawl_failures"`
	LastFetchedAt *time.Time       `json:"last_fetched_at"`
	Stuck         int64            `json:"stuck"`
	Requeued      int64            `json:"requeued"`
}

// SiteListJSON is the answer to GET /api/v1/sites.
type SiteListJSON struct {
	Sites []SiteJSON `json:"sites"`
}

func (s *Server) siteJSON(sum store.SiteSummary) SiteJSON {
	site := sum.Site
	out := SiteJSON{Host: site.Host, Name: site.Name, Feeds: newsline.NonNil(site.Feeds), StartURLs: newsline.NonNil(site.StartURLs),
		ExtraHosts: newsline.NonNil(site.ExtraHosts), Include: newsline.NonNil(site.Include), Exclude: newsline.NonNil(site.Exclude), Schedule: site.Schedule,
		DelayMS: site.Delay.Milliseconds(), MaxPages: site.MaxPages, MaxDepth: site.MaxDepth, MaxConcurrency: site.MaxConcurrency,
		RefetchAfterS: []int64{}, Enabled: site.Enabled, Languages: newsline.NonNil(site.Languages), Articles: sum.Articles, LastArticleAt: sum.LastArticleAt,
		Subscribe: s.feedURLs(feedView{kind: "site", name: site.Host})}
	for _, d := range site.RefetchAfter {
		out.RefetchAfterS = append(out.RefetchAfterS, int64(d/time.Second))
	}
	if next, err := config.NextRun(site.Schedule, time.Now()); err == nil && site.Enabled {
		out.NextRun = &next
	}
	if run := sum.LastRun; run != nil {
		out.LastCrawl = &CrawlRunJSON{StartedAt: run.StartedAt, FinishedAt: run.FinishedAt, Outcome: "ok", Error: run.Error}
		if run.Error != "" {
			out.LastCrawl.Outcome = "failed"
		}
	}
	return out
}

func (s *Server) listSites(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	sites, err := s.DB.SiteSummaries(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := SiteListJSON{Sites: []SiteJSON{}}
	for _, site := range sites {
		out.Sites = append(out.Sites, s.siteJSON(site))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	host := r.PathValue("host")
	sum, err := s.DB.SiteSummary(r.Context(), host)
	if newsline.ErrorCode(err) == newsline.ENOTFOUND {
		best, cerr := s.DB.ClosestSite(r.Context(), host)
		if cerr != nil {
			s.error(w, r, cerr)
			return
		}
		err = newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist%s", host, suggest.Hint(best))
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	st, err := s.DB.Stats(r.Context(), sum.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := s.siteJSON(sum)
	out.Stats = &SiteStatsJSON{Articles: st.Articles, Updated: st.Updated, Aliases: st.Aliases, URLs: st.URLsByState,
		Failures: st.FailuresBy, Runs: st.Runs, LastRunAt: st.LastRunAt, LastSuccessAt: st.LastSuccessAt,
		LastError: st.LastError, LastFailures: st.LastFailures, LastFetchedAt: st.LastFetchedAt,
		Stuck: st.Stuck, Requeued: st.Requeued}
	s.writeJSON(w, r, http.StatusOK, out)
}
