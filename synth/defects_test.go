package synth

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// testReference loads the reference data once for the package's tests.
var testReference = sync.OnceValues(LoadReference)

func reference(t *testing.T) *Reference {
	t.Helper()
	ref, err := testReference()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestDefectRows(t *testing.T) {
	tests := []struct {
		valid int
		share float64
		want  int
	}{
		{10_000_000, 0.001, 10010},
		{34875, 0.001, 35},
		{20000, 0.01, 202},
		{500, 0.01, 5},
		{100, 0, 0},
		{10, 0.5, 10},
		{0, 0.1, 0},
	}
	for _, tt := range tests {
		if got := DefectRows(tt.valid, tt.share); got != tt.want {
			t.Errorf("DefectRows(%d, %v) = %d, want %d", tt.valid, tt.share, got, tt.want)
		}
	}
}

// TestInjector checks that the defective rows are exactly as many as
// promised, spread over the file, and that the kinds take turns.
func TestInjector(t *testing.T) {
	kinds := []DefectKind{"a", "b", "c"}
	in := newInjector(3, 99, 10000, 0.01, kinds)
	var rows, bad, firstHalf int
	for in.more() {
		if _, ok := in.next(); ok {
			bad++
			if rows < 5050 {
				firstHalf++
			}
		}
		rows++
	}
	if want := DefectRows(10000, 0.01); bad != want || in.count.Total() != want || rows != 10000+want {
		t.Fatalf("%d defective rows of %d (counted %d), want %d of %d", bad, rows, in.count.Total(), want, 10000+want)
	}
	if firstHalf < 30 || firstHalf > 71 {
		t.Errorf("%d of %d defective rows in the first half of the file, want about half", firstHalf, bad)
	}
	for _, k := range kinds {
		if n := in.count[k]; n < bad/3 || n > bad/3+1 {
			t.Errorf("kind %s: %d rows of %d, want a third", k, n, bad)
		}
	}
}

// TestAssessmentsWithDefects checks that the defective rows come on top of
// exactly the rows Assessments writes, in the promised number, and that
// the output is deterministic.
func TestAssessmentsWithDefects(t *testing.T) {
	ref := reference(t)
	const rows = 5000
	for _, share := range []float64{0, 0.01, 0.2} {
		gen := func(seed uint64) ([]byte, Defects) {
			var b bytes.Buffer
			d, err := AssessmentsWithDefects(&b, ref, AssessmentsOptions{Rows: rows, Seed: seed}, share)
			if err != nil {
				t.Fatal(err)
			}
			return b.Bytes(), d
		}
		a, defects := gen(1)
		if again, _ := gen(1); !bytes.Equal(a, again) {
			t.Errorf("share %v: the same seed gave other bytes", share)
		}
		if other, _ := gen(2); bytes.Equal(a, other) {
			t.Errorf("share %v: another seed gave the same bytes", share)
		}
		var plain bytes.Buffer
		if err := Assessments(&plain, ref.Communes, ref.Centroids, AssessmentsOptions{Rows: rows, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		var kept []string
		bad := 0
		for _, line := range strings.SplitAfter(string(a), "\n") {
			id, _, _ := strings.Cut(line, ",")
			if id == "" || id == "NA" || strings.HasPrefix(id, "SYN-D") {
				if line != "" {
					bad++
				}
				continue
			}
			kept = append(kept, line)
		}
		if got := strings.Join(kept, ""); got != plain.String() {
			t.Errorf("share %v: without its defective rows the output differs from Assessments'", share)
		}
		if want := DefectRows(rows, share); bad != want || defects.Total() != want {
			t.Errorf("share %v: %d defective rows, counted %d, want %d", share, bad, defects.Total(), want)
		}
		if share > 0 && len(defects.Kinds()) != len(AssessmentDefects) {
			t.Errorf("share %v: defect kinds %v, want all of %v", share, defects.Kinds(), AssessmentDefects)
		}
	}
}

func TestDefectShareRefused(t *testing.T) {
	ref := reference(t)
	for _, share := range []float64{-0.1, 0.6} {
		if _, err := Coverage(&bytes.Buffer{}, ref, CoverageOptions{DefectShare: share}); err == nil {
			t.Errorf("Coverage accepted defect share %v", share)
		}
		if _, err := Venues(&bytes.Buffer{}, ref, VenuesOptions{Venues: 10, DefectShare: share}); err == nil {
			t.Errorf("Venues accepted defect share %v", share)
		}
		if _, err := AssessmentsWithDefects(&bytes.Buffer{}, ref, AssessmentsOptions{Rows: 10}, share); err == nil {
			t.Errorf("AssessmentsWithDefects accepted defect share %v", share)
		}
	}
}
