//go:build duckdb_arrow

package duckarrow

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"

	arrow18 "github.com/apache/arrow-go/v18/arrow"
	array18 "github.com/apache/arrow-go/v18/arrow/array"
	memory18 "github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow/go/v15/arrow"
)

// ErrUnsupportedType is matched by the error Insert returns for a column
// whose Arrow type it cannot hand to DuckDB.
var ErrUnsupportedType = errors.New("unsupported type (want int8, int16, int32, int64, float64, bool, utf8, date32 or timestamp)")

// targetType gives the v18 type with the same layout as a supported v15
// type.
func targetType(t arrow.DataType) (arrow18.DataType, bool) {
	switch t.ID() {
	case arrow.INT8:
		return arrow18.PrimitiveTypes.Int8, true
	case arrow.INT16:
		return arrow18.PrimitiveTypes.Int16, true
	case arrow.INT32:
		return arrow18.PrimitiveTypes.Int32, true
	case arrow.INT64:
		return arrow18.PrimitiveTypes.Int64, true
	case arrow.FLOAT64:
		return arrow18.PrimitiveTypes.Float64, true
	case arrow.BOOL:
		return arrow18.FixedWidthTypes.Boolean, true
	case arrow.STRING:
		return arrow18.BinaryTypes.String, true
	case arrow.DATE32:
		return arrow18.FixedWidthTypes.Date32, true
	case arrow.TIMESTAMP:
		ts := t.(*arrow.TimestampType)
		var unit arrow18.TimeUnit
		switch ts.Unit {
		case arrow.Second:
			unit = arrow18.Second
		case arrow.Millisecond:
			unit = arrow18.Millisecond
		case arrow.Microsecond:
			unit = arrow18.Microsecond
		case arrow.Nanosecond:
			unit = arrow18.Nanosecond
		default:
			return nil, false
		}
		return &arrow18.TimestampType{Unit: unit, TimeZone: ts.TimeZone}, true
	}
	return nil, false
}

func convertSchema(s *arrow.Schema) (*arrow18.Schema, error) {
	if s == nil || s.NumFields() == 0 {
		return nil, errors.New("schema has no columns")
	}
	fields := make([]arrow18.Field, s.NumFields())
	for i, f := range s.Fields() {
		t, ok := targetType(f.Type)
		if !ok {
			return nil, fmt.Errorf("column %q has type %s: %w", f.Name, f.Type, ErrUnsupportedType)
		}
		fields[i] = arrow18.Field{Name: f.Name, Type: t, Nullable: f.Nullable}
	}
	return arrow18.NewSchema(fields, nil), nil
}

// rewrap builds a v18 record around the buffers of a v15 record, without
// copying, and takes ownership of rec: it is released, and its buffers
// unpinned, once every v18 buffer made here has been released (by us and by
// DuckDB), or at once if rewrap fails.
func rewrap(rec arrow.Record, src *arrow.Schema, dst *arrow18.Schema) (arrow18.RecordBatch, error) {
	b := &batch{rec: rec}
	b.refs.Store(1) // held while building, so rec outlives a failed build
	defer b.unref()

	if got, want := int(rec.NumCols()), src.NumFields(); got != want {
		return nil, fmt.Errorf("record has %d columns, schema has %d", got, want)
	}
	cols := make([]arrow18.Array, 0, rec.NumCols())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for i, col := range rec.Columns() {
		f := src.Field(i)
		if !arrow.TypeEqual(col.DataType(), f.Type) {
			return nil, fmt.Errorf("column %q has type %s in a record, %s in the schema", f.Name, col.DataType(), f.Type)
		}
		d := col.Data()
		if len(d.Children()) != 0 {
			return nil, fmt.Errorf("column %q: %s array with child data", f.Name, col.DataType())
		}
		data := b.wrap(d, dst.Field(i).Type)
		cols = append(cols, array18.MakeFromData(data))
		data.Release()
	}
	return array18.NewRecordBatch(dst, cols, rec.NumRows()), nil
}

// A batch keeps one v15 record alive, with its buffers pinned, while v18
// buffers made over them exist. It is the v18 allocator of those buffers:
// a v18 buffer calls Free when its last reference goes, which for exported
// data happens when DuckDB calls the release callback of the C array, on one
// of DuckDB's threads. Pinning is what cgo's rules ask of Go memory that C
// keeps after a call returns; arrow-go's export does not pin, and Go's
// collector does not move heap objects today, but a pin costs little.
type batch struct {
	rec    arrow.Record
	refs   atomic.Int64 // live v18 buffers, plus one while rewrap runs
	pinner runtime.Pinner
}

func (b *batch) wrap(d arrow.ArrayData, t arrow18.DataType) *array18.Data {
	bufs := make([]*memory18.Buffer, len(d.Buffers()))
	for i, buf := range d.Buffers() {
		if buf == nil {
			continue // an absent validity bitmap: no nulls
		}
		bytes := buf.Bytes()
		if len(bytes) > 0 {
			b.pinner.Pin(&bytes[0]) // a no-op for C-allocated memory
		}
		b.refs.Add(1)
		bufs[i] = memory18.NewBufferWithAllocator(bytes, b)
	}
	// NullN counts the nulls if the v15 data has not yet.
	data := array18.NewData(t, d.Len(), bufs, nil, d.NullN(), d.Offset())
	for _, buf := range bufs {
		if buf != nil {
			buf.Release() // data holds its own reference
		}
	}
	return data
}

func (b *batch) unref() {
	if b.refs.Add(-1) == 0 {
		b.pinner.Unpin()
		b.rec.Release()
		b.rec = nil
	}
}

// Free is called once for each v18 buffer of the batch, by the buffer's
// last Release.
func (b *batch) Free([]byte) { b.unref() }

// Allocate and Reallocate complete memory18.Allocator. Nothing calls them:
// the wrapped buffers are immutable. An allocation counts as a buffer, so
// its Free stays balanced.
func (b *batch) Allocate(size int) []byte {
	b.refs.Add(1)
	return make([]byte, size)
}

func (b *batch) Reallocate(size int, old []byte) []byte {
	buf := make([]byte, size)
	copy(buf, old)
	return buf
}
