package sql_test

import (
	gosql "database/sql"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/illectro/illectro/disclosure"
	isql "github.com/illectro/illectro/sql"
)

// cell is a cell of published self-assessments, recomputed in Go from the
// respondents' pseudonyms with the disclosure package (the reference of
// int_assessments__perturbed): its true count and the count published.
type cell struct {
	count, published int
	shown            bool
}

// perturbed recomputes the cell of measure (a name of disclosure.Measures)
// over the latest assessments matched by the SQL condition where, with
// the default perturbation table and threshold.
func perturbed(t *testing.T, db *gosql.DB, measure, where string) cell {
	t.Helper()
	return perturbedAt(t, db, 0, measure, where)
}

// perturbedAt is perturbed with a secrecy threshold (0: the default).
func perturbedAt(t *testing.T, db *gosql.DB, threshold int, measure, where string) cell {
	t.Helper()
	tab, err := disclosure.NewTable(disclosure.Params{Threshold: threshold})
	if err != nil {
		t.Fatal(err)
	}
	slice := -1
	for i, m := range disclosure.Measures {
		if m == measure {
			slice = i
		}
	}
	if slice < 0 {
		t.Fatalf("unknown measure %q", measure)
	}
	rows, err := db.QueryContext(t.Context(), `SELECT coalesce(source, ''), respondent_key, CAST(skills_class AS VARCHAR),
		CAST([level_information, level_communication, level_content_creation, level_safety, level_problem_solving] AS INTEGER[])
		FROM int_assessments__latest WHERE `+where)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []int
	for rows.Next() {
		var source, class string
		var key int64
		var levels []any
		if err := rows.Scan(&source, &key, &class, &levels); err != nil {
			t.Fatal(err)
		}
		in := false
		switch {
		case slice == 0:
			in = true
		case slice <= 3:
			in = class == measure
		default:
			in = levels[slice-4].(int32) == 0
		}
		if in {
			keys = append(keys, disclosure.RecordKeys(source, key)[slice])
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	name := disclosure.Measure
	if slice == 0 {
		name = disclosure.Respondents
	}
	pub, shown := tab.Publish(name, len(keys), disclosure.CellKey(keys...))
	return cell{count: len(keys), published: pub, shown: shown}
}

// round4 rounds to 4 decimals, as the marts do.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// perturbedShare is min(x, n) / n, as the macro perturbed_share.
func perturbedShare(x, n cell) float64 {
	return float64(min(x.published, n.published)) / float64(n.published)
}

// perturbedInterval is the 95 % Wilson interval of min(x, n) / n, each
// half widened in quadrature by the noise (variance v), as the macros
// perturbed_low and perturbed_high compute it.
func perturbedInterval(x, n cell, v float64) (lo, hi float64) {
	const z = 1.959964
	k, m := float64(min(x.published, n.published)), float64(n.published)
	p := k / m
	centre := (p + z*z/(2*m)) / (1 + z*z/m)
	half := z * math.Sqrt(p*(1-p)/m+z*z/(4*m*m)) / (1 + z*z/m)
	wl, wh := math.Max(0, centre-half), math.Min(1, centre+half)
	noise := z * z * v * (1 + p*p) / (m * m)
	return math.Max(0, p-math.Sqrt((p-wl)*(p-wl)+noise)), math.Min(1, p+math.Sqrt((wh-p)*(wh-p)+noise))
}

// TestHistoryBeforePerturbationErased: a database whose history holds the
// exact shares of builds before the cell-key perturbation loses them on the
// next open, and keeps the perturbed ones.
func TestHistoryBeforePerturbationErased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := isql.Open(t.Context(), path, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, `INSERT INTO hist_departement VALUES
		(1, now(), '48', 100, 0.1, 5, 1, 0, 0.1, 3, 0.1667, NULL),
		(2, now(), '48', 100, 0.1, 5, 1, 0, 0.1, 3, 0.1429, true)`)
	db.Close()
	if db, err = isql.Open(t.Context(), path, isql.Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	rows, err := db.QueryContext(t.Context(), `SELECT build_id || ':' || coalesce(CAST(assessments_share_illectronism AS VARCHAR), 'NULL') FROM hist_departement ORDER BY build_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	rows.Close()
	if strings.Join(got, " ") != "1:NULL 2:0.1429" {
		t.Errorf("history after reopening = %v, want the exact share of build 1 erased, build 2's kept", got)
	}
}
