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
// people in illectronism against its région and France, and the mediators
// its plan needs against the workforce counted.
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
