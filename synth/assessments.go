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
func Assessments(w io.Writer, communes []geo.Commune, centroids []geo.Centroid, opt AssessmentsOptions) error {
	if opt.Rows <= 0 {
		return fmt.Errorf("rows must be positive, got %d", opt.Rows)
	}
	if opt.From.IsZero() {
		opt.From = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.To.IsZero() {
		opt.To = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	}
	if opt.To.Before(opt.From) {
		return fmt.Errorf("date range ends (%s) before it starts (%s)", opt.To.Format(time.DateOnly), opt.From.Format(time.DateOnly))
	}
	if opt.RetestShare == 0 {
		opt.RetestShare = 0.03
	}
	days := int(opt.To.Sub(opt.From).Hours()/24) + 1

	share := make(map[string]float64, len(centroids))
	for _, c := range centroids {
		if c.Population2021 > 0 {
			share[c.Code] = float64(c.Population15to64) / float64(c.Population2021)
		}
	}
	picked := make([]geo.Commune, 0, len(communes))
	cum := make([]float64, 0, len(communes))
	var total float64
	for _, c := range communes {
		if c.PopulationMunicipale <= 0 {
			continue
		}
		total += float64(c.PopulationMunicipale)
		picked = append(picked, c)
		cum = append(cum, total)
	}
	if total == 0 {
		return fmt.Errorf("no commune with a population to draw from")
	}

	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(AssessmentsHeader + "\n")

	type person struct {
		id      int
		commune string
		band    int
	}
	var people []person
	buf := make([]byte, 0, 128)
	weights := make([]float64, len(bands))
	for i := 0; i < opt.Rows; i++ {
		var p person
		if len(people) > 0 && rng.Float64() < opt.RetestShare {
			p = people[rng.IntN(len(people))]
		} else {
			c := picked[sort.SearchFloat64s(cum, rng.Float64()*total)]
			tilt := 1.0
			if s, ok := share[c.Code]; ok && s > 0 {
				tilt = s / nationalShare15to64
			}
			var sum float64
			for b, bd := range bands {
				weights[b] = bd.weight
				if bd.working {
					weights[b] *= tilt
				} else {
					weights[b] /= tilt
				}
				sum += weights[b]
			}
			r := rng.Float64() * sum
			b := 0
			for ; b < len(bands)-1 && r >= weights[b]; b++ {
				r -= weights[b]
			}
			p = person{id: len(people) + 1, commune: c.Code, band: b}
			people = append(people, p)
		}
		bd := bands[p.band]
		date := opt.From.AddDate(0, 0, rng.IntN(days))
		internet := rng.Float64() >= bd.noInternet
		// A person-level factor in [0, 2) correlates the five areas: someone
		// who misses one area is likelier to miss the others.
		factor := 2 * rng.Float64()
		buf = buf[:0]
		buf = append(buf, "SYN-"...)
		buf = strconv.AppendInt(buf, int64(p.id), 10)
		buf = append(buf, ',')
		buf = date.AppendFormat(buf, time.DateOnly)
		buf = append(buf, ',')
		buf = append(buf, p.commune...)
		buf = append(buf, ',')
		buf = append(buf, bd.name...)
		if internet {
			buf = append(buf, ",oui"...)
		} else {
			buf = append(buf, ",non"...)
		}
		for range 5 {
			level := byte('1')
			switch {
			case !internet && rng.Float64() < 0.8, rng.Float64() < bd.missArea*factor:
				level = '0'
			case rng.Float64() < 0.45:
				level = '2'
			}
			buf = append(buf, ',', level)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
