package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/illectro/illectro/figures"
)

// status says whether a figure is published.
type status int

const (
	published status = iota
	missing          // no data: shown as "—", grey on the map
	secret           // withheld by statistical secrecy: shown as "s", grey on the map
)

// figure is one indicator value of one département, rounded as displayed.
type figure struct {
	Value  float64 // in display units (percentage points for shares); 0 unless published
	Status status
}

// indicator is one choice of the map's <select>.
type indicator struct {
	ID       string // stable identifier used by carte.js and the <option> value
	Label    string // French, shown in the <select>, the tooltip and the series name
	Unit     string // appended to the value in tooltips and scale ends ("" for counts)
	Decimals int
	// Symbols draws the indicator, a count, as circles proportional to the
	// value rather than as coloured areas (classes.go).
	Symbols bool
	// Diverging marks a signed count (a gap): its circles are red and
	// filled above 0, blue and hollow below, so that a surplus and a
	// deficit never look alike.
	Diverging bool
	// Below and Above name the two signs of a diverging count, in French.
	Below, Above string
	// Inputs are the input kinds (ingest.Kind) the indicator rests on;
	// Model: it also rests on the small-area model of illectronism,
	// calibrated on published margins (provenance.go).
	Inputs []string
	Model  bool
	value  func(d figures.Departement, threshold int) figure
}

// Positions in indicators.
const (
	iFragilite = iota // the default
	iTauxEstime
	iPersonnesEstimees
	iEcart
	iDebit
	iDistance
	iLieux
	iConseillers
	iIllectronisme
)

// indicators lists the mapped indicators in the order of the <select>.
var indicators = []indicator{
	{
		ID:       "fragilite",
		Label:    "Indice de fragilité numérique (1 à 10)",
		Decimals: 2,
		Inputs:   []string{"coverage", "venues", "socio"},
		value: func(d figures.Departement, _ int) figure {
			return optional(d.FragilityScore, 2)
		},
	},
	{
		ID:       "taux-estime",
		Label:    "Part estimée des 15 ans ou plus en illectronisme (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		Inputs:   []string{"socio"},
		Model:    true,
		value: func(d figures.Departement, _ int) figure {
			return share(d.IllectronismRate)
		},
	},
	{
		ID:       "personnes-estimees",
		Label:    "Personnes estimées en illectronisme",
		Decimals: 0,
		Symbols:  true,
		Inputs:   []string{"socio"},
		Model:    true,
		value: func(d figures.Departement, _ int) figure {
			return estimated(d, d.IllectronismPeople, 0)
		},
	},
	{
		ID:        "ecart",
		Label:     "Médiateurs à recruter, scénario central (ETP)",
		Unit:      "\u202fETP",
		Decimals:  1,
		Symbols:   true,
		Diverging: true,
		Below:     "en trop",
		Above:     "à recruter",
		Inputs:    []string{"socio", "mediators"},
		Model:     true,
		value: func(d figures.Departement, _ int) figure {
			if d.IllectronismRate == nil {
				return figure{Status: missing}
			}
			return optional(d.GapCentral, 1)
		},
	},
	{
		ID:       "debit",
		Label:    "Locaux sans accès à 30\u202fMbit/s ou plus (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		Inputs:   []string{"coverage"},
		value: func(d figures.Departement, _ int) figure {
			return share(d.SharePremisesBelow30Mbps)
		},
	},
	{
		ID:       "distance",
		Label:    "Population à plus de 10\u202fkm d’un lieu de médiation (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		Inputs:   []string{"venues"},
		value: func(d figures.Departement, _ int) figure {
			return share(d.ShareBeyond10km)
		},
	},
	{
		ID:       "lieux",
		Label:    "Lieux de médiation numérique pour 10\u202f000 habitants",
		Unit:     "\u202fpour 10\u202f000 hab.",
		Decimals: 2,
		Inputs:   []string{"venues"},
		value: func(d figures.Departement, _ int) figure {
			if d.Population <= 0 {
				return figure{Status: missing}
			}
			return optional(d.VenuesPer10k, 2)
		},
	},
	{
		ID:       "conseillers",
		Label:    "Postes de conseillers numériques",
		Decimals: 0,
		Symbols:  true,
		Inputs:   []string{"mediators"},
		value: func(d figures.Departement, _ int) figure {
			return count(d.MediatorPosts)
		},
	},
	{
		ID:       "illectronisme",
		Label:    "Part des répondants à l’autodiagnostic en illectronisme (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		Inputs:   []string{"assessments"},
		value:    illectronism,
	},
}

// count is *n, or missing when n is nil (no input covers the territory).
func count(n *int64) figure {
	if n == nil {
		return figure{Status: missing}
	}
	return figure{Value: float64(*n)}
}

// optional rounds *p, or is missing when p is nil.
func optional(p *float64, decimals int) figure {
	if p == nil {
		return figure{Status: missing}
	}
	return number(*p, decimals)
}

// illectronism is the share of respondents in illectronism, in percent.
//
// Secrecy wins over data: the share is secret when diagnostics flagged it
// Suppressed or withheld its count, and also, as a second line of defence,
// when it rests on at least one but fewer than threshold respondents, even
// if a value was passed. With no respondent at all it is missing, not secret.
func illectronism(d figures.Departement, threshold int) figure {
	if d.Suppressed || d.Respondents == nil || (*d.Respondents > 0 && *d.Respondents < int64(threshold)) {
		return figure{Status: secret}
	}
	return share(d.ShareIllectronism)
}

// share converts a 0–1 share to percentage points rounded to one decimal.
func share(p *float64) figure {
	if p == nil {
		return figure{Status: missing}
	}
	return number(*p*100, 1)
}

// number rounds x to decimals digits; NaN and ±Inf are missing, since they
// can be neither displayed nor encoded in JSON.
func number(x float64, decimals int) figure {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return figure{Status: missing}
	}
	p := math.Pow10(decimals)
	return figure{Value: math.Round(x*p) / p}
}

// text is the figure as shown in the table, without unit: "12,3", "—" or "s".
func (ind indicator) text(f figure) string {
	switch f.Status {
	case missing:
		return noData
	case secret:
		return "s"
	}
	return formatDecimal(f.Value, ind.Decimals)
}

// tooltip is the figure as shown in the map's tooltip, with its unit.
func (ind indicator) tooltip(f figure) string {
	switch f.Status {
	case missing:
		return "non disponible"
	case secret:
		return "s (secret statistique)"
	}
	return formatDecimal(f.Value, ind.Decimals) + ind.Unit
}

// scaleMax is a round upper bound for the colour scale: the largest
// published value rounded up to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power
// of ten, or 1 when
// nothing is published. The scale always starts at 0 so that colours compare
// across départements honestly.
func scaleMax(values []float64) float64 {
	largest := 0.0
	for _, v := range values {
		largest = max(largest, v)
	}
	if largest <= 0 {
		return 1
	}
	exp := math.Floor(math.Log10(largest))
	for _, step := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		// Work on integers scaled by 10^-exp so that 0.85 does not become
		// 0.8500000000000001.
		if exp >= 0 {
			bound := step * math.Pow10(int(exp))
			if bound >= largest {
				return bound
			}
			continue
		}
		bound := step / math.Pow10(int(-exp))
		if bound >= largest {
			return bound
		}
	}
	return 10 * math.Pow10(int(exp))
}

// figureCell is a table cell of an indicator's figure.
func figureCell(ind indicator, f figure) cell {
	c := cell{Text: ind.text(f), Secret: f.Status == secret}
	if f.Status == published {
		c.Sort = strconv.FormatFloat(f.Value, 'f', -1, 64)
	}
	return c
}

// numberCell is a table cell of a number with decimals.
func numberCell(f figure, decimals int) cell {
	return figureCell(indicator{Decimals: decimals}, f)
}

// estimated is x, a figure derived from the illectronism estimate of d,
// rounded to decimals; missing when d has no estimate.
func estimated(d figures.Departement, x float64, decimals int) figure {
	if d.IllectronismRate == nil {
		return figure{Status: missing}
	}
	return number(x, decimals)
}

// sortInt is the sort key of an optional count.
func sortInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// rankCell is the fragility rank with its change since the previous build:
// "▲ 3" when the département moved 3 places towards the most fragile, "▼ 2"
// the other way, "=" unchanged; the words are in the title for screen
// readers and in print.
func rankCell(d figures.Departement) cell {
	if d.FragilityRank == nil {
		return cell{Text: noData}
	}
	c := cell{Text: strconv.FormatInt(*d.FragilityRank, 10), Sort: strconv.FormatInt(*d.FragilityRank, 10)}
	if d.PreviousFragilityRank == nil {
		return c
	}
	switch delta := *d.PreviousFragilityRank - *d.FragilityRank; {
	case delta > 0:
		c.Extra = fmt.Sprintf("(▲\u202f%d, plus fragile)", delta)
	case delta < 0:
		c.Extra = fmt.Sprintf("(▼\u202f%d, moins fragile)", -delta)
	default:
		c.Extra = "(=)"
	}
	return c
}
