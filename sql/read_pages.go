package sql

// The readers of the marts for the pages: each query of queries/ that the
// report needs, scanned into the plain values of the figures package, so
// that the reports package renders without ever touching the database.

import (
	"context"
	gosql "database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/illectro/illectro/figures"
)

// ReadCommunes reads mart_commune with the communes' points, in code order.
func ReadCommunes(ctx context.Context, db *gosql.DB) ([]figures.Commune, error) {
	rows, err := db.QueryContext(ctx, CommunesQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_commune: %w", err)
	}
	defer rows.Close()
	var out []figures.Commune
	for rows.Next() {
		var c figures.Commune
		var lon, lat, rate, below30, km, score, share gosql.NullFloat64
		var decile, respondents, venues gosql.NullInt64
		err := namedScan{
			"code_insee": &c.Code, "nom": &c.Nom, "code_departement": &c.Departement, "code_epci": &c.EPCI,
			"longitude": &lon, "latitude": &lat, "population": &c.Population,
			"illectronism_people_est": &c.IllectronismPeople, "illectronism_rate_est": &rate,
			"share_premises_below_30mbps": &below30, "venue_distance_km": &km, "venues": &venues,
			"fragility_score": &score, "fragility_decile": &decile,
			"assessments_respondents": &respondents, "assessments_share_illectronism": &share,
			"assessments_suppressed":  &c.Suppressed,
			"illectronism_people_low": &c.IllectronismLow, "illectronism_people_high": &c.IllectronismHigh,
		}.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read mart_commune: %w", err)
		}
		c.Venues = ptrInt(venues)
		c.Lon, c.Lat, c.HasPoint = lon.Float64, lat.Float64, lon.Valid && lat.Valid
		c.IllectronismRate, c.SharePremisesBelow30Mbps, c.VenueDistanceKm = ptr(rate), ptr(below30), ptr(km)
		c.FragilityScore, c.FragilityDecile = ptr(score), ptrInt(decile)
		c.Respondents, c.ShareIllectronism = ptrInt(respondents), ptr(share)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mart_commune: %w", err)
	}
	return out, nil
}

// ReadEPCIs reads mart_epci, in code order.
func ReadEPCIs(ctx context.Context, db *gosql.DB) ([]figures.EPCI, error) {
	rows, err := db.QueryContext(ctx, EPCIQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_epci: %w", err)
	}
	defer rows.Close()
	var out []figures.EPCI
	for rows.Next() {
		var e figures.EPCI
		var deps string
		var people, low, high, rate, rateLow, rateHigh, below30, per10k, beyond10, fte, gap, score, coverage, share gosql.NullFloat64
		var venues, posts, respondents gosql.NullInt64
		err := namedScan{
			"code_epci": &e.Code, "nom": &e.Nom, "type": &e.Type, "code_departement": &e.Departement,
			"departements": &deps, "communes": &e.Communes, "population": &e.Population,
			"illectronism_people_est": &people, "illectronism_people_low": &low, "illectronism_people_high": &high,
			"illectronism_rate_est": &rate, "illectronism_rate_low": &rateLow, "illectronism_rate_high": &rateHigh,
			"share_premises_below_30mbps": &below30, "venues": &venues, "venues_per_10k": &per10k,
			"share_population_beyond_10km": &beyond10, "mediator_posts": &posts,
			"mediator_fte_needed_central": &fte, "mediator_gap_central": &gap, "mediator_plan_status": &e.PlanStatus,
			"fragility_score": &score, "fragility_coverage": &coverage,
			"assessments_respondents": &respondents, "assessments_share_illectronism": &share,
			"assessments_suppressed": &e.Suppressed,
		}.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read mart_epci: %w", err)
		}
		e.Departements = strings.Split(deps, ",")
		e.IllectronismPeople, e.IllectronismLow, e.IllectronismHigh = people.Float64, low.Float64, high.Float64
		e.IllectronismRate, e.IllectronismRateLow, e.IllectronismRateHigh = ptr(rate), ptr(rateLow), ptr(rateHigh)
		e.SharePremisesBelow30Mbps, e.Venues, e.VenuesPer10k, e.ShareBeyond10km = ptr(below30), ptrInt(venues), ptr(per10k), ptr(beyond10)
		e.MediatorPosts, e.FTECentral, e.GapCentral = ptrInt(posts), fte.Float64, ptr(gap)
		e.FragilityScore, e.FragilityCoverage = ptr(score), ptr(coverage)
		e.Respondents, e.ShareIllectronism = ptrInt(respondents), ptr(share)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mart_epci: %w", err)
	}
	return out, nil
}

// ReadVenues reads the deduplicated venues, by département then name.
func ReadVenues(ctx context.Context, db *gosql.DB) ([]figures.Venue, error) {
	rows, err := db.QueryContext(ctx, VenuesQuery)
	if err != nil {
		return nil, fmt.Errorf("read venues: %w", err)
	}
	defer rows.Close()
	var out []figures.Venue
	for rows.Next() {
		var v figures.Venue
		var programmes string
		err := namedScan{
			"id": &v.ID, "nom": &v.Nom, "commune": &v.Commune, "code_insee": &v.CodeInsee,
			"code_departement": &v.Departement, "longitude": &v.Lon, "latitude": &v.Lat,
			"dispositif_programmes_nationaux": &programmes,
		}.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read venues: %w", err)
		}
		if programmes != "" {
			v.Programmes = strings.Split(programmes, "|")
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read venues: %w", err)
	}
	return out, nil
}

// ReadFrance reads the national figures. The national share of respondents
// in illectronism is left nil when they are fewer than threshold.
func ReadFrance(ctx context.Context, db *gosql.DB, threshold int) (figures.France, error) {
	var f figures.France
	var p15, people, rate, below30, below8, per10k, posts10k, fteLow, fteCentral, fteHigh, share, low, high, workforce gosql.NullFloat64
	var posts, sites, respondents gosql.NullInt64
	err := oneRow(ctx, db, FranceQuery, "mart_france", func(rows *gosql.Rows) error {
		return namedScan{
			"population": &f.Population, "population_15_plus": &p15,
			"illectronism_people_est": &people, "illectronism_rate_est": &rate,
			"illectronism_people_low": &low, "illectronism_people_high": &high,
			"share_premises_below_30mbps": &below30, "share_premises_below_8mbps": &below8,
			"venues_per_10k": &per10k, "mediator_posts_per_10k_illectronism": &posts10k,
			"mediator_posts": &posts, "france_services_sites": &sites,
			"mediator_fte_needed_low": &fteLow, "mediator_fte_needed_central": &fteCentral, "mediator_fte_needed_high": &fteHigh,
			"mediator_workforce_central": &workforce,
			"assessments_respondents":    &respondents, "assessments_share_illectronism": &share,
		}.scan(rows)
	})
	if err != nil {
		return f, fmt.Errorf("read national figures: %w", err)
	}
	f.Population15Plus, f.IllectronismPeople, f.IllectronismRate = p15.Float64, people.Float64, ptr(rate)
	f.IllectronismLow, f.IllectronismHigh = low.Float64, high.Float64
	f.SharePremisesBelow30Mbps, f.SharePremisesBelow8Mbps = ptr(below30), ptr(below8)
	f.VenuesPer10k, f.PostsPer10kIllectronism, f.MediatorPosts = ptr(per10k), ptr(posts10k), ptrInt(posts)
	f.FranceServicesSites, f.WorkforceCentral = ptrInt(sites), ptr(workforce)
	f.FTELow, f.FTECentral, f.FTEHigh = fteLow.Float64, fteCentral.Float64, fteHigh.Float64
	if respondents.Valid && respondents.Int64 >= int64(threshold) {
		f.Respondents, f.ShareIllectronism = ptrInt(respondents), ptr(share)
	}
	return f, nil
}

// ReadDepartements reads mart_departement, in code order. The marts must have
// been built (Build) on db.
func ReadDepartements(ctx context.Context, db *gosql.DB) ([]figures.Departement, error) {
	rows, err := db.QueryContext(ctx, DepartementsQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_departement: %w", err)
	}
	defer rows.Close()
	var out []figures.Departement
	for rows.Next() {
		var d figures.Departement
		var below30, share, rate, below8, b10, b20, per10k, vper10k, lo, hi, std, stdLo, stdHi, cf, auto, score, prevPeople, prevGap gosql.NullFloat64
		var gapLo, gapC, gapHi, rateLo, rateHi, wLo, wC, wHi gosql.NullFloat64
		var respondents, rank, rankMin, rankMax, prevRank, venues, premises, posts, sites gosql.NullInt64
		err := namedScan{
			"code_departement": &d.Code, "nom": &d.Nom, "code_region": &d.CodeRegion, "nom_region": &d.NomRegion,
			"population": &d.Population, "venues": &venues, "venues_per_10k": &vper10k, "premises": &premises,
			"share_premises_below_30mbps": &below30, "mediator_posts": &posts,
			"assessments_respondents": &respondents, "assessments_share_illectronism": &share,
			"assessments_suppressed": &d.Suppressed, "population_15_plus": &d.Population15Plus,
			"illectronism_people_est": &d.IllectronismPeople, "illectronism_rate_est": &rate,
			"share_premises_below_8mbps": &below8, "share_population_beyond_10km": &b10,
			"share_population_beyond_20km": &b20, "mediator_posts_per_10k_illectronism": &per10k,
			"assessments_share_illectronism_ci_low": &lo, "assessments_share_illectronism_ci_high": &hi,
			"assessments_share_illectronism_std": &std, "assessments_share_illectronism_std_ci_low": &stdLo,
			"assessments_share_illectronism_std_ci_high": &stdHi, "assessments_share_capacites_faibles": &cf,
			"assessments_share_autonome": &auto, "assessments_suppression": &d.Suppression,
			"fragility_score": &score, "fragility_rank": &rank, "fragility_rank_min": &rankMin, "fragility_rank_max": &rankMax,
			"mediator_fte_needed_low": &d.FTELow, "mediator_fte_needed_central": &d.FTECentral, "mediator_fte_needed_high": &d.FTEHigh,
			"mediator_gap_low": &gapLo, "mediator_gap_central": &gapC, "mediator_gap_high": &gapHi,
			"previous_built_at": &d.PreviousBuiltAt, "previous_illectronism_people_est": &prevPeople,
			"previous_fragility_rank": &prevRank, "previous_mediator_gap_central": &prevGap,
			"illectronism_people_low": &d.IllectronismLow, "illectronism_people_high": &d.IllectronismHigh,
			"illectronism_rate_low": &rateLo, "illectronism_rate_high": &rateHi,
			"illectronism_outside_survey": &d.OutsideSurvey, "france_services_sites": &sites,
			"mediator_workforce_low": &wLo, "mediator_workforce_central": &wC, "mediator_workforce_high": &wHi,
			"mediator_plan_status": &d.PlanStatus,
		}.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read mart_departement: %w", err)
		}
		d.Venues, d.VenuesPer10k, d.Premises, d.MediatorPosts, d.FranceServicesSites = ptrInt(venues), ptr(vper10k), ptrInt(premises), ptrInt(posts), ptrInt(sites)
		d.SharePremisesBelow30Mbps = ptr(below30)
		d.ShareIllectronism = ptr(share)
		d.Respondents = ptrInt(respondents)
		d.IllectronismRate, d.SharePremisesBelow8Mbps = ptr(rate), ptr(below8)
		d.IllectronismRateLow, d.IllectronismRateHigh = ptr(rateLo), ptr(rateHi)
		d.ShareBeyond10km, d.ShareBeyond20km, d.PostsPer10kIllectronism = ptr(b10), ptr(b20), ptr(per10k)
		d.ShareIllectronismLow, d.ShareIllectronismHigh = ptr(lo), ptr(hi)
		d.ShareIllectronismStd, d.ShareIllectronismStdLow, d.ShareIllectronismStdHigh = ptr(std), ptr(stdLo), ptr(stdHi)
		d.ShareCapacitesFaibles, d.ShareAutonome = ptr(cf), ptr(auto)
		d.FragilityScore = ptr(score)
		d.FragilityRank, d.FragilityRankMin, d.FragilityRankMax = ptrInt(rank), ptrInt(rankMin), ptrInt(rankMax)
		d.GapLow, d.GapCentral, d.GapHigh = ptr(gapLo), ptr(gapC), ptr(gapHi)
		d.WorkforceLow, d.WorkforceCentral, d.WorkforceHigh = ptr(wLo), ptr(wC), ptr(wHi)
		d.PreviousIllectronismPeople, d.PreviousFragilityRank, d.PreviousGapCentral = ptr(prevPeople), ptrInt(prevRank), ptr(prevGap)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mart_departement: %w", err)
	}
	return out, nil
}

// namedScan scans a row into the destinations named after the query's
// columns: each column must have one and each destination a column, so
// that a query and its reader cannot drift apart silently, as 50
// positional destinations could.
type namedScan map[string]any

func (n namedScan) scan(rows *gosql.Rows) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	dst := make([]any, len(cols))
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		p, ok := n[c]
		if !ok {
			return fmt.Errorf("column %s has no destination", c)
		}
		dst[i], seen[c] = p, true
	}
	for _, c := range slices.Sorted(maps.Keys(n)) {
		if !seen[c] {
			return fmt.Errorf("no column %s in the query", c)
		}
	}
	return rows.Scan(dst...)
}

// ReadSources lists the reference datasets and the bundled samples that were
// loaded, for the report footer.
func ReadSources(ctx context.Context, db *gosql.DB) ([]figures.Source, error) {
	rows, err := db.QueryContext(ctx, SourcesQuery)
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	defer rows.Close()
	var out []figures.Source
	for rows.Next() {
		var s figures.Source
		if err := (namedScan{"dataset": &s.Dataset, "producer": &s.Producer, "vintage": &s.Vintage, "licence": &s.Licence,
			"url": &s.URL, "input": &s.Input, "kind": &s.Kind}).scan(rows); err != nil {
			return nil, fmt.Errorf("read sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ReadLoadedFiles lists, per kind, the loaded files no source credits
// (inbox and remote sources), and the kinds of which a synthetic file was
// loaded.
func ReadLoadedFiles(ctx context.Context, db *gosql.DB) ([]figures.LoadedFiles, []string, error) {
	var files []figures.LoadedFiles
	err := EachRow(ctx, db, SourcesInboxQuery, func(rows *gosql.Rows) error {
		var f figures.LoadedFiles
		var names []any
		if err := (namedScan{"kind": &f.Kind, "names": &names, "n_files": &f.Count, "loaded_on": &f.LoadedOn}).scan(rows); err != nil {
			return err
		}
		for _, n := range names {
			if s, ok := n.(string); ok {
				f.Names = append(f.Names, s)
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read loaded files: %w", err)
	}
	var synthetic []string
	err = EachRow(ctx, db, SourcesSyntheticQuery, func(rows *gosql.Rows) error {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		synthetic = append(synthetic, k)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read synthetic inputs: %w", err)
	}
	return files, synthetic, nil
}

// ReadDataDate is the day (YYYY-MM-DD) the newest loaded file was ingested, or
// "" when nothing was loaded.
func ReadDataDate(ctx context.Context, db *gosql.DB) (string, error) {
	var s string
	if err := db.QueryRowContext(ctx, DataDateQuery).Scan(&s); err != nil {
		return "", fmt.Errorf("read data date: %w", err)
	}
	return s, nil
}

// ReadSecrecyThreshold is the minimum number of respondents the marts were
// built with.
func ReadSecrecyThreshold(ctx context.Context, db *gosql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, BuildParametersQuery).Scan(&n); err != nil {
		return 0, fmt.Errorf("read build parameters: %w", err)
	}
	return n, nil
}

func ptrInt(v gosql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

func ptr(v gosql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}

// ReadParameters reads the rules the marts were last built with
// (mart_build_parameters), for the methodology page. The marts must have
// been built (Build) on db. FragilityWeights follow the order of
// FragilityIndicators (a weight the build stored under another name
// comes after them, by name); Margins, Territories and FragilityCoverage
// follow the order of their marts.
func ReadParameters(ctx context.Context, db *gosql.DB) (figures.Parameters, error) {
	var p figures.Parameters
	err := oneRow(ctx, db, PagesParametersQuery, "mart_build_parameters", func(rows *gosql.Rows) error {
		return namedScan{
			"secrecy_threshold": &p.SecrecyThreshold, "perturbation_max_noise": &p.PerturbationMaxNoise,
			"perturbation_variance": &p.PerturbationVariance, "caseload_min": &p.CaseloadMin,
			"caseload_central": &p.CaseloadCentral, "caseload_max": &p.CaseloadMax, "horizon_years": &p.HorizonYears,
			"illectronism_national_rate": &p.NationalRate, "france_services_agents": &p.FranceServicesAgents,
			"france_services_share_min": &p.FranceServicesShareMin, "france_services_share_central": &p.FranceServicesShareCentral,
			"france_services_share_max": &p.FranceServicesShareMax, "illectronism_diploma_income_association": &p.Association,
			"illectronism_residual_region": &p.ResidualRegion, "illectronism_residual_departement": &p.ResidualDepartement,
		}.scan(rows)
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read build parameters: %w", err)
	}

	err = EachRow(ctx, db, PagesParametersPerturbationQuery, func(rows *gosql.Rows) error {
		var r figures.PerturbationRow
		if err := rows.Scan(&r.Table, &r.Count, &r.Noise, &r.Probability, &r.KeyLow, &r.KeyHigh); err != nil {
			return err
		}
		p.Perturbation = append(p.Perturbation, r)
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read perturbation table: %w", err)
	}

	weights := map[string]float64{}
	err = EachRow(ctx, db, PagesParametersWeightsQuery, func(rows *gosql.Rows) error {
		var name string
		var w float64
		if err := rows.Scan(&name, &w); err != nil {
			return err
		}
		weights[name] = w
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read fragility weights: %w", err)
	}
	for _, name := range FragilityIndicators {
		if w, ok := weights[name]; ok {
			p.FragilityWeights = append(p.FragilityWeights, figures.Weight{Indicator: name, Weight: w})
			delete(weights, name)
		}
	}
	var other []figures.Weight
	for name, w := range weights {
		other = append(other, figures.Weight{Indicator: name, Weight: w})
	}
	slices.SortFunc(other, func(a, b figures.Weight) int { return strings.Compare(a.Indicator, b.Indicator) })
	p.FragilityWeights = append(p.FragilityWeights, other...)

	err = EachRow(ctx, db, PagesParametersMarginsQuery, func(rows *gosql.Rows) error {
		var m figures.MarginResult
		var modelled, m2019, without gosql.NullFloat64
		err := namedScan{
			"id": &m.ID, "year": &m.Year, "field": &m.Field, "dimension": &m.Dimension, "level": &m.Level,
			"label": &m.Label, "published_rate": &m.Published, "tolerance": &m.Tolerance, "use": &m.Use,
			"reference": &m.Reference, "modelled_rate": &modelled, "modelled_rate_structure_2019": &m2019,
			"predicted_without": &without, "within_tolerance": &m.WithinTolerance, "source": &m.Source,
			"url": &m.URL, "status": &m.Status,
		}.scan(rows)
		if err != nil {
			return err
		}
		m.Modelled, m.Modelled2019, m.PredictedWithout = ptr(modelled), ptr(m2019), ptr(without)
		p.Margins = append(p.Margins, m)
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read illectronism margins: %w", err)
	}
	err = EachRow(ctx, db, PagesParametersRatiosQuery, func(rows *gosql.Rows) error {
		var r figures.RatioResult
		if err := rows.Scan(&r.Dimension, &r.Numerator, &r.Denominator, &r.Published, &r.Modelled); err != nil {
			return err
		}
		p.Ratios = append(p.Ratios, r)
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read adjusted ratios: %w", err)
	}
	err = EachRow(ctx, db, PagesParametersTerritoriesQuery, func(rows *gosql.Rows) error {
		var t figures.Territory
		if err := rows.Scan(&t.Level, &t.Code, &t.Nom, &t.Population15Plus, &t.People, &t.PeopleLow, &t.PeopleHigh,
			&t.Rate, &t.RateLow, &t.RateHigh); err != nil {
			return err
		}
		p.Territories = append(p.Territories, t)
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read territories: %w", err)
	}
	err = EachRow(ctx, db, PagesParametersLocalQuery, func(rows *gosql.Rows) error {
		var v figures.LocalValidation
		var g figures.LocalGap
		var rank int
		err := namedScan{
			"level": &v.Level, "year": &v.Year, "region": &v.Region, "territories": &v.Territories,
			"matched": &v.Matched, "correlation": &v.Correlation, "sd_published": &v.SDPublished,
			"sd_modelled": &v.SDModelled, "mean_error": &v.MeanError, "mean_abs_error": &v.MeanAbsErr,
			"max_abs_error": &v.MaxAbsError, "source": &v.Source, "url": &v.URL, "rank": &rank,
			"gap_label": &g.Label, "gap_published_rate": &g.Published, "gap_modelled_rate": &g.Modelled, "gap_error": &g.Error,
		}.scan(rows)
		if err != nil {
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
		return figures.Parameters{}, fmt.Errorf("read local estimates: %w", err)
	}
	err = EachRow(ctx, db, PagesParametersFragilityQuery, func(rows *gosql.Rows) error {
		var c figures.IndicatorCoverage
		if err := rows.Scan(&c.Indicator, &c.CommuneCoverage, &c.FilledCoverage, &c.Kept); err != nil {
			return err
		}
		p.FragilityCoverage = append(p.FragilityCoverage, c)
		return nil
	})
	if err != nil {
		return figures.Parameters{}, fmt.Errorf("read fragility coverage: %w", err)
	}
	return p, nil
}

// EachRow runs query and calls scan on every row, then checks the rows' error.
func EachRow(ctx context.Context, db *gosql.DB, query string, scan func(*gosql.Rows) error) error {
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

// oneRow runs query, whose table has exactly one row, and scans that row;
// another count is an error naming the table.
func oneRow(ctx context.Context, db *gosql.DB, query, table string, scan func(*gosql.Rows) error) error {
	n := 0
	err := EachRow(ctx, db, query, func(rows *gosql.Rows) error {
		n++
		return scan(rows)
	})
	if err == nil && n != 1 {
		err = fmt.Errorf("%s has %d rows, want 1", table, n)
	}
	return err
}

// ReadQuality reads the ingest ledger for the data-quality page: every file
// attempt (newest first: started_at, then file id, descending), its rejected
// rows counted by column and kind of reason, and the quality findings on its
// loaded rows counted by kind and département, both in the order of the
// files. It never reads the rejected values (rejects.value), which may be
// personal data, nor the reasons' wording, which may quote them, nor the
// findings' details, which quote the rows, nor the wording of the errors of
// refused files and failed runs, which may hold server paths and raw
// database messages: their kinds only.
func ReadQuality(ctx context.Context, db *gosql.DB) (figures.Quality, error) {
	var q figures.Quality
	err := EachRow(ctx, db, QualityFilesQuery, func(rows *gosql.Rows) error {
		var f figures.QualityFile
		var started time.Time
		if err := rows.Scan(&f.FileID, &f.Kind, &f.Name, &f.Format, &f.Status, &f.ErrorKind,
			&started, &f.Read, &f.Loaded, &f.Rejected); err != nil {
			return err
		}
		f.StartedAt = started.UTC().Format(time.RFC3339)
		q.Files = append(q.Files, f)
		return nil
	})
	if err != nil {
		return figures.Quality{}, fmt.Errorf("read ingest files: %w", err)
	}
	err = EachRow(ctx, db, QualityFreshnessQuery, func(rows *gosql.Rows) error {
		var f figures.Freshness
		var loaded time.Time
		var files gosql.NullInt64
		var latest gosql.NullString
		if err := rows.Scan(&f.Kind, &files, &latest, &loaded, &f.Vintage); err != nil {
			return err
		}
		f.Files, f.LatestFile, f.Withheld = files.Int64, latest.String, !files.Valid
		f.LatestLoaded = loaded.UTC().Format(time.RFC3339)
		q.Freshness = append(q.Freshness, f)
		return nil
	})
	if err != nil {
		return figures.Quality{}, fmt.Errorf("read data freshness: %w", err)
	}
	err = EachRow(ctx, db, QualityRunsQuery, func(rows *gosql.Rows) error {
		var r figures.Run
		var started time.Time
		var finished gosql.NullTime
		if err := rows.Scan(&r.ID, &r.Trigger, &started, &finished, &r.Status, &r.ErrorKind,
			&r.Files, &r.RowsLoaded, &r.RowsRejected, &r.Release); err != nil {
			return err
		}
		r.Started = started.UTC().Format(time.RFC3339)
		if finished.Valid {
			r.Finished = finished.Time.UTC().Format(time.RFC3339)
		}
		q.Runs = append(q.Runs, r)
		return nil
	})
	if err != nil {
		return figures.Quality{}, fmt.Errorf("read runs: %w", err)
	}
	err = EachRow(ctx, db, QualityRejectsQuery, func(rows *gosql.Rows) error {
		var r figures.RejectCount
		if err := rows.Scan(&r.FileID, &r.Column, &r.Kind, &r.Rows); err != nil {
			return err
		}
		q.Rejects = append(q.Rejects, r)
		return nil
	})
	if err != nil {
		return figures.Quality{}, fmt.Errorf("read rejects: %w", err)
	}
	err = EachRow(ctx, db, QualityFindingsQuery, func(rows *gosql.Rows) error {
		var f figures.FindingCount
		if err := rows.Scan(&f.FileID, &f.Kind, &f.Departement, &f.Rows); err != nil {
			return err
		}
		q.Findings = append(q.Findings, f)
		return nil
	})
	if err != nil {
		return figures.Quality{}, fmt.Errorf("read quality findings: %w", err)
	}
	return q, nil
}
