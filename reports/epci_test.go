package reports_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/reports"
)

// The search index of the fixture, by hand: only the département with a
// page (01, the fixture's only shape); its two EPCI; its three communes in
// code order, each with the index of its EPCI, its postal codes and its
// population.
func TestSearchIndex(t *testing.T) {
	dir := render(t, loadSite(t, "fixture"))
	b, err := os.ReadFile(filepath.Join(dir, "assets", "recherche-donnees.js"))
	if err != nil {
		t.Fatal(err)
	}
	const assign = "window.illectroRecherche = "
	src := string(b)
	i := strings.Index(src, assign)
	if i < 0 || !strings.HasSuffix(src, ";\n") {
		t.Fatalf("recherche-donnees.js = %.200q…, want one assignment to window.illectroRecherche", src)
	}
	var got any
	if err := json.Unmarshal([]byte(src[i+len(assign):len(src)-2]), &got); err != nil {
		t.Fatalf("the index is not JSON: %v", err)
	}
	want := map[string]any{
		"departements": map[string]any{"01": "Ain"},
		"epci": []any{
			[]any{"200069193", "CC de la Dombes", "01"},
			[]any{"240100883", "CA du Bassin de Bourg-en-Bresse <b>", "01"},
		},
		"communes": []any{
			[]any{"01001", "L'Abergement-Clémenciat", "01", 0.0, "01400", 832.0},
			[]any{"01002", "L'Abergement-de-Varey", "01", 1.0, "01640", 267.0},
			[]any{"01053", `<script>alert("x")</script> & Cie`, "01", 1.0, "01000", 41365.0},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("search index (-want +got):\n%s", diff)
	}
}

// The EPCI table of a département page: an EPCI astride départements
// counts its communes here and in all, names the others, and its figures
// are the whole EPCI's; a count of respondents under the threshold is "s"
// even when the mart did not flag it.
func TestEPCITable(t *testing.T) {
	dir := render(t, loadSite(t, "fixture"))
	b, err := os.ReadFile(filepath.Join(dir, "departements", "01.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	// Cells have no end tag: each runs to the next <td or to </tr>.
	rows := regexp.MustCompile(`(?s)<tr id="e-(\d+)"><th scope="row">(.*?)(<td.*?)</tr>`).FindAllStringSubmatch(page, -1)
	cell := regexp.MustCompile(`(?s)^[^>]*>(.*)$`) // a cell after its "<td"
	type row struct {
		code, name string
		cells      []string
	}
	var got []row
	for _, r := range rows {
		var cs []string
		for _, c := range strings.Split(r[3], "<td")[1:] {
			cs = append(cs, cell.FindStringSubmatch(c)[1])
		}
		got = append(got, row{r[1], r[2], cs})
	}
	s := "s" // the caption says what "s" means
	want := []row{
		{"240100883", "CA du Bassin de Bourg-en-Bresse &lt;b&gt;",
			[]string{"2", "41\u202f632", "5\u202f362", "4\u202f570 à 6\u202f421", "15,7", "5,5", "2,88", "0,0", "4", "7,1", "2,3 à recruter", "3,29", "120", "24,2"}},
		{"200069193", `CC de la Dombes <span class="recherche-details">(aussi&#160;: 71)</span>`,
			[]string{"1 sur 3", "2\u202f100", "310", "263 à 372", "17,3", "—", "—", "—", "—", "0,4", "—", "6,10", s, s}},
	}
	for i := range want { // as the page prints them
		for j, c := range want[i].cells {
			want[i].cells[j] = reports.Typeset(c)
		}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("EPCI table (-want +got):\n%s", diff)
	}
	// A secret cell is a bare "s": the table's caption says what it means.
	if !strings.Contains(page, reports.Typeset("«&#160;s&#160;»&#160;: secret statistique")) {
		t.Error("the EPCI table's caption does not say what s means")
	}
}
