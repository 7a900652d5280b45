package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// SaveRequest is one fetched article to store: the URL it was fetched
// from, the extracted article and what the fetch told us.
type SaveRequest struct {
	URLID   int64
	Article *newsline.Article
	Fetch   FetchInfo
}

// SaveArticle stores an article extracted from URL urlID and marks the URL
// fetched, in one transaction. It stores each article once:
//   - a URL fetched again updates its own article, counting a revision when
//     the text changed;
//   - a page whose canonical URL is already stored updates that article;
//   - a page whose text equals, or nearly equals (SimHash), a stored
//     article's becomes an alias of it: the URL points at the article and
//     nothing new is stored.
func (db *DB) SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f FetchInfo) (SaveResult, error) {
	res, err := db.SaveArticles(ctx, []SaveRequest{{URLID: urlID, Article: a, Fetch: f}})
	if err != nil {
		return SaveResult{}, err
	}
	return res[0], nil
}

// SaveArticles stores several articles in one transaction, with the outcome
// each would have had from SaveArticle called in the order given: a later
// request that copies an earlier one becomes its alias. Either all are
// stored or none.
//
// The work is a handful of statements whatever the number of articles:
// per-article statements were most of the database's time on the crawl's
// save path (bench crawl), and most of the worker's time outside
// extraction.
func (db *DB) SaveArticles(ctx context.Context, reqs []SaveRequest) ([]SaveResult, error) {
	items := make([]*saveItem, len(reqs))
	for i, r := range reqs {
		items[i] = newSaveItem(r)
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: save articles: %w", err)
	}
	defer conn.Release()
	if err := saveAll(ctx, conn.Conn(), items); err != nil {
		// A failed statement leaves the transaction open and aborted.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, rerr := conn.Exec(rctx, "ROLLBACK"); rerr != nil {
			// A connection in an unknown state must not go back to the
			// pool: closed, Release drops it. A failed close leaves
			// nothing more to do, and err already says what went wrong.
			_ = conn.Conn().Close(rctx)
		}
		return nil, err
	}
	out := make([]SaveResult, len(items))
	for i, it := range items {
		out[i] = it.res
	}
	return out, nil
}

// saveAll stores items in one transaction, in rounds of three pipelined
// round trips: begin, lock and look up; insert and update; link authors,
// mark the URLs fetched and commit. Each round stores what it can; an item
// that copies another item of the same round waits for the next, which
// finds the copied article stored.
func saveAll(ctx context.Context, conn *pgx.Conn, items []*saveItem) error {
	for round, todo := 0, items; len(todo) > 0; round++ {
		b := &pgx.Batch{}
		if round == 0 {
			queueLocks(b, items)
		}
		queueLookup(b, todo)
		br := conn.SendBatch(ctx, b)
		err := readLookup(br, todo, round == 0)
		if cerr := br.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("store: save articles: %w", cerr)
		}
		if err != nil {
			return err
		}
		fresh, done, deferred := resolve(todo)

		b = &pgx.Batch{}
		if err := queueInsert(b, fresh); err != nil {
			return err
		}
		updates := queueUpdates(b, done)
		if b.Len() > 0 {
			br = conn.SendBatch(ctx, b)
			err = readInsert(br, fresh)
			if err == nil {
				err = readUpdates(br, updates)
			}
			if cerr := br.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("store: save articles: %w", cerr)
			}
			if err != nil {
				return err
			}
		}

		b = &pgx.Batch{}
		queueFinish(b, done)
		if len(deferred) == 0 {
			b.Queue("COMMIT")
		}
		if err := conn.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("store: save articles: %w", err)
		}
		todo = deferred
	}
	return nil
}

// saveItem is one request on its way through SaveArticles.
type saveItem struct {
	SaveRequest
	a       *newsline.Article
	sortAt  time.Time
	simhash int64
	// Found in the database in this round.
	own                  *int64 // the URL's article
	primary              bool   // the URL is the article's own, not an alias
	byCanonical, byHash  *int64
	byNear               *int64
	target               int64 // the article it is, or copies
	alias, update, fresh bool
	res                  SaveResult
}

func newSaveItem(r SaveRequest) *saveItem {
	it := &saveItem{SaveRequest: r, a: r.Article, simhash: int64(r.Fetch.SimHash)}
	it.sortAt = it.a.FetchedAt
	if it.a.PublishedAt != nil {
		it.sortAt = *it.a.PublishedAt
	}
	return it
}

// nearCandidate reports whether the item takes part in near-duplicate
// matching: short texts' hashes collide too easily.
func (it *saveItem) nearCandidate() bool {
	return it.simhash != 0 && it.a.WordCount >= MinWordsNearDuplicate
}
