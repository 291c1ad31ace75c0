package reports

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/figures"
)

func TestKeyFiguresByHand(t *testing.T) {
	rank := func(n int64) *int64 { return &n }
	rate := 0.1537
	site := Site{
		Departements: []figures.Departement{
			{Code: "01", Nom: "Ain", FTECentral: 99.5, FragilityRank: rank(3)},
			{Code: "02", Nom: "Aisne", FTECentral: 105.49, FragilityRank: rank(1)},
			{Code: "03", Nom: "Allier", FTECentral: 60},
			{Code: "2A", Nom: "Corse-du-Sud", FTECentral: 105.49, FragilityRank: rank(2)},
		},
		France: figures.France{IllectronismPeople: 8498491.4, IllectronismLow: 8076976.5, IllectronismHigh: 8960944,
			IllectronismRate: &rate, FTECentral: 11200.4, FTELow: 8000, FTEHigh: 16000.6},
		Parameters: figures.Parameters{HorizonYears: 3},
		Sources: []Source{
			{Name: "COG", Vintage: "COG 2026"},
			{Name: "Lieux", Vintage: "2023-05-18", Input: true},
			{Name: "Sans millésime", Input: true},
		},
	}
	got := keyFigures(site)
	want := essentiel{
		People: "8\u202f498\u202f491", Low: "8\u202f076\u202f977", High: "8\u202f960\u202f944", Rate: "15,4",
		FTE: "11\u202f200", FTELow: "8\u202f000", FTEHigh: "16\u202f001", Horizon: "3\u00a0ans",
		// Ties (105.49) by code; the need rounds to whole posts.
		TopNeed:    []topItem{{"02", "Aisne", "105"}, {"2A", "Corse-du-Sud", "105"}, {"01", "Ain", "100"}},
		TopFragile: []topItem{{"02", "Aisne", "1"}, {"2A", "Corse-du-Sud", "2"}, {"01", "Ain", "3"}},
		Inputs:     []Source{{Name: "Lieux", Vintage: "18/05/2023"}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(essentiel{}, topItem{})); diff != "" {
		t.Errorf("keyFigures (-want +got):\n%s", diff)
	}
}

func TestTopTenByHand(t *testing.T) {
	codes := []string{"01", "02", "03", "04"}
	noms := []string{"A", "B", "C", "D"}
	figs := make([][]figure, len(indicators))
	for i := range figs {
		figs[i] = []figure{{Value: 2}, {Status: secret}, {Value: 5}, {Value: 2}}
	}
	lists := topTen(codes, noms, figs, iFragilite)
	if len(lists) != len(indicators) || !lists[iFragilite].Selected || lists[iTauxEstime].Selected {
		t.Fatalf("lists %+v: want one per indicator, the fragility one selected", lists)
	}
	// Highest first, ties by code, withheld and missing values left out.
	want := []topItem{{"03", "C", "5,00"}, {"01", "A", "2,00"}, {"04", "D", "2,00"}}
	if diff := cmp.Diff(want, lists[iFragilite].Items); diff != "" {
		t.Errorf("top ten (-want +got):\n%s", diff)
	}
}

func TestSyntheseByHand(t *testing.T) {
	rate, france := 0.152, 0.154
	f := func(x float64) *float64 { return &x }
	site := Site{
		France:     figures.France{IllectronismRate: &france},
		Parameters: figures.Parameters{HorizonYears: 3, Territories: []figures.Territory{{Level: "region", Code: "32", Nom: "Hauts-de-France", Population15Plus: 5e6, Rate: 0.161}}},
	}
	d := figures.Departement{Nom: "Nord", CodeRegion: "32", NomRegion: "Hauts-de-France",
		IllectronismPeople: 315905.4, IllectronismLow: 256869, IllectronismHigh: 375333, IllectronismRate: &rate,
		FTECentral: 421.2, FTELow: 305.8, FTEHigh: 595.8, WorkforceCentral: f(104), GapCentral: f(317.2)}
	want := []string{
		"Nord compte 315\u202f905 personnes de 15 ans ou plus estimées en illectronisme (de 256\u202f869 à 375\u202f333), soit 15,2 % des 15 ans ou plus, contre 16,1 % dans la région Hauts-de-France et 15,4 % en France hors Mayotte.",
		"Les accompagner toutes en 3\u00a0ans demanderait 421 médiateurs à temps plein (de 306 à 596 selon les hypothèses) ; l’effectif compté en représente 104, il en manque donc 317 dans le scénario central.",
	}
	if diff := cmp.Diff(want, synthese(d, site)); diff != "" {
		t.Errorf("synthese (-want +got):\n%s", diff)
	}
	d.GapCentral = f(-5)
	if got := synthese(d, site)[1]; !strings.HasSuffix(got, "l’effectif compté, 104, y suffit dans le scénario central.") {
		t.Errorf("surplus: %q", got)
	}
	d.WorkforceCentral, d.GapCentral = nil, nil
	if got := synthese(d, site)[1]; !strings.HasSuffix(got, "l’effectif en place n’est pas connu.") {
		t.Errorf("no workforce: %q", got)
	}
}

func TestNeighbourSentenceByHand(t *testing.T) {
	rank := func(n int64) *int64 { return &n }
	f := func(x float64) *float64 { return &x }
	// Nord and its three neighbours; rates and ranks chosen by hand.
	aisne := figures.Departement{Code: "02", Nom: "Aisne", FragilityRank: rank(3), IllectronismRate: f(0.182)}
	pdc := figures.Departement{Code: "62", Nom: "Pas-de-Calais", FragilityRank: rank(20), IllectronismRate: f(0.171)}
	somme := figures.Departement{Code: "80", Nom: "Somme", FragilityRank: rank(45), IllectronismRate: f(0.160)}
	site := func(d figures.Departement, ns ...figures.Departement) Site {
		s := Site{Departements: append([]figures.Departement{d}, ns...), Neighbours: map[string][]string{}}
		for _, n := range ns {
			s.Neighbours[d.Code] = append(s.Neighbours[d.Code], n.Code)
		}
		return s
	}
	nord := func(r *int64, rate *float64) figures.Departement {
		return figures.Departement{Code: "59", Nom: "Nord", FragilityRank: r, IllectronismRate: rate}
	}
	for _, tc := range []struct {
		name string
		d    figures.Departement
		site Site
		want string
	}{
		{
			name: "least fragile, lowest share",
			d:    nord(rank(86), f(0.152)), site: site(nord(rank(86), f(0.152)), aisne, pdc, somme),
			want: "Parmi ses voisins (Aisne, Pas-de-Calais, Somme), c’est le moins fragile selon l’indice de fragilité numérique (rang 86, contre les rangs 3 à 45 pour ses voisins) ; sa part estimée de personnes en illectronisme, 15,2 %, est la plus basse (de 16,0 % à 18,2 % pour ses voisins).",
		},
		{
			// ranks 3 < 10 < 20 < 45: second of four; 16,0 < 17,0 < 18,2
			name: "second of four, share between",
			d:    nord(rank(10), f(0.170)), site: site(nord(rank(10), f(0.170)), aisne, pdc, somme),
			want: "Parmi ses voisins (Aisne, Pas-de-Calais, Somme), c’est le deuxième plus fragile des 4 selon l’indice de fragilité numérique (rang 10, contre les rangs 3 à 45 pour ses voisins) ; sa part estimée de personnes en illectronisme, 17,0 %, se situe entre les leurs (de 16,0 % à 18,2 % pour ses voisins).",
		},
		{
			// Aisne has no rank and Somme no estimate: each is left out of
			// the comparison it cannot enter, but named.
			name: "most fragile, highest share, gaps left out",
			d:    nord(rank(1), f(0.19)),
			site: site(nord(rank(1), f(0.19)),
				figures.Departement{Code: "02", Nom: "Aisne", IllectronismRate: f(0.182)}, pdc,
				figures.Departement{Code: "80", Nom: "Somme", FragilityRank: rank(45)}),
			want: "Parmi ses voisins (Aisne, Pas-de-Calais, Somme), c’est le plus fragile selon l’indice de fragilité numérique (rang 1, contre les rangs 20 à 45 pour Pas-de-Calais et Somme) ; sa part estimée de personnes en illectronisme, 19,0 %, est la plus haute (de 17,1 % à 18,2 % pour Aisne et Pas-de-Calais).",
		},
		{
			name: "one neighbour ranked, one with an estimate",
			d:    nord(rank(50), f(0.10)),
			site: site(nord(rank(50), f(0.10)), figures.Departement{Code: "62", Nom: "Pas-de-Calais", FragilityRank: rank(20)},
				figures.Departement{Code: "80", Nom: "Somme", IllectronismRate: f(0.160)}),
			want: "Parmi ses voisins (Pas-de-Calais, Somme), c’est le moins fragile selon l’indice de fragilité numérique (rang 50, contre le rang 20 pour Pas-de-Calais) ; sa part estimée de personnes en illectronisme, 10,0 %, est la plus basse (16,0 % pour Somme).",
		},
		{
			// Unranked: only the shares; 15,204 % and 15,196 % both show
			// as 15,2 %, the same as the page says.
			name: "no rank, same share as rounded",
			d:    nord(nil, f(0.15204)),
			site: site(nord(nil, f(0.15204)), figures.Departement{Code: "62", Nom: "Pas-de-Calais", FragilityRank: rank(20), IllectronismRate: f(0.15196)}),
			want: "Parmi ses voisins (Pas-de-Calais), sa part estimée de personnes en illectronisme, 15,2 %, est la même pour son voisin.",
		},
		{
			name: "nothing to compare",
			d:    nord(nil, nil), site: site(nord(nil, nil), aisne),
			want: "",
		},
		{
			name: "neighbours without figures",
			d:    nord(rank(4), f(0.15)),
			site: site(nord(rank(4), f(0.15)), figures.Departement{Code: "02", Nom: "Aisne"}),
			want: "",
		},
		{
			name: "overseas: no neighbour",
			d:    figures.Departement{Code: "971", Nom: "Guadeloupe", FragilityRank: rank(2), IllectronismRate: f(0.3)},
			site: Site{Departements: []figures.Departement{{Code: "971"}, aisne}, Neighbours: map[string][]string{"971": nil}},
			want: "",
		},
		{
			// A code the site does not have is skipped, not printed.
			name: "unknown neighbour code",
			d:    nord(rank(86), f(0.152)),
			site: Site{Departements: []figures.Departement{nord(rank(86), f(0.152)), somme}, Neighbours: map[string][]string{"59": {"60", "80"}}},
			want: "Parmi ses voisins (Somme), c’est le moins fragile selon l’indice de fragilité numérique (rang 86, contre le rang 45 pour son voisin) ; sa part estimée de personnes en illectronisme, 15,2 %, est la plus basse (16,0 % pour son voisin).",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := neighbourSentence(tc.d, tc.site); got != tc.want {
				t.Errorf("neighbourSentence(%s) = %q, want %q", tc.d.Code, got, tc.want)
			}
		})
	}
}
