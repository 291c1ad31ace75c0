package diagnostics

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The small-area model of illectronism splits the people aged 15 or more of
// each commune into cells, one per combination of the four individual
// factors Insee publishes illectronism rates for and that the local data
// describe: age, highest diploma, standard of living and living alone. The
// territory (overseas or mainland, région) is a fifth factor, common to every
// cell of a commune.

// AgeGroups are the model's age groups, fine enough that every published age
// band (15–24, 25–39, 40–59, 60–74, 75+ in 2021; 15–44, 45–59 in 2019) and
// every self-assessment band (15–29, 30–44) is a union of them.
var AgeGroups = []string{"15-24", "25-29", "30-39", "40-44", "45-59", "60-64", "65-74", "75+"}

// ageBounds are the first and last age of each group of AgeGroups; the last
// group is open.
var ageBounds = [][2]int{{15, 24}, {25, 29}, {30, 39}, {40, 44}, {45, 59}, {60, 64}, {65, 74}, {75, math.MaxInt}}

// Diploma levels of the model, from the least to the most qualified (highest
// diploma of people out of school; people still in education count with
// DiplomaBacToBac2, the level of the young who study).
const (
	DiplomaNoneCEP   = iota // aucun diplôme ou certificat d'études primaires
	DiplomaBEPCCAP          // BEPC, brevet, CAP, BEP
	DiplomaBacToBac2        // baccalauréat to bac+2, or still in education
	DiplomaBac3Plus         // bac+3 or more
	nDiplomas
)

// Standard-of-living levels of the model: the household's standard of living
// (niveau de vie) among the national quintiles.
const (
	IncomeQ1Q2 = iota // the 40 % most modest
	IncomeQ3Q4        // the middle 40 %
	IncomeQ5          // the 20 % most affluent
	nIncomes
)

// Household levels of the model.
const (
	HouseholdAlone = iota // living alone
	HouseholdOther
	nHouseholds
)

// DiplomaLevels, IncomeLevels and HouseholdLevels are the machine names of the
// levels, as written in the margins file (column modalite).
var (
	DiplomaLevels   = []string{"aucun_cep", "bepc_cap_bep", "bac_bac2_etudes", "bac3_plus"}
	IncomeLevels    = []string{"q1_q2", "q3_q4", "q5"}
	HouseholdLevels = []string{"seul", "non_seul"}
)

var nAges = len(AgeGroups)

// NCells is the number of cells a commune's population aged 15+ is split into.
var NCells = nAges * nDiplomas * nIncomes * nHouseholds

// CellIndex is the position of a cell in a commune's cell vector.
func CellIndex(age, diploma, income, household int) int {
	return ((age*nDiplomas+diploma)*nIncomes+income)*nHouseholds + household
}

// cellLevels is the inverse of CellIndex.
func cellLevels(i int) (age, diploma, income, household int) {
	household = i % nHouseholds
	i /= nHouseholds
	income = i % nIncomes
	i /= nIncomes
	diploma = i % nDiplomas
	age = i / nDiplomas
	return
}

// cellAge, cellDiploma, cellIncome and cellHousehold are cellLevels as
// tables.
var cellAge, cellDiploma, cellIncome, cellHousehold = func() (a, d, i, h []uint8) {
	a, d, i, h = make([]uint8, NCells), make([]uint8, NCells), make([]uint8, NCells), make([]uint8, NCells)
	for c := range NCells {
		ca, cd, ci, ch := cellLevels(c)
		a[c], d[c], i[c], h[c] = uint8(ca), uint8(cd), uint8(ci), uint8(ch)
	}
	return
}()

// AgeBand returns the model's age groups that make up a published band
// written "a-b" (both included) or "a+" (a or more). A band that splits a
// group is an error.
func AgeBand(band string) ([]int, error) {
	lo, hi := 0, math.MaxInt
	var err error
	if s, ok := strings.CutSuffix(band, "+"); ok {
		lo, err = strconv.Atoi(s)
	} else if a, b, ok := strings.Cut(band, "-"); ok {
		lo, err = strconv.Atoi(a)
		if err == nil {
			hi, err = strconv.Atoi(b)
		}
	} else {
		err = fmt.Errorf("want a-b or a+")
	}
	if err != nil || lo > hi {
		return nil, fmt.Errorf("age band %q: want a-b or a+ with a ≤ b", band)
	}
	var groups []int
	for g, b := range ageBounds {
		switch {
		case b[0] >= lo && b[1] <= hi:
			groups = append(groups, g)
		case b[1] >= lo && b[0] <= hi:
			return nil, fmt.Errorf("age band %q splits the model's group %s", band, AgeGroups[g])
		}
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("age band %q holds none of the model's groups", band)
	}
	return groups, nil
}

// National is the national joint distribution the cells of every commune
// start from, before they are raked to the commune's own margins: what the
// census says of how the factors go together, where the local data give each
// factor separately.
type National struct {
	// AgeShares are the shares of each age group among people aged 15+.
	AgeShares []float64
	// DiplomaByAge are, for each age group, the shares of each diploma level.
	DiplomaByAge [][nDiplomas]float64
	// AloneByAge are, for each age group, the shares living alone.
	AloneByAge []float64
	// IncomeShares are the shares of each standard-of-living level (0.4,
	// 0.4, 0.2 by the definition of quintiles); taken as independent of age.
	IncomeShares [nIncomes]float64
	// DiplomaIncome is the association between diploma and standard of
	// living in the seed: the log odds ratio per step of diploma (none/CEP,
	// BEPC/CAP/BEP, bac to bac+2, bac+3 or more) and per step of standard of
	// living (40 % most modest, middle 40 %, 20 % most affluent). 0 would
	// make them independent, which the census contradicts.
	DiplomaIncome float64
	// Under15 is the national population aged 0-14 (same source as the
	// age groups).
	Under15 float64
	// Mayotte holds Mayotte's own figures (part_15_64,
	// part_65_plus_des_15_plus, part_15_24_des_15_plus,
	// part_peu_diplomes_des_15_plus), Mayotte being outside the national
	// survey and missing from the local files.
	Mayotte map[string]float64
	// Ratios are published odds ratios at equal other characteristics;
	// CalibrateAssociation sets DiplomaIncome so that the model comes
	// closest to them.
	Ratios []AdjustedRatio
	// Rows are the rows of the structure file, as read.
	Rows []StructureRow
}

// Seed returns the national joint distribution over the cells (it sums to
// 1): the age × diploma table, the share living alone by age, and the
// standard of living associated with the diploma (DiplomaIncome), raked so
// that the age × diploma table and the standard-of-living shares are the
// national ones.
func (n *National) Seed() []float64 {
	// Age × diploma × standard of living.
	adi := make([]float64, nAges*nDiplomas*nIncomes)
	at := func(a, d, i int) int { return (a*nDiplomas+d)*nIncomes + i }
	for a := range nAges {
		for d := range nDiplomas {
			for i := range nIncomes {
				adi[at(a, d, i)] = n.AgeShares[a] * n.DiplomaByAge[a][d] * n.IncomeShares[i] *
					math.Exp(n.DiplomaIncome*float64(d*i))
			}
		}
	}
	for range 200 {
		for a := range nAges {
			for d := range nDiplomas {
				have := 0.0
				for i := range nIncomes {
					have += adi[at(a, d, i)]
				}
				f := ratio(n.AgeShares[a]*n.DiplomaByAge[a][d], have)
				for i := range nIncomes {
					adi[at(a, d, i)] *= f
				}
			}
		}
		worst := 0.0
		for i := range nIncomes {
			have := 0.0
			for a := range nAges {
				for d := range nDiplomas {
					have += adi[at(a, d, i)]
				}
			}
			worst = math.Max(worst, math.Abs(have-n.IncomeShares[i]))
			f := ratio(n.IncomeShares[i], have)
			for a := range nAges {
				for d := range nDiplomas {
					adi[at(a, d, i)] *= f
				}
			}
		}
		if worst < 1e-13 {
			break
		}
	}
	seed := make([]float64, NCells)
	for a := range nAges {
		for d := range nDiplomas {
			for i := range nIncomes {
				p := adi[at(a, d, i)]
				seed[CellIndex(a, d, i, HouseholdAlone)] = p * n.AloneByAge[a]
				seed[CellIndex(a, d, i, HouseholdOther)] = p * (1 - n.AloneByAge[a])
			}
		}
	}
	return seed
}

// Margins are what the local data say of one commune's people aged 15+, each
// factor on its own, as shares.
type Margins struct {
	// Age are the shares of each age group (summing to 1).
	Age []float64
	// LowDiploma is the share out of school with at most a BEPC, CAP or BEP
	// (the two lowest diploma levels together).
	LowDiploma float64
	// Income are the shares of each standard-of-living level (summing to 1).
	Income [nIncomes]float64
	// Alone is the share living alone.
	Alone float64
}

// Rake fits the cells of one commune to its margins by iterative proportional
// fitting: starting from seed (the national joint distribution), each margin
// in turn is matched by scaling the cells of each of its levels, until every
// margin holds within tol (absolute, on shares). The split of the low and of
// the other diploma levels, and every interaction between factors, keep the
// seed's odds ratios. out receives the cell shares (summing to 1); it must
// have NCells elements. Rake reports the number of sweeps, or an error when
// the margins cannot be met (a share outside [0, 1], or 1000 sweeps without
// convergence).
func Rake(seed []float64, m Margins, tol float64, out []float64) (int, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	return newRaking(seed, &m, out).finish(0, tol)
}

// rakeTwo is Rake of two communes at once, a into outA and b into outB:
// their sweeps interleave, each sum of one waiting on its previous sum
// while the other's goes on. Each commune's cells, sweeps and error are
// those Rake gives it.
func rakeTwo(seed []float64, a, b Margins, tol float64, outA, outB []float64) (sweepsA, sweepsB int, errA, errB error) {
	if errA, errB = a.check(), b.check(); errA != nil || errB != nil {
		if errA == nil {
			sweepsA, errA = Rake(seed, a, tol, outA)
		}
		if errB == nil {
			sweepsB, errB = Rake(seed, b, tol, outB)
		}
		return sweepsA, sweepsB, errA, errB
	}
	ra, rb := newRaking(seed, &a, outA), newRaking(seed, &b, outB)
	for sweep := 1; sweep <= 1000; sweep++ {
		worstA, worstB := sweepTwo(ra, rb)
		doneA, doneB := worstA <= tol, worstB <= tol
		switch {
		case doneA && doneB:
			return sweep, sweep, nil, nil
		case doneA:
			sweepsB, errB = rb.finish(sweep, tol)
			return sweep, sweepsB, nil, errB
		case doneB:
			sweepsA, errA = ra.finish(sweep, tol)
			return sweepsA, sweep, errA, nil
		}
	}
	return 1000, 1000, errRake, errRake
}

var errRake = errors.New("rake: margins not met after 1000 sweeps")

// check reports a share outside [0, 1] or a wrong number of age groups.
func (m *Margins) check() error {
	if len(m.Age) != nAges {
		return fmt.Errorf("rake: %d age shares, want %d", len(m.Age), nAges)
	}
	for _, v := range append(append([]float64{m.LowDiploma, m.Alone}, m.Age...), m.Income[:]...) {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("rake: share %g outside [0, 1]", v)
		}
	}
	return nil
}

// raking is a commune being raked: its cells and, for the next sweep,
// their sums by age.
type raking struct {
	m   *Margins
	out []float64
	age [16]float64
}

// The sweeps scale each factor's levels in the same pass over the cells as
// the sums of the next factor's levels (the first factor's, for the next
// sweep), and each level adds its cells in cell order. The passes follow
// the layout of CellIndex (age outermost, then diploma, standard of living,
// household), so that every sum stays in a register and the sums of
// different levels interleave. They are written for 3 levels of standard
// of living and 2 households, alone first: the build fails if that changes.
var _, _, _ = [1]struct{}{}[nIncomes-3], [1]struct{}{}[nHouseholds-2], [1]struct{}{}[HouseholdAlone]

var (
	perAge = NCells / nAges                                // cells of one age
	perLow = (DiplomaBEPCCAP + 1) * nIncomes * nHouseholds // its low-diploma cells, first
)

func newRaking(seed []float64, m *Margins, out []float64) *raking {
	r := &raking{m: m, out: out[:len(seed):len(seed)]}
	copy(r.out, seed)
	for a := range nAges {
		for _, v := range r.out[a*perAge : (a+1)*perAge] {
			r.age[a] += v
		}
	}
	return r
}

// finish sweeps r on from its sweep-th sweep until the margins hold within
// tol, and returns the number of sweeps, as Rake does.
func (r *raking) finish(sweep int, tol float64) (int, error) {
	for sweep++; sweep <= 1000; sweep++ {
		if r.sweep() <= tol {
			return sweep, nil
		}
	}
	return 1000, errRake
}

// sweep matches each margin in turn and returns how far the worst one
// was from its share before.
func (r *raking) sweep() float64 {
	out, m := r.out, r.m
	worst := 0.0
	// Age.
	var ageScale [16]float64
	for a := range nAges {
		worst = math.Max(worst, math.Abs(r.age[a]-m.Age[a]))
	}
	for a := range nAges {
		ageScale[a] = ratio(m.Age[a], r.age[a])
	}
	// Diploma: low (none/CEP and BEPC/CAP/BEP) against the rest.
	yes, no := 0.0, 0.0
	for a := range nAges {
		f, cells := ageScale[a], out[a*perAge:(a+1)*perAge]
		for c := range cells[:perLow] {
			cells[c] *= f
			yes += cells[c]
		}
		for c := perLow; c < len(cells); c++ {
			cells[c] *= f
			no += cells[c]
		}
	}
	worst = math.Max(worst, math.Abs(yes-m.LowDiploma))
	lowYes, lowNo := ratio(m.LowDiploma, yes), ratio(1-m.LowDiploma, no)
	// Standard of living: a run of 6 cells has one age and one diploma,
	// and 2 cells of each level in turn.
	q0, q1, q2 := 0.0, 0.0, 0.0
	for run := 0; run < len(out); run += 6 {
		f := lowNo
		if run%perAge < perLow {
			f = lowYes
		}
		x := out[run : run+6 : run+6]
		for c := range x {
			x[c] *= f
		}
		q0 += x[0]
		q0 += x[1]
		q1 += x[2]
		q1 += x[3]
		q2 += x[4]
		q2 += x[5]
	}
	income := [nIncomes]float64{q0, q1, q2}
	var incomeScale [nIncomes]float64
	for i := range nIncomes {
		worst = math.Max(worst, math.Abs(income[i]-m.Income[i]))
		incomeScale[i] = ratio(m.Income[i], income[i])
	}
	// Living alone: the households of a cell's other levels in turn.
	yes, no = 0, 0
	for run := 0; run < len(out); run += 6 {
		for i, f := range incomeScale {
			x := out[run+2*i : run+2*i+2 : run+2*i+2]
			x[0] *= f
			x[1] *= f
			yes += x[HouseholdAlone]
			no += x[HouseholdOther]
		}
	}
	worst = math.Max(worst, math.Abs(yes-m.Alone))
	aloneYes, aloneNo := ratio(m.Alone, yes), ratio(1-m.Alone, no)
	// Age, for the next sweep.
	for a := range nAges {
		sum, cells := 0.0, out[a*perAge:(a+1)*perAge]
		for c := 0; c < len(cells); c += 2 {
			x := cells[c : c+2 : c+2]
			x[HouseholdAlone] *= aloneYes
			x[HouseholdOther] *= aloneNo
			sum += x[0]
			sum += x[1]
		}
		r.age[a] = sum
	}
	return worst
}

// sweepTwo is a.sweep() and b.sweep(), statement by statement side by
// side.
func sweepTwo(a, b *raking) (float64, float64) {
	outA, outB, ma, mb := a.out, b.out[:len(a.out)], a.m, b.m
	worstA, worstB := 0.0, 0.0
	// Age.
	var ageA, ageB [16]float64
	for g := range nAges {
		worstA = math.Max(worstA, math.Abs(a.age[g]-ma.Age[g]))
		worstB = math.Max(worstB, math.Abs(b.age[g]-mb.Age[g]))
	}
	for g := range nAges {
		ageA[g], ageB[g] = ratio(ma.Age[g], a.age[g]), ratio(mb.Age[g], b.age[g])
	}
	// Diploma.
	yesA, noA, yesB, noB := 0.0, 0.0, 0.0, 0.0
	for g := range nAges {
		fa, ca := ageA[g], outA[g*perAge:(g+1)*perAge]
		fb, cb := ageB[g], outB[g*perAge:(g+1)*perAge]
		cb = cb[:len(ca)]
		for c := range ca[:perLow] {
			ca[c] *= fa
			yesA += ca[c]
			cb[c] *= fb
			yesB += cb[c]
		}
		for c := perLow; c < len(ca); c++ {
			ca[c] *= fa
			noA += ca[c]
			cb[c] *= fb
			noB += cb[c]
		}
	}
	worstA = math.Max(worstA, math.Abs(yesA-ma.LowDiploma))
	worstB = math.Max(worstB, math.Abs(yesB-mb.LowDiploma))
	lowYesA, lowNoA := ratio(ma.LowDiploma, yesA), ratio(1-ma.LowDiploma, noA)
	lowYesB, lowNoB := ratio(mb.LowDiploma, yesB), ratio(1-mb.LowDiploma, noB)
	// Standard of living.
	a0, a1, a2, b0, b1, b2 := 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
	for run := 0; run < len(outA); run += 6 {
		fa, fb := lowNoA, lowNoB
		if run%perAge < perLow {
			fa, fb = lowYesA, lowYesB
		}
		x, y := outA[run:run+6:run+6], outB[run:run+6:run+6]
		for c := range x {
			x[c] *= fa
			y[c] *= fb
		}
		a0 += x[0]
		b0 += y[0]
		a0 += x[1]
		b0 += y[1]
		a1 += x[2]
		b1 += y[2]
		a1 += x[3]
		b1 += y[3]
		a2 += x[4]
		b2 += y[4]
		a2 += x[5]
		b2 += y[5]
	}
	incomeA, incomeB := [nIncomes]float64{a0, a1, a2}, [nIncomes]float64{b0, b1, b2}
	var scaleA, scaleB [nIncomes]float64
	for i := range nIncomes {
		worstA = math.Max(worstA, math.Abs(incomeA[i]-ma.Income[i]))
		worstB = math.Max(worstB, math.Abs(incomeB[i]-mb.Income[i]))
		scaleA[i], scaleB[i] = ratio(ma.Income[i], incomeA[i]), ratio(mb.Income[i], incomeB[i])
	}
	// Living alone.
	yesA, noA, yesB, noB = 0, 0, 0, 0
	for run := 0; run < len(outA); run += 6 {
		for i := range nIncomes {
			x, y := outA[run+2*i:run+2*i+2:run+2*i+2], outB[run+2*i:run+2*i+2:run+2*i+2]
			fa, fb := scaleA[i], scaleB[i]
			x[0] *= fa
			x[1] *= fa
			y[0] *= fb
			y[1] *= fb
			yesA += x[HouseholdAlone]
			noA += x[HouseholdOther]
			yesB += y[HouseholdAlone]
			noB += y[HouseholdOther]
		}
	}
	worstA = math.Max(worstA, math.Abs(yesA-ma.Alone))
	worstB = math.Max(worstB, math.Abs(yesB-mb.Alone))
	aloneYesA, aloneNoA := ratio(ma.Alone, yesA), ratio(1-ma.Alone, noA)
	aloneYesB, aloneNoB := ratio(mb.Alone, yesB), ratio(1-mb.Alone, noB)
	// Age, for the next sweep.
	for g := range nAges {
		sumA, ca := 0.0, outA[g*perAge:(g+1)*perAge]
		sumB, cb := 0.0, outB[g*perAge:(g+1)*perAge]
		cb = cb[:len(ca)]
		for c := 0; c < len(ca); c += 2 {
			x, y := ca[c:c+2:c+2], cb[c:c+2:c+2]
			x[HouseholdAlone] *= aloneYesA
			x[HouseholdOther] *= aloneNoA
			y[HouseholdAlone] *= aloneYesB
			y[HouseholdOther] *= aloneNoB
			sumA += x[0]
			sumB += y[0]
			sumA += x[1]
			sumB += y[1]
		}
		a.age[g], b.age[g] = sumA, sumB
	}
	return worstA, worstB
}

// ratio is want/have, 0 when have is 0 (the cells are empty and stay so).
func ratio(want, have float64) float64 {
	if have == 0 {
		return 0
	}
	return want / have
}
