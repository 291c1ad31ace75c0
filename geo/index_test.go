package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var testIndex = sync.OnceValues(func() (*Index, error) {
	deps, err := testDepartements()
	if err != nil {
		return nil, err
	}
	return NewIndex(deps), nil
})

func TestLocateKnownPlaces(t *testing.T) {
	ix := mustLoad(t, testIndex)
	tests := []struct {
		name   string
		p      orb.Point
		want   string
		wantOK bool
	}{
		{name: "Paris", p: orb.Point{2.3522, 48.8566}, want: "75", wantOK: true},
		{name: "Lille", p: orb.Point{3.0573, 50.6292}, want: "59", wantOK: true},
		{name: "Ajaccio", p: orb.Point{8.7369, 41.9192}, want: "2A", wantOK: true},
		{name: "Bastia", p: orb.Point{9.4509, 42.6977}, want: "2B", wantOK: true},
		{name: "Pointe-à-Pitre", p: orb.Point{-61.5331, 16.2411}, want: "971", wantOK: true},
		{name: "Fort-de-France", p: orb.Point{-61.0588, 14.6161}, want: "972", wantOK: true},
		{name: "Cayenne", p: orb.Point{-52.3350, 4.9372}, want: "973", wantOK: true},
		{name: "Saint-Denis (Réunion)", p: orb.Point{55.4504, -20.8789}, want: "974", wantOK: true},
		{name: "Mamoudzou", p: orb.Point{45.2279, -12.7806}, want: "976", wantOK: true},
		{name: "Strasbourg", p: orb.Point{7.7521, 48.5734}, want: "67", wantOK: true},
		{name: "Marseille", p: orb.Point{5.3698, 43.2965}, want: "13", wantOK: true},
		// Hautes-Pyrénées has enclaves inside Pyrénées-Atlantiques (holes
		// of 64): Gardères is in one of them.
		{name: "Gardères (65 enclave in 64)", p: orb.Point{-0.1090, 43.2832}, want: "65", wantOK: true},
		{name: "Pau (64)", p: orb.Point{-0.3708, 43.2951}, want: "64", wantOK: true},
		{name: "Atlantic", p: orb.Point{-8.0, 46.0}},
		{name: "Mediterranean", p: orb.Point{5.0, 42.5}},
		{name: "Geneva", p: orb.Point{6.1432, 46.2044}},
		{name: "Brussels", p: orb.Point{4.3517, 50.8503}},
		{name: "Null Island", p: orb.Point{0, 0}},
		{name: "NaN", p: orb.Point{math.NaN(), 48}},
		{name: "+Inf", p: orb.Point{math.Inf(1), 48}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ix.Locate(tt.p)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Locate(%v) = %q, %v, want %q, %v", tt.p, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLocateNilAndEmpty(t *testing.T) {
	p := orb.Point{2.3522, 48.8566}
	for name, ix := range map[string]*Index{"nil": nil, "empty": NewIndex(nil), "no geometry": NewIndex([]Departement{{Code: "75"}})} {
		if got, ok := ix.Locate(p); ok || got != "" {
			t.Errorf("%s index: Locate(%v) = %q, %v, want \"\", false", name, p, got, ok)
		}
	}
}

// naiveLocate is the reference: orb's planar test on every département whose
// bounding box holds p. It returns all départements containing p.
func naiveLocate(deps []Departement, bounds []orb.Bound, p orb.Point) []string {
	var in []string
	for i, d := range deps {
		if bounds[i].Contains(p) && planar.MultiPolygonContains(d.Geometry, p) {
			in = append(in, d.Code)
		}
	}
	return in
}

func TestLocateAgreesWithPlanar(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	ix := mustLoad(t, testIndex)
	bounds := make([]orb.Bound, len(deps))
	for i, d := range deps {
		bounds[i] = d.Geometry.Bound()
	}
	areas := []struct {
		name string
		box  orb.Bound
		n    int
	}{
		{"metropolitan", orb.Bound{Min: orb.Point{-5.2, 41.3}, Max: orb.Point{9.6, 51.1}}, 80_000},
		{"971", orb.Bound{Min: orb.Point{-61.9, 15.8}, Max: orb.Point{-60.9, 16.6}}, 8_000},
		{"972", orb.Bound{Min: orb.Point{-61.3, 14.3}, Max: orb.Point{-60.7, 14.9}}, 8_000},
		{"973", orb.Bound{Min: orb.Point{-54.7, 2.0}, Max: orb.Point{-51.5, 5.9}}, 8_000},
		{"974", orb.Bound{Min: orb.Point{55.1, -21.5}, Max: orb.Point{55.9, -20.8}}, 8_000},
		{"976", orb.Bound{Min: orb.Point{44.9, -13.1}, Max: orb.Point{45.4, -12.6}}, 8_000},
	}
	rng := rand.New(rand.NewPCG(20260101, 1))
	var total, inside int
	for _, a := range areas {
		for range a.n {
			p := orb.Point{
				a.box.Min[0] + rng.Float64()*(a.box.Max[0]-a.box.Min[0]),
				a.box.Min[1] + rng.Float64()*(a.box.Max[1]-a.box.Min[1]),
			}
			total++
			want := naiveLocate(deps, bounds, p)
			got, ok := ix.Locate(p)
			switch {
			case len(want) == 0 && ok:
				t.Errorf("%s: Locate(%v) = %q, planar finds no département", a.name, p, got)
			case len(want) > 0 && (!ok || got != want[0]):
				t.Errorf("%s: Locate(%v) = %q, %v, planar finds %q", a.name, p, got, ok, want)
			case len(want) > 1:
				t.Logf("%s: %v is in %q (overlapping shapes)", a.name, p, want)
			}
			if ok {
				inside++
			}
		}
	}
	if total < 100_000 {
		t.Fatalf("tested %d points, want at least 100 000", total)
	}
	t.Logf("%d points, %d in a département", total, inside)
}

// containingParts counts the parts (polygons) whose half-open test holds p,
// ignoring the grid.
func (ix *Index) containingParts(p orb.Point) int {
	n := 0
	for i := range ix.parts {
		if ix.parts[i].contains(p[0], p[1]) {
			n++
		}
	}
	return n
}

// TestLocateSharedVertices checks the border rule on the hardest points: the
// vertices shared by two or more départements. None may be claimed twice,
// and one strictly inside the union of the shapes belongs to exactly one of
// the départements that share it.
func TestLocateSharedVertices(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	ix := mustLoad(t, testIndex)
	owners := make(map[orb.Point]map[string]bool)
	for _, d := range deps {
		for _, poly := range d.Geometry {
			for _, r := range poly {
				for _, p := range r {
					if owners[p] == nil {
						owners[p] = make(map[string]bool)
					}
					owners[p][d.Code] = true
				}
			}
		}
	}
	var shared, located, twice int
	for p, codes := range owners {
		if len(codes) < 2 {
			continue
		}
		shared++
		if n := ix.containingParts(p); n > 1 {
			twice++
			t.Errorf("vertex %v of %v: claimed by %d polygons", p, codes, n)
		}
		code, ok := ix.Locate(p)
		if !ok {
			continue // on the coast or the frontier
		}
		located++
		if !codes[code] {
			t.Errorf("Locate(%v) = %q, want one of %v", p, code, codes)
		}
		// Determinism: same answer again.
		if again, _ := ix.Locate(p); again != code {
			t.Errorf("Locate(%v) = %q then %q", p, code, again)
		}
	}
	t.Logf("%d shared vertices, %d located, %d claimed twice", shared, located, twice)
	if shared == 0 || located < shared*9/10 {
		t.Errorf("%d of %d shared vertices located, want at least 90%%", located, shared)
	}
}

// TestLocateSharedEdge checks the rule on a point exactly on a border:
// two unit squares side by side, and one above.
func TestLocateSharedEdge(t *testing.T) {
	square := func(x, y float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
	}
	ix := NewIndex([]Departement{
		{Code: "W", Geometry: square(0, 0)},
		{Code: "E", Geometry: square(1, 0)},
		{Code: "N", Geometry: square(0, 1)},
	})
	tests := []struct {
		p      orb.Point
		want   string
		wantOK bool
	}{
		{orb.Point{0.5, 0.5}, "W", true},
		{orb.Point{1, 0.5}, "E", true},   // on the W|E border: the east side
		{orb.Point{0.5, 1}, "N", true},   // on the W/N border: the north side
		{orb.Point{1, 1}, "", false},     // corner of all three: nothing north-east of it
		{orb.Point{1, 0}, "E", true},     // corner of W and E: E is north-east
		{orb.Point{0, 1}, "N", true},     // corner of W and N: N is north-east
		{orb.Point{0, 0.5}, "W", true},   // west edge of W
		{orb.Point{2, 0.5}, "", false},   // east edge of E
		{orb.Point{0.5, 0}, "W", true},   // south edge of W
		{orb.Point{0.5, 2}, "", false},   // north edge of N
		{orb.Point{1.5, 1.5}, "", false}, // outside
		{orb.Point{0.99, 1.99}, "N", true},
	}
	for _, tt := range tests {
		got, ok := ix.Locate(tt.p)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Locate(%v) = %q, %v, want %q, %v", tt.p, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestLocateConcurrent(t *testing.T) {
	ix := mustLoad(t, testIndex)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 2))
			for range 10_000 {
				p := orb.Point{-5.2 + rng.Float64()*14.8, 41.3 + rng.Float64()*9.8}
				a, _ := ix.Locate(p)
				if b, _ := ix.Locate(p); a != b {
					t.Errorf("Locate(%v) = %q then %q", p, a, b)
				}
			}
		})
	}
	wg.Wait()
}

func TestIndexDistanceKm(t *testing.T) {
	ix := mustLoad(t, testIndex)
	tests := []struct {
		name     string
		code     string
		p        orb.Point
		min, max float64 // km
		wantOK   bool
	}{
		{name: "Paris in 75", code: "75", p: orb.Point{2.3522, 48.8566}, wantOK: true},
		{name: "Paris from 77", code: "77", p: orb.Point{2.3522, 48.8566}, min: 10, max: 30, wantOK: true},
		// Gardères (65) lies in a hole of Pyrénées-Atlantiques: measured
		// to the hole's edge.
		{name: "Gardères from 64", code: "64", p: orb.Point{-0.1090, 43.2832}, min: 0.1, max: 10, wantOK: true},
		// The North Sea, 0.1° of latitude (about 11 km) north of the
		// shore at Dunkerque (51.05° N).
		{name: "off Dunkerque", code: "59", p: orb.Point{2.3767, 51.1500}, min: 8, max: 14, wantOK: true},
		{name: "Null Island from 59", code: "59", p: orb.Point{0, 0}, min: 5500, max: 5800, wantOK: true},
		{name: "unknown code", code: "99", p: orb.Point{2.3522, 48.8566}},
		{name: "NaN", code: "75", p: orb.Point{math.NaN(), 48}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ix.DistanceKm(tt.code, tt.p)
			if ok != tt.wantOK || got < tt.min || got > tt.max {
				t.Errorf("DistanceKm(%q, %v) = %.3f, %v, want [%g, %g] km, %v", tt.code, tt.p, got, ok, tt.min, tt.max, tt.wantOK)
			}
		})
	}
	var nilIndex *Index
	if got, ok := nilIndex.DistanceKm("75", orb.Point{2.35, 48.85}); ok || got != 0 {
		t.Errorf("nil index: DistanceKm = %v, %v, want 0, false", got, ok)
	}
}

// naiveDistanceKm is the reference: the outline sampled every step km or
// less along each edge (linearly in longitude and latitude, as DistanceKm
// reads an edge), each sample measured with DistanceKm. It is at most step/2
// above the true distance.
func naiveDistanceKm(d Departement, p orb.Point, step float64) float64 {
	best := math.Inf(1)
	for _, poly := range d.Geometry {
		for _, r := range poly {
			for i := range r {
				a, b := r[i], r[(i+1)%len(r)]
				n := int(math.Ceil(DistanceKm(a, b)/step)) + 1
				for k := 0; k <= n; k++ {
					t := float64(k) / float64(n)
					best = min(best, DistanceKm(p, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}))
				}
			}
		}
	}
	return best
}

// TestIndexDistanceKmAgreesWithNaive compares DistanceKm with a dense sampling of
// the outline, for random points up to about 50 km off coastal départements.
func TestIndexDistanceKmAgreesWithNaive(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	ix := mustLoad(t, testIndex)
	const step = 0.05 // km
	rng := rand.New(rand.NewPCG(20260102, 1))
	outside := 0
	for _, code := range []string{"59", "29", "2A", "974"} {
		i := slices.IndexFunc(deps, func(d Departement) bool { return d.Code == code })
		d := deps[i]
		box := d.Geometry.Bound().Pad(0.5)
		for range 25 {
			p := orb.Point{
				box.Min[0] + rng.Float64()*(box.Max[0]-box.Min[0]),
				box.Min[1] + rng.Float64()*(box.Max[1]-box.Min[1]),
			}
			got, ok := ix.DistanceKm(code, p)
			if !ok {
				t.Fatalf("DistanceKm(%q, %v): not ok", code, p)
			}
			if planar.MultiPolygonContains(d.Geometry, p) {
				if got != 0 {
					t.Errorf("DistanceKm(%q, %v) = %.3f, want 0 (inside)", code, p, got)
				}
				continue
			}
			outside++
			want := naiveDistanceKm(d, p, step)
			if got < want-step/2 || got > want*1.01+step/2 {
				t.Errorf("DistanceKm(%q, %v) = %.3f, want %.3f (sampled every %g km) within 1 %%", code, p, got, want, step)
			}
		}
	}
	if outside < 40 {
		t.Errorf("only %d of 100 points outside their département, want at least 40", outside)
	}
}
