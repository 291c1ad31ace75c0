package geo

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// The embedded reference files; data/SOURCES.md says where each comes from.
//
//go:embed data/departements.geojson data/departements_2026.csv data/communes_population_2026.csv data/communes_centroides_2024.csv data/cog_communes_2026.csv data/cog_mouvements_communes_2026.csv data/codes_postaux_2026.csv data/aav2020_communes_2025.csv data/epci_communes_2026.csv data/epci_2026.csv
var files embed.FS

const (
	fileShapes       = "data/departements.geojson"
	fileDepartements = "data/departements_2026.csv"
	fileCommunes     = "data/communes_population_2026.csv"
	fileCentroids    = "data/communes_centroides_2024.csv"
	fileCOG          = "data/cog_communes_2026.csv"
	fileMovements    = "data/cog_mouvements_communes_2026.csv"
	filePostalCodes  = "data/codes_postaux_2026.csv"
	fileAAV          = "data/aav2020_communes_2025.csv"
	fileEPCI         = "data/epci_communes_2026.csv"
	fileEPCIList     = "data/epci_2026.csv"
)

// ParseError reports a value of an embedded reference file that could not be
// parsed. It only happens if a data file was replaced by a malformed one.
type ParseError struct {
	File  string // embedded file, e.g. "data/cog_communes_2026.csv"
	Line  int    // 1-based line in File
	Field string // CSV column or GeoJSON member, e.g. "population_municipale"
	Value string // the offending value, possibly shortened
	Err   error
}

// Error returns "file:line: field "value": reason".
func (e *ParseError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s %q: %v", e.File, e.Line, e.Field, e.Value, e.Err)
}

// Unwrap returns the underlying reason.
func (e *ParseError) Unwrap() error { return e.Err }

// Departement is one of the 101 départements (96 in metropolitan France and
// the 5 overseas: 971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion,
// 976 Mayotte), as of COG 2026.
type Departement struct {
	Code       string // INSEE code: "01" … "95", "2A", "2B", "971" … "976"
	Nom        string // official name, e.g. "Pas-de-Calais"
	CodeRegion string // INSEE region code, e.g. "32"
	NomRegion  string // e.g. "Hauts-de-France"
	ChefLieu   string // commune code of the prefecture, e.g. "62041"
	Communes   int    // number of communes (TYPECOM COM) in COG 2026
	Population int64  // population municipale, INSEE legal populations in force in 2026

	// Geometry is the 2018 IGN Admin Express outline, simplified, in WGS84
	// (longitude, latitude). A single Polygon in the source becomes a
	// one-element MultiPolygon. Rings are closed; holes follow their outer
	// ring (e.g. the enclaves of Hautes-Pyrénées inside Pyrénées-Atlantiques).
	Geometry orb.MultiPolygon
}

// Departements returns the 101 départements sorted by code as strings ("19",
// "21", …, "29", "2A", "2B", "30", …, "976"), with their shapes. It returns an
// error naming the département if one has no shape, or if a shape has no
// département.
func Departements() ([]Departement, error) {
	deps, err := load(fileDepartements, parseDepartements)
	if err != nil {
		return nil, err
	}
	shapes, err := load(fileShapes, parseShapes)
	if err != nil {
		return nil, err
	}
	return withShapes(deps, shapes)
}

// parseDepartements reads departements_2026.csv, without geometry.
func parseDepartements(file string, src []byte) ([]Departement, error) {
	var deps []Departement
	err := parseCSV(file, src, []string{"code_departement", "nom", "code_region", "nom_region", "chef_lieu", "nb_communes", "population_municipale"}, func(r *row) error {
		d := Departement{Code: r.text(0), Nom: r.text(1), CodeRegion: r.text(2), NomRegion: r.text(3), ChefLieu: r.text(4)}
		if !validDepartement(d.Code) {
			return r.fail(0, errors.New("not a département code"))
		}
		if !validCode(d.ChefLieu) {
			return r.fail(4, errors.New("not a commune code"))
		}
		n, err := r.count(5)
		if err != nil {
			return err
		}
		d.Communes = int(n)
		if d.Population, err = r.count(6); err != nil {
			return err
		}
		deps = append(deps, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deps, nil
}

// withShapes sets the geometry of each département from shapes and sorts
// deps by code.
func withShapes(deps []Departement, shapes []shape) ([]Departement, error) {
	slices.SortFunc(deps, func(a, b Departement) int { return strings.Compare(a.Code, b.Code) })
	for i := 1; i < len(deps); i++ {
		if deps[i].Code == deps[i-1].Code {
			return nil, fmt.Errorf("département %s: listed twice in %s", deps[i].Code, fileDepartements)
		}
	}
	byCode := make(map[string]orb.MultiPolygon, len(shapes))
	for _, s := range shapes {
		if _, dup := byCode[s.code]; dup {
			return nil, fmt.Errorf("département %s: two shapes in %s", s.code, fileShapes)
		}
		byCode[s.code] = s.geom
	}
	for i := range deps {
		d := &deps[i]
		g, ok := byCode[d.Code]
		if !ok {
			return nil, fmt.Errorf("département %s (%s): no shape in %s", d.Code, d.Nom, fileShapes)
		}
		d.Geometry = g
		delete(byCode, d.Code)
	}
	if len(byCode) > 0 {
		extra := slices.Sorted(maps.Keys(byCode))
		return nil, fmt.Errorf("département %s: shape in %s but not listed in %s", extra[0], fileShapes, fileDepartements)
	}
	return deps, nil
}

// Commune is a current commune (TYPECOM COM) of COG 2026 with its legal
// population. Paris, Lyon and Marseille are single communes (75056, 69123,
// 13055) whose population is the sum of their arrondissements.
type Commune struct {
	Code                 string // INSEE code, 5 characters, e.g. "01001", "2A004"
	Nom                  string // official name, e.g. "L'Abergement-Clémenciat"
	CodeDepartement      string
	CodeRegion           string
	PopulationMunicipale int64 // people whose usual residence is in the commune
	PopulationTotale     int64 // population municipale plus people counted elsewhere (students, …)
}

// Communes returns the 34 875 communes of COG 2026, in file order (by code).
func Communes() ([]Commune, error) { return load(fileCommunes, parseCommunes) }

func parseCommunes(file string, src []byte) ([]Commune, error) {
	out := make([]Commune, 0, len(src)/36)
	err := parseCSV(file, src, []string{"code_insee", "nom", "code_departement", "code_region", "population_municipale", "population_totale"}, func(r *row) error {
		c := Commune{Code: r.text(0), Nom: r.text(1), CodeDepartement: r.text(2), CodeRegion: r.text(3)}
		if !validCode(c.Code) {
			return r.fail(0, errors.New("not a commune code"))
		}
		if !validDepartement(c.CodeDepartement) {
			return r.fail(2, errors.New("not a département code"))
		}
		var err error
		if c.PopulationMunicipale, err = r.count(4); err != nil {
			return err
		}
		if c.PopulationTotale, err = r.count(5); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Centroid is the reference point of a commune or municipal arrondissement
// as of COG 2024, with census figures for 2021. Communes merged or created
// after 2024 appear under their 2024 codes; resolve them with [Codes].
type Centroid struct {
	Code             string    // INSEE code as of 2024
	Type             string    // "COM" (commune) or "ARM" (arrondissement of Paris, Lyon, Marseille)
	Point            orb.Point // WGS84, longitude then latitude
	AreaKm2          float64   // area in km²; 0 when the source leaves it empty (17 rows)
	Population2021   int64     // census 2021 population
	Population15to64 int64     // of which aged 15 to 64
}

// Centroids returns one centroid per commune and arrondissement of
// communes_centroides_2024.csv (34 973 rows), in file order. Paris, Lyon and
// Marseille appear only as their arrondissements.
func Centroids() ([]Centroid, error) { return load(fileCentroids, parseCentroids) }

func parseCentroids(file string, src []byte) ([]Centroid, error) {
	out := make([]Centroid, 0, len(src)/42)
	err := parseCSV(file, src, []string{"code_insee", "type", "latitude", "longitude", "superficie_km2", "population_2021", "population_15_64_2021"}, func(r *row) error {
		c := Centroid{Code: r.text(0), Type: r.text(1)}
		if !validCode(c.Code) {
			return r.fail(0, errors.New("not a commune code"))
		}
		if c.Type != "COM" && c.Type != "ARM" {
			return r.fail(1, errors.New("want COM or ARM"))
		}
		lat, err := r.float(2, -90, 90)
		if err != nil {
			return err
		}
		lon, err := r.float(3, -180, 180)
		if err != nil {
			return err
		}
		c.Point = orb.Point{lon, lat}
		if r.text(4) != "" {
			if c.AreaKm2, err = r.float(4, 0, math.MaxFloat64); err != nil {
				return err
			}
		}
		if c.Population2021, err = r.count(5); err != nil {
			return err
		}
		if c.Population15to64, err = r.count(6); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// COGCommune is one row of the COG 2026 commune file. The same code can
// appear twice: a commune nouvelle usually keeps the code of one of its
// communes déléguées, so "01015" is both the COM Arboys en Bugey and the COMD
// Arbignieu.
type COGCommune struct {
	Type            string // TYPECOM: "COM" commune, "COMD" commune déléguée, "COMA" commune associée, "ARM" arrondissement municipal
	Code            string // COM
	CodeRegion      string // REG; empty for COMD and COMA
	CodeDepartement string // DEP; empty for COMD and COMA
	Nom             string // LIBELLE, e.g. "L'Abergement-Clémenciat"
	Parent          string // COMPARENT: the COM a COMD, COMA or ARM belongs to; empty for COM
}

// COGCommunes returns all 37 496 rows of the COG 2026 commune file (34 875
// COM, 2 105 COMD, 471 COMA, 45 ARM), in file order.
func COGCommunes() ([]COGCommune, error) { return load(fileCOG, parseCOG) }

func parseCOG(file string, src []byte) ([]COGCommune, error) {
	out := make([]COGCommune, 0, len(src)/71)
	err := parseCSV(file, src, []string{"TYPECOM", "COM", "REG", "DEP", "LIBELLE", "COMPARENT"}, func(r *row) error {
		c := COGCommune{Type: r.text(0), Code: r.text(1), CodeRegion: r.text(2), CodeDepartement: r.text(3), Nom: r.text(4), Parent: r.text(5)}
		switch c.Type {
		case "COM":
			if c.Parent != "" {
				return r.fail(5, errors.New("a COM has no parent"))
			}
			if !validDepartement(c.CodeDepartement) {
				return r.fail(3, errors.New("not a département code"))
			}
		case "COMD", "COMA", "ARM":
			if !validCode(c.Parent) {
				return r.fail(5, errors.New("not a commune code"))
			}
		default:
			return r.fail(0, errors.New("want COM, COMD, COMA or ARM"))
		}
		if !validCode(c.Code) {
			return r.fail(1, errors.New("not a commune code"))
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Movement is one row of the COG history of communes since 1943: a commune
// (Before) changed into another (After) on Date. An event such as a merger is
// several rows sharing Mod and Date, one per (before, after) pair.
type Movement struct {
	// Mod is the INSEE event type: 10 name change, 20 creation, 21
	// re-establishment, 30 deletion, 31 simple merger, 32 commune nouvelle,
	// 33 merger-association, 34 association turned into simple merger, 35
	// deletion of a commune déléguée, 41 code change on a change of
	// département, 50 code change on a transfer of chef-lieu, 70–72 changes
	// between associated and delegated status.
	Mod        int
	Date       string // DATE_EFF, effective date, YYYY-MM-DD
	TypeBefore string // TYPECOM_AV; empty for a creation (Mod 20)
	CodeBefore string // COM_AV; empty for a creation
	NomBefore  string // LIBELLE_AV
	TypeAfter  string // TYPECOM_AP; empty for a deletion without successor
	CodeAfter  string // COM_AP
	NomAfter   string // LIBELLE_AP
}

// Movements returns the rows of the COG 2026 history of communes, in file
// order (most recent first).
func Movements() ([]Movement, error) { return load(fileMovements, parseMovements) }

func parseMovements(file string, src []byte) ([]Movement, error) {
	out := make([]Movement, 0, len(src)/123)
	err := parseCSV(file, src, []string{"MOD", "DATE_EFF", "TYPECOM_AV", "COM_AV", "LIBELLE_AV", "TYPECOM_AP", "COM_AP", "LIBELLE_AP"}, func(r *row) error {
		m := Movement{Date: r.text(1), TypeBefore: r.text(2), CodeBefore: r.text(3), NomBefore: r.text(4), TypeAfter: r.text(5), CodeAfter: r.text(6), NomAfter: r.text(7)}
		mod, err := strconv.Atoi(r.text(0))
		if err != nil || mod <= 0 {
			return r.fail(0, errors.New("not a positive integer"))
		}
		m.Mod = mod
		if _, err := time.Parse(time.DateOnly, m.Date); err != nil {
			return r.fail(1, errors.New("not a date YYYY-MM-DD"))
		}
		if m.CodeBefore != "" && !validCode(m.CodeBefore) {
			return r.fail(3, errors.New("not a commune code"))
		}
		if m.CodeAfter != "" && !validCode(m.CodeAfter) {
			return r.fail(6, errors.New("not a commune code"))
		}
		if m.CodeBefore == "" && m.CodeAfter == "" {
			return r.fail(3, errors.New("neither COM_AV nor COM_AP is set"))
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// row is the current record of eachRow, with the wanted columns in the order
// they were asked for.
type row struct {
	file    string
	columns []string
	values  []string
	lines   []int
}

func (r *row) text(i int) string { return r.values[i] }

// fail returns a *ParseError for column i of the row.
func (r *row) fail(i int, err error) error {
	v := r.values[i]
	if len(v) > 80 {
		v = v[:80] + "…"
	}
	return &ParseError{File: r.file, Line: r.lines[i], Field: r.columns[i], Value: v, Err: err}
}

// count parses column i as a non-negative integer.
func (r *row) count(i int) (int64, error) {
	n, err := strconv.ParseInt(r.values[i], 10, 64)
	if err != nil {
		return 0, r.fail(i, errors.New("not an integer"))
	}
	if n < 0 {
		return 0, r.fail(i, errors.New("negative"))
	}
	return n, nil
}

// float parses column i as a finite number within [lo, hi].
func (r *row) float(i int, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(r.values[i], 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, r.fail(i, errors.New("not a number"))
	}
	if f < lo || f > hi {
		return 0, r.fail(i, fmt.Errorf("out of range [%g, %g]", lo, hi))
	}
	return f, nil
}

// AttractionArea is a commune's place in Insee's zonage en aires
// d'attraction des villes 2020 (AAV2020): whether it is in the pôle
// (centre) of an area, in its couronne, or outside any area, and the size
// of its area.
type AttractionArea struct {
	Code string // INSEE commune code (COG 2025, the same 34 875 communes as COG 2026)
	// Category is CATEAAV2020: 11 commune-centre, 12 other commune of the
	// main pôle, 13 commune of a secondary pôle, 20 commune of the
	// couronne, 30 commune outside the attraction of cities.
	Category int
	// Size is TAAV2017, the tranche of the area's population: 0 outside
	// any area, 1 under 50 000, 2 50 000 to 200 000, 3 200 000 to 700 000,
	// 4 700 000 or more (outside Paris), 5 the area of Paris.
	Size int
}

// AttractionAreas returns every commune's AAV2020 category and area size
// (34 875 rows, sorted by code).
func AttractionAreas() ([]AttractionArea, error) { return load(fileAAV, parseAttractionAreas) }

func parseAttractionAreas(file string, src []byte) ([]AttractionArea, error) {
	out := make([]AttractionArea, 0, 35000)
	err := parseCSV(file, src, []string{"code_insee", "cateaav2020", "taav2017"}, func(r *row) error {
		a := AttractionArea{Code: r.text(0)}
		if !validCode(a.Code) {
			return r.fail(0, errors.New("not a commune code"))
		}
		c, err := r.count(1)
		if err != nil {
			return err
		}
		if c != 11 && c != 12 && c != 13 && c != 20 && c != 30 {
			return r.fail(1, errors.New("want 11, 12, 13, 20 or 30"))
		}
		z, err := r.count(2)
		if err != nil {
			return err
		}
		if z > 5 {
			return r.fail(2, errors.New("want 0 to 5"))
		}
		if (c == 30) != (z == 0) {
			return r.fail(2, errors.New("a commune is outside any area (category 30) exactly when its area size is 0"))
		}
		a.Category, a.Size = int(c), int(z)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CommuneEPCI is a commune's intercommunality (EPCI à fiscalité propre).
type CommuneEPCI struct {
	Code string // INSEE commune code
	EPCI string // SIREN of the EPCI; empty for the four island communes in none
}

// EPCIs returns every current commune's EPCI, as of 1 January 2026 (DGCL,
// 34 875 rows sorted by commune code).
func EPCIs() ([]CommuneEPCI, error) { return load(fileEPCI, parseEPCIs) }

func parseEPCIs(file string, src []byte) ([]CommuneEPCI, error) {
	out := make([]CommuneEPCI, 0, 35000)
	err := parseCSV(file, src, []string{"code_insee", "code_epci"}, func(r *row) error {
		c := CommuneEPCI{Code: r.text(0), EPCI: r.text(1)}
		if !validCode(c.Code) {
			return r.fail(0, errors.New("not a commune code"))
		}
		if c.EPCI != "" && (len(c.EPCI) != 9 || !digits(c.EPCI)) {
			return r.fail(1, errors.New("want a SIREN (9 digits) or nothing"))
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EPCI is an intercommunality (EPCI à fiscalité propre) of 1 January 2026.
type EPCI struct {
	Code       string // SIREN
	Name       string // as the DGCL writes it: "CC du Pays de Lunel"
	Type       string // CC, CA, CU, METRO or MET69 (the Métropole de Lyon)
	Population int64  // municipal population of its communes (DGCL)
}

// EPCITypes are the kinds of EPCI à fiscalité propre: communauté de
// communes, d'agglomération, urbaine, métropole, Métropole de Lyon.
var EPCITypes = []string{"CC", "CA", "CU", "METRO", "MET69"}

// EPCIList returns the 1 255 EPCI of 1 January 2026 (DGCL), sorted by SIREN.
func EPCIList() ([]EPCI, error) { return load(fileEPCIList, parseEPCIList) }

func parseEPCIList(file string, src []byte) ([]EPCI, error) {
	out := make([]EPCI, 0, 1300)
	err := parseCSV(file, src, []string{"code_epci", "nom", "type", "population_municipale"}, func(r *row) error {
		e := EPCI{Code: r.text(0), Name: r.text(1), Type: r.text(2)}
		if len(e.Code) != 9 || !digits(e.Code) {
			return r.fail(0, errors.New("want a SIREN (9 digits)"))
		}
		if strings.TrimSpace(e.Name) == "" {
			return r.fail(1, errors.New("empty name"))
		}
		if !slices.Contains(EPCITypes, e.Type) {
			return r.fail(2, fmt.Errorf("want one of %s", strings.Join(EPCITypes, ", ")))
		}
		p, err := strconv.ParseInt(r.text(3), 10, 64)
		if err != nil || p < 0 {
			return r.fail(3, errors.New("want a population (a whole number ≥ 0)"))
		}
		e.Population = p
		if n := len(out); n > 0 && out[n-1].Code >= e.Code {
			return r.fail(0, errors.New("not sorted by SIREN, or repeated"))
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// load parses an embedded file.
func load[T any](file string, parse func(file string, src []byte) (T, error)) (T, error) {
	src, err := files.ReadFile(file)
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(file, src)
}

// parseCSV calls fn for each record of src after the header, with the
// columns picked by header name. It stops at the first error.
func parseCSV(file string, src []byte, columns []string, fn func(*row) error) error {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(src))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return &ParseError{File: file, Line: 1, Err: errors.New("empty file")}
	}
	if err != nil {
		return csvError(file, err)
	}
	idx := make([]int, len(columns))
	for i, name := range columns {
		idx[i] = slices.Index(header, name)
		if idx[i] < 0 {
			return &ParseError{File: file, Line: 1, Field: name, Err: errors.New("missing column")}
		}
	}
	r := &row{file: file, columns: columns, values: make([]string, len(columns)), lines: make([]int, len(columns))}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(file, err)
		}
		for i, j := range idx {
			r.values[i] = rec[j]
			r.lines[i], _ = cr.FieldPos(j)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

func csvError(file string, err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return &ParseError{File: file, Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("%s: %w", file, err)
}

// validCode reports whether s has the shape of an INSEE commune code: five
// digits, or 2A/2B followed by three digits. It does not check that the code
// exists.
func validCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	if s[0] == '2' && (s[1] == 'A' || s[1] == 'B') {
		return digits(s[2:])
	}
	return digits(s)
}

// validDepartement reports whether s has the shape of a département code:
// two digits, 2A, 2B, or three digits starting with 97.
func validDepartement(s string) bool {
	switch len(s) {
	case 2:
		return digits(s) || s == "2A" || s == "2B"
	case 3:
		return digits(s) && s[:2] == "97"
	}
	return false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// Fingerprint is a SHA-256 over every embedded reference file, in hex: it
// changes whenever the reference data shipped in the binary change, so a
// database can tell whether its copy is current.
func Fingerprint() (string, error) {
	entries, err := files.ReadDir("data")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries { // ReadDir sorts by name
		b, err := files.ReadFile("data/" + e.Name())
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
