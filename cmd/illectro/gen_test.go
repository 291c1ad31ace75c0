package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
	"github.com/illectro/illectro/synth/france"
)

// inboxFiles maps every file under dir to its content, by slash path
// relative to dir.
func inboxFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGenFranceDeterministic: the same flags give the same bytes in every
// file; another seed changes every synthetic file and leaves the real ones.
func TestGenFranceDeterministic(t *testing.T) {
	gen := func(seed string) map[string][]byte {
		dir := filepath.Join(t.TempDir(), "inbox")
		_, stderr, err := runCLI(t, t.Context(), nil, "", "gen", "france", "--out", dir,
			"--assessments", "3000", "--venues", "150", "--defects", "0.01", "--seed", seed)
		if err != nil {
			t.Fatalf("gen france --seed %s: %v\n%s", seed, err, stderr)
		}
		return inboxFiles(t, dir)
	}
	base := gen("1")
	want := []string{
		"SYNTHETIC.md",
		"assessments/" + france.AssessmentsFile,
		"coverage/" + france.CoverageFile,
		"mediators/cnum_structures_2023-07-25.csv",
		"socio/dataforgood_ifn_indicateurs_communes_2017.csv",
		"venues/" + france.VenuesFile,
	}
	names := func(files map[string][]byte) []string {
		var ns []string
		for n := range files {
			ns = append(ns, n)
		}
		slices.Sort(ns)
		return ns
	}
	if diff := cmp.Diff(want, names(base)); diff != "" {
		t.Fatalf("files written (-want +got):\n%s", diff)
	}
	tests := []struct {
		name        string
		seed        string
		wantChanged []string // files that differ from seed 1's
	}{
		{"same seed", "1", nil},
		{"other seed", "2", []string{"SYNTHETIC.md", want[1], want[2], want[5]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gen(tt.seed)
			var changed []string
			for _, n := range names(base) {
				if !bytes.Equal(base[n], got[n]) {
					changed = append(changed, n)
				}
			}
			if diff := cmp.Diff(tt.wantChanged, changed); diff != "" {
				t.Errorf("files changed by --seed %s (-want +got):\n%s", tt.seed, diff)
			}
		})
	}
}

// rejectKinds tells which defect kind a rejected row shows, from what the
// loader says about it (column, value, reason): one predicate per kind,
// per file kind.
var rejectKinds = map[ingest.Kind]map[synth.DefectKind]func(col, val, reason string) bool{
	ingest.Assessments: {
		synth.DefectUnknownCommune: func(col, _, reason string) bool {
			return col == "code_insee" && strings.Contains(reason, "unknown commune code")
		},
		synth.DefectImpossibleDate:  func(col, _, reason string) bool { return col == "assessed_on" && reason == "impossible date" },
		synth.DefectLevelOutOfRange: func(_, _, reason string) bool { return strings.HasPrefix(reason, "level out of range") },
		synth.DefectMissingID:       func(col, _, reason string) bool { return col == "respondent_id" && reason == "missing respondent id" },
		synth.DefectUnknownAgeBand: func(col, _, reason string) bool {
			return col == "age_band" && strings.Contains(reason, "INSEE age bands")
		},
	},
	ingest.Coverage: {
		synth.DefectUnknownCommune: func(col, _, reason string) bool {
			return col == "code_insee" && strings.Contains(reason, "unknown commune code")
		},
		synth.DefectOverseasCollectivity: func(col, _, reason string) bool {
			return col == "code_insee" && strings.Contains(reason, "outside the 101 départements")
		},
		synth.DefectNegativeCount: func(_, _, reason string) bool { return reason == "negative count" },
		synth.DefectNonCumulative: func(_, _, reason string) bool {
			return strings.HasPrefix(reason, "cumulative speed classes must shrink")
		},
		synth.DefectImpossibleDate: func(col, _, reason string) bool { return col == "date" && reason == "impossible date" },
	},
	ingest.Venues: {
		synth.DefectMissingID:   func(col, _, reason string) bool { return col == "id" && reason == "missing venue id" },
		synth.DefectMissingName: func(col, _, reason string) bool { return col == "nom" && reason == "missing venue name" },
		synth.DefectNonFiniteCoordinate: func(_, val, reason string) bool {
			v := strings.ToLower(val)
			return strings.Contains(reason, "in degrees (WGS84)") && (strings.Contains(v, "nan") || strings.Contains(v, "inf"))
		},
		synth.DefectCoordinateOutOfRange: func(_, val, reason string) bool {
			_, err := strconv.ParseFloat(val, 64)
			v := strings.ToLower(val)
			return strings.Contains(reason, "in degrees (WGS84)") && err == nil && !strings.Contains(v, "nan") && !strings.Contains(v, "inf")
		},
		synth.DefectOutsideFrance: func(col, _, reason string) bool {
			return col == "latitude" && strings.Contains(reason, "fall outside the 101 départements")
		},
	},
}

// TestGenFranceLoads generates a small France and loads it with
// 'illectro run --inbox' into a real database: every file loads, each
// synthetic file's rejects are exactly its defects, kind by kind, coverage
// has one row per commune, and every venue lands, by its coordinates, in
// the département of its commune.
func TestGenFranceLoads(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	opt := france.Options{Assessments: 20000, Venues: 500, DefectShare: 0.01, Seed: 7}
	rep, err := france.Write(t.Context(), inbox, opt)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "illectro.duckdb")
	env := map[string]string{"ILLECTRO_HMAC_KEY": "a-test-key-of-enough-length"}
	stdout, stderr, err := runCLI(t, t.Context(), env, "", "run", "--inbox", inbox, "--db", db, "--out", filepath.Join(dir, "public"))
	if err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "files: 5 loaded, 0 already loaded, 0 refused") {
		t.Errorf("run pipeline.Summary = %q, want 5 files loaded", stdout)
	}

	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	type ledger struct {
		kind                   string
		read, loaded, rejected int64
	}
	files := map[string]ledger{}
	rows, err := conn.QueryContext(t.Context(), `SELECT name, kind, status, rows_read, rows_loaded, rows_rejected FROM ingest_files`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, status string
		var l ledger
		if err := rows.Scan(&name, &l.kind, &status, &l.read, &l.loaded, &l.rejected); err != nil {
			t.Fatal(err)
		}
		if status != "loaded" {
			t.Errorf("%s: status %s, want loaded", name, status)
		}
		files[name] = l
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// Rejects of each synthetic file, told apart by kind.
	got := map[string]synth.Defects{}
	rows, err = conn.QueryContext(t.Context(), `SELECT f.name, f.kind, coalesce(r.column_name, ''), coalesce(r.value, ''), r.reason
		FROM rejects AS r JOIN ingest_files AS f USING (file_id)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, kind, col, val, reason string
		if err := rows.Scan(&name, &kind, &col, &val, &reason); err != nil {
			t.Fatal(err)
		}
		preds, synthetic := rejectKinds[ingest.Kind(kind)]
		if !synthetic {
			continue // the real files have rejects of their own
		}
		var matched []synth.DefectKind
		for k, p := range preds {
			if p(col, val, reason) {
				matched = append(matched, k)
			}
		}
		if len(matched) != 1 {
			t.Errorf("%s: reject (column %q, value %q, reason %q) matches defect kinds %v, want exactly one", name, col, val, reason, matched)
			continue
		}
		if got[name] == nil {
			got[name] = synth.Defects{}
		}
		got[name][matched[0]]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]synth.Defects{}
	for _, f := range rep.Files {
		name := filepath.Base(f.Path)
		l, ok := files[name]
		if !ok {
			t.Errorf("%s: not in ingest_files", f.Path)
			continue
		}
		if !f.Synthetic {
			continue
		}
		if f.Defects.Total() == 0 {
			t.Errorf("%s: no defect injected at share %v", f.Path, opt.DefectShare)
		}
		want[name] = f.Defects
		if l.loaded != int64(f.Rows) || l.rejected != int64(f.Defects.Total()) || l.read != l.loaded+l.rejected {
			t.Errorf("%s: read %d, loaded %d, rejected %d; want %d loaded and %d rejected", f.Path, l.read, l.loaded, l.rejected, f.Rows, f.Defects.Total())
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejects by file and defect kind (-generated +loader):\n%s", diff)
	}

	var n, distinct, missing int64
	if err := conn.QueryRowContext(t.Context(), `SELECT count(*), count(DISTINCT code_insee),
		(SELECT count(*) FROM ref_communes WHERE code_insee NOT IN (SELECT code_insee FROM raw_coverage))
		FROM raw_coverage`).Scan(&n, &distinct, &missing); err != nil {
		t.Fatal(err)
	}
	if communes := int64(rep.Files[0].Rows); n != communes || distinct != communes || missing != 0 {
		t.Errorf("coverage: %d rows for %d communes, %d communes without a row; want one row for each of %d", n, distinct, missing, communes)
	}

	var venues, placed, deps, published int64
	if err := conn.QueryRowContext(t.Context(), `SELECT count(*),
		count(*) FILTER (WHERE placement = 'geometry' AND code_departement = (SELECT code_departement FROM ref_communes AS c WHERE c.code_insee = v.code_insee_input)),
		count(DISTINCT code_departement),
		(SELECT sum(venues) FROM mart_departement)::BIGINT
		FROM raw_venues AS v`).Scan(&venues, &placed, &deps, &published); err != nil {
		t.Fatal(err)
	}
	if venues != int64(opt.Venues) || placed != venues || deps != 101 || published != venues {
		t.Errorf("venues: %d loaded, %d placed by their coordinates in their commune's département, in %d départements, %d in the marts; want all %d in 101 départements",
			venues, placed, deps, published, opt.Venues)
	}
}

// TestGenFranceCommand checks the command line: the listing it prints, and
// the mistakes it refuses before writing anything.
func TestGenFranceCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "inbox")
	stdout, stderr, err := runCLI(t, t.Context(), nil, "", "gen", "france", "--out", dir, "--assessments", "1000", "--venues", "120", "--defects", "0.02", "--seed", "3")
	if err != nil {
		t.Fatalf("gen france: %v\n%s", err, stderr)
	}
	for _, s := range []string{
		"assessments/" + france.AssessmentsFile + ": 1000 rows + 20 defective",
		"coverage/" + france.CoverageFile + ": 34875 rows + 712 defective",
		"venues/" + france.VenuesFile + ": 120 rows + 2 defective",
		"mediators/cnum_structures_2023-07-25.csv: real bundled file",
		"unknown_age_band",
		"SYNTHETIC.md",
	} {
		if !strings.Contains(stdout, s) {
			t.Errorf("gen france printed %q, want it to contain %q", stdout, s)
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, france.Readme))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"synthetic", "illectro gen france --out DIR --assessments 1000 --venues 120 --defects 0.02 --seed 3", "Licence Ouverte", "| `coverage/" + france.CoverageFile + "` | overseas_collectivity |"} {
		if !bytes.Contains(readme, []byte(s)) {
			t.Errorf("%s does not say %q", france.Readme, s)
		}
	}

	stray := t.TempDir()
	if err := os.MkdirAll(filepath.Join(stray, "venues"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stray, "venues", "other.csv"), []byte("id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no folder", []string{"gen", "france"}, 2},
		{"defects above half", []string{"gen", "france", "--out", dir, "--defects", "0.6"}, 2},
		{"negative defects", []string{"gen", "france", "--out", dir, "--defects", "-0.1"}, 2},
		{"no assessments", []string{"gen", "france", "--out", dir, "--assessments", "0"}, 2},
		{"no venues", []string{"gen", "france", "--out", dir, "--venues", "0"}, 2},
		{"more rejects than the loader keeps", []string{"gen", "france", "--out", dir, "--defects", "0.2"}, 2},
		{"argument", []string{"gen", "france", "--out", dir, "extra"}, 2},
		{"folder with another file to load", []string{"gen", "france", "--out", stray, "--assessments", "10"}, 1},
		{"help", []string{"gen", "france", "--help"}, 0},
		{"gen help", []string{"gen", "--help"}, 0},
		{"unknown generator", []string{"gen", "moon"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, t.Context(), nil, "", tt.args...)
			if got := exitCode(err, io.Discard); got != tt.code {
				t.Errorf("illectro %s: exit code %d (%v), want %d", strings.Join(tt.args, " "), got, err, tt.code)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(stray, "coverage")); !os.IsNotExist(err) {
		t.Errorf("gen france wrote into a folder it refused (%v)", err)
	}
}

// TestGenAssessmentsPixOrga: a Pix Orga export generated with a seed loads
// through the built-in pix-orga mapping to the area levels, communes, age
// bands and days of the generic file of the same seed, row for row.
func TestGenAssessmentsPixOrga(t *testing.T) {
	dir := t.TempDir()
	generic, pix := filepath.Join(dir, "generic.csv"), filepath.Join(dir, "pix.csv")
	for _, args := range [][]string{
		{"gen", "assessments", "--rows", "3000", "--seed", "5", "--out", generic},
		{"gen", "assessments", "--rows", "3000", "--seed", "5", "--format", "pix-orga", "--out", pix},
	} {
		if _, stderr, err := runCLI(t, t.Context(), nil, "", args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	b, err := os.ReadFile(pix)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\uFEFF\"Nom de l'organisation\";")) || bytes.Count(b, []byte("\n")) != 3001 {
		t.Errorf("pix file starts %q and has %d lines, want a BOM, quoted ';' fields and 3001 lines", b[:min(len(b), 40)], bytes.Count(b, []byte("\n")))
	}
	db := filepath.Join(dir, "illectro.duckdb")
	env := map[string]string{"ILLECTRO_HMAC_KEY": "a-test-key-of-enough-length"}
	if _, stderr, err := runCLI(t, t.Context(), env, "", "ingest", "--kind", "assessments", "--db", db, generic, pix); err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr)
	}
	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var sources string
	var loaded, rejected, same, internet int
	err = conn.QueryRowContext(t.Context(), `SELECT string_agg(source, ',' ORDER BY file_id), sum(rows_loaded), sum(rows_rejected) FROM ingest_files`).Scan(&sources, &loaded, &rejected)
	if err != nil {
		t.Fatal(err)
	}
	if sources != "illectro-generic,pix-orga" || loaded != 6000 || rejected != 0 {
		t.Fatalf("ingest_files: sources %s, %d loaded, %d rejected; want illectro-generic,pix-orga, 6000, 0", sources, loaded, rejected)
	}
	err = conn.QueryRowContext(t.Context(), `
		SELECT count(*), count(*) FILTER (WHERE p.internet_last_3_months)
		FROM raw_assessments AS g JOIN raw_assessments AS p ON p.line = g.line AND p.file_id = g.file_id + 1
		WHERE g.file_id = (SELECT min(file_id) FROM ingest_files)
		  AND g.code_insee = p.code_insee AND g.age_band = p.age_band AND g.assessed_at::DATE = p.assessed_at::DATE
		  AND g.level_information = p.level_information AND g.level_communication = p.level_communication
		  AND g.level_content_creation = p.level_content_creation AND g.level_safety = p.level_safety
		  AND g.level_problem_solving = p.level_problem_solving`).Scan(&same, &internet)
	if err != nil {
		t.Fatal(err)
	}
	if same != 3000 || internet != 3000 {
		t.Errorf("%d of 3000 Pix rows match the generic row of the same line (%d counted as internet users), want all", same, internet)
	}
}
