package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/illectro/illectro/geo"
)

// DefectKind names one way a generated row is made invalid. Each kind is
// one that illectro's loader rejects, row by row, with a reason: a file
// carrying defects always loads, minus its defective rows.
type DefectKind string

// The kinds of defects. A defective row carries exactly one. Assessments
// get AssessmentDefects, coverage CoverageDefects, venues VenueDefects.
const (
	// DefectUnknownCommune is a well-formed commune code that INSEE never
	// published, as a typing slip makes (assessments, coverage).
	DefectUnknownCommune DefectKind = "unknown_commune"
	// DefectImpossibleDate is a date the calendar lacks: 2025-02-29,
	// 2026-04-31… (assessments, coverage).
	DefectImpossibleDate DefectKind = "impossible_date"
	// DefectLevelOutOfRange is a DigComp level of 3 to 9 where the scale
	// runs from 0 to 2 (assessments).
	DefectLevelOutOfRange DefectKind = "level_out_of_range"
	// DefectMissingID is an empty id, or "NA" for a respondent
	// (assessments, venues).
	DefectMissingID DefectKind = "missing_id"
	// DefectUnknownAgeBand is an age band of another nomenclature, or
	// none (assessments).
	DefectUnknownAgeBand DefectKind = "unknown_age_band"
	// DefectOverseasCollectivity is a row for Saint-Pierre-et-Miquelon,
	// Saint-Barthélemy or Saint-Martin, outside the 101 départements
	// (coverage).
	DefectOverseasCollectivity DefectKind = "overseas_collectivity"
	// DefectNegativeCount is a negative count of premises (coverage).
	DefectNegativeCount DefectKind = "negative_count"
	// DefectNonCumulative is more premises at 100 Mbit/s or more than at
	// 30 Mbit/s or more (coverage).
	DefectNonCumulative DefectKind = "non_cumulative_classes"
	// DefectMissingName is a venue without a name (venues).
	DefectMissingName DefectKind = "missing_name"
	// DefectNonFiniteCoordinate is a latitude or longitude of NaN or ±Inf
	// (venues).
	DefectNonFiniteCoordinate DefectKind = "non_finite_coordinate"
	// DefectCoordinateOutOfRange is a coordinate that lost its decimal
	// point: 48856614 (venues).
	DefectCoordinateOutOfRange DefectKind = "coordinate_out_of_range"
	// DefectOutsideFrance is a failed geocoding, (0, 0) and the like,
	// with no commune or postal code to place the venue by (venues).
	DefectOutsideFrance DefectKind = "coordinates_outside_france"
)

// Defects counts the defective rows of one generated file by kind.
type Defects map[DefectKind]int

// Total is the number of defective rows.
func (d Defects) Total() int {
	n := 0
	for _, c := range d {
		n += c
	}
	return n
}

// Kinds returns the kinds present, sorted.
func (d Defects) Kinds() []DefectKind {
	ks := make([]DefectKind, 0, len(d))
	for k, n := range d {
		if n > 0 {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// DefectRows is the number of defective rows added to a file of valid
// rows so that they make share of its rows: round(valid·share/(1−share)).
// share must lie in [0, MaxDefectShare].
func DefectRows(valid int, share float64) int {
	if share <= 0 || valid <= 0 {
		return 0
	}
	return int(math.Round(float64(valid) * share / (1 - share)))
}

// MaxDefectShare bounds the share of defective rows: beyond it a file is
// mostly noise.
const MaxDefectShare = 0.5

func checkShare(share float64) error {
	if math.IsNaN(share) || share < 0 || share > MaxDefectShare {
		return fmt.Errorf("defect share %v: want a value from 0 to %v", share, MaxDefectShare)
	}
	return nil
}

// injector decides, row by row, where the defective rows of a file go and
// which kind each carries. Positions are a uniform random choice of
// DefectRows(valid, share) among the file's rows (selection sampling, so
// the count is exact and nothing is buffered); kinds take turns from a
// random start, so that each kind appears as soon as there are enough
// defects.
type injector struct {
	rng         *rand.Rand
	left, slots int // defective rows still to place, rows still to write
	kinds       []DefectKind
	turn        int
	count       Defects
}

func newInjector(seed, stream uint64, valid int, share float64, kinds []DefectKind) *injector {
	d := DefectRows(valid, share)
	in := &injector{rng: newRand(seed, stream), left: d, slots: valid + d, kinds: kinds, count: Defects{}}
	in.turn = in.rng.IntN(len(kinds))
	return in
}

// more reports whether rows remain to be written.
func (in *injector) more() bool { return in.slots > 0 }

// next consumes one row; ok says it is a defective one, of kind k.
func (in *injector) next() (k DefectKind, ok bool) {
	slots := in.slots
	in.slots--
	if in.left == 0 || in.rng.IntN(slots) >= in.left {
		return "", false
	}
	in.left--
	k = in.kinds[in.turn%len(in.kinds)]
	in.turn++
	in.count[k]++
	return k, true
}

// newRand returns the random stream of one purpose (stream) for one seed,
// so that the generators of a file are independent of each other: adding
// defects does not change the valid rows.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(seed^splitmix(stream)), splitmix(seed+stream)))
}

// splitmix is the SplitMix64 finaliser: a bijective mix of 64 bits.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// The random streams of the generators.
const (
	streamAssessmentDefects uint64 = iota + 1
	streamAssessmentDefectRows
	streamCoverage
	streamCoverageDefects
	streamCoverageDefectRows
	streamVenues
	streamVenueDefects
	streamVenueDefectRows
)

// unknownCode draws a well-formed commune code that INSEE never published:
// a real commune's code with its last three digits redrawn until the code
// is in neither the COG nor its history, as a typing slip makes.
func unknownCode(rng *rand.Rand, communes []geo.Commune, codes *geo.Codes) (string, error) {
	for range 1000 {
		c := communes[rng.IntN(len(communes))].Code
		code := c[:2] + strconv.Itoa(100+rng.IntN(900))
		if _, err := codes.Resolve(code); errors.Is(err, geo.ErrUnknownCode) {
			return code, nil
		}
	}
	return "", errors.New("no unknown commune code found in 1000 draws")
}

// impossibleDates are dates a calendar does not have, as spreadsheets
// and hand-typed exports produce them.
var impossibleDates = []string{"2025-02-29", "2025-02-30", "2025-04-31", "2025-06-31", "2025-09-31", "2025-11-31", "2026-02-29", "2026-02-30", "2026-04-31", "2026-06-31", "2026-09-31"}

// overseasCodes are codes of the overseas collectivities (Saint-Pierre-et-
// Miquelon, Saint-Barthélemy, Saint-Martin), which national files list
// beside the départements and illectro rejects.
var overseasCodes = []struct{ code, nom, dep string }{
	{"97501", "Miquelon-Langlade", "975"},
	{"97502", "Saint-Pierre", "975"},
	{"97701", "Saint-Barthélemy", "977"},
	{"97801", "Saint-Martin", "978"},
}

// checkRejected verifies, once per generator, that the codes it uses as
// defects are ones the loader rejects.
func checkRejected(codes *geo.Codes) error {
	for _, o := range overseasCodes {
		if _, err := codes.Resolve(o.code); err == nil {
			return fmt.Errorf("overseas code %s resolves to a commune: it would not be a defect", o.code)
		}
	}
	return nil
}
