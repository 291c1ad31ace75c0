package reports

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/illectro/illectro/figures"
)

// depChartID is the fixed id of a département page's map (a JS identifier).
const depChartID = "carte_departement"

// decilePalette colours commune points by fragility decile, two deciles per
// colour (ColorBrewer YlOrRd, readable with colour vision deficiencies); the
// page's legend and tables give the deciles in words and numbers too.
var decilePalette = []string{"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"}

// Page model of templates/departement.html.tmpl.
type (
	depPage struct {
		frame
		Code, Nom, Region string
		Rank              string // "3 sur 101", or "" when unranked
		RankRange         string // "1 à 5", or ""
		Summary           []summaryRow
		Synthese          []string // the page's story in two or three French sentences
		Plan              []planRow
		PlanStatus        string // the plan's verdict, a sentence
		PlanWorkforce     string // what the workforce counts, a sentence
		Horizon           string // "3 ans"
		People            string // people to reach: "12 345 (10 200 à 14 800)"
		OutsideSurvey     bool
		Chart             mapChart
		Data              template.JS
		Legend            []legendItem // the communes' colours
		Layers            []layerItem  // the map's layers, each with its symbol
		Observed          []observedRow
		Respondents       string
		Suppressed        bool
		Suppression       string
		SecrecyThreshold  int
		Communes          []communeRow
		CommuneRows       template.HTML // Communes as the table's rows (longRowsHTML)
		EPCIs             []epciRow
		EPCIRows          template.HTML
		Voisins           []voisinRow // the département and its neighbours; none without neighbours
		Programmes        []programmeRow
		Venues            []venueRow
		VenueRows         template.HTML
		Findings          []findingRow
	}
	comparison struct {
		Label, Here, France string
	}
	// summaryRow is a row of the summary: the comparison and the inputs
	// it rests on with their vintage (inputVintages).
	summaryRow struct {
		comparison
		Data string
	}
	planRow struct {
		Scenario, People, Caseload, FTE, Workforce, Gap string
	}
	legendItem struct {
		Colour, Text string
	}
	// layerItem is a layer in the page's legend: its symbol (a CSS class
	// and style from depLayers), its words, and a checkbox when it can be
	// hidden.
	layerItem struct {
		ID, Name, Text string
		Shape          string       // CSS class of the symbol: disque, losange
		Style          template.CSS // its colours
		Toggle         bool
	}
	observedRow struct {
		Label                string
		Share, Interval, Std cell
		StdInterval          string
	}
	communeRow struct {
		Code, Nom string
		Cells     []cell
	}
	// epciRow is a row of the EPCI table: Also names the other
	// départements of an EPCI astride several, "" otherwise.
	epciRow struct {
		Code, Nom, Also string
		Cells           []cell
	}
	// voisinRow is a row of the neighbours table: Here marks the page's
	// own département, Page whether the row can link to a page.
	voisinRow struct {
		Code, Nom  string
		Here, Page bool
		Cells      []cell
	}
	programmeRow struct {
		Programme string
		Venues    string
	}
	venueRow struct {
		Nom, Commune, Programmes string
	}
	findingRow struct {
		Kind, Rows string
	}
)

// depIsland is the data of departement.js: every point's tooltip and style.
// departementPages builds departements/<code>.html for every département
// with a shape, and the script registering its shape.
func departementPages(site Site) ([]file, error) {
	communes := map[string][]figures.Commune{}
	for _, c := range site.Communes {
		communes[c.Departement] = append(communes[c.Departement], c)
	}
	venues := map[string][]figures.Venue{}
	for _, v := range site.Venues {
		venues[v.Departement] = append(venues[v.Departement], v)
	}
	// every EPCI's communes, in all its départements, and each
	// département's EPCI
	members := map[string][]figures.Commune{}
	for _, c := range site.Communes {
		if c.EPCI != "" {
			members[c.EPCI] = append(members[c.EPCI], c)
		}
	}
	epcis := map[string][]figures.EPCI{}
	for _, e := range site.EPCIs {
		for _, dep := range e.Departements {
			epcis[dep] = append(epcis[dep], e)
		}
	}
	var deps []figures.Departement
	for _, d := range site.Departements {
		if _, ok := site.DepartementShapes[d.Code]; ok {
			deps = append(deps, d)
		}
	}
	// The pages are independent and were half of the time to render a
	// site: they are made on every core, each into its own slot, and
	// listed in the order of site.Departements. Rendering reads site and
	// the maps above and writes nothing shared.
	pages := make([][2]file, len(deps))
	errs := make([]error, len(deps))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(deps)) {
		wg.Go(func() {
			// Pages are taken in order, so that after a failure, which
			// stops the taking, every earlier page is still made: the
			// error reported is the first one in order, as when the pages
			// were made one after the other.
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(deps) {
					return
				}
				d := deps[i]
				pages[i], errs[i] = departementPage(site, d, communes[d.Code], venues[d.Code], epcis[d.Code], members)
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	files := make([]file, 0, 2*len(deps))
	for i, d := range deps {
		if errs[i] != nil {
			return nil, fmt.Errorf("département %s: %w", d.Code, errs[i])
		}
		files = append(files, pages[i][:]...)
	}
	return files, nil
}

// departementPage makes departements/<code>.html and the script
// registering the département's shape.
func departementPage(site Site, d figures.Departement, communes []figures.Commune, venues []figures.Venue,
	epcis []figures.EPCI, members map[string][]figures.Commune) ([2]file, error) {
	js, err := registerMapJS("dep"+d.Code, site.DepartementShapes[d.Code], "Contours du département "+d.Code)
	if err != nil {
		return [2]file{}, err
	}
	page, err := departementHTML(site, d, communes, venues, epcis, members)
	if err != nil {
		return [2]file{}, err
	}
	return [2]file{
		{"departements/" + d.Code + ".html", page},
		{"assets/departements/" + d.Code + ".js", js},
	}, nil
}

// registerMapJS is a script registering geojson with ECharts under name, in
// ECharts' compressed form (compressGeoJSON: a fifth of the size); comment
// says what the shapes are, in French.
func registerMapJS(name string, geojson []byte, comment string) ([]byte, error) {
	if len(bytes.TrimSpace(geojson)) == 0 {
		return nil, errors.New("map GeoJSON is empty")
	}
	shapes, err := compressGeoJSON(geojson)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("// " + comment + " (GeoJSON compressé d’ECharts, au millième de degré), enregistrés avant la création de la carte.\n")
	buf.WriteString("echarts.registerMap(" + strconv.Quote(name) + ", ")
	buf.Write(shapes) // JSON is JavaScript
	buf.WriteString(");\n")
	return buf.Bytes(), nil
}

func departementHTML(site Site, d figures.Departement, communes []figures.Commune, venues []figures.Venue,
	epcis []figures.EPCI, members map[string][]figures.Commune) ([]byte, error) {
	const root = "../"
	chart, island, layers, err := depChart(d.Code, communes, venues, epcis, members)
	if err != nil {
		return nil, err
	}
	p := depPage{
		frame: frame{
			Title:     fmt.Sprintf("%s (%s) — illectro", d.Nom, d.Code),
			Root:      root,
			Scripts:   chart.Scripts,
			Deferred:  []string{root + assetsDir + "departement.js", root + assetsDir + "tableau.js", root + assetsDir + "recherche.js"},
			Sources:   site.Sources,
			Loaded:    loadedLines(site.LoadedFiles),
			Banner:    syntheticBanner(site.Synthetic),
			Generated: site.Generated,
		},
		Code: d.Code, Nom: d.Nom, Region: d.NomRegion,
		Chart:            chart,
		Data:             island,
		Layers:           layers,
		OutsideSurvey:    d.OutsideSurvey,
		Suppressed:       d.Suppressed,
		Suppression:      d.Suppression,
		Respondents:      respondents(d.Respondents),
		SecrecyThreshold: site.SecrecyThreshold,
	}
	if d.FragilityRank != nil {
		p.Rank = fmt.Sprintf("%d sur %d", *d.FragilityRank, len(site.Departements))
		if d.FragilityRankMin != nil && d.FragilityRankMax != nil {
			p.RankRange = fmt.Sprintf("%d et %d", *d.FragilityRankMin, *d.FragilityRankMax)
		}
	}
	for _, c := range summary(d, site.France, site.SecrecyThreshold) {
		p.Summary = append(p.Summary, summaryRow{c, inputVintages(summaryInputs[c.Label], site.Sources, site.LoadedFiles)})
	}
	p.Synthese = synthese(d, site)
	p.Plan = plan(d, site.Parameters)
	p.PlanStatus = planStatusText(d)
	p.PlanWorkforce = planWorkforce(d, site.Parameters)
	p.Horizon = years(site.Parameters.HorizonYears)
	p.People = formatInt(int64(math.Round(d.IllectronismPeople))) + " (" +
		formatInt(int64(math.Round(d.IllectronismLow))) + " à " + formatInt(int64(math.Round(d.IllectronismHigh))) + ")"
	for i, c := range decilePalette {
		p.Legend = append(p.Legend, legendItem{Colour: c, Text: fmt.Sprintf("déciles %d et %d", 2*i+1, 2*i+2)})
	}
	p.Observed = observed(d, site.SecrecyThreshold)
	p.Communes = communeRows(communes)
	p.EPCIs = epciRows(d.Code, epcis, members, site.Departements, site.SecrecyThreshold)
	p.Voisins = voisinRows(d, site)
	p.Programmes, p.Venues = venueRows(venues)
	p.CommuneRows, p.EPCIRows, p.VenueRows = longRowsHTML(p.Communes, p.EPCIs, p.Venues)
	byKind := map[string]int64{}
	for _, f := range site.Quality.Findings {
		if f.Departement == d.Code {
			byKind[f.Kind] += f.Rows
		}
	}
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		p.Findings = append(p.Findings, findingRow{Kind: findingLabel(k), Rows: formatInt(byKind[k])})
	}
	return execute("departement.html.tmpl", p)
}

// findingLabels name the kinds of quality findings in French.
var findingLabels = map[string]string{
	"swapped_coordinates":                        "Coordonnées inversées (longitude et latitude), corrigées",
	"outside_polygons_placed_by_declared_code":   "Point hors des contours, placé par le code déclaré",
	"declared_departement_differs_from_geometry": "Département déclaré différent de celui des coordonnées",
	"commune_from_postal_code":                   "Commune déduite du code postal",
	"commune_from_name":                          "Commune déduite du nom",
	"commune_from_nearest_centroid":              "Commune approchée par le centre de commune le plus proche",
	"commune_unknown":                            "Commune inconnue",
	"duplicate_id_in_file":                       "Identifiant en double dans un fichier, dernière ligne retenue",
	"mapped_column_absent":                       "Colonne prévue absente de l’en-tête du fichier",
}

// findingLabel is the French label of a finding kind, or the kind itself.
func findingLabel(kind string) string {
	if l, ok := findingLabels[kind]; ok {
		return l
	}
	return kind
}

// depLayer is one layer of the département map: a series of the chart,
// its style, and its entry in the page's legend. The page's HTML legend is
// the map's only one: the chart draws none (ECharts' legend would show one
// colour for communes coloured by decile), so both are made from this table.
type depLayer struct {
	ID     string  // series id, for departement.js; the checkbox is "couche-<ID>"
	Name   string  // series name, French
	Symbol string  // ECharts symbol; the legend draws it as Shape
	Shape  string  // CSS class of the legend's symbol
	Size   float64 // symbol size in px; 0 when set per point
	Fill   string  // fill colour ("" when per point); the legend's too
	Border string
	Width  float64 // border width in px
	Toggle bool    // a checkbox shows or hides the layer
}

// depLayers are the layers from the bottom of the map to the top.
//
// The communes are the subject and sit on top, so that nothing hides them
// and hovering a commune always gives its own tooltip. The venues (1 033 in
// Nord against 647 communes drawn) are reference points beneath them: small,
// hollow, thin, so that they show where mediation is offered without
// covering the communes' colours; each commune's tooltip counts its venues,
// which also covers venues hidden under a large commune. The venues and the
// intercommunalities can be hidden, for a map of the communes alone. The
// venues' symbol is smaller where they are dense (see depChart).
var depLayers = []depLayer{
	{ID: "intercommunalites", Name: "Intercommunalités", Symbol: "circle", Shape: "disque",
		Fill: "#efebf5", Border: "#5e3c99", Width: 2, Toggle: true},
	{ID: "lieux", Name: "Lieux de médiation numérique", Symbol: "diamond", Shape: "losange",
		Size: 8, Fill: "#ffffff", Border: "#0a4f99", Width: 1.5, Toggle: true},
	{ID: "communes", Name: "Communes", Symbol: "circle", Shape: "disque",
		Border: "#1e1e1e", Width: 0.5},
}

// depLabelled is how many communes, the most populous, have their name
// written on the map; departement.js hides a label that would overlap a
// larger commune's.
const depLabelled = 10

// depChart is the département's map (its outline and depLayers) with the
// data island departement.js styles it from, and the layers as the page's
// legend shows them.
func depChart(code string, communes []figures.Commune, venues []figures.Venue,
	epcis []figures.EPCI, members map[string][]figures.Commune) (mapChart, template.JS, []layerItem, error) {
	isl := depIsland{Communes: []depPoint{}, Lieux: []depPoint{}, EPCI: []depPoint{}} // [] rather than null in JSON
	// The largest communes first: a small commune is drawn over a large
	// one, never under it.
	sorted := slices.Clone(communes)
	slices.SortStableFunc(sorted, func(a, b figures.Commune) int {
		return cmp.Or(cmp.Compare(b.Population, a.Population), strings.Compare(a.Code, b.Code))
	})
	for _, c := range sorted {
		if !c.HasPoint {
			continue
		}
		pt := depPoint{Value: [2]float64{c.Lon, c.Lat}, Texts: communeTexts(c)}
		pt.Taille = math.Round(math.Max(3, math.Min(28, math.Sqrt(float64(c.Population))/8))*10) / 10
		if c.FragilityDecile != nil {
			pt.Couleur = decilePalette[(*c.FragilityDecile-1)/2]
		}
		if len(isl.Communes) < depLabelled {
			pt.Etiquette = c.Nom
		}
		isl.Communes = append(isl.Communes, pt)
	}
	for _, v := range venues {
		isl.Lieux = append(isl.Lieux, depPoint{Value: [2]float64{v.Lon, v.Lat}, Texts: venueTexts(v)})
	}
	for _, e := range epcis {
		lon, lat, ok := epciPoint(members[e.Code])
		if !ok {
			continue
		}
		pt := depPoint{Value: [2]float64{lon, lat}, Texts: epciTexts(e)}
		pt.Taille = math.Round(math.Max(8, math.Min(48, math.Sqrt(e.IllectronismPeople)/3))*10) / 10
		isl.EPCI = append(isl.EPCI, pt)
	}
	points := map[string][]depPoint{"communes": isl.Communes, "lieux": isl.Lieux, "intercommunalites": isl.EPCI}

	g := charts.NewGeo()
	g.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID:    depChartID,
			AssetsHost: "../" + assetsDir,
			PageTitle:  pageTitle,
			Width:      "100%",
			Height:     "560px",
		}),
		charts.WithAnimation(false),
		charts.WithGeoComponentOpts(opts.GeoComponent{
			Map:       "dep" + code,
			ItemStyle: &opts.ItemStyle{AreaColor: "#eef1f6", BorderColor: "#595959", BorderWidth: 1},
			Silent:    opts.Bool(true),
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		saveAsImage("illectro-carte-"+code),
	)
	var layers []layerItem
	for _, l := range depLayers {
		pts := points[l.ID]
		// Where venues are dense (Nord: 1 033 for 647 communes) their
		// symbol shrinks, so that they read as a texture under the
		// communes; where they are few (Creuse: 19 for 255) it keeps the
		// size that lets each be found.
		if l.ID == "lieux" && 2*len(isl.Lieux) >= len(isl.Communes) {
			l.Size, l.Width = 6, 1
		}
		// The series are empty here: departement.js gives them their
		// points from the data island, which the page carries once (on
		// Nord's page, the points again in go-echarts' option were 52 kB).
		g.AddSeries(l.Name, types.ChartScatter, []opts.GeoData{},
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Id, s.Symbol = l.ID, l.Symbol
				if l.Size > 0 {
					s.SymbolSize = l.Size
				}
			}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: l.Fill, BorderColor: l.Border, BorderWidth: float32(l.Width)}))
		item := layerItem{ID: l.ID, Name: l.Name, Shape: l.Shape, Toggle: l.Toggle,
			Style: template.CSS(fmt.Sprintf("background: %s; border: %gpx solid %s", cmp.Or(l.Fill, "#ffffff"), math.Max(1, l.Width), l.Border))}
		n := formatInt(int64(len(pts)))
		switch l.ID {
		case "communes":
			switch {
			case len(pts) == 1: // Paris
				item.Text = "Commune (1) : un disque, coloré selon le décile national de l’indice de fragilité et nommé."
			case len(pts) <= depLabelled:
				item.Text = "Communes (" + n + ") : disques proportionnels à la population, colorés selon le décile national de l’indice de fragilité ; toutes sont nommées quand la place le permet."
			default:
				item.Text = fmt.Sprintf("Communes (%s) : disques proportionnels à la population, colorés selon le décile national de l’indice de fragilité ; les %d plus peuplées sont nommées quand la place le permet.", n, depLabelled)
			}
		case "lieux":
			item.Text = "Lieux de médiation numérique (" + n + ") : petits losanges bleus, sous les communes ; l’infobulle d’une commune compte ses lieux."
		case "intercommunalites":
			item.Text = "Intercommunalités (" + n + ") : cercles violets, d’autant plus grands qu’elles comptent de personnes estimées en illectronisme."
		}
		layers = append(layers, item)
	}
	g.AddCustomizedJSAssets("../" + assetsDir + "departements/" + code + ".js")
	g.Accept(trimOption{keep: []string{"toolbox"}})
	snip := g.RenderSnippet()
	script, err := safeScript(snip.Script)
	if err != nil {
		return mapChart{}, "", nil, err
	}
	b, err := json.Marshal(isl)
	if err != nil {
		return mapChart{}, "", nil, fmt.Errorf("encode map data: %w", err)
	}
	scripts := append(append([]string(nil), g.JSAssets.Values...), g.CustomizedJSAssets.Values...)
	// the legend reads from the top layer down
	slices.Reverse(layers)
	return mapChart{Scripts: scripts, Element: template.HTML(strings.TrimSpace(snip.Element)), Script: script}, template.JS(b), layers, nil
}

// communeTexts are a commune's tooltip texts, after communeLabels.
func communeTexts(c figures.Commune) []string {
	texts := []string{
		c.Nom + " (" + c.Code + ")",
		formatInt(c.Population),
		formatInt(int64(math.Round(c.IllectronismPeople))) +
			" (" + formatInt(int64(math.Round(c.IllectronismLow))) + " à " + formatInt(int64(math.Round(c.IllectronismHigh))) + ")",
		"",
		// nil when no venue listing covers the département: unknown, not 0
		indicator{}.tooltip(count(c.Venues)),
	}
	if c.FragilityScore != nil && c.FragilityDecile != nil {
		texts[3] = fmt.Sprintf("%s (décile %d)", formatDecimal(*c.FragilityScore, 2), *c.FragilityDecile)
	}
	return texts
}

// epciPoint is where an EPCI is drawn: the population-weighted mean of its
// communes' points (all of them, in every département it lies in); ok is
// false when none has a point.
func epciPoint(communes []figures.Commune) (lon, lat float64, ok bool) {
	var w, sumLon, sumLat float64
	for _, c := range communes {
		if !c.HasPoint {
			continue
		}
		p := float64(max(c.Population, 1))
		w += p
		sumLon += p * c.Lon
		sumLat += p * c.Lat
	}
	if w == 0 {
		return 0, 0, false
	}
	return sumLon / w, sumLat / w, true
}

// epciTexts are an EPCI's tooltip texts, after epciLabels.
func epciTexts(e figures.EPCI) []string {
	texts := []string{
		e.Nom,
		"Communes : " + formatInt(e.Communes) + " · population : " + formatInt(e.Population),
		formatInt(int64(math.Round(e.IllectronismPeople))) +
			" (" + formatInt(int64(math.Round(e.IllectronismLow))) + " à " + formatInt(int64(math.Round(e.IllectronismHigh))) + ")",
		"", "",
	}
	if e.IllectronismRate != nil {
		texts[3] = formatDecimal(math.Round(*e.IllectronismRate*1000)/10, 1) + "\u202f%"
	}
	if len(e.Departements) > 1 {
		texts[4] = "À cheval sur les départements " + strings.Join(e.Departements, ", ")
	}
	return texts
}

// venueTexts are a venue's tooltip texts, after venueLabels: its name,
// commune and programmes.
func venueTexts(v figures.Venue) []string {
	return []string{v.Nom, v.Commune, strings.Join(v.Programmes, ", ")}
}

// summary compares the département's main figures with France's.
// summaryInputs are the input kinds each row of the summary rests on, by
// its label ("model" for the small-area model of illectronism).
var summaryInputs = map[string][]string{
	"Indice de fragilité numérique (1 à 10)":                                       {"coverage", "venues", "socio"},
	"Part estimée des 15 ans ou plus en illectronisme":                             {"model", "socio"},
	"Fourchette à 90\u00a0% de cette part":                                         {"model", "socio"},
	"Personnes estimées en illectronisme":                                          {"model", "socio"},
	"Fourchette à 90\u00a0% du nombre de personnes":                                {"model", "socio"},
	"Locaux sans accès à 30\u202fMbit/s ou plus":                                   {"coverage"},
	"Locaux sans accès à 8\u202fMbit/s ou plus":                                    {"coverage"},
	"Population à plus de 10\u202fkm d’un lieu de médiation":                       {"venues"},
	"Population à plus de 20\u202fkm d’un lieu de médiation":                       {"venues"},
	"Lieux de médiation pour 10\u202f000 habitants":                                {"venues"},
	"Sites France Services":                                                        {"venues"},
	"Postes de conseillers numériques pour 10\u202f000 personnes en illectronisme": {"mediators", "model", "socio"},
	"Part des répondants à l’autodiagnostic en illectronisme":                      {"assessments"},
}

func summary(d figures.Departement, f figures.France, threshold int) []comparison {
	pct := func(p *float64) string { return figureText(share(p), 1, "\u202f%") }
	people := func(x float64) string { return formatInt(int64(math.Round(x))) }
	band := func(lo, hi float64) string { return people(lo) + " à " + people(hi) }
	rows := []comparison{
		{"Part estimée des 15 ans ou plus en illectronisme", pct(d.IllectronismRate), pct(f.IllectronismRate)},
		{"Fourchette à 90\u00a0% de cette part", bandCell(d.IllectronismRateLow, d.IllectronismRateHigh).Text, noData},
		{"Personnes estimées en illectronisme", people(d.IllectronismPeople), people(f.IllectronismPeople)},
		{"Fourchette à 90\u00a0% du nombre de personnes", band(d.IllectronismLow, d.IllectronismHigh), band(f.IllectronismLow, f.IllectronismHigh)},
		{"Locaux sans accès à 30\u202fMbit/s ou plus", pct(d.SharePremisesBelow30Mbps), pct(f.SharePremisesBelow30Mbps)},
		{"Locaux sans accès à 8\u202fMbit/s ou plus", pct(d.SharePremisesBelow8Mbps), pct(f.SharePremisesBelow8Mbps)},
		{"Population à plus de 10\u202fkm d’un lieu de médiation", pct(d.ShareBeyond10km), noData},
		{"Population à plus de 20\u202fkm d’un lieu de médiation", pct(d.ShareBeyond20km), noData},
		{"Lieux de médiation pour 10\u202f000 habitants", figureText(optional(d.VenuesPer10k, 2), 2, ""), figureText(optional(f.VenuesPer10k, 2), 2, "")},
		{"Sites France Services", figureText(count(d.FranceServicesSites), 0, ""), figureText(count(f.FranceServicesSites), 0, "")},
		{"Postes de conseillers numériques pour 10\u202f000 personnes en illectronisme", figureText(optional(d.PostsPer10kIllectronism, 2), 2, ""), figureText(optional(f.PostsPer10kIllectronism, 2), 2, "")},
		{"Part des répondants à l’autodiagnostic en illectronisme", figureText(illectronism(d, threshold), 1, "\u202f%"), pct(f.ShareIllectronism)},
	}
	if d.FragilityScore != nil {
		rows = append([]comparison{{"Indice de fragilité numérique (1 à 10)", formatDecimal(*d.FragilityScore, 2), noData}}, rows...)
	}
	return rows
}

// bandCell is a band of shares as text, "12,1 à 15,3", or "—".
func bandCell(lo, hi *float64) cell {
	if lo == nil || hi == nil {
		return cell{Text: noData}
	}
	return cell{Text: formatDecimal(math.Round(*lo*1000)/10, 1) + " à " + formatDecimal(math.Round(*hi*1000)/10, 1),
		Sort: strconv.FormatFloat(*lo, 'f', -1, 64)}
}

// figureText is a figure with its unit, "—" or "s".
func figureText(f figure, decimals int, unit string) string {
	switch f.Status {
	case missing:
		return noData
	case secret:
		return "s"
	}
	return formatDecimal(f.Value, decimals) + unit
}

// plan is the mediator plan's three scenarios: the low need (low end of
// the estimate, largest caseload) against the largest workforce, the
// central, the high need against the smallest workforce.
func plan(d figures.Departement, p figures.Parameters) []planRow {
	caseload := func(x float64) string {
		if x == 0 {
			return noData
		}
		return formatInt(int64(math.Round(x)))
	}
	people := func(x float64) string { return formatInt(int64(math.Round(x))) }
	fte := func(x *float64) string { return figureText(optional(x, 1), 1, "") }
	return []planRow{
		{"Bas", people(d.IllectronismLow), caseload(p.CaseloadMax), formatDecimal(d.FTELow, 1), fte(d.WorkforceHigh), planGap(d.GapLow)},
		{"Central", people(d.IllectronismPeople), caseload(p.CaseloadCentral), formatDecimal(d.FTECentral, 1), fte(d.WorkforceCentral), planGap(d.GapCentral)},
		{"Haut", people(d.IllectronismHigh), caseload(p.CaseloadMin), formatDecimal(d.FTEHigh, 1), fte(d.WorkforceLow), planGap(d.GapHigh)},
	}
}

// planGap is the plan's gap in words and, for a shortfall, in whole
// full-time posts to create: a need of 5,2 ETP takes 6 posts (or 5 and a
// part-time one), so the posts are rounded up. "12,5 à recruter (13
// postes)"; the plan's note says the posts are full-time ones.
func planGap(x *float64) string {
	g := gap(x)
	if x == nil || *x <= 0 {
		return g
	}
	n := int64(math.Ceil(math.Round(*x*10) / 10)) // as shown, to one decimal
	posts := " postes)"
	if n == 1 {
		posts = " poste)"
	}
	return g + " (" + formatInt(n) + posts
}

// gapCell is a table cell of an FTE gap in words, sorted by its value.
func gapCell(x *float64) cell {
	c := cell{Text: gap(x)}
	if x != nil {
		c.Sort = strconv.FormatFloat(*x, 'f', -1, 64)
	}
	return c
}

// gap is an FTE gap in words: "12,5 à recruter", "3,0 en trop", "—".
func gap(x *float64) string {
	switch {
	case x == nil:
		return noData
	case *x > 0:
		return formatDecimal(*x, 1) + " à recruter"
	case *x < 0:
		return formatDecimal(-*x, 1) + " en trop"
	}
	return "aucun"
}

// planStatusShort names the plan's verdict in a table cell.
func planStatusShort(status string) string {
	switch status {
	case "deficit":
		return "Déficit"
	case "surplus":
		return "Excédent"
	case "undetermined":
		return "Indéterminé"
	}
	return noData
}

// planStatusText is the plan's verdict as a sentence.
func planStatusText(d figures.Departement) string {
	switch d.PlanStatus {
	case "deficit":
		return "Déficit établi : même l’hypothèse basse du besoin dépasse l’effectif le plus large que l’on puisse compter."
	case "surplus":
		return "Excédent établi : même l’hypothèse haute du besoin reste sous l’effectif le plus restreint."
	case "undetermined":
		return "Ni déficit ni excédent établi : la fourchette du besoin encadre l’effectif compté ; le scénario central sert de repère."
	}
	return "Effectif inconnu : aucune donnée chargée ne couvre les postes de conseillers numériques ou les sites France Services du département."
}

// planWorkforce says what the workforce counts.
func planWorkforce(d figures.Departement, p figures.Parameters) string {
	if d.MediatorPosts == nil || d.FranceServicesSites == nil {
		return "L’effectif n’est pas connu pour ce département."
	}
	return fmt.Sprintf("Effectif compté : %s postes de conseillers numériques recrutés, et %s sites France Services à %s agents, dont %s %% du temps (de %s à %s %%) compte comme médiation numérique.",
		formatInt(*d.MediatorPosts), formatInt(*d.FranceServicesSites), formatUpTo(p.FranceServicesAgents, 1),
		formatUpTo(p.FranceServicesShareCentral*100, 1), formatUpTo(p.FranceServicesShareMin*100, 1), formatUpTo(p.FranceServicesShareMax*100, 1))
}

// years is a duration in years, in words.
func years(x float64) string {
	if x == 0 {
		return noData
	}
	if x == 1 {
		return "1\u00a0an" // a number and its unit never part at a line end
	}
	return formatUpTo(x, 1) + "\u00a0ans"
}

// observed is the observed-need table: each class's share among
// respondents, with its interval, and the age-standardised illectronism.
func observed(d figures.Departement, threshold int) []observedRow {
	secretAll := illectronism(d, threshold).Status == secret
	sh := func(p *float64) cell {
		if secretAll {
			return cell{Text: "s", Secret: true}
		}
		return figureCell(indicator{Decimals: 1}, share(p))
	}
	interval := func(lo, hi *float64) cell {
		if secretAll {
			return cell{Text: "s", Secret: true}
		}
		if lo == nil || hi == nil {
			return cell{Text: noData}
		}
		return cell{Text: formatDecimal(*lo*100, 1) + " à " + formatDecimal(*hi*100, 1)}
	}
	return []observedRow{
		{Label: "Illectronisme", Share: sh(d.ShareIllectronism), Interval: interval(d.ShareIllectronismLow, d.ShareIllectronismHigh),
			Std: sh(d.ShareIllectronismStd), StdInterval: interval(d.ShareIllectronismStdLow, d.ShareIllectronismStdHigh).Text},
		{Label: "Capacités numériques faibles", Share: sh(d.ShareCapacitesFaibles), Interval: cell{Text: noData}, Std: cell{Text: noData}, StdInterval: noData},
		{Label: "Autonomes", Share: sh(d.ShareAutonome), Interval: cell{Text: noData}, Std: cell{Text: noData}, StdInterval: noData},
	}
}

// communeRows is the communes table, most fragile first.
func communeRows(communes []figures.Commune) []communeRow {
	sorted := slices.Clone(communes)
	slices.SortStableFunc(sorted, func(a, b figures.Commune) int {
		sa, sb := -1.0, -1.0
		if a.FragilityScore != nil {
			sa = *a.FragilityScore
		}
		if b.FragilityScore != nil {
			sb = *b.FragilityScore
		}
		return cmp.Or(cmp.Compare(sb, sa), strings.Compare(a.Code, b.Code))
	})
	rows := make([]communeRow, len(sorted))
	for i, c := range sorted {
		secretShare := c.Suppressed
		shareCell := figureCell(indicator{Decimals: 1}, share(c.ShareIllectronism))
		if secretShare {
			shareCell = cell{Text: "s", Secret: true}
		}
		var decile cell
		if c.FragilityDecile != nil {
			decile = cell{Text: strconv.FormatInt(*c.FragilityDecile, 10), Sort: strconv.FormatInt(*c.FragilityDecile, 10)}
		} else {
			decile = cell{Text: noData}
		}
		rows[i] = communeRow{Code: c.Code, Nom: c.Nom + " (" + c.Code + ")", Cells: []cell{
			numberCell(figure{Value: float64(c.Population)}, 0),
			numberCell(number(c.IllectronismPeople, 0), 0),
			figureCell(indicator{Decimals: 1}, share(c.IllectronismRate)),
			figureCell(indicator{Decimals: 1}, share(c.SharePremisesBelow30Mbps)),
			figureCell(indicator{Decimals: 1}, optional(c.VenueDistanceKm, 1)),
			figureCell(indicator{Decimals: 2}, optional(c.FragilityScore, 2)),
			decile,
			{Text: respondents(c.Respondents), Secret: c.Respondents == nil, Sort: sortInt(c.Respondents)},
			shareCell,
		}}
	}
	return rows
}

// epciRows is the EPCI table of the département dep: its EPCI (whole,
// even those astride départements), most people in illectronism first.
func epciRows(dep string, epcis []figures.EPCI, members map[string][]figures.Commune,
	deps []figures.Departement, threshold int) []epciRow {
	names := map[string]string{}
	for _, d := range deps {
		names[d.Code] = d.Nom
	}
	sorted := slices.Clone(epcis)
	slices.SortStableFunc(sorted, func(a, b figures.EPCI) int {
		return cmp.Or(cmp.Compare(b.IllectronismPeople, a.IllectronismPeople), strings.Compare(a.Code, b.Code))
	})
	rows := make([]epciRow, len(sorted))
	for i, e := range sorted {
		var also []string
		for _, other := range e.Departements {
			switch {
			case other == dep:
			case names[other] == "":
				also = append(also, other)
			default:
				also = append(also, names[other]+" ("+other+")")
			}
		}
		here := int64(0)
		for _, c := range members[e.Code] {
			if c.Departement == dep {
				here++
			}
		}
		communes := cell{Text: formatInt(e.Communes), Sort: strconv.FormatInt(e.Communes, 10)}
		if here != e.Communes {
			communes.Text = formatInt(here) + " sur " + formatInt(e.Communes)
		}
		secretShare := e.Suppressed || e.Respondents == nil || *e.Respondents < int64(threshold)
		shareCell := figureCell(indicator{Decimals: 1}, share(e.ShareIllectronism))
		resp := cell{Text: respondents(e.Respondents), Secret: e.Respondents == nil, Sort: sortInt(e.Respondents)}
		if secretShare {
			shareCell = cell{Text: "s", Secret: true}
			resp = cell{Text: "s", Secret: true}
		}
		rows[i] = epciRow{Code: e.Code, Nom: e.Nom, Also: strings.Join(also, ", "), Cells: []cell{
			communes,
			numberCell(figure{Value: float64(e.Population)}, 0),
			numberCell(number(e.IllectronismPeople, 0), 0),
			{Text: formatInt(int64(math.Round(e.IllectronismLow))) + " à " + formatInt(int64(math.Round(e.IllectronismHigh))),
				Sort: strconv.FormatFloat(e.IllectronismLow, 'f', -1, 64)},
			figureCell(indicator{Decimals: 1}, share(e.IllectronismRate)),
			figureCell(indicator{Decimals: 1}, share(e.SharePremisesBelow30Mbps)),
			figureCell(indicator{Decimals: 2}, optional(e.VenuesPer10k, 2)),
			figureCell(indicator{Decimals: 1}, share(e.ShareBeyond10km)),
			numberCell(count(e.MediatorPosts), 0),
			numberCell(number(e.FTECentral, 1), 1),
			gapCell(e.GapCentral),
			figureCell(indicator{Decimals: 2}, optional(e.FragilityScore, 2)),
			resp,
			shareCell,
		}}
	}
	return rows
}

// longRowsHTML writes the rows of the long tables of the page: communes,
// EPCI and venues, each row "\n<tr>…</tr>", cells without their end tags
// (see templates/departement.html.tmpl). They are written here rather than
// by the template: executing it for each of the communes' 315 000 cells
// (an escaper, TriAttr and longcell, each called through reflection) took
// a third of the report stage. The bytes are the template's, which the
// tests check: text escaped as html/template escapes it (htmlEscape), a
// secret cell "s", TriAttr as is.
func longRowsHTML(communes []communeRow, epcis []epciRow, venues []venueRow) (c, e, v template.HTML) {
	var b []byte
	for _, r := range communes {
		b = append(b, "\n<tr id=\"c-"...)
		b = htmlEscape(b, r.Code)
		b = append(b, `"><th scope="row">`...)
		b = htmlEscape(b, r.Nom)
		b = longCells(b, r.Cells)
		b = append(b, "</tr>"...)
	}
	c, b = template.HTML(b), nil
	for _, r := range epcis {
		b = append(b, "\n<tr id=\"e-"...)
		b = htmlEscape(b, r.Code)
		b = append(b, `"><th scope="row">`...)
		b = htmlEscape(b, r.Nom)
		if r.Also != "" {
			b = append(b, ` <span class="recherche-details">(aussi&#160;: `...)
			b = htmlEscape(b, r.Also)
			b = append(b, `)</span>`...)
		}
		b = longCells(b, r.Cells)
		b = append(b, "</tr>"...)
	}
	e, b = template.HTML(b), nil
	for _, r := range venues {
		b = append(b, "\n<tr><th scope=\"row\">"...)
		b = htmlEscape(b, r.Nom)
		b = append(b, "<td>"...)
		b = htmlEscape(b, r.Commune)
		b = append(b, "<td>"...)
		b = htmlEscape(b, r.Programmes)
		b = append(b, "</tr>"...)
	}
	return c, e, template.HTML(b)
}

// longCells appends the figure cells of a long table's row.
func longCells(b []byte, cells []cell) []byte {
	for _, c := range cells {
		b = append(b, "<td"...)
		b = append(b, c.TriAttr()...)
		b = append(b, '>')
		if c.Secret {
			b = append(b, 's')
		} else {
			b = htmlEscape(b, c.Text)
		}
	}
	return b
}

// htmlEscape appends s escaped as html/template escapes a string in text
// and in a quoted attribute value (its htmlReplacementTable): NUL becomes
// U+FFFD, and " & ' + < > character references; every other byte, invalid
// UTF-8 included, stays as it is. The table holds ASCII only, which no byte
// of a multi-byte rune is, so bytes can be read one by one.
func htmlEscape(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b = append(b, "\uFFFD"...)
		case '"':
			b = append(b, "&#34;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '\'':
			b = append(b, "&#39;"...)
		case '+':
			b = append(b, "&#43;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// venueRows counts the venues by national programme and lists them.
func venueRows(venues []figures.Venue) ([]programmeRow, []venueRow) {
	counts := map[string]int64{}
	var list []venueRow
	for _, v := range venues {
		names := v.Programmes
		if len(names) == 0 {
			names = []string{"Hors programme national"}
		}
		for _, n := range names {
			counts[n]++
		}
		list = append(list, venueRow{Nom: v.Nom, Commune: v.Commune, Programmes: strings.Join(v.Programmes, ", ")})
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	progs := make([]programmeRow, len(keys))
	for i, k := range keys {
		progs[i] = programmeRow{Programme: k, Venues: formatInt(counts[k])}
	}
	return progs, list
}

// voisinRows is the neighbours table: the département and its neighbours,
// most fragile first (those without a rank last, then by code), with the
// figures of the national table, withheld and missing alike; nil when the
// département has no neighbour.
func voisinRows(d figures.Departement, site Site) []voisinRow {
	ns := neighbours(d, site)
	if len(ns) == 0 {
		return nil
	}
	group := append([]figures.Departement{d}, ns...)
	slices.SortStableFunc(group, func(a, b figures.Departement) int {
		switch {
		case a.FragilityRank != nil && b.FragilityRank != nil && *a.FragilityRank != *b.FragilityRank:
			return cmp.Compare(*a.FragilityRank, *b.FragilityRank)
		case (a.FragilityRank == nil) != (b.FragilityRank == nil):
			if a.FragilityRank == nil {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Code, b.Code)
	})
	rows := make([]voisinRow, len(group))
	for i, n := range group {
		fig := func(k int) cell { return figureCell(indicators[k], indicators[k].value(n, site.SecrecyThreshold)) }
		rank := cell{Text: noData}
		if n.FragilityRank != nil {
			rank = cell{Text: strconv.FormatInt(*n.FragilityRank, 10), Sort: strconv.FormatInt(*n.FragilityRank, 10)}
		}
		gapC := cell{Text: noData}
		if f := indicators[iEcart].value(n, site.SecrecyThreshold); f.Status == published {
			gapC = gapCell(n.GapCentral)
		}
		_, page := site.DepartementShapes[n.Code]
		rows[i] = voisinRow{Code: n.Code, Nom: n.Nom, Here: n.Code == d.Code, Page: page, Cells: []cell{
			rank,
			fig(iFragilite),
			fig(iTauxEstime),
			fig(iPersonnesEstimees),
			numberCell(estimated(n, n.FTECentral, 1), 1),
			gapC,
			fig(iDebit),
			fig(iDistance),
			fig(iLieux),
			fig(iIllectronisme),
		}}
	}
	return rows
}
