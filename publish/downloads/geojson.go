package downloads

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strings"

	isql "github.com/illectro/illectro/sql"
)

// featureCollection is a GeoJSON FeatureCollection (RFC 7946): WGS84
// coordinates, longitude first, and no "crs" member, as uMap, QGIS and
// Leaflet expect.
type featureCollection struct {
	Type     string    `json:"type"` // always "FeatureCollection"
	Features []feature `json:"features"`
}

// feature is one venue as a GeoJSON Feature.
type feature struct {
	Type       string `json:"type"` // always "Feature"
	ID         string `json:"id"`   // the venue's id, also in Properties
	Geometry   point  `json:"geometry"`
	Properties venue  `json:"properties"`
}

// point is a GeoJSON Point geometry.
type point struct {
	Type        string     `json:"type"`        // always "Point"
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude, rounded to 6 decimals (about 10 cm)
}

// venue holds the properties of a venue's feature, named as the columns of
// int_venues__deduplicated. A text that is NULL (or empty) in the database is
// left out of the properties rather than written as null, so that uMap's
// popups show nothing instead of "null". Programmes and services are always
// present, as arrays, empty when the venue has none.
type venue struct {
	ID              string   `json:"id"`
	Nom             string   `json:"nom"`
	Commune         string   `json:"commune,omitempty"`
	CodePostal      string   `json:"code_postal,omitempty"`
	CodeInseeInput  string   `json:"code_insee_input,omitempty"`
	Adresse         string   `json:"adresse,omitempty"`
	Source          string   `json:"source,omitempty"`
	DateMaj         string   `json:"date_maj,omitempty"`
	CodeDepartement string   `json:"code_departement,omitempty"`
	CodeInsee       string   `json:"code_insee,omitempty"`
	Listings        int64    `json:"listings"`   // listings merged into the venue (1 when alone)
	Programmes      []string `json:"programmes"` // national programmes (dispositif_programmes_nationaux)
	Services        []string `json:"services"`
}

// writeVenues writes the deduplicated venues to path as a GeoJSON
// FeatureCollection and returns the number of features. encoding/json
// escapes every text, "<" and ">" included, so that the file is safe to
// embed in a page too.
func writeVenues(ctx context.Context, db *sql.DB, path string) (int, error) {
	rows, err := db.QueryContext(ctx, isql.DownloadVenuesQuery)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	fc := featureCollection{Type: "FeatureCollection", Features: []feature{}}
	for rows.Next() {
		var v venue
		var commune, postal, inseeInput, adresse, source, date, services, programmes, dep, insee sql.NullString
		var lon, lat float64
		if err := rows.Scan(&v.ID, &v.Nom, &commune, &postal, &inseeInput, &adresse, &lon, &lat,
			&source, &date, &services, &programmes, &dep, &insee, &v.Listings); err != nil {
			return 0, err
		}
		v.Commune, v.CodePostal, v.CodeInseeInput, v.Adresse = commune.String, postal.String, inseeInput.String, adresse.String
		v.Source, v.DateMaj, v.CodeDepartement, v.CodeInsee = source.String, date.String, dep.String, insee.String
		v.Programmes, v.Services = split(programmes.String), split(services.String)
		fc.Features = append(fc.Features, feature{
			Type:       "Feature",
			ID:         v.ID,
			Geometry:   point{Type: "Point", Coordinates: [2]float64{round6(lon), round6(lat)}},
			Properties: v,
		})
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	err = writeFile(path, func(w *bufio.Writer) error {
		return json.NewEncoder(w).Encode(fc)
	})
	return len(fc.Features), err
}

// split splits a '|'-separated list, trimming each item and dropping empty
// ones; it returns an empty, non-nil slice (a JSON []) for an empty list.
func split(s string) []string {
	items := []string{}
	for item := range strings.SplitSeq(s, "|") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// round6 rounds a coordinate to 6 decimals. Dividing the rounded integer by
// 10⁶ gives the float nearest that decimal, which encoding/json then spells
// with at most 6 decimals.
func round6(x float64) float64 {
	return math.Round(x*1e6) / 1e6
}
