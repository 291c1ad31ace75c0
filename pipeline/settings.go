package pipeline

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
)

// SettingError is a configuration setting whose value is out of what its
// key allows: not a finite number, 0 or negative where that makes no sense,
// or outside its range.
type SettingError struct {
	// File is the configuration file; empty for a Config built in Go.
	File string
	// Key is the TOML key, e.g. "horizon_years" or
	// "fragility_weights.poverty".
	Key string
	// Value is the value as the program read it: "NaN", "+Inf", "0", "-1".
	Value string
	// Allowed says what the key accepts, with its unit and default.
	Allowed string
}

func (e *SettingError) Error() string {
	msg := fmt.Sprintf("%s = %s: want %s", e.Key, e.Value, e.Allowed)
	if e.File != "" {
		return "config file " + e.File + ": " + msg
	}
	return msg
}

// withFile names the configuration file in err.
func withFile(err error, file string) error {
	var se *SettingError
	if errors.As(err, &se) && se.File == "" {
		c := *se
		c.File = file
		return &c
	}
	return fmt.Errorf("config file %s: %w", file, err)
}

// settingRule is what one numeric key accepts.
type settingRule struct {
	key string
	// get returns the field's value and whether it is set in a Config
	// built in Go: a zero number or a nil pointer means "the default".
	get     func(c *Config) (v float64, set bool)
	ok      func(v float64) bool
	allowed string
}

func intField(f func(c *Config) int) func(c *Config) (float64, bool) {
	return func(c *Config) (float64, bool) { v := f(c); return float64(v), v != 0 }
}

func floatField(f func(c *Config) float64) func(c *Config) (float64, bool) {
	return func(c *Config) (float64, bool) { v := f(c); return v, v != 0 }
}

func pointerField(f func(c *Config) *float64) func(c *Config) (float64, bool) {
	return func(c *Config) (float64, bool) {
		if p := f(c); p != nil {
			return *p, true
		}
		return 0, false
	}
}

func positive(v float64) bool { return v > 0 }
func share(v float64) bool    { return v >= 0 && v <= 1 }

// settingRules are the numeric keys of the configuration and what each
// accepts. Every value must also be finite: NaN and ±Inf are refused
// everywhere.
var settingRules = []settingRule{
	{"secrecy_threshold", intField(func(c *Config) int { return c.SecrecyThreshold }),
		func(v float64) bool { return v >= isql.MinSecrecyThreshold },
		fmt.Sprintf("a number of respondents of at least %d, the minimum behind a published figure (default %d)", isql.MinSecrecyThreshold, isql.DefaultSecrecyThreshold)},
	{"keep_releases", intField(func(c *Config) int { return c.KeepReleases }),
		func(v float64) bool { return v >= 1 },
		"a number of releases kept of at least 1 (default 7)"},
	{"processed_retention_days", intField(func(c *Config) int { return c.ProcessedRetentionDays }),
		func(v float64) bool { return v >= 1 },
		"a number of days of at least 1 a file stays in processed/ or failed/ (default 90)"},
	{"alert_after_skipped_firings", intField(func(c *Config) int { return c.AlertAfterSkippedFirings }),
		func(v float64) bool { return v >= 1 },
		fmt.Sprintf("a number of scheduled firings skipped in a row of at least 1 (default %d)", DefaultAlertAfterSkippedFirings)},
	{"alert_after_idle_runs", intField(func(c *Config) int { return c.AlertAfterIdleRuns }),
		func(v float64) bool { return v >= 1 },
		"a number of runs in a row without a new file of at least 1 (default: no such alert)"},
	{"max_line_bytes", intField(func(c *Config) int { return c.MaxLineBytes }),
		func(v float64) bool { return v >= 1024 && v <= 1<<30 },
		fmt.Sprintf("a number of bytes in [1024, 1073741824] one line may hold (default %d)", ingest.DefaultMaxLineBytes)},
	{"max_field_bytes", intField(func(c *Config) int { return c.MaxFieldBytes }),
		func(v float64) bool { return v >= 256 && v <= 1<<30 },
		fmt.Sprintf("a number of bytes in [256, 1073741824] one field may hold, at most max_line_bytes (default %d)", ingest.DefaultMaxFieldBytes)},
	{"max_columns", intField(func(c *Config) int { return c.MaxColumns }),
		func(v float64) bool { return v >= 1 && v <= 1_000_000 },
		fmt.Sprintf("a number of columns in [1, 1000000] a header may have (default %d)", ingest.DefaultMaxColumns)},
	{"inbox_settle_seconds", pointerField(func(c *Config) *float64 { return c.InboxSettleSeconds }),
		func(v float64) bool { return v >= 0 && v <= 3600 },
		fmt.Sprintf("a number of seconds in [0, 3600] an inbox file must stay unchanged before it is loaded (default %g; 0 loads it at once)", DefaultInboxSettle.Seconds())},
	{"caseload", floatField(func(c *Config) float64 { return c.Caseload }), positive,
		fmt.Sprintf("a positive number of people per mediator FTE per year (default %g)", isql.DefaultCaseload.Central)},
	{"caseload_min", floatField(func(c *Config) float64 { return c.CaseloadMin }), positive,
		fmt.Sprintf("a positive number of people per mediator FTE per year (default %g)", isql.DefaultCaseload.Min)},
	{"caseload_max", floatField(func(c *Config) float64 { return c.CaseloadMax }), positive,
		fmt.Sprintf("a positive number of people per mediator FTE per year (default %g)", isql.DefaultCaseload.Max)},
	{"horizon_years", floatField(func(c *Config) float64 { return c.HorizonYears }), positive,
		fmt.Sprintf("a positive number of years (default %g)", isql.DefaultHorizonYears)},
	{"france_services_agents", floatField(func(c *Config) float64 { return c.FranceServicesAgents }),
		func(v float64) bool { return v > 0 && v < 100 },
		fmt.Sprintf("a number of agents per France Services site in ]0, 100[ (default %g)", isql.DefaultFranceServicesAgents)},
	{"france_services_share", pointerField(func(c *Config) *float64 { return c.FranceServicesShare }), share,
		fmt.Sprintf("a share of the agents' time in [0, 1] (default %g)", isql.DefaultFranceServicesShare.Central)},
	{"france_services_share_min", pointerField(func(c *Config) *float64 { return c.FranceServicesShareMin }), share,
		fmt.Sprintf("a share of the agents' time in [0, 1] (default %g)", isql.DefaultFranceServicesShare.Min)},
	{"france_services_share_max", pointerField(func(c *Config) *float64 { return c.FranceServicesShareMax }), share,
		fmt.Sprintf("a share of the agents' time in [0, 1] (default %g)", isql.DefaultFranceServicesShare.Max)},
}

// weightAllowed is what a fragility_weights entry accepts.
const weightAllowed = "a finite weight ≥ 0 (0 leaves the indicator out of the index; default 1 each)"

// check applies settingRules to c. defined tells whether a file gave a key
// (toml.MetaData.IsDefined): a key it gave is checked even when its value
// is 0. With a nil defined, a zero field is the default and passes.
func (c Config) check(defined func(key ...string) bool) error {
	for _, r := range settingRules {
		v, set := r.get(&c)
		if !set && (defined == nil || !defined(r.key)) {
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || !r.ok(v) {
			return &SettingError{Key: r.key, Value: formatNumber(v), Allowed: r.allowed}
		}
	}
	names := make([]string, 0, len(c.FragilityWeights))
	for name := range c.FragilityWeights {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if w := c.FragilityWeights[name]; math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return &SettingError{Key: "fragility_weights." + name, Value: formatNumber(w), Allowed: weightAllowed}
		}
	}
	return nil
}

// checkOrder refuses ranges whose bounds are out of order, naming the keys;
// c has its defaults (a range given in part is completed with them).
func (c Config) checkOrder() error {
	if !(c.CaseloadMin <= c.Caseload && c.Caseload <= c.CaseloadMax) {
		return fmt.Errorf("caseload_min = %s, caseload = %s, caseload_max = %s: want caseload_min ≤ caseload ≤ caseload_max (a key left out takes its default: %g, %g, %g)",
			formatNumber(c.CaseloadMin), formatNumber(c.Caseload), formatNumber(c.CaseloadMax),
			isql.DefaultCaseload.Min, isql.DefaultCaseload.Central, isql.DefaultCaseload.Max)
	}
	if r := c.Params().FranceServicesShare; r != nil && !(r.Min <= r.Central && r.Central <= r.Max) {
		d := isql.DefaultFranceServicesShare
		return fmt.Errorf("France Services digital share: france_services_share_min = %s, france_services_share = %s, france_services_share_max = %s: want min ≤ central ≤ max (a key left out takes its default: %g, %g, %g)",
			formatNumber(r.Min), formatNumber(r.Central), formatNumber(r.Max), d.Min, d.Central, d.Max)
	}
	if len(c.FragilityWeights) > 0 {
		total, unknown := 0.0, []string{}
		for name, w := range c.FragilityWeights {
			if !slices.Contains(isql.FragilityIndicators, name) {
				unknown = append(unknown, name)
			}
			total += w
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return fmt.Errorf("fragility_weights.%s: unknown indicator (known: %s)", unknown[0], strings.Join(isql.FragilityIndicators, ", "))
		}
		if total == 0 {
			return errors.New("fragility_weights: at least one indicator needs a positive weight")
		}
	}
	return nil
}

// formatNumber writes v as Go reads it back: 3, 2.5, NaN, +Inf, -Inf.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64) // 2000000, not 2e+06
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
