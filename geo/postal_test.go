package geo

import (
	"bufio"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testPostalCodes = sync.OnceValues(LoadPostalCodes)

func TestLookup(t *testing.T) {
	pc := mustLoad(t, testPostalCodes)
	one := func(commune, dep string) PostalMatch {
		return PostalMatch{Commune: commune, Departement: dep, Communes: []string{commune}}
	}
	tests := []struct {
		name, in string
		want     PostalMatch
		wantErr  error
	}{
		{"rural, one commune: Fresselines", "23450", one("23087", "23"), nil},
		{"ambiguous within Ain", "01400", PostalMatch{"", "01", []string{"01001", "01084", "01093", "01113", "01146", "01272", "01328", "01356", "01393", "01412"}}, nil},
		{"Paris 15e", "75015", one("75056", "75"), nil},
		{"Paris 16e, second code", "75116", one("75056", "75"), nil},
		{"Lyon 3e", "69003", one("69123", "69"), nil},
		{"Marseille 8e", "13008", one("13055", "13"), nil},
		{"Corsica: Ajaccio", "20000", one("2A004", "2A"), nil},
		{"Corsica, ambiguous", "20167", PostalMatch{"", "2A", []string{"2A001", "2A004", "2A006", "2A017", "2A103", "2A209", "2A271", "2A323", "2A336", "2A351"}}, nil},
		{"Martinique: Fort-de-France", "97200", one("97209", "972"), nil},
		{"Mayotte, ambiguous", "97600", PostalMatch{"", "976", []string{"97610", "97611"}}, nil},
		{"two départements: 04 and 05", "05110", PostalMatch{"", "", []string{"04058", "04066", "05013", "05049", "05071", "05078", "05162", "05184"}}, nil},
		{"two départements: 01 and 74", "01200", PostalMatch{"", "", []string{"01033", "01044", "01104", "01114", "01189", "01209", "01257", "01448", "74109"}}, nil},
		{"4 digits", "1000", PostalMatch{"", "01", []string{"01053", "01344"}}, nil},
		{"spaces", " 23450\t", one("23087", "23"), nil},
		{"unused", "75000", PostalMatch{}, ErrUnknownPostalCode},
		{"zeros", "00000", PostalMatch{}, ErrUnknownPostalCode},
		{"Monaco", "98000", PostalMatch{}, ErrUnknownPostalCode},
		{"Saint-Barthélemy", "97133", PostalMatch{}, ErrOutsideDepartements},
		{"Saint-Martin", "97150", PostalMatch{}, ErrOutsideDepartements},
		{"Saint-Pierre-et-Miquelon", "97500", PostalMatch{}, ErrOutsideDepartements},
		{"Papeete", "98714", PostalMatch{}, ErrOutsideDepartements},
		{"empty", "", PostalMatch{}, ErrMalformedPostalCode},
		{"3 digits", "750", PostalMatch{}, ErrMalformedPostalCode},
		{"6 digits", "750150", PostalMatch{}, ErrMalformedPostalCode},
		{"letter O", "75O15", PostalMatch{}, ErrMalformedPostalCode},
		{"commune code of Corsica", "2A004", PostalMatch{}, ErrMalformedPostalCode},
		{"inner space", "75 015", PostalMatch{}, ErrMalformedPostalCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pc.Lookup(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Lookup(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if errors.Is(tt.wantErr, ErrOutsideDepartements) && !errors.Is(err, ErrUnknownPostalCode) {
				t.Errorf("Lookup(%q) error = %v, want it to wrap ErrUnknownPostalCode too", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lookup(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestLookupErrorMessages(t *testing.T) {
	pc := mustLoad(t, testPostalCodes)
	tests := []struct{ in, want string }{
		{"7501", `lookup "7501": not a postal code of the 101 départements in La Poste's base: unknown postal code`},
		{"97133", `lookup "97133": unknown postal code: collectivité d'outre-mer, outside the 101 départements`},
		{"75O15", `lookup "75O15": want 5 digits: malformed postal code`},
	}
	for _, tt := range tests {
		_, err := pc.Lookup(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Lookup(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

// TestLookupOwnsCommunes checks that a caller changing a match cannot change
// the next answer.
func TestLookupOwnsCommunes(t *testing.T) {
	pc := mustLoad(t, testPostalCodes)
	m, err := pc.Lookup("01000")
	if err != nil {
		t.Fatal(err)
	}
	m.Communes[0] = "99999"
	_ = append(m.Communes[:1], "99998")
	m, err = pc.Lookup("01000")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"01053", "01344"}; !slices.Equal(m.Communes, want) {
		t.Errorf("Lookup(%q).Communes = %q after a caller changed it, want %q", "01000", m.Communes, want)
	}
}

// TestPostalCodesData checks the embedded file against COG 2026 and pins its
// counts (see data/SOURCES.md).
func TestPostalCodesData(t *testing.T) {
	src, err := files.ReadFile(filePostalCodes)
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := parsePostalCodes(filePostalCodes, src)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(pairs, comparePairs) {
		t.Errorf("%s is not sorted by code_postal then code_insee", filePostalCodes)
	}
	if n := len(slices.CompactFunc(slices.Clone(pairs), func(a, b PostalCode) bool { return a == b })); n != len(pairs) {
		t.Errorf("%s has %d duplicate rows", filePostalCodes, len(pairs)-n)
	}
	dep := make(map[string]string)
	for _, c := range mustLoad(t, testCOG) {
		if c.Type == "COM" {
			dep[c.Code] = c.CodeDepartement
		}
	}
	served := make(map[string]bool)
	for _, p := range pairs {
		if _, ok := dep[p.Commune]; !ok {
			t.Errorf("%s: %s → %s, not a current commune", filePostalCodes, p.Code, p.Commune)
		}
		served[p.Commune] = true
	}
	if len(served) != len(dep) {
		t.Errorf("%s serves %d communes, want all %d of COG 2026", filePostalCodes, len(served), len(dep))
	}

	pc := mustLoad(t, testPostalCodes)
	var ambiguous, spanning int
	for code := range pc.byCode {
		m, err := pc.Lookup(code)
		if err != nil {
			t.Fatalf("Lookup(%q) error = %v", code, err)
		}
		if len(m.Communes) > 1 {
			ambiguous++
		}
		if m.Departement == "" {
			spanning++
		}
		deps := make(map[string]bool)
		for _, c := range m.Communes {
			deps[dep[c]] = true
		}
		if len(deps) == 1 && !deps[m.Departement] || len(deps) > 1 && m.Departement != "" {
			t.Errorf("Lookup(%q) = %+v, départements %v", code, m, deps)
		}
		if code[:2] == "75" || code[:3] == "690" || code[:3] == "130" {
			if len(m.Communes) > 1 && (slices.Contains(m.Communes, "75056") || slices.Contains(m.Communes, "69123") || slices.Contains(m.Communes, "13055")) {
				t.Errorf("Lookup(%q) = %+v: Paris, Lyon or Marseille is not alone", code, m)
			}
		}
	}
	got := []int{len(pairs), pc.Len(), ambiguous, spanning}
	if want := []int{35359, 6187, 4200, 16}; !slices.Equal(got, want) {
		t.Errorf("rows, postal codes, ambiguous, spanning départements = %v, want %v", got, want)
	}
	for city, n := range map[string]int{"75056": 21, "69123": 9, "13055": 16} {
		var codes []string
		for _, p := range pairs {
			if p.Commune == city {
				codes = append(codes, p.Code)
			}
		}
		if len(codes) != n {
			t.Errorf("%s has %d postal codes %v, want %d", city, len(codes), codes, n)
		}
		for _, code := range codes {
			if m, err := pc.Lookup(code); err != nil || m.Commune != city {
				t.Errorf("Lookup(%q) = %+v, %v, want %s", code, m, err, city)
			}
		}
	}
}

func comparePairs(a, b PostalCode) int {
	if c := strings.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	return strings.Compare(a.Commune, b.Commune)
}

func TestParsePostalCodes(t *testing.T) {
	tests := []struct {
		file  string
		line  int    // 0: no error
		field string // "" for a CSV syntax error
	}{
		{"ok.csv", 0, ""},
		{"bom_crlf_reordered.csv", 0, ""},
		{"bad_code.csv", 3, "code_postal"},
		{"bad_commune.csv", 4, "code_insee"},
		{"missing_column.csv", 1, "code_insee"},
		{"quote.csv", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "postal", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = parsePostalCodes(tt.file, src)
			if tt.line == 0 {
				if err != nil {
					t.Fatalf("parse %s: %v", tt.file, err)
				}
				return
			}
			pe, ok := errors.AsType[*ParseError](err)
			if !ok {
				t.Fatalf("parse %s: error %v, want a *ParseError", tt.file, err)
			}
			if pe.File != tt.file || pe.Line != tt.line || pe.Field != tt.field {
				t.Errorf("parse %s: error at %s:%d field %q, want %s:%d field %q (%v)", tt.file, pe.File, pe.Line, pe.Field, tt.file, tt.line, tt.field, err)
			}
		})
	}
}

func TestNewPostalCodes(t *testing.T) {
	pc := NewPostalCodes([]PostalCode{
		{"01400", "01084"},
		{"01400", "01001"},
		{"01400", "01084"}, // duplicate
		{"20000", "2A004"},
		{"1000", "01053"},  // not normalised: ignored
		{"01000", "1053"},  // ignored
		{"0100A", "01053"}, // ignored
	})
	if pc.Len() != 2 {
		t.Errorf("Len() = %d, want 2", pc.Len())
	}
	if got, err := pc.Lookup("1400"); err != nil || !slices.Equal(got.Communes, []string{"01001", "01084"}) || got.Commune != "" || got.Departement != "01" {
		t.Errorf("Lookup(%q) = %+v, %v", "1400", got, err)
	}
	if _, err := pc.Lookup("01000"); !errors.Is(err, ErrUnknownPostalCode) {
		t.Errorf("Lookup(%q) error = %v, want ErrUnknownPostalCode", "01000", err)
	}
	want := map[string][]string{"01001": {"01400"}, "01084": {"01400"}, "2A004": {"20000"}}
	if got := pc.ByCommune(); !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("ByCommune() = %v, want %v", got, want)
	}
	if got := NewPostalCodes([]PostalCode{{"13001", "13055"}, {"13002", "13055"}}).ByCommune(); !slices.Equal(got["13055"], []string{"13001", "13002"}) {
		t.Errorf("ByCommune()[13055] = %v, want both postal codes in order", got["13055"])
	}
	for _, empty := range []*PostalCodes{nil, NewPostalCodes(nil)} {
		if got := empty.ByCommune(); len(got) != 0 {
			t.Errorf("empty PostalCodes: ByCommune() = %v, want empty", got)
		}
		if _, err := empty.Lookup("01400"); !errors.Is(err, ErrUnknownPostalCode) {
			t.Errorf("empty PostalCodes: Lookup error = %v, want ErrUnknownPostalCode", err)
		}
		if empty.Len() != 0 {
			t.Errorf("empty PostalCodes: Len() = %d, want 0", empty.Len())
		}
	}
}

// readLines returns the lines of a testdata file, without # comments.
func readLines(t testing.TB, name string) []string {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			lines = append(lines, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// FuzzLookup checks that Lookup never panics and only ever answers with
// current communes, sorted, and a Departement consistent with them.
func FuzzLookup(f *testing.F) {
	for _, s := range readLines(f, "postal_seeds.txt") {
		f.Add(s)
	}
	pc := mustLoad(f, testPostalCodes)
	dep := make(map[string]string)
	for _, c := range mustLoad(f, testCOG) {
		if c.Type == "COM" {
			dep[c.Code] = c.CodeDepartement
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		m, err := pc.Lookup(in)
		if err != nil {
			if !errors.Is(err, ErrMalformedPostalCode) && !errors.Is(err, ErrUnknownPostalCode) {
				t.Errorf("Lookup(%q) error %v wraps none of the sentinel errors", in, err)
			}
			if !cmp.Equal(m, PostalMatch{}) {
				t.Errorf("Lookup(%q) = %+v with error %v, want a zero match", in, m, err)
			}
			return
		}
		if len(m.Communes) == 0 || !slices.IsSorted(m.Communes) || len(slices.Compact(slices.Clone(m.Communes))) != len(m.Communes) {
			t.Fatalf("Lookup(%q).Communes = %q, want sorted distinct communes", in, m.Communes)
		}
		if (len(m.Communes) == 1) != (m.Commune != "") || m.Commune != "" && m.Commune != m.Communes[0] {
			t.Errorf("Lookup(%q) = %+v: Commune inconsistent with Communes", in, m)
		}
		one := true
		for _, c := range m.Communes {
			d, ok := dep[c]
			if !ok {
				t.Errorf("Lookup(%q): %s is not a current commune", in, c)
			}
			one = one && d == dep[m.Communes[0]]
		}
		if one && m.Departement != dep[m.Communes[0]] || !one && m.Departement != "" {
			t.Errorf("Lookup(%q) = %+v: Departement inconsistent with the communes", in, m)
		}
	})
}

// BenchmarkLookup measures one Lookup per op over every known postal code
// (one in ten written with 4 digits), against the naive baseline: a scan of
// the 35 359 sorted pairs.
func BenchmarkLookup(b *testing.B) {
	pc := mustLoad(b, testPostalCodes)
	src, err := files.ReadFile(filePostalCodes)
	if err != nil {
		b.Fatal(err)
	}
	pairs, err := parsePostalCodes(filePostalCodes, src)
	if err != nil {
		b.Fatal(err)
	}
	var inputs []string
	for i, p := range pairs {
		if i > 0 && pairs[i-1].Code == p.Code {
			continue
		}
		if len(inputs)%10 == 0 && p.Code[0] == '0' {
			inputs = append(inputs, p.Code[1:])
		} else {
			inputs = append(inputs, p.Code)
		}
	}
	b.Run("indexed", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := pc.Lookup(inputs[i]); err != nil {
				b.Fatal(err)
			}
			if i++; i == len(inputs) {
				i = 0
			}
		}
	})
	b.Run("naive", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			code, _ := normalizePostalCode(inputs[i])
			var communes []string
			for _, p := range pairs {
				if p.Code == code {
					communes = append(communes, p.Commune)
				}
			}
			if len(communes) == 0 {
				b.Fatalf("no commune for %q", code)
			}
			if i++; i == len(inputs) {
				i = 0
			}
		}
	})
}

func BenchmarkLoadPostalCodes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadPostalCodes(); err != nil {
			b.Fatal(err)
		}
	}
}
