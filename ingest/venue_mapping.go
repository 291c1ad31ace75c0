package ingest

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

// VenueMapping tells how the columns of a venue listing map onto the fields
// of the national schema "lieux de médiation numérique". Two ship built in
// (ingest/mappings/venues: lieux-v1 and lieux-v0.1); any other listing (a
// France Services list, a département's own spreadsheet) loads with a
// mapping file, without code.
type VenueMapping struct {
	Name string `toml:"name"`
	// Separator splits multi-valued fields (services, programmes); "|" when
	// empty, as in schema v1.
	Separator string `toml:"separator"`
	Fields    struct {
		ID         string `toml:"id"`        // required: unique within the listing
		Nom        string `toml:"nom"`       // required
		Latitude   string `toml:"latitude"`  // required, WGS84 degrees
		Longitude  string `toml:"longitude"` // required
		Commune    string `toml:"commune"`
		CodePostal string `toml:"code_postal"`
		CodeInsee  string `toml:"code_insee"`
		Adresse    string `toml:"adresse"`
		Source     string `toml:"source"`
		DateMaj    string `toml:"date_maj"`
		Services   string `toml:"services"`
		Programmes string `toml:"programmes"` // national programmes the venue belongs to
	} `toml:"fields"`
	// Programmes maps values of the programme field to national programme
	// names (compared without case); values not listed are kept as written.
	Programmes map[string]string `toml:"programmes"`
	// Constants apply to every row: e.g. programmes = "France Services"
	// for a list of France Services sites.
	Constants struct {
		Programmes string `toml:"programmes"`
		Source     string `toml:"source"`
		// IDPrefix is put before every id, so that a listing numbered
		// 1, 2, 3… cannot take the ids of another (ids are unique across
		// listings: a later delivery of an id replaces the earlier one).
		IDPrefix string `toml:"id_prefix"`
	} `toml:"constants"`
}

// ParseVenueMapping parses and checks a venue mapping; name is used in
// messages.
func ParseVenueMapping(name string, data []byte) (*VenueMapping, error) {
	var m VenueMapping
	if err := decodeStrict(name, data, &m); err != nil {
		return nil, err
	}
	var errs []error
	if m.Name == "" {
		errs = append(errs, errors.New("name is required"))
	}
	for field, col := range map[string]string{"id": m.Fields.ID, "nom": m.Fields.Nom, "latitude": m.Fields.Latitude, "longitude": m.Fields.Longitude} {
		if col == "" {
			errs = append(errs, fmt.Errorf("fields.%s is required", field))
		}
	}
	if m.Separator == "" {
		m.Separator = "|"
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	return &m, nil
}

// LoadVenueMapping reads and checks a venue mapping file.
func LoadVenueMapping(file string) (*VenueMapping, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return ParseVenueMapping(file, b)
}

// BuiltinVenueMappings returns the venue mappings shipped with illectro, by name.
func BuiltinVenueMappings() (map[string]*VenueMapping, error) {
	return builtin("venues", ParseVenueMapping, func(m *VenueMapping) string { return m.Name })
}

// required lists the columns a file must have to load with the mapping.
func (m *VenueMapping) required() []string {
	f := m.Fields
	return []string{f.ID, f.Nom, f.Latitude, f.Longitude}
}

// missing returns the columns of cols (compared without case) that the
// header lacks, each once, in the order given.
func missing(header map[string]int, cols []string) []string {
	var out []string
	for _, c := range cols {
		if _, ok := header[strings.ToLower(c)]; !ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// absent returns the optional columns the mapping names that the header
// lacks: their fields are left empty on every row.
func (m *VenueMapping) absent(header map[string]int) []string {
	return missing(header, m.columns()[len(m.required()):])
}

// columns lists every column the mapping reads, required ones first.
func (m *VenueMapping) columns() []string {
	f := m.Fields
	var cols []string
	for _, c := range []string{f.ID, f.Nom, f.Latitude, f.Longitude, f.Commune, f.CodePostal, f.CodeInsee, f.Adresse, f.Source, f.DateMaj, f.Services, f.Programmes} {
		if c != "" {
			cols = append(cols, c)
		}
	}
	return cols
}

// detectVenueMapping picks the built-in mapping with all its required
// columns in the header and the most columns matched.
func detectVenueMapping(name string, cols map[string]int, builtins map[string]*VenueMapping) (*VenueMapping, error) {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	var best *VenueMapping
	bestScore := 0
	for _, n := range names {
		m := builtins[n]
		score := 0
		for _, c := range m.columns() {
			if _, found := cols[strings.ToLower(c)]; found {
				score++
			}
		}
		if len(missing(cols, m.required())) == 0 && score > bestScore {
			best, bestScore = m, score
		}
	}
	if best == nil {
		return nil, refusef(ErrFileFormat, "%s: no built-in venue mapping (%s) fits this header: write a mapping file and pass it with --mapping", name, strings.Join(names, ", "))
	}
	return best, nil
}

// chooseVenueMapping picks the mapping of one file from its header (cols,
// read on line headerLine): the configured mapping when the header has its
// required columns, else (or when none is configured) the built-in mapping
// that fits (detectVenueMapping). So one inbox may hold listings in the
// configured format and in the national schema. When nothing fits, the
// error names the columns the configured mapping misses and those each
// built-in mapping needs.
func chooseVenueMapping(name string, headerLine int, cols map[string]int, configured *VenueMapping, builtins map[string]*VenueMapping) (*VenueMapping, error) {
	if configured == nil {
		return detectVenueMapping(name, cols, builtins)
	}
	lacks := missing(cols, configured.required())
	if len(lacks) == 0 {
		return configured, nil
	}
	if m, err := detectVenueMapping(name, cols, builtins); err == nil {
		return m, nil
	}
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	needs := make([]string, len(names))
	for i, n := range names {
		needs[i] = n + " needs " + strings.Join(builtins[n].required(), ", ")
	}
	return nil, refusef(ErrFileColumns, "%s: missing column(s) %s in the header (line %d) for the configured venue mapping %s, and no built-in mapping fits either (%s)",
		name, strings.Join(lacks, ", "), headerLine, configured.Name, strings.Join(needs, "; "))
}

// splitValues splits a multi-valued field and trims each value.
func (m *VenueMapping) splitValues(s string) []string {
	var out []string
	for _, v := range strings.Split(s, m.Separator) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// programmes returns the venue's national programmes, '|'-separated and
// sorted, from the field and the constants.
func (m *VenueMapping) programmes(field string) string {
	seen := map[string]bool{}
	for _, v := range append(m.splitValues(field), m.splitValues(m.Constants.Programmes)...) {
		for from, to := range m.Programmes {
			if strings.EqualFold(from, v) {
				v = to
				break
			}
		}
		seen[v] = true
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}
