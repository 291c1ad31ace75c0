package geo

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors returned by [Codes.Resolve], wrapped with the input and the reason;
// test them with errors.Is.
var (
	ErrMalformedCode = errors.New("malformed commune code")
	ErrUnknownCode   = errors.New("unknown commune code")
	ErrNoSuccessor   = errors.New("no current commune succeeds this code")
	// ErrOutsideDepartements marks a code of an overseas collectivity
	// (975 Saint-Pierre-et-Miquelon, 977 Saint-Barthélemy, 978 Saint-Martin,
	// 98x Pacific territories): real places, but outside the 101
	// départements this project covers.
	ErrOutsideDepartements = errors.New("collectivité d'outre-mer, outside the 101 départements")
)

// Resolution is the current commune an input code stands for.
type Resolution struct {
	Code        string // current COG 2026 commune code (TYPECOM COM)
	Departement string // its département, e.g. "2A", "971"
	// How tells which rule applied: "current" (already a COM code),
	// "arrondissement" (a municipal arrondissement of Paris, Lyon or
	// Marseille, resolved to the city), "comparent" (a commune déléguée or
	// associée, resolved to the commune it belongs to) or "movement" (a code
	// no longer in the COG, followed through the history of communes).
	How string
}

// Codes resolves commune codes, current or historical, to current COG 2026
// communes. Every answer is computed in [NewCodes]; a *Codes is then
// immutable and safe for concurrent use by multiple goroutines.
type Codes struct {
	// slot maps a code's key (codeKey) to what it resolves to: 0 when
	// nothing, −(1 + i) for a current commune of département deps[i], and
	// 1 + i for any other code resolving to res[i]. A flat array, because a
	// string-keyed map over 39 000 codes costs a cache miss or two per lookup,
	// and ingest resolves one code per input row; a current code, nearly every
	// input row's, is answered from slot and the small deps alone.
	slot []int32
	res  []Resolution
	deps []string          // the départements of current communes
	n    int               // codes that resolve
	dead map[string]string // code → why it has no current successor
}

// codeKeys is the size of the key space: 00000–99999, then 2A000–2A999 and
// 2B000–2B999.
const codeKeys = 102000

// codeKey numbers a well-formed code (see validCode).
func codeKey(s string) int {
	n := 0
	for i := 2; i < 5; i++ {
		n = n*10 + int(s[i]-'0')
	}
	switch s[1] {
	case 'A':
		return 100000 + n
	case 'B':
		return 101000 + n
	}
	return (int(s[0]-'0')*10+int(s[1]-'0'))*1000 + n
}

// NewCodes indexes the COG commune list and its history of movements, as
// returned by [COGCommunes] and [Movements].
//
// A code that is no longer in the COG is followed forward through the
// history: its latest event (all movements sharing the latest date whose
// CodeBefore is the code) gives the successors, each resolved in turn, only
// through events on or after that date. When a commune was split between
// several communes (6 codes in the 2026 history, all deletions of 1949–1968, e.g.
// 51385 Moronvilliers), the successor whose name contains the old name wins
// (51440 Pontfaverger-Moronvilliers), else the lowest current code (08227
// Hocmont → 08203, not 08454).
//
// With nil or empty inputs every code is unknown.
func NewCodes(cog []COGCommune, mv []Movement) *Codes {
	b := &codeBuilder{
		com:   make(map[string]COGCommune),
		other: make(map[string]COGCommune),
		after: make(map[string][]Movement),
	}
	for _, c := range cog {
		if c.Type == "COM" {
			b.com[c.Code] = c
		} else if _, ok := b.other[c.Code]; !ok {
			b.other[c.Code] = c
		}
	}
	for _, m := range mv {
		if m.CodeBefore != "" {
			b.after[m.CodeBefore] = append(b.after[m.CodeBefore], m)
		}
	}
	c := &Codes{slot: make([]int32, codeKeys), dead: make(map[string]string)}
	add := func(code string) {
		if !validCode(code) || c.slot[codeKey(code)] != 0 {
			return
		}
		if _, ok := c.dead[code]; ok {
			return
		}
		how := "current"
		if _, ok := b.com[code]; !ok {
			if o, ok := b.other[code]; !ok {
				how = "movement"
			} else if o.Type == "ARM" {
				how = "arrondissement"
			} else {
				how = "comparent"
			}
		}
		got, err := b.resolve(code, "", nil)
		if err != nil {
			c.dead[code] = err.Error()
			return
		}
		c.n++
		dep := b.com[got].CodeDepartement
		if how == "current" && got == code {
			i := slices.Index(c.deps, dep)
			if i < 0 {
				i = len(c.deps)
				c.deps = append(c.deps, dep)
			}
			c.slot[codeKey(code)] = int32(-1 - i)
			return
		}
		c.res = append(c.res, Resolution{Code: got, Departement: dep, How: how})
		c.slot[codeKey(code)] = int32(len(c.res))
	}
	for _, x := range cog {
		add(x.Code)
	}
	for _, m := range mv {
		for _, code := range []string{m.CodeBefore, m.CodeAfter} {
			if validCode(code) {
				add(code)
			}
		}
	}
	return c
}

type codeBuilder struct {
	com   map[string]COGCommune // current communes
	other map[string]COGCommune // COMD, COMA and ARM codes that are not also a COM
	after map[string][]Movement // movements by CodeBefore
}

// resolve returns the current commune that code became, looking only at
// movements on or after date since (all when since is ""). seen holds the
// codes on the way, to stop cycles.
func (b *codeBuilder) resolve(code, since string, seen []string) (string, error) {
	if _, ok := b.com[code]; ok {
		return code, nil
	}
	if slices.Contains(seen, code) || len(seen) > 50 {
		return "", fmt.Errorf("cycle in the history of %s", strings.Join(append(seen, code), " → "))
	}
	seen = append(seen, code)
	if o, ok := b.other[code]; ok {
		return b.resolve(o.Parent, "", seen)
	}
	var latest string
	for _, m := range b.after[code] {
		if m.Date >= since {
			latest = max(latest, m.Date)
		}
	}
	if latest == "" {
		if since == "" {
			return "", ErrUnknownCode
		}
		return "", fmt.Errorf("%s is not a current commune and has no movement after %s", code, since)
	}
	type candidate struct {
		code      string
		continues bool // the successor's name contains the old name
	}
	var cands []candidate
	var deleted, lastErr error
	for _, m := range b.after[code] {
		if m.Date != latest {
			continue
		}
		if m.CodeAfter == "" {
			deleted = fmt.Errorf("%s %s deleted on %s", code, m.NomBefore, m.Date)
			continue
		}
		if m.CodeAfter == code {
			continue // the code lives on as a COMD or COMA, later deleted: see its own event
		}
		got, err := b.resolve(m.CodeAfter, latest, seen)
		if err != nil {
			lastErr = err
			continue
		}
		cands = append(cands, candidate{got, m.NomBefore != "" && strings.Contains(strings.ToLower(m.NomAfter), strings.ToLower(m.NomBefore))})
	}
	if len(cands) == 0 {
		if deleted != nil {
			return "", deleted
		}
		if lastErr != nil {
			return "", lastErr
		}
		return "", fmt.Errorf("%s: no successor on %s", code, latest)
	}
	slices.SortFunc(cands, func(x, y candidate) int {
		if x.continues != y.continues {
			if x.continues {
				return -1
			}
			return 1
		}
		return cmp.Compare(x.code, y.code)
	})
	return cands[0].code, nil
}

// Resolve returns the current COG 2026 commune for a commune code.
//
// The input is normalised first: surrounding spaces are trimmed, a 4-digit
// code gets its leading zero back ("1001" → "01001", as spreadsheets lose
// it), and "2a"/"2b" are upper-cased. Then:
//
//   - a current commune (TYPECOM COM) resolves to itself, even when a
//     commune déléguée shares its code;
//   - an arrondissement of Paris (751xx), Lyon (6938x) or Marseille (132xx)
//     resolves to the city (75056, 69123, 13055);
//   - a commune déléguée or associée resolves to its parent commune;
//   - any other code found in the history of communes since 1943 is followed
//     forward to the current commune it became (see [NewCodes] for splits).
//
// Errors wrap [ErrMalformedCode] when the input does not look like a commune
// code, [ErrUnknownCode] when INSEE never published it, and [ErrNoSuccessor]
// when the commune disappeared without a current successor (97123
// Saint-Barthélemy and 97127 Saint-Martin, which left the départements in
// 2007), and [ErrOutsideDepartements] for the codes of the overseas
// collectivities (97701, 97801, …). Resolve never returns a code that is not a current commune.
// A nil *Codes knows no code. For a current commune, Code is the normalised
// input itself, and shares its memory.
func (c *Codes) Resolve(code string) (Resolution, error) {
	norm, ok := normalizeCode(code)
	if !ok {
		return Resolution{}, fmt.Errorf("resolve %q: want 5 digits, or 2A or 2B and 3 digits: %w", code, ErrMalformedCode)
	}
	if c != nil && c.slot != nil {
		switch i := c.slot[codeKey(norm)]; {
		case i < 0:
			return Resolution{Code: norm, Departement: c.deps[-1-i], How: "current"}, nil
		case i > 0:
			return c.res[i-1], nil
		}
		if why, ok := c.dead[norm]; ok {
			return Resolution{}, fmt.Errorf("resolve %q: %s: %w", code, why, ErrNoSuccessor)
		}
	}
	if p := norm[:3]; p == "975" || p == "977" || p == "978" || norm[:2] == "98" {
		return Resolution{}, fmt.Errorf("resolve %q: %w", code, ErrOutsideDepartements)
	}
	return Resolution{}, fmt.Errorf("resolve %q: not in COG 2026 nor in its history of communes: %w", code, ErrUnknownCode)
}

// Len returns the number of codes that resolve to a current commune.
func (c *Codes) Len() int {
	if c == nil {
		return 0
	}
	return c.n
}

// normalizeCode trims s, restores the leading zero of a 4-digit code and
// upper-cases 2a/2b; ok is false when the result is not shaped like a commune
// code.
func normalizeCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 4 && digits(s) {
		s = "0" + s
	}
	if len(s) == 5 && s[0] == '2' && (s[1] == 'a' || s[1] == 'b') {
		s = s[:1] + strings.ToUpper(s[1:2]) + s[2:]
	}
	return s, validCode(s)
}

// DepartementOf returns the département part of a commune code: the first
// three characters for overseas codes (97xxx, 98xxx), the first two
// otherwise ("01001" → "01", "2A004" → "2A", "97101" → "971"). The code is
// normalised as by [Codes.Resolve] but not checked against the COG, so a
// pre-1976 Corsican code "20xxx" gives "20". It returns "" for a malformed
// code.
func DepartementOf(communeCode string) string {
	s, ok := normalizeCode(communeCode)
	if !ok {
		return ""
	}
	if s[:2] == "97" || s[:2] == "98" {
		return s[:3]
	}
	return s[:2]
}
