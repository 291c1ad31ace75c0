package diagnostics

import (
	"context"
	gosql "database/sql"
	"fmt"
	"slices"
	"strings"

	isql "github.com/illectro/illectro/sql"
)

// LoadParameters reads the rules the marts were last built with
// (mart_build_parameters), for the methodology page. The marts must have
// been built (isql.Build) on db. FragilityWeights follow the order of
// isql.FragilityIndicators (a weight the build stored under another name
// comes after them, by name); Margins, Territories and FragilityCoverage
// follow the order of their marts.
func LoadParameters(ctx context.Context, db *gosql.DB) (Parameters, error) {
	var p Parameters
	err := db.QueryRowContext(ctx, isql.PagesParametersQuery).Scan(&p.SecrecyThreshold,
		&p.PerturbationMaxNoise, &p.PerturbationVariance, &p.CaseloadMin, &p.CaseloadCentral, &p.CaseloadMax, &p.HorizonYears, &p.NationalRate,
		&p.FranceServicesAgents, &p.FranceServicesShareMin, &p.FranceServicesShareCentral, &p.FranceServicesShareMax,
		&p.Association, &p.ResidualRegion, &p.ResidualDepartement)
	if err != nil {
		return Parameters{}, fmt.Errorf("read build parameters: %w", err)
	}

	err = eachRow(ctx, db, isql.PagesParametersPerturbationQuery, func(rows *gosql.Rows) error {
		var r PerturbationRow
		if err := rows.Scan(&r.Table, &r.Count, &r.Noise, &r.Probability, &r.KeyLow, &r.KeyHigh); err != nil {
			return err
		}
		p.Perturbation = append(p.Perturbation, r)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read perturbation table: %w", err)
	}

	weights := map[string]float64{}
	err = eachRow(ctx, db, isql.PagesParametersWeightsQuery, func(rows *gosql.Rows) error {
		var name string
		var w float64
		if err := rows.Scan(&name, &w); err != nil {
			return err
		}
		weights[name] = w
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read fragility weights: %w", err)
	}
	for _, name := range isql.FragilityIndicators {
		if w, ok := weights[name]; ok {
			p.FragilityWeights = append(p.FragilityWeights, Weight{Indicator: name, Weight: w})
			delete(weights, name)
		}
	}
	var other []Weight
	for name, w := range weights {
		other = append(other, Weight{Indicator: name, Weight: w})
	}
	slices.SortFunc(other, func(a, b Weight) int { return strings.Compare(a.Indicator, b.Indicator) })
	p.FragilityWeights = append(p.FragilityWeights, other...)

	err = eachRow(ctx, db, isql.PagesParametersMarginsQuery, func(rows *gosql.Rows) error {
		var m MarginResult
		var modelled, m2019, without gosql.NullFloat64
		if err := rows.Scan(&m.ID, &m.Year, &m.Field, &m.Dimension, &m.Level, &m.Label, &m.Published, &m.Tolerance,
			&m.Use, &m.Reference, &modelled, &m2019, &without, &m.WithinTolerance, &m.Source, &m.URL, &m.Status); err != nil {
			return err
		}
		m.Modelled, m.Modelled2019, m.PredictedWithout = ptr(modelled), ptr(m2019), ptr(without)
		p.Margins = append(p.Margins, m)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read illectronism margins: %w", err)
	}
	err = eachRow(ctx, db, isql.PagesParametersRatiosQuery, func(rows *gosql.Rows) error {
		var r RatioResult
		if err := rows.Scan(&r.Dimension, &r.Numerator, &r.Denominator, &r.Published, &r.Modelled); err != nil {
			return err
		}
		p.Ratios = append(p.Ratios, r)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read adjusted ratios: %w", err)
	}
	err = eachRow(ctx, db, isql.PagesParametersTerritoriesQuery, func(rows *gosql.Rows) error {
		var t Territory
		if err := rows.Scan(&t.Level, &t.Code, &t.Nom, &t.Population15Plus, &t.People, &t.PeopleLow, &t.PeopleHigh,
			&t.Rate, &t.RateLow, &t.RateHigh); err != nil {
			return err
		}
		p.Territories = append(p.Territories, t)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read territories: %w", err)
	}
	err = eachRow(ctx, db, isql.PagesParametersLocalQuery, func(rows *gosql.Rows) error {
		var v LocalValidation
		var g LocalGap
		var rank int
		if err := rows.Scan(&v.Level, &v.Year, &v.Region, &v.Territories, &v.Matched, &v.Correlation, &v.SDPublished,
			&v.SDModelled, &v.MeanError, &v.MeanAbsErr, &v.MaxAbsError, &v.Source, &v.URL,
			&rank, &g.Label, &g.Published, &g.Modelled, &g.Error); err != nil {
			return err
		}
		if n := len(p.Local); n == 0 || p.Local[n-1].Level != v.Level {
			p.Local = append(p.Local, v)
		}
		last := &p.Local[len(p.Local)-1]
		last.Gaps = append(last.Gaps, g)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read local estimates: %w", err)
	}
	err = eachRow(ctx, db, isql.PagesParametersFragilityQuery, func(rows *gosql.Rows) error {
		var c IndicatorCoverage
		if err := rows.Scan(&c.Indicator, &c.CommuneCoverage, &c.FilledCoverage, &c.Kept); err != nil {
			return err
		}
		p.FragilityCoverage = append(p.FragilityCoverage, c)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read fragility coverage: %w", err)
	}
	return p, nil
}

// eachRow runs query and calls scan on every row.
func eachRow(ctx context.Context, db *gosql.DB, query string, scan func(*gosql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
