package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/figures"
)

// The map draws the largest communes first (a small one is never hidden
// under a large one) and names the depLabelled most populous; each
// commune's tooltip counts its venues, "non disponible" when no listing
// covers the département; the venues' symbol shrinks where they are dense.
func TestDepChartByHand(t *testing.T) {
	n := func(x int64) *int64 { return &x }
	var communes []figures.Commune
	for i := range 12 {
		communes = append(communes, figures.Commune{Code: fmt.Sprintf("01%03d", i), Nom: fmt.Sprintf("C%d", i),
			HasPoint: true, Lon: 5, Lat: 46, Population: int64(100 * (i + 1)), Venues: n(int64(i % 2))})
	}
	communes[0].Venues = nil
	communes = append(communes, figures.Commune{Code: "01999", Nom: "Sans point", Population: 1e6})

	for _, tc := range []struct {
		name   string
		venues int
		size   float64
	}{
		{"few venues", 5, 8},   // 2 × 5 < 12 communes drawn
		{"dense venues", 6, 6}, // 2 × 6 ≥ 12
	} {
		t.Run(tc.name, func(t *testing.T) {
			venues := make([]figures.Venue, tc.venues)
			chart, island, layers, err := depChart("01", communes, venues, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var isl depIsland
			if err := json.Unmarshal([]byte(island), &isl); err != nil {
				t.Fatal(err)
			}
			var names, labels []string
			for _, c := range isl.Communes {
				names = append(names, strings.SplitN(c.Texte, " (", 2)[0])
				if c.Etiquette != "" {
					labels = append(labels, c.Etiquette)
				}
			}
			want := []string{"C11", "C10", "C9", "C8", "C7", "C6", "C5", "C4", "C3", "C2", "C1", "C0"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("communes drawn (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want[:depLabelled], labels); diff != "" {
				t.Errorf("communes named (-want +got):\n%s", diff)
			}
			if got := isl.Communes[0].Texte; !strings.HasSuffix(got, "\nLieux de médiation numérique : 1") {
				t.Errorf("tooltip of C11 = %q, want its 1 venue", got)
			}
			if got := isl.Communes[11].Texte; !strings.HasSuffix(got, "\nLieux de médiation numérique : non disponible") {
				t.Errorf("tooltip of C0 = %q, want no count", got)
			}
			if !strings.Contains(string(chart.Script), fmt.Sprintf(`"id":"lieux","symbol":"diamond","coordinateSystem":"geo","symbolSize":%g`, tc.size)) {
				t.Errorf("venues not drawn at %g px: %s", tc.size, chart.Script)
			}
			if len(layers) != len(depLayers) || layers[0].ID != "communes" {
				t.Errorf("legend layers %+v: want the %d layers, the communes (top) first", layers, len(depLayers))
			}
		})
	}
}

// fixtureSite is testdata/fixture/site.json with the shape of 01 given to
// every département, so that several pages are made at once.
func fixtureSite(t *testing.T) Site {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixture", "site.json"))
	if err != nil {
		t.Fatal(err)
	}
	var site Site
	if err := json.Unmarshal(b, &site); err != nil {
		t.Fatal(err)
	}
	shape, err := os.ReadFile(filepath.Join("testdata", "fixture", "departement-01.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	site.DepartementShapes = map[string][]byte{}
	for _, d := range site.Departements {
		site.DepartementShapes[d.Code] = shape
	}
	return site
}

// The pages made on every core are those made one by one, in the order of
// the départements (run with -race: the pages share the site).
func TestDepartementPagesInOrder(t *testing.T) {
	site := fixtureSite(t)
	if len(site.Departements) < 2 {
		t.Fatalf("fixture has %d départements, want several", len(site.Departements))
	}
	got, err := departementPages(site)
	if err != nil {
		t.Fatal(err)
	}
	var want []file
	for _, d := range site.Departements {
		var communes []figures.Commune
		for _, c := range site.Communes {
			if c.Departement == d.Code {
				communes = append(communes, c)
			}
		}
		var venues []figures.Venue
		for _, v := range site.Venues {
			if v.Departement == d.Code {
				venues = append(venues, v)
			}
		}
		var epcis []figures.EPCI
		members := map[string][]figures.Commune{}
		for _, e := range site.EPCIs {
			if slices.Contains(e.Departements, d.Code) {
				epcis = append(epcis, e)
			}
		}
		for _, c := range site.Communes {
			if c.EPCI != "" {
				members[c.EPCI] = append(members[c.EPCI], c)
			}
		}
		pg, err := departementPage(site, d, communes, venues, epcis, members)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, pg[:]...)
	}
	if len(got) != len(want) {
		t.Fatalf("departementPages made %d files, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].path != want[i].path || !bytes.Equal(got[i].data, want[i].data) {
			t.Errorf("file %d: departementPages gives %s (%d bytes), want %s (%d bytes)", i, got[i].path, len(got[i].data), want[i].path, len(want[i].data))
		}
	}
}

// A failure names the first département in order that fails, whichever
// page fails first in time.
func TestDepartementPagesFirstError(t *testing.T) {
	site := fixtureSite(t)
	n := len(site.Departements)
	for _, d := range site.Departements[1:] {
		site.DepartementShapes[d.Code] = []byte(" ") // an empty map fails
	}
	for range 20 {
		_, err := departementPages(site)
		want := "département " + site.Departements[1].Code + ": map GeoJSON is empty"
		if err == nil || err.Error() != want {
			t.Fatalf("departementPages with %d départements, the last %d without shape: error %v, want %q", n, n-1, err, want)
		}
	}
}

// longRowsTemplate is how templates/departement.html.tmpl wrote the rows
// of the long tables before longRowsHTML, and longRowsNow how it writes them.
const (
	longRowsTemplate = `{{define "longcell"}}{{if .Secret}}s{{else}}{{.Text}}{{end}}{{end -}}
<table><tbody>
{{- range .Communes}}
<tr id="c-{{.Code}}"><th scope="row">{{.Nom}}{{range .Cells}}<td{{.TriAttr}}>{{template "longcell" .}}{{end}}</tr>
{{- end}}
</tbody></table>
<table><tbody>
{{- range .EPCIs}}
<tr id="e-{{.Code}}"><th scope="row">{{.Nom}}{{with .Also}} <span class="recherche-details">(aussi&#160;: {{.}})</span>{{end}}{{range .Cells}}<td{{.TriAttr}}>{{template "longcell" .}}{{end}}</tr>
{{- end}}
</tbody></table>
<table><tbody translate="no">
{{- range .Venues}}
<tr><th scope="row">{{.Nom}}<td>{{.Commune}}<td>{{.Programmes}}</tr>
{{- end}}
</tbody></table>`
	longRowsNow = `<table><tbody>
{{- .CommuneRows}}
</tbody></table>
<table><tbody>
{{- .EPCIRows}}
</tbody></table>
<table><tbody translate="no">
{{- .VenueRows}}
</tbody></table>`
)

// longRowsBoth renders the rows with the former template and with
// longRowsHTML.
func longRowsBoth(t *testing.T, communes []communeRow, epcis []epciRow, venues []venueRow) (got, want string) {
	t.Helper()
	data := struct {
		Communes                         []communeRow
		EPCIs                            []epciRow
		Venues                           []venueRow
		CommuneRows, EPCIRows, VenueRows template.HTML
	}{Communes: communes, EPCIs: epcis, Venues: venues}
	data.CommuneRows, data.EPCIRows, data.VenueRows = longRowsHTML(communes, epcis, venues)
	var g, w bytes.Buffer
	if err := template.Must(template.New("").Parse(longRowsNow)).Execute(&g, data); err != nil {
		t.Fatal(err)
	}
	if err := template.Must(template.New("").Parse(longRowsTemplate)).Execute(&w, data); err != nil {
		t.Fatal(err)
	}
	return g.String(), w.String()
}

// longRowsTexts are texts for the rows: figures as the tables spell them,
// and hostile ones (every character html/template escapes, invalid UTF-8).
var longRowsTexts = []string{"", "—", "s", "12,3", "1\u202f234", "-0,5", "3", "1 234,50", "Saint-Étienne (42218)",
	`<b>"L'Écran" & +1</b>`, "a\x00b", "\xff\xfe", "\u2028", "0x1p3", "NaN", "12.5", "1e3"}

// longRowsHTML writes the bytes the former template wrote, for rows of
// every kind of cell and text.
func TestLongRowsAsTemplate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func() string { return longRowsTexts[rng.IntN(len(longRowsTexts))] }
	cells := func(n int) []cell {
		cs := make([]cell, n)
		for i := range cs {
			cs[i] = cell{Text: text(), Secret: rng.IntN(4) == 0, Sort: text()}
			if rng.IntN(3) == 0 {
				cs[i].Sort = strings.NewReplacer(",", ".", "\u202f", "").Replace(cs[i].Text)
			}
		}
		return cs
	}
	var communes []communeRow
	var epcis []epciRow
	var venues []venueRow
	for range 300 {
		communes = append(communes, communeRow{Code: text(), Nom: text(), Cells: cells(rng.IntN(10))})
		epcis = append(epcis, epciRow{Code: text(), Nom: text(), Also: text(), Cells: cells(rng.IntN(15))})
		venues = append(venues, venueRow{Nom: text(), Commune: text(), Programmes: text()})
	}
	for _, n := range []int{0, 1, len(communes)} {
		got, want := longRowsBoth(t, communes[:n], epcis[:n], venues[:n])
		if got != want {
			t.Errorf("%d rows: longRowsHTML differs from the template (-want +got):\n%s", n, cmp.Diff(want, got))
		}
	}
}

func FuzzLongRows(f *testing.F) {
	for _, s := range longRowsTexts {
		f.Add(s, s, true, "1")
		f.Add(s, "1,5", false, s)
	}
	f.Fuzz(func(t *testing.T, name, text string, secret bool, sort string) {
		cs := []cell{{Text: text, Secret: secret, Sort: sort}, {Text: name, Sort: text}}
		got, want := longRowsBoth(t,
			[]communeRow{{Code: sort, Nom: name, Cells: cs}},
			[]epciRow{{Code: sort, Nom: name, Also: text, Cells: cs}},
			[]venueRow{{Nom: name, Commune: text, Programmes: sort}})
		if got != want {
			t.Fatalf("longRowsHTML differs from the template (-want +got):\n%s", cmp.Diff(want, got))
		}
	})
}
