//go:build duckdb_arrow

// Package duckarrow streams Apache Arrow v15 record batches into a DuckDB
// table through DuckDB's Arrow scan, without copying them row by row.
//
// Our parsers build records with github.com/apache/arrow/go/v15, while the
// DuckDB driver speaks github.com/apache/arrow-go/v18, and the two cdata
// packages cannot be linked into one binary (duplicate C symbols). The memory
// layout is the same, so each v15 column is re-wrapped as a v18 array around
// the very same byte slices, and the v18 records are handed to DuckDB as a
// C stream it pulls from its own threads.
//
// The package needs the build tag duckdb_arrow, like the driver's Arrow API.
package duckarrow

import (
	"context"
	"crypto/rand"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/illectro/illectro/internal/sqlquote"
)

// Insert streams the records returned by next into table, inside whatever
// transaction is open on conn, and returns the number of rows inserted.
//
// next returns (nil, io.EOF) at the end; any other error aborts the insert
// and is returned, wrapped. Records with no rows are skipped. Every record
// must have the columns of schema, in its order and with its types. The
// schema's field names are the target column names (INSERT INTO table
// (cols…) SELECT cols… FROM <view>); table is a table name, optionally
// qualified as schema.table, each part quoted as an identifier. Supported
// types, nullable or not, sliced or not: int8, int16, int32, int64, float64,
// bool, utf8, date32 and timestamp (any unit; with a time zone DuckDB reads
// it as TIMESTAMPTZ); any other type is an error matching
// ErrUnsupportedType, reported before anything is inserted.
//
// The whole stream is one INSERT … SELECT: DuckDB calls next from its own
// threads, one call at a time, as it needs batches, so memory stays bounded
// by the few batches in flight. next need not be safe for concurrent use, but
// it must return once ctx is done (a channel receive should also select on
// ctx.Done()). Insert owns each record next returns and releases it once
// DuckDB has released the data it was given; by the time Insert returns,
// every record has been released. Cancelling ctx aborts the insert, and the
// error then matches ctx.Err().
//
// The rows are inserted in the transaction open on conn, which the caller
// rolls back after an error; without one, Insert runs in a transaction of
// its own, all rows or none. After an error next may not have been called to
// the end (not at all if the table does not exist): the caller stops its
// producers, for instance by cancelling their context.
//
// Insert creates a view with a unique name over the stream and drops it in
// the same transaction, so the view is never committed, and several calls
// may run at the same time on different connections. conn must not be used
// by anything else during the call.
//
// consts give columns one value for every row (an int64 or a string),
// written into the statement as literals rather than carried in each batch.
func Insert(ctx context.Context, conn driver.Conn, table string, schema *arrow.Schema, next func() (arrow.Record, error), consts ...Const) (int64, error) {
	n, err := insert(ctx, conn, table, schema, next, consts)
	if err != nil {
		return n, fmt.Errorf("arrow insert into %s: %w", table, err)
	}
	return n, nil
}

func insert(ctx context.Context, conn driver.Conn, table string, schema *arrow.Schema, next func() (arrow.Record, error), consts []Const) (n int64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	for _, c := range consts {
		if _, err := c.literal(); err != nil {
			return 0, err
		}
	}
	target, err := convertSchema(schema)
	if err != nil {
		return 0, err
	}
	exec, ok := conn.(driver.ExecerContext)
	if !ok {
		return 0, fmt.Errorf("connection %T cannot execute statements", conn)
	}
	query, ok := conn.(driver.QueryerContext)
	if !ok {
		return 0, fmt.Errorf("connection %T cannot run queries", conn)
	}
	a, err := duckdb.NewArrowFromConn(conn)
	if err != nil {
		return 0, err
	}

	// DuckDB's Arrow scan registers a persistent view in the database's
	// catalog, and a committed one would outlive this process: querying it
	// later dereferences a dangling pointer. So the view is created and
	// dropped inside one transaction, the caller's or ours, and never
	// commits.
	open, err := inTransaction(ctx, query)
	if err != nil {
		return 0, err
	}
	if !open {
		if _, err := exec.ExecContext(ctx, "BEGIN", nil); err != nil {
			return 0, err
		}
		defer func() {
			if err == nil {
				_, err = exec.ExecContext(context.WithoutCancel(ctx), "COMMIT", nil)
			}
			if err != nil {
				// A fresh context: ctx may be done, the rollback must happen.
				exec.ExecContext(context.WithoutCancel(ctx), "ROLLBACK", nil)
				n = 0
			}
		}()
	}

	r := newReader(ctx, schema, target, next)
	view := "duckarrow_" + strings.ToLower(rand.Text())
	release, err := a.RegisterView(r, view)
	if err != nil {
		r.Release()
		return 0, fmt.Errorf("register view: %w", err)
	}

	res, execErr := exec.ExecContext(ctx, insertSQL(table, view, schema, consts), nil)
	// The view must go even when ctx is done. After an error DuckDB refuses
	// every statement until ROLLBACK, which takes the view with it: that
	// drop error is expected.
	_, dropErr := exec.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+sqlquote.Ident(view), nil)
	release()
	r.Release()

	// The reader's error is the cause; DuckDB's message only repeats it.
	if err := r.Err(); err != nil {
		return 0, err
	}
	if execErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(execErr, ctxErr) {
			return 0, fmt.Errorf("%v: %w", execErr, ctxErr)
		}
		return 0, execErr
	}
	if dropErr != nil {
		return 0, fmt.Errorf("drop view %s: %w", view, dropErr)
	}
	if !r.finished() {
		// DuckDB stopped pulling before the end: the caller's producers
		// would otherwise wait forever and the count would be short.
		return 0, errors.New("duckdb stopped reading before the end of the stream")
	}
	n, err = res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if read := r.rowsRead(); n != read {
		return 0, fmt.Errorf("internal count mismatch: %d rows read, %d inserted", read, n)
	}
	return n, nil
}

// inTransaction tells whether an explicit transaction is open on the
// connection: in auto-commit mode each statement runs in a transaction of
// its own, with a new id. (A second BEGIN would say so too, but it aborts
// the open transaction.)
func inTransaction(ctx context.Context, q driver.QueryerContext) (bool, error) {
	first, err := txid(ctx, q)
	if err != nil {
		return false, err
	}
	second, err := txid(ctx, q)
	if err != nil {
		return false, err
	}
	return first == second, nil
}

func txid(ctx context.Context, q driver.QueryerContext) (uint64, error) {
	rows, err := q.QueryContext(ctx, "SELECT txid_current()", nil)
	if err != nil {
		return 0, fmt.Errorf("transaction id: %w", err)
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if err := rows.Next(v); err != nil {
		return 0, fmt.Errorf("transaction id: %w", err)
	}
	id, ok := v[0].(uint64) // UBIGINT
	if !ok {
		return 0, fmt.Errorf("transaction id: got %T, want uint64", v[0])
	}
	return id, nil
}

// Const is a column that takes one value in every inserted row.
type Const struct {
	Column string
	Value  any // int64 or string
}

func (c Const) literal() (string, error) {
	switch v := c.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10), nil
	case string:
		return sqlquote.String(v), nil
	}
	return "", fmt.Errorf("constant column %s: unsupported value type %T (want int64 or string)", c.Column, c.Value)
}

// insertSQL names the columns on both sides, so the table may have more
// columns (with defaults) or order them differently.
func insertSQL(table, view string, schema *arrow.Schema, consts []Const) string {
	var targets, values []string
	for _, c := range consts {
		lit, _ := c.literal() // checked before
		targets = append(targets, sqlquote.Ident(c.Column))
		values = append(values, lit)
	}
	for _, f := range schema.Fields() {
		targets = append(targets, sqlquote.Ident(f.Name))
		values = append(values, sqlquote.Ident(f.Name))
	}
	parts := strings.Split(table, ".")
	for i, p := range parts {
		parts[i] = sqlquote.Ident(p)
	}
	return "INSERT INTO " + strings.Join(parts, ".") + " (" + strings.Join(targets, ", ") + ") SELECT " + strings.Join(values, ", ") + " FROM " + sqlquote.Ident(view)
}
