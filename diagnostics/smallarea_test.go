package diagnostics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestAgeBand(t *testing.T) {
	for _, tc := range []struct {
		band string
		want []int
		err  bool
	}{
		{"15-24", []int{0}, false},
		{"25-39", []int{1, 2}, false},
		{"40-59", []int{3, 4}, false},
		{"60-74", []int{5, 6}, false},
		{"75+", []int{7}, false},
		{"15-44", []int{0, 1, 2, 3}, false},
		{"60+", []int{5, 6, 7}, false},
		{"15+", []int{0, 1, 2, 3, 4, 5, 6, 7}, false},
		{"25-34", nil, true}, // splits 30-39
		{"70+", nil, true},   // splits 65-74
		{"abc", nil, true},
		{"30-20", nil, true},
		{"0-9", nil, true},
	} {
		got, err := AgeBand(tc.band)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("AgeBand(%q) = %v, %v; want %v, error %v", tc.band, got, err, tc.want, tc.err)
		}
	}
}

func TestCellIndexRoundTrip(t *testing.T) {
	seen := make([]bool, NCells)
	for a := range nAges {
		for d := range nDiplomas {
			for i := range nIncomes {
				for h := range nHouseholds {
					c := CellIndex(a, d, i, h)
					if seen[c] {
						t.Fatalf("CellIndex(%d, %d, %d, %d) = %d twice", a, d, i, h, c)
					}
					seen[c] = true
					if ga, gd, gi, gh := cellLevels(c); ga != a || gd != d || gi != i || gh != h {
						t.Errorf("cellLevels(%d) = %d %d %d %d, want %d %d %d %d", c, ga, gd, gi, gh, a, d, i, h)
					}
				}
			}
		}
	}
}

// testNational is a national structure where the old hold fewer diplomas
// and live alone more often than the young.
func testNational() *National {
	n := &National{
		AgeShares:    []float64{0.15, 0.07, 0.15, 0.08, 0.24, 0.07, 0.13, 0.11},
		AloneByAge:   []float64{0.06, 0.15, 0.13, 0.12, 0.15, 0.22, 0.27, 0.42},
		IncomeShares: [nIncomes]float64{0.4, 0.4, 0.2},
	}
	young := [nDiplomas]float64{0.10, 0.20, 0.45, 0.25}
	old := [nDiplomas]float64{0.55, 0.25, 0.12, 0.08}
	for a := range nAges {
		w := float64(a) / float64(nAges-1)
		var d [nDiplomas]float64
		for l := range d {
			d[l] = (1-w)*young[l] + w*old[l]
		}
		n.DiplomaByAge = append(n.DiplomaByAge, d)
	}
	return n
}

// TestRake checks that the raked cells meet every margin and keep the
// seed's odds ratios: the association of age with diploma and with living
// alone is the national one, only the levels move.
func TestRake(t *testing.T) {
	seed := testNational().Seed()
	if s := sum(seed); math.Abs(s-1) > 1e-12 {
		t.Fatalf("seed sums to %g, want 1", s)
	}
	m := Margins{
		Age:        []float64{0.10, 0.05, 0.10, 0.07, 0.25, 0.09, 0.18, 0.16},
		LowDiploma: 0.55,
		Income:     [nIncomes]float64{0.55, 0.35, 0.10},
		Alone:      0.25,
	}
	out := make([]float64, NCells)
	sweeps, err := Rake(seed, m, 1e-10, out)
	if err != nil {
		t.Fatal(err)
	}
	if sweeps > 200 {
		t.Errorf("Rake took %d sweeps", sweeps)
	}
	var age [8]float64
	var low, alone float64
	var income [nIncomes]float64
	for c, v := range out {
		a, d, i, h := cellLevels(c)
		age[a] += v
		income[i] += v
		if d <= DiplomaBEPCCAP {
			low += v
		}
		if h == HouseholdAlone {
			alone += v
		}
	}
	for a := range nAges {
		if math.Abs(age[a]-m.Age[a]) > 1e-9 {
			t.Errorf("age %s = %g, want %g", AgeGroups[a], age[a], m.Age[a])
		}
	}
	for i := range nIncomes {
		if math.Abs(income[i]-m.Income[i]) > 1e-9 {
			t.Errorf("income %s = %g, want %g", IncomeLevels[i], income[i], m.Income[i])
		}
	}
	if math.Abs(low-m.LowDiploma) > 1e-9 || math.Abs(alone-m.Alone) > 1e-9 {
		t.Errorf("low diploma %g, alone %g; want %g, %g", low, alone, m.LowDiploma, m.Alone)
	}
	// Odds ratio of (75+, alone) against (15-24, other), at the same
	// diploma and income: the seed's.
	or := func(x []float64) float64 {
		d, i := DiplomaBacToBac2, IncomeQ3Q4
		return x[CellIndex(7, d, i, HouseholdAlone)] * x[CellIndex(0, d, i, HouseholdOther)] /
			(x[CellIndex(7, d, i, HouseholdOther)] * x[CellIndex(0, d, i, HouseholdAlone)])
	}
	if got, want := or(out), or(seed); math.Abs(got/want-1) > 1e-9 {
		t.Errorf("odds ratio age × alone = %g after raking, %g in the seed", got, want)
	}
	// And of (none/CEP against BEPC/CAP), which the low-diploma margin
	// cannot see: its split follows the seed.
	split := func(x []float64) float64 {
		return x[CellIndex(7, DiplomaNoneCEP, 0, 0)] / x[CellIndex(7, DiplomaBEPCCAP, 0, 0)]
	}
	if got, want := split(out), split(seed); math.Abs(got/want-1) > 1e-9 {
		t.Errorf("none/CEP ÷ BEPC at 75+ = %g after raking, %g in the seed", got, want)
	}
}

func TestRakeRefusesImpossibleMargins(t *testing.T) {
	seed := testNational().Seed()
	out := make([]float64, NCells)
	for _, m := range []Margins{
		{Age: make([]float64, 3)},
		{Age: []float64{1, 0, 0, 0, 0, 0, 0, 0}, LowDiploma: 1.2, Income: [nIncomes]float64{1, 0, 0}},
		{Age: []float64{1, 0, 0, 0, 0, 0, 0, 0}, LowDiploma: math.NaN(), Income: [nIncomes]float64{1, 0, 0}},
	} {
		if _, err := Rake(seed, m, 1e-9, out); err == nil {
			t.Errorf("Rake(%+v) succeeded, want an error", m)
		}
	}
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// benchMargins are the margins of a commune of each kind: old and rural,
// young and urban, average.
var benchMargins = []Margins{
	{Age: []float64{0.10, 0.05, 0.10, 0.07, 0.25, 0.09, 0.18, 0.16}, LowDiploma: 0.55, Income: [nIncomes]float64{0.55, 0.35, 0.10}, Alone: 0.25},
	{Age: []float64{0.20, 0.12, 0.18, 0.08, 0.20, 0.06, 0.09, 0.07}, LowDiploma: 0.30, Income: [nIncomes]float64{0.30, 0.40, 0.30}, Alone: 0.35},
	{Age: []float64{0.14, 0.07, 0.13, 0.08, 0.24, 0.09, 0.14, 0.11}, LowDiploma: 0.45, Income: [nIncomes]float64{0.40, 0.40, 0.20}, Alone: 0.20},
}

// BenchmarkRake rakes one commune of each kind of benchMargins, as the
// model rakes every commune.
func BenchmarkRake(b *testing.B) {
	seed := testNational().Seed()
	out := make([]float64, NCells)
	sweeps := 0
	for b.Loop() {
		for _, m := range benchMargins {
			n, err := Rake(seed, m, 1e-9, out)
			if err != nil {
				b.Fatal(err)
			}
			sweeps += n
		}
	}
	b.ReportMetric(float64(sweeps)/float64(b.N*len(benchMargins)), "sweeps/commune")
}

// naiveRake is Rake as first written, one loop over the cells per
// margin: the baseline of BenchmarkRake, which Rake must match bit for bit.
func naiveRake(seed []float64, m Margins, tol float64, out []float64) (int, error) {
	if len(m.Age) != nAges {
		return 0, fmt.Errorf("rake: %d age shares, want %d", len(m.Age), nAges)
	}
	for _, v := range append(append([]float64{m.LowDiploma, m.Alone}, m.Age...), m.Income[:]...) {
		if !(v >= 0 && v <= 1) {
			return 0, fmt.Errorf("rake: share %g outside [0, 1]", v)
		}
	}
	copy(out, seed)
	var byLevel [16]float64
	for sweep := 1; sweep <= 1000; sweep++ {
		worst := 0.0
		// Age.
		clear(byLevel[:])
		for c, v := range out {
			byLevel[cellAge[c]] += v
		}
		for a := range nAges {
			worst = math.Max(worst, math.Abs(byLevel[a]-m.Age[a]))
		}
		var scale [16]float64
		for a := range nAges {
			scale[a] = ratio(m.Age[a], byLevel[a])
		}
		for c := range out {
			out[c] *= scale[cellAge[c]]
		}
		// Diploma: low (none/CEP and BEPC/CAP/BEP) against the rest.
		worst = math.Max(worst, rakeSplit(out, cellLowDiploma, m.LowDiploma))
		// Standard of living.
		clear(byLevel[:])
		for c, v := range out {
			byLevel[cellIncome[c]] += v
		}
		for i := range nIncomes {
			worst = math.Max(worst, math.Abs(byLevel[i]-m.Income[i]))
			scale[i] = ratio(m.Income[i], byLevel[i])
		}
		for c := range out {
			out[c] *= scale[cellIncome[c]]
		}
		// Living alone.
		worst = math.Max(worst, rakeSplit(out, cellAlone, m.Alone))
		if worst <= tol {
			return sweep, nil
		}
	}
	return 1000, fmt.Errorf("rake: margins not met after 1000 sweeps")
}

// The cells on the "yes" side of the model's two binary factors.
var cellLowDiploma, cellAlone = func() (low, alone []bool) {
	low, alone = make([]bool, NCells), make([]bool, NCells)
	for c := range NCells {
		low[c] = cellDiploma[c] <= DiplomaBEPCCAP
		alone[c] = cellHousehold[c] == HouseholdAlone
	}
	return
}()

// rakeSplit is one raking step on a binary factor: it scales the cells in
// the set to share of the total and the others to 1 − share, and returns
// how far the set was from share before.
func rakeSplit(out []float64, in []bool, share float64) float64 {
	yes, no := 0.0, 0.0
	for c, v := range out {
		if in[c] {
			yes += v
		} else {
			no += v
		}
	}
	yesScale, noScale := ratio(share, yes), ratio(1-share, no)
	for c := range out {
		if in[c] {
			out[c] *= yesScale
		} else {
			out[c] *= noScale
		}
	}
	return math.Abs(yes - share)
}

// BenchmarkRakeTwo rakes the communes of BenchmarkRake, and the first
// again, two at a time.
func BenchmarkRakeTwo(b *testing.B) {
	seed := testNational().Seed()
	outA, outB := make([]float64, NCells), make([]float64, NCells)
	ms := append(slices.Clone(benchMargins), benchMargins[0])
	for b.Loop() {
		for i := 0; i < len(ms); i += 2 {
			if _, _, errA, errB := rakeTwo(seed, ms[i], ms[i+1], 1e-9, outA, outB); errA != nil || errB != nil {
				b.Fatal(errA, errB)
			}
		}
	}
}

func BenchmarkNaiveRake(b *testing.B) {
	seed := testNational().Seed()
	out := make([]float64, NCells)
	for b.Loop() {
		for _, m := range benchMargins {
			if _, err := naiveRake(seed, m, 1e-9, out); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// randomMargins are a commune's margins, at random.
func randomMargins(rng *rand.Rand) Margins {
	m := Margins{Age: make([]float64, nAges), LowDiploma: 0.05 + 0.9*rng.Float64(), Alone: 0.05 + 0.5*rng.Float64()}
	total := 0.0
	for a := range m.Age {
		m.Age[a] = rng.Float64()
		total += m.Age[a]
	}
	for a := range m.Age {
		m.Age[a] /= total
	}
	q12 := 0.1 + 0.6*rng.Float64()
	q3 := (1 - q12) * rng.Float64()
	m.Income = [nIncomes]float64{q12, q3, 1 - q12 - q3}
	return m
}

// TestRakeTwo: each commune raked two at a time gets naiveRake's cells,
// sweeps and error, whichever converges first or fails.
func TestRakeTwo(t *testing.T) {
	seed := testNational().Seed()
	rng := rand.New(rand.NewPCG(9, 10))
	outs, want := [2][]float64{make([]float64, NCells), make([]float64, NCells)}, make([]float64, NCells)
	for n := range 300 {
		ms := [2]Margins{randomMargins(rng), randomMargins(rng)}
		tol := [2]float64{1e-9, 1e-12}[n%2]
		switch n % 10 {
		case 3:
			ms[0].Alone = 1.5 // refused
		case 4:
			ms[1].Age = ms[1].Age[:3] // refused
		case 5:
			ms[1].Age = slices.Repeat([]float64{0.5}, nAges) // never met
		}
		var sweeps [2]int
		var errs [2]error
		sweeps[0], sweeps[1], errs[0], errs[1] = rakeTwo(seed, ms[0], ms[1], tol, outs[0], outs[1])
		for l := range 2 {
			nn, nerr := naiveRake(seed, ms[l], tol, want)
			if fmt.Sprint(errs[l]) != fmt.Sprint(nerr) {
				t.Fatalf("rakeTwo(%+v): error %v, naiveRake %v", ms[l], errs[l], nerr)
			}
			if nerr != nil && !strings.Contains(nerr.Error(), "sweeps") {
				continue // refused: nothing raked
			}
			if sweeps[l] != nn {
				t.Fatalf("rakeTwo(%+v) = %d sweeps, naiveRake %d", ms[l], sweeps[l], nn)
			}
			for c := range want {
				if math.Float64bits(outs[l][c]) != math.Float64bits(want[c]) {
					t.Fatalf("rakeTwo(%+v): cell %d = %v, naiveRake %v", ms[l], c, outs[l][c], want[c])
				}
			}
		}
	}
}

// TestRakeAsNaive: Rake's cells are naiveRake's, bit for bit, on random
// margins.
func TestRakeAsNaive(t *testing.T) {
	seed := testNational().Seed()
	rng := rand.New(rand.NewPCG(7, 8))
	got, want := make([]float64, NCells), make([]float64, NCells)
	for range 500 {
		m := randomMargins(rng)
		n, err := Rake(seed, m, 1e-9, got)
		nn, nerr := naiveRake(seed, m, 1e-9, want)
		if n != nn || (err == nil) != (nerr == nil) {
			t.Fatalf("Rake(%+v) = %d, %v; naiveRake %d, %v", m, n, err, nn, nerr)
		}
		for c := range got {
			if math.Float64bits(got[c]) != math.Float64bits(want[c]) {
				t.Fatalf("Rake(%+v): cell %d = %v, naiveRake %v", m, c, got[c], want[c])
			}
		}
	}
}
