package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
)

// sqlWorld is a folder holding a working database with one run recorded
// and its analysts' snapshot, as `illectro run` leaves them, plus a file
// the analyst must not read.
type sqlWorld struct {
	dir      string // the folder
	db       string // dir/<name>.duckdb, the working database
	snapshot string // dir/snapshot/illectro.duckdb
	secret   string // dir/secret.txt
}

// newSQLWorld makes a working database named name in a new folder (or in
// dir when not empty) and snapshots it into <dir>/snapshot.
func newSQLWorld(t *testing.T, dir, name string) sqlWorld {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	w := sqlWorld{dir: dir, db: filepath.Join(dir, name), secret: filepath.Join(dir, "secret.txt")}
	ctx := t.Context()
	db, err := isql.Open(ctx, w.db, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE mart_departement AS SELECT '59' AS code_departement, 'Nord' AS nom, 2600000 AS population",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.ExecContext(ctx, isql.RunsStart, "manual", time.Now()); err != nil {
		t.Fatal(err)
	}
	if w.snapshot, err = isql.Snapshot(ctx, db, dir, pipeline.SnapshotName); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.secret, []byte("root:secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// runs counts the rows of the run ledger of the working database.
func (w sqlWorld) runs(t *testing.T) int {
	t.Helper()
	db, err := isql.Open(t.Context(), w.db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM runs").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSQLAttacks runs the hostile inputs of issue 19 through `illectro sql`,
// against the snapshot and against the working database opened with --db:
// each is refused, with a message that says why, and leaves no trace.
func TestSQLAttacks(t *testing.T) {
	w := newSQLWorld(t, "", "illectro.duckdb")
	parquet := filepath.Join(filepath.Dir(w.snapshot), isql.SnapshotParquetDir)
	tests := []struct {
		name  string
		query string
		want  string // a regular expression the error matches
		trace string // a file that must not exist afterwards
	}{
		{"attach the working database read-write and delete the run history",
			fmt.Sprintf("ATTACH '%s' AS w (READ_WRITE); DELETE FROM w.runs", w.db), "refused", ""},
		{"delete from the opened database", "DELETE FROM runs", "read-only", ""},
		{"copy a result to a file", fmt.Sprintf("COPY (SELECT 1) TO '%s'", filepath.Join(w.dir, "out.csv")), "disabled", filepath.Join(w.dir, "out.csv")},
		{"copy a result into the snapshot", fmt.Sprintf("COPY (SELECT 1) TO '%s'", filepath.Join(parquet, "out.csv")), "refused|disabled", filepath.Join(parquet, "out.csv")},
		{"explain analyze a copy into the snapshot", fmt.Sprintf("EXPLAIN ANALYZE COPY (SELECT 1) TO '%s'", filepath.Join(parquet, "out2.csv")), "refused", filepath.Join(parquet, "out2.csv")},
		{"attach a new file", fmt.Sprintf("ATTACH '%s' AS n", filepath.Join(w.dir, "new.duckdb")), "refused", filepath.Join(w.dir, "new.duckdb")},
		{"export the database", fmt.Sprintf("EXPORT DATABASE '%s'", filepath.Join(w.dir, "export")), "disabled", filepath.Join(w.dir, "export")},
		{"read a file of the machine", fmt.Sprintf("SELECT content FROM read_text('%s')", w.secret), "disabled", ""},
		{"read /etc/passwd as CSV", "SELECT * FROM read_csv('/etc/passwd')", "disabled", ""},
		{"list files", "SELECT * FROM glob('/etc/*')", "disabled", ""},
		{"turn external access back on", fmt.Sprintf("SET enable_external_access = true; SELECT content FROM read_text('%s')", w.secret), "locked", ""},
		{"unlock the configuration", "SET lock_configuration = false", "locked", ""},
		{"install an extension", "INSTALL httpfs", "extension", ""},
		{"load an extension", "LOAD httpfs", "extension", ""},
		{"autoload an extension", "SELECT * FROM read_csv('https://example.com/x.csv')", "disabled", ""},
		{"create a table", "CREATE TABLE x (a INTEGER)", "read-only", ""},
		{"create a temporary table", "CREATE TEMP TABLE x (a INTEGER)", "read-only", ""},
		{"write a log file", fmt.Sprintf("CALL enable_logging(storage = 'file', storage_path = '%s')", filepath.Join(w.dir, "log")), "refused", filepath.Join(w.dir, "log")},
	}
	for _, target := range []struct{ name, db string }{{"snapshot", w.snapshot}, {"working database", w.db}} {
		for _, tt := range tests {
			t.Run(target.name+"/"+tt.name, func(t *testing.T) {
				stdout, _, err := runCLI(t, t.Context(), nil, "", "sql", "--db", target.db, tt.query)
				if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
					t.Errorf("sql %q = %v (stdout %q), want an error saying %q", tt.query, err, stdout, tt.want)
				}
				if tt.trace != "" {
					if _, err := os.Stat(tt.trace); err == nil {
						t.Errorf("sql %q left %s", tt.query, tt.trace)
						os.RemoveAll(tt.trace)
					}
				}
			})
		}
	}
	if n := w.runs(t); n != 1 {
		t.Errorf("the run history has %d rows after the attacks, want 1", n)
	}
	// Reading the snapshot's own Parquet files still works.
	got, _, err := runCLI(t, t.Context(), nil, "", "sql", "--db", w.snapshot, "--format", "csv",
		fmt.Sprintf("SELECT count(*) AS n FROM read_parquet('%s/mart_departement/*/*/*.parquet')", parquet))
	if err != nil || got != "n\n1\n" {
		t.Errorf("sql over the snapshot's Parquet = %q, %v; want n = 1", got, err)
	}
}

// TestSQLEveryStatement prints the result of every statement of the input,
// in order, whatever the quotes and comments; a refused statement stops the
// input there, with the results before it printed.
func TestSQLEveryStatement(t *testing.T) {
	w := newSQLWorld(t, "", "illectro.duckdb")
	tests := []struct {
		name, format, query, want string
		wantErr                   string
	}{
		{"three statements", "csv", "SELECT 1 AS a; SELECT 'x;y' AS b -- c;\n; SELECT $$;$$ AS c /* ; */;", "a\n1\n\nb\nx;y\n\nc\n;\n", ""},
		{"a variable set then read", "csv", "SET VARIABLE v = 42; SELECT getvariable('v') AS v", "v\n42\n", ""},
		{"json", "json", "SELECT 1 AS a; SELECT 2 AS b", "[\n  {\n    \"a\": 1\n  }\n]\n[\n  {\n    \"b\": 2\n  }\n]\n", ""},
		{"table", "table", "SELECT 1 AS a; SELECT 2 AS b", "a\n1\n\nb\n2\n", ""},
		{"no rows", "json", "SELECT 1 AS a WHERE false", "[]\n", ""},
		{"a refusal stops the input", "csv", "SELECT 1 AS a; DELETE FROM runs; SELECT 3 AS c", "a\n1\n", "statement 2"},
		{"an error stops the input", "csv", "SELECT 1 AS a; SELECT nope; SELECT 3 AS c", "a\n1\n", "statement 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := runCLI(t, t.Context(), nil, "", "sql", "--db", w.snapshot, "--format", tt.format, tt.query)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("sql %q error = %v, want %q", tt.query, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("sql %q = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

// TestSQLCommentIsSQL reads a query that starts with a comment as SQL, not
// as a flag: as the argument, after --, and on standard input.
func TestSQLCommentIsSQL(t *testing.T) {
	w := newSQLWorld(t, "", "illectro.duckdb")
	const q = "-- the départements\nSELECT count(*) AS n FROM mart_departement"
	for _, args := range [][]string{
		{"sql", "--db", w.snapshot, "--format", "csv", q},
		{"sql", "--db", w.snapshot, "--format", "csv", "--", q},
		{"sql", "--format", "csv", "--db", w.snapshot, "--", "-- the départements\n", "SELECT count(*) AS n FROM mart_departement"},
	} {
		got, _, err := runCLI(t, t.Context(), nil, "", args...)
		if err != nil || got != "n\n1\n" {
			t.Errorf("%q = %q, %v; want n = 1", args, got, err)
		}
	}
	got, _, err := runCLI(t, t.Context(), nil, q, "sql", "--db", w.snapshot, "--format", "csv")
	if err != nil || got != "n\n1\n" {
		t.Errorf("sql from standard input = %q, %v; want n = 1", got, err)
	}
}

// TestSQLOpensOnlyTheSnapshot opens the analysts' snapshot of
// ./illectro.duckdb by default, and without one refuses, saying how to make
// one or to name a database with --db, rather than open the working
// database.
func TestSQLOpensOnlyTheSnapshot(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := isql.Open(t.Context(), "illectro.duckdb", isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, _, err = runCLI(t, t.Context(), nil, "", "sql", "SELECT count(*) FROM runs")
	if err == nil || !strings.Contains(err.Error(), "illectro run") || !strings.Contains(err.Error(), "--db") {
		t.Errorf("sql without a snapshot = %v, want a refusal naming illectro run and --db", err)
	}
	os.Remove("illectro.duckdb")
	newSQLWorld(t, dir, "illectro.duckdb")
	got, _, err := runCLI(t, t.Context(), nil, "", "sql", "--format", "csv", "SELECT nom FROM mart_departement")
	if err != nil || got != "nom\nNord\n" {
		t.Errorf("sql on the default snapshot = %q, %v", got, err)
	}
}

// TestSQLSnapshotOfItsDatabase puts two databases in one folder: the second
// may not replace the first one's snapshot, and `illectro sql` refuses a
// snapshot of another database than the one it is asked about.
func TestSQLSnapshotOfItsDatabase(t *testing.T) {
	a := newSQLWorld(t, "", "a.duckdb")
	t.Chdir(a.dir)
	db, err := isql.Open(t.Context(), "b.duckdb", isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE mart_departement AS SELECT '62' AS code_departement, 'Pas-de-Calais' AS nom"); err != nil {
		t.Fatal(err)
	}
	if _, err := isql.Snapshot(t.Context(), db, a.dir, pipeline.SnapshotName); err == nil || !strings.Contains(err.Error(), "a.duckdb") {
		t.Errorf("snapshot of b.duckdb over a.duckdb's = %v, want a refusal naming a.duckdb", err)
	}
	db.Close()

	// The default database is ./illectro.duckdb: the snapshot is a.duckdb's.
	_, _, err = runCLI(t, t.Context(), nil, "", "sql", "SELECT 1")
	if err == nil || !strings.Contains(err.Error(), "a.duckdb") {
		t.Errorf("sql on a.duckdb's snapshot for illectro.duckdb = %v, want a refusal naming a.duckdb", err)
	}
	cfg := filepath.Join(a.dir, "b.toml")
	os.WriteFile(cfg, []byte("db = \"b.duckdb\"\n"), 0o644)
	_, _, err = runCLI(t, t.Context(), nil, "", "sql", "--config", cfg, "SELECT 1")
	if err == nil || !strings.Contains(err.Error(), "a.duckdb") {
		t.Errorf("sql --config b.toml on a.duckdb's snapshot = %v, want a refusal naming a.duckdb", err)
	}
	os.WriteFile(cfg, []byte("db = \"a.duckdb\"\n"), 0o644)
	got, _, err := runCLI(t, t.Context(), nil, "", "sql", "--config", cfg, "--format", "csv", "SELECT nom FROM mart_departement")
	if err != nil || got != "nom\nNord\n" {
		t.Errorf("sql --config a.toml = %q, %v", got, err)
	}
}

// peakHeap is a writer that discards what it is given and samples the Go
// heap every MiB written.
type peakHeap struct {
	written, next int
	peak          uint64
}

func (p *peakHeap) Write(b []byte) (int, error) {
	p.written += len(b)
	if p.written >= p.next {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.peak = max(p.peak, m.HeapAlloc)
		p.next = p.written + 1<<20
	}
	return len(b), nil
}

// TestSQLStreamsLargeResults prints 3 million rows in each format while the
// Go heap stays bounded: rows are printed as they are read, never gathered.
// (DuckDB itself still materialises the result before the first row: the
// driver offers no streaming result, see sql.QueryOnly.)
func TestSQLStreamsLargeResults(t *testing.T) {
	if testing.Short() {
		t.Skip("3 million rows")
	}
	w := newSQLWorld(t, "", "illectro.duckdb")
	const rows = 3_000_000
	q := fmt.Sprintf("SELECT i, 'row ' || i AS label, i / 7 AS ratio FROM range(%d) AS t(i)", rows)
	for _, format := range []string{"csv", "json", "table"} {
		t.Run(format, func(t *testing.T) {
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			out := &peakHeap{}
			env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: out, stderr: io.Discard}
			if err := sqlCmd(context.Background(), env, []string{"--db", w.snapshot, "--format", format, q}); err != nil {
				t.Fatal(err)
			}
			grown := int64(out.peak) - int64(base.HeapAlloc)
			t.Logf("%s: %d MB written, Go heap peak %d MB above the start", format, out.written>>20, grown>>20)
			if out.written < rows*10 {
				t.Errorf("%d bytes written, want at least %d", out.written, rows*10)
			}
			if grown > 64<<20 {
				t.Errorf("Go heap grew by %d MB while printing %d rows, want it bounded (< 64 MB)", grown>>20, rows)
			}
		})
	}
}
