package ingest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	gosql "database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// The hostile corpus: malformed, truncated, mis-encoded, binary, huge and
// booby-trapped inputs of every kind (testdata/hostile/<kind>/, plus files
// too big or too odd to commit, generated below). Each one is loaded with the
// real Loader into one real DuckDB file that already holds good data, and
// must end either refused with a message naming the file and the problem
// (nothing stored, no 'loaded' ledger row) or loaded with every bad row
// explained in rejects; never a panic, never damage to what was loaded before.

// hostileReject is an expected reject: its line, its column ("" for a whole
// row) and a substring of its reason.
type hostileReject struct {
	line   int
	column string
	reason string
}

type hostileCase struct {
	kind Kind
	file string // under testdata/hostile/<kind>/, or the name of a generated file
	gen  func() []byte
	name string // the File.Name given to Load; file's base name when empty

	// A file-level refusal: a substring of the error (which must also name
	// the file).
	wantErr string
	// Or a load: the counts (read, loaded; -1 to leave unchecked) and
	// rejects that must be among the file's rejects.
	read, loaded int64
	rejects      []hostileReject
	check        func(t *testing.T, db *gosql.DB, res Result)

	// known describes a problem of the loader: when the expectations above
	// fail, the case is skipped with this explanation instead of failing.
	known string
	// heavy: the known problem makes the load too slow or too big to run
	// every time; the case is skipped before loading unless
	// ILLECTRO_HOSTILE_HEAVY is set.
	heavy bool
}

// maxLoadAlloc bounds the Go memory one load of the corpus may allocate:
// every file here is under 6 MB, and a loader that streams must not need
// more than a few times that.
const maxLoadAlloc = 256 << 20

// rawTables holds every table a load writes rows of a file into.
var rawTables = []string{"raw_assessments", "raw_coverage", "raw_venues", "raw_mediator_structures", "raw_socio", "rejects", "quality_findings"}

func TestHostileInputs(t *testing.T) {
	// newTestLoader's database, at a path of our own to reopen it at the end.
	l := newTestLoader(t)
	l.DB.Close()
	path := filepath.Join(t.TempDir(), "hostile.duckdb")
	ctx := t.Context()
	db, err := isql.Open(ctx, path, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	l.DB = db

	// Good data first, which no hostile file may disturb.
	goodCov, err := l.Load(ctx, Coverage, OSFile("testdata/coverage/current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	goodAss, err := l.Load(ctx, Assessments, OSFile("testdata/assessments/malformed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	type snapshot struct{ cov, ass, rejects, ledger int64 }
	snap := func() snapshot {
		return snapshot{
			count(t, db, "SELECT count(*) FROM raw_coverage WHERE file_id = ?", goodCov.FileID),
			count(t, db, "SELECT count(*) FROM raw_assessments WHERE file_id = ?", goodAss.FileID),
			count(t, db, "SELECT count(*) FROM rejects WHERE file_id IN (?, ?)", goodCov.FileID, goodAss.FileID),
			count(t, db, "SELECT count(*) FROM ingest_files WHERE status = 'loaded' AND file_id IN (?, ?)", goodCov.FileID, goodAss.FileID),
		}
	}
	before := snap()
	if before != (snapshot{3, 3, 10, 2}) {
		t.Fatalf("good fixtures = %+v, want 3 coverage rows, 3 assessments, 10 rejects, 2 ledger rows", before)
	}

	for _, tc := range hostileCases() {
		t.Run(string(tc.kind)+"/"+tc.file, func(t *testing.T) {
			if tc.heavy && tc.known != "" && os.Getenv("ILLECTRO_HOSTILE_HEAVY") == "" {
				t.Skipf("known problem: %s (set ILLECTRO_HOSTILE_HEAVY=1 to run it)", tc.known)
			}
			f := tc.input(t)
			var res Result
			var err error
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			allocBefore := ms.TotalAlloc
			panicked := func() (p bool) {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Load panicked: %v\n%s", r, debug.Stack())
						p = true
					}
				}()
				res, err = l.Load(ctx, tc.kind, f)
				return false
			}()
			if panicked {
				return
			}
			runtime.ReadMemStats(&ms)
			alloc := ms.TotalAlloc - allocBefore

			// Whatever the outcome: the database answers and the good data
			// are intact.
			if after := snap(); after != before {
				t.Errorf("good data changed: %+v, was %+v", after, before)
			}

			var problems []string
			fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
			if alloc > maxLoadAlloc {
				fail("the load allocated %d MB of Go memory, over %d MB", alloc>>20, maxLoadAlloc>>20)
			}
			if tc.wantErr != "" {
				switch {
				case err == nil:
					fail("loaded (%d read, %d loaded, %d rejected), want a refusal containing %q", res.Read, res.Loaded, res.Rejected, tc.wantErr)
				case !strings.Contains(err.Error(), f.Name) || !strings.Contains(err.Error(), tc.wantErr):
					fail("error %q, want one naming %s and containing %q", err, f.Name, tc.wantErr)
				}
				if err != nil {
					// Nothing of a refused file is stored; its attempt is
					// recorded as failed.
					for _, tbl := range rawTables {
						if n := count(t, db, "SELECT count(*) FROM "+tbl+" WHERE file_id = ?", res.FileID); n != 0 {
							t.Errorf("refused file left %d rows in %s", n, tbl)
						}
					}
					if n := count(t, db, "SELECT count(*) FROM ingest_files WHERE file_id = ? AND status = 'loaded'", res.FileID); n != 0 {
						t.Errorf("refused file has a 'loaded' ledger row")
					}
					if n := count(t, db, "SELECT count(*) FROM ingest_files WHERE file_id = ? AND status = 'failed' AND name = ?", res.FileID, f.Name); n != 1 {
						t.Errorf("refused file: %d failed attempts recorded, want 1", n)
					}
					// Every refusal has a kind of its own, stored.
					if k := FileKindOf(err); k == ErrFileOther {
						fail("refusal %q has kind other", err)
					} else if n := count(t, db, "SELECT count(*) FROM ingest_files WHERE file_id = ? AND error_kind = ?", res.FileID, k.Code); n != 1 {
						t.Errorf("refused file: no ledger row of kind %s", k.Code)
					}
				}
			} else if err != nil {
				fail("Load error %v, want a load", err)
			} else {
				if res.Read != res.Loaded+res.Rejected {
					t.Errorf("read %d ≠ loaded %d + rejected %d", res.Read, res.Loaded, res.Rejected)
				}
				if tc.read >= 0 && res.Read != tc.read {
					fail("read %d rows, want %d", res.Read, tc.read)
				}
				if tc.loaded >= 0 && res.Loaded != tc.loaded {
					fail("loaded %d rows, want %d", res.Loaded, tc.loaded)
				}
				table := map[Kind]string{Assessments: "raw_assessments", Coverage: "raw_coverage", Venues: "raw_venues", Mediators: "raw_mediator_structures", Socio: "raw_socio"}[tc.kind]
				if n := count(t, db, "SELECT count(*) FROM "+table+" WHERE file_id = ?", res.FileID); n != res.Loaded {
					t.Errorf("%s holds %d rows of the file, the result says %d loaded", table, n, res.Loaded)
				}
				if n := count(t, db, "SELECT count(*) FROM ingest_files WHERE file_id = ? AND status = 'loaded' AND rows_read = ? AND rows_loaded = ? AND rows_rejected = ?",
					res.FileID, res.Read, res.Loaded, res.Rejected); n != 1 {
					t.Errorf("ledger: %d 'loaded' rows with the result's counts, want 1", n)
				}
				got := rejects(t, db, res.FileID)
				if int64(len(got)) != res.Rejected {
					t.Errorf("%d rejects stored, the result says %d", len(got), res.Rejected)
				}
				for _, w := range tc.rejects {
					found := false
					for _, g := range got {
						if g.Line == w.line && g.Column == w.column && strings.Contains(g.Reason, w.reason) {
							found = true
						}
					}
					if !found {
						fail("no reject at line %d column %q with a reason containing %q; rejects: %+v", w.line, w.column, w.reason, got)
					}
				}
				if len(tc.rejects) > 0 && len(got) != len(tc.rejects) {
					fail("%d rejects, want %d: %+v", len(got), len(tc.rejects), got)
				}
				if tc.check != nil && len(problems) == 0 {
					tc.check(t, db, res)
				}
			}
			if len(problems) > 0 {
				if tc.known != "" {
					t.Skipf("known problem: %s (%s)", tc.known, strings.Join(problems, "; "))
				}
				for _, p := range problems {
					t.Error(p)
				}
			} else if tc.known != "" {
				t.Logf("the known problem %q no longer shows: drop it from the case", tc.known)
			}
		})
	}

	// After all of it, the database file closes and reopens with the good
	// data intact.
	if err := db.Close(); err != nil {
		t.Fatalf("close after the hostile corpus: %v", err)
	}
	if db, err = isql.Open(ctx, path, isql.Options{ReadOnly: true}); err != nil {
		t.Fatalf("reopen after the hostile corpus: %v", err)
	}
	if after := snap(); after != before {
		t.Errorf("good data after reopening: %+v, was %+v", after, before)
	}
}

// input returns the case's file: generated, or read from the corpus.
func (tc hostileCase) input(t *testing.T) File {
	t.Helper()
	var data []byte
	if tc.gen != nil {
		data = tc.gen()
	} else {
		var err error
		if data, err = os.ReadFile(filepath.Join("testdata/hostile", string(tc.kind), tc.file)); err != nil {
			t.Fatal(err)
		}
	}
	name := tc.name
	if name == "" {
		name = filepath.Base(tc.file)
	}
	return memFile(name, data)
}

const (
	assessmentHeader = "respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n"
	mediatorHeader   = "nom_structure,siret,code_insee,code_postal,nb_conseillers_attribues,nb_conseillers_recrutes\n"
	venueHeader      = "id,nom,commune,code_postal,code_insee,latitude,longitude\n"
)

// asciiAssessments returns n good assessment rows, unique ids, about 40 bytes each.
func asciiAssessments(n int) []byte {
	var b bytes.Buffer
	b.WriteString(assessmentHeader)
	for i := range n {
		fmt.Fprintf(&b, "G%d,2026-03-02,59350,60-74,oui,1,1,2,1,0\n", i)
	}
	return b.Bytes()
}

// pseudonymOf is the respondent key the loader must store for id.
func pseudonymOf(key []byte, id string) int64 {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return int64(binary.BigEndian.Uint64(m.Sum(nil)))
}

// textColumnsContain counts the rows of a raw table whose text columns
// (any VARCHAR or ENUM column) contain s.
func textColumnsContain(t *testing.T, db *gosql.DB, table string, fileID int64, s string) int64 {
	t.Helper()
	return count(t, db, "SELECT count(*) FROM "+table+" AS r WHERE file_id = ? AND contains(CAST(columns(* EXCLUDE (file_id, line)) AS VARCHAR), ?)", fileID, s)
}

func hostileCases() []hostileCase {
	testKey := []byte("test-key-0123456789") // newTestLoader's
	return []hostileCase{
		// ---- assessments ----
		{kind: Assessments, file: "truncated_quote.csv", read: 2, loaded: 1,
			rejects: []hostileReject{{3, "", "end of file inside a quoted field"}}},
		{kind: Assessments, file: "truncated_mid_field.csv", read: 2, loaded: 1,
			rejects: []hostileReject{{3, "", "row has 3 fields, the header has 10"}}},
		{kind: Assessments, file: "utf16_bom.csv", wantErr: "UTF-16"},
		{kind: Assessments, file: "empty.csv", wantErr: "the file is empty"},
		{kind: Assessments, file: "header_only.csv", read: 0, loaded: 0},
		// Only a BOM: refused for want of a header (empty.csv says "the file
		// is empty"; both name the file and the problem).
		{kind: Assessments, file: "bom_only.csv", wantErr: `no header line with a "Identifiant externe" or "respondent_id" column`},
		{kind: Assessments, file: "latin1_after_64k.csv", gen: func() []byte {
			b := asciiAssessments(1700) // > 64 KiB of ASCII
			return append(b, "L1,2026-03-02,59350,75 ans et pl\xe9s,oui,1,1,2,1,0\n"...)
		}, read: 1701, loaded: 1700,
			rejects: []hostileReject{{1702, "age_band", "invalid UTF-8 text"}}},
		{kind: Assessments, file: "formula_injection_id.csv", read: 2, loaded: 2,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				want := []int64{pseudonymOf(testKey, "=cmd|' /C calc'!A0"), pseudonymOf(testKey, "+SUM(1+1)*cmd|' /C calc'!A0")}
				for _, k := range want {
					if n := count(t, db, "SELECT count(*) FROM raw_assessments WHERE file_id = ? AND respondent_key = ?", res.FileID, k); n != 1 {
						t.Errorf("pseudonym %d of a formula id stored %d times, want 1", k, n)
					}
				}
				if n := textColumnsContain(t, db, "raw_assessments", res.FileID, "cmd"); n != 0 {
					t.Errorf("%d rows carry the formula text", n)
				}
			}},
		{kind: Assessments, file: "impossible_dates.csv", read: 6, loaded: 1,
			rejects: []hostileReject{
				{3, "assessed_on", "impossible date"},
				{4, "assessed_on", "impossible date"},
				{5, "assessed_on", "date out of range (1900–2100)"},
				{6, "assessed_on", "date out of range (1900–2100)"},
				{7, "assessed_on", "impossible date"},
			}},
		{kind: Assessments, file: "personal_data_ids.csv", read: 3, loaded: 3,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				for _, id := range []string{"jean.dupont@example.org", "+33 6 12 34 56 78", "0612345678"} {
					if n := count(t, db, "SELECT count(*) FROM raw_assessments WHERE file_id = ? AND respondent_key = ?", res.FileID, pseudonymOf(testKey, id)); n != 1 {
						t.Errorf("id %q: %d rows with its HMAC pseudonym, want 1", id, n)
					}
				}
				for _, s := range []string{"@", "dupont", "12 34", "0612"} {
					if n := textColumnsContain(t, db, "raw_assessments", res.FileID, s); n != 0 {
						t.Errorf("%d rows carry %q in a text column", n, s)
					}
				}
				if n := count(t, db, "SELECT count(*) FROM rejects WHERE value LIKE '%@%' OR reason LIKE '%@%'"); n != 0 {
					t.Errorf("%d rejects carry an e-mail", n)
				}
			}},
		{kind: Assessments, file: "duplicate_header.csv", wantErr: `column "code_insee" appears twice in the header`},
		{kind: Assessments, file: "empty_header_name.csv", read: 1, loaded: 1},
		{kind: Assessments, file: "wrong_delimiter_pipe.csv", wantErr: "no built-in mapping"},
		{kind: Assessments, file: "overseas_codes.csv", read: 5, loaded: 1,
			rejects: []hostileReject{
				{3, "code_insee", "outside the 101 départements"},
				{4, "code_insee", "outside the 101 départements"},
				{5, "code_insee", "outside the 101 départements"},
				{6, "code_insee", "unknown commune code"},
			}},
		// Poison files (issue 19): a line, a field or a header over the
		// limits costs a rejected row or a refused file, and little memory.
		{kind: Assessments, file: "huge_field_5mb.csv", gen: func() []byte {
			return []byte(assessmentHeader + strings.Repeat("x", 5<<20) + ",2026-03-02,59350,60-74,oui,1,1,2,1,0\nW1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n")
		}, read: 2, loaded: 1,
			rejects: []hostileReject{{2, "", "line longer than 1048576 bytes (max_line_bytes)"}}},
		{kind: Assessments, file: "one_line_64mb_no_newline.csv", gen: func() []byte {
			return []byte(assessmentHeader + "W1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n" + strings.Repeat("y,", 32<<20))
		}, read: 2, loaded: 1,
			rejects: []hostileReject{{3, "", "line longer than 1048576 bytes"}}},
		{kind: Assessments, file: "quoted_field_spanning_lines_3mb.csv", gen: func() []byte {
			return []byte(assessmentHeader + `"` + strings.Repeat("z\n", 3<<19) + `",2026-03-02,59350,60-74,oui,1,1,2,1,0` + "\n")
		}, read: -1, loaded: 0,
			rejects: []hostileReject{{2, "", "line longer than 1048576 bytes"}}},
		{kind: Assessments, file: "field_100kb.csv", gen: func() []byte {
			return []byte(assessmentHeader + strings.Repeat("x", 100<<10) + ",2026-03-02,59350,60-74,oui,1,1,2,1,0\nW1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n")
		}, read: 2, loaded: 1,
			rejects: []hostileReject{{2, "respondent_id", "field longer than 65536 bytes (max_field_bytes)"}}},
		{kind: Coverage, file: "header_line_8mb.csv", gen: func() []byte {
			return []byte("code_insee" + strings.Repeat(";c", 4<<20) + "\n")
		}, wantErr: "line 1 is longer than 1048576 bytes (max_line_bytes)"},
		{kind: Assessments, file: "columns_100000.csv", gen: func() []byte {
			return wideFile(strings.TrimSuffix(assessmentHeader, "\n"), "W1,2026-03-02,59350,60-74,oui,1,1,2,1,0", 100_000)
		}, wantErr: "the header has 100000 columns, more than the 1000 allowed (max_columns)"},
		{kind: Assessments, file: "columns_1000.csv", gen: func() []byte {
			return wideFile(strings.TrimSuffix(assessmentHeader, "\n"), "W1,2026-03-02,59350,60-74,oui,1,1,2,1,0", 1000)
		}, read: 1, loaded: 1},
		{kind: Assessments, file: "same_row_10000.csv", gen: func() []byte {
			return []byte(assessmentHeader + strings.Repeat("R1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n", 10_000))
		}, read: 10_000, loaded: 10_000,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				if err := isql.BuildViews(t.Context(), db, isql.Params{}); err != nil {
					t.Fatal(err)
				}
				if n := count(t, db, "SELECT count(*) FROM stg_assessments__responses WHERE file_id = ?", res.FileID); n != 1 {
					t.Errorf("stg_assessments__responses keeps %d of the 10 000 copies, want 1", n)
				}
			}},

		// ---- coverage ----
		{kind: Coverage, file: "absurd_counts.csv", read: 6, loaded: 1,
			rejects: []hostileReject{
				{3, "nbr", "negative count"},
				{4, "elig_hd8", "never exceed nbr"},
				{5, "elig_hd8", "negative count"},
				{6, "elig_thd1g", "not a plausible count"},
				{7, "nbr", "not a whole number"},
			}},
		{kind: Coverage, file: "beta_classes_exceed_nbr.csv", read: 2, loaded: 1,
			rejects: []hostileReject{{4, "nbr", "speed classes add up to 148, not nbr"}}},
		{kind: Coverage, file: "both_formats.csv", wantErr: "both elig_hd8 and elig_bhd8 columns"},
		{kind: Coverage, file: "overseas_codes.csv", read: 5, loaded: 1,
			rejects: []hostileReject{
				{3, "code_insee", "outside the 101 départements"},
				{4, "code_insee", "outside the 101 départements"},
				{5, "code_insee", "unknown commune code"},
				{6, "code_insee", "malformed commune code"},
			}},
		{kind: Coverage, file: "binary_png.csv", wantErr: "binary file"},
		{kind: Coverage, file: "crlf_mixed.csv", read: 3, loaded: 3},

		// ---- venues ----
		{kind: Venues, file: "formula_and_html_names.csv", read: 4, loaded: 4,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				for id, nom := range map[string]string{
					"v-formula": "=cmd|' /C calc'!A0",
					"v-script":  "<script>alert(1)</script>",
					"v-img":     `<img src=x onerror="alert(1)">`,
					"v-sql":     "Robert'); DROP TABLE raw_venues;--",
				} {
					if n := count(t, db, "SELECT count(*) FROM raw_venues WHERE file_id = ? AND id = ? AND nom = ?", res.FileID, id, nom); n != 1 {
						t.Errorf("venue %s: name %q stored %d times as written, want 1", id, nom, n)
					}
				}
			}},
		{kind: Venues, file: "bad_coordinates.csv", read: 7, loaded: 1,
			rejects: []hostileReject{
				{3, "latitude", "not a latitude"},
				{4, "longitude", "not a longitude"},
				{5, "latitude", "not a latitude"},
				{6, "latitude", "not a latitude"},
				{7, "longitude", "not a longitude"},
				{8, "latitude", "not a latitude"},
			}},
		{kind: Venues, file: "hex_float_coordinates.csv", read: 2, loaded: 1,
			rejects: []hostileReject{{3, "latitude", "not a latitude"}}},
		{kind: Venues, file: "overseas_codes_at_sea.csv", read: 3, loaded: 0,
			rejects: []hostileReject{
				{2, "latitude", "outside the 101 départements"},
				{3, "latitude", "outside the 101 départements"},
				{4, "latitude", "outside the 101 départements"},
			}},
		{kind: Venues, file: "more_fields_than_header.csv", read: 3, loaded: 1,
			rejects: []hostileReject{
				{3, "", "row has 9 fields, the header has 7"},
				{4, "", "row has 3 fields, the header has 7"},
			}},
		{kind: Venues, file: "no_latitude_column.csv", wantErr: `no header line with a "latitude" column`},
		{kind: Venues, file: "invalid_utf8_small.csv", read: 1, loaded: 1,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				// Not UTF-8 from the start: read as Windows-1252, as
				// documented; the bytes become text, never interpreted.
				var nom string
				if err := db.QueryRowContext(t.Context(), "SELECT nom FROM raw_venues WHERE file_id = ?", res.FileID).Scan(&nom); err != nil {
					t.Fatal(err)
				}
				if want := "CafÀ¯e í\u00a0€"; nom != want {
					t.Errorf("nom = %q, want %q (Windows-1252)", nom, want)
				}
			}},
		{kind: Venues, file: "invalid_utf8_after_64k.csv", gen: func() []byte {
			var b bytes.Buffer
			b.WriteString(venueHeader)
			for i := range 1500 { // > 64 KiB of valid UTF-8
				fmt.Fprintf(&b, "v-%d,Médiathèque,Lille,59000,59350,50.6292,3.0573\n", i)
			}
			b.WriteString("v-bad,Caf\xc0\xafe \xed\xa0\x80,Lille,59000,59350,50.6292,3.0573\n")
			return b.Bytes()
		}, read: 1501, loaded: 1500,
			rejects: []hostileReject{{1502, "nom", "invalid UTF-8 text"}}},
		{kind: Venues, file: "huge_name_5mb.csv", gen: func() []byte {
			return []byte(venueHeader + "v-huge," + strings.Repeat("é", 5<<19) + ",Lille,59000,59350,50.6292,3.0573\n")
		}, read: 1, loaded: 0,
			rejects: []hostileReject{{2, "", "line longer than 1048576 bytes"}}},
		{kind: Venues, file: "name_60kb.csv", gen: func() []byte {
			return []byte(venueHeader + "v-long," + strings.Repeat("é", 30<<10) + ",Lille,59000,59350,50.6292,3.0573\n")
		}, read: 1, loaded: 1,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				if n := count(t, db, "SELECT strlen(nom) FROM raw_venues WHERE file_id = ?", res.FileID); n != 60<<10 {
					t.Errorf("stored name of %d bytes, want %d", n, 60<<10)
				}
			}},
		{kind: Mediators, file: "absurd_counts.csv", read: 4, loaded: 1,
			rejects: []hostileReject{
				{3, "nb_conseillers_attribues", "negative count"},
				{4, "nb_conseillers_attribues", "not a whole number"},
				{5, "nb_conseillers_attribues", "not a whole number"},
			}},
		{kind: Mediators, file: "count_overflow.csv", read: 3, loaded: 1,
			rejects: []hostileReject{
				{3, "nb_conseillers_attribues", ""},
				{4, "nb_conseillers_recrutes", ""},
			}},
		{kind: Mediators, file: "overseas_codes.csv", read: 6, loaded: 1,
			rejects: []hostileReject{
				{3, "code_insee", "outside the 101 départements"},
				{4, "code_insee", "outside the 101 départements"},
				{5, "code_insee", "outside the 101 départements"},
				{6, "code_insee", "unknown commune code"},
				{7, "code_insee", "malformed commune code"},
			}},
		{kind: Mediators, file: "wrong_delimiter.csv", wantErr: "missing mandatory column(s) nom_structure, code_insee"},
		{kind: Mediators, file: "duplicate_header.csv", wantErr: `column "NOM_STRUCTURE" appears twice in the header`},
		{kind: Mediators, file: "empty_header_name.csv", read: 1, loaded: 1},
		{kind: Mediators, file: "nul_in_field.csv", wantErr: "binary file"},
		{kind: Mediators, file: "nul_after_64k.csv", gen: func() []byte {
			var b bytes.Buffer
			b.WriteString(mediatorHeader)
			for i := range 1500 {
				fmt.Fprintf(&b, "STRUCTURE %d,84009530100015,03218,03160,3,3\n", i)
			}
			b.WriteString("NUL\x00BYTE,1,03218,03160,1,1\n")
			return b.Bytes()
		}, read: 1501, loaded: 1500,
			rejects: []hostileReject{{1502, "nom_structure", "NUL"}}},
		{kind: Mediators, file: "crlf_mixed.csv", read: 3, loaded: 3,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				if n := count(t, db, "SELECT count(*) FROM raw_mediator_structures WHERE file_id = ? AND nom_structure = ?", res.FileID, "C\nmultiline"); n != 1 {
					t.Errorf("quoted CRLF inside a field: %d rows read it as LF, want 1", n)
				}
			}},
		{kind: Mediators, file: "columns_100000.csv", gen: func() []byte {
			return wideFile(strings.TrimSuffix(mediatorHeader, "\n"), "WIDE,1,03218,03160,1,1", 100_000)
		}, wantErr: "more than the 1000 allowed (max_columns)"},
		{kind: Mediators, file: "passwd.csv", name: "../../etc/passwd.csv", gen: func() []byte {
			return []byte(mediatorHeader + "BOCAGE NUMERIQUE,84009530100015,03218,03160,3,3\n")
		}, read: 1, loaded: 1,
			check: func(t *testing.T, db *gosql.DB, res Result) {
				if n := count(t, db, "SELECT count(*) FROM ingest_files WHERE file_id = ? AND name = '../../etc/passwd.csv'", res.FileID); n != 1 {
					t.Errorf("the name is not stored as given")
				}
			}},

		// ---- socio ----
		{kind: Socio, file: "rates_out_of_range.csv", read: 6, loaded: 2,
			rejects: []hostileReject{
				{3, "tx_poverty", "not a rate between 0 and 100"},
				{4, "tx_nscol15p", "not a rate between 0 and 100"},
				{5, "tx_menseul", "not a rate between 0 and 100"},
				{6, "couverture_hd_thd", "not a rate between 0 and 1"},
			}},
		{kind: Socio, file: "overseas_and_unknown_codes.csv", read: 3, loaded: 0,
			rejects: []hostileReject{
				{2, "code_insee", "outside the 101 départements"},
				{3, "code_insee", "outside the 101 départements"},
				{4, "code_insee", "unknown commune code"},
			}},
		{kind: Socio, file: "header_only.csv", read: 0, loaded: 0},
		{kind: Socio, file: "empty.csv", wantErr: "the file is empty"},
		{kind: Socio, file: "random_bytes.csv", wantErr: "binary file"},
		{kind: Socio, file: "mixed_header_case_duplicate.csv", wantErr: `column "tx_65etplus" appears twice in the header`},
	}
}

// wideFile returns a header and one row of n columns: the given ones, then
// padding columns.
func wideFile(header, row string, n int) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	extra := n - strings.Count(header, ",") - 1
	for i := range extra {
		fmt.Fprintf(&b, ",pad%d", i)
	}
	b.WriteString("\n" + row)
	b.WriteString(strings.Repeat(",", extra))
	b.WriteString("\n")
	return b.Bytes()
}
