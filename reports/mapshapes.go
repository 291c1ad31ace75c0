package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// shapeScale is the quantum of the shapes sent to ECharts: coordinates are
// written in thousandths of a degree (about 100 m), the precision of
// geo.MapGeoJSON and geo.DepartementGeoJSON, so their shapes reach the
// browser unchanged. A coordinate with more decimals is rounded to the
// nearest thousandth.
const shapeScale = 1000

// maxShapeChar bounds the characters of an encoded ring: above it start the
// UTF-16 surrogates, which a JavaScript string cannot hold alone.
const maxShapeChar = 0xD7FF

// compressGeoJSON rewrites a GeoJSON FeatureCollection (WGS84, longitude then
// latitude) in the compressed form ECharts' registerMap decodes itself
// (parseGeoJson in echarts/lib/coord/geo: "UTF8Encoding": true): each ring
// of a Polygon or MultiPolygon becomes a string of two characters per
// position, and its first position an integer pair in "encodeOffsets".
//
// A position is quantised to 1/shapeScale degree; each character is
// 64 + the zigzag code of the difference, in quanta, from the previous
// position on that axis (the first from encodeOffsets, so it is 0). Small
// differences, the rule between neighbouring positions of an outline, are
// one byte of UTF-8 instead of about eight as decimals.
//
// Features keep their type and properties; other members of a feature or of
// the collection (id, bbox, crs…) are dropped, as ECharts reads none of them.
// Geometries other than Polygon and MultiPolygon are kept as they are, which
// ECharts reads as usual. Positions are [longitude, latitude]: a third
// value (altitude) is dropped. The result is compact JSON with <, > and &
// escaped, so it can be put in a script. An error says what is not GeoJSON
// or cannot be encoded (a jump of more than 27° within a ring).
func compressGeoJSON(geojson []byte) ([]byte, error) {
	var in struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string          `json:"type"`
			Properties json.RawMessage `json:"properties"`
			Geometry   json.RawMessage `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(geojson, &in); err != nil {
		return nil, fmt.Errorf("map GeoJSON: %w", err)
	}
	if in.Type != "FeatureCollection" {
		return nil, fmt.Errorf("map GeoJSON: type %q, want FeatureCollection", in.Type)
	}
	out := compressedCollection{Type: in.Type, UTF8Encoding: true, UTF8Scale: shapeScale, Features: []compressedFeature{}}
	for i, f := range in.Features {
		g, err := compressGeometry(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("map GeoJSON: feature %d: %w", i, err)
		}
		props := f.Properties
		if len(props) == 0 {
			props = json.RawMessage("null")
		}
		out.Features = append(out.Features, compressedFeature{Type: f.Type, Properties: props, Geometry: g})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("map GeoJSON: %w", err)
	}
	return b, nil
}

// compressedCollection is a FeatureCollection in ECharts' compressed form.
type compressedCollection struct {
	Type         string              `json:"type"`
	UTF8Encoding bool                `json:"UTF8Encoding"`
	UTF8Scale    int                 `json:"UTF8Scale"` // quanta per degree
	Features     []compressedFeature `json:"features"`
}

type compressedFeature struct {
	Type       string          `json:"type"`
	Properties json.RawMessage `json:"properties"`
	Geometry   any             `json:"geometry"` // compressedGeometry, or the input's geometry
}

// compressedGeometry is a Polygon (EncodeOffsets [][2]int, Coordinates
// []string: one per ring) or a MultiPolygon (one more level of lists).
type compressedGeometry struct {
	Type          string `json:"type"`
	EncodeOffsets any    `json:"encodeOffsets"`
	Coordinates   any    `json:"coordinates"`
}

// compressGeometry encodes a Polygon or MultiPolygon; it returns any other
// geometry (or null) as it is.
func compressGeometry(raw json.RawMessage) (any, error) {
	var head struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return json.RawMessage("null"), nil
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	switch head.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(head.Coordinates, &rings); err != nil {
			return nil, fmt.Errorf("Polygon: %w", err)
		}
		offsets, coords, err := encodeRings(rings)
		if err != nil {
			return nil, err
		}
		return compressedGeometry{Type: head.Type, EncodeOffsets: offsets, Coordinates: coords}, nil
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(head.Coordinates, &polys); err != nil {
			return nil, fmt.Errorf("MultiPolygon: %w", err)
		}
		offsets, coords := make([][][2]int, len(polys)), make([][]string, len(polys))
		for i, rings := range polys {
			var err error
			if offsets[i], coords[i], err = encodeRings(rings); err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i, err)
			}
		}
		return compressedGeometry{Type: head.Type, EncodeOffsets: offsets, Coordinates: coords}, nil
	}
	return raw, nil
}

// encodeRings encodes the rings of one polygon.
func encodeRings(rings [][][]float64) ([][2]int, []string, error) {
	offsets, coords := make([][2]int, len(rings)), make([]string, len(rings))
	for i, ring := range rings {
		var err error
		if offsets[i], coords[i], err = encodeRing(ring); err != nil {
			return nil, nil, fmt.Errorf("ring %d: %w", i, err)
		}
	}
	return offsets, coords, nil
}

// encodeRing returns the first position of ring in quanta and the string of
// the differences (see compressGeoJSON).
func encodeRing(ring [][]float64) ([2]int, string, error) {
	var start, prev [2]int
	s := make([]rune, 0, 2*len(ring))
	for i, p := range ring {
		if len(p) < 2 {
			return [2]int{}, "", fmt.Errorf("position %d: %d values, want longitude and latitude", i, len(p))
		}
		var q [2]int
		for k := range q {
			if math.IsNaN(p[k]) || math.Abs(p[k]) > 360 {
				return [2]int{}, "", fmt.Errorf("position %d: coordinate %v out of range", i, p[k])
			}
			q[k] = int(math.Round(p[k] * shapeScale))
		}
		if i == 0 {
			start, prev = q, q
		}
		for k := range q {
			c := 64 + zigzag(q[k]-prev[k])
			if c > maxShapeChar {
				return [2]int{}, "", errors.New("two positions too far apart to encode")
			}
			s = append(s, rune(c))
		}
		prev = q
	}
	return start, string(s), nil
}

// zigzag maps 0, −1, 1, −2, 2… to 0, 1, 2, 3, 4…: the inverse of ECharts'
// x >> 1 ^ -(x & 1).
func zigzag(d int) int {
	if d < 0 {
		return -2*d - 1
	}
	return 2 * d
}
