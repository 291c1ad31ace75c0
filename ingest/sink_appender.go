//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// SinkName names how assessment batches reach DuckDB in this build.
const SinkName = "Arrow batches → DuckDB Appender (built without duckdb_arrow)"

// insertBatches appends the records to table row by row through DuckDB's
// Appender. This is the portable path, used when illectro is built without
// the duckdb_arrow tag; with it, sink_arrow.go hands the Arrow buffers to
// DuckDB without a per-row copy. The table's columns must be the constants
// then the schema's fields, in order.
func insertBatches(ctx context.Context, dc driver.Conn, table string, consts []column, schema *arrow.Schema, next func() (arrow.Record, error)) (int64, error) {
	a, err := duckdb.NewAppenderFromConn(dc, "", table)
	if err != nil {
		return 0, fmt.Errorf("appender %s: %w", table, err)
	}
	defer a.Close()
	row := make([]driver.Value, len(consts)+len(schema.Fields()))
	for i, c := range consts {
		row[i] = c.value
	}
	var n int64
	for {
		rec, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		err = appendRecord(a, rec, row[len(consts):], row)
		n += rec.NumRows()
		rec.Release()
		if err != nil {
			return n, err
		}
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
	}
	return n, a.Close()
}

// appendRecord appends each row of rec: its values go into vals, which is
// the tail of row.
func appendRecord(a *duckdb.Appender, rec arrow.Record, vals, row []driver.Value) error {
	cols := rec.Columns()
	for i := 0; i < int(rec.NumRows()); i++ {
		for j, col := range cols {
			if col.IsNull(i) {
				vals[j] = nil
				continue
			}
			switch c := col.(type) {
			case *array.Int64:
				vals[j] = c.Value(i)
			case *array.Int8:
				vals[j] = c.Value(i)
			case *array.String:
				vals[j] = c.Value(i)
			case *array.Boolean:
				vals[j] = c.Value(i)
			case *array.Timestamp:
				vals[j] = time.UnixMicro(int64(c.Value(i))).UTC()
			default:
				return fmt.Errorf("append %s: unsupported Arrow type %s", rec.ColumnName(j), col.DataType())
			}
		}
		if err := a.AppendRow(row...); err != nil {
			return err
		}
	}
	return nil
}
