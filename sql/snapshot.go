package sql

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/illectro/illectro/internal/sqlquote"
	"github.com/illectro/illectro/publish"
)

// SnapshotFile is the name of the DuckDB file inside a snapshot folder.
const SnapshotFile = "illectro.duckdb"

// SnapshotParquetDir is the folder of the Parquet files inside a snapshot
// folder: one <mart>.parquet per mart, except the partitioned ones, which
// are folders in hive layout (<mart>/<column>=<value>/data_0.parquet).
const SnapshotParquetDir = "parquet"

// Named queries of Snapshot, read from queries/snapshot_*.sql.
var (
	// snapshotTablesQuery lists the tables a snapshot copies, with their
	// comments.
	snapshotTablesQuery = mustRead("queries/snapshot_tables.sql")
	// snapshotColumnsQuery lists the commented columns of the working
	// database.
	snapshotColumnsQuery = mustRead("queries/snapshot_columns.sql")
	// SnapshotDataYear is the year of the marts in the Parquet layout.
	SnapshotDataYear = mustRead("queries/snapshot_data_year.sql")
	// snapshotQualityFindingsQuery counts the quality findings per file, kind
	// and département: the data-quality page's query, without its final
	// semicolon, so that it can follow CREATE TABLE … AS.
	snapshotQualityFindingsQuery = strings.TrimSuffix(strings.TrimSpace(QualityFindingsQuery), ";")
)

// snapshotPartitioned names the tables written to Parquet in hive layout,
// partitioned by year and département
// (<table>/year=YYYY/code_departement=XX/data_0.parquet), with the SQL
// expression of each row's year: "" for the data year (a snapshot holds one
// build of the marts: the year of the day its newest file was loaded, as the
// report states it), the build's year for the history, which holds them all.
// Other tables are single files. This layout is the contract other engines
// read (README, "Reading the snapshot elsewhere").
var snapshotPartitioned = map[string]string{
	"mart_departement":               "",
	"mart_commune":                   "",
	"mart_departement_observed_need": "",
	"hist_departement":               "year(built_at AT TIME ZONE 'UTC')",
}

// snapshotPublished names the copied tables that a snapshot reads from a
// view of what may be published rather than from the table itself: the
// ledgers without the self-assessment files' names, hashes, sizes and row
// counts, nor the runs' fingerprints (sql/raw/010_ledger_published.sql).
var snapshotPublished = map[string]string{
	"ingest_files": "ingest_files_published",
	"runs":         "runs_published",
}

// snapshotTable is a table a snapshot creates itself, from a query of the
// working database, with its comments.
type snapshotTable struct {
	name    string
	query   string            // a SELECT on the working database, no final semicolon
	args    []any             // its bound parameters
	comment string            // the table's comment
	columns map[string]string // column name → comment
}

// snapshotDerived are the tables a snapshot adds to the copied ones: the
// counts of quality findings (the findings themselves quote raw values), and
// when, from which raw schema and from which database the snapshot was
// taken (its absolute path and id: SnapshotInfo).
func snapshotDerived(takenAt time.Time, source SnapshotInfo) []snapshotTable {
	return []snapshotTable{
		{
			name:    "quality_findings_counts",
			query:   snapshotQualityFindingsQuery,
			comment: "Quality findings on loaded rows (a row loaded despite a disagreement or an approximation), counted per file, kind and département, as on the data-quality page. The findings themselves stay in the working database: they quote raw values.",
			columns: map[string]string{
				"file_id":          "The file the rows came from (ingest_files.file_id).",
				"kind":             "Kind of finding, e.g. commune_from_postal_code, commune_from_name, declared_departement_differs_from_geometry.",
				"code_departement": "INSEE code of the département the row was placed in (venues); empty for other kinds of rows.",
				"n_rows":           "Number of findings.",
			},
		},
		{
			name:    "snapshot_info",
			query:   "SELECT CAST(? AS TIMESTAMPTZ) AS taken_at, CAST(? AS INTEGER) AS schema_version, CAST(? AS VARCHAR) AS database_path, CAST(? AS UUID) AS database_id",
			args:    []any{takenAt.UTC().Format(time.RFC3339Nano), SchemaVersion, source.DatabasePath, source.DatabaseID},
			comment: "This file is a read-only snapshot of illectro's working database, taken at the end of a good run; it is replaced as a whole by the next one.",
			columns: map[string]string{
				"taken_at":       "When the snapshot was taken.",
				"schema_version": "Version of the raw schema of the working database it was taken from (sql.SchemaVersion).",
				"database_path":  "Absolute path of the working database it was taken from; empty for a database in memory.",
				"database_id":    "Id of the working database it was taken from (its table illectro_database): illectro sql refuses a snapshot of another database than the one it is asked about.",
			},
		},
	}
}

// snapshotAliases numbers the ATTACH aliases of concurrent snapshots: an
// attached database is visible to every connection of the DuckDB instance.
var snapshotAliases atomic.Int64

// Snapshot writes a read-only copy of the marts and reference tables of db
// for analysts, who must not query the working database (DuckDB allows no
// reader while a process writes). It returns dir/<name>/illectro.duckdb, the
// stable path to open, read-only, to query the latest snapshot.
//
// A snapshot folder holds:
//
//   - illectro.duckdb: the tables listed by queries/snapshot_tables.sql (every
//     mart_*, every ref_* but ref_version, hist_departement and the ingest
//     and run ledgers, without the self-assessment files nor the runs'
//     fingerprints: snapshotPublished), plus quality_findings_counts and snapshot_info,
//     with the comments of tables and columns; never the raw tables, rejects
//     nor quality_findings, which hold personal or raw data. Rows are written
//     in ORDER BY ALL order (every table has its key first), so the same
//     data gives the same tables and byte-identical Parquet files.
//   - parquet/: the marts and hist_departement; those with one row per
//     département or commune are partitioned by year and département, in
//     hive layout: parquet/<table>/year=YYYY/code_departement=XX/data_0.parquet
//     (see snapshotPartitioned; read them with
//     read_parquet('…/<table>/*/*/*.parquet', hive_partitioning = true,
//     hive_types = {'year': INTEGER, 'code_departement': VARCHAR})); the
//     others are one <table>.parquet each.
//
// Layout: each snapshot is a folder dir/<name>.<UTC time, e.g.
// 20260105T031500Z>, written under a temporary name beside it and renamed
// when complete; dir/<name> is a symbolic link to the latest one, switched
// by renaming a new link over it, which is atomic: a reader opening
// dir/<name>/illectro.duckdb always finds a complete snapshot, never a half
// one nor none. The previous snapshot is kept, so that a reader that
// resolved the link just before the switch still finds its files; older
// ones are removed (a reader that has them open keeps reading them: on
// Linux and macOS an open file outlives its removal). Symbolic links need
// Linux or macOS (or Windows' developer mode).
//
// A snapshot records the absolute path and the id of its database
// (SnapshotInfo); Snapshot refuses to replace one taken from another
// database (two databases in one folder, with the default snapshot_dir),
// with an error wrapping ErrSnapshotOfAnotherDatabase.
//
// Call it once at a time for a given dir and name. The copy reads db in one
// transaction, so that every table comes from the same state. On error,
// nothing is published and the temporary folder is removed; if only the
// removal of old snapshots fails, it returns the path with the error.
func Snapshot(ctx context.Context, db *gosql.DB, dir, name string) (string, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("snapshot: invalid name %q (want a plain file name, not starting with a dot)", name)
	}
	link := filepath.Join(dir, name)
	if err := publish.CheckLink(link); err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	tmp, err := publish.Stage(dir, name)
	if err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once placed
	takenAt := time.Now()
	if err := writeSnapshot(ctx, db, tmp, filepath.Join(link, SnapshotFile), takenAt); err != nil {
		return "", fmt.Errorf("snapshot into %s: %w", tmp, err)
	}
	if err := readOnlyFiles(tmp); err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	previous := publish.Live(link) // "" when there is none yet
	version, err := publish.Place(tmp, dir, name+"."+takenAt.UTC().Format("20060102T150405Z"))
	if err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	if err := publish.SwitchLink(link, filepath.Join(dir, version)); err != nil {
		os.RemoveAll(filepath.Join(dir, version))
		return "", fmt.Errorf("snapshot: %w", err)
	}
	path := filepath.Join(link, SnapshotFile)
	// The previous snapshot is kept for a reader that resolved the link
	// just before the switch.
	isVersion := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `\.\d{8}T\d{6}Z(-\d+)?$`).MatchString
	if err := publish.Prune(dir, name+".", isVersion, 0, version, previous); err != nil {
		return path, fmt.Errorf("snapshot: remove old snapshots: %w", err)
	}
	return path, nil
}

// writeSnapshot writes the DuckDB file and the Parquet files of a snapshot
// into the folder tmp, on one connection of db: ATTACH, copies and DETACH.
// It refuses, before any copy, when previous, the snapshot it is to
// replace, was taken from another database.
func writeSnapshot(ctx context.Context, db *gosql.DB, tmp, previous string, takenAt time.Time) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var src string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&src); err != nil {
		return fmt.Errorf("name the working database: %w", err)
	}
	source, err := databaseIdentity(ctx, conn)
	if err != nil {
		return err
	}
	if err := checkSnapshotOwner(ctx, conn, previous, source); err != nil {
		return err
	}
	tables, columns, err := snapshotCatalog(ctx, conn)
	if err != nil {
		return err
	}
	file := filepath.Join(tmp, SnapshotFile)
	alias := fmt.Sprintf("illectro_snapshot_%d", snapshotAliases.Add(1))
	if alias == src {
		alias += "_"
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s", sqlquote.String(file), sqlquote.Ident(alias))); err != nil {
		return fmt.Errorf("attach %s: %w", file, err)
	}
	attached, inTx := true, false
	defer func() {
		// Clean up even when ctx is done; the folder is removed by the caller.
		bg := context.WithoutCancel(ctx)
		if inTx {
			conn.ExecContext(bg, "ROLLBACK")
		}
		if attached {
			conn.ExecContext(bg, "DETACH "+sqlquote.Ident(alias))
		}
	}()

	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	inTx = true
	from := sqlquote.Ident(src) + ".main."
	into := sqlquote.Ident(alias) + ".main."
	for _, t := range tables {
		source := t.name
		if v, ok := snapshotPublished[t.name]; ok {
			source = v
		}
		q := fmt.Sprintf("CREATE TABLE %s%s AS SELECT * FROM %s%s ORDER BY ALL", into, sqlquote.Ident(t.name), from, sqlquote.Ident(source))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("copy table %s: %w", t.name, err)
		}
	}
	for _, t := range snapshotDerived(takenAt, source) {
		q := fmt.Sprintf("CREATE TABLE %s%s AS %s", into, sqlquote.Ident(t.name), t.query)
		if _, err := conn.ExecContext(ctx, q, t.args...); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
		tables = append(tables, t)
	}
	for _, t := range tables {
		if t.comment != "" {
			q := fmt.Sprintf("COMMENT ON TABLE %s%s IS %s", into, sqlquote.Ident(t.name), sqlquote.String(t.comment))
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("comment on table %s: %w", t.name, err)
			}
		}
		for _, c := range slices.Sorted(maps.Keys(t.columns)) {
			q := fmt.Sprintf("COMMENT ON COLUMN %s%s.%s IS %s", into, sqlquote.Ident(t.name), sqlquote.Ident(c), sqlquote.String(t.columns[c]))
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("comment on column %s.%s: %w", t.name, c, err)
			}
		}
	}
	for _, c := range columns { // copied tables: their own column comments
		q := fmt.Sprintf("COMMENT ON COLUMN %s%s.%s IS %s", into, sqlquote.Ident(c.table), sqlquote.Ident(c.column), sqlquote.String(c.comment))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("comment on column %s.%s: %w", c.table, c.column, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit %s: %w", file, err)
	}
	inTx = false

	// The Parquet files are written from the snapshot's tables, so that
	// they hold exactly what the DuckDB file holds.
	pq := filepath.Join(tmp, SnapshotParquetDir)
	if err := os.Mkdir(pq, 0o755); err != nil {
		return err
	}
	var dataYear int
	if err := conn.QueryRowContext(ctx, fmt.Sprintf(SnapshotDataYear, into)).Scan(&dataYear); err != nil {
		return fmt.Errorf("data year: %w", err)
	}
	for _, t := range tables {
		if !strings.HasPrefix(t.name, "mart_") && t.name != "hist_departement" {
			continue
		}
		q, out := "", ""
		if year, ok := snapshotPartitioned[t.name]; ok {
			if year == "" {
				year = strconv.Itoa(dataYear)
			}
			out = filepath.Join(pq, t.name)
			q = fmt.Sprintf("COPY (SELECT CAST(%s AS INTEGER) AS year, * FROM %s%s ORDER BY ALL) TO ? (FORMAT parquet, PARTITION_BY (year, code_departement))", year, into, sqlquote.Ident(t.name))
		} else {
			out = filepath.Join(pq, t.name+".parquet")
			q = fmt.Sprintf("COPY (SELECT * FROM %s%s ORDER BY ALL) TO ? (FORMAT parquet)", into, sqlquote.Ident(t.name))
		}
		if _, err := conn.ExecContext(ctx, q, out); err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
	}

	// DETACH checkpoints the file: no write-ahead log is left beside it.
	if _, err := conn.ExecContext(ctx, "DETACH "+sqlquote.Ident(alias)); err != nil {
		return fmt.Errorf("detach %s: %w", file, err)
	}
	attached = false
	if _, err := os.Stat(file + ".wal"); err == nil {
		return fmt.Errorf("%s.wal left after DETACH: the snapshot would not open read-only", file)
	}
	return nil
}

// snapshotColumn is the comment of one column of a copied table.
type snapshotColumn struct{ table, column, comment string }

// snapshotCatalog lists the tables a snapshot copies, with their comments,
// and the comments of their columns.
func snapshotCatalog(ctx context.Context, conn *gosql.Conn) ([]snapshotTable, []snapshotColumn, error) {
	rows, err := conn.QueryContext(ctx, snapshotTablesQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var tables []snapshotTable
	copied := map[string]bool{}
	for rows.Next() {
		var t snapshotTable
		if err := rows.Scan(&t.name, &t.comment); err != nil {
			return nil, nil, fmt.Errorf("list tables: %w", err)
		}
		tables = append(tables, t)
		copied[t.name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	rows.Close()
	if !copied["mart_departement"] {
		return nil, nil, errors.New("no mart_departement in the working database: build the marts first")
	}
	rows, err = conn.QueryContext(ctx, snapshotColumnsQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("list column comments: %w", err)
	}
	defer rows.Close()
	var columns []snapshotColumn
	for rows.Next() {
		var c snapshotColumn
		if err := rows.Scan(&c.table, &c.column, &c.comment); err != nil {
			return nil, nil, fmt.Errorf("list column comments: %w", err)
		}
		if copied[c.table] {
			columns = append(columns, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list column comments: %w", err)
	}
	return tables, columns, nil
}

// readOnlyFiles makes every file under dir read-only, so that even a
// writable open of a snapshot (by something else than illectro) fails.
func readOnlyFiles(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chmod(p, 0o444)
	})
}
