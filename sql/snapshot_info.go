package sql

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/illectro/illectro/internal/sqlquote"
)

// SnapshotInfo is what a snapshot says of itself (its table snapshot_info):
// when it was taken, and from which working database.
type SnapshotInfo struct {
	TakenAt time.Time
	// DatabasePath is the absolute path the working database had when the
	// snapshot was taken; "" for a database in memory, or a snapshot taken
	// before illectro recorded it.
	DatabasePath string
	// DatabaseID is the working database's id (its table
	// illectro_database, migration 8); "" for a snapshot taken before.
	DatabaseID string
}

// ErrSnapshotOfAnotherDatabase marks a snapshot taken from another database
// than the one asked about (SnapshotInfo.CheckOf, Snapshot).
var ErrSnapshotOfAnotherDatabase = errors.New("snapshot of another database")

// CheckOf returns nil if the snapshot was taken from the database file at
// path (the same absolute path, or the same file), and an error wrapping
// ErrSnapshotOfAnotherDatabase otherwise; a snapshot that does not say
// which database it comes from (taken by an older illectro) is refused too.
func (s SnapshotInfo) CheckOf(path string) error {
	if s.DatabasePath == "" {
		return fmt.Errorf("%w: the snapshot does not say which database it was taken from (an older illectro took it): the next illectro run replaces it", ErrSnapshotOfAnotherDatabase)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if abs == s.DatabasePath {
		return nil
	}
	a, errA := os.Stat(abs)
	b, errB := os.Stat(s.DatabasePath)
	if errA == nil && errB == nil && os.SameFile(a, b) {
		return nil
	}
	return fmt.Errorf("%w: it was taken from %s, not %s", ErrSnapshotOfAnotherDatabase, s.DatabasePath, abs)
}

// readSnapshotInfo reads the snapshot_info table of the default database of
// db: nil when there is none (not a snapshot).
func readSnapshotInfo(ctx context.Context, db *gosql.DB) (*SnapshotInfo, error) {
	return snapshotInfoOf(ctx, db, "")
}

// snapshotInfoOf reads the snapshot_info table of the attached database
// alias ("" for the default one): nil when there is none.
func snapshotInfoOf(ctx context.Context, db queryer, alias string) (*SnapshotInfo, error) {
	var columns []string
	rows, err := db.QueryContext(ctx, `SELECT column_name FROM duckdb_columns()
		WHERE database_name = coalesce(nullif(?, ''), current_database()) AND schema_name = 'main' AND table_name = 'snapshot_info'`, alias)
	if err != nil {
		return nil, fmt.Errorf("read snapshot_info: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("read snapshot_info: %w", err)
		}
		columns = append(columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read snapshot_info: %w", err)
	}
	if len(columns) == 0 {
		return nil, nil
	}
	table := "snapshot_info"
	if alias != "" {
		table = sqlquote.Ident(alias) + ".main.snapshot_info"
	}
	q := "SELECT taken_at, '', '' FROM " + table
	for _, c := range columns {
		if c == "database_id" { // a snapshot written since migration 8
			q = "SELECT taken_at, coalesce(database_path, ''), coalesce(CAST(database_id AS VARCHAR), '') FROM " + table
		}
	}
	var info SnapshotInfo
	if err := db.QueryRowContext(ctx, q+" LIMIT 1").Scan(&info.TakenAt, &info.DatabasePath, &info.DatabaseID); err != nil {
		return nil, fmt.Errorf("read snapshot_info: %w", err)
	}
	return &info, nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*gosql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *gosql.Row
}

// DatabaseIdentity is the absolute path and the id of the working database
// db (its table illectro_database): what ties a snapshot or a releases
// folder to the database that wrote it.
func DatabaseIdentity(ctx context.Context, db *gosql.DB) (SnapshotInfo, error) {
	return databaseIdentity(ctx, db)
}

// databaseIdentity is the absolute path and the id of the default database
// of db, a working database.
func databaseIdentity(ctx context.Context, db queryer) (SnapshotInfo, error) {
	var info SnapshotInfo
	var path gosql.NullString
	if err := db.QueryRowContext(ctx, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").Scan(&path); err != nil {
		return info, fmt.Errorf("path of the working database: %w", err)
	}
	if path.Valid && path.String != "" && path.String != ":memory:" {
		abs, err := filepath.Abs(path.String)
		if err != nil {
			return info, err
		}
		info.DatabasePath = abs
	}
	if err := db.QueryRowContext(ctx, "SELECT CAST(id AS VARCHAR) FROM illectro_database LIMIT 1").Scan(&info.DatabaseID); err != nil {
		return info, fmt.Errorf("id of the working database: %w", err)
	}
	return info, nil
}

// checkSnapshotOwner returns an error wrapping ErrSnapshotOfAnotherDatabase
// when the snapshot file at path was taken from another database than
// self (another id). A snapshot that cannot be read, or that does not
// record its database, may be replaced.
func checkSnapshotOwner(ctx context.Context, conn *gosql.Conn, path string, self SnapshotInfo) error {
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	alias := fmt.Sprintf("illectro_previous_snapshot_%d", snapshotAliases.Add(1))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s (READ_ONLY)", sqlquote.String(path), sqlquote.Ident(alias))); err != nil {
		return nil
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+sqlquote.Ident(alias))
	info, err := snapshotInfoOf(ctx, conn, alias)
	if err != nil || info == nil || info.DatabaseID == "" || info.DatabaseID == self.DatabaseID {
		return nil
	}
	return fmt.Errorf("%w: %s was taken from the database %s (id %s), not from this one, %s (id %s): give each database its own snapshot_dir", ErrSnapshotOfAnotherDatabase, path, info.DatabasePath, info.DatabaseID, self.DatabasePath, self.DatabaseID)
}
