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
// comes after them, by name); RatesByAge are in age order.
func LoadParameters(ctx context.Context, db *gosql.DB) (Parameters, error) {
	var p Parameters
	err := db.QueryRowContext(ctx, isql.PagesParametersQuery).Scan(&p.SecrecyThreshold,
		&p.CaseloadMin, &p.CaseloadCentral, &p.CaseloadMax, &p.HorizonYears, &p.NationalRate)
	if err != nil {
		return Parameters{}, fmt.Errorf("read build parameters: %w", err)
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

	err = eachRow(ctx, db, isql.PagesParametersRatesQuery, func(rows *gosql.Rows) error {
		var r AgeRate
		if err := rows.Scan(&r.AgeGroup, &r.Rate, &r.Calibrated); err != nil {
			return err
		}
		p.RatesByAge = append(p.RatesByAge, r)
		return nil
	})
	if err != nil {
		return Parameters{}, fmt.Errorf("read illectronism rates by age: %w", err)
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
