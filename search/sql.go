package search

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/store"
)

// args numbers a statement's parameters as they are added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// filterSQL is the WHERE clause of p's matches, the text condition, the
// filters and the optional window included; it adds its parameters to a.
type filterSQL struct {
	p          Params
	tsq        string // the tsquery: a parameter, so plans see its value
	filters    store.Filters
	since      time.Time // zero: no window
	dense      bool      // read the window in date order rather than through the text index
	curT       time.Time // keyset cursor, date order
	curID      int64
	withCursor bool
}

func (f filterSQL) where(a *args) string {
	var b strings.Builder
	b.WriteString("a.kind = 'article' AND a.search @@ " + f.tsq)
	if f.filters.SiteID != nil {
		b.WriteString(" AND a.site_id = " + a.add(*f.filters.SiteID))
	}
	if f.filters.AuthorIDs != nil {
		b.WriteString(" AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = ANY(" + a.add(f.filters.AuthorIDs) + "))")
	}
	if f.p.Language != "" {
		b.WriteString(" AND a.language = " + a.add(f.p.Language))
	}
	if f.filters.SectionKey != "" {
		b.WriteString(" AND a.section_key = " + a.add(f.filters.SectionKey))
	}
	from := f.p.From
	if !f.since.IsZero() && f.since.After(from) {
		from = f.since
	}
	if !from.IsZero() {
		b.WriteString(" AND a.sort_at >= " + a.add(from))
	}
	if !f.p.To.IsZero() {
		b.WriteString(" AND a.sort_at < " + a.add(f.p.To))
	}
	if f.withCursor {
		b.WriteString(" AND (a.sort_at, a.id) < (" + a.add(f.curT) + ", " + a.add(f.curID) + ")")
	}
	return b.String()
}

// A search's statements run with plans for the query's own
// values (the tsquery folded into a constant), a bitmap of a common word's
// matches that stays exact, and no JIT compilation, which costs more than
// a bounded search takes.
//
// queueSearch queues sql in a transaction of its own with these settings.
func queueSearch(b *pgx.Batch, sql string, a args, dense bool, read func(pgx.Rows) error) {
	b.Queue("BEGIN")
	b.Queue(`SET LOCAL plan_cache_mode = force_custom_plan`)
	b.Queue(`SET LOCAL work_mem = '64MB'`)
	b.Queue(`SET LOCAL jit = off`)
	if dense {
		// PostgreSQL underestimates what a common word's bitmap costs.
		b.Queue(`SET LOCAL enable_bitmapscan = off`)
	}
	b.Queue(sql, a...).Query(read)
	b.Queue("COMMIT")
}
