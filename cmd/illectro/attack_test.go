package main

// The attacks of issue 15 on the statistical secrecy of self-assessments,
// written as an attacker would: from what is published only (the
// analysts' snapshot, its Parquet files, the pages and downloads), never
// from the working database. The test then compares what the attacker
// concludes with the truth it planted. Each attack succeeded before the
// cell-key perturbation and the joint suppression; each must fail now.

import (
	"crypto/sha256"
	gosql "database/sql"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
)

const attackKey = "attack-test-hmac-key-0123456789"

// attackWorld is a working folder whose inputs are only the files planted
// in its inbox (no bundled samples).
type attackWorld struct {
	dir, config, inbox string
}

func newAttackWorld(t *testing.T) attackWorld {
	t.Helper()
	dir := t.TempDir()
	w := attackWorld{dir: dir, config: filepath.Join(dir, "illectro.toml"), inbox: filepath.Join(dir, "inbox")}
	conf := fmt.Sprintf("db = %q\nout = %q\ninbox = %q\nsamples = false\n",
		filepath.Join(dir, "illectro.duckdb"), filepath.Join(dir, "public"), w.inbox)
	if err := os.WriteFile(w.config, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(w.inbox, "assessments"), 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs the pipeline and returns a copy of what it published: the
// snapshot folder and the site, as an attacker who keeps every release has.
func (w attackWorld) run(t *testing.T, release string) published {
	t.Helper()
	if _, stderr, err := runCLI(t, t.Context(), map[string]string{"ILLECTRO_HMAC_KEY": attackKey}, "", "run", "--config", w.config); err != nil {
		t.Fatalf("run: %v\n%s", err, tail(stderr, 5))
	}
	keep := filepath.Join(w.dir, "attacker", release)
	snap, err := filepath.EvalSymlinks(filepath.Join(w.dir, pipeline.SnapshotName))
	if err != nil {
		t.Fatal(err)
	}
	site, err := filepath.EvalSymlinks(filepath.Join(w.dir, "public"))
	if err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{snap: "snapshot", site: "site"} {
		if err := os.CopyFS(filepath.Join(keep, to), os.DirFS(from)); err != nil {
			t.Fatal(err)
		}
	}
	return published{dir: keep}
}

// plant writes a self-assessment file into the inbox (generic format).
func (w attackWorld) plant(t *testing.T, name string, rows []string) []byte {
	t.Helper()
	body := "respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n" +
		strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(w.inbox, "assessments", name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return []byte(body)
}

// published is one release as the attacker kept it.
type published struct{ dir string }

// query runs q on the release's snapshot, read-only, and returns its rows
// as strings (NULL as "NULL").
func (p published) query(t *testing.T, q string, args ...any) [][]string {
	t.Helper()
	db, err := isql.Open(t.Context(), filepath.Join(p.dir, "snapshot", isql.SnapshotFile), isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q = strings.ReplaceAll(q, "{parquet}", filepath.Join(p.dir, "snapshot", isql.SnapshotParquetDir))
	rows, err := db.QueryContext(t.Context(), "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ("+q+")", args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]gosql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// maxNoise is what the release says of its noise: the largest |noise| of
// its perturbation table, 0 when it publishes none (then the attacker
// takes every published count as exact).
func (p published) maxNoise(t *testing.T) int {
	t.Helper()
	if p.query(t, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ref_perturbation_table'`)[0][0] == "0" {
		return 0
	}
	var d int
	fmt.Sscan(p.query(t, `SELECT max(abs(noise)) FROM ref_perturbation_table`)[0][0], &d)
	return d
}

// canPublish is the set of true counts that the release's perturbation
// table lets publish the count pub (measure counts): pub itself when there
// is no table.
func (p published) canPublish(t *testing.T, pub int) []int {
	t.Helper()
	if p.maxNoise(t) == 0 {
		return []int{pub}
	}
	var out []int
	for _, r := range p.query(t, `SELECT DISTINCT count, noise, (SELECT max(count) FROM ref_perturbation_table WHERE ptable = 'measure') AS last
		FROM ref_perturbation_table WHERE ptable = 'measure' AND probability > 0`) {
		var count, noise, last int
		fmt.Sscan(r[0], &count)
		fmt.Sscan(r[1], &noise)
		fmt.Sscan(r[2], &last)
		x := pub - noise // the true count this noise would come from
		if x >= 0 && (x == count || (count == last && x >= last)) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// observedNeed reads a département's published counts per measure from the
// Parquet files of the release: respondents, and share × respondents for
// each measure (shares have 4 decimals: exact counts up to 5 000).
func (p published) observedNeed(t *testing.T, dep string) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, r := range p.query(t, `SELECT measure, respondents, share FROM read_parquet('{parquet}/mart_departement_observed_need/*/*/*.parquet',
		hive_partitioning = true, hive_types = {'year': INTEGER, 'code_departement': VARCHAR}) WHERE code_departement = ?`, dep) {
		if r[1] == "NULL" {
			continue
		}
		var n int
		var share float64
		fmt.Sscan(r[1], &n)
		fmt.Sscan(r[2], &share)
		got["respondents"] = n
		got[r[0]] = int(math.Round(share * float64(n)))
	}
	return got
}

var attackMeasures = []string{"respondents", "illectronisme", "capacites_faibles", "autonome",
	"no_basic_information", "no_basic_communication", "no_basic_content_creation", "no_basic_safety", "no_basic_problem_solving"}

// noiseDifferences is the set of differences e2 − e1 of two noises the
// release's table allows: {0} without a table.
func noiseDifferences(d int) []int {
	var out []int
	for i := -2 * d; i <= 2*d; i++ {
		out = append(out, i)
	}
	return out
}

func TestDisclosureAttacks(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	// One working folder, three releases, attacked from what each publishes.
	// Release 1: a national file — 20 respondents in each département's
	// most populous commune (one in five without internet); Creuse 12, all
	// in Guéret; Cantal 3 (a primary cell); 12 more in Roubaix, all
	// autonomous (a small cell of 0 % in illectronism).
	w := newAttackWorld(t)
	ref, err := ingest.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	biggest := map[string]geo.Commune{}
	for _, c := range ref.Communes {
		if b, ok := biggest[c.CodeDepartement]; !ok || c.PopulationMunicipale > b.PopulationMunicipale {
			biggest[c.CodeDepartement] = c
		}
	}
	var rows []string
	id := 0
	planted := map[string]int{} // respondents per commune
	add := func(commune string, n int, internet func(i int) string) {
		planted[commune] += n
		for i := range n {
			id++
			rows = append(rows, fmt.Sprintf("N-%d,2026-10-01,%s,45-59,%s,1,1,1,1,1", id, commune, internet(i)))
		}
	}
	oneInFive := func(i int) string { return []string{"oui", "non"}[i%5/4] }
	for _, d := range ref.Departements {
		switch d.Code {
		case "23":
			add("23096", 12, oneInFive) // Guéret
		case "15":
			add(biggest[d.Code].Code, 3, oneInFive)
		default:
			add(biggest[d.Code].Code, 20, oneInFive)
		}
	}
	add("59512", 12, func(int) string { return "oui" }) // Roubaix
	// Haute-Vienne: beside Limoges' 20, 12 in Panazol and 4 in Isle (both
	// in Limoges Métropole, as Limoges), 12 in Aixe-sur-Vienne (CC Val de
	// Vienne). Isle's 4 are withheld, and Aixe's 12 with them (the
	// smallest published cell): Limoges Métropole minus Limoges and Panazol
	// would give Isle's 4.
	add("87114", 12, oneInFive)
	add("87075", 4, oneInFive)
	add("87001", 12, oneInFive)
	w.plant(t, "national.csv", rows)
	before := w.run(t, "1")
	trueFrance := id

	// Release 2: three people of Albaret-le-Comtal (Lozère, 131
	// inhabitants) take the diagnostic: one in illectronism (no internet,
	// every area missing), one with weak skills (content creation and
	// safety missing), one autonomous.
	albaret := w.plant(t, "albaret_atelier_novembre.csv", []string{
		"ATK-1,2026-11-02,48001,75+,non,0,0,0,0,0",
		"ATK-2,2026-11-02,48001,60-74,oui,1,1,0,0,1",
		"ATK-3,2026-11-02,48001,30-44,oui,2,2,2,2,2",
	})
	after := w.run(t, "2")
	truth := map[string]int{"respondents": 3, "illectronisme": 1, "capacites_faibles": 1, "autonome": 1,
		"no_basic_information": 1, "no_basic_communication": 1, "no_basic_content_creation": 2, "no_basic_safety": 2, "no_basic_problem_solving": 1}

	// Release 3: ATK-1 takes the diagnostic again and is now autonomous.
	w.plant(t, "albaret_retest.csv", []string{"ATK-1,2026-11-20,48001,75+,oui,2,2,2,2,2"})
	retest := w.run(t, "3")

	t.Run("differencing two releases", func(t *testing.T) {
		b, a := before.observedNeed(t, "48"), after.observedNeed(t, "48")
		if len(b) == 0 || len(a) == 0 {
			t.Skip("Lozère withheld in a release: nothing to difference")
		}
		d := after.maxNoise(t)
		exact, right := 0, 0
		for _, m := range attackMeasures {
			delta := a[m] - b[m]
			if delta == truth[m] {
				right++
			}
			// the true changes this published change allows
			var feasible []int
			for _, e := range noiseDifferences(d) {
				if x := delta - e; x >= 0 && x <= 3 {
					feasible = append(feasible, x)
				}
			}
			if len(feasible) == 1 && feasible[0] == truth[m] {
				exact++
				t.Errorf("%s: the two releases differ by %d, which can only mean %d: the newcomers' %s is disclosed", m, delta, truth[m], m)
			}
		}
		t.Logf("the attacker's naive reading gets %d of %d counts right (by chance), none for certain: %d exact", right, len(attackMeasures), exact)
	})

	t.Run("differencing the history", func(t *testing.T) {
		// hist_departement keeps every build's share: the same attack on
		// its two last Lozère rows.
		rows := after.query(t, `SELECT assessments_share_illectronism FROM hist_departement WHERE code_departement = '48' ORDER BY build_id`)
		n := after.query(t, `SELECT assessments_respondents, previous_assessments_share_illectronism FROM mart_departement WHERE code_departement = '48'`)[0]
		if len(rows) < 2 || n[0] == "NULL" || n[1] == "NULL" {
			t.Skip("no history to difference")
		}
		var n2 int
		var s1, s2 float64
		fmt.Sscan(n[0], &n2)
		fmt.Sscan(rows[len(rows)-2][0], &s1)
		fmt.Sscan(rows[len(rows)-1][0], &s2)
		b := before.observedNeed(t, "48")
		// illectronism count then and now, from the shares
		delta := int(math.Round(s2*float64(n2))) - int(math.Round(s1*float64(b["respondents"])))
		if after.maxNoise(t) == 0 && delta == truth["illectronisme"] && n2-b["respondents"] == 3 {
			t.Errorf("hist_departement gives the exact change: %d new respondents, %d in illectronism", n2-b["respondents"], delta)
		}
	})

	t.Run("one-person retest", func(t *testing.T) {
		a, r := after.observedNeed(t, "48"), retest.observedNeed(t, "48")
		if len(a) == 0 || len(r) == 0 {
			t.Skip("Lozère withheld")
		}
		// Hypotheses: one person moved from class f to class g (f = g: no
		// change), and the set of areas they miss changed or not. Under a
		// hypothesis, a cell whose members did not change keeps its noise,
		// so its published count must not move; a changed cell's count may
		// move by its true change plus a difference of two noises.
		classes := []string{"illectronisme", "capacites_faibles", "autonome"}
		d := retest.maxNoise(t)
		var consistent []string
		for _, f := range classes {
			for _, g := range classes {
				ok := true
				for _, m := range classes {
					change := 0
					if m == g && f != g {
						change = 1
					}
					if m == f && f != g {
						change = -1
					}
					delta := r[m] - a[m]
					if change == 0 && f == g {
						ok = ok && delta == 0
						continue
					}
					if change == 0 {
						// a class the move does not touch keeps its members
						ok = ok && delta == 0
						continue
					}
					ok = ok && slices.Contains(noiseDifferences(d), delta-change)
				}
				if ok {
					consistent = append(consistent, f+"→"+g)
				}
			}
		}
		if r["respondents"] != a["respondents"] {
			t.Errorf("a retest changed the published respondents (%d → %d): the same people must publish the same count", a["respondents"], r["respondents"])
		}
		t.Logf("hypotheses consistent with the published shares: %v (truth: illectronisme→autonome)", consistent)
		if len(consistent) == 1 {
			t.Errorf("the retest is disclosed: only %s fits the published figures", consistent[0])
		}
	})

	t.Run("file metadata", func(t *testing.T) {
		// Loaded, the file is deleted (it held ids); the attacker knows
		// its bytes all the same.
		if _, err := os.Stat(filepath.Join(w.inbox, "assessments", "processed", "albaret_atelier_novembre.csv")); err == nil {
			t.Error("the loaded self-assessment file was kept in processed/")
		}
		sum := fmt.Sprintf("%x", sha256.Sum256(albaret))
		// Everything published, as text: every cell of every snapshot table,
		// every page and download of the site.
		var haystack strings.Builder
		for _, tab := range after.query(t, `SELECT table_name FROM duckdb_tables()`) {
			for _, r := range after.query(t, fmt.Sprintf(`SELECT * FROM %q`, tab[0])) {
				haystack.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		site := filepath.Join(after.dir, "site")
		filepath.WalkDir(site, func(path string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && (strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".json")) {
				b, _ := os.ReadFile(path)
				haystack.Write(b)
			}
			return nil
		})
		text := haystack.String()
		for what, needle := range map[string]string{"SHA-256": sum, "name": "albaret_atelier_novembre"} {
			if strings.Contains(text, needle) {
				t.Errorf("the 3-row assessment file's %s is published (%q): enough to brute-force its rows", what, needle)
			}
		}
		if rows := after.query(t, `SELECT count(*) FROM ingest_files WHERE kind = 'assessments'`); rows[0][0] != "0" {
			t.Errorf("the snapshot lists %s assessment files (name, hash, size, rows)", rows[0][0])
		}
		if rows := after.query(t, `SELECT count(*) FROM runs WHERE fingerprint IS NOT NULL`); rows[0][0] != "0" {
			t.Errorf("the snapshot publishes %s run fingerprints: a hash over the assessment files' hashes", rows[0][0])
		}
		if strings.Contains(text, "3 lignes") || strings.Contains(text, ">3</td>") && strings.Contains(text, "albaret_atelier_novembre") {
			t.Error("qualite.html gives the row count of the assessment file")
		}
	})

	t.Run("presence", func(t *testing.T) {
		// Albaret-le-Comtal (3 respondents) against Arzenc-de-Randon (none):
		// their published observed need must not differ.
		cols := `assessments_respondents, assessments_share_illectronism, assessments_share_illectronism_ci_low,
			assessments_share_illectronism_ci_high, assessments_suppressed`
		rows := after.query(t, `SELECT code_insee, `+cols+` FROM mart_commune WHERE code_insee IN ('48001', '48008') ORDER BY 1`)
		if len(rows) != 2 {
			t.Fatalf("mart_commune rows = %v", rows)
		}
		if !slices.Equal(rows[0][1:], rows[1][1:]) {
			t.Errorf("a commune with 3 respondents (%v) is published differently from one with none (%v): presence disclosed", rows[0][1:], rows[1][1:])
		}
		csv, err := os.ReadFile(filepath.Join(after.dir, "site", "telechargements", "indicateurs_communes.csv"))
		if err == nil {
			line := func(code string) string {
				for _, l := range strings.Split(string(csv), "\n") {
					if strings.HasPrefix(l, code+",") {
						// the observed-need columns are the last five
						f := strings.Split(l, ",")
						return strings.Join(f[max(0, len(f)-5):], ",")
					}
				}
				return ""
			}
			if a, b := line("48001"), line("48008"); a != b {
				t.Errorf("communes.csv: %q against %q: presence disclosed", a, b)
			}
		}
	})

	t.Run("attribute disclosure", func(t *testing.T) {
		// Cells publishing 0 % or 100 % in illectronism on fewer than 19
		// respondents: "none (all) of these people is in illectronism".
		certain := 0
		for _, level := range []string{"mart_commune", "mart_departement"} {
			for _, r := range after.query(t, fmt.Sprintf(`SELECT assessments_respondents, assessments_share_illectronism FROM %s
				WHERE assessments_respondents < 19 AND assessments_share_illectronism IN (0, 1)`, level)) {
				var n int
				var share float64
				fmt.Sscan(r[0], &n)
				fmt.Sscan(r[1], &share)
				x := int(math.Round(share * float64(n)))
				if len(after.canPublish(t, x)) == 1 && (share == 0 || after.maxNoise(t) == 0) {
					certain++
				}
			}
		}
		if certain > 0 {
			t.Errorf("%d small cells publish 0 %% or 100 %% that only a true 0 %% (100 %%) can give: every respondent's class is disclosed", certain)
		}
	})

	// France's total minus the published départements minus the published
	// communes of withheld ones: before, Creuse (12, all in Guéret) was
	// withheld to protect Cantal's 3 while Guéret was published, and the
	// difference gave Cantal's cell.
	t.Run("across levels", func(t *testing.T) {
		// The attacker's France total: the rows loaded from the assessment
		// files, if any ledger publishes them; else nothing to subtract from.
		france := -1
		if r := before.query(t, `SELECT coalesce(sum(rows_loaded), -1) FROM ingest_files WHERE kind = 'assessments'`); r[0][0] != "-1" {
			fmt.Sscan(r[0][0], &france)
		}
		sumDep := 0
		for _, r := range before.query(t, `SELECT assessments_respondents FROM mart_departement WHERE assessments_respondents IS NOT NULL`) {
			var n int
			fmt.Sscan(r[0], &n)
			sumDep += n
		}
		// Published communes of withheld départements (a published "0" gives
		// nothing to subtract, but says the commune has no respondent).
		sumCom := 0
		var inWithheld []string
		for _, r := range before.query(t, `SELECT c.code_insee, c.assessments_respondents FROM mart_commune AS c
			JOIN mart_departement AS d USING (code_departement)
			WHERE c.assessments_respondents IS NOT NULL AND d.assessments_respondents IS NULL ORDER BY c.assessments_respondents DESC`) {
			var n int
			fmt.Sscan(r[1], &n)
			sumCom += n
			inWithheld = append(inWithheld, r[0]+":"+r[1])
		}
		if len(inWithheld) > 0 {
			t.Errorf("%d communes published inside a withheld département, e.g. %v", len(inWithheld), inWithheld[:min(3, len(inWithheld))])
		}
		for _, total := range []int{france, trueFrance} { // what the ledger says, and the worst case: a total known from elsewhere
			if total < 0 {
				continue
			}
			if left := total - sumDep - sumCom; left == 3 {
				t.Errorf("France %d − published départements %d − published communes of withheld ones %d = %d: Cantal's primary cell recovered", total, sumDep, sumCom, left)
			}
		}
	})

	// An EPCI's total minus its published communes: the attacker reads
	// the communes' EPCI from the published reference and subtracts. Any
	// published EPCI under which the withheld communes hold 1 to 10
	// respondents in truth isolates them (Isle's 4 in Limoges Métropole),
	// whatever the noise then blurs.
	t.Run("EPCI minus its communes", func(t *testing.T) {
		threshold := 11
		type epci struct {
			published, communes int
			withheld            int // true respondents of its withheld communes
			names               []string
		}
		epcis := map[string]*epci{}
		for _, r := range before.query(t, `SELECT e.code_epci, e.assessments_respondents, c.code_insee, c.assessments_respondents
			FROM mart_epci AS e JOIN ref_commune_epci AS ce USING (code_epci) JOIN mart_commune AS c USING (code_insee)
			WHERE e.assessments_respondents IS NOT NULL`) {
			e := epcis[r[0]]
			if e == nil {
				e = &epci{}
				fmt.Sscan(r[1], &e.published)
				epcis[r[0]] = e
			}
			if r[3] == "NULL" {
				e.withheld += planted[r[2]]
				if planted[r[2]] > 0 {
					e.names = append(e.names, fmt.Sprintf("%s:%d", r[2], planted[r[2]]))
				}
				continue
			}
			var n int
			fmt.Sscan(r[3], &n)
			e.communes += n
		}
		if len(epcis) == 0 {
			t.Fatal("no EPCI publishes its observed need: the attack has nothing to read, and the test nothing to prove")
		}
		for code, e := range epcis {
			if e.withheld > 0 && e.withheld < threshold {
				t.Errorf("EPCI %s publishes %d, its published communes %d: the difference %d points at %d withheld respondents %v",
					code, e.published, e.communes, e.published-e.communes, e.withheld, e.names)
			}
		}
		t.Logf("%d EPCI publish their observed need", len(epcis))
	})
}
