// Package search runs full-text queries over the articles' weighted
// tsvector column: websearch syntax in, ranked and highlighted results out,
// with filters, date order and facets.
package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/store"
)

// Querier is the part of a pgx pool or connection that search needs.
type Querier interface {
	store.Queryer
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Limits on what a caller may ask for.
const (
	MaxQueryLength = 512
	MaxLimit       = 100
	MaxOffset      = 1000
	DefaultLimit   = 20
	// DefaultRecency is the weight of freshness in relevance order: a
	// match published today scores up to 1+DefaultRecency times one
	// published long ago; the boost halves about every 30 days.
	DefaultRecency = 0.5
	MaxRecency     = 10
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Params is one search request.
type Params struct {
	Query    string    // websearch syntax: words, "quoted phrases", OR, -exclusions
	Site     string    // host
	Author   string    // an author's slug or name: every author with its slug
	Language string    // ISO 639-1 code, e.g. "en"
	Section  string    // a section's slug or name, matched by slug
	From, To time.Time // publication window; zero means open
	Sort     string    // relevance (default) or date
	// Recency weighs freshness into relevance order; nil means
	// DefaultRecency, 0 turns it off.
	Recency *float64
	Limit   int
	Offset  int    // relevance order only: bounded, MaxOffset
	Cursor  string // date order only: NextCursor of the previous page
	Facets  bool   // also count matches by site and language
}

// Hit is one matching article with a highlighted snippet.
type Hit struct {
	Article newsline.Article
	Rank    float64
	// Headline is a snippet as safe HTML: the text escaped, the matches
	// wrapped in <mark>…</mark>.
	Headline string
}

// Facet is a value with the number of matches that have it.
type Facet struct {
	Value string
	Count int64
}

// Results is a page of hits, best (or newest) first.
type Results struct {
	Query string
	Hits  []Hit
	// More is true when another page exists; NextCursor continues a
	// date-ordered search.
	More       bool
	NextCursor string
	// Total is how many articles match: counted, or when the search did
	// not count them all (a query matching very many), the larger of
	// PostgreSQL's estimate and what it counted, with TotalIsEstimate
	// set: a figure to show ("about 340,000"), not a count.
	Total           int64
	TotalIsEstimate bool
	// Since is set when the query matched too many articles to rank them
	// all: relevance order then ranked the matches published since (about
	// the Depth newest), and Ranked says how many those were.
	Since  time.Time
	Ranked int
	// Facets by "site" and "language", when asked for, over the matches
	// ranked (those since Since, when it is set) and at most FacetCap of
	// them; FacetsCapped is true when they do not count every match.
	Facets       map[string][]Facet
	FacetsCapped bool

	tsquery   string // the query as run, for the statements after the first
	rankedAll bool   // Ranked counts every match the window holds
}

// FacetCap bounds the matches facets count.
const FacetCap = 20000

var langCode = regexp.MustCompile(`^[a-z]{2}$`)

func invalid(format string, args ...any) error {
	return newsline.Errorf(newsline.EINVALID, format, args...)
}

// Validate checks p and fills defaults, returning an EINVALID error whose
// message a user can act on.
func (p *Params) Validate() error {
	p.Query = strings.TrimSpace(p.Query)
	switch {
	case p.Query == "":
		return invalid("query is empty: pass words to search for, e.g. q=river accord")
	case !utf8.ValidString(p.Query):
		return invalid("query is not valid UTF-8")
	case len(p.Query) > MaxQueryLength:
		return invalid("query is %d bytes long; the limit is %d", len(p.Query), MaxQueryLength)
	case strings.ContainsRune(p.Query, 0):
		return invalid("query contains a NUL byte")
	}
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit < 1 || p.Limit > MaxLimit {
		return invalid("limit must be between 1 and %d", MaxLimit)
	}
	if p.Offset < 0 || p.Offset > MaxOffset {
		return invalid("offset must be between 0 and %d; narrow the query instead of paging deeper", MaxOffset)
	}
	switch p.Sort {
	case "":
		p.Sort = SortRelevance
	case SortRelevance:
	case SortDate:
		if p.Offset != 0 {
			return invalid("date order pages with cursor, not offset")
		}
	default:
		return invalid("sort must be relevance or date, got %q", p.Sort)
	}
	if p.Cursor != "" && p.Sort != SortDate {
		return invalid("cursor goes with sort=date; relevance order pages with offset")
	}
	if p.Cursor != "" {
		if _, _, err := cursor.Decode(p.Cursor); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{{"site", p.Site}, {"author", p.Author}, {"section", p.Section}, {"language", p.Language}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			return invalid("%s is not valid UTF-8 or contains a NUL byte", f.name)
		}
	}
	if p.Recency == nil {
		r := DefaultRecency
		p.Recency = &r
	}
	if *p.Recency < 0 || *p.Recency > MaxRecency {
		return invalid("recency must be between 0 and %d", MaxRecency)
	}
	p.Language = strings.ToLower(strings.TrimSpace(p.Language))
	if p.Language != "" && !langCode.MatchString(p.Language) {
		return invalid("language must be a two-letter code such as en or de, got %q", p.Language)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"from", p.From}, {"to", p.To}} {
		if !d.t.IsZero() && !cursor.InRange(d.t) {
			return invalid("%s must be between years %d and %d (UTC), got %s", d.name, cursor.MinYear, cursor.MaxYear, d.t.Format(time.RFC3339))
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return invalid("the date window ends (to) before it starts (from)")
	}
	return nil
}

// queryConfigs are the text search configurations a query is parsed in:
// the filtered language's, else those of every language in the archive, so
// an article matches in its own language's stemming.
func queryConfigs(ctx context.Context, db Querier, lang string) ([]string, error) {
	if lang != "" {
		return []string{newsline.TSConfig(lang)}, nil
	}
	rows, err := db.Query(ctx, `SELECT language FROM corpus_docs ORDER BY docs DESC LIMIT 12`)
	if err != nil {
		return nil, fmt.Errorf("search: languages: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("search: languages: %w", err)
		}
		if c := newsline.TSConfig(l); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: languages: %w", err)
	}
	if !seen["english"] {
		out = append(out, "english")
	}
	return out, nil
}

func sortFacets(fs []Facet) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (fs[j].Count > fs[j-1].Count || fs[j].Count == fs[j-1].Count && fs[j].Value < fs[j-1].Value); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// queryError keeps database details away from users while letting a
// query PostgreSQL itself rejects come back as a bad request.
func queryError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "22") { // data exceptions
		return invalid("query could not be parsed: %s", pe.Message)
	}
	return fmt.Errorf("search: %w", err)
}

// MatchesText says how many articles matched, as the CLI and the web page
// put it: "1 matching article", "51 matching articles", "about 340,000
// matching articles".
func (r *Results) MatchesText() string {
	n := message.NewPrinter(language.English).Sprintf("%d", r.Total)
	noun := "matching articles"
	if r.Total == 1 {
		noun = "matching article"
	}
	if r.TotalIsEstimate {
		return "about " + n + " " + noun
	}
	return n + " " + noun
}
