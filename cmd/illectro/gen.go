package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/synth"
	"github.com/illectro/illectro/synth/france"
)

const (
	genAssessmentsSynopsis = "gen assessments --rows N --seed S [--format generic|pix-orga] [--out FILE]"
	genFranceSynopsis      = "gen france --out DIR [--assessments N] [--venues N] [--defects SHARE] [--seed S]"
)

func genCmd(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "assessments":
			return genAssessmentsCmd(env, args[1:])
		case "france":
			return genFranceCmd(ctx, env, args[1:])
		case "-h", "--help", "-help":
			fmt.Fprintf(env.stdout, "Usage:\n  illectro %s\n  illectro %s\n", genAssessmentsSynopsis, genFranceSynopsis)
			return errHelp
		}
	}
	return usagef("gen: want '%s' or '%s'", genAssessmentsSynopsis, genFranceSynopsis)
}

func genAssessmentsCmd(env *environment, args []string) error {
	fs := newFlags("gen assessments", genAssessmentsSynopsis)
	rows := fs.Int("rows", 0, "number of rows to generate")
	seed := fs.Uint64("seed", 0, "random seed: the same seed gives the same file")
	out := fs.String("out", "", "output file (default standard output)")
	format := fs.String("format", "generic", "generic (what ingest reads without a mapping) or pix-orga (a Pix Orga export, read by the built-in mapping pix-orga)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if *rows <= 0 {
		return usagef("gen assessments: --rows must be a positive number")
	}
	write := synth.Assessments
	switch *format {
	case "generic":
	case "pix-orga":
		write = synth.PixAssessments
	default:
		return usagef("gen assessments: --format %q: want generic or pix-orga", *format)
	}
	opt := synth.AssessmentsOptions{Rows: *rows, Seed: *seed}
	gen := func(w io.Writer) error { return synth.FromEmbedded(w, opt, write) }
	if *out == "" {
		return gen(env.stdout)
	}
	return atomicfile.Write(*out, 0o644, func(w *bufio.Writer) error { return gen(w) })
}

func genFranceCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("gen france", genFranceSynopsis)
	out := fs.String("out", "", "inbox folder to write (created if needed), loadable by 'illectro run --inbox DIR'")
	assessments := fs.Int("assessments", 10_000_000, "valid synthetic assessments to write")
	venues := fs.Int("venues", 20_000, "valid synthetic venues to write")
	defects := fs.Float64("defects", 0.001, "share of rows of each generated file that carry one defect, from 0 to 0.5")
	seed := fs.Uint64("seed", 1, "random seed: the same flags give the same bytes")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("gen france takes no arguments, got %q", fs.Args())
	}
	opt := france.Options{Assessments: *assessments, Venues: *venues, DefectShare: *defects, Seed: *seed}
	switch {
	case *out == "":
		return usagef("gen france: --out is required")
	case opt.Assessments <= 0:
		return usagef("gen france: --assessments must be a positive number")
	case opt.Venues <= 0:
		return usagef("gen france: --venues must be a positive number")
	case !(opt.DefectShare >= 0 && opt.DefectShare <= synth.MaxDefectShare):
		return usagef("gen france: --defects must be a share from 0 to %v", synth.MaxDefectShare)
	}
	// A file with more rejects than the loader keeps is refused whole: the
	// defects must stay below that.
	for _, n := range []int{opt.Assessments, opt.Venues} {
		if d := synth.DefectRows(n, opt.DefectShare); d >= ingest.MaxRejects {
			return usagef("gen france: --defects %v gives %d defective rows in one file; the loader refuses a file with %d or more", opt.DefectShare, d, ingest.MaxRejects)
		}
	}
	start := time.Now()
	rep, err := france.Write(ctx, *out, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote a synthetic France in %s (seed %d, %s):\n", *out, opt.Seed, time.Since(start).Round(time.Millisecond))
	for _, f := range rep.Files {
		if !f.Synthetic {
			fmt.Fprintf(env.stdout, "  %s: real bundled file, %d bytes\n", f.Path, f.Bytes)
			continue
		}
		fmt.Fprintf(env.stdout, "  %s: %d rows + %d defective, %d bytes\n", f.Path, f.Rows, f.Defects.Total(), f.Bytes)
		for _, k := range f.Defects.Kinds() {
			fmt.Fprintf(env.stdout, "      %-28s %d\n", k, f.Defects[k])
		}
	}
	fmt.Fprintf(env.stdout, "  %s: what is synthetic and how it was made\n", france.Readme)
	return nil
}
