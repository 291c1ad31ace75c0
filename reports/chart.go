package reports

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

const (
	// chartID is the fixed id of the map's <div>. go-echarts also uses it
	// in JS variable names (goecharts_<id>), so it must be a JS identifier:
	// no hyphen.
	chartID = "carte_departements"
	// mapName is the name under which departements.js registers the shapes.
	mapName = "france"
	// assetsDir is where the page finds its scripts and stylesheet, relative
	// to index.html. It is go-echarts' assets host, replacing its remote CDN.
	assetsDir = "assets/"
	// greyNoData fills départements without a published value; carte.js
	// hatches them, so that the pattern, not only the grey, tells them
	// from every class and from the neutral fill under circles.
	greyNoData = "#c4c4c4"
)

// idfCodes are the départements of the Île-de-France inset: Paris and its
// inner ring, too small on the national map to be read or clicked.
var idfCodes = []string{"75", "92", "93", "94"}

// legendLeft is where the legends start, in pixels from the left: right of
// the overseas insets' column.
const legendLeft = 190

// idfMapName is the name under which departements.js registers the inset.
const idfMapName = "idf"

// decimalsOf is the number of decimals needed to write a round bound.
func decimalsOf(x float64) int {
	for d := 0; d < 6; d++ {
		p := math.Pow10(d)
		if math.Abs(math.Round(x*p)/p-x) < 1e-9 {
			return d
		}
	}
	return 6
}

// mapChart is the go-echarts chart rendered as a snippet: the element and the
// inline script that creates the chart with the default indicator's data.
type mapChart struct {
	Scripts []string      // head scripts in order: ECharts, then the shapes
	Element template.HTML // the <div> the chart draws into
	Script  template.HTML // <script> creating the chart
}

// newMapChart builds the national map with ind drawn: the départements on a
// geo component the reader can zoom and pan, Paris and its inner ring again
// in an inset (a second geo component), one map series on each, and ind's
// classes. It carries only département codes and numbers: names reach the
// page through the JSON data island, so that no data string goes through
// go-echarts' unescaped JSON. carte.js draws the other indicators, the
// circles of counts and the venues on the same geo components, so that
// they follow the zoom.
func newMapChart(ind indicator, codes []string, figs []figure, withInset bool) (mapChart, error) {
	data := make([]opts.MapData, len(codes))
	for i, code := range codes {
		data[i] = opts.MapData{Name: code}
		if figs[i].Status == published {
			data[i].Value = figs[i].Value
		}
	}

	m := charts.NewMap()
	m.RegisterMapType(mapName)
	m.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID:    chartID,
			AssetsHost: assetsDir,
			PageTitle:  pageTitle,
			Width:      "100%",
			Height:     "640px",
		}),
		charts.WithAnimation(false),
		saveAsImage("illectro-carte-departements"),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	m.AddSeries(ind.Label, data,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.SelectedMode = opts.Bool(false) }),
	)
	// The shapes must be registered before the inline script creates the
	// chart, so departements.js is a head script right after ECharts.
	m.AddCustomizedJSAssets(assetsDir + "departements.js")
	m.Accept(nationalLayout{trimOption: trimOption{keep: []string{"toolbox"}}, pieces: pieces(ind.classes(figs)), inset: withInset})

	snip := m.RenderSnippet() // runs Validate: prefixes JSAssets with the host
	script, err := safeScript(snip.Script)
	if err != nil {
		return mapChart{}, err
	}
	scripts := append(append([]string(nil), m.JSAssets.Values...), m.CustomizedJSAssets.Values...)
	return mapChart{
		Scripts: scripts,
		Element: template.HTML(strings.TrimSpace(snip.Element)),
		Script:  script,
	}, nil
}

// geoComponents are the two geo components of the national map: France,
// which the reader zooms (wheel, pinch, or the buttons under the map) and
// pans, and the Île-de-France inset in the top right corner, fixed.
func geoComponents() []map[string]any {
	region := func(id, name string) map[string]any {
		return map[string]any{
			"id":     id,
			"map":    name,
			"silent": false,
			"label":  map[string]any{"show": false},
			"select": map[string]any{"disabled": true},
			"itemStyle": map[string]any{
				"areaColor": greyNoData, "borderColor": outlineColour, "borderWidth": 0.5,
			},
			"emphasis": map[string]any{
				"label":     map[string]any{"show": false},
				"itemStyle": map[string]any{"areaColor": "#e07b39", "borderColor": "#1e1e1e", "borderWidth": 1.5},
			},
		}
	}
	france := region("france", mapName)
	france["roam"] = true
	france["scaleLimit"] = map[string]any{"min": 1, "max": 12}
	// Clear of the inset on the right.
	france["top"], france["bottom"], france["left"], france["right"] = 20, 20, 20, 220
	inset := region("encart", idfMapName)
	inset["roam"] = false
	inset["right"], inset["top"], inset["width"], inset["height"] = 24, 44, 170, 150
	return []map[string]any{france, inset}
}

// insetFrame draws the inset's frame and title, under the inset.
func insetFrame() map[string]any {
	return map[string]any{"elements": []map[string]any{
		{
			"type": "rect", "id": "cadre-encart", "right": 14, "top": 14, "z": 0, "silent": true,
			"shape": map[string]any{"width": 190, "height": 190},
			"style": map[string]any{"fill": "#ffffff", "stroke": outlineColour, "lineWidth": 1},
		},
		{
			"type": "text", "id": "titre-encart", "right": 22, "top": 20, "z": 1, "silent": true,
			"style": map[string]any{"text": "Paris et petite couronne", "fill": "#1e1e1e", "font": "13px sans-serif"},
		},
	}}
}

// pieces are the classes as ECharts' piecewise visual map wants them.
func pieces(cs []class) []map[string]any {
	out := make([]map[string]any, 0, len(cs))
	for _, c := range cs {
		p := map[string]any{"gte": c.Min, "label": c.Label, "color": c.Colour}
		if c.Last {
			p["lte"] = c.Max
		} else {
			p["lt"] = c.Max
		}
		out = append(out, p)
	}
	return out
}

// classesVisualMap is the legend and colouring of a map in classes, applied
// to both map series (France and the inset).
func classesVisualMap(pieces []map[string]any) map[string]any {
	return map[string]any{
		"id": "classes", "type": "piecewise", "seriesIndex": []int{0, 1},
		"pieces": pieces, "selectedMode": false,
		"left": legendLeft, "bottom": 10, "orient": "vertical", "itemGap": 6,
		"textStyle": map[string]any{"color": "#1e1e1e", "fontSize": 14},
	}
}

// nationalLayout rewrites go-echarts' option of the national map: the geo
// components, one map series on each (go-echarts knows one series of its
// own geo), the classes' visual map and the inset's frame.
type nationalLayout struct {
	trimOption
	pieces []map[string]any
	inset  bool // the map has départements of the inset
}

// Visit is called by go-echarts on the finished option.
func (n nationalLayout) Visit(option map[string]any) {
	n.trimOption.Visit(option)
	geos := geoComponents()
	vm := classesVisualMap(n.pieces)
	if !n.inset {
		geos, vm["seriesIndex"] = geos[:1], []int{0}
	} else {
		option["graphic"] = insetFrame()
	}
	option["geo"] = geos
	option["visualMap"] = []map[string]any{vm}
	var series []map[string]any
	b, err := json.Marshal(option["series"])
	if err == nil {
		err = json.Unmarshal(b, &series)
	}
	if err != nil || len(series) != 1 {
		// go-echarts gave something else than one map series: leave it,
		// the test of the page's option fails loudly.
		return
	}
	main := series[0]
	delete(main, "map")
	main["id"], main["geoIndex"] = "carte", 0
	option["series"] = []map[string]any{main}
	if n.inset {
		inset := map[string]any{"id": "carte-encart", "type": "map", "geoIndex": 1, "name": main["name"], "data": main["data"]}
		option["series"] = []map[string]any{main, inset}
	}
}

// trimOption removes the components go-echarts always emits but the map
// does not use. Without a legend component ECharts also draws no legend
// symbol (a dot) on every département.
type trimOption struct {
	charts.BaseConfigurationVisitor
	keep []string // components to keep, e.g. "legend"
}

// Visit is called by go-echarts on the finished option.
func (t trimOption) Visit(option map[string]any) {
	for _, key := range []string{"legend", "title", "toolbox", "color"} {
		if !slices.Contains(t.keep, key) {
			delete(option, key)
		}
	}
}

// saveAsImage is the toolbox of every map: one button that saves the map,
// as drawn, as a PNG file named name (ECharts draws it in the browser:
// nothing leaves the page).
func saveAsImage(name string) charts.GlobalOpts {
	return charts.WithToolboxOpts(opts.Toolbox{
		Show:   opts.Bool(true),
		Right:  "10",
		Bottom: "10",
		Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
			Show: opts.Bool(true), Type: "png", Name: name, Title: "Enregistrer la carte en image",
		}},
	})
}

// htmlSafeJSON escapes, in go-echarts' inline script, the characters that
// could end the <script> element or start markup. go-echarts encodes the
// option with SetEscapeHTML(false); these characters can only occur inside
// JSON strings there (the option holds no JS function), where the \u escapes
// mean the same string.
var htmlSafeJSON = strings.NewReplacer(
	"<", `\u003c`,
	">", `\u003e`,
	"&", `\u0026`,
	"\u2028", `\u2028`,
	"\u2029", `\u2029`,
)

// safeScript returns go-echarts' inline script with its body made safe to
// embed in HTML.
func safeScript(s string) (template.HTML, error) {
	const open, end = `<script type="text/javascript">`, `</script>`
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, open) || !strings.HasSuffix(s, end) {
		return "", fmt.Errorf("unexpected go-echarts script: %.40q", s)
	}
	body := s[len(open) : len(s)-len(end)]
	return template.HTML("<script>" + htmlSafeJSON.Replace(body) + end), nil
}

// islandIndicator is one indicator in the data island read by carte.js.
type islandIndicator struct {
	ID      string `json:"id"`
	Libelle string `json:"libelle"`
	Lecture string `json:"lecture"` // how to read the map, in French
	// Provenance: its inputs with their vintage and its coverage, in French.
	Provenance string           `json:"provenance"`
	Classes    []map[string]any `json:"classes,omitempty"` // visual map pieces (rates, indices)
	// Symboles: a count drawn as circles (classes.go); Signe: red filled
	// above 0, blue hollow below; Reference: the value of the reference
	// circle (maxSymbol pixels wide), TexteReference its French text.
	Symboles       bool    `json:"symboles,omitempty"`
	Signe          bool    `json:"signe,omitempty"`
	Reference      float64 `json:"reference,omitempty"`
	TexteReference string  `json:"texteReference,omitempty"`
	TexteQuart     string  `json:"texteQuart,omitempty"` // the legend's small circle: a quarter of Reference
	TexteSigne     string  `json:"texteSigne,omitempty"` // the legend's line on the circles' colours
	// Valeurs and Textes are the figures in the order of island.Codes:
	// each list once rather than {"name","value","texte"} for every
	// département (25 kB less).
	Valeurs []*float64 `json:"valeurs"` // null when not published
	Textes  []string   `json:"textes"`  // tooltip texts, French format with unit
}

type island struct {
	Codes       []string          `json:"codes"` // the départements, in the order of every indicator's lists: the join key with the GeoJSON
	Noms        map[string]string `json:"noms"`  // département names by code, once for every indicator
	Indicateurs []islandIndicator `json:"indicateurs"`
	// Centres are where each département's circle stands: the centroid
	// of its largest polygon, in the map's coordinates (overseas ones in
	// their insets), to 3 decimals.
	Centres map[string][2]float64 `json:"centres"`
	// Encart lists the départements of the Île-de-France inset; empty
	// when the map has none (then there is no inset). BornesEncart is
	// their bounding box (west, south, east, north): the venues drawn in
	// the inset.
	Encart       []string    `json:"encart"`
	BornesEncart *[4]float64 `json:"bornesEncart,omitempty"`
	// Couleurs are the colours of the circles and of the neutral fill
	// under them (classes.go); DiametreReference the reference circle's
	// diameter in pixels.
	Couleurs          map[string]string `json:"couleurs"`
	DiametreReference float64           `json:"diametreReference"`
	GaucheLegende     int               `json:"gaucheLegende"` // legendLeft
	// Lieux are the venues' positions on the national map (overseas ones
	// in their insets), in thousandths of a degree, sorted by longitude
	// then latitude, without repeats, in runs of three values: the
	// longitude and latitude of a run's first venue, then a string of two
	// characters per venue of the run, the first included, each 64 + the
	// zigzag code of the difference from the venue before on that axis, as
	// ECharts codes shapes (compressGeoJSON). A difference too large for a
	// character starts a new run. carte.js decodes them. Thousands of
	// venues would weigh 60 kB of the page as decimals, 28 kB as integer
	// differences; coded, 14 kB.
	Lieux []any `json:"lieux"`
}

// encodeVenues codes venue positions for the data island (island.Lieux).
func encodeVenues(venues [][2]float64) []any {
	pts := make([][2]int, 0, len(venues))
	for _, v := range venues {
		pts = append(pts, [2]int{int(math.Round(v[0] * 1000)), int(math.Round(v[1] * 1000))})
	}
	slices.SortFunc(pts, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	pts = slices.Compact(pts)
	out := []any{}
	var run []rune
	var prev [2]int
	for i, p := range pts {
		cx, cy := 64+zigzag(p[0]-prev[0]), 64+zigzag(p[1]-prev[1])
		if i == 0 || cx > maxShapeChar || cy > maxShapeChar {
			if i > 0 {
				out = append(out, string(run))
			}
			out = append(out, p[0], p[1])
			run, cx, cy = nil, 64, 64
		}
		run = append(run, rune(cx), rune(cy))
		prev = p
	}
	if len(pts) > 0 {
		out = append(out, string(run))
	}
	return out
}

// dataIsland encodes every indicator for carte.js. json.Marshal escapes <, >
// and & as \u003c…, so the result is safe inside a <script> element.
func dataIsland(site Site, codes, noms []string, figs [][]figure, centres map[string][2]float64, inset *[4]float64) (template.JS, error) {
	venues := site.VenuesOnMap
	isl := island{
		Codes: codes, Noms: map[string]string{}, Lieux: encodeVenues(venues), Centres: centres, Encart: []string{},
		Couleurs: map[string]string{
			"cercle": symbolColour, "deficit": deficitColour, "surplus": surplusColour, "neutre": neutralFill,
		},
		DiametreReference: maxSymbol, GaucheLegende: legendLeft,
	}
	if inset != nil {
		isl.Encart, isl.BornesEncart = idfCodes, inset
	}
	for i, code := range codes {
		isl.Noms[code] = noms[i]
	}
	for i, ind := range indicators {
		ii := islandIndicator{
			ID: ind.ID, Libelle: ind.Label, Lecture: ind.reading(),
			Provenance: indicatorProvenance(ind, site.Sources, site.LoadedFiles, figs[i]),
			Valeurs:    make([]*float64, len(codes)), Textes: make([]string, len(codes)),
		}
		if ind.Symbols {
			ref := ind.symbolReference(figs[i])
			ii.Symboles, ii.Signe, ii.Reference = true, ind.Diverging, ref
			ii.TexteReference = formatDecimal(ref, decimalsOf(ref)) + ind.Unit
			ii.TexteQuart = formatDecimal(ref/4, decimalsOf(ref/4)) + ind.Unit
			if ind.Diverging {
				ii.TexteSigne = "Rouge plein\u00a0: " + ind.Above + "\u202f; bleu vide\u00a0: " + ind.Below
			}
		} else {
			ii.Classes = pieces(ind.classes(figs[i]))
		}
		for j, f := range figs[i] {
			ii.Textes[j] = ind.tooltip(f)
			if f.Status == published {
				ii.Valeurs[j] = &f.Value
			}
		}
		isl.Indicateurs = append(isl.Indicateurs, ii)
	}
	b, err := json.Marshal(isl)
	if err != nil {
		return "", fmt.Errorf("encode map data: %w", err)
	}
	return template.JS(b), nil
}
