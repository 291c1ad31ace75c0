package pipeline

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// TestConfigPlanAndMargins reads the mediator plan's France Services keys
// and the margins file, and refuses bad values with the file named.
func TestConfigPlanAndMargins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "id,annee,champ,dimension,modalite,libelle,taux_pct,tolerance_pt,erreur_type_pt,usage,reference,source,url,statut\n"
	good := write("marges.csv", header+"n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,16,0.05,0.36,calage,,s,u,v\n")
	bad := write("marges_bad.csv", header+"n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,seize,0.05,0.36,calage,,s,u,v\n")

	cfg, err := LoadConfig(write("ok.toml", "france_services_agents = 3\nfrance_services_share_max = 0.3\nillectronism_margins = \""+good+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Params()
	if p.FranceServicesAgents != 3 || p.FranceServicesShare == nil ||
		*p.FranceServicesShare != (isql.Range{Min: 0, Central: isql.DefaultFranceServicesShare.Central, Max: 0.3}) {
		t.Errorf("params = %+v (share %+v), want 3 agents, share 0–10–30 %%", p, p.FranceServicesShare)
	}
	o, err := cfg.ModelOptions()
	if err != nil || len(o.Margins) != 1 || o.Margins[0].Rate != 0.16 {
		t.Errorf("model options = %+v, %v; want the file's one margin at 16 %%", o, err)
	}
	if o, _ := DefaultConfig().ModelOptions(); o.Margins != nil {
		t.Errorf("without the key, margins = %v, want nil (the built-in file)", o.Margins)
	}

	for _, tt := range []struct{ name, body, want string }{
		{"bad margins file", "illectronism_margins = \"" + bad + "\"\n", "marges_bad.csv line 2, column taux_pct"},
		{"missing margins file", "illectronism_margins = \"" + filepath.Join(dir, "none.csv") + "\"\n", "none.csv"},
		{"share above 1", "france_services_share_max = 1.5\n", "France Services digital share"},
		{"share min above central", "france_services_share_min = 0.5\n", "France Services digital share"},
		{"agents", "france_services_agents = -1\n", "France Services agents"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conf := write(strings.ReplaceAll(tt.name, " ", "_")+".toml", tt.body)
			_, err := LoadConfig(conf)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), conf) {
				t.Errorf("loadConfig = %v, want an error naming %s and %q", err, conf, tt.want)
			}
		})
	}
}

// The zero Config runs with the defaults; Validate refuses what no run can
// use, and a file cannot pass 0 or a non-finite number for a plan figure.
func TestConfigZeroValueAndValidate(t *testing.T) {
	if got := (Config{}).WithDefaults(); !reflect.DeepEqual(got, DefaultConfig()) {
		t.Errorf("Config{}.WithDefaults() = %+v, want DefaultConfig() %+v", got, DefaultConfig())
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("Config{}.Validate() = %v, want nil: zero fields are the defaults", err)
	}
	nan, share := math.NaN(), 1.5
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"threshold", Config{SecrecyThreshold: 3}, "secrecy_threshold 3"},
		{"NaN horizon", Config{HorizonYears: nan}, "horizon_years = NaN"},
		{"infinite weight", Config{FragilityWeights: map[string]float64{"poverty": math.Inf(1)}}, "fragility_weights.poverty = +Inf"},
		{"share above 1", Config{FranceServicesShare: &share}, "France Services"},
		{"sources without inbox", Config{Sources: []SourceConfig{{Kind: "coverage", URL: "https://example.org/a.csv"}}}, "need an inbox"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	dir := t.TempDir()
	for body, want := range map[string]string{
		"horizon_years = 0\n":     "horizon_years = 0: want a positive number",
		"caseload = nan\n":        "caseload = NaN: want a positive number",
		"caseload_max = inf\n":    "caseload_max = +Inf",
		"keep_releases = 0\n":     "keep_releases must be at least 1",
		"horizon_years = 2.5\n":   "",
		"secrecy_threshold = 4\n": "below the minimum",
	} {
		path := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadConfig(path)
		switch {
		case want == "" && err != nil:
			t.Errorf("LoadConfig(%q) = %v, want it accepted", body, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("LoadConfig(%q) = %v, want an error saying %q", body, err, want)
		}
	}
}
