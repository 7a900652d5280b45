package podcast

import (
	"context"
	"time"

	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// Policy is the selection policy: store.PickPolicy's rules, with the
// trending terms looked up when Trending is set.
type Policy struct {
	MinCompleteness float64
	PerDay          int
	Sites           []string
	Trending        bool
	MaxAge          time.Duration
}

// Trending terms a selection looks for: the day's, the twenty rising most.
const (
	trendingWindow = 24 * time.Hour
	trendingTerms  = 20
)

// Select chooses the next articles by the policy and records them as
// picked; it returns the new picks.
func Select(ctx context.Context, db *store.DB, p Policy, now time.Time) ([]store.Pick, error) {
	pp := store.PickPolicy{MinCompleteness: p.MinCompleteness, PerDay: p.PerDay, Sites: p.Sites, MaxAge: p.MaxAge, Now: now}
	if p.Trending {
		terms, err := search.Trending(ctx, db.Pool, trendingWindow, now, trendingTerms)
		if err != nil {
			return nil, err
		}
		for _, t := range terms {
			pp.Terms = append(pp.Terms, t.Stem)
		}
	}
	return db.PickArticles(ctx, pp)
}

// Expire deletes the episodes made more than retention ago, their files
// with their rows.
func Expire(ctx context.Context, db *store.DB, dir string, retention time.Duration, now time.Time) (int, error) {
	return db.ExpireEpisodes(ctx, now.Add(-retention), func(paths ...string) error { return RemoveFiles(dir, paths...) })
}
