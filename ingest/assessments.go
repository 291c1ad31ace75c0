package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/illectro/illectro/geo"
)

// AgeBands are the age bands of a respondent, as the assessment files and
// the marts write them.
var AgeBands = []string{"15-29", "30-44", "45-59", "60-74", "75+"}

// Areas are the five DigComp areas of the INSEE digital-skills indicator,
// in the order of the raw table's level columns.
var Areas = []string{"information", "communication", "content_creation", "safety", "problem_solving"}

// assessmentParser reads the generic assessment format (the one
// `illectro gen assessments` writes): one row per person and assessment,
// with a level per DigComp area: 0 none, 1 basic, 2 above basic.
type assessmentParser struct {
	file  string
	codes *geo.Codes
	key   []byte
	mac   hash.Hash
	idx   []int
}

var assessmentColumns = append([]string{"respondent_id", "assessed_on", "code_insee", "age_band", "internet_last_3_months"}, Areas...)

func (p *assessmentParser) rawTable() string  { return "raw_assessments" }
func (p *assessmentParser) headerKey() string { return "respondent_id" }

func (p *assessmentParser) prepare(t *table) (string, error) {
	idx, err := t.require(assessmentColumns...)
	if err != nil {
		return "", err
	}
	p.idx = idx
	p.mac = hmac.New(sha256.New, p.key)
	return "illectro_generic", nil
}

func (p *assessmentParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	bad := func(col, val, reason string) *RowError {
		return &RowError{File: p.file, Line: line, Column: col, Value: val, Reason: reason}
	}
	get := func(i int) string { return strings.TrimSpace(rec[p.idx[i]]) }

	id := get(0)
	if id == "" {
		return nil, bad("respondent_id", id, "missing respondent id")
	}
	date, err := parseDate(get(1))
	if err != nil {
		return nil, bad("assessed_on", get(1), err.Error())
	}
	res, err := p.codes.Resolve(get(2))
	if err != nil {
		return nil, bad("code_insee", get(2), err.Error())
	}
	band := get(3)
	if !validAgeBand(band) {
		return nil, bad("age_band", band, "unknown age band (want 15-29, 30-44, 45-59, 60-74 or 75+)")
	}
	internet, err := parseBool(get(4))
	if err != nil {
		return nil, bad("internet_last_3_months", get(4), err.Error())
	}
	vals := make([]driver.Value, 0, 13)
	p.mac.Reset()
	p.mac.Write([]byte(id))
	vals = append(vals, hex.EncodeToString(p.mac.Sum(nil)), date, get(2), res.Code, res.Departement, band, internet)
	for i, area := range Areas {
		v := get(5 + i)
		n, err := parseCount(v)
		if err != nil {
			return nil, bad(area, v, err.Error())
		}
		if n > 2 {
			return nil, bad(area, v, "level out of range (0 none, 1 basic, 2 above basic)")
		}
		vals = append(vals, int8(n))
	}
	return vals, nil
}

func validAgeBand(s string) bool {
	for _, b := range AgeBands {
		if s == b {
			return true
		}
	}
	return false
}
