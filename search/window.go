package search

import (
	"context"
	"math"
	"regexp"
	"time"
)

// What a search's steps cost, about, on a 2-core machine with the archive
// in the operating system's cache (bench search): reading and testing an
// article, and one entry of the text index for a lexeme. At a million
// articles a common word's 240,000 entries took 40-60 ms; 4,500 articles
// read in date order, 15-25 ms.
const (
	costPerRow     = 5e-6
	costPerPosting = 150e-9
)

// denseRowBudget bounds how many articles a widened window read in date
// order may hold (some 40 ms), unless the page is not yet full.
const denseRowBudget = 8000

// windowAbove is how many times the target a query's estimated matches
// must be for a window.
const windowAbove = 3.0

// phraseBudget is about how many articles holding all of a phrase's words
// a search reads to find the phrase: some 15 ms.
const phraseBudget = 2000

// phraseOp finds a phrase operator (<-> or <N>) in a tsquery's text.
var phraseOp = regexp.MustCompile(`<(-|[0-9]+)>`)

// window is where a search looks for matches first, and what it wants to
// find there.
type window struct {
	start, end time.Time // the span the filters (and a cursor) leave
	estimate   float64   // matches in the span, by the planner's statistics
	share      float64   // the share of all articles the text alone matches
	postings   float64   // the text index's entries for the query's lexemes
	needed     int       // matches the page needs: those before it, its own and one more
	target     int       // matches to rank
	phrase     bool      // the query holds a phrase
	sortDate   bool
}

// openWindow plans the first window: its span, its target, and whether it
// is read in date order; it sets f's window to it when the estimate says
// the span holds well over the target.
func openWindow(p Params, fa facts, f *filterSQL, depth int) window {
	// The window's span: from the earliest to the latest article the
	// filters (and a cursor) leave.
	w := window{start: *fa.first, end: fa.last.Add(time.Microsecond), estimate: fa.estimate, share: fa.share,
		postings: fa.postings, needed: p.Offset + p.Limit + 1, target: depth, sortDate: p.Sort == SortDate}
	if !p.From.IsZero() && p.From.After(w.start) {
		w.start = p.From
	}
	if !p.To.IsZero() && p.To.Before(w.end) {
		w.end = p.To
	}
	if f.withCursor && f.curT.Before(w.end) && w.end.After(w.start) {
		w.estimate *= max(float64(f.curT.Sub(w.start)), 0) / float64(w.end.Sub(w.start))
		w.end = f.curT.Add(time.Microsecond)
	}
	if w.sortDate {
		w.target = 3 * (p.Limit + 1)
	}
	// A phrase's matches are found among the articles holding all its
	// words, each of which must be read to look at the words' positions,
	// which the index does not hold: the window holds about phraseBudget
	// of those (the estimate counts them), and is never widened.
	w.phrase = phraseOp.MatchString(fa.query)
	if w.phrase {
		w.target = phraseBudget
	}
	dense := w.chooseDense()
	w.target = max(w.target, w.needed)
	// Ranking a few more matches than the target costs less than the
	// window's index work, which grows with its span.
	above := windowAbove
	if w.phrase {
		above = 1.5 // each candidate is read: the window pays for itself sooner
	}
	if w.end.After(w.start) && w.estimate > above*float64(w.target) {
		f.since = w.end.Add(-time.Duration(float64(w.end.Sub(w.start)) * float64(w.target) / w.estimate))
		f.dense = dense
	}
	return w
}

// chooseDense says whether the window is better read in date order. The
// index gives up a query's matches by walking its lexemes' entries, all of
// them for OR and NOT, so a common word's matches cost more to collect
// than reading the window's articles in date order and testing each;
// which is cheaper is judged by the estimates. A phrase read in date order
// targets the matches its budget of articles holds.
func (w *window) chooseDense() bool {
	if w.share <= 0 {
		return false
	}
	rows := float64(max(w.target, w.needed)) / w.share
	if w.phrase {
		// Read phraseBudget articles, if they hold enough with all the
		// phrase's words.
		rows = math.Inf(1)
		if phraseBudget*w.share >= float64(w.needed) {
			rows = phraseBudget
		}
	}
	dense := rows*costPerRow < w.postings*costPerPosting+float64(w.target)*costPerRow
	if dense && w.phrase {
		w.target = int(phraseBudget * w.share)
	}
	return dense
}

// rankInWindows runs the main statement in f's window, widening it while
// it holds too few matches. With count, the first round trip counts the
// matches too; it returns what that counted (-1: nothing).
func (s *Searcher) rankInWindows(ctx context.Context, f *filterSQL, res *Results, w window, count bool) (int64, error) {
	counted := int64(-1)
	for attempt := 0; ; attempt++ {
		ranked, err := s.page(ctx, *f, res, count, &counted)
		if err != nil {
			return counted, err
		}
		count = false
		enough := ranked >= w.needed && (w.sortDate || ranked >= w.target/4)
		if f.since.IsZero() || enough || w.phrase {
			return counted, nil
		}
		since, stop := w.widen(*f, ranked, attempt)
		if stop {
			return counted, nil
		}
		f.since = since
		f.dense = f.dense && !since.IsZero()
	}
}

// widen returns the start of the next, wider window after f's ranked too
// few matches: widened by what the matches found say of their density, the
// last try to everything (zero). stop says the page is full and a wider
// window would read too many articles in date order.
func (w window) widen(f filterSQL, ranked, attempt int) (since time.Time, stop bool) {
	span := w.end.Sub(f.since)
	factor := 8.0
	if ranked > 0 {
		factor = min(max(float64(w.target)/float64(ranked), 2), 16)
	}
	if f.dense && w.share > 0 && w.end.After(w.start) {
		// Read in date order, a wider window reads every article in
		// it: within denseRowBudget, a full page is enough.
		rows := w.estimate / w.share * float64(span) / float64(w.end.Sub(w.start))
		if rows*factor > denseRowBudget {
			if ranked >= w.needed {
				return time.Time{}, true
			}
			factor = max(denseRowBudget/rows, 2)
		}
	}
	since = w.end.Add(-time.Duration(float64(span) * factor))
	if attempt >= 1 || !since.After(w.start) {
		since = time.Time{}
	}
	return since, false
}
