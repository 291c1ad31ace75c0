// Package france writes a synthetic France into an inbox folder that
// 'illectro run --inbox' loads as is (illectro gen france): synthetic
// coverage, venues and assessments from the synth package, each with a
// share of defective rows, the real bundled socio-demographic and mediator
// files, and SYNTHETIC.md saying what is what.
package france

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

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/samples"
	"github.com/illectro/illectro/synth"
)

// Options are the parameters of a synthetic France; see Write.
type Options struct {
	Assessments, Venues int
	DefectShare         float64
	Seed                uint64
}

// CommandLine is the command that reproduces a synthetic France, with DIR
// for the folder.
func (o Options) CommandLine() string {
	return fmt.Sprintf("illectro gen france --out DIR --assessments %d --venues %d --defects %s --seed %d",
		o.Assessments, o.Venues, strconv.FormatFloat(o.DefectShare, 'g', -1, 64), o.Seed)
}

// File is one file of a synthetic France.
type File struct {
	Kind      ingest.Kind
	Path      string // relative to the folder: kind/name
	Synthetic bool
	Rows      int           // valid rows (synthetic files)
	Defects   synth.Defects // defective rows by kind (synthetic files)
	Bytes     int64
}

// Report lists the files written, in loading order.
type Report struct {
	Options Options
	Files   []File
}

// The names of the files of a synthetic France. The generated ones say
// they are synthetic; the real ones keep their bundled names.
const (
	Readme          = "SYNTHETIC.md"
	CoverageFile    = "arcep_commune_debit_2025T4_synthetic.csv"
	VenuesFile      = "lieux_mediation_numerique_france_synthetic_v1.0.2.csv"
	AssessmentsFile = "assessments_synthetic_france.csv"
)

// Write writes a synthetic France into dir, an inbox that
// 'illectro run --inbox dir' loads as is: synthetic coverage for every
// commune, venues and assessments, each with a share of defective rows, the
// real bundled socio-demographic and mediator files, and SYNTHETIC.md, which
// says what is what (written last). Each file is written atomically. dir
// may exist, but its kind folders must hold no other file to load.
func Write(ctx context.Context, dir string, opt Options) (Report, error) {
	rep := Report{Options: opt}
	bundled := map[ingest.Kind]string{}
	for _, f := range samples.Files {
		if f.Kind == string(ingest.Socio) || f.Kind == string(ingest.Mediators) {
			bundled[ingest.Kind(f.Kind)] = f.Name
		}
	}
	ours := map[ingest.Kind]string{
		ingest.Coverage:    CoverageFile,
		ingest.Venues:      VenuesFile,
		ingest.Mediators:   bundled[ingest.Mediators],
		ingest.Socio:       bundled[ingest.Socio],
		ingest.Assessments: AssessmentsFile,
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
		f := File{Kind: k, Path: string(k) + "/" + ours[k], Synthetic: true}
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
		if err := atomicfile.Write(path, 0o644, write); err != nil {
			return rep, fmt.Errorf("write %s: %w", path, err)
		}
		st, err := os.Stat(path)
		if err != nil {
			return rep, err
		}
		f.Bytes = st.Size()
		rep.Files = append(rep.Files, f)
	}
	err = atomicfile.Write(filepath.Join(dir, Readme), 0o644, func(w *bufio.Writer) error {
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
func (r Report) readme() string {
	var b strings.Builder
	b.WriteString(`# A synthetic France — read this first

This folder is an inbox for ` + "`illectro run --inbox DIR`" + `, made by

    ` + r.Options.CommandLine() + `

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
func realName(r Report, k ingest.Kind) string {
	i := slices.IndexFunc(r.Files, func(f File) bool { return f.Kind == k })
	if i < 0 {
		return ""
	}
	return filepath.Base(r.Files[i].Path)
}
