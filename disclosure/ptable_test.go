package disclosure

import (
	"fmt"
	"math"
	"testing"
)

func TestNewTable(t *testing.T) {
	for _, p := range []Params{{}, {MaxNoise: 2, Variance: 1, Threshold: 11}, {MaxNoise: 5, Variance: 3, Threshold: 5}} {
		t.Run(fmt.Sprintf("D%dV%gT%d", p.MaxNoise, p.Variance, p.Threshold), func(t *testing.T) {
			tab, err := NewTable(p)
			if err != nil {
				t.Fatal(err)
			}
			q := tab.Params
			for _, name := range []string{Measure, Respondents} {
				lower := 0
				if name == Respondents {
					lower = q.Threshold
				}
				for count := lower; count <= lower+q.MaxNoise; count++ {
					keys, next := 0, 0
					for _, r := range tab.Rows {
						if r.Table != name || r.Count != count {
							continue
						}
						if r.KeyLow != next || r.KeyHigh <= r.KeyLow {
							t.Errorf("%s count %d noise %d: keys [%d, %d), want to start at %d", name, count, r.Noise, r.KeyLow, r.KeyHigh, next)
						}
						next = r.KeyHigh
						keys += r.KeyHigh - r.KeyLow
						if r.Noise < -q.MaxNoise || r.Noise > q.MaxNoise {
							t.Errorf("%s count %d: noise %d beyond ±%d", name, count, r.Noise, q.MaxNoise)
						}
						if count+r.Noise < lower {
							t.Errorf("%s count %d: noise %d publishes %d, below %d", name, count, r.Noise, count+r.Noise, lower)
						}
					}
					if keys != KeyRange {
						t.Errorf("%s count %d: %d keys, want %d", name, count, keys, KeyRange)
					}
					mean, variance := tab.Moments(name, count)
					if math.Abs(mean) > 1e-3 {
						t.Errorf("%s count %d: mean noise %g, want 0", name, count, mean)
					}
					switch room := count - lower; {
					case room == 0 && variance != 0:
						t.Errorf("%s count %d: variance %g at the bound, want 0", name, count, variance)
					case room == q.MaxNoise && math.Abs(variance-q.Variance) > 2e-3:
						t.Errorf("%s count %d: variance %g, want %g", name, count, variance, q.Variance)
					case room > 0 && variance <= 0:
						t.Errorf("%s count %d: no noise", name, count)
					}
				}
			}
		})
	}
}

func TestParamsInvalid(t *testing.T) {
	for _, p := range []Params{{MaxNoise: -1}, {MaxNoise: 11}, {Variance: -1}, {MaxNoise: 2, Variance: 2}, {Threshold: -3}, {Variance: math.NaN()}} {
		if _, err := NewTable(p); err == nil {
			t.Errorf("NewTable(%+v) = nil error, want one", p)
		}
	}
}

func TestNoiseLookup(t *testing.T) {
	tab, err := NewTable(Params{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tab   string
		count int
	}{{Measure, 0}, {Measure, 1}, {Measure, 2}, {Measure, 500}, {Respondents, 11}, {Respondents, 12}, {Respondents, 10000}} {
		seen := map[int]bool{}
		for key := range KeyRange {
			seen[tab.Noise(c.tab, c.count, key)] = true
		}
		lower := 0
		if c.tab == Respondents {
			lower = 11
		}
		want := 1
		if c.count > lower {
			want = min(c.count-lower, 3) + 3 + 1
		}
		if len(seen) != want {
			t.Errorf("Noise(%s, %d, ·) takes %d values, want %d", c.tab, c.count, len(seen), want)
		}
	}
}

// TestDifferencingAttack simulates the attacker of two releases: a cell of
// n respondents, then the same cell with k more; the attacker, who knows the
// table but not the keys, takes the most likely k given both published
// counts. Without noise they are always right; with the default table they
// must be wrong most of the time, and never certain.
func TestDifferencingAttack(t *testing.T) {
	tab, err := NewTable(Params{})
	if err != nil {
		t.Fatal(err)
	}
	const n, trials = 40, 20000
	rng := uint64(1)
	next := func() int { // xorshift: keys are uniform
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % KeyRange)
	}
	right := 0
	for range trials {
		k := 1 + next()%3
		key1 := next()
		key2 := (key1 + next()) % KeyRange // k more records, each with its own key
		d := (n + k + tab.Noise(Measure, n+k, key2)) - (n + tab.Noise(Measure, n, key1))
		// the most likely k in 1…3: P(d | k) = P(e2 − e1 = d − k)
		best, bestP := 0, -1.0
		for guess := 1; guess <= 3; guess++ {
			if p := diffProbability(tab, n, d-guess); p > bestP {
				best, bestP = guess, p
			}
		}
		if best == k {
			right++
		}
	}
	rate := float64(right) / trials
	t.Logf("differencing two releases, 1–3 new respondents: the attacker's best guess is right %.1f %% of the time (33.3 %% by chance)", 100*rate)
	if rate > 0.6 {
		t.Errorf("the attacker recovers the number of new respondents %.0f %% of the time, want at most 60 %%", 100*rate)
	}
}

// diffProbability is P(e2 − e1 = d) for two independent noises of a large
// count.
func diffProbability(tab Table, count, d int) float64 {
	p := 0.0
	for _, r1 := range tab.Rows {
		if r1.Table != Measure || r1.Count != min(count, tab.Params.MaxNoise) {
			continue
		}
		for _, r2 := range tab.Rows {
			if r2.Table == Measure && r2.Count == r1.Count && r2.Noise-r1.Noise == d {
				p += r1.Probability * r2.Probability
			}
		}
	}
	return p
}

func ExampleNewTable() {
	tab, err := NewTable(Params{MaxNoise: 3, Variance: 1.5, Threshold: 11})
	if err != nil {
		panic(err)
	}
	for _, r := range tab.Rows {
		if r.Table == Measure && r.Count == 3 {
			fmt.Printf("noise %+d: %.4f\n", r.Noise, r.Probability)
		}
	}
	// Output:
	// noise -3: 0.0179
	// noise -2: 0.0890
	// noise -1: 0.2327
	// noise +0: 0.3207
	// noise +1: 0.2327
	// noise +2: 0.0890
	// noise +3: 0.0179
}

func TestRecordKeys(t *testing.T) {
	// md5("abc") = 900150983cd24fb0d6963f7d28e17f72; DuckDB's
	// md5_number('abc') = 152195979970564155685860391459828531600, whose
	// two lowest 14-bit slices are 400 and 8512.
	if got := digestKeys([]byte("abc")); got[0] != 400 || got[1] != 8512 {
		t.Errorf("digestKeys(abc) = %v, want 400, 8512, … (DuckDB's slices)", got)
	}
	keys := RecordKeys("a", 0) // "a:0"
	if len(keys) != len(Measures) {
		t.Fatalf("RecordKeys gives %d keys, want %d", len(keys), len(Measures))
	}
	for _, k := range keys {
		if k < 0 || k >= KeyRange {
			t.Errorf("key %d outside [0, %d)", k, KeyRange)
		}
	}
	if got := CellKey(KeyRange-1, 2, 5); got != 6 {
		t.Errorf("CellKey(16383, 2, 5) = %d, want 6", got)
	}
}
