package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/illectro/illectro/geo"
)

// CoverageOptions configure Coverage. The zero value is a file without
// defects for seed 0 and period 2025-12-31.
type CoverageOptions struct {
	Seed uint64
	// DefectShare is the share of rows that carry a defect, from 0 to
	// MaxDefectShare.
	DefectShare float64
	// Period is the date of the file (the end of an ARCEP quarter); zero
	// means 2025-12-31.
	Period time.Time
}

// CoverageHeader is the header of ARCEP's per-commune files in their
// current (cumulative) layout, as the loader reads them.
const CoverageHeader = "code_insee;nom_com;code_dep;code_reg;nbr;type;inel_hd;elig_hd05;elig_hd3;elig_bhd8;elig_thd30;elig_thd100;elig_thd1g;date"

// CoverageDefects are the kinds of defects Coverage injects.
var CoverageDefects = []DefectKind{DefectUnknownCommune, DefectOverseasCollectivity, DefectNegativeCount, DefectNonCumulative, DefectImpossibleDate}

// Coverage writes synthetic fixed-broadband eligibility for every commune
// of ref, in COG order, in ARCEP's current per-commune layout (';'
// separated, one row per commune and period): nbr premises, then the
// premises by best available speed. Below 8 Mbit/s the classes are bins
// (inel_hd below 0.5 Mbit/s, elig_hd05 from 0.5 to 3, elig_hd3 from 3 to 8)
// that add up with elig_bhd8 to nbr; from 8 Mbit/s up they are cumulative:
// elig_thd1g ≤ elig_thd100 ≤ elig_thd30 ≤ elig_bhd8 ≤ nbr.
//
// The figures are assumptions that look like the end of 2025, not an
// estimate of anything: premises are about 0.55 to 0.85 per inhabitant
// (more in rural communes, with their second homes and farm buildings);
// fibre reaches most premises of most communes, and rural communes (by
// population density) are less often fully served and have fewer
// alternatives above 30 Mbit/s.
//
// Among the communes' rows, at random positions, DefectRows(communes,
// share) extra rows each carry one defect of CoverageDefects; their count
// by kind is returned. The valid rows do not depend on the share. The same
// options give the same bytes.
func Coverage(w io.Writer, ref *Reference, opt CoverageOptions) (Defects, error) {
	if err := checkShare(opt.DefectShare); err != nil {
		return nil, err
	}
	if len(ref.Communes) == 0 {
		return nil, fmt.Errorf("no commune to cover")
	}
	if err := checkRejected(ref.Codes); err != nil {
		return nil, err
	}
	if opt.Period.IsZero() {
		opt.Period = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	period := opt.Period.Format(time.DateOnly)
	area := communeAreas(ref)
	rng := newRand(opt.Seed, streamCoverage)
	drng := newRand(opt.Seed, streamCoverageDefectRows)
	in := newInjector(opt.Seed, streamCoverageDefects, len(ref.Communes), opt.DefectShare, CoverageDefects)

	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(CoverageHeader + "\n")
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	rec := make([]string, 14)
	next := 0
	for in.more() {
		kind, bad := in.next()
		var c geo.Commune
		var n [8]int64
		if bad {
			c = ref.Communes[drng.IntN(len(ref.Communes))]
			n = coverageCounts(drng, c, area[c.Code])
		} else {
			c = ref.Communes[next]
			next++
			n = coverageCounts(rng, c, area[c.Code])
		}
		rec[0], rec[1], rec[2], rec[3] = c.Code, c.Nom, c.CodeDepartement, c.CodeRegion
		rec[5], rec[13] = "logloc", period
		cols := [8]int{4, 6, 7, 8, 9, 10, 11, 12} // nbr, inel_hd … elig_thd1g
		for i, v := range n {
			rec[cols[i]] = strconv.FormatInt(v, 10)
		}
		switch kind {
		case DefectUnknownCommune:
			code, err := unknownCode(drng, ref.Communes, ref.Codes)
			if err != nil {
				return nil, err
			}
			rec[0] = code
		case DefectOverseasCollectivity:
			o := overseasCodes[drng.IntN(len(overseasCodes))]
			rec[0], rec[1], rec[2], rec[3] = o.code, o.nom, o.dep, ""
		case DefectNegativeCount:
			i := drng.IntN(8)
			rec[cols[i]] = strconv.FormatInt(-1-drng.Int64N(max(1, n[i])), 10)
		case DefectNonCumulative:
			// More premises at ≥ 100 Mbit/s than at ≥ 30 Mbit/s.
			rec[cols[6]] = strconv.FormatInt(n[5]+1+drng.Int64N(max(1, n[5]/10+1)), 10)
		case DefectImpossibleDate:
			rec[13] = impossibleDates[drng.IntN(len(impossibleDates))]
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return in.count, bw.Flush()
}

// coverageCounts draws a commune's premises and their eligibility: nbr,
// inel_hd, elig_hd05, elig_hd3, elig_bhd8, elig_thd30, elig_thd100,
// elig_thd1g (see Coverage).
func coverageCounts(rng *rand.Rand, c geo.Commune, areaKm2 float64) [8]int64 {
	pop := float64(c.PopulationMunicipale)
	// urban runs from 0 (20 inhabitants per km² or fewer) to 1 (2 000 or
	// more); without an area, the population alone stands for density.
	density := pop / 10
	if areaKm2 > 0 {
		density = pop / areaKm2
	}
	urban := clamp((math.Log10(density+1)-1.3)/2, 0, 1)
	perInhabitant := 0.55 + 0.2*(1-urban) + 0.1*rng.Float64()
	nbr := int64(math.Round(pop * perInhabitant))

	// Shares of premises at or above each speed, nested.
	var s1g float64
	if rng.Float64() < 0.70+0.27*urban { // fibre deployed across the commune
		s1g = 0.80 + 0.19*rng.Float64()
	} else { // deployment under way
		s1g = 0.7 * rng.Float64()
	}
	s100 := s1g + (1-s1g)*(0.05+0.25*urban)*rng.Float64() // cable, VDSL2 near the exchange
	s30 := s100 + (1-s100)*(0.2+0.2*urban+0.3*rng.Float64())
	s8 := s30 + (1-s30)*(0.5+0.4*rng.Float64())

	thd1g := int64(float64(nbr) * s1g)
	thd100 := max(thd1g, int64(float64(nbr)*s100))
	thd30 := max(thd100, int64(float64(nbr)*s30))
	bhd8 := min(nbr, max(thd30, int64(float64(nbr)*s8)))
	low := nbr - bhd8
	hd3 := int64(float64(low) * (0.4 + 0.2*rng.Float64()))
	hd05 := int64(float64(low-hd3) * (0.5 + 0.3*rng.Float64()))
	inel := low - hd3 - hd05
	return [8]int64{nbr, inel, hd05, hd3, bhd8, thd30, thd100, thd1g}
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// communeAreas sums the areas of the 2024 centroids by the current commune
// each resolves to (communes merged since 2024 have several).
func communeAreas(ref *Reference) map[string]float64 {
	out := make(map[string]float64, len(ref.Communes))
	for _, c := range ref.Centroids {
		res, err := ref.Codes.Resolve(c.Code)
		if err != nil {
			continue
		}
		out[res.Code] += c.AreaKm2
	}
	return out
}
