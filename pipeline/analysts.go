package pipeline

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	isql "github.com/illectro/illectro/sql"
)

// ErrNoSnapshot reports that a database has no analysts' snapshot yet.
var ErrNoSnapshot = errors.New("no analysts' snapshot")

// SnapshotPath is the stable path of the analysts' snapshot of cfg.DB:
// <SnapshotRoot>/snapshot/illectro.duckdb.
func (c Config) SnapshotPath() string {
	return filepath.Join(c.SnapshotRoot(), SnapshotName, isql.SnapshotFile)
}

// OpenSnapshot opens the analysts' snapshot of cfg.DB for untrusted SQL
// (sql.OpenQueryOnly), never the working database: an error wrapping
// ErrNoSnapshot when there is none, and one wrapping
// sql.ErrSnapshotOfAnotherDatabase when the snapshot at that place was
// taken from another database (two databases in one folder share the
// default snapshot_dir).
func OpenSnapshot(ctx context.Context, cfg Config) (*gosql.DB, error) {
	path := cfg.SnapshotPath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w of %s at %s: a good `illectro run` writes one", ErrNoSnapshot, cfg.DB, path)
	}
	db, info, err := isql.OpenQueryOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	if info == nil {
		db.Close()
		return nil, fmt.Errorf("%s is not an analysts' snapshot (no snapshot_info table)", path)
	}
	if err := info.CheckOf(cfg.DB); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s is not the snapshot of %s: %w", path, cfg.DB, err)
	}
	return db, nil
}
