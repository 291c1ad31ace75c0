package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// mapFeature is one département of the national map's GeoJSON (written by
// geo.MapGeoJSON): its code, and its outline as a Polygon or MultiPolygon.
type mapFeature struct {
	Type       string `json:"type"`
	Properties struct {
		Code string `json:"name"` // ECharts' join key with the series data
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	raw json.RawMessage
}

// mapFeatures reads the national map's GeoJSON, keeping each feature's text.
func mapFeatures(mapGeoJSON []byte) ([]mapFeature, error) {
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(mapGeoJSON, &fc); err != nil {
		return nil, fmt.Errorf("map GeoJSON: %w", err)
	}
	out := make([]mapFeature, len(fc.Features))
	for i, raw := range fc.Features {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("map GeoJSON: feature %d: %w", i, err)
		}
		out[i].raw = raw
	}
	return out, nil
}

// polygons is the outline of f as polygons.
func (f mapFeature) polygons() (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch f.Geometry.Type {
	case "Polygon":
		var p orb.Polygon
		if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
			return nil, err
		}
		mp = orb.MultiPolygon{p}
	case "MultiPolygon":
		if err := json.Unmarshal(f.Geometry.Coordinates, &mp); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %q, want a Polygon or MultiPolygon", f.Geometry.Type)
	}
	return mp, nil
}

// nationalMap is what the national page takes from the map's GeoJSON
// besides the shapes themselves, read once (readNationalMap).
type nationalMap struct {
	// centres are where each département's circle stands: the centroid of
	// its largest polygon (an island or an exclave never pulls it away
	// from the main land), rounded to 3 decimals like the shapes.
	centres map[string][2]float64
	// inset is the GeoJSON of the Île-de-France inset's départements
	// (idfCodes), in the same coordinates, and insetBounds their bounding
	// box (west, south, east, north); both nil when the map has none of
	// them (a partial map in tests), and then there is no inset.
	inset       []byte
	insetBounds *[4]float64
}

// readNationalMap reads the national map's GeoJSON for the page.
func readNationalMap(mapGeoJSON []byte) (nationalMap, error) {
	fs, err := mapFeatures(mapGeoJSON)
	if err != nil {
		return nationalMap{}, err
	}
	m := nationalMap{centres: make(map[string][2]float64, len(fs))}
	var kept []json.RawMessage
	var b orb.Bound
	for _, f := range fs {
		mp, err := f.polygons()
		if err != nil || f.Properties.Code == "" || len(mp) == 0 {
			return nationalMap{}, fmt.Errorf("map GeoJSON: feature %q: no code or no polygon (%v)", f.Properties.Code, err)
		}
		largest, area := mp[0], -1.0
		for _, p := range mp {
			if a := math.Abs(planar.Area(p)); a > area {
				largest, area = p, a
			}
		}
		c, _ := planar.CentroidArea(largest)
		m.centres[f.Properties.Code] = [2]float64{math.Round(c[0]*1000) / 1000, math.Round(c[1]*1000) / 1000}
		if !slices.Contains(idfCodes, f.Properties.Code) {
			continue
		}
		if len(kept) == 0 {
			b = mp.Bound()
		} else {
			b = b.Union(mp.Bound())
		}
		kept = append(kept, f.raw)
	}
	if len(kept) > 0 {
		m.insetBounds = &[4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		if m.inset, err = json.Marshal(map[string]any{"type": "FeatureCollection", "features": kept}); err != nil {
			return nationalMap{}, err
		}
	}
	return m, nil
}
