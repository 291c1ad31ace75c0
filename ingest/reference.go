package ingest

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
)

// Reference is the embedded reference data, parsed once per process.
type Reference struct {
	Departements []geo.Departement
	Communes     []geo.Commune
	Centroids    []geo.Centroid
	COG          []geo.COGCommune
	Movements    []geo.Movement
	PostalCodes  *geo.PostalCodes
	// AttractionAreas are the communes' AAV2020 categories.
	AttractionAreas []geo.AttractionArea
	// EPCIs are the communes' intercommunalities (2026).
	EPCIs []geo.CommuneEPCI
	// EPCIList are the intercommunalities themselves (2026).
	EPCIList []geo.EPCI
	// Fingerprint identifies the embedded data (geo.Fingerprint).
	Fingerprint string
}

// LoadReference parses the reference data embedded in the geo package.
func LoadReference() (*Reference, error) {
	var r Reference
	var err error
	if r.Departements, err = geo.Departements(); err != nil {
		return nil, err
	}
	if r.Communes, err = geo.Communes(); err != nil {
		return nil, err
	}
	if r.Centroids, err = geo.Centroids(); err != nil {
		return nil, err
	}
	if r.COG, err = geo.COGCommunes(); err != nil {
		return nil, err
	}
	if r.Movements, err = geo.Movements(); err != nil {
		return nil, err
	}
	if r.PostalCodes, err = geo.LoadPostalCodes(); err != nil {
		return nil, err
	}
	if r.AttractionAreas, err = geo.AttractionAreas(); err != nil {
		return nil, err
	}
	if r.EPCIs, err = geo.EPCIs(); err != nil {
		return nil, err
	}
	if r.EPCIList, err = geo.EPCIList(); err != nil {
		return nil, err
	}
	if r.Fingerprint, err = geo.Fingerprint(); err != nil {
		return nil, err
	}
	return &r, nil
}

// CommuneNameIndex maps département + "|" + normalised name to the
// current commune of that name: current communes, communes déléguées and
// associées (to the commune they belong to) and former communes of the
// merger history (to the commune they became). A name that leads to two
// communes of one département is left out, as is any current commune's
// name used by a former one elsewhere in the same département.
func (r *Reference) CommuneNameIndex(codes *geo.Codes) map[string]string {
	idx := make(map[string]string, len(r.COG))
	current := make(map[string]bool, len(r.Communes))
	ambiguous := map[string]bool{}
	add := func(code, name string, isCurrent bool) {
		res, err := codes.Resolve(code)
		if err != nil || name == "" {
			return
		}
		key := res.Departement + "|" + normaliseName(name)
		switch prev, ok := idx[key]; {
		case isCurrent:
			idx[key], current[key] = res.Code, true // a current name always wins
		case current[key] || ambiguous[key]:
		case ok && prev != res.Code:
			delete(idx, key)
			ambiguous[key] = true
		default:
			idx[key] = res.Code
		}
	}
	for _, c := range r.Communes {
		add(c.Code, c.Nom, true)
	}
	parents := make(map[string]string, len(r.Communes))
	for _, c := range r.Communes {
		parents[c.Code] = normaliseName(c.Nom)
	}
	for _, c := range r.COG {
		if c.Type == "COM" {
			continue
		}
		add(c.Code, c.Nom, false)
		// "Hellemmes-Lille" is also known as "Hellemmes": a commune associée
		// or déléguée whose name ends with its parent's.
		if p := parents[c.Parent]; p != "" {
			if short, ok := strings.CutSuffix(normaliseName(c.Nom), " "+p); ok && short != "" {
				add(c.Code, short, false)
			}
		}
	}
	for _, m := range r.Movements {
		add(m.CodeBefore, m.NomBefore, false)
	}
	return idx
}

// StoreReference replaces the ref_* tables with r in one transaction, so a
// reader never sees them half-written. Tables already holding the same data
// (same fingerprint) are left alone: rewriting them costs seconds and grows
// the file.
func StoreReference(ctx context.Context, db *gosql.DB, r *Reference) error {
	var stored string
	err := db.QueryRowContext(ctx, "SELECT fingerprint FROM ref_version").Scan(&stored)
	switch {
	case err == nil && stored == r.Fingerprint:
		return nil
	case err != nil && !errors.Is(err, gosql.ErrNoRows):
		return fmt.Errorf("read reference version: %w", err)
	}
	tables := []string{"ref_departements", "ref_communes", "ref_commune_centroids", "ref_cog_communes", "ref_cog_mouvements", "ref_commune_aav", "ref_commune_epci", "ref_epci"}
	return isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		for _, t := range tables {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		err := conn.Raw(func(dc any) error {
			c := dc.(driver.Conn)
			if err := appendAll(c, "ref_departements", len(r.Departements), func(i int) []driver.Value {
				d := r.Departements[i]
				return []driver.Value{d.Code, d.Nom, d.CodeRegion, d.NomRegion, d.ChefLieu, int32(d.Communes), d.Population}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_communes", len(r.Communes), func(i int) []driver.Value {
				m := r.Communes[i]
				return []driver.Value{m.Code, m.Nom, m.CodeDepartement, m.CodeRegion, m.PopulationMunicipale, m.PopulationTotale}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_commune_centroids", len(r.Centroids), func(i int) []driver.Value {
				m := r.Centroids[i]
				return []driver.Value{m.Code, m.Type, m.Point.Lon(), m.Point.Lat(), m.AreaKm2, m.Population2021, m.Population15to64}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_cog_communes", len(r.COG), func(i int) []driver.Value {
				m := r.COG[i]
				return []driver.Value{m.Type, m.Code, m.CodeDepartement, nullString(m.CodeRegion), m.Nom, nullString(m.Parent)}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_commune_aav", len(r.AttractionAreas), func(i int) []driver.Value {
				a := r.AttractionAreas[i]
				return []driver.Value{a.Code, int32(a.Category), int32(a.Size)}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_commune_epci", len(r.EPCIs), func(i int) []driver.Value {
				e := r.EPCIs[i]
				return []driver.Value{e.Code, nullString(e.EPCI)}
			}); err != nil {
				return err
			}
			if err := appendAll(c, "ref_epci", len(r.EPCIList), func(i int) []driver.Value {
				e := r.EPCIList[i]
				return []driver.Value{e.Code, e.Name, e.Type, e.Population}
			}); err != nil {
				return err
			}
			var bad error
			err := appendAll(c, "ref_cog_mouvements", len(r.Movements), func(i int) []driver.Value {
				m := r.Movements[i]
				d, err := time.Parse("2006-01-02", m.Date)
				if err != nil && bad == nil {
					bad = fmt.Errorf("movement %d: date %q: %w", i, m.Date, err)
				}
				return []driver.Value{int32(m.Mod), d, m.TypeBefore, m.CodeBefore, m.NomBefore, m.TypeAfter, m.CodeAfter, m.NomAfter}
			})
			if bad != nil {
				return bad
			}
			return err
		})
		if err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "DELETE FROM ref_version"); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO ref_version VALUES (?)", r.Fingerprint); err != nil {
			return err
		}
		return nil
	})
}

func appendAll(c driver.Conn, table string, n int, row func(int) []driver.Value) error {
	a, err := duckdb.NewAppenderFromConn(c, "", table)
	if err != nil {
		return fmt.Errorf("appender %s: %w", table, err)
	}
	for i := range n {
		if err := a.AppendRow(row(i)...); err != nil {
			a.Close()
			return fmt.Errorf("store %s row %d: %w", table, i+1, err)
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("store %s: %w", table, err)
	}
	return nil
}
