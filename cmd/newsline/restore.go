package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/spf13/cobra"
)

func (a *app) restoreCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a `newsline backup` dump into an empty database with pg_restore",
		Long: `Restore a dump made by 'newsline backup' (or pg_dump -Fc) into the configured
database, which must be empty: create a new one first (createdb -O newsline
newsline) and point NEWSLINE_DATABASE_URL at it. The restore is one
transaction, so a failure leaves the database empty; objects are owned by
the connecting user whoever owned them before. Run 'newsline migrate up'
afterwards when this binary is newer than the one that made the dump.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.restore(cmd.Context(), args[0])
		},
	}
	return cmd
}

func (a *app) restore(ctx context.Context, file string) error {
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	target, err := pgTargetFor(a.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	major, err := serverMajor(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	var relations int
	err = db.Pool.QueryRow(ctx, `
		SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'`).Scan(&relations)
	db.Close()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if relations > 0 {
		return fmt.Errorf("restore: database %s is not empty (%d tables, views or sequences): restore into a new database (createdb), never over one in use", target.dbname, relations)
	}
	pgRestore, err := pgTool(ctx, "pg_restore", major)
	if err != nil {
		return err
	}
	start := time.Now()
	c := exec.CommandContext(ctx, pgRestore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
		"--dbname="+target.conninfo, file)
	c.Env = target.env()
	if err := runPGTool(c); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(a.stdout, "restore: restored %s (%s) into database %s in %s\n",
		file, byteSize(st.Size()), target.dbname, time.Since(start).Round(time.Millisecond))
	return nil
}
