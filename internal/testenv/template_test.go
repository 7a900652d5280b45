package testenv

import (
	"context"
	"testing"
)

func TestDBCopiesTheTemplate(t *testing.T) {
	ctx := context.Background()
	db := DB(t)
	st, err := db.MigrateStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) == 0 {
		t.Fatal("no migrations listed")
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("migration %d not applied in the copy", s.Version)
		}
	}
	// Each copy is the test's own: what one test writes, another never sees.
	SeedSite(t, db, "one.example")
	other := DB(t)
	sites, err := other.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 0 {
		t.Errorf("a new copy holds %d sites, want none", len(sites))
	}
}

// BenchmarkDatabase compares what a test's database used to cost (an empty
// database, then every migration) with a copy of the migrated template.
func BenchmarkDatabase(b *testing.B) {
	ctx := context.Background()
	b.Run("create+migrate", func(b *testing.B) {
		for b.Loop() {
			if err := migrate(ctx, DatabaseURL(b)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("template", func(b *testing.B) {
		for b.Loop() {
			MigratedDatabaseURL(b)
		}
	})
}
