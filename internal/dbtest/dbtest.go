// Package dbtest gives tests a real DuckDB file holding the embedded
// reference data, the starting point of every test at the SQL seam.
package dbtest

import (
	"context"
	gosql "database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
)

var (
	refOnce sync.Once
	ref     *ingest.Reference
	refErr  error
)

// OpenWithReference opens a new DuckDB file in a temporary folder of t,
// stores the reference tables in it, and closes it when t ends.
func OpenWithReference(t testing.TB) *gosql.DB {
	t.Helper()
	db, err := isql.Open(t.Context(), filepath.Join(t.TempDir(), "test.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	refOnce.Do(func() { ref, refErr = ingest.LoadReference() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	if err := ingest.StoreReference(t.Context(), db, ref); err != nil {
		t.Fatal(err)
	}
	if err := diagnostics.StoreModelReference(t.Context(), db, diagnostics.ModelOptions{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// Build builds the views, runs the illectronism model and builds the marts,
// as a run does (without the access distances: diag_centroid_access keeps
// what the test put there). With no commune data the model fills every
// commune from the national structure.
func Build(t testing.TB, db *gosql.DB, p isql.Params) {
	t.Helper()
	if err := BuildErr(t.Context(), db, p); err != nil {
		t.Fatal(err)
	}
}

// BuildErr is Build returning the error, for tests that expect one.
func BuildErr(ctx context.Context, db *gosql.DB, p isql.Params) error {
	if err := isql.BuildViews(ctx, db, p); err != nil {
		return err
	}
	if _, err := diagnostics.EstimateIllectronism(ctx, db, diagnostics.ModelOptions{}); err != nil {
		return err
	}
	return isql.BuildMarts(ctx, db, p)
}

// Supersede records in raw_assessments_superseded, afresh, what ingest
// records as it loads files: every raw_assessments row that is not its
// respondent's latest (the window of migration 009), for tests that insert
// rows into raw_assessments directly.
func Supersede(t testing.TB, db *gosql.DB) {
	t.Helper()
	for _, q := range []string{
		"DELETE FROM raw_assessments_superseded",
		`INSERT INTO raw_assessments_superseded
		 SELECT a.file_id, a.line
		 FROM raw_assessments AS a
		 LEFT JOIN ingest_files AS f USING (file_id)
		 QUALIFY row_number() OVER (PARTITION BY f.source, a.respondent_key
		                            ORDER BY a.assessed_at DESC, a.file_id DESC, a.line DESC) > 1`,
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
