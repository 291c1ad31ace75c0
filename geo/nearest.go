package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// EarthRadiusKm is the mean Earth radius used for distances (IUGG mean
// radius, 6371.0088 km).
const EarthRadiusKm = 6371.0088

const (
	degree = math.Pi / 180
	// leafSize is the most points a leaf of the k-d tree holds.
	leafSize = 8
	// slack widens every pruning test of [Nearest.Find], in units of
	// h = sin²(θ/2) = chord²/4 for a central angle θ. The rounding error of
	// h, whether computed by [DistanceKm] or from unit vectors, stays below
	// 1e-14 for indexed points, so 1e-12 keeps every test on the safe side;
	// it costs only measuring the points less than about 13 m farther than
	// the best one (2·R·√slack).
	slack = 1e-12
	// maxLat and maxLon bound the indexed points: within them the rounding
	// analysis behind slack holds.
	maxLat = 90
	maxLon = 360
)

// DistanceKm is the great-circle (haversine) distance between two WGS84
// points (longitude, latitude), in km, on a sphere of radius
// [EarthRadiusKm]. It is symmetric, between 0 and π·EarthRadiusKm, and NaN
// when a coordinate is not finite. Its arithmetic is rounded explicitly (no
// fused multiply-add), so a given pair gives the same bits wherever it is
// computed.
func DistanceKm(a, b orb.Point) float64 { return kmOf(haversine(a, b)) }

// haversine returns h = sin²(θ/2), clamped to [0, 1], for the central angle
// θ between a and b. The float64 conversions stop the compiler from fusing a
// multiply and an add, which would change the last bits at some call sites
// and not others.
func haversine(a, b orb.Point) float64 {
	sLat := math.Sin((b[1] - a[1]) * degree / 2)
	sLon := math.Sin((b[0] - a[0]) * degree / 2)
	cos := float64(math.Cos(a[1]*degree) * math.Cos(b[1]*degree))
	h := float64(sLat*sLat) + float64(cos*float64(sLon*sLon))
	return min(max(h, 0), 1)
}

// kmOf turns h = sin²(θ/2) into a distance in km.
func kmOf(h float64) float64 { return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h)) }

// Nearest finds, for a query point, the closest of a fixed set of points by
// great-circle distance ([DistanceKm]). Build it once with [NewNearest]; it
// is immutable and safe for concurrent use by multiple goroutines.
//
// Points are WGS84 (longitude, latitude), anywhere on the globe: the index
// works on the sphere, so the overseas départements and the ±180° meridian
// need no special care.
//
// Find answers exactly what a scan of every point with DistanceKm would,
// keeping the first point at the smallest distance. The points are placed on
// the unit sphere in 3D and kept in a k-d tree, where the chord between two
// points grows with their great-circle distance. The tree only decides which
// points to measure: a branch or a point is skipped when a lower bound on its
// chord, from the 3D coordinates, exceeds the best one found so far by a
// margin a hundred times wider than the rounding error of either
// computation; every point not skipped is measured with DistanceKm itself and
// compared on distance, then index.
type Nearest struct {
	entries []entry // indexed points, in tree order
	nodes   []node  // nodes[0] is the root; empty when nothing is indexed
	// others holds the finite points outside ±90° latitude or ±360°
	// longitude: every query scans them with DistanceKm.
	others []entry
}

type entry struct {
	v [3]float64 // unit vector
	p orb.Point
	i int // index in the slice given to NewNearest
}

// node is a box of the k-d tree holding entries[start:end]; lo and hi bound
// their unit vectors.
type node struct {
	lo, hi     [3]float64
	start, end int32
	left       int32 // first child, the second being left+1; 0 for a leaf
}

// NewNearest builds an index over points. Points that are not finite (NaN or
// ±Inf) are never found; points outside ±90° latitude or ±360° longitude are
// accepted but not indexed, so each query measures them all. A nil or empty
// slice gives an index that finds nothing. points is not retained.
func NewNearest(points []orb.Point) *Nearest {
	n := &Nearest{entries: make([]entry, 0, len(points))}
	for i, p := range points {
		switch {
		case !finite(p):
		case !indexable(p):
			n.others = append(n.others, entry{v: unit(p), p: p, i: i})
		default:
			n.entries = append(n.entries, entry{v: unit(p), p: p, i: i})
		}
	}
	if len(n.entries) > 0 {
		n.nodes = make([]node, 1, 4*len(n.entries)/leafSize+1)
		n.build(0, 0, len(n.entries))
	}
	return n
}

// build fills node k with entries[start:end], splitting it at the median of
// its widest axis until leaves hold at most leafSize points.
func (n *Nearest) build(k, start, end int) {
	nd := node{start: int32(start), end: int32(end)}
	nd.lo, nd.hi = n.entries[start].v, n.entries[start].v
	for _, e := range n.entries[start+1 : end] {
		for a := range 3 {
			nd.lo[a], nd.hi[a] = min(nd.lo[a], e.v[a]), max(nd.hi[a], e.v[a])
		}
	}
	if end-start > leafSize {
		axis := 0
		for a := 1; a < 3; a++ {
			if nd.hi[a]-nd.lo[a] > nd.hi[axis]-nd.lo[axis] {
				axis = a
			}
		}
		slices.SortFunc(n.entries[start:end], func(x, y entry) int {
			if c := cmp.Compare(x.v[axis], y.v[axis]); c != 0 {
				return c
			}
			return cmp.Compare(x.i, y.i) // a deterministic tree
		})
		left := len(n.nodes)
		n.nodes = append(n.nodes, node{}, node{})
		nd.left = int32(left)
		mid := start + (end-start)/2
		n.build(left, start, mid)
		n.build(left+1, mid, end)
	}
	n.nodes[k] = nd
}

// Find returns the index (into the slice given to NewNearest) of the point
// closest to p and its distance in km. Ties go to the lowest index, so the
// answer is deterministic. ok is false, with i = -1, when p is not finite
// (km is then NaN) or when no point is at a finite distance from p, as in an
// empty index (km is then +Inf: nothing is within any distance). A nil
// *Nearest finds nothing.
func (n *Nearest) Find(p orb.Point) (i int, km float64, ok bool) {
	if !finite(p) {
		return -1, math.NaN(), false
	}
	if n == nil {
		return -1, math.Inf(1), false
	}
	s := search{p: p, best: -1, km: math.Inf(1), lim: math.Inf(1)}
	switch {
	case !indexable(p):
		s.scan(n.entries) // beyond the rounding analysis: measure all
	case len(n.nodes) > 0:
		s.q = unit(p)
		n.visit(&s, 0)
	}
	s.scan(n.others)
	if s.best < 0 {
		return -1, math.Inf(1), false
	}
	return s.best, s.km, true
}

// search is the state of one Find.
type search struct {
	p    orb.Point
	q    [3]float64 // p as a unit vector
	best int        // index of the best point so far, or -1
	km   float64    // its distance
	// lim is the squared chord beyond which an indexed point cannot beat
	// best: 4·(h + slack), h being sin²(θ/2) for best.
	lim float64
}

// offer makes point i, km away, the best if it is nearer than the best so
// far, or as near with a lower index, and reports whether it did.
func (s *search) offer(i int, km float64) bool {
	if km < s.km || km == s.km && i < s.best {
		s.best, s.km = i, km
		return true
	}
	return false
}

func (s *search) scan(es []entry) {
	for j := range es {
		s.offer(es[j].i, DistanceKm(s.p, es[j].p))
	}
}

// visit searches node k, nearer child first, skipping what lies beyond s.lim.
func (n *Nearest) visit(s *search, k int32) {
	nd := &n.nodes[k]
	if nd.left == 0 {
		for j := nd.start; j < nd.end; j++ {
			e := &n.entries[j]
			if chord2(s.q, e.v) > s.lim {
				continue
			}
			h := haversine(s.p, e.p) // as DistanceKm does
			if s.offer(e.i, kmOf(h)) {
				s.lim = 4 * (h + slack)
			}
		}
		return
	}
	a, b := nd.left, nd.left+1
	da, db := n.nodes[a].gap(s.q), n.nodes[b].gap(s.q)
	if db < da {
		a, b, da, db = b, a, db, da
	}
	if da <= s.lim {
		n.visit(s, a)
	}
	if db <= s.lim {
		n.visit(s, b)
	}
}

// gap returns the squared distance from q to the node's box, 0 inside it.
func (nd *node) gap(q [3]float64) float64 {
	var d float64
	for a := range 3 {
		if g := nd.lo[a] - q[a]; g > 0 {
			d += g * g
		} else if g := q[a] - nd.hi[a]; g > 0 {
			d += g * g
		}
	}
	return d
}

func chord2(a, b [3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// unit returns p on the unit sphere: x towards (0°, 0°), y towards
// (90°E, 0°), z towards the North Pole.
func unit(p orb.Point) [3]float64 {
	sLat, cLat := math.Sincos(p[1] * degree)
	sLon, cLon := math.Sincos(p[0] * degree)
	return [3]float64{cLat * cLon, cLat * sLon, sLat}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

func indexable(p orb.Point) bool {
	return math.Abs(p[1]) <= maxLat && math.Abs(p[0]) <= maxLon
}
