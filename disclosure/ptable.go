// Package disclosure holds the statistical disclosure control of the counts
// illectro publishes from self-assessments: the perturbation table of the
// cell-key method, and the rule that turns a cell's count and key into the
// count published.
//
// The cell-key method (Marley and Leaver 2011; Giessing 2016; used by the
// ABS TableBuilder and the ONS for the 2021 census) gives every respondent
// a fixed random record key; a cell's key is the sum of its records' keys
// modulo KeyRange; the noise added to the cell's count is read from the
// perturbation table at (count, cell key). The same respondents give the
// same cell key, so the same published value in every release and at every
// level; adding, removing or retesting a few changes the key, so the noise,
// unpredictably. Differencing two releases, or two levels, then gives the
// true difference plus the difference of two noises, never the difference
// itself.
//
// The table here follows the maximum-entropy construction of the R package
// ptable (Destatis, sdcTools): for each original count, the noise
// distribution on −D…D with mean 0 and variance V that has the largest
// entropy, among the noises that keep the published count within its
// bounds. The package is pure: no I/O, no database.
package disclosure

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// KeyBits is the number of bits of a record key and of a cell key: keys are
// integers in [0, KeyRange). 14 bits make nine independent keys out of one
// 128-bit digest per respondent, one per published measure, and give the
// table's probabilities a resolution of 1/16 384.
const KeyBits = 14

// KeyRange is the number of distinct keys, 2^KeyBits.
const KeyRange = 1 << KeyBits

// Tables of a perturbation: one for the number of respondents of a cell,
// whose published value is never below the secrecy threshold, and one for
// the counts of a measure inside it (respondents in illectronism, without a
// basic skill in an area…), which may be 0.
const (
	Respondents = "respondents"
	Measure     = "measure"
)

// Params are the parameters of the perturbation. The zero value uses the
// defaults.
type Params struct {
	// MaxNoise (D) bounds the noise: no published count differs from the
	// true one by more than MaxNoise. 0 means DefaultMaxNoise.
	MaxNoise int
	// Variance (V) is the noise's variance on counts far enough from their
	// bounds; near a bound (a count of 0, 1, 2, or just above the
	// threshold) it is smaller, as the noise cannot go below. 0 means
	// DefaultVariance.
	Variance float64
	// Threshold (T) is the smallest number of respondents published: a
	// cell of fewer is withheld, and the noise never takes a published
	// respondents count below T. 0 means 11.
	Threshold int
}

// Defaults: noise within ±3 with a variance of 1.5 (a standard deviation of
// 1.22 respondents), the order of the ABS TableBuilder's and of the tables
// Destatis gives as examples; it moves a share on 100 respondents by 1.2
// points (standard deviation), on 1 000 by 0.12.
const (
	DefaultMaxNoise  = 3
	DefaultVariance  = 1.5
	DefaultThreshold = 11
)

// WithDefaults fills zero values with the defaults and checks the rest:
// 1 ≤ D ≤ 10, 0 < V < D (a larger variance cannot keep the mean at 0 next
// to a bound), T ≥ 1.
func (p Params) WithDefaults() (Params, error) {
	if p.MaxNoise == 0 {
		p.MaxNoise = DefaultMaxNoise
	}
	if p.Variance == 0 {
		p.Variance = DefaultVariance
	}
	if p.Threshold == 0 {
		p.Threshold = DefaultThreshold
	}
	if p.MaxNoise < 1 || p.MaxNoise > 10 {
		return p, fmt.Errorf("perturbation: maximum noise %d outside 1–10", p.MaxNoise)
	}
	if !(p.Variance > 0 && p.Variance < float64(p.MaxNoise)) {
		return p, fmt.Errorf("perturbation: variance %g outside ]0, %d[ (the maximum noise)", p.Variance, p.MaxNoise)
	}
	if p.Threshold < 1 {
		return p, fmt.Errorf("perturbation: threshold %d below 1", p.Threshold)
	}
	return p, nil
}

// Row is one line of a perturbation table: the cell keys in [KeyLow,
// KeyHigh) of a cell of Count give it Noise.
type Row struct {
	Table       string  // Respondents or Measure
	Count       int     // the true count; the table's last count holds for every larger one
	Noise       int     // added to the count
	Probability float64 // (KeyHigh − KeyLow) / KeyRange
	KeyLow      int
	KeyHigh     int
}

// Table is a perturbation table: its rows, by table, count and noise.
type Table struct {
	Params Params
	Rows   []Row
}

// NewTable computes the perturbation table of p (with defaults): for the
// Measure table, counts 0…D (0 is never perturbed: an empty cell has no
// records, so no key); for the Respondents table, counts T…T+D (smaller
// cells are withheld). From count D (or T+D) on the noise can take every
// value of −D…D and its distribution no longer changes.
func NewTable(p Params) (Table, error) {
	p, err := p.WithDefaults()
	if err != nil {
		return Table{}, err
	}
	t := Table{Params: p}
	for _, tab := range []struct {
		name  string
		lower int
	}{{Measure, 0}, {Respondents, p.Threshold}} {
		for room := 0; room <= p.MaxNoise; room++ {
			probs, err := maxEntropy(room, p.MaxNoise, p.Variance)
			if err != nil {
				return Table{}, fmt.Errorf("perturbation table %s, count %d: %w", tab.name, tab.lower+room, err)
			}
			keys := quantise(probs, KeyRange)
			low := 0
			for i, k := range keys {
				if k == 0 {
					continue
				}
				t.Rows = append(t.Rows, Row{
					Table: tab.name, Count: tab.lower + room, Noise: i - room,
					Probability: float64(k) / KeyRange, KeyLow: low, KeyHigh: low + k,
				})
				low += k
			}
		}
	}
	return t, nil
}

// Noise is the noise of a cell of count with cell key key in table tab. A
// count below the table's first count has no noise (0 in Measure;
// Respondents cells below the threshold are never published).
func (t Table) Noise(tab string, count, key int) int {
	last := t.Params.MaxNoise
	if tab == Respondents {
		last += t.Params.Threshold
	}
	count = min(count, last)
	for _, r := range t.Rows {
		if r.Table == tab && r.Count == count && key >= r.KeyLow && key < r.KeyHigh {
			return r.Noise
		}
	}
	return 0
}

// Moments are the mean and variance of the noise of one row of the table,
// as quantised.
func (t Table) Moments(tab string, count int) (mean, variance float64) {
	for _, r := range t.Rows {
		if r.Table == tab && r.Count == count {
			mean += r.Probability * float64(r.Noise)
			variance += r.Probability * float64(r.Noise*r.Noise)
		}
	}
	return mean, variance - mean*mean
}

// maxEntropy is the distribution of the noise e on −room…D (indexed from
// e = −room) with mean 0 and variance v, of largest entropy: p(e) ∝
// exp(a·e + b·e²), (a, b) found by Newton's method on the convex dual
// log Σ exp(a·e + b·e²) − b·v. With room 0 the only noise of mean 0 is 0.
// Next to the bound (room·D, the largest variance a zero mean allows, close
// to v) the variance is lowered to 0.9·room·D, as in ptable.
func maxEntropy(room, d int, v float64) ([]float64, error) {
	if room == 0 {
		return []float64{1}, nil
	}
	if limit := 0.9 * float64(room*d); v > limit {
		v = limit
	}
	n := room + d + 1
	e := make([]float64, n)
	for i := range e {
		e[i] = float64(i - room)
	}
	dist := func(a, b float64) []float64 {
		p := make([]float64, n)
		top := math.Inf(-1)
		for i := range p {
			p[i] = a*e[i] + b*e[i]*e[i]
			top = math.Max(top, p[i])
		}
		sum := 0.0
		for i := range p {
			p[i] = math.Exp(p[i] - top)
			sum += p[i]
		}
		for i := range p {
			p[i] /= sum
		}
		return p
	}
	dual := func(a, b float64) float64 {
		top := math.Inf(-1)
		for i := range e {
			top = math.Max(top, a*e[i]+b*e[i]*e[i])
		}
		sum := 0.0
		for i := range e {
			sum += math.Exp(a*e[i] + b*e[i]*e[i] - top)
		}
		return top + math.Log(sum) - b*v
	}
	a, b := 0.0, -0.5/v
	for range 200 {
		p := dist(a, b)
		var m1, m2, m3, m4 float64
		for i, pi := range p {
			m1 += pi * e[i]
			m2 += pi * e[i] * e[i]
			m3 += pi * e[i] * e[i] * e[i]
			m4 += pi * e[i] * e[i] * e[i] * e[i]
		}
		g1, g2 := m1, m2-v
		if math.Abs(g1) < 1e-12 && math.Abs(g2) < 1e-12*v {
			return p, nil
		}
		// Hessian: covariance of (e, e²).
		h11, h12, h22 := m2-m1*m1, m3-m1*m2, m4-m2*m2
		det := h11*h22 - h12*h12
		if !(det > 0) {
			return nil, errors.New("maximum entropy: singular Hessian")
		}
		da, db := -(h22*g1-h12*g2)/det, -(h11*g2-h12*g1)/det
		f0, step := dual(a, b), 1.0
		for step > 1e-12 && dual(a+step*da, b+step*db) > f0+1e-4*step*(g1*da+g2*db)+1e-14 {
			step /= 2
		}
		a, b = a+step*da, b+step*db
	}
	return nil, fmt.Errorf("maximum entropy: no convergence for room %d, D %d, V %g", room, d, v)
}

// quantise turns probabilities into integer numbers of keys summing to
// total, by largest remainder, giving every positive probability at least
// one key; the distribution it yields is the one published with the table.
func quantise(p []float64, total int) []int {
	keys := make([]int, len(p))
	rest := make([]int, 0, len(p))
	used := 0
	for i, pi := range p {
		keys[i] = int(math.Floor(pi * float64(total)))
		if keys[i] == 0 && pi > 0 {
			keys[i] = 1
		}
		used += keys[i]
		rest = append(rest, i)
	}
	slices.SortStableFunc(rest, func(i, j int) int {
		ri := p[i]*float64(total) - math.Floor(p[i]*float64(total))
		rj := p[j]*float64(total) - math.Floor(p[j]*float64(total))
		switch {
		case ri > rj:
			return -1
		case ri < rj:
			return 1
		}
		return 0
	})
	for k := 0; used < total; k = (k + 1) % len(rest) {
		keys[rest[k]]++
		used++
	}
	for k := len(rest) - 1; used > total; k-- {
		if i := rest[(k+len(rest))%len(rest)]; keys[i] > 1 {
			keys[i]--
			used--
		}
	}
	return keys
}
