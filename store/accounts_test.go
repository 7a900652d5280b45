package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

func seedUser(t *testing.T, db *store.DB, name string) newsline.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), store.NewUser{Name: name, Email: name + "@example.org", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	jane := seedUser(t, db, "Jane")
	if jane.Role != newsline.RoleReader {
		t.Errorf("role %q", jane.Role)
	}
	for _, nu := range []store.NewUser{
		{Name: "jane", Email: "other@example.org", PasswordHash: "x"},
		{Name: "other", Email: "JANE@example.org", PasswordHash: "x"},
	} {
		if _, err := db.CreateUser(ctx, nu); newsline.ErrorCode(err) != newsline.ECONFLICT {
			t.Errorf("create %+v: %v, want a conflict", nu, err)
		}
	}
	u, hash, err := db.UserLogin(ctx, "JANE@EXAMPLE.ORG")
	if err != nil || u.ID != jane.ID || hash != "x" {
		t.Fatalf("login by email: %+v %q %v", u, hash, err)
	}
	if best, _ := db.ClosestUser(ctx, "jnae"); best != "Jane" {
		t.Errorf("closest user %q", best)
	}
	secret, _ := db.FeedSecret(ctx, jane.ID)
	rotated, err := db.RotateFeedSecret(ctx, jane.ID)
	if err != nil || rotated == secret {
		t.Fatalf("rotate: %q %v", rotated, err)
	}
	if _, err := db.UserByFeedSecret(ctx, secret); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("old secret: %v", err)
	}
	if u, err := db.UserByFeedSecret(ctx, rotated); err != nil || u.ID != jane.ID {
		t.Errorf("new secret: %+v %v", u, err)
	}
	if err := db.DeleteUser(ctx, "JANE"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteUser(ctx, "jane"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
}

func TestTokensStoredHashed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	jane := seedUser(t, db, "jane")
	session, err := db.CreateSession(ctx, jane.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, secret, err := db.CreateAPIToken(ctx, jane.ID, "laptop")
	if err != nil || tok.Name != "laptop" {
		t.Fatal(tok, err)
	}
	var plain int
	db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') LIKE '%'||$1||'%')
		+ (SELECT count(*) FROM api_tokens WHERE encode(token_hash, 'escape') LIKE '%'||$2||'%')`, session[4:], secret[4:]).Scan(&plain)
	if plain != 0 {
		t.Error("a token is stored as it is")
	}
	if _, _, err := db.CreateAPIToken(ctx, jane.ID, "laptop"); newsline.ErrorCode(err) != newsline.ECONFLICT {
		t.Errorf("same name twice: %v", err)
	}
	for _, token := range []string{session, secret} {
		u, cred, err := db.Authenticate(ctx, token)
		if err != nil || u.ID != jane.ID || cred.Session != (token == session) {
			t.Errorf("authenticate %.4s: %+v %+v %v", token, u, cred, err)
		}
	}
	toks, _ := db.APITokens(ctx, jane.ID)
	if len(toks) != 1 || toks[0].LastUsedAt == nil {
		t.Errorf("tokens %+v: no last use", toks)
	}
	// A new password ends the sessions; the API token stays.
	if err := db.SetPassword(ctx, jane.ID, "y"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Authenticate(ctx, session); newsline.ErrorCode(err) != newsline.EUNAUTHORIZED {
		t.Errorf("session after a new password: %v", err)
	}
	if _, _, err := db.Authenticate(ctx, secret); err != nil {
		t.Errorf("API token after a new password: %v", err)
	}
	if err := db.DeleteAPIToken(ctx, jane.ID, "laptop"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, session); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{session, secret, "nls_nope", "nope"} {
		if _, _, err := db.Authenticate(ctx, token); newsline.ErrorCode(err) != newsline.EUNAUTHORIZED {
			t.Errorf("authenticate %q after revoking: %v", token, err)
		}
	}
}

func TestFollowsBookmarksAndFeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	jane, joe := seedUser(t, db, "jane"), seedUser(t, db, "joe")
	a, b := testenv.SeedSite(t, db, "a.example"), testenv.SeedSite(t, db, "b.example")
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 6 {
		site, author := a, "Ann Author"
		if i%2 == 1 {
			site, author = b, "Bob Writer"
		}
		pub := base.Add(time.Duration(i) * time.Hour)
		ids = append(ids, testenv.SeedArticle(t, db, site, newsline.Article{URL: fmt.Sprintf("https://%s/%d", site.Host, i),
			Title: fmt.Sprintf("Story %d", i), Text: "Words of a story.", Authors: []string{author}, PublishedAt: &pub}))
	}
	if err := db.FollowSite(ctx, jane.ID, "A.example"); err != nil {
		t.Fatal(err)
	}
	if err := db.FollowSite(ctx, jane.ID, "a.example"); err != nil {
		t.Fatalf("follow twice: %v", err)
	}
	if err := db.FollowSite(ctx, jane.ID, "c.example"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("follow unknown: %v", err)
	}
	if err := db.FollowAuthor(ctx, jane.ID, "nobody"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("follow unknown author: %v", err)
	}
	page, err := db.FollowedArticles(ctx, jane.ID, "", 10)
	if err != nil || len(page.Articles) != 3 || page.Articles[0].Title != "Story 4" {
		t.Fatalf("feed of a.example: %+v %v", page, err)
	}
	if err := db.FollowAuthor(ctx, jane.ID, "bob-writer"); err != nil {
		t.Fatal(err)
	}
	var seen []string
	cur := ""
	for {
		page, err := db.FollowedArticles(ctx, jane.ID, cur, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Articles {
			seen = append(seen, a.Title)
		}
		if cur = page.NextCursor; cur == "" {
			break
		}
	}
	if fmt.Sprint(seen) != "[Story 5 Story 4 Story 3 Story 2 Story 1 Story 0]" {
		t.Errorf("feed pages: %v", seen)
	}
	if page, _ := db.FollowedArticles(ctx, joe.ID, "", 10); len(page.Articles) != 0 {
		t.Errorf("joe follows nothing, yet sees %d", len(page.Articles))
	}
	sites, authors, err := db.Follows(ctx, jane.ID)
	if err != nil || len(sites) != 1 || sites[0].Host != "a.example" || len(authors) != 1 || authors[0].Name != "Bob Writer" {
		t.Errorf("follows %+v %+v %v", sites, authors, err)
	}
	if err := db.UnfollowAuthor(ctx, joe.ID, "bob-writer"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("joe unfollows jane's author: %v", err)
	}

	for _, id := range ids {
		if err := db.Bookmark(ctx, jane.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Bookmark(ctx, jane.ID, 999999); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("bookmark unknown: %v", err)
	}
	seen = nil
	for cur, pages := "", 0; pages == 0 || cur != ""; pages++ {
		page, err := db.Bookmarks(ctx, jane.ID, cur, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Articles {
			seen = append(seen, a.Title)
		}
		cur = page.NextCursor
	}
	if fmt.Sprint(seen) != "[Story 5 Story 4 Story 3 Story 2 Story 1 Story 0]" {
		t.Errorf("bookmark pages, newest bookmark first: %v", seen)
	}
	if err := db.Unbookmark(ctx, joe.ID, ids[0]); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("joe removes jane's bookmark: %v", err)
	}
	feedArts, err := db.FeedArticles(ctx, store.FeedQuery{BookmarksOf: jane.ID, Limit: 10})
	if err != nil || len(feedArts) != 6 {
		t.Errorf("bookmarks feed: %d %v", len(feedArts), err)
	}
	feedArts, err = db.FeedArticles(ctx, store.FeedQuery{FollowerID: jane.ID, Limit: 2})
	if err != nil || len(feedArts) != 2 || feedArts[0].Title != "Story 5" {
		t.Errorf("followed feed: %v %v", feedArts, err)
	}
}
