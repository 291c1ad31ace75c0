package synth

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
)

// TestAssessments checks what the generator promises: the header, the row
// count, the same bytes for the same seed, communes drawn by population,
// an age mix tilted to the old, and a share of retests.
func TestAssessments(t *testing.T) {
	communes, err := geo.Communes()
	if err != nil {
		t.Fatal(err)
	}
	centroids, err := geo.Centroids()
	if err != nil {
		t.Fatal(err)
	}
	const rows = 50000
	gen := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := Assessments(&b, communes, centroids, AssessmentsOptions{Rows: rows, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := gen(1), gen(1), gen(2)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("the same seed must give the same bytes, another seed other bytes")
	}
	recs, err := csv.NewReader(bytes.NewReader(a)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != AssessmentsHeader || len(recs) != rows+1 {
		t.Fatalf("header %q and %d rows, want %q and %d", recs[0], len(recs)-1, AssessmentsHeader, rows)
	}
	var paris, old, ids int
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if r[2] == "75056" {
			paris++
		}
		if r[3] == "60-74" || r[3] == "75+" {
			old++
		}
		if !seen[r[0]] {
			seen[r[0]] = true
			ids++
		}
	}
	// Paris holds 2 103 778 of 68 350 798 inhabitants (3.08 %): expect about
	// 1 540 of 50 000 draws; ±20 % is over 10 standard deviations.
	if paris < 1230 || paris > 1850 {
		t.Errorf("Paris drawn %d times in %d, want about 1 540", paris, rows)
	}
	// Bands 60-74 and 75+ weigh 0.46 before the local tilt.
	if share := float64(old) / rows; share < 0.40 || share > 0.52 {
		t.Errorf("share aged 60+ = %.3f, want about 0.46", share)
	}
	// About 3 % of rows are a retest of an earlier respondent.
	if retests := float64(rows-ids) / rows; retests < 0.02 || retests > 0.04 {
		t.Errorf("retest share = %.3f, want about 0.03", retests)
	}
}

func TestAssessmentsRefusesBadOptions(t *testing.T) {
	if err := Assessments(&bytes.Buffer{}, nil, nil, AssessmentsOptions{Rows: 0}); err == nil {
		t.Error("Rows 0 accepted")
	}
	if err := Assessments(&bytes.Buffer{}, nil, nil, AssessmentsOptions{Rows: 10}); err == nil {
		t.Error("no communes accepted")
	}
}
