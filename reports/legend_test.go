package reports_test

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/illectro/illectro/reports"
)

// A département map has one legend, the page's: the chart's option has no
// legend nor visualMap of its own; every series of the chart is a layer of
// the page's legend, under the same name and drawn in the same colours; and
// every colour the map gives a commune is one the legend explains.
func TestDepartementMapLegend(t *testing.T) {
	dir := render(t, loadSite(t, "fixture"))
	b, err := os.ReadFile(filepath.Join(dir, "departements", "01.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)

	m := regexp.MustCompile(`let option_carte_departement = (\{.*\});?\n`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no option_carte_departement in departements/01.html")
	}
	// go-echarts writes the geo chart's default tooltip formatter as a JS
	// function: the rest is JSON.
	m[1] = regexp.MustCompile(`function \(params\) \{[^}]*\}`).ReplaceAllString(m[1], "null")
	var option struct {
		Legend    json.RawMessage `json:"legend"`
		VisualMap json.RawMessage `json:"visualMap"`
		Series    []struct {
			ID        string `json:"id"`
			Name      string `json:"name"`
			ItemStyle struct {
				Color       string `json:"color"`
				BorderColor string `json:"borderColor"`
			} `json:"itemStyle"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(m[1]), &option); err != nil {
		t.Fatalf("chart option: %v", err)
	}
	if option.Legend != nil || option.VisualMap != nil {
		t.Errorf("the chart has a legend of its own (legend %s, visualMap %s): the page's is the only one", option.Legend, option.VisualMap)
	}

	// The page's legend: one item per layer, with its symbol's style.
	type layer struct{ name, style string }
	layers := map[string]layer{}
	for _, l := range regexp.MustCompile(`<li data-couche="([a-z]+)">.*?<span class="symbole [a-z]+" style="([^"]*)" aria-hidden="true"></span> ([^(]+?) \(`).FindAllStringSubmatch(page, -1) {
		layers[l[1]] = layer{name: html.UnescapeString(l[3]), style: html.UnescapeString(l[2])}
	}
	if len(layers) != len(option.Series) {
		t.Errorf("the page's legend has %d layers %v, the chart %d series", len(layers), layers, len(option.Series))
	}
	for _, s := range option.Series {
		l, ok := layers[s.ID]
		switch {
		case !ok:
			t.Errorf("series %q (%s) is not in the page's legend", s.ID, s.Name)
		case l.name != s.Name:
			t.Errorf("series %q is %q on the chart, %q in the legend", s.ID, s.Name, l.name)
		case !strings.Contains(l.style, s.ItemStyle.BorderColor) || !strings.Contains(l.style, s.ItemStyle.Color):
			t.Errorf("series %q is drawn in %q on %q, the legend's symbol is %q", s.ID, s.ItemStyle.BorderColor, s.ItemStyle.Color, l.style)
		}
	}

	// The communes' colours, as departement.js reads them from the data.
	var legend []string
	for _, c := range regexp.MustCompile(`<span class="pastille disque" style="background: (#[0-9a-f]{6})"`).FindAllStringSubmatch(page, -1) {
		legend = append(legend, c[1])
	}
	if len(legend) != 5 || !strings.Contains(page, `<span class="pastille disque sans"`) {
		t.Errorf("legend colours %v: want five pairs of deciles and one for communes without an index", legend)
	}
	d := regexp.MustCompile(`(?s)<script type="application/json" id="donnees-departement">(.*?)</script>`).FindStringSubmatch(page)
	if d == nil {
		t.Fatal("no data island")
	}
	var island reports.DepIsland // decoded as departement.js reads it
	if err := json.Unmarshal([]byte(d[1]), &island); err != nil {
		t.Fatal(err)
	}
	for _, c := range island.Communes {
		if c.Couleur != "" && !slices.Contains(legend, c.Couleur) {
			t.Errorf("a commune is drawn in %s, which the legend does not explain (%v)", c.Couleur, legend)
		}
	}
}
