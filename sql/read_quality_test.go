package sql_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/illectro/illectro/figures"
	isql "github.com/illectro/illectro/sql"
)

// TestLoadQuality stores three file attempts (a venue file with a reject
// and findings, a failed assessment file, a mediator file with two rejects
// started at the same instant as the failed one) and reads them back.
func TestReadQuality(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	const secret = "SECRET-VALUE-jean.dupont@example.org"
	for _, q := range []string{
		`INSERT INTO ingest_files VALUES
		 (1, 'venues', 'lieux.csv', 'a', 10, 4, 3, 1, 'data_inclusion', NULL, TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:00:05+00', 'loaded', NULL, NULL),
		 (2, 'assessments', 'auto<diag>.csv', 'b', 10, 0, 0, 0, NULL, 'pix', TIMESTAMPTZ '2026-01-02 08:30:00+01', TIMESTAMPTZ '2026-01-02 08:30:01+01', 'failed', 'missing mandatory column(s) commune', 'missing_columns'),
		 (3, 'mediators', 'cnum.csv', 'c', 10, 3, 1, 2, NULL, NULL, TIMESTAMPTZ '2026-01-02 07:30:00+00', TIMESTAMPTZ '2026-01-02 07:30:02+00', 'loaded', NULL, NULL)`,
		`INSERT INTO raw_venues VALUES
		 (1, 2, 'v1', 'A', NULL, NULL, NULL, NULL, 3.07, 50.63, NULL, NULL, NULL, NULL, '59', '59350', 'geometry', 'postal_code'),
		 (1, 3, 'v2', 'B', NULL, NULL, NULL, NULL, 3.08, 50.64, NULL, NULL, NULL, NULL, '59', '59350', 'geometry', 'postal_code'),
		 (1, 4, 'v3', 'C', NULL, NULL, NULL, NULL, 2.77, 50.29, NULL, NULL, NULL, NULL, '62', '62041', 'geometry_swapped', 'name')`,
		`INSERT INTO raw_mediator_structures VALUES (3, 2, 'S', NULL, '59350', '59350', '59', NULL, 1, 1)`,
		`INSERT INTO rejects VALUES
		 (1, 5, 'latitude', '` + secret + `', 'not a latitude in degrees (WGS84)', 'not_a_number'),
		 (3, 3, 'nom_structure', '` + secret + `', 'missing structure name', 'missing'),
		 (3, 4, NULL, '` + secret + `', 'row has 3 fields, the header has 10', 'malformed_row')`,
		`INSERT INTO quality_findings VALUES
		 (1, 2, 'v1', 'commune_from_postal_code', 'commune 59350 from postal code 59000'),
		 (1, 3, 'v2', 'commune_from_postal_code', 'commune 59350 from postal code 59000'),
		 (1, 4, 'v3', 'commune_from_name', 'commune 62041 from the name "Arras"'),
		 (1, 4, 'v3', 'swapped_coordinates', 'latitude and longitude exchanged'),
		 (3, 2, NULL, 'other_kind', 'a finding on a row without département')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	got, err := isql.ReadQuality(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := figures.Quality{
		Files: []figures.QualityFile{
			{FileID: 3, Kind: "mediators", Name: "cnum.csv", Status: "loaded", StartedAt: "2026-01-02T07:30:00Z", Read: 3, Loaded: 1, Rejected: 2},
			// file 2, a self-assessment file, is never listed (statistical secrecy)
			{FileID: 1, Kind: "venues", Name: "lieux.csv", Format: "data_inclusion", Status: "loaded", StartedAt: "2026-01-01T10:00:00Z", Read: 4, Loaded: 3, Rejected: 1},
		},
		Rejects: []figures.RejectCount{
			{FileID: 3, Column: "", Kind: "malformed_row", Rows: 1},
			{FileID: 3, Column: "nom_structure", Kind: "missing", Rows: 1},
			{FileID: 1, Column: "latitude", Kind: "not_a_number", Rows: 1},
		},
		Findings: []figures.FindingCount{
			{FileID: 3, Kind: "other_kind", Departement: "", Rows: 1},
			{FileID: 1, Kind: "commune_from_name", Departement: "62", Rows: 1},
			{FileID: 1, Kind: "commune_from_postal_code", Departement: "59", Rows: 2},
			{FileID: 1, Kind: "swapped_coordinates", Departement: "62", Rows: 1},
		},
		// The newest loaded file of each kind; the refused one does not count.
		Freshness: []figures.Freshness{
			{Kind: "mediators", Files: 1, LatestFile: "cnum.csv", LatestLoaded: "2026-01-02T07:30:02Z"}, // not a bundled sample: no vintage
			{Kind: "venues", Files: 1, LatestFile: "lieux.csv", LatestLoaded: "2026-01-01T10:00:05Z"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadQuality =\n%+v\nwant\n%+v", got, want)
	}
	// Finished runs, newest first; the one still running is left out.
	for _, q := range []string{
		`INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error, files_loaded, files_refused, rows_loaded, rows_rejected, release) VALUES (1, 'schedule', '2026-01-01 09:59:00+00', '2026-01-01 10:01:00+00', 'succeeded', NULL, 2, 0, 7, 1, '20260101T033000-run1')`,
		`INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error, error_kind, files_loaded, files_refused, rows_loaded, rows_rejected, release) VALUES (2, 'manual', '2026-01-02 07:29:00+00', '2026-01-02 07:29:30+00', 'failed', 'data tests failed', 'data_tests', 0, 1, 0, 0, '20260101T033000-run1')`,
		`INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error, files_loaded, files_refused, rows_loaded, rows_rejected, release) VALUES (3, 'schedule', '2026-01-02 07:30:00+00', NULL, 'running', NULL, NULL, NULL, NULL, NULL, NULL)`,
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	got, err = isql.ReadQuality(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	// Counts are those of the published files that started during the run:
	// run 1 loaded the venue file (and, say, a self-assessment file, which
	// its published counts leave out: 2 files and 7 rows in the ledger).
	wantRuns := []figures.Run{
		{ID: 2, Trigger: "manual", Status: "failed", ErrorKind: "data_tests", Started: "2026-01-02T07:29:00Z", Finished: "2026-01-02T07:29:30Z", Release: "20260101T033000-run1"},
		{ID: 1, Trigger: "schedule", Status: "succeeded", Started: "2026-01-01T09:59:00Z", Finished: "2026-01-01T10:01:00Z", Files: 1, RowsLoaded: 3, RowsRejected: 1, Release: "20260101T033000-run1"},
	}
	if !reflect.DeepEqual(got.Runs, wantRuns) {
		t.Errorf("runs =\n%+v\nwant\n%+v", got.Runs, wantRuns)
	}
	// The rejected values never leave the database.
	if s := fmt.Sprintf("%+v", got); strings.Contains(s, "SECRET-VALUE") {
		t.Errorf("a rejected value was read: %s", s)
	}
}

// TestReadQualityRejectsCountedByKind adds up the rejects of one kind,
// whatever their wording.
func TestReadQualityRejectsCountedByKind(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	if _, err := db.ExecContext(ctx, `INSERT INTO ingest_files VALUES
		(7, 'coverage', 'arcep.csv', 'a', 10, 10, 6, 4, 'arcep_cumulative', NULL, now(), now(), 'loaded', NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO rejects
		SELECT 7, 10 + i, 'nbr', 'v' || i, CASE WHEN i < 2 THEN 'not a whole number' WHEN i < 3 THEN 'not a number' ELSE 'negative count' END,
		       CASE WHEN i < 3 THEN 'not_a_number' ELSE 'out_of_range' END
		FROM range(4) AS t(i)`); err != nil {
		t.Fatal(err)
	}
	got, err := isql.ReadQuality(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := []figures.RejectCount{
		{FileID: 7, Column: "nbr", Kind: "not_a_number", Rows: 3},
		{FileID: 7, Column: "nbr", Kind: "out_of_range", Rows: 1},
	}
	if !reflect.DeepEqual(got.Rejects, want) {
		t.Errorf("rejects = %+v, want %+v", got.Rejects, want)
	}
}

// TestReadQualityNeverReadsReasons: a reason that quotes the rejected value
// (as another package's error may) is never read, only its kind.
func TestReadQualityNeverReadsReasons(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	for _, q := range []string{
		`INSERT INTO ingest_files VALUES
		 (4, 'mediators', 'a.csv', 'a', 10, 5, 2, 3, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`,
		`INSERT INTO rejects VALUES
		 (4, 2, 'code_postal', '59999', 'lookup "59999": not a postal code of the 101 départements in La Poste''s base: unknown postal code', 'unknown_code'),
		 (4, 3, 'code_postal', '99123', 'lookup "99123": not a postal code of the 101 départements in La Poste''s base: unknown postal code', 'unknown_code'),
		 (4, 4, 'naissance', '1850', 'value "1850" is an impossible birth year', 'out_of_range')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got, err := isql.ReadQuality(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := []figures.RejectCount{
		{FileID: 4, Column: "code_postal", Kind: "unknown_code", Rows: 2},
		{FileID: 4, Column: "naissance", Kind: "out_of_range", Rows: 1},
	}
	if !reflect.DeepEqual(got.Rejects, want) {
		t.Errorf("rejects = %+v, want %+v", got.Rejects, want)
	}
	for _, v := range []string{"59999", "99123", "1850"} {
		if s := fmt.Sprintf("%+v", got); strings.Contains(s, v) {
			t.Errorf("the rejected value %s was read: %s", v, s)
		}
	}
}

// TestReadQualityNeverReadsErrors: the wording of a refused file's error
// and of a failed run's (server paths, raw DuckDB messages) is never read,
// only its kind; a failed file or run without a kind reads as 'other'.
func TestReadQualityNeverReadsErrors(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	for _, q := range []string{
		`INSERT INTO ingest_files VALUES
		 (5, 'venues', 'x.csv', 'a', 10, 0, 0, 0, NULL, NULL, TIMESTAMPTZ '2026-01-02 10:00:00+00', TIMESTAMPTZ '2026-01-02 10:00:01+00', 'failed',
		  'store rows of x.csv: Conversion Error: Could not convert string ''/tmp/op/inbox/venues/x.csv'' to DOUBLE', 'database'),
		 (6, 'coverage', 'y.csv', 'b', 10, 0, 0, 0, NULL, NULL, TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:00:01+00', 'failed',
		  'read y.csv: open /home/op/inbox/coverage/y.csv: permission denied', NULL)`,
		`INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error, error_kind) VALUES
		 (1, 'manual', '2026-01-01 09:00:00+00', '2026-01-01 09:01:00+00', 'failed', 'inbox /home/op/inbox is not a readable folder', 'inbox'),
		 (2, 'manual', '2026-01-02 09:00:00+00', '2026-01-02 09:01:00+00', 'failed', 'build marts: Binder Error: column x not found', NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got, err := isql.ReadQuality(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var files, runs []string
	for _, f := range got.Files {
		files = append(files, f.ErrorKind)
	}
	for _, r := range got.Runs {
		runs = append(runs, r.ErrorKind)
	}
	if want := []string{"database", "other"}; !reflect.DeepEqual(files, want) {
		t.Errorf("kinds of the refused files = %q, want %q", files, want)
	}
	if want := []string{"other", "inbox"}; !reflect.DeepEqual(runs, want) {
		t.Errorf("kinds of the failed runs = %q, want %q", runs, want)
	}
	s := fmt.Sprintf("%+v", got)
	for _, v := range []string{"/tmp/", "/home/", "Error:", "permission denied", "readable folder"} {
		if strings.Contains(s, v) {
			t.Errorf("an error's wording (%q) was read: %s", v, s)
		}
	}
}

// TestLoadQualityEmpty reads a database where nothing was offered to ingest.
func TestReadQualityEmpty(t *testing.T) {
	db := openPagesDB(t)
	got, err := isql.ReadQuality(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files)+len(got.Rejects)+len(got.Findings) != 0 {
		t.Errorf("LoadQuality on an empty ledger = %+v, want nothing", got)
	}
}

// TestReadLoadedFiles credits the files no source describes, per kind,
// newest first, never naming self-assessment files, and finds the
// synthetic ones by their name or their marker.
func TestReadLoadedFiles(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	if _, err := db.ExecContext(ctx, `INSERT INTO ingest_files VALUES
		 (1, 'mediators', 'cnum_structures_2023-07-25.csv', 'a', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:00:01+00', 'loaded', NULL, NULL),
		 (2, 'venues', 'lieux_a.csv', 'b', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-02 10:00:00+00', TIMESTAMPTZ '2026-01-02 10:00:01+00', 'loaded', NULL, NULL),
		 (3, 'venues', 'lieux_b.csv', 'c', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-03 23:30:00+00', TIMESTAMPTZ '2026-01-03 23:30:01+00', 'loaded', NULL, NULL),
		 (4, 'venues', 'lieux_refused.csv', 'd', 10, 0, 0, 0, NULL, NULL, TIMESTAMPTZ '2026-01-04 10:00:00+00', TIMESTAMPTZ '2026-01-04 10:00:01+00', 'failed', 'x', 'other'),
		 (5, 'assessments', 'export_jean_dupont.csv', 'e', 10, 1, 1, 0, NULL, 'pix', TIMESTAMPTZ '2026-01-05 10:00:00+00', TIMESTAMPTZ '2026-01-05 10:00:01+00', 'loaded', NULL, NULL),
		 (6, 'coverage', 'arcep_2025T4_synthetic.csv', 'f', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-06 10:00:00+00', TIMESTAMPTZ '2026-01-06 10:00:01+00', 'loaded', NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	files, synthetic, err := isql.ReadLoadedFiles(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := []figures.LoadedFiles{
		{Kind: "assessments", Count: 1, LoadedOn: "2026-01-05"},
		{Kind: "coverage", Names: []string{"arcep_2025T4_synthetic.csv"}, Count: 1, LoadedOn: "2026-01-06"},
		// The bundled mediators file is credited by ref_sources; the refused file is not loaded.
		{Kind: "venues", Names: []string{"lieux_b.csv", "lieux_a.csv"}, Count: 2, LoadedOn: "2026-01-03"},
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("loaded files = %+v, want %+v", files, want)
	}
	if !reflect.DeepEqual(synthetic, []string{"coverage"}) {
		t.Errorf("synthetic kinds = %v, want [coverage]", synthetic)
	}

	// A self-assessment file whose rows all carry the synthetic marker is
	// synthetic whatever its name (ingest recorded it).
	if _, err := db.ExecContext(ctx, `INSERT INTO ingest_synthetic_files VALUES (5)`); err != nil {
		t.Fatal(err)
	}
	if _, synthetic, err = isql.ReadLoadedFiles(ctx, db); err != nil || !reflect.DeepEqual(synthetic, []string{"assessments", "coverage"}) {
		t.Errorf("synthetic kinds = %v (%v), want [assessments coverage]", synthetic, err)
	}
}

// The freshness of an input gives its data's vintage when its newest file
// is a bundled sample ref_sources describes, and none for a dropped file.
func TestFreshnessVintage(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	if _, err := db.ExecContext(ctx, `INSERT INTO ingest_files VALUES
		 (1, 'mediators', 'cnum_structures_2023-07-25.csv', 'a', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:00:01+00', 'loaded', NULL, NULL),
		 (2, 'venues', 'lieux_a.csv', 'b', 10, 1, 1, 0, NULL, NULL, TIMESTAMPTZ '2026-01-02 10:00:00+00', TIMESTAMPTZ '2026-01-02 10:00:01+00', 'loaded', NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	q, err := isql.ReadQuality(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range q.Freshness {
		got[f.Kind] = f.Vintage
	}
	if want := map[string]string{"mediators": "2023-07-25", "venues": ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("vintages %v, want %v", got, want)
	}
}
