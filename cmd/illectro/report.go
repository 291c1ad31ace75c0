package main

import (
	"context"
	"fmt"
	"time"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
)

func reportCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("report", "report [--db PATH] [--out DIR]")
	dbPath := fs.String("db", "illectro.duckdb", "DuckDB database file, with marts built by 'illectro run'")
	out := fs.String("out", "public", "folder the static site is written to")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("report takes no arguments, got %q", fs.Args())
	}
	deps, err := geo.Departements()
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	db, err := isql.Open(ctx, *dbPath, isql.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	cfg := defaultConfig()
	cfg.Out = *out
	release, err := publishRelease(ctx, db, cfg, releaseName(time.Now(), "report"), deps)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "report: %s/index.html\nrelease: %s\n", *out, release)
	return nil
}
