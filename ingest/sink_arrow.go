//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql/driver"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/illectro/illectro/ingest/duckarrow"
)

// SinkName names how assessment batches reach DuckDB in this build.
const SinkName = "Arrow batches → DuckDB Arrow scan, zero-copy"

// insertBatches hands the batches to DuckDB's Arrow scan in one INSERT …
// SELECT, without a per-row copy (see package duckarrow).
func insertBatches(ctx context.Context, dc driver.Conn, table string, consts []column, schema *arrow.Schema, next func() (arrow.Record, error)) (int64, error) {
	cs := make([]duckarrow.Const, len(consts))
	for i, c := range consts {
		cs[i] = duckarrow.Const{Column: c.name, Value: c.value}
	}
	return duckarrow.Insert(ctx, dc, table, schema, next, cs...)
}
