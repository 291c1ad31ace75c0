package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Grid geometry: a top grid of 1° cells over the bounds of all shapes; each
// top cell that some shape's bounding box touches holds a sub-grid of
// subSize×subSize fine cells of 1/32° (about 3.5 km of latitude).
const (
	subShift       = 5
	subSize        = 1 << subShift
	cellsPerDegree = subSize
	// edgesPerBand is the average number of edges of a ring per horizontal
	// band; a crossing test scans one band.
	edgesPerBand = 4
	// cellPad widens a fine cell, in fine-cell units, when deciding which
	// edges touch it: much more than the rounding of the cell arithmetic,
	// much less than a cell.
	cellPad = 1e-6
)

// Index places points in départements. Build it once with [NewIndex]; it is
// immutable and safe for concurrent use by multiple goroutines.
//
// Points are WGS84 (longitude, latitude). Each ring is tested with the
// half-open crossing rule: an edge counts when its lower end is at or below
// the point's latitude and its upper end strictly above, and when it crosses
// strictly east of the point. Hence:
//
//   - A point exactly on a border belongs to the shape found immediately to
//     its east, taking the north side where the border runs east–west:
//     exactly, to the shape holding (lon+ε, lat+δ) for tiny δ ≪ ε. Where two
//     départements share a border with the same vertices on both sides (as
//     in the bundled shapes), a point on it, vertices included, is never
//     claimed by both, and belongs to exactly one of them unless nothing lies
//     east of it (a coast or the frontier).
//   - The result depends only on the coordinates, never on the order of
//     evaluation, and the arithmetic is rounded explicitly (no fused
//     multiply-add), so it is deterministic across runs and platforms.
//   - Where shapes overlap (none found in the bundled data), the point goes
//     to the first of them in the order given to NewIndex.
//
// Away from borders (more than about 1e-12°) the answer is the same as
// planar.MultiPolygonContains, which counts border points as inside every
// shape that touches them.
type Index struct {
	codes      []string // département codes, by index in the slice given to NewIndex
	minX, minY float64  // south-west corner of the grid, in whole degrees
	nx         int      // top cells per row
	fw, fh     float64  // grid width and height, in fine cells
	top        []int32  // top cell → sub-grid number, or -1 when nothing is there
	// cells holds subSize² fine cells per sub-grid: 0 means no département,
	// v < 0 means wholly inside département -v-1, v > 0 means candidate list
	// v-1, that is cand[lists[v-1]:lists[v]].
	cells []int32
	lists []int32
	// cand holds part numbers; -(p+1) marks a part known to contain the
	// whole cell, tested without arithmetic.
	cand  []int32
	parts []part
}

// part is one polygon of a département's MultiPolygon.
type part struct {
	dep   int32
	outer ring
	holes []ring
}

// ring is a closed ring prepared for crossing tests: its non-horizontal edges
// are normalised to go upwards and bucketed into horizontal bands of equal
// height, an edge being listed in every band its latitude span touches.
type ring struct {
	minX, minY, maxX, maxY float64
	scale                  float64 // bands per degree of latitude
	nb                     int     // number of bands, at least 1
	bands                  []int32 // band b holds edges[bands[b]:bands[b+1]]
	edges                  []edge
	segments               [][4]float64 // x0, y0, x1, y1 of every edge; only during NewIndex
	vertices               orb.Ring     // the ring as given, for DistanceKm
}

// edge goes from (x0, y0) upwards to y1 > y0; slope is dx/dy. Two rings that
// share an edge store identical values, so they compute identical crossings.
type edge struct {
	y0, y1, x0, slope float64
}

// NewIndex builds an index over the départements' geometries. Départements
// without geometry are ignored. A nil or empty slice gives an index that
// locates nothing. deps is not retained.
func NewIndex(deps []Departement) *Index {
	ix := &Index{codes: make([]string, len(deps))}
	for i, d := range deps {
		ix.codes[i] = d.Code
		for _, poly := range d.Geometry {
			if len(poly) == 0 || len(poly[0]) < 4 {
				continue
			}
			p := part{dep: int32(i), outer: prepareRing(poly[0])}
			for _, h := range poly[1:] {
				if len(h) >= 4 {
					p.holes = append(p.holes, prepareRing(h))
				}
			}
			ix.parts = append(ix.parts, p)
		}
	}
	if len(ix.parts) == 0 {
		return ix
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range ix.parts {
		minX, minY = min(minX, p.outer.minX), min(minY, p.outer.minY)
		maxX, maxY = max(maxX, p.outer.maxX), max(maxY, p.outer.maxY)
	}
	ix.minX, ix.minY = math.Floor(minX), math.Floor(minY)
	ix.nx = int(math.Floor(maxX)-ix.minX) + 1
	ny := int(math.Floor(maxY)-ix.minY) + 1
	ix.fw, ix.fh = float64(ix.nx*subSize), float64(ny*subSize)
	nfx, nfy := ix.nx*subSize, ny*subSize

	// Allocate a sub-grid for every top cell that a part's bounding box
	// (widened by one fine cell) touches, numbering them row by row.
	ix.top = make([]int32, ix.nx*ny)
	for _, p := range ix.parts {
		x0, y0, x1, y1 := ix.fineRange(p.outer, nfx, nfy)
		for ty := y0 >> subShift; ty <= y1>>subShift; ty++ {
			for tx := x0 >> subShift; tx <= x1>>subShift; tx++ {
				ix.top[ty*ix.nx+tx] = 1
			}
		}
	}
	var nsub int32
	for i, used := range ix.top {
		if used == 0 {
			ix.top[i] = -1
			continue
		}
		ix.top[i] = nsub
		nsub++
	}
	ix.cells = make([]int32, int(nsub)*subSize*subSize)

	// For each fine cell, the parts with an edge in it (boundary) and the
	// parts that contain it whole (inside), both in part order.
	boundary := make([][]int32, len(ix.cells))
	inside := make([][]int32, len(ix.cells))
	for pi := range ix.parts {
		p := &ix.parts[pi]
		pn := int32(pi)
		mark := func(c int) {
			if b := boundary[c]; len(b) == 0 || b[len(b)-1] != pn {
				boundary[c] = append(b, pn)
			}
		}
		ix.markEdges(p.outer, nfx, nfy, mark)
		p.outer.segments = nil
		for i := range p.holes {
			ix.markEdges(p.holes[i], nfx, nfy, mark)
			p.holes[i].segments = nil
		}
		// A cell crossed by no edge of the part is wholly inside it or
		// wholly outside: its centre tells which.
		x0, y0, x1, y1 := ix.fineRange(p.outer, nfx, nfy)
		for cy := y0; cy <= y1; cy++ {
			for cx := x0; cx <= x1; cx++ {
				c := ix.cellAt(cx, cy)
				if b := boundary[c]; len(b) > 0 && b[len(b)-1] == pn {
					continue
				}
				x := ix.minX + (float64(cx)+0.5)/cellsPerDegree
				y := ix.minY + (float64(cy)+0.5)/cellsPerDegree
				if p.contains(x, y) {
					inside[c] = append(inside[c], pn)
				}
			}
		}
	}

	// Encode the cells, sharing identical candidate lists.
	ix.lists = []int32{0}
	interned := make(map[string]int32)
	var key []byte
	var list []int32
	for c := range ix.cells {
		b, in := boundary[c], inside[c]
		if len(b) == 0 && len(in) == 0 {
			continue
		}
		if len(b) == 0 && ix.sameDep(in) {
			ix.cells[c] = -ix.parts[in[0]].dep - 1
			continue
		}
		list = append(list[:0], b...)
		for _, pn := range in {
			list = append(list, -pn-1)
		}
		slices.SortFunc(list, func(a, b int32) int { return int(partOf(a) - partOf(b)) })
		key = key[:0]
		for _, v := range list {
			key = append(key, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
		id, ok := interned[string(key)]
		if !ok {
			ix.cand = append(ix.cand, list...)
			ix.lists = append(ix.lists, int32(len(ix.cand)))
			id = int32(len(ix.lists) - 1)
			interned[string(key)] = id
		}
		ix.cells[c] = id
	}
	return ix
}

// partOf decodes a candidate entry into its part number.
func partOf(v int32) int32 {
	if v < 0 {
		return -v - 1
	}
	return v
}

func (ix *Index) sameDep(parts []int32) bool {
	for _, pn := range parts[1:] {
		if ix.parts[pn].dep != ix.parts[parts[0]].dep {
			return false
		}
	}
	return true
}

// fine maps a coordinate to fine-cell units. Construction and queries both
// use it, so a point and an edge at the same coordinate land in the same cell.
func (ix *Index) fine(x, y float64) (float64, float64) {
	return (x - ix.minX) * cellsPerDegree, (y - ix.minY) * cellsPerDegree
}

// fineRange returns the fine cells covering r's bounding box, widened by one
// cell and clipped to the grid.
func (ix *Index) fineRange(r ring, nfx, nfy int) (x0, y0, x1, y1 int) {
	fx0, fy0 := ix.fine(r.minX, r.minY)
	fx1, fy1 := ix.fine(r.maxX, r.maxY)
	return max(int(fx0)-1, 0), max(int(fy0)-1, 0), min(int(fx1)+1, nfx-1), min(int(fy1)+1, nfy-1)
}

// cellAt returns the index in ix.cells of fine cell (cx, cy), whose top cell
// must have a sub-grid.
func (ix *Index) cellAt(cx, cy int) int {
	s := ix.top[(cy>>subShift)*ix.nx+cx>>subShift]
	return int(s)<<(2*subShift) | (cy&(subSize-1))<<subShift | cx&(subSize-1)
}

// markEdges calls mark for every fine cell that an edge of r passes through or
// comes within cellPad of.
func (ix *Index) markEdges(r ring, nfx, nfy int, mark func(cell int)) {
	for _, seg := range r.segments {
		ax, ay := ix.fine(seg[0], seg[1])
		bx, by := ix.fine(seg[2], seg[3])
		cx0 := max(int(math.Floor(min(ax, bx)-cellPad)), 0)
		cx1 := min(int(math.Floor(max(ax, bx)+cellPad)), nfx-1)
		cy0 := max(int(math.Floor(min(ay, by)-cellPad)), 0)
		cy1 := min(int(math.Floor(max(ay, by)+cellPad)), nfy-1)
		dx, dy := bx-ax, by-ay
		for cy := cy0; cy <= cy1; cy++ {
			for cx := cx0; cx <= cx1; cx++ {
				if cx1 > cx0 && cy1 > cy0 {
					// The segment misses the padded cell when all four
					// corners lie strictly on one side of its line.
					lx, hx := float64(cx)-cellPad, float64(cx+1)+cellPad
					ly, hy := float64(cy)-cellPad, float64(cy+1)+cellPad
					s1 := dx*(ly-ay) - dy*(lx-ax)
					s2 := dx*(ly-ay) - dy*(hx-ax)
					s3 := dx*(hy-ay) - dy*(lx-ax)
					s4 := dx*(hy-ay) - dy*(hx-ax)
					if (s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0) || (s1 < 0 && s2 < 0 && s3 < 0 && s4 < 0) {
						continue
					}
				}
				if ix.top[(cy>>subShift)*ix.nx+cx>>subShift] >= 0 {
					mark(ix.cellAt(cx, cy))
				}
			}
		}
	}
}

// Locate returns the code of the département containing p, a WGS84
// (longitude, latitude) point, and true; or "", false when p is in no
// département (at sea, abroad, in a sliver between two shapes, or NaN). See
// [Index] for points on borders. A nil *Index locates nothing.
func (ix *Index) Locate(p orb.Point) (code string, ok bool) {
	d := ix.locate(p[0], p[1])
	if d < 0 {
		return "", false
	}
	return ix.codes[d], true
}

// locate returns the index of the département containing (x, y), or -1.
func (ix *Index) locate(x, y float64) int32 {
	if ix == nil || len(ix.top) == 0 {
		return -1
	}
	fx, fy := ix.fine(x, y)
	if !(fx >= 0 && fx < ix.fw && fy >= 0 && fy < ix.fh) {
		return -1 // outside the grid, or NaN
	}
	cx, cy := int(fx), int(fy)
	s := ix.top[(cy>>subShift)*ix.nx+cx>>subShift]
	if s < 0 {
		return -1
	}
	v := ix.cells[int(s)<<(2*subShift)|(cy&(subSize-1))<<subShift|cx&(subSize-1)]
	if v <= 0 {
		return -v - 1 // 0 gives -1: nothing here
	}
	for _, c := range ix.cand[ix.lists[v-1]:ix.lists[v]] {
		if c < 0 {
			return ix.parts[-c-1].dep
		}
		if ix.parts[c].contains(x, y) {
			return ix.parts[c].dep
		}
	}
	return -1
}

// DistanceKm returns how far p, a WGS84 (longitude, latitude) point, lies
// from the shape of the département code, in km: 0 when the shape holds p
// (by the rule of [Index.Locate], whatever other shape holds it too), else
// the great-circle distance ([DistanceKm]) to the nearest point of its
// outline, outer rings and holes alike. ok is false when the index has no
// shape for code, when p is not finite, or when ix is nil.
//
// The nearest point of the outline is chosen in an equirectangular
// projection centred on p, then measured on the sphere: the result is never
// less than the true distance, and exceeds it by well under 1 % within a few
// hundred km of the shape. Meant for the odd point outside every shape, it
// scans all the département's edges (a few thousand at most).
func (ix *Index) DistanceKm(code string, p orb.Point) (km float64, ok bool) {
	if ix == nil || !finite(p) {
		return 0, false
	}
	d := int32(slices.Index(ix.codes, code))
	if d < 0 {
		return 0, false
	}
	cos := math.Cos(p[1] * degree)
	var nearest orb.Point
	best := math.Inf(1)
	consider := func(r *ring) {
		v := r.vertices
		for i := range v {
			a, b := v[i], v[(i+1)%len(v)]
			// In the projection, with p at the origin.
			ax, ay := (a[0]-p[0])*cos, a[1]-p[1]
			dx, dy := (b[0]-a[0])*cos, b[1]-a[1]
			t := 0.0
			if l2 := dx*dx + dy*dy; l2 > 0 {
				t = min(max(-(ax*dx+ay*dy)/l2, 0), 1)
			}
			qx, qy := ax+t*dx, ay+t*dy
			if d2 := qx*qx + qy*qy; d2 < best {
				// The projection is affine: the same t on the sphere's
				// coordinates gives the point itself.
				best, nearest = d2, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
			}
		}
	}
	for i := range ix.parts {
		pt := &ix.parts[i]
		if pt.dep != d {
			continue
		}
		if pt.contains(p[0], p[1]) {
			return 0, true
		}
		ok = true
		consider(&pt.outer)
		for j := range pt.holes {
			consider(&pt.holes[j])
		}
	}
	if !ok {
		return 0, false
	}
	return DistanceKm(p, nearest), true
}

func (p *part) contains(x, y float64) bool {
	if !p.outer.contains(x, y) {
		return false
	}
	for i := range p.holes {
		if p.holes[i].contains(x, y) {
			return false
		}
	}
	return true
}

// contains applies the half-open crossing rule described on [Index]. The
// bounding-box test gives the same answer the crossing count would.
func (r *ring) contains(x, y float64) bool {
	if x < r.minX || x >= r.maxX || y < r.minY || y >= r.maxY {
		return false
	}
	b := min(int((y-r.minY)*r.scale), r.nb-1)
	in := false
	for _, e := range r.edges[r.bands[b]:r.bands[b+1]] {
		// float64() forces rounding before the addition, so that no
		// platform fuses it into a multiply-add: shared edges must give
		// the same crossing in both rings.
		if e.y0 <= y && y < e.y1 && x < e.x0+float64((y-e.y0)*e.slope) {
			in = !in
		}
	}
	return in
}

// prepareRing builds a ring from a closed orb.Ring.
func prepareRing(or orb.Ring) ring {
	r := ring{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), vertices: slices.Clone(or)}
	for _, p := range or {
		r.minX, r.minY = min(r.minX, p[0]), min(r.minY, p[1])
		r.maxX, r.maxY = max(r.maxX, p[0]), max(r.maxY, p[1])
	}
	n := len(or)
	for i := range n {
		a, b := or[i], or[(i+1)%n] // closes the ring even if or is open
		if a == b {
			continue
		}
		r.segments = append(r.segments, [4]float64{a[0], a[1], b[0], b[1]})
		if a[1] == b[1] {
			continue // horizontal edges never cross a horizontal ray
		}
		if a[1] > b[1] {
			a, b = b, a
		}
		r.edges = append(r.edges, edge{y0: a[1], y1: b[1], x0: a[0], slope: (b[0] - a[0]) / (b[1] - a[1])})
	}
	r.nb = max(1, len(r.edges)/edgesPerBand)
	if h := r.maxY - r.minY; h > 0 {
		r.scale = float64(r.nb) / h
	}
	band := func(y float64) int { return min(int((y-r.minY)*r.scale), r.nb-1) }
	// Count, then fill: edges of band b end up contiguous, in ring order.
	r.bands = make([]int32, r.nb+1)
	for _, e := range r.edges {
		for b := band(e.y0); b <= band(e.y1); b++ {
			r.bands[b+1]++
		}
	}
	for b := range r.nb {
		r.bands[b+1] += r.bands[b]
	}
	banded := make([]edge, r.bands[r.nb])
	next := slices.Clone(r.bands[:r.nb])
	for _, e := range r.edges {
		for b := band(e.y0); b <= band(e.y1); b++ {
			banded[next[b]] = e
			next[b]++
		}
	}
	r.edges = banded
	return r
}
