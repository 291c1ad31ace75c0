package reports

import (
	"math"
	"strconv"
	"strings"

	"github.com/illectro/illectro/figures"
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
		// Noise explains the perturbation, nil when the build recorded none.
		Noise *methodeNoise
		// NationalRate is the calibration target, a percentage ("15,4").
		NationalRate string
		// The published figures, by what the model does with them.
		Calibration, Checks, Variant, Benchmarks, Validation, NotModelled []methodeMargin
		// Categories are the published rates of categories of commune (AAV2020).
		Categories []methodeMargin
		// Local compares the model with published local estimates.
		Local []methodeLocal
		// Ratios are the published adjusted odds ratios and the model's.
		Ratios []methodeRatio
		// Territories are the model's estimates above the département.
		Territories []methodeTerritory
		// Association, the residual spreads, the draws and the band.
		Association, ResidualRegion, ResidualDepartement string
		Draws, BandLevel                                 string
		// LOROMean and LOROMax summarise the leave-one-région-out errors
		// (points of percentage), LOROBound is what the tests hold them to.
		LOROMean, LOROMax, LOROBound string
		// Fragility coverage of each indicator.
		Coverage []methodeCoverage
		// The France Services part of the workforce.
		FSAgents, FSShareMin, FSShareCentral, FSShareMax string
		// Weights of the fragility index, in the order of the parameters.
		Weights                 []methodeWeight
		TotalWeight, HalfWeight string
		EqualWeights            bool
		// The mediator plan: people per FTE per year, and the horizon.
		CaseloadMin, CaseloadCentral, CaseloadMax string
		Horizon                                   string // "3 ans"
		HorizonYears                              string // "3"
		// Dictionary is the data dictionary, one table per download;
		// DictionaryPath the published dictionary, "" when not published.
		Dictionary     []methodeDictionary
		DictionaryPath string
	}
	// methodeDictionary is the part of the data dictionary on one download.
	methodeDictionary struct {
		ID      string   // HTML id of the table's caption
		File    string   // "indicateurs_communes"
		Files   []string // the published files it describes, by name
		Columns []DictionaryColumn
	}
	methodeMargin struct {
		Label, Year, Field                string
		Published, Tolerance              string // percentages
		Modelled, Modelled2019, Predicted string // percentages, "—" when not given
		Error                             string // points, signed
		OK                                bool
		Fitted                            bool // a category of commune: a constraint (else a check)
		Source, URL, Status               string
	}
	methodeLocal struct {
		ID                                         string // epci
		Level, Region, Year                        string // "intercommunalités", "Hauts-de-France", "2019"
		Territories, Matched                       string
		Correlation, SDPublished, SDModelled       string
		SDRatio, MeanError, MeanAbsError, MaxError string
		Source, URL                                string
		Gaps                                       []methodeGap
	}
	methodeGap struct {
		Label, Published, Modelled, Error string
	}
	methodeRatio struct {
		Label, Published, Modelled string
	}
	methodeTerritory struct {
		Nom, Rate, Band, People, PeopleBand string
	}
	methodeCoverage struct {
		Label, Own, Filled string
		Kept               bool
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
	// methodeNoise is the cell-key perturbation as the page explains it.
	methodeNoise struct {
		Max, Variance, SD string
		// Far is the noise's distribution on a count of at least Max (every
		// noise possible).
		Far []methodeNoiseProb
		// One is the distribution for a count of 1, aligned on Far's noises
		// ("0" where it cannot go); ZeroFromOne the percentage of 1 → 0.
		One         []string
		ZeroFromOne string
		// AtThreshold is the threshold: a respondents count never goes below.
		AtThreshold string
		// Precision: the standard deviation the noise adds to a share of
		// 15 % on 20, 100 and 1 000 respondents, in points.
		Precision []methodeNoisePrecision
		// Example: a département of N respondents, X of them in
		// illectronism, with cell keys KN and KX.
		N, X, KN, KX, EN, EX, PN, PX, Share, TrueShare string
	}
	methodeNoiseProb struct {
		Noise, Probability string
	}
	methodeNoisePrecision struct {
		N, SD, Unit string
	}
)

// fragilityLabels are the French names of the fragility indicators (keys of
// isql.FragilityIndicators) and what each measures; each is oriented so that
// a higher value means a more fragile commune.
var fragilityLabels = map[string][2]string{
	"connectivity":   {"Locaux sans accès à 30\u202fMbit/s", "part des logements et locaux professionnels non éligibles à un accès fixe d’au moins 30\u202fMbit/s (Arcep, dernière période)"},
	"venue_distance": {"Distance au site France Services le plus proche", "en kilomètres à vol d’oiseau, depuis les centres de la commune pondérés par leur population, jusqu’au réseau listé partout (liste nationale des France Services), pour que toutes les communes se comparent"},
	"aged_65_plus":   {"Personnes âgées de 65 ans ou plus", "part parmi les personnes de 15 ans ou plus"},
	"no_diploma":     {"Personnes peu ou pas diplômées", "part des personnes de 15 ans ou plus sorties de l’école avec au plus un CAP ou un BEP"},
	"poverty":        {"Foyers à bas revenus", "part des foyers fiscaux dont le revenu fiscal de référence ne dépasse pas 12\u202f000\u00a0€ (DGFiP), non publiée dans les petites communes"},
	"living_alone":   {"Ménages d’une personne", "part des ménages d’une personne parmi les ménages"},
	"single_parent":  {"Familles monoparentales", "part des ménages de familles monoparentales parmi les ménages"},
	"jobseekers":     {"Demandeurs d’emploi", "demandeurs d’emploi (catégories A, B, C) rapportés aux actifs de 15 à 64 ans"},
}

func methodologieHTML(site Site) ([]byte, error) {
	p := site.Parameters
	m := methodologiePage{
		frame: frame{
			Title:     "Méthodologie — illectro",
			Nav:       "methodologie",
			Sources:   site.Sources,
			Loaded:    loadedLines(site.LoadedFiles),
			Banner:    syntheticBanner(site.Synthetic),
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

	m.Noise = noiseExplained(p, threshold)
	m.Dictionary, m.DictionaryPath = dictionaryTables(site.Dictionary, site.Downloads)

	if p.NationalRate > 0 {
		m.NationalRate = formatUpTo(p.NationalRate*100, 3)
	}
	pct := func(x float64) string { return formatUpTo(x*100, 2) }
	opt := func(x *float64) string {
		if x == nil {
			return noData
		}
		return pct(*x)
	}
	var loroSum, loroMax float64
	for _, r := range p.Margins {
		mm := methodeMargin{
			Label: r.Label, Year: strconv.Itoa(r.Year), Field: methodeField(r.Field),
			Published: pct(r.Published), Tolerance: formatUpTo(r.Tolerance*100, 2),
			Modelled: opt(r.Modelled), Modelled2019: opt(r.Modelled2019), Predicted: opt(r.PredictedWithout),
			OK: r.WithinTolerance, Source: r.Source, URL: r.URL, Status: r.Status,
		}
		switch {
		case r.Dimension == figures.DimensionCategory && r.Use != "non_modelise":
			if r.PredictedWithout != nil {
				mm.Error = signed((*r.PredictedWithout - r.Published) * 100)
			} else if r.Modelled != nil {
				mm.Error = signed((*r.Modelled - r.Published) * 100)
			}
			mm.Fitted = r.Use == "benchmark"
			m.Categories = append(m.Categories, mm)
			continue
		}
		switch r.Use {
		case "calage", "calage_2021":
			m.Calibration = append(m.Calibration, mm)
		case "controle", "controle_minimum":
			m.Checks = append(m.Checks, mm)
		case "structure_2019", "controle_2019", "reference":
			m.Variant = append(m.Variant, mm)
		case "benchmark":
			if r.PredictedWithout != nil {
				e := (*r.PredictedWithout - r.Published) * 100
				mm.Error = signed(e)
				loroSum += math.Abs(e)
				loroMax = math.Max(loroMax, math.Abs(e))
			}
			m.Benchmarks = append(m.Benchmarks, mm)
		case "validation":
			if r.Modelled != nil {
				mm.Error = signed((*r.Modelled - r.Published) * 100)
			}
			m.Validation = append(m.Validation, mm)
		default:
			m.NotModelled = append(m.NotModelled, mm)
		}
	}
	if n := len(m.Benchmarks); n > 0 {
		m.LOROMean = formatDecimal(loroSum/float64(n), 1)
		m.LOROMax = formatDecimal(loroMax, 1)
		m.LOROBound = formatUpTo(p.LOROBound*100, 1)
	}
	for _, r := range p.Ratios {
		m.Ratios = append(m.Ratios, methodeRatio{
			Label:     methodeRatioLabel(r),
			Published: formatUpTo(r.Published, 1), Modelled: formatUpTo(r.Modelled, 1),
		})
	}
	for _, t := range p.Territories {
		m.Territories = append(m.Territories, methodeTerritory{
			Nom: t.Nom, Rate: formatDecimal(t.Rate*100, 1),
			Band:       formatDecimal(t.RateLow*100, 1) + " à " + formatDecimal(t.RateHigh*100, 1),
			People:     formatInt(int64(math.Round(t.People))),
			PeopleBand: formatInt(int64(math.Round(t.PeopleLow))) + " à " + formatInt(int64(math.Round(t.PeopleHigh))),
		})
	}
	regions := map[string]string{}
	for _, t := range p.Territories {
		if t.Level == "region" {
			regions[t.Code] = t.Nom
		}
	}
	for _, v := range p.Local {
		level := v.Level
		if level == "epci" {
			level = "intercommunalités"
		}
		region := regions[v.Region]
		if region == "" {
			region = v.Region
		}
		ml := methodeLocal{
			ID: v.Level, Level: level, Region: region, Year: strconv.Itoa(v.Year),
			Territories: formatInt(int64(v.Territories)), Matched: formatInt(int64(v.Matched)),
			Correlation: formatDecimal(v.Correlation, 2),
			SDPublished: formatDecimal(v.SDPublished*100, 2), SDModelled: formatDecimal(v.SDModelled*100, 2),
			MeanError: signed2(v.MeanError * 100), MeanAbsError: formatDecimal(v.MeanAbsErr*100, 2),
			MaxError: formatDecimal(v.MaxAbsError*100, 1), Source: v.Source, URL: v.URL,
		}
		if v.SDPublished > 0 {
			ml.SDRatio = formatDecimal(v.SDModelled/v.SDPublished, 2)
		}
		for _, g := range v.Gaps {
			ml.Gaps = append(ml.Gaps, methodeGap{Label: g.Label, Published: pct(g.Published), Modelled: pct(g.Modelled), Error: signed(g.Error * 100)})
		}
		m.Local = append(m.Local, ml)
	}
	m.Association = formatDecimal(p.Association, 2)
	m.ResidualRegion = formatDecimal(p.ResidualRegion*100, 1)
	m.ResidualDepartement = formatDecimal(p.ResidualDepartement*100, 1)
	m.Draws = formatInt(int64(p.Draws))
	m.BandLevel = formatUpTo((p.BandHigh-p.BandLow)*100, 0)
	for _, c := range p.FragilityCoverage {
		label := c.Indicator
		if l, ok := fragilityLabels[c.Indicator]; ok {
			label = l[0]
		}
		m.Coverage = append(m.Coverage, methodeCoverage{Label: label,
			Own: formatDecimal(c.CommuneCoverage*100, 1), Filled: formatDecimal(c.FilledCoverage*100, 1), Kept: c.Kept})
	}
	if p.FranceServicesAgents > 0 {
		m.FSAgents = formatUpTo(p.FranceServicesAgents, 1)
		m.FSShareMin = formatUpTo(p.FranceServicesShareMin*100, 1)
		m.FSShareCentral = formatUpTo(p.FranceServicesShareCentral*100, 1)
		m.FSShareMax = formatUpTo(p.FranceServicesShareMax*100, 1)
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

// signed writes a difference in points with its sign and one decimal:
// "+1,3", "−0,4".
func signed(x float64) string { return signedDecimals(x, 1) }

// signed2 is signed with two decimals.
func signed2(x float64) string { return signedDecimals(x, 2) }

func signedDecimals(x float64, decimals int) string {
	k := math.Pow(10, float64(decimals))
	switch r := math.Round(x*k) / k; {
	case r > 0:
		return "+" + formatDecimal(r, decimals)
	case r < 0:
		return "\u2212" + formatDecimal(-r, decimals)
	}
	return formatDecimal(0, decimals)
}

// methodeField names a margin's territory in French.
func methodeField(f string) string {
	switch {
	case f == "france_hors_mayotte":
		return "France hors Mayotte"
	case f == "metropole":
		return "France métropolitaine"
	case f == "dom_hors_mayotte":
		return "Outre-mer hors Mayotte"
	case strings.HasPrefix(f, "region:"):
		return "Région " + strings.TrimPrefix(f, "region:")
	case strings.HasPrefix(f, "departement:"):
		return "Département " + strings.TrimPrefix(f, "departement:")
	}
	return f
}

// ratioLevels name the levels of the published ratios in French.
var ratioLevels = map[string]string{
	"aucun_cep": "sans diplôme ou CEP", "bac3_plus": "bac\u00a0+\u00a03 ou plus",
	"q1_q2": "ménages les plus modestes", "q5": "20\u00a0% les plus aisés",
	"seul": "personnes seules", "non_seul": "autres ménages",
}

// methodeRatioLabel writes a published ratio's comparison in French.
func methodeRatioLabel(r figures.RatioResult) string {
	name := func(l string) string {
		if n, ok := ratioLevels[l]; ok {
			return n
		}
		return l
	}
	return name(r.Numerator) + " contre " + name(r.Denominator)
}

// noiseExplained turns the perturbation parameters and table of the build
// into the figures of the methodology page, nil when there are none.
func noiseExplained(p figures.Parameters, threshold int) *methodeNoise {
	if p.PerturbationMaxNoise == 0 || len(p.Perturbation) == 0 {
		return nil
	}
	d, v := p.PerturbationMaxNoise, p.PerturbationVariance
	n := &methodeNoise{Max: formatInt(int64(d)), Variance: formatUpTo(v, 2), SD: formatUpTo(math.Sqrt(v), 2)}
	signed := func(e int) string { // typographic minus
		switch {
		case e > 0:
			return "+" + formatInt(int64(e))
		case e < 0:
			return "−" + formatInt(int64(-e))
		}
		return "0"
	}
	noise := func(table string, count, key int) int {
		last := 0
		for _, r := range p.Perturbation {
			if r.Table == table {
				last = max(last, r.Count)
			}
		}
		for _, r := range p.Perturbation {
			if r.Table == table && r.Count == min(count, last) && key >= r.KeyLow && key < r.KeyHigh {
				return r.Noise
			}
		}
		return 0
	}
	one := map[int]float64{}
	for _, r := range p.Perturbation {
		switch {
		case r.Table == "measure" && r.Count == d:
			n.Far = append(n.Far, methodeNoiseProb{Noise: signed(r.Noise), Probability: formatUpTo(r.Probability*100, 1)})
		case r.Table == "measure" && r.Count == 1:
			one[r.Noise] = r.Probability
		}
	}
	for e := -d; e <= d; e++ {
		n.One = append(n.One, formatUpTo(one[e]*100, 1))
	}
	n.ZeroFromOne = formatUpTo(one[-1]*100, 1)
	n.AtThreshold = formatInt(int64(threshold))
	for _, size := range []int{20, 100, 1000} {
		sd := math.Sqrt(v*(1+0.15*0.15)) / float64(size) * 100
		unit := "point"
		if math.Round(sd*10) >= 20 {
			unit = "points"
		}
		n.Precision = append(n.Precision, methodeNoisePrecision{N: formatInt(int64(size)), SD: formatUpTo(sd, 2), Unit: unit})
	}
	// The worked example: 40 respondents, 6 in illectronism, with two
	// cell keys picked for the illustration.
	const count, inClass, keyN, keyX = 40, 6, 9000, 3000
	en, ex := noise("respondents", count, keyN), noise("measure", inClass, keyX)
	n.N, n.X, n.KN, n.KX = formatInt(count), formatInt(inClass), formatInt(keyN), formatInt(keyX)
	n.EN, n.EX = signed(en), signed(ex)
	n.PN, n.PX = formatInt(int64(count+en)), formatInt(int64(inClass+ex))
	n.Share = formatUpTo(float64(min(inClass+ex, count+en))/float64(count+en)*100, 1)
	n.TrueShare = formatUpTo(float64(inClass)/count*100, 1)
	return n
}

// dictionaryTables groups the data dictionary by download, in its order,
// each with the names of the published files it describes (the downloads
// whose name starts with it), and finds the published dictionary.
func dictionaryTables(cols []DictionaryColumn, downloads []Download) (tables []methodeDictionary, path string) {
	for _, c := range cols {
		if len(tables) == 0 || tables[len(tables)-1].File != c.File {
			t := methodeDictionary{ID: "legende-dictionnaire-" + strings.ReplaceAll(c.File, "_", "-"), File: c.File}
			for _, d := range downloads {
				name := d.Path[strings.LastIndexByte(d.Path, '/')+1:]
				if strings.HasPrefix(name, c.File+".") || strings.HasPrefix(name, c.File+"_") {
					t.Files = append(t.Files, name)
				}
			}
			tables = append(tables, t)
		}
		tables[len(tables)-1].Columns = append(tables[len(tables)-1].Columns, c)
	}
	for _, d := range downloads {
		if strings.HasSuffix(d.Path, "/dictionnaire_donnees.csv") || d.Path == "dictionnaire_donnees.csv" {
			path = d.Path
		}
	}
	return tables, path
}
