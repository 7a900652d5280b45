package devenv

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// pgLibGlob is where Debian/Ubuntu put versioned PostgreSQL binaries; they
// are not on PATH unless someone linked them there.
const pgLibGlob = "/usr/lib/postgresql/*/bin"

// FindPostgres returns the directory holding initdb, pg_ctl and postgres.
// It prefers initdb on PATH, else the highest version under
// /usr/lib/postgresql/*/bin.
func FindPostgres() (bindir string, err error) {
	return findPostgres(os.Getenv("PATH"), pgLibGlob)
}

// findPostgres takes the search path and glob as arguments so tests can
// point them at empty or fake directories.
func findPostgres(path, libGlob string) (string, error) {
	if p, ok := lookPath("initdb", path); ok {
		// Symlinks are resolved because pg_ctl locates postgres next to its
		// own real path, so the real directory is the one that must hold
		// all three; e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin.
		if real, err := filepath.EvalSymlinks(p); err == nil && hasPGBinaries(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if hasPGBinaries(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob(libGlob) // the only error is a malformed pattern
	slices.SortFunc(dirs, func(a, b string) int {
		return compareVersions(filepath.Base(filepath.Dir(b)), filepath.Base(filepath.Dir(a)))
	})
	for _, d := range dirs {
		if hasPGBinaries(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf(`%w on PATH or under %s: install them with "apt-get install postgresql"`, ErrNoPostgres, libGlob)
}

func findRedis(path string) (string, error) {
	if p, ok := lookPath("redis-server", path); ok {
		return p, nil
	}
	return "", fmt.Errorf(`%w on PATH: install it with "apt-get install redis-server"`, ErrNoRedis)
}

func hasPGBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if !isExecutable(filepath.Join(dir, name)) {
			return false
		}
	}
	return true
}

// lookPath is exec.LookPath over an explicit list instead of $PATH. Empty
// entries (meaning ".") are skipped: the current directory is no place to
// pick up a database server from.
func lookPath(name, path string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, true
		}
	}
	return "", false
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// compareVersions orders "9.6" < "10" < "15" numerically; names that are
// not versions sort lowest so a real version always wins.
func compareVersions(a, b string) int {
	pa, oka := parseVersion(a)
	pb, okb := parseVersion(b)
	switch {
	case !oka && !okb:
		return strings.Compare(a, b)
	case !oka:
		return -1
	case !okb:
		return 1
	}
	return slices.Compare(pa, pb)
}

func parseVersion(s string) ([]int, bool) {
	var out []int
	for f := range strings.SplitSeq(s, ".") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}
