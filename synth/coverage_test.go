package synth

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// TestCoverage checks the promises of Coverage: one row per commune in COG
// order, counts that the cumulative format allows, premises about
// proportional to population, rural communes less covered, and defects on
// top of unchanged valid rows.
func TestCoverage(t *testing.T) {
	ref := reference(t)
	gen := func(seed uint64, share float64) ([]byte, Defects) {
		var b bytes.Buffer
		d, err := Coverage(&b, ref, CoverageOptions{Seed: seed, DefectShare: share})
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), d
	}
	clean, d := gen(1, 0)
	if d.Total() != 0 {
		t.Errorf("share 0 gave defects %v", d)
	}
	r := csv.NewReader(bytes.NewReader(clean))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ";") != CoverageHeader || len(recs)-1 != len(ref.Communes) {
		t.Fatalf("header %q and %d rows, want %q and %d", recs[0], len(recs)-1, CoverageHeader, len(ref.Communes))
	}
	area := communeAreas(ref)
	var premises, people int64
	var rural, urban [2]int64 // premises, of which ≥ 30 Mbit/s
	for i, rec := range recs[1:] {
		c := ref.Communes[i]
		if rec[0] != c.Code || rec[13] != "2025-12-31" {
			t.Fatalf("row %d = %q, want commune %s on 2025-12-31", i+1, rec, c.Code)
		}
		var n [8]int64
		for j, col := range []int{4, 6, 7, 8, 9, 10, 11, 12} {
			if n[j], err = strconv.ParseInt(rec[col], 10, 64); err != nil || n[j] < 0 {
				t.Fatalf("row %d column %d = %q, want a count", i+1, col, rec[col])
			}
		}
		nbr, inel, hd05, hd3, bhd8, thd30, thd100, thd1g := n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]
		if inel+hd05+hd3+bhd8 != nbr || !(thd1g <= thd100 && thd100 <= thd30 && thd30 <= bhd8) {
			t.Fatalf("row %d = %q: want classes below 8 Mbit/s adding up with elig_bhd8 to nbr, and nested classes above", i+1, rec)
		}
		premises += nbr
		people += c.PopulationMunicipale
		if a := area[c.Code]; a > 0 {
			switch d := float64(c.PopulationMunicipale) / a; {
			case d < 20:
				rural[0] += nbr
				rural[1] += thd30
			case d > 2000:
				urban[0] += nbr
				urban[1] += thd30
			}
		}
	}
	if ratio := float64(premises) / float64(people); ratio < 0.55 || ratio > 0.85 {
		t.Errorf("%.2f premises per inhabitant, want 0.55 to 0.85", ratio)
	}
	ruralShare, urbanShare := float64(rural[1])/float64(rural[0]), float64(urban[1])/float64(urban[0])
	if ruralShare >= urbanShare-0.05 {
		t.Errorf("share of premises at ≥ 30 Mbit/s: rural %.3f, urban %.3f; want rural clearly lower", ruralShare, urbanShare)
	}

	again, _ := gen(1, 0)
	other, _ := gen(2, 0)
	if !bytes.Equal(clean, again) || bytes.Equal(clean, other) {
		t.Error("the same seed must give the same bytes, another seed other bytes")
	}

	// With defects, the valid rows stay the same, in the same order, and
	// the extra rows are as many as promised.
	withDefects, d := gen(1, 0.01)
	want := DefectRows(len(ref.Communes), 0.01)
	if d.Total() != want || len(d.Kinds()) != len(CoverageDefects) {
		t.Errorf("defects %v, want %d of each of %v", d, want, CoverageDefects)
	}
	validLines := strings.SplitAfter(string(clean), "\n")
	extra := 0
	j := 0
	for _, line := range strings.SplitAfter(string(withDefects), "\n") {
		if j < len(validLines) && line == validLines[j] {
			j++
		} else {
			extra++
		}
	}
	if j != len(validLines) || extra != want {
		t.Errorf("with defects: %d of %d valid lines kept in order, %d extra lines; want all and %d", j, len(validLines), extra, want)
	}
}
