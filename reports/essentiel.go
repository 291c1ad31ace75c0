package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/illectro/illectro/figures"
)

// The national page's story in ten seconds: the key figures first, then
// the ten départements with the highest value of each indicator.
type (
	// essentiel are the key figures of the national page, formatted.
	essentiel struct {
		// People in illectronism in France outside Mayotte, its band and
		// rate; "" when the model gave nothing.
		People, Low, High, Rate string
		// FTE needed over Horizon (central, low, high), summed over the
		// départements, and the three with the largest central need.
		FTE, FTELow, FTEHigh, Horizon string
		TopNeed                       []topItem
		// The three most fragile départements (rank 1 = most fragile).
		TopFragile []topItem
		// Inputs are the loaded sources with their vintage.
		Inputs []Source
	}
	// topItem is one département of a short list, with its value as shown.
	topItem struct {
		Code, Nom, Value string
	}
	// topList is the ten highest values of one indicator; the one of the
	// selected indicator is shown, carte.js shows the others.
	topList struct {
		ID, Label string
		Selected  bool
		Items     []topItem
	}
)

// keyFigures writes the key figures of the national page.
func keyFigures(site Site) essentiel {
	var e essentiel
	f := site.France
	if f.IllectronismPeople > 0 {
		e.People = formatRounded(f.IllectronismPeople)
		e.Low = formatRounded(f.IllectronismLow)
		e.High = formatRounded(f.IllectronismHigh)
		if f.IllectronismRate != nil {
			e.Rate = formatDecimal(*f.IllectronismRate*100, 1)
		}
	}
	if f.FTECentral > 0 {
		e.FTE = formatRounded(f.FTECentral)
		e.FTELow = formatRounded(f.FTELow)
		e.FTEHigh = formatRounded(f.FTEHigh)
		e.Horizon = years(site.Parameters.HorizonYears)
	}
	deps := slices.Clone(site.Departements)
	slices.SortStableFunc(deps, func(a, b figures.Departement) int {
		return cmp.Or(cmp.Compare(b.FTECentral, a.FTECentral), cmp.Compare(a.Code, b.Code))
	})
	for _, d := range deps[:min(3, len(deps))] {
		if d.FTECentral > 0 {
			e.TopNeed = append(e.TopNeed, topItem{Code: d.Code, Nom: d.Nom, Value: formatRounded(d.FTECentral)})
		}
	}
	ranked := slices.DeleteFunc(slices.Clone(site.Departements), func(d figures.Departement) bool { return d.FragilityRank == nil })
	slices.SortStableFunc(ranked, func(a, b figures.Departement) int {
		return cmp.Or(cmp.Compare(*a.FragilityRank, *b.FragilityRank), cmp.Compare(a.Code, b.Code))
	})
	for _, d := range ranked[:min(3, len(ranked))] {
		e.TopFragile = append(e.TopFragile, topItem{Code: d.Code, Nom: d.Nom, Value: formatInt(*d.FragilityRank)})
	}
	for _, s := range site.Sources {
		if s.Input && s.Vintage != "" {
			e.Inputs = append(e.Inputs, Source{Name: s.Name, Producer: s.Producer, Vintage: frenchDate(s.Vintage)})
		}
	}
	return e
}

// topTen lists, for each indicator, the ten départements with its highest
// published values (ties by code), as the table shows them.
func topTen(codes, noms []string, figs [][]figure, selected int) []topList {
	lists := make([]topList, len(indicators))
	for i, ind := range indicators {
		order := make([]int, 0, len(codes))
		for j := range codes {
			if figs[i][j].Status == published {
				order = append(order, j)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Or(cmp.Compare(figs[i][b].Value, figs[i][a].Value), cmp.Compare(codes[a], codes[b]))
		})
		lists[i] = topList{ID: ind.ID, Label: ind.Label, Selected: i == selected}
		for _, j := range order[:min(10, len(order))] {
			lists[i].Items = append(lists[i].Items, topItem{Code: codes[j], Nom: noms[j], Value: ind.tooltip(figs[i][j])})
		}
	}
	return lists
}

// synthese is the story of a département page in French sentences: its
// people in illectronism against its région and France, then against its
// neighbours, and the mediators its plan needs against the workforce
// counted.
func synthese(d figures.Departement, site Site) []string {
	var out []string
	if d.IllectronismPeople > 0 && d.IllectronismRate != nil {
		s := fmt.Sprintf("%s compte %s personnes de 15 ans ou plus estimées en illectronisme (de %s à %s), soit %s %% des 15 ans ou plus",
			d.Nom, formatRounded(d.IllectronismPeople), formatRounded(d.IllectronismLow),
			formatRounded(d.IllectronismHigh), formatDecimal(*d.IllectronismRate*100, 1))
		var against []string
		for _, t := range site.Parameters.Territories {
			if t.Level == "region" && t.Code == d.CodeRegion && d.NomRegion != "" && t.Population15Plus > 0 {
				against = append(against, fmt.Sprintf("%s %% dans la région %s", formatDecimal(t.Rate*100, 1), d.NomRegion))
			}
		}
		if r := site.France.IllectronismRate; r != nil {
			against = append(against, fmt.Sprintf("%s %% en France hors Mayotte", formatDecimal(*r*100, 1)))
		}
		if len(against) > 0 {
			s += ", contre " + strings.Join(against, " et ")
		}
		out = append(out, s+".")
	}
	if s := neighbourSentence(d, site); s != "" {
		out = append(out, s)
	}
	if d.FTECentral > 0 {
		s := fmt.Sprintf("Les accompagner toutes en %s demanderait %s médiateurs à temps plein (de %s à %s selon les hypothèses)",
			years(site.Parameters.HorizonYears), formatRounded(d.FTECentral),
			formatRounded(d.FTELow), formatRounded(d.FTEHigh))
		switch {
		case d.WorkforceCentral == nil:
			s += " ; l’effectif en place n’est pas connu"
		case d.GapCentral != nil && *d.GapCentral > 0:
			s += fmt.Sprintf(" ; l’effectif compté en représente %s, il en manque donc %s dans le scénario central",
				formatRounded(*d.WorkforceCentral), formatRounded(*d.GapCentral))
		case d.GapCentral != nil:
			s += fmt.Sprintf(" ; l’effectif compté, %s, y suffit dans le scénario central", formatRounded(*d.WorkforceCentral))
		}
		out = append(out, s+".")
	}
	return out
}

// neighbours are the départements bordering d that the site has, by name
// (as a sentence lists them; no département name starts with an accent).
func neighbours(d figures.Departement, site Site) []figures.Departement {
	var out []figures.Departement
	for _, code := range site.Neighbours[d.Code] {
		for _, n := range site.Departements {
			if n.Code == code && code != d.Code {
				out = append(out, n)
				break
			}
		}
	}
	slices.SortStableFunc(out, func(a, b figures.Departement) int { return strings.Compare(a.Nom, b.Nom) })
	return out
}

// ordinals are the French ordinal adjectives from 2 to 10: a département
// has at most ten neighbours.
var ordinals = []string{2: "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième", "neuvième", "dixième"}

// neighbourSentence places d among its neighbours: by fragility rank (only
// those with a rank count) and by estimated share in illectronism, as
// rounded on the page (only those with an estimate count). It is "" when d
// has no neighbour, or when neither comparison can be made. Both figures
// are model estimates for whole départements: no secrecy applies to them.
func neighbourSentence(d figures.Departement, site Site) string {
	ns := neighbours(d, site)
	if len(ns) == 0 {
		return ""
	}
	names := make([]string, len(ns))
	for i, n := range ns {
		names[i] = n.Nom
	}
	var clauses []string
	// whom names the neighbours a comparison rests on: all of them, or by
	// name when some have no figure.
	whom := func(with []string) string {
		switch {
		case len(with) < len(ns):
			return "pour " + frenchList(with)
		case len(with) == 1:
			return "pour son voisin"
		}
		return "pour ses voisins"
	}
	if d.FragilityRank != nil {
		var ranks []int64
		var with []string
		for _, n := range ns {
			if n.FragilityRank != nil {
				ranks = append(ranks, *n.FragilityRank)
				with = append(with, n.Nom)
			}
		}
		if len(ranks) > 0 {
			pos := 1 // 1 = the most fragile of the group
			for _, r := range ranks {
				if r < *d.FragilityRank {
					pos++
				}
			}
			var c string
			switch total := len(ranks) + 1; {
			case pos == 1:
				c = "c’est le plus fragile"
			case pos == total:
				c = "c’est le moins fragile"
			default:
				c = fmt.Sprintf("c’est le %s plus fragile des %d", ordinals[pos], total)
			}
			against := "le rang " + formatInt(ranks[0])
			if len(ranks) > 1 {
				against = "les rangs " + formatInt(slices.Min(ranks)) + " à " + formatInt(slices.Max(ranks))
			}
			against += " " + whom(with)
			c += fmt.Sprintf(" selon l’indice de fragilité numérique (rang %d, contre %s)", *d.FragilityRank, against)
			clauses = append(clauses, c)
		}
	}
	if f := share(d.IllectronismRate); f.Status == published {
		var rates []float64
		var with []string
		for _, n := range ns {
			if g := share(n.IllectronismRate); g.Status == published {
				rates = append(rates, g.Value)
				with = append(with, n.Nom)
			}
		}
		if len(rates) > 0 {
			lo, hi := slices.Min(rates), slices.Max(rates)
			whose := whom(with)
			var where string
			switch {
			case f.Value < lo:
				where = "est la plus basse"
			case f.Value > hi:
				where = "est la plus haute"
			case lo == hi:
				where = "est la même " + whose
			default:
				where = "se situe entre les leurs"
			}
			c := fmt.Sprintf("sa part estimée de personnes en illectronisme, %s %%, %s", formatDecimal(f.Value, 1), where)
			if lo != hi || f.Value != lo {
				values := formatDecimal(lo, 1) + " %"
				if lo != hi {
					values = "de " + values + " à " + formatDecimal(hi, 1) + " %"
				}
				c += " (" + values + " " + whose + ")"
			}
			clauses = append(clauses, c)
		}
	}
	if len(clauses) == 0 {
		return ""
	}
	return "Parmi ses voisins (" + strings.Join(names, ", ") + "), " + strings.Join(clauses, " ; ") + "."
}

// frenchList joins names as French does: "A", "A et B", "A, B et C".
func frenchList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " et " + names[len(names)-1]
}
