package ingest

import (
	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

// CommuneFinder finds, within a département, the current commune whose
// centroid is nearest to a point (great-circle distance). Immutable; safe
// for concurrent use.
type CommuneFinder struct {
	byDep map[string]*depCentroids
}

type depCentroids struct {
	near  *geo.Nearest
	codes []string // current commune of each centroid
}

// NewCommuneFinder indexes the centroids (2024 communes and arrondissements)
// by the département of the current commune each belongs to; centroids
// whose code no longer resolves are left out.
func NewCommuneFinder(centroids []geo.Centroid, codes *geo.Codes) *CommuneFinder {
	points := map[string][]orb.Point{}
	f := &CommuneFinder{byDep: map[string]*depCentroids{}}
	for _, c := range centroids {
		res, err := codes.Resolve(c.Code)
		if err != nil {
			continue
		}
		d := f.byDep[res.Departement]
		if d == nil {
			d = &depCentroids{}
			f.byDep[res.Departement] = d
		}
		d.codes = append(d.codes, res.Code)
		points[res.Departement] = append(points[res.Departement], c.Point)
	}
	for dep, d := range f.byDep {
		d.near = geo.NewNearest(points[dep])
	}
	return f
}

// Nearest returns the commune of dep whose centroid is nearest to p, and
// the distance in km; ok is false when dep has no centroid or f is nil.
func (f *CommuneFinder) Nearest(dep string, p orb.Point) (code string, km float64, ok bool) {
	if f == nil {
		return "", 0, false
	}
	d := f.byDep[dep]
	if d == nil {
		return "", 0, false
	}
	i, km, ok := d.near.Find(p)
	if !ok {
		return "", 0, false
	}
	return d.codes[i], km, true
}
