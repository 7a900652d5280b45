package api

import (
	"net/http"
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

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	p, err := searchParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.searcher.Query(r.Context(), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, SearchResults(p, res))
}
