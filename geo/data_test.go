package geo

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The loaders parse megabytes; tests share one parse of each.
var (
	testDepartements = sync.OnceValues(Departements)
	testCommunes     = sync.OnceValues(Communes)
	testCentroids    = sync.OnceValues(Centroids)
	testCOG          = sync.OnceValues(COGCommunes)
	testMovements    = sync.OnceValues(Movements)
)

func mustLoad[T any](t testing.TB, load func() (T, error)) T {
	t.Helper()
	v, err := load()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDepartements(t *testing.T) {
	deps := mustLoad(t, testDepartements)
	if len(deps) != 101 {
		t.Fatalf("Departements() returned %d départements, want 101", len(deps))
	}
	if !slices.IsSortedFunc(deps, func(a, b Departement) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Departements() not sorted by code")
	}
	var communes int
	var pop int64
	for _, d := range deps {
		communes += d.Communes
		pop += d.Population
		if len(d.Geometry) == 0 {
			t.Errorf("département %s has no geometry", d.Code)
		}
		if DepartementOf(d.ChefLieu) != d.Code {
			t.Errorf("département %s: chef-lieu %s is elsewhere", d.Code, d.ChefLieu)
		}
	}
	if communes != 34875 || pop != 68350798 {
		t.Errorf("Departements() total %d communes and %d inhabitants, want 34875 and 68350798", communes, pop)
	}
	want := map[string]Departement{
		"2A":  {Code: "2A", Nom: "Corse-du-Sud", CodeRegion: "94", NomRegion: "Corse", ChefLieu: "2A004"},
		"59":  {Code: "59", Nom: "Nord", CodeRegion: "32", NomRegion: "Hauts-de-France", ChefLieu: "59350"},
		"976": {Code: "976", Nom: "Mayotte", CodeRegion: "06", NomRegion: "Mayotte", ChefLieu: "97611"},
	}
	for _, d := range deps {
		w, ok := want[d.Code]
		if !ok {
			continue
		}
		got := Departement{Code: d.Code, Nom: d.Nom, CodeRegion: d.CodeRegion, NomRegion: d.NomRegion, ChefLieu: d.ChefLieu}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("département %s mismatch (-want +got):\n%s", d.Code, diff)
		}
	}
}

func TestCommunes(t *testing.T) {
	communes := mustLoad(t, testCommunes)
	deps := mustLoad(t, testDepartements)
	if len(communes) != 34875 {
		t.Fatalf("Communes() returned %d communes, want 34875", len(communes))
	}
	count := make(map[string]int)
	pop := make(map[string]int64)
	seen := make(map[string]bool)
	for _, c := range communes {
		if seen[c.Code] {
			t.Errorf("commune %s listed twice", c.Code)
		}
		seen[c.Code] = true
		if got := DepartementOf(c.Code); got != c.CodeDepartement {
			t.Errorf("commune %s: DepartementOf = %q, file says %q", c.Code, got, c.CodeDepartement)
		}
		count[c.CodeDepartement]++
		pop[c.CodeDepartement] += c.PopulationMunicipale
	}
	for _, d := range deps {
		if count[d.Code] != d.Communes || pop[d.Code] != d.Population {
			t.Errorf("département %s: communes sum to %d communes, %d inhabitants; departements_2026.csv says %d, %d",
				d.Code, count[d.Code], pop[d.Code], d.Communes, d.Population)
		}
	}
	for _, code := range []string{"01001", "2A004", "75056", "69123", "13055", "97611"} {
		if !seen[code] {
			t.Errorf("commune %s missing", code)
		}
	}
}

func TestCentroids(t *testing.T) {
	cs := mustLoad(t, testCentroids)
	if len(cs) != 34973 {
		t.Errorf("Centroids() returned %d rows, want 34973", len(cs))
	}
	var arm, noArea int
	var odd []string
	for _, c := range cs {
		if c.Type == "ARM" {
			arm++
		}
		if c.AreaKm2 == 0 {
			noArea++
		}
		if c.Population15to64 > c.Population2021 {
			odd = append(odd, c.Code)
		}
	}
	// A known defect of the source: 60054 Beaumont-les-Nonains has 571
	// people aged 15–64 out of 335.
	if diff := cmp.Diff([]string{"60054"}, odd); diff != "" {
		t.Errorf("centroids with more people aged 15–64 than inhabitants (-want +got):\n%s", diff)
	}
	if arm != 45 || noArea != 17 {
		t.Errorf("Centroids() has %d ARM and %d without area, want 45 and 17", arm, noArea)
	}
	if got, want := cs[0], (Centroid{Code: "01001", Type: "COM", Point: [2]float64{4.9306, 46.1517}, AreaKm2: 15.95, Population2021: 832, Population15to64: 508}); got != want {
		t.Errorf("Centroids()[0] = %+v, want %+v", got, want)
	}
}

func TestCOGCommunes(t *testing.T) {
	cog := mustLoad(t, testCOG)
	byType := make(map[string]int)
	for _, c := range cog {
		byType[c.Type]++
	}
	want := map[string]int{"COM": 34875, "COMD": 2105, "COMA": 471, "ARM": 45}
	if diff := cmp.Diff(want, byType); diff != "" {
		t.Errorf("COGCommunes() rows by type (-want +got):\n%s", diff)
	}
}

func TestMovements(t *testing.T) {
	mv := mustLoad(t, testMovements)
	if len(mv) != 13734 {
		t.Errorf("Movements() returned %d rows, want 13734", len(mv))
	}
	want := Movement{Mod: 34, Date: "2026-01-01", TypeBefore: "COMA", CodeBefore: "01324", NomBefore: "Rignat", TypeAfter: "COM", CodeAfter: "01245", NomAfter: "Bohas-Meyriat-Rignat"}
	if diff := cmp.Diff(want, mv[0]); diff != "" {
		t.Errorf("Movements()[0] mismatch (-want +got):\n%s", diff)
	}
}

// parsers maps a testdata/parse file prefix to the parser it feeds.
var parsers = map[string]func(file string, src []byte) error{
	"communes":     func(f string, s []byte) error { _, err := parseCommunes(f, s); return err },
	"centroids":    func(f string, s []byte) error { _, err := parseCentroids(f, s); return err },
	"cog":          func(f string, s []byte) error { _, err := parseCOG(f, s); return err },
	"movements":    func(f string, s []byte) error { _, err := parseMovements(f, s); return err },
	"departements": func(f string, s []byte) error { _, err := parseDepartements(f, s); return err },
	"shapes":       func(f string, s []byte) error { _, err := parseShapes(f, s); return err },
}

func parserFor(t testing.TB, name string) func(string, []byte) error {
	prefix, _, _ := strings.Cut(name, "_")
	p, ok := parsers[prefix]
	if !ok {
		t.Fatalf("no parser for testdata/parse/%s", name)
	}
	return p
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file  string
		line  int    // 0: no error
		field string // "" for a CSV syntax error
	}{
		{"communes_ok.csv", 0, ""},
		{"communes_bad_population.csv", 3, "population_municipale"},
		{"communes_bad_code.csv", 2, "code_insee"},
		{"communes_missing_column.csv", 1, "population_totale"},
		{"communes_quote.csv", 2, ""},
		{"centroids_ok.csv", 0, ""},
		{"centroids_bad_latitude.csv", 2, "latitude"},
		{"cog_ok.csv", 0, ""},
		{"cog_bad_type.csv", 2, "TYPECOM"},
		{"movements_ok.csv", 0, ""},
		{"movements_bad_date.csv", 2, "DATE_EFF"},
		{"departements_ok.csv", 0, ""},
		{"shapes_ok.geojson", 0, ""},
		{"shapes_bad_type.geojson", 3, "features[1].geometry"},
		{"shapes_bad_latitude.geojson", 2, "features[0].geometry"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "parse", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			err = parserFor(t, tt.file)(tt.file, src)
			if tt.line == 0 {
				if err != nil {
					t.Fatalf("parse %s: %v", tt.file, err)
				}
				return
			}
			pe, ok := errors.AsType[*ParseError](err)
			if !ok {
				t.Fatalf("parse %s: error %v, want a *ParseError", tt.file, err)
			}
			if pe.File != tt.file || pe.Line != tt.line || pe.Field != tt.field {
				t.Errorf("parse %s: error at %s:%d field %q, want %s:%d field %q (%v)", tt.file, pe.File, pe.Line, pe.Field, tt.file, tt.line, tt.field, err)
			}
		})
	}
}

// FuzzParse feeds every parser arbitrary bytes: they must not panic, and any
// error must be a *ParseError.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "parse"))
	if err != nil {
		f.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join("testdata", "parse", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		names = append(names, e.Name())
		f.Add(uint8(len(names)-1), src)
	}
	f.Fuzz(func(t *testing.T, which uint8, src []byte) {
		name := names[int(which)%len(names)]
		err := parserFor(t, name)(name, src)
		if err == nil {
			return
		}
		if _, ok := errors.AsType[*ParseError](err); !ok {
			t.Errorf("parse %s: error %v is not a *ParseError", name, err)
		}
	})
}

// TestAttractionAreas checks the AAV2020 table against Insee's counts and a
// few communes known by hand, and that it covers exactly the communes of
// COG 2026.
func TestAttractionAreas(t *testing.T) {
	as, err := AttractionAreas()
	if err != nil {
		t.Fatal(err)
	}
	byCat, bySize := map[int]int{}, map[int]int{}
	byCode := map[string]AttractionArea{}
	for _, a := range as {
		byCat[a.Category]++
		bySize[a.Size]++
		byCode[a.Code] = a
	}
	// 692 commune-centres: the 699 areas less the 7 whose centre is abroad
	// (Geneva, Luxembourg, Basel…).
	if want := map[int]int{11: 692, 12: 1017, 13: 33, 20: 24236, 30: 8897}; !maps.Equal(byCat, want) {
		t.Errorf("communes by category = %v, want %v", byCat, want)
	}
	if want := map[int]int{0: 8897, 1: 7825, 2: 7810, 3: 5685, 4: 2732, 5: 1926}; !maps.Equal(bySize, want) {
		t.Errorf("communes by area size = %v, want %v", bySize, want)
	}
	for code, want := range map[string]AttractionArea{
		"75056": {"75056", 11, 5}, // Paris
		"59350": {"59350", 11, 4}, // Lille
		"48095": {"48095", 11, 1}, // Mende
		"15001": {"15001", 30, 0}, // Allanche, Cantal
		"01001": {"01001", 20, 1}, // L'Abergement-Clémenciat
	} {
		if got := byCode[code]; got != want {
			t.Errorf("%s = %+v, want %+v", code, got, want)
		}
	}
	communes := mustLoad(t, testCommunes)
	for _, c := range communes {
		if _, ok := byCode[c.Code]; !ok {
			t.Errorf("commune %s has no AAV2020 row", c.Code)
		}
	}
	if len(as) != len(communes) {
		t.Errorf("%d AAV2020 rows for %d communes", len(as), len(communes))
	}
	_, err = parseAttractionAreas("aav.csv", []byte("code_insee,cateaav2020,taav2017\n01001,30,1\n"))
	if pe, ok := errors.AsType[*ParseError](err); !ok || pe.Line != 2 || pe.Field != "taav2017" {
		t.Errorf("a category 30 commune in an area: %v, want a ParseError on line 2, taav2017", err)
	}
}

// TestEPCIs checks the EPCI composition: every current commune once, 1 255
// EPCI, four island communes in none, and a few communes by hand.
func TestEPCIs(t *testing.T) {
	es, err := EPCIs()
	if err != nil {
		t.Fatal(err)
	}
	epcis := map[string]bool{}
	var none []string
	byCode := map[string]string{}
	for _, e := range es {
		byCode[e.Code] = e.EPCI
		if e.EPCI == "" {
			none = append(none, e.Code)
		} else {
			epcis[e.EPCI] = true
		}
	}
	if len(es) != 34875 || len(epcis) != 1255 {
		t.Errorf("%d communes in %d EPCI, want 34 875 in 1 255", len(es), len(epcis))
	}
	// Bréhat, Ouessant, Île-de-Sein, L'Île-d'Yeu.
	if diff := cmp.Diff([]string{"22016", "29083", "29155", "85113"}, none); diff != "" {
		t.Errorf("communes without an EPCI (-want +got):\n%s", diff)
	}
	for code, want := range map[string]string{
		"59350": "200093201", // Lille: Métropole européenne de Lille
		"75056": "200054781", // Paris: Métropole du Grand Paris
	} {
		if got := byCode[code]; got != want {
			t.Errorf("EPCI of %s = %s, want %s", code, got, want)
		}
	}
	communes := mustLoad(t, testCommunes)
	for _, c := range communes {
		if _, ok := byCode[c.Code]; !ok {
			t.Errorf("commune %s missing", c.Code)
		}
	}
}

// TestEPCIList checks the list of EPCI against the composition: the same
// 1 255 SIREN on both sides, a name and a type for each, and a few by hand.
func TestEPCIList(t *testing.T) {
	list, err := EPCIList()
	if err != nil {
		t.Fatal(err)
	}
	members, err := EPCIs()
	if err != nil {
		t.Fatal(err)
	}
	communes := map[string]int{}
	for _, m := range members {
		if m.EPCI != "" {
			communes[m.EPCI]++
		}
	}
	types := map[string]int{}
	byCode := map[string]EPCI{}
	for _, e := range list {
		byCode[e.Code] = e
		types[e.Type]++
		if communes[e.Code] == 0 {
			t.Errorf("EPCI %s (%s) has no commune", e.Code, e.Name)
		}
	}
	for code := range communes {
		if _, ok := byCode[code]; !ok {
			t.Errorf("communes name EPCI %s, which the list lacks", code)
		}
	}
	// DGCL, 1 January 2026: 989 communautés de communes, 230
	// d'agglomération, 14 urbaines, 21 métropoles and the Métropole de Lyon.
	if diff := cmp.Diff(map[string]int{"CC": 989, "CA": 230, "CU": 14, "METRO": 21, "MET69": 1}, types); diff != "" {
		t.Errorf("EPCI by type (-want +got):\n%s", diff)
	}
	for code, want := range map[string]EPCI{
		"200093201": {Code: "200093201", Name: "Métropole Européenne de Lille", Type: "METRO"},
		"200054781": {Code: "200054781", Name: "Métropole du Grand Paris", Type: "METRO"},
	} {
		got := byCode[code]
		got.Population = 0
		if got != want {
			t.Errorf("EPCI %s = %+v, want %+v", code, got, want)
		}
	}
}

func FuzzParseEPCIList(f *testing.F) {
	f.Add([]byte("code_epci,nom,type,population_municipale\n200000172,CC Faucigny - Glières,CC,28363\n"))
	f.Add([]byte("code_epci,nom,type,population_municipale\n20000017,\"a, b\",XX,-1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		list, err := parseEPCIList("epci.csv", src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "epci.csv" {
				t.Fatalf("error %v is not a ParseError naming the file", err)
			}
			return
		}
		for i, e := range list {
			if len(e.Code) != 9 || e.Name == "" || !slices.Contains(EPCITypes, e.Type) || e.Population < 0 || (i > 0 && list[i-1].Code >= e.Code) {
				t.Fatalf("accepted a bad EPCI: %+v", e)
			}
		}
	})
}
