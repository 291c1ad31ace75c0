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
	// greyNoData fills départements without a published value. It is
	// distinct from every colour of the scale, which starts pale yellow.
	greyNoData = "#c4c4c4"
)

// palette is ColorBrewer's YlGnBu, sequential and readable by people with
// colour vision deficiencies.
var palette = []string{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}

// divergingPalette is ColorBrewer's RdBu, blue below 0 (a surplus) and red
// above (a deficit), white at 0; readable by people with colour vision
// deficiencies.
var divergingPalette = []string{"#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"}

// colours is the palette of the indicator's scale.
func (ind indicator) colours() []string {
	if ind.Diverging {
		return divergingPalette
	}
	return palette
}

// reading says how to read the colours of the indicator's map, in French.
func (ind indicator) reading() string {
	if ind.Diverging {
		return "Rouge : " + ind.Above + " ; bleu : " + ind.Below + " ; blanc : ni l’un ni l’autre. Plus la couleur est foncée, plus l’écart est grand."
	}
	return "Plus la couleur est foncée, plus la valeur est élevée."
}

// scale is the colour range of one indicator.
type scale struct {
	Min, Max         float64
	TextMin, TextMax string
}

func (ind indicator) scale(figs []figure) scale {
	var values []float64
	for _, f := range figs {
		if f.Status == published {
			values = append(values, f.Value)
		}
	}
	if ind.DataRange && len(values) > 0 {
		lo, hi := math.Floor(slices.Min(values)), math.Ceil(slices.Max(values))
		if hi == lo {
			hi = lo + 1
		}
		return scale{Min: lo, Max: hi, TextMin: formatDecimal(lo, 0) + ind.Unit, TextMax: formatDecimal(hi, 0) + ind.Unit}
	}
	if ind.Diverging {
		// Symmetric around 0, so that white is 0 and equal gaps either way
		// have equally strong colours.
		var abs []float64
		for _, v := range values {
			abs = append(abs, math.Abs(v))
		}
		b := scaleMax(abs)
		return scale{Min: -b, Max: b,
			TextMin: formatDecimal(b, decimalsOf(b)) + ind.Unit + " " + ind.Below,
			TextMax: formatDecimal(b, decimalsOf(b)) + ind.Unit + " " + ind.Above}
	}
	hi := scaleMax(values)
	// The scale starts at 0 so that colours compare honestly, unless some
	// values are negative (a mediator surplus): then at a round bound below.
	lo, smallest := 0.0, 0.0
	for _, v := range values {
		smallest = min(smallest, v)
	}
	if smallest < 0 {
		lo = -scaleMax([]float64{-smallest})
	}
	return scale{
		Min:     lo,
		Max:     hi,
		TextMin: formatDecimal(lo, decimalsOf(lo)) + ind.Unit,
		TextMax: formatDecimal(hi, decimalsOf(hi)) + ind.Unit,
	}
}

// decimalsOf is the number of decimals needed to write a round scale bound.
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

// newMapChart builds the choropleth of ind. It carries only département codes
// and numbers: names reach the page through the JSON data island, so that no
// data string goes through go-echarts' unescaped JSON.
func newMapChart(ind indicator, codes []string, figs []figure) (mapChart, error) {
	sc := ind.scale(figs)
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
		charts.WithVisualMapOpts(opts.VisualMap{
			Type:       "continuous",
			Calculable: opts.Bool(false),
			Min:        float32(sc.Min),
			Max:        float32(sc.Max),
			Text:       []string{sc.TextMax, sc.TextMin},
			InRange:    &opts.VisualMapInRange{Color: ind.colours()},
			Left:       "left",
			Bottom:     "bottom",
			TextStyle:  &opts.TextStyle{Color: "#1e1e1e", FontSize: 14},
		}),
	)
	m.AddSeries(ind.Label, data,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.SelectedMode = opts.Bool(false) }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		charts.WithItemStyleOpts(opts.ItemStyle{
			AreaColor:   greyNoData,
			BorderColor: "#ffffff",
			BorderWidth: 0.5,
		}),
		charts.WithEmphasisOpts(opts.Emphasis{
			Label:     &opts.Label{Show: opts.Bool(false)},
			ItemStyle: &opts.ItemStyle{AreaColor: "#e07b39", BorderColor: "#1e1e1e", BorderWidth: 1.5},
		}),
	)
	// The shapes must be registered before the inline script creates the
	// chart, so departements.js is a head script right after ECharts.
	m.AddCustomizedJSAssets(assetsDir + "departements.js")
	m.Accept(trimOption{keep: []string{"toolbox"}})

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

// islandItem is one département in the data island read by carte.js.
type islandItem struct {
	Name  string   `json:"name"`            // département code: the join key with the GeoJSON
	Value *float64 `json:"value,omitempty"` // absent when not published
	Texte string   `json:"texte"`           // tooltip text, French format with unit
}

type islandIndicator struct {
	ID       string       `json:"id"`
	Libelle  string       `json:"libelle"`
	Couleurs []string     `json:"couleurs"` // the scale's palette
	Lecture  string       `json:"lecture"`  // how to read the colours, in French
	Min      float64      `json:"min"`
	Max      float64      `json:"max"`
	TexteMin string       `json:"texteMin"`
	TexteMax string       `json:"texteMax"`
	Donnees  []islandItem `json:"donnees"`
}

type island struct {
	Noms        map[string]string `json:"noms"` // département names by code, once for every indicator
	Indicateurs []islandIndicator `json:"indicateurs"`
	// Lieux are the venues' positions on the national map (overseas ones
	// in their insets), in thousandths of a degree, sorted by longitude
	// then latitude, without repeats, and delta-coded: longitude, latitude
	// of the first, then each one's difference from the one before
	// (carte.js decodes them). Thousands of venues would otherwise weigh
	// 60 kB of the page; coded, under 30 kB.
	Lieux []int `json:"lieux"`
}

// encodeVenues codes venue positions for the data island (island.Lieux).
func encodeVenues(venues [][2]float64) []int {
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
	out := make([]int, 0, 2*len(pts))
	var prev [2]int
	for _, p := range pts {
		out = append(out, p[0]-prev[0], p[1]-prev[1])
		prev = p
	}
	return out
}

// dataIsland encodes every indicator for carte.js. json.Marshal escapes <, >
// and & as \u003c…, so the result is safe inside a <script> element.
func dataIsland(codes, noms []string, figs [][]figure, venues [][2]float64) (template.JS, error) {
	isl := island{Noms: map[string]string{}, Lieux: encodeVenues(venues)}
	for i, code := range codes {
		isl.Noms[code] = noms[i]
	}
	for i, ind := range indicators {
		sc := ind.scale(figs[i])
		ii := islandIndicator{
			ID: ind.ID, Libelle: ind.Label, Couleurs: ind.colours(), Lecture: ind.reading(),
			Min: sc.Min, Max: sc.Max, TexteMin: sc.TextMin, TexteMax: sc.TextMax,
			Donnees: make([]islandItem, len(codes)),
		}
		for j, f := range figs[i] {
			it := islandItem{Name: codes[j], Texte: ind.tooltip(f)}
			if f.Status == published {
				it.Value = &f.Value
			}
			ii.Donnees[j] = it
		}
		isl.Indicateurs = append(isl.Indicateurs, ii)
	}
	b, err := json.Marshal(isl)
	if err != nil {
		return "", fmt.Errorf("encode map data: %w", err)
	}
	return template.JS(b), nil
}
