package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/illectro/illectro/bench"
)

// selfCommand runs this program with args; tests replace it, since their
// executable is the test binary.
var selfCommand = func(ctx context.Context, args ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return exec.CommandContext(ctx, exe, args...), nil
}

func benchRunCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("bench run", "bench run [--assessments N] [--venues N] [--defects F] [--seed S] [--dir DIR]")
	assessments := fs.Int("assessments", 10_000_000, "synthetic assessments to generate")
	venues := fs.Int("venues", 20_000, "synthetic venues to generate")
	defects := fs.Float64("defects", 0.001, "share of generated rows with a defect the loader must reject")
	seed := fs.Uint64("seed", 1, "random seed of the generated France")
	dir := fs.String("dir", "", "working folder (default: a temporary folder, removed afterwards)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("bench run takes no arguments, got %q", fs.Args())
	}
	if *assessments <= 0 || *venues <= 0 || *defects < 0 || *defects >= 1 {
		return usagef("bench run: --assessments and --venues must be positive, --defects in [0, 1)")
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "illectro-bench-run-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	} else if entries, err := os.ReadDir(work); err == nil && len(entries) > 0 {
		return fmt.Errorf("bench run: %s is not empty; give an empty or new folder", work)
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	return bench.Run(ctx, env.stdout, selfCommand, work, bench.RunOptions{Assessments: *assessments, Venues: *venues, Defects: *defects, Seed: *seed})
}
