package reports

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/disclosure"
	"github.com/illectro/illectro/figures"
)

// The external tests own -update; these golden files have their own flag.
var updatePages = flag.Bool("update-pages", false, "rewrite the golden files of testdata/pages")

// perturbationRows is the default perturbation table, as a build records it.
func perturbationRows() []figures.PerturbationRow {
	tab, err := disclosure.NewTable(disclosure.Params{})
	if err != nil {
		panic(err)
	}
	rows := make([]figures.PerturbationRow, len(tab.Rows))
	for i, r := range tab.Rows {
		rows[i] = figures.PerturbationRow{Table: r.Table, Count: r.Count, Noise: r.Noise, Probability: r.Probability, KeyLow: r.KeyLow, KeyHigh: r.KeyHigh}
	}
	return rows
}

// pagesSite is a hand-made Site for the methodology and quality pages: the
// default parameters of a build, and a ledger with a loaded venue file (one
// reject, findings in two départements), a refused assessment file and a
// mediator file with rejects.
func pagesSite() Site {
	return Site{
		Generated:        "2026-11-23",
		SecrecyThreshold: 11,
		Departements: []figures.Departement{
			{Code: "59", Nom: "Nord"},
			{Code: "62", Nom: "Pas-de-Calais"},
		},
		Downloads: []Download{
			{Path: "telechargements/indicateurs_communes.csv", Title: "Indicateurs par commune (CSV)", Format: "CSV", Bytes: 6019253},
			{Path: "telechargements/indicateurs_communes.xlsx", Title: "Indicateurs par commune (Excel)", Format: "XLSX", Bytes: 3000000},
			{Path: "telechargements/lieux_mediation.geojson", Title: "Lieux de médiation numérique (GeoJSON)", Format: "GeoJSON", Bytes: 2153153},
			{Path: "telechargements/dictionnaire_donnees.csv", Title: "Dictionnaire des données (CSV)", Format: "CSV", Bytes: 41870},
		},
		Dictionary: []DictionaryColumn{
			{File: "indicateurs_communes", Name: "code_insee", Label: "Code Insee de la commune", Unit: "code",
				Definition: "Code Insee de la commune (COG 2026), à lire comme du texte (01001, 2A004).", Source: "Insee, Code officiel géographique 2026"},
			{File: "indicateurs_communes", Name: "illectronism_share_est", Label: "Part des 15 ans ou plus en illectronisme (estimation centrale)", Unit: "part (0–1)",
				Definition: "illectronism_people_est / population_15_plus, de 0 à 1 (0,139 = 13,9 %). Colonne illectronism_rate_est des marts.", Source: "Calcul illectro"},
			{File: "lieux_mediation", Name: "nom", Label: "Nom du lieu <b>", Unit: "texte", Definition: "Nom du lieu, tel que listé.", Source: "Lieux de médiation numérique"},
		},
		Sources: []Source{
			{Name: "Ma connexion internet : éligibilité par commune (bêta)", Producer: "Arcep", Vintage: "2019 T3 (30/09/2019)", Licence: "Licence Ouverte / Etalab 2.0", URL: "https://maconnexioninternet.arcep.fr"},
			{Name: "Autodiagnostics de compétences numériques (SYNTHÉTIQUES)", Producer: "illectro gen (données fictives)", Vintage: "graine 2026", Licence: "sans objet (généré)"},
		},
		Parameters: figures.Parameters{
			SecrecyThreshold:     11,
			PerturbationMaxNoise: 3, PerturbationVariance: 1.5, Perturbation: perturbationRows(),
			CaseloadMin: 210, CaseloadCentral: 250, CaseloadMax: 280,
			HorizonYears: 3,
			Draws:        200, BandLow: 0.05, BandHigh: 0.95, LOROBound: 0.02,
			FranceServicesAgents: 2, FranceServicesShareMin: 0, FranceServicesShareCentral: 0.1, FranceServicesShareMax: 0.2,
			FragilityWeights: []figures.Weight{
				{Indicator: "connectivity", Weight: 1}, {Indicator: "venue_distance", Weight: 1},
				{Indicator: "aged_65_plus", Weight: 1}, {Indicator: "no_diploma", Weight: 1},
				{Indicator: "poverty", Weight: 1}, {Indicator: "living_alone", Weight: 1},
				{Indicator: "single_parent", Weight: 1}, {Indicator: "jobseekers", Weight: 1},
			},
			NationalRate:        0.154,
			Association:         0.347,
			ResidualRegion:      0.098,
			ResidualDepartement: 0.1,
			Margins: []figures.MarginResult{
				{ID: "2021-ensemble", Year: 2021, Field: "france_hors_mayotte", Dimension: "ensemble", Level: "ensemble",
					Label: "Ensemble des 15 ans ou plus", Published: 0.154, Tolerance: 0.0005, Use: "calage",
					Modelled: fp(0.154), Modelled2019: fp(0.154), WithinTolerance: true,
					Source: "Insee Première n° 1953", URL: "https://www.insee.fr/fr/statistiques/7633654", Status: "vérifié sur insee.fr"},
				{ID: "2021-age-75+", Year: 2021, Field: "france_hors_mayotte", Dimension: "age", Level: "75+",
					Label: "75 ans ou plus", Published: 0.619, Tolerance: 0.0005, Use: "calage_2021",
					Modelled: fp(0.619), Modelled2019: fp(0.6159), WithinTolerance: true,
					Source: "Insee Première n° 1953", URL: "https://www.insee.fr/fr/statistiques/7633654", Status: "via presse"},
				{ID: "2021-metropole", Year: 2021, Field: "metropole", Dimension: "ensemble", Level: "ensemble",
					Label: "France métropolitaine", Published: 0.15, Tolerance: 0.005, Use: "controle",
					Modelled: fp(0.1527), WithinTolerance: true, Source: "Insee Première n° 1953", URL: "https://www.weka.fr/", Status: "via presse"},
				{ID: "2019-metropole", Year: 2019, Field: "metropole", Dimension: "ensemble", Level: "ensemble",
					Label: "France métropolitaine, 2019", Published: 0.16, Tolerance: 0.005, Use: "reference",
					Modelled: fp(0.1527), WithinTolerance: true, Source: "Insee Analyses n° 85", URL: "https://www.insee.fr/fr/statistiques/7636058", Status: "vérifié sur insee.fr"},
				{ID: "2019-region-94", Year: 2019, Field: "region:94", Dimension: "ensemble", Level: "ensemble",
					Label: "Corse (2019)", Published: 0.25, Tolerance: 0.01, Use: "benchmark", Reference: "2019-metropole",
					Modelled: fp(0.25), PredictedWithout: fp(0.183), WithinTolerance: true,
					Source: "Insee Flash Corse n° 77", URL: "https://www.insee.fr/fr/statistiques/7454782", Status: "vérifié sur insee.fr"},
				{ID: "2019-departement-58", Year: 2019, Field: "departement:58", Dimension: "ensemble", Level: "ensemble",
					Label: "Nièvre (2019)", Published: 0.24, Tolerance: 0.01, Use: "validation", Reference: "2019-metropole",
					Modelled: fp(0.2237), Source: "Insee Analyses Bourgogne-Franche-Comté n° 97", URL: "https://www.insee.fr/fr/statistiques/6443258", Status: "intertitre"},
				{ID: "2019-commune-hors-influence", Year: 2019, Field: "metropole", Dimension: "categorie_commune", Level: "hors_attraction",
					Label: "Communes les plus éloignées des villes", Published: 0.22, Tolerance: 0.005, Use: "benchmark", Reference: "2019-metropole",
					Modelled: fp(0.22), PredictedWithout: fp(0.1984), WithinTolerance: true,
					Source: "Insee Analyses n° 85", URL: "https://www.insee.fr/fr/statistiques/7636058", Status: "vérifié sur insee.fr"},
				{ID: "2019-commune-grandes-villes", Year: 2019, Field: "metropole", Dimension: "categorie_commune", Level: "grande_aire",
					Label: "Plus grandes villes", Published: 0.13, Tolerance: 0.005, Use: "validation", Reference: "2019-metropole",
					Modelled: fp(0.1285), WithinTolerance: true,
					Source: "Insee Analyses n° 85", URL: "https://www.insee.fr/fr/statistiques/7636058", Status: "définition incertaine"},
				{ID: "2021-pcs-cadres", Year: 2021, Field: "france_hors_mayotte", Dimension: "pcs", Level: "cadres",
					Label: "Cadres", Published: 0.02, Tolerance: 0.005, Use: "non_modelise", WithinTolerance: true,
					Source: "Insee Première n° 1953", URL: "https://www.boursier.com/", Status: "via presse"},
			},
			Local: []figures.LocalValidation{{
				Level: "epci", Region: "32", Year: 2019, Territories: 93, Matched: 91, Correlation: 0.95,
				SDPublished: 0.0239, SDModelled: 0.024, MeanError: 0.0015, MeanAbsErr: 0.0059, MaxAbsError: 0.027,
				Source: "Insee Analyses Hauts-de-France n° 118", URL: "https://www.insee.fr/fr/statistiques/4986976",
				Gaps: []figures.LocalGap{{Label: "CA des Deux Baies en Montreuillois", Published: 0.191, Modelled: 0.218, Error: 0.027}},
			}},
			Ratios: []figures.RatioResult{
				{Dimension: "diplome", Numerator: "aucun_cep", Denominator: "bac3_plus", Published: 7, Modelled: 8.3},
			},
			Territories: []figures.Territory{
				{Level: "france", Nom: "France hors Mayotte", Population15Plus: 55e6, People: 8.5e6, PeopleLow: 8.1e6, PeopleHigh: 8.9e6, Rate: 0.154, RateLow: 0.146, RateHigh: 0.162},
			},
			FragilityCoverage: []figures.IndicatorCoverage{
				{Indicator: "poverty", CommuneCoverage: 0.158, FilledCoverage: 0.99, Kept: true},
				{Indicator: "jobseekers", CommuneCoverage: 0.002, FilledCoverage: 0.002, Kept: false},
			},
		},
		Quality: figures.Quality{
			// Self-assessment files are never listed (the SQL leaves them
			// out); their freshness gives the day only.
			Freshness: []figures.Freshness{
				{Kind: "assessments", LatestLoaded: "2026-11-23T00:00:00Z", Withheld: true},
				{Kind: "venues", Files: 1, LatestFile: "lieux_mediation_numerique.csv", LatestLoaded: "2026-11-22T18:00:00Z"},
			},
			Files: []figures.QualityFile{
				{FileID: 3, Kind: "mediators", Name: "cnum_structures_2023-07-25.csv", Format: "cnum", Status: "loaded", StartedAt: "2026-11-23T07:30:00Z", Read: 1250, Loaded: 1247, Rejected: 3},
				{FileID: 2, Kind: "coverage", Name: "arcep_2026T1.csv", Status: "failed", ErrorKind: "missing_columns", StartedAt: "2026-11-23T07:29:00Z"},
				{FileID: 1, Kind: "venues", Name: "lieux_mediation_numerique.csv", Format: "data_inclusion", Status: "loaded", StartedAt: "2026-11-22T18:00:00Z", Read: 2408, Loaded: 2407, Rejected: 1},
			},
			Runs: []figures.Run{
				{ID: 2, Trigger: "schedule", Status: "failed", ErrorKind: "data_tests", Started: "2026-11-23T07:28:00Z", Finished: "2026-11-23T07:31:00Z", Files: 1, RowsLoaded: 1247, RowsRejected: 3, Release: "20261122T180000-run1"},
				{ID: 1, Trigger: "manual", Status: "succeeded", Started: "2026-11-22T17:59:00Z", Finished: "2026-11-22T18:02:00Z", Files: 1, RowsLoaded: 2407, RowsRejected: 1, Release: "20261122T180000-run1"},
			},
			Rejects: []figures.RejectCount{
				{FileID: 3, Column: "code_insee", Kind: "unknown_code", Rows: 2},
				{FileID: 3, Column: "", Kind: "malformed_row", Rows: 1},
				{FileID: 1, Column: "latitude", Kind: "not_a_number", Rows: 1},
			},
			Findings: []figures.FindingCount{
				{FileID: 1, Kind: "commune_from_name", Departement: "62", Rows: 4},
				{FileID: 1, Kind: "commune_from_postal_code", Departement: "59", Rows: 12},
				{FileID: 1, Kind: "commune_from_postal_code", Departement: "62", Rows: 7},
				{FileID: 1, Kind: "new_kind", Departement: "", Rows: 1},
			},
		},
	}
}

func fp(x float64) *float64 { return &x }

// pages are the two pages under test, with their golden files.
var pages = []struct {
	name   string
	render func(Site) ([]byte, error)
}{
	{"methodologie.html", methodologieHTML},
	{"qualite.html", qualiteHTML},
}

func renderPage(t *testing.T, render func(Site) ([]byte, error), site Site) string {
	t.Helper()
	b, err := render(site)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPagesGolden(t *testing.T) {
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			got := renderPage(t, p.render, pagesSite())
			golden := filepath.Join("testdata", "pages", p.name)
			if *updatePages {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -run TestPagesGolden -update-pages to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got), run go test ./reports -run TestPagesGolden -update-pages if intended:\n%s", p.name, diff)
			}
			// The same Site gives the same bytes.
			if again := renderPage(t, p.render, pagesSite()); again != got {
				t.Errorf("%s differs between two renders", p.name)
			}
		})
	}
}

var (
	headingRe = regexp.MustCompile(`<h([1-6])[ >]`)
	tableRe   = regexp.MustCompile(`(?s)<table>(.*?)</table>`)
	thRe      = regexp.MustCompile(`<th[ >][^>]*>|<th>`)
	idRe      = regexp.MustCompile(`\sid="([^"]*)"`)
	hrefRe    = regexp.MustCompile(`href="#([^"]*)"`)
	linkRe    = regexp.MustCompile(`(?s)<a [^>]*>(.*?)</a>`)
	remoteRe  = regexp.MustCompile(`(?i)(<link[^>]*\shref|\ssrc)="(https?:)?//`)
)

// TestPagesAccessible checks the structural rules of RGAA that a test can
// read: French, one h1 and no skipped heading level, a caption and scoped
// headers in every table, unique ids, in-page links that land, links with
// text, nothing loaded (a page has no script at all).
func TestPagesAccessible(t *testing.T) {
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			page := renderPage(t, p.render, pagesSite())
			if !strings.Contains(page, `<html lang="fr">`) {
				t.Error("page is not in French")
			}
			if strings.Contains(page, "<script") {
				t.Error("page has a script")
			}
			if m := remoteRe.FindString(page); m != "" {
				t.Errorf("page loads from another host: %s", m)
			}

			levels := headingRe.FindAllStringSubmatch(page, -1)
			if len(levels) == 0 || levels[0][1] != "1" {
				t.Fatalf("first heading is not an h1: %v", levels)
			}
			prev := 1
			for _, m := range levels[1:] {
				l := int(m[1][0] - '0')
				if l == 1 {
					t.Error("more than one h1")
				}
				if l > prev+1 {
					t.Errorf("heading level jumps from h%d to h%d", prev, l)
				}
				prev = l
			}

			tables := tableRe.FindAllStringSubmatch(page, -1)
			if len(tables) == 0 {
				t.Fatal("no table")
			}
			for i, tb := range tables {
				if !strings.HasPrefix(strings.TrimSpace(tb[1]), "<caption") {
					t.Errorf("table %d has no caption first", i)
				}
				for _, th := range thRe.FindAllString(tb[1], -1) {
					if !strings.Contains(th, "scope=") {
						t.Errorf("table %d: %s without scope", i, th)
					}
				}
			}

			ids := map[string]bool{}
			for _, m := range idRe.FindAllStringSubmatch(page, -1) {
				if ids[m[1]] {
					t.Errorf("duplicate id %q", m[1])
				}
				ids[m[1]] = true
			}
			for _, m := range hrefRe.FindAllStringSubmatch(page, -1) {
				if !ids[m[1]] {
					t.Errorf("link to #%s, which is no id of the page", m[1])
				}
			}
			for _, m := range linkRe.FindAllStringSubmatch(page, -1) {
				if strings.TrimSpace(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")) == "" {
					t.Errorf("link without text: %s", m[0])
				}
			}
		})
	}
}

// TestPagesEscape puts markup, quotes and ampersands in every text the
// pages show from data.
func TestPagesEscape(t *testing.T) {
	const evil = `<script>alert(1)</script> "q" 'a' & b`
	site := pagesSite()
	site.Sources[0].Name = evil
	site.Sources[0].Producer = evil
	site.Sources[0].URL = "javascript:alert(2)"
	site.Generated = evil
	site.Parameters.FragilityWeights = append(site.Parameters.FragilityWeights, figures.Weight{Indicator: evil, Weight: 1})
	site.Parameters.Margins[0].Label = evil
	site.Parameters.Margins[0].Source = evil
	site.Parameters.Margins[1].URL = "javascript:alert(3)"
	site.Departements[0].Nom = evil
	q := &site.Quality
	q.Files[0].Name = evil
	q.Files[0].Format = evil
	q.Files[0].Kind = evil
	q.Files[1].ErrorKind = evil
	q.Files[1].Status = evil
	q.Files[2].StartedAt = evil
	q.Rejects[0].Kind = evil
	q.Rejects[0].Column = evil
	q.Findings[0].Kind = evil
	q.Findings[1].Departement = evil

	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			page := renderPage(t, p.render, site)
			for _, bad := range []string{"<script", `"q"`, "'a'", "& b", "javascript:alert"} {
				if strings.Contains(page, bad) {
					t.Errorf("page contains unescaped %q", bad)
				}
			}
			if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &#39;a&#39; &amp; b") {
				t.Error("page lacks the escaped text")
			}
		})
	}
}

// TestMethodologieFollowsParameters changes every parameter and checks the
// page states the new values, and no longer the old ones.
func TestMethodologieFollowsParameters(t *testing.T) {
	base := renderPage(t, methodologieHTML, pagesSite())
	site := pagesSite()
	p := &site.Parameters
	p.SecrecyThreshold = 15
	p.CaseloadMin, p.CaseloadCentral, p.CaseloadMax = 300, 500, 1200
	p.HorizonYears = 2.5
	p.NationalRate = 0.16
	p.FragilityWeights = []figures.Weight{{Indicator: "connectivity", Weight: 2}, {Indicator: "poverty", Weight: 0.5}, {Indicator: "jobseekers", Weight: 0}}
	p.Association = 0.5
	p.ResidualDepartement = 0.125
	p.FranceServicesAgents, p.FranceServicesShareCentral = 3, 0.15
	p.Margins[4].PredictedWithout = fp(0.2)
	page := renderPage(t, methodologieHTML, site)

	for _, c := range []struct{ before, after string }{
		{"moins de <strong>11 répondants</strong>", "moins de <strong>15 répondants</strong>"},
		{"au moins 11 répondants", "au moins 15 répondants"},
		// The worked example: A = threshold − 1, B = 3 × threshold, C = 5 × threshold.
		{"A (10), B (33) et C (55), soit 98 répondants", "A (14), B (45) et C (75), soit 134 répondants"},
		{`<td class="nombre">280</td><td class="nombre">3</td>`, "<td class=\"nombre\">1\u202f200</td><td class=\"nombre\">2,5</td>"},
		{`<th scope="row">Haut</th><td>borne haute de la fourchette</td><td class="nombre">210</td>`, `<th scope="row">Haut</th><td>borne haute de la fourchette</td><td class="nombre">300</td>`},
		{"un horizon de 3\u00a0ans", "un horizon de 2,5\u00a0ans"},
		{"La part nationale est de 15,4&#160;%", "La part nationale est de 16&#160;%"},
		{"association (rapport des chances par degré) de 0,35", "association (rapport des chances par degré) de 0,50"},
		{"écart relatif aléatoire de 10,0&#160;%", "écart relatif aléatoire de 12,5&#160;%"},
		{"2 par site", "3 par site"},
		{"dont 10&#160;% du temps", "dont 15&#160;% du temps"},
		{"<td class=\"nombre\">18,3</td><td class=\"nombre\">\u22126,7</td>", "<td class=\"nombre\">20</td><td class=\"nombre\">\u22125,0</td>"},
		{"Les indicateurs ont tous le même poids.", "(moins de 1,25 sur 2,5)"},
		{`<td class="nombre">1</td><td class="nombre">12,5</td>`, `<td class="nombre">2</td><td class="nombre">80,0</td>`},
	} {
		if !strings.Contains(base, Typeset(c.before)) {
			t.Errorf("default page lacks %q", c.before)
		}
		if !strings.Contains(page, Typeset(c.after)) {
			t.Errorf("page with new parameters lacks %q", c.after)
		}
		if strings.Contains(page, Typeset(c.before)) {
			t.Errorf("page with new parameters still says %q", c.before)
		}
	}
	if !strings.Contains(page, `<td class="nombre">0 (non retenu)</td>`) {
		t.Error("a zero weight is not marked as left out")
	}
	// 3 weights, 3 plans, 2 sources, 9 margins (one table row each), 1
	// ratio, 1 territory, 2 coverages, 1 local gap, 3 columns of the data
	// dictionary.
	if n := strings.Count(page, "<tr><th scope=\"row\">"); n != 3+3+2+9+1+1+2+1+2+3 {
		t.Errorf("page has %d table rows with a row header, want 27", n)
	}
}

// TestMethodologieWithoutParameters renders a Site whose build recorded no
// parameters: the page says so rather than printing zeros.
func TestMethodologieWithoutParameters(t *testing.T) {
	site := pagesSite()
	site.Parameters = figures.Parameters{}
	site.SecrecyThreshold = 0
	site.Sources = nil
	page := renderPage(t, methodologieHTML, site)
	for _, want := range []string{
		"Les taux publiés et leur reproduction ne sont pas renseignés",
		"Les poids appliqués ne sont pas renseignés",
		"Le seuil du secret statistique n’est pas renseigné",
		"Cette construction n’a pas enregistré de perturbation des comptages",
		"Aucune source n’est renseignée",
		"un horizon de —",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"moins de <strong>0", ">0<", "Exemple."} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// The Site's own threshold stands in for a missing parameter.
	site.SecrecyThreshold = 12
	if page := renderPage(t, methodologieHTML, site); !strings.Contains(page, Typeset("moins de <strong>12 répondants</strong>")) {
		t.Error("the Site's threshold is not used when the parameters have none")
	}
}

func TestQualiteContent(t *testing.T) {
	page := renderPage(t, qualiteHTML, pagesSite())
	for _, want := range []string{
		"Tentatives de chargement&#160;: 3&#160;; fichiers refusés&#160;: 1.",
		// Files, newest first, kinds and statuses in French.
		`<td class="nombre">3</td><td><time datetime="2026-11-23T07:30:00Z">23/11/2026 07:30</time></td><td>conseillers numériques</td><th scope="row" translate="no">cnum_structures_2023-07-25.csv</th>`,
		"<td class=\"nombre\">1\u202f250</td><td class=\"nombre\">1\u202f247</td><td class=\"nombre\">3</td><td class=\"nombre\">0,2</td>",
		`<th scope="row" translate="no">arcep_2026T1.csv</th><td translate="no">—</td><td><strong>refusé</strong>&#160;: colonne obligatoire absente</td>`,
		// Failed runs: the French label of the kind.
		`<td>échoué&#160;: contrôles de cohérence des données non satisfaits</td>`,
		`<td>réussi</td>`,
		// Self-assessments: the day only, no file, no count, and why.
		`<td>non publié (secret statistique)*</td><td>non déclaré</td><td><time datetime="2026-11-23">23/11/2026</time></td><td class="nombre">non publié*</td>`,
		"Les fichiers d’autodiagnostics ne sont listés nulle part",
		`<td class="nombre">0</td><td class="nombre">—</td></tr>`,
		`<td>lieux de médiation</td>`,
		// 1 row of 2 408 rejected: not "0,0".
		"<td class=\"nombre\">1</td><td class=\"nombre\">&lt;\u00a00,1</td></tr>",
		`<td>chargé</td>`,
		// Rejects per file, by column and kind of reason in French, whole-row problems named.
		`Fichier n°&#160;3, «&#160;<span translate="no">cnum_structures_2023-07-25.csv</span>&#160;» (conseillers numériques, 23/11/2026 07:30 UTC)&#160;: lignes rejetées`,
		`<tr><td><code>code_insee</code></td><th scope="row">code de commune ou code postal inconnu</th><td class="nombre">2</td></tr>`,
		`<tr><td>ligne entière</td><th scope="row">ligne mal formée (guillemets, nombre de champs)</th><td class="nombre">1</td></tr>`,
		`<tr><th scope="row" colspan="2">Total</th><td class="nombre">3</td></tr>`,
		// Findings per file, by kind and département, named.
		`<tr><th scope="row">Commune trouvée par le code postal</th><td><code>commune_from_postal_code</code></td><td>59 Nord</td><td class="nombre">12</td></tr>`,
		`<tr><th scope="row">new_kind</th><td><code>new_kind</code></td><td>—</td><td class="nombre">1</td></tr>`,
		`<tr><th scope="row" colspan="3">Total</th><td class="nombre">24</td></tr>`,
	} {
		if !strings.Contains(page, Typeset(want)) {
			t.Errorf("qualite.html lacks %q", want)
		}
	}
	// The files' order is the loader's, rejects grouped in it.
	if i, j := strings.Index(page, "legende-rejets-3"), strings.Index(page, "legende-rejets-1"); i < 0 || j < i {
		t.Errorf("rejects of file 3 at %d, of file 1 at %d: want file 3 first", i, j)
	}
}

// The kinds of findings added for issue 19 read in French on the quality
// page: a venue id repeated in a file (on the later row, in its
// département), a mapped column absent from a header (no département).
func TestQualiteFindingLabels(t *testing.T) {
	site := pagesSite()
	site.Quality.Findings = []figures.FindingCount{
		{FileID: 1, Kind: "duplicate_id_in_file", Departement: "59", Rows: 2},
		{FileID: 1, Kind: "mapped_column_absent", Departement: "", Rows: 1},
	}
	page := renderPage(t, qualiteHTML, site)
	for _, want := range []string{
		`<tr><th scope="row">Identifiant déjà présent plus haut dans le fichier : la dernière ligne remplace les précédentes</th><td><code>duplicate_id_in_file</code></td><td>59 Nord</td><td class="nombre">2</td></tr>`,
		`<tr><th scope="row">En-tête sans une colonne prévue par la correspondance : champ laissé vide sur tout le fichier</th><td><code>mapped_column_absent</code></td><td>—</td><td class="nombre">1</td></tr>`,
	} {
		if !strings.Contains(page, Typeset(want)) {
			t.Errorf("qualite.html lacks %q", want)
		}
	}
}

func TestQualiteEmpty(t *testing.T) {
	site := pagesSite()
	site.Quality = figures.Quality{}
	page := renderPage(t, qualiteHTML, site)
	for _, want := range []string{"Aucun fichier n’a été proposé au chargement.", "Aucun rejet.", "Aucun constat."} {
		if !strings.Contains(page, Typeset(want)) {
			t.Errorf("qualite.html lacks %q", want)
		}
	}
	if strings.Contains(page, "<table") {
		t.Error("an empty ledger gives a table")
	}
}

// TestQualiteCarriesNoValue guards the privacy rule at the type level: the
// quality model has no field that could hold a rejected value, a finding's
// detail (which quotes the row) or an error's wording (which may hold a
// server path or a raw database message), so the page cannot print one.
func TestQualiteCarriesNoValue(t *testing.T) {
	for _, c := range []struct {
		v    any
		want []string
	}{
		{figures.RejectCount{}, []string{"FileID", "Column", "Kind", "Rows"}},
		{figures.FindingCount{}, []string{"FileID", "Kind", "Departement", "Rows"}},
		{figures.QualityFile{}, []string{"FileID", "Kind", "Name", "Format", "Status", "ErrorKind", "StartedAt", "Read", "Loaded", "Rejected"}},
		{figures.Run{}, []string{"ID", "Trigger", "Status", "ErrorKind", "Started", "Finished", "Files", "RowsLoaded", "RowsRejected", "Release"}},
	} {
		typ := reflect.TypeOf(c.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s fields changed (-want +got): a new field must not carry a rejected value, a row's detail or an error's wording:\n%s", typ.Name(), diff)
		}
	}
}

func TestFormatUpTo(t *testing.T) {
	for _, c := range []struct {
		x    float64
		n    int
		want string
	}{
		{2, 3, "2"}, {61.9, 3, "61,9"}, {0.619 * 100, 3, "61,9"}, {6.123, 3, "6,123"}, {6.1234, 3, "6,123"},
		{1234.5, 1, "1\u202f234,5"}, {1200, 1, "1\u202f200"}, {0, 2, "0"}, {-0.0001, 2, "0"}, {2.5, 2, "2,5"},
	} {
		if got := formatUpTo(c.x, c.n); got != c.want {
			t.Errorf("formatUpTo(%g, %d) = %q, want %q", c.x, c.n, got, c.want)
		}
	}
	for x, want := range map[float64]string{1.26: "+1,3", -0.44: "\u22120,4", 0.04: "0,0", -0.04: "0,0"} {
		if got := signed(x); got != want {
			t.Errorf("signed(%g) = %q, want %q", x, got, want)
		}
	}
}

// TestQualiteErrorKinds: refused files and failed runs read as the French
// label of their kind, an unknown kind as "autre motif" / "autre erreur",
// and a file named by a path shows its name only.
func TestQualiteErrorKinds(t *testing.T) {
	site := pagesSite()
	q := &site.Quality
	q.Files[1].ErrorKind = "missing_key"
	q.Files[0].Name = "/home/operateur/inbox/mediators/cnum.csv"
	q.Freshness[1].LatestFile = "/home/operateur/inbox/venues/lieux.csv"
	q.Runs[0].ErrorKind = "a_kind_from_the_future"
	site.LoadedFiles = []figures.LoadedFiles{{Kind: "venues", Names: []string{"/srv/inbox/venues/lieux.csv"}, Count: 1, LoadedOn: "2026-11-22"}}
	page := renderPage(t, qualiteHTML, site)
	for _, want := range []string{
		"<strong>refusé</strong>&#160;: clé de pseudonymisation absente</td>",
		"<td>échoué&#160;: autre erreur</td>",
		`<th scope="row" translate="no">cnum.csv</th>`,
		`<span translate="no">lieux.csv</span>`,
	} {
		if !strings.Contains(page, Typeset(want)) {
			t.Errorf("qualite.html lacks %q", want)
		}
	}
	for _, bad := range []string{"/home/", "/srv/", "a_kind_from_the_future", `lang="en"`} {
		if strings.Contains(page, bad) {
			t.Errorf("qualite.html contains %q", bad)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"lieux.csv", "lieux.csv"},
		{"/tmp/x/inbox/venues/lieux.csv", "lieux.csv"},
		{`C:\inbox\lieux.csv`, "lieux.csv"},
		{"dossier/", "dossier/"},
		{"", ""},
	} {
		if got := fileName(c.in); got != c.want {
			t.Errorf("fileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
