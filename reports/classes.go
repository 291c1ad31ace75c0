package reports

import (
	"math"
	"slices"
)

// How the national map draws an indicator.
//
// A rate or an index colours the départements in three classes of equal
// size (terciles of the published values). Three, not five: two adjacent
// fills then differ by a contrast ratio of at least 3:1 (WCAG's threshold
// for graphical objects), which no sequential palette of four or more
// classes can reach, and the 90 % bands of the estimates are too wide for
// finer classes to mean a difference. The exact value of every département
// is in its tooltip, the ten-highest list and the table.
//
// A count (people, posts, mediators to recruit) is a circle whose area is
// proportional to the value, drawn on a neutral map: a coloured area would
// make a large, sparsely populated département look like a large count.
// Départements without a value are grey and hatched in both cases.

// classColours are the fills of the three classes, from ColorBrewer's YlGnBu
// (sequential, readable with colour vision deficiencies): the contrast
// ratio between adjacent fills is 3.18 and 4.42 (TestClassContrast).
var classColours = []string{"#edf8b1", "#1d91c0", "#081d58"}

// Colours of the count maps: the départements' neutral fill, the outline
// of every département (7:1 against the page's white, so that the
// lightest class never merges with the background), and the circles.
const (
	neutralFill   = "#f2f2f2"
	outlineColour = "#595959"
	symbolColour  = "#1d91c0"
	// Gap circles: red and filled for a deficit (mediators to recruit),
	// blue and hollow for a surplus, so that the sign reads without colour.
	deficitColour = "#b2182b"
	surplusColour = "#2166ac"
	// maxSymbol is the diameter, in pixels, of the reference circle.
	maxSymbol = 48
)

// class is one colour class: values v with Min <= v < Max; the last class
// includes its Max. Label is French, with the unit.
type class struct {
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Last   bool    `json:"dernier"`
	Label  string  `json:"libelle"`
	Colour string  `json:"couleur"`
}

// classes cuts the published values of ind into terciles: the breaks are
// the values at ranks n/3 and 2n/3, so each class holds about a third of
// the départements (ties keep equal values together, which can leave fewer
// than three classes, and a class of one value). It returns nil when
// nothing is published.
func (ind indicator) classes(figs []figure) []class {
	var values []float64
	for _, f := range figs {
		if f.Status == published {
			values = append(values, f.Value)
		}
	}
	if len(values) == 0 {
		return nil
	}
	slices.Sort(values)
	n := len(values)
	// breaks are the classes' lower bounds: the smallest value, then the
	// values at ranks n/3 and 2n/3, or, in a run of ties, the first value
	// above it.
	breaks := []float64{values[0]}
	for _, k := range []int{n / 3, 2 * n / 3} {
		for j := k; j < n; j++ {
			if values[j] > breaks[len(breaks)-1] {
				breaks = append(breaks, values[j])
				break
			}
		}
	}
	var out []class
	for i, lo := range breaks {
		c := class{Min: lo, Max: values[n-1], Last: i+1 == len(breaks)}
		if !c.Last {
			c.Max = breaks[i+1]
		}
		from, to := formatDecimal(c.Min, ind.Decimals)+ind.Unit, formatDecimal(c.Max, ind.Decimals)+ind.Unit
		switch {
		case c.Min == c.Max:
			c.Label = from
		case c.Last:
			c.Label = "de " + from + " à " + to
		default:
			c.Label = "de " + from + " à moins de " + to
		}
		out = append(out, c)
	}
	// Spread the palette over the classes there are: its ends always.
	switch len(out) {
	case 1:
		out[0].Colour = classColours[1]
	case 2:
		out[0].Colour, out[1].Colour = classColours[0], classColours[2]
	default:
		for i := range out {
			out[i].Colour = classColours[i]
		}
	}
	return out
}

// symbolReference is the value of the reference circle of a count map (a
// round number at least as large as every absolute value, see scaleMax),
// whose diameter is maxSymbol pixels.
func (ind indicator) symbolReference(figs []figure) float64 {
	var abs []float64
	for _, f := range figs {
		if f.Status == published {
			abs = append(abs, math.Abs(f.Value))
		}
	}
	return scaleMax(abs)
}

// symbolDiameter is the diameter in pixels of the circle of v, whose area is
// proportional to |v|, on a map whose reference value is ref.
func symbolDiameter(v, ref float64) float64 {
	if v == 0 || ref <= 0 {
		return 0
	}
	return maxSymbol * math.Sqrt(math.Abs(v)/ref)
}

// reading says how to read the indicator's map, in French.
func (ind indicator) reading() string {
	switch {
	case ind.Symbols && ind.Diverging:
		return "Cercle rouge plein\u00a0: " + ind.Above + "\u202f; cercle bleu vide\u00a0: " + ind.Below + ". La surface du cercle est proportionnelle à l’écart."
	case ind.Symbols:
		return "La surface du cercle est proportionnelle à la valeur."
	}
	return "Trois classes d’effectif égal (un tiers des départements chacune)\u00a0: plus la couleur est foncée, plus la valeur est élevée."
}
