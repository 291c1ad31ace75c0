package sql_test

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/dbtest"
	isql "github.com/illectro/illectro/sql"
)

// openWithReference opens a real DuckDB file with the reference tables stored.
func openWithReference(t *testing.T) *gosql.DB {
	t.Helper()
	return dbtest.OpenWithReference(t)
}

func exec(t *testing.T, db *gosql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// ledger records a loaded file so that the balance tests hold.
func ledger(t *testing.T, db *gosql.DB, id int, kind string, rows int) {
	t.Helper()
	exec(t, db, `INSERT INTO ingest_files VALUES (?, ?, ?, ?, 0, ?, ?, 0, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`,
		id, kind, fmt.Sprintf("f%d.csv", id), fmt.Sprintf("sha%d", id), rows, rows)
}

// assessment adds one respondent's row with the given levels, scored as
// ingest scores it, and records the rows it supersedes.
func assessment(t *testing.T, db *gosql.DB, file, line int, key, date, commune, dep string, internet bool, levels [5]int) {
	t.Helper()
	var lv [5]ingest.Level
	for i, l := range levels {
		lv[i] = ingest.Level(l)
	}
	basic, class := ingest.Classify(internet, lv)
	exec(t, db, `INSERT INTO raw_assessments VALUES (?, ?, hash(?) // 2, ?::TIMESTAMP, NULL, ?, ?, '60-74', ?, ?, ?, ?, ?, ?, ?, ?)`,
		file, line, key, date, commune, dep, internet, levels[0], levels[1], levels[2], levels[3], levels[4], basic, string(class))
	dbtest.Supersede(t, db) // as ingest would have
}

type martRow struct {
	venues      gosql.NullInt64
	per10k      gosql.NullFloat64
	below30     gosql.NullFloat64
	below8      gosql.NullFloat64
	posts       int64
	respondents gosql.NullInt64
	share       gosql.NullFloat64
	suppressed  bool
}

func mart(t *testing.T, db *gosql.DB, dep string) martRow {
	t.Helper()
	var r martRow
	err := db.QueryRowContext(t.Context(), `SELECT venues, venues_per_10k, share_premises_below_30mbps, share_premises_below_8mbps,
		mediator_posts, assessments_respondents, assessments_share_illectronism, assessments_suppressed
		FROM mart_departement WHERE code_departement = ?`, dep).
		Scan(&r.venues, &r.per10k, &r.below30, &r.below8, &r.posts, &r.respondents, &r.share, &r.suppressed)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMartDepartementByHand checks every mart indicator against figures
// computed by hand from a small fixture.
func TestMartDepartementByHand(t *testing.T) {
	db := openWithReference(t)

	// Lozère (48): population municipale 76 486 (COG 2026, geo/data).
	// Three venues, one of them delivered twice (same id, later file wins):
	// 3 venues → 3 × 10 000 / 76 486 = 0.39223… → 0.392.
	ledger(t, db, 1, "venues", 3)
	ledger(t, db, 2, "venues", 1)
	// Three distinct places (about 1.4 km apart) with distinct names, so the
	// cross-source merge leaves them apart.
	for i, v := range []struct{ id, nom string }{{"v1", "Médiathèque"}, {"v2", "Mairie"}, {"v3", "Centre social"}} {
		exec(t, db, `INSERT INTO raw_venues VALUES (1, ?, ?, ?, 'X', NULL, NULL, NULL, 3.5 + ? / 100.0, 44.5 + ? / 100.0, NULL, NULL, NULL, NULL, '48', NULL, 'geometry', NULL)`, i+2, v.id, v.nom, i, i)
	}
	exec(t, db, `INSERT INTO raw_venues VALUES (2, 2, 'v1', 'nom v1 bis', 'X', NULL, NULL, NULL, 3.5, 44.5, NULL, NULL, NULL, NULL, '48', NULL, 'geometry', NULL)`)

	// Coverage, exclusive (beta) format, two communes of Lozère plus an old
	// period that must be ignored:
	//   48095 Mende:    nbr 1000 = inel 10 + hd05 20 + hd3 30 + hd8 140 + thd30 300 + thd100 200 + thd1g 300
	//   48001 (other):  nbr  200 = inel 20 + hd05 20 + hd3 40 + hd8  20 + thd30  50 + thd100  50 + thd1g   0
	//   ≥ 30 Mbit/s = (300+200+300) + (50+50+0) = 900 of 1 200 → below 30 = 300/1200 = 0.25
	//   ≥ 8 Mbit/s  = 900 + 140 + 20 = 1 060 → below 8 = 140/1200 = 0.1167
	// Cumulative format, Cantal (15), 15014 Aurillac: nbr 500, bhd8 450, thd30 400, thd100 300, thd1g 100
	//   below 30 = 100/500 = 0.2; below 8 = 50/500 = 0.1
	ledger(t, db, 3, "coverage", 4)
	exec(t, db, `INSERT INTO raw_coverage VALUES
		(3, 2, 'arcep_beta_exclusive', '48095', '48095', '48', DATE '2019-09-30', 1000, 10, 20, 30, 140, 300, 200, 300),
		(3, 3, 'arcep_beta_exclusive', '48001', '48001', '48', DATE '2019-09-30', 200, 20, 20, 40, 20, 50, 50, 0),
		(3, 4, 'arcep_beta_exclusive', '48095', '48095', '48', DATE '2018-09-30', 1000, 1000, 0, 0, 0, 0, 0, 0),
		(3, 5, 'arcep_cumulative', '15014', '15014', '15', DATE '2024-06-30', 500, 0, 0, 0, 450, 400, 300, 100)`)

	// Mediators: the latest file only (a snapshot): 2 + 3 posts recruited in 48.
	ledger(t, db, 4, "mediators", 1)
	ledger(t, db, 5, "mediators", 2)
	exec(t, db, `INSERT INTO raw_mediator_structures VALUES
		(4, 2, 'Old', NULL, '48095', '48095', '48', NULL, 9, 9),
		(5, 2, 'A', NULL, '48095', '48095', '48', NULL, 2, 2),
		(5, 3, 'B', NULL, '48001', '48001', '48', NULL, 4, 3)`)

	// Assessments in Lozère: 12 respondents.
	//   r1: no internet                       → illectronisme
	//   r2: internet, 1 area basic            → illectronisme
	//   r3: internet, 2 areas basic           → capacités faibles
	//   r4..r11: all 5 areas                  → autonome
	//   r12: first illectronisme (2025), then all 5 areas (2026): latest counts → autonome
	//   → 2 of 12 = 0.1667
	// Cantal: 10 respondents (below the threshold of 11) → suppressed.
	// Ain: 11 respondents. Its figures would be published on their own, but
	// France's total minus the published départements would then give
	// Cantal's: the smallest published département, Ain, is withheld too
	// (secondary suppression), so that the withheld cells hold 10 + 11 = 21
	// respondents, at least the threshold; Lozère (12) stays published.
	line := 1
	add := func(key, date, commune, dep string, internet bool, l [5]int) {
		line++
		assessment(t, db, 6, line, key, date, commune, dep, internet, l)
	}
	all := [5]int{1, 2, 1, 2, 1}
	add("r1", "2026-01-10", "48095", "48", false, [5]int{1, 1, 1, 1, 1})
	add("r2", "2026-01-10", "48095", "48", true, [5]int{2, 0, 0, 0, 0})
	add("r3", "2026-01-10", "48095", "48", true, [5]int{1, 1, 0, 0, 0})
	for i := 4; i <= 11; i++ {
		add(fmt.Sprintf("r%d", i), "2026-01-10", "48001", "48", true, all)
	}
	add("r12", "2025-05-01", "48001", "48", false, [5]int{0, 0, 0, 0, 0})
	add("r12", "2026-05-01", "48001", "48", true, all)
	for i := range 10 {
		add(fmt.Sprintf("c%d", i), "2026-01-10", "15014", "15", false, [5]int{})
	}
	for i := range 11 {
		add(fmt.Sprintf("a%d", i), "2026-01-10", "01053", "01", true, all)
	}
	ledger(t, db, 6, "assessments", line-1)

	p := isql.Params{}
	if err := dbtest.BuildErr(t.Context(), db, p); err != nil {
		t.Fatal(err)
	}
	if err := isql.Check(t.Context(), db, p); err != nil {
		t.Fatal(err)
	}

	loz := mart(t, db, "48")
	if loz.venues.Int64 != 3 || loz.per10k.Float64 != 0.392 {
		t.Errorf("Lozère venues = %v, per 10k = %v; want 3, 0.392", loz.venues, loz.per10k)
	}
	if !loz.below30.Valid || loz.below30.Float64 != 0.25 || loz.below8.Float64 != 0.1167 {
		t.Errorf("Lozère below 30 / 8 Mbit/s = %v / %v; want 0.25 / 0.1167", loz.below30, loz.below8)
	}
	if loz.posts != 5 {
		t.Errorf("Lozère mediator posts = %d, want 5 (latest file only)", loz.posts)
	}
	// The counts are published perturbed (cell-key method): each is its
	// true count, derived by hand below, plus the noise that the
	// disclosure package's reference gives its cell's respondents.
	inLoz := "code_departement = '48'"
	n, ill := perturbed(t, db, "respondents", inLoz), perturbed(t, db, "illectronisme", inLoz)
	if n.count != 12 || ill.count != 2 {
		t.Fatalf("Lozère true counts = %d respondents, %d in illectronism; want 12, 2", n.count, ill.count)
	}
	if loz.respondents.Int64 != int64(n.published) || !loz.share.Valid || loz.share.Float64 != round4(perturbedShare(ill, n)) || loz.suppressed {
		t.Errorf("Lozère respondents = %v, share = %v, suppressed = %v; want %d, %v, false (12 and 2/12 perturbed)",
			loz.respondents, loz.share, loz.suppressed, n.published, round4(perturbedShare(ill, n)))
	}
	if d := n.published - 12; d < -3 || d > 3 {
		t.Errorf("Lozère respondents perturbed by %d, want at most ±3", d)
	}
	// The interval: Wilson 95 % on the published counts, widened by the
	// noise. Without noise (x = 2, n = 12, z = 1.959964): p = 0.16667,
	// z²/n = 0.32012, centre = (p + z²/2n) / (1 + z²/n) = 0.24750,
	// half-width = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n) = 0.20053, so
	// [0.0470, 0.4480]; perturbedInterval adds z²·V·(1 + p²)/n² to each
	// half's square.
	if lo, hi := perturbedInterval(cell{published: 2}, cell{published: 12}, 0); round4(lo) != 0.047 || round4(hi) != 0.448 {
		t.Fatalf("Wilson interval of 2/12 = [%v, %v], want [0.047, 0.448]", round4(lo), round4(hi))
	}
	wantLo, wantHi := perturbedInterval(ill, n, 1.5)
	var lo, hi float64
	db.QueryRowContext(t.Context(), `SELECT assessments_share_illectronism_ci_low, assessments_share_illectronism_ci_high
		FROM mart_departement WHERE code_departement = '48'`).Scan(&lo, &hi)
	if lo != round4(wantLo) || hi != round4(wantHi) {
		t.Errorf("Lozère interval = [%v, %v], want [%v, %v]", lo, hi, round4(wantLo), round4(wantHi))
	}
	// Of the 12: r3 is in capacités faibles (1/12); r4..r11 and r12 (its
	// latest result) are autonome (9/12); with the 2 in illectronism they
	// add up to 12. Level 0 in information: nobody (r1 has 1, r2 2, r3 1,
	// the others 1) → 0, never perturbed. Level 0 in safety: r2 and r3 → 2.
	want := map[string]int{"capacites_faibles": 1, "autonome": 9, "no_basic_information": 0, "no_basic_safety": 2}
	var cf, auto, noInfo, noSafety float64
	db.QueryRowContext(t.Context(), `SELECT assessments_share_capacites_faibles, assessments_share_autonome,
		assessments_share_no_basic_information, assessments_share_no_basic_safety
		FROM mart_departement WHERE code_departement = '48'`).Scan(&cf, &auto, &noInfo, &noSafety)
	for measure, got := range map[string]float64{"capacites_faibles": cf, "autonome": auto, "no_basic_information": noInfo, "no_basic_safety": noSafety} {
		c := perturbed(t, db, measure, inLoz)
		if c.count != want[measure] {
			t.Errorf("Lozère %s: true count %d, want %d", measure, c.count, want[measure])
		}
		if got != round4(perturbedShare(c, n)) {
			t.Errorf("Lozère %s share = %v, want %v (%d perturbed to %d, of %d)", measure, got, round4(perturbedShare(c, n)), c.count, c.published, n.published)
		}
	}
	if noInfo != 0 {
		t.Errorf("Lozère share without basic information = %v, want 0 (a count of 0 is never perturbed)", noInfo)
	}
	var superseded string
	db.QueryRowContext(t.Context(), `SELECT id || ' ' || file_id || ':' || line || ' -> ' || kept_file_id || ':' || kept_line FROM stg_venues__superseded`).Scan(&superseded)
	if superseded != "v1 1:2 -> 2:2" {
		t.Errorf("superseded venues = %q, want v1 1:2 -> 2:2", superseded)
	}
	cantal := mart(t, db, "15")
	if cantal.below30.Float64 != 0.2 || cantal.below8.Float64 != 0.1 {
		t.Errorf("Cantal below 30 / 8 Mbit/s = %v / %v; want 0.2 / 0.1", cantal.below30, cantal.below8)
	}
	if cantal.respondents.Valid || cantal.share.Valid || !cantal.suppressed {
		t.Errorf("Cantal respondents = %v, share = %v, suppressed = %v; want NULL, NULL, true", cantal.respondents, cantal.share, cantal.suppressed)
	}
	if ain := mart(t, db, "01"); ain.respondents.Valid || ain.share.Valid || !ain.suppressed {
		t.Errorf("Ain respondents = %v, share = %v, suppressed = %v; want NULL, NULL, true (secondary)", ain.respondents, ain.share, ain.suppressed)
	}
	var why []string
	rows, _ := db.QueryContext(t.Context(), `SELECT code_departement || ' ' || assessments_suppression FROM mart_departement
		WHERE assessments_suppressed AND code_departement IN ('01', '15', '48') ORDER BY 1`)
	for rows.Next() {
		var w string
		rows.Scan(&w)
		why = append(why, w)
	}
	rows.Close()
	if strings.Join(why, ", ") != "01 secondary, 15 primary" {
		t.Errorf("withheld départements = %v, want [01 secondary, 15 primary]", why)
	}
	aisne := mart(t, db, "02")
	// Aisne: no listing nor coverage file describes it, so its venues and
	// coverage are unknown (NULL, "—"), not 0; the programme export is
	// national, so its 0 posts are a real zero; nobody answered there,
	// which is published exactly as "fewer than the threshold": withheld.
	if aisne.venues.Valid || aisne.per10k.Valid || aisne.below30.Valid || aisne.posts != 0 ||
		aisne.respondents.Valid || !aisne.suppressed {
		t.Errorf("Aisne (no data) = %+v; want venues and coverage NULL, 0 posts, respondents withheld like a small cell", aisne)
	}

	// A lower threshold publishes Cantal's share (and so Ain's): 10 of 10
	// in illectronism, perturbed; a count at the threshold is never moved
	// below it.
	dbtest.Build(t, db, isql.Params{SecrecyThreshold: 10})
	inCantal := "code_departement = '15'"
	cn, cx := perturbedAt(t, db, 10, "respondents", inCantal), perturbedAt(t, db, 10, "illectronisme", inCantal)
	if !cn.shown || cn.published != 10 {
		t.Errorf("Cantal's 10 respondents published as %d with threshold 10, want 10 (the bound)", cn.published)
	}
	c := mart(t, db, "15")
	if !c.share.Valid || c.share.Float64 != round4(perturbedShare(cx, cn)) {
		t.Errorf("Cantal share with threshold 10 = %v, want %v", c.share, round4(perturbedShare(cx, cn)))
	}
	wantLo, wantHi = perturbedInterval(cx, cn, 1.5)
	db.QueryRowContext(t.Context(), `SELECT assessments_share_illectronism_ci_low, assessments_share_illectronism_ci_high
		FROM mart_departement WHERE code_departement = '15'`).Scan(&lo, &hi)
	if lo != round4(wantLo) || hi != round4(wantHi) {
		t.Errorf("Cantal interval = [%v, %v], want [%v, %v]", lo, hi, round4(wantLo), round4(wantHi))
	}
}

func TestThresholdBelowMinimumRefused(t *testing.T) {
	db := openWithReference(t)
	err := dbtest.BuildErr(t.Context(), db, isql.Params{SecrecyThreshold: 4})
	if err == nil || !strings.Contains(err.Error(), "below the minimum of 5") {
		t.Errorf("Build with threshold 4: %v, want a refusal", err)
	}
}

// The data tests are not decoration: each broken invariant is caught.
func TestCheckCatchesBrokenInvariants(t *testing.T) {
	tests := []struct {
		name  string
		setup string
		test  string
	}{
		{"unbalanced ledger", `INSERT INTO ingest_files VALUES (1, 'venues', 'a.csv', 'x', 0, 5, 3, 1, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`, "assert_ingest_files_balance.sql"},
		{"lost rows", `INSERT INTO ingest_files VALUES (1, 'venues', 'a.csv', 'x', 0, 2, 2, 0, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`, "assert_loaded_file_rows_exist.sql"},
		{"unknown commune", `INSERT INTO raw_mediator_structures VALUES (1, 2, 'A', NULL, '99999', '99999', '99', NULL, 1, 1)`, "assert_raw_codes_in_reference.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openWithReference(t)
			exec(t, db, tt.setup)
			dbtest.Build(t, db, isql.Params{})
			err := isql.Check(t.Context(), db, isql.Params{})
			var ce *isql.CheckError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.test) {
				t.Errorf("Check = %v, want a failure of %s", err, tt.test)
			}
		})
	}
}

// The margins data test checks the model against the published figures,
// not against itself: a model whose rates drift, or published figures that
// change after the fit, fail it; so does a commune figure that no longer
// adds up to the cells.
func TestMarginsTestCatchesABrokenModel(t *testing.T) {
	db := openWithReference(t)
	dbtest.Build(t, db, isql.Params{})
	if err := isql.Check(t.Context(), db, isql.Params{}); err != nil {
		t.Fatalf("Check before tampering: %v", err)
	}
	for _, tt := range []struct{ name, table, tamper string }{
		{"rates drift", "diag_illectronism_cells", `UPDATE diag_illectronism_cells SET rate = rate * 1.02`},
		{"national figure changed", "ref_illectronism_margins", `UPDATE ref_illectronism_margins SET rate = 0.16 WHERE id = '2021-ensemble'`},
		{"a regional figure changed", "ref_illectronism_margins", `UPDATE ref_illectronism_margins SET rate = 0.18 WHERE id = '2019-region-32'`},
		{"communes off their cells", "diag_commune_illectronism", `UPDATE diag_commune_illectronism SET people_est = people_est * 1.01 WHERE code_departement = '48'`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Tamper with a copy kept aside, and put the table back after.
			exec(t, db, `CREATE TABLE kept AS SELECT * FROM `+tt.table)
			defer exec(t, db, `DROP TABLE kept`)
			defer exec(t, db, `INSERT INTO `+tt.table+` SELECT * FROM kept`)
			defer exec(t, db, `DELETE FROM `+tt.table)
			exec(t, db, tt.tamper)
			err := isql.Check(t.Context(), db, isql.Params{})
			if err == nil || !strings.Contains(err.Error(), "assert_illectronism_margins_reproduced.sql") {
				t.Errorf("Check after %q = %v, want the margins test to fail", tt.tamper, err)
			}
		})
	}
	if err := isql.Check(t.Context(), db, isql.Params{}); err != nil {
		t.Errorf("Check once every table is put back: %v", err)
	}
}

func TestSecrecyTestCatchesALeak(t *testing.T) {
	db := openWithReference(t)
	for i := range 3 {
		assessment(t, db, 1, i+2, fmt.Sprint("r", i), "2026-01-10", "48095", "48", i == 0, [5]int{1, 1, 1, 1, 1})
	}
	ledger(t, db, 1, "assessments", 3)
	dbtest.Build(t, db, isql.Params{})
	// Simulate marts that published a share on 3 respondents: Lozère's, or
	// that of the EPCI of 48095 (Mende), whose département is withheld.
	for _, tt := range []struct {
		table, where string
		tests        []string
	}{
		{"mart_departement", "code_departement = '48'", []string{"assert_mart_departement_secrecy.sql"}},
		{"mart_epci", "code_epci = (SELECT code_epci FROM ref_commune_epci WHERE code_insee = '48095')",
			[]string{"assert_mart_epci_secrecy.sql", "assert_secrecy_not_recoverable_from_totals.sql"}},
	} {
		t.Run(tt.table, func(t *testing.T) {
			exec(t, db, `CREATE TABLE kept AS SELECT * FROM `+tt.table)
			defer exec(t, db, `DROP TABLE kept`)
			defer exec(t, db, `INSERT INTO `+tt.table+` SELECT * FROM kept`)
			defer exec(t, db, `DELETE FROM `+tt.table)
			exec(t, db, `UPDATE `+tt.table+` SET assessments_respondents = 3, assessments_share_illectronism = 0.3333, assessments_suppressed = false WHERE `+tt.where)
			err := isql.Check(context.Background(), db, isql.Params{})
			for _, test := range tt.tests {
				if err == nil || !strings.Contains(err.Error(), test) {
					t.Errorf("Check = %v, want %s to fail", err, test)
				}
			}
		})
	}
}

func TestMartColumnsAllCommented(t *testing.T) {
	db := openWithReference(t)
	dbtest.Build(t, db, isql.Params{})
	rows, err := db.QueryContext(t.Context(), `SELECT table_name, column_name FROM duckdb_columns()
		WHERE table_name LIKE 'mart_%' AND (comment IS NULL OR comment = '')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, col string
		rows.Scan(&tbl, &col)
		t.Errorf("%s.%s has no COMMENT", tbl, col)
	}
}

// TestVenueDeduplication: listings of one place from several sources merge
// (within 50 m and similar names, chains included); different names at the
// same address, and the same name 200 m away, stay apart.
func TestVenueDeduplication(t *testing.T) {
	db := openWithReference(t)
	ledger(t, db, 1, "venues", 6)
	// 0.0001° of latitude ≈ 11.1 m.
	exec(t, db, `INSERT INTO raw_venues VALUES
		(1, 2, 'a1', 'Médiathèque Jean Macé', NULL, NULL, NULL, NULL, 3.0, 50.0000, 'src-a', '2023-01-01', NULL, 'Conseillers numériques', '59', NULL, 'geometry', NULL),
		(1, 3, 'b1', 'MEDIATHEQUE JEAN MACE', NULL, NULL, NULL, NULL, 3.0, 50.0002, 'src-b', '2024-05-01', NULL, 'France Services', '59', NULL, 'geometry', NULL),
		(1, 4, 'c1', 'Mediatheque Jean-Macé (annexe)', NULL, NULL, NULL, NULL, 3.0, 50.0005, 'src-c', '2022-01-01', NULL, NULL, '59', NULL, 'geometry', NULL),
		(1, 5, 'd1', 'Mairie', NULL, NULL, NULL, NULL, 3.0, 50.0001, 'src-a', '2023-01-01', NULL, NULL, '59', NULL, 'geometry', NULL),
		(1, 6, 'e1', 'Médiathèque Jean Macé', NULL, NULL, NULL, NULL, 3.0, 50.0020, 'src-d', '2023-01-01', NULL, NULL, '59', NULL, 'geometry', NULL),
		(1, 7, 'f1', 'Centre social', NULL, NULL, NULL, NULL, 3.0, 50.0020, 'src-e', '2023-01-01', NULL, NULL, '59', NULL, 'geometry', NULL)`)
	dbtest.Build(t, db, isql.Params{})
	// a1–b1: 22 m, same folded name; b1–c1: 33 m, "mediatheque jean mace" is
	// contained in "mediatheque jean mace annexe"; a1–c1 are 56 m apart but
	// chained through b1. b1 (updated 2024) is kept, with both programmes.
	// d1 is 11 m from a1 but named otherwise; e1 has a1's name but lies 222 m
	// away; f1 shares e1's place but not its name.
	rows, err := db.QueryContext(t.Context(), `SELECT id, listings, coalesce(dispositif_programmes_nationaux, '') FROM int_venues__deduplicated ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, prog string
		var n int
		rows.Scan(&id, &n, &prog)
		got = append(got, fmt.Sprintf("%s×%d[%s]", id, n, prog))
	}
	rows.Close()
	want := []string{"b1×3[Conseillers numériques|France Services]", "d1×1[]", "e1×1[]", "f1×1[]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("venues = %v, want %v", got, want)
	}
	var merged string
	db.QueryRowContext(t.Context(), `SELECT string_agg(kept_id || '<-' || merged_id, ',' ORDER BY merged_id) FROM int_venues__merge_report`).Scan(&merged)
	if merged != "b1<-a1,b1<-c1" {
		t.Errorf("merge report = %q, want b1<-a1,b1<-c1", merged)
	}
}

// TestSocioWeighting checks stg_socio__communes by hand on real codes:
// 01187 and 01330 merged into 01187, with census 2021 populations 609 and 177
// in the centroid file: (29.168 × 609 + 27.922 × 177) / 786
// = (17 763.312 + 4 942.194) / 786 = 22 705.506 / 786 = 28.8874.
// 01138 and 01039 merged into 01138, but 01039 has no 2021 population of its
// own: plain mean (24.736 + 22.590) / 2 = 23.663. 01004 appears twice and
// the rows agree on 65+ (20.7) but conflict on poverty (26.2 vs 30.0): NULL.
func TestSocioWeighting(t *testing.T) {
	db := openWithReference(t)
	ledger(t, db, 1, "socio", 6)
	exec(t, db, `INSERT INTO raw_socio (file_id, line, code_insee_input, code_insee, code_departement, poverty_rate, aged_65_plus) VALUES
		(1, 2, '01187', '01187', '01', NULL, 29.168),
		(1, 3, '01330', '01187', '01', NULL, 27.922),
		(1, 4, '01138', '01138', '01', NULL, 24.736),
		(1, 5, '01039', '01138', '01', NULL, 22.590),
		(1, 6, '01004', '01004', '01', 26.2, 20.7),
		(1, 7, '01004', '01004', '01', 30.0, NULL)`)
	dbtest.Build(t, db, isql.Params{})
	type socio struct {
		Code, Weighting string
		A65, Poverty    gosql.NullFloat64
	}
	rows, err := db.QueryContext(t.Context(), `SELECT code_insee, weighting, round(aged_65_plus, 4), poverty_rate FROM stg_socio__communes ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var got []socio
	for rows.Next() {
		var s socio
		rows.Scan(&s.Code, &s.Weighting, &s.A65, &s.Poverty)
		got = append(got, s)
	}
	rows.Close()
	f := func(v float64) gosql.NullFloat64 { return gosql.NullFloat64{Float64: v, Valid: true} }
	want := []socio{
		{"01004", "single", f(20.7), gosql.NullFloat64{}},
		{"01138", "equal", f(23.663), gosql.NullFloat64{}},
		{"01187", "population_2021", f(28.8874), gosql.NullFloat64{}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("socio = %v, want %v", got, want)
	}
}

func TestInTx(t *testing.T) {
	ctx := t.Context()
	db, err := isql.Open(ctx, filepath.Join(t.TempDir(), "tx.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, `CREATE TABLE t (x INTEGER)`)
	count := func() (n int) {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	failed := errors.New("fn failed")
	insert := func(conn *gosql.Conn) error {
		_, err := conn.ExecContext(ctx, `INSERT INTO t VALUES (1)`)
		return err
	}

	// Committed.
	if err := isql.InTx(ctx, db, insert); err != nil || count() != 1 {
		t.Fatalf("InTx(insert) = %v with %d rows, want nil with 1", err, count())
	}
	// fn fails: rolled back, its error returned as is.
	err = isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		if err := insert(conn); err != nil {
			return err
		}
		return failed
	})
	if err != failed || count() != 1 {
		t.Errorf("InTx(insert, fail) = %v with %d rows, want %v with the row rolled back (1)", err, count(), failed)
	}
	// The rollback itself fails (the connection is gone): both are said.
	err = isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		conn.Close()
		return failed
	})
	if !errors.Is(err, failed) || !errors.Is(err, gosql.ErrConnDone) || !strings.Contains(err.Error(), "rollback") {
		t.Errorf("InTx with a failed rollback = %v, want %v joined with the rollback's %v", err, failed, gosql.ErrConnDone)
	}
}

func TestDefaultFragilityWeightsNotShared(t *testing.T) {
	w := isql.DefaultFragilityWeights()
	if len(w) != len(isql.FragilityIndicators) {
		t.Fatalf("DefaultFragilityWeights() has %d weights, want one per indicator (%d)", len(w), len(isql.FragilityIndicators))
	}
	for name := range w {
		w[name] = 0
	}
	for name, v := range isql.DefaultFragilityWeights() {
		if v != 1 {
			t.Errorf("after a caller changed its copy, DefaultFragilityWeights()[%s] = %g, want 1", name, v)
		}
	}
}

// The working database is its owner's alone (0600) whatever the umask or a
// previous mode: it holds pseudonymised self-assessments.
func TestWorkingDatabaseIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "illectro.duckdb")
	db, err := isql.Open(t.Context(), path, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil { // as an older version left it
		t.Fatal(err)
	}
	db, err = isql.Open(t.Context(), path, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
