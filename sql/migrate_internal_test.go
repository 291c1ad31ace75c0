package sql

import (
	"context"
	gosql "database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// version5Database writes a database as illectro wrote them before the
// migration ledger (schema version 5), with one reject of that time, and
// returns its path.
func version5Database(t *testing.T) string {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := gosql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := applyDir(ctx, db, "raw"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TABLE illectro_migrations", // not there before the ledger
		"INSERT INTO illectro_schema VALUES (5)",
		`INSERT INTO rejects VALUES
		 (1, 2, 'code_postal', '59999', 'not a postal code of the 101 départements in La Poste''s base: unknown postal code'),
		 (1, 3, 'nbr', '-1', 'negative count'),
		 (1, 4, NULL, NULL, 'something new')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// version6Database writes a database as illectro wrote them at schema
// version 6 (migration 006 applied, no error kinds yet), with refused files
// and failed runs worded as that illectro worded them, and returns its path.
func version6Database(t *testing.T) string {
	t.Helper()
	ctx := t.Context()
	path := version5Database(t)
	db, err := gosql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := migrations[0]
	if m.version != 6 {
		t.Fatalf("first migration %s, want 006", m.name)
	}
	const file = `INSERT INTO ingest_files VALUES (?, 'venues', ?, 'x', 1, 0, 0, 0, NULL, NULL, TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:00:01+00', ?, ?)`
	const run = `INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error) VALUES (?, 'manual', TIMESTAMPTZ '2026-01-01 09:00:00+00', TIMESTAMPTZ '2026-01-01 09:01:00+00', ?, ?)`
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"CREATE TABLE illectro_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)", nil},
		{m.sql, nil},
		{"INSERT INTO illectro_migrations VALUES (?, ?, ?, now())", []any{m.version, m.name, m.sha256}},
		{file, []any{1, "a.csv", "loaded", nil}},
		{file, []any{2, "b.csv", "failed", "read b.csv: open /home/op/inbox/venues/b.csv: permission denied"}},
		{file, []any{3, "c.csv", "failed", "c.csv: no header line with a \"latitude\" column in the first 5 lines; for a listing in another format, write a venue mapping file and pass it with --mapping"}},
		{file, []any{4, "d.csv", "failed", "assessments need a pseudonymisation key: set ILLECTRO_HMAC_KEY or hmac_key_file in the configuration"}},
		{file, []any{5, "e.csv", "failed", "e.csv: this is UTF-16 text (Excel's \"Unicode text\"): save it as CSV UTF-8 and load it again"}},
		{file, []any{6, "f.csv", "failed", "store rows of f.csv: Conversion Error: Could not convert string 'x' to INT32"}},
		{file, []any{7, "g.csv", "failed", "g.csv: missing mandatory column(s) nom_structure in the header (line 1)"}},
		{file, []any{8, "h.csv", "failed", "something new"}},
		{run, []any{1, "succeeded", nil}},
		{run, []any{2, "failed", "interrupted: the process ended before the run finished"}},
		{run, []any{3, "failed", "data tests failed: assert_x.sql (2 rows, e.g. a=1)"}},
		{run, []any{4, "failed", "inbox /home/op/inbox is not a readable folder"}},
		{run, []any{5, "failed", "build marts: sql/marts/mart_illectronism_margins.sql: Binder Error: column x not found"}},
		{run, []any{6, "failed", "something new"}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return path
}

// column is the value of the first row of q.
func column[T any](t *testing.T, db *gosql.DB, q string) T {
	t.Helper()
	var v T
	if err := db.QueryRowContext(t.Context(), q).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// A database of version 5 is migrated in place, its rejects classified,
// each migration recorded once; opening it again applies nothing.
func TestMigrateVersion5(t *testing.T) {
	ctx := t.Context()
	path := version5Database(t)
	for range 2 {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := column[int](t, db, "SELECT count(*) FROM illectro_migrations"); got != len(migrations) {
			t.Errorf("%d migrations recorded, want %d", got, len(migrations))
		}
		if got := column[int](t, db, "SELECT max(version) FROM illectro_migrations"); got != SchemaVersion {
			t.Errorf("last migration %d, want SchemaVersion %d", got, SchemaVersion)
		}
		if got := column[string](t, db, "SELECT string_agg(kind, ',' ORDER BY line) FROM rejects"); got != "unknown_code,out_of_range,other" {
			t.Errorf("old rejects classified as %s", got)
		}
		db.Close()
	}
}

// A database of version 6 is migrated in place: its refused files and
// failed runs are classified from their wording, the others get no kind,
// and the published views carry the kinds from the first open on.
func TestMigrateVersion6(t *testing.T) {
	ctx := t.Context()
	path := version6Database(t)
	for range 2 {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := column[int](t, db, "SELECT max(version) FROM illectro_migrations"); got != SchemaVersion {
			t.Errorf("last migration %d, want SchemaVersion %d", got, SchemaVersion)
		}
		for _, c := range []struct{ q, want string }{
			{"SELECT string_agg(coalesce(error_kind, '-'), ',' ORDER BY file_id) FROM ingest_files",
				"-,unreadable,bad_header,missing_key,encoding,database,missing_columns,other"},
			{"SELECT string_agg(coalesce(error_kind, '-'), ',' ORDER BY file_id) FROM ingest_files_published",
				"-,unreadable,bad_header,missing_key,encoding,database,missing_columns,other"},
			{"SELECT string_agg(coalesce(error_kind, '-'), ',' ORDER BY run_id) FROM runs",
				"-,interrupted,data_tests,inbox,database,other"},
			{"SELECT string_agg(coalesce(error_kind, '-'), ',' ORDER BY run_id) FROM runs_published",
				"-,interrupted,data_tests,inbox,database,other"},
		} {
			if got := column[string](t, db, c.q); got != c.want {
				t.Errorf("%s = %s, want %s", c.q, got, c.want)
			}
		}
		db.Close()
	}
}

// A new database goes through the same migrations as an old one: the same
// tables and views, column for column.
func TestMigrateNewEqualsMigratedOld(t *testing.T) {
	ctx := t.Context()
	columns := func(path string) string {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		return column[string](t, db, `SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable, E'\n' ORDER BY table_name, ordinal_position)
			FROM information_schema.columns WHERE table_catalog = current_database()`)
	}
	// The views of raw/, made before the migrations, follow them from the
	// first open on.
	for _, v := range []string{"ingest_files_published", "runs_published"} {
		if c := columns(filepath.Join(t.TempDir(), "new.duckdb")); !strings.Contains(c, v+".error_kind VARCHAR") {
			t.Errorf("a new database's %s has no error_kind:\n%s", v, c)
		}
	}
	fresh := columns(filepath.Join(t.TempDir(), "new.duckdb"))
	for name, old := range map[string]func(*testing.T) string{"version-5": version5Database, "version-6": version6Database} {
		if got := columns(old(t)); got != fresh {
			t.Errorf("a new database and a migrated %s one differ:\nnew:\n%s\nmigrated:\n%s", name, fresh, got)
		}
	}
}

// Databases a migration cannot serve are refused with what to do, and
// left untouched.
func TestMigrateRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup []string // on a version-5 database
		want  string
	}{
		{"older than the baseline", []string{"UPDATE illectro_schema SET version = 4"}, "move it aside"},
		{"made by a newer illectro", []string{
			"CREATE TABLE illectro_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
			"INSERT INTO illectro_migrations VALUES (999, '999_future.sql', 'x', now())",
		}, "made by a newer illectro"},
		{"a released migration edited since", []string{
			"CREATE TABLE illectro_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
			"ALTER TABLE rejects ADD COLUMN kind VARCHAR",
			"INSERT INTO illectro_migrations VALUES (6, '006_rejects_kind.sql', 'an older text', now())",
		}, "was changed since it was applied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := version5Database(t)
			db, err := gosql.Open("duckdb", path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.setup {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			db.Close()
			db, err = Open(ctx, path, Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want an error saying %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: %v, want %q", err, tt.want)
			}
		})
	}
}

// A migration that fails is neither applied nor recorded: the database is
// as before, and a fixed build migrates it.
func TestMigrationAllOrNothing(t *testing.T) {
	ctx := t.Context()
	path := version5Database(t)
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	broken := saved[0]
	broken.sql += "\nSELECT * FROM no_such_table;"
	migrations = []migration{broken}
	if db, err := Open(ctx, path, Options{}); err == nil {
		db.Close()
		t.Fatal("a failing migration was applied")
	}
	db, err := gosql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if got := column[int](t, db, "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'rejects' AND column_name = 'kind'"); got != 0 {
		t.Error("the failed migration's ALTER TABLE stayed")
	}
	if got := column[int](t, db, "SELECT count(*) FROM illectro_migrations"); got != 0 {
		t.Error("the failed migration was recorded")
	}
	db.Close()
	migrations = saved
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
