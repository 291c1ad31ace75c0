package reports

import (
	"math"

	"github.com/illectro/illectro/diagnostics"
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
	value    func(d diagnostics.Departement, threshold int) figure
}

// Positions in indicators.
const (
	iDebit = iota // the default: every département has a value
	iLieux
	iConseillers
	iIllectronisme
)

// indicators lists the mapped indicators in the order of the <select>.
var indicators = []indicator{
	{
		ID:       "debit",
		Label:    "Locaux sans accès à 30\u202fMbit/s ou plus (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		value: func(d diagnostics.Departement, _ int) figure {
			return share(d.SharePremisesBelow30Mbps)
		},
	},
	{
		ID:       "lieux",
		Label:    "Lieux de médiation numérique pour 10\u202f000 habitants",
		Unit:     "\u202fpour 10\u202f000 hab.",
		Decimals: 2,
		value: func(d diagnostics.Departement, _ int) figure {
			if d.Population <= 0 {
				return figure{Status: missing}
			}
			return number(d.VenuesPer10k, 2)
		},
	},
	{
		ID:       "conseillers",
		Label:    "Postes de conseillers numériques",
		Decimals: 0,
		value: func(d diagnostics.Departement, _ int) figure {
			return figure{Value: float64(d.MediatorPosts)}
		},
	},
	{
		ID:       "illectronisme",
		Label:    "Part des répondants en illectronisme (%)",
		Unit:     "\u202f%",
		Decimals: 1,
		value:    illectronism,
	},
}

// illectronism is the share of respondents in illectronism, in percent.
//
// Secrecy wins over data: the share is secret when diagnostics flagged it
// Suppressed or withheld its count, and also, as a second line of defence,
// when it rests on at least one but fewer than threshold respondents, even
// if a value was passed. With no respondent at all it is missing, not secret.
func illectronism(d diagnostics.Departement, threshold int) figure {
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
