package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	pwhash "github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// runInput runs newsline in-process with stdin as its standard input.
func runInput(t *testing.T, e env, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := mainWithInput(context.Background(), args, strings.NewReader(stdin), &out, &out, e.lookup)
	return code, out.String()
}

func TestCLIUsers(t *testing.T) {
	t.Parallel()
	dbURL := testenv.MigratedDatabaseURL(t)
	e := env{"NEWSLINE_DATABASE_URL": dbURL, "NEWSLINE_LOG_LEVEL": "warn"}
	if code, out := run(t, e, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	steps := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"", []string{"users", "ls"}, 0, "no users yet"},
		{"correct horse battery\n", []string{"users", "add", "alice", "--email", "alice@Example.org", "--admin", "--password-stdin"}, 0,
			"added alice <alice@example.org> (admin)"},
		{"another good password\n", []string{"user", "add", "bob", "--email", "bob@example.org", "--password-stdin"}, 0, "added bob <bob@example.org> (reader)"},
		{"another good password\n", []string{"users", "add", "Bob", "--email", "b2@example.org", "--password-stdin"}, 1, `the name "Bob" is taken`},
		{"short\n", []string{"users", "add", "carol", "--email", "carol@example.org", "--password-stdin"}, 1, "at least 10 characters"},
		{"", []string{"users", "add", "carol", "--email", "carol@example.org"}, 2, "--password-stdin"},
		{"", []string{"users", "add", "carol"}, 2, "email is required"},
		{"", []string{"users", "add", "carol smith", "--email", "c@example.org"}, 2, "use letters, digits"},
		{"", []string{"users", "add"}, 2, "takes 1 argument (NAME)"},
		{"", []string{"users", "lsit"}, 2, "did you mean list?"},
		{"", []string{"users", "list"}, 0, "alice"},
		{"new password here\n", []string{"users", "passwd", "alcie", "--password-stdin"}, 1, "did you mean alice?"},
		{"new password here\n", []string{"users", "passwd", "ALICE", "--password-stdin"}, 0, "set the password of alice"},
		{"", []string{"users", "rm", "bobb"}, 1, "did you mean bob?"},
		{"", []string{"users", "rm", "bob"}, 0, "removed bob"},
	}
	for _, s := range steps {
		code, out := runInput(t, e, s.stdin, s.args...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Fatalf("newsline %s: exit %d, want %d; output:\n%s\nwant it to contain %q", strings.Join(s.args, " "), code, s.code, out, s.want)
		}
	}
	code, out := run(t, e, "users", "list")
	if code != 0 || strings.Contains(out, "bob") || !strings.Contains(out, "alice@example.org  admin") {
		t.Fatalf("list after removing bob: %s", out)
	}
	// The new password is the one stored, hashed.
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, hash, err := db.UserLogin(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := pwhash.Check("new password here", hash); !ok || err != nil || strings.Contains(hash, "new password") {
		t.Errorf("stored hash %q: check %v %v", hash, ok, err)
	}
}
