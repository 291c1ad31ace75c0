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
