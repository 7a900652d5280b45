package jobs

import (
	"context"
	"crypto/sha256"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/store"
)

// DefaultReextractBatch is how many articles a re-extraction reads,
// extracts and writes at a time (one transaction), and how many one
// reextract:batch task covers.
const DefaultReextractBatch = 200

// ReextractOptions configures Handlers.Reextract.
type ReextractOptions struct {
	// Filter selects the articles; its Version is set to extract.Version.
	Filter store.ReextractFilter
	// Batch is the articles per batch; 0 means DefaultReextractBatch.
	Batch int
	// Workers is how many pages are extracted at once; 0 means 1.
	Workers int
	// DryRun extracts and compares but writes nothing.
	DryRun bool
	// Progress, when set, is called after each batch with the totals so
	// far.
	Progress func(ReextractSummary)
}

// ReextractSummary counts what a re-extraction did.
type ReextractSummary struct {
	Pages         int            // articles whose kept page was extracted again
	ChangedBodies int            // of which the text changed
	ChangedKinds  int            // of which the kind changed
	Errors        map[string]int // pages the extractor rejected, by reason (their article is kept as it was)
}

// ErrorCount is the number of pages that failed.
func (s ReextractSummary) ErrorCount() int {
	n := 0
	for _, c := range s.Errors {
		n += c
	}
	return n
}

func (s *ReextractSummary) add(o ReextractSummary) {
	s.Pages += o.Pages
	s.ChangedBodies += o.ChangedBodies
	s.ChangedKinds += o.ChangedKinds
	for k, v := range o.Errors {
		if s.Errors == nil {
			s.Errors = map[string]int{}
		}
		s.Errors[k] += v
	}
}

// Reextract extracts again, from their kept pages, the articles
// opt.Filter selects that an older extractor made, and stores the
// results with the crawler's columns and the current extract.Version, a
// batch at a time. It walks the articles in id order (keyset pagination),
// so each batch is one indexed range scan; an interrupted run loses at
// most the batches in flight, and the next run skips what was stamped.
//
// Reading, extracting and writing overlap: while one batch is extracted
// the next is read and the previous one written, each in its own
// goroutine, so the extractor's workers wait for the database only when
// it is slower than they are.
func (h *Handlers) Reextract(ctx context.Context, opt ReextractOptions) (ReextractSummary, error) {
	opt.Filter.Version = extract.Version
	if opt.Batch <= 0 {
		opt.Batch = DefaultReextractBatch
	}
	opt.Workers = max(opt.Workers, 1)
	type extracted struct {
		items []store.Reextracted
		sum   ReextractSummary
	}
	read, write := make(chan []store.RawArticle, 1), make(chan extracted, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(read)
		for after := int64(0); ; {
			raws, err := h.DB.RawArticles(gctx, opt.Filter, after, opt.Batch)
			if err != nil || len(raws) == 0 {
				return err
			}
			select {
			case read <- raws:
			case <-gctx.Done():
				return gctx.Err()
			}
			after = raws[len(raws)-1].ID
		}
	})
	g.Go(func() error {
		defer close(write)
		for raws := range read {
			items, sum, err := h.reextractBatch(gctx, raws, opt.Workers)
			if err != nil {
				return err
			}
			select {
			case write <- extracted{items, sum}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	var sum ReextractSummary
	g.Go(func() error {
		for b := range write {
			if !opt.DryRun {
				if err := h.DB.SaveReextracted(gctx, b.items); err != nil {
					return err
				}
			}
			sum.add(b.sum)
			if opt.Progress != nil {
				opt.Progress(sum)
			}
		}
		return nil
	})
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return sum, err
}

// reextractBatch extracts raws' pages, workers at a time, and compares
// each result with the stored article.
func (h *Handlers) reextractBatch(ctx context.Context, raws []store.RawArticle, workers int) ([]store.Reextracted, ReextractSummary, error) {
	out := make([]store.Reextracted, len(raws))
	reasons := make([]string, len(raws))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, r := range raws {
		g.Go(func() error {
			out[i] = store.Reextracted{ID: r.ID, Version: extract.Version}
			a, err := h.extract(gctx, r.Languages, r.URL, r.Page)
			if err != nil {
				if gctx.Err() != nil {
					return gctx.Err()
				}
				reasons[i] = extractFailure(err)
				return nil
			}
			a.SiteID = r.SiteID
			sum := sha256.Sum256([]byte(a.Text))
			out[i].Article, out[i].ContentHash, out[i].SimHash = &a, sum[:], extract.SimHash(a.Text)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, ReextractSummary{}, err
	}
	s := ReextractSummary{Pages: len(raws), Errors: map[string]int{}}
	for i, r := range raws {
		x := out[i]
		if x.Article == nil {
			s.Errors[reasons[i]]++
			continue
		}
		if string(x.ContentHash) != string(r.ContentHash) {
			s.ChangedBodies++
		}
		if k := x.Article.Kind; k != "" && k != r.Kind {
			s.ChangedKinds++
		}
	}
	return out, s, nil
}

// String is the summary on one line, for logs.
func (s ReextractSummary) String() string {
	return fmt.Sprintf("%d pages, %d changed bodies, %d changed kinds, %d errors %v",
		s.Pages, s.ChangedBodies, s.ChangedKinds, s.ErrorCount(), s.Errors)
}
