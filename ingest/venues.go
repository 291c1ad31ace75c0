package ingest

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

// venueParser reads listings in the national schema "lieux de médiation
// numérique" (v1.0.2 column names; multiple values separated by '|'). Each
// venue is placed in its département by point-in-polygon on its coordinates.
type venueParser struct {
	file  string
	codes *geo.Codes
	index *geo.Index
	req   []int // id, nom, latitude, longitude
	opt   map[string]int
}

var venueOptional = []string{"commune", "code_postal", "code_insee", "adresse", "source", "date_maj", "services", "dispositif_programmes_nationaux"}

func (p *venueParser) rawTable() string  { return "raw_venues" }
func (p *venueParser) headerKey() string { return "latitude" }

func (p *venueParser) prepare(t *table) (string, error) {
	req, err := t.require("id", "nom", "latitude", "longitude")
	if err != nil {
		return "", err
	}
	p.req = req
	p.opt = make(map[string]int, len(venueOptional))
	for _, c := range venueOptional {
		p.opt[c] = t.optional(c)
	}
	return "lieux_mediation_numerique_v1", nil
}

func (p *venueParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	bad := func(col, val, reason string) *RowError {
		return &RowError{File: p.file, Line: line, Column: col, Value: val, Reason: reason}
	}
	get := func(col string) any {
		if i := p.opt[col]; i >= 0 {
			return nullString(strings.TrimSpace(rec[i]))
		}
		return nil
	}
	id := strings.TrimSpace(rec[p.req[0]])
	if id == "" {
		return nil, bad("id", id, "missing venue id")
	}
	nom := strings.TrimSpace(rec[p.req[1]])
	if nom == "" {
		return nil, bad("nom", nom, "missing venue name")
	}
	lat, err := parseFloat(rec[p.req[2]])
	if err != nil || lat < -90 || lat > 90 {
		return nil, bad("latitude", rec[p.req[2]], "not a latitude in degrees (WGS84)")
	}
	lon, err := parseFloat(rec[p.req[3]])
	if err != nil || lon < -180 || lon > 180 {
		return nil, bad("longitude", rec[p.req[3]], "not a longitude in degrees (WGS84)")
	}
	dep, ok := p.index.Locate(orb.Point{lon, lat})
	if !ok {
		return nil, bad("latitude", rec[p.req[2]], fmt.Sprintf("coordinates (lat %g, lon %g) fall outside the 101 départements", lat, lon))
	}
	return []driver.Value{
		id, nom, get("commune"), get("code_postal"), get("code_insee"), get("adresse"),
		lon, lat, get("source"), get("date_maj"), get("services"), get("dispositif_programmes_nationaux"), dep,
	}, nil
}
