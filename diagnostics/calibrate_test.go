package diagnostics

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// stratum returns a stratum with people in the given cells only.
func stratum(region string, dom bool, cells map[int]float64) *Stratum {
	s := &Stratum{Region: region, DOM: dom, N: make([]float64, NCells)}
	for c, n := range cells {
		s.N[c] = n
	}
	return s
}

func byID(ms []Margin) map[string]Margin {
	out := map[string]Margin{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

var (
	old   = CellIndex(7, DiplomaNoneCEP, IncomeQ1Q2, HouseholdAlone)
	young = CellIndex(0, DiplomaBacToBac2, IncomeQ3Q4, HouseholdOther)
)

// TestFitByHand: 100 people aged 75+ and 300 aged 15–24; margins 20 % in
// all and 50 % at 75+. By hand: the old are at 50 %, so the young carry
// 0.2 × 400 − 50 = 30 people in illectronism, 10 %.
func TestFitByHand(t *testing.T) {
	st := []*Stratum{stratum("11", false, map[int]float64{old: 100, young: 300})}
	ms := []Margin{
		{ID: "all", Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble", Rate: 0.2, Use: UseCalibration},
		{ID: "75+", Field: "france_hors_mayotte", Dimension: "age", Level: "75+", Rate: 0.5, Use: UseCalibration2021},
	}
	f, err := FitMargins(st, ms, byID(ms), Central, "")
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, NCells)
	f.Rates(0, p)
	if math.Abs(p[old]-0.5) > 1e-9 || math.Abs(p[young]-0.1) > 1e-9 {
		t.Errorf("rates = %g (75+), %g (15-24); want 0.5, 0.1", p[old], p[young])
	}
	// The effects are the logits: intercept logit(0.1), 75+ logit(0.5) − logit(0.1).
	if math.Abs(f.Theta[0]-logit(0.1)) > 1e-9 || math.Abs(f.Theta[1]-(0-logit(0.1))) > 1e-9 {
		t.Errorf("effects = %v, want [%g %g]", f.Theta, logit(0.1), -logit(0.1))
	}
	for _, m := range ms {
		got, err := f.Modelled(m, byID(ms))
		if err != nil || math.Abs(got-m.Rate) > 1e-9 {
			t.Errorf("Modelled(%s) = %g, %v; want %g", m.ID, got, err, m.Rate)
		}
	}
	// The 2019 variant ignores the calage_2021 margin: one rate for all.
	v, err := FitMargins(st, ms, byID(ms), Structure2019, "")
	if err != nil {
		t.Fatal(err)
	}
	v.Rates(0, p)
	if math.Abs(p[old]-0.2) > 1e-9 || math.Abs(p[young]-0.2) > 1e-9 {
		t.Errorf("variant rates = %g, %g; want 0.2, 0.2", p[old], p[young])
	}
}

// TestFitRelativeBenchmark: two régions of the same composition, 100
// people each; a national 15 % and a benchmark saying région A's rate is
// 1.5 times the reference's (the whole). By hand: A + B = 30 people in
// illectronism and A = 1.5 × 15 % × 100, so A is at 22.5 % and B at 7.5 %.
// Without the benchmark, both are at 15 %.
func TestFitRelativeBenchmark(t *testing.T) {
	st := []*Stratum{
		stratum("A", false, map[int]float64{young: 100}),
		stratum("B", false, map[int]float64{young: 100}),
	}
	ms := []Margin{
		{ID: "all", Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble", Rate: 0.15, Use: UseCalibration},
		{ID: "ref", Field: "metropole", Dimension: "ensemble", Level: "ensemble", Rate: 0.16, Use: UseReference},
		{ID: "A", Field: "region:A", Dimension: "ensemble", Level: "ensemble", Rate: 0.24, Use: UseBenchmark, Ref: "ref"},
	}
	f, err := FitMargins(st, ms, byID(ms), Central, "")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.GroupRate("region:A", "ensemble", "ensemble")
	b, _ := f.GroupRate("region:B", "ensemble", "ensemble")
	if math.Abs(a-0.225) > 1e-9 || math.Abs(b-0.075) > 1e-9 {
		t.Errorf("région rates = %g, %g; want 0.225, 0.075", a, b)
	}
	if got, _ := f.Modelled(ms[2], byID(ms)); math.Abs(got-0.24) > 1e-9 {
		t.Errorf("Modelled(A) = %g, want the published 0.24", got)
	}
	loo, err := FitMargins(st, ms, byID(ms), Central, "A")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := loo.Modelled(ms[2], byID(ms)); math.Abs(got-0.16) > 1e-9 {
		t.Errorf("left-out prediction of A = %g, want 0.16 (same as the reference)", got)
	}
}

// TestFitCommuneCategory: one région whose communes fall in two
// categories, 100 people aged 75+ outside the attraction of cities and 300
// elsewhere. Margins: 20 % in all, and the communes outside attraction at
// 1.25 times the reference (20 %), so 25 %. By hand: 80 people in
// illectronism, 25 of them outside attraction, so the others are at
// 55 ÷ 300. A margin about a category nobody belongs to is left out.
func TestFitCommuneCategory(t *testing.T) {
	out := stratum("A", false, map[int]float64{old: 100})
	out.Category = "hors_attraction"
	else_ := stratum("A", false, map[int]float64{old: 300})
	else_.Category = "autre"
	st := []*Stratum{out, else_}
	ms := []Margin{
		{ID: "all", Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble", Rate: 0.2, Use: UseCalibration},
		{ID: "ref", Field: "metropole", Dimension: "ensemble", Level: "ensemble", Rate: 0.2, Use: UseReference},
		{ID: "hors", Field: "metropole", Dimension: DimensionCategory, Level: "hors_attraction", Rate: 0.25, Use: UseBenchmark, Ref: "ref"},
		{ID: "grandes", Field: "metropole", Dimension: DimensionCategory, Level: "grande_aire", Rate: 0.13, Use: UseBenchmark, Ref: "ref"},
	}
	f, err := FitMargins(st, ms, byID(ms), Central, "")
	if err != nil {
		t.Fatal(err)
	}
	// "grandes" has nobody in the strata: left out, not fitted.
	if len(f.Margins) != 2 {
		t.Errorf("fitted %d margins, want 2 (all, hors)", len(f.Margins))
	}
	h, _ := f.GroupRate("metropole", DimensionCategory, "hors_attraction")
	o, _ := f.GroupRate("metropole", DimensionCategory, "autre")
	if math.Abs(h-0.25) > 1e-9 || math.Abs(o-55.0/300) > 1e-9 {
		t.Errorf("category rates = %g, %g; want 0.25, %g", h, o, 55.0/300)
	}
	if _, err := cellSet(DimensionCategory, "banlieue"); err == nil {
		t.Error("cellSet accepted an unknown category")
	}
}

// TestFitDiplomaInterpolation: with margins for "no diploma" and "bac+3",
// BEPC/CAP/BEP gets half the "no diploma" effect, on the logit scale.
func TestFitDiplomaInterpolation(t *testing.T) {
	d := func(level int) int { return CellIndex(4, level, IncomeQ3Q4, HouseholdOther) }
	st := []*Stratum{stratum("A", false, map[int]float64{
		d(DiplomaNoneCEP): 100, d(DiplomaBEPCCAP): 100, d(DiplomaBacToBac2): 100, d(DiplomaBac3Plus): 100,
	})}
	ms := []Margin{
		{ID: "all", Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble", Rate: 0.15, Use: UseCalibration},
		{ID: "none", Field: "france_hors_mayotte", Dimension: "diplome", Level: "aucun_cep", Rate: 0.40, Use: UseCalibration},
		{ID: "sup", Field: "france_hors_mayotte", Dimension: "diplome", Level: "bac3_plus", Rate: 0.03, Use: UseCalibration},
	}
	f, err := FitMargins(st, ms, byID(ms), Central, "")
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, NCells)
	f.Rates(0, p)
	if got, want := logit(p[d(DiplomaBEPCCAP)])-logit(p[d(DiplomaBacToBac2)]), (logit(p[d(DiplomaNoneCEP)])-logit(p[d(DiplomaBacToBac2)]))/2; math.Abs(got-want) > 1e-9 {
		t.Errorf("BEPC effect = %g, want half the no-diploma effect, %g", got, want)
	}
	if math.Abs(p[d(DiplomaNoneCEP)]-0.40) > 1e-9 || math.Abs(p[d(DiplomaBac3Plus)]-0.03) > 1e-9 {
		t.Errorf("rates = %v", []float64{p[d(0)], p[d(1)], p[d(2)], p[d(3)]})
	}
	if mean := (p[d(0)] + p[d(1)] + p[d(2)] + p[d(3)]) / 4; math.Abs(mean-0.15) > 1e-9 {
		t.Errorf("mean rate = %g, want 0.15", mean)
	}
}

// TestFitRefusesRedundantMargins: a margin that repeats another one's group
// leaves the effects undetermined.
func TestFitRefusesRedundantMargins(t *testing.T) {
	st := []*Stratum{stratum("A", false, map[int]float64{young: 100, old: 100})}
	ms := []Margin{
		{ID: "all", Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble", Rate: 0.15, Use: UseCalibration},
		{ID: "metro", Field: "metropole", Dimension: "ensemble", Level: "ensemble", Rate: 0.16, Use: UseCalibration},
	}
	_, err := FitMargins(st, ms, byID(ms), Central, "")
	if err == nil || !strings.Contains(err.Error(), "margins all and metro describe the same people") {
		t.Errorf("FitMargins = %v, want a refusal naming the margins all and metro", err)
	}
}

// benchStrata are the strata of a run of the model on France: the 18
// régions × the 4 categories of commune, from the national seed with a
// population and an age structure of their own.
func benchStrata(b *testing.B) []*Stratum {
	nat, err := DefaultNational()
	if err != nil {
		b.Fatal(err)
	}
	seed := nat.Seed()
	rng := rand.New(rand.NewPCG(3, 4))
	var strata []*Stratum
	for _, r := range []string{"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"} {
		for _, cat := range CommuneCategories {
			st := &Stratum{Region: r, DOM: r < "10", Mayotte: r == "06", Category: cat, N: make([]float64, NCells)}
			people, old := 1e5+rng.Float64()*2e6, 0.5+rng.Float64()
			for c, v := range seed {
				st.N[c] = people * v
				if cellAge[c] >= 6 {
					st.N[c] *= old
				}
			}
			strata = append(strata, st)
		}
	}
	return strata
}

// BenchmarkFitMargins is what a run fits: the central fit, then draws
// starting from it with a design built once.
func BenchmarkFitMargins(b *testing.B) {
	strata := benchStrata(b)
	margins, err := DefaultMargins()
	if err != nil {
		b.Fatal(err)
	}
	central, err := FitMargins(strata, margins, byID(margins), Central, "")
	if err != nil {
		b.Fatal(err)
	}
	// a draw: every rate a little off the published one
	drawn := slices.Clone(margins)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range drawn {
		if drawn[i].Use != UseReference {
			drawn[i].Rate *= 1 + 0.05*rng.NormFloat64()
		}
	}
	ds := newDesigns(strata)
	b.ReportAllocs()
	for b.Loop() {
		f, err := fitMargins(strata, drawn, byID(drawn), Central, "", central, ds)
		if err != nil {
			b.Fatal(err)
		}
		if f.Iterations < 3 {
			b.Fatalf("%d Newton steps, want a draw's 3 or more", f.Iterations)
		}
	}
}
