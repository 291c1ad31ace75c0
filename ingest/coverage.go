package ingest

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/illectro/illectro/geo"
)

// coverageParser reads ARCEP "Ma connexion internet" per-commune files. Two
// formats exist: the 2019 beta file (a disclaimer line before the header, an
// elig_hd8 column, speed classes that are exclusive bins adding up to nbr) and
// the current files (elig_bhd8, cumulative classes: elig_thd100 ⊂ elig_thd30).
// Rows are stored as read; stg_coverage__communes normalises both.
type coverageParser struct {
	file      string
	codes     *geo.Codes
	format    string
	exclusive bool
	idx       []int
}

const (
	formatArcepBeta       = "arcep_beta_exclusive"
	formatArcepCumulative = "arcep_cumulative"
)

func (p *coverageParser) rawTable() string     { return "raw_coverage" }
func (p *coverageParser) headerKeys() []string { return []string{"code_insee"} }

func (p *coverageParser) prepare(t *table) (string, error) {
	hd8 := "elig_bhd8"
	format := formatArcepCumulative
	_, hasOld := t.cols["elig_hd8"]
	_, hasNew := t.cols["elig_bhd8"]
	switch {
	case hasOld && hasNew:
		return "", refusef(ErrFileFormat, "%s: both elig_hd8 and elig_bhd8 columns: cannot tell the ARCEP format", t.name)
	case hasOld:
		hd8, format, p.exclusive = "elig_hd8", formatArcepBeta, true
	}
	idx, err := t.require("code_insee", "date", "nbr", "inel_hd", "elig_hd05", "elig_hd3", hd8, "elig_thd30", "elig_thd100", "elig_thd1g")
	if err != nil {
		return "", err
	}
	p.idx, p.format = idx, format
	return format, nil
}

var coverageCounts = []string{"nbr", "inel_hd", "elig_hd05", "elig_hd3", "elig_hd8", "elig_thd30", "elig_thd100", "elig_thd1g"}

func (p *coverageParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	bad := func(col, val string, err error) *RowError {
		return rowError(p.file, line, col, val, err)
	}
	code := strings.TrimSpace(rec[p.idx[0]])
	res, err := p.codes.Resolve(code)
	if err != nil {
		return nil, bad("code_insee", code, err)
	}
	date, err := parseDate(rec[p.idx[1]])
	if err != nil {
		return nil, bad("date", rec[p.idx[1]], err)
	}
	var n [8]int64
	for i := range n {
		v := rec[p.idx[2+i]]
		if n[i], err = parseCount(v); err != nil {
			return nil, bad(coverageCounts[i], v, err)
		}
	}
	nbr := n[0]
	if p.exclusive {
		var sum int64
		for _, c := range n[1:] {
			sum += c
		}
		if sum != nbr {
			return nil, bad("nbr", rec[p.idx[2]], because(ErrInconsistent, fmt.Sprintf("speed classes add up to %d, not nbr (the beta format's classes are exclusive)", sum)))
		}
	} else {
		// ≥ 8, ≥ 30, ≥ 100 Mbit/s and ≥ 1 Gbit/s are nested sets within nbr.
		for i := 4; i < 8; i++ {
			if n[i] > nbr || (i > 4 && n[i] > n[i-1]) {
				return nil, bad(coverageCounts[i], rec[p.idx[2+i]], because(ErrInconsistent, "cumulative speed classes must shrink as speed grows and never exceed nbr"))
			}
		}
	}
	vals := []driver.Value{p.format, code, res.Code, res.Departement, date}
	for _, c := range n {
		vals = append(vals, c)
	}
	return vals, nil
}
