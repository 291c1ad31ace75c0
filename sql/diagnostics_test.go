package sql_test

import (
	gosql "database/sql"
	"errors"
	"math"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// tinyFrance replaces the reference with three communes in two départements,
// small enough to compute every diagnostic by hand:
//
//	23001  population 1000  census 2021: 600 of 1000 aged 15–64
//	23002  population 2000  census 2021: 1200 of 2000 aged 15–64
//	87001  population 1000  no census row (falls back on France: 0.6)
//
// Socio-demographic file (rates in % of people aged 15+):
//
//	        65+    15–24  no diploma  living alone
//	23001   25     12.5   30          10
//	23002   37.5   12.5   30          20
//	87001   20     20     30          30
//
// Coverage, share of premises below 30 Mbit/s: 0.1, 0.5, 0.5. One venue in
// Creuse (23), none in Haute-Vienne (87); the centroids of 23001 and 23002
// are 5 and 15 km from it.
func tinyFrance(t *testing.T) *gosql.DB {
	t.Helper()
	db := openWithReference(t)
	for _, q := range []string{
		`DELETE FROM ref_communes`, `DELETE FROM ref_departements`, `DELETE FROM ref_commune_centroids`,
		`INSERT INTO ref_departements VALUES ('23', 'Creuse', '75', 'Nouvelle-Aquitaine', '23096', 2, 3000),
		                                    ('87', 'Haute-Vienne', '75', 'Nouvelle-Aquitaine', '87085', 1, 1000)`,
		`INSERT INTO ref_communes VALUES ('23001', 'A', '23', '75', 1000, 1000), ('23002', 'B', '23', '75', 2000, 2000),
		                                 ('87001', 'C', '87', '75', 1000, 1000)`,
		`INSERT INTO ref_commune_centroids VALUES ('23001', 'COM', 2.0, 46.0, 10, 1000, 600),
		                                          ('23002', 'COM', 2.1, 46.1, 10, 2000, 1200)`,
		`INSERT INTO diag_centroid_access VALUES ('23001', '23001', '23', 1000, 'all', 'v1', 5.0),
		                                         ('23002', '23002', '23', 2000, 'all', 'v1', 15.0)`,
	} {
		exec(t, db, q)
	}
	ledger(t, db, 1, "socio", 3)
	exec(t, db, `INSERT INTO raw_socio VALUES
		(1, 2, '23001', '23001', '23', NULL, 30, 10, NULL, 25, 12.5, NULL, NULL),
		(1, 3, '23002', '23002', '23', NULL, 30, 20, NULL, 37.5, 12.5, NULL, NULL),
		(1, 4, '87001', '87001', '87', NULL, 30, 30, NULL, 20, 20, NULL, NULL)`)
	ledger(t, db, 2, "coverage", 3)
	exec(t, db, `INSERT INTO raw_coverage VALUES
		(2, 2, 'arcep_cumulative', '23001', '23001', '23', DATE '2024-06-30', 100, 0, 0, 0, 100, 90, 0, 0),
		(2, 3, 'arcep_cumulative', '23002', '23002', '23', DATE '2024-06-30', 100, 0, 0, 0, 100, 50, 0, 0),
		(2, 4, 'arcep_cumulative', '87001', '87001', '87', DATE '2024-06-30', 100, 0, 0, 0, 100, 50, 0, 0)`)
	ledger(t, db, 3, "venues", 1)
	exec(t, db, `INSERT INTO raw_venues VALUES (3, 2, 'v1', 'Tiers-lieu', NULL, NULL, NULL, NULL, 2.0, 46.0, NULL, NULL, NULL, NULL, '23', '23001', 'geometry', NULL)`)
	ledger(t, db, 4, "mediators", 1)
	exec(t, db, `INSERT INTO raw_mediator_structures VALUES (4, 2, 'S', NULL, '23001', '23001', '23', NULL, 2, 1)`)
	return db
}

// The national figures of sql/intermediate/05_int_reference__age_groups.sql.
const (
	rate1524, rate6074, rate75 = 0.020, 0.250, 0.619
	nat2529, nat3044, nat4559  = 3.75, 12.30, 13.30
	nat6064, nat6574, nat75    = 4.15, 7.50, 6.35
	nat2564                    = nat2529 + nat3044 + nat4559 + nat6064 // 33.5
	nat65                      = nat6574 + nat75                       // 13.85
)

// people15 is a commune's population aged 15+ in the three broad groups.
type people15 struct{ a, b, c float64 } // 15–24, 25–64, 65+

// estimate is Σ people × rate over the fine groups, given the 25–59 rate.
func (p people15) estimate(r2559 float64) float64 {
	return p.a*rate1524 +
		p.b*(nat2529+nat3044+nat4559)/nat2564*r2559 +
		p.b*nat6064/nat2564*rate6074 +
		p.c*nat6574/nat65*rate6074 +
		p.c*nat75/nat65*rate75
}

func TestIllectronismEstimateByHand(t *testing.T) {
	db := tinyFrance(t)
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	// share 15+ = share 15–64 / (1 − share 65+ of 15+); then the 15+ split
	// by the socio rates:
	//   23001: 0.6 / 0.75  = 0.8  → 800:  15–24 100, 65+ 200, 25–64 500
	//   23002: 0.6 / 0.625 = 0.96 → 1920: 15–24 240, 65+ 720, 25–64 960
	//   87001: (France 0.6) / 0.8 = 0.75 → 750: 15–24 150, 65+ 150, 25–64 450
	c := map[string]people15{"23001": {100, 500, 200}, "23002": {240, 960, 720}, "87001": {150, 450, 150}}
	// Calibration: Σ estimate = 0.154 × (800 + 1920 + 750) = 534.38, so
	// r2559 = (534.38 − Σ estimate at r2559 = 0) / Σ people 25–59.
	var fixed, p2559 float64
	for _, p := range c {
		fixed += p.estimate(0)
		p2559 += p.b * (nat2529 + nat3044 + nat4559) / nat2564
	}
	r2559 := (0.154*3470 - fixed) / p2559 // ≈ 0.0101
	rows, err := db.QueryContext(t.Context(), `SELECT code_insee, population_15_plus, illectronism_people_est, age_source FROM mart_commune ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	total := 0.0
	wantSource := map[string]string{"23001": "commune", "23002": "commune", "87001": "france"}
	for rows.Next() {
		var code, source string
		var p15, est float64
		if err := rows.Scan(&code, &p15, &est, &source); err != nil {
			t.Fatal(err)
		}
		p := c[code]
		if want := p.a + p.b + p.c; p15 != want {
			t.Errorf("%s: population 15+ = %v, want %v", code, p15, want)
		}
		if want := math.Round(p.estimate(r2559)*10) / 10; math.Abs(est-want) > 0.051 {
			t.Errorf("%s: estimate = %v, want %.1f", code, est, want)
		}
		if source != wantSource[code] {
			t.Errorf("%s: age source = %s, want %s", code, source, wantSource[code])
		}
		total += p.estimate(r2559)
	}
	if math.Abs(total-534.38) > 1e-9 {
		t.Fatalf("hand calibration broken: Σ = %v", total)
	}
	var gotRate float64
	db.QueryRowContext(t.Context(), `SELECT rate FROM int_reference__illectronism_rates WHERE age_group = '30-44'`).Scan(&gotRate)
	if math.Abs(gotRate-r2559) > 1e-12 {
		t.Errorf("calibrated 25–59 rate = %v, want %v", gotRate, r2559)
	}
	// Creuse: (23001 + 23002) / (800 + 1920).
	e23 := c["23001"].estimate(r2559) + c["23002"].estimate(r2559)
	var people, rate, p15 float64
	db.QueryRowContext(t.Context(), `SELECT illectronism_people_est, illectronism_rate_est, population_15_plus FROM mart_departement WHERE code_departement = '23'`).Scan(&people, &rate, &p15)
	if people != math.Round(e23) || rate != math.Round(e23/2720*1e4)/1e4 || p15 != 2720 {
		t.Errorf("Creuse: people %v, rate %v, 15+ %v; want %v, %.4f, 2720", people, rate, p15, math.Round(e23), e23/2720)
	}

	// Mediator plan for Creuse, 1 post recruited, horizon 3 years:
	// FTE = E / (caseload × 3) with caseloads 800, 600, 400.
	var low, central, high, gap float64
	db.QueryRowContext(t.Context(), `SELECT mediator_fte_needed_low, mediator_fte_needed_central, mediator_fte_needed_high, mediator_gap_central
		FROM mart_departement WHERE code_departement = '23'`).Scan(&low, &central, &high, &gap)
	round1 := func(x float64) float64 { return math.Round(x*10) / 10 }
	if low != round1(e23/2400) || central != round1(e23/1800) || high != round1(e23/1200) || gap != round1(round1(e23/1800)-1) {
		t.Errorf("Creuse plan = %v / %v / %v, gap %v; want %v / %v / %v, gap %v",
			low, central, high, gap, round1(e23/2400), round1(e23/1800), round1(e23/1200), round1(e23/1800)-1)
	}
	// Supply and access. Creuse: 1 post for E people estimated in
	// illectronism → 1 × 10 000 / E per 10 000. The centroid of 23001 is 5 km
	// from the venue, 23002's 15 km: 2000 of 3000 people beyond 10 km, none
	// beyond 20 km. Haute-Vienne has no venue loaded: no access figures.
	var per10k, beyond10, share10, beyond20 float64
	db.QueryRowContext(t.Context(), `SELECT mediator_posts_per_10k_illectronism, population_beyond_10km, share_population_beyond_10km, population_beyond_20km
		FROM mart_departement WHERE code_departement = '23'`).Scan(&per10k, &beyond10, &share10, &beyond20)
	if per10k != math.Round(1e4/e23*1e3)/1e3 || beyond10 != 2000 || share10 != 0.6667 || beyond20 != 0 {
		t.Errorf("Creuse supply and access = %v, %v, %v, %v; want %v, 2000, 0.6667, 0",
			per10k, beyond10, share10, beyond20, math.Round(1e4/e23*1e3)/1e3)
	}
	var hv gosql.NullFloat64
	db.QueryRowContext(t.Context(), `SELECT share_population_beyond_10km FROM mart_departement WHERE code_departement = '87'`).Scan(&hv)
	if hv.Valid {
		t.Errorf("Haute-Vienne, no venue loaded: share beyond 10 km = %v, want NULL", hv.Float64)
	}

	// Another caseload and horizon: 500 people per FTE over 2 years.
	if err := isql.Build(t.Context(), db, isql.Params{Caseload: isql.Caseload{Min: 300, Central: 500, Max: 700}, HorizonYears: 2}); err != nil {
		t.Fatal(err)
	}
	db.QueryRowContext(t.Context(), `SELECT mediator_fte_needed_central FROM mart_departement WHERE code_departement = '23'`).Scan(&central)
	if central != round1(e23/1000) {
		t.Errorf("Creuse FTE at 500 × 2 years = %v, want %v", central, round1(e23/1000))
	}
}

func TestFragilityByHand(t *testing.T) {
	db := tinyFrance(t)
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	// Deciles on n communes: 1 + floor(10 × (mid-rank − 1) / n).
	//   connectivity 0.1, 0.5, 0.5: 0.1 → 1; the tie has mid-rank 2.5 → 1 + floor(5) = 6
	//   venue distance (Creuse only, n = 2) 5, 15 km → 1, 1 + floor(5) = 6
	//   65+ 25, 37.5, 20 → ranks 2, 3, 1 → 4, 7, 1
	//   no diploma 30, 30, 30 → mid-rank 2 → 1 + floor(3.33) = 4
	//   living alone 10, 20, 30 → 1, 4, 7
	// Scores (equal weights, 8 indicators; at least half the weight needed):
	//   23001 (1 + 1 + 4 + 4 + 1) / 5 = 2.2
	//   23002 (6 + 6 + 7 + 4 + 4) / 5 = 5.4
	//   87001 (6 + 1 + 4 + 7) / 4     = 4.5   (no venue loaded in 87)
	// Départements, population-weighted: Creuse (1000 × 2.2 + 2000 × 5.4) /
	// 3000 = 4.333, rank 2; Haute-Vienne 4.5, rank 1.
	want := map[string]struct {
		score   float64
		deciles [5]int // connectivity, venue distance, 65+, no diploma, living alone (0 = none)
	}{
		"23001": {2.2, [5]int{1, 1, 4, 4, 1}},
		"23002": {5.4, [5]int{6, 6, 7, 4, 4}},
		"87001": {4.5, [5]int{6, 0, 1, 4, 7}},
	}
	for code, w := range want {
		var score float64
		var d [5]gosql.NullInt64
		err := db.QueryRowContext(t.Context(), `SELECT fragility_score, decile_connectivity, decile_venue_distance, decile_aged_65_plus, decile_no_diploma, decile_living_alone
			FROM mart_commune WHERE code_insee = ?`, code).Scan(&score, &d[0], &d[1], &d[2], &d[3], &d[4])
		if err != nil {
			t.Fatal(err)
		}
		var got [5]int
		for i := range d {
			got[i] = int(d[i].Int64)
		}
		if score != w.score || got != w.deciles {
			t.Errorf("%s: score %v, deciles %v; want %v, %v", code, score, got, w.score, w.deciles)
		}
	}
	// Sensitivity: doubling 65+ gives 23001 (1+1+8+4+1)/6 = 2.5, 23002
	// (6+6+14+4+4)/6 = 5.667, so Creuse (2500 + 11333)/3000 = 4.611, and
	// 87001 (6+2+4+7)/5 = 3.8: the ranks swap. Leaving out connectivity
	// leaves 87001 under half the weight (3 of 8): Haute-Vienne unranked.
	// So each is 1st under some weighting and 2nd under another.
	for code, w := range map[string][4]float64{"23": {4.333, 2, 1, 2}, "87": {4.5, 1, 1, 2}} {
		var score, rank, lo, hi float64
		db.QueryRowContext(t.Context(), `SELECT fragility_score, fragility_rank, fragility_rank_min, fragility_rank_max FROM mart_departement WHERE code_departement = ?`, code).
			Scan(&score, &rank, &lo, &hi)
		if got := [4]float64{score, rank, lo, hi}; got != w {
			t.Errorf("département %s: score, rank, min, max = %v, want %v", code, got, w)
		}
	}
	// Configured weights: only connectivity counts. 23001 → 1, 23002 → 6,
	// 87001 → 6; Creuse (1000 + 12000)/3000 = 4.333, Haute-Vienne 6.
	if err := isql.Build(t.Context(), db, isql.Params{FragilityWeights: map[string]float64{"connectivity": 1}}); err != nil {
		t.Fatal(err)
	}
	var s23, s87 float64
	db.QueryRowContext(t.Context(), `SELECT fragility_score FROM mart_departement WHERE code_departement = '23'`).Scan(&s23)
	db.QueryRowContext(t.Context(), `SELECT fragility_score FROM mart_departement WHERE code_departement = '87'`).Scan(&s87)
	if s23 != 4.333 || s87 != 6 {
		t.Errorf("connectivity-only scores = %v, %v; want 4.333, 6", s23, s87)
	}
	for _, bad := range []map[string]float64{{"broadband": 1}, {"poverty": -1}, {"poverty": 0}} {
		if err := isql.Build(t.Context(), db, isql.Params{FragilityWeights: bad}); err == nil {
			t.Errorf("weights %v accepted", bad)
		}
	}
}

// observed adds n respondents of dept/commune in band, x of them in
// illectronism (no internet), the others autonomous.
func observed(t *testing.T, db *gosql.DB, line *int, commune, dep, band string, n, x int) {
	t.Helper()
	for i := range n {
		*line++
		exec(t, db, `INSERT INTO raw_assessments VALUES (9, ?, ?, '2026-01-10', NULL, ?, ?, ?, ?, 1, 1, 1, 1, 1, 5, ?)`,
			*line, *line, nullable(commune), dep, band, i >= x, map[bool]string{true: "illectronisme", false: "autonome"}[i < x])
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestObservedNeedAndSecrecyByHand(t *testing.T) {
	db := tinyFrance(t)
	// Creuse: 11 respondents in each band (x of them in illectronism):
	// 15-29: 0, 30-44: 1, 45-59: 2, 60-74: 4, 75+: 8 → raw share 15/55.
	// Communes: 38 in 23001, 12 in 23002, 5 with an unknown commune.
	line := 1
	type cell struct {
		commune, band string
		n, x          int
	}
	for _, c := range []cell{
		{"23001", "15-29", 11, 0}, {"23001", "30-44", 11, 1}, {"23001", "45-59", 11, 2}, {"23001", "60-74", 5, 2},
		{"23002", "60-74", 6, 2}, {"23002", "75+", 6, 4},
		{"", "75+", 5, 4},
	} {
		observed(t, db, &line, c.commune, "23", c.band, c.n, c.x)
	}
	ledger(t, db, 9, "assessments", line-1)
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	// The data tests hold, but for the ENUM of the 101 départements, which
	// the tiny reference does not have.
	var ce *isql.CheckError
	if err := isql.Check(t.Context(), db, isql.Params{}); err != nil && !errors.As(err, &ce) {
		t.Fatal(err)
	}
	if ce != nil {
		for _, f := range ce.Failures {
			if f.Test != "assert_enum_departements_match_reference.sql" {
				t.Errorf("data test %s failed: %v", f.Test, f.Sample)
			}
		}
	}
	// Creuse's 15+ by band (see TestIllectronismEstimateByHand: 15–24 340,
	// 25–64 1460, 65+ 920):
	//   15-29 = 340 + 1460 × 3.75/33.5, 30-44 = 1460 × 12.3/33.5,
	//   45-59 = 1460 × 13.3/33.5, 60-74 = 1460 × 4.15/33.5 + 920 × 7.5/13.85,
	//   75+ = 920 × 6.35/13.85; weights = these / 2720.
	w := []float64{
		(340 + 1460*nat2529/nat2564) / 2720, 1460 * nat3044 / nat2564 / 2720, 1460 * nat4559 / nat2564 / 2720,
		(1460*nat6064/nat2564 + 920*nat6574/nat65) / 2720, 920 * nat75 / nat65 / 2720,
	}
	p := []float64{0, 1.0 / 11, 2.0 / 11, 4.0 / 11, 8.0 / 11}
	std, variance := 0.0, 0.0
	for i := range w {
		std += w[i] * p[i]
		variance += w[i] * w[i] * p[i] * (1 - p[i]) / 11
	}
	r4 := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	var n int64
	var raw, gotStd, lo, hi float64
	err := db.QueryRowContext(t.Context(), `SELECT assessments_respondents, assessments_share_illectronism, assessments_share_illectronism_std,
		assessments_share_illectronism_std_ci_low, assessments_share_illectronism_std_ci_high FROM mart_departement WHERE code_departement = '23'`).
		Scan(&n, &raw, &gotStd, &lo, &hi)
	if err != nil {
		t.Fatal(err)
	}
	if n != 55 || raw != r4(15.0/55) || gotStd != r4(std) || lo != r4(std-1.959964*math.Sqrt(variance)) || hi != r4(std+1.959964*math.Sqrt(variance)) {
		t.Errorf("Creuse observed: n %d, raw %v, std %v [%v, %v]; want 55, %v, %v [%v, %v]",
			n, raw, gotStd, lo, hi, r4(15.0/55), r4(std), r4(std-1.959964*math.Sqrt(variance)), r4(std+1.959964*math.Sqrt(variance)))
	}

	// The long mart has the same figure, and the other measures: 60-74 and
	// 75+ hold 11 respondents each, so "autonome" standardises too (1 − p).
	var longStd, autoStd float64
	db.QueryRowContext(t.Context(), `SELECT share_std FROM mart_departement_observed_need WHERE code_departement = '23' AND measure = 'illectronisme'`).Scan(&longStd)
	db.QueryRowContext(t.Context(), `SELECT share_std FROM mart_departement_observed_need WHERE code_departement = '23' AND measure = 'autonome'`).Scan(&autoStd)
	if longStd != r4(std) || autoStd != r4(1-std) {
		t.Errorf("observed-need mart: illectronism std %v, autonome std %v; want %v, %v", longStd, autoStd, r4(std), r4(1-std))
	}

	// Communes: the 5 with an unknown commune are never published, and
	// Creuse's total is: 23002 (12, the smallest published) is withheld too,
	// so the withheld cells hold 5 + 12 = 17 ≥ 11. 23001: 38 respondents,
	// 5 in illectronism (0 + 1 + 2 + 2).
	type communeRow struct {
		n          gosql.NullInt64
		share      gosql.NullFloat64
		suppressed bool
	}
	got := map[string]communeRow{}
	rows, _ := db.QueryContext(t.Context(), `SELECT code_insee, assessments_respondents, assessments_share_illectronism, assessments_suppressed FROM mart_commune`)
	for rows.Next() {
		var code string
		var r communeRow
		rows.Scan(&code, &r.n, &r.share, &r.suppressed)
		got[code] = r
	}
	rows.Close()
	if r := got["23001"]; r.n.Int64 != 38 || r.share.Float64 != r4(5.0/38) || r.suppressed {
		t.Errorf("23001 = %+v, want 38 respondents, share %v", r, r4(5.0/38))
	}
	if r := got["23002"]; r.n.Valid || r.share.Valid || !r.suppressed {
		t.Errorf("23002 = %+v, want withheld (secondary)", r)
	}
	if r := got["87001"]; r.n.Int64 != 0 || !r.n.Valid || r.suppressed {
		t.Errorf("87001 = %+v, want 0 respondents, not withheld", r)
	}
	// An attacker subtracts the published communes from the published
	// département: 55 − 38 = 17 respondents, 15 − 5 = 10 in illectronism.
	// That is a figure on 17 people (≥ 11), not 23002's 12 nor the 5.
	var withheld int64
	db.QueryRowContext(t.Context(), `SELECT d.assessments_respondents - sum(c.assessments_respondents)
		FROM mart_departement AS d JOIN mart_commune AS c USING (code_departement)
		WHERE code_departement = '23' GROUP BY d.assessments_respondents`).Scan(&withheld)
	if withheld != 17 {
		t.Errorf("respondents recoverable from Creuse's total = %d, want 17 (all withheld cells together)", withheld)
	}
}

func TestPreviousRunValues(t *testing.T) {
	db := tinyFrance(t)
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	var prev gosql.NullInt64
	db.QueryRowContext(t.Context(), `SELECT previous_venues FROM mart_departement WHERE code_departement = '87'`).Scan(&prev)
	if prev.Valid {
		t.Errorf("first build: previous venues = %v, want NULL", prev)
	}
	// A venue opens in Haute-Vienne.
	ledger(t, db, 5, "venues", 1)
	exec(t, db, `INSERT INTO raw_venues VALUES (5, 2, 'v2', 'Médiathèque', NULL, NULL, NULL, NULL, 1.2, 45.8, NULL, NULL, NULL, NULL, '87', '87001', 'geometry', NULL)`)
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	var venues, before int64
	var rank, prevRank gosql.NullInt64
	var at gosql.NullTime
	db.QueryRowContext(t.Context(), `SELECT venues, previous_venues, fragility_rank, previous_fragility_rank, previous_built_at FROM mart_departement WHERE code_departement = '87'`).
		Scan(&venues, &before, &rank, &prevRank, &at)
	if venues != 1 || before != 0 || !at.Valid || prevRank.Int64 != 1 {
		t.Errorf("second build: venues %d (previous %d), rank %v (previous %v), previous build at %v; want 1 (0), previous rank 1", venues, before, rank, prevRank, at)
	}
	var builds int
	db.QueryRowContext(t.Context(), `SELECT count(DISTINCT build_id) FROM hist_departement`).Scan(&builds)
	if builds != 2 {
		t.Errorf("history holds %d builds, want 2", builds)
	}
	// A rerun on the same data records nothing and still compares with the
	// first build (the last change), so the pages do not change.
	if err := isql.Build(t.Context(), db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	db.QueryRowContext(t.Context(), `SELECT count(DISTINCT build_id) FROM hist_departement`).Scan(&builds)
	db.QueryRowContext(t.Context(), `SELECT previous_venues FROM mart_departement WHERE code_departement = '87'`).Scan(&before)
	if builds != 2 || before != 0 {
		t.Errorf("after a rerun: %d builds, previous venues %d; want 2 builds, 0", builds, before)
	}
}
