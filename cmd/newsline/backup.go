package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
)

func (a *app) backupCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Dump the database to a file with pg_dump (custom format), for `newsline restore`",
		Long: `Dump the whole database (articles, sites, URLs, users, bookmarks, episodes'
rows) with pg_dump -Fc, PostgreSQL's compressed custom format, to --out. The
pg_dump used is the server's major version or newer (Debian's
/usr/lib/postgresql/N/bin first); the password goes to it through its
environment, never on its command line or the screen. The dump is written
to FILE.partial and renamed when complete. Redis holds nothing to back up.

Restore it with 'newsline restore FILE' into an empty database, or with
pg_restore --no-owner -d DATABASE FILE.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.backup(cmd.Context(), out)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write; '-' for standard output (default newsline-DATABASE-YYYYMMDD-HHMMSS.dump)")
	return cmd
}

func (a *app) backup(ctx context.Context, out string) error {
	target, err := pgTargetFor(a.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	major, err := serverMajor(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	pgDump, err := pgTool(ctx, "pg_dump", major)
	if err != nil {
		return err
	}
	if out == "" {
		out = fmt.Sprintf("newsline-%s-%s.dump", target.dbname, time.Now().Format("20060102-150405"))
	}
	report := a.stdout
	var w io.Writer = a.stdout
	var f *os.File
	if out == "-" {
		report = a.stderr // standard output is the dump
	} else {
		if f, err = os.OpenFile(out+".partial", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		defer os.Remove(f.Name()) // left only by a failure; renamed on success
		defer f.Close()
		w = f
	}
	cw := &countingWriter{w: w}
	start := time.Now()
	stop := a.progress(report, "backup", cw)
	c := exec.CommandContext(ctx, pgDump, "--format=custom", "--dbname="+target.conninfo)
	c.Env, c.Stdout = target.env(), cw
	err = runPGTool(c)
	stop()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := os.Rename(f.Name(), out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		out, _ = filepath.Abs(out)
	}
	fmt.Fprintf(report, "backup: wrote %s of database %s (PostgreSQL %d) to %s in %s\n",
		byteSize(cw.n.Load()), target.dbname, major, out, time.Since(start).Round(time.Millisecond))
	return nil
}

// countingWriter counts what goes through it, for progress.
type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// progress prints the bytes counted every 5 s until stop is called.
func (a *app) progress(w io.Writer, what string, cw *countingWriter) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(w, "%s: %s so far\n", what, byteSize(cw.n.Load()))
			}
		}
	}()
	return func() { close(done); <-finished }
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
