package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors returned by [PostalCodes.Lookup], wrapped with the input and the
// reason; test them with errors.Is.
var (
	ErrMalformedPostalCode = errors.New("malformed postal code")
	ErrUnknownPostalCode   = errors.New("unknown postal code")
)

// PostalCode is one (postal code, commune) pair of La Poste's Base officielle
// des codes postaux.
type PostalCode struct {
	Code    string // code postal, 5 digits, e.g. "01400"
	Commune string // INSEE code of a current commune (TYPECOM COM), e.g. "01001"
}

// PostalMatch is what a postal code says about where an address lies.
type PostalMatch struct {
	// Commune is the INSEE code of the commune when the postal code serves
	// exactly one commune, else "".
	Commune string
	// Departement is the département of the communes when they all lie in
	// one, e.g. "2A", "971"; "" when the postal code spans several
	// départements, and the address cannot be placed from it alone.
	Departement string
	// Communes holds every commune the postal code serves, sorted, never
	// empty. It is the caller's own copy.
	Communes []string
}

// PostalCodes maps La Poste postal codes to the current communes they serve.
// A postal code can serve several communes (01400 serves 10), and a few serve
// communes of two départements (05110: Hautes-Alpes and
// Alpes-de-Haute-Provence). Paris, Lyon and Marseille are single communes:
// 75001–75020 and 75116 all give 75056, 69001–69009 give 69123, 13001–13016
// give 13055.
//
// Every answer is computed in [NewPostalCodes]; a *PostalCodes is then
// immutable and safe for concurrent use by multiple goroutines.
type PostalCodes struct {
	byCode map[string]PostalMatch
}

// LoadPostalCodes returns the 6 187 postal codes of the 101 départements in
// La Poste's base as of COG 2026, from the embedded
// data/codes_postaux_2026.csv. Call it once and keep the result. An error is
// a *ParseError naming the file, line and field.
func LoadPostalCodes() (*PostalCodes, error) {
	pairs, err := load(filePostalCodes, parsePostalCodes)
	if err != nil {
		return nil, err
	}
	return NewPostalCodes(pairs), nil
}

func parsePostalCodes(file string, src []byte) ([]PostalCode, error) {
	out := make([]PostalCode, 0, len(src)/18)
	err := parseCSV(file, src, []string{"code_postal", "code_insee"}, func(r *row) error {
		p := PostalCode{Code: r.text(0), Commune: r.text(1)}
		if !validPostalCode(p.Code) {
			return r.fail(0, errors.New("not a postal code: want 5 digits"))
		}
		if !validCode(p.Commune) {
			return r.fail(1, errors.New("not a commune code"))
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// NewPostalCodes indexes (postal code, commune) pairs, in any order. Duplicate
// pairs count once. Pairs are taken as they are, not normalised: a pair whose
// Code is not 5 digits, or whose Commune is not shaped like a commune code, is
// ignored. The département of a commune is read from its code, as by
// [DepartementOf]. With nil or empty pairs every postal code is unknown.
func NewPostalCodes(pairs []PostalCode) *PostalCodes {
	communes := make(map[string][]string)
	for _, p := range pairs {
		if validPostalCode(p.Code) && validCode(p.Commune) {
			communes[p.Code] = append(communes[p.Code], p.Commune)
		}
	}
	byCode := make(map[string]PostalMatch, len(communes))
	for code, cs := range communes {
		slices.Sort(cs)
		cs = slices.Clip(slices.Compact(cs))
		m := PostalMatch{Departement: DepartementOf(cs[0]), Communes: cs}
		if len(cs) == 1 {
			m.Commune = cs[0]
		}
		for _, c := range cs[1:] {
			if DepartementOf(c) != m.Departement {
				m.Departement = ""
				break
			}
		}
		byCode[code] = m
	}
	return &PostalCodes{byCode: byCode}
}

// Lookup returns the communes a postal code serves.
//
// The input is normalised first, as by [Codes.Resolve]: surrounding spaces
// are trimmed and a 4-digit code gets its leading zero back ("1000" →
// "01000", as spreadsheets lose it). A known postal code always gives a match;
// the caller decides what to do when Commune or Departement is empty.
//
// Errors wrap [ErrMalformedPostalCode] when the input is not 5 digits, and
// [ErrUnknownPostalCode] when La Poste's base has no such code for the 101
// départements: CEDEX and other special codes, unused codes, Monaco (980xx).
// The postal codes of the overseas collectivities (97133 Saint-Barthélemy,
// 97150 Saint-Martin, 975xx Saint-Pierre-et-Miquelon, 986xx–988xx Pacific
// territories) also wrap [ErrOutsideDepartements]. A nil *PostalCodes knows
// no code.
func (p *PostalCodes) Lookup(code string) (PostalMatch, error) {
	norm, ok := normalizePostalCode(code)
	if !ok {
		return PostalMatch{}, fmt.Errorf("lookup %q: want 5 digits: %w", code, ErrMalformedPostalCode)
	}
	if p != nil {
		if m, ok := p.byCode[norm]; ok {
			m.Communes = slices.Clone(m.Communes)
			return m, nil
		}
	}
	if outsidePostalCode(norm) {
		return PostalMatch{}, fmt.Errorf("lookup %q: %w: %w", code, ErrUnknownPostalCode, ErrOutsideDepartements)
	}
	return PostalMatch{}, fmt.Errorf("lookup %q: not a postal code of the 101 départements in La Poste's base: %w", code, ErrUnknownPostalCode)
}

// Len returns the number of known postal codes.
func (p *PostalCodes) Len() int {
	if p == nil {
		return 0
	}
	return len(p.byCode)
}

// ByCommune returns the postal codes of each commune, sorted: the other
// direction of [PostalCodes.Lookup], e.g. for a search by postal code. The
// map and its slices are the caller's own. A nil *PostalCodes gives an
// empty map.
func (p *PostalCodes) ByCommune() map[string][]string {
	out := map[string][]string{}
	if p == nil {
		return out
	}
	for code, m := range p.byCode {
		for _, c := range m.Communes {
			out[c] = append(out[c], code)
		}
	}
	for _, codes := range out {
		slices.Sort(codes)
	}
	return out
}

// normalizePostalCode trims s and restores the leading zero of a 4-digit
// code; ok is false when the result is not 5 digits.
func normalizePostalCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 4 && digits(s) {
		s = "0" + s
	}
	return s, validPostalCode(s)
}

func validPostalCode(s string) bool { return len(s) == 5 && digits(s) }

// outsidePostalCode reports whether a postal code belongs to an overseas
// collectivity. Saint-Barthélemy and Saint-Martin kept postal codes of
// Guadeloupe (971) when they left it in 2007.
func outsidePostalCode(s string) bool {
	switch s[:3] {
	case "975", "986", "987", "988":
		return true
	}
	return s == "97133" || s == "97150"
}
