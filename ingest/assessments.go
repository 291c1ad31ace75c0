package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/illectro/illectro/geo"
)

// AgeBands are the age bands of a respondent, as the marts write them.
var AgeBands = []string{"15-29", "30-44", "45-59", "60-74", "75+"}

// Areas are the five DigComp areas of the INSEE digital-skills indicator,
// in the order of the raw table's level columns.
var Areas = []string{"information", "communication", "content_creation", "safety", "problem_solving"}

func validAgeBand(s string) bool {
	for _, b := range AgeBands {
		if s == b {
			return true
		}
	}
	return false
}

// assessment is one mapped, validated and scored input row.
type assessment struct {
	line         int
	key          int64 // pseudonym: first 64 bits of HMAC-SHA256(key, respondent id)
	at           time.Time
	communeInput string // commune or postal code as written
	commune      string // current COG commune; "" when only the département is known
	departement  string
	band         string
	internet     bool
	levels       [5]Level
	basic        int
	class        Class
}

// areaColumn locates one competence (pix scale) or area (levels scale).
type areaColumn struct {
	name       string // for messages
	level, pix int    // column indexes, -1 when absent
}

// assessmentMapper applies a Mapping to the records of one file. bind is
// called once; mapRow may then be called from several goroutines, each with
// its own HMAC.
type assessmentMapper struct {
	file   string
	m      *Mapping
	codes  *geo.Codes
	postal *geo.PostalCodes
	key    []byte
	names  []string // the file's header, for messages

	id, at, commune, postalCode, band, birth, internet, shared int
	areas                                                      [5][]areaColumn
}

// bind finds the mapped columns in a header; a missing column is a
// file-level error naming every missing column.
func (a *assessmentMapper) bind(names []string, cols map[string]int) error {
	a.names = names
	var missing []string
	col := func(name string, required bool) int {
		if name == "" {
			return -1
		}
		if i, ok := cols[strings.ToLower(name)]; ok {
			return i
		}
		if required {
			missing = append(missing, name)
		}
		return -1
	}
	f := a.m.Fields
	a.id = col(f.RespondentID, true)
	a.at = col(f.AssessedAt, true)
	a.commune = col(f.Commune, f.PostalCode == "")
	a.postalCode = col(f.PostalCode, f.Commune == "")
	if a.commune < 0 && a.postalCode < 0 && f.Commune != "" && f.PostalCode != "" {
		missing = append(missing, f.Commune+" (or "+f.PostalCode+")")
	}
	a.band = col(f.AgeBand, f.BirthYear == "")
	a.birth = col(f.BirthYear, f.AgeBand == "")
	if a.band < 0 && a.birth < 0 && f.AgeBand != "" && f.BirthYear != "" {
		missing = append(missing, f.AgeBand+" (or "+f.BirthYear+")")
	}
	a.internet = col(f.InternetLast3Months, true)
	a.shared = col(f.Shared, false)
	ar := a.m.Areas
	for i, names := range ar.byArea() {
		a.areas[i] = a.areas[i][:0]
		for _, n := range names {
			c := areaColumn{name: n, level: -1, pix: -1}
			if ar.Scale == scaleLevels {
				c.level = col(n, true)
			} else {
				if ar.LevelPrefix != "" {
					c.level = col(ar.LevelPrefix+n, false)
				}
				if ar.PixPrefix != "" {
					c.pix = col(ar.PixPrefix+n, false)
				}
				if c.level < 0 && c.pix < 0 {
					missing = append(missing, ar.LevelPrefix+n)
				}
			}
			a.areas[i] = append(a.areas[i], c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing mandatory column(s) %s for mapping %s", a.file, strings.Join(missing, ", "), a.m.Name)
	}
	return nil
}

func (a *assessmentMapper) newMAC() hash.Hash { return hmac.New(sha256.New, a.key) }

// mapRow validates, pseudonymises and scores one record into out.
func (a *assessmentMapper) mapRow(rec []string, line int, mac hash.Hash, out *assessment) *RowError {
	bad := func(col int, reason string) *RowError {
		e := &RowError{File: a.file, Line: line, Reason: reason}
		if col >= 0 {
			e.Column, e.Value = a.header(col), rec[col]
		}
		return e
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	*out = assessment{line: line}
	if a.shared >= 0 {
		if v, err := parseBool(get(a.shared)); err == nil && !v {
			return bad(a.shared, "participation not shared: no results")
		}
	}
	id := get(a.id)
	if id == "" || strings.EqualFold(id, "NA") {
		return bad(a.id, "missing respondent id")
	}
	at, err := parseTimestamp(get(a.at))
	if err != nil {
		return bad(a.at, err.Error())
	}
	out.at = at

	switch c := get(a.commune); {
	case c != "":
		res, err := a.codes.Resolve(c)
		if err != nil {
			return bad(a.commune, strings.TrimPrefix(err.Error(), fmt.Sprintf("resolve %q: ", c)))
		}
		out.communeInput, out.commune, out.departement = c, res.Code, res.Departement
	case get(a.postalCode) != "":
		p := get(a.postalCode)
		if a.postal == nil {
			return bad(a.postalCode, "postal codes cannot be resolved: no postal code table loaded")
		}
		m, err := a.postal.Lookup(p)
		if err != nil {
			return bad(a.postalCode, err.Error())
		}
		if m.Departement == "" {
			return bad(a.postalCode, "postal code serves communes of several départements: cannot place the respondent")
		}
		out.communeInput, out.commune, out.departement = p, m.Commune, m.Departement
	default:
		col := a.commune
		if col < 0 {
			col = a.postalCode
		}
		return bad(col, "missing commune (neither an INSEE code nor a postal code)")
	}

	if v := get(a.band); v != "" || a.birth < 0 {
		if out.band, err = parseAgeBand(v); err != nil {
			return bad(a.band, err.Error())
		}
	} else if out.band, err = ageBandFromBirthYear(get(a.birth), at); err != nil {
		return bad(a.birth, err.Error())
	}

	if a.internet >= 0 {
		if out.internet, err = parseBool(get(a.internet)); err != nil {
			return bad(a.internet, err.Error())
		}
	} else {
		out.internet = *a.m.Constants.InternetLast3Months
	}

	if a.m.Areas.Scale == scaleLevels {
		for i, cols := range a.areas {
			c := cols[0].level
			n, err := parseCount(get(c))
			if err != nil {
				return bad(c, err.Error())
			}
			if n > 2 {
				return bad(c, "level out of range (0 none, 1 basic, 2 above basic)")
			}
			out.levels[i] = Level(n)
		}
	} else {
		var comp [8]int
		for i, cols := range a.areas {
			levels := comp[:0]
			assessed := false
			for _, c := range cols {
				l, ok, rerr := a.pixLevel(rec, c, bad)
				if rerr != nil {
					return rerr
				}
				assessed = assessed || ok
				levels = append(levels, l)
			}
			if !assessed {
				return bad(-1, fmt.Sprintf("area %s not assessed (every competence is NA or empty)", Areas[i]))
			}
			out.levels[i] = PixAreaLevel(levels)
		}
	}
	out.basic, out.class = Classify(out.internet, out.levels)

	out.key = pseudonym(mac, id)
	return nil
}

// pseudonym is the first 64 bits of HMAC-SHA256(key, id), as a signed
// integer. Without the key it cannot be computed from an id, so it cannot be
// linked back to a person; 64 bits keep two of 10 million respondents from
// sharing a pseudonym with probability 1 − e^(−n²/2⁶⁵) ≈ 3·10⁻⁶.
func pseudonym(mac hash.Hash, id string) int64 {
	mac.Reset()
	mac.Write([]byte(id))
	var sum [sha256.Size]byte
	return int64(binary.BigEndian.Uint64(mac.Sum(sum[:0])))
}

// pixLevel reads one competence: its level column when present and filled,
// else floor(pix / 8). ok is false when the competence is NA or empty.
func (a *assessmentMapper) pixLevel(rec []string, c areaColumn, bad func(int, string) *RowError) (level int, ok bool, rerr *RowError) {
	for _, col := range []int{c.level, c.pix} {
		if col < 0 {
			continue
		}
		v := strings.TrimSpace(rec[col])
		if v == "" || strings.EqualFold(v, "NA") {
			continue
		}
		n, err := parseCount(v)
		if err != nil {
			return 0, false, bad(col, err.Error())
		}
		if col == c.level {
			if n > 8 {
				return 0, false, bad(col, "Pix level out of range (0–8)")
			}
			return int(n), true, nil
		}
		if n > 1024 {
			return 0, false, bad(col, "pix points out of range (0–1024)")
		}
		return PixLevel(int(n)), true, nil
	}
	return 0, false, nil
}

func (a *assessmentMapper) header(col int) string {
	if col < 0 || col >= len(a.names) {
		return ""
	}
	return a.names[col]
}

// assessmentSchema is the Arrow schema of raw_assessments, column for
// column, after file_id, which is the same for a whole file and is given as a
// constant.
var assessmentSchema = arrow.NewSchema([]arrow.Field{
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "respondent_key", Type: arrow.PrimitiveTypes.Int64},
	{Name: "assessed_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
	{Name: "code_insee_input", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "code_insee", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "code_departement", Type: arrow.BinaryTypes.String},
	{Name: "age_band", Type: arrow.BinaryTypes.String},
	{Name: "internet_last_3_months", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "level_information", Type: arrow.PrimitiveTypes.Int8},
	{Name: "level_communication", Type: arrow.PrimitiveTypes.Int8},
	{Name: "level_content_creation", Type: arrow.PrimitiveTypes.Int8},
	{Name: "level_safety", Type: arrow.PrimitiveTypes.Int8},
	{Name: "level_problem_solving", Type: arrow.PrimitiveTypes.Int8},
	{Name: "areas_basic", Type: arrow.PrimitiveTypes.Int8},
	{Name: "skills_class", Type: arrow.BinaryTypes.String},
}, nil)

// batchBuilder accumulates assessments into Arrow record batches.
type batchBuilder struct {
	b *array.RecordBuilder
	n int
}

func newBatchBuilder() *batchBuilder {
	return &batchBuilder{b: array.NewRecordBuilder(memory.DefaultAllocator, assessmentSchema)}
}

func (bb *batchBuilder) add(a *assessment) {
	f := bb.b.Fields()
	f[0].(*array.Int64Builder).Append(int64(a.line))
	f[1].(*array.Int64Builder).Append(a.key)
	f[2].(*array.TimestampBuilder).Append(arrow.Timestamp(a.at.UnixMicro()))
	if a.communeInput == a.commune { // stored only when it tells something
		f[3].AppendNull()
	} else {
		f[3].(*array.StringBuilder).Append(a.communeInput)
	}
	if a.commune == "" {
		f[4].AppendNull()
	} else {
		f[4].(*array.StringBuilder).Append(a.commune)
	}
	f[5].(*array.StringBuilder).Append(a.departement)
	f[6].(*array.StringBuilder).Append(a.band)
	f[7].(*array.BooleanBuilder).Append(a.internet)
	for i, l := range a.levels {
		f[8+i].(*array.Int8Builder).Append(int8(l))
	}
	f[13].(*array.Int8Builder).Append(int8(a.basic))
	f[14].(*array.StringBuilder).Append(string(a.class))
	bb.n++
}

// flush returns the batch built so far (nil when empty) and starts a new one.
func (bb *batchBuilder) flush() arrow.Record {
	if bb.n == 0 {
		return nil
	}
	bb.n = 0
	return bb.b.NewRecord()
}

func (bb *batchBuilder) release() { bb.b.Release() }

var errTooManyRejects = errors.New("too many rejected rows")
