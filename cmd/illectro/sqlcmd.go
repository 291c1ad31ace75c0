package main

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/illectro/illectro/pipeline"
	"github.com/illectro/illectro/shell"
	isql "github.com/illectro/illectro/sql"
)

func sqlCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("sql", "sql [--config FILE | --db PATH] [--format table|csv|json] [--] [QUERY]")
	configPath := fs.String("config", "", "TOML configuration file: query the snapshot of its database (default: the snapshot of ./illectro.duckdb)")
	dbPath := fs.String("db", "", "query this DuckDB file instead of a snapshot (a snapshot's illectro.duckdb, or a working database: then no run may be writing it)")
	format := fs.String("format", "table", "output format: table, csv or json")
	rest, err := fs.parseLeading(env, args)
	if err != nil {
		return err
	}
	if !slices.Contains(shell.Formats, *format) {
		return usagef("sql: unknown format %q (want table, csv or json)", *format)
	}
	if *dbPath != "" && *configPath != "" {
		return usagef("sql: give --db or --config, not both")
	}
	query := strings.Join(rest, " ")
	if strings.TrimSpace(query) == "" {
		b, err := io.ReadAll(env.stdin)
		if err != nil {
			return fmt.Errorf("read query from standard input: %w", err)
		}
		query = string(b)
	}
	if strings.TrimSpace(query) == "" {
		return usagef("sql: no query given (as an argument or on standard input)")
	}
	var db *gosql.DB
	if *dbPath != "" {
		db, _, err = isql.OpenQueryOnly(ctx, *dbPath)
	} else {
		cfg, cerr := pipeline.LoadConfig(*configPath)
		if cerr != nil {
			return cerr
		}
		db, err = pipeline.OpenSnapshot(ctx, cfg)
		switch {
		case errors.Is(err, pipeline.ErrNoSnapshot):
			err = fmt.Errorf("%w; or query a database file with --db PATH", err)
		case errors.Is(err, isql.ErrSnapshotOfAnotherDatabase):
			err = fmt.Errorf("%w; query it anyway with --db %s", err, cfg.SnapshotPath())
		}
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return shell.Run(ctx, db, query, *format, env.stdout, env.stderr)
}
