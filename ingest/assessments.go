package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	gosql "database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
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
	synthetic    bool // the respondent id carries SyntheticIDPrefix
}

// SyntheticIDPrefix starts every respondent id illectro gen writes: a file
// whose loaded rows all carry it is recorded as synthetic, and every page
// then says so, whatever the file is named.
const SyntheticIDPrefix = "SYN-"

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
		return refusef(ErrFileColumns, "%s: missing mandatory column(s) %s for mapping %s", a.file, strings.Join(missing, ", "), a.m.Name)
	}
	return nil
}

// newPseudonymiser returns a pseudonymiser for one goroutine.
func (a *assessmentMapper) newPseudonymiser() *pseudonymiser {
	return &pseudonymiser{mac: hmac.New(sha256.New, a.key)}
}

// mapRow validates, pseudonymises and scores one record into out.
func (a *assessmentMapper) mapRow(rec []string, line int, ps *pseudonymiser, out *assessment) *RowError {
	bad := func(col int, err error) *RowError {
		if col < 0 {
			return rowError(a.file, line, "", "", err)
		}
		return rowError(a.file, line, a.header(col), rec[col], err)
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return trimSpace(rec[i])
	}
	*out = assessment{line: line}
	if a.shared >= 0 {
		if v, err := parseBool(get(a.shared)); err == nil && !v {
			return bad(a.shared, because(ErrNotShared, "participation not shared: no results"))
		}
	}
	id := get(a.id)
	if id == "" || strings.EqualFold(id, "NA") {
		return bad(a.id, because(ErrMissing, "missing respondent id"))
	}
	out.synthetic = strings.HasPrefix(id, SyntheticIDPrefix)
	at, err := parseTimestamp(get(a.at))
	if err != nil {
		return bad(a.at, err)
	}
	out.at = at

	switch c := get(a.commune); {
	case c != "":
		res, err := a.codes.Resolve(c)
		if err != nil {
			return bad(a.commune, err)
		}
		out.communeInput, out.commune, out.departement = c, res.Code, res.Departement
	case get(a.postalCode) != "":
		p := get(a.postalCode)
		if a.postal == nil {
			return bad(a.postalCode, because(ErrAmbiguousPlace, "postal codes cannot be resolved: no postal code table loaded"))
		}
		m, err := a.postal.Lookup(p)
		if err != nil {
			return bad(a.postalCode, err)
		}
		if m.Departement == "" {
			return bad(a.postalCode, because(ErrAmbiguousPlace, "postal code serves communes of several départements: cannot place the respondent"))
		}
		out.communeInput, out.commune, out.departement = p, m.Commune, m.Departement
	default:
		col := a.commune
		if col < 0 {
			col = a.postalCode
		}
		return bad(col, because(ErrMissing, "missing commune (neither an INSEE code nor a postal code)"))
	}

	if v := get(a.band); v != "" || a.birth < 0 {
		if out.band, err = parseAgeBand(v); err != nil {
			return bad(a.band, err)
		}
	} else if out.band, err = ageBandFromBirthYear(get(a.birth), at); err != nil {
		return bad(a.birth, err)
	}

	if a.internet >= 0 {
		if out.internet, err = parseBool(get(a.internet)); err != nil {
			return bad(a.internet, err)
		}
	} else {
		out.internet = *a.m.Constants.InternetLast3Months
	}

	if a.m.Areas.Scale == scaleLevels {
		for i, cols := range a.areas {
			c := cols[0].level
			n, err := parseCount(get(c))
			if err != nil {
				return bad(c, err)
			}
			if n > 2 {
				return bad(c, because(ErrOutOfRange, "level out of range (0 none, 1 basic, 2 above basic)"))
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
				return bad(-1, because(ErrIncomplete, fmt.Sprintf("area %s not assessed (every competence is NA or empty)", Areas[i])))
			}
			out.levels[i] = PixAreaLevel(levels)
		}
	}
	out.basic, out.class = Classify(out.internet, out.levels)

	out.key = ps.pseudonym(id)
	return nil
}

// pseudonymiser computes pseudonyms on one goroutine: its HMAC, and room
// for the id and the sum so that a pseudonym allocates nothing.
type pseudonymiser struct {
	mac hash.Hash
	id  []byte
	sum [sha256.Size]byte
}

// pseudonym is the first 64 bits of HMAC-SHA256(key, id), as a signed
// integer. Without the key it cannot be computed from an id, so it cannot be
// linked back to a person; 64 bits keep two of 10 million respondents from
// sharing a pseudonym with probability 1 − e^(−n²/2⁶⁵) ≈ 3·10⁻⁶.
func (p *pseudonymiser) pseudonym(id string) int64 {
	p.mac.Reset()
	p.id = append(p.id[:0], id...)
	p.mac.Write(p.id)
	return int64(binary.BigEndian.Uint64(p.mac.Sum(p.sum[:0])))
}

// pixLevel reads one competence: its level column when present and filled,
// else floor(pix / 8). ok is false when the competence is NA or empty.
func (a *assessmentMapper) pixLevel(rec []string, c areaColumn, bad func(int, error) *RowError) (level int, ok bool, rerr *RowError) {
	for _, col := range []int{c.level, c.pix} {
		if col < 0 {
			continue
		}
		v := trimSpace(rec[col])
		if v == "" || strings.EqualFold(v, "NA") {
			continue
		}
		n, err := parseCount(v)
		if err != nil {
			return 0, false, bad(col, err)
		}
		if col == c.level {
			if n > 8 {
				return 0, false, bad(col, because(ErrOutOfRange, "Pix level out of range (0–8)"))
			}
			return int(n), true, nil
		}
		if n > 1024 {
			return 0, false, bad(col, because(ErrOutOfRange, "pix points out of range (0–1024)"))
		}
		return PixLevel(int(n)), true, nil
	}
	return 0, false, nil
}

// trimSpace is strings.TrimSpace, without a call for the usual field that
// starts and ends with a printable ASCII character. (Every space TrimSpace
// removes is ASCII up to ' ' or starts with a byte of 0x80 or more.)
func trimSpace(s string) string {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < utf8.RuneSelf && s[n-1] > ' ' && s[n-1] < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
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

// batchBuilder accumulates assessments into Arrow record batches. It writes
// each value at its row in plain Go slices, one per column, and flush makes
// the record straight from them, without Arrow's builders and their
// per-value bookkeeping. Each batch gets new slices, so a record owns its
// memory and stays valid, however long DuckDB keeps it, while the builder
// fills the next batch.
type batchBuilder struct {
	n    int // rows in the batch; the slices have room for more
	rows int // room in a new batch: the largest batch so far
	// Values by row. Writing by index, rather than appending, stores no
	// slice header per value, and so costs no GC write barrier.
	lines, keys       []int64
	ats               []arrow.Timestamp
	input, commune    stringColumn // nullable
	departement, band stringColumn
	internet          []byte // bit-packed, as Arrow booleans are
	levels            [5][]int8
	basic             []int8
	class             stringColumn
}

// firstBatchRows is the room in a builder's first batch; it doubles as
// needed, up to batchRows.
const firstBatchRows = 1024

// newBatchBuilder returns an empty builder.
func newBatchBuilder() *batchBuilder {
	bb := &batchBuilder{rows: firstBatchRows}
	bb.input.nullable, bb.commune.nullable = true, true
	return bb
}

// reserve makes room for rows rows in every column.
func (bb *batchBuilder) reserve(rows int) {
	bb.lines, bb.keys = grown(bb.lines, rows), grown(bb.keys, rows)
	bb.ats = grown(bb.ats, rows)
	for _, c := range []*stringColumn{&bb.input, &bb.commune, &bb.departement, &bb.band, &bb.class} {
		c.reserve(rows)
	}
	bb.internet = grown(bb.internet, bitmapBytes(rows))
	for i := range bb.levels {
		bb.levels[i] = grown(bb.levels[i], rows)
	}
	bb.basic = grown(bb.basic, rows)
}

// add appends one assessment to the batch.
func (bb *batchBuilder) add(a *assessment) {
	n := bb.n
	if n == len(bb.lines) { // a new batch, or a full one
		bb.reserve(max(bb.rows, min(2*n, batchRows), n+1))
	}
	bb.lines[n] = int64(a.line)
	bb.keys[n] = a.key
	bb.ats[n] = arrow.Timestamp(a.at.UnixMicro())
	if a.communeInput == a.commune { // stored only when it tells something
		bb.input.addNull(n)
	} else {
		bb.input.add(n, a.communeInput)
	}
	if a.commune == "" {
		bb.commune.addNull(n)
	} else {
		bb.commune.add(n, a.commune)
	}
	bb.departement.add(n, a.departement)
	bb.band.add(n, a.band)
	if a.internet {
		setBit(bb.internet, n)
	}
	for i, l := range a.levels {
		bb.levels[i][n] = int8(l)
	}
	bb.basic[n] = int8(a.basic)
	bb.class.add(n, string(a.class))
	bb.n++
}

// flush returns the batch built so far (nil when empty) and starts a new one.
// The record's buffers are the batch's slices, which the builder forgets.
func (bb *batchBuilder) flush() arrow.Record {
	n := bb.n
	if n == 0 {
		return nil
	}
	cols := make([]arrow.Array, 0, assessmentSchema.NumFields())
	// column makes the schema's next column from its buffers.
	column := func(bufs []*memory.Buffer, nulls int) {
		d := array.NewData(assessmentSchema.Field(len(cols)).Type, n, bufs, nil, nulls, 0)
		cols = append(cols, array.MakeFromData(d))
		d.Release()
	}
	fixed := func(values []byte) { // never null: no validity bitmap
		column([]*memory.Buffer{nil, memory.NewBufferBytes(values)}, 0)
	}
	fixed(arrow.Int64Traits.CastToBytes(bb.lines[:n]))
	fixed(arrow.Int64Traits.CastToBytes(bb.keys[:n]))
	fixed(arrow.TimestampTraits.CastToBytes(bb.ats[:n]))
	column(bb.input.take(n))
	column(bb.commune.take(n))
	column(bb.departement.take(n))
	column(bb.band.take(n))
	fixed(bb.internet[:bitmapBytes(n)])
	for _, l := range bb.levels {
		fixed(arrow.Int8Traits.CastToBytes(l[:n]))
	}
	fixed(arrow.Int8Traits.CastToBytes(bb.basic[:n]))
	column(bb.class.take(n))

	rec := array.NewRecord(assessmentSchema, cols, int64(n))
	for _, c := range cols {
		c.Release() // rec holds its own reference
	}
	bb.n, bb.rows = 0, max(bb.rows, n)
	bb.lines, bb.keys, bb.ats, bb.internet, bb.levels, bb.basic = nil, nil, nil, nil, [5][]int8{}, nil
	return rec
}

// stringColumn is an Arrow utf8 column being filled: the values end to end,
// the end offset of row i's value at offsets[i+1] after a leading 0, and
// for a nullable column a validity bitmap (1 = valid). Like the builder's
// other slices, they are written by index and have room to spare.
type stringColumn struct {
	nullable bool
	offsets  []int32
	data     []byte
	valid    []byte
	nulls    int
	size     int // room for values in a new batch: the most bytes so far
}

// reserve makes room for rows rows, and in a new batch for as many bytes of
// values as the largest batch so far.
func (c *stringColumn) reserve(rows int) {
	if c.offsets == nil {
		c.data = make([]byte, c.size)
	}
	c.offsets = grown(c.offsets, rows+1)
	if c.nullable {
		c.valid = grown(c.valid, bitmapBytes(rows))
	}
}

// add sets the value of row n, the next row.
func (c *stringColumn) add(n int, s string) {
	if c.nullable {
		setBit(c.valid, n)
	}
	start := int(c.offsets[n])
	end := start + len(s)
	if end > len(c.data) {
		c.data = grown(c.data, max(2*len(c.data), end))
	}
	copy(c.data[start:end], s)
	c.offsets[n+1] = int32(end)
}

// addNull makes row n, the next row, null; the column must be nullable.
func (c *stringColumn) addNull(n int) {
	c.nulls++
	c.offsets[n+1] = c.offsets[n]
}

// take hands the buffers of a batch of n rows (validity, offsets, values)
// and its null count over to a record, and forgets them.
func (c *stringColumn) take(n int) ([]*memory.Buffer, int) {
	var valid *memory.Buffer
	if c.nullable {
		valid = memory.NewBufferBytes(c.valid[:bitmapBytes(n)])
	}
	size := int(c.offsets[n])
	bufs := []*memory.Buffer{valid, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(c.offsets[:n+1])), memory.NewBufferBytes(c.data[:size])}
	nulls := c.nulls
	c.size = max(c.size, size)
	c.offsets, c.data, c.valid, c.nulls = nil, nil, nil, 0
	return bufs, nulls
}

// grown returns s if it has size elements or more, else a copy of s
// extended with zeros to size elements.
func grown[T any](s []T, size int) []T {
	if size <= len(s) {
		return s
	}
	t := make([]T, size)
	copy(t, s)
	return t
}

// setBit sets bit i of an Arrow bitmap: bit i%8 of byte i/8.
func setBit(bits []byte, i int) { bits[i/8] |= 1 << (i % 8) }

// bitmapBytes is the size of a bitmap of n bits.
func bitmapBytes(n int) int { return (n + 7) / 8 }

// KeyCheck is the key check value of a pseudonymisation key: the first 8
// bytes of HMAC-SHA256(key, "illectro key check"), in hex. Stored per source
// beside the pseudonyms it made, it tells a changed key without revealing
// anything of it.
func KeyCheck(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("illectro key check"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// checkKey refuses a file of real self-assessments of source when the key
// check value recorded for the source differs from check (the key changed:
// every respondent would be counted again under a new pseudonym), and
// records check with the source's first file.
func checkKey(ctx context.Context, conn *gosql.Conn, file, source, check string) error {
	var stored string
	err := conn.QueryRowContext(ctx, isql.IngestKeyCheck, source).Scan(&stored)
	switch {
	case errors.Is(err, gosql.ErrNoRows):
		if _, err := conn.ExecContext(ctx, isql.IngestKeyCheckInsert, source, check); err != nil {
			return refusef(ErrFileDatabase, "%s: record the key check value: %w", file, err)
		}
		return nil
	case err != nil:
		return refusef(ErrFileDatabase, "%s: read the key check value: %w", file, err)
	case stored != check:
		return refusef(ErrFileKeyChanged, "%s: the pseudonymisation key (key check %s) is not the one the respondents of source %q already stored were pseudonymised with (key check %s): each of them would be counted again. Set the original ILLECTRO_HMAC_KEY or hmac_key_file, or load into a new database", file, check, source, stored)
	}
	return nil
}
