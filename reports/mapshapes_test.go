package reports

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
)

// decodeCompressed decodes compressGeoJSON's output as ECharts 5.6's
// parseGeoJson does (decode, decodeRings and decodeRing in
// echarts/lib/coord/geo/parseGeoJson.js): every Polygon and MultiPolygon
// becomes its positions again, by feature, polygon and ring.
func decodeCompressed(t *testing.T, b []byte) (names []string, shapes [][][][][2]float64) {
	t.Helper()
	var fc struct {
		UTF8Encoding bool
		UTF8Scale    float64
		Features     []struct {
			Properties map[string]any
			Geometry   struct {
				Type          string
				EncodeOffsets json.RawMessage
				Coordinates   json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if !fc.UTF8Encoding || fc.UTF8Scale != shapeScale {
		t.Fatalf("UTF8Encoding = %v, UTF8Scale = %v, want true, %d", fc.UTF8Encoding, fc.UTF8Scale, shapeScale)
	}
	ring := func(s string, off [2]int) [][2]float64 {
		u := []rune(s) // every character is below the surrogates: one UTF-16 unit
		var out [][2]float64
		px, py := off[0], off[1]
		for i := 0; i+1 < len(u); i += 2 {
			x, y := int(u[i])-64, int(u[i+1])-64
			x, y = x>>1^-(x&1), y>>1^-(y&1)
			px, py = px+x, py+y
			out = append(out, [2]float64{float64(px) / fc.UTF8Scale, float64(py) / fc.UTF8Scale})
		}
		return out
	}
	for _, f := range fc.Features {
		name, _ := f.Properties["name"].(string)
		names = append(names, name)
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var offs [][2]int
			var coords []string
			mustUnmarshal(t, f.Geometry.EncodeOffsets, &offs)
			mustUnmarshal(t, f.Geometry.Coordinates, &coords)
			var rings [][][2]float64
			for i := range coords {
				rings = append(rings, ring(coords[i], offs[i]))
			}
			polys = append(polys, rings)
		case "MultiPolygon":
			var offs [][][2]int
			var coords [][]string
			mustUnmarshal(t, f.Geometry.EncodeOffsets, &offs)
			mustUnmarshal(t, f.Geometry.Coordinates, &coords)
			for i := range coords {
				var rings [][][2]float64
				for j := range coords[i] {
					rings = append(rings, ring(coords[i][j], offs[i][j]))
				}
				polys = append(polys, rings)
			}
		default:
			t.Fatalf("feature %q: geometry %q, want Polygon or MultiPolygon", name, f.Geometry.Type)
		}
		shapes = append(shapes, polys)
	}
	return names, shapes
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

// sourceShapes reads a GeoJSON FeatureCollection of Polygons and
// MultiPolygons as compressGeoJSON's input.
func sourceShapes(t *testing.T, b []byte) (names []string, shapes [][][][][2]float64) {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	mustUnmarshal(t, b, &fc)
	for _, f := range fc.Features {
		name, _ := f.Properties["name"].(string)
		names = append(names, name)
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var rings [][][2]float64
			mustUnmarshal(t, f.Geometry.Coordinates, &rings)
			polys = [][][][2]float64{rings}
		case "MultiPolygon":
			mustUnmarshal(t, f.Geometry.Coordinates, &polys)
		default:
			t.Fatalf("feature %q: geometry %q", name, f.Geometry.Type)
		}
		shapes = append(shapes, polys)
	}
	return names, shapes
}

// TestCompressGeoJSONRoundTrip: decoded as ECharts decodes it, the
// compressed map gives back every position of the source within half a
// quantum, in the same features, polygons and rings; the shapes of geo,
// already rounded to the quantum, come back exactly.
func TestCompressGeoJSONRoundTrip(t *testing.T) {
	deps, err := geo.Departements()
	if err != nil {
		t.Fatal(err)
	}
	national, err := geo.MapGeoJSON(deps)
	if err != nil {
		t.Fatal(err)
	}
	nord, err := geo.DepartementGeoJSON(deps[slicesIndex(deps, "59")])
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("testdata", "fixture", "departements.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    []byte
		exact bool // coordinates are multiples of the quantum
	}{
		{"geo.MapGeoJSON", national, true},
		{"geo.DepartementGeoJSON 59", nord, true},
		{"fixture", fixture, true},
		{"finer than the quantum", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},` +
			`"geometry":{"type":"Polygon","coordinates":[[[2.3522219,48.856614],[2.3533,48.8561],[2.55,48.25049],[2.3522219,48.856614]],` +
			`[[0.0004,-0.0004],[0.0006,0.0005],[0.0004,-0.0004]]]}}]}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := compressGeoJSON(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			wantNames, want := sourceShapes(t, tt.in)
			gotNames, got := decodeCompressed(t, b)
			if strings.Join(gotNames, ",") != strings.Join(wantNames, ",") {
				t.Fatalf("features %v, want %v", gotNames, wantNames)
			}
			positions := 0
			for f := range want {
				if len(got[f]) != len(want[f]) {
					t.Fatalf("feature %s: %d polygons, want %d", wantNames[f], len(got[f]), len(want[f]))
				}
				for p := range want[f] {
					if len(got[f][p]) != len(want[f][p]) {
						t.Fatalf("feature %s polygon %d: %d rings, want %d", wantNames[f], p, len(got[f][p]), len(want[f][p]))
					}
					for r := range want[f][p] {
						g, w := got[f][p][r], want[f][p][r]
						if len(g) != len(w) {
							t.Fatalf("feature %s polygon %d ring %d: %d positions, want %d", wantNames[f], p, r, len(g), len(w))
						}
						for i := range w {
							positions++
							for k := range 2 {
								d := math.Abs(g[i][k] - w[i][k])
								if d > 0.5/shapeScale+1e-12 || (tt.exact && g[i][k] != w[i][k]) {
									t.Fatalf("feature %s polygon %d ring %d position %d: %v, want %v (quantum %g)", wantNames[f], p, r, i, g[i], w[i], 1.0/shapeScale)
								}
							}
						}
					}
				}
			}
			t.Logf("%d features, %d positions: %d bytes of GeoJSON, %d compressed", len(want), positions, len(tt.in), len(b))
		})
	}
}

func slicesIndex(deps []geo.Departement, code string) int {
	for i, d := range deps {
		if d.Code == code {
			return i
		}
	}
	return -1
}

// TestCompressGeoJSONErrors: what is not a collection of features, or
// cannot be encoded, is an error.
func TestCompressGeoJSONErrors(t *testing.T) {
	for _, in := range []string{
		`{"type":`,
		`{"type":"Feature","geometry":null}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[30,0],[0,0]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1e9,0],[0,0]]]]}}]}`,
	} {
		if b, err := compressGeoJSON([]byte(in)); err == nil {
			t.Errorf("compressGeoJSON(%s) = %.80s, want an error", in, b)
		}
	}
	// Other geometries, and features without one, pass as they are.
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"p"},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","properties":{"name":"n"},"geometry":null}]}`
	b, err := compressGeoJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","UTF8Encoding":true,"UTF8Scale":1000,"features":[{"type":"Feature","properties":{"name":"p"},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","properties":{"name":"n"},"geometry":null}]}`
	if string(b) != want {
		t.Errorf("compressGeoJSON(%s)\n= %s\nwant %s", in, b, want)
	}
}
