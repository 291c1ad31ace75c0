package downloads

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/illectro/illectro/internal/dbtest"
	"github.com/illectro/illectro/internal/sqlquote"
	isql "github.com/illectro/illectro/sql"
)

// Hostile texts of the fixture: a quote, an apostrophe, both separators, a
// line break, markup and accents.
const (
	hostileVenue   = "Médiathèque \"L'Écran\"; <script>alert('x')</script>\nRez-de-chaussée, à gauche"
	hostileDep     = "Lozère; \"la\" \"Margeride\"\nÉté"
	hostileCommune = "Mende, \"préfecture\"; <b>\nville"
)

// open opens a real DuckDB file in a temporary directory.
func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := isql.Open(t.Context(), filepath.Join(t.TempDir(), "t.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs q on db or fails the test.
func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// fixture builds the marts of a database holding the full reference, with
// hostile names for Lozère and Mende, and three venues: v1 in Lozère with
// hostile texts, v2 in Lozère with every optional text NULL, v3 in Corse-du-Sud.
func fixture(t *testing.T) *sql.DB {
	t.Helper()
	db := dbtest.OpenWithReference(t)
	exec(t, db, `UPDATE ref_departements SET nom = ? WHERE code_departement = '48'`, hostileDep)
	exec(t, db, `UPDATE ref_communes SET nom = ? WHERE code_insee = '48095'`, hostileCommune)
	exec(t, db, `INSERT INTO ingest_files VALUES (1, 'venues', 'f1.csv', 'sha1', 0, 3, 3, 0, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`)
	exec(t, db, `INSERT INTO raw_venues VALUES
		(1, 2, 'v1', ?, 'Mende', '48000', NULL, '1 place du Foirail', 3.49912345678, 44.51809876543, 'test',
		 '2024-01-02', 'Aide aux démarches| Accès internet |', 'France Services|Conseillers numériques', '48', '48095', 'geometry', NULL),
		(1, 3, 'v2', 'Mairie', NULL, NULL, NULL, NULL, 3.6, 44.6, NULL, NULL, NULL, NULL, '48', NULL, 'geometry', NULL),
		(1, 4, 'v3', 'Tiers-lieu', 'Ajaccio', '20000', NULL, NULL, 8.7369, 41.9267, 'test', '2024-02-03', NULL, NULL, '2A', '2A004', 'geometry', NULL)`,
		hostileVenue)
	dbtest.Build(t, db, isql.Params{})
	return db
}

// TestCell checks the spelling of each value type in both dialects.
func TestCell(t *testing.T) {
	day := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v            any
		typ          string
		plain, excel string
	}{
		{nil, "DOUBLE", "", ""},
		{"2A", "VARCHAR", "2A", "2A"},
		{"01", "VARCHAR", "01", "01"},
		{"0.5", "VARCHAR", "0.5", "0.5"}, // text, not a number
		{`=cmd|' /C calc'!A0`, "VARCHAR", `=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`}, // CSV injection: neutralised for spreadsheets only
		{"@SUM(1+1)", "VARCHAR", "@SUM(1+1)", "'@SUM(1+1)"},
		{"-2", "VARCHAR", "-2", "'-2"},
		{true, "BOOLEAN", "true", "true"},
		{int32(-7), "INTEGER", "-7", "-7"},
		{int64(679344), "BIGINT", "679344", "679344"},
		{int8(-128), "TINYINT", "-128", "-128"},
		{int16(-32768), "SMALLINT", "-32768", "-32768"},
		{uint8(255), "UTINYINT", "255", "255"},
		{uint16(65535), "USMALLINT", "65535", "65535"},
		{uint32(4294967295), "UINTEGER", "4294967295", "4294967295"},
		{uint64(math.MaxUint64), "UBIGINT", "18446744073709551615", "18446744073709551615"},
		{big.NewInt(1447824), "HUGEINT", "1447824", "1447824"},
		{0.261, "DOUBLE", "0.261", "0,261"},
		{-3.5, "DOUBLE", "-3.5", "-3,5"},
		{1e-7, "DOUBLE", "0.0000001", "0,0000001"}, // never an exponent
		{1234567.0, "DOUBLE", "1234567", "1234567"},
		{math.Copysign(0, -1), "DOUBLE", "0", "0"}, // -0 (a rounded tiny negative) is 0
		{float32(0.1), "FLOAT", "0.1", "0,1"},
		{duckdb.Decimal{Width: 5, Scale: 2, Value: big.NewInt(-12345)}, "DECIMAL", "-123.45", "-123,45"},
		{day, "DATE", "2024-06-30", "2024-06-30"},
	} {
		for _, d := range []struct {
			dialect dialect
			want    string
		}{{plain, c.plain}, {excel, c.excel}} {
			got, err := d.dialect.cell(c.v, c.typ)
			if err != nil || got != d.want {
				t.Errorf("cell(%#v, %s) with %q = %q, %v; want %q", c.v, c.typ, d.dialect.decimal, got, err, d.want)
			}
		}
	}
	for _, c := range []struct {
		v   any
		typ string
	}{{day, "TIMESTAMP"}, {[]any{1}, "INTEGER[]"}} {
		if got, err := plain.cell(c.v, c.typ); err == nil {
			t.Errorf("cell(%v, %s) = %q, want an error", c.v, c.typ, got)
		}
	}
}

// TestDialects checks a whole file in each dialect, quoting included.
func TestDialects(t *testing.T) {
	db := open(t)
	const query = `SELECT '2A' AS code, '01' AS dep, 0.261::DOUBLE AS share, 1.25::DECIMAL(5, 2) AS amount, -3 AS n,
		NULL::DOUBLE AS missing, DATE '2024-06-30' AS day, true AS ok, 'a;b,"c"' || chr(10) || 'd' AS text`
	for _, c := range []struct {
		name    string
		dialect dialect
		want    string
	}{
		{"plain", plain, "code,dep,share,amount,n,missing,day,ok,text\n" +
			"2A,01,0.261,1.25,-3,,2024-06-30,true,\"a;b,\"\"c\"\"\nd\"\n"},
		{"excel", excel, "\uFEFFcode;dep;share;amount;n;missing;day;ok;text\r\n" +
			"2A;01;0,261;1,25;-3;;2024-06-30;true;\"a;b,\"\"c\"\"\r\nd\"\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.csv")
			n, err := csvWriter(query, c.dialect)(t.Context(), db, path)
			if err != nil || n != 1 {
				t.Fatalf("write = %d rows, %v; want 1 row", n, err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, string(got)); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWrite checks every download written from the fixture, and that a
// second write gives the same bytes.
func TestWrite(t *testing.T) {
	ctx := t.Context()
	db := fixture(t)
	dir := filepath.Join(t.TempDir(), "données de l'été") // created by Write; quoted in SQL
	files, err := Write(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	var communes, epcis int
	if err := db.QueryRowContext(ctx, `SELECT count(*), (SELECT count(*) FROM ref_epci) FROM ref_communes`).Scan(&communes, &epcis); err != nil {
		t.Fatal(err)
	}
	dict, err := Dictionary()
	if err != nil {
		t.Fatal(err)
	}
	wantRows := map[string]int{
		"indicateurs_departements.csv":       101,
		"indicateurs_departements.xlsx":      101,
		"indicateurs_departements_excel.csv": 101,
		"indicateurs_departements.parquet":   101,
		"indicateurs_communes.csv":           communes,
		"indicateurs_communes.xlsx":          communes,
		"indicateurs_communes_excel.csv":     communes,
		"indicateurs_epci.csv":               epcis,
		"indicateurs_epci.xlsx":              epcis,
		"indicateurs_epci_excel.csv":         epcis,
		"lieux_mediation.geojson":            3,
		"dictionnaire_donnees.csv":           len(dict),
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		info, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if f.Bytes != info.Size() || f.Rows != wantRows[f.Name] || f.Title == "" || f.Format == "" {
			t.Errorf("%+v: want %d bytes, %d rows, a title and a format", f, info.Size(), wantRows[f.Name])
		}
	}
	want := []string{"indicateurs_departements.csv", "indicateurs_departements.xlsx",
		"indicateurs_departements_excel.csv", "indicateurs_departements.parquet",
		"indicateurs_communes.csv", "indicateurs_communes.xlsx", "indicateurs_communes_excel.csv",
		"indicateurs_epci.csv", "indicateurs_epci.xlsx", "indicateurs_epci_excel.csv",
		"lieux_mediation.geojson", "dictionnaire_donnees.csv"}
	if !slices.Equal(names, want) {
		t.Errorf("files = %v, want %v", names, want)
	}
	if got := entries(t, dir); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("directory holds %v, want only the downloads", got)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	depColumns := slices.DeleteFunc(downloadColumns(t, db, "mart_departement"), func(c string) bool {
		return strings.HasPrefix(c, "previous_")
	})

	t.Run("comma CSV", func(t *testing.T) {
		b := read("indicateurs_departements.csv")
		if bytes.HasPrefix(b, []byte("\uFEFF")) || bytes.Contains(b, []byte("\r")) {
			t.Error("want no BOM and LF line ends")
		}
		recs := parse(t, b, ',')
		if diff := cmp.Diff(depColumns, recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		rows := byCode(recs)
		if len(rows) != 101 || !slices.IsSorted(codes(recs)) {
			t.Errorf("%d rows (sorted: %v), want 101 in code order", len(rows), slices.IsSorted(codes(recs)))
		}
		// Lozère: 2 venues × 10 000 / 76 486 inhabitants = 0.26148 → 0.261.
		for col, want := range map[string]string{"nom": hostileDep, "venues": "2", "venues_per_10k": "0.261"} {
			if got := rows["48"][col]; got != want {
				t.Errorf("Lozère %s = %q, want %q", col, got, want)
			}
		}
	})

	t.Run("Excel CSV", func(t *testing.T) {
		b := read("indicateurs_departements_excel.csv")
		if !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Error("want a UTF-8 BOM")
		}
		if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != crlf || n < 102 {
			t.Errorf("%d line breaks of which %d CRLF, want all CRLF", n, crlf)
		}
		recs := parse(t, bytes.TrimPrefix(b, []byte("\uFEFF")), ';')
		if diff := cmp.Diff(depColumns, recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		rows := byCode(recs)
		for _, c := range []struct{ code, col, want string }{
			{"48", "venues_per_10k", "0,261"},
			{"48", "nom", hostileDep},
			{"2A", "nom", "Corse-du-Sud"},
			{"01", "nom", "Ain"},
			{"01", "coverage_period", ""},
		} {
			if got, ok := rows[c.code][c.col]; !ok || got != c.want {
				t.Errorf("%s %s = %q, want %q", c.code, c.col, got, c.want)
			}
		}
		// Every cell is the comma CSV's, with a decimal comma in the
		// fractional columns and nowhere else.
		types := queryTypes(t, db, isql.DownloadDepartementsQuery)
		commaRecs := parse(t, read("indicateurs_departements.csv"), ',')
		for i, rec := range recs[1:] {
			for j, got := range rec {
				want := commaRecs[i+1][j]
				if typ := types[j]; typ == "DOUBLE" || typ == "FLOAT" || strings.HasPrefix(typ, "DECIMAL") {
					want = strings.Replace(want, ".", ",", 1)
				}
				if got != want {
					t.Errorf("row %s, %s (%s) = %q, want %q", rec[0], recs[0][j], types[j], got, want)
				}
			}
		}
	})

	t.Run("Parquet", func(t *testing.T) {
		path := filepath.Join(dir, "indicateurs_departements.parquet")
		var n int
		var per10k float64
		var premisesType string
		err := db.QueryRowContext(ctx, `SELECT count(*), any_value(venues_per_10k) FILTER (WHERE code_departement = '48'),
			any_value(typeof(premises)) FROM read_parquet(`+sqlquote.String(path)+`)`).Scan(&n, &per10k, &premisesType)
		if err != nil {
			t.Fatal(err)
		}
		if n != 101 || per10k != 0.261 || premisesType != "BIGINT" {
			t.Errorf("Parquet: %d rows, Lozère venues per 10k %v, premises %s; want 101, 0.261, BIGINT", n, per10k, premisesType)
		}
		rows, err := db.QueryContext(ctx, `SELECT * FROM read_parquet(`+sqlquote.String(path)+`)`)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rows.Columns()
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(depColumns, got); diff != "" {
			t.Errorf("Parquet columns (-want +got):\n%s", diff)
		}
	})

	t.Run("communes CSV", func(t *testing.T) {
		recs := parse(t, read("indicateurs_communes.csv"), ',')
		if diff := cmp.Diff(downloadColumns(t, db, "mart_commune"), recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		rows := byCode(recs)
		if len(rows) != communes || !slices.IsSorted(codes(recs)) {
			t.Errorf("%d rows, want %d in code order", len(rows), communes)
		}
		if got := rows["48095"]["nom"]; got != hostileCommune {
			t.Errorf("Mende nom = %q, want %q", got, hostileCommune)
		}
		if got := rows["2A004"]["code_departement"]; got != "2A" {
			t.Errorf("Ajaccio code_departement = %q, want 2A", got)
		}
	})

	t.Run("communes Excel CSV", func(t *testing.T) {
		b := read("indicateurs_communes_excel.csv")
		if !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Error("want a UTF-8 BOM")
		}
		recs := parse(t, bytes.TrimPrefix(b, []byte("\uFEFF")), ';')
		if diff := cmp.Diff(downloadColumns(t, db, "mart_commune"), recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		rows := byCode(recs)
		if len(rows) != communes {
			t.Errorf("%d rows, want %d", len(rows), communes)
		}
		for _, c := range []struct{ code, col, want string }{
			{"01001", "code_departement", "01"},
			{"2A004", "code_departement", "2A"},
			{"48095", "nom", hostileCommune},
		} {
			if got, ok := rows[c.code][c.col]; !ok || got != c.want {
				t.Errorf("%s %s = %q, want %q", c.code, c.col, got, c.want)
			}
		}
	})

	for _, c := range []struct{ xlsx, csv, sheet string }{
		{"indicateurs_departements.xlsx", "indicateurs_departements.csv", "départements"},
		{"indicateurs_communes.xlsx", "indicateurs_communes.csv", "communes"},
		{"indicateurs_epci.xlsx", "indicateurs_epci.csv", "EPCI"},
	} {
		t.Run(c.xlsx, func(t *testing.T) {
			wb := readXLSX(t, filepath.Join(dir, c.xlsx))
			if got := wb.sheets(); !slices.Equal(got, []string{c.sheet, "dictionnaire"}) {
				t.Errorf("sheets = %v, want %s and dictionnaire", got, c.sheet)
			}
			// Every cell holds the comma CSV's value, spelled alike.
			data := wb.sheet(t, 1)
			want := parse(t, read(c.csv), ',')
			if diff := cmp.Diff(want, data.strings(t, len(want[0]))); diff != "" {
				t.Errorf("cells against %s (-csv +xlsx):\n%s", c.csv, diff)
			}
			// Codes are text cells, numbers number cells, the header bold.
			for _, h := range data.Rows[0].Cells {
				if h.T != "inlineStr" || h.S != styleHeader {
					t.Errorf("header cell %s = type %q style %d, want bold text", h.R, h.T, h.S)
				}
			}
			kinds := data.kinds(t)
			for col, want := range map[string]string{
				"code_departement": "text", "code_insee": "text", "code_epci": "text", "code_region": "text",
				"nom": "text", "population": "number", "illectronism_share_est": "number",
				"assessments_suppressed": "boolean", "coverage_period": "date",
			} {
				if got, ok := kinds[col]; ok && got != want {
					t.Errorf("column %s holds %s cells, want %s", col, got, want)
				}
			}
			// The dictionary sheet describes each column, in order.
			dictSheet := wb.sheet(t, 2).strings(t, 5)
			var described []string
			for _, rec := range dictSheet[1:] {
				described = append(described, rec[0])
				if rec[1] == "" || rec[2] == "" || rec[3] == "" {
					t.Errorf("dictionary sheet: %v lacks a label, unit or definition", rec)
				}
			}
			if diff := cmp.Diff(want[0], described); diff != "" {
				t.Errorf("dictionary sheet columns (-file +dictionary):\n%s", diff)
			}
		})
	}

	t.Run("xlsx keeps the zeros of codes", func(t *testing.T) {
		for _, c := range []struct{ file, code, col, want string }{
			{"indicateurs_communes.xlsx", "01001", "code_insee", "01001"},
			{"indicateurs_communes.xlsx", "2A004", "code_insee", "2A004"},
			{"indicateurs_communes.xlsx", "01001", "code_departement", "01"},
			{"indicateurs_departements.xlsx", "01", "code_departement", "01"},
		} {
			cell := readXLSX(t, filepath.Join(dir, c.file)).sheet(t, 1).cell(t, c.code, c.col)
			if cell.T != "inlineStr" || cell.IS.T != c.want {
				t.Errorf("%s row %s, %s = type %q text %q, want a text cell %q", c.file, c.code, c.col, cell.T, cell.IS.T, c.want)
			}
		}
		cell := readXLSX(t, filepath.Join(dir, "indicateurs_communes.xlsx")).sheet(t, 1).cell(t, "01001", "population")
		if v, err := strconv.ParseFloat(cell.V, 64); cell.T != "" || err != nil || v <= 0 {
			t.Errorf("01001 population = type %q value %q, want a positive number cell", cell.T, cell.V)
		}
	})

	t.Run("EPCI CSV", func(t *testing.T) {
		recs := parse(t, read("indicateurs_epci.csv"), ',')
		excel := parse(t, read("indicateurs_epci_excel.csv"), ';')
		if diff := cmp.Diff(downloadColumns(t, db, "mart_epci"), recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		if len(recs) != epcis+1 || len(excel) != epcis+1 || epcis != 1255 {
			t.Fatalf("%d and %d rows, want %d EPCI (1 255)", len(recs)-1, len(excel)-1, epcis)
		}
		rows := byCode(recs)
		if got := rows["200093201"]; got["nom"] != "Métropole Européenne de Lille" || got["type"] != "METRO" || got["code_departement"] != "59" {
			t.Errorf("Lille's EPCI = %v", got)
		}
		if !slices.IsSorted(codes(recs)) {
			t.Errorf("rows not in SIREN order")
		}
	})

	t.Run("GeoJSON", func(t *testing.T) {
		b := read("lieux_mediation.geojson")
		var fc struct {
			Type     string
			Features []struct {
				Type     string
				ID       string
				Geometry struct {
					Type        string
					Coordinates []float64
				}
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		if fc.Type != "FeatureCollection" || len(fc.Features) != 3 {
			t.Fatalf("type %q with %d features, want a FeatureCollection of 3", fc.Type, len(fc.Features))
		}
		if bytes.Contains(b, []byte("<script>")) {
			t.Error("markup is not escaped")
		}
		for i, want := range []struct {
			id     string
			coords []float64
			props  map[string]any
		}{
			{"v1", []float64{3.499123, 44.518099}, map[string]any{
				"id": "v1", "nom": hostileVenue, "commune": "Mende", "code_postal": "48000",
				"adresse": "1 place du Foirail", "source": "test", "date_maj": "2024-01-02",
				"code_departement": "48", "code_insee": "48095", "listings": 1.0,
				"programmes": []any{"Conseillers numériques", "France Services"},
				"services":   []any{"Aide aux démarches", "Accès internet"},
			}},
			{"v2", []float64{3.6, 44.6}, map[string]any{
				"id": "v2", "nom": "Mairie", "code_departement": "48", "listings": 1.0,
				"programmes": []any{}, "services": []any{},
			}},
			{"v3", []float64{8.7369, 41.9267}, map[string]any{
				"id": "v3", "nom": "Tiers-lieu", "commune": "Ajaccio", "code_postal": "20000", "source": "test",
				"date_maj": "2024-02-03", "code_departement": "2A", "code_insee": "2A004", "listings": 1.0,
				"programmes": []any{}, "services": []any{},
			}},
		} {
			f := fc.Features[i]
			if f.Type != "Feature" || f.ID != want.id || f.Geometry.Type != "Point" || !slices.Equal(f.Geometry.Coordinates, want.coords) {
				t.Errorf("feature %d: %s %s %s %v, want Feature %s Point %v", i, f.Type, f.ID, f.Geometry.Type, f.Geometry.Coordinates, want.id, want.coords)
			}
			if diff := cmp.Diff(want.props, f.Properties); diff != "" {
				t.Errorf("feature %s properties (-want +got):\n%s", want.id, diff)
			}
		}
	})

	t.Run("dictionary covers every column", func(t *testing.T) {
		b := read(dictionaryName)
		if !bytes.Equal(b, dictionaryCSV) {
			t.Error("published dictionary differs from the embedded one")
		}
		recs := parse(t, b, ',')
		if !slices.Equal(recs[0], dictionaryHeader) {
			t.Errorf("header = %v, want %v", recs[0], dictionaryHeader)
		}
		// The real columns of each download: the queries' on this database,
		// and every property a GeoJSON feature may have (the fixture's
		// features leave some out, empty).
		var props []string
		for f := range reflect.TypeFor[venue]().Fields() {
			props = append(props, strings.Split(f.Tag.Get("json"), ",")[0])
		}
		real := map[string][]string{
			"indicateurs_departements": queryColumns(t, db, isql.DownloadDepartementsQuery),
			"indicateurs_communes":     queryColumns(t, db, isql.DownloadCommunesQuery),
			"indicateurs_epci":         queryColumns(t, db, isql.DownloadEPCIQuery),
			"lieux_mediation":          slices.Sorted(slices.Values(props)),
		}
		listed := map[string][]string{}
		seen := map[[2]string]bool{}
		for _, c := range dict {
			if seen[[2]string{c.File, c.Name}] {
				t.Errorf("dictionary lists %s.%s twice", c.File, c.Name)
			}
			seen[[2]string{c.File, c.Name}] = true
			if _, ok := real[c.File]; !ok {
				t.Errorf("dictionary lists %s.%s: no download is named %s", c.File, c.Name, c.File)
			}
			if c.Label == "" || c.Unit == "" || c.Definition == "" || c.Source == "" {
				t.Errorf("dictionary entry %s.%s lacks a label, unit, definition or source: %+v", c.File, c.Name, c)
			}
			listed[c.File] = append(listed[c.File], c.Name)
		}
		for file, cols := range real {
			got := listed[file]
			if file == "lieux_mediation" {
				got = slices.Sorted(slices.Values(got))
			}
			if diff := cmp.Diff(cols, got); diff != "" {
				t.Errorf("%s: dictionary columns (-download +dictionary):\n%s", file, diff)
			}
		}
	})

	t.Run("shares are named as such", func(t *testing.T) {
		// A column of the downloads holds a proportion from 0 to 1 exactly
		// when its name says "share" and the dictionary's unit "part (0–1)";
		// a mart column documented as 0–1 is one of them, and every value is
		// within 0 and 1.
		comments := map[string]string{}
		rows, err := db.QueryContext(ctx, `SELECT table_name || '.' || column_name, coalesce(comment, '')
			FROM duckdb_columns() WHERE table_name IN ('mart_departement', 'mart_commune', 'mart_epci')`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			comments[k] = v
		}
		rows.Close()
		for _, f := range []struct{ file, mart string }{
			{"indicateurs_departements", "mart_departement"},
			{"indicateurs_communes", "mart_commune"},
			{"indicateurs_epci", "mart_epci"},
		} {
			cols := columnsOf(dict, f.file)
			recs := parse(t, read(f.file+".csv"), ',')
			for j, name := range recs[0] {
				share := strings.Contains(name, "share")
				if unit := cols[name].Unit; share != (unit == "part (0–1)") {
					t.Errorf("%s.%s: unit %q; want %q exactly for the columns named share", f.file, name, unit, "part (0–1)")
				}
				mart := name
				for old, renamed := range shareRenames {
					if renamed == name {
						mart = old
					}
				}
				if strings.Contains(comments[f.mart+"."+mart], "(0–1)") && !share {
					t.Errorf("%s.%s is a proportion (0–1) by its comment, but its name does not say share", f.file, name)
				}
				for _, rec := range recs[1:] {
					if v, err := strconv.ParseFloat(rec[j], 64); share && err == nil && (v < 0 || v > 1) {
						t.Errorf("%s.%s = %v for %s, want a share within 0 and 1", f.file, name, v, rec[0])
						break
					}
				}
			}
		}
	})

	t.Run("rerun is byte-identical", func(t *testing.T) {
		first := map[string][]byte{}
		for _, name := range want {
			first[name] = read(name)
		}
		for _, again := range []string{t.TempDir(), dir} {
			if _, err := Write(ctx, db, again); err != nil {
				t.Fatal(err)
			}
			for _, name := range want {
				b, err := os.ReadFile(filepath.Join(again, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, first[name]) {
					t.Errorf("%s differs on a second write", name)
				}
			}
		}
		if got := entries(t, dir); len(got) != len(want) {
			t.Errorf("directory holds %v after rewriting, want only the downloads", got)
		}
	})

	// The files are written at once but put in place in order: a failure
	// (here the communes' workbook cannot replace a folder) leaves the
	// files after it as they were, as when they were written one by one.
	t.Run("failure in the middle", func(t *testing.T) {
		dir := t.TempDir()
		const failing = "indicateurs_communes.xlsx"
		if err := os.MkdirAll(filepath.Join(dir, failing, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		k := slices.Index(want, failing)
		for _, name := range want[k+1:] {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Write(ctx, db, dir)
		if err == nil || !strings.HasPrefix(err.Error(), "write "+failing+": ") {
			t.Fatalf("Write = %v, want an error naming %s", err, failing)
		}
		for _, name := range want[:k] {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(b, read(name)) {
				t.Errorf("%s before the failure: %v, want it written", name, err)
			}
		}
		for _, name := range want[k+1:] {
			if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != "old" {
				t.Errorf("%s after the failure = %.20q, want it untouched", name, b)
			}
		}
		if got := entries(t, dir); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			t.Errorf("directory holds %v, want the downloads and no temporary file", got)
		}
	})
}

// TestWriteFailure checks that a failed write names the file and leaves the
// previous file whole and no temporary file behind.
func TestWriteFailure(t *testing.T) {
	db := open(t) // no marts
	dir := t.TempDir()
	old := filepath.Join(dir, "indicateurs_departements.csv")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(t.Context(), db, dir)
	if err == nil || !strings.HasPrefix(err.Error(), "write indicateurs_departements.csv: ") {
		t.Fatalf("Write without marts = %v, want an error naming indicateurs_departements.csv", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Errorf("previous file = %q, want it untouched", b)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"indicateurs_departements.csv"}) {
		t.Errorf("directory holds %v, want the previous file only", got)
	}
}

// shareRenames are the mart columns holding a proportion (0–1) that the
// downloads rename so that their name says share.
var shareRenames = map[string]string{
	"age_data_coverage":                "age_data_coverage_share",
	"diploma_data_coverage":            "diploma_data_coverage_share",
	"income_data_coverage":             "income_data_coverage_share",
	"illectronism_rate_est":            "illectronism_share_est",
	"illectronism_rate_low":            "illectronism_share_low",
	"illectronism_rate_high":           "illectronism_share_high",
	"illectronism_rate_structure_2019": "illectronism_share_structure_2019",
	"low_income_population_covered":    "low_income_population_covered_share",
	"fragility_coverage":               "fragility_coverage_share",
}

// downloadColumns lists the columns of table as the downloads name them.
func downloadColumns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	cols := columns(t, db, table)
	for i, c := range cols {
		if r, ok := shareRenames[c]; ok {
			cols[i] = r
		}
	}
	return cols
}

// queryColumns lists the column names of query.
func queryColumns(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// columns lists the columns of table in order.
func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT column_name FROM information_schema.columns
		WHERE table_name = ? ORDER BY ordinal_position`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil || len(cols) == 0 {
		t.Fatalf("columns of %s: %v, %v", table, cols, err)
	}
	return cols
}

// queryTypes lists the DuckDB types of the columns of query.
func queryTypes(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	types := make([]string, len(cts))
	for i, ct := range cts {
		types[i] = ct.DatabaseTypeName()
	}
	return types
}

// parse reads a whole CSV file with separator comma, checking that every
// record has as many fields as the header.
func parse(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("parse CSV: %d records, %v", len(recs), err)
	}
	return recs
}

// byCode maps the first field of each data record to its fields by column.
func byCode(recs [][]string) map[string]map[string]string {
	m := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, v := range rec {
			row[recs[0][i]] = v
		}
		m[rec[0]] = row
	}
	return m
}

// codes lists the first field of each data record.
func codes(recs [][]string) []string {
	var c []string
	for _, rec := range recs[1:] {
		c = append(c, rec[0])
	}
	return c
}

// entries lists the names in dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
