package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// shape is one feature of the département GeoJSON file.
type shape struct {
	code, nom string
	geom      orb.MultiPolygon
}

// parseShapes reads a GeoJSON FeatureCollection whose features carry the
// properties "code" and "nom" and a Polygon or MultiPolygon geometry. It
// streams the features so that an error can name the line it starts on.
// (orb/geojson is not used: it would pull the MongoDB driver into go.mod.)
func parseShapes(file string, src []byte) ([]shape, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	fail := func(off int64, field string, err error) error {
		return &ParseError{File: file, Line: lineAt(src, off), Field: field, Err: err}
	}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, fail(dec.InputOffset(), "", err)
	}
	var shapes []shape
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(dec.InputOffset(), "", err)
		}
		if key, _ := tok.(string); key != "features" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fail(dec.InputOffset(), fmt.Sprint(tok), err)
			}
			continue
		}
		seen = true
		if err := expectDelim(dec, '['); err != nil {
			return nil, fail(dec.InputOffset(), "features", err)
		}
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fail(dec.InputOffset(), fmt.Sprintf("features[%d]", i), err)
			}
			off := dec.InputOffset() - int64(len(raw)) // where the feature starts
			var f struct {
				Properties struct {
					Code string `json:"code"`
					Nom  string `json:"nom"`
				} `json:"properties"`
				Geometry *struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			}
			if err := json.Unmarshal(raw, &f); err != nil {
				return nil, fail(off, fmt.Sprintf("features[%d]", i), err)
			}
			field := fmt.Sprintf("features[%d].properties.code", i)
			if !validDepartement(f.Properties.Code) {
				return nil, &ParseError{File: file, Line: lineAt(src, off), Field: field, Value: f.Properties.Code, Err: errors.New("not a département code")}
			}
			field = fmt.Sprintf("features[%d].geometry", i)
			if f.Geometry == nil {
				return nil, &ParseError{File: file, Line: lineAt(src, off), Field: field, Value: f.Properties.Code, Err: errors.New("missing geometry")}
			}
			g, err := decodeGeometry(f.Geometry.Type, f.Geometry.Coordinates)
			if err != nil {
				return nil, &ParseError{File: file, Line: lineAt(src, off), Field: field, Value: f.Properties.Code, Err: err}
			}
			shapes = append(shapes, shape{code: f.Properties.Code, nom: f.Properties.Nom, geom: g})
		}
		if err := expectDelim(dec, ']'); err != nil {
			return nil, fail(dec.InputOffset(), "features", err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, fail(dec.InputOffset(), "", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fail(dec.InputOffset(), "", errors.New("data after the FeatureCollection"))
	}
	if !seen {
		return nil, fail(0, "features", errors.New("missing member"))
	}
	return shapes, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}

// lineAt returns the 1-based line of byte offset off in src.
func lineAt(src []byte, off int64) int {
	off = min(max(off, 0), int64(len(src)))
	return 1 + bytes.Count(src[:off], []byte{'\n'})
}

// decodeGeometry turns GeoJSON coordinates into a MultiPolygon. Rings must
// have at least 4 positions; an unclosed ring is closed. Extra dimensions
// (altitude) are dropped.
func decodeGeometry(typ string, raw json.RawMessage) (orb.MultiPolygon, error) {
	var polys [][][][]float64
	switch typ {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("polygon coordinates: %w", err)
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, fmt.Errorf("multipolygon coordinates: %w", err)
		}
	default:
		return nil, fmt.Errorf("geometry type %q: want Polygon or MultiPolygon", typ)
	}
	if len(polys) == 0 {
		return nil, errors.New("empty geometry")
	}
	mp := make(orb.MultiPolygon, 0, len(polys))
	for i, p := range polys {
		if len(p) == 0 {
			return nil, fmt.Errorf("polygon %d: no rings", i)
		}
		poly := make(orb.Polygon, 0, len(p))
		for j, r := range p {
			if len(r) < 4 {
				return nil, fmt.Errorf("polygon %d ring %d: %d positions, want at least 4", i, j, len(r))
			}
			ring := make(orb.Ring, 0, len(r)+1)
			for k, pos := range r {
				if len(pos) < 2 {
					return nil, fmt.Errorf("polygon %d ring %d position %d: want longitude and latitude", i, j, k)
				}
				lon, lat := pos[0], pos[1]
				if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
					return nil, fmt.Errorf("polygon %d ring %d position %d: [%g, %g] is not a WGS84 longitude, latitude", i, j, k, lon, lat)
				}
				ring = append(ring, orb.Point{lon, lat})
			}
			if !ring.Closed() {
				ring = append(ring, ring[0])
			}
			poly = append(poly, ring)
		}
		mp = append(mp, poly)
	}
	return mp, nil
}
