package main

import (
	"context"
	"fmt"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
)

func reportCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("report", "report [--config FILE] [--db PATH] [--out DIR]")
	configPath := fs.String("config", "", "TOML configuration file (database, site, releases and how many to keep)")
	dbPath := fs.String("db", "", "DuckDB database file, with marts built by 'illectro run' (default from --config, else ./illectro.duckdb)")
	out := fs.String("out", "", "folder the static site is published to (default from --config, else ./public)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("report takes no arguments, got %q", fs.Args())
	}
	cfg, err := pipeline.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	override(&cfg.DB, *dbPath)
	override(&cfg.Out, *out)
	deps, err := geo.Departements()
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	db, err := isql.Open(ctx, cfg.DB, isql.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	release, err := pipeline.PublishRelease(ctx, db, cfg, pipeline.ReleaseName(time.Now(), "report"), deps)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "report: %s/index.html\nrelease: %s\n", cfg.Out, release)
	return nil
}
