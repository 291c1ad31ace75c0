package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Inset layout of [MapGeoJSON]: the overseas départements, top to bottom, in
// boxes of insetHeight degrees of latitude stacked from insetTop down, each
// shape centred on insetCentre within insetWidth degrees of longitude. The
// column lon −8.9…−5.3, lat 41.15…48.85 lies in the Atlantic west of
// Brittany and the Bay of Biscay, clear of the mainland (Ouessant, the
// westernmost point, is at −5.14).
var insetOrder = []string{"971", "972", "973", "974", "976"}

const (
	insetTop    = 48.85
	insetHeight = 1.3
	insetGap    = 0.3
	insetCentre = -7.1
	insetWidth  = 3.6
	// insetMinStep is the simplification of inset outlines: a point closer
	// than this (in output degrees, on either axis) to the last kept one
	// is dropped.
	insetMinStep = 0.005
	mapDecimals  = 1000 // coordinates are rounded to 3 decimals (about 100 m)
	// metroMinStep simplifies the metropolitan outlines of the national map
	// the same way: 0.015° is about 1.2 km, under a pixel of a map of France
	// 640 px high, and it keeps the page with its assets under 1.5 MB.
	metroMinStep = 0.015
)

// insetBox returns the box of the i-th inset in insetOrder.
func insetBox(i int) orb.Bound {
	top := insetTop - float64(i)*(insetHeight+insetGap)
	return orb.Bound{
		Min: orb.Point{insetCentre - insetWidth/2, top - insetHeight},
		Max: orb.Point{insetCentre + insetWidth/2, top},
	}
}

// MapGeoJSON returns a GeoJSON FeatureCollection of the départements for
// drawing a choropleth map (it is designed for ECharts' registerMap). Each
// feature is a MultiPolygon with the properties "code", "name" (equal to the
// code, since ECharts joins data on "name") and "nom".
//
// Metropolitan départements keep their true WGS84 coordinates. The overseas
// ones (971, 972, 973, 974, 976) would be invisible specks, so each is moved
// and scaled into an inset box of the same height, stacked in the Atlantic
// west of Brittany (longitude −8.9 to −5.3, latitude 41.15 to 48.85): 971 at
// the top, 976 at the bottom. An inset keeps its shape: longitudes are
// stretched by the ratio of the cosines of the source and inset latitudes.
// Outlines are simplified by dropping points closer than 0.005° (insets) or
// 0.015° (metropolitan France) to the previous one on both axes. Use
// [Departements] for true coordinates.
//
// Coordinates are rounded to 3 decimals; rings that collapse to fewer than 4
// positions are dropped. The output is deterministic: features sorted by
// code, members in a fixed order. An empty or nil deps gives an empty
// collection; a département without geometry is an error.
func MapGeoJSON(deps []Departement) ([]byte, error) {
	sorted := slices.Clone(deps)
	slices.SortStableFunc(sorted, func(a, b Departement) int { return strings.Compare(a.Code, b.Code) })
	var buf []byte
	buf = append(buf, `{"type":"FeatureCollection","features":[`...)
	for i, d := range sorted {
		var polys [][][][2]float64
		if slot := slices.Index(insetOrder, d.Code); slot >= 0 {
			polys = insetPolygons(d.Geometry, insetBox(slot))
		} else {
			polys = roundPolygons(d.Geometry, func(p orb.Point) [2]float64 { return [2]float64{p[0], p[1]} }, metroMinStep)
		}
		if len(polys) == 0 {
			return nil, fmt.Errorf("map shape of département %q: no geometry", d.Code)
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		code, err := json.Marshal(d.Code)
		if err != nil {
			return nil, err
		}
		nom, err := json.Marshal(d.Nom)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `{"type":"Feature","properties":{"code":`...)
		buf = append(buf, code...)
		buf = append(buf, `,"name":`...)
		buf = append(buf, code...)
		buf = append(buf, `,"nom":`...)
		buf = append(buf, nom...)
		buf = append(buf, `},"geometry":{"type":"MultiPolygon","coordinates":`...)
		buf = appendPolygons(buf, polys)
		buf = append(buf, `}}`...)
	}
	buf = append(buf, "]}\n"...)
	return buf, nil
}

// insetPolygons moves and scales mp into box, keeping its proportions as
// seen on a map.
func insetPolygons(mp orb.MultiPolygon, box orb.Bound) [][][][2]float64 {
	src := mp.Bound()
	if src.IsEmpty() {
		return nil
	}
	return roundPolygons(mp, insetMove(src, box), insetMinStep)
}

// insetMove maps the bound src into box, keeping its proportions as seen on
// a map.
func insetMove(src, box orb.Bound) func(orb.Point) [2]float64 {
	// k makes one degree of longitude in the inset as long, relative to a
	// degree of latitude, as it is at the source.
	k := math.Cos(src.Center()[1]*math.Pi/180) / math.Cos(box.Center()[1]*math.Pi/180)
	w, h := (src.Max[0]-src.Min[0])*k, src.Max[1]-src.Min[1]
	s := math.Min((box.Max[0]-box.Min[0])/w, (box.Max[1]-box.Min[1])/h)
	sc, dc := src.Center(), box.Center()
	return func(p orb.Point) [2]float64 {
		return [2]float64{dc[0] + (p[0]-sc[0])*s*k, dc[1] + (p[1]-sc[1])*s}
	}
}

// roundPolygons applies move to every position, rounds to 3 decimals and
// drops a position equal to the last kept one or, when step > 0, closer to it
// than step on both axes. Rings left with fewer than 4 positions are dropped,
// and polygons whose outer ring is dropped.
func roundPolygons(mp orb.MultiPolygon, move func(orb.Point) [2]float64, step float64) [][][][2]float64 {
	var out [][][][2]float64
	for _, poly := range mp {
		var rings [][][2]float64
		for j, r := range poly {
			var ring [][2]float64
			for _, p := range r {
				q := move(p)
				q[0], q[1] = roundCoord(q[0]), roundCoord(q[1])
				if n := len(ring); n > 0 {
					last := ring[n-1]
					if q == last || (step > 0 && math.Abs(q[0]-last[0]) < step && math.Abs(q[1]-last[1]) < step) {
						continue
					}
				}
				ring = append(ring, q)
			}
			// Close the ring on its first position; the simplification may
			// have dropped the original closing one.
			if n := len(ring); n > 1 && ring[n-1] != ring[0] {
				last := ring[n-1]
				if step > 0 && math.Abs(ring[0][0]-last[0]) < step && math.Abs(ring[0][1]-last[1]) < step {
					ring = ring[:n-1]
				}
				ring = append(ring, ring[0])
			}
			if len(ring) < 4 {
				if j == 0 {
					break // no outer ring, no polygon
				}
				continue
			}
			rings = append(rings, ring)
		}
		if len(rings) > 0 {
			out = append(out, rings)
		}
	}
	return out
}

func roundCoord(v float64) float64 {
	v = math.Round(v*mapDecimals) / mapDecimals
	if v == 0 {
		return 0 // no "-0"
	}
	return v
}

func appendPolygons(buf []byte, polys [][][][2]float64) []byte {
	buf = append(buf, '[')
	for i, rings := range polys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for j, ring := range rings {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			for k, p := range ring {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '[')
				buf = strconv.AppendFloat(buf, p[0], 'f', -1, 64)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, p[1], 'f', -1, 64)
				buf = append(buf, ']')
			}
			buf = append(buf, ']')
		}
		buf = append(buf, ']')
	}
	return append(buf, ']')
}

// DepartementGeoJSON returns a GeoJSON FeatureCollection holding the one
// feature of d, in true WGS84 coordinates (overseas départements included),
// rounded to 3 decimals, with the properties of [MapGeoJSON]. It draws the
// map of a département's own page.
func DepartementGeoJSON(d Departement) ([]byte, error) {
	polys := roundPolygons(d.Geometry, func(p orb.Point) [2]float64 { return [2]float64{p[0], p[1]} }, 0)
	if len(polys) == 0 {
		return nil, fmt.Errorf("map shape of département %q: no geometry", d.Code)
	}
	props, err := json.Marshal(map[string]string{"code": d.Code, "name": d.Code, "nom": d.Nom})
	if err != nil {
		return nil, err
	}
	buf := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":`)
	buf = append(buf, props...)
	buf = append(buf, `,"geometry":{"type":"MultiPolygon","coordinates":`...)
	buf = appendPolygons(buf, polys)
	buf = append(buf, "}}]}\n"...)
	return buf, nil
}

// MapPosition is where the point p of département d lies on the map of
// [MapGeoJSON]: p itself in metropolitan France, moved into its inset for
// an overseas département. Unlike the outlines, it is not rounded.
func MapPosition(d Departement, p orb.Point) [2]float64 {
	slot := slices.Index(insetOrder, d.Code)
	if slot < 0 {
		return [2]float64{p[0], p[1]}
	}
	return insetMove(d.Geometry.Bound(), insetBox(slot))(p)
}
