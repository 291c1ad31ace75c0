package ingest

import (
	"bytes"
	"context"
	gosql "database/sql"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
)

var (
	refOnce sync.Once
	refData *Reference
	refErr  error
)

func testReference(t testing.TB) *Reference {
	t.Helper()
	refOnce.Do(func() { refData, refErr = LoadReference() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	return refData
}

// memFile is a file of the given bytes, named name.
func memFile(name string, data []byte) File {
	return File{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// newTestLoader opens a real DuckDB file in a temp dir.
func newTestLoader(t testing.TB) *Loader {
	t.Helper()
	ref := testReference(t)
	db, err := isql.Open(context.Background(), filepath.Join(t.TempDir(), "test.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	codes := geo.NewCodes(ref.COG, ref.Movements)
	return &Loader{DB: db, Codes: codes, Index: geo.NewIndex(ref.Departements), Postal: ref.PostalCodes, Names: ref.CommuneNameIndex(codes), Communes: NewCommuneFinder(ref.Centroids, codes), Key: []byte("test-key-0123456789")}
}

func count(t *testing.T, db *gosql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

type reject struct {
	Line   int
	Column string
	Reason string
}

func rejects(t *testing.T, db *gosql.DB, fileID int64) []reject {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "SELECT line, coalesce(column_name, ''), reason, kind FROM rejects WHERE file_id = ? ORDER BY line", fileID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []reject
	for rows.Next() {
		var r reject
		var kind string
		if err := rows.Scan(&r.Line, &r.Column, &r.Reason, &kind); err != nil {
			t.Fatal(err)
		}
		// Every reason has a kind of its own: "other" is a reason to classify.
		if kind == ErrOther.Code {
			t.Errorf("line %d: reason %q has no kind", r.Line, r.Reason)
		}
		out = append(out, r)
	}
	return out
}

func TestLoadAssessmentsMalformed(t *testing.T) {
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Assessments, OSFile("testdata/assessments/malformed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Lines 2 (P1), 8 (P7: an arrondissement, stored as Paris) and 12 (P11:
	// a 4-digit code, given its leading zero) load; every other row is
	// rejected with its line, column and reason.
	want := []reject{
		{3, "assessed_on", "impossible date"},
		{4, "code_insee", ""},
		{5, "communication", "level out of range (0 none, 1 basic, 2 above basic)"},
		{6, "", "row has 4 fields, the header has 10"},
		{7, "age_band", "not one of the INSEE age bands (15-29, 30-44, 45-59, 60-74, 75+)"},
		{9, "code_insee", ""}, // the file is Windows-1252 as a whole: \xe9 reads as "é"
		{10, "respondent_id", "missing respondent id"},
		{11, "internet_last_3_months", "not a yes/no value"},
	}
	got := rejects(t, l.DB, res.FileID)
	for i := range got {
		if want[i].Reason == "" && i < len(want) { // the resolver's own wording
			want[i].Reason = got[i].Reason
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if res.Read != 11 || res.Loaded != 3 || res.Rejected != 8 {
		t.Errorf("read/loaded/rejected = %d/%d/%d, want 11/3/8", res.Read, res.Loaded, res.Rejected)
	}
	// Codes were normalised: arrondissement → city, 4 digits → leading zero;
	// the code as written is kept only when it differs.
	codes := map[string]string{}
	rows, _ := l.DB.QueryContext(t.Context(), "SELECT coalesce(code_insee_input, '(same)'), code_insee FROM raw_assessments")
	for rows.Next() {
		var in, out string
		rows.Scan(&in, &out)
		codes[in] = out
	}
	rows.Close()
	if diff := cmp.Diff(map[string]string{"(same)": "59350", "75115": "75056", "1001": "01001"}, codes); diff != "" {
		t.Errorf("code normalisation (-want +got):\n%s", diff)
	}
}

func TestLoadFileLevelErrors(t *testing.T) {
	tests := []struct {
		file, want string
		kind       *FileErrorKind
	}{
		{"testdata/assessments/wrong_delimiter.csv", "no built-in mapping (illectro-generic, pix-orga) fits this header: write a mapping file and pass it with --mapping (its header line 1 reads as 1 column(s) separated by ',')", ErrFileFormat},
		{"testdata/assessments/missing_column.csv", "missing mandatory column(s) internet_last_3_months", ErrFileColumns},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			l := newTestLoader(t)
			_, err := l.Load(t.Context(), Assessments, OSFile(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(tt.file)) {
				t.Fatalf("Load error = %v, want one naming the file and %q", err, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("Load error %v is not %q", err, tt.kind.Code)
			}
			if n := count(t, l.DB, "SELECT count(*) FROM ingest_files WHERE status = 'failed' AND error_kind = ?", tt.kind.Code); n != 1 {
				t.Errorf("failed attempts recorded with kind %s = %d, want 1", tt.kind.Code, n)
			}
			if n := count(t, l.DB, "SELECT count(*) FROM raw_assessments"); n != 0 {
				t.Errorf("%d rows stored from a refused file", n)
			}
			if n := count(t, l.DB, "SELECT count(*) FROM ingest_files WHERE status = 'failed' AND error LIKE '%mapping%'"); n != 1 {
				t.Errorf("failed attempts recorded = %d, want 1", n)
			}
		})
	}
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	l := newTestLoader(t)
	f := OSFile("testdata/assessments/malformed.csv")
	first, err := l.Load(t.Context(), Assessments, f)
	if err != nil {
		t.Fatal(err)
	}
	second, err := l.Load(t.Context(), Assessments, f)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Skipped || second.FileID != first.FileID {
		t.Errorf("second load = %+v, want skipped as file %d", second, first.FileID)
	}
	if n := count(t, l.DB, "SELECT count(*) FROM raw_assessments"); n != first.Loaded {
		t.Errorf("raw rows = %d after two loads, want %d", n, first.Loaded)
	}
	if n := count(t, l.DB, "SELECT count(*) FROM ingest_files"); n != 1 {
		t.Errorf("ledger rows = %d, want 1", n)
	}
}

func TestLoadCancelledLeavesNothing(t *testing.T) {
	l := newTestLoader(t)
	// A file large enough to cross the cancellation check.
	var b strings.Builder
	b.WriteString("nom_structure,code_insee,nb_conseillers_attribues,nb_conseillers_recrutes\n")
	for range 200000 {
		b.WriteString("S,59350,1,1\n")
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The load cancels the context once half of the file has been read.
	f := wrapLoadReads("big.csv", path, func(r io.ReadCloser) io.ReadCloser {
		return &cancelAfter{ReadCloser: r, n: int64(b.Len() / 2), cancel: cancel}
	})
	_, err := l.Load(ctx, Mediators, f)
	if err == nil {
		t.Fatal("cancelled load succeeded")
	}
	if k := FileKindOf(err); k != ErrFileInterrupted {
		t.Errorf("FileKindOf(%v) = %v, want %v", err, k, ErrFileInterrupted)
	}
	if n := count(t, l.DB, "SELECT count(*) FROM raw_mediator_structures"); n != 0 {
		t.Errorf("%d rows left behind by a cancelled load", n)
	}
	// And the same file loads in full afterwards.
	res, err := l.Load(t.Context(), Mediators, OSFile(path))
	if err != nil || res.Loaded != 200000 {
		t.Fatalf("reload after cancel = %+v, %v", res, err)
	}
}

// wrapLoadReads is the file at path, whose reads wrap sees from its
// second Open on: the load's, after the checksum's.
func wrapLoadReads(name, path string, wrap func(io.ReadCloser) io.ReadCloser) File {
	opens := 0
	return File{Name: name, Open: func() (io.ReadCloser, error) {
		opens++
		r, err := os.Open(path)
		if err != nil || opens == 1 {
			return r, err
		}
		return wrap(r), nil
	}}
}

// cancelAfter cancels a context once n bytes have been read through it.
type cancelAfter struct {
	io.ReadCloser
	n      int64
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n -= int64(n)
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func TestLoadLateInvalidEncodingIsRejected(t *testing.T) {
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Assessments, OSFile("testdata/assessments/late_bad_encoding.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []reject{{2002, "code_insee", "invalid UTF-8 text (the file's start was detected as UTF-8)"}}
	if diff := cmp.Diff(want, rejects(t, l.DB, res.FileID)); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if res.Loaded != 2000 {
		t.Errorf("loaded %d rows, want 2000", res.Loaded)
	}
}

type storedAssessment struct {
	Line        int
	Commune     string // "" when NULL
	Departement string
	Band        string
	Internet    bool
	Levels      [5]int
	Basic       int
	Class       string
}

func storedAssessments(t *testing.T, db *gosql.DB, fileID int64) []storedAssessment {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT line, coalesce(code_insee, ''), code_departement, age_band, internet_last_3_months,
		level_information, level_communication, level_content_creation, level_safety, level_problem_solving, areas_basic, skills_class
		FROM raw_assessments WHERE file_id = ? ORDER BY line`, fileID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []storedAssessment
	for rows.Next() {
		var s storedAssessment
		if err := rows.Scan(&s.Line, &s.Commune, &s.Departement, &s.Band, &s.Internet,
			&s.Levels[0], &s.Levels[1], &s.Levels[2], &s.Levels[3], &s.Levels[4], &s.Basic, &s.Class); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestLoadPixOrga loads a Pix Orga "collecte de profils" export (BOM, ';',
// quoted, NA) with the built-in mapping, picked from the header. The
// expected levels are worked out by hand from the competence levels in
// testdata/assessments/pix_orga.csv with the rule of mappings/pix-orga.toml
// (area: none = no competence ≥ 1, basic = one, above basic = two or more).
func TestLoadPixOrga(t *testing.T) {
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Assessments, OSFile("testdata/assessments/pix_orga.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "mapping:pix-orga" {
		t.Errorf("format = %q, want the pix-orga mapping", res.Format)
	}
	want := []storedAssessment{
		// E-001, born 1950, assessed 2026 → 76. Levels per competence:
		// information 2,1,0 → 2 reach 1 → above basic; communication 1,0,0,0 → basic;
		// content 0,0,0,0 → none; safety 0,0,0 → none; problem 1,1 → above basic.
		// 3 areas → capacités faibles (Pix is online: internet use = yes).
		{2, "59350", "59", "75+", true, [5]int{2, 1, 0, 0, 2}, 3, "capacites_faibles"},
		// E-003, postal code 23450 (Fresselines only), born 1990 → 36.
		// information 1,0,0 → basic; every other area none → 1 area → illectronisme.
		{4, "23087", "23", "30-44", true, [5]int{1, 0, 0, 0, 0}, 1, "illectronisme"},
		// E-004, postal code 01400 serves 10 communes of Ain: département only.
		// Every competence at 1 → every area above basic → autonome.
		{5, "", "01", "15-29", true, [5]int{2, 2, 2, 2, 2}, 5, "autonome"},
		// E-008, information levels empty, pix 16, 7, 0 → levels 2, 0, 0 → basic;
		// communication 0 → none; content 3,0,0,0 → basic; safety 0,0,1 → basic;
		// problem 0,0 → none → 3 areas → capacités faibles. Born 1960 → 66.
		{9, "2A004", "2A", "60-74", true, [5]int{1, 0, 1, 1, 0}, 3, "capacites_faibles"},
	}
	if diff := cmp.Diff(want, storedAssessments(t, l.DB, res.FileID)); diff != "" {
		t.Errorf("stored assessments (-want +got):\n%s", diff)
	}
	wantRejects := []reject{
		{3, "Envoi (O/N)", "participation not shared: no results"},
		{6, "Code postal", "postal code serves communes of several départements: cannot place the respondent"},
		{7, "Niveau pour la compétence Mener une recherche et une veille d'information", "Pix level out of range (0–8)"},
		{8, "", "area safety not assessed (every competence is NA or empty)"},
		{10, "Année de naissance", "younger than 15: outside the INSEE indicator's population"},
	}
	if diff := cmp.Diff(wantRejects, rejects(t, l.DB, res.FileID)); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	// Names in the export never reach the database.
	if n := count(t, l.DB, "SELECT count(*) FROM raw_assessments WHERE code_insee_input LIKE '%Dupont%' OR CAST(respondent_key AS VARCHAR) LIKE '%E-00%'"); n != 0 {
		t.Errorf("%d rows carry a name or a raw id", n)
	}
}

func TestLoadJSONLines(t *testing.T) {
	l := newTestLoader(t)
	m, err := LoadMapping("testdata/assessments/generic-jsonl.toml")
	if err != nil {
		t.Fatal(err)
	}
	l.Mapping = m
	res, err := l.Load(t.Context(), Assessments, OSFile("testdata/assessments/generic.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := []storedAssessment{
		{1, "59350", "59", "75+", false, [5]int{1, 1, 1, 1, 1}, 5, "illectronisme"},
		{3, "62041", "62", "30-44", true, [5]int{2, 2, 1, 1, 0}, 4, "capacites_faibles"},
		{6, "01001", "01", "15-29", true, [5]int{2, 2, 2, 2, 2}, 5, "autonome"},
	}
	if diff := cmp.Diff(want, storedAssessments(t, l.DB, res.FileID)); diff != "" {
		t.Errorf("stored assessments (-want +got):\n%s", diff)
	}
	got := rejects(t, l.DB, res.FileID)
	if len(got) != 2 || got[0].Line != 4 || !strings.HasPrefix(got[0].Reason, "not a JSON object") ||
		got[1].Line != 5 || got[1].Reason != "nested JSON value where a scalar is expected" {
		t.Errorf("rejects = %+v, want line 4 (truncated JSON) and line 5 (nested value)", got)
	}
	if res.Read != 5 || res.Loaded != 3 || res.Rejected != 2 {
		t.Errorf("read/loaded/rejected = %d/%d/%d, want 5/3/2 (the blank line is not a row)", res.Read, res.Loaded, res.Rejected)
	}
}

func TestMappingErrors(t *testing.T) {
	tests := []struct{ name, toml, want string }{
		{"no name", "[fields]\nrespondent_id='a'", "name is required"},
		{"unknown key", "name='x'\ncolour='blue'", "unknown setting(s) colour"},
		{"no internet", "name='x'\n[fields]\nrespondent_id='a'\nassessed_at='b'\ncommune='c'\nage_band='d'\n[areas]\nscale='levels'\ninformation=['i']\ncommunication=['c']\ncontent_creation=['cc']\nsafety=['s']\nproblem_solving=['p']", "internet use needs exactly one"},
		{"bad scale", "name='x'\n[areas]\nscale='stars'", `areas.scale "stars"`},
		{"bad format", "name='x'\nformat='xml'", `format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping("m.toml", []byte(tt.toml))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "m.toml") {
				t.Errorf("ParseMapping error = %v, want one naming m.toml and containing %q", err, tt.want)
			}
		})
	}
	if _, err := BuiltinMappings(); err != nil {
		t.Errorf("built-in mappings: %v", err)
	}
}

type placedVenue struct {
	ID, Departement, Commune, Placement, From string
}

// TestVenuePlacement checks each placement rule on hand-made rows: point in
// polygon, swapped coordinates, a point at sea placed by its postal code, a
// point at sea with nothing declared (rejected), a declared code that
// contradicts the geometry (geometry kept), a commune found by name among
// the communes of an ambiguous postal code (62500 serves seven), and a
// commune found by the nearest centroid when nothing declared matches.
func TestVenuePlacement(t *testing.T) {
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Venues, OSFile("testdata/venues/placement.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.DB.QueryContext(t.Context(), `SELECT id, code_departement, coalesce(code_insee, ''), placement, coalesce(commune_from, '')
		FROM raw_venues WHERE file_id = ? ORDER BY line`, res.FileID)
	if err != nil {
		t.Fatal(err)
	}
	var got []placedVenue
	for rows.Next() {
		var v placedVenue
		rows.Scan(&v.ID, &v.Departement, &v.Commune, &v.Placement, &v.From)
		got = append(got, v)
	}
	rows.Close()
	want := []placedVenue{
		{"v-ok", "59", "59350", "geometry", "declared_code"},
		{"v-swapped", "59", "59350", "geometry_swapped", "declared_code"},
		{"v-sea-code", "59", "59183", "declared_code", "postal_code"},
		{"v-mismatch", "59", "59350", "geometry", "name"},
		{"v-name", "62", "62765", "geometry", "name"},
		{"v-unknown", "59", "59350", "geometry", "nearest_centroid"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("placed venues (-want +got):\n%s", diff)
	}
	if r := rejects(t, l.DB, res.FileID); len(r) != 2 || r[0].Line != 5 || !strings.Contains(r[0].Reason, "outside the 101 départements") ||
		r[1].Line != 9 || r[1].Column != "latitude" {
		t.Errorf("rejects = %+v, want line 5 (at sea, nothing declared) and line 9 (no latitude)", r)
	}
	kinds := map[string]string{}
	frows, _ := l.DB.QueryContext(t.Context(), "SELECT coalesce(record_id, '(header)'), string_agg(kind, ',' ORDER BY kind) FROM quality_findings WHERE file_id = ? GROUP BY ALL", res.FileID)
	for frows.Next() {
		var id, k string
		frows.Scan(&id, &k)
		kinds[id] = k
	}
	frows.Close()
	wantKinds := map[string]string{
		"v-swapped":  "swapped_coordinates",
		"v-sea-code": "commune_from_postal_code,outside_polygons_placed_by_declared_code",
		"v-mismatch": "commune_from_name,declared_departement_differs_from_geometry",
		"v-name":     "commune_from_name",
		"v-unknown":  "commune_from_nearest_centroid",
		"(header)":   "mapped_column_absent", // no adresse, source, date_maj, services, programmes
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("quality findings (-want +got):\n%s", diff)
	}
}

func TestCommuneNameIndex(t *testing.T) {
	ref := testReference(t)
	idx := ref.CommuneNameIndex(geo.NewCodes(ref.COG, ref.Movements))
	for key, want := range map[string]string{
		"59|LILLE":           "59350", // current commune
		"59|LOMME":           "59350", // commune associée of Lille
		"59|HELLEMMES LILLE": "59350", // commune associée, COG name
		"59|HELLEMMES":       "59350", // the same without its parent's name
		"62|SAINT OMER":      "62765",
	} {
		if got := idx[key]; got != want {
			t.Errorf("CommuneNameIndex[%q] = %q, want %q", key, got, want)
		}
	}
}

func TestNormaliseName(t *testing.T) {
	for in, want := range map[string]string{
		"Saint-Omer": "SAINT OMER", "ST OMER": "SAINT OMER", "saint omer": "SAINT OMER",
		"Sainte-Catherine": "SAINTE CATHERINE", "Ste Catherine": "SAINTE CATHERINE",
		"Graincourt-lès-Havrincourt": "GRAINCOURT LES HAVRINCOURT", "L'Haÿ-les-Roses": "L HAY LES ROSES", "": "",
	} {
		if got := normaliseName(in); got != want {
			t.Errorf("normaliseName(%q) = %q, want %q", in, got, want)
		}
	}
}

type venueRow struct {
	ID, Departement, Commune, Source, Services, Programmes string
}

func venueRows(t *testing.T, db *gosql.DB, fileID int64) []venueRow {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT id, code_departement, coalesce(code_insee, ''), coalesce(source, ''),
		coalesce(services, ''), coalesce(dispositif_programmes_nationaux, '') FROM raw_venues WHERE file_id = ? ORDER BY line`, fileID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []venueRow
	for rows.Next() {
		var v venueRow
		rows.Scan(&v.ID, &v.Departement, &v.Commune, &v.Source, &v.Services, &v.Programmes)
		out = append(out, v)
	}
	return out
}

func TestVenueMappings(t *testing.T) {
	t.Run("schema v0.1 detected from its header", func(t *testing.T) {
		l := newTestLoader(t)
		res, err := l.Load(t.Context(), Venues, OSFile("testdata/venues/v0.1.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != "mapping:lieux-v0.1" {
			t.Errorf("format = %q", res.Format)
		}
		want := []venueRow{{"old-1", "62", "62041", "cd62", "Prendre en main un ordinateur|Accéder à du matériel", "Conseillers numériques|France Services"}}
		if diff := cmp.Diff(want, venueRows(t, l.DB, res.FileID)); diff != "" {
			t.Errorf("venues (-want +got):\n%s", diff)
		}
	})
	t.Run("a never-seen listing with a mapping file", func(t *testing.T) {
		l := newTestLoader(t)
		m, err := LoadVenueMapping("testdata/venues/france_services_cd59.toml")
		if err != nil {
			t.Fatal(err)
		}
		l.VenueMapping = m
		res, err := l.Load(t.Context(), Venues, OSFile("testdata/venues/france_services_cd59.csv"))
		if err != nil {
			t.Fatal(err)
		}
		want := []venueRow{{"FS-59-001", "59", "59249", "Conseil départemental du Nord", "", "France Services"}}
		if diff := cmp.Diff(want, venueRows(t, l.DB, res.FileID)); diff != "" {
			t.Errorf("venues (-want +got):\n%s", diff)
		}
	})
	t.Run("the same listing without its mapping is refused", func(t *testing.T) {
		l := newTestLoader(t)
		_, err := l.Load(t.Context(), Venues, OSFile("testdata/venues/france_services_cd59.csv"))
		if err == nil || !strings.Contains(err.Error(), "--mapping") {
			t.Errorf("Load = %v, want a refusal asking for a mapping", err)
		}
	})
}

// TestLoadCoverageCurrent loads the current ARCEP format (elig_bhd8,
// cumulative classes) and checks the normalised shares by hand.
func TestLoadCoverageCurrent(t *testing.T) {
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Coverage, OSFile("testdata/coverage/current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "arcep_cumulative" || res.Loaded != 3 || res.Rejected != 2 {
		t.Fatalf("result = %+v, want the cumulative format, 3 loaded, 2 rejected", res)
	}
	got := rejects(t, l.DB, res.FileID)
	if len(got) != 2 || got[0].Line != 5 || got[0].Column != "elig_thd30" || got[1].Line != 6 || got[1].Column != "code_insee" {
		t.Errorf("rejects = %+v, want line 5 (≥ 30 Mbit/s exceeds ≥ 8 Mbit/s) and line 6 (Saint-Martin, outside the 101)", got)
	}
	if err := isql.BuildViews(t.Context(), l.DB, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	// Guéret, latest period 2024-09-30: 9 100 premises, 8 800 at ≥ 8 Mbit/s,
	// 7 600 at ≥ 30 Mbit/s. Rignat (merged into 01245 in 2026) is counted
	// under its 2026 commune: 100 premises, 90 and 80.
	type cov struct {
		Code, Period        string
		Premises, Ge8, Ge30 int64
	}
	rows, err := l.DB.QueryContext(t.Context(), `SELECT code_insee, strftime(period, '%Y-%m-%d'), premises, premises_ge_8mbps, premises_ge_30mbps
		FROM int_coverage__latest ORDER BY code_insee`)
	if err != nil {
		t.Fatal(err)
	}
	var all []cov
	for rows.Next() {
		var c cov
		rows.Scan(&c.Code, &c.Period, &c.Premises, &c.Ge8, &c.Ge30)
		all = append(all, c)
	}
	rows.Close()
	want := []cov{{"01245", "2024-09-30", 100, 90, 80}, {"23096", "2024-09-30", 9100, 8800, 7600}}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("latest coverage (-want +got):\n%s", diff)
	}
}

// TestStoreReferenceOnlyWhenChanged: the reference tables are rewritten
// only when the embedded data change (their fingerprint).
func TestStoreReferenceOnlyWhenChanged(t *testing.T) {
	l := newTestLoader(t)
	ref := *testReference(t)
	ctx := t.Context()
	if err := StoreReference(ctx, l.DB, &ref); err != nil {
		t.Fatal(err)
	}
	// A mark that only a rewrite would remove.
	if _, err := l.DB.ExecContext(ctx, "UPDATE ref_departements SET nom = 'marked' WHERE code_departement = '48'"); err != nil {
		t.Fatal(err)
	}
	nom := func() string {
		var s string
		l.DB.QueryRowContext(ctx, "SELECT nom FROM ref_departements WHERE code_departement = '48'").Scan(&s)
		return s
	}
	if err := StoreReference(ctx, l.DB, &ref); err != nil {
		t.Fatal(err)
	}
	if got := nom(); got != "marked" {
		t.Errorf("same fingerprint: the tables were rewritten (nom = %q)", got)
	}
	ref.Fingerprint = "other"
	if err := StoreReference(ctx, l.DB, &ref); err != nil {
		t.Fatal(err)
	}
	if got := nom(); got != "Lozère" {
		t.Errorf("new fingerprint: nom = %q, want the reference value Lozère", got)
	}
	if n := count(t, l.DB, "SELECT count(*) FROM ref_version"); n != 1 {
		t.Errorf("ref_version has %d rows, want 1", n)
	}
}

// FuzzVenueRow feeds arbitrary coordinates and codes to the venue parser: it
// never panics, and a row it accepts has finite coordinates in range and a
// département.
func FuzzVenueRow(f *testing.F) {
	for _, s := range [][3]string{{"50.6292", "3.0573", "59350"}, {"3.0573", "50.6292", ""}, {"NaN", "Inf", "x"}, {"1e308", "-1e308", "75056"}, {"51,05", "2,39", "59183"}} {
		f.Add(s[0], s[1], s[2])
	}
	ref := testReference(f)
	codes := geo.NewCodes(ref.COG, ref.Movements)
	builtins, err := BuiltinVenueMappings()
	if err != nil {
		f.Fatal(err)
	}
	m := builtins["lieux-v1"]
	index := geo.NewIndex(ref.Departements)
	finder := NewCommuneFinder(ref.Centroids, codes)
	f.Fuzz(func(t *testing.T, lat, lon, code string) {
		p := &venueParser{file: "fuzz.csv", m: m, codes: codes, index: index, postal: ref.PostalCodes, near: finder,
			req: []int{0, 1, 2, 3}, cols: map[string]int{"id": 0, "nom": 1, "latitude": 2, "longitude": 3, "code_insee": 4}}
		vals, rowErr := p.row([]string{"id", "nom", lat, lon, code}, 2)
		if rowErr != nil {
			return
		}
		lo, la := vals[6].(float64), vals[7].(float64)
		if math.IsNaN(lo) || math.IsNaN(la) || lo < -180 || lo > 180 || la < -90 || la > 90 || vals[12] == "" {
			t.Errorf("accepted lat %q lon %q as (%v, %v) in %v", lat, lon, la, lo, vals[12])
		}
	})
}

// TestFileChangedWhileLoading: a file appended to between its checksum and
// its load (a copy still going) was recorded as loaded with the appended
// rows never stored under that checksum; now the load sees other bytes
// than the checksum's, stores nothing, and says so (ErrFileChanged). Once
// the file is still, it loads whole.
func TestFileChangedWhileLoading(t *testing.T) {
	l := newTestLoader(t)
	ctx := t.Context()
	head := "nom_structure,siret,code_insee,code_postal,nb_conseillers_attribues,nb_conseillers_recrutes\nA,84009530100015,03218,03160,3,3\n"
	grown := head + "B,84009530100015,59350,59000,2,1\n"
	opens := 0
	growing := File{Name: "structures.csv", Open: func() (io.ReadCloser, error) {
		opens++
		if opens == 1 {
			return io.NopCloser(strings.NewReader(head)), nil // the checksum's read
		}
		return io.NopCloser(strings.NewReader(grown)), nil // the load's
	}}
	_, err := l.Load(ctx, Mediators, growing)
	if !errors.Is(err, ErrFileChanged) || !strings.Contains(err.Error(), "structures.csv: the file changed while it was loaded") {
		t.Fatalf("Load = %v, want ErrFileChanged naming the file", err)
	}
	var rows, loaded int
	var kind, outcome string
	l.DB.QueryRowContext(ctx, `SELECT count(*) FROM raw_mediator_structures`).Scan(&rows)
	l.DB.QueryRowContext(ctx, `SELECT count(*) FILTER (status = 'loaded'), max(error_kind) FROM ingest_files`).Scan(&loaded, &kind)
	l.DB.QueryRowContext(ctx, `SELECT string_agg(outcome, ',') FROM ingest_attempts`).Scan(&outcome)
	if rows != 0 || loaded != 0 || kind != "changed" || outcome != "refused" {
		t.Errorf("after the changed file: %d rows, %d loaded files, kind %q, attempts %q; want 0, 0, changed, refused", rows, loaded, kind, outcome)
	}
	res, err := l.Load(ctx, Mediators, memFile("structures.csv", []byte(grown)))
	if err != nil || res.Loaded != 2 {
		t.Errorf("the file once still: %+v, %v; want its 2 rows loaded", res, err)
	}
}
