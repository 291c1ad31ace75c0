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
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/illectro/illectro/figures"
)

// Source is a data source credited in the page footer.
type Source struct {
	Name     string // e.g. "Cartographie nationale des lieux d'inclusion numérique"
	Producer string // e.g. "ANCT"
	Vintage  string // millésime or extraction date, e.g. "2023-07-25"
	Licence  string // e.g. "Licence Ouverte 2.0"
	URL      string // link to the dataset page; no link when empty
	Input    bool   // a loaded input (listed in the key figures with its vintage), not reference data
	Kind     string // the input kind of a loaded input (ingest.Kind), "" for reference data
}

// Site is everything the national page shows.
type Site struct {
	// Departements are the rows of the table and the areas of the map, in
	// the order given (normally the mart's order by code). Codes must be
	// unique and non-empty.
	Departements []figures.Departement

	// MapGeoJSON is a GeoJSON FeatureCollection (WGS84, longitude then
	// latitude), one feature per département whose property "name" is the
	// département code, with overseas départements already moved into
	// insets. It is registered with ECharts in ECharts' compressed form, to
	// the thousandth of a degree (see compressGeoJSON).
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

	// LoadedFiles are the loaded files no Source credits (inbox, remote
	// sources), listed in the footer after the Sources.
	LoadedFiles []figures.LoadedFiles

	// Synthetic are the kinds of input of which a synthetic file was loaded
	// ("assessments", "coverage"…): every page then opens with a banner.
	Synthetic []string

	// Parameters are the rules the marts were built with, stated on the
	// methodology page.
	Parameters figures.Parameters

	// Quality is the content of the data-quality page.
	Quality figures.Quality

	// Downloads are the data files published beside the pages, listed on
	// the national page; Path is relative to the site's root.
	Downloads []Download

	// Dictionary describes every column of the downloads, in the order of
	// the files and of their columns: the methodology page shows it.
	Dictionary []DictionaryColumn

	// France holds the national figures the département pages compare with.
	France figures.France

	// Communes, Venues and DepartementShapes make the département pages:
	// one page per entry of Departements that has a shape (a GeoJSON
	// FeatureCollection in true WGS84 coordinates, keyed by code). Communes
	// and venues are matched to their département by code.
	Communes          []figures.Commune
	Venues            []figures.Venue
	DepartementShapes map[string][]byte

	// EPCIs are the intercommunalities: each département page lists and
	// draws those with communes in it (Departements), and the search box
	// finds them by name.
	EPCIs []figures.EPCI

	// Neighbours are, by département code, the codes of the départements
	// bordering it (geo.Neighbours): each département page compares itself
	// with them. A code absent or mapped to nothing gets no comparison.
	Neighbours map[string][]string

	// PostalCodes are each commune's postal codes (by INSEE code), for the
	// search box.
	PostalCodes map[string][]string

	// VenuesOnMap are the positions of the venues on the national map
	// (MapGeoJSON's coordinates: overseas venues moved into their insets),
	// drawn on demand on the national page.
	VenuesOnMap [][2]float64
}

// Download is one data file of the site.
type Download struct {
	Path   string // e.g. "telechargements/indicateurs_departements.csv"
	Title  string // French description
	Format string // e.g. "CSV"
	Bytes  int64
}

// DictionaryColumn is one column of a download as the data dictionary
// describes it, in French.
type DictionaryColumn struct {
	File       string // the download without its format, e.g. "indicateurs_communes"
	Name       string // the column's name in the file
	Label      string
	Unit       string // e.g. "part (0–1)", "personnes", "ETP", "code"
	Definition string
	Source     string
}

const pageTitle = "illectro — Fracture numérique par département"

// assets are copied verbatim into the site's assets/ folder. ECharts is
// Apache-2.0: its licence and notice travel with it.
//
//go:embed assets/echarts.min.js assets/LICENSE-echarts.txt assets/NOTICE-echarts.txt
//go:embed assets/style.css assets/carte.js assets/tableau.js assets/departement.js assets/recherche.js
var assets embed.FS

//go:embed templates/*.tmpl
var templateFiles embed.FS

// templates holds every page template and the shared layout; a page is
// executed by its file name, e.g. "index.html.tmpl".
var templates = template.Must(template.New("").Funcs(template.FuncMap{"dict": dict}).ParseFS(templateFiles, "templates/*.tmpl"))

// dict makes a map of its key, value arguments: the data of a template
// called with several values.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// frame is what the shared layout (templates/layout.html.tmpl) needs from
// every page.
type frame struct {
	Title     string
	Root      string   // path from the page to the site's root: "" or "../"
	Nav       string   // the page's entry in the navigation: index, methodologie, qualite or ""
	Scripts   []string // head scripts, in order
	Deferred  []string // scripts run after parsing (defer)
	Sources   []Source
	Loaded    []loadedLine // loaded files no source credits
	Banner    string       // the synthetic-data banner, "" for none
	Generated string
}

// execute renders the page template name with data.
func execute(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", strings.TrimSuffix(name, ".tmpl"), err)
	}
	return frenchTypography(buf.Bytes()), nil
}

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
	return RenderAwaiting(dir, site, nil)
}

// RenderAwaiting is Render for a site whose downloads are still being
// written: it makes in memory every file that does not list the downloads
// (the département pages above all), then calls downloads, which gives
// site.Downloads (nil keeps them), then makes the national and methodology
// pages, which list them, and writes the site. It writes nothing when
// downloads fails, and returns its error as is.
func RenderAwaiting(dir string, site Site, downloads func() ([]Download, error)) error {
	files, err := build(site, downloads)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(filepath.FromSlash(f.path))), 0o755); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.path)), f.data, 0o644); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}

// build produces every file of the site in memory, in a fixed order; the
// pages listing the downloads last, once downloads (when not nil) has
// given them.
func build(site Site, downloads func() ([]Download, error)) ([]file, error) {
	nm, err := readNationalMap(site.MapGeoJSON)
	if err != nil {
		return nil, err
	}
	shapes, err := departementsJS(site.MapGeoJSON, nm.inset)
	if err != nil {
		return nil, err
	}
	if err := checkCodes(site.Departements); err != nil {
		return nil, err
	}
	quality, err := qualiteHTML(site)
	if err != nil {
		return nil, err
	}
	pages, err := departementPages(site)
	if err != nil {
		return nil, err
	}
	withPage := map[string]bool{}
	for _, d := range site.Departements {
		_, withPage[d.Code] = site.DepartementShapes[d.Code]
	}
	search, err := searchDataJS(site, withPage)
	if err != nil {
		return nil, err
	}
	if downloads != nil {
		if site.Downloads, err = downloads(); err != nil {
			return nil, err
		}
	}
	index, err := indexHTML(site, nm)
	if err != nil {
		return nil, err
	}
	method, err := methodologieHTML(site)
	if err != nil {
		return nil, err
	}
	files := []file{
		{"index.html", index},
		{"assets/departements.js", shapes},
		{"methodologie.html", method},
		{"qualite.html", quality},
	}
	files = append(files, pages...)
	files = append(files, file{searchDataPath, search})
	for _, name := range []string{"echarts.min.js", "LICENSE-echarts.txt", "NOTICE-echarts.txt", "style.css", "carte.js", "tableau.js", "departement.js", "recherche.js"} {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("read embedded %s: %w", name, err)
		}
		files = append(files, file{"assets/" + name, b})
	}
	return files, nil
}

// checkCodes checks that every département has a code, and a code of its
// own.
func checkCodes(deps []figures.Departement) error {
	seen := make(map[string]bool, len(deps))
	for i, d := range deps {
		if d.Code == "" {
			return fmt.Errorf("département %d (%q): empty code", i, d.Nom)
		}
		if seen[d.Code] {
			return fmt.Errorf("département %q: duplicate code", d.Code)
		}
		seen[d.Code] = true
	}
	return nil
}

// departementsJS is the script registering the shapes with ECharts. It is a
// separate file, loaded in the head right after ECharts, because the map must
// be registered before the chart is created.
// idf is the inset's GeoJSON, nil for none.
func departementsJS(geojson, idf []byte) ([]byte, error) {
	france, err := registerMapJS(mapName, geojson, "Contours des départements")
	if err != nil || idf == nil {
		return france, err
	}
	inset, err := registerMapJS(idfMapName, idf, "Encart : Paris et petite couronne")
	if err != nil {
		return nil, err
	}
	return append(france, inset...), nil
}

// Page model for templates/index.html.tmpl.
type (
	page struct {
		frame
		Options          []option
		Default          string
		Reading          string // how to read the default map's colours
		Provenance       string // the default indicator's inputs, vintages and coverage
		Chart            mapChart
		Data             template.JS
		Rows             []row
		SecrecyThreshold int
		PreviousBuiltAt  string
		Downloads        []download
		Venues           string // number of venues drawn on demand, "" for none
		Inset            bool   // the map has the Île-de-France inset
		Essentiel        essentiel
		Top              []topList
	}
	option struct {
		ID, Label string
		Selected  bool
	}
	row struct {
		Code, Nom string
		Cells     []cell // the figures, in the order of the table's columns
	}
	// cell is a table figure: its text, or the secrecy mark; Sort is the
	// raw value the table sorts on ("" sorts last); Extra follows the text
	// (the rank's evolution).
	cell struct {
		Text   string
		Secret bool
		Sort   string
		Extra  string
	}
	// download is one file of the downloads list.
	download struct {
		Path, Title, Format, Size string
	}
)

func indexHTML(site Site, nm nationalMap) ([]byte, error) {
	n := len(site.Departements) // codes checked by build (checkCodes)
	codes := make([]string, n)
	noms := make([]string, n)
	for i, d := range site.Departements {
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

	inset := nm.insetBounds
	chart, err := newMapChart(indicators[iFragilite], codes, figs[iFragilite], inset != nil)
	if err != nil {
		return nil, err
	}
	data, err := dataIsland(site, codes, noms, figs, nm.centres, inset)
	if err != nil {
		return nil, err
	}

	// The table lists the départements from the most fragile (rank 1) to
	// the least, those without a rank last, then by code.
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := site.Departements[a].FragilityRank, site.Departements[b].FragilityRank
		switch {
		case ra != nil && rb != nil && *ra != *rb:
			return cmp.Compare(*ra, *rb)
		case (ra == nil) != (rb == nil):
			if ra == nil {
				return 1
			}
			return -1
		}
		return cmp.Compare(codes[a], codes[b])
	})

	p := page{
		frame: frame{
			Title:     pageTitle,
			Nav:       "index",
			Scripts:   chart.Scripts,
			Deferred:  []string{assetsDir + "carte.js", assetsDir + "tableau.js", assetsDir + "recherche.js"},
			Sources:   site.Sources,
			Loaded:    loadedLines(site.LoadedFiles),
			Banner:    syntheticBanner(site.Synthetic),
			Generated: site.Generated,
		},
		Default:          indicators[iFragilite].Label,
		Reading:          indicators[iFragilite].reading(),
		Provenance:       indicatorProvenance(indicators[iFragilite], site.Sources, site.LoadedFiles, figs[iFragilite]),
		Chart:            chart,
		Data:             data,
		Inset:            inset != nil,
		Rows:             make([]row, n),
		SecrecyThreshold: site.SecrecyThreshold,
		Essentiel:        keyFigures(site),
		Top:              topTen(codes, noms, figs, iFragilite),
	}
	for i, ind := range indicators {
		p.Options = append(p.Options, option{ID: ind.ID, Label: ind.Label, Selected: i == iFragilite})
	}
	for k, j := range order {
		d := site.Departements[j]
		fig := func(i int) cell { return figureCell(indicators[i], figs[i][j]) }
		p.Rows[k] = row{Code: d.Code, Nom: d.Nom, Cells: []cell{
			fig(iFragilite),
			rankCell(d),
			fig(iTauxEstime),
			bandCell(d.IllectronismRateLow, d.IllectronismRateHigh),
			fig(iPersonnesEstimees),
			numberCell(estimated(d, d.FTECentral, 1), 1),
			numberCell(count(d.MediatorPosts), 0),
			fig(iEcart),
			{Text: planStatusShort(d.PlanStatus)},
			fig(iDebit),
			fig(iDistance),
			fig(iLieux),
			{Text: respondents(d.Respondents), Secret: d.Respondents == nil, Sort: sortInt(d.Respondents)},
			fig(iIllectronisme),
		}}
		if d.PreviousBuiltAt != "" && p.PreviousBuiltAt == "" {
			p.PreviousBuiltAt = frenchDate(d.PreviousBuiltAt)
		}
	}
	if len(site.VenuesOnMap) > 0 {
		p.Venues = formatInt(int64(len(site.VenuesOnMap)))
	}
	for _, dl := range site.Downloads {
		p.Downloads = append(p.Downloads, download{Path: dl.Path, Title: dl.Title, Format: dl.Format, Size: formatBytes(dl.Bytes)})
	}
	return execute("index.html.tmpl", p)
}
