package ingest

import (
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// sampleAssessments returns n assessments from line first on, cycling
// through hand-made rows: an input code equal to the commune, a postal code
// resolved to another code, a département without a commune, a Corsican code
// written in lower case. internet follows a pattern that crosses byte
// boundaries.
func sampleAssessments(first, n int) []assessment {
	base := []assessment{
		{communeInput: "59350", commune: "59350", departement: "59", band: "60-74", class: CapacitesFaibles},
		{communeInput: "75001", commune: "75056", departement: "75", band: "15-29", class: Autonome},
		{communeInput: "97133", commune: "", departement: "971", band: "75+", class: Illectronisme},
		{communeInput: "2a004", commune: "2A004", departement: "2A", band: "30-44", class: Autonome},
	}
	internet := []bool{true, false, false, true, true, true, false, true, false, true, false}
	at := time.Date(2026, 3, 2, 14, 30, 15, 123456000, time.UTC)
	out := make([]assessment, n)
	for i := range out {
		a := base[i%len(base)]
		a.line = first + i
		a.key = int64(i*7919) - 40000 // negative keys too
		a.at = at.Add(time.Duration(i) * 37 * time.Hour)
		a.internet = internet[i%len(internet)]
		for j := range a.levels {
			a.levels[j] = Level((i + j) % 3)
		}
		a.basic = i % 6
		out[i] = a
	}
	return out
}

// checkBatch checks every value and null of rec against want.
func checkBatch(t *testing.T, rec arrow.Record, want []assessment) {
	t.Helper()
	if !rec.Schema().Equal(assessmentSchema) {
		t.Fatalf("schema %s, want %s", rec.Schema(), assessmentSchema)
	}
	if rec.NumRows() != int64(len(want)) {
		t.Fatalf("%d rows, want %d", rec.NumRows(), len(want))
	}
	col := func(i int) arrow.Array {
		c := rec.Column(i)
		if c.Len() != len(want) {
			t.Fatalf("column %s has %d values, want %d", rec.ColumnName(i), c.Len(), len(want))
		}
		return c
	}
	lines, keys := col(0).(*array.Int64), col(1).(*array.Int64)
	ats := col(2).(*array.Timestamp)
	input, commune := col(3).(*array.String), col(4).(*array.String)
	dep, band := col(5).(*array.String), col(6).(*array.String)
	internet := col(7).(*array.Boolean)
	basic, class := col(13).(*array.Int8), col(14).(*array.String)
	var inputNulls, communeNulls int
	for r, a := range want {
		if got := lines.Value(r); got != int64(a.line) {
			t.Errorf("row %d: line %d, want %d", r, got, a.line)
		}
		if got := keys.Value(r); got != a.key {
			t.Errorf("row %d: key %d, want %d", r, got, a.key)
		}
		if got := ats.Value(r); int64(got) != a.at.UnixMicro() {
			t.Errorf("row %d: assessed_at %d, want %d", r, got, a.at.UnixMicro())
		}
		if a.communeInput == a.commune {
			inputNulls++
			if !input.IsNull(r) {
				t.Errorf("row %d: code_insee_input %q, want NULL (same as code_insee)", r, input.Value(r))
			}
		} else if input.IsNull(r) || input.Value(r) != a.communeInput {
			t.Errorf("row %d: code_insee_input null=%v %q, want %q", r, input.IsNull(r), input.Value(r), a.communeInput)
		}
		if a.commune == "" {
			communeNulls++
			if !commune.IsNull(r) {
				t.Errorf("row %d: code_insee %q, want NULL", r, commune.Value(r))
			}
		} else if commune.IsNull(r) || commune.Value(r) != a.commune {
			t.Errorf("row %d: code_insee null=%v %q, want %q", r, commune.IsNull(r), commune.Value(r), a.commune)
		}
		for _, s := range []struct {
			c    *array.String
			want string
		}{{dep, a.departement}, {band, a.band}, {class, string(a.class)}} {
			if s.c.IsNull(r) || s.c.Value(r) != s.want {
				t.Errorf("row %d: %s null=%v %q, want %q", r, s.c.DataType(), s.c.IsNull(r), s.c.Value(r), s.want)
			}
		}
		if internet.IsNull(r) || internet.Value(r) != a.internet {
			t.Errorf("row %d: internet null=%v %v, want %v", r, internet.IsNull(r), internet.Value(r), a.internet)
		}
		for j, l := range a.levels {
			if got := col(8 + j).(*array.Int8).Value(r); got != int8(l) {
				t.Errorf("row %d: %s %d, want %d", r, rec.ColumnName(8+j), got, l)
			}
		}
		if got := basic.Value(r); got != int8(a.basic) {
			t.Errorf("row %d: areas_basic %d, want %d", r, got, a.basic)
		}
	}
	for i := range rec.NumCols() {
		want := 0
		switch i {
		case 3:
			want = inputNulls
		case 4:
			want = communeNulls
		}
		if got := rec.Column(int(i)).NullN(); got != want {
			t.Errorf("column %s: %d nulls, want %d", rec.ColumnName(int(i)), got, want)
		}
	}
}

func TestBatchBuilder(t *testing.T) {
	bb := newBatchBuilder()
	if rec := bb.flush(); rec != nil {
		t.Fatalf("empty builder flushed %d rows", rec.NumRows())
	}
	first := sampleAssessments(2, 11)
	for i := range first {
		bb.add(&first[i])
	}
	rec1 := bb.flush()
	defer rec1.Release()
	checkBatch(t, rec1, first)

	// A second batch, larger than a builder's first capacity, must leave the
	// first record as it was.
	second := sampleAssessments(100, 3*firstBatchRows+5)
	for i := range second {
		bb.add(&second[i])
	}
	rec2 := bb.flush()
	defer rec2.Release()
	runtime.GC()
	checkBatch(t, rec1, first)
	checkBatch(t, rec2, second)

	third := sampleAssessments(9000, 9)
	for i := range third {
		bb.add(&third[i])
	}
	rec3 := bb.flush()
	defer rec3.Release()
	checkBatch(t, rec3, third)
	checkBatch(t, rec2, second)
}

// BenchmarkBatchBuilder measures add and flush alone, a batch of batchRows
// rows per iteration.
func BenchmarkBatchBuilder(b *testing.B) {
	rows := sampleAssessments(2, 4096)
	bb := newBatchBuilder()
	b.ReportAllocs()
	for b.Loop() {
		for i := range batchRows {
			bb.add(&rows[i%len(rows)])
		}
		bb.flush().Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchRows), "ns/row")
}
