// Package synth generates synthetic, deterministic input files for tests,
// demonstrations and benchmarks. Nothing it writes describes a real person.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/illectro/illectro/geo"
)

// AssessmentsOptions configure Assessments. Rows must be positive; the
// other zero values are sensible defaults.
type AssessmentsOptions struct {
	Rows int
	Seed uint64
	// From and To bound the assessment dates (inclusive); zero means
	// 2025-01-01 to 2026-10-31.
	From, To time.Time
	// RetestShare is the share of rows that are a later assessment of an
	// earlier respondent (default 0.03), so that deduplication is exercised.
	RetestShare float64
}

// AssessmentsHeader is the header of the generic assessment format that
// ingest reads without a mapping.
const AssessmentsHeader = "respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving"

// band describes the synthetic respondents of one age band.
//
// The figures are assumptions chosen to look like the public of digital
// self-assessments (older people are over-represented, as they are among
// people who come to mediation venues), loosely anchored on INSEE TIC 2021:
// non-use of the internet rises from a few percent before 45 to about half
// after 75; the chance of missing an area rises with age. They make a
// plausible sample, not an estimate of anything.
type band struct {
	name       string
	weight     float64 // share of respondents, before the local age adjustment
	noInternet float64 // probability of no internet use in the last 3 months
	missArea   float64 // mean probability that an area is below basic level
	working    bool    // the band lies mostly within ages 15–64
}

var bands = []band{
	{"15-29", 0.14, 0.02, 0.08, true},
	{"30-44", 0.18, 0.03, 0.12, true},
	{"45-59", 0.22, 0.07, 0.18, true},
	{"60-74", 0.26, 0.16, 0.30, false},
	{"75+", 0.20, 0.45, 0.50, false},
}

// nationalShare15to64 is the share of people aged 15–64 in the 2021 census
// (about 62 %), used to tilt each commune's age mix around the national one.
const nationalShare15to64 = 0.62

// Assessments writes rows of synthetic self-assessments in the generic
// format. Communes are drawn with probability proportional to their
// population; the age mix of each commune follows its share of people aged
// 15–64 (census 2021 from the centroids file) around the bands' weights.
// The output depends only on the options and the reference data: the same
// seed gives the same bytes.
//
// Memory grows by 4 bytes per respondent (the commune and age band of each,
// kept so that a retest can draw an earlier respondent): about 40 MB for
// 10 million rows.
func Assessments(w io.Writer, communes []geo.Commune, centroids []geo.Centroid, opt AssessmentsOptions) error {
	g, err := newAssessmentGen(communes, centroids, opt, "SYN-")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(AssessmentsHeader + "\n")
	buf := make([]byte, 0, 128)
	for range opt.Rows {
		buf = g.appendRow(buf[:0], g.next())
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// assessmentGen draws synthetic assessments one at a time. It is not safe
// for concurrent use.
type assessmentGen struct {
	opt    AssessmentsOptions
	prefix string // of respondent ids
	rng    *rand.Rand
	picked []geo.Commune // communes with a population, in input order
	cum    []float64     // cumulative population of picked
	total  float64
	// bandWeights holds, for each picked commune, len(bands)+1 values: the
	// weights of the bands tilted by its share of people aged 15–64, then
	// their sum.
	bandWeights []float64
	dates       [][10]byte // the days of the range, formatted
	// people are the respondents drawn so far, as picked index << 3 | band:
	// respondent i has id i+1.
	people []uint32
}

// assessment is one drawn row.
type assessment struct {
	id       int // respondent number, from 1
	day      int // index into dates
	commune  int // index into picked
	band     int // index into bands
	internet bool
	levels   [5]byte // '0', '1' or '2'
}

func newAssessmentGen(communes []geo.Commune, centroids []geo.Centroid, opt AssessmentsOptions, prefix string) (*assessmentGen, error) {
	if opt.Rows <= 0 {
		return nil, fmt.Errorf("rows must be positive, got %d", opt.Rows)
	}
	if opt.From.IsZero() {
		opt.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.To.IsZero() {
		opt.To = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	}
	if opt.To.Before(opt.From) {
		return nil, fmt.Errorf("date range ends (%s) before it starts (%s)", opt.To.Format(time.DateOnly), opt.From.Format(time.DateOnly))
	}
	if opt.RetestShare == 0 {
		opt.RetestShare = 0.03
	}
	days := int(opt.To.Sub(opt.From).Hours()/24) + 1
	g := &assessmentGen{opt: opt, prefix: prefix, dates: make([][10]byte, days)}
	for d := range g.dates {
		opt.From.AddDate(0, 0, d).AppendFormat(g.dates[d][:0], time.DateOnly)
	}

	share := make(map[string]float64, len(centroids))
	for _, c := range centroids {
		if c.Population2021 > 0 {
			share[c.Code] = float64(c.Population15to64) / float64(c.Population2021)
		}
	}
	g.picked = make([]geo.Commune, 0, len(communes))
	g.cum = make([]float64, 0, len(communes))
	for _, c := range communes {
		if c.PopulationMunicipale <= 0 {
			continue
		}
		g.total += float64(c.PopulationMunicipale)
		g.picked = append(g.picked, c)
		g.cum = append(g.cum, g.total)
	}
	if g.total == 0 {
		return nil, fmt.Errorf("no commune with a population to draw from")
	}
	if len(g.picked) >= 1<<29 {
		return nil, fmt.Errorf("%d communes: too many to draw from", len(g.picked))
	}
	stride := len(bands) + 1
	g.bandWeights = make([]float64, len(g.picked)*stride)
	for i, c := range g.picked {
		tilt := 1.0
		if s, ok := share[c.Code]; ok && s > 0 {
			tilt = s / nationalShare15to64
		}
		w := g.bandWeights[i*stride : (i+1)*stride]
		var sum float64
		for b, bd := range bands {
			w[b] = bd.weight
			if bd.working {
				w[b] *= tilt
			} else {
				w[b] /= tilt
			}
			sum += w[b]
		}
		w[len(bands)] = sum
	}
	g.rng = rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	// At most one new respondent per row: reserving the room once avoids
	// the copies (and the transient doubling) of a growing slice.
	g.people = make([]uint32, 0, opt.Rows)
	return g, nil
}

// next draws the next row: a retest of an earlier respondent now and then,
// else a new respondent.
func (g *assessmentGen) next() assessment {
	rng := g.rng
	var a assessment
	if len(g.people) > 0 && rng.Float64() < g.opt.RetestShare {
		i := rng.IntN(len(g.people))
		p := g.people[i]
		a.id, a.commune, a.band = i+1, int(p>>3), int(p&7)
	} else {
		c := sort.SearchFloat64s(g.cum, rng.Float64()*g.total)
		w := g.bandWeights[c*(len(bands)+1) : (c+1)*(len(bands)+1)]
		r := rng.Float64() * w[len(bands)]
		b := 0
		for ; b < len(bands)-1 && r >= w[b]; b++ {
			r -= w[b]
		}
		g.people = append(g.people, uint32(c)<<3|uint32(b))
		a.id, a.commune, a.band = len(g.people), c, b
	}
	bd := bands[a.band]
	a.day = rng.IntN(len(g.dates))
	a.internet = rng.Float64() >= bd.noInternet
	// A person-level factor in [0, 2) correlates the five areas: someone
	// who misses one area is likelier to miss the others.
	factor := 2 * rng.Float64()
	for i := range a.levels {
		level := byte('1')
		switch {
		case !a.internet && rng.Float64() < 0.8, rng.Float64() < bd.missArea*factor:
			level = '0'
		case rng.Float64() < 0.45:
			level = '2'
		}
		a.levels[i] = level
	}
	return a
}

// appendRow appends a's CSV line, newline included, to buf.
func (g *assessmentGen) appendRow(buf []byte, a assessment) []byte {
	buf = append(buf, g.prefix...)
	buf = strconv.AppendInt(buf, int64(a.id), 10)
	buf = append(buf, ',')
	buf = append(buf, g.dates[a.day][:]...)
	buf = append(buf, ',')
	buf = append(buf, g.picked[a.commune].Code...)
	buf = append(buf, ',')
	buf = append(buf, bands[a.band].name...)
	if a.internet {
		buf = append(buf, ",oui"...)
	} else {
		buf = append(buf, ",non"...)
	}
	for _, l := range a.levels {
		buf = append(buf, ',', l)
	}
	return append(buf, '\n')
}

// fields returns a's values in AssessmentsHeader order.
func (g *assessmentGen) fields(a assessment) []string {
	internet := "non"
	if a.internet {
		internet = "oui"
	}
	f := []string{g.prefix + strconv.Itoa(a.id), string(g.dates[a.day][:]), g.picked[a.commune].Code, bands[a.band].name, internet}
	for _, l := range a.levels {
		f = append(f, string(l))
	}
	return f
}

// AssessmentDefects are the kinds of defects AssessmentsWithDefects injects.
var AssessmentDefects = []DefectKind{DefectUnknownCommune, DefectImpossibleDate, DefectLevelOutOfRange, DefectMissingID, DefectUnknownAgeBand}

// unknownAgeBands are age bands of other nomenclatures, or none, that the
// loader cannot map to the INSEE bands.
var unknownAgeBands = []string{"0-14", "15-24", "25-34", "65+", "non renseigné", "?"}

// AssessmentsWithDefects writes what Assessments writes for opt, plus
// DefectRows(opt.Rows, share) rows at random positions that each carry one
// defect of AssessmentDefects, and returns their count by kind. Without the
// defective rows the output is byte for byte that of Assessments: the
// defective rows come from a generator of their own, whose respondent ids
// start with "SYN-D". The same options and share give the same bytes.
func AssessmentsWithDefects(w io.Writer, ref *Reference, opt AssessmentsOptions, share float64) (Defects, error) {
	if err := checkShare(share); err != nil {
		return nil, err
	}
	g, err := newAssessmentGen(ref.Communes, ref.Centroids, opt, "SYN-")
	if err != nil {
		return nil, err
	}
	in := newInjector(opt.Seed, streamAssessmentDefects, opt.Rows, share, AssessmentDefects)
	var bad *assessmentGen
	var rng *rand.Rand
	if in.left > 0 {
		dopt := opt
		dopt.Rows, dopt.Seed = in.left, splitmix(opt.Seed^splitmix(streamAssessmentDefectRows))
		if bad, err = newAssessmentGen(ref.Communes, ref.Centroids, dopt, "SYN-D"); err != nil {
			return nil, err
		}
		rng = newRand(opt.Seed, streamAssessmentDefectRows)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(AssessmentsHeader + "\n")
	buf := make([]byte, 0, 128)
	for in.more() {
		kind, ok := in.next()
		if !ok {
			buf = g.appendRow(buf[:0], g.next())
		} else {
			f := bad.fields(bad.next())
			switch kind {
			case DefectUnknownCommune:
				if f[2], err = unknownCode(rng, ref.Communes, ref.Codes); err != nil {
					return nil, err
				}
			case DefectImpossibleDate:
				f[1] = impossibleDates[rng.IntN(len(impossibleDates))]
			case DefectLevelOutOfRange:
				f[5+rng.IntN(5)] = strconv.Itoa(3 + rng.IntN(7))
			case DefectMissingID:
				f[0] = []string{"", "NA"}[rng.IntN(2)]
			case DefectUnknownAgeBand:
				f[3] = unknownAgeBands[rng.IntN(len(unknownAgeBands))]
			}
			buf = append(buf[:0], strings.Join(f, ",")...)
			buf = append(buf, '\n')
		}
		if _, err := bw.Write(buf); err != nil {
			return nil, err
		}
	}
	return in.count, bw.Flush()
}

// Format writes assessments from communes and their centroids: Assessments
// (illectro's generic format) or PixAssessments (a Pix Orga export).
type Format func(w io.Writer, communes []geo.Commune, centroids []geo.Centroid, opt AssessmentsOptions) error

// FromEmbedded writes assessments in format, drawn from the embedded
// communes and their census centroids.
func FromEmbedded(w io.Writer, opt AssessmentsOptions, format Format) error {
	communes, err := geo.Communes()
	if err != nil {
		return err
	}
	centroids, err := geo.Centroids()
	if err != nil {
		return err
	}
	return format(w, communes, centroids, opt)
}
