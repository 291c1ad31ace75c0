package ingest

import (
	"database/sql/driver"
	"fmt"
	"log/slog"
	"strings"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

// venueParser reads venue listings through a VenueMapping: the
// configured one when the file's header has its required columns, else the
// built-in mapping that fits the header (see chooseVenueMapping). A mapped
// optional column missing from the header is left empty on every row,
// logged and recorded as a finding on the header line.
//
// Placing a venue: its département comes from point-in-polygon on its
// coordinates. Coordinates found in no département are tried swapped
// (latitude and longitude exchanged, a frequent mistake); still outside (a
// venue on the coast just beyond the simplified shoreline, or on an island
// the simplification dropped), the declared commune code or postal code
// places it, flagged with its distance to that département, provided it
// lies within maxOutsideKm of it; farther, the row is rejected. Its commune
// is the declared code when that lies in the same département, else the
// postal code's only commune, else the commune whose name (current, délégué
// or associé, or former) matches within the département, else the commune
// of the nearest centroid in the département (approximate). Every
// disagreement and approximation is recorded in quality_findings, and so is
// a venue id loaded twice from the same file (the later row wins, see
// findingDuplicateID).
type venueParser struct {
	file   string
	m      *VenueMapping // configured; nil: detect from the header among builtins
	log    *slog.Logger  // nil discards
	cols   map[string]int
	codes  *geo.Codes
	index  *geo.Index
	postal *geo.PostalCodes
	names  map[string]string // département + "|" + normalised name → commune (see Reference.CommuneNameIndex)
	near   *CommuneFinder
	req    []int // id, nom, latitude, longitude
	found  []finding
	seen   map[string]int // id of every loaded row → its line
}

// finding is one quality finding about a loaded row.
type finding struct {
	line           int
	id, kind, text string
}

// The kinds of quality findings.
const (
	findingSwapped        = "swapped_coordinates"
	findingPlacedByCode   = "outside_polygons_placed_by_declared_code"
	findingMismatch       = "declared_departement_differs_from_geometry"
	findingCommunePostal  = "commune_from_postal_code"
	findingCommuneName    = "commune_from_name"
	findingCommuneNearest = "commune_from_nearest_centroid"
	findingCommuneUnknown = "commune_unknown"
	// findingDuplicateID: a row repeats the id of an earlier loaded row of
	// the same file. Both are stored in raw_venues; stg_venues__venues keeps
	// one row per id, the last delivered (highest file_id, then highest
	// line), so the later row replaces the earlier one, as a later file
	// replaces an earlier one.
	findingDuplicateID = "duplicate_id_in_file"
	// findingMappedColumnAbsent: the mapping names optional columns that
	// the header lacks; recorded once per file, on the header line, with no
	// record id.
	findingMappedColumnAbsent = "mapped_column_absent"
)

// FindingKinds lists the kinds of quality findings the loader records, for
// the pages that label them.
func FindingKinds() []string {
	return []string{findingSwapped, findingPlacedByCode, findingMismatch, findingCommunePostal, findingCommuneName,
		findingCommuneNearest, findingCommuneUnknown, findingDuplicateID, findingMappedColumnAbsent}
}

// maxOutsideKm is how far, in km, a venue whose coordinates lie in no
// département (even swapped) may be from the shape of the département its
// declared commune or postal code gives, and still be placed there; farther
// the coordinates are wrong, and the row is rejected. Measured on the
// bundled shapes (simplified 2018 Admin Express outlines):
//
//   - the bundled listings (1 741 Hauts-de-France venues, 2 707 France
//     services) place 4 venues by their code, at 0.003 km (Dunkerque's
//     harbour), 0.08 km (Camargue), 0.17 km (the Swiss border at Geneva)
//     and 0.64 km (north Finistère) from their département;
//   - 95 of the 34 973 commune centroids (2024) lie outside their own
//     département's outline; the farthest are islands the simplification
//     dropped: Hœdic 15.1 km, Granville 12.4 km (its centroid lies by
//     the Chausey islands, part of the commune), Île-de-Sein 10.6 km,
//     Île-d'Houat 10.4 km, Île-Molène 9.3 km.
//
// 20 km keeps a venue anywhere on those islands, while the coordinates of
// a failed geocoding, (0, 0), a dropped sign or a misplaced decimal point
// lie tens to thousands of km away.
const maxOutsideKm = 20

func (p *venueParser) rawTable() string { return "raw_venues" }

// builtinLatitude is the latitude column of every built-in mapping.
const builtinLatitude = "latitude"

// headerKeys are the columns that identify a venue listing's header line:
// the configured mapping's latitude column and the built-in mappings', so
// that a file in a built-in format loads beside configured ones whatever
// the configured column is called ("Lat", "Y").
func (p *venueParser) headerKeys() []string {
	if p.m == nil || strings.EqualFold(p.m.Fields.Latitude, builtinLatitude) {
		return []string{builtinLatitude}
	}
	return []string{p.m.Fields.Latitude, builtinLatitude}
}

func (p *venueParser) prepare(t *table) (string, error) {
	builtins, err := BuiltinVenueMappings()
	if err != nil {
		return "", err
	}
	configured := p.m
	if p.m, err = chooseVenueMapping(t.name, t.offset, t.cols, configured, builtins); err != nil {
		return "", err
	}
	if configured != nil && p.m != configured {
		p.logger().Info("configured venue mapping does not fit the header; built-in mapping used",
			"file", p.file, "configured", configured.Name, "mapping", p.m.Name)
	}
	f := p.m.Fields
	req, err := t.require(strings.ToLower(f.ID), strings.ToLower(f.Nom), strings.ToLower(f.Latitude), strings.ToLower(f.Longitude))
	if err != nil {
		return "", fmt.Errorf("%w for mapping %s", err, p.m.Name)
	}
	p.req, p.cols = req, t.cols
	if missing := p.m.absent(t.cols); len(missing) > 0 {
		p.logger().Warn("venue mapping names columns absent from the header: left empty",
			"file", p.file, "mapping", p.m.Name, "missing", strings.Join(missing, ", "))
		p.found = append(p.found, finding{line: t.offset, kind: findingMappedColumnAbsent,
			text: fmt.Sprintf("mapping %s names column(s) %s, absent from the header (line %d): left empty on every row", p.m.Name, strings.Join(missing, ", "), t.offset)})
	}
	return "mapping:" + p.m.Name, nil
}

func (p *venueParser) logger() *slog.Logger {
	if p.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.log
}

func (p *venueParser) findings() []finding { return p.found }

func (p *venueParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	bad := func(col, val string, err error) *RowError {
		return rowError(p.file, line, col, val, err)
	}
	text := func(col string) string {
		if i, ok := p.cols[strings.ToLower(col)]; ok && col != "" {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	f := p.m.Fields
	id := strings.TrimSpace(rec[p.req[0]])
	if id == "" {
		return nil, bad("id", id, because(ErrMissing, "missing venue id"))
	}
	id = p.m.Constants.IDPrefix + id
	nom := strings.TrimSpace(rec[p.req[1]])
	if nom == "" {
		return nil, bad("nom", nom, because(ErrMissing, "missing venue name"))
	}
	lat, err := parseFloat(rec[p.req[2]])
	if err != nil || lat < -90 || lat > 90 {
		return nil, bad("latitude", rec[p.req[2]], because(ErrNotANumber, "not a latitude in degrees (WGS84)"))
	}
	lon, err := parseFloat(rec[p.req[3]])
	if err != nil || lon < -180 || lon > 180 {
		return nil, bad("longitude", rec[p.req[3]], because(ErrNotANumber, "not a longitude in degrees (WGS84)"))
	}
	note := func(kind, format string, args ...any) {
		p.found = append(p.found, finding{line: line, id: id, kind: kind, text: fmt.Sprintf(format, args...)})
	}

	// What the row declares: a commune code, else a postal code.
	declaredCode, declaredPostal := text(f.CodeInsee), text(f.CodePostal)
	var declared geo.Resolution
	var declaredOK bool
	if declaredCode != "" {
		declared, err = p.codes.Resolve(declaredCode)
		declaredOK = err == nil
	}
	var postal geo.PostalMatch
	var postalOK bool
	if declaredPostal != "" && p.postal != nil {
		postal, err = p.postal.Lookup(declaredPostal)
		postalOK = err == nil
	}
	declaredDep := ""
	switch {
	case declaredOK:
		declaredDep = declared.Departement
	case postalOK:
		declaredDep = postal.Departement
	}

	placement := "geometry"
	dep, ok := p.index.Locate(orb.Point{lon, lat})
	if !ok {
		if d, swapped := p.index.Locate(orb.Point{lat, lon}); swapped {
			lat, lon, dep, placement = lon, lat, d, "geometry_swapped"
			note(findingSwapped, "latitude and longitude exchanged: (%g, %g) lies in %s", lat, lon, dep)
		} else if declaredDep != "" {
			km, measured := p.index.DistanceKm(declaredDep, orb.Point{lon, lat})
			if !measured {
				return nil, bad("latitude", rec[p.req[2]], because(ErrOutside, fmt.Sprintf("coordinates (lat %g, lon %g) fall outside the 101 départements, and the shape of %s, which the declared code gives, is unknown", lat, lon, declaredDep)))
			}
			if km > maxOutsideKm {
				return nil, bad("latitude", rec[p.req[2]], because(ErrOutside, fmt.Sprintf("coordinates (lat %g, lon %g) fall outside the 101 départements, %.1f km from %s, which the declared code gives (more than %d km: the coordinates are wrong)", lat, lon, km, declaredDep, maxOutsideKm)))
			}
			dep, placement = declaredDep, "declared_code"
			note(findingPlacedByCode, "(lat %g, lon %g) lies in no département, %.1f km from %s; placed there by its declared code", lat, lon, km, dep)
		} else {
			return nil, bad("latitude", rec[p.req[2]], because(ErrOutside, fmt.Sprintf("coordinates (lat %g, lon %g) fall outside the 101 départements, and no valid commune or postal code is declared", lat, lon)))
		}
	} else if declaredDep != "" && declaredDep != dep {
		note(findingMismatch, "declared code places it in %s, its coordinates in %s (kept)", declaredDep, dep)
	}

	communeName := text(f.Commune)
	commune, from := p.commune(declared, declaredOK, postal, postalOK, dep, communeName)
	var nearKm float64
	if from == "" {
		var ok bool
		if commune, nearKm, ok = p.near.Nearest(dep, orb.Point{lon, lat}); ok {
			from = "nearest_centroid"
		}
	}
	switch from {
	case "postal_code":
		note(findingCommunePostal, "commune %s from postal code %s", commune, declaredPostal)
	case "name":
		note(findingCommuneName, "commune %s from the name %q", commune, communeName)
	case "nearest_centroid":
		note(findingCommuneNearest, "commune %s, whose centroid is the nearest (%.1f km); nothing declared matched (code %q, postal code %q, name %q)", commune, nearKm, declaredCode, declaredPostal, communeName)
	case "":
		note(findingCommuneUnknown, "no commune in %s matches code %q, postal code %q, name %q", dep, declaredCode, declaredPostal, communeName)
	}
	if prev, dup := p.seen[id]; dup {
		note(findingDuplicateID, "id %q is also on line %d of this file: this later row replaces it", id, prev)
	}
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	p.seen[id] = line
	opt := func(col string) any { return nullString(text(col)) }
	source := text(f.Source)
	if source == "" {
		source = p.m.Constants.Source
	}
	return []driver.Value{
		id, nom, nullString(communeName), nullString(declaredPostal), nullString(declaredCode), opt(f.Adresse),
		lon, lat, nullString(source), opt(f.DateMaj), nullString(strings.Join(p.m.splitValues(text(f.Services)), "|")),
		nullString(p.m.programmes(text(f.Programmes))),
		dep, nullString(commune), placement, nullString(from),
	}, nil
}

// commune picks the venue's commune within its département dep, and says
// how: "declared_code", "postal_code", "name", or "" when none fits.
func (p *venueParser) commune(declared geo.Resolution, declaredOK bool, postal geo.PostalMatch, postalOK bool, dep, name string) (string, string) {
	if declaredOK && declared.Departement == dep {
		return declared.Code, "declared_code"
	}
	if postalOK && postal.Commune != "" && geo.DepartementOf(postal.Commune) == dep {
		return postal.Commune, "postal_code"
	}
	if c, ok := p.names[dep+"|"+normaliseName(name)]; ok && name != "" {
		return c, "name"
	}
	return "", ""
}

// normaliseName folds a commune name for comparison: upper case without
// accents, "Saint"/"St" and "Sainte"/"Ste" unified, punctuation as spaces
// ("Saint-Omer", "ST OMER" and "saint omer" all give "SAINT OMER").
func normaliseName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("ÀÂÄÁÃ", r):
			b.WriteByte('A')
		case strings.ContainsRune("ÉÈÊË", r):
			b.WriteByte('E')
		case strings.ContainsRune("ÎÏÍ", r):
			b.WriteByte('I')
		case strings.ContainsRune("ÔÖÓ", r):
			b.WriteByte('O')
		case strings.ContainsRune("ÙÛÜÚ", r):
			b.WriteByte('U')
		case r == 'Ç':
			b.WriteByte('C')
		case r == 'Ÿ':
			b.WriteByte('Y')
		case r == 'Œ':
			b.WriteString("OE")
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		switch w {
		case "ST":
			words[i] = "SAINT"
		case "STE":
			words[i] = "SAINTE"
		}
	}
	return strings.Join(words, " ")
}
