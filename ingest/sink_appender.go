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

// insertBatches appends the records to table row by row through DuckDB's
// Appender. This is the portable path, used when illectro is built without
// the duckdb_arrow tag; with it, sink_arrow.go hands the Arrow buffers to
// DuckDB without a per-row copy. The schema's columns must be the table's,
// in order.
func insertBatches(ctx context.Context, dc driver.Conn, table string, schema *arrow.Schema, next func() (arrow.Record, error)) (int64, error) {
	a, err := duckdb.NewAppenderFromConn(dc, "", table)
	if err != nil {
		return 0, fmt.Errorf("appender %s: %w", table, err)
	}
	defer a.Close()
	row := make([]driver.Value, len(schema.Fields()))
	var n int64
	for {
		rec, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		err = appendRecord(a, rec, row)
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

func appendRecord(a *duckdb.Appender, rec arrow.Record, row []driver.Value) error {
	cols := rec.Columns()
	for i := 0; i < int(rec.NumRows()); i++ {
		for j, col := range cols {
			if col.IsNull(i) {
				row[j] = nil
				continue
			}
			switch c := col.(type) {
			case *array.Int64:
				row[j] = c.Value(i)
			case *array.Int8:
				row[j] = c.Value(i)
			case *array.String:
				row[j] = c.Value(i)
			case *array.Boolean:
				row[j] = c.Value(i)
			case *array.Timestamp:
				row[j] = time.UnixMicro(int64(c.Value(i))).UTC()
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
