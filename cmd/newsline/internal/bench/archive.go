package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsline/newsline/store"
)

// archive is an open database holding the generated archive of the search
// benchmark, which the HTTP benchmark serves too.
type archive struct {
	db     *store.DB
	url    string // the database's URL
	name   string // the database's name
	kept   bool   // the database outlives the run
	drop   func(context.Context) error
	cfg    SearchConfig // as given, with the archive's seed, size and vocabulary
	load   SearchLoad
	vocabs []*searchVocab
	zipf   *zipfTable
}

// openArchive opens the archive cfg names: it creates a temporary
// database (named prefix…) on cfg.DatabaseURL's server, or uses
// cfg.DatabaseURL's database itself with cfg.UseDatabase, migrates it and
// loads the archive unless an earlier run did (whose seed, size and
// vocabulary then win over cfg's). close closes it, and drops a temporary
// database unless cfg.Keep.
func openArchive(ctx context.Context, cfg SearchConfig, prefix string) (a *archive, err error) {
	a = &archive{url: cfg.DatabaseURL, kept: true}
	if !cfg.UseDatabase {
		if a.url, a.name, a.drop, err = createDatabase(ctx, cfg.DatabaseURL, prefix); err != nil {
			return nil, err
		}
		a.kept = cfg.Keep
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, a.close(ctx))
		}
	}()

	if a.db, err = store.Open(ctx, a.url); err != nil {
		return a, err
	}
	if a.name == "" {
		if err := a.db.Pool.QueryRow(ctx, `SELECT current_database()`).Scan(&a.name); err != nil {
			return a, fmt.Errorf("bench: %w", err)
		}
	}
	if _, err := a.db.MigrateUp(ctx); err != nil {
		return a, err
	}
	meta, err := readSearchMeta(ctx, a.db.Pool)
	if err != nil {
		return a, err
	}
	if meta != nil {
		cfg.Seed, cfg.Articles, cfg.Vocabulary = meta.Seed, meta.Articles, meta.Vocabulary
		a.load = meta.Load
	}
	a.cfg = cfg

	loadPool, err := openLoadPool(ctx, a.url, cfg.Streams)
	if err != nil {
		return a, err
	}
	defer loadPool.Close()
	cfg.Progress(Progress{Phase: "vocabulary"})
	conn, err := loadPool.Acquire(ctx)
	if err != nil {
		return a, fmt.Errorf("bench: %w", err)
	}
	a.vocabs, err = newSearchVocab(ctx, conn.Conn(), cfg.Seed, cfg.Vocabulary)
	conn.Release()
	if err != nil {
		return a, err
	}
	a.zipf = newZipfTable(cfg.Vocabulary, searchZipfS)
	if meta == nil {
		l := &searchLoader{pool: loadPool, cfg: cfg, vocabs: a.vocabs, zipf: a.zipf}
		if a.load, err = l.load(ctx, cfg.Progress); err != nil {
			return a, err
		}
	}
	return a, nil
}

// close closes the database and drops it unless it is kept; it runs even
// when ctx is canceled (Ctrl-C).
func (a *archive) close(ctx context.Context) error {
	if a.db != nil {
		a.db.Close()
	}
	if a.kept || a.drop == nil {
		return nil
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return a.drop(dctx)
}

// commonWords are the 50 most frequent English words that are not stop
// words: what the search benchmark's common class searches for.
func commonWords(vocabs []*searchVocab) []string {
	v := vocabs[0]
	var out []string
	for r := range v.words {
		if !v.stop[r] {
			out = append(out, v.words[r])
			if len(out) == 50 {
				break
			}
		}
	}
	return out
}
