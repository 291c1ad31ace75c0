package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/synth"
)

func genCmd(_ context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "assessments" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.stdout, "Usage: illectro gen assessments --rows N --seed S [--out FILE]")
			return errHelp
		}
		return usagef("gen: want 'gen assessments --rows N --seed S [--out FILE]'")
	}
	fs := newFlags("gen assessments", "gen assessments --rows N --seed S [--out FILE]")
	rows := fs.Int("rows", 0, "number of rows to generate")
	seed := fs.Uint64("seed", 0, "random seed: the same seed gives the same file")
	out := fs.String("out", "", "output file (default standard output)")
	if err := fs.parse(env, args[1:]); err != nil {
		return err
	}
	if *rows <= 0 {
		return usagef("gen assessments: --rows must be a positive number")
	}
	opt := synth.AssessmentsOptions{Rows: *rows, Seed: *seed}
	if *out == "" {
		return genAssessments(env.stdout, opt)
	}
	return writeAtomically(*out, func(w *bufio.Writer) error { return genAssessments(w, opt) })
}

// genAssessments writes synthetic assessments drawn from the embedded
// communes and their census figures.
func genAssessments(w io.Writer, opt synth.AssessmentsOptions) error {
	communes, err := geo.Communes()
	if err != nil {
		return err
	}
	centroids, err := geo.Centroids()
	if err != nil {
		return err
	}
	return synth.Assessments(w, communes, centroids, opt)
}

// writeAtomically writes a file through a temporary sibling and a rename, so
// that a reader never sees it half-written.
func writeAtomically(path string, write func(*bufio.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
