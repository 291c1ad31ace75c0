package figures

// PerturbationRow is one row of the perturbation table: a cell of Count
// (the table's last count stands for every larger one) gets Noise with
// Probability.
type PerturbationRow struct {
	Table       string // "respondents" or "measure"
	Count       int
	Noise       int
	Probability float64
	KeyLow      int // the cell keys in [KeyLow, KeyHigh) give Noise
	KeyHigh     int
}

// Parameters are the rules the marts were built with, read from
// mart_build_parameters: what the methodology page states.
type Parameters struct {
	// SecrecyThreshold is the minimum number of respondents behind a
	// published figure.
	SecrecyThreshold int
	// PerturbationMaxNoise and PerturbationVariance are the parameters of
	// the cell-key perturbation of self-assessment counts (D and V), and
	// Perturbation its table (ref_perturbation_table), in table, count and
	// noise order; zero and nil for a database built before it.
	PerturbationMaxNoise int
	PerturbationVariance float64
	Perturbation         []PerturbationRow
	// CaseloadMin, CaseloadCentral and CaseloadMax are people per mediator
	// FTE per year (the high, central and low estimates of the plan).
	CaseloadMin, CaseloadCentral, CaseloadMax float64
	// HorizonYears is the time the mediator plan gives itself.
	HorizonYears float64
	// FranceServicesAgents are the agents counted per France Services site,
	// and FranceServicesShare* the share of their time counted as digital
	// mediation (low, central, high).
	FranceServicesAgents                                                       float64
	FranceServicesShareMin, FranceServicesShareCentral, FranceServicesShareMax float64
	// FragilityWeights are the weights of the fragility index, in the order
	// of sql.FragilityIndicators.
	FragilityWeights []Weight
	// NationalRate is the national share of people aged 15+ in
	// illectronism the estimate is calibrated on (0.154).
	NationalRate float64
	// Association is the log odds ratio of diploma and income per step in
	// the model's national joint distribution.
	Association float64
	// ResidualRegion and ResidualDepartement are the relative spreads of
	// published local figures around the model, drawn in the bands.
	ResidualRegion, ResidualDepartement float64
	// Draws is the number of random fits behind every band of the model,
	// BandLow and BandHigh the percentiles of the draws that bound it, and
	// LOROBound the largest mean absolute error of the leave-one-region-out
	// predictions that the project's tests accept: constants of the
	// diagnostics package, which the caller copies here.
	Draws             int
	BandLow, BandHigh float64
	LOROBound         float64
	// Margins are the published illectronism rates with the model's values.
	Margins []MarginResult
	// Ratios are the published adjusted odds ratios with the model's.
	Ratios []RatioResult
	// Territories are the model's estimates for France (outside Mayotte),
	// the overseas départements and the régions.
	Territories []Territory
	// FragilityCoverage tells, per indicator of the fragility index, its
	// coverage of the communes and whether it enters the index.
	FragilityCoverage []IndicatorCoverage
	// Local compares the model with published local estimates it never
	// saw, per level (the intercommunal estimates of Hauts-de-France).
	Local []LocalValidation
}

// MarginResult is one row of mart_illectronism_margins: a published rate
// and what the model makes of it. Rates are shares (0–1); a nil pointer is
// a value the model does not give.
type MarginResult struct {
	ID                      string
	Year                    int
	Field, Dimension, Level string
	Label                   string
	Published, Tolerance    float64
	Use, Reference          string
	Modelled, Modelled2019  *float64
	PredictedWithout        *float64 // a benchmark left out
	WithinTolerance         bool
	Source, URL, Status     string
}

// RatioResult is a published odds ratio and the model's.
type RatioResult struct {
	Dimension, Numerator, Denominator string
	Published, Modelled               float64
}

// Territory is the model's estimate for a territory above the département.
type Territory struct {
	Level, Code, Nom              string
	Population15Plus              float64
	People, PeopleLow, PeopleHigh float64
	Rate, RateLow, RateHigh       float64
}

// LocalValidation is the model against the published estimates of one
// level of territory (mart_illectronism_local).
type LocalValidation struct {
	Level, Region         string // epci; the région they cover
	Year                  int
	Territories, Matched  int // published; still found in 2026
	Correlation           float64
	SDPublished           float64 // spread across territories (0–1 scale)
	SDModelled            float64
	MeanError, MeanAbsErr float64
	MaxAbsError           float64
	Source, URL           string
	// Gaps are the territories with the largest gaps, largest first.
	Gaps []LocalGap
}

// LocalGap is one territory's published and modelled rates.
type LocalGap struct {
	Label                      string
	Published, Modelled, Error float64
}

// IndicatorCoverage is the coverage of one fragility indicator.
type IndicatorCoverage struct {
	Indicator                       string
	CommuneCoverage, FilledCoverage float64
	Kept                            bool
}

// DimensionCategory is the Dimension of the margins about a category of
// commune in Insee's zoning in areas of attraction of cities (AAV2020).
const DimensionCategory = "categorie_commune"

// Weight is one indicator's weight in the fragility index.
type Weight struct {
	Indicator string // a name of sql.FragilityIndicators, e.g. "connectivity"
	Weight    float64
}

// Quality is what the data-quality page shows: every file attempt, why
// rows were rejected, and the approximations made on loaded rows. It holds
// counts and kinds of reasons only, never the rejected values themselves
// (they may be personal data) nor the wording of errors (which may hold a
// server path or a raw database message).
type Quality struct {
	Files     []QualityFile  // one per ingest attempt, newest first
	Rejects   []RejectCount  // per file, column and reason
	Findings  []FindingCount // per file, kind and département
	Freshness []Freshness    // per input kind
	Runs      []Run          // the latest finished runs, newest first
}

// Freshness is the newest loaded file of one kind of input.
type Freshness struct {
	Kind         string
	Files        int64
	LatestFile   string
	LatestLoaded string // RFC 3339, UTC
	Vintage      string // the data's millésime when a source declares it, else ""
	// Withheld is true for the self-assessments: their files are not
	// published (statistical secrecy), so neither their number nor the
	// latest one's name; LatestLoaded is the day only (midnight UTC).
	Withheld bool
}

// Run is one finished run of the pipeline (table runs).
type Run struct {
	ID                int64
	Trigger, Status   string
	ErrorKind         string // a failed run's pipeline.RunErrorKind code, e.g. "data_tests"
	Started, Finished string // RFC 3339, UTC
	Files             int64
	RowsLoaded        int64
	RowsRejected      int64
	Release           string
}

// QualityFile is one file offered to ingest.
type QualityFile struct {
	FileID                 int64
	Kind                   string // assessments, coverage, venues, mediators, socio
	Name                   string
	Format                 string
	Status                 string // loaded or failed
	ErrorKind              string // a refused file's ingest.FileErrorKind code, e.g. "bad_header"
	StartedAt              string // RFC 3339, UTC
	Read, Loaded, Rejected int64
}

// RejectCount is the number of rejected rows of a file for one kind of
// reason.
type RejectCount struct {
	FileID int64
	Column string // "" for a whole-row problem
	Kind   string // the code of the ingest.RejectKind, e.g. "not_a_number"
	Rows   int64
}

// FindingCount is the number of quality findings of one kind on the loaded
// rows of a file, in one département ("" when the row has none).
type FindingCount struct {
	FileID      int64
	Kind        string
	Departement string
	Rows        int64
}
