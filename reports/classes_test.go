package reports

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// classOf is, as ECharts reads the pieces, the index of the class holding v, or -1.
func classOf(cs []class, v float64) int {
	for i, c := range cs {
		if v >= c.Min && (v < c.Max || (c.Last && v <= c.Max)) {
			return i
		}
	}
	return -1
}

// Terciles by hand: nine values, breaks at the 4th and 7th smallest.
func TestClasses(t *testing.T) {
	ind := indicator{Unit: "\u202f%", Decimals: 1}
	figs := []figure{{Value: 9}, {Value: 1}, {Value: 5}, {Value: 3}, {Status: missing}, {Value: 7},
		{Value: 2}, {Value: 8}, {Status: secret}, {Value: 4}, {Value: 6}}
	got := ind.classes(figs)
	want := []class{
		{Min: 1, Max: 4, Label: "de 1,0\u202f% à moins de 4,0\u202f%", Colour: classColours[0]},
		{Min: 4, Max: 7, Label: "de 4,0\u202f% à moins de 7,0\u202f%", Colour: classColours[1]},
		{Min: 7, Max: 9, Last: true, Label: "de 7,0\u202f% à 9,0\u202f%", Colour: classColours[2]},
	}
	if len(got) != len(want) {
		t.Fatalf("classes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("class %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Every published value falls in exactly one class, a third in each.
	counts := make([]int, len(got))
	for _, f := range figs {
		if f.Status == published {
			counts[classOf(got, f.Value)]++
		}
	}
	if counts[0] != 3 || counts[1] != 3 || counts[2] != 3 {
		t.Errorf("values per class %v, want 3 3 3", counts)
	}

	tests := []struct {
		name   string
		values []float64
		labels []string
	}{
		{"nothing published", nil, nil},
		{"one value everywhere", []float64{2, 2, 2}, []string{"2,0"}},
		{"ties keep equal values together", []float64{1, 1, 1, 1, 5}, []string{"de 1,0 à moins de 5,0", "5,0"}},
		{"two values", []float64{4.9, 6.2}, []string{"de 4,9 à moins de 6,2", "6,2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []figure
			for _, v := range tt.values {
				fs = append(fs, figure{Value: v})
			}
			var labels []string
			cs := indicator{Decimals: 1}.classes(fs)
			for _, c := range cs {
				labels = append(labels, c.Label)
			}
			if strings.Join(labels, "|") != strings.Join(tt.labels, "|") {
				t.Errorf("labels %q, want %q", labels, tt.labels)
			}
			for _, v := range tt.values {
				if classOf(cs, v) < 0 {
					t.Errorf("%v is in no class of %+v", v, cs)
				}
			}
		})
	}
}

// luminance is the WCAG relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Adjacent classes differ by at least 3:1 (WCAG 1.4.11, graphical objects);
// the outline sets every département off the white page; "no data" is
// told apart by its hatching (carte.js), not by its grey.
func TestClassContrast(t *testing.T) {
	for i := 0; i+1 < len(classColours); i++ {
		if c := contrast(t, classColours[i], classColours[i+1]); c < 3 {
			t.Errorf("classes %d and %d (%s, %s): contrast %.2f:1, want ≥ 3:1", i, i+1, classColours[i], classColours[i+1], c)
		}
	}
	if c := contrast(t, outlineColour, "#ffffff"); c < 3 {
		t.Errorf("outline %s against white: %.2f:1, want ≥ 3:1", outlineColour, c)
	}
	// Two classes use the palette's ends.
	if c := contrast(t, classColours[0], classColours[len(classColours)-1]); c < 3 {
		t.Errorf("palette ends: %.2f:1", c)
	}
	// Gap circles: each sign against the white page, and a filled red
	// never mistaken for a hollow blue (the fill differs, not only the hue).
	for _, c := range []string{deficitColour, surplusColour, symbolColour} {
		if r := contrast(t, c, "#ffffff"); r < 3 {
			t.Errorf("circle colour %s against white: %.2f:1", c, r)
		}
	}
}

// A circle's area is proportional to the value: four times the value,
// twice the diameter; the reference value gives maxSymbol.
func TestSymbolDiameter(t *testing.T) {
	if d := symbolDiameter(1500, 1500); d != maxSymbol {
		t.Errorf("reference circle: %v px, want %v", d, maxSymbol)
	}
	if a, b := symbolDiameter(100, 1500), symbolDiameter(400, 1500); math.Abs(b-2*a) > 1e-9 {
		t.Errorf("diameters %v and %v: four times the value must double the diameter", a, b)
	}
	if d := symbolDiameter(-375, 1500); d != maxSymbol/2 {
		t.Errorf("a surplus of a quarter of the reference: %v px, want %v", d, maxSymbol/2)
	}
	if d := symbolDiameter(0, 1500); d != 0 {
		t.Errorf("zero: %v px", d)
	}
	ind := indicators[iEcart]
	if ref := ind.symbolReference([]figure{{Value: -30}, {Value: 12.5}, {Status: missing}}); ref != 30 {
		t.Errorf("reference of a gap from −30 to 12.5: %v, want 30 (the largest absolute value, rounded up)", ref)
	}
}

// Circles stand on each département's largest polygon; the inset holds
// Paris and its inner ring, and its box bounds them.
func TestMapCentresAndInset(t *testing.T) {
	geo := []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"75"},"geometry":{"type":"Polygon","coordinates":[[[2.2,48.8],[2.5,48.8],[2.5,48.9],[2.2,48.9],[2.2,48.8]]]}},
{"type":"Feature","properties":{"name":"29"},"geometry":{"type":"MultiPolygon","coordinates":[
 [[[-5.2,48.4],[-5.0,48.4],[-5.0,48.5],[-5.2,48.5],[-5.2,48.4]]],
 [[[-4.5,47.8],[-3.5,47.8],[-3.5,48.6],[-4.5,48.6],[-4.5,47.8]]]]}},
{"type":"Feature","properties":{"name":"92"},"geometry":{"type":"Polygon","coordinates":[[[2.1,48.7],[2.3,48.7],[2.3,48.95],[2.1,48.95],[2.1,48.7]]]}}]}`)
	nm, err := readNationalMap(geo)
	if err != nil {
		t.Fatal(err)
	}
	centres := nm.centres
	if c := centres["75"]; c != [2]float64{2.35, 48.85} {
		t.Errorf("Paris at %v, want [2.35 48.85]", c)
	}
	// Finistère's circle on the mainland, not pulled towards Ouessant.
	if c := centres["29"]; c != [2]float64{-4, 48.2} {
		t.Errorf("Finistère at %v, want [-4 48.2] (its largest polygon)", c)
	}
	if b := nm.insetBounds; b == nil || *b != [4]float64{2.1, 48.7, 2.5, 48.95} {
		t.Errorf("inset bounds %v, want [2.1 48.7 2.5 48.95]", b)
	}
	inset := nm.inset
	if !strings.Contains(string(inset), `"name":"75"`) || !strings.Contains(string(inset), `"name":"92"`) || strings.Contains(string(inset), `"name":"29"`) {
		t.Errorf("inset GeoJSON %s: want 75 and 92 only", inset)
	}
	// A map without Paris and its ring has no inset.
	none := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"29"},"geometry":{"type":"Polygon","coordinates":[[[-4.5,47.8],[-3.5,47.8],[-3.5,48.6],[-4.5,47.8]]]}}]}`)
	nm, err = readNationalMap(none)
	if nm.inset != nil || err != nil {
		t.Errorf("inset of a map without Île-de-France: %s, %v; want none", nm.inset, err)
	}
	if nm.insetBounds != nil {
		t.Errorf("inset bounds of a map without Île-de-France: %v; want none", nm.insetBounds)
	}
}
