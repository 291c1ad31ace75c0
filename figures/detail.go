package figures

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

// Source is the provenance of one dataset behind the figures.
type Source struct {
	Dataset, Producer, Vintage, Licence, URL string
	Input                                    bool   // a loaded input, not reference data
	Kind                                     string // its input kind (ingest.Kind), "" for reference data
}

// LoadedFiles are the loaded files of one kind of input that no Source
// credits (the inbox's, the remote sources'): their names, newest first
// (none for self-assessments, never named), their count and the day of
// the newest load (YYYY-MM-DD, UTC).
type LoadedFiles struct {
	Kind     string
	Names    []string
	Count    int
	LoadedOn string
}
