package geo

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistanceKm(t *testing.T) {
	paris := orb.Point{2.3522, 48.8566}
	tests := []struct {
		name string
		a, b orb.Point
		want float64
		tol  float64
	}{
		{name: "Paris–Lille", a: paris, b: orb.Point{3.0573, 50.6292}, want: 203.7, tol: 0.5},
		{name: "Paris–Marseille", a: paris, b: orb.Point{5.3698, 43.2965}, want: 660.5, tol: 1},
		{name: "Paris–Saint-Denis (Réunion)", a: paris, b: orb.Point{55.4504, -20.8789}, want: 9370, tol: 10},
		{name: "same point", a: paris, b: paris, want: 0},
		{name: "pole to pole", a: orb.Point{0, 90}, b: orb.Point{123, -90}, want: math.Pi * EarthRadiusKm, tol: 1e-9},
		{name: "antipodes on the equator", a: orb.Point{0, 0}, b: orb.Point{180, 0}, want: math.Pi * EarthRadiusKm, tol: 1e-9},
		{name: "antipode of Paris", a: paris, b: orb.Point{2.3522 - 180, -48.8566}, want: math.Pi * EarthRadiusKm, tol: 1e-6},
		{name: "quarter of the equator", a: orb.Point{-45, 0}, b: orb.Point{45, 0}, want: math.Pi / 2 * EarthRadiusKm, tol: 1e-9},
		{name: "across ±180°", a: orb.Point{179.5, 0}, b: orb.Point{-179.5, 0}, want: math.Pi / 180 * EarthRadiusKm, tol: 1e-9},
		{name: "one degree of latitude", a: orb.Point{7, 45}, b: orb.Point{7, 46}, want: math.Pi / 180 * EarthRadiusKm, tol: 1e-9},
		{name: "one metre", a: orb.Point{2, 45}, b: orb.Point{2, 45 + 0.001/(math.Pi/180*EarthRadiusKm)}, want: 0.001, tol: 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceKm(tt.a, tt.b)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceKm(%v, %v) = %v, want %v ± %v", tt.a, tt.b, got, tt.want, tt.tol)
			}
			if back := DistanceKm(tt.b, tt.a); back != got {
				t.Errorf("DistanceKm(%v, %v) = %v, but %v the other way", tt.a, tt.b, got, back)
			}
		})
	}
}

func TestDistanceKmNotFinite(t *testing.T) {
	for _, p := range []orb.Point{{math.NaN(), 45}, {2, math.NaN()}, {math.Inf(1), 45}, {2, math.Inf(-1)}} {
		if got := DistanceKm(orb.Point{2, 45}, p); !math.IsNaN(got) {
			t.Errorf("DistanceKm({2 45}, %v) = %v, want NaN", p, got)
		}
	}
}

// bruteNearest is the reference Find must match: every point measured with
// DistanceKm, the first smallest kept.
func bruteNearest(pts []orb.Point, p orb.Point) (int, float64, bool) {
	if !finite(p) {
		return -1, math.NaN(), false
	}
	best, bestKm := -1, math.Inf(1)
	for i, q := range pts {
		if km := DistanceKm(p, q); km < bestKm {
			best, bestKm = i, km
		}
	}
	return best, bestKm, best >= 0
}

// checkFind reports a difference between n.Find(p) and bruteNearest.
func checkFind(t *testing.T, n *Nearest, pts []orb.Point, p orb.Point) bool {
	t.Helper()
	i, km, ok := n.Find(p)
	wi, wkm, wok := bruteNearest(pts, p)
	if i != wi || ok != wok || !(km == wkm || math.IsNaN(km) && math.IsNaN(wkm)) {
		t.Errorf("Find(%v) = %d, %v, %v, want %d, %v, %v", p, i, km, ok, wi, wkm, wok)
		return false
	}
	return true
}

func TestNearestFind(t *testing.T) {
	venues := []orb.Point{
		{2.3522, 48.8566},   // 0 Paris
		{3.0573, 50.6292},   // 1 Lille
		{55.4504, -20.8789}, // 2 Saint-Denis, La Réunion
		{-52.3350, 4.9372},  // 3 Cayenne
		{45.2279, -12.7806}, // 4 Mamoudzou
		{-61.5331, 16.2411}, // 5 Pointe-à-Pitre
		{-61.0588, 14.6161}, // 6 Fort-de-France
		{179.9, 0},          // 7 west of the antimeridian
		{-170, 0},           // 8
		{2.3522, 48.8566},   // 9 Paris again: 0 wins
		{2.5 + 1.0/128, 45}, // 10 and 11 at exactly the same distance
		{2.5 - 1.0/128, 45}, // from {2.5 45}: 10 wins
	}
	tests := []struct {
		name string
		p    orb.Point
		want int
	}{
		{name: "Versailles", p: orb.Point{2.1301, 48.8049}, want: 0},
		{name: "Paris itself", p: orb.Point{2.3522, 48.8566}, want: 0},
		{name: "Roubaix", p: orb.Point{3.1746, 50.6942}, want: 1},
		{name: "Saint-Pierre (Réunion)", p: orb.Point{55.4781, -21.3393}, want: 2},
		{name: "Kourou", p: orb.Point{-52.6499, 5.1597}, want: 3},
		{name: "Dzaoudzi", p: orb.Point{45.2888, -12.7871}, want: 4},
		{name: "Basse-Terre", p: orb.Point{-61.7261, 15.9985}, want: 5},
		{name: "Le Lamentin", p: orb.Point{-60.9990, 14.6130}, want: 6},
		{name: "east of the antimeridian", p: orb.Point{-179.95, 0}, want: 7},
		{name: "antimeridian as +180", p: orb.Point{180, 0.5}, want: 7},
		{name: "exact tie", p: orb.Point{2.5, 45}, want: 10},
		{name: "antipode of Paris", p: orb.Point{2.3522 - 180, -48.8566}, want: 7},
		{name: "North Pole", p: orb.Point{0, 90}, want: 1},
		{name: "latitude out of range", p: orb.Point{2.3522, 131.1434}, want: 7},
		{name: "longitude out of range", p: orb.Point{2.3522 + 720, 48.8566}, want: 0},
	}
	n := NewNearest(venues)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, km, ok := n.Find(tt.p)
			if i != tt.want || !ok {
				t.Errorf("Find(%v) = %d, %v, %v, want %d", tt.p, i, km, ok, tt.want)
			}
			checkFind(t, n, venues, tt.p)
		})
	}
}

func TestNearestNothingToFind(t *testing.T) {
	tests := []struct {
		name   string
		n      *Nearest
		p      orb.Point
		wantKm float64
	}{
		{name: "nil", n: nil, p: orb.Point{2, 45}, wantKm: math.Inf(1)},
		{name: "empty", n: NewNearest(nil), p: orb.Point{2, 45}, wantKm: math.Inf(1)},
		{name: "zero value", n: &Nearest{}, p: orb.Point{2, 45}, wantKm: math.Inf(1)},
		{name: "only NaN points", n: NewNearest([]orb.Point{{math.NaN(), 45}, {2, math.Inf(1)}}), p: orb.Point{2, 45}, wantKm: math.Inf(1)},
		{name: "NaN longitude", n: NewNearest([]orb.Point{{2, 45}}), p: orb.Point{math.NaN(), 45}, wantKm: math.NaN()},
		{name: "NaN latitude", n: NewNearest([]orb.Point{{2, 45}}), p: orb.Point{2, math.NaN()}, wantKm: math.NaN()},
		{name: "+Inf", n: NewNearest([]orb.Point{{2, 45}}), p: orb.Point{math.Inf(1), 45}, wantKm: math.NaN()},
		{name: "-Inf", n: NewNearest([]orb.Point{{2, 45}}), p: orb.Point{2, math.Inf(-1)}, wantKm: math.NaN()},
		{name: "nil and NaN", n: nil, p: orb.Point{math.NaN(), 45}, wantKm: math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, km, ok := tt.n.Find(tt.p)
			if i != -1 || ok || !(km == tt.wantKm || math.IsNaN(km) && math.IsNaN(tt.wantKm)) {
				t.Errorf("Find(%v) = %d, %v, %v, want -1, %v, false", tt.p, i, km, ok, tt.wantKm)
			}
		})
	}
}

// territories are the bounding boxes of metropolitan France and of the five
// overseas départements, with their share of the test points.
var territories = []struct {
	name   string
	box    orb.Bound
	weight int
}{
	{"metropolitan", orb.Bound{Min: orb.Point{-5.2, 41.3}, Max: orb.Point{9.6, 51.1}}, 70},
	{"971", orb.Bound{Min: orb.Point{-61.9, 15.8}, Max: orb.Point{-60.9, 16.6}}, 6},
	{"972", orb.Bound{Min: orb.Point{-61.3, 14.3}, Max: orb.Point{-60.7, 14.9}}, 6},
	{"973", orb.Bound{Min: orb.Point{-54.7, 2.0}, Max: orb.Point{-51.5, 5.9}}, 6},
	{"974", orb.Bound{Min: orb.Point{55.1, -21.5}, Max: orb.Point{55.9, -20.8}}, 6},
	{"976", orb.Bound{Min: orb.Point{44.9, -13.1}, Max: orb.Point{45.4, -12.6}}, 6},
}

// inTerritory returns a point uniform in the box of a territory drawn by
// weight.
func inTerritory(rng *rand.Rand) orb.Point {
	w := rng.IntN(100)
	for _, tr := range territories {
		if w -= tr.weight; w < 0 {
			b := tr.box
			return orb.Point{
				b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]),
				b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]),
			}
		}
	}
	panic("weights do not sum to 100")
}

// near returns a point within about scale degrees of p, scale being drawn on
// a log scale from 1e-9° (0.1 mm) to 1e-2° (1 km).
func near(rng *rand.Rand, p orb.Point) orb.Point {
	scale := math.Pow(10, -9+7*rng.Float64())
	return orb.Point{p[0] + (rng.Float64()*2-1)*scale, p[1] + (rng.Float64()*2-1)*scale}
}

// testVenues returns n points spread like venues: uniform over the
// territories, in clusters (near the previous point, so that consecutive
// points make close pairs), and exact duplicates.
func testVenues(rng *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		switch k := rng.IntN(10); {
		case i == 0 || k < 4:
			pts[i] = inTerritory(rng)
		case k < 9:
			pts[i] = near(rng, pts[i-1])
		default:
			pts[i] = pts[rng.IntN(i)]
		}
	}
	return pts
}

// testQuery returns a query of a kind drawn at random: most over the
// territories, some on top of venues or between two close ones (near ties),
// some far from everything.
func testQuery(rng *rand.Rand, pts []orb.Point) orb.Point {
	switch rng.IntN(10) {
	case 0, 1, 2, 3:
		return inTerritory(rng)
	case 4:
		return near(rng, pts[rng.IntN(len(pts))])
	case 5:
		return pts[rng.IntN(len(pts))]
	case 6:
		// Halfway between consecutive venues, often a close pair.
		j := rng.IntN(len(pts) - 1)
		a, b := pts[j], pts[j+1]
		return orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	case 7:
		// Anywhere on the globe, uniform on the sphere.
		return orb.Point{rng.Float64()*360 - 180, math.Asin(rng.Float64()*2-1) / degree}
	case 8:
		// Near the antipode of a venue, where distances are least precise.
		p := pts[rng.IntN(len(pts))]
		return near(rng, orb.Point{p[0] - 180, -p[1]})
	default:
		// Near the antimeridian or a pole.
		if rng.IntN(2) == 0 {
			return orb.Point{math.Copysign(180-rng.Float64()*0.1, rng.Float64()-0.5), rng.Float64()*180 - 90}
		}
		return orb.Point{rng.Float64()*360 - 180, math.Copysign(90-rng.Float64()*0.1, rng.Float64()-0.5)}
	}
}

// TestNearestAgreesWithBruteForce is the exactness test: the same index and
// the same distance, bit for bit, as a scan of every point.
func TestNearestAgreesWithBruteForce(t *testing.T) {
	nPoints, nQueries := 5_000, 50_000
	if testing.Short() {
		nQueries = 5_000
	}
	rng := rand.New(rand.NewPCG(20260101, 3))
	pts := testVenues(rng, nPoints)
	queries := make([]orb.Point, nQueries)
	for i := range queries {
		queries[i] = testQuery(rng, pts)
	}
	n := NewNearest(pts)
	// The scans take seconds: share them between the CPUs.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(queries); j += workers {
				if !checkFind(t, n, pts, queries[j]) {
					mu.Lock()
					failed++
					stop := failed >= 10
					mu.Unlock()
					if stop {
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if failed >= 10 {
		t.Fatal("too many differences, gave up")
	}
	t.Logf("%d queries against %d points", nQueries, nPoints)
}

// TestNearestOddPoints mixes points the tree does not hold (outside ±90°
// latitude or ±360° longitude, not finite) with ordinary ones.
func TestNearestOddPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	pts := testVenues(rng, 500)
	pts = append(pts,
		orb.Point{2.3522, 131.1434}, // (182.3522, 48.8566) on the sphere
		orb.Point{362.3522, 48.8566},
		orb.Point{1e300, -1e300},
		orb.Point{math.NaN(), 48},
		orb.Point{2.35, math.Inf(1)},
		orb.Point{-400, 10},
	)
	rng.Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
	n := NewNearest(pts)
	for range 5_000 {
		checkFind(t, n, pts, testQuery(rng, pts[:100]))
	}
	for _, p := range []orb.Point{{182.3522, 48.8566}, {2.3522, 48.8566}, {-40, 10}, {1e300, 0}, {1e10, 1e10}} {
		checkFind(t, n, pts, p)
	}
}

func TestNearestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n := NewNearest(testVenues(rng, 2_000))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 2))
			for range 10_000 {
				p := inTerritory(rng)
				a, _, _ := n.Find(p)
				if b, _, _ := n.Find(p); a != b {
					t.Errorf("Find(%v) = %d then %d", p, a, b)
				}
			}
		})
	}
	wg.Wait()
}

// FuzzNearest compares Find with the brute-force scan on small sets: up to
// 64 points drawn from seed around the query (clusters, duplicates, some out
// of range), plus any points encoded in raw as pairs of float64 bits.
func FuzzNearest(f *testing.F) {
	raw := func(ps ...orb.Point) []byte {
		var b []byte
		for _, p := range ps {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
		}
		return b
	}
	f.Add(uint64(1), uint8(20), 2.3522, 48.8566, []byte(nil))
	f.Add(uint64(2), uint8(0), 2.3522, 48.8566, []byte(nil))
	f.Add(uint64(3), uint8(64), 55.4781, -21.3393, raw(orb.Point{55.4504, -20.8789}))
	f.Add(uint64(4), uint8(10), -177.6478, -48.8566, raw(orb.Point{2.3522, 48.8566}, orb.Point{2.3522, 48.8566}))
	f.Add(uint64(5), uint8(10), 180.0, 0.0, raw(orb.Point{-179.9, 0}, orb.Point{179.9, 0}))
	f.Add(uint64(6), uint8(5), math.NaN(), 45.0, []byte(nil))
	f.Add(uint64(7), uint8(5), 2.0, 1e300, raw(orb.Point{math.Inf(1), 0}, orb.Point{2, 100}))
	f.Add(uint64(8), uint8(30), 2.5, 45.0, raw(orb.Point{2.5 + 1.0/128, 45}, orb.Point{2.5 - 1.0/128, 45}))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8, qlon, qlat float64, raw []byte) {
		q := orb.Point{qlon, qlat}
		rng := rand.New(rand.NewPCG(seed, 0))
		centre := q
		if !finite(q) || !indexable(q) {
			centre = inTerritory(rng)
		}
		var pts []orb.Point
		for len(raw) >= 16 {
			lon := math.Float64frombits(binary.LittleEndian.Uint64(raw))
			lat := math.Float64frombits(binary.LittleEndian.Uint64(raw[8:]))
			pts = append(pts, orb.Point{lon, lat})
			raw = raw[16:]
		}
		for range n % 65 {
			switch k := rng.IntN(20); {
			case k < 8:
				pts = append(pts, near(rng, centre))
			case k < 12 && len(pts) > 0:
				pts = append(pts, pts[rng.IntN(len(pts))])
			case k < 13:
				pts = append(pts, orb.Point{centre[0] + 360*float64(rng.IntN(3)-1), 180 - centre[1]})
			default:
				pts = append(pts, inTerritory(rng))
			}
		}
		checkFind(t, NewNearest(pts), pts, q)
	})
}
