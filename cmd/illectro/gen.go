package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/samples"
	"github.com/illectro/illectro/synth"
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
	gen := func(w io.Writer) error { return genAssessmentsWith(w, opt, write) }
	if *out == "" {
		return gen(env.stdout)
	}
	return writeAtomically(*out, func(w *bufio.Writer) error { return gen(w) })
}

// genAssessments writes synthetic assessments in the generic format, drawn
// from the embedded communes and their census figures.
func genAssessments(w io.Writer, opt synth.AssessmentsOptions) error {
	return genAssessmentsWith(w, opt, synth.Assessments)
}

func genAssessmentsWith(w io.Writer, opt synth.AssessmentsOptions, write func(io.Writer, []geo.Commune, []geo.Centroid, synth.AssessmentsOptions) error) error {
	communes, err := geo.Communes()
	if err != nil {
		return err
	}
	centroids, err := geo.Centroids()
	if err != nil {
		return err
	}
	return write(w, communes, centroids, opt)
}

// writeAtomically writes a file through a temporary sibling and a rename, so
// that a reader never sees it half-written.
func writeAtomically(path string, write func(*bufio.Writer) error) error {
	return atomicfile.Write(path, 0o644, write)
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
	opt := franceOptions{Assessments: *assessments, Venues: *venues, DefectShare: *defects, Seed: *seed}
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
	rep, err := genFrance(ctx, *out, opt)
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
	fmt.Fprintf(env.stdout, "  %s: what is synthetic and how it was made\n", franceReadme)
	return nil
}

// franceOptions are the parameters of a synthetic France; see genFrance.
type franceOptions struct {
	Assessments, Venues int
	DefectShare         float64
	Seed                uint64
}

// commandLine is the command that reproduces a synthetic France, with DIR
// for the folder.
func (o franceOptions) commandLine() string {
	return fmt.Sprintf("illectro gen france --out DIR --assessments %d --venues %d --defects %s --seed %d",
		o.Assessments, o.Venues, strconv.FormatFloat(o.DefectShare, 'g', -1, 64), o.Seed)
}

// franceFile is one file of a synthetic France.
type franceFile struct {
	Kind      ingest.Kind
	Path      string // relative to the folder: kind/name
	Synthetic bool
	Rows      int           // valid rows (synthetic files)
	Defects   synth.Defects // defective rows by kind (synthetic files)
	Bytes     int64
}

// franceReport lists the files written, in loading order.
type franceReport struct {
	Options franceOptions
	Files   []franceFile
}

// The names of the files of a synthetic France. The generated ones say
// they are synthetic; the real ones keep their bundled names.
const (
	franceReadme      = "SYNTHETIC.md"
	franceCoverage    = "arcep_commune_debit_2025T4_synthetic.csv"
	franceVenues      = "lieux_mediation_numerique_france_synthetic_v1.0.2.csv"
	franceAssessments = "assessments_synthetic_france.csv"
)

// genFrance writes a synthetic France into dir, an inbox that
// 'illectro run --inbox dir' loads as is: synthetic coverage for every
// commune, venues and assessments, each with a share of defective rows, the
// real bundled socio-demographic and mediator files, and SYNTHETIC.md, which
// says what is what (written last). Each file is written atomically. dir
// may exist, but its kind folders must hold no other file to load.
func genFrance(ctx context.Context, dir string, opt franceOptions) (franceReport, error) {
	rep := franceReport{Options: opt}
	bundled := map[ingest.Kind]string{}
	for _, f := range samples.Files {
		if f.Kind == string(ingest.Socio) || f.Kind == string(ingest.Mediators) {
			bundled[ingest.Kind(f.Kind)] = f.Name
		}
	}
	ours := map[ingest.Kind]string{
		ingest.Coverage:    franceCoverage,
		ingest.Venues:      franceVenues,
		ingest.Mediators:   bundled[ingest.Mediators],
		ingest.Socio:       bundled[ingest.Socio],
		ingest.Assessments: franceAssessments,
	}
	for _, k := range ingest.Kinds {
		if ours[k] == "" {
			return rep, fmt.Errorf("no bundled %s file to copy", k)
		}
		if err := checkInboxFolder(filepath.Join(dir, string(k)), ours[k]); err != nil {
			return rep, err
		}
	}
	ref, err := synth.LoadReference()
	if err != nil {
		return rep, fmt.Errorf("reference data: %w", err)
	}
	for _, k := range ingest.Kinds {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		f := franceFile{Kind: k, Path: string(k) + "/" + ours[k], Synthetic: true}
		var write func(w *bufio.Writer) error
		switch k {
		case ingest.Coverage:
			f.Rows = len(ref.Communes)
			write = func(w *bufio.Writer) (err error) {
				f.Defects, err = synth.Coverage(w, ref, synth.CoverageOptions{Seed: opt.Seed, DefectShare: opt.DefectShare})
				return err
			}
		case ingest.Venues:
			f.Rows = opt.Venues
			write = func(w *bufio.Writer) (err error) {
				f.Defects, err = synth.Venues(w, ref, synth.VenuesOptions{Venues: opt.Venues, Seed: opt.Seed, DefectShare: opt.DefectShare})
				return err
			}
		case ingest.Assessments:
			f.Rows = opt.Assessments
			write = func(w *bufio.Writer) (err error) {
				f.Defects, err = synth.AssessmentsWithDefects(w, ref, synth.AssessmentsOptions{Rows: opt.Assessments, Seed: opt.Seed}, opt.DefectShare)
				return err
			}
		default:
			f.Synthetic = false
			write = func(w *bufio.Writer) error {
				r, err := samples.FS.Open(ours[k])
				if err != nil {
					return err
				}
				defer r.Close()
				_, err = io.Copy(w, r)
				return err
			}
		}
		path := filepath.Join(dir, string(k), ours[k])
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return rep, err
		}
		if err := writeAtomically(path, write); err != nil {
			return rep, fmt.Errorf("write %s: %w", path, err)
		}
		st, err := os.Stat(path)
		if err != nil {
			return rep, err
		}
		f.Bytes = st.Size()
		rep.Files = append(rep.Files, f)
	}
	err = writeAtomically(filepath.Join(dir, franceReadme), func(w *bufio.Writer) error {
		_, err := w.WriteString(rep.readme())
		return err
	})
	return rep, err
}

// checkInboxFolder makes sure a kind folder holds no file that a run would
// load beside the one gen writes (name), which it may replace.
func checkInboxFolder(dir, name string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && e.Name() != name {
			return fmt.Errorf("%s holds %s, which 'illectro run --inbox' would load with the synthetic files: write to an empty folder", dir, e.Name())
		}
	}
	return nil
}

// readme is the text of SYNTHETIC.md. It depends only on the options and
// the files, so the same flags give the same bytes.
func (r franceReport) readme() string {
	var b strings.Builder
	b.WriteString(`# A synthetic France — read this first

This folder is an inbox for ` + "`illectro run --inbox DIR`" + `, made by

    ` + r.Options.commandLine() + `

(DIR being this folder). The same command, with the same version of
illectro, writes the same bytes.

**The assessments, coverage and venues files are synthetic.** Nothing in
them describes a real person, a real venue or a real broadband network: they
are random draws, deterministic from the seed, shaped by the embedded
reference data (COG 2026 communes and their population, 2024 commune
centroids and census 2021 age structure, the outlines of the 101
départements). Use them to test, demonstrate and benchmark illectro, never
to describe France.

`)
	b.WriteString("| file | kind | valid rows | defective rows | bytes |\n|---|---|---|---|---|\n")
	for _, f := range r.Files {
		if f.Synthetic {
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d |\n", f.Path, f.Kind, f.Rows, f.Defects.Total(), f.Bytes)
		} else {
			fmt.Fprintf(&b, "| `%s` | %s | real file | — | %d |\n", f.Path, f.Kind, f.Bytes)
		}
	}
	b.WriteString(`
How they were made (the code is in illectro's ` + "`synth/`" + ` package):

- **assessments**: self-assessments in illectro's generic format, made as by
  ` + "`illectro gen assessments`" + `: respondents drawn from the communes in proportion
  to their population, an age mix following each commune's share of people
  aged 15–64, skill levels from documented assumptions, about 3 % retests of
  an earlier respondent. Without its defective rows the file is byte for byte
  ` + fmt.Sprintf("`illectro gen assessments --rows %d --seed %d`", r.Options.Assessments, r.Options.Seed) + `.
- **coverage**: fixed-broadband eligibility for every commune of COG 2026 in
  ARCEP's current per-commune layout (period 2025-12-31; the columns of the
  bundled 2019 file, with ` + "`elig_bhd8`" + ` and cumulative classes from 8 Mbit/s up).
  Premises are about 0.55 to 0.85 per inhabitant; rural communes (by density)
  are less often fully served by fibre.
- **venues**: digital mediation venues in the national schema *lieux de
  médiation numérique* v1.0.2, in every département, more in populous
  communes, placed within a few km of a commune centroid inside its
  département and at least about 70 m from each other. Names ("Lieu
  synthétique n° …"), ids ("synthetique-…"), addresses ("Adresse fictive
  n° …") and the source (` + "`" + synth.VenueSource + "`" + `) say they are synthetic; services,
  audiences and national programmes follow the vocabularies and frequencies of
  the bundled Hauts-de-France listing.

## Defects

`)
	fmt.Fprintf(&b, "A share of %s of the rows of each synthetic file carry one defect each,\n", strconv.FormatFloat(r.Options.DefectShare, 'g', -1, 64))
	b.WriteString(`at random positions, on top of the valid rows. Each is a defect illectro's
loader rejects with a reason (table ` + "`rejects`" + `), so every file loads and its
rejected rows equal these counts:

| file | defect | rows |
|---|---|---|
`)
	for _, f := range r.Files {
		for _, k := range f.Defects.Kinds() {
			fmt.Fprintf(&b, "| `%s` | %s | %d |\n", f.Path, k, f.Defects[k])
		}
	}
	b.WriteString(`
## Real files

The socio-demographic and mediator files are the real open data bundled with
illectro, copied unchanged under their own names (provenance in
` + "`samples/SOURCES.md`" + `):

- ` + "`socio/" + realName(r, ingest.Socio) + "`" + `: Data For Good batch 8 "mednum"
  (dataforgoodfr/batch8_mednum, commit ` + "`d334a4a6`" + `): per-commune rates computed by
  volunteers from INSEE census 2017, Filosofi and Pôle emploi. Data: Licence
  Ouverte / Etalab 2.0 (INSEE); code of the repository: MIT. Its Monaco row
  (06900) is rejected at load, as with the bundled samples.
- ` + "`mediators/" + realName(r, ingest.Mediators) + "`" + `: Conseiller numérique France Services,
  public dashboard export of host structures (2023-07-25), via
  Assembleurs/portrea (commit ` + "`6b600366`" + `). Licence Ouverte / Etalab 2.0.
`)
	return b.String()
}

// realName is the name of the real file of kind k in r.
func realName(r franceReport, k ingest.Kind) string {
	i := slices.IndexFunc(r.Files, func(f franceFile) bool { return f.Kind == k })
	if i < 0 {
		return ""
	}
	return filepath.Base(r.Files[i].Path)
}
