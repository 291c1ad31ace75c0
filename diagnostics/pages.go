package diagnostics

// Parameters are the rules the marts were built with, read from
// mart_build_parameters: what the methodology page states.
type Parameters struct {
	// SecrecyThreshold is the minimum number of respondents behind a
	// published figure.
	SecrecyThreshold int
	// CaseloadMin, CaseloadCentral and CaseloadMax are people per mediator
	// FTE per year (the high, central and low estimates of the plan).
	CaseloadMin, CaseloadCentral, CaseloadMax float64
	// HorizonYears is the time the mediator plan gives itself.
	HorizonYears float64
	// FragilityWeights are the weights of the fragility index, in the order
	// of sql.FragilityIndicators.
	FragilityWeights []Weight
	// NationalRate is the national share of people aged 15+ in
	// illectronism the estimate is calibrated on (0.154).
	NationalRate float64
	// RatesByAge are the rates applied to each age group, in age order.
	RatesByAge []AgeRate
}

// Weight is one indicator's weight in the fragility index.
type Weight struct {
	Indicator string // a name of sql.FragilityIndicators, e.g. "connectivity"
	Weight    float64
}

// AgeRate is the illectronism rate applied to one age group.
type AgeRate struct {
	AgeGroup   string  // "15-24", "25-29", … "75+"
	Rate       float64 // 0–1
	Calibrated bool    // solved by the calibration rather than published
}

// Quality is what the data-quality page shows: every file attempt, why
// rows were rejected, and the approximations made on loaded rows. It holds
// counts and reasons only, never the rejected values themselves (they may
// be personal data).
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
}

// Run is one finished run of the pipeline (table runs).
type Run struct {
	ID                int64
	Trigger, Status   string
	Error             string
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
	Error                  string // why a failed file was refused
	StartedAt              string // RFC 3339, UTC
	Read, Loaded, Rejected int64
}

// RejectCount is the number of rejected rows of a file for one reason.
type RejectCount struct {
	FileID int64
	Column string // "" for a whole-row problem
	Reason string
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
