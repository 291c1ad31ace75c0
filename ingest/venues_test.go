package ingest

import (
	"bytes"
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	isql "github.com/illectro/illectro/sql"
)

// kmFrom reads "12.3 km from 59" in a finding's detail or a reject's reason.
var kmFrom = regexp.MustCompile(`([0-9.]+) km from (\S+?)[,;]`)

// TestVenueFarOutside: a venue whose coordinates lie in no département is
// placed by its declared code only within maxOutsideKm of that département
// (measured on the bundled shapes), else rejected; both say how far.
func TestVenueFarOutside(t *testing.T) {
	const csv = `id,nom,code_postal,code_insee,latitude,longitude
harbour,Port de Dunkerque,,59183,51.050395,2.395429
hoedic,Mairie de Hœdic,,56085,47.33587,-2.86174
biscay,Golfe de Gascogne,,56085,46.5,-4.0
null-island,Géocodage raté,59000,,0,0
`
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Venues, memFile("sea.csv", []byte(csv)))
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		ID, Departement, Placement string // "" when rejected
		Kind                       string // the finding's or the reject's
		From                       string // the département the distance is measured to
	}
	tests := []struct {
		line   int
		want   outcome
		km     [2]float64 // the distance stated, in km
		reject bool
	}{
		// 3 m beyond the simplified shoreline (from the bundled listing).
		{line: 2, want: outcome{"harbour", "59", "declared_code", findingPlacedByCode, "59"}, km: [2]float64{0, 0.05}},
		// An island the simplified shapes dropped: the farthest commune
		// centroid off its département's outline.
		{line: 3, want: outcome{"hoedic", "56", "declared_code", findingPlacedByCode, "56"}, km: [2]float64{14, 16}},
		{line: 4, want: outcome{Kind: ErrOutside.Code, From: "56"}, km: [2]float64{maxOutsideKm, 200}, reject: true},
		{line: 5, want: outcome{Kind: ErrOutside.Code, From: "59"}, km: [2]float64{5000, 6000}, reject: true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.line), func(t *testing.T) {
			var got outcome
			var text string
			if tt.reject {
				err = l.DB.QueryRowContext(t.Context(), "SELECT kind, reason FROM rejects WHERE file_id = ? AND line = ?", res.FileID, tt.line).Scan(&got.Kind, &text)
			} else {
				err = l.DB.QueryRowContext(t.Context(), `SELECT v.id, v.code_departement, v.placement, q.kind, q.detail
					FROM raw_venues AS v JOIN quality_findings AS q USING (file_id, line)
					WHERE file_id = ? AND line = ? AND q.kind = ?`, res.FileID, tt.line, findingPlacedByCode).
					Scan(&got.ID, &got.Departement, &got.Placement, &got.Kind, &text)
			}
			if err != nil {
				t.Fatalf("line %d: %v", tt.line, err)
			}
			m := kmFrom.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("line %d: %q states no distance", tt.line, text)
			}
			got.From = m[2]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("line %d (-want +got):\n%s", tt.line, diff)
			}
			if km, _ := strconv.ParseFloat(m[1], 64); km < tt.km[0] || km > tt.km[1] {
				t.Errorf("line %d: %q: distance %g km, want between %g and %g", tt.line, text, km, tt.km[0], tt.km[1])
			}
		})
	}
	if res.Loaded != 2 || res.Rejected != 2 {
		t.Errorf("loaded %d, rejected %d; want 2 and 2", res.Loaded, res.Rejected)
	}
}

// TestVenueDuplicateID: a venue id repeated in one file is a finding on
// each later row, naming the row it replaces; the last row is the one the
// views keep. A rejected row takes no id.
func TestVenueDuplicateID(t *testing.T) {
	const csv = `id,nom,code_insee,latitude,longitude
a,Premier,59350,50.6292,3.0573
b,Autre,59350,50.6292,3.0573
a,Deuxième,59350,50.6292,3.0573
a,Troisième,59350,50.6292,3.0573
c,,59350,50.6292,3.0573
c,Seul chargé,59350,50.6292,3.0573
`
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Venues, memFile("dup.csv", []byte(csv)))
	if err != nil {
		t.Fatal(err)
	}
	type found struct {
		Line       int
		ID, Detail string
	}
	rows, err := l.DB.QueryContext(t.Context(), "SELECT line, record_id, detail FROM quality_findings WHERE file_id = ? AND kind = ? ORDER BY line", res.FileID, findingDuplicateID)
	if err != nil {
		t.Fatal(err)
	}
	var got []found
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.Line, &f.ID, &f.Detail); err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	rows.Close()
	want := []found{
		{4, "a", `id "a" is also on line 2 of this file: this later row replaces it`},
		{5, "a", `id "a" is also on line 4 of this file: this later row replaces it`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("duplicate findings (-want +got):\n%s", diff)
	}
	if err := isql.BuildViews(t.Context(), l.DB, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	var nom string
	if err := l.DB.QueryRowContext(t.Context(), "SELECT nom FROM stg_venues__venues WHERE id = 'a'").Scan(&nom); err != nil {
		t.Fatal(err)
	}
	if nom != "Troisième" {
		t.Errorf("stg_venues__venues keeps %q for id a, want the last row, Troisième", nom)
	}
}

// TestVenueMappedColumnAbsent: an optional column that the mapping names
// and the header lacks is a finding on the header line, once per file.
func TestVenueMappedColumnAbsent(t *testing.T) {
	withAdresse, err := ParseVenueMapping("cd59-adresse.toml", []byte(`name = "cd59-adresse"
[fields]
id = "Identifiant"
nom = "Nom du site"
latitude = "Lat"
longitude = "Lon"
commune = "Ville"
adresse = "Adresse"
services = "Services"
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		m      *VenueMapping
		csv    string
		want   string // the finding's detail; "" for none
		loaded int64
	}{
		{
			name: "built-in mapping",
			csv: "Export du 2026-01-05\n" +
				"id,nom,commune,code_postal,code_insee,latitude,longitude,source,date_maj,dispositif_programmes_nationaux\n" +
				"v1,Médiathèque,Lille,59000,59350,50.6292,3.0573,cd59,2026-01-05,France Services\n",
			want:   "mapping lieux-v1 names column(s) adresse, services, absent from the header (line 2): left empty on every row",
			loaded: 1,
		},
		{
			name:   "configured mapping",
			m:      withAdresse,
			csv:    "Identifiant;Nom du site;Ville;Lat;Lon\nFS-1;France services de Fourmies;Fourmies;50,0158;4,0537\n",
			want:   "mapping cd59-adresse names column(s) Adresse, Services, absent from the header (line 1): left empty on every row",
			loaded: 1,
		},
		{
			name:   "every column there",
			m:      withAdresse,
			csv:    "Identifiant;Nom du site;Ville;Lat;Lon;Adresse;Services\nFS-1;France services de Fourmies;Fourmies;50,0158;4,0537;;\n",
			loaded: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLoader(t)
			l.VenueMapping = tt.m
			res, err := l.Load(t.Context(), Venues, memFile("venues.csv", []byte(tt.csv)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Loaded != tt.loaded {
				t.Errorf("loaded %d rows, want %d", res.Loaded, tt.loaded)
			}
			var got []string
			rows, err := l.DB.QueryContext(t.Context(), "SELECT detail FROM quality_findings WHERE file_id = ? AND kind = ? AND record_id IS NULL", res.FileID, findingMappedColumnAbsent)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				got = append(got, s)
			}
			rows.Close()
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVenueParserLogs: the parser logs the optional columns its mapping
// misses (a warning) and a configured mapping passed over for a built-in
// one. Checked on the parser: the Loader does not hand it its Log yet.
func TestVenueParserLogs(t *testing.T) {
	cd59, err := LoadVenueMapping("testdata/venues/france_services_cd59.toml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		m    *VenueMapping
		csv  string
		want []string // substrings of the log, in order
	}{
		{
			name: "missing optional columns",
			csv:  "id,nom,code_insee,latitude,longitude,dispositif_programmes_nationaux\nv1,Médiathèque,59350,50.6292,3.0573,\n",
			want: []string{"level=WARN", "file=venues.csv", "mapping=lieux-v1", `missing="commune, code_postal, adresse, source, date_maj, services"`},
		},
		{
			name: "configured mapping passed over",
			m:    cd59,
			csv:  "id,nom,commune,code_postal,code_insee,adresse,latitude,longitude,source,date_maj,services,dispositif_programmes_nationaux\n",
			want: []string{"level=INFO", "built-in mapping used", "file=venues.csv", "configured=france-services-cd59", "mapping=lieux-v1"},
		},
		{
			name: "configured mapping fits",
			m:    cd59,
			csv:  "Identifiant;Nom du site;Ville;Code INSEE;Lat;Lon\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := &venueParser{file: "venues.csv", m: tt.m, log: slog.New(slog.NewTextHandler(&buf, nil))}
			tab, err := openTable(p.file, strings.NewReader(tt.csv), Limits{}, p.headerKeys()...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.prepare(tab); err != nil {
				t.Fatal(err)
			}
			log := buf.String()
			if len(tt.want) == 0 && log != "" {
				t.Errorf("log = %q, want nothing", log)
			}
			rest := log
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("log = %q, want %q (in order %q)", log, w, tt.want)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestVenueMappingPerFile: with a configured mapping, a listing in the
// national schema dropped beside one in the configured format loads with the
// built-in mapping; a file that fits neither is refused, naming what each
// mapping needs.
func TestVenueMappingPerFile(t *testing.T) {
	m, err := LoadVenueMapping("testdata/venues/france_services_cd59.toml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	l := newTestLoader(t)
	l.VenueMapping = m
	l.Log = slog.New(slog.NewTextHandler(&buf, nil))
	for _, tt := range []struct{ file, format string }{
		{"testdata/venues/france_services_cd59.csv", "mapping:france-services-cd59"},
		{"testdata/venues/v1.csv", "mapping:lieux-v1"},
	} {
		res, err := l.Load(t.Context(), Venues, OSFile(tt.file))
		if err != nil {
			t.Fatalf("Load(%s): %v", tt.file, err)
		}
		if res.Format != tt.format || res.Loaded == 0 {
			t.Errorf("Load(%s) = format %q, %d loaded; want %q, rows loaded", tt.file, res.Format, res.Loaded, tt.format)
		}
		if !strings.Contains(buf.String(), "format="+tt.format) {
			t.Errorf("log = %q, want the mapping of %s (format=%s)", buf.String(), tt.file, tt.format)
		}
	}
	_, err = l.Load(t.Context(), Venues, memFile("other.csv", []byte("Nom;Lat;Long\nMairie;50,6;3,0\n")))
	if !errors.Is(err, ErrFileColumns) {
		t.Fatalf("Load(other.csv) = %v, want a refusal for missing columns", err)
	}
	for _, w := range []string{"Identifiant, Nom du site, Lon", "configured venue mapping france-services-cd59",
		"france-services needs id_fs, lib_fs, latitude, longitude", "lieux-v1 needs id, nom, latitude, longitude"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Load(other.csv) = %q, want it to contain %q", err, w)
		}
	}
}

// TestVenueHeaderKeys: whatever the configured mapping calls its latitude
// column, the header line of a national-schema listing is found beside the
// configured mapping's files, after a preamble line.
func TestVenueHeaderKeys(t *testing.T) {
	national := "Liste des lieux\nid,nom,commune,code_postal,code_insee,latitude,longitude\n"
	for _, tt := range []struct {
		latitude string // "" for no configured mapping
		csv      string
		line     int
	}{
		{"", national, 2},
		{"Lat", national, 2},
		{"LATITUDE", national, 2},
		{"Latitude_WGS84", national, 2},
		{"Y", national, 2},
		{"Y", "Export du 3 mars\nIdentifiant;Nom;Y;X\n", 2},
		{"Lat", "Identifiant;Nom;Lat;Lon\n", 1},
	} {
		p := &venueParser{}
		if tt.latitude != "" {
			p.m = &VenueMapping{}
			p.m.Fields.Latitude = tt.latitude
		}
		tab, err := openTable("v.csv", strings.NewReader(tt.csv), Limits{}, p.headerKeys()...)
		if err != nil {
			t.Errorf("configured latitude %q, header keys %q: openTable = %v", tt.latitude, p.headerKeys(), err)
			continue
		}
		if tab.offset != tt.line {
			t.Errorf("configured latitude %q, header keys %q: header at line %d, want line %d", tt.latitude, p.headerKeys(), tab.offset, tt.line)
		}
	}
}
