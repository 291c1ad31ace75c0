package reports

import (
	"encoding/json"
	"fmt"
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
