package geo

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// mapFeature is a feature of the MapGeoJSON output, as ECharts reads it.
type mapFeature struct {
	Type       string `json:"type"`
	Properties struct {
		Code string `json:"code"`
		Name string `json:"name"`
		Nom  string `json:"nom"`
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates [][][][]float64 `json:"coordinates"`
	} `json:"geometry"`
}

func (f mapFeature) bound() orb.Bound {
	b := orb.Bound{Min: orb.Point{1e9, 1e9}, Max: orb.Point{-1e9, -1e9}}
	for _, poly := range f.Geometry.Coordinates {
		for _, r := range poly {
			for _, p := range r {
				b = b.Extend(orb.Point{p[0], p[1]})
			}
		}
	}
	return b
}

func TestMapGeoJSON(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	out, err := MapGeoJSON(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MapGeoJSON: %d bytes", len(out))
	if len(out) > 500_000 {
		t.Errorf("MapGeoJSON is %d bytes, want at most 500 000", len(out))
	}
	again, err := MapGeoJSON(deps)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again) {
		t.Error("MapGeoJSON is not deterministic")
	}
	var fc struct {
		Type     string       `json:"type"`
		Features []mapFeature `json:"features"`
	}
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 101 {
		t.Fatalf("MapGeoJSON: %s of %d features, want FeatureCollection of 101", fc.Type, len(fc.Features))
	}
	area := orb.Bound{Min: orb.Point{-9, 41}, Max: orb.Point{-5, 49}}
	var insets, mainland []orb.Bound
	for i, f := range fc.Features {
		p := f.Properties
		if p.Code != deps[i].Code || p.Name != p.Code || p.Nom != deps[i].Nom {
			t.Errorf("feature %d: properties %+v, want code and name %q, nom %q", i, p, deps[i].Code, deps[i].Nom)
		}
		if f.Type != "Feature" || f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
			t.Errorf("feature %s: %s with %s of %d polygons", p.Code, f.Type, f.Geometry.Type, len(f.Geometry.Coordinates))
		}
		for _, poly := range f.Geometry.Coordinates {
			for _, r := range poly {
				if len(r) < 4 || !slices.Equal(r[0], r[len(r)-1]) {
					t.Errorf("feature %s: ring of %d positions, open or too short", p.Code, len(r))
				}
			}
		}
		b := f.bound()
		if slices.Contains(insetOrder, p.Code) {
			if !area.Contains(b.Min) || !area.Contains(b.Max) {
				t.Errorf("inset %s spans %v, outside the inset area %v", p.Code, b, area)
			}
			if h := b.Max[1] - b.Min[1]; h < insetHeight*0.95 && b.Max[0]-b.Min[0] < insetWidth*0.95 {
				t.Errorf("inset %s spans %v: fills neither the height nor the width of its box", p.Code, b)
			}
			insets = append(insets, b)
		} else {
			mainland = append(mainland, b)
		}
	}
	for i, a := range insets {
		for _, b := range insets[i+1:] {
			if a.Intersects(b) {
				t.Errorf("insets %v and %v overlap", a, b)
			}
		}
		for _, b := range mainland {
			if a.Intersects(b) {
				t.Errorf("inset %v overlaps the mainland département spanning %v", a, b)
			}
		}
	}
}

func TestMapGeoJSONEmpty(t *testing.T) {
	out, err := MapGeoJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\"type\":\"FeatureCollection\",\"features\":[]}\n"; string(out) != want {
		t.Errorf("MapGeoJSON(nil) = %s, want %s", out, want)
	}
	if _, err := MapGeoJSON([]Departement{{Code: "01"}}); err == nil {
		t.Error("MapGeoJSON of a département without geometry: no error")
	}
}

// TestMapGeoJSONGolden pins the exact bytes on a small input: a square
// département with a hole, and Mayotte as a triangle.
func TestMapGeoJSONGolden(t *testing.T) {
	deps := []Departement{
		{Code: "976", Nom: "Mayotte", Geometry: orb.MultiPolygon{{{{45.0, -13.0}, {45.3, -13.0}, {45.15, -12.6}, {45.0, -13.0}}}}},
		{Code: "01", Nom: "Ain \"test\"", Geometry: orb.MultiPolygon{{
			{{4.73001, 45.6}, {6.17, 45.6}, {6.17, 46.52}, {4.73, 46.52}, {4.7300004, 45.6}},
			{{5, 46}, {5.5, 46}, {5.5, 46.2}, {5, 46}},
			{{5.1, 46.1}, {5.1001, 46.1}, {5.1, 46.1002}, {5.1, 46.1}}, // collapses: dropped
		}}},
	}
	got, err := MapGeoJSON(deps)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "map_small.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("MapGeoJSON mismatch:\n got %s\nwant %s", got, want)
	}
}

func TestDepartementGeoJSON(t *testing.T) {
	deps, err := Departements()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps {
		if d.Code != "23" && d.Code != "974" {
			continue
		}
		b, err := DepartementGeoJSON(d)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct {
				Properties map[string]string
				Geometry   struct{ Coordinates [][][][2]float64 }
			}
		}
		if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 1 {
			t.Fatalf("%s: %v, %d features", d.Code, err, len(fc.Features))
		}
		f := fc.Features[0]
		if f.Properties["name"] != d.Code || f.Properties["nom"] != d.Nom {
			t.Errorf("%s: properties %v", d.Code, f.Properties)
		}
		// True coordinates, not the inset: every point lies in the
		// département's own bound.
		b0 := d.Geometry.Bound().Pad(0.001)
		for _, poly := range f.Geometry.Coordinates {
			for _, ring := range poly {
				for _, p := range ring {
					if !b0.Contains(orb.Point{p[0], p[1]}) {
						t.Fatalf("%s: point %v outside %v", d.Code, p, b0)
					}
				}
			}
		}
	}
}

func TestMapPosition(t *testing.T) {
	deps, err := Departements()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps {
		c := d.Geometry.Bound().Center()
		got := MapPosition(d, c)
		switch d.Code {
		case "59":
			if got != [2]float64{c[0], c[1]} {
				t.Errorf("Nord: %v moved to %v", c, got)
			}
		case "974":
			// The centre of La Réunion lands in the centre of its inset box.
			box := insetBox(slices.Index(insetOrder, "974"))
			if math.Abs(got[0]-box.Center()[0]) > 1e-9 || math.Abs(got[1]-box.Center()[1]) > 1e-9 {
				t.Errorf("La Réunion centre on the map = %v, want %v", got, box.Center())
			}
		}
	}
}
