package diagnostics

import (
	"context"
	gosql "database/sql"
	"fmt"
	"strings"

	isql "github.com/illectro/illectro/sql"
)

// Commune is one row of mart_commune with a point to draw it: what a
// département page shows of its communes. A nil pointer is a figure not
// published (no data, or withheld by statistical secrecy: see Suppressed).
type Commune struct {
	Code, Nom, Departement string
	EPCI                   string // SIREN of its EPCI; "" for the four island communes in none
	// Lon and Lat are the population-weighted mean of the commune's census
	// centroids (WGS84); HasPoint is false when it has none.
	Lon, Lat float64
	HasPoint bool

	Population               int64
	IllectronismPeople       float64
	IllectronismRate         *float64
	IllectronismLow          float64 // the 90 % band of IllectronismPeople
	IllectronismHigh         float64
	SharePremisesBelow30Mbps *float64
	VenueDistanceKm          *float64
	Venues                   *int64 // nil when no listing covers its département
	FragilityScore           *float64
	FragilityDecile          *int64
	Respondents              *int64 // nil when withheld
	ShareIllectronism        *float64
	Suppressed               bool
}

// Venue is one digital mediation venue (deduplicated across listings).
type Venue struct {
	ID, Nom, Commune, CodeInsee, Departement string
	Lon, Lat                                 float64
	Programmes                               []string // national programmes, e.g. "France Services"
}

// France holds the national figures a département is compared with: the
// estimate for France outside Mayotte (the survey's field), the other
// figures over the départements an input covers (nil when none is).
type France struct {
	Population                        int64
	Population15Plus                  float64
	IllectronismPeople                float64
	IllectronismLow, IllectronismHigh float64 // 90 % band
	IllectronismRate                  *float64
	SharePremisesBelow30Mbps          *float64
	SharePremisesBelow8Mbps           *float64
	VenuesPer10k                      *float64
	PostsPer10kIllectronism           *float64
	MediatorPosts                     *int64
	FranceServicesSites               *int64
	WorkforceCentral                  *float64
	FTELow, FTECentral                float64
	FTEHigh                           float64
	// Respondents is the number of respondents in all, perturbed; nil when
	// they are fewer than the secrecy threshold.
	Respondents *int64
	// ShareIllectronism is the share of all respondents in illectronism,
	// from perturbed counts; nil with Respondents.
	ShareIllectronism *float64
}

// Communes reads mart_commune with the communes' points, in code order.
func Communes(ctx context.Context, db *gosql.DB) ([]Commune, error) {
	rows, err := db.QueryContext(ctx, isql.CommunesQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_commune: %w", err)
	}
	defer rows.Close()
	var out []Commune
	for rows.Next() {
		var c Commune
		var lon, lat, rate, below30, km, score, share gosql.NullFloat64
		var decile, respondents, venues gosql.NullInt64
		if err := rows.Scan(&c.Code, &c.Nom, &c.Departement, &c.EPCI, &lon, &lat, &c.Population,
			&c.IllectronismPeople, &rate, &below30, &km, &venues, &score, &decile,
			&respondents, &share, &c.Suppressed, &c.IllectronismLow, &c.IllectronismHigh); err != nil {
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

// EPCI is one intercommunality (EPCI à fiscalité propre) of mart_epci: its
// figures aggregate all its communes, in every département it lies in.
type EPCI struct {
	Code, Nom, Type string
	// Departement holds most of its population; Departements lists every
	// département it has communes in, in code order.
	Departement  string
	Departements []string
	Communes     int64
	Population   int64

	IllectronismPeople                float64
	IllectronismLow, IllectronismHigh float64 // 90 % band
	IllectronismRate                  *float64
	IllectronismRateLow               *float64
	IllectronismRateHigh              *float64
	SharePremisesBelow30Mbps          *float64 // nil unless coverage data covers all its départements
	Venues                            *int64   // nil unless listings cover all its départements
	VenuesPer10k                      *float64
	ShareBeyond10km                   *float64
	MediatorPosts                     *int64   // nil unless the posts file covers all its départements
	FTECentral                        float64  // mediators needed, central scenario
	GapCentral                        *float64 // FTE needed − workforce; nil when the workforce is unknown
	PlanStatus                        string   // deficit, surplus, undetermined; "" when unknown
	FragilityScore                    *float64
	FragilityCoverage                 *float64
	Respondents                       *int64 // perturbed; nil when withheld
	ShareIllectronism                 *float64
	Suppressed                        bool
}

// EPCIs reads mart_epci, in code order.
func EPCIs(ctx context.Context, db *gosql.DB) ([]EPCI, error) {
	rows, err := db.QueryContext(ctx, isql.EPCIQuery)
	if err != nil {
		return nil, fmt.Errorf("read mart_epci: %w", err)
	}
	defer rows.Close()
	var out []EPCI
	for rows.Next() {
		var e EPCI
		var deps string
		var people, low, high, rate, rateLow, rateHigh, below30, per10k, beyond10, fte, gap, score, coverage, share gosql.NullFloat64
		var venues, posts, respondents gosql.NullInt64
		if err := rows.Scan(&e.Code, &e.Nom, &e.Type, &e.Departement, &deps, &e.Communes, &e.Population,
			&people, &low, &high, &rate, &rateLow, &rateHigh,
			&below30, &venues, &per10k, &beyond10, &posts, &fte, &gap, &e.PlanStatus, &score, &coverage,
			&respondents, &share, &e.Suppressed); err != nil {
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

// Venues reads the deduplicated venues, by département then name.
func Venues(ctx context.Context, db *gosql.DB) ([]Venue, error) {
	rows, err := db.QueryContext(ctx, isql.VenuesQuery)
	if err != nil {
		return nil, fmt.Errorf("read venues: %w", err)
	}
	defer rows.Close()
	var out []Venue
	for rows.Next() {
		var v Venue
		var programmes string
		if err := rows.Scan(&v.ID, &v.Nom, &v.Commune, &v.CodeInsee, &v.Departement, &v.Lon, &v.Lat, &programmes); err != nil {
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

// LoadFrance reads the national figures. The national share of respondents
// in illectronism is left nil when they are fewer than threshold.
func LoadFrance(ctx context.Context, db *gosql.DB, threshold int) (France, error) {
	var f France
	var p15, people, rate, below30, below8, per10k, posts10k, fteLow, fteCentral, fteHigh, share, low, high, workforce gosql.NullFloat64
	var posts, sites, respondents gosql.NullInt64
	err := db.QueryRowContext(ctx, isql.FranceQuery).Scan(&f.Population, &p15, &people, &rate, &below30, &below8,
		&per10k, &posts10k, &posts, &fteLow, &fteCentral, &fteHigh, &respondents, &share, &low, &high, &workforce, &sites)
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
