//go:build duckdb_arrow

package duckarrow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	arrow18 "github.com/apache/arrow-go/v18/arrow"
	array18 "github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow/go/v15/arrow"
)

// reader is the v18 RecordReader DuckDB scans. DuckDB calls Next from its
// own threads, one at a time, but not always the same thread; Insert's
// goroutine reads the results once the statement is done. mu orders all of
// it. Next and callbacks into it must never panic: a panic cannot unwind
// through DuckDB's C++ frames, so it is turned into the reader's error.
type reader struct {
	refs   atomic.Int64
	ctx    context.Context
	src    *arrow.Schema
	dst    *arrow18.Schema
	source func() (arrow.Record, error)

	mu      sync.Mutex
	cur     arrow18.RecordBatch // the batch DuckDB is exporting; ours until the next call
	done    bool                // io.EOF seen, or an error
	eof     bool
	err     error
	batches int
	rows    int64
}

var _ array18.RecordReader = (*reader)(nil)

func newReader(ctx context.Context, src *arrow.Schema, dst *arrow18.Schema, next func() (arrow.Record, error)) *reader {
	r := &reader{ctx: ctx, src: src, dst: dst, source: next}
	r.refs.Store(1)
	return r
}

func (r *reader) Retain() { r.refs.Add(1) }

// Release drops the current batch when the last reference goes; by then
// DuckDB has stopped calling Next.
func (r *reader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.done = true
}

func (r *reader) Schema() *arrow18.Schema { return r.dst }

func (r *reader) Next() (ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// The exported C array holds its own references to the data.
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done {
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			r.fail(fmt.Errorf("batch %d: panic: %v", r.batches+1, p))
			ok = false
		}
	}()
	for {
		if err := r.ctx.Err(); err != nil {
			r.fail(err)
			return false
		}
		rec, err := r.source()
		if err != nil {
			if rec != nil {
				rec.Release()
			}
			if errors.Is(err, io.EOF) {
				r.done, r.eof = true, true
				return false
			}
			r.fail(fmt.Errorf("batch %d: %w", r.batches+1, err))
			return false
		}
		if rec == nil {
			r.fail(fmt.Errorf("batch %d: nil record without an error", r.batches+1))
			return false
		}
		r.batches++
		n := rec.NumRows()
		if n == 0 {
			rec.Release()
			continue
		}
		cur, err := rewrap(rec, r.src, r.dst)
		if err != nil {
			r.fail(fmt.Errorf("batch %d: %w", r.batches, err))
			return false
		}
		r.cur = cur
		r.rows += n
		return true
	}
}

func (r *reader) fail(err error) {
	r.done = true
	r.err = err
}

func (r *reader) RecordBatch() arrow18.RecordBatch {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// Record is RecordBatch under its deprecated name.
func (r *reader) Record() arrow18.RecordBatch { return r.RecordBatch() }

func (r *reader) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *reader) finished() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.eof
}

func (r *reader) rowsRead() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rows
}
