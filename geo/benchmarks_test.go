package geo

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// benchPoints returns n points built deterministically as the venue and
// assessment files will look: 80 % within about 2 km of a commune centroid
// (where people live), 20 % uniform over the metropolitan bounding box.
func benchPoints(b *testing.B, n int) []orb.Point {
	cs := mustLoad(b, testCentroids)
	rng := rand.New(rand.NewPCG(1, 2))
	const jitter = 0.018 // degrees of latitude in 2 km
	pts := make([]orb.Point, n)
	for i := range pts {
		if rng.IntN(5) == 0 {
			pts[i] = orb.Point{-5.2 + rng.Float64()*14.8, 41.3 + rng.Float64()*9.8}
			continue
		}
		c := cs[rng.IntN(len(cs))].Point
		dlat := (rng.Float64()*2 - 1) * jitter
		dlon := (rng.Float64()*2 - 1) * jitter / math.Cos(c[1]*math.Pi/180)
		pts[i] = orb.Point{c[0] + dlon, c[1] + dlat}
	}
	return pts
}

// BenchmarkLocate measures one Locate per op over 1 M points, against the
// naive baseline: orb's planar.MultiPolygonContains on every département
// whose bounding box holds the point.
func BenchmarkLocate(b *testing.B) {
	deps := mustLoad(b, testDepartements)
	pts := benchPoints(b, 1_000_000)
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
	}
	b.Run("indexed", func(b *testing.B) {
		ix := NewIndex(deps)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			ix.Locate(pts[i])
			if i++; i == len(pts) {
				i = 0
			}
		}
		report(b)
	})
	b.Run("naive", func(b *testing.B) {
		bounds := make([]orb.Bound, len(deps))
		for i, d := range deps {
			bounds[i] = d.Geometry.Bound()
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := pts[i]
			for j := range deps {
				if bounds[j].Contains(p) && planar.MultiPolygonContains(deps[j].Geometry, p) {
					break
				}
			}
			if i++; i == len(pts) {
				i = 0
			}
		}
		report(b)
	})
}

// BenchmarkNearest measures the distance from every commune centroid
// (about 35 000) to the nearest of 20 000 venue-like points (see
// benchPoints). indexed runs all the queries per op; the naive baseline,
// bruteNearest scanning every point with DistanceKm, runs one query per op. Both report
// ns/query and s/all, the time for all the centroids (extrapolated for
// naive).
func BenchmarkNearest(b *testing.B) {
	cs := mustLoad(b, testCentroids)
	venues := benchPoints(b, 20_000)
	queries := make([]orb.Point, len(cs))
	for i, c := range cs {
		queries[i] = c.Point
	}
	report := func(b *testing.B, perQuery time.Duration) {
		b.ReportMetric(float64(perQuery.Nanoseconds()), "ns/query")
		b.ReportMetric((perQuery * time.Duration(len(queries))).Seconds(), "s/all")
	}
	b.Run("indexed", func(b *testing.B) {
		nn := NewNearest(venues)
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				nn.Find(q)
			}
		}
		report(b, b.Elapsed()/time.Duration(b.N*len(queries)))
	})
	b.Run("naive", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			bruteNearest(venues, queries[i])
			if i++; i == len(queries) {
				i = 0
			}
		}
		report(b, b.Elapsed()/time.Duration(b.N))
	})
}

func BenchmarkNewNearest(b *testing.B) {
	venues := benchPoints(b, 20_000)
	b.ReportAllocs()
	for b.Loop() {
		NewNearest(venues)
	}
}

func BenchmarkNewIndex(b *testing.B) {
	deps := mustLoad(b, testDepartements)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(deps)
	}
}

func BenchmarkNewCodes(b *testing.B) {
	cog := mustLoad(b, testCOG)
	mv := mustLoad(b, testMovements)
	b.ReportAllocs()
	for b.Loop() {
		NewCodes(cog, mv)
	}
}

func BenchmarkResolve(b *testing.B) {
	codes := mustLoad(b, testCodes)
	inputs := []string{"01001", " 1001", "75115", "01324", "2b033", "14513", "99999"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		codes.Resolve(inputs[i%len(inputs)])
		i++
	}
}

func BenchmarkMapGeoJSON(b *testing.B) {
	deps := mustLoad(b, testDepartements)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MapGeoJSON(deps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNeighbours measures the adjacency of the 101 départements
// against the naive baseline: every pair, every edge against every edge,
// with no box filter.
func BenchmarkNeighbours(b *testing.B) {
	deps := mustLoad(b, testDepartements)
	b.Run("filtered", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Neighbours(deps)
		}
	})
	b.Run("naive", func(b *testing.B) {
		everywhere := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
		b.ReportAllocs()
		for b.Loop() {
			for i := range deps {
				for j := i + 1; j < len(deps); j++ {
					ba, bb := deps[i].Geometry.Bound(), deps[j].Geometry.Bound()
					lat := orb.Point{0, (ba.Center()[1] + bb.Center()[1]) / 2}
					outlinesWithin(deps[i].Geometry, deps[j].Geometry, everywhere.Extend(lat), everywhere.Extend(lat), NeighbourToleranceKm)
				}
			}
		}
	})
}
