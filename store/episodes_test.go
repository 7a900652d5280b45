package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// seedPickable stores an article as the crawler would, SimHash included,
// published ago before now.
func seedPickable(t *testing.T, db *store.DB, site newsline.Site, slug, text string, completeness float64, ago time.Duration) int64 {
	t.Helper()
	ctx := context.Background()
	u := "https://" + site.Host + "/" + slug
	if _, err := db.AddURLs(ctx, site.ID, []string{u}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM urls WHERE url = $1`, u).Scan(&id); err != nil {
		t.Fatal(err)
	}
	pub := time.Now().Add(-ago)
	sum := sha256.Sum256([]byte(u + text))
	res, err := db.SaveArticle(ctx, id, &newsline.Article{SiteID: site.ID, URL: u, CanonicalURL: u, Title: strings.ReplaceAll(slug, "-", " "), Text: text,
		WordCount: len(strings.Fields(text)), FetchedAt: time.Now(), PublishedAt: &pub, Language: "en", Kind: "article",
		Completeness: completeness}, store.FetchInfo{HTTPStatus: 200, ContentHash: sum[:], SimHash: extract.SimHash(text)})
	if err != nil {
		t.Fatal(err)
	}
	return res.ArticleID
}

var storyWords = strings.Fields("harbour council vote plan debate money mayor spring fishermen relief critics costs doubled " +
	"years ships dawn repairs port crane workers union strike wages tide storm coast guard rescue boat engine captain cargo grain")

// story returns 60 sentences of words chosen by seed; every change-th
// sentence (when change > 0) is another's, as in a rewrite of the story.
func story(seed, change int) string {
	var b strings.Builder
	for i := range 60 {
		s := seed
		if change > 0 && i%change == 0 {
			s = seed + 1000
		}
		n := len(storyWords)
		fmt.Fprintf(&b, "The %s and the %s met the %s about %s. ", storyWords[(i*7+s)%n], storyWords[(i*3+s*5)%n],
			storyWords[(i*11+s)%n], storyWords[(i+s*13)%n])
	}
	return b.String()
}

func TestPickArticles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	a := testSite(t, db, "listed.example")
	b := testSite(t, db, "other.example")
	harbour := seedPickable(t, db, b, "harbour-reopens", story(1, 0), 0.9, time.Hour)
	// Only its title has the trending word. Another site's rewrite of
	// it (a quarter of the sentences differ, 4 SimHash bits) is too far
	// apart to be stored as one article, but the same story to a
	// listener: never read twice.
	if cp := seedPickable(t, db, a, "harbour-rewrite", story(1, 4), 0.9, 2*time.Hour); cp == harbour {
		t.Fatal("the rewrite was stored as an alias; the test needs two articles")
	}
	bridge := seedPickable(t, db, a, "bridge", story(2, 0), 0.9, 3*time.Hour)
	seedPickable(t, db, a, "stub", story(3, 0), 0.3, time.Hour)          // not complete enough
	seedPickable(t, db, a, "old", story(4, 0), 0.9, 10*24*time.Hour)     // too old
	seedPickable(t, db, b, "unlisted", story(5, 0), 0.9, 30*time.Minute) // neither listed nor trending
	base := store.PickPolicy{MinCompleteness: 0.7, PerDay: 5, MaxAge: 48 * time.Hour}
	tests := []struct {
		name   string
		policy func(p store.PickPolicy) store.PickPolicy
		want   []int64
	}{
		{"nothing listed, nothing trending", func(p store.PickPolicy) store.PickPolicy { return p }, nil},
		{"a day's limit of one, trending first", func(p store.PickPolicy) store.PickPolicy {
			p.PerDay, p.Sites, p.Terms = 1, []string{"listed.example"}, []string{"reopen"}
			return p
		}, []int64{harbour}},
		{"the limit reached today", func(p store.PickPolicy) store.PickPolicy {
			p.PerDay, p.Sites = 1, []string{"listed.example"}
			return p
		}, nil},
		{"the next day: never the same story twice", func(p store.PickPolicy) store.PickPolicy {
			p.Sites, p.Terms, p.Now = []string{"listed.example"}, []string{"reopen"}, time.Now().Add(24*time.Hour)
			p.MaxAge += 24 * time.Hour
			return p
		}, []int64{bridge}},
		{"nothing left", func(p store.PickPolicy) store.PickPolicy {
			p.Sites, p.Now = []string{"listed.example", "other.example"}, time.Now().Add(24*time.Hour)
			return p
		}, nil},
	}
	var unlisted int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM articles WHERE title = 'unlisted'`).Scan(&unlisted); err != nil {
		t.Fatal(err)
	}
	tests[len(tests)-1].want = []int64{unlisted}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			picks, err := db.PickArticles(ctx, tt.policy(base))
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, p := range picks {
				got = append(got, p.ArticleID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("picked %v %+v, want %v", got, picks, tt.want)
			}
		})
	}
	left, err := db.PicksWithoutEpisode(ctx, time.Now().Add(-time.Hour))
	if err != nil || len(left) != 3 {
		t.Fatalf("picks without episode: %+v, %v", left, err)
	}
	if left[0].Reason != "trending:reopen" || left[1].Reason != "site:listed.example" {
		t.Errorf("reasons: %+v", left)
	}
}

func TestEpisodesOncePerVersionAndExpire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testSite(t, db, "news.example")
	id := seedPickable(t, db, site, "story", story(6, 0), 0.9, time.Hour)
	ep := store.Episode{ArticleID: id, Engine: "espeak-ng", EngineVersion: "espeak-ng 1.51 en", Language: "en",
		Path: "2026/12/story-1.mp3", Bytes: 1234, Duration: 16400 * time.Millisecond,
		ChaptersPath: "2026/12/story-1.chapters.json", TranscriptPath: "2026/12/story-1.vtt", Chapters: 2}
	first, created, err := db.AddEpisode(ctx, ep)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	again := ep
	again.Path = "2026/12/story-1-again.mp3"
	second, created, err := db.AddEpisode(ctx, again)
	if err != nil || created || second.ID != first.ID || second.Path != ep.Path {
		t.Fatalf("second: %+v created %v: %v", second, created, err)
	}
	eps, err := db.Episodes(ctx, store.EpisodeQuery{Limit: 10})
	if err != nil || len(eps) != 1 || eps[0].Duration != ep.Duration || eps[0].Article.Title != "story" || eps[0].Article.Text == "" {
		t.Fatalf("episodes: %+v %v", eps, err)
	}
	if eps, err := db.Episodes(ctx, store.EpisodeQuery{ArticleIDs: []int64{id + 1}, Limit: 10}); err != nil || len(eps) != 0 {
		t.Fatalf("episodes of other articles: %+v %v", eps, err)
	}
	// A file that cannot be removed keeps its row.
	if _, err := db.ExpireEpisodes(ctx, time.Now().Add(time.Minute), func(...string) error { return errors.New("disk says no") }); err == nil {
		t.Fatal("expire ignored a failed removal")
	}
	var removed []string
	n, err := db.ExpireEpisodes(ctx, time.Now().Add(time.Minute), func(p ...string) error { removed = append(removed, p...); return nil })
	if err != nil || n != 1 || len(removed) != 3 {
		t.Fatalf("expire: %d %v %v", n, removed, err)
	}
	if _, err := db.EpisodeFor(ctx, id, ep.EngineVersion); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Fatalf("after expiry: %v", err)
	}
}
