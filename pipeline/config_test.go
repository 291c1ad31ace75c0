package pipeline

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
		{"share above 1", "france_services_share_max = 1.5\n", "france_services_share_max = 1.5: want a share of the agents' time in [0, 1]"},
		{"share min above central", "france_services_share_min = 0.5\n", "France Services digital share"},
		{"agents", "france_services_agents = -1\n", "france_services_agents = -1: want a number of agents per France Services site"},
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
		{"threshold", Config{SecrecyThreshold: 3}, "secrecy_threshold = 3: want a number of respondents of at least 5"},
		{"NaN horizon", Config{HorizonYears: nan}, "horizon_years = NaN"},
		{"infinite weight", Config{FragilityWeights: map[string]float64{"poverty": math.Inf(1)}}, "fragility_weights.poverty = +Inf"},
		{"share above 1", Config{FranceServicesShare: &share}, "france_services_share = 1.5"},
		{"sources without inbox", Config{Sources: []SourceConfig{{Kind: "coverage", URL: "https://example.org/a.csv"}}}, "need an inbox"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	dir := t.TempDir()
	for body, want := range map[string]string{
		"horizon_years = 0\n":                             "horizon_years = 0: want a positive number",
		"caseload = nan\n":                                "caseload = NaN: want a positive number of people",
		"caseload_max = inf\n":                            "caseload_max = +Inf",
		"keep_releases = 0\n":                             "keep_releases = 0: want a number of releases kept of at least 1",
		"horizon_years = 2.5\n":                           "",
		"secrecy_threshold = 4\n":                         "secrecy_threshold = 4: want",
		"max_line_bytes = 4096\nmax_field_bytes = 8192\n": "max_field_bytes = 8192: want at most max_line_bytes (4096)",
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

// TestConfigNumericKeys writes every numeric key of the configuration at
// NaN, ±Inf, 0, a negative number and a valid value, and checks that what
// makes no sense is refused with the file, the key and the value named, and
// what is allowed said.
func TestConfigNumericKeys(t *testing.T) {
	const (
		refused  = "refused"  // a SettingError, or an out-of-order range naming the key
		decoder  = "decoder"  // the TOML decoder refuses a float for an integer key, naming the key
		accepted = "accepted" // LoadConfig returns no error
	)
	type want map[string]string // TOML value → outcome
	keys := []struct {
		key    string
		format string // the file's body, %s the value
		want   want
	}{
		{"secrecy_threshold", "secrecy_threshold = %s\n",
			want{"nan": decoder, "inf": decoder, "-inf": decoder, "0": refused, "-1": refused, "4": refused, "5": accepted, "11": accepted}},
		{"keep_releases", "keep_releases = %s\n",
			want{"nan": decoder, "inf": decoder, "-inf": decoder, "0": refused, "-1": refused, "1": accepted}},
		{"processed_retention_days", "processed_retention_days = %s\n",
			want{"nan": decoder, "inf": decoder, "-inf": decoder, "0": refused, "-1": refused, "30": accepted}},
		{"alert_after_skipped_firings", "alert_after_skipped_firings = %s\n",
			want{"nan": decoder, "inf": decoder, "-inf": decoder, "0": refused, "-1": refused, "3": accepted}},
		{"alert_after_idle_runs", "alert_after_idle_runs = %s\n",
			want{"nan": decoder, "0": refused, "-1": refused, "3": accepted}},
		{"max_line_bytes", "max_line_bytes = %s\n",
			want{"nan": decoder, "inf": decoder, "0": refused, "-1": refused, "1000": refused, "4096": accepted, "2147483648": refused}},
		{"max_field_bytes", "max_field_bytes = %s\n",
			want{"nan": decoder, "0": refused, "-1": refused, "100": refused, "4096": accepted, "2097152": refused}},
		{"inbox_settle_seconds", "inbox_settle_seconds = %s\n",
			want{"nan": refused, "inf": refused, "-1": refused, "0": accepted, "2.5": accepted, "3601": refused}},
		{"max_columns", "max_columns = %s\n",
			want{"nan": decoder, "0": refused, "-1": refused, "2000": accepted, "2000000": refused}},
		{"caseload", "caseload = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "250": accepted, "240.5": accepted}},
		{"caseload_min", "caseload_min = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "100": accepted, "260": refused}},
		{"caseload_max", "caseload_max = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "750": accepted, "249": refused}},
		{"horizon_years", "horizon_years = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "0.5": accepted, "5": accepted}},
		{"france_services_agents", "france_services_agents = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "100": refused, "1.5": accepted}},
		{"france_services_share", "france_services_share = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": accepted, "-1": refused, "1.5": refused, "0.15": accepted, "0.3": refused}},
		{"france_services_share_min", "france_services_share_min = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": accepted, "-1": refused, "0.05": accepted, "0.15": refused}},
		{"france_services_share_max", "france_services_share_max = %s\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": refused, "-1": refused, "1": accepted, "0.05": refused}},
		{"fragility_weights.poverty", "fragility_weights = {connectivity = 1, poverty = %s}\n",
			want{"nan": refused, "inf": refused, "-inf": refused, "0": accepted, "-1": refused, "2": accepted}},
	}
	dir := t.TempDir()
	for _, k := range keys {
		for _, value := range slices.Sorted(maps.Keys(k.want)) {
			outcome := k.want[value]
			t.Run(k.key+"="+value, func(t *testing.T) {
				path := filepath.Join(dir, strings.ReplaceAll(k.key, ".", "_")+"_"+value+".toml")
				if err := os.WriteFile(path, []byte(fmt.Sprintf(k.format, value)), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := LoadConfig(path)
				switch outcome {
				case accepted:
					if err != nil {
						t.Errorf("LoadConfig(%s = %s) = %v, want it accepted", k.key, value, err)
					}
				case decoder:
					if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"`+k.key+`"`) {
						t.Errorf("LoadConfig(%s = %s) = %v, want the decoder's error naming %s and the key", k.key, value, err, path)
					}
				case refused:
					if err == nil {
						t.Fatalf("LoadConfig(%s = %s) = nil, want an error", k.key, value)
					}
					wantValue := map[string]string{"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[value]
					if wantValue == "" {
						wantValue = value
					}
					msg := err.Error()
					if !strings.Contains(msg, path) || !strings.Contains(msg, k.key+" = "+wantValue) || !strings.Contains(msg, "want ") {
						t.Errorf("LoadConfig(%s = %s) = %q, want it to name %s, %q and what is allowed", k.key, value, msg, path, k.key+" = "+wantValue)
					}
					var se *SettingError
					if errors.As(err, &se) && (se.File != path || se.Key != k.key || se.Value != wantValue || se.Allowed == "") {
						t.Errorf("LoadConfig(%s = %s): SettingError %+v, want file %s, key, value %s and what is allowed", k.key, value, se, path, wantValue)
					}
				}
			})
		}
	}
}

// TestConfigValidateInGo checks a Config built in Go: a zero field is the
// default, any other value meets the same rules as in a file.
func TestConfigValidateInGo(t *testing.T) {
	zero, neg, nan := 0.0, -0.5, math.NaN()
	for _, tc := range []struct {
		name string
		cfg  Config
		key  string // "" for valid
	}{
		{"zero is the default", Config{HorizonYears: 0, Caseload: 0, KeepReleases: 0, SecrecyThreshold: 0}, ""},
		{"zero share is a value", Config{FranceServicesShare: &zero}, ""},
		{"negative horizon", Config{HorizonYears: -1}, "horizon_years"},
		{"infinite caseload", Config{CaseloadMax: math.Inf(1)}, "caseload_max"},
		{"negative keep", Config{KeepReleases: -2}, "keep_releases"},
		{"negative share", Config{FranceServicesShareMin: &neg}, "france_services_share_min"},
		{"NaN share", Config{FranceServicesShareMax: &nan}, "france_services_share_max"},
		{"negative weight", Config{FragilityWeights: map[string]float64{"poverty": 1, "jobseekers": -1}}, "fragility_weights.jobseekers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			var se *SettingError
			switch {
			case tc.key == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.key != "" && (!errors.As(err, &se) || se.Key != tc.key || se.File != ""):
				t.Errorf("Validate() = %v, want a SettingError for %s", err, tc.key)
			}
		})
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"unknown indicator", Config{FragilityWeights: map[string]float64{"poverty": 1, "moon_phase": 1}}, "fragility_weights.moon_phase: unknown indicator"},
		{"all weights zero", Config{FragilityWeights: map[string]float64{"poverty": 0}}, "at least one indicator needs a positive weight"},
		{"caseload out of order", Config{Caseload: 300}, "caseload_min = 210, caseload = 300, caseload_max = 280"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// FuzzLoadConfig reads arbitrary files as configuration: LoadConfig never
// panics, and what it accepts is valid, with every number finite.
func FuzzLoadConfig(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "config", "*.toml"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata/config: %v", err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(dir, "fuzz.toml")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("LoadConfig error %q does not name the file", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("LoadConfig accepted a configuration Validate refuses: %v", err)
		}
		for _, r := range settingRules {
			if v, _ := r.get(&cfg); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("LoadConfig accepted %s = %v", r.key, v)
			}
		}
		for name, w := range cfg.FragilityWeights {
			if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				t.Errorf("LoadConfig accepted fragility_weights.%s = %v", name, w)
			}
		}
	})
}

// The key file must be its owner's alone: a key others can read lets them
// recompute any respondent's pseudonym. The environment variable wins.
func TestHMACKeyFileMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hmac.key")
	if err := os.WriteFile(path, []byte("a-long-random-key-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noEnv := func(string) string { return "" }
	cfg := Config{HMACKeyFile: path}
	key, err := HMACKey(noEnv, cfg)
	if err != nil || string(key) != "a-long-random-key-0123456789" {
		t.Errorf("mode 0600: key %q, %v; want the file's key", key, err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := HMACKey(noEnv, cfg); err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), path) {
			t.Errorf("mode %04o: %v; want a refusal naming the file and the fix", mode, err)
		}
	}
	env := func(k string) string {
		if k == "ILLECTRO_HMAC_KEY" {
			return "the-environment-key-0123"
		}
		return ""
	}
	if key, err := HMACKey(env, cfg); err != nil || string(key) != "the-environment-key-0123" {
		t.Errorf("with ILLECTRO_HMAC_KEY set: %q, %v; want the environment's key, the file unread", key, err)
	}
}
