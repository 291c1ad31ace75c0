package sql

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/illectro/illectro/internal/sqlquote"
)

// querySettings are the DuckDB settings under which analysts' SQL runs
// (OpenQueryOnly), applied in this order, then locked. Measured with DuckDB
// 1.5.6 (duckdb-go v2.10506.0):
//
//   - access_mode=read_only (at open) refuses writes to the opened file, but
//     not an ATTACH of the working database READ_WRITE, COPY … TO, EXPORT
//     DATABASE, read_text('/etc/shadow'), glob('/etc/*') nor INSTALL: those
//     go through DuckDB's file system, which enable_external_access=false
//     closes, but for allowed_directories.
//   - temp_directory=” first: DuckDB adds its temporary folder (by default
//     <file>.tmp beside the database) to the allowed directories, which would
//     let COPY write there. A query too large for memory then fails instead
//     of spilling to disk.
//   - allowed_directories: only the Parquet folder of a snapshot
//     (<snapshot>/parquet/), so that the README's read_parquet queries work.
//     DuckDB resolves symbolic links in it. Allowed means written too: COPY,
//     EXPORT and EXPLAIN ANALYZE of a COPY would write there, so Query
//     refuses them before DuckDB sees them.
//   - autoinstall_known_extensions and autoload_known_extensions off: a
//     query naming https:// or s3:// fails instead of downloading httpfs.
//     The built-in extensions (parquet, json, icu, core_functions) stay.
//   - lock_configuration=true last: no SET can undo the above.
var querySettings = []string{
	"SET temp_directory = ''",
	"SET autoinstall_known_extensions = false",
	"SET autoload_known_extensions = false",
	"SET allow_community_extensions = false",
	"SET allowed_directories = %s",
	"SET enable_external_access = false",
	"SET lock_configuration = true",
}

// OpenQueryOnly opens the DuckDB file at path for untrusted SQL: read-only,
// with no access to files but the Parquet folder of a snapshot, no
// extension to install or load, and the configuration locked (see
// querySettings). It returns the database, limited to one connection, so
// that variables set by one statement are seen by the next, and, when the
// file is a snapshot, what it says of itself (nil otherwise). Run the
// analysts' statements through Query, which refuses those that would write.
func OpenQueryOnly(ctx context.Context, path string) (*gosql.DB, *SnapshotInfo, error) {
	if _, err := os.Stat(path); err != nil {
		// DuckDB would create a missing file, even read-only it fails later.
		return nil, nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(1)
	info, err := readSnapshotInfo(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open database %s: %w", path, err)
	}
	allowed := "[]"
	if info != nil {
		dir := filepath.Join(filepath.Dir(path), SnapshotParquetDir)
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		allowed = "[" + sqlquote.String(dir+string(filepath.Separator)) + "]"
	}
	for _, s := range querySettings {
		if strings.Contains(s, "%s") {
			s = fmt.Sprintf(s, allowed)
		}
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("open database %s: %s: %w", path, s, err)
		}
	}
	return db, info, nil
}

// queryTypes are the kinds of statements Query runs: queries, plans and
// variables (SET of a setting fails: the configuration is locked).
var queryTypes = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_SELECT:       true, // also PRAGMA table_info, DESCRIBE, SHOW, SUMMARIZE, FROM, VALUES
	duckdb.STATEMENT_TYPE_EXPLAIN:      true, // not EXPLAIN ANALYZE: explainAnalyze
	duckdb.STATEMENT_TYPE_SET:          true, // SET VARIABLE, USE; a setting: refused, locked
	duckdb.STATEMENT_TYPE_VARIABLE_SET: true,
}

// stmtTypeNames names the statement types in refusals.
var stmtTypeNames = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE",
	duckdb.STATEMENT_TYPE_DELETE: "DELETE", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE",
	duckdb.STATEMENT_TYPE_CREATE: "CREATE", duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE",
	duckdb.STATEMENT_TYPE_ALTER: "ALTER", duckdb.STATEMENT_TYPE_TRANSACTION: "transaction",
	duckdb.STATEMENT_TYPE_COPY: "COPY", duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE or VACUUM",
	duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION", duckdb.STATEMENT_TYPE_DROP: "DROP",
	duckdb.STATEMENT_TYPE_EXPORT: "EXPORT", duckdb.STATEMENT_TYPE_PRAGMA: "PRAGMA",
	duckdb.STATEMENT_TYPE_VACUUM: "VACUUM", duckdb.STATEMENT_TYPE_CALL: "CALL or CHECKPOINT",
	duckdb.STATEMENT_TYPE_LOAD: "INSTALL or LOAD", duckdb.STATEMENT_TYPE_EXTENSION: "extension",
	duckdb.STATEMENT_TYPE_ATTACH: "ATTACH", duckdb.STATEMENT_TYPE_DETACH: "DETACH",
	duckdb.STATEMENT_TYPE_EXPLAIN: "EXPLAIN ANALYZE",
}

// explainAnalyze matches EXPLAIN ANALYZE and EXPLAIN (options …), which
// run the statement they explain (a COPY, say); plain EXPLAIN does not.
var explainAnalyze = regexp.MustCompile(`(?is)^EXPLAIN\s*(\(|ANALY[SZ]E\b)`)

// RefusedError is a statement Query does not run, because it could write or
// reach outside the database.
type RefusedError struct {
	Kind string // e.g. "COPY", "ATTACH", "INSTALL or LOAD"
}

func (e *RefusedError) Error() string {
	msg := fmt.Sprintf("%s refused: illectro sql is read-only and runs only queries (SELECT, DESCRIBE, SHOW, EXPLAIN, SET VARIABLE)", e.Kind)
	if e.Kind == "INSTALL or LOAD" {
		msg += "; no extension is installed or loaded beyond the built-in ones (parquet, json, icu)"
	}
	return msg
}

// Query runs one statement of untrusted SQL on conn, a connection of a
// database opened by OpenQueryOnly, and returns its rows (nil rows for a
// SET, which has no result); it refuses, with
// a *RefusedError, any statement but a query, before DuckDB runs it, and a
// text that holds more than one statement (split it with
// SplitStatements). DuckDB holds the whole result in memory before the
// first row: duckdb-go (v2.10506.0) offers no streaming result; read the
// rows as they come so that Go does not hold a second copy.
func Query(ctx context.Context, conn *gosql.Conn, statement string) (*gosql.Rows, error) {
	text := strings.TrimSpace(stripLeadingComments(statement))
	if explainAnalyze.MatchString(text) {
		return nil, &RefusedError{Kind: "EXPLAIN ANALYZE"}
	}
	var kind duckdb.StmtType
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("not a database/sql driver connection")
		}
		// Prepare without a context refuses a text of several statements,
		// rather than running all but the last as PrepareContext does.
		s, err := c.Prepare(statement)
		if err != nil {
			return err
		}
		defer s.Close()
		ds, ok := s.(*duckdb.Stmt)
		if !ok {
			return errors.New("not a DuckDB statement")
		}
		kind, err = ds.StatementType()
		return err
	})
	if err != nil {
		return nil, explainDenied(err)
	}
	if !queryTypes[kind] {
		name, ok := stmtTypeNames[kind]
		if !ok {
			name = fmt.Sprintf("statement of type %d", kind)
		}
		return nil, &RefusedError{Kind: name}
	}
	if kind == duckdb.STATEMENT_TYPE_SET || kind == duckdb.STATEMENT_TYPE_VARIABLE_SET {
		_, err := conn.ExecContext(ctx, statement)
		return nil, explainDenied(err)
	}
	rows, err := conn.QueryContext(ctx, statement)
	return rows, explainDenied(err)
}

// explainDenied adds to DuckDB's refusal of a file or a setting what
// illectro sql allows.
func explainDenied(err error) error {
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "disabled by configuration"), strings.Contains(err.Error(), "disabled through configuration"):
		return fmt.Errorf("%w\n(illectro sql reads no file but the database and a snapshot's Parquet files, and installs or loads no extension)", err)
	case strings.Contains(err.Error(), "configuration has been locked"):
		return fmt.Errorf("%w\n(illectro sql locks DuckDB's settings: it reads no file but the database and a snapshot's Parquet files)", err)
	}
	return err
}

// stripLeadingComments removes the comments and blanks before the first
// word of a statement.
func stripLeadingComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f")
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			end := blockCommentEnd(s)
			if end < 0 {
				return ""
			}
			s = s[end:]
		default:
			return s
		}
	}
}
