// Package dbtest gives tests a real DuckDB file holding the embedded
// reference data, the starting point of every test at the SQL seam.
package dbtest

import (
	gosql "database/sql"
	"path/filepath"
	"sync"
	"testing"

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
	return db
}
