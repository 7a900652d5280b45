package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/newsline/newsline/search"
)

// searchParamNames are the query parameters of GET /api/v1/search.
var searchParamNames = []string{"q", "site", "author", "language", "section", "from", "to", "sort", "recency",
	"limit", "offset", "cursor", "facets"}

// searchParams reads a search request's query string.
func searchParams(r *http.Request) (search.Params, error) {
	if err := checkParams(r, searchParamNames...); err != nil {
		return search.Params{}, err
	}
	q := r.URL.Query()
	p := search.Params{Query: q.Get("q"), Site: q.Get("site"), Author: q.Get("author"), Language: q.Get("language"),
		Section: q.Get("section"), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	var err error
	if p.Limit, err = intParam(r, "limit", search.DefaultLimit); err != nil {
		return p, err
	}
	if p.Offset, err = intParam(r, "offset", 0); err != nil {
		return p, err
	}
	if p.From, err = dateParam(r, "from"); err != nil {
		return p, err
	}
	if p.To, err = dateParam(r, "to"); err != nil {
		return p, err
	}
	if p.Recency, err = floatParam(r, "recency", "a number from 0 to 10"); err != nil {
		return p, err
	}
	if p.Facets, err = boolParam(r, "facets"); err != nil {
		return p, err
	}
	return p, nil
}

// SearchHitJSON is a search hit: the article as listings show it, with a
// highlighted snippet (escaped HTML, the matches in <mark>) and its rank.
type SearchHitJSON struct {
	ArticleJSON
	Headline string  `json:"headline"`
	Rank     float64 `json:"rank"`
}

// FacetJSON is a value and how many matches have it.
type FacetJSON struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// SearchResultsJSON is the answer to a search.
type SearchResultsJSON struct {
	Query   string          `json:"query"`
	Results []SearchHitJSON `json:"results"`
	// Total is set when every match was counted; otherwise TotalEstimate,
	// with TotalIsEstimate true.
	Total           *int64 `json:"total,omitempty"`
	TotalEstimate   *int64 `json:"total_estimate,omitempty"`
	TotalIsEstimate bool   `json:"total_is_estimate"`
	// NextOffset continues relevance order, NextCursor date order.
	NextOffset *int   `json:"next_offset,omitempty"`
	NextCursor string `json:"next_cursor,omitempty"`
	// SearchedSince and Ranked say that only the matches published since
	// then were ranked (a query matching very many articles).
	SearchedSince *time.Time             `json:"searched_since,omitempty"`
	Ranked        int                    `json:"ranked,omitempty"`
	Facets        map[string][]FacetJSON `json:"facets,omitempty"`
	FacetsCapped  bool                   `json:"facets_capped,omitempty"`
}

// SearchResults is the representation of res, the results of a search
// with p: the API's answer and `newsline search --json`.
func SearchResults(p search.Params, res *search.Results) SearchResultsJSON {
	out := SearchResultsJSON{Query: res.Query, Results: []SearchHitJSON{}, NextCursor: res.NextCursor,
		FacetsCapped: res.FacetsCapped, TotalIsEstimate: res.TotalIsEstimate}
	total := res.Total
	if res.TotalIsEstimate {
		out.TotalEstimate = &total
	} else {
		out.Total = &total
	}
	if !res.Since.IsZero() {
		since := res.Since
		out.SearchedSince, out.Ranked = &since, res.Ranked
	}
	for _, h := range res.Hits {
		out.Results = append(out.Results, SearchHitJSON{ArticleJSON: ArticleOf(h.Article), Headline: h.Headline, Rank: h.Rank})
	}
	if res.More && res.NextCursor == "" {
		next := p.Offset + len(res.Hits)
		out.NextOffset = &next
	}
	if res.Facets != nil {
		out.Facets = map[string][]FacetJSON{}
		for k, fs := range res.Facets {
			out.Facets[k] = []FacetJSON{}
			for _, f := range fs {
				out.Facets[k] = append(out.Facets[k], FacetJSON{f.Value, f.Count})
			}
		}
	}
	return out
}

// Search answers are kept while no article changes, and at most
// searchCacheTTL, as the recency boost moves with the clock.
const (
	searchCacheTTL     = time.Minute
	searchCacheControl = "public, max-age=30"
)

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	p, err := searchParams(r)
	if err == nil {
		err = p.Validate() // fills the defaults, so equal searches have equal keys
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	key := searchKey(p)
	cached := s.caches().searches.get(key)
	if cached == nil {
		if cached, err = s.runSearch(r.Context(), key, p); err != nil {
			s.error(w, r, err)
			return
		}
	}
	writeCached(w, r, cached)
}

// runSearch runs a search and encodes its answer, once however many equal
// requests arrive together, and keeps it: readers search for the same news
// as one another.
func (s *Server) runSearch(ctx context.Context, key string, p search.Params) (*cachedResponse, error) {
	v, err, _ := s.flight.Do(key, func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		cache := s.caches().searches
		t := cache.begin(0)
		res, err := s.querySearch(ctx, p)
		if err != nil {
			return nil, err
		}
		body, err := Encode(SearchResults(p, res))
		if err != nil {
			return nil, err
		}
		c := newCachedResponse(key, body, time.Time{}, "application/json; charset=utf-8", searchCacheControl)
		c.expires = time.Now().Add(searchCacheTTL)
		s.expireIfReplica(ctx, c)
		cache.put(t, c)
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*cachedResponse), nil
}

// searchKey names a validated search in the cache.
func searchKey(p search.Params) string {
	q := url.Values{}
	for k, v := range map[string]string{"q": p.Query, "site": p.Site, "author": p.Author, "language": p.Language,
		"section": p.Section, "sort": p.Sort, "cursor": p.Cursor, "from": timeParam(p.From), "to": timeParam(p.To)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("limit", strconv.Itoa(p.Limit))
	q.Set("offset", strconv.Itoa(p.Offset))
	q.Set("recency", strconv.FormatFloat(*p.Recency, 'g', -1, 64))
	q.Set("facets", strconv.FormatBool(p.Facets))
	return "search?" + q.Encode()
}
