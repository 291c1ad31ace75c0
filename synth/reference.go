package synth

import (
	"fmt"

	"github.com/illectro/illectro/geo"
)

// Reference is the embedded reference data the national generators
// (Coverage, Venues, AssessmentsWithDefects) draw from. Build it once with
// LoadReference; it is read-only afterwards and safe for concurrent use.
type Reference struct {
	Communes     []geo.Commune     // COG 2026 communes with their population
	Centroids    []geo.Centroid    // 2024 centroids with census 2021 figures
	Departements []geo.Departement // the 101 départements with their shapes
	Codes        *geo.Codes        // tells the codes a loader rejects
	Index        *geo.Index        // checks that a venue lies in its département
	// Postal is the smallest postal code serving each commune; a commune
	// missing from La Poste's base is absent.
	Postal map[string]string
}

// LoadReference reads the reference data embedded in the geo package.
func LoadReference() (*Reference, error) {
	var ref Reference
	var err error
	if ref.Communes, err = geo.Communes(); err != nil {
		return nil, err
	}
	if ref.Centroids, err = geo.Centroids(); err != nil {
		return nil, err
	}
	if ref.Departements, err = geo.Departements(); err != nil {
		return nil, err
	}
	cog, err := geo.COGCommunes()
	if err != nil {
		return nil, err
	}
	mv, err := geo.Movements()
	if err != nil {
		return nil, err
	}
	ref.Codes = geo.NewCodes(cog, mv)
	ref.Index = geo.NewIndex(ref.Departements)
	postal, err := geo.LoadPostalCodes()
	if err != nil {
		return nil, err
	}
	ref.Postal = postalByCommune(postal)
	return &ref, nil
}

// postalByCommune inverts the postal code table. geo.PostalCodes only looks
// codes up, so every five-digit code is tried: 10⁵ map lookups, a few
// milliseconds.
func postalByCommune(p *geo.PostalCodes) map[string]string {
	out := make(map[string]string, 36000)
	for n := range 100000 {
		code := fmt.Sprintf("%05d", n)
		m, err := p.Lookup(code)
		if err != nil {
			continue
		}
		for _, c := range m.Communes {
			if _, ok := out[c]; !ok { // codes are tried in increasing order
				out[c] = code
			}
		}
	}
	return out
}
