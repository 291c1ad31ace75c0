package main

import (
	"context"
	"fmt"

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
)

func ingestCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("ingest", "ingest --kind assessments|coverage|venues|mediators|socio [--mapping FILE] [--config FILE] [--db PATH] FILE...")
	kindName := fs.String("kind", "", "input kind: assessments, coverage, venues, mediators or socio")
	mapping := fs.String("mapping", "", "TOML column mapping for assessment exports or venue listings (default: the built-in mapping that fits the header)")
	dbPath := fs.String("db", "", "DuckDB database file (default from --config, else ./illectro.duckdb)")
	configPath := fs.String("config", "", "TOML configuration file (database, key file, mappings)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if *kindName == "" {
		return usagef("ingest: --kind is required")
	}
	kind, err := ingest.ParseKind(*kindName)
	if err != nil {
		return usagef("ingest: %v", err)
	}
	if *mapping != "" && kind != ingest.Assessments && kind != ingest.Venues {
		return usagef("ingest: --mapping applies to assessments and venues; %s files are read in their standard format", kind)
	}
	if fs.NArg() == 0 {
		return usagef("ingest: no input file given")
	}
	cfg, err := pipeline.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	override(&cfg.DB, *dbPath)
	key, err := pipeline.HMACKey(env.getenv, cfg)
	if err != nil {
		return err
	}
	if *mapping != "" && kind == ingest.Assessments {
		cfg.AssessmentMapping = *mapping
	}
	if *mapping != "" && kind == ingest.Venues {
		cfg.VenueMapping = *mapping
	}
	m, err := pipeline.AssessmentMapping(cfg)
	if err != nil {
		return err
	}
	vm, err := pipeline.VenueMapping(cfg)
	if err != nil {
		return err
	}
	ref, err := ingest.LoadReference()
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	db, err := isql.Open(ctx, cfg.DB, isql.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := ingest.StoreReference(ctx, db, ref); err != nil {
		return fmt.Errorf("store reference data: %w", err)
	}
	loader := pipeline.NewLoader(db, ref, key, m, newLogger(env), progressFor(env))
	loader.VenueMapping = vm
	loader.Limits = cfg.Limits()
	var failed int
	for _, path := range fs.Args() {
		res, err := loader.Load(ctx, kind, ingest.OSFile(path))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(env.stderr, "illectro: %v\n", err)
			failed++
			continue
		}
		if res.Skipped {
			fmt.Fprintf(env.stdout, "%s: already loaded as file %d (%s), skipped\n", path, res.FileID, res.Name)
			continue
		}
		fmt.Fprintf(env.stdout, "%s: file %d, %s, %d rows read, %d loaded, %d rejected\n", path, res.FileID, res.Format, res.Read, res.Loaded, res.Rejected)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files refused; nothing of them was stored (see ingest_files)", failed, fs.NArg())
	}
	return nil
}
