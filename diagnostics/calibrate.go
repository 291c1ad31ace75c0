package diagnostics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/illectro/illectro/figures"
)

// Margin is one published illectronism rate (a margin of the model): the
// share of a group of people in illectronism, with its source and what the
// model does with it. Margins are read from a CSV file (ParseMargins); the
// built-in one lists Insee's publications.
type Margin struct {
	ID   string // unique, e.g. "2021-age-75+"
	Year int    // survey year
	// Field is the territory the rate covers: france_hors_mayotte, metropole,
	// dom_hors_mayotte, or region:<code> (INSEE code of a région).
	Field string
	// Dimension and Level name the group within the field: ensemble (level
	// ensemble), age (a band "a-b" or "a+"), diplome (DiplomaLevels), revenu
	// (IncomeLevels), menage (HouseholdLevels), categorie_commune
	// (CommuneCategories). Other dimensions (occupation, household type…)
	// are listed but cannot be modelled.
	Dimension, Level string
	Label            string  // in French, as the source words it
	Rate             float64 // 0–1
	// Tolerance is how far (absolute, 0–1) the model may be from Rate: half
	// the rounding unit of the published figure.
	Tolerance float64
	// StdErr is the sampling standard error of Rate (0–1), for the
	// uncertainty of the estimate.
	StdErr float64
	// Use says what the model does with the margin (see the Use* constants).
	Use string
	// Ref is the ID of the margin a relative margin is compared with.
	Ref                 string
	Source, URL, Status string
}

// What the model does with a margin (Margin.Use).
const (
	// UseCalibration: every fit reproduces the rate.
	UseCalibration = "calage"
	// UseCalibration2021: the central fit reproduces the rate; the 2019
	// variant calibrates the same dimension on the 2019 structure instead.
	UseCalibration2021 = "calage_2021"
	// UseStructure2019: the 2019 variant reproduces the rate relative to its
	// reference (Ref): the 2019 gradient, at the 2021 level.
	UseStructure2019 = "structure_2019"
	// UseBenchmark: every fit reproduces the rate relative to its reference
	// (Ref): a published regional rate of another year or definition, used
	// as the région's position against its reference.
	UseBenchmark = "benchmark"
	// UseCheck: not a constraint; the central fit must lie within tolerance.
	UseCheck = "controle"
	// UseCheck2019: not a constraint; the 2019 variant must lie within
	// tolerance of the rate relative to its reference.
	UseCheck2019 = "controle_2019"
	// UseCheckAtLeast: not a constraint; the central fit must be at least
	// the rate ("more than one in three").
	UseCheckAtLeast = "controle_minimum"
	// UseValidation: a published figure of a département (or région) never
	// used by the fit, compared relative to its reference: how far the
	// model is from figures it has not seen.
	UseValidation = "validation"
	// UseReference: the denominator of relative margins.
	UseReference = "reference"
	// UseNotModelled: published, but the local data cannot describe the group.
	UseNotModelled = "non_modelise"
)

var uses = []string{UseCalibration, UseCalibration2021, UseStructure2019, UseBenchmark, UseCheck, UseCheck2019,
	UseCheckAtLeast, UseValidation, UseReference, UseNotModelled}

// relative reports whether the margin is compared with its reference.
func (m Margin) relative() bool {
	return m.Use == UseStructure2019 || m.Use == UseBenchmark || m.Use == UseCheck2019 || m.Use == UseValidation
}

// DimensionCategory is the dimension of the margins about a category of
// commune in Insee's zoning in areas of attraction of cities (AAV2020).
const DimensionCategory = figures.DimensionCategory

// CommuneCategories are the categories of commune the model knows, from
// the AAV2020 zoning (CATEAAV2020, and TAAV2017 the size of the area):
//
//	hors_attraction  outside the attraction of cities (category 30)
//	petit_pole       in the pôle of an area under 50 000 inhabitants
//	                 (categories 11–13, size 1): Insee's « petits pôles urbains »
//	grande_aire      in an area of 700 000 inhabitants or more, Paris's
//	                 included (size 4–5), pôle and couronne
//	autre            every other commune (couronnes and pôles of the other
//	                 areas, and communes the zoning does not list)
var CommuneCategories = []string{"hors_attraction", "petit_pole", "grande_aire", "autre"}

// Stratum is a set of communes the model treats alike: the same région, the
// same side of the sea and the same category of commune. Its cells hold
// their people aged 15+.
type Stratum struct {
	Region  string // INSEE code of the région
	DOM     bool   // overseas département (971–976)
	Mayotte bool   // 976: outside the field of Insee's survey
	// Category is one of CommuneCategories ("" when unknown: a stratum
	// built without the zoning, as for the national structure alone).
	Category string
	// N are the people aged 15+ in each cell (len NCells).
	N []float64
}

// holds reports whether the stratum's communes belong to the group of a
// margin's field and, for a category of commune, to its category (the
// other dimensions are a matter of cells, see cellSet).
func (s *Stratum) holds(field, dimension, level string) bool {
	return s.inField(field) && (dimension != DimensionCategory || s.Category == level)
}

// inField reports whether the stratum is within the territory a margin covers.
func (s *Stratum) inField(field string) bool {
	switch {
	case field == "france_hors_mayotte":
		return !s.Mayotte
	case field == "metropole":
		return !s.DOM
	case field == "dom_hors_mayotte":
		return s.DOM && !s.Mayotte
	case strings.HasPrefix(field, "region:"):
		return s.Region == strings.TrimPrefix(field, "region:")
	}
	return false
}

// effect is the weight (0 or 1) of a margin's territorial effect on the
// stratum: the effect fitted on a margin of a field applies to the whole
// territory it stands for. The overseas effect, calibrated on the overseas
// départements of the survey's field, applies to Mayotte too, the national
// intercept everywhere; the effect of a category of commune, to the
// communes of that category within the field (metropolitan France for the
// published ones).
func (s *Stratum) effect(m Margin) float64 {
	switch {
	case m.Dimension == DimensionCategory:
		return b2f(s.holds(m.Field, m.Dimension, m.Level))
	case m.Field == "france_hors_mayotte":
		return 1
	case m.Field == "dom_hors_mayotte":
		return b2f(s.DOM)
	}
	return b2f(s.inField(m.Field))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// cellSet returns, for each cell, 1 when it belongs to the margin's group and
// 0 otherwise.
func cellSet(dimension, level string) ([]float64, error) {
	set := make([]float64, NCells)
	var match func(c int) bool
	switch dimension {
	case "ensemble":
		match = func(int) bool { return true }
	case DimensionCategory:
		// every cell: the category is the stratum's (Stratum.holds)
		if !slices.Contains(CommuneCategories, level) {
			return nil, fmt.Errorf("%s level %q: want one of %s", dimension, level, strings.Join(CommuneCategories, ", "))
		}
		match = func(int) bool { return true }
	case "age":
		groups, err := AgeBand(level)
		if err != nil {
			return nil, err
		}
		match = func(c int) bool { return slices.Contains(groups, int(cellAge[c])) }
	case "diplome", "revenu", "menage":
		levels, of := DiplomaLevels, cellDiploma
		if dimension == "revenu" {
			levels, of = IncomeLevels, cellIncome
		} else if dimension == "menage" {
			levels, of = HouseholdLevels, cellHousehold
		}
		i := slices.Index(levels, level)
		if i < 0 {
			return nil, fmt.Errorf("%s level %q: want one of %s", dimension, level, strings.Join(levels, ", "))
		}
		match = func(c int) bool { return int(of[c]) == i }
	default:
		return nil, fmt.Errorf("dimension %q cannot be modelled", dimension)
	}
	for c := range set {
		set[c] = b2f(match(c))
	}
	return set, nil
}

// Variant names a fit of the model.
type Variant string

// The fits of the model.
const (
	// Central reproduces the 2021 margins (calage, calage_2021, benchmark).
	Central Variant = "central"
	// Structure2019 keeps the 2021 levels but the 2019 age gradient
	// (calage, structure_2019, benchmark).
	Structure2019 Variant = "structure_2019"
)

// constraints returns the margins a variant reproduces, in parameter order,
// leaving out the benchmark with ID without ("" keeps all).
func constraints(margins []Margin, v Variant, without string) []Margin {
	var out []Margin
	for _, m := range margins {
		if m.ID == without {
			continue
		}
		switch m.Use {
		case UseCalibration, UseBenchmark:
		case UseCalibration2021:
			if v != Central {
				continue
			}
		case UseStructure2019:
			if v != Structure2019 {
				continue
			}
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// Fit is the model fitted to a set of margins: the logit of the
// illectronism rate of a cell of a stratum is the sum of the effects of the
// cell's levels and of the stratum's territory, one effect per margin
// reproduced,
//
//	logit p(s, c) = Σ_k θ_k × territory_k(s) × level_k(c)
//
// and θ solves, for every margin k,
//
//	Σ_{s,c in group k} n(s, c) p(s, c) / Σ_{s,c in group k} n(s, c) = rate_k
//
// (relative margins: the group's rate ÷ the reference group's rate = the
// published ratio). The level of a diploma with no margin of its own lies
// halfway, on the logit scale, between the levels around it (BEPC, CAP, BEP
// between "no diploma" and the baccalauréat).
type Fit struct {
	Variant Variant
	Margins []Margin  // reproduced, one per effect
	Theta   []float64 // the effects, in the order of Margins
	// Iterations is the number of Newton steps the fit took.
	Iterations int

	strata []*Stratum
	fs, fx [][]float64 // per effect: weight on each stratum, on each cell
	// bases are, per reference of 2019 age margins, the mean of those
	// margins weighted by the people of their groups (see structureBase).
	bases map[string]float64
}

// Rates writes the rate of each cell of stratum s into out (len NCells).
func (f *Fit) Rates(s int, out []float64) {
	clear(out)
	for k, th := range f.Theta {
		w := th * f.fs[k][s]
		if w == 0 {
			continue
		}
		for c, x := range f.fx[k] {
			out[c] += w * x
		}
	}
	for c, eta := range out {
		out[c] = expit(eta)
	}
}

// GroupRate is the model's rate of the people of a field, dimension and
// level (0–1), or NaN when the group is empty.
func (f *Fit) GroupRate(field, dimension, level string) (float64, error) {
	set, err := cellSet(dimension, level)
	if err != nil {
		return 0, err
	}
	p := make([]float64, NCells)
	num, den := 0.0, 0.0
	for s, st := range f.strata {
		if !st.holds(field, dimension, level) {
			continue
		}
		f.Rates(s, p)
		for c, n := range st.N {
			num += n * set[c] * p[c]
			den += n * set[c]
		}
	}
	return num / den, nil
}

// Modelled is the value of margin m under the fit: its group's rate, or for
// a relative margin its group's rate ÷ its reference group's rate × the
// reference's published rate (what the model says the published figure
// would have been).
func (f *Fit) Modelled(m Margin, byID map[string]Margin) (float64, error) {
	r, err := f.GroupRate(m.Field, m.Dimension, m.Level)
	if err != nil || !m.relative() {
		return r, err
	}
	ref, ok := byID[m.Ref]
	if !ok {
		return 0, fmt.Errorf("margin %s: reference %q not found", m.ID, m.Ref)
	}
	base, err := f.GroupRate(ref.Field, ref.Dimension, ref.Level)
	if err != nil {
		return 0, err
	}
	return r / base * f.refRate(m, ref), nil
}

// refRate is the rate a relative margin is a share of: its reference's
// published rate, or for the 2019 age structure the mean of its bands.
func (f *Fit) refRate(m, ref Margin) float64 {
	if b, ok := f.bases[m.Ref]; ok && (m.Use == UseStructure2019 || m.Use == UseCheck2019) {
		return b
	}
	return ref.Rate
}

// structureBase is, for the 2019 age margins that share the reference ref,
// the mean of their published rates weighted by the people of their groups
// in the model: the level at which the bands add up. Rounded published bands
// need not add up to the rounded total (3, 9, 27 and 67 % give 16.4 %, not
// 16 %), and ratios to the total would then ask for an impossible youngest
// band; ratios to this mean keep the gradient and always add up.
func structureBase(strata []*Stratum, margins []Margin, ref string) (float64, error) {
	num, den := 0.0, 0.0
	for _, m := range margins {
		if m.Ref != ref || (m.Use != UseStructure2019 && m.Use != UseCheck2019) {
			continue
		}
		set, err := cellSet(m.Dimension, m.Level)
		if err != nil {
			return 0, fmt.Errorf("margin %s: %w", m.ID, err)
		}
		for _, st := range strata {
			if !st.holds(m.Field, m.Dimension, m.Level) {
				continue
			}
			for c, n := range st.N {
				num += n * set[c] * m.Rate
				den += n * set[c]
			}
		}
	}
	if den == 0 {
		return 0, fmt.Errorf("no people in the 2019 age bands of %s", ref)
	}
	return num / den, nil
}

// FitMargins fits the model of variant v to margins on strata, leaving out
// the benchmark whose ID is without ("" for none). byID resolves the
// references of relative margins.
func FitMargins(strata []*Stratum, margins []Margin, byID map[string]Margin, v Variant, without string) (*Fit, error) {
	return fitMargins(strata, margins, byID, v, without, nil, nil)
}

// fitMargins is FitMargins starting Newton's method from the effects of an
// earlier fit of nearby margins (by margin ID; nil starts from the
// national rate): the draws of the uncertainty band start from the central
// fit and take half the steps. It takes the design of its constraints from
// designs, made on the same strata (nil builds it): the fits of a run share
// the design of each set of margins.
func fitMargins(strata []*Stratum, margins []Margin, byID map[string]Margin, v Variant, without string, start *Fit, designs *designs) (*Fit, error) {
	// A margin about people the strata do not hold (the overseas
	// départements, a région, when the reference is a part of France) is
	// left out: nothing can be fitted to it.
	var cons []Margin
	for _, m := range constraints(margins, v, without) {
		if populated(strata, m) && (m.Ref == "" || populated(strata, byID[m.Ref])) {
			cons = append(cons, m)
		}
	}
	if len(cons) == 0 {
		return nil, errors.New("fit: no margin to reproduce")
	}
	f := &Fit{Variant: v, Margins: cons, strata: strata, bases: map[string]float64{}}
	for _, m := range margins {
		if m.Use != UseStructure2019 && m.Use != UseCheck2019 {
			continue
		}
		if _, ok := f.bases[m.Ref]; ok {
			continue
		}
		b, err := structureBase(strata, margins, m.Ref)
		if err != nil {
			return nil, err
		}
		f.bases[m.Ref] = b
	}
	var d *design
	var err error
	if designs == nil {
		d, err = newDesign(strata, cons, byID)
	} else {
		d, err = designs.get(cons, byID)
	}
	if err != nil {
		return nil, err
	}
	f.fs, f.fx = d.fs, d.fx

	// Constraints: Σ terms − target = 0, a term of constraint k weighing
	// 1 / (people of its group) on its group and, for a relative margin,
	// −published ratio / (people of the reference group) on the reference
	// group. The weight of a (stratum, cell) is the sum of the weights of
	// the terms it belongs to, in that order: wt[3k] in the group only,
	// wt[3k+1] in the reference group only, wt[3k+2] in both.
	K := len(cons)
	target := make([]float64, K)
	wt := make([]float64, 3*K)
	for k, m := range cons {
		g := d.group[k]
		if !m.relative() {
			target[k], wt[3*k] = m.Rate, g
			continue
		}
		ref, ok := byID[m.Ref]
		if !ok {
			return nil, fmt.Errorf("margin %s: reference %q not found", m.ID, m.Ref)
		}
		r := d.ref[k]
		r *= -m.Rate / f.refRate(m, ref)
		wt[3*k], wt[3*k+1], wt[3*k+2] = g, r, g+r
	}

	// Newton's method on the effects, starting from the national rate.
	f.Theta = make([]float64, K)
	f.Theta[0] = logit(cons[0].Rate)
	if start != nil {
		from := map[string]float64{}
		for k, m := range start.Margins {
			from[m.ID] = start.Theta[k]
		}
		for k, m := range cons {
			if th, ok := from[m.ID]; ok {
				f.Theta[k] = th
			}
		}
	}
	// slope keeps each entry's n p (1 − p), the derivative of its n p
	// along its linear predictor, at the point evaluated last: the
	// Jacobian there is made from them without evaluating the rates again.
	slope, p := make([]float64, len(d.entries)), make([]float64, len(d.effects))
	jacT, tv := make([]float64, K*K), make([]float64, K)
	jacobian := func(jac [][]float64) { // solve takes rows
		d.jacobian(jacT, tv, wt, slope)
		for k, row := range jac {
			for j := range row {
				row[j] = jacT[j*K+k]
			}
		}
	}
	norm := func(g []float64) float64 {
		m := 0.0
		for _, v := range g {
			m = math.Max(m, math.Abs(v))
		}
		return m
	}
	jac := make([][]float64, K)
	for k := range jac {
		jac[k] = make([]float64, K)
	}
	g := make([]float64, K)
	d.residuals(g, p, slope, f.Theta, wt, target)
	for it := 1; it <= 100; it++ {
		if norm(g) < 1e-11 {
			f.Iterations = it - 1
			return f, nil
		}
		jacobian(jac)
		step, err := solve(jac, g)
		if err != nil {
			return nil, fmt.Errorf("fit %s: the margins do not determine the effects (%w)%s", v, err, f.sameGroups())
		}
		// Damped step: halve it until the largest residual decreases.
		// solve eliminates in g's place, and the bound is the largest
		// element of what it leaves, as the fits have always had it (the
		// published estimates rest on it).
		bound := norm(g)
		next, gNext := make([]float64, K), make([]float64, K)
		for t := 1.0; ; t /= 2 {
			for j := range next {
				next[j] = f.Theta[j] - t*step[j]
			}
			d.residuals(gNext, p, slope, next, wt, target)
			if norm(gNext) < bound || t < 1e-6 {
				break
			}
		}
		f.Theta, g = next, gNext
		for _, th := range f.Theta {
			if math.Abs(th) > 30 {
				return nil, fmt.Errorf("fit %s: an effect diverges: the margins contradict each other (no positive rate reproduces them all)", v)
			}
		}
	}
	return nil, fmt.Errorf("fit %s: no convergence in 100 steps: the margins may contradict each other", v)
}

// design is what the fits of one set of constraints on one set of strata
// share: the effects' weights and the sparse structure of every (stratum,
// cell) with people, the constraints it counts in and the effects it
// carries. It depends on whose groups the margins describe, not on their
// rates, so the draws of a variant share their fit's design; it is read
// only once built.
type design struct {
	fs, fx [][]float64 // per effect: weight on each stratum, on each cell
	// group and ref are, per constraint, 1 / the people of its group and,
	// for a relative margin, of its reference group (0 otherwise).
	group, ref []float64
	// entries are the (stratum, cell) with people, in stratum then cell
	// order; their terms are the span of terms ending at their own end and
	// starting at the previous entry's.
	entries []entry
	terms   []designTerm
	// effects are the distinct sets of effects the entries carry, spans of
	// feats: entries the margins do not tell apart carry the same (cells
	// that differ only by levels no margin separates, strata of régions
	// without a benchmark of their own), a third as many sets as entries
	// for France. The fits compute the rate of each set once.
	effects []span
	feats   []designFeat
}

type entry struct {
	n       float64 // people
	terms   int32   // end of its span of terms
	effects int32   // its set of effects
}

type span struct{ start, end int32 }

// designTerm is a constraint an entry counts in: k, and w its weight's
// index in the fit's weights (3k, 3k+1 or 3k+2: in the group, in the
// reference group, in both).
type designTerm struct{ k, w int32 }

// designFeat is an effect an entry carries: j, with weight x.
type designFeat struct {
	j int
	x float64
}

// newDesign builds the design of constraints cons on strata.
func newDesign(strata []*Stratum, cons []Margin, byID map[string]Margin) (*design, error) {
	d := &design{group: make([]float64, len(cons)), ref: make([]float64, len(cons))}
	// Effects.
	for _, m := range cons {
		ws := make([]float64, len(strata))
		for s, st := range strata {
			ws[s] = st.effect(m)
		}
		wx, err := cellSet(m.Dimension, m.Level)
		if err != nil {
			return nil, fmt.Errorf("margin %s: %w", m.ID, err)
		}
		d.fs, d.fx = append(d.fs, ws), append(d.fx, wx)
	}
	interpolateDiploma(cons, d.fx)

	// Groups: who a margin's rate is about, and their number.
	type group struct {
		ws, wx []float64 // 1 in the group, 0 out, on each stratum, on each cell
		inv    float64   // 1 / its people
	}
	groupOf := func(m Margin) (group, error) {
		ws := make([]float64, len(strata))
		for s, st := range strata {
			ws[s] = b2f(st.holds(m.Field, m.Dimension, m.Level))
		}
		wx, err := cellSet(m.Dimension, m.Level)
		if err != nil {
			return group{}, fmt.Errorf("margin %s: %w", m.ID, err)
		}
		n := 0.0
		for s, st := range strata {
			for c, v := range st.N {
				n += ws[s] * wx[c] * v
			}
		}
		if n <= 0 {
			return group{}, fmt.Errorf("margin %s: nobody in the group %s, %s %s", m.ID, m.Field, m.Dimension, m.Level)
		}
		return group{ws, wx, 1 / n}, nil
	}
	gs, rs := make([]group, len(cons)), make([]group, len(cons))
	for k, m := range cons {
		var err error
		if gs[k], err = groupOf(m); err != nil {
			return nil, err
		}
		d.group[k] = gs[k].inv
		if !m.relative() {
			continue
		}
		ref, ok := byID[m.Ref]
		if !ok {
			return nil, fmt.Errorf("margin %s: reference %q not found", m.ID, m.Ref)
		}
		if rs[k], err = groupOf(ref); err != nil {
			return nil, err
		}
		d.ref[k] = rs[k].inv
	}

	// The sparse structure of each (stratum, cell): most cells belong to a
	// few groups and carry a few effects.
	in := func(k, s, c int) int { // 1 in the group, 2 in the reference group, 3 both
		in := 0
		if gs[k].ws[s]*gs[k].wx[c] != 0 {
			in |= 1
		}
		if rs[k].ws != nil && rs[k].ws[s]*rs[k].wx[c] != 0 {
			in |= 2
		}
		return in
	}
	entries, terms := 0, 0 // counted first, to allocate once
	for s, st := range strata {
		for c, n := range st.N {
			if n != 0 {
				entries++
				for k := range cons {
					if in(k, s, c) != 0 {
						terms++
					}
				}
			}
		}
	}
	d.entries, d.terms = make([]entry, 0, entries), make([]designTerm, 0, terms)
	sets := map[string]int32{} // the effects of a set (j and x, as bytes) → its index
	var key []byte
	for s, st := range strata {
		for c, n := range st.N {
			if n == 0 {
				continue
			}
			for k := range cons {
				if in := in(k, s, c); in != 0 {
					d.terms = append(d.terms, designTerm{int32(k), int32(3*k + in - 1)})
				}
			}
			f0 := len(d.feats)
			key = key[:0]
			for j := range cons {
				if x := d.fs[j][s] * d.fx[j][c]; x != 0 {
					d.feats = append(d.feats, designFeat{j, x})
					key = binary.LittleEndian.AppendUint64(key, uint64(j))
					key = binary.LittleEndian.AppendUint64(key, math.Float64bits(x))
				}
			}
			set, ok := sets[string(key)]
			if ok {
				d.feats = d.feats[:f0]
			} else {
				set = int32(len(d.effects))
				sets[string(key)] = set
				d.effects = append(d.effects, span{int32(f0), int32(len(d.feats))})
			}
			d.entries = append(d.entries, entry{n: n, terms: int32(len(d.terms)), effects: set})
		}
	}
	return d, nil
}

// residuals writes into g the constraints at theta (Σ terms − target,
// the terms weighing wt), into p the rate of each set of effects and into
// slope each entry's n p (1 − p).
func (d *design) residuals(g, p, slope, theta, wt, target []float64) {
	for q, e := range d.effects {
		eta := 0.0
		for _, ft := range d.feats[e.start:e.end] {
			eta += theta[ft.j] * ft.x
		}
		p[q] = expit(eta)
	}
	for k := range g {
		g[k] = -target[k]
	}
	t0 := int32(0)
	for i, e := range d.entries {
		p := p[e.effects]
		np := e.n * p
		slope[i] = np * (1 - p)
		for _, t := range d.terms[t0:e.terms] {
			g[t.k] += wt[t.w] * np
		}
		t0 = e.terms
	}
}

// jacobian writes into jacT the transposed Jacobian of the constraints
// (effect j's column at jacT[j×K:(j+1)×K]) from the entries' slope; tv is
// scratch of K. Each (constraint, effect) adds up its entries' terms in
// entry order; within an entry, the loops run effect by effect, the
// constraints the longer, inner loop.
func (d *design) jacobian(jacT, tv, wt, slope []float64) {
	clear(jacT)
	K := len(tv)
	t0 := int32(0)
	for i, e := range d.entries {
		terms := d.terms[t0:e.terms]
		tv := tv[:len(terms)]
		for n, t := range terms {
			tv[n] = wt[t.w] * slope[i]
		}
		// four effects at a time: each constraint's index and tv loaded
		// once for the four
		set := d.effects[e.effects]
		feats := d.feats[set.start:set.end]
		for ; len(feats) >= 4; feats = feats[4:] {
			a, b, c, f := feats[0], feats[1], feats[2], feats[3]
			ca, cb := jacT[a.j*K:a.j*K+K], jacT[b.j*K:b.j*K+K]
			cc, cf := jacT[c.j*K:c.j*K+K], jacT[f.j*K:f.j*K+K]
			for n, t := range terms {
				ca[t.k] += tv[n] * a.x
				cb[t.k] += tv[n] * b.x
				cc[t.k] += tv[n] * c.x
				cf[t.k] += tv[n] * f.x
			}
		}
		for _, ft := range feats {
			col := jacT[ft.j*K : ft.j*K+K]
			for n, t := range terms {
				col[t.k] += tv[n] * ft.x
			}
		}
		t0 = e.terms
	}
}

// designs keeps the designs of the fits made on one set of strata, by the
// groups of their constraints; safe for concurrent use.
type designs struct {
	strata []*Stratum
	mu     sync.Mutex
	byKey  map[string]*designOnce
}

type designOnce struct {
	once sync.Once
	d    *design
	err  error
}

func newDesigns(strata []*Stratum) *designs {
	return &designs{strata: strata, byKey: map[string]*designOnce{}}
}

// get returns the design of constraints cons, built by the first fit that
// asks for it.
func (ds *designs) get(cons []Margin, byID map[string]Margin) (*design, error) {
	// The design depends on each constraint's group, on whether it is
	// relative and on its reference's group; the ID names the error.
	var key strings.Builder
	for _, m := range cons {
		fmt.Fprintf(&key, "%q %q %q %q %t", m.ID, m.Field, m.Dimension, m.Level, m.relative())
		if m.relative() {
			ref, ok := byID[m.Ref]
			fmt.Fprintf(&key, " %t %q %q %q", ok, ref.Field, ref.Dimension, ref.Level)
		}
		key.WriteByte('\n')
	}
	ds.mu.Lock()
	o := ds.byKey[key.String()]
	if o == nil {
		o = &designOnce{}
		ds.byKey[key.String()] = o
	}
	ds.mu.Unlock()
	o.once.Do(func() { o.d, o.err = newDesign(ds.strata, cons, byID) })
	return o.d, o.err
}

// sameGroups names the first two margins whose effects fall on the same
// people of the strata, the usual cause of a singular system: with the data
// of one région only, France, metropolitan France and the région are the
// same people, and their published rates cannot all be reproduced.
func (f *Fit) sameGroups() string {
	for j := range f.Margins {
	next:
		for k := j + 1; k < len(f.Margins); k++ {
			for s, st := range f.strata {
				for c, n := range st.N {
					if n > 0 && f.fs[j][s]*f.fx[j][c] != f.fs[k][s]*f.fx[k][c] {
						continue next
					}
				}
			}
			return fmt.Sprintf(": margins %s and %s describe the same people in the data loaded", f.Margins[j].ID, f.Margins[k].ID)
		}
	}
	return ""
}

// populated reports whether the strata hold people in the margin's group.
func populated(strata []*Stratum, m Margin) bool {
	set, err := cellSet(m.Dimension, m.Level)
	if err != nil {
		return true // FitMargins reports the error
	}
	for _, st := range strata {
		if !st.holds(m.Field, m.Dimension, m.Level) {
			continue
		}
		for c, n := range st.N {
			if n > 0 && set[c] > 0 {
				return true
			}
		}
	}
	return false
}

// interpolateDiploma gives the diploma levels without a margin of their own
// a place between their neighbours: BEPC, CAP, BEP halfway (on the logit
// scale) between "no diploma or CEP" and the reference level (baccalauréat
// to bac+2), when only the former has a margin.
func interpolateDiploma(cons []Margin, fx [][]float64) {
	has := map[string]int{}
	for k, m := range cons {
		if m.Dimension == "diplome" && m.Field == "france_hors_mayotte" {
			has[m.Level] = k
		}
	}
	k, ok := has[DiplomaLevels[DiplomaNoneCEP]]
	if _, own := has[DiplomaLevels[DiplomaBEPCCAP]]; !ok || own {
		return
	}
	for c := range fx[k] {
		if cellDiploma[c] == DiplomaBEPCCAP {
			fx[k][c] = 0.5
		}
	}
}

// solve solves a x = b by Gaussian elimination with partial pivoting; a and
// b are left unusable.
func solve(a [][]float64, b []float64) ([]float64, error) {
	n := len(b)
	for col := range n {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		if math.Abs(a[piv][col]) < 1e-14 {
			return nil, errors.New("singular system")
		}
		a[col], a[piv] = a[piv], a[col]
		b[col], b[piv] = b[piv], b[col]
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			if f == 0 {
				continue
			}
			for c := col; c < n; c++ {
				a[r][c] -= f * a[col][c]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for c := r + 1; c < n; c++ {
			s -= a[r][c] * x[c]
		}
		x[r] = s / a[r][r]
	}
	return x, nil
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }
func expit(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Bounds the leave-one-région-out errors are held to (tests and the
// methodology page): a published regional rate is rounded to the point
// (±0.5) and rests on a regional sample whose standard error is about one
// point, so even a perfect model would miss it by about a point on
// average; the mean absolute error must stay within two points, the median
// within one and a half. A single région may stand apart (Corse: "un
// quart", the highest rate of provincial France, which age, diploma and
// income do not explain): that is what its benchmark is for.
const (
	LOROBoundMean   = 0.02
	LOROBoundMedian = 0.015
)
