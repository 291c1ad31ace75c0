package diagnostics

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	gosql "database/sql"
	"database/sql/driver"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	duckdb "github.com/duckdb/duckdb-go/v2"

	isql "github.com/illectro/illectro/sql"
)

// ModelOptions configure the small-area model of illectronism. The zero
// value uses the built-in margins and national structure.
type ModelOptions struct {
	// Margins are the published rates the model reproduces; nil means
	// DefaultMargins. StoreModelReference stores them in
	// ref_illectronism_margins, and EstimateIllectronism fits the margins
	// stored there: the data tests and analysts read the very figures the
	// model was fitted to.
	Margins []Margin
	// National is the national joint distribution; nil means
	// DefaultNational.
	National *National
	// Draws is the number of random fits behind the uncertainty band; 0
	// means DefaultDraws.
	Draws int
	// LocalEstimates are published local estimates the model is compared
	// with (never fitted); nil means DefaultLocalEstimates, an empty slice
	// none.
	LocalEstimates []LocalEstimate
	// Program identifies the code that fits (e.g. a digest of the
	// executable). When set, EstimateIllectronism keeps the stored fit if
	// the program and every input of the model (communes, margins,
	// national structure, draws) are those it was made from; empty always
	// fits again.
	Program string
}

// DefaultDraws is the number of random fits behind the uncertainty band:
// enough for stable 5th and 95th percentiles (the band moves by less than
// 0.1 % of the estimate between 200 and 400 draws on the bundled data).
const DefaultDraws = 200

// BandLow and BandHigh are the percentiles of the draws that bound the
// published band: a 90 % interval.
const (
	BandLow  = 0.05
	BandHigh = 0.95
)

// drawSeed fixes the random draws, so that the same inputs give the same
// band, byte for byte.
const drawSeed = 20211953

// withDefaults fills the zero values.
func (o ModelOptions) withDefaults() (ModelOptions, error) {
	var err error
	if o.Margins == nil {
		if o.Margins, err = DefaultMargins(); err != nil {
			return o, err
		}
	}
	if o.National == nil {
		if o.National, err = DefaultNational(); err != nil {
			return o, err
		}
	}
	if o.LocalEstimates == nil {
		if o.LocalEstimates, err = DefaultLocalEstimates(); err != nil {
			return o, err
		}
	}
	if o.Draws == 0 {
		o.Draws = DefaultDraws
	}
	if o.Draws < 20 {
		return o, fmt.Errorf("illectronism model: %d draws are too few for a 90 %% band (at least 20)", o.Draws)
	}
	return o, nil
}

// StoreModelReference writes the margins and the national structure the
// model is run with into ref_illectronism_margins and
// ref_national_structure, so that SQL (the age groups, Mayotte's age
// structure, the data tests) and analysts read the same figures as the
// model.
func StoreModelReference(ctx context.Context, db *gosql.DB, opt ModelOptions) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, m := range opt.Margins {
		ids[m.ID] = true
	}
	for _, e := range opt.LocalEstimates {
		if !ids[e.Ref] {
			return fmt.Errorf("store model reference: local estimate %s %s: reference %q is not a margin", e.Level, e.Code, e.Ref)
		}
	}
	return isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		for _, q := range []string{"DELETE FROM ref_illectronism_margins", "DELETE FROM ref_national_structure", "DELETE FROM ref_illectronism_local_estimates"} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("store model reference: %w", err)
			}
		}
		err := conn.Raw(func(dc any) error {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "ref_illectronism_margins")
			if err != nil {
				return err
			}
			for _, m := range opt.Margins {
				if err := a.AppendRow(m.ID, int32(m.Year), m.Field, m.Dimension, m.Level, m.Label, m.Rate,
					m.Tolerance, m.StdErr, m.Use, nullString(m.Ref), m.Source, m.URL, m.Status); err != nil {
					a.Close()
					return err
				}
			}
			if err := a.Close(); err != nil {
				return err
			}
			a, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "ref_illectronism_local_estimates")
			if err != nil {
				return err
			}
			for _, e := range opt.LocalEstimates {
				if err := a.AppendRow(e.Level, e.Code, e.Label, e.Region, int32(e.Year), e.Rate, e.People, e.Ref, e.Source, e.URL); err != nil {
					a.Close()
					return err
				}
			}
			if err := a.Close(); err != nil {
				return err
			}
			a, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "ref_national_structure")
			if err != nil {
				return err
			}
			for _, r := range opt.National.Rows {
				if err := a.AppendRow(r.Table, r.Age, r.Level, r.Value, r.Source, r.URL, r.Comment); err != nil {
					a.Close()
					return err
				}
			}
			return a.Close()
		})
		if err != nil {
			return fmt.Errorf("store model reference: %w", err)
		}
		return nil
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// communeInput is what the views say of one current commune.
type communeInput struct {
	code, departement, region string
	epci                      string    // SIREN of its EPCI; empty for the four island communes in none
	category                  string    // one of CommuneCategories
	p15                       float64   // people aged 15+
	age                       []float64 // shares of the model's age groups among them
	lowDiploma, poverty       float64   // NaN when unknown
	dom, mayotte              bool

	// Filled by prepareInputs.
	m                                        Margins
	diplomaSource, incomeSource, aloneSource string
}

// ModelSummary is what EstimateIllectronism tells of its fits.
type ModelSummary struct {
	Communes           int
	National, Overseas float64 // central rates of France outside Mayotte and of the overseas départements with Mayotte (0–1)
	Iterations         int     // Newton steps of the central fit
	WorstMargin        string  // the constraint reproduced least closely by the central fit
	WorstGap           float64 // and how far, in points of percentage (absolute)
	// Association is the log odds ratio of diploma and income in the seed
	// (National.DiplomaIncome, calibrated on the published adjusted ratios).
	Association float64
	// Residual is what the model leaves unexplained of the published local
	// figures, carried into the band.
	Residual Residual
	// Reused is true when the stored fit was kept: it had been made from
	// the same program and inputs (ModelOptions.Program).
	Reused bool
}

// EstimateIllectronism runs the small-area model and rewrites its diag_*
// tables in one transaction: the estimate of every commune with its band,
// the bands of EPCI, départements, régions and France, the fitted cells, every
// margin with its modelled value, and the effects. It fits the margins
// stored in ref_illectronism_margins (opt.Margins only matters to
// StoreModelReference). The views must have been built (isql.BuildViews)
// after StoreModelReference. With opt.Program set, a stored fit made by
// the same program from the same inputs is kept, tables untouched, and its
// summary returned with Reused set.
func EstimateIllectronism(ctx context.Context, db *gosql.DB, opt ModelOptions) (ModelSummary, error) {
	var sum ModelSummary
	opt, err := opt.withDefaults()
	if err != nil {
		return sum, err
	}
	communes, err := readModelInputs(ctx, db)
	if err != nil {
		return sum, err
	}
	if len(communes) == 0 {
		return sum, errors.New("illectronism model: no commune in the reference data")
	}
	if err := prepareInputs(communes, opt.National); err != nil {
		return sum, err
	}
	if opt.Margins, err = storedMargins(ctx, db); err != nil {
		return sum, err
	}
	// The digest finds a stored fit of the same inputs; with no program to
	// tell, it is only written with the tables, and formatted meanwhile.
	digest := make(chan string, 1)
	if opt.Program != "" {
		d := modelDigest(opt, communes)
		stored, ok, err := storedFit(ctx, db, d)
		if err != nil || ok {
			return stored, err
		}
		digest <- d
	} else {
		go func(opt ModelOptions) { digest <- modelDigest(opt, communes) }(opt)
	}
	byID := map[string]Margin{}
	for _, m := range opt.Margins {
		byID[m.ID] = m
	}

	// The association of diploma and income, from the published adjusted
	// ratios, on a copy of the national structure.
	nat := *opt.National
	field, overseas := 0.0, 0.0
	for _, c := range communes {
		if !c.mayotte {
			field += c.p15
			if c.dom {
				overseas += c.p15
			}
		}
	}
	if _, err := nat.CalibrateAssociation(opt.Margins, overseas/field); err != nil {
		return sum, fmt.Errorf("illectronism model: %w", err)
	}
	sum.Association = nat.DiplomaIncome

	// Rake every commune once, each on its own (in parallel); its cells,
	// in people, stay for the estimates.
	seed := nat.Seed()
	cells := make([]float32, len(communes)*NCells)
	rakeErrs := make([]error, len(communes))
	scratch := make([][]float64, runtime.GOMAXPROCS(0))
	parallel((len(communes)+1)/2, func(w, pair int) {
		if scratch[w] == nil {
			scratch[w] = make([]float64, 2*NCells)
		}
		// two communes at a time (the last alone)
		i, shares := 2*pair, [2][]float64{scratch[w][:NCells], scratch[w][NCells:]}
		var errs [2]error
		if i+1 < len(communes) {
			_, _, errs[0], errs[1] = rakeTwo(seed, communes[i].m, communes[i+1].m, 1e-9, shares[0], shares[1])
		} else {
			_, errs[0] = Rake(seed, communes[i].m, 1e-9, shares[0])
		}
		for l := range min(2, len(communes)-i) {
			c := &communes[i+l]
			if errs[l] != nil {
				rakeErrs[i+l] = fmt.Errorf("illectronism model: commune %s: %w", c.code, errs[l])
				continue
			}
			row := cells[(i+l)*NCells : (i+l+1)*NCells]
			for k, v := range shares[l] {
				row[k] = float32(c.p15 * v)
			}
		}
	})
	// The strata's people add up in the order of the communes.
	type stratumKey struct{ region, category string }
	strataOf := map[stratumKey]int{}
	var strata []*Stratum
	stratumOf := make([]int, len(communes))
	for i := range communes {
		c := &communes[i]
		if rakeErrs[i] != nil {
			return sum, rakeErrs[i]
		}
		s, ok := strataOf[stratumKey{c.region, c.category}]
		if !ok {
			s = len(strata)
			strataOf[stratumKey{c.region, c.category}] = s
			strata = append(strata, &Stratum{Region: c.region, DOM: c.dom, Mayotte: c.mayotte, Category: c.category, N: make([]float64, NCells)})
		}
		stratumOf[i] = s
		for k, n := range cells[i*NCells : (i+1)*NCells] {
			strata[s].N[k] += float64(n)
		}
	}

	// The central fit and the 2019 variant, side by side; then the fits
	// that start from them.
	designs := newDesigns(strata)
	var central, variant *Fit
	var centralErr, variantErr error
	parallel(2, func(_, i int) {
		if i == 0 {
			central, centralErr = fitMargins(strata, opt.Margins, byID, Central, "", nil, designs)
		} else {
			variant, variantErr = fitMargins(strata, opt.Margins, byID, Structure2019, "", nil, designs)
		}
	})
	for _, err := range []error{centralErr, variantErr} {
		if err != nil {
			return sum, fmt.Errorf("illectronism model: %w", err)
		}
	}
	// Leave each benchmark out in turn, what the model says of the région
	// without its published rate, while the draws are fitted.
	var benchmarks []Margin
	for _, m := range central.Margins {
		if m.Use == UseBenchmark {
			benchmarks = append(benchmarks, m)
		}
	}
	predicted := make([]float64, len(benchmarks))
	looErrs := make([]error, len(benchmarks))
	var loo sync.WaitGroup
	loo.Go(func() {
		parallel(len(benchmarks), func(_, i int) {
			m := benchmarks[i]
			f, err := fitMargins(strata, opt.Margins, byID, Central, m.ID, central, designs)
			if err != nil {
				looErrs[i] = fmt.Errorf("illectronism model without %s: %w", m.ID, err)
				return
			}
			predicted[i], looErrs[i] = f.Modelled(m, byID)
		})
	})
	draws, drawErr := drawFits(strata, opt.Margins, byID, opt.Draws, central, variant, designs)
	loo.Wait()
	without := map[string]float64{}
	for i, m := range benchmarks {
		if looErrs[i] != nil {
			return sum, looErrs[i]
		}
		without[m.ID] = predicted[i]
	}
	if drawErr != nil {
		return sum, drawErr
	}

	est := estimate(communes, cells, stratumOf, central, variant, draws)
	res, err := residualSpread(opt.Margins, byID, without, central, communes, est)
	if err != nil {
		return sum, err
	}
	est.summarise(communes, res.offsets(communes, opt.Margins, opt.Draws))
	rows, err := marginRows(opt.Margins, byID, central, variant, without, communes, est)
	if err != nil {
		return sum, err
	}

	sum.Communes = len(communes)
	sum.Iterations = central.Iterations
	sum.National = est.bands["france"][""].rate()
	sum.Overseas = est.bands["outre_mer"][""].rate()
	for _, r := range rows {
		if gap := math.Abs(r.central - r.m.Rate); r.constraint && gap*100 > sum.WorstGap {
			sum.WorstMargin, sum.WorstGap = r.m.ID, gap*100
		}
	}
	var ratios []ratioRow
	for _, r := range nat.Ratios {
		or, err := central.OddsRatio(r)
		if err != nil {
			return sum, err
		}
		ratios = append(ratios, ratioRow{r, or})
	}
	sum.Residual = res
	return sum, writeModel(ctx, db, communes, cells, stratumOf, central, variant, est, rows, ratios, nat.DiplomaIncome, res, digest, sum)
}

// modelDigest identifies a fit's inputs: the program, the communes as read
// and prepared, the margins fitted, the national structure and the number
// of draws. The model is deterministic (its draws are seeded), so the same
// digest gives the same diag_* tables.
func modelDigest(opt ModelOptions, communes []communeInput) string {
	h := sha256.New()
	fmt.Fprintf(h, "program %q\ndraws %d\nnational %#v\nmargins %#v\ncommunes ",
		opt.Program, opt.Draws, *opt.National, opt.Margins)
	// %#v of the communes, the slice's bytes exactly, formatted in parallel
	// by chunks (a fifth of a second on one core for France)
	if communes == nil {
		fmt.Fprintf(h, "%#v\n", communes)
		return hex.EncodeToString(h.Sum(nil))
	}
	const chunk = 512
	parts := make([]bytes.Buffer, (len(communes)+chunk-1)/chunk)
	size := len(fmt.Sprintf("%#v", communes[0])) * 5 / 4 * chunk // about
	parallel(len(parts), func(_, i int) {
		parts[i].Grow(size)
		for j := i * chunk; j < min((i+1)*chunk, len(communes)); j++ {
			if j > 0 {
				parts[i].WriteString(", ")
			}
			fmt.Fprintf(&parts[i], "%#v", communes[j])
		}
	})
	fmt.Fprintf(h, "%T{", communes)
	for i := range parts {
		h.Write(parts[i].Bytes())
	}
	h.Write([]byte("}\n"))
	return hex.EncodeToString(h.Sum(nil))
}

// storedFit returns the summary of the stored fit when it was made from
// the inputs of digest.
func storedFit(ctx context.Context, db *gosql.DB, digest string) (ModelSummary, bool, error) {
	var sum ModelSummary
	var b []byte
	err := db.QueryRowContext(ctx, `SELECT summary FROM diag_illectronism_fit WHERE input_digest = ?`, digest).Scan(&b)
	if errors.Is(err, gosql.ErrNoRows) {
		return sum, false, nil
	}
	if err != nil {
		return sum, false, fmt.Errorf("illectronism model: read the stored fit: %w", err)
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&sum); err != nil {
		return sum, false, fmt.Errorf("illectronism model: the stored fit's summary: %w", err)
	}
	sum.Reused = true
	return sum, true, nil
}

// storedMargins reads the margins StoreModelReference stored.
func storedMargins(ctx context.Context, db *gosql.DB) ([]Margin, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, year, field, dimension, level, label, rate, tolerance, std_err, use,
		coalesce(reference, ''), source, url, status FROM ref_illectronism_margins ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("illectronism model: read the margins: %w", err)
	}
	defer rows.Close()
	var ms []Margin
	for rows.Next() {
		var m Margin
		if err := rows.Scan(&m.ID, &m.Year, &m.Field, &m.Dimension, &m.Level, &m.Label, &m.Rate, &m.Tolerance, &m.StdErr,
			&m.Use, &m.Ref, &m.Source, &m.URL, &m.Status); err != nil {
			return nil, fmt.Errorf("illectronism model: read the margins: %w", err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("illectronism model: read the margins: %w", err)
	}
	if len(ms) == 0 {
		return nil, errors.New("illectronism model: no margin stored (ref_illectronism_margins is empty: StoreModelReference first)")
	}
	return ms, nil
}

// readModelInputs reads the communes with their local data.
func readModelInputs(ctx context.Context, db *gosql.DB) ([]communeInput, error) {
	splits := map[string][]float64{} // broad group → shares of its fine groups
	err := isql.EachRow(ctx, db, isql.ModelAgeGroupsQuery, func(rows *gosql.Rows) error {
		var group, broad string
		var share float64
		if err := rows.Scan(&group, &broad, &share); err != nil {
			return err
		}
		g := slices.Index(AgeGroups, group)
		if g < 0 {
			return fmt.Errorf("age group %q is not one of the model's", group)
		}
		if splits[broad] == nil {
			splits[broad] = make([]float64, nAges)
		}
		splits[broad][g] = share
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("illectronism model: read age groups: %w", err)
	}
	var out []communeInput
	err = isql.EachRow(ctx, db, isql.ModelCommunesQuery, func(rows *gosql.Rows) error {
		var c communeInput
		var pop float64
		var s1524, s2564, s65 float64
		var diploma, poverty gosql.NullFloat64
		var epci gosql.NullString
		if err := rows.Scan(&c.code, &c.departement, &c.region, &epci, &c.category, &pop, &s1524, &s2564, &s65,
			&diploma, &poverty); err != nil {
			return err
		}
		c.epci = epci.String
		if !slices.Contains(CommuneCategories, c.category) {
			return fmt.Errorf("commune %s: category %q: want one of %s", c.code, c.category, strings.Join(CommuneCategories, ", "))
		}
		c.p15 = pop * (s1524 + s2564 + s65)
		c.age = make([]float64, nAges)
		// each fine group is in one broad group: the order of the broad
		// groups does not change the sums
		for _, b := range [...]struct {
			broad string
			share float64
		}{{"15-24", s1524}, {"25-64", s2564}, {"65+", s65}} {
			split, ok := splits[b.broad]
			if !ok {
				return fmt.Errorf("no age groups for the broad group %s", b.broad)
			}
			for g, v := range split {
				if c.p15 > 0 {
					c.age[g] += pop * b.share * v / c.p15
				}
			}
		}
		c.lowDiploma, c.poverty = pct(diploma), pct(poverty)
		c.dom = strings.HasPrefix(c.departement, "97")
		c.mayotte = c.departement == "976"
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("illectronism model: read communes: %w", err)
	}
	return out, nil
}

// pct turns a percentage into a share, NaN when unknown.
func pct(v gosql.NullFloat64) float64 {
	if !v.Valid || math.IsNaN(v.Float64) {
		return math.NaN()
	}
	return v.Float64 / 100
}

// Bounds of the local shares fed to raking: a published 0 % or 100 % in a
// tiny commune is rounding, not an absence.
const minShare, maxShare = 0.002, 0.998

func clampShare(v float64) float64 { return math.Min(maxShare, math.Max(minShare, v)) }

// prepareInputs turns the local data into each commune's margins. A figure
// missing in a commune is taken from its département (the mean of its
// communes that have it, weighted by people aged 15+), else its région, else
// overseas or mainland France; the source is recorded.
//
//   - diploma: the IFN input TX_NSCOL15P is (no diploma or CEP + BEPC + CAP,
//     BEP) out of school ÷ all people aged 15+ (census 2017): the share of the
//     two lowest levels of the model;
//   - standard of living: the IFN input TX_POVERTY is the share of tax
//     households with a reference income up to 12 000 € (DGFiP, IRCOM). The
//     commune's shares of the national quintiles shift with it on the logit
//     scale: share in the 40 % most modest = expit(logit 0.4 + κ₁ + δ), in
//     the 20 % most affluent = 1 − expit(logit 0.8 + κ₂ + δ), δ = logit P −
//     logit P̄, κ₁ and κ₂ such that France outside Mayotte has 40 % and 20 %;
//   - living alone: the commune's age structure with the national share
//     living alone at each age. The IFN input TX_MENSEUL counts one-person
//     households, not people by age: raked onto people with the national
//     association of age and living alone, its urban excess of young single
//     people would be given to older people too, and the model would move
//     risk into the cities, where Insee's local estimates are lowest (in
//     Hauts-de-France, the correlation with Insee's intercommunal estimates
//     falls from 0.96 to 0.93 with it).
func prepareInputs(communes []communeInput, nat *National) error {
	for i := range communes {
		if c := &communes[i]; c.mayotte && math.IsNaN(c.lowDiploma) {
			c.lowDiploma, c.diplomaSource = nat.Mayotte["part_peu_diplomes_des_15_plus"], "mayotte"
		}
	}
	fill := func(get func(*communeInput) *float64, source func(*communeInput) *string) {
		type acc struct{ sum, w float64 }
		dep, reg, side := map[string]*acc{}, map[string]*acc{}, map[bool]*acc{}
		add := func(m map[string]*acc, k string, v, w float64) {
			if m[k] == nil {
				m[k] = &acc{}
			}
			m[k].sum += v * w
			m[k].w += w
		}
		for i := range communes {
			c := &communes[i]
			if v := *get(c); !math.IsNaN(v) {
				add(dep, c.departement, v, c.p15)
				add(reg, c.region, v, c.p15)
				if side[c.dom] == nil {
					side[c.dom] = &acc{}
				}
				side[c.dom].sum += v * c.p15
				side[c.dom].w += c.p15
			}
		}
		for i := range communes {
			c := &communes[i]
			if !math.IsNaN(*get(c)) {
				if *source(c) == "" {
					*source(c) = "commune"
				}
				continue
			}
			for _, try := range []struct {
				a    *acc
				name string
			}{{dep[c.departement], "departement"}, {reg[c.region], "region"}, {side[c.dom], "outre_mer_ou_metropole"}} {
				if try.a != nil && try.a.w > 0 {
					*get(c), *source(c) = try.a.sum/try.a.w, try.name
					break
				}
			}
		}
	}
	fill(func(c *communeInput) *float64 { return &c.lowDiploma }, func(c *communeInput) *string { return &c.diplomaSource })
	fill(func(c *communeInput) *float64 { return &c.poverty }, func(c *communeInput) *string { return &c.incomeSource })

	// With no socio-demographic data at all, the national structure.
	var field []*communeInput
	for i := range communes {
		c := &communes[i]
		if math.IsNaN(c.lowDiploma) {
			c.lowDiploma, c.diplomaSource = nat.LowDiplomaShare(), "france"
		}
		if !c.mayotte {
			field = append(field, c)
		}
	}
	// Standard of living (without any income data, every commune has the
	// national distribution: δ = 0).
	known := 0.0
	meanP := 0.0
	for _, c := range field {
		if !math.IsNaN(c.poverty) {
			known += c.p15
			meanP += c.p15 * clampShare(c.poverty)
		}
	}
	if known > 0 {
		meanP = logit(clampShare(meanP / known))
	}
	delta := func(c *communeInput) float64 {
		if math.IsNaN(c.poverty) {
			return 0
		}
		return logit(clampShare(c.poverty)) - meanP
	}
	for i := range communes {
		if c := &communes[i]; math.IsNaN(c.poverty) {
			c.incomeSource = "france"
		}
	}
	// The mean over the field of expit(at + k + δ), weighted by people aged
	// 15+, which each bisection evaluates 100 times: expit is taken once per
	// distinct δ (most communes have no income figure: δ = 0), and the
	// terms add up in commune order. The two bisections run side by side.
	var deltas []float64
	which, people := make([]int, len(field)), make([]float64, len(field))
	index := map[uint64]int{}
	w := 0.0
	for i, c := range field {
		d := delta(c)
		u, ok := index[math.Float64bits(d)]
		if !ok {
			u = len(deltas)
			index[math.Float64bits(d)] = u
			deltas = append(deltas, d)
		}
		which[i], people[i] = u, c.p15
		w += c.p15
	}
	shift := func(at, want float64) float64 {
		rates := make([]float64, len(deltas))
		return solveShift(func(k float64) float64 {
			for u, d := range deltas {
				rates[u] = expit(at + k + d)
			}
			s := 0.0
			for i, n := range people {
				s += rates[which[i]] * n
			}
			return s / w
		}, want)
	}
	var k1, k2 float64
	parallel(2, func(_, i int) {
		if i == 0 {
			k1 = shift(logit(0.4), nat.IncomeShares[IncomeQ1Q2])
		} else {
			k2 = shift(logit(0.8), 1-nat.IncomeShares[IncomeQ5])
		}
	})
	for i := range communes {
		c := &communes[i]
		d := delta(c)
		q12 := expit(logit(0.4) + k1 + d)
		q1234 := math.Max(q12, expit(logit(0.8)+k2+d))
		c.m = Margins{
			Age:        c.age,
			LowDiploma: clampShare(c.lowDiploma),
			Income:     [nIncomes]float64{q12, q1234 - q12, 1 - q1234},
		}
		if c.p15 <= 0 {
			c.m.Age = slices.Clone(nat.AgeShares)
		}
		for g, a := range c.m.Age {
			c.m.Alone += a * nat.AloneByAge[g]
		}
		c.aloneSource = "age"
	}
	return nil
}

// solveShift finds k with f(k) = want, f increasing.
func solveShift(f func(float64) float64, want float64) float64 {
	lo, hi := -10.0, 10.0
	for range 100 {
		mid := (lo + hi) / 2
		if f(mid) < want {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// drawFits fits the model n times on margins drawn around the published
// ones: each published rate moves by its sampling error and its rounding
// (normal, variance StdErr² + Tolerance²/3), and every other draw takes the
// 2019 age structure. The regional benchmarks move together around their
// common level (centreBenchmarks), and the references they are relative to
// stay: the national rate carries the uncertainty of the level. It returns
// the rates of each stratum's cells under each draw: draw d of stratum s is
// out[s][d×NCells:(d+1)×NCells].
func drawFits(strata []*Stratum, margins []Margin, byID map[string]Margin, n int, central, variant *Fit, designs *designs) ([][]float64, error) {
	people := map[string]float64{}
	for _, st := range strata {
		for _, v := range st.N {
			people["region:"+st.Region] += v
		}
	}
	out := make([][]float64, len(strata))
	for s := range out {
		out[s] = make([]float64, n*NCells)
	}
	errs := make([]error, n)
	parallel(n, func(_, d int) {
		rng := rand.New(rand.NewPCG(drawSeed, uint64(d)))
		ms := slices.Clone(margins)
		noise := make([]float64, len(ms))
		for i := range ms {
			noise[i] = math.Sqrt(ms[i].StdErr*ms[i].StdErr+ms[i].Tolerance*ms[i].Tolerance/3) * rng.NormFloat64()
		}
		centreBenchmarks(ms, noise, people)
		ids := map[string]Margin{}
		for i := range ms {
			if ms[i].Use != UseReference {
				ms[i].Rate = math.Min(0.99, math.Max(0.001, ms[i].Rate+noise[i]))
			}
			ids[ms[i].ID] = ms[i]
		}
		v, start := Central, central
		if d%2 == 1 {
			v, start = Structure2019, variant
		}
		f, err := fitMargins(strata, ms, ids, v, "", start, designs)
		if err != nil {
			errs[d] = fmt.Errorf("illectronism model, draw %d: %w", d, err)
			return
		}
		for s := range strata {
			f.Rates(s, out[s][d*NCells:(d+1)*NCells])
		}
	})
	return out, errors.Join(errs...)
}

// parallel calls do(w, i) for every i in [0, n), on at most GOMAXPROCS
// goroutines taking the next i as they finish; w numbers the goroutine
// (below GOMAXPROCS), for its scratch space.
func parallel(n int, do func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(w, i)
			}
		})
	}
	wg.Wait()
}

// centreBenchmarks removes from the benchmarks' noise its mean weighted by
// the people of their régions: the published regional rates come from the
// same national survey as the national rate, so their errors cannot all go
// one way while the national rate holds. Without it, every draw would push
// the difference onto the régions without a benchmark.
func centreBenchmarks(ms []Margin, noise []float64, people map[string]float64) {
	num, den := 0.0, 0.0
	for i, m := range ms {
		if regionalBenchmark(m) {
			num += people[m.Field] * noise[i]
			den += people[m.Field]
		}
	}
	if den == 0 {
		return
	}
	for i, m := range ms {
		if regionalBenchmark(m) {
			noise[i] -= num / den
		}
	}
}

// regionalBenchmark reports whether m is a région's published rate used as
// a benchmark (the benchmarks of a category of commune cover people of
// every région).
func regionalBenchmark(m Margin) bool {
	return m.Use == UseBenchmark && strings.HasPrefix(m.Field, "region:") && m.Dimension == "ensemble"
}

// band is an estimate of people in illectronism with its band.
type band struct {
	p15, central, low, high, variant float64
	draws                            []float64
}

// setBand takes the band from the draws' percentiles, widened when needed to
// hold the central estimate (the draws mix two fits and need not centre on
// it), and drops the draws.
func (b *band) setBand() {
	low, high := percentiles(b.draws, BandLow, BandHigh)
	b.low, b.high = math.Min(low, b.central), math.Max(high, b.central)
	b.draws = nil
}

func (b *band) rate() float64 {
	if b == nil || b.p15 == 0 {
		return math.NaN()
	}
	return b.central / b.p15
}

// estimates are the model's figures for every commune and every territory
// above it: level (departement, region, france, outre_mer) → code → band.
type estimates struct {
	communes []band
	bands    map[string]map[string]*band
}

// estimate applies the fits to every commune's cells. draws holds, for
// each stratum, the rates of its cells under each draw, draw after draw
// (drawFits).
func estimate(communes []communeInput, cells []float32, stratumOf []int, central, variant *Fit, draws [][]float64) estimates {
	nd := 0
	if len(draws) > 0 {
		nd = len(draws[0]) / NCells
	}
	rates := func(f *Fit) [][]float64 {
		out := make([][]float64, len(f.strata))
		for s := range out {
			out[s] = make([]float64, NCells)
			f.Rates(s, out[s])
		}
		return out
	}
	pc, pv := rates(central), rates(variant)
	est := estimates{communes: make([]band, len(communes)), bands: map[string]map[string]*band{}}
	// The communes of a stratum one after the other, so that the rates of
	// its draws stay in the cache from one commune to the next.
	order := make([]int, len(communes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(stratumOf[i], stratumOf[j]) })
	all := make([]float64, len(communes)*nd)
	scratch := make([][]float64, runtime.GOMAXPROCS(0))
	parallel(len(order), func(w, j int) {
		if scratch[w] == nil {
			scratch[w] = make([]float64, NCells)
		}
		i, row := order[j], scratch[w]
		for k, n := range cells[i*NCells : (i+1)*NCells] {
			row[k] = float64(n)
		}
		s := stratumOf[i]
		b := band{p15: communes[i].p15, draws: all[i*nd : (i+1)*nd : (i+1)*nd]}
		b.central = dot(row, pc[s])
		b.variant = dot(row, pv[s])
		dots(row, draws[s], b.draws)
		est.communes[i] = b
	})
	return est
}

// dot is Σ n_k p_k over a commune's cells, in four interleaved partial
// sums (the subslices of four spare the bounds checks).
func dot(n, p []float64) float64 {
	p = p[:len(n)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(n); k += 4 {
		nk, pk := n[k:k+4:k+4], p[k:k+4:k+4]
		s0 += nk[0] * pk[0]
		s1 += nk[1] * pk[1]
		s2 += nk[2] * pk[2]
		s3 += nk[3] * pk[3]
	}
	for ; k < len(n); k++ {
		s0 += n[k] * p[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// summarise applies the residual offsets to every commune's draws (offsets
// by département code, one log offset per draw), sums the territories, and
// takes the percentiles of the draws.
func (est *estimates) summarise(communes []communeInput, offsets map[string][]float64) {
	// exp(offset), once per département and draw rather than per commune
	factors := make(map[string][]float64, len(offsets))
	for dep, off := range offsets {
		f := make([]float64, len(off))
		for d, o := range off {
			f[d] = math.Exp(o)
		}
		factors[dep] = f
	}
	parallel(len(communes), func(_, i int) {
		if f, ok := factors[communes[i].departement]; ok {
			for d := range est.communes[i].draws {
				est.communes[i].draws[d] *= f[d]
			}
		}
	})
	nd := 0
	if len(communes) > 0 {
		nd = len(est.communes[0].draws)
	}
	// Each level adds up its territories' communes in commune order, the
	// levels side by side. An EPCI astride two départements adds the draws
	// of all its communes: its band is that of the sum, not a sum of bands.
	levels := []struct {
		name string
		code func(c *communeInput) (string, bool)
	}{
		{"departement", func(c *communeInput) (string, bool) { return c.departement, true }},
		{"region", func(c *communeInput) (string, bool) { return c.region, true }},
		{"epci", func(c *communeInput) (string, bool) { return c.epci, c.epci != "" }},
		{"france", func(c *communeInput) (string, bool) { return "", !c.mayotte }},
		{"outre_mer", func(c *communeInput) (string, bool) { return "", c.dom }},
	}
	sums := make([]map[string]*band, len(levels))
	parallel(len(levels), func(_, l int) {
		sums[l] = map[string]*band{}
		for i := range communes {
			code, ok := levels[l].code(&communes[i])
			if !ok {
				continue
			}
			t := sums[l][code]
			if t == nil {
				t = &band{draws: make([]float64, nd)}
				sums[l][code] = t
			}
			b := &est.communes[i]
			t.p15 += b.p15
			t.central += b.central
			t.variant += b.variant
			for d, v := range b.draws {
				t.draws[d] += v
			}
		}
	})
	for l, level := range levels {
		if len(sums[l]) > 0 {
			est.bands[level.name] = sums[l]
		}
	}
	// Then every band on its own, in parallel.
	bands := make([]*band, 0, len(communes))
	for i := range est.communes {
		bands = append(bands, &est.communes[i])
	}
	for _, level := range est.bands {
		for _, t := range level {
			bands = append(bands, t)
		}
	}
	parallel(len(bands), func(_, i int) { bands[i].setBand() })
}

// Residual is the spread of the published local figures around the model,
// as relative root mean square errors: what the model's factors do not
// explain of a territory.
type Residual struct {
	// Region is the spread of the benchmarked régions' published rates
	// around the model's predictions without them (leave one out): the
	// uncertainty of a région without a published rate.
	Region float64
	// Departement is the spread of the published départements' rates
	// around the model's: the uncertainty of a département within its
	// région.
	Departement           float64
	Regions, Departements int // how many figures each rests on
}

// residualSpread measures the residual spread: root mean square of the
// relative errors, (model ÷ published − 1), of the leave-one-out
// predictions of the benchmarks and of the département validation figures.
func residualSpread(margins []Margin, byID map[string]Margin, without map[string]float64, central *Fit, communes []communeInput, est estimates) (Residual, error) {
	var r Residual
	deps := map[string][2]float64{} // code → people aged 15+, people in illectronism (central)
	for i, c := range communes {
		v := deps[c.departement]
		v[0] += est.communes[i].p15
		v[1] += est.communes[i].central
		deps[c.departement] = v
	}
	for _, m := range margins {
		switch {
		case regionalBenchmark(m):
			w, ok := without[m.ID]
			if !ok {
				continue // a région the reference does not hold
			}
			r.Region += math.Pow(w/m.Rate-1, 2)
			r.Regions++
		case m.Use == UseValidation && strings.HasPrefix(m.Field, "departement:"):
			v, ok := deps[strings.TrimPrefix(m.Field, "departement:")]
			if !ok || v[0] == 0 {
				continue // a département the reference does not hold
			}
			ref := byID[m.Ref]
			base, err := central.GroupRate(ref.Field, ref.Dimension, ref.Level)
			if err != nil {
				return r, err
			}
			r.Departement += math.Pow(v[1]/v[0]/base*ref.Rate/m.Rate-1, 2)
			r.Departements++
		}
	}
	if r.Regions > 0 {
		r.Region = math.Sqrt(r.Region / float64(r.Regions))
	}
	if r.Departements > 0 {
		r.Departement = math.Sqrt(r.Departement / float64(r.Departements))
	}
	return r, nil
}

// offsets draws, for every draw, a relative error for each département and
// for each région without a benchmark (normal, with the residual spreads as
// standard deviations, on the log scale), and returns their sum per
// département: the part of the band that the published local figures show
// the model misses.
func (r Residual) offsets(communes []communeInput, margins []Margin, draws int) map[string][]float64 {
	benchmarked := map[string]bool{}
	for _, m := range margins {
		if regionalBenchmark(m) {
			benchmarked[strings.TrimPrefix(m.Field, "region:")] = true
		}
	}
	regionOf := map[string]string{}
	var deps []string
	for _, c := range communes {
		if _, ok := regionOf[c.departement]; !ok {
			deps = append(deps, c.departement)
		}
		regionOf[c.departement] = c.region
	}
	sort.Strings(deps)
	rng := rand.New(rand.NewPCG(drawSeed, 1<<32))
	out := map[string][]float64{}
	regional := map[string][]float64{}
	for _, dep := range deps {
		reg := regionOf[dep]
		if !benchmarked[reg] && regional[reg] == nil {
			regional[reg] = make([]float64, draws)
			for d := range regional[reg] {
				regional[reg][d] = r.Region * rng.NormFloat64()
			}
		}
		out[dep] = make([]float64, draws)
		for d := range out[dep] {
			out[dep][d] = r.Departement * rng.NormFloat64()
			if regional[reg] != nil {
				out[dep][d] += regional[reg][d]
			}
		}
	}
	return out
}

// percentiles are the lo- and hi-quantiles of xs (lo ≤ hi), each by linear
// interpolation between the values that a sort would put at the positions
// around q × (len(xs) − 1); xs may be reordered. The same values, for a
// fraction of the work of a sort: near the ends, as for a band, the few
// smallest and largest values are kept in order in one pass over xs, whose
// comparisons mostly go the same way; elsewhere they are found by selection.
func percentiles(xs []float64, lo, hi float64) (float64, float64) {
	n := len(xs)
	nan := false
	for _, x := range xs {
		nan = nan || x != x
	}
	i, j := int(lo*float64(n-1)), int(hi*float64(n-1))
	var rank func(k int) float64 // the value a sort puts at k
	const tail = 32
	switch {
	case nan:
		sort.Float64s(xs) // NaN first, as a sort has them
		rank = func(k int) float64 { return xs[k] }
	case i+2 <= tail && n-j <= tail:
		var small, large [tail]float64 // ascending, descending
		ns, nl := min(i+2, n), min(n-j, n)
		for c, x := range xs {
			if c < ns || x < small[ns-1] {
				k := min(c, ns-1)
				for ; k > 0 && x < small[k-1]; k-- {
					small[k] = small[k-1]
				}
				small[k] = x
			}
			if c < nl || x > large[nl-1] {
				k := min(c, nl-1)
				for ; k > 0 && x > large[k-1]; k-- {
					large[k] = large[k-1]
				}
				large[k] = x
			}
		}
		rank = func(k int) float64 {
			if k < ns {
				return small[k]
			}
			return large[n-1-k]
		}
	default:
		selectNth(xs, i)
		// the values up to i are the smallest, in place
		from := min(i+1, j)
		selectNth(xs[from:], j-from)
		rank = func(k int) float64 {
			if k == i+1 || k == j+1 {
				return slices.Min(xs[k:])
			}
			return xs[k]
		}
	}
	at := func(q float64) float64 {
		pos := q * float64(n-1)
		k := int(pos)
		if k+1 >= n {
			return rank(n - 1)
		}
		return rank(k) + (pos-float64(k))*(rank(k+1)-rank(k))
	}
	return at(lo), at(hi)
}

// selectNth reorders xs (without NaN) so that xs[k] is the value a sort
// would put there, with none greater before it and none smaller after
// (quickselect, Hoare's partition around a median of three).
func selectNth(xs []float64, k int) {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for pivot < xs[j] {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		// xs[lo..j] ≤ pivot ≤ xs[i..hi], and what lies between equals it
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// marginRow is one margin with what the model makes of it.
type marginRow struct {
	m                Margin
	constraint       bool    // reproduced by the central fit
	central, variant float64 // the modelled value under each fit; NaN when not modelled
	without          float64 // a benchmark left out: the model's prediction; NaN otherwise
	withinTolerance  bool
}

// marginRows computes every margin's modelled value.
func marginRows(margins []Margin, byID map[string]Margin, central, variant *Fit, without map[string]float64, communes []communeInput, est estimates) ([]marginRow, error) {
	inCentral := map[string]bool{}
	for _, m := range central.Margins {
		inCentral[m.ID] = true
	}
	var rows []marginRow
	for _, m := range margins {
		r := marginRow{m: m, central: math.NaN(), variant: math.NaN(), without: math.NaN(), constraint: inCentral[m.ID]}
		if v, ok := without[m.ID]; ok {
			r.without = v
		}
		var err error
		switch {
		case m.Use == UseNotModelled:
		case strings.HasPrefix(m.Field, "departement:"):
			r.central, err = departementRate(m, byID, central, est)
		default:
			if r.central, err = central.Modelled(m, byID); err == nil {
				r.variant, err = variant.Modelled(m, byID)
			}
		}
		if err != nil {
			return nil, err
		}
		switch m.Use {
		case UseCheck2019, UseStructure2019:
			// the 2019 age gradient: reproduced (or checked) by the variant
			r.withinTolerance = math.Abs(r.variant-m.Rate) <= m.Tolerance+1e-9
		case UseCheckAtLeast:
			r.withinTolerance = r.central >= m.Rate-1e-9
		case UseNotModelled, UseReference:
			r.withinTolerance = true
		default:
			r.withinTolerance = math.Abs(r.central-m.Rate) <= m.Tolerance+1e-9
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// departementRate is a département's modelled rate relative to its
// reference: (the département's rate ÷ the reference group's rate) × the
// reference's published rate.
func departementRate(m Margin, byID map[string]Margin, central *Fit, est estimates) (float64, error) {
	code := strings.TrimPrefix(m.Field, "departement:")
	b, ok := est.bands["departement"][code]
	if !ok {
		return math.NaN(), nil // a département the reference does not hold
	}
	if m.Dimension != "ensemble" {
		return 0, fmt.Errorf("margin %s: a département's figure must be for everyone (dimension ensemble)", m.ID)
	}
	if !m.relative() {
		return b.rate(), nil
	}
	ref := byID[m.Ref]
	base, err := central.GroupRate(ref.Field, ref.Dimension, ref.Level)
	if err != nil {
		return 0, err
	}
	return b.rate() / base * ref.Rate, nil
}

// ratioRow is a published adjusted odds ratio and the central fit's.
type ratioRow struct {
	AdjustedRatio
	modelled float64
}

// writeModel rewrites the diag_* tables of the model in one transaction;
// the digest of the fit's inputs is received last.
func writeModel(ctx context.Context, db *gosql.DB, communes []communeInput, cells []float32, stratumOf []int, central, variant *Fit, est estimates, rows []marginRow, ratios []ratioRow, association float64, res Residual, digest <-chan string, sum ModelSummary) error {
	tables := []string{"diag_commune_illectronism", "diag_illectronism_bands", "diag_illectronism_cells",
		"diag_illectronism_margins", "diag_illectronism_effects", "diag_illectronism_ratios", "diag_illectronism_residuals",
		"diag_illectronism_fit"}
	// gob, not JSON: a summary may hold NaN (no overseas commune)
	var summary bytes.Buffer
	if err := gob.NewEncoder(&summary).Encode(sum); err != nil {
		return fmt.Errorf("illectronism model: %w", err)
	}
	return isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		for _, t := range tables {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return fmt.Errorf("illectronism model: %w", err)
			}
		}
		err := conn.Raw(func(dc any) error {
			app := func(table string, fill func(a *duckdb.Appender) error) error {
				a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
				if err != nil {
					return err
				}
				if err := fill(a); err != nil {
					a.Close()
					return fmt.Errorf("%s: %w", table, err)
				}
				return a.Close()
			}
			err := app("diag_commune_illectronism", func(a *duckdb.Appender) error {
				for i, c := range communes {
					b := est.communes[i]
					if err := a.AppendRow(c.code, c.departement, b.p15, b.central, b.low, b.high, b.variant,
						c.m.LowDiploma, c.diplomaSource, c.m.Income[IncomeQ1Q2], c.incomeSource, c.m.Alone, c.aloneSource); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = app("diag_illectronism_bands", func(a *duckdb.Appender) error {
				for _, level := range []string{"france", "outre_mer", "region", "departement", "epci"} {
					codes := make([]string, 0, len(est.bands[level]))
					for code := range est.bands[level] {
						codes = append(codes, code)
					}
					sort.Strings(codes)
					for _, code := range codes {
						b := est.bands[level][code]
						if err := a.AppendRow(level, code, b.p15, b.central, b.low, b.high, b.variant); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = app("diag_illectronism_cells", func(a *duckdb.Appender) error {
				// One row per département, category of commune and cell: a
				// département's communes of one category share a stratum,
				// and so the rates of its cells.
				type part struct {
					dep     string
					stratum int
				}
				people := map[part][]float64{}
				var parts []part
				for i, c := range communes {
					k := part{c.departement, stratumOf[i]}
					sum := people[k]
					if sum == nil {
						sum = make([]float64, NCells)
						people[k] = sum
						parts = append(parts, k)
					}
					for j, n := range cells[i*NCells : (i+1)*NCells] {
						sum[j] += float64(n)
					}
				}
				slices.SortFunc(parts, func(x, y part) int {
					if x.dep != y.dep {
						return strings.Compare(x.dep, y.dep)
					}
					return strings.Compare(central.strata[x.stratum].Category, central.strata[y.stratum].Category)
				})
				p := make([]float64, NCells)
				for _, k := range parts {
					central.Rates(k.stratum, p)
					category := central.strata[k.stratum].Category
					for j := range NCells {
						ag, d, in, h := cellLevels(j)
						if err := a.AppendRow(k.dep, category, AgeGroups[ag], DiplomaLevels[d], IncomeLevels[in], HouseholdLevels[h],
							people[k][j], p[j]); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = app("diag_illectronism_margins", func(a *duckdb.Appender) error {
				for _, r := range rows {
					if err := a.AppendRow(r.m.ID, r.constraint, nullFloat(r.central), nullFloat(r.variant),
						nullFloat(r.without), r.withinTolerance); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = app("diag_illectronism_effects", func(a *duckdb.Appender) error {
				for _, f := range []*Fit{central, variant} {
					for k, m := range f.Margins {
						if err := a.AppendRow(string(f.Variant), m.ID, f.Theta[k]); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = app("diag_illectronism_ratios", func(a *duckdb.Appender) error {
				for _, r := range ratios {
					if err := a.AppendRow(r.Dimension, r.Num, r.Den, r.Value, r.modelled, association); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return app("diag_illectronism_residuals", func(a *duckdb.Appender) error {
				if err := a.AppendRow("region", res.Region, int32(res.Regions)); err != nil {
					return err
				}
				return a.AppendRow("departement", res.Departement, int32(res.Departements))
			})
		})
		if err != nil {
			return fmt.Errorf("illectronism model: %w", err)
		}
		// the digest goes in with the tables it describes, or not at all
		if _, err := conn.ExecContext(ctx, `INSERT INTO diag_illectronism_fit VALUES (?, ?)`, <-digest, summary.Bytes()); err != nil {
			return fmt.Errorf("illectronism model: %w", err)
		}
		return nil
	})
}

func nullFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}
