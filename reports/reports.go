// Package reports renders diagnostics results and département shapes as a
// static HTML site in French that works fully offline: no script, stylesheet
// or font is fetched from another host.
//
// The package is pure apart from writing the site's files: no database, no
// logging, no environment or flags, no clock. The same Site always gives
// byte-identical files. Render is safe for concurrent use on distinct
// directories.
package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"

	"github.com/illectro/illectro/diagnostics"
)

// Source is a data source credited in the page footer.
type Source struct {
	Name     string // e.g. "Cartographie nationale des lieux d'inclusion numérique"
	Producer string // e.g. "ANCT"
	Vintage  string // millésime or extraction date, e.g. "2023-07-25"
	Licence  string // e.g. "Licence Ouverte 2.0"
	URL      string // link to the dataset page; no link when empty
}

// Site is everything the national page shows.
type Site struct {
	// Departements are the rows of the table and the areas of the map, in
	// the order given (normally the mart's order by code). Codes must be
	// unique and non-empty.
	Departements []diagnostics.Departement

	// MapGeoJSON is a GeoJSON FeatureCollection (WGS84, longitude then
	// latitude), one feature per département whose property "name" is the
	// département code, with overseas départements already moved into
	// insets. It is registered as is (compacted) with ECharts.
	MapGeoJSON []byte

	// Generated is the date or label shown as "Données générées le …",
	// given by the caller so that output is deterministic; omitted when empty.
	Generated string

	// SecrecyThreshold is the minimum number of respondents behind a
	// published share. A share resting on 1 to SecrecyThreshold-1
	// respondents is shown as "s" even if diagnostics passed a value. Zero
	// adds no check of its own.
	SecrecyThreshold int

	// Sources are listed in the footer, in the order given.
	Sources []Source
}

const pageTitle = "illectro — Fracture numérique par département"

// assets are copied verbatim into the site's assets/ folder. ECharts is
// Apache-2.0: its licence and notice travel with it.
//
//go:embed assets/echarts.min.js assets/LICENSE-echarts.txt assets/NOTICE-echarts.txt
//go:embed assets/style.css assets/carte.js
var assets embed.FS

//go:embed templates/index.html.tmpl
var indexSource string

var indexTemplate = template.Must(template.New("index").Parse(indexSource))

// file is one file of the site, path relative to the site's root.
type file struct {
	path string
	data []byte
}

// Render writes the site into dir, creating dir and dir/assets if needed
// and overwriting files of the same name: index.html, and in assets/
// echarts.min.js (with its LICENSE and NOTICE), departements.js (the shapes),
// carte.js (the indicator switch) and style.css. It writes nothing when site
// is invalid: empty or malformed MapGeoJSON, or an empty or duplicate
// département code.
func Render(dir string, site Site) error {
	files, err := build(site)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.path)), f.data, 0o644); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}

// build produces every file of the site in memory, in a fixed order.
func build(site Site) ([]file, error) {
	shapes, err := departementsJS(site.MapGeoJSON)
	if err != nil {
		return nil, err
	}
	index, err := indexHTML(site)
	if err != nil {
		return nil, err
	}
	files := []file{
		{"index.html", index},
		{"assets/departements.js", shapes},
	}
	for _, name := range []string{"echarts.min.js", "LICENSE-echarts.txt", "NOTICE-echarts.txt", "style.css", "carte.js"} {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("read embedded %s: %w", name, err)
		}
		files = append(files, file{"assets/" + name, b})
	}
	return files, nil
}

// departementsJS is the script registering the shapes with ECharts. It is a
// separate file, loaded in the head right after ECharts, because the map must
// be registered before the chart is created.
func departementsJS(geojson []byte) ([]byte, error) {
	if len(bytes.TrimSpace(geojson)) == 0 {
		return nil, errors.New("map GeoJSON is empty")
	}
	var buf bytes.Buffer
	buf.WriteString("// Contours des départements (GeoJSON), enregistrés avant la création de la carte.\n")
	buf.WriteString("echarts.registerMap(\"" + mapName + "\", ")
	// Compact also rejects invalid JSON; valid JSON is valid JavaScript.
	if err := json.Compact(&buf, geojson); err != nil {
		return nil, fmt.Errorf("map GeoJSON: %w", err)
	}
	buf.WriteString(");\n")
	return buf.Bytes(), nil
}

// Page model for templates/index.html.tmpl.
type (
	page struct {
		Title            string
		Scripts          []string
		Options          []option
		Default          string
		Chart            mapChart
		Data             template.JS
		Rows             []row
		SecrecyThreshold int
		Sources          []Source
		Generated        string
	}
	option struct {
		ID, Label string
		Selected  bool
	}
	row struct {
		Code, Nom, Region string
		Population        string
		Venues            string
		VenuesPer10k      cell
		Below30           cell
		MediatorPosts     string
		Respondents       string
		Illectronism      cell
	}
	// cell is a table figure: its text, or the secrecy mark.
	cell struct {
		Text   string
		Secret bool
	}
)

func indexHTML(site Site) ([]byte, error) {
	n := len(site.Departements)
	codes := make([]string, n)
	noms := make([]string, n)
	seen := make(map[string]bool, n)
	for i, d := range site.Departements {
		if d.Code == "" {
			return nil, fmt.Errorf("département %d (%q): empty code", i, d.Nom)
		}
		if seen[d.Code] {
			return nil, fmt.Errorf("département %q: duplicate code", d.Code)
		}
		seen[d.Code] = true
		codes[i], noms[i] = d.Code, d.Nom
	}

	// figs[i][j] is indicator i for département j.
	figs := make([][]figure, len(indicators))
	for i, ind := range indicators {
		figs[i] = make([]figure, n)
		for j, d := range site.Departements {
			figs[i][j] = ind.value(d, site.SecrecyThreshold)
		}
	}

	chart, err := newMapChart(indicators[iDebit], codes, figs[iDebit])
	if err != nil {
		return nil, err
	}
	data, err := dataIsland(codes, noms, figs)
	if err != nil {
		return nil, err
	}

	p := page{
		Title:            pageTitle,
		Scripts:          chart.Scripts,
		Default:          indicators[iDebit].Label,
		Chart:            chart,
		Data:             data,
		Rows:             make([]row, n),
		SecrecyThreshold: site.SecrecyThreshold,
		Sources:          site.Sources,
		Generated:        site.Generated,
	}
	for i, ind := range indicators {
		p.Options = append(p.Options, option{ID: ind.ID, Label: ind.Label, Selected: i == iDebit})
	}
	cellOf := func(ind indicator, f figure) cell {
		return cell{Text: ind.text(f), Secret: f.Status == secret}
	}
	for j, d := range site.Departements {
		p.Rows[j] = row{
			Code:          d.Code,
			Nom:           d.Nom,
			Region:        d.NomRegion,
			Population:    formatInt(d.Population),
			Venues:        formatInt(d.Venues),
			VenuesPer10k:  cellOf(indicators[iLieux], figs[iLieux][j]),
			Below30:       cellOf(indicators[iDebit], figs[iDebit][j]),
			MediatorPosts: formatInt(d.MediatorPosts),
			Respondents:   respondents(d.Respondents),
			Illectronism:  cellOf(indicators[iIllectronisme], figs[iIllectronisme][j]),
		}
	}

	var buf bytes.Buffer
	if err := indexTemplate.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("render index.html: %w", err)
	}
	return buf.Bytes(), nil
}
