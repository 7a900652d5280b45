package bench

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newsline/newsline/search"
)

// SearchQuery is one benchmark query as the class means it, whatever
// Newsline's API can express of it.
type SearchQuery struct {
	Class      string
	Terms      string    // websearch syntax
	Site       string    // host; empty for every site
	From, To   time.Time // sort_at (= published_at) in [From, To); zero for no filter
	SortByDate bool      // newest first instead of by rank
	Offset     int
	Limit      int
}

func (q SearchQuery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", q.Terms)
	if q.Site != "" {
		fmt.Fprintf(&b, " site=%s", q.Site)
	}
	if !q.From.IsZero() {
		fmt.Fprintf(&b, " published %s…%s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.SortByDate {
		b.WriteString(" newest first")
	}
	if q.Offset > 0 {
		fmt.Fprintf(&b, " offset %d", q.Offset)
	}
	fmt.Fprintf(&b, " limit %d", q.Limit)
	return b.String()
}

// SearchClasses lists the query classes in the order they run.
func SearchClasses() []string {
	return []string{"rare", "common", "and2", "phrase", "exclude", "site", "date", "datesort", "page10"}
}

// searchParams maps a benchmark query onto Newsline's search API. It is
// the one place to change when the API changes: what it cannot express is
// dropped from the query both sides run (the returned effective query) and
// named in the note. Today it expresses every class.
func searchParams(q SearchQuery) (search.Params, SearchQuery, string) {
	p := search.Params{Query: q.Terms, Site: q.Site, From: q.From, To: q.To, Limit: q.Limit, Offset: q.Offset}
	var notes []string
	if q.SortByDate {
		p.Sort = search.SortDate
		if q.Offset > 0 {
			notes = append(notes, "date order pages by cursor, not offset: ran the first page")
			p.Offset, q.Offset = 0, 0
		}
	}
	return p, q, strings.Join(notes, "; ")
}

// naiveSQL is the baseline for q: rank every match and make a headline
// for every match (in a subquery that OFFSET 0 keeps the planner from
// flattening, so the headlines are not postponed past the LIMIT), then
// sort and cut the page.
func naiveSQL(q SearchQuery) (string, []any) {
	args := []any{q.Terms}
	where := "search @@ q"
	if q.Site != "" {
		args = append(args, q.Site)
		where += fmt.Sprintf(" AND site_id = (SELECT id FROM sites WHERE host = lower($%d))", len(args))
	}
	if !q.From.IsZero() {
		args = append(args, q.From, q.To)
		where += fmt.Sprintf(" AND sort_at >= $%d AND sort_at < $%d", len(args)-1, len(args))
	}
	order := "r DESC"
	if q.SortByDate {
		order = "sort_at DESC, id DESC"
	}
	args = append(args, q.Limit, q.Offset)
	sql := fmt.Sprintf(`SELECT id, title, r, h FROM (
	SELECT id, title, sort_at, ts_rank(search, q) AS r, ts_headline('english', body_text, q) AS h
	FROM articles, websearch_to_tsquery('english', $1) q
	WHERE %s
	OFFSET 0) m
ORDER BY %s LIMIT $%d OFFSET $%d`, where, order, len(args)-1, len(args))
	return sql, args
}

// searchQueries draws every class's queries from the English vocabulary
// by frequency band, deterministically from the seed.
func searchQueries(cfg SearchConfig, vocabs []*searchVocab, zipf *zipfTable) (map[string][]SearchQuery, error) {
	v := vocabs[0]
	common, mid, rare := queryBands(cfg.Articles, v, zipf)
	gen := newSearchGen(cfg.Seed, cfg.Articles, vocabs, zipf)
	pick := func(rng *rand.Rand, band []int) string { return v.words[band[rng.IntN(len(band))]] }
	pick2 := func(rng *rand.Rand, band []int) (string, string) {
		a := rng.IntN(len(band))
		b := rng.IntN(len(band) - 1)
		if b >= a {
			b++
		}
		return v.words[band[a]], v.words[band[b]]
	}
	span := time.Duration(searchYears)*365*24*time.Hour - 30*24*time.Hour
	out := map[string][]SearchQuery{}
	for ci, class := range SearchClasses() {
		rng := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(0x717565727900+ci)))
		for range cfg.Queries {
			q := SearchQuery{Class: class, Limit: search.DefaultLimit}
			switch class {
			case "rare":
				q.Terms = pick(rng, rare)
			case "common":
				q.Terms = pick(rng, common)
			case "and2":
				a, b := pick2(rng, mid)
				q.Terms = a + " " + b
			case "phrase":
				for range 1000 {
					if p, ok := gen.phrase(rng.IntN(cfg.Articles), 0, rng); ok {
						q.Terms = `"` + p + `"`
						break
					}
				}
				if q.Terms == "" {
					return nil, errors.New("bench: found no English phrase in the archive")
				}
			case "exclude":
				a, b := pick2(rng, common)
				q.Terms = a + " -" + b
			case "site":
				q.Terms = pick(rng, common)
				q.Site = searchSiteHost(rng.IntN(40)) // an English site
			case "date":
				q.Terms = pick(rng, common)
				q.From = searchEpoch().Add(time.Duration(rng.Int64N(int64(span)))).Truncate(24 * time.Hour)
				q.To = q.From.AddDate(0, 0, 30)
			case "datesort":
				q.Terms = pick(rng, common)
				q.SortByDate = true
			case "page10":
				q.Terms = pick(rng, common)
				q.Offset = 180
			default:
				return nil, fmt.Errorf("bench: unknown query class %q", class)
			}
			out[class] = append(out[class], q)
		}
	}
	return out, nil
}

// queryBands splits the vocabulary v's content words (not stop words) by
// frequency: the 50 most common, a middle band (ranks 100 to 2000), and
// rare words, for an archive of articles.
func queryBands(articles int, v *searchVocab, zipf *zipfTable) (common, mid, rare []int) {
	var content []int // non-stop ranks, most frequent first
	for r := range v.words {
		if !v.stop[r] {
			content = append(content, r)
		}
	}
	common = content[:min(50, len(content))]
	mid = content[min(100, len(content)-1):min(2000, len(content))]
	// Rare: expected to occur 20–200 times in the English articles
	// (titles and bodies, about 460 words each), or the rarest 2% of the
	// vocabulary when even those are more frequent.
	tokens := float64(articles) * 0.8 * 460
	for _, r := range content {
		if e := zipf.p[r] * tokens; e >= 20 && e <= 200 {
			rare = append(rare, r)
		}
	}
	if len(rare) == 0 {
		rare = content[len(content)-max(len(content)/50, 1):]
	}
	return common, mid, rare
}
