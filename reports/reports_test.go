package reports_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/reports"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// loadSite reads testdata/<name>/site.json and departements.geojson.
func loadSite(t *testing.T, name string) reports.Site {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name, "site.json"))
	if err != nil {
		t.Fatal(err)
	}
	var site reports.Site
	if err := json.Unmarshal(b, &site); err != nil {
		t.Fatalf("decode site.json: %v", err)
	}
	site.MapGeoJSON, err = os.ReadFile(filepath.Join("testdata", name, "departements.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	shapes, _ := filepath.Glob(filepath.Join("testdata", name, "departement-*.geojson"))
	for _, path := range shapes {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if site.DepartementShapes == nil {
			site.DepartementShapes = map[string][]byte{}
		}
		code := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "departement-"), ".geojson")
		site.DepartementShapes[code] = b
	}
	return site
}

// render renders site into a temporary directory and returns it.
func render(t *testing.T, site reports.Site) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := reports.Render(dir, site); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return dir
}

func readIndex(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readTree maps every file under dir (slash paths) to its content.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRenderGolden(t *testing.T) {
	pages := []struct{ site, page, golden string }{
		{"fixture", "index.html", "index.html"},
		{"fixture", "departements/01.html", "departement-01.html"},
	}
	for _, tt := range pages {
		t.Run(tt.site+"/"+tt.page, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(render(t, loadSite(t, tt.site)), filepath.FromSlash(tt.page)))
			if err != nil {
				t.Fatal(err)
			}
			got := string(b)
			golden := filepath.Join("testdata", tt.site, tt.golden)
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got), run go test ./reports -update if intended:\n%s", tt.page, diff)
			}
		})
	}
}

func TestRenderFiles(t *testing.T) {
	files := readTree(t, render(t, loadSite(t, "fixture")))
	var names []string
	for name := range files {
		names = append(names, name)
	}
	want := []string{
		"assets/LICENSE-echarts.txt", "assets/NOTICE-echarts.txt", "assets/carte.js",
		"assets/departement.js", "assets/departements.js", "assets/departements/01.js",
		"assets/echarts.min.js", "assets/recherche-donnees.js", "assets/recherche.js", "assets/style.css", "assets/tableau.js",
		"departements/01.html", "index.html", "methodologie.html", "qualite.html",
	}
	if diff := cmp.Diff(want, names, cmpSorted); diff != "" {
		t.Errorf("Render wrote (-want +got):\n%s", diff)
	}
	shapes := string(files["assets/departements.js"])
	if !strings.Contains(shapes, `echarts.registerMap("france", {"type":"FeatureCollection","UTF8Encoding":true,"UTF8Scale":1000,`) {
		t.Errorf("departements.js = %.120q…, want a registerMap call with ECharts' compressed GeoJSON", shapes)
	}
	// The shapes decode, as ECharts decodes them, to the fixture's.
	js := strings.TrimSuffix(shapes[strings.Index(shapes, "{"):], ");\n")
	geojson, err := os.ReadFile(filepath.Join("testdata", "fixture", "departements.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	gotNames, gotShapes := reports.DecodeShapes(t, []byte(js))
	wantNames, wantShapes := reports.SourceShapes(t, geojson)
	if diff := cmp.Diff(wantNames, gotNames); diff != "" {
		t.Errorf("departements.js features (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantShapes, gotShapes); diff != "" {
		t.Errorf("departements.js shapes (-want +got):\n%s", diff)
	}
	dep := string(files["assets/departements/01.js"])
	if !strings.HasPrefix(dep, "// Contours du département 01 ") || !strings.Contains(dep, `echarts.registerMap("dep01", {"type":"FeatureCollection","UTF8Encoding":true,`) {
		t.Errorf("departements/01.js = %.200q…, want a registerMap call with ECharts' compressed GeoJSON", dep)
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out { // insertion sort: tiny inputs, no extra import
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
})

func TestRenderDeterministic(t *testing.T) {
	site := loadSite(t, "fixture")
	first := readTree(t, render(t, site))
	second := readTree(t, render(t, site))
	if len(first) != len(second) {
		t.Fatalf("Render wrote %d then %d files", len(first), len(second))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two renders of the same Site", name)
		}
	}
}

var (
	srcAttr  = regexp.MustCompile(`(?i)<[a-z]+[^>]*\ssrc\s*=\s*["']?([^"'\s>]*)`)
	linkHref = regexp.MustCompile(`(?i)<link[^>]*\shref\s*=\s*["']?([^"'\s>]*)`)
	remote   = regexp.MustCompile(`(?i)^(https?:)?//`)
)

// TestRenderOffline checks that the page loads nothing from another host and
// that every local script or stylesheet it loads was written.
func TestRenderOffline(t *testing.T) {
	dir := render(t, loadSite(t, "fixture"))
	page := readIndex(t, dir)
	var refs []string
	for _, re := range []*regexp.Regexp{srcAttr, linkHref} {
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			refs = append(refs, m[1])
		}
	}
	want := []string{"assets/style.css", "assets/echarts.min.js", "assets/departements.js", "assets/carte.js", "assets/tableau.js", "assets/recherche.js"}
	if diff := cmp.Diff(want, refs, cmpSorted); diff != "" {
		t.Errorf("page loads (-want +got):\n%s", diff)
	}
	for _, ref := range refs {
		if remote.MatchString(ref) {
			t.Errorf("page loads %q from another host", ref)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ref))); err != nil {
			t.Errorf("page loads %q: %v", ref, err)
		}
	}
	if strings.Contains(page, "go-echarts.github.io") {
		t.Error("page mentions go-echarts' CDN")
	}
	// ECharts and the shapes must come before the inline script creating the chart.
	echartsAt := strings.Index(page, `<script src="assets/echarts.min.js">`)
	shapesAt := strings.Index(page, `<script src="assets/departements.js">`)
	initAt := strings.Index(page, "echarts.init(")
	if echartsAt < 0 || shapesAt < echartsAt || initAt < shapesAt {
		t.Errorf("script order: echarts.min.js at %d, departements.js at %d, echarts.init at %d; want increasing", echartsAt, shapesAt, initAt)
	}
	for _, name := range []string{"style.css", "carte.js", "tableau.js", "departement.js"} {
		b, err := os.ReadFile(filepath.Join(dir, "assets", name))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("http")) || bytes.Contains(b, []byte("@import")) || bytes.Contains(b, []byte("url(")) {
			t.Errorf("assets/%s refers to a remote resource", name)
		}
	}
}

func TestRenderPage(t *testing.T) {
	site := loadSite(t, "fixture")
	page := readIndex(t, render(t, site))
	for _, want := range []string{
		`<html lang="fr">`,
		`<title>illectro — Fracture numérique par département</title>`,
		`<a class="evitement" href="#contenu">Aller au contenu</a>`,
		`<main id="contenu"`,
		`<caption id="legende-tableau">`,
		`<th scope="col">Code</th>`,
		`<div class="item" id="carte_departements"`,
		`<option value="fragilite" selected>`,
		`<script type="application/json" id="donnees-carte">`,
		`Données générées le 2026-11-23.`,
		`moins de 11 répondants`,
		// Fixture: Ain's fragility score and rank, up 3 places since the
		// previous build; Corse-du-Sud's missing coverage, Guadeloupe's
		// suppressed share.
		// A figure cell has a data-tri only when its text does not give the
		// value it sorts on (tableau.js reads "4,90" as 4.9).
		`<table id="classement" class="triable nombres">`,
		// The ranking's cells have no end tags.
		`<td>4,90<td data-tri="85">`,
		"<td data-tri=\"85\">85 <span class=\"evolution\">(▲\u202f3, plus fragile)</span><td>",
		`<td>12,3<td>`,
		`<td>—<td>`,
		`<td><abbr title="secret statistique">s</abbr></tr>`,
		`<a href="https://www.data.gouv.fr/`,
	} {
		if !strings.Contains(page, reports.Typeset(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}

	body := between(t, page, "<tbody>", "</tbody>")
	if got, want := strings.Count(body, "<tr>"), len(site.Departements); got != want {
		t.Errorf("table body has %d rows, want %d", got, want)
	}

	// Headings in order: one h1, then h2s (key figures, map with its
	// top ten as h3, table, downloads, sources).
	var levels []string
	for _, m := range regexp.MustCompile(`<h([1-6])[ >]`).FindAllStringSubmatch(page, -1) {
		levels = append(levels, m[1])
	}
	if diff := cmp.Diff([]string{"1", "2", "2", "3", "2", "2", "2"}, levels); diff != "" {
		t.Errorf("heading levels (-want +got):\n%s", diff)
	}
}

// TestRenderDataIsland checks the JSON that carte.js reads.
func TestRenderDataIsland(t *testing.T) {
	site := loadSite(t, "fixture")
	page := readIndex(t, render(t, site))
	raw := between(t, page, `<script type="application/json" id="donnees-carte">`, "</script>")
	var got struct {
		Codes       []string
		Indicateurs []struct {
			ID      string
			Max     float64
			Valeurs []*float64
			Textes  []string
		}
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("data island is not JSON: %v\n%s", err, raw)
	}
	var codes []string
	for _, d := range site.Departements {
		codes = append(codes, d.Code)
	}
	if diff := cmp.Diff(codes, got.Codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	var ids []string
	for _, ind := range got.Indicateurs {
		ids = append(ids, ind.ID)
		if len(ind.Valeurs) != len(site.Departements) || len(ind.Textes) != len(site.Departements) {
			t.Errorf("indicator %s has %d values and %d texts, want %d", ind.ID, len(ind.Valeurs), len(ind.Textes), len(site.Departements))
		}
	}
	if diff := cmp.Diff([]string{"fragilite", "taux-estime", "personnes-estimees", "ecart", "debit", "distance", "lieux", "conseillers", "illectronisme"}, ids); diff != "" {
		t.Errorf("indicators (-want +got):\n%s", diff)
	}
	ill := got.Indicateurs[8]
	if ill.Valeurs[2] != nil || ill.Textes[2] != "s (secret statistique)" {
		t.Errorf("Guadeloupe illectronism = %v, %q; want no value, %q", ill.Valeurs[2], ill.Textes[2], "s (secret statistique)")
	}
	if ill.Valeurs[1] != nil || ill.Textes[1] != "non disponible" {
		t.Errorf("Corse-du-Sud illectronism = %v, %q; want no value, %q", ill.Valeurs[1], ill.Textes[1], "non disponible")
	}
	if deb := got.Indicateurs[4]; deb.Valeurs[0] == nil || *deb.Valeurs[0] != 12.3 || deb.Textes[0] != "12,3\u202f%" {
		t.Errorf("Ain coverage = %v, %q; want 12.3, %q", deb.Valeurs[0], deb.Textes[0], "12,3\u202f%")
	}
}

func TestRenderEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	site := loadSite(t, "fixture")
	site.Departements[0].Nom = evil
	site.Departements[0].NomRegion = `"><img src=x onerror=alert(2)>`
	site.Departements[1].Code = `</script><script>alert(3)</script>`
	site.Sources[0].Name = evil
	site.Sources[0].URL = "javascript:alert(4)"
	site.Generated = evil
	page := readIndex(t, render(t, site))

	for _, bad := range []string{evil, "<script>alert(3)", "<img src=x", "javascript:alert"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html contains unescaped %q", bad)
		}
	}
	if !strings.Contains(page, "<th scope=\"row\"><a href=\"departements/01.html\">&lt;script&gt;alert(1)&lt;/script&gt;</a><td>") {
		t.Error("the table lacks the escaped name")
	}
	if !strings.Contains(page, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("the map data lacks the JSON-escaped name")
	}
	// Only the page's own scripts: 5 in the head, the chart's, the data island.
	if got := strings.Count(page, "<script"); got != 7 {
		t.Errorf("index.html has %d <script> tags, want 7", got)
	}
	// The département page escapes the data it shows: commune and venue
	// names (fixture) and the département's name.
	dep, err := os.ReadFile(filepath.Join(render(t, site), "departements", "01.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{evil, `<script>alert("x")`, "<b>Ouverte</b>", "Bourg-en-Bresse <b>"} {
		if strings.Contains(string(dep), bad) {
			t.Errorf("departements/01.html contains unescaped %q", bad)
		}
	}
}

func TestRenderZeroThresholdAndNoDate(t *testing.T) {
	site := loadSite(t, "fixture")
	site.SecrecyThreshold = 0
	site.Generated = ""
	page := readIndex(t, render(t, site))
	for _, absent := range []string{"Données générées le", "moins de 0 répondants"} {
		if strings.Contains(page, absent) {
			t.Errorf("index.html contains %q", absent)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*reports.Site)
	}{
		{"no GeoJSON", func(s *reports.Site) { s.MapGeoJSON = nil }},
		{"invalid GeoJSON", func(s *reports.Site) { s.MapGeoJSON = []byte(`{"type":`) }},
		{"duplicate code", func(s *reports.Site) { s.Departements[1].Code = s.Departements[0].Code }},
		{"empty code", func(s *reports.Site) { s.Departements[2].Code = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := loadSite(t, "fixture")
			tt.change(&site)
			dir := filepath.Join(t.TempDir(), "site")
			if err := reports.Render(dir, site); err == nil {
				t.Fatal("Render = nil, want an error")
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("Render wrote %s despite the error", dir)
			}
		})
	}
}

// RenderAwaiting writes what Render writes for the site with the
// downloads it is given late, and nothing when they fail.
func TestRenderAwaiting(t *testing.T) {
	site := loadSite(t, "fixture")
	if len(site.Downloads) == 0 {
		t.Fatal("fixture has no download to list")
	}
	want := readTree(t, render(t, site))
	late := site
	late.Downloads = nil
	dir := filepath.Join(t.TempDir(), "site")
	calls := 0
	err := reports.RenderAwaiting(dir, late, func() ([]reports.Download, error) {
		calls++
		return site.Downloads, nil
	})
	if err != nil || calls != 1 {
		t.Fatalf("RenderAwaiting = %v after %d calls of downloads, want nil after 1", err, calls)
	}
	if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
		t.Errorf("RenderAwaiting differs from Render (-want +got):\n%s", diff)
	}

	failed := errors.New("disk full")
	dir = filepath.Join(t.TempDir(), "site")
	err = reports.RenderAwaiting(dir, late, func() ([]reports.Download, error) { return nil, failed })
	if err != failed {
		t.Errorf("RenderAwaiting with failing downloads = %v, want %v as is", err, failed)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("RenderAwaiting wrote %s despite the error", dir)
	}
}

func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, after, ok := strings.Cut(s, start)
	if !ok {
		t.Fatalf("no %q in page", start)
	}
	inner, _, ok := strings.Cut(after, end)
	if !ok {
		t.Fatalf("no %q after %q in page", end, start)
	}
	return inner
}

// TestRendersWithoutDatabase keeps the one-way flow: reports renders plain
// figures values and never reaches the database, so it builds without cgo
// and can be tested without DuckDB.
func TestRendersWithoutDatabase(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "duckdb") || dep == "database/sql" || dep == "github.com/illectro/illectro/sql" ||
			dep == "github.com/illectro/illectro/diagnostics" {
			t.Errorf("reports depends on %s: it must render figures values, not query the database", dep)
		}
	}
}

// The national and département pages keep French typography, data
// included (place names with straight apostrophes, negative gaps, dates).
func TestRenderFrenchTypography(t *testing.T) {
	files := readTree(t, render(t, loadSite(t, "fixture")))
	for _, name := range []string{"index.html", "departements/01.html"} {
		for _, p := range reports.TypographyProblems(string(files[name])) {
			t.Errorf("%s: %s", name, p)
		}
	}
}
