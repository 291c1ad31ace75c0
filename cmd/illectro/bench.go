package main

import (
	"context"
	"fmt"
	"os"

	"github.com/illectro/illectro/bench"
)

const benchUsage = "bench ingest [--rows N] [--repeat R] [--seed S] [--dir DIR]\n       illectro bench run [--assessments N] [--venues N] [--defects F] [--seed S] [--dir DIR]"

func benchCmd(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && args[0] == "run" {
		return benchRunCmd(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "ingest" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.stdout, "Usage: illectro "+benchUsage)
			return errHelp
		}
		return usagef("bench: want 'illectro %s'", benchUsage)
	}
	fs := newFlags("bench ingest", "bench ingest [--rows N] [--repeat R] [--seed S] [--dir DIR]")
	rows := fs.Int("rows", 1_000_000, "rows of synthetic assessments to generate and load")
	repeat := fs.Int("repeat", 1, "rounds of the four loads, each round in a rotated order; figures are medians")
	seed := fs.Uint64("seed", 1, "random seed of the generated file")
	dir := fs.String("dir", "", "working folder (default: a temporary folder, removed afterwards)")
	if err := fs.parse(env, args[1:]); err != nil {
		return err
	}
	if *rows <= 0 {
		return usagef("bench ingest: --rows must be positive")
	}
	if *repeat <= 0 {
		return usagef("bench ingest: --repeat must be positive")
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "illectro-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	return bench.Ingest(ctx, env.stdout, work, *rows, *repeat, *seed)
}
