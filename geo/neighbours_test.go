package geo

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNeighbours(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	got := Neighbours(deps)
	if len(got) != len(deps) {
		t.Fatalf("Neighbours() has %d keys, want one per département (%d)", len(got), len(deps))
	}
	// Whole lists, checked against the map of France.
	for code, want := range map[string][]string{
		"59":  {"02", "62", "80"},                                  // Nord: not Oise, nor Ardennes 6 km away
		"75":  {"92", "93", "94"},                                  // Paris: only the petite couronne
		"2A":  {"2B"},                                              // Corsica
		"2B":  {"2A"},                                              //
		"971": nil, "972": nil, "973": nil, "974": nil, "976": nil, // overseas
		"90": {"25", "68", "70", "88"}, // Territoire de Belfort: a short border with Vosges
		"13": {"04", "30", "83", "84"}, // a single point with Alpes-de-Haute-Provence, 0.6 km apart in the shapes
	} {
		if diff := cmp.Diff(want, got[code]); diff != "" {
			t.Errorf("Neighbours()[%q] (-want +got):\n%s", code, diff)
		}
	}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"59", "62", true}, // Nord – Pas-de-Calais
		{"59", "02", true}, // Nord – Aisne
		{"59", "80", true}, // Nord – Somme
		{"59", "60", false},
		{"33", "40", true},  // Gironde – Landes
		{"83", "84", true},  // Var – Vaucluse: 0.6 km of shared border in the shapes
		{"68", "70", false}, // 2.0 km apart in the shapes
		{"57", "88", false}, // 2.3 km
		{"75", "95", false}, // 4.9 km
		{"75", "78", false},
	} {
		if in := slices.Contains(got[tc.a], tc.b); in != tc.want {
			t.Errorf("%s in Neighbours()[%q] = %v, want %v", tc.b, tc.a, in, tc.want)
		}
	}
	// Symmetric, never itself.
	for code, ns := range got {
		for _, n := range ns {
			if n == code || !slices.Contains(got[n], code) {
				t.Errorf("Neighbours()[%q] holds %q, but Neighbours()[%q] = %v", code, n, n, got[n])
			}
		}
	}
}

// TestNeighboursMargin checks that NeighbourToleranceKm is no knife edge:
// every pair of départements is neighbours under a tolerance of 0.75 km
// exactly when it is under 1.75 km, so the generalisation of the shapes
// would have to move a border by a quarter of a kilometre to change a pair.
func TestNeighboursMargin(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	const tight, loose = 0.75, 1.75
	pairs := 0
	for i := range deps {
		for j := i + 1; j < len(deps); j++ {
			a, b := deps[i], deps[j]
			ba, bb := a.Geometry.Bound(), b.Geometry.Bound()
			if !withinKm(ba, bb, loose) {
				continue
			}
			atTight := outlinesWithin(a.Geometry, b.Geometry, ba, bb, tight)
			atLoose := outlinesWithin(a.Geometry, b.Geometry, ba, bb, loose)
			if atTight != atLoose {
				t.Errorf("%s and %s: neighbours within %g km = %v, within %g km = %v", a.Code, b.Code, tight, atTight, loose, atLoose)
			}
			if atTight {
				pairs++
			}
		}
	}
	t.Logf("%d pairs of neighbours", pairs)
}

func TestSegmentDistance(t *testing.T) {
	for _, tc := range []struct {
		name       string
		p, q, r, s [2]float64
		want       float64
	}{
		{"crossing", [2]float64{0, 0}, [2]float64{2, 2}, [2]float64{0, 2}, [2]float64{2, 0}, 0},
		{"parallel", [2]float64{0, 0}, [2]float64{2, 0}, [2]float64{0, 1}, [2]float64{2, 1}, 1},
		{"end to middle", [2]float64{0, 0}, [2]float64{2, 0}, [2]float64{1, 3}, [2]float64{1, 0.5}, 0.5},
		{"shared end", [2]float64{0, 0}, [2]float64{2, 0}, [2]float64{2, 0}, [2]float64{3, 3}, 0},
		{"collinear apart", [2]float64{0, 0}, [2]float64{1, 0}, [2]float64{4, 0}, [2]float64{5, 0}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := segmentDistance(tc.p, tc.q, tc.r, tc.s); got != tc.want {
				t.Errorf("segmentDistance(%v, %v, %v, %v) = %g, want %g", tc.p, tc.q, tc.r, tc.s, got, tc.want)
			}
		})
	}
}
