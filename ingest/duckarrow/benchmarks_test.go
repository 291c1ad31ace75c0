//go:build duckdb_arrow

package duckarrow

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// benchRows is about 1 M rows per operation, in 64 k-row batches, 90 MB of
// Arrow buffers.
const benchRows, benchBatch = 16 * benchBatch, 64 << 10

// benchRecords builds the data once; every operation loads all of it into
// a fresh table.
func benchRecords(b *testing.B) []arrow.Record {
	b.Helper()
	var recs []arrow.Record
	for first := int64(0); first < benchRows; first += benchBatch {
		recs = append(recs, benchRecord(memory.DefaultAllocator, first, benchBatch))
	}
	b.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return recs
}

func benchConn(b *testing.B, settings ...string) *sql.Conn {
	b.Helper()
	c := conn(b, openDB(b))
	for _, s := range settings {
		exec(b, c, s)
	}
	return c
}

func report(b *testing.B, peakHeap uint64) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peakHeap)/1e6, "peak-heap-MB")
}

// BenchmarkInsert loads the records through Insert: the Arrow buffers are
// handed to DuckDB as they are.
func BenchmarkInsert(b *testing.B) {
	for _, bc := range []struct {
		name     string
		settings []string
	}{
		{"ordered", nil},
		{"unordered", []string{"SET preserve_insertion_order = false"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			recs := benchRecords(b)
			c := benchConn(b, bc.settings...)
			ctx := context.Background()
			b.ReportAllocs()
			stop := heapPeak()
			for b.Loop() {
				exec(b, c, benchTable)
				i := 0
				next := func() (arrow.Record, error) {
					if i == len(recs) {
						return nil, io.EOF
					}
					r := recs[i]
					r.Retain() // Insert releases it
					i++
					return r, nil
				}
				if n, err := insertVia(ctx, c, "bench", benchSchema, next); n != benchRows || err != nil {
					b.Fatalf("Insert = %d, %v, want %d, nil", n, err, benchRows)
				}
			}
			report(b, stop())
		})
	}
}

// BenchmarkAppender is the naive baseline: the same records, row by row
// through DuckDB's Appender, as ingest does today.
func BenchmarkAppender(b *testing.B) {
	recs := benchRecords(b)
	c := benchConn(b)
	b.ReportAllocs()
	stop := heapPeak()
	for b.Loop() {
		exec(b, c, benchTable)
		err := c.Raw(func(dc any) error {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "bench")
			if err != nil {
				return err
			}
			defer a.Close()
			for _, rec := range recs {
				ids := rec.Column(0).(*array.Int64)
				hashes := rec.Column(1).(*array.String)
				days := rec.Column(2).(*array.Date32)
				scores := rec.Column(3).(*array.Int8)
				levels := rec.Column(4).(*array.Int8)
				for i := range int(rec.NumRows()) {
					var level any
					if levels.IsValid(i) {
						level = levels.Value(i)
					}
					if err := a.AppendRow(ids.Value(i), hashes.Value(i), days.Value(i).ToTime(), scores.Value(i), level); err != nil {
						return err
					}
				}
			}
			return a.Close()
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	report(b, stop())
}
