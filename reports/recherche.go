package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/illectro/illectro/figures"
)

// searchDataPath is the search index, loaded by assets/recherche.js the
// first time someone uses the search box (not with the page: it weighs
// about 1.5 MB).
const searchDataPath = assetsDir + "recherche-donnees.js"

// searchIndex is the data of the offline search box: the communes (name,
// postal codes) with their EPCI and département, and the EPCI by name.
// Only territories whose département has a page are in it, so that every
// link it gives leads somewhere.
type searchIndex struct {
	Departements map[string]string `json:"departements"` // code → name
	// EPCI: [SIREN, name, département of its page]
	EPCI [][3]string `json:"epci"`
	// Communes: [code, name, département, index in EPCI or -1, postal
	// codes separated by spaces, population]
	Communes [][6]any `json:"communes"`
}

// searchDataJS builds the search index script: it assigns the index to
// window.illectroRecherche. pages holds the départements that have a page.
func searchDataJS(site Site, pages map[string]bool) ([]byte, error) {
	idx := searchIndex{Departements: map[string]string{}, EPCI: [][3]string{}, Communes: [][6]any{}}
	for _, d := range site.Departements {
		if pages[d.Code] {
			idx.Departements[d.Code] = d.Nom
		}
	}
	epci := map[string]int{}
	for _, e := range site.EPCIs {
		if !pages[e.Departement] {
			continue
		}
		epci[e.Code] = len(idx.EPCI)
		idx.EPCI = append(idx.EPCI, [3]string{e.Code, e.Nom, e.Departement})
	}
	communes := slices.Clone(site.Communes)
	slices.SortFunc(communes, func(a, b figures.Commune) int { return strings.Compare(a.Code, b.Code) })
	for _, c := range communes {
		if !pages[c.Departement] {
			continue
		}
		e, ok := epci[c.EPCI]
		if !ok {
			e = -1
		}
		idx.Communes = append(idx.Communes, [6]any{c.Code, c.Nom, c.Departement, e,
			strings.Join(site.PostalCodes[c.Code], " "), c.Population})
	}
	var buf bytes.Buffer
	buf.WriteString("// illectro — index de la recherche hors ligne : communes (nom, codes postaux),\n" +
		"// intercommunalités et départements. Chargé à la première recherche.\n")
	buf.WriteString("window.illectroRecherche = ")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // a script file, not HTML
	if err := enc.Encode(idx); err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	buf.WriteString(";\n")
	return buf.Bytes(), nil
}
