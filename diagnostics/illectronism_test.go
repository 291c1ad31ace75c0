package diagnostics

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// sortedPercentile is a percentile by a full sort, the naive baseline.
func sortedPercentile(xs []float64, q float64) float64 {
	sort.Float64s(xs)
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// TestPercentiles: selection gives the values a sort gives, bit for bit,
// on draws with and without ties.
func TestPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	qs := [][2]float64{{BandLow, BandHigh}, {0, 1}, {0.5, 0.5}, {0.3, 0.31}, {0, 0}, {1, 1}, {0, 0.5}, {0.5, 1}, {0.2, 0.9}}
	for _, n := range []int{1, 2, 3, 20, 30, 31, 32, 33, 199, 200, 201, 1000} {
		for _, ties := range []int{0, 1, 3} {
			for range 50 {
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = rng.NormFloat64() * 100
					if ties > 0 {
						xs[i] = float64(rng.IntN(ties))
					}
				}
				for _, q := range qs {
					lo, hi := percentiles(slices.Clone(xs), q[0], q[1])
					wantLo, wantHi := sortedPercentile(slices.Clone(xs), q[0]), sortedPercentile(slices.Clone(xs), q[1])
					if math.Float64bits(lo) != math.Float64bits(wantLo) || math.Float64bits(hi) != math.Float64bits(wantHi) {
						t.Fatalf("percentiles(%v, %g, %g) = %v, %v; want %v, %v", xs, q[0], q[1], lo, hi, wantLo, wantHi)
					}
				}
			}
		}
	}
	// with NaN, as a sort orders them: first
	xs := []float64{3, math.NaN(), 1, 2, math.NaN()}
	lo, hi := percentiles(slices.Clone(xs), 0.5, 0.75)
	if wantLo, wantHi := sortedPercentile(slices.Clone(xs), 0.5), sortedPercentile(slices.Clone(xs), 0.75); lo != wantLo || hi != wantHi {
		t.Errorf("percentiles(%v, 0.5, 0.75) = %v, %v; want %v, %v", xs, lo, hi, wantLo, wantHi)
	}
}

// BenchmarkPercentiles is a band's two percentiles of the draws, as
// setBand takes them; BenchmarkSortedPercentiles, by sorting.
func BenchmarkPercentiles(b *testing.B) {
	benchmarkPercentiles(b, func(xs []float64) { percentiles(xs, BandLow, BandHigh) })
}

func BenchmarkSortedPercentiles(b *testing.B) {
	benchmarkPercentiles(b, func(xs []float64) {
		sortedPercentile(xs, BandLow)
		sortedPercentile(xs, BandHigh)
	})
}

// benchmarkPercentiles takes the bands of 1 000 communes in turn, as
// setBand does: the same band over and over would let the branch
// predictor learn its order.
func benchmarkPercentiles(b *testing.B, percentiles func([]float64)) {
	rng := rand.New(rand.NewPCG(1, 2))
	draws := make([]float64, 1000*DefaultDraws)
	for i := range draws {
		draws[i] = 100 * math.Exp(rng.NormFloat64()*0.1)
	}
	xs := make([]float64, DefaultDraws)
	i := 0
	for b.Loop() {
		copy(xs, draws[i*DefaultDraws:(i+1)*DefaultDraws])
		percentiles(xs)
		i = (i + 1) % 1000
	}
}

// TestModelDigest: the digest formatted by chunks is that of the whole
// slice formatted at once.
func TestModelDigest(t *testing.T) {
	nat, err := DefaultNational()
	if err != nil {
		t.Fatal(err)
	}
	margins, err := DefaultMargins()
	if err != nil {
		t.Fatal(err)
	}
	opt := ModelOptions{Program: "p", Draws: 200, National: nat, Margins: margins}
	for _, n := range []int{0, 1, 511, 512, 513, 2000} {
		communes := make([]communeInput, n)
		for i := range communes {
			communes[i] = communeInput{code: fmt.Sprint(i), p15: float64(i) / 3, age: []float64{0.5, 0.25}, lowDiploma: math.NaN()}
			communes[i].m.Age = communes[i].age
		}
		if n == 0 {
			communes = nil
		}
		h := sha256.New()
		fmt.Fprintf(h, "program %q\ndraws %d\nnational %#v\nmargins %#v\ncommunes %#v\n",
			opt.Program, opt.Draws, *opt.National, opt.Margins, communes)
		if got, want := modelDigest(opt, communes), hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("%d communes: modelDigest = %s, want %s", n, got, want)
		}
	}
}

// TestDots: dots is dot for each row, bit for bit, whatever the lengths.
func TestDots(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, m := range []int{0, 1, 4, 7, 8, NCells} {
		for _, rows := range []int{0, 1, 3, 4, 5, 9, DefaultDraws} {
			n, p := make([]float64, m), make([]float64, rows*m)
			for k := range n {
				n[k] = float64(float32(rng.ExpFloat64() * 30))
			}
			for k := range p {
				p[k] = rng.Float64()
			}
			out := make([]float64, rows)
			dots(n, p, out)
			for d := range out {
				if want := dot(n, p[d*m:(d+1)*m]); math.Float64bits(out[d]) != math.Float64bits(want) {
					t.Fatalf("%d cells, row %d of %d: dots = %v, dot = %v", m, d, rows, out[d], want)
				}
			}
		}
	}
}

// BenchmarkDots is a commune's draws, as estimate takes them;
// BenchmarkDot, one dot at a time.
func BenchmarkDots(b *testing.B) { benchmarkDots(b, dots) }
func BenchmarkDot(b *testing.B) {
	benchmarkDots(b, func(n, p, out []float64) {
		for d := range out {
			out[d] = dot(n, p[d*len(n):(d+1)*len(n)])
		}
	})
}

func benchmarkDots(b *testing.B, dots func(n, p, out []float64)) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, p := make([]float64, NCells), make([]float64, DefaultDraws*NCells)
	for k := range n {
		n[k] = rng.ExpFloat64() * 30
	}
	for k := range p {
		p[k] = rng.Float64()
	}
	out := make([]float64, DefaultDraws)
	for b.Loop() {
		dots(n, p, out)
	}
}
