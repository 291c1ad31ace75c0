package ingest

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/illectro/illectro/geo"
)

// socioParser reads per-commune socio-demographic rates in the layout of
// the Data For Good "indice de fragilité numérique" inputs (INSEE census
// 2017, Filosofi; percentages 0–100; an empty cell is a figure withheld by
// statistical secrecy, stored as NULL). Codes are those of the file's COG;
// they are resolved to current communes, and stg_socio__communes combines
// merged communes, weighted by population.
type socioParser struct {
	file  string
	codes *geo.Codes
	code  int
	rates []int // column of each socioRates entry, -1 when absent
}

// socioRates are the rate columns, in raw_socio order, with their range.
var socioRates = []struct {
	column string
	max    float64
}{
	{"tx_poverty", 100}, {"tx_nscol15p", 100}, {"tx_menseul", 100}, {"tx_fammono", 100},
	{"tx_65etplus", 100}, {"tx_25etmoins", 100}, {"tx_demandeur_emplois", 100}, {"couverture_hd_thd", 1},
}

func (p *socioParser) rawTable() string     { return "raw_socio" }
func (p *socioParser) headerKeys() []string { return []string{"code_insee"} }

func (p *socioParser) prepare(t *table) (string, error) {
	idx, err := t.require("code_insee", "tx_65etplus", "tx_nscol15p")
	if err != nil {
		return "", err
	}
	p.code = idx[0]
	p.rates = make([]int, len(socioRates))
	for i, r := range socioRates {
		p.rates[i] = t.optional(r.column)
	}
	return "ifn_inputs", nil
}

func (p *socioParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	code := strings.TrimSpace(rec[p.code])
	res, err := p.codes.Resolve(code)
	if err != nil {
		return nil, rowError(p.file, line, "code_insee", code, err)
	}
	vals := []driver.Value{code, res.Code, res.Departement}
	for i, r := range socioRates {
		var v any
		if c := p.rates[i]; c >= 0 && strings.TrimSpace(rec[c]) != "" {
			f, err := parseFloat(rec[c])
			if err != nil || f < 0 || f > r.max {
				return nil, rowError(p.file, line, r.column, rec[c], because(ErrOutOfRange, fmt.Sprintf("not a rate between 0 and %g", r.max)))
			}
			v = f
		}
		vals = append(vals, v)
	}
	return vals, nil
}
