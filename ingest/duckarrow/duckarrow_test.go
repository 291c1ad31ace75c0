//go:build duckdb_arrow

package duckarrow

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/google/go-cmp/cmp"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openDB opens a DuckDB file in a temporary directory.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(t.TempDir(), "test.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

func conn(t testing.TB, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func exec(t testing.TB, c *sql.Conn, query string) {
	t.Helper()
	if _, err := c.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// insertVia calls Insert on the driver connection under c.
func insertVia(ctx context.Context, c *sql.Conn, table string, schema *arrow.Schema, next func() (arrow.Record, error)) (int64, error) {
	var n int64
	var err error
	rawErr := c.Raw(func(dc any) error {
		n, err = Insert(ctx, dc.(driver.Conn), table, schema, next)
		return nil
	})
	if rawErr != nil {
		return 0, rawErr
	}
	return n, err
}

func count(t testing.TB, c *sql.Conn, table string) int64 {
	t.Helper()
	var n int64
	if err := c.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// records returns a next function over recs, which it hands over one by one.
func records(recs ...arrow.Record) func() (arrow.Record, error) {
	return func() (arrow.Record, error) {
		if len(recs) == 0 {
			return nil, io.EOF
		}
		r := recs[0]
		recs = recs[1:]
		return r, nil
	}
}

// allTypes has every supported type; id is never null.
var allTypes = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "label", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
}, nil)

const allTypesTable = `CREATE TABLE t (id BIGINT, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT,
	f64 DOUBLE, ok BOOLEAN, label VARCHAR, day DATE, "at" TIMESTAMP)`

// value gives row id's value in column col (1…9 for i8…at), or nil for
// null: each column has nulls with its own period, so validity bitmaps at
// every bit offset are exercised.
func value(id int64, col int) any {
	if id%int64(col+3) == 0 {
		return nil
	}
	switch col {
	case 1:
		return int8(id%256 - 128)
	case 2:
		return int16(id%65536 - 32768)
	case 3:
		return int32(id * 7919)
	case 4:
		return id*1_000_003 - 1<<40
	case 5:
		return float64(id)/4 - 1000.5
	case 6:
		return id%3 == 1
	case 7:
		return strings.Repeat(fmt.Sprintf("é%d", id), int(id%4)) // "" included
	case 8:
		return time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(id*13%40000))
	case 9:
		return time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC).Add(time.Duration(id*1_234_567_891) * time.Microsecond)
	}
	panic(col)
}

// makeRecord builds rows first, first+1, … first+n-1 of allTypes.
func makeRecord(mem memory.Allocator, first, n int64) arrow.Record {
	b := array.NewRecordBuilder(mem, allTypes)
	defer b.Release()
	for id := first; id < first+n; id++ {
		b.Field(0).(*array.Int64Builder).Append(id)
		for col := 1; col < allTypes.NumFields(); col++ {
			v := value(id, col)
			if v == nil {
				b.Field(col).AppendNull()
				continue
			}
			switch fb := b.Field(col).(type) {
			case *array.Int8Builder:
				fb.Append(v.(int8))
			case *array.Int16Builder:
				fb.Append(v.(int16))
			case *array.Int32Builder:
				fb.Append(v.(int32))
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Float64Builder:
				fb.Append(v.(float64))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Date32Builder:
				fb.Append(arrow.Date32FromTime(v.(time.Time)))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
			}
		}
	}
	return b.NewRecord()
}

func expected(ids ...int64) [][]any {
	var rows [][]any
	for _, id := range ids {
		row := []any{id}
		for col := 1; col < allTypes.NumFields(); col++ {
			row = append(row, value(id, col))
		}
		rows = append(rows, row)
	}
	return rows
}

func span(first, n int64) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids
}

func readAll(t *testing.T, c *sql.Conn) [][]any {
	t.Helper()
	rows, err := c.QueryContext(t.Context(), "SELECT * FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]any
	for rows.Next() {
		row := make([]any, allTypes.NumFields())
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		got = append(got, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestInsertRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	c := conn(t, openDB(t))
	exec(t, c, allTypesTable)

	// A record sliced at an odd offset, so every column, bitmaps included,
	// has a non-zero offset into its buffers.
	whole := makeRecord(mem, 5000, 1000)
	sliced := whole.NewSlice(3, 990)
	whole.Release()
	// A sliced array inside a record built from columns.
	cols := make([]arrow.Array, allTypes.NumFields())
	wide := makeRecord(mem, 7000, 50)
	for i, col := range wide.Columns() {
		cols[i] = array.NewSlice(col, 11, 41)
	}
	wide.Release()
	fromCols := array.NewRecord(allTypes, cols, 30)
	for _, col := range cols {
		col.Release()
	}

	recs := []arrow.Record{
		makeRecord(mem, 0, 3000), // larger than one DuckDB vector (2048)
		makeRecord(mem, 3000, 0), // empty: skipped
		sliced,
		makeRecord(mem, 4000, 1),
		fromCols,
		makeRecord(mem, 10000, 5000),
	}
	n, err := insertVia(t.Context(), c, "t", allTypes, records(recs...))
	if err != nil {
		t.Fatalf("Insert = %v", err)
	}
	if got := mem.CurrentAlloc(); got != 0 {
		t.Errorf("after Insert, %d bytes of records not released", got)
	}
	var ids []int64
	ids = append(ids, span(0, 3000)...)
	ids = append(ids, span(4000, 1)...)
	ids = append(ids, span(5003, 987)...)
	ids = append(ids, span(7011, 30)...)
	ids = append(ids, span(10000, 5000)...)
	if n != int64(len(ids)) {
		t.Errorf("Insert = %d rows, want %d", n, len(ids))
	}
	if diff := cmp.Diff(expected(ids...), readAll(t, c)); diff != "" {
		t.Errorf("rows read back (-want +got):\n%s", diff)
	}
}

func TestInsertTimestampUnits(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 40, 11, 123456789, time.UTC)
	for _, tc := range []struct {
		typ  *arrow.TimestampType
		sql  string
		want time.Time
	}{
		{&arrow.TimestampType{Unit: arrow.Second}, "TIMESTAMP_S", at.Truncate(time.Second)},
		{&arrow.TimestampType{Unit: arrow.Millisecond}, "TIMESTAMP_MS", at.Truncate(time.Millisecond)},
		{&arrow.TimestampType{Unit: arrow.Nanosecond}, "TIMESTAMP_NS", at},
		{&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, "TIMESTAMPTZ", at.Truncate(time.Microsecond)},
	} {
		t.Run(tc.typ.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			c := conn(t, openDB(t))
			exec(t, c, `CREATE TABLE t ("at" `+tc.sql+")")
			schema := arrow.NewSchema([]arrow.Field{{Name: "at", Type: tc.typ}}, nil)
			b := array.NewRecordBuilder(mem, schema)
			v, err := arrow.TimestampFromTime(at, tc.typ.Unit)
			if err != nil {
				t.Fatal(err)
			}
			b.Field(0).(*array.TimestampBuilder).Append(v)
			rec := b.NewRecord()
			b.Release()
			if _, err := insertVia(t.Context(), c, "t", schema, records(rec)); err != nil {
				t.Fatalf("Insert = %v", err)
			}
			var got time.Time
			if err := c.QueryRowContext(t.Context(), `SELECT "at" FROM t`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("read back %v, want %v", got, tc.want)
			}
		})
	}
}

func TestInsertEmptyStream(t *testing.T) {
	c := conn(t, openDB(t))
	exec(t, c, allTypesTable)
	n, err := insertVia(t.Context(), c, "t", allTypes, records())
	if n != 0 || err != nil {
		t.Errorf("Insert = %d, %v, want 0, nil", n, err)
	}
}

func views(t testing.TB, c *sql.Conn) int {
	t.Helper()
	var n int
	if err := c.QueryRowContext(context.Background(), "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'duckarrow%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInsertTransaction checks that Insert works inside the caller's
// transaction, or in one of its own, and that its view is never committed:
// another connection never sees it, and none is left behind.
func TestInsertTransaction(t *testing.T) {
	for _, tc := range []struct {
		name       string
		begin, end string
		want       int64
	}{
		{"autocommit", "", "", 2500},
		{"rollback", "BEGIN", "ROLLBACK", 0},
		{"commit", "BEGIN", "COMMIT", 2500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			db := openDB(t)
			c, other := conn(t, db), conn(t, db)
			exec(t, c, allTypesTable)
			if tc.begin != "" {
				exec(t, c, tc.begin)
			}
			recs := records(makeRecord(mem, 0, 2000), makeRecord(mem, 2000, 500))
			seen := 0
			next := func() (arrow.Record, error) {
				seen = max(seen, views(t, other))
				return recs()
			}
			n, err := insertVia(t.Context(), c, "t", allTypes, next)
			if n != 2500 || err != nil {
				t.Fatalf("Insert = %d, %v, want 2500, nil", n, err)
			}
			if seen != 0 {
				t.Errorf("another connection saw %d views during Insert, want 0", seen)
			}
			if got := count(t, c, "t"); got != 2500 {
				t.Errorf("after Insert: %d rows, want 2500", got)
			}
			if tc.end != "" {
				exec(t, c, tc.end)
			}
			if got := count(t, other, "t"); got != tc.want {
				t.Errorf("at the end: %d rows, want %d", got, tc.want)
			}
			if got := views(t, c); got != 0 {
				t.Errorf("%d views left behind", got)
			}
		})
	}
}

var errParse = errors.New("parse failed")

func TestInsertNextError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		begin bool
	}{
		{"autocommit", false},
		{"transaction", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			c := conn(t, openDB(t))
			exec(t, c, allTypesTable)
			if tc.begin {
				exec(t, c, "BEGIN")
			}
			good := records(makeRecord(mem, 0, 3000), makeRecord(mem, 3000, 3000))
			calls := 0
			next := func() (arrow.Record, error) {
				calls++
				if calls == 3 {
					return nil, errParse
				}
				return good()
			}
			n, err := insertVia(t.Context(), c, "t", allTypes, next)
			if !errors.Is(err, errParse) {
				t.Fatalf("Insert = %d, %v, want %v", n, err, errParse)
			}
			if want := "arrow insert into t: batch 3: parse failed"; err.Error() != want {
				t.Errorf("Insert error = %q, want %q", err, want)
			}
			if got := mem.CurrentAlloc(); got != 0 {
				t.Errorf("after Insert, %d bytes of records not released", got)
			}
			if tc.begin {
				exec(t, c, "ROLLBACK")
			}
			if got := count(t, c, "t"); got != 0 {
				t.Errorf("%d rows inserted, want 0", got)
			}
		})
	}
}

func TestInsertBadSchema(t *testing.T) {
	for _, tc := range []struct {
		name   string
		schema *arrow.Schema
		want   string
	}{
		{"float32", arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float32}}, nil), `column "x" has type float32`},
		{"large string", arrow.NewSchema([]arrow.Field{{Name: "y", Type: arrow.BinaryTypes.LargeString}}, nil), `column "y" has type large_utf8`},
		{"uint64", arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "n", Type: arrow.PrimitiveTypes.Uint64}}, nil), `column "n" has type uint64`},
		{"binary", arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary}}, nil), `column "b" has type binary`},
		{"time64", arrow.NewSchema([]arrow.Field{{Name: "t", Type: arrow.FixedWidthTypes.Time64us}}, nil), `column "t" has type time64[us]`},
		{"list", arrow.NewSchema([]arrow.Field{{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)}}, nil), `column "l" has type list<item: int64, nullable>`},
		{"dictionary", arrow.NewSchema([]arrow.Field{{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}}}, nil), `column "d" has type dictionary<values=utf8, indices=int8, ordered=false>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := conn(t, openDB(t))
			calls := 0
			next := func() (arrow.Record, error) { calls++; return nil, io.EOF }
			_, err := insertVia(t.Context(), c, "t", tc.schema, next)
			if !errors.Is(err, ErrUnsupportedType) {
				t.Fatalf("Insert = %v, want %v", err, ErrUnsupportedType)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Insert = %q, want it to contain %q", err, tc.want)
			}
			if calls != 0 {
				t.Errorf("next called %d times, want 0", calls)
			}
		})
	}
}

func TestInsertNoTable(t *testing.T) {
	c := conn(t, openDB(t))
	calls := 0
	next := func() (arrow.Record, error) { calls++; return nil, io.EOF }
	_, err := insertVia(t.Context(), c, "nosuch", allTypes, next)
	if err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("Insert = %v, want an error naming the table", err)
	}
	if calls != 0 {
		t.Errorf("next called %d times, want 0", calls)
	}
}

func TestInsertRecordMismatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	c := conn(t, openDB(t))
	exec(t, c, "CREATE TABLE t (id BIGINT)")
	declared := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	actual := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int32}}, nil)
	b := array.NewRecordBuilder(mem, actual)
	b.Field(0).(*array.Int32Builder).AppendValues([]int32{1, 2, 3}, nil)
	rec := b.NewRecord()
	b.Release()

	_, err := insertVia(t.Context(), c, "t", declared, records(rec))
	want := `arrow insert into t: batch 1: column "id" has type int32 in a record, int64 in the schema`
	if err == nil || err.Error() != want {
		t.Errorf("Insert = %v, want %q", err, want)
	}
}

func TestInsertCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	c := conn(t, openDB(t))
	exec(t, c, allTypesTable)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	batches := 0
	next := func() (arrow.Record, error) {
		batches++
		if batches == 4 {
			cancel()
		}
		if batches > 100 {
			return nil, io.EOF
		}
		return makeRecord(mem, int64(batches)*1000, 1000), nil
	}
	_, err := insertVia(ctx, c, "t", allTypes, next)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Insert = %v, want %v", err, context.Canceled)
	}
	if batches > 5 {
		t.Errorf("next called %d times after the cancel at 4", batches)
	}
	if got := count(t, c, "t"); got != 0 {
		t.Errorf("%d rows inserted, want 0", got)
	}
}

// TestInsertConcurrent loads two tables at once on two connections, each
// fed by a channel as the ingest parsers do.
func TestInsertConcurrent(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	db := openDB(t)
	exec(t, conn(t, db), strings.Replace(allTypesTable, "TABLE t", "TABLE a", 1))
	exec(t, conn(t, db), strings.Replace(allTypesTable, "TABLE t", "TABLE b", 1))
	var wg sync.WaitGroup
	for _, table := range []string{"a", "b"} {
		c := conn(t, db)
		if table == "b" {
			exec(t, c, "BEGIN") // one in its own transaction, one in ours
		}
		wg.Go(func() {
			ch := make(chan arrow.Record)
			go func() {
				defer close(ch)
				for i := range int64(20) {
					ch <- makeRecord(mem, i*2000, 2000)
				}
			}()
			next := func() (arrow.Record, error) {
				if rec, ok := <-ch; ok {
					return rec, nil
				}
				return nil, io.EOF
			}
			if n, err := insertVia(t.Context(), c, table, allTypes, next); n != 40000 || err != nil {
				t.Errorf("Insert(%s) = %d, %v, want 40000, nil", table, n, err)
			}
			if table == "b" {
				if _, err := c.ExecContext(t.Context(), "COMMIT"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	c := conn(t, db)
	for _, table := range []string{"a", "b"} {
		var n, distinct int64
		if err := c.QueryRowContext(t.Context(), "SELECT count(*), count(DISTINCT id) FROM "+table).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 40000 || distinct != 40000 {
			t.Errorf("table %s: %d rows, %d ids, want 40000 of each", table, n, distinct)
		}
	}
}

// benchSchema has the shape of our assessments rows.
var benchSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "hash", Type: arrow.BinaryTypes.String},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32},
	{Name: "score", Type: arrow.PrimitiveTypes.Int8},
	{Name: "level", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
}, nil)

const benchTable = "CREATE OR REPLACE TABLE bench (id BIGINT, hash VARCHAR, day DATE, score TINYINT, level TINYINT)"

const hexDigits = "0123456789abcdef"

// benchRecord builds rows first … first+n-1 of benchSchema.
func benchRecord(mem memory.Allocator, first, n int64) arrow.Record {
	b := array.NewRecordBuilder(mem, benchSchema)
	defer b.Release()
	ids := b.Field(0).(*array.Int64Builder)
	hashes := b.Field(1).(*array.StringBuilder)
	days := b.Field(2).(*array.Date32Builder)
	scores := b.Field(3).(*array.Int8Builder)
	levels := b.Field(4).(*array.Int8Builder)
	ids.Reserve(int(n))
	hashes.Reserve(int(n))
	hashes.ReserveData(int(n) * 64)
	days.Reserve(int(n))
	scores.Reserve(int(n))
	levels.Reserve(int(n))
	var hash [64]byte
	for id := first; id < first+n; id++ {
		ids.Append(id)
		x := uint64(id)*0x9e3779b97f4a7c15 + 1
		for i := range hash {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			hash[i] = hexDigits[x&15]
		}
		hashes.BinaryBuilder.Append(hash[:])
		days.Append(arrow.Date32(19000 + id%1500))
		scores.Append(int8(id % 100))
		if id%10 == 0 {
			levels.AppendNull()
		} else {
			levels.Append(int8(id % 7))
		}
	}
	return b.NewRecord()
}

// heapPeak samples HeapInuse until stop is called, which returns the peak.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

// TestInsertMemoryBounded streams 2 M rows (≈ 180 MB of Arrow buffers) in
// 64 k-row batches from a channel fed by a producer goroutine. The Arrow
// memory alive at once, and the Go heap, must stay at a few batches.
func TestInsertMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 2 M rows")
	}
	const rows, batchRows = 2 << 20, 64 << 10
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	c := conn(t, openDB(t))
	exec(t, c, benchTable)

	one := benchRecord(mem, 0, batchRows)
	batchBytes := mem.CurrentAlloc()
	one.Release()

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := heapPeak()
	var peakArrow atomic.Int64
	ch := make(chan arrow.Record) // unbuffered: at most one batch waiting
	go func() {
		defer close(ch)
		for first := int64(0); first < rows; first += batchRows {
			rec := benchRecord(mem, first, batchRows)
			if cur := int64(mem.CurrentAlloc()); cur > peakArrow.Load() {
				peakArrow.Store(cur)
			}
			ch <- rec
		}
	}()
	next := func() (arrow.Record, error) {
		if rec, ok := <-ch; ok {
			return rec, nil
		}
		return nil, io.EOF
	}
	n, err := insertVia(t.Context(), c, "bench", benchSchema, next)
	peakHeap := stop()
	if n != rows || err != nil {
		t.Fatalf("Insert = %d, %v, want %d, nil", n, err, rows)
	}
	inFlight := float64(peakArrow.Load()) / float64(batchBytes)
	t.Logf("batch %.1f MB; peak Arrow memory alive %.1f MB (%.1f batches); HeapInuse %.1f MB before, peak %.1f MB",
		float64(batchBytes)/1e6, float64(peakArrow.Load())/1e6, inFlight, float64(before.HeapInuse)/1e6, float64(peakHeap)/1e6)
	// DuckDB holds a batch per scanning thread (one per core), the reader
	// one, the producer one more: far fewer than the 32 of the stream.
	if limit := float64(runtime.NumCPU() + 4); inFlight > limit {
		t.Errorf("peak Arrow memory alive = %.1f batches, want at most %.0f", inFlight, limit)
	}
	// The heap also holds garbage the collector has not reclaimed yet
	// (GOGC lets it reach twice the live heap); keeping the stream would
	// take it past 180 MB.
	if growth, limit := int64(peakHeap)-int64(before.HeapInuse), 16*int64(batchBytes); growth > limit {
		t.Errorf("HeapInuse grew by %.1f MB, want at most %.1f MB (16 batches, half the stream)", float64(growth)/1e6, float64(limit)/1e6)
	}
}
