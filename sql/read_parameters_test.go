package sql_test

import (
	gosql "database/sql"
	"math"
	"reflect"
	"testing"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/figures"
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
func TestReadParameters(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	params := isql.Params{
		SecrecyThreshold: 15,
		Caseload:         isql.Caseload{Min: 300, Central: 500, Max: 700},
		HorizonYears:     2,
		FragilityWeights: map[string]float64{"poverty": 0.5, "connectivity": 2},
	}
	dbtest.Build(t, db, params)
	got, err := isql.ReadParameters(ctx, db)
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
	var want []figures.Weight
	for _, name := range isql.FragilityIndicators {
		want = append(want, figures.Weight{Indicator: name, Weight: params.FragilityWeights[name]})
	}
	if !reflect.DeepEqual(got.FragilityWeights, want) {
		t.Errorf("weights = %v, want %v", got.FragilityWeights, want)
	}

	// Every published margin of the built-in file, in the mart's order, with
	// the model's value for those it models; the calibration reproduces its
	// margins, and the benchmarks have a leave-one-out prediction.
	margins, err := diagnostics.DefaultMargins()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Margins) != len(margins) {
		t.Fatalf("%d margins read, want %d", len(got.Margins), len(margins))
	}
	for _, m := range got.Margins {
		switch m.Use {
		case diagnostics.UseCalibration, diagnostics.UseCalibration2021:
			if m.Modelled == nil || math.Abs(*m.Modelled-m.Published) > 1e-4 || !m.WithinTolerance {
				t.Errorf("margin %s: modelled %v, published %g", m.ID, m.Modelled, m.Published)
			}
		case diagnostics.UseBenchmark:
			if m.PredictedWithout == nil {
				t.Errorf("benchmark %s: no leave-one-out prediction", m.ID)
			}
		case diagnostics.UseNotModelled:
			if m.Modelled != nil {
				t.Errorf("margin %s is not modelled, got %g", m.ID, *m.Modelled)
			}
		}
	}
	if len(got.Ratios) != 2 || got.Association <= 0 {
		t.Errorf("ratios %v, association %g: want the two published ratios and a positive association", got.Ratios, got.Association)
	}
	var france bool
	for _, tr := range got.Territories {
		if tr.Level == "france" {
			france = true
			if math.Abs(tr.Rate-0.154) > 0.0005 || !(tr.RateLow <= tr.Rate && tr.Rate <= tr.RateHigh) {
				t.Errorf("France: %g [%g, %g], want 0.154 within its band", tr.Rate, tr.RateLow, tr.RateHigh)
			}
		}
	}
	if !france {
		t.Error("no estimate for France")
	}
	if len(got.FragilityCoverage) != len(isql.FragilityIndicators) {
		t.Errorf("fragility coverage %v: want one row per indicator", got.FragilityCoverage)
	}
	if got.FranceServicesAgents != isql.DefaultFranceServicesAgents || got.FranceServicesShareCentral != isql.DefaultFranceServicesShare.Central {
		t.Errorf("France Services: %g agents at %g, want the defaults", got.FranceServicesAgents, got.FranceServicesShareCentral)
	}
}

// TestLoadParametersDefaults reads the default build: equal weights, the
// default plan and threshold.
func TestReadParametersDefaults(t *testing.T) {
	ctx := t.Context()
	db := openPagesDB(t)
	dbtest.Build(t, db, isql.Params{})
	got, err := isql.ReadParameters(ctx, db)
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
	checkReadDepartements(t, db) // on the same build
}

// TestReadParametersBeforeBuild fails clearly when the marts do not exist.
func TestReadParametersBeforeBuild(t *testing.T) {
	db := openPagesDB(t)
	if _, err := isql.ReadParameters(t.Context(), db); err == nil {
		t.Fatal("LoadParameters before any build: want an error")
	}
}

// checkReadDepartements checks that ReadDepartements reads every
// département of a built db, each field from its column.
func checkReadDepartements(t *testing.T, db *gosql.DB) {
	t.Helper()
	deps, err := isql.ReadDepartements(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 101 {
		t.Fatalf("%d départements, want 101", len(deps))
	}
	var code, nom string
	var pop int64
	var people, fte float64
	if err := db.QueryRowContext(t.Context(), `SELECT code_departement, nom, population, illectronism_people_est, mediator_fte_needed_central
		FROM mart_departement WHERE code_departement = '23'`).Scan(&code, &nom, &pop, &people, &fte); err != nil {
		t.Fatal(err)
	}
	for _, d := range deps {
		if d.Code != "23" {
			continue
		}
		if d.Nom != nom || d.Population != pop || d.IllectronismPeople != people || d.FTECentral != fte || d.PreviousBuiltAt != "" {
			t.Errorf("Creuse read as %s, %d, %v, %v, %q; want %s, %d, %v, %v and no previous build", d.Nom, d.Population, d.IllectronismPeople, d.FTECentral, d.PreviousBuiltAt, nom, pop, people, fte)
		}
		return
	}
	t.Error("no Creuse")
}
