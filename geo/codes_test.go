package geo

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testCodes = sync.OnceValues(func() (*Codes, error) {
	cog, err := testCOG()
	if err != nil {
		return nil, err
	}
	mv, err := testMovements()
	if err != nil {
		return nil, err
	}
	return NewCodes(cog, mv), nil
})

func TestResolve(t *testing.T) {
	codes := mustLoad(t, testCodes)
	tests := []struct {
		name, in string
		want     Resolution
		wantErr  error
	}{
		{"current", "01001", Resolution{"01001", "01", "current"}, nil},
		{"current shared with a COMD", "01015", Resolution{"01015", "01", "current"}, nil},
		{"Corsica", "2A004", Resolution{"2A004", "2A", "current"}, nil},
		{"Mayotte", "97611", Resolution{"97611", "976", "current"}, nil},
		{"Paris", "75056", Resolution{"75056", "75", "current"}, nil},
		{"Paris 15e", "75115", Resolution{"75056", "75", "arrondissement"}, nil},
		{"Marseille 1er", "13201", Resolution{"13055", "13", "arrondissement"}, nil},
		{"Lyon 1er", "69381", Resolution{"69123", "69", "arrondissement"}, nil},
		{"COMD Béon", "01039", Resolution{"01138", "01", "comparent"}, nil},
		{"COMA Cordieux", "01120", Resolution{"01262", "01", "comparent"}, nil},
		{"COMA in another département", "02285", Resolution{"59545", "59", "comparent"}, nil},
		{"Rignat, merged 2026", "01324", Resolution{"01245", "01", "movement"}, nil},
		{"Berzy-le-Sec, COMD deleted 2026", "02077", Resolution{"02564", "02", "movement"}, nil},
		{"Crépieux-la-Pape, 01 → 69 then merged", "01132", Resolution{"69286", "69", "movement"}, nil},
		{"Pont-Farcy, 14 → 50 then merged", "14513", Resolution{"50592", "50", "movement"}, nil},
		{"Corsica before 1976", "20001", Resolution{"2A001", "2A", "movement"}, nil},
		{"split, name continues", "51385", Resolution{"51440", "51", "movement"}, nil},
		{"split, lowest code", "08227", Resolution{"08203", "08", "movement"}, nil},
		{"4 digits", "1001", Resolution{"01001", "01", "current"}, nil},
		{"spaces", " 01001\t", Resolution{"01001", "01", "current"}, nil},
		{"lower-case Corsica", "2b033", Resolution{"2B033", "2B", "current"}, nil},
		{"Saint-Barthélemy", "97123", Resolution{}, ErrNoSuccessor},
		{"never published", "99999", Resolution{}, ErrUnknownCode},
		{"Saint-Martin collectivity", "97801", Resolution{}, ErrOutsideDepartements},
		{"Saint-Pierre-et-Miquelon", "97502", Resolution{}, ErrOutsideDepartements},
		{"Nouméa", "98818", Resolution{}, ErrOutsideDepartements},
		{"empty", "", Resolution{}, ErrMalformedCode},
		{"3 digits", "101", Resolution{}, ErrMalformedCode},
		{"6 digits", "010010", Resolution{}, ErrMalformedCode},
		{"2C", "2C004", Resolution{}, ErrMalformedCode},
		{"letters", "0100A", Resolution{}, ErrMalformedCode},
		{"inner space", "01 001", Resolution{}, ErrMalformedCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := codes.Resolve(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Resolve(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestResolveErrorMessages(t *testing.T) {
	codes := mustLoad(t, testCodes)
	tests := []struct{ in, want string }{
		{"97123", `resolve "97123": 97123 Saint-Barthélemy deleted on 2007-02-23: no current commune succeeds this code`},
		{"99999", `resolve "99999": not in COG 2026 nor in its history of communes: unknown commune code`},
		{"1x", `resolve "1x": want 5 digits, or 2A or 2B and 3 digits: malformed commune code`},
	}
	for _, tt := range tests {
		_, err := codes.Resolve(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Resolve(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

// TestResolveEveryCode resolves every code of the COG and of its history.
func TestResolveEveryCode(t *testing.T) {
	codes := mustLoad(t, testCodes)
	cog := mustLoad(t, testCOG)
	mv := mustLoad(t, testMovements)
	current := make(map[string]string)
	for _, c := range cog {
		if c.Type == "COM" {
			current[c.Code] = c.CodeDepartement
		}
	}
	all := make(map[string]bool)
	for _, c := range cog {
		all[c.Code] = true
	}
	for _, m := range mv {
		for _, code := range []string{m.CodeBefore, m.CodeAfter} {
			if code != "" {
				all[code] = true
			}
		}
	}
	how := make(map[string]int)
	var dead []string
	for code := range all {
		r, err := codes.Resolve(code)
		if err != nil {
			dead = append(dead, code)
			if !errors.Is(err, ErrNoSuccessor) {
				t.Errorf("Resolve(%q) error = %v, want ErrNoSuccessor", code, err)
			}
			continue
		}
		how[r.How]++
		if current[r.Code] != r.Departement {
			t.Errorf("Resolve(%q) = %+v, not a current commune of that département", code, r)
		}
	}
	t.Logf("%d codes: %v; no successor: %v", len(all), how, dead)
	wantHow := map[string]int{"current": 34875, "arrondissement": 45, "comparent": 1992, "movement": 2248}
	if diff := cmp.Diff(wantHow, how); diff != "" {
		t.Errorf("resolutions by rule (-want +got):\n%s", diff)
	}
	if len(dead) != 2 {
		t.Errorf("%d codes without successor, want 2 (97123, 97127)", len(dead))
	}
	if codes.Len() != len(all)-len(dead) {
		t.Errorf("Len() = %d, want %d", codes.Len(), len(all)-len(dead))
	}
}

func TestResolveNil(t *testing.T) {
	var c *Codes
	if _, err := c.Resolve("01001"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("nil Codes: Resolve error = %v, want ErrUnknownCode", err)
	}
	if _, err := NewCodes(nil, nil).Resolve("01001"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("empty Codes: Resolve error = %v, want ErrUnknownCode", err)
	}
}

func TestDepartementOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"01001", "01"},
		{"2A004", "2A"},
		{"2b033", "2B"},
		{"97101", "971"},
		{"97611", "976"},
		{"75056", "75"},
		{"1001", "01"},
		{" 59350 ", "59"},
		{"98735", "987"},
		{"", ""},
		{"7505", "07"},
		{"750560", ""},
		{"2C004", ""},
	}
	for _, tt := range tests {
		if got := DepartementOf(tt.in); got != tt.want {
			t.Errorf("DepartementOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func readSeeds(t testing.TB) []string {
	f, err := os.Open(filepath.Join("testdata", "resolve_seeds.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seeds []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			seeds = append(seeds, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return seeds
}

// FuzzResolve checks that Resolve never panics and only ever answers with a
// current commune of the département it names.
func FuzzResolve(f *testing.F) {
	for _, s := range readSeeds(f) {
		f.Add(s)
	}
	codes := mustLoad(f, testCodes)
	cog := mustLoad(f, testCOG)
	current := make(map[string]string)
	for _, c := range cog {
		if c.Type == "COM" {
			current[c.Code] = c.CodeDepartement
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := codes.Resolve(in)
		if err != nil {
			if !errors.Is(err, ErrMalformedCode) && !errors.Is(err, ErrUnknownCode) && !errors.Is(err, ErrNoSuccessor) && !errors.Is(err, ErrOutsideDepartements) {
				t.Errorf("Resolve(%q) error %v wraps none of the sentinel errors", in, err)
			}
			return
		}
		if dep, ok := current[r.Code]; !ok || dep != r.Departement || DepartementOf(r.Code) != dep {
			t.Errorf("Resolve(%q) = %+v, not a current commune", in, r)
		}
		switch r.How {
		case "current", "arrondissement", "comparent", "movement":
		default:
			t.Errorf("Resolve(%q).How = %q", in, r.How)
		}
	})
}
