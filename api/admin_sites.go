package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/crawler"
)

// CrawlQueue queues a site's crawl now, as the scheduler's ticks do
// (jobs.CrawlQueue over an asynq client). It reports false when a crawl
// of the site is already queued or running.
type CrawlQueue interface {
	EnqueueCrawl(ctx context.Context, host string) (bool, error)
}

// siteRequest is the body of POST /api/v1/sites and PATCH
// /api/v1/sites/{host}: a whitelist entry with the API's names (those of
// SiteJSON). A field left out keeps its value (PATCH) or the whitelist
// file's default (POST). allow_private is not among them: a site added
// over HTTP obeys the crawler's SSRF rules, always.
type siteRequest struct {
	Host               *string   `json:"host"`
	Name               *string   `json:"name"`
	Feeds              *[]string `json:"feeds"`
	StartURLs          *[]string `json:"start_urls"`
	ExtraHosts         *[]string `json:"extra_hosts"`
	Include            *[]string `json:"include"`
	Exclude            *[]string `json:"exclude"`
	Schedule           *string   `json:"schedule"`
	DelayMS            *int64    `json:"delay_ms"`
	MaxPages           *int      `json:"max_pages"`
	MaxDepth           *int      `json:"max_depth"`
	MaxConcurrency     *int      `json:"max_concurrency"`
	RefetchAfterS      *[]int64  `json:"refetch_after_s"`
	Enabled            *bool     `json:"enabled"`
	FollowArticleLinks *bool     `json:"follow_article_links"`
	Languages          *[]string `json:"languages"`
}

// entry merges the request over a whitelist entry (as `newsline sites
// add` does), in the YAML file's names.
func (q siteRequest) entry(e map[string]any) {
	set := func(key string, ok bool, v func() any) {
		if ok {
			e[key] = v()
		}
	}
	set("name", q.Name != nil, func() any { return *q.Name })
	set("feeds", q.Feeds != nil, func() any { return *q.Feeds })
	set("start_urls", q.StartURLs != nil, func() any { return *q.StartURLs })
	set("extra_hosts", q.ExtraHosts != nil, func() any { return *q.ExtraHosts })
	set("include", q.Include != nil, func() any { return *q.Include })
	set("exclude", q.Exclude != nil, func() any { return *q.Exclude })
	set("schedule", q.Schedule != nil, func() any { return *q.Schedule })
	set("delay", q.DelayMS != nil, func() any { return (time.Duration(*q.DelayMS) * time.Millisecond).String() })
	set("max_pages", q.MaxPages != nil, func() any { return *q.MaxPages })
	set("max_depth", q.MaxDepth != nil, func() any { return *q.MaxDepth })
	set("max_concurrency", q.MaxConcurrency != nil, func() any { return *q.MaxConcurrency })
	set("enabled", q.Enabled != nil, func() any { return *q.Enabled })
	set("follow_article_links", q.FollowArticleLinks != nil, func() any { return *q.FollowArticleLinks })
	set("languages", q.Languages != nil, func() any { return *q.Languages })
	set("refetch_after", q.RefetchAfterS != nil, func() any {
		ages := []string{}
		for _, s := range *q.RefetchAfterS {
			ages = append(ages, (time.Duration(s) * time.Second).String())
		}
		return ages
	})
}

// entryOf is a stored site as a whitelist entry.
func entryOf(old newsline.Site) map[string]any {
	e := map[string]any{"host": old.Host, "name": old.Name, "feeds": old.Feeds, "start_urls": old.StartURLs,
		"extra_hosts": old.ExtraHosts, "schedule": old.Schedule, "delay": old.Delay.String(),
		"max_pages": old.MaxPages, "enabled": old.Enabled, "allow_private": old.AllowPrivate,
		"include": old.Include, "exclude": old.Exclude, "max_depth": old.MaxDepth, "max_concurrency": old.MaxConcurrency,
		"follow_article_links": old.FollowArticleLinks, "languages": old.Languages}
	ages := []string{}
	for _, d := range old.RefetchAfter {
		ages = append(ages, d.String())
	}
	e["refetch_after"] = ages
	return e
}

// parseEntry validates an entry through the whitelist file's parser, so
// the API, the CLI and the YAML file apply the same rules and defaults.
func parseEntry(e map[string]any) (newsline.Site, error) {
	data, err := yaml.Marshal(map[string]any{"sites": []any{e}})
	if err != nil {
		return newsline.Site{}, err
	}
	sites, err := config.ParseSites("request", data)
	var fe *config.FieldError
	if errors.As(err, &fe) {
		if fe.Field != "" {
			return newsline.Site{}, newsline.Errorf(newsline.EINVALID, "field %s: %v", fe.Field, fe.Err)
		}
		return newsline.Site{}, newsline.Errorf(newsline.EINVALID, "%v", fe.Err)
	}
	if err != nil {
		return newsline.Site{}, newsline.Errorf(newsline.EINVALID, "%v", err)
	}
	s := sites[0]
	if !s.AllowPrivate {
		for _, h := range s.Hosts() {
			if err := publicHost(h); err != nil {
				return s, err
			}
		}
	}
	return s, nil
}

// publicHost refuses a host the crawler would refuse to connect to:
// localhost, and an address that is loopback, private, link-local or
// otherwise not public. A name is resolved by the crawler on every
// connection, which checks the address again.
func publicHost(host string) error {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.Trim(name, "[]"), ".")
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return newsline.Errorf(newsline.EINVALID, "host %q is this machine: the crawler never fetches it", host)
	}
	if ip, err := netip.ParseAddr(name); err == nil && !crawler.PublicAddr(ip) {
		return newsline.Errorf(newsline.EINVALID, "host %q is not a public address: the crawler never fetches it", host)
	}
	return nil
}

// addSite puts a new site on the whitelist (201); a host already there is
// a 409 (change it with PATCH).
func (s *Server) addSite(w http.ResponseWriter, r *http.Request, _ newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	var req siteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	if req.Host == nil || strings.TrimSpace(*req.Host) == "" {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "field host is required"))
		return
	}
	e := map[string]any{"host": *req.Host}
	req.entry(e)
	site, err := parseEntry(e)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.DB.Site(r.Context(), site.Host); err == nil {
		s.error(w, r, newsline.Errorf(newsline.ECONFLICT, "%s is already on the whitelist; change it with PATCH /api/v1/sites/%s", site.Host, site.Host))
		return
	} else if newsline.ErrorCode(err) != newsline.ENOTFOUND {
		s.error(w, r, err)
		return
	}
	s.saveSite(w, r, site, http.StatusCreated)
}

// patchSite changes the fields the body names (enable, disable, schedule,
// limits, …); the host is the path's.
func (s *Server) patchSite(w http.ResponseWriter, r *http.Request, _ newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	var req siteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	old, err := s.DB.Site(r.Context(), r.PathValue("host"))
	if err != nil {
		s.error(w, r, s.unknown(r.Context(), "site", r.PathValue("host"), err))
		return
	}
	if req.Host != nil && !strings.EqualFold(strings.TrimSpace(*req.Host), old.Host) {
		s.error(w, r, newsline.Errorf(newsline.EINVALID, "a site's host cannot change; add the new host and remove this one"))
		return
	}
	e := entryOf(old)
	req.entry(e)
	site, err := parseEntry(e)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveSite(w, r, site, http.StatusOK)
}

func (s *Server) saveSite(w http.ResponseWriter, r *http.Request, site newsline.Site, status int) {
	if _, _, err := s.DB.UpsertSite(r.Context(), site); err != nil {
		s.error(w, r, err)
		return
	}
	sum, err := s.DB.SiteSummary(r.Context(), site.Host)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/sites/"+site.Host)
	}
	s.writeJSON(w, r, status, s.siteJSON(sum))
}

// deleteSite removes a site with its URLs and articles; one with stored
// articles needs ?force=true (409 otherwise), as the CLI's --force.
func (s *Server) deleteSite(w http.ResponseWriter, r *http.Request, _ newsline.User) {
	if err := checkParams(r, "force"); err != nil {
		s.error(w, r, err)
		return
	}
	force, err := boolParam(r, "force")
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx := r.Context()
	site, err := s.DB.Site(ctx, r.PathValue("host"))
	if err != nil {
		s.error(w, r, s.unknown(ctx, "site", r.PathValue("host"), err))
		return
	}
	n, err := s.DB.CountArticles(ctx, site.Host)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if n > 0 && !force {
		s.error(w, r, newsline.Errorf(newsline.ECONFLICT, "%s has %d stored article(s) that would be deleted; pass force=true to delete them, or disable the site (PATCH with enabled: false) to keep them", site.Host, n))
		return
	}
	if _, err := s.DB.DeleteSite(ctx, site.Host); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// CrawlQueuedJSON is the answer to POST /api/v1/sites/{host}/crawl.
type CrawlQueuedJSON struct {
	Host string `json:"host"`
	// Queued is false when a crawl of the site was already queued or
	// running, which this request then leaves alone.
	Queued bool `json:"queued"`
}

// crawlSite queues a crawl of the site now (202).
func (s *Server) crawlSite(w http.ResponseWriter, r *http.Request, _ newsline.User) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	ctx := r.Context()
	site, err := s.DB.Site(ctx, r.PathValue("host"))
	if err != nil {
		s.error(w, r, s.unknown(ctx, "site", r.PathValue("host"), err))
		return
	}
	if s.Crawls == nil {
		s.error(w, r, newsline.Errorf(newsline.EUNAVAILABLE, "this server has no queue to crawl with"))
		return
	}
	queued, err := s.Crawls.EnqueueCrawl(ctx, site.Host)
	if err != nil {
		s.error(w, r, fmt.Errorf("queue crawl of %s: %w", site.Host, err))
		return
	}
	s.writeJSON(w, r, http.StatusAccepted, CrawlQueuedJSON{Host: site.Host, Queued: queued})
}
