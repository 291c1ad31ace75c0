package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/illectro/illectro/pipeline"
)

func runCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("run", "run [--config FILE] [--db PATH] [--out DIR] [--inbox DIR] [--force]")
	configPath := fs.String("config", "", "TOML configuration file")
	db := fs.String("db", "", "DuckDB database file (default from --config, else ./illectro.duckdb)")
	out := fs.String("out", "", "folder the static site is published to (default from --config, else ./public)")
	inbox := fs.String("inbox", "", "folder of input files, one sub-folder per kind")
	force := fs.Bool("force", false, "rebuild and publish even when nothing changed since the last run")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("run takes no arguments, got %q", fs.Args())
	}
	cfg, err := pipeline.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	override(&cfg.DB, *db)
	override(&cfg.Out, *out)
	override(&cfg.Inbox, *inbox)
	cfg.Force = *force
	sum, err := pipeline.Run(ctx, cfg, pipeline.Options{Trigger: "manual", Log: newLogger(env), Getenv: env.getenv, Progress: progressFor(env)})
	if err != nil {
		return err
	}
	fmt.Fprint(env.stdout, sum)
	return nil
}

func override(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// newLogger logs for people on a terminal (text), and as JSON lines for
// cron, systemd or a log collector otherwise.
func newLogger(env *environment) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if isTerminal(env.stderr) {
		return slog.New(slog.NewTextHandler(env.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(env.stderr, opts))
}
