package reports

import (
	"strings"
	"testing"

	"github.com/illectro/illectro/figures"
)

// Every page says when synthetic inputs were loaded, and credits the files
// no source describes, never naming a self-assessment file.
func TestProvenance(t *testing.T) {
	site := pagesSite()
	site.Synthetic = []string{"assessments", "coverage"}
	site.LoadedFiles = []figures.LoadedFiles{
		{Kind: "assessments", Names: []string{"pix_export_jean_dupont.csv"}, Count: 2, LoadedOn: "2026-11-30"},
		{Kind: "venues", Names: []string{"d.csv", "c.csv", "b.csv", "a.csv", "z.csv"}, Count: 5, LoadedOn: "2026-12-01"},
	}
	for _, p := range pages {
		page := renderPage(t, p.render, site)
		for _, want := range []string{
			`<p class="bandeau-synthetique" role="note">Données synthétiques`,
			"(autodiagnostics et couverture)",
			"Fichiers chargés depuis la boîte de dépôt ou une source configurée (autodiagnostics)&#160;: ",
			"2\u00a0fichiers (noms non publiés, secret statistique), dernier chargé le 30/11/2026.",
			`«&#160;<span translate="no">d.csv</span>&#160;», «&#160;<span translate="no">c.csv</span>&#160;», «&#160;<span translate="no">b.csv</span>&#160;» et 2 autres, dernier chargé le 01/12/2026.`,
		} {
			if !strings.Contains(page, Typeset(want)) {
				t.Errorf("%s lacks %q", p.name, want)
			}
		}
		if strings.Contains(page, "jean_dupont") {
			t.Errorf("%s names a self-assessment file", p.name)
		}
	}
	site.Synthetic, site.LoadedFiles = nil, nil
	for _, p := range pages {
		if page := renderPage(t, p.render, site); strings.Contains(page, "bandeau-synthetique") || strings.Contains(page, "boîte de dépôt") {
			t.Errorf("%s has a banner or loaded files without any", p.name)
		}
	}
}

// Beside the map, each indicator names the inputs of its kinds with their
// vintage, the inbox's files by count and date, the model when estimated,
// and how many départements have a value.
func TestIndicatorProvenance(t *testing.T) {
	sources := []Source{
		{Name: "COG", Vintage: "COG 2026"}, // reference data: not an input
		{Name: "Ma connexion internet", Vintage: "2019 T3", Input: true, Kind: "coverage"},
		{Name: "Lieux (Nord)", Vintage: "2023-05-18", Input: true, Kind: "venues"},
	}
	loaded := []figures.LoadedFiles{{Kind: "venues", Names: []string{"a.csv", "b.csv"}, Count: 2, LoadedOn: "2026-12-01"}}
	figs := []figure{{Value: 1}, {Value: 2}, {Status: missing}, {Status: secret}}
	tests := []struct {
		ind  indicator
		want string
	}{
		{indicators[iDebit], "Données\u00a0: Ma connexion internet (millésime 2019 T3). Valeur publiée pour 2 départements sur 4 (1 non disponible, 1 sous le secret statistique)."},
		{indicators[iLieux], "Données\u00a0: Lieux (Nord) (millésime 18/05/2023)\u202f; 2\u00a0fichiers déposés (lieux de médiation, chargés le 01/12/2026). Valeur publiée pour 2 départements sur 4 (1 non disponible, 1 sous le secret statistique)."},
		{indicators[iConseillers], "Données\u00a0: aucune donnée chargée. Valeur publiée pour 2 départements sur 4 (1 non disponible, 1 sous le secret statistique)."},
		{indicators[iTauxEstime], "Données\u00a0: modèle d’estimation calé sur les marges publiées par l’Insee (voir la méthodologie). Valeur publiée pour 2 départements sur 4 (1 non disponible, 1 sous le secret statistique)."},
	}
	for _, tt := range tests {
		if got := indicatorProvenance(tt.ind, sources, loaded, figs); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.ind.ID, got, tt.want)
		}
	}
	if got := indicatorProvenance(indicators[iDebit], sources, nil, figs[:2]); !strings.HasSuffix(got, "Valeur publiée pour 2 départements sur 2.") {
		t.Errorf("full coverage: %q", got)
	}
}

// Each row of a département's summary names its inputs with their vintage.
func TestInputVintages(t *testing.T) {
	sources := []Source{
		{Name: "COG", Vintage: "COG 2026"},
		{Name: "Ma connexion internet", Vintage: "2019 T3", Input: true, Kind: "coverage"},
	}
	loaded := []figures.LoadedFiles{{Kind: "venues", Count: 2, LoadedOn: "2026-12-01"}}
	tests := []struct {
		kinds []string
		want  string
	}{
		{[]string{"coverage"}, "Ma connexion internet, 2019 T3"},
		{[]string{"venues"}, "lieux de médiation déposés, chargés le 01/12/2026"},
		{[]string{"model", "coverage"}, "modèle d’estimation (marges publiées de l’Insee)\u202f; Ma connexion internet, 2019 T3"},
		{[]string{"mediators"}, "—"},
		{nil, "—"},
	}
	for _, tt := range tests {
		if got := inputVintages(tt.kinds, sources, loaded); got != tt.want {
			t.Errorf("inputVintages(%v) = %q, want %q", tt.kinds, got, tt.want)
		}
	}
	// Every summary row says what it rests on.
	for _, c := range summary(figures.Departement{FragilityScore: new(float64)}, figures.France{}, 10) {
		if _, ok := summaryInputs[c.Label]; !ok {
			t.Errorf("summary row %q has no inputs in summaryInputs", c.Label)
		}
	}
}
