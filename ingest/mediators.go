package ingest

import (
	"database/sql/driver"
	"strings"

	"github.com/illectro/illectro/geo"
)

// mediatorParser reads the Conseiller numérique France Services export of
// host structures: posts attributed and recruited per structure, with the
// structure's commune.
type mediatorParser struct {
	file  string
	codes *geo.Codes
	idx   []int // nom_structure, code_insee, nb_conseillers_attribues, nb_conseillers_recrutes
	siret int
	cp    int
}

func (p *mediatorParser) rawTable() string     { return "raw_mediator_structures" }
func (p *mediatorParser) headerKeys() []string { return []string{"nom_structure"} }

func (p *mediatorParser) prepare(t *table) (string, error) {
	idx, err := t.require("nom_structure", "code_insee", "nb_conseillers_attribues", "nb_conseillers_recrutes")
	if err != nil {
		return "", err
	}
	p.idx, p.siret, p.cp = idx, t.optional("siret"), t.optional("code_postal")
	return "cnfs_structures", nil
}

func (p *mediatorParser) row(rec []string, line int) ([]driver.Value, *RowError) {
	bad := func(col, val string, err error) *RowError {
		return rowError(p.file, line, col, val, err)
	}
	nom := strings.TrimSpace(rec[p.idx[0]])
	if nom == "" {
		return nil, bad("nom_structure", nom, because(ErrMissing, "missing structure name"))
	}
	code := strings.TrimSpace(rec[p.idx[1]])
	res, err := p.codes.Resolve(code)
	if err != nil {
		return nil, bad("code_insee", code, err)
	}
	attributed, err := parseCount(rec[p.idx[2]])
	if err != nil {
		return nil, bad("nb_conseillers_attribues", rec[p.idx[2]], err)
	}
	recruited, err := parseCount(rec[p.idx[3]])
	if err != nil {
		return nil, bad("nb_conseillers_recrutes", rec[p.idx[3]], err)
	}
	opt := func(i int) any {
		if i < 0 {
			return nil
		}
		return nullString(strings.TrimSpace(rec[i]))
	}
	return []driver.Value{nom, opt(p.siret), code, res.Code, res.Departement, opt(p.cp), int32(attributed), int32(recruited)}, nil
}
