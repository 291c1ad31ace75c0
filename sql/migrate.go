package sql

import (
	"context"
	"crypto/sha256"
	gosql "database/sql"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// baselineVersion is the schema version that the raw files (raw/*.sql)
// create: the version databases had when the migration ledger began.
// Databases made before it cannot be migrated; they are refused with a
// message to move them aside (inputs are then loaded again from their
// files).
const baselineVersion = 5

// migration is one file migrations/NNN_name.sql: a change to the raw
// tables, applied once to every database, in order of NNN.
type migration struct {
	version int
	name    string // the file name
	sql     string
	sha256  string // of sql, recorded when applied
}

// migrations are the embedded migrations, in order; their numbers follow
// baselineVersion without a gap (checked at start-up). The go:embed pattern
// migrations/*.sql needs at least one file, so there is always a last one.
var migrations = loadMigrations()

// SchemaVersion is the version of the raw tables this build writes: the
// number of its last migration. Open migrates an older database to it and
// refuses a newer one.
var SchemaVersion = migrations[len(migrations)-1].version

func loadMigrations() []migration {
	names, err := fileNames("migrations")
	if err != nil {
		panic(err)
	}
	var out []migration
	for i, name := range names {
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != baselineVersion+i+1 {
			panic(fmt.Sprintf("sql: migration %s: want number %03d (migrations follow version %d without a gap)", base, baselineVersion+i+1, baselineVersion))
		}
		text := mustRead(name)
		sum := sha256.Sum256([]byte(text))
		out = append(out, migration{version: v, name: base, sql: text, sha256: hex.EncodeToString(sum[:])})
	}
	return out
}

// migrate brings the raw tables of the database at path to SchemaVersion:
// a new database gets the baseline tables, then every migration; an
// existing one the migrations it has not recorded in illectro_migrations,
// each in its own transaction with its ledger row, so that a migration is
// either applied and recorded or neither; the views of raw/ are then made
// again over the migrated tables. It refuses a database older than
// the baseline, newer than this build, or whose recorded migration differs
// from this build's file of the same number.
func migrate(ctx context.Context, db *gosql.DB, path string) error {
	var hasLedger, hasVersion, hasMigrations bool
	if err := db.QueryRowContext(ctx, mustRead("queries/schema_version.sql")).Scan(&hasLedger, &hasVersion, &hasMigrations); err != nil {
		return fmt.Errorf("read schema version of %s: %w", path, err)
	}
	v := -1 // a new database
	switch {
	case hasVersion:
		q := "SELECT coalesce(max(version), 0) FROM illectro_schema"
		if hasMigrations {
			q = "SELECT greatest((" + q + "), (SELECT coalesce(max(version), 0) FROM illectro_migrations))"
		}
		if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
			return fmt.Errorf("read schema version of %s: %w", path, err)
		}
	case hasLedger:
		v = 0 // made before versioning
	}
	if v >= 0 && v < baselineVersion {
		return fmt.Errorf("database %s has raw tables of schema version %d, older than any this illectro can migrate (%d): move it aside and rerun (inputs are loaded again from their files)", path, v, baselineVersion)
	}
	if v > SchemaVersion {
		return fmt.Errorf("database %s has raw tables of schema version %d, made by a newer illectro (this one writes version %d): use that version, or move the database aside", path, v, SchemaVersion)
	}
	if err := applyDir(ctx, db, "raw"); err != nil {
		return fmt.Errorf("create raw tables in %s: %w", path, err)
	}
	if v < 0 {
		if _, err := db.ExecContext(ctx, "INSERT INTO illectro_schema VALUES (?)", baselineVersion); err != nil {
			return fmt.Errorf("record schema version in %s: %w", path, err)
		}
	}
	applied := map[int]string{}
	err := EachRow(ctx, db, "SELECT version, sha256 FROM illectro_migrations", func(rows *gosql.Rows) error {
		var n int
		var sum string
		if err := rows.Scan(&n, &sum); err != nil {
			return err
		}
		applied[n] = sum
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the migrations of %s: %w", path, err)
	}
	migrated := false
	for _, m := range migrations {
		if sum, ok := applied[m.version]; ok {
			if sum != m.sha256 {
				return fmt.Errorf("database %s: migration %s was changed since it was applied (recorded sha256 %s, this build's %s): a migration is never edited, add a new one", path, m.name, sum, m.sha256)
			}
			continue
		}
		err := InTx(ctx, db, func(conn *gosql.Conn) error {
			if _, err := conn.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := conn.ExecContext(ctx, "INSERT INTO illectro_migrations VALUES (?, ?, ?, now())", m.version, m.name, m.sha256)
			return err
		})
		if err != nil {
			return fmt.Errorf("database %s: migration %s: %w", path, m.name, err)
		}
		migrated = true
	}
	if migrated {
		// The views of raw/ keep the columns their tables had when they
		// were made: make them again over the migrated tables (the raw
		// files can be applied any number of times).
		if err := applyDir(ctx, db, "raw"); err != nil {
			return fmt.Errorf("database %s: views after the migrations: %w", path, err)
		}
	}
	return nil
}
