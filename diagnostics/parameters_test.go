package diagnostics_test

import (
	gosql "database/sql"
	"math"
	"reflect"
	"testing"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/internal/dbtest"
	isql "github.com/illectro/illectro/sql"
)

// openPagesDB opens a real DuckDB file with the reference tables stored.
func openPagesDB(t *testing.T) *gosql.DB {
	t.Helper()
	return dbtest.OpenWithReference(t)
}

// TestLoadParameters builds the marts with parameters that differ from every
// default and reads them back.
func TestLoadParameters(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	params := isql.Params{
		SecrecyThreshold: 15,
		Caseload:         isql.Caseload{Min: 300, Central: 500, Max: 700},
		HorizonYears:     2,
		FragilityWeights: map[string]float64{"poverty": 0.5, "connectivity": 2},
	}
	if err := isql.Build(ctx, db, params); err != nil {
		t.Fatal(err)
	}
	got, err := diagnostics.LoadParameters(ctx, db)
	if err != nil {
		t.Fatal(err)
	}

	if got.SecrecyThreshold != 15 || got.CaseloadMin != 300 || got.CaseloadCentral != 500 ||
		got.CaseloadMax != 700 || got.HorizonYears != 2 || got.NationalRate != 0.154 {
		t.Errorf("scalars = %d, %g/%g/%g, %g years, national %g; want 15, 300/500/700, 2 years, national 0.154",
			got.SecrecyThreshold, got.CaseloadMin, got.CaseloadCentral, got.CaseloadMax, got.HorizonYears, got.NationalRate)
	}

	// Every indicator, in the order of isql.FragilityIndicators; those left
	// out of the configuration weigh 0.
	var want []diagnostics.Weight
	for _, name := range isql.FragilityIndicators {
		want = append(want, diagnostics.Weight{Indicator: name, Weight: params.FragilityWeights[name]})
	}
	if !reflect.DeepEqual(got.FragilityWeights, want) {
		t.Errorf("weights = %v, want %v", got.FragilityWeights, want)
	}

	// Seven age groups in age order: Insee's published rates, and one rate
	// solved by the calibration for 25–59.
	published := map[string]float64{"15-24": 0.02, "60-64": 0.25, "65-74": 0.25, "75+": 0.619}
	groups := []string{"15-24", "25-29", "30-44", "45-59", "60-64", "65-74", "75+"}
	if len(got.RatesByAge) != len(groups) {
		t.Fatalf("rates by age = %v, want %d groups", got.RatesByAge, len(groups))
	}
	var solved float64
	if err := db.QueryRowContext(ctx, `SELECT round(rate, 5) FROM int_reference__illectronism_rates WHERE age_group = '30-44'`).Scan(&solved); err != nil {
		t.Fatal(err)
	}
	if !(solved > 0 && solved < 0.154) {
		t.Fatalf("calibrated rate %g: want between 0 and the national 0.154", solved)
	}
	for i, r := range got.RatesByAge {
		if r.AgeGroup != groups[i] {
			t.Errorf("rate %d: group %q, want %q", i, r.AgeGroup, groups[i])
		}
		want, ok := published[r.AgeGroup]
		if r.Calibrated == ok {
			t.Errorf("%s: calibrated = %v, want %v", r.AgeGroup, r.Calibrated, !ok)
		}
		if !ok {
			want = solved
		}
		if math.Abs(r.Rate-want) > 1e-12 {
			t.Errorf("%s: rate %g, want %g", r.AgeGroup, r.Rate, want)
		}
	}
}

// TestLoadParametersDefaults reads the default build: equal weights, the
// default plan and threshold.
func TestLoadParametersDefaults(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	if err := isql.Build(ctx, db, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	got, err := diagnostics.LoadParameters(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got.SecrecyThreshold != isql.DefaultSecrecyThreshold || got.CaseloadCentral != isql.DefaultCaseload.Central ||
		got.HorizonYears != isql.DefaultHorizonYears {
		t.Errorf("got %+v, want the defaults", got)
	}
	if len(got.FragilityWeights) != len(isql.FragilityIndicators) {
		t.Fatalf("weights = %v, want one per indicator", got.FragilityWeights)
	}
	for i, w := range got.FragilityWeights {
		if w.Indicator != isql.FragilityIndicators[i] || w.Weight != 1 {
			t.Errorf("weight %d = %+v, want %s: 1", i, w, isql.FragilityIndicators[i])
		}
	}
}

// TestLoadParametersBeforeBuild fails clearly when the marts do not exist.
func TestLoadParametersBeforeBuild(t *testing.T) {
	db := openPagesDB(t)
	if _, err := diagnostics.LoadParameters(t.Context(), db); err == nil {
		t.Fatal("LoadParameters before any build: want an error")
	}
}
