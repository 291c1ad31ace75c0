package sql_test

import (
	gosql "database/sql"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/internal/dbtest"
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
// Two EPCI: 200000001 "CC A" holds 23001; 200000002 "CA BC" holds 23002
// and 87001, astride Creuse and Haute-Vienne.
//
// Coverage, share of premises below 30 Mbit/s: 0.1, 0.5, 0.5. One venue in
// Creuse (23), none in Haute-Vienne (87); the centroids of 23001 and 23002
// are 5 and 15 km from it.
//
// Tiny France is not France: a third of its people are 65 or more, and the
// national rates by age, diploma and income cannot all hold on it with the
// national rate (the 40–59 would need a rate near 0); it is one région, so
// its regional rate would describe all of it. So the model runs on three
// national margins: all people aged 15+ (15.4 %), 15–24 (2.4 %) and 75+
// (61.9 %). The model itself is proved in the diagnostics package.
func tinyFrance(t *testing.T) *gosql.DB {
	t.Helper()
	db := openWithReference(t)
	all, err := diagnostics.DefaultMargins()
	if err != nil {
		t.Fatal(err)
	}
	var national []diagnostics.Margin
	for _, m := range all {
		if m.ID == "2021-ensemble" || m.ID == "2021-age-15-24" || m.ID == "2021-age-75+" {
			national = append(national, m)
		}
	}
	if len(national) != 3 {
		t.Fatalf("margins 2021-ensemble, 2021-age-15-24, 2021-age-75+ not in the built-in file: %v", national)
	}
	if err := diagnostics.StoreModelReference(t.Context(), db, diagnostics.ModelOptions{Margins: national, LocalEstimates: []diagnostics.LocalEstimate{}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM ref_communes`, `DELETE FROM ref_departements`, `DELETE FROM ref_commune_centroids`,
		`DELETE FROM ref_commune_epci`, `DELETE FROM ref_epci`,
		`INSERT INTO ref_epci VALUES ('200000001', 'CC A', 'CC', 1000), ('200000002', 'CA BC', 'CA', 3000)`,
		`INSERT INTO ref_commune_epci VALUES ('23001', '200000001'), ('23002', '200000002'), ('87001', '200000002')`,
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

// people15 is a commune's population aged 15+ in the three broad groups.
type people15 struct{ a, b, c float64 } // 15–24, 25–64, 65+

func (p people15) total() float64 { return p.a + p.b + p.c }

// tinyAges is the age structure of tinyFrance by hand: share 15+ = share
// 15–64 / (1 − share 65+ of 15+); then the 15+ split by the socio rates:
//
//	23001: 0.6 / 0.75  = 0.8  → 800:  15–24 100, 65+ 200, 25–64 500
//	23002: 0.6 / 0.625 = 0.96 → 1920: 15–24 240, 65+ 720, 25–64 960
//	87001: (France 0.6) / 0.8 = 0.75 → 750: 15–24 150, 65+ 150, 25–64 450
var tinyAges = map[string]people15{"23001": {100, 500, 200}, "23002": {240, 960, 720}, "87001": {150, 450, 150}}

// estimate is one territory's figures of the small-area model, as the
// diagnostics package wrote them.
type estimate struct{ p15, est, low, high float64 }

// bandsAt reads the model's bands of one level (diag_illectronism_bands).
func bandsAt(t *testing.T, db *gosql.DB, level string) map[string]estimate {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT code, population_15_plus, people_est, people_low, people_high FROM diag_illectronism_bands WHERE level = ?`, level)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]estimate{}
	for rows.Next() {
		var code string
		var e estimate
		if err := rows.Scan(&code, &e.p15, &e.est, &e.low, &e.high); err != nil {
			t.Fatal(err)
		}
		out[code] = e
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestModelInMartsByHand runs the small-area model on tinyFrance and checks
// what the marts make of it: the population aged 15+ by hand, the
// calibration to the national rate (0.154 of 3 470 people), the communes and
// départements carrying the model's figures, and the mediator plan's
// formulas computed by hand from them. The model's own arithmetic is proved
// in the diagnostics package.
func TestModelInMartsByHand(t *testing.T) {
	db := tinyFrance(t)
	// A list of France Services sites: one in Creuse, one in Haute-Vienne.
	ledger(t, db, 6, "venues", 2)
	exec(t, db, `INSERT INTO raw_venues VALUES
		(6, 2, 'fs1', 'France Services A', NULL, NULL, NULL, NULL, 2.0, 46.0, NULL, NULL, NULL, 'France Services', '23', '23001', 'geometry', NULL),
		(6, 3, 'fs2', 'France Services C', NULL, NULL, NULL, NULL, 1.2, 45.8, NULL, NULL, NULL, 'France Services', '87', '87001', 'geometry', NULL)`)
	dbtest.Build(t, db, isql.Params{})

	communes := map[string]estimate{}
	rows, err := db.QueryContext(t.Context(), `SELECT code_insee, population_15_plus, people_est, people_low, people_high FROM diag_commune_illectronism`)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for rows.Next() {
		var code string
		var e estimate
		if err := rows.Scan(&code, &e.p15, &e.est, &e.low, &e.high); err != nil {
			t.Fatal(err)
		}
		communes[code] = e
		total += e.est
	}
	rows.Close()
	if len(communes) != 3 {
		t.Fatalf("model estimated %d communes, want 3", len(communes))
	}
	// Calibration: France outside Mayotte at 15.4 % (the margin file).
	if math.Abs(total-0.154*3470) > 0.01 {
		t.Errorf("Σ estimates = %v, want 0.154 × 3470 = %v", total, 0.154*3470)
	}

	// The other two margins, on the fitted cells: 15–24 (100 + 240 + 150
	// people) at 2.4 %, 75+ at 61.9 %, the 75+ being the 65+ (200 + 720 +
	// 150) split by the census 2018 (6 235 921 of 13 208 176 aged 65+).
	for _, m := range []struct {
		group        string
		people, rate float64
	}{{"15-24", 490, 0.024}, {"75+", 1070 * 6235921.0 / (6972255.0 + 6235921.0), 0.619}} {
		var people, rate float64
		db.QueryRowContext(t.Context(), `SELECT sum(people), sum(people * rate) / sum(people) FROM diag_illectronism_cells WHERE age_group = ?`, m.group).
			Scan(&people, &rate)
		if math.Abs(people-m.people) > 1e-3 || math.Abs(rate-m.rate) > 1e-6 {
			t.Errorf("%s: %v people at %v, want %v at %v", m.group, people, rate, m.people, m.rate)
		}
	}

	round1 := func(x float64) float64 { return math.Round(x*10) / 10 }
	wantSource := map[string]string{"23001": "commune", "23002": "commune", "87001": "france"}
	for code, want := range tinyAges {
		var p15, est, low, high float64
		var source string
		err := db.QueryRowContext(t.Context(), `SELECT population_15_plus, illectronism_people_est, illectronism_people_low, illectronism_people_high, age_source
			FROM mart_commune WHERE code_insee = ?`, code).Scan(&p15, &est, &low, &high, &source)
		if err != nil {
			t.Fatal(err)
		}
		e := communes[code]
		if p15 != want.total() || math.Abs(e.p15-want.total()) > 1e-9 {
			t.Errorf("%s: population 15+ = %v (model %v), want %v", code, p15, e.p15, want.total())
		}
		if est != round1(e.est) || low != round1(e.low) || high != round1(e.high) {
			t.Errorf("%s: mart %v [%v, %v], model %v [%v, %v]", code, est, low, high, e.est, e.low, e.high)
		}
		if !(e.low <= e.est && e.est <= e.high) || e.est <= 0 || e.est >= e.p15 {
			t.Errorf("%s: estimate %v outside its band [%v, %v] or (0, %v)", code, e.est, e.low, e.high, e.p15)
		}
		if source != wantSource[code] {
			t.Errorf("%s: age source = %s, want %s", code, source, wantSource[code])
		}
	}

	// The plan, by hand from the département's figures. Creuse: 1 post
	// recruited, 1 France Services site; Haute-Vienne: 0 posts (the
	// programme export covers every département), 1 site. Defaults: caseload
	// 210 / 250 / 280 people per FTE over 3 years; 2 agents per site at
	// 0 / 10 / 20 % of their time.
	deps := bandsAt(t, db, "departement")
	if e := deps["23"]; math.Abs(e.est-communes["23001"].est-communes["23002"].est) > 1e-6 || e.p15 != 2720 {
		t.Errorf("Creuse = %+v, want the sum of its communes, 2720 aged 15+", e)
	}
	type plan struct {
		fte, workforce, gap [3]float64
		status              string
	}
	byHand := func(e estimate, posts, sites float64, caseload [3]float64, years float64) plan {
		need := [3]float64{e.low / (caseload[2] * years), e.est / (caseload[1] * years), e.high / (caseload[0] * years)}
		work := [3]float64{posts, posts + sites*2*0.1, posts + sites*2*0.2}
		status := "undetermined"
		switch {
		case need[2] < work[0]:
			status = "surplus"
		case need[0] > work[2]:
			status = "deficit"
		}
		var p plan
		for i := range 3 {
			p.fte[i], p.workforce[i] = round1(need[i]), round1(work[i])
			p.gap[i] = round1(need[i]-work[2-i]) + 0
		}
		p.gap[1] = round1(need[1]-work[1]) + 0
		p.status = status
		return p
	}
	check := func(name string, caseload [3]float64, years float64, wantStatus map[string]string) {
		t.Helper()
		for code, posts := range map[string]float64{"23": 1, "87": 0} {
			want := byHand(deps[code], posts, 1, caseload, years)
			var got plan
			var rate float64
			var people int64
			err := db.QueryRowContext(t.Context(), `SELECT mediator_fte_needed_low, mediator_fte_needed_central, mediator_fte_needed_high,
				mediator_workforce_low, mediator_workforce_central, mediator_workforce_high,
				mediator_gap_low, mediator_gap_central, mediator_gap_high, mediator_plan_status,
				illectronism_people_est, illectronism_rate_est
				FROM mart_departement WHERE code_departement = ?`, code).Scan(
				&got.fte[0], &got.fte[1], &got.fte[2], &got.workforce[0], &got.workforce[1], &got.workforce[2],
				&got.gap[0], &got.gap[1], &got.gap[2], &got.status, &people, &rate)
			if err != nil {
				t.Fatal(err)
			}
			if got != want || got.status != wantStatus[code] {
				t.Errorf("%s, %s: plan %+v, want %+v (status %s)", name, code, got, want, wantStatus[code])
			}
			e := deps[code]
			if people != int64(math.Round(e.est)) || rate != math.Round(e.est/e.p15*1e4)/1e4 {
				t.Errorf("%s, %s: %d people, rate %v; want %v, %v", name, code, people, rate, math.Round(e.est), e.est/e.p15)
			}
		}
	}
	// Creuse: about 420 people, at most 0.9 FTE over 3 years against 1 post:
	// a surplus; Haute-Vienne: about 115 people, 0.14–0.2 FTE against 0–0.4.
	check("defaults", [3]float64{210, 250, 280}, 3, map[string]string{"23": "surplus", "87": "undetermined"})
	// 30 people per FTE in a year: both in deficit.
	if err := dbtest.BuildErr(t.Context(), db, isql.Params{Caseload: isql.Caseload{Min: 20, Central: 30, Max: 40}, HorizonYears: 1}); err != nil {
		t.Fatal(err)
	}
	check("caseload 30", [3]float64{20, 30, 40}, 1, map[string]string{"23": "deficit", "87": "deficit"})

	// Supply and access. Creuse: 1 post for E people estimated in
	// illectronism → 1 × 10 000 / E per 10 000. The centroid of 23001 is 5 km
	// from the venue, 23002's 15 km: 2000 of 3000 people beyond 10 km, none
	// beyond 20 km.
	e23 := deps["23"].est
	var per10k, beyond10, share10, beyond20 float64
	db.QueryRowContext(t.Context(), `SELECT mediator_posts_per_10k_illectronism, population_beyond_10km, share_population_beyond_10km, population_beyond_20km
		FROM mart_departement WHERE code_departement = '23'`).Scan(&per10k, &beyond10, &share10, &beyond20)
	if per10k != math.Round(1e4/e23*1e3)/1e3 || beyond10 != 2000 || share10 != 0.6667 || beyond20 != 0 {
		t.Errorf("Creuse supply and access = %v, %v, %v, %v; want %v, 2000, 0.6667, 0",
			per10k, beyond10, share10, beyond20, math.Round(1e4/e23*1e3)/1e3)
	}

	// EPCI. CC A is 23001 alone: its figures and band are the commune's.
	// CA BC is 23002 + 87001, astride Creuse (2 000 people) and
	// Haute-Vienne (1 000): listed under Creuse, with both; its estimate
	// the sum of its communes', its band that of the summed draws; premises
	// 100 + 100, of which 50 + 50 below 30 Mbit/s; posts 0 (23001's post
	// is CC A's); its only centroid with access figures, 23002's, is 15 km
	// from the venue: everyone beyond 10 km, no one beyond 20.
	type epciRow struct {
		dep, deps                  string
		straddles                  bool
		communes                   int
		population, p15            float64
		est, low, high             float64
		premises                   int64
		below30                    float64
		posts                      int64
		per10k, beyond10, beyond20 float64
	}
	epcis := map[string]epciRow{}
	rows, err = db.QueryContext(t.Context(), `SELECT code_epci, code_departement, departements, straddles_departements, communes,
		population, population_15_plus, illectronism_people_est, illectronism_people_low, illectronism_people_high,
		premises, share_premises_below_30mbps, mediator_posts, mediator_posts_per_10k_illectronism,
		share_population_beyond_10km, share_population_beyond_20km FROM mart_epci`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var e epciRow
		if err := rows.Scan(&code, &e.dep, &e.deps, &e.straddles, &e.communes, &e.population, &e.p15, &e.est, &e.low, &e.high,
			&e.premises, &e.below30, &e.posts, &e.per10k, &e.beyond10, &e.beyond20); err != nil {
			t.Fatal(err)
		}
		epcis[code] = e
	}
	rows.Close()
	bands := bandsAt(t, db, "epci")
	a, bc := communes["23001"], communes["23002"]
	bc.est += communes["87001"].est
	if b := bands["200000001"]; math.Abs(b.est-a.est) > 1e-9 || math.Abs(b.low-a.low) > 1e-9 || math.Abs(b.high-a.high) > 1e-9 {
		t.Errorf("CC A's band %+v, want its one commune's %+v", b, a)
	}
	if b := bands["200000002"]; math.Abs(b.est-bc.est) > 1e-6 || b.p15 != 1920+750 || !(b.low < b.est && b.est < b.high) {
		t.Errorf("CA BC's band %+v, want the sum of 23002 and 87001 (%v people of 2670)", b, bc.est)
	}
	ea := bands["200000001"]
	wantA := epciRow{"23", "23", false, 1, 1000, 800, math.Round(ea.est), math.Round(ea.low), math.Round(ea.high),
		100, 0.1, 1, math.Round(1e4/ea.est*1e3) / 1e3, 0, 0}
	eb := bands["200000002"]
	wantBC := epciRow{"23", "23,87", true, 2, 3000, 2670, math.Round(eb.est), math.Round(eb.low), math.Round(eb.high),
		200, 0.5, 0, 0, 1, 0}
	for code, want := range map[string]epciRow{"200000001": wantA, "200000002": wantBC} {
		if got := epcis[code]; got != want {
			t.Errorf("mart_epci %s = %+v, want %+v", code, got, want)
		}
	}
	// CC A's plan, as a département's: its band's ends and centre over
	// caseload × horizon (low: the largest caseload), rounded to 0.1 FTE;
	// the workforce its 1 post and its France Services sites × agents ×
	// share of their time; the gap and verdict from the unrounded figures.
	var cmin, ccentral, cmax, horizon, agents, smin, scentral, smax float64
	if err := db.QueryRowContext(t.Context(), `SELECT caseload_min, caseload_central, caseload_max, horizon_years,
		france_services_agents, france_services_share_min, france_services_share_central, france_services_share_max FROM mart_build_parameters`).
		Scan(&cmin, &ccentral, &cmax, &horizon, &agents, &smin, &scentral, &smax); err != nil {
		t.Fatal(err)
	}
	var sites int64
	var fte, workforce [3]float64
	var gap float64
	var status string
	if err := db.QueryRowContext(t.Context(), `SELECT france_services_sites, mediator_fte_needed_low, mediator_fte_needed_central, mediator_fte_needed_high,
		mediator_workforce_low, mediator_workforce_central, mediator_workforce_high, mediator_gap_central, mediator_plan_status
		FROM mart_epci WHERE code_epci = '200000001'`).
		Scan(&sites, &fte[0], &fte[1], &fte[2], &workforce[0], &workforce[1], &workforce[2], &gap, &status); err != nil {
		t.Fatal(err)
	}
	r1 := func(x float64) float64 { return math.Round(x*10) / 10 }
	need := [3]float64{ea.low / (cmax * horizon), ea.est / (ccentral * horizon), ea.high / (cmin * horizon)}
	have := [3]float64{1 + float64(sites)*agents*smin, 1 + float64(sites)*agents*scentral, 1 + float64(sites)*agents*smax}
	wantStatus := "undetermined"
	switch {
	case need[2] < have[0]:
		wantStatus = "surplus"
	case need[0] > have[2]:
		wantStatus = "deficit"
	}
	if fte != [3]float64{r1(need[0]), r1(need[1]), r1(need[2])} || workforce != [3]float64{r1(have[0]), r1(have[1]), r1(have[2])} ||
		gap != r1(need[1]-have[1]) || status != wantStatus {
		t.Errorf("CC A's plan: FTE %v, workforce %v (%d sites), gap %v, %s; want %v, %v, %v, %s",
			fte, workforce, sites, gap, status, need, have, r1(need[1]-have[1]), wantStatus)
	}
}

// TestInputCoverageNotZero: a département no input describes gets NULL
// ("—"), never 0; once the national programme export is loaded, its 0 posts
// are a real zero.
func TestInputCoverageNotZero(t *testing.T) {
	db := tinyFrance(t)
	exec(t, db, `DELETE FROM raw_mediator_structures`)
	exec(t, db, `DELETE FROM ingest_files WHERE kind = 'mediators'`)
	dbtest.Build(t, db, isql.Params{})
	var venues, posts, sites gosql.NullInt64
	var share10, workforce gosql.NullFloat64
	var status gosql.NullString
	db.QueryRowContext(t.Context(), `SELECT venues, mediator_posts, france_services_sites, share_population_beyond_10km, mediator_workforce_central, mediator_plan_status
		FROM mart_departement WHERE code_departement = '87'`).Scan(&venues, &posts, &sites, &share10, &workforce, &status)
	if venues.Valid || posts.Valid || sites.Valid || share10.Valid || workforce.Valid || status.Valid {
		t.Errorf("Haute-Vienne, no listing nor export: venues %v, posts %v, sites %v, beyond 10 km %v, workforce %v, status %v; want all NULL",
			venues, posts, sites, share10, workforce, status)
	}
	var cvVenues, cvMediators bool
	db.QueryRowContext(t.Context(), `SELECT bool_or(covered) FILTER (WHERE kind = 'venues'), bool_or(covered) FILTER (WHERE kind = 'mediators')
		FROM int_departement__input_coverage WHERE code_departement = '23'`).Scan(&cvVenues, &cvMediators)
	if !cvVenues || cvMediators {
		t.Errorf("Creuse coverage: venues %v, mediators %v; want true, false", cvVenues, cvMediators)
	}
	ledger(t, db, 4, "mediators", 1)
	exec(t, db, `INSERT INTO raw_mediator_structures VALUES (4, 2, 'S', NULL, '23001', '23001', '23', NULL, 2, 1)`)
	dbtest.Build(t, db, isql.Params{})
	db.QueryRowContext(t.Context(), `SELECT mediator_posts FROM mart_departement WHERE code_departement = '87'`).Scan(&posts)
	if !posts.Valid || posts.Int64 != 0 {
		t.Errorf("Haute-Vienne with the export loaded: posts %v, want 0", posts)
	}
}

func TestFragilityByHand(t *testing.T) {
	db := tinyFrance(t)
	dbtest.Build(t, db, isql.Params{})
	// Indicators kept: connectivity, 65+, no diploma and living alone. The
	// distance to France Services is known nowhere (no list of sites loaded)
	// and poverty, single parents and jobseekers are NULL in the socio file:
	// under 90 % of communes, left out, their weight counting for nothing.
	// Deciles weighted by population (1000, 2000, 1000 people; 4000 in all):
	//   decile = 1 + floor(10 × (people below + people tied ÷ 2) / 4000)
	//   connectivity 0.1, 0.5, 0.5: 0.1 → 500 → 2; the tie of 3000 people
	//                 → 1000 + 1500 = 2500 → 7
	//   65+ 25, 37.5, 20: 20 (87001) → 500 → 2; 25 (23001) → 1500 → 4;
	//                 37.5 (23002) → 2000 + 1000 = 3000 → 8
	//   no diploma 30, 30, 30: one tie → 2000 → 6
	//   living alone 10, 20, 30 → 500, 2000, 3500 → 2, 6, 9
	// Scores (equal weights over the 4 kept):
	//   23001 (2 + 4 + 6 + 2) / 4 = 3.5
	//   23002 (7 + 8 + 6 + 6) / 4 = 6.75
	//   87001 (7 + 2 + 6 + 9) / 4 = 6
	// Départements, population-weighted: Creuse (1000 × 3.5 + 2000 × 6.75) /
	// 3000 = 5.667, rank 2; Haute-Vienne 6, rank 1.
	want := map[string]struct {
		score   float64
		deciles [5]int // connectivity, venue distance, 65+, no diploma, living alone (0 = none)
	}{
		"23001": {3.5, [5]int{2, 0, 4, 6, 2}},
		"23002": {6.75, [5]int{7, 0, 8, 6, 6}},
		"87001": {6, [5]int{7, 0, 2, 6, 9}},
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
	// Sensitivity: doubling 65+ gives 23001 (2+8+6+2)/5 = 3.6, 23002
	// (7+16+6+6)/5 = 7, so Creuse (3600 + 14000)/3000 = 5.867, and 87001
	// (7+4+6+9)/5 = 5.2: the ranks swap. So each is 1st under some
	// weighting and 2nd under another.
	for code, w := range map[string][4]float64{"23": {5.667, 2, 1, 2}, "87": {6, 1, 1, 2}} {
		var score, rank, lo, hi float64
		db.QueryRowContext(t.Context(), `SELECT fragility_score, fragility_rank, fragility_rank_min, fragility_rank_max FROM mart_departement WHERE code_departement = ?`, code).
			Scan(&score, &rank, &lo, &hi)
		if got := [4]float64{score, rank, lo, hi}; got != w {
			t.Errorf("département %s: score, rank, min, max = %v, want %v", code, got, w)
		}
	}
	// Configured weights: only connectivity counts. 23001 → 2, 23002 → 7,
	// 87001 → 7; Creuse (2000 + 14000)/3000 = 5.333, Haute-Vienne 7.
	dbtest.Build(t, db, isql.Params{FragilityWeights: map[string]float64{"connectivity": 1}})
	var s23, s87 float64
	db.QueryRowContext(t.Context(), `SELECT fragility_score FROM mart_departement WHERE code_departement = '23'`).Scan(&s23)
	db.QueryRowContext(t.Context(), `SELECT fragility_score FROM mart_departement WHERE code_departement = '87'`).Scan(&s87)
	if s23 != 5.333 || s87 != 7 {
		t.Errorf("connectivity-only scores = %v, %v; want 5.333, 7", s23, s87)
	}
	for _, bad := range []map[string]float64{{"broadband": 1}, {"poverty": -1}, {"poverty": 0}} {
		if err := dbtest.BuildErr(t.Context(), db, isql.Params{FragilityWeights: bad}); err == nil {
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
	dbtest.Supersede(t, db) // as ingest would have
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
	type group struct {
		commune, band string
		n, x          int
	}
	for _, c := range []group{
		{"23001", "15-29", 11, 0}, {"23001", "30-44", 11, 1}, {"23001", "45-59", 11, 2}, {"23001", "60-74", 5, 2},
		{"23002", "60-74", 6, 2}, {"23002", "75+", 6, 4},
		{"", "75+", 5, 4},
	} {
		observed(t, db, &line, c.commune, "23", c.band, c.n, c.x)
	}
	ledger(t, db, 9, "assessments", line-1)
	dbtest.Build(t, db, isql.Params{})
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
	// Creuse's 15+ by band (tinyAges: 15–24 340, 25–64 1460, 65+ 920),
	// the broad groups split by the national population of the census 2018
	// (diagnostics/data/structure_nationale.csv, table age):
	//   15-29 = 340 + 1460 × 25–29/25–64, 30-44 = 1460 × (30–39 + 40–44)/25–64,
	//   45-59 = 1460 × 45–59/25–64, 60-74 = 1460 × 60–64/25–64 + 920 × 65–74/65+,
	//   75+ = 920 × 75+/65+; weights = these / 2720.
	const (
		nat2529, nat3044, nat4559, nat6064 = 3834453.0, 8237832.0 + 4209891.0, 13291254.0, 4083391.0
		nat6574, nat75                     = 6972255.0, 6235921.0
		nat2564                            = nat2529 + nat3044 + nat4559 + nat6064
		nat65                              = nat6574 + nat75
	)
	w := []float64{
		(340 + 1460*nat2529/nat2564) / 2720, 1460 * nat3044 / nat2564 / 2720, 1460 * nat4559 / nat2564 / 2720,
		(1460*nat6064/nat2564 + 920*nat6574/nat65) / 2720, 920 * nat75 / nat65 / 2720,
	}
	// Each band's counts are published perturbed (11 respondents; 0, 1, 2,
	// 4, 8 in illectronism), recomputed here with the disclosure package;
	// the variance adds the noise's: Σ w² (p (1 − p) / n + V (1 + p²) / n²).
	bands := []string{"15-29", "30-44", "45-59", "60-74", "75+"}
	trueX := []int{0, 1, 2, 4, 8}
	std, variance, autoStd := 0.0, 0.0, 0.0
	for i, band := range bands {
		where := "code_departement = '23' AND age_band = '" + band + "'"
		bn, bx, ba := perturbed(t, db, "respondents", where), perturbed(t, db, "illectronisme", where), perturbed(t, db, "autonome", where)
		if bn.count != 11 || bx.count != trueX[i] {
			t.Fatalf("Creuse %s: %d respondents, %d in illectronism; want 11, %d", band, bn.count, bx.count, trueX[i])
		}
		p, m := perturbedShare(bx, bn), float64(bn.published)
		std += w[i] * p
		variance += w[i] * w[i] * (p*(1-p)/m + 1.5*(1+p*p)/(m*m))
		autoStd += w[i] * perturbedShare(ba, bn)
	}
	r4 := round4
	inCreuse := "code_departement = '23'"
	dn, dx := perturbed(t, db, "respondents", inCreuse), perturbed(t, db, "illectronisme", inCreuse)
	if dn.count != 55 || dx.count != 15 {
		t.Fatalf("Creuse: %d respondents, %d in illectronism; want 55, 15", dn.count, dx.count)
	}
	var n int64
	var raw, gotStd, lo, hi float64
	err := db.QueryRowContext(t.Context(), `SELECT assessments_respondents, assessments_share_illectronism, assessments_share_illectronism_std,
		assessments_share_illectronism_std_ci_low, assessments_share_illectronism_std_ci_high FROM mart_departement WHERE code_departement = '23'`).
		Scan(&n, &raw, &gotStd, &lo, &hi)
	if err != nil {
		t.Fatal(err)
	}
	wantLo, wantHi := r4(math.Max(0, std-1.959964*math.Sqrt(variance))), r4(math.Min(1, std+1.959964*math.Sqrt(variance)))
	if n != int64(dn.published) || raw != r4(perturbedShare(dx, dn)) || gotStd != r4(std) || lo != wantLo || hi != wantHi {
		t.Errorf("Creuse observed: n %d, raw %v, std %v [%v, %v]; want %d, %v, %v [%v, %v]",
			n, raw, gotStd, lo, hi, dn.published, r4(perturbedShare(dx, dn)), r4(std), wantLo, wantHi)
	}

	// The long mart has the same figure, and the other measures: 60-74 and
	// 75+ hold 11 respondents each, so "autonome" standardises too.
	var longStd, gotAuto float64
	db.QueryRowContext(t.Context(), `SELECT share_std FROM mart_departement_observed_need WHERE code_departement = '23' AND measure = 'illectronisme'`).Scan(&longStd)
	db.QueryRowContext(t.Context(), `SELECT share_std FROM mart_departement_observed_need WHERE code_departement = '23' AND measure = 'autonome'`).Scan(&gotAuto)
	if longStd != r4(std) || gotAuto != r4(autoStd) {
		t.Errorf("observed-need mart: illectronism std %v, autonome std %v; want %v, %v", longStd, gotAuto, r4(std), r4(autoStd))
	}

	// Communes: the 5 with an unknown commune are never published, and
	// Creuse's total is: 23002 (12, the smallest published) is withheld too,
	// so the withheld cells hold 5 + 12 = 17 ≥ 11. 23001: 38 respondents,
	// 5 in illectronism (0 + 1 + 2 + 2), perturbed. 87001 has no
	// respondent: withheld, exactly like a small cell.
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
	cn, cx := perturbed(t, db, "respondents", "code_insee = '23001'"), perturbed(t, db, "illectronisme", "code_insee = '23001'")
	if cn.count != 38 || cx.count != 5 {
		t.Fatalf("23001: %d respondents, %d in illectronism; want 38, 5", cn.count, cx.count)
	}
	if r := got["23001"]; r.n.Int64 != int64(cn.published) || r.share.Float64 != r4(perturbedShare(cx, cn)) || r.suppressed {
		t.Errorf("23001 = %+v, want %d respondents, share %v", r, cn.published, r4(perturbedShare(cx, cn)))
	}
	if r := got["23002"]; r.n.Valid || r.share.Valid || !r.suppressed {
		t.Errorf("23002 = %+v, want withheld (secondary)", r)
	}
	if r, want := got["87001"], got["23002"]; r != want {
		t.Errorf("87001 (no respondent) = %+v, want it published like 23002 (withheld) %+v", r, want)
	}
	// An attacker subtracts the published communes from the published
	// département: 55 − 38 = 17 respondents in truth, a figure on 17
	// people (≥ 11), not 23002's 12 nor the 5; and the perturbation of
	// both totals blurs even that.
	var withheld int64
	db.QueryRowContext(t.Context(), `SELECT d.assessments_respondents - sum(c.assessments_respondents)
		FROM mart_departement AS d JOIN mart_commune AS c USING (code_departement)
		WHERE code_departement = '23' GROUP BY d.assessments_respondents`).Scan(&withheld)
	if want := int64(dn.published - cn.published); withheld != want {
		t.Errorf("respondents recoverable from Creuse's total = %d, want %d (17 with both noises)", withheld, want)
	}

	// EPCI: 200000001 (23001 alone) holds 38 respondents, none withheld:
	// published, with 23001's very cell key, so the same perturbed counts.
	// 200000002 (23002 and 87001) holds 12 withheld ones, a piece of ≥ 11,
	// but publishing it would leave Creuse's withheld cells outside
	// published EPCI at 5 (the unknown commune: 55 − 38 − 12): withheld too.
	got = map[string]communeRow{}
	rows, _ = db.QueryContext(t.Context(), `SELECT code_epci, assessments_respondents, assessments_share_illectronism, assessments_suppressed FROM mart_epci`)
	for rows.Next() {
		var code string
		var r communeRow
		rows.Scan(&code, &r.n, &r.share, &r.suppressed)
		got[code] = r
	}
	rows.Close()
	var ex, ep int
	db.QueryRowContext(t.Context(), `SELECT x, published FROM int_assessments__perturbed
		WHERE level = 'epci' AND code = '200000001' AND measure = 'respondents'`).Scan(&ex, &ep)
	if ex != 38 || ep != cn.published {
		t.Errorf("EPCI 200000001: %d respondents published %d; want 38 published as 23001's %d", ex, ep, cn.published)
	}
	if r := got["200000001"]; r.n.Int64 != int64(cn.published) || r.share.Float64 != r4(perturbedShare(cx, cn)) || r.suppressed {
		t.Errorf("EPCI 200000001 = %+v, want %d respondents, share %v", r, cn.published, r4(perturbedShare(cx, cn)))
	}
	if r := got["200000002"]; r.n.Valid || r.share.Valid || !r.suppressed {
		t.Errorf("EPCI 200000002 = %+v, want withheld: Creuse − both EPCI would give the 5 of unknown commune", r)
	}
}

func TestPreviousRunValues(t *testing.T) {
	db := tinyFrance(t)
	dbtest.Build(t, db, isql.Params{})
	var prev gosql.NullInt64
	db.QueryRowContext(t.Context(), `SELECT previous_venues FROM mart_departement WHERE code_departement = '87'`).Scan(&prev)
	if prev.Valid {
		t.Errorf("first build: previous venues = %v, want NULL", prev)
	}
	// A listing of Haute-Vienne is loaded, with one venue: venues were
	// unknown (NULL, no listing covered it), now 1.
	ledger(t, db, 5, "venues", 1)
	exec(t, db, `INSERT INTO raw_venues VALUES (5, 2, 'v2', 'Médiathèque', NULL, NULL, NULL, NULL, 1.2, 45.8, NULL, NULL, NULL, NULL, '87', '87001', 'geometry', NULL)`)
	dbtest.Build(t, db, isql.Params{})
	var venues, before, rank, prevRank gosql.NullInt64
	var at gosql.NullTime
	err := db.QueryRowContext(t.Context(), `SELECT venues, previous_venues, fragility_rank, previous_fragility_rank, previous_built_at FROM mart_departement WHERE code_departement = '87'`).
		Scan(&venues, &before, &rank, &prevRank, &at)
	if err != nil {
		t.Fatal(err)
	}
	if venues.Int64 != 1 || before.Valid || !at.Valid || prevRank.Int64 != 1 || rank.Int64 != 1 {
		t.Errorf("second build: venues %v (previous %v), rank %v (previous %v), previous build at %v; want 1 (NULL), rank 1 (previous 1)", venues, before, rank, prevRank, at)
	}
	var builds int
	db.QueryRowContext(t.Context(), `SELECT count(DISTINCT build_id) FROM hist_departement`).Scan(&builds)
	if builds != 2 {
		t.Errorf("history holds %d builds, want 2", builds)
	}
	// A rerun on the same data records nothing and still compares with the
	// first build (the last change), so the pages do not change.
	dbtest.Build(t, db, isql.Params{})
	db.QueryRowContext(t.Context(), `SELECT count(DISTINCT build_id) FROM hist_departement`).Scan(&builds)
	db.QueryRowContext(t.Context(), `SELECT previous_venues, previous_built_at FROM mart_departement WHERE code_departement = '87'`).Scan(&before, &at)
	if builds != 2 || before.Valid || !at.Valid {
		t.Errorf("after a rerun: %d builds, previous venues %v at %v; want 2 builds, NULL at the first build", builds, before, at)
	}
}

// TestModelFitReused: with a program named, a second fit from the same
// program and inputs keeps the stored one (the same diag_* tables); another
// program, another margin or a commune's changed data fits again.
func TestModelFitReused(t *testing.T) {
	db := tinyFrance(t)
	views := func() {
		t.Helper()
		if err := isql.BuildViews(t.Context(), db, isql.Params{}); err != nil {
			t.Fatal(err)
		}
	}
	views()
	digest := func() string {
		var s string
		err := db.QueryRowContext(t.Context(), `SELECT md5(string_agg(c::VARCHAR, '|' ORDER BY code_insee)) || (SELECT md5(string_agg(b::VARCHAR, '|' ORDER BY level, code)) FROM diag_illectronism_bands AS b)
			FROM diag_commune_illectronism AS c`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	fit := func(program string) (diagnostics.ModelSummary, string) {
		t.Helper()
		sum, err := diagnostics.EstimateIllectronism(t.Context(), db, diagnostics.ModelOptions{Program: program})
		if err != nil {
			t.Fatal(err)
		}
		return sum, digest()
	}
	first, tables := fit("p1")
	for _, step := range []struct {
		name   string
		change func()
		reused bool
	}{
		{"same program and inputs", func() {}, true},
		{"another program", func() { fit("p2") }, false},
		{"a margin changed", func() {
			exec(t, db, `UPDATE ref_illectronism_margins SET rate = rate + 0.001 WHERE id = '2021-ensemble'`)
		}, false},
		{"a commune's data changed", func() { exec(t, db, `UPDATE raw_socio SET no_diploma_15_plus = 35 WHERE code_insee = '23001'`) }, false},
	} {
		step.change()
		views() // the model reads the inputs through the views
		sum, got := fit("p1")
		if sum.Reused != step.reused {
			t.Errorf("%s: reused = %v, want %v", step.name, sum.Reused, step.reused)
		}
		if step.reused {
			sum.Reused = false
			if fmt.Sprint(sum) != fmt.Sprint(first) || got != tables { // NaN ≠ NaN: compare as printed
				t.Errorf("%s: the kept fit differs: summary %+v (first %+v), tables %s (first %s)", step.name, sum, first, got, tables)
			}
		}
	}
}
