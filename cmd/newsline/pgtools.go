package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

// pgTarget is how a PostgreSQL client program (pg_dump, pg_restore)
// reaches the configured database: a connection string without the
// password, which would show in `ps` and in messages, and the password in
// the program's environment.
type pgTarget struct {
	conninfo string
	password string
	dbname   string
}

// env is the child's environment: this process's, with the password.
func (p pgTarget) env() []string {
	e := os.Environ()
	if p.password != "" {
		e = append(e, "PGPASSWORD="+p.password)
	}
	return e
}

// pgxOnly are URL parameters pgx reads and libpq refuses.
var pgxOnly = regexp.MustCompile(`^(pool_.*|statement_cache_capacity|description_cache_capacity|default_query_exec_mode|min_read_buffer_size)$`)

// pgTargetFor splits dsn, a URL or a keyword/value string, into a
// pgTarget.
func pgTargetFor(dsn string) (pgTarget, error) {
	if dsn == "" {
		return pgTarget{}, errors.New("no database configured: set NEWSLINE_DATABASE_URL or --database-url")
	}
	if !strings.Contains(dsn, "://") {
		var t pgTarget
		t.conninfo = strings.TrimSpace(keywordPassword.ReplaceAllStringFunc(dsn, func(m string) string {
			t.password = unquoteKeyword(keywordPassword.FindStringSubmatch(m)[1])
			return ""
		}))
		if m := keywordDBName.FindStringSubmatch(dsn); m != nil {
			t.dbname = unquoteKeyword(m[1])
		}
		return t, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return pgTarget{}, errors.New("the database URL is not a valid URL (not shown, as it may hold a password)")
	}
	var t pgTarget
	if pw, ok := u.User.Password(); ok {
		t.password = pw
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		switch {
		case k == "password":
			t.password = q.Get(k)
			q.Del(k)
		case pgxOnly.MatchString(k):
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	t.conninfo = u.String()
	t.dbname = strings.TrimPrefix(u.Path, "/")
	return t, nil
}

var (
	keywordPassword = regexp.MustCompile(`(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)
	keywordDBName   = regexp.MustCompile(`(?i)\bdbname\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)
)

// unquoteKeyword reads a keyword/value value, 'quoted' or bare, where a
// backslash escapes the next character (libpq's rules).
func unquoteKeyword(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = v[1 : len(v)-1]
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// serverMajor returns the major version of the database's server.
func serverMajor(ctx context.Context, db *store.DB) (int, error) {
	var num int
	if err := db.Pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&num); err != nil {
		return 0, fmt.Errorf("server version: %w", err)
	}
	return num / 10000, nil
}

// pgTool finds the client program name of the server's major version or
// newer: Debian's versioned copy first (/usr/lib/postgresql/N/bin), then
// PATH. An older one cannot read the server's catalog.
func pgTool(ctx context.Context, name string, major int) (string, error) {
	candidates := []string{filepath.Join("/usr/lib/postgresql", strconv.Itoa(major), "bin", name)}
	if p, err := exec.LookPath(name); err == nil {
		candidates = append(candidates, p)
	}
	var found []string
	for _, p := range candidates {
		out, err := exec.CommandContext(ctx, p, "--version").Output()
		if err != nil {
			continue
		}
		v := toolMajor(out)
		if v >= major {
			return p, nil
		}
		found = append(found, fmt.Sprintf("%s is version %d", p, v))
	}
	msg := fmt.Sprintf("%s for PostgreSQL %d or newer is not installed (apt-get install postgresql-client-%d)", name, major, major)
	if len(found) > 0 {
		msg += ": " + strings.Join(found, ", ")
	}
	return "", errors.New(msg)
}

// toolMajor reads "pg_dump (PostgreSQL) 15.20 (Debian …)".
func toolMajor(versionOutput []byte) int {
	m := regexp.MustCompile(`\(PostgreSQL\) (\d+)`).FindSubmatch(versionOutput)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// runPGTool runs a client program, its error quoting the program's own
// message with any password hidden.
func runPGTool(cmd *exec.Cmd) error {
	var stderr bytes.Buffer
	if cmd.Stderr == nil {
		cmd.Stderr = &stderr
	}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(config.RedactText(stderr.String()))
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%s: %s", filepath.Base(cmd.Path), msg)
	}
	return nil
}
