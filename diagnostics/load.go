package diagnostics

import (
	"context"
	gosql "database/sql"
	"fmt"

	isql "github.com/illectro/illectro/sql"
)

// Departements reads mart_departement, in code order. The marts must have
// been built (isql.Build) on db.
func Departements(ctx context.Context, db *gosql.DB) ([]Departement, error) {
	rows, err := db.QueryContext(ctx, isql.DepartementsQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_departement: %w", err)
	}
	defer rows.Close()
	var out []Departement
	for rows.Next() {
		var d Departement
		var below30, share, rate, below8, b10, b20, per10k, vper10k, lo, hi, std, stdLo, stdHi, cf, auto, score, prevPeople, prevGap gosql.NullFloat64
		var gapLo, gapC, gapHi, rateLo, rateHi, wLo, wC, wHi gosql.NullFloat64
		var respondents, rank, rankMin, rankMax, prevRank, venues, premises, posts, sites gosql.NullInt64
		if err := rows.Scan(&d.Code, &d.Nom, &d.CodeRegion, &d.NomRegion, &d.Population,
			&venues, &vper10k, &premises, &below30, &posts,
			&respondents, &share, &d.Suppressed,
			&d.Population15Plus, &d.IllectronismPeople, &rate,
			&below8, &b10, &b20, &per10k, &lo, &hi, &std, &stdLo, &stdHi, &cf, &auto,
			&d.Suppression, &score, &rank, &rankMin, &rankMax,
			&d.FTELow, &d.FTECentral, &d.FTEHigh, &gapLo, &gapC, &gapHi,
			&d.PreviousBuiltAt, &prevPeople, &prevRank, &prevGap,
			&d.IllectronismLow, &d.IllectronismHigh, &rateLo, &rateHi,
			&d.OutsideSurvey, &sites, &wLo, &wC, &wHi, &d.PlanStatus); err != nil {
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

// Source is the provenance of one dataset behind the figures.
type Source struct {
	Dataset, Producer, Vintage, Licence, URL string
}

// Sources lists the reference datasets and the bundled samples that were
// loaded, for the report footer.
func Sources(ctx context.Context, db *gosql.DB) ([]Source, error) {
	rows, err := db.QueryContext(ctx, isql.SourcesQuery)
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var s Source
		if err := rows.Scan(&s.Dataset, &s.Producer, &s.Vintage, &s.Licence, &s.URL); err != nil {
			return nil, fmt.Errorf("read sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DataDate is the day (YYYY-MM-DD) the newest loaded file was ingested, or
// "" when nothing was loaded.
func DataDate(ctx context.Context, db *gosql.DB) (string, error) {
	var s string
	if err := db.QueryRowContext(ctx, isql.DataDateQuery).Scan(&s); err != nil {
		return "", fmt.Errorf("read data date: %w", err)
	}
	return s, nil
}

// SecrecyThreshold is the minimum number of respondents the marts were
// built with.
func SecrecyThreshold(ctx context.Context, db *gosql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, isql.BuildParametersQuery).Scan(&n); err != nil {
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
