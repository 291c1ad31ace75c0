package ingest

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Mapping tells how the columns of one kind of assessment export map onto
// the fields illectro needs. It is read from a TOML file (see
// ingest/mappings/ for the two shipped ones), so a new export format is a
// configuration change, not code. Only the columns a mapping names are ever
// read: names, e-mails or phone numbers in an export never reach the
// database.
type Mapping struct {
	// Name identifies the source; it is stored with every row, and a person
	// is deduplicated within a source.
	Name string `toml:"name"`
	// Format is "csv" (delimiter and encoding sniffed; the default) or
	// "jsonl" (one JSON object per line, keys as column names).
	Format string        `toml:"format"`
	Fields MappingFields `toml:"fields"`
	// Constants give a field's value when the export has no column for it.
	Constants struct {
		InternetLast3Months *bool `toml:"internet_last_3_months"`
	} `toml:"constants"`
	Areas MappingAreas `toml:"areas"`
}

// MappingFields name the input column of each field. Empty means absent.
type MappingFields struct {
	RespondentID        string `toml:"respondent_id"`          // required
	AssessedAt          string `toml:"assessed_at"`            // required: date, or date and time
	Commune             string `toml:"commune"`                // INSEE commune code
	PostalCode          string `toml:"postal_code"`            // used when the commune is empty or absent
	AgeBand             string `toml:"age_band"`               // 15-29, 30-44, 45-59, 60-74, 75+ (or "60 à 74 ans", "75 ans ou plus")
	BirthYear           string `toml:"birth_year"`             // used when there is no age band
	InternetLast3Months string `toml:"internet_last_3_months"` // oui/non; or a constant
	Shared              string `toml:"shared"`                 // optional: rows whose value is "non" are rejected
}

// MappingAreas say where the five DigComp area levels come from.
type MappingAreas struct {
	// Scale is "levels" (each area lists one column holding 0 none,
	// 1 basic, 2 above basic) or "pix" (each area lists its CRCN
	// competences, read from LevelPrefix+name, else PixPrefix+name).
	Scale           string   `toml:"scale"`
	LevelPrefix     string   `toml:"level_prefix"`
	PixPrefix       string   `toml:"pix_prefix"`
	Information     []string `toml:"information"`
	Communication   []string `toml:"communication"`
	ContentCreation []string `toml:"content_creation"`
	Safety          []string `toml:"safety"`
	ProblemSolving  []string `toml:"problem_solving"`
}

// byArea returns the area lists in the order of Areas.
func (a MappingAreas) byArea() [5][]string {
	return [5][]string{a.Information, a.Communication, a.ContentCreation, a.Safety, a.ProblemSolving}
}

const (
	scaleLevels = "levels"
	scalePix    = "pix"
)

//go:embed mappings/assessments/*.toml mappings/venues/*.toml
var builtinMappings embed.FS

// builtin parses the embedded mappings of one kind with parse.
func builtin[M any](dir string, parse func(string, []byte) (*M, error), name func(*M) string) (map[string]*M, error) {
	entries, err := builtinMappings.ReadDir(path.Join("mappings", dir))
	if err != nil {
		return nil, err
	}
	out := make(map[string]*M, len(entries))
	for _, e := range entries {
		b, err := builtinMappings.ReadFile(path.Join("mappings", dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m, err := parse(e.Name(), b)
		if err != nil {
			return nil, err
		}
		out[name(m)] = m
	}
	return out, nil
}

// BuiltinMappings returns the assessment mappings shipped with illectro, by name.
func BuiltinMappings() (map[string]*Mapping, error) {
	return builtin("assessments", ParseMapping, func(m *Mapping) string { return m.Name })
}

// decodeStrict decodes TOML into v and refuses unknown keys.
func decodeStrict(name string, data []byte, v any) error {
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(v)
	if err != nil {
		return fmt.Errorf("mapping %s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return fmt.Errorf("mapping %s: unknown setting(s) %s", name, strings.Join(keys, ", "))
	}
	return nil
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(file string) (*Mapping, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return ParseMapping(file, b)
}

// ParseMapping parses and checks a mapping; name is used in messages.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	var m Mapping
	if err := decodeStrict(name, data, &m); err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	return &m, nil
}

func (m *Mapping) check() error {
	var errs []error
	if m.Name == "" {
		errs = append(errs, errors.New("name is required"))
	}
	switch m.Format {
	case "":
		m.Format = "csv"
	case "csv", "jsonl":
	default:
		errs = append(errs, fmt.Errorf("format %q: want csv or jsonl", m.Format))
	}
	f := m.Fields
	if f.RespondentID == "" {
		errs = append(errs, errors.New("fields.respondent_id is required"))
	}
	if f.AssessedAt == "" {
		errs = append(errs, errors.New("fields.assessed_at is required"))
	}
	if f.Commune == "" && f.PostalCode == "" {
		errs = append(errs, errors.New("fields.commune or fields.postal_code is required"))
	}
	if f.AgeBand == "" && f.BirthYear == "" {
		errs = append(errs, errors.New("fields.age_band or fields.birth_year is required"))
	}
	if (f.InternetLast3Months == "") == (m.Constants.InternetLast3Months == nil) {
		errs = append(errs, errors.New("internet use needs exactly one of fields.internet_last_3_months or constants.internet_last_3_months"))
	}
	a := m.Areas
	switch a.Scale {
	case scaleLevels:
		for i, cols := range a.byArea() {
			if len(cols) != 1 {
				errs = append(errs, fmt.Errorf("areas.%s: the levels scale needs exactly one column", Areas[i]))
			}
		}
	case scalePix:
		if a.LevelPrefix == "" && a.PixPrefix == "" {
			errs = append(errs, errors.New("areas: the pix scale needs level_prefix or pix_prefix"))
		}
		for i, cols := range a.byArea() {
			if len(cols) == 0 {
				errs = append(errs, fmt.Errorf("areas.%s: list the competences of the area", Areas[i]))
			}
		}
	default:
		errs = append(errs, fmt.Errorf("areas.scale %q: want levels or pix", a.Scale))
	}
	return errors.Join(errs...)
}

// columns lists every input column the mapping may read.
func (m *Mapping) columns() []string {
	f := m.Fields
	var cols []string
	for _, c := range []string{f.RespondentID, f.AssessedAt, f.Commune, f.PostalCode, f.AgeBand, f.BirthYear, f.InternetLast3Months, f.Shared} {
		if c != "" {
			cols = append(cols, c)
		}
	}
	for _, area := range m.Areas.byArea() {
		for _, c := range area {
			if m.Areas.Scale == scaleLevels {
				cols = append(cols, c)
				continue
			}
			if m.Areas.LevelPrefix != "" {
				cols = append(cols, m.Areas.LevelPrefix+c)
			}
			if m.Areas.PixPrefix != "" {
				cols = append(cols, m.Areas.PixPrefix+c)
			}
		}
	}
	return cols
}

// fits reports how many of the mapping's columns a header has, and whether
// the required ones are all there.
func (m *Mapping) fits(cols map[string]int) (matched int, ok bool) {
	for _, c := range m.columns() {
		if _, found := cols[strings.ToLower(c)]; found {
			matched++
		}
	}
	_, hasID := cols[strings.ToLower(m.Fields.RespondentID)]
	return matched, hasID && matched > 0
}

// detectMapping picks the built-in mapping that fits a header best.
func detectMapping(name string, cols map[string]int, builtins map[string]*Mapping) (*Mapping, error) {
	var best *Mapping
	bestScore := 0
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m := builtins[n]
		if s, ok := m.fits(cols); ok && s > bestScore {
			best, bestScore = m, s
		}
	}
	if best == nil {
		return nil, refusef(ErrFileFormat, "%s: no built-in mapping (%s) fits this header: write a mapping file and pass it with --mapping", name, strings.Join(names, ", "))
	}
	return best, nil
}
