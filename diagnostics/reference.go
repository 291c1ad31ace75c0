package diagnostics

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// The published figures the small-area model rests on, embedded; provenance
// in data/SOURCES.md.
//
//go:embed data/marges_illectronisme.csv data/structure_nationale.csv data/estimations_locales_publiees.csv
var data embed.FS

// MarginsFile is the name of the built-in margins file.
const MarginsFile = "marges_illectronisme.csv"

// marginColumns are the columns of a margins file, in order.
var marginColumns = []string{"id", "annee", "champ", "dimension", "modalite", "libelle", "taux_pct",
	"tolerance_pt", "erreur_type_pt", "usage", "reference", "source", "url", "statut"}

// DefaultMargins returns the built-in margins: Insee's published rates.
func DefaultMargins() ([]Margin, error) {
	b, err := data.ReadFile("data/" + MarginsFile)
	if err != nil {
		return nil, err
	}
	return ParseMargins(MarginsFile, bytes.NewReader(b))
}

// LoadMargins reads a margins file (the configuration's
// illectronism_margins), in the layout of the built-in one.
func LoadMargins(path string) ([]Margin, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("margins: %w", err)
	}
	defer f.Close()
	return ParseMargins(path, f)
}

// MarginError is a problem with one field of a margins or structure file.
type MarginError struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *MarginError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s line %d, column %s: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *MarginError) Unwrap() error { return e.Err }

// ParseMargins reads margins in CSV (UTF-8, comma-separated, a header naming
// the columns of the built-in file) and checks each row: a known use, a
// rate in ]0, 100[, a tolerance and a standard error ≥ 0, a group the model
// can describe (unless not modelled), a reference that exists and is of use
// reference, unique ids. name is used in messages.
func ParseMargins(name string, r io.Reader) ([]Margin, error) {
	rows, err := readCSV(name, r, marginColumns)
	if err != nil {
		return nil, err
	}
	var out []Margin
	seen := map[string]int{}
	for _, row := range rows {
		bad := func(col string, err error) error {
			return &MarginError{File: name, Line: row.line, Column: col, Err: err}
		}
		m := Margin{ID: row.get("id"), Field: row.get("champ"), Dimension: row.get("dimension"),
			Level: row.get("modalite"), Label: row.get("libelle"), Use: row.get("usage"),
			Ref: row.get("reference"), Source: row.get("source"), URL: row.get("url"), Status: row.get("statut")}
		if m.ID == "" {
			return nil, bad("id", errors.New("empty"))
		}
		if l, dup := seen[m.ID]; dup {
			return nil, bad("id", fmt.Errorf("%q already on line %d", m.ID, l))
		}
		seen[m.ID] = row.line
		if m.Year, err = strconv.Atoi(row.get("annee")); err != nil {
			return nil, bad("annee", fmt.Errorf("want a year, got %q", row.get("annee")))
		}
		if !slices.Contains(uses, m.Use) {
			return nil, bad("usage", fmt.Errorf("%q: want one of %s", m.Use, strings.Join(uses, ", ")))
		}
		pct, err := number(row.get("taux_pct"))
		if err != nil || pct <= 0 || pct >= 100 {
			return nil, bad("taux_pct", fmt.Errorf("want a percentage in ]0, 100[, got %q", row.get("taux_pct")))
		}
		m.Rate = pct / 100
		for col, dst := range map[string]*float64{"tolerance_pt": &m.Tolerance, "erreur_type_pt": &m.StdErr} {
			v, err := number(row.get(col))
			if err != nil || v < 0 {
				return nil, bad(col, fmt.Errorf("want points ≥ 0, got %q", row.get(col)))
			}
			*dst = v / 100
		}
		if m.Use != UseNotModelled {
			if err := checkField(m.Field); err != nil {
				return nil, bad("champ", err)
			}
			if _, err := cellSet(m.Dimension, m.Level); err != nil {
				return nil, bad("modalite", err)
			}
		}
		if m.relative() != (m.Ref != "") {
			return nil, bad("reference", fmt.Errorf("a reference is needed with usage %s, %s, %s and %s, and only then", UseStructure2019, UseBenchmark, UseCheck2019, UseValidation))
		}
		if strings.HasPrefix(m.Field, "departement:") && m.Use != UseValidation {
			return nil, bad("champ", fmt.Errorf("a département's figure can only be of usage %s", UseValidation))
		}
		out = append(out, m)
	}
	byID := map[string]Margin{}
	for _, m := range out {
		byID[m.ID] = m
	}
	for _, m := range out {
		if m.Ref == "" {
			continue
		}
		if ref, ok := byID[m.Ref]; !ok || ref.Use != UseReference {
			return nil, &MarginError{File: name, Line: seen[m.ID], Column: "reference", Err: fmt.Errorf("%q is not a margin of usage %s", m.Ref, UseReference)}
		}
	}
	if len(constraints(out, Central, "")) == 0 {
		return nil, fmt.Errorf("%s: no margin of usage %s or %s: nothing to calibrate on", name, UseCalibration, UseCalibration2021)
	}
	if first := constraints(out, Central, "")[0]; first.Field != "france_hors_mayotte" || first.Dimension != "ensemble" {
		return nil, fmt.Errorf("%s: the first margin to calibrate on must be the national rate (champ france_hors_mayotte, dimension ensemble), got %s", name, first.ID)
	}
	return out, nil
}

// checkField checks a margin's territory.
func checkField(f string) error {
	switch {
	case f == "france_hors_mayotte", f == "metropole", f == "dom_hors_mayotte":
		return nil
	case strings.HasPrefix(f, "region:") && len(f) == len("region:")+2:
		return nil
	case strings.HasPrefix(f, "departement:") && len(f) > len("departement:"):
		return nil
	}
	return fmt.Errorf("%q: want france_hors_mayotte, metropole, dom_hors_mayotte, region:<code> or departement:<code>", f)
}

// LocalEstimate is a published estimate of the rate of illectronism of a
// territory below the département (Insee's intercommunal estimates), never
// used by the model: what it is compared with (mart_illectronism_local).
type LocalEstimate struct {
	Level, Code, Label string // level: epci (Code: its SIREN)
	// Region is the INSEE code of the région the estimate covers: an EPCI
	// astride two régions is compared on its communes of this one.
	Region string
	Year   int
	Rate   float64 // 0–1
	People float64 // people in illectronism, as published
	// Ref is the ID of the margin the estimate's scale is read against (the
	// 2019 metropolitan rate for a 2019 estimate): the model's rate is
	// compared as its ratio to the model's rate of that margin's group.
	Ref         string
	Source, URL string
}

// localColumns are the columns of a file of published local estimates.
var localColumns = []string{"niveau", "code", "libelle", "region", "annee", "taux_pct", "personnes", "reference", "source", "url"}

// DefaultLocalEstimates returns the built-in published local estimates:
// Insee's 93 intercommunal estimates of Hauts-de-France (2019).
func DefaultLocalEstimates() ([]LocalEstimate, error) {
	const name = "estimations_locales_publiees.csv"
	b, err := data.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	return ParseLocalEstimates(name, bytes.NewReader(b))
}

// ParseLocalEstimates reads published local estimates (niveau, code,
// libelle, region, annee, taux_pct, personnes, reference, source, url) and
// checks each row: level epci with a SIREN, a région code, a rate in
// ]0, 100[, people ≥ 0, a reference, no territory twice.
func ParseLocalEstimates(name string, r io.Reader) ([]LocalEstimate, error) {
	rows, err := readCSV(name, r, localColumns)
	if err != nil {
		return nil, err
	}
	var out []LocalEstimate
	seen := map[string]int{}
	for _, row := range rows {
		bad := func(col string, err error) error {
			return &MarginError{File: name, Line: row.line, Column: col, Err: err}
		}
		e := LocalEstimate{Level: row.get("niveau"), Code: row.get("code"), Label: row.get("libelle"), Region: row.get("region"),
			Ref: row.get("reference"), Source: row.get("source"), URL: row.get("url")}
		if e.Level != "epci" {
			return nil, bad("niveau", fmt.Errorf("%q: want epci", e.Level))
		}
		if _, err := strconv.ParseUint(e.Code, 10, 64); err != nil || len(e.Code) != 9 {
			return nil, bad("code", fmt.Errorf("%q: want a SIREN (9 digits)", e.Code))
		}
		if len(e.Region) != 2 {
			return nil, bad("region", fmt.Errorf("%q: want the INSEE code of a région (two characters)", e.Region))
		}
		if l, dup := seen[e.Level+e.Code]; dup {
			return nil, bad("code", fmt.Errorf("%s already on line %d", e.Code, l))
		}
		seen[e.Level+e.Code] = row.line
		if e.Year, err = strconv.Atoi(row.get("annee")); err != nil {
			return nil, bad("annee", fmt.Errorf("want a year, got %q", row.get("annee")))
		}
		pct, err := number(row.get("taux_pct"))
		if err != nil || pct <= 0 || pct >= 100 {
			return nil, bad("taux_pct", fmt.Errorf("want a percentage in ]0, 100[, got %q", row.get("taux_pct")))
		}
		e.Rate = pct / 100
		if e.People, err = number(row.get("personnes")); err != nil || e.People < 0 {
			return nil, bad("personnes", fmt.Errorf("want a number ≥ 0, got %q", row.get("personnes")))
		}
		if e.Ref == "" {
			return nil, bad("reference", errors.New("empty: name the margin the rate is read against"))
		}
		out = append(out, e)
	}
	return out, nil
}

// structureColumns are the columns of the national structure file.
var structureColumns = []string{"tableau", "age", "modalite", "valeur", "source", "url", "note"}

// DefaultNational returns the built-in national joint distribution.
func DefaultNational() (*National, error) {
	const name = "structure_nationale.csv"
	b, err := data.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	return ParseNational(name, bytes.NewReader(b))
}

// diplomaShapes are the finer diploma levels of the national structure
// file, and what each is in the model: the lowest two are the model's
// lowest, BEPC and CAP/BEP make its second, baccalauréat and bac+2 its third
// (with people still in education), bac+3 or more its fourth.
var diplomaShapes = []diplomaShape{
	{"aucun_cep", DiplomaNoneCEP, "aucun_cep"},
	{"bepc", DiplomaBEPCCAP, "bepc"},
	{"cap_bep", DiplomaBEPCCAP, "cap_bep"},
	{"bac", DiplomaBacToBac2, "bac"},
	{"bac2", DiplomaBacToBac2, "superieur"},
	{"bac3_plus", DiplomaBac3Plus, "superieur"},
}

type diplomaShape struct {
	name  string
	model int
	total string // the column of the census totals it is counted in
}

// StructureRow is one row of the national structure file, as stored in
// ref_national_structure for the SQL and for analysts.
type StructureRow struct {
	Table, Age, Level    string
	Value                float64
	Source, URL, Comment string
}

// ParseNational reads the national structure file (tableau, age, modalite,
// valeur, source, url, note) and derives the model's national joint
// distribution from it:
//
//   - age: people of each of the model's age groups (and 0-14);
//   - scolarisation: the share of each age band still in education;
//   - diplome_forme: for each age group, the shape of the diploma
//     distribution of people out of school (six levels, in %), from surveys;
//   - diplome_total: the census distribution of all people out of school
//     aged 15+ over aucun_cep, bepc, cap_bep, bac, superieur;
//   - seul_par_age, seul_total: the share living alone by age, and in all;
//   - revenu: the shares of the standard-of-living levels;
//   - mayotte: Mayotte's own figures (part_peu_diplomes_des_15_plus…).
//
// The shapes are raked (iterative proportional fitting) to the census
// totals, so that the diploma × age table keeps the surveys' age gradient
// and sums to the census; people in education are put at the level
// "baccalauréat to bac+2". The shares living alone by age are scaled to
// the total. Every age group must be described.
func ParseNational(name string, r io.Reader) (*National, error) {
	rows, err := readCSV(name, r, structureColumns)
	if err != nil {
		return nil, err
	}
	n := &National{
		AgeShares:    make([]float64, nAges),
		DiplomaByAge: make([][nDiplomas]float64, nAges),
		AloneByAge:   make([]float64, nAges),
		Mayotte:      map[string]float64{},
	}
	pop, school := make([]float64, nAges), make([]float64, nAges)
	shape := make([][]float64, nAges)
	hasPop, hasSchool, hasAlone := make([]bool, nAges), make([]bool, nAges), make([]bool, nAges)
	totals := map[string]float64{}
	aloneTotal := math.NaN()
	var hasIncome [nIncomes]bool
	for _, row := range rows {
		bad := func(col string, err error) error {
			return &MarginError{File: name, Line: row.line, Column: col, Err: err}
		}
		v, err := number(row.get("valeur"))
		if err != nil || v < 0 {
			return nil, bad("valeur", fmt.Errorf("want a number ≥ 0, got %q", row.get("valeur")))
		}
		n.Rows = append(n.Rows, StructureRow{Table: row.get("tableau"), Age: row.get("age"), Level: row.get("modalite"),
			Value: v, Source: row.get("source"), URL: row.get("url"), Comment: row.get("note")})
		table, level, band := row.get("tableau"), row.get("modalite"), row.get("age")
		share := func() error {
			if v > 1 {
				return bad("valeur", fmt.Errorf("want a share in [0, 1], got %g", v))
			}
			return nil
		}
		switch table {
		case "revenu":
			i := slices.Index(IncomeLevels, level)
			if i < 0 {
				return nil, bad("modalite", fmt.Errorf("%q: want one of %s", level, strings.Join(IncomeLevels, ", ")))
			}
			n.IncomeShares[i], hasIncome[i] = v, true
			continue
		case "diplome_total":
			if !slices.ContainsFunc(diplomaShapes, func(d diplomaShape) bool { return d.total == level }) {
				return nil, bad("modalite", fmt.Errorf("%q: want aucun_cep, bepc, cap_bep, bac or superieur", level))
			}
			totals[level] = v
			continue
		case "seul_total":
			if err := share(); err != nil {
				return nil, err
			}
			aloneTotal = v
			continue
		case "mayotte":
			if err := share(); err != nil {
				return nil, err
			}
			n.Mayotte[level] = v
			continue
		case "rapport_ajuste":
			r, err := parseRatio(level, v)
			if err != nil {
				return nil, bad("modalite", err)
			}
			n.Ratios = append(n.Ratios, r)
			continue
		case "age":
			if band == "0-14" {
				n.Under15 = v
				continue
			}
		}
		groups, err := AgeBand(band)
		if err != nil {
			return nil, bad("age", err)
		}
		switch table {
		case "age":
			if len(groups) != 1 {
				return nil, bad("age", fmt.Errorf("population rows give one of the model's groups (%s), got %q", strings.Join(AgeGroups, ", "), band))
			}
			pop[groups[0]], hasPop[groups[0]] = v, true
		case "scolarisation":
			if err := share(); err != nil {
				return nil, err
			}
			for _, g := range groups {
				school[g], hasSchool[g] = v, true
			}
		case "diplome_forme":
			d := slices.IndexFunc(diplomaShapes, func(d diplomaShape) bool { return d.name == level })
			if d < 0 {
				return nil, bad("modalite", fmt.Errorf("%q: want aucun_cep, bepc, cap_bep, bac, bac2 or bac3_plus", level))
			}
			for _, g := range groups {
				if shape[g] == nil {
					shape[g] = make([]float64, len(diplomaShapes))
					for i := range shape[g] {
						shape[g][i] = math.NaN()
					}
				}
				shape[g][d] = v
			}
		case "seul_par_age":
			if err := share(); err != nil {
				return nil, err
			}
			for _, g := range groups {
				n.AloneByAge[g], hasAlone[g] = v, true
			}
		default:
			return nil, bad("tableau", fmt.Errorf("%q: want age, scolarisation, diplome_forme, diplome_total, seul_par_age, seul_total, revenu or mayotte", table))
		}
	}
	total := 0.0
	for g := range nAges {
		switch {
		case !hasPop[g]:
			return nil, fmt.Errorf("%s: no population for the age group %s", name, AgeGroups[g])
		case !hasSchool[g]:
			return nil, fmt.Errorf("%s: no share in education for the age group %s", name, AgeGroups[g])
		case !hasAlone[g]:
			return nil, fmt.Errorf("%s: no share living alone for the age group %s", name, AgeGroups[g])
		case shape[g] == nil || slices.ContainsFunc(shape[g], math.IsNaN):
			return nil, fmt.Errorf("%s: the diploma shape of the age group %s misses a level", name, AgeGroups[g])
		}
		total += pop[g]
	}
	for g := range nAges {
		n.AgeShares[g] = pop[g] / total
	}
	if err := n.rakeDiplomas(name, pop, school, shape, totals); err != nil {
		return nil, err
	}
	if !math.IsNaN(aloneTotal) {
		k := aloneTotal / n.AloneShare()
		for g := range n.AloneByAge {
			n.AloneByAge[g] = math.Min(0.99, n.AloneByAge[g]*k)
		}
	}
	s := 0.0
	for i := range nIncomes {
		if !hasIncome[i] {
			return nil, fmt.Errorf("%s: no share for the standard of living %s", name, IncomeLevels[i])
		}
		s += n.IncomeShares[i]
	}
	if math.Abs(s-1) > 0.005 {
		return nil, fmt.Errorf("%s: the standard-of-living shares sum to %g, want 1", name, s)
	}
	for _, k := range []string{"part_15_64", "part_65_plus_des_15_plus", "part_15_24_des_15_plus", "part_peu_diplomes_des_15_plus"} {
		if _, ok := n.Mayotte[k]; !ok {
			return nil, fmt.Errorf("%s: no figure %s for Mayotte", name, k)
		}
	}
	return n, nil
}

// AdjustedRatio is a published odds ratio between two levels of a factor
// at equal other characteristics ("toutes choses égales par ailleurs").
type AdjustedRatio struct {
	Dimension string // diplome or revenu
	Num, Den  string // the levels compared
	Value     float64
}

// parseRatio reads a modalite "dimension:numerator:denominator".
func parseRatio(level string, v float64) (AdjustedRatio, error) {
	parts := strings.Split(level, ":")
	if len(parts) != 3 || v <= 0 {
		return AdjustedRatio{}, fmt.Errorf("%q: want dimension:numerator:denominator and a ratio > 0", level)
	}
	r := AdjustedRatio{Dimension: parts[0], Num: parts[1], Den: parts[2], Value: v}
	for _, l := range parts[1:] {
		if _, err := cellSet(r.Dimension, l); err != nil || r.Dimension == "ensemble" || r.Dimension == "age" {
			return AdjustedRatio{}, fmt.Errorf("%q: want diplome, revenu or menage and two of its levels", level)
		}
	}
	return r, nil
}

// rakeDiplomas builds DiplomaByAge: the survey shapes of each age group's
// people out of school, raked to the census totals of people out of school
// (rows: the groups' people out of school; columns: the census levels),
// then with the people in education added at DiplomaBacToBac2.
func (n *National) rakeDiplomas(name string, pop, school []float64, shape [][]float64, totals map[string]float64) error {
	cols := []string{"aucun_cep", "bepc", "cap_bep", "bac", "superieur"}
	sum := 0.0
	for _, c := range cols {
		v, ok := totals[c]
		if !ok {
			return fmt.Errorf("%s: no census total for the diploma level %s", name, c)
		}
		sum += v
	}
	if math.Abs(sum-1) > 0.005 {
		return fmt.Errorf("%s: the census diploma totals sum to %g, want 1", name, sum)
	}
	out := make([]float64, 0, nAges)
	t := make([][]float64, nAges)
	people := 0.0
	for g := range nAges {
		out = append(out, pop[g]*(1-school[g]))
		people += out[g]
		t[g] = make([]float64, len(diplomaShapes))
		s := 0.0
		for _, v := range shape[g] {
			s += v
		}
		for d, v := range shape[g] {
			t[g][d] = out[g] * v / s
		}
	}
	for range 500 {
		worst := 0.0
		for _, c := range cols {
			have := 0.0
			for g := range t {
				for d, ds := range diplomaShapes {
					if ds.total == c {
						have += t[g][d]
					}
				}
			}
			want := totals[c] / sum * people
			worst = math.Max(worst, math.Abs(have-want)/people)
			for g := range t {
				for d, ds := range diplomaShapes {
					if ds.total == c {
						t[g][d] *= ratio(want, have)
					}
				}
			}
		}
		for g := range t {
			have := 0.0
			for _, v := range t[g] {
				have += v
			}
			for d := range t[g] {
				t[g][d] *= ratio(out[g], have)
			}
		}
		if worst < 1e-12 {
			break
		}
	}
	for g := range nAges {
		for d, ds := range diplomaShapes {
			n.DiplomaByAge[g][ds.model] += (1 - school[g]) * t[g][d] / out[g]
		}
		n.DiplomaByAge[g][DiplomaBacToBac2] += school[g]
	}
	return nil
}

// AloneShare is the share of people aged 15+ living alone in the national
// structure.
func (n *National) AloneShare() float64 {
	s := 0.0
	for g := range nAges {
		s += n.AgeShares[g] * n.AloneByAge[g]
	}
	return s
}

// LowDiplomaShare is the share of people aged 15+ out of school with at most
// a BEPC, CAP or BEP, in the national structure.
func (n *National) LowDiplomaShare() float64 {
	s := 0.0
	for g := range nAges {
		s += n.AgeShares[g] * (n.DiplomaByAge[g][DiplomaNoneCEP] + n.DiplomaByAge[g][DiplomaBEPCCAP])
	}
	return s
}

type csvRow struct {
	line   int
	fields []string
	index  map[string]int
}

func (r csvRow) get(col string) string {
	return strings.TrimSpace(r.fields[r.index[col]])
}

// readCSV reads a comma-separated UTF-8 file whose header holds want (in any
// order, other columns ignored).
func readCSV(name string, r io.Reader, want []string) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range want {
		if _, ok := index[c]; !ok {
			return nil, &MarginError{File: name, Line: 1, Column: c, Err: errors.New("missing from the header")}
		}
	}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) != len(header) {
			return nil, &MarginError{File: name, Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(header))}
		}
		rows = append(rows, csvRow{line: line, fields: rec, index: index})
	}
	return rows, nil
}

// number parses a decimal with a point or a comma.
func number(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, errors.New("not a finite number")
	}
	return v, err
}
