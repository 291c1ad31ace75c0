// Package figures holds the published figures as plain Go values: a row of
// each mart the pages show (départements, communes, EPCI, venues, France),
// the rules the marts were built with and the data-quality counts. The sql
// package reads them from a built database (sql.ReadDepartements and the
// other readers); the reports package renders them. It imports nothing of
// the project and no database driver.
package figures

// Departement is one row of mart_departement: the indicators of one of the
// 101 départements for the latest run.
//
// A nil pointer means the figure is not published: either there is no data
// for it (see the matching count), or it is suppressed by statistical secrecy
// because it rests on fewer respondents than the threshold.
type Departement struct {
	Code       string // INSEE code: "01"…"95", "2A", "2B", "971"…"976"
	Nom        string
	CodeRegion string
	NomRegion  string

	// Population is the population municipale (INSEE, COG 2026 communes).
	Population int64

	// Venues is the number of digital mediation venues placed in the
	// département by point-in-polygon on their coordinates; nil when no
	// listing loaded covers the département.
	Venues *int64
	// VenuesPer10k is Venues per 10 000 inhabitants; nil likewise.
	VenuesPer10k *float64
	// FranceServicesSites is the number of France Services sites; nil when
	// no listing of them covers the département.
	FranceServicesSites *int64

	// Premises is the number of premises (housing and business) in the
	// latest ARCEP coverage period; nil when no coverage file describes the
	// département.
	Premises *int64
	// SharePremisesBelow30Mbps is the share (0–1) of premises without access
	// to at least 30 Mbit/s; nil without premises.
	SharePremisesBelow30Mbps *float64

	// MediatorPosts is the number of conseiller numérique posts recruited
	// in host structures of the département; nil when no programme export
	// is loaded.
	MediatorPosts *int64

	// Respondents is the number of distinct self-assessment respondents;
	// nil when the département's figures are withheld (Suppressed).
	Respondents *int64
	// ShareIllectronism is the share (0–1) of respondents in illectronism;
	// nil when Respondents is below the secrecy threshold.
	ShareIllectronism *float64
	// Suppressed is true when ShareIllectronism is withheld by statistical
	// secrecy (shown as "s"), as opposed to absent because nobody answered.
	Suppressed bool

	// The fields below are nil or zero in fixtures that predate them; see
	// the matching columns of mart_departement for their definitions.

	Population15Plus   float64  // people aged 15+, estimated
	IllectronismPeople float64  // estimated people aged 15+ in illectronism (central)
	IllectronismRate   *float64 // IllectronismPeople / Population15Plus (0–1)
	// IllectronismLow and IllectronismHigh bound the 90 % band of
	// IllectronismPeople; the rates likewise.
	IllectronismLow, IllectronismHigh         float64
	IllectronismRateLow, IllectronismRateHigh *float64
	// OutsideSurvey is true for Mayotte, outside Insee's survey: its
	// estimate is an extrapolation.
	OutsideSurvey bool

	SharePremisesBelow8Mbps *float64
	ShareBeyond10km         *float64 // population > 10 km from a venue; nil without venues loaded
	ShareBeyond20km         *float64
	PostsPer10kIllectronism *float64

	ShareIllectronismLow, ShareIllectronismHigh *float64 // 95 % Wilson interval
	ShareIllectronismStd                        *float64 // age-standardised
	ShareIllectronismStdLow                     *float64
	ShareIllectronismStdHigh                    *float64
	ShareCapacitesFaibles, ShareAutonome        *float64
	Suppression                                 string // "primary", "secondary" or ""

	FragilityScore                     *float64 // 1–10
	FragilityRank                      *int64   // 1 = most fragile
	FragilityRankMin, FragilityRankMax *int64   // under the alternative weightings

	FTELow, FTECentral, FTEHigh float64 // mediator FTE needed
	// WorkforceLow, WorkforceCentral, WorkforceHigh are the FTE counted
	// (posts and France Services agents); nil when an input does not
	// cover the département, and so are the gaps.
	WorkforceLow, WorkforceCentral, WorkforceHigh *float64
	GapLow, GapCentral, GapHigh                   *float64 // FTE needed − workforce
	// PlanStatus is "surplus", "deficit", "undetermined" or "" (unknown
	// workforce): see mart_departement.mediator_plan_status.
	PlanStatus string

	// Previous build's values, nil on the first build.
	PreviousBuiltAt            string
	PreviousIllectronismPeople *float64
	PreviousFragilityRank      *int64
	PreviousGapCentral         *float64
}
