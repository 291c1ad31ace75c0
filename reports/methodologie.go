package reports

import (
	"math"
	"strings"
)

// Page model for templates/methodologie.html.tmpl. Every parameter is
// printed from site.Parameters (what mart_build_parameters recorded), never
// from a constant of this package; an empty string means "not recorded"
// and the template says so.
type (
	methodologiePage struct {
		frame
		// Threshold is the secrecy threshold, "" when unknown.
		Threshold string
		// Example is the worked example of secondary suppression, nil when
		// the threshold is unknown.
		Example *methodeExample
		// NationalRate is the calibration target, a percentage ("15,4").
		NationalRate string
		// Rates are the illectronism rates applied by age group.
		Rates []methodeRate
		// Calibrated names the age groups whose rate the calibration
		// solved ("les 25 à 29 ans, les 30 à 44 ans et les 45 à 59 ans"), and
		// CalibratedRate is their rate when they share one.
		Calibrated, CalibratedRate string
		// Weights of the fragility index, in the order of the parameters.
		Weights                 []methodeWeight
		TotalWeight, HalfWeight string
		EqualWeights            bool
		// The mediator plan: people per FTE per year, and the horizon.
		CaseloadMin, CaseloadCentral, CaseloadMax string
		Horizon                                   string // "3 ans"
		HorizonYears                              string // "3"
	}
	methodeRate struct {
		AgeGroup   string // "15 à 24 ans"
		Rate       string // a percentage, "61,9"
		Calibrated bool
	}
	methodeWeight struct {
		Label, Detail string
		Weight        string // "1", "0,5"
		Share         string // share of the total weight, a percentage
		Zero          bool
	}
	// methodeExample is a département with three communes of respondents:
	// A below the threshold, B and C above.
	methodeExample struct {
		A, B, C, Total, Hidden string
	}
)

// fragilityLabels are the French names of the fragility indicators (keys of
// isql.FragilityIndicators) and what each measures; each is oriented so that
// a higher value means a more fragile commune.
var fragilityLabels = map[string][2]string{
	"connectivity":   {"Locaux sans accès à 30\u202fMbit/s", "part des logements et locaux professionnels non éligibles à un accès fixe d’au moins 30\u202fMbit/s (Arcep, dernière période)"},
	"venue_distance": {"Distance au lieu de médiation le plus proche", "en kilomètres à vol d’oiseau, depuis les centres de la commune pondérés par leur population\u00a0; seulement dans les départements dont des lieux ont été chargés"},
	"aged_65_plus":   {"Personnes âgées de 65 ans ou plus", "part parmi les personnes de 15 ans ou plus"},
	"no_diploma":     {"Personnes sans diplôme", "part des personnes de 15 ans ou plus non scolarisées sans diplôme"},
	"poverty":        {"Pauvreté", "taux de pauvreté (Filosofi, Insee), non publié dans les petites communes"},
	"living_alone":   {"Personnes vivant seules", "part des personnes vivant seules"},
	"single_parent":  {"Familles monoparentales", "part des familles monoparentales"},
	"jobseekers":     {"Demandeurs d’emploi", "part des demandeurs d’emploi"},
}

func methodologieHTML(site Site) ([]byte, error) {
	p := site.Parameters
	m := methodologiePage{
		frame: frame{
			Title:     "Méthodologie — illectro",
			Nav:       "methodologie",
			Sources:   site.Sources,
			Generated: site.Generated,
		},
	}

	threshold := p.SecrecyThreshold
	if threshold == 0 {
		threshold = site.SecrecyThreshold
	}
	if threshold > 0 {
		m.Threshold = formatInt(int64(threshold))
	}
	if threshold >= 2 {
		// A is just below the threshold; hiding B too makes the withheld
		// cells hold A + B ≥ threshold respondents.
		t := int64(threshold)
		a, b, c := t-1, 3*t, 5*t
		m.Example = &methodeExample{
			A: formatInt(a), B: formatInt(b), C: formatInt(c),
			Total: formatInt(a + b + c), Hidden: formatInt(a + b),
		}
	}

	if p.NationalRate > 0 {
		m.NationalRate = formatUpTo(p.NationalRate*100, 3)
	}
	var calibrated []string
	calibratedRates := map[float64]bool{}
	for _, r := range p.RatesByAge {
		m.Rates = append(m.Rates, methodeRate{
			AgeGroup:   methodeAgeGroup(r.AgeGroup),
			Rate:       formatUpTo(r.Rate*100, 3),
			Calibrated: r.Calibrated,
		})
		if r.Calibrated {
			calibrated = append(calibrated, "les "+methodeAgeGroup(r.AgeGroup))
			calibratedRates[r.Rate] = true
		}
	}
	m.Calibrated = methodeList(calibrated)
	if len(calibratedRates) == 1 {
		for r := range calibratedRates {
			m.CalibratedRate = formatUpTo(r*100, 3)
		}
	}

	total := 0.0
	for _, w := range p.FragilityWeights {
		total += w.Weight
	}
	m.EqualWeights = len(p.FragilityWeights) > 0
	for _, w := range p.FragilityWeights {
		label, detail := w.Indicator, ""
		if l, ok := fragilityLabels[w.Indicator]; ok {
			label, detail = l[0], l[1]
		}
		share := noData
		if total > 0 {
			share = formatDecimal(w.Weight/total*100, 1)
		}
		m.Weights = append(m.Weights, methodeWeight{
			Label: label, Detail: detail,
			Weight: formatUpTo(w.Weight, 3), Share: share, Zero: w.Weight == 0,
		})
		if w.Weight != p.FragilityWeights[0].Weight {
			m.EqualWeights = false
		}
	}
	if total > 0 {
		m.TotalWeight = formatUpTo(total, 3)
		m.HalfWeight = formatUpTo(total/2, 3)
	}

	if p.CaseloadCentral > 0 {
		m.CaseloadMin = formatUpTo(p.CaseloadMin, 1)
		m.CaseloadCentral = formatUpTo(p.CaseloadCentral, 1)
		m.CaseloadMax = formatUpTo(p.CaseloadMax, 1)
	}
	if p.HorizonYears > 0 {
		m.HorizonYears = formatUpTo(p.HorizonYears, 2)
		m.Horizon = m.HorizonYears + "\u00a0an"
		if p.HorizonYears >= 2 {
			m.Horizon += "s"
		}
	}
	return execute("methodologie.html.tmpl", m)
}

// formatUpTo formats x like formatDecimal with at most decimals digits
// after the comma, dropping trailing zeros: 2 → "2", 61.9 → "61,9",
// 1234.5 → "1 234,5".
func formatUpTo(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return noData
	}
	s := formatDecimal(x, decimals)
	if strings.Contains(s, decimalSeparator) {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, decimalSeparator)
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// methodeAgeGroup writes an age group of the parameters in words:
// "15-24" → "15 à 24 ans", "75+" → "75 ans ou plus"; anything else as is.
func methodeAgeGroup(g string) string {
	if lo, ok := strings.CutSuffix(g, "+"); ok && lo != "" {
		return lo + "\u00a0ans ou plus"
	}
	if lo, hi, ok := strings.Cut(g, "-"); ok && lo != "" && hi != "" {
		return lo + " à " + hi + "\u00a0ans"
	}
	return g
}

// methodeList joins items as French prose: "a", "a et b", "a, b et c".
func methodeList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " et " + items[len(items)-1]
}
