package sql_test

import (
	gosql "database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/illectro/illectro/internal/dbtest"
	isql "github.com/illectro/illectro/sql"
)

// snapCount runs a count(*) query and fails the test on error.
func snapCount(t *testing.T, db *gosql.DB, q string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// openSnapshot opens a snapshot read-only, as `illectro sql` does.
func openSnapshot(t *testing.T, path string) *gosql.DB {
	t.Helper()
	db, err := isql.Open(t.Context(), path, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// snapColumn returns the strings of a one-column query.
func snapColumn(t *testing.T, db *gosql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// snapEntries lists the names in dir.
func snapEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestSnapshot builds the marts, snapshots them and checks the snapshot as an
// analyst would use it: opened read-only, its tables, comments and Parquet
// files; then its replacement, under a reader that keeps the old one open
// and under readers that open it while it is replaced.
func TestSnapshot(t *testing.T) {
	ctx := t.Context()
	db := openWithReference(t)
	ledger(t, db, 1, "venues", 1)
	exec(t, db, `INSERT INTO raw_venues VALUES (1, 2, 'v1', 'Médiathèque', NULL, NULL, NULL, NULL, 3.5, 44.5, NULL, NULL, NULL, NULL, '48', '48095', 'geometry', NULL)`)
	exec(t, db, `INSERT INTO quality_findings VALUES (1, 2, 'v1', 'commune_from_name', 'commune 48095 from the name "MENDE"')`)
	exec(t, db, `INSERT INTO rejects VALUES (1, 3, 'nom', 'Jeanne Dupont', 'empty id', 'missing')`)
	dbtest.Build(t, db, isql.Params{})
	dir := filepath.Join(t.TempDir(), "snapshots")
	path, err := isql.Snapshot(ctx, db, dir, "analysts")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "analysts", isql.SnapshotFile); path != want {
		t.Fatalf("Snapshot returned %s, want %s", path, want)
	}
	snap := openSnapshot(t, path)

	t.Run("tables", func(t *testing.T) {
		got := snapColumn(t, snap, `SELECT table_name FROM duckdb_tables() ORDER BY 1`)
		for _, want := range []string{"mart_departement", "mart_commune", "mart_build_parameters", "mart_departement_observed_need",
			"hist_departement", "ingest_files", "ref_departements", "ref_communes", "ref_sources", "quality_findings_counts", "snapshot_info"} {
			if !slices.Contains(got, want) {
				t.Errorf("snapshot lacks %s (has %v)", want, got)
			}
		}
		for _, banned := range []string{"raw_assessments", "raw_venues", "rejects", "quality_findings", "diag_centroid_access", "illectro_schema", "illectro_migrations", "ref_version"} {
			if slices.Contains(got, banned) {
				t.Errorf("snapshot holds %s", banned)
			}
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM duckdb_views() WHERE NOT internal`); n != 0 {
			t.Errorf("snapshot holds %d views, want none", n)
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM mart_departement`); n != 101 {
			t.Errorf("mart_departement has %d rows, want 101", n)
		}
		for _, tbl := range got {
			if tbl == "quality_findings_counts" || tbl == "snapshot_info" {
				continue
			}
			q := "SELECT count(*) FROM " + tbl
			if n, want := snapCount(t, snap, q), snapCount(t, db, q); n != want {
				t.Errorf("%s has %d rows in the snapshot, %d in the database", tbl, n, want)
			}
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM mart_commune`); n < 30000 {
			t.Errorf("mart_commune has %d rows, want one per commune", n)
		}
		var kind, dep string
		var n int64
		if err := snap.QueryRowContext(ctx, `SELECT kind, code_departement, n_rows FROM quality_findings_counts`).Scan(&kind, &dep, &n); err != nil {
			t.Fatal(err)
		}
		if kind != "commune_from_name" || dep != "48" || n != 1 {
			t.Errorf("quality_findings_counts = %s, %s, %d; want commune_from_name, 48, 1", kind, dep, n)
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM snapshot_info WHERE taken_at > now() - INTERVAL 1 HOUR AND schema_version = `+strconv.Itoa(isql.SchemaVersion)); n != 1 {
			t.Errorf("snapshot_info does not record this snapshot")
		}
	})

	t.Run("comments", func(t *testing.T) {
		q := `SELECT table_name || '.' || column_name || ' ' || comment FROM duckdb_columns()
			WHERE starts_with(table_name, 'mart_') AND comment IS NOT NULL ORDER BY table_name, column_index`
		got, want := snapColumn(t, snap, q), snapColumn(t, db, q)
		if !slices.Equal(got, want) {
			t.Errorf("mart column comments in the snapshot:\n%v\nin the database:\n%v", got, want)
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM duckdb_columns() WHERE table_name = 'mart_departement' AND comment <> ''`); n < 60 {
			t.Errorf("only %d columns of mart_departement have a comment in the snapshot", n)
		}
		q = `SELECT table_name || ' ' || comment FROM duckdb_tables() WHERE starts_with(table_name, 'mart_') AND comment IS NOT NULL ORDER BY 1`
		if got, want := snapColumn(t, snap, q), snapColumn(t, db, q); len(want) < 4 || !slices.Equal(got, want) {
			t.Errorf("mart table comments in the snapshot:\n%v\nin the database:\n%v", got, want)
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM duckdb_columns() WHERE table_name IN ('quality_findings_counts', 'snapshot_info') AND (comment IS NULL OR comment = '')`); n != 0 {
			t.Errorf("%d columns of the snapshot's own tables lack a comment", n)
		}
	})

	t.Run("parquet", func(t *testing.T) {
		pq := filepath.Join(dir, "analysts", isql.SnapshotParquetDir)
		f := filepath.Join(pq, "mart_build_parameters.parquet")
		if n, want := snapCount(t, snap, "SELECT count(*) FROM read_parquet('"+f+"')"), snapCount(t, db, "SELECT count(*) FROM mart_build_parameters"); n != want {
			t.Errorf("%s has %d rows, want %d", f, n, want)
		}
		// The data year: the year of the day the newest file was loaded.
		year := int(snapCount(t, db, "SELECT year(max(finished_at)) FROM ingest_files WHERE status = 'loaded'"))
		for _, tc := range []struct {
			table, year string // year: the expected year of each row, as SQL on the working database
		}{
			{"mart_departement", strconv.Itoa(year)},
			{"mart_commune", strconv.Itoa(year)},
			{"mart_departement_observed_need", strconv.Itoa(year)},
			{"hist_departement", "year(built_at AT TIME ZONE 'UTC')"},
		} {
			glob := filepath.Join(pq, tc.table, "*", "*", "*.parquet")
			if snapCount(t, db, "SELECT count(*) FROM "+tc.table) == 0 {
				// No rows, no partition: nothing is written.
				if files, _ := filepath.Glob(glob); len(files) != 0 {
					t.Errorf("empty %s written as %d files", tc.table, len(files))
				}
				continue
			}
			read := "read_parquet('" + glob + "', hive_partitioning = true, hive_types = {'year': INTEGER, 'code_departement': VARCHAR})"
			if n, want := snapCount(t, snap, "SELECT count(*) FROM "+read), snapCount(t, db, "SELECT count(*) FROM "+tc.table); n != want || n == 0 {
				t.Errorf("partitioned %s has %d rows, want %d", tc.table, n, want)
			}
			if n := snapCount(t, snap, "SELECT count(DISTINCT code_departement) FROM "+read); n != 101 {
				t.Errorf("partitioned %s covers %d départements, want 101", tc.table, n)
			}
			// Every row is in the folder of its year and département: the
			// rows of 2A read back equal those of the working database.
			got := snapCount(t, snap, "SELECT count(*) FROM "+read+" WHERE code_departement = '2A' AND year = "+strconv.FormatInt(snapCount(t, db, "SELECT min("+tc.year+") FROM "+tc.table), 10))
			want := snapCount(t, db, "SELECT count(*) FROM "+tc.table+" WHERE code_departement = '2A' AND "+tc.year+" = (SELECT min("+tc.year+") FROM "+tc.table+")")
			if got != want || got == 0 {
				t.Errorf("%s: partition year/code_departement=2A has %d rows, want %d", tc.table, got, want)
			}
		}
		if _, err := os.Stat(filepath.Join(pq, "mart_commune", "year="+strconv.Itoa(year), "code_departement=01", "data_0.parquet")); err != nil {
			t.Errorf("no hive folder for Ain: %v", err)
		}
	})

	t.Run("read-only", func(t *testing.T) {
		for _, q := range []string{`DELETE FROM mart_departement`, `CREATE TABLE x (i INTEGER)`} {
			_, err := snap.ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "read-only") {
				t.Errorf("%s on the snapshot: %v, want a read-only refusal", q, err)
			}
		}
		// A writable Open must not turn the snapshot into a working database.
		if w, err := isql.Open(ctx, path, isql.Options{}); err == nil {
			w.Close()
			t.Errorf("writable Open of the snapshot succeeded")
		}
	})

	t.Run("replace", func(t *testing.T) {
		// snap keeps the first snapshot open while two more replace it: the
		// first one's folder is removed, and snap still reads it.
		exec(t, db, `UPDATE mart_build_parameters SET horizon_years = 7`)
		for range 2 {
			p, err := isql.Snapshot(ctx, db, dir, "analysts")
			if err != nil || p != path {
				t.Fatalf("second Snapshot = %s, %v", p, err)
			}
		}
		var old, cur float64
		if err := snap.QueryRowContext(ctx, `SELECT horizon_years FROM mart_build_parameters`).Scan(&old); err != nil {
			t.Fatalf("the old snapshot's reader fails after the switch: %v", err)
		}
		if n := snapCount(t, snap, `SELECT count(*) FROM mart_departement`); n != 101 {
			t.Errorf("the old snapshot's reader sees %d départements", n)
		}
		snap2 := openSnapshot(t, path)
		snap2.QueryRowContext(ctx, `SELECT horizon_years FROM mart_build_parameters`).Scan(&cur)
		if old != 3 || cur != 7 {
			t.Errorf("horizon_years old/new = %v/%v, want 3/7", old, cur)
		}
		pq := filepath.Join(dir, "analysts", isql.SnapshotParquetDir, "mart_build_parameters.parquet")
		if n := snapCount(t, snap2, "SELECT count(*) FROM read_parquet('"+pq+"') WHERE horizon_years = 7"); n != 1 {
			t.Errorf("the new Parquet file does not hold the new parameters")
		}
		// The link and two snapshots (the live one and the previous), nothing else.
		names := snapEntries(t, dir)
		var versions int
		for _, n := range names {
			switch {
			case n == "analysts":
			case strings.HasPrefix(n, "analysts."):
				versions++
			default:
				t.Errorf("left in %s: %s", dir, n)
			}
		}
		if versions != 2 || len(names) != 3 {
			t.Errorf("%s holds %v, want the link and two snapshots", dir, names)
		}
	})

	t.Run("concurrent readers", func(t *testing.T) {
		var wg sync.WaitGroup
		done := make(chan struct{})
		var snapErr error
		wg.Go(func() {
			defer close(done)
			for range 3 {
				if _, err := isql.Snapshot(ctx, db, dir, "analysts"); err != nil {
					snapErr = err
					return
				}
			}
		})
		var reads int
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				r, err := isql.Open(ctx, path, isql.Options{ReadOnly: true})
				if err != nil {
					t.Errorf("open the snapshot while it is replaced: %v", err)
					return
				}
				var n int64
				err = r.QueryRowContext(ctx, `SELECT count(*) FROM mart_departement`).Scan(&n)
				r.Close()
				if err != nil || n != 101 {
					t.Errorf("query the snapshot while it is replaced: %d, %v", n, err)
					return
				}
				reads++
			}
		})
		wg.Wait()
		if snapErr != nil {
			t.Fatal(snapErr)
		}
		if reads == 0 {
			t.Errorf("the reader never read")
		}
		t.Logf("%d reads during 3 snapshots", reads)
	})
}

// TestSnapshotFailureLeavesNothing: a snapshot that fails half-way publishes
// nothing, leaves no folder behind and detaches its file.
func TestSnapshotFailureLeavesNothing(t *testing.T) {
	ctx := t.Context()
	db := openWithReference(t)
	dir := t.TempDir()
	if _, err := isql.Snapshot(ctx, db, dir, "analysts"); err == nil || !strings.Contains(err.Error(), "build the marts first") {
		t.Errorf("Snapshot before the marts: %v, want a refusal", err)
	}
	// A mart_commune without its partition column fails at the Parquet
	// files, after the DuckDB file is written.
	exec(t, db, `CREATE TABLE mart_departement AS SELECT 1 AS x`)
	exec(t, db, `CREATE TABLE mart_commune AS SELECT 1 AS y`)
	_, err := isql.Snapshot(ctx, db, dir, "analysts")
	if err == nil || !strings.Contains(err.Error(), "mart_commune") {
		t.Errorf("Snapshot with a broken mart_commune: %v, want an error naming it", err)
	}
	if names := snapEntries(t, dir); len(names) != 0 {
		t.Errorf("a failed snapshot left %v", names)
	}
	if n := snapCount(t, db, `SELECT count(*) FROM duckdb_databases() WHERE starts_with(database_name, 'illectro_snapshot')`); n != 0 {
		t.Errorf("a failed snapshot left its file attached")
	}
	// A real folder where the link goes is not overwritten.
	if err := os.Mkdir(filepath.Join(dir, "analysts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := isql.Snapshot(ctx, db, dir, "analysts"); err == nil || !strings.Contains(err.Error(), "not a symbolic link") {
		t.Errorf("Snapshot over a folder: %v, want a refusal", err)
	}
	for _, bad := range []string{"", "..", "a/b", ".hidden"} {
		if _, err := isql.Snapshot(ctx, db, dir, bad); err == nil {
			t.Errorf("Snapshot named %q succeeded", bad)
		}
	}
}
