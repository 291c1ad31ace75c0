package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	isql "github.com/illectro/illectro/sql"
)

// runsCmd lists the run history from the runs table. It reads the working
// database, so while a run holds it DuckDB refuses and the message says so.
func runsCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("runs", "runs [--db PATH] [--last N]")
	dbPath := fs.String("db", "illectro.duckdb", "DuckDB database file the runs write (opened read-only)")
	last := fs.Int("last", 20, "how many runs to list, newest first")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("runs takes no arguments, got %q", fs.Args())
	}
	if *last < 1 {
		return usagef("runs: --last must be at least 1")
	}
	db, err := isql.Open(ctx, *dbPath, isql.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, isql.RunsList, *last)
	if err != nil {
		return fmt.Errorf("read runs: %w", err)
	}
	defer rows.Close()
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\ttrigger\tstarted (UTC)\tfinished (UTC)\tstatus\tfiles\trefused\trows loaded\trows rejected\trelease\terror")
	for rows.Next() {
		var id, files, refused, loaded, rejected int64
		var trigger, started, finished, status, msg, release string
		if err := rows.Scan(&id, &trigger, &started, &finished, &status, &msg, &files, &refused, &loaded, &rejected, &release); err != nil {
			return fmt.Errorf("read runs: %w", err)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", id, trigger, started, finished, status, files, refused, loaded, rejected, release, msg)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read runs: %w", err)
	}
	return tw.Flush()
}
