package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
)

// Config is the run configuration, read from a TOML file (LoadConfig) or
// built in Go. Every field has a working default: a zero field takes
// DefaultConfig's value when the run starts, so the zero Config runs.
type Config struct {
	// DB is the DuckDB file the pipeline writes.
	DB string `toml:"db"`
	// Out is the folder the static site is published to.
	Out string `toml:"out"`
	// Inbox holds input files in one sub-folder per kind:
	// <inbox>/assessments, coverage, venues, mediators.
	Inbox string `toml:"inbox"`
	// Samples loads the bundled sample inputs. Unset means: only when no
	// inbox is configured.
	Samples *bool `toml:"samples"`
	// Force rebuilds and publishes even when nothing changed since the
	// last run (illectro run --force); not a configuration key.
	Force bool `toml:"-"`
	// Schedule is the cron spec of `illectro schedule` (Europe/Paris time
	// unless prefixed CRON_TZ=Zone; five fields, or six with seconds
	// first). A time in 02:00–03:00 is skipped or fired twice on the
	// daylight-saving days (DSTIssues); the scheduler warns about it.
	Schedule string `toml:"schedule"`
	// SecrecyThreshold is the minimum number of respondents behind a
	// published figure (at least 5).
	SecrecyThreshold int `toml:"secrecy_threshold"`
	// HMACKeyFile names a file holding the pseudonymisation key; the
	// ILLECTRO_HMAC_KEY environment variable takes precedence.
	HMACKeyFile string `toml:"hmac_key_file"`
	// AssessmentMapping is a mapping file, or the name of a built-in
	// mapping (illectro-generic, pix-orga), for assessment files; empty
	// picks, for each file, the built-in mapping that fits its header.
	AssessmentMapping string `toml:"assessment_mapping"`
	// VenueMapping is a mapping file, or the name of a built-in mapping
	// (lieux-v1, lieux-v0.1), for venue listings; empty picks per file.
	VenueMapping string `toml:"venue_mapping"`
	// Caseload is the number of people one mediator FTE accompanies per
	// year in the mediator plan: central value and range.
	Caseload     float64 `toml:"caseload"`
	CaseloadMin  float64 `toml:"caseload_min"`
	CaseloadMax  float64 `toml:"caseload_max"`
	HorizonYears float64 `toml:"horizon_years"`
	// FranceServicesAgents is the number of agents counted per France
	// Services site; FranceServicesShare* the share of their time counted
	// as digital mediation (central, low, high).
	FranceServicesAgents   float64  `toml:"france_services_agents"`
	FranceServicesShare    *float64 `toml:"france_services_share"`
	FranceServicesShareMin *float64 `toml:"france_services_share_min"`
	FranceServicesShareMax *float64 `toml:"france_services_share_max"`
	// IllectronismMargins is a CSV file of published illectronism rates in
	// the layout of diagnostics/data/marges_illectronisme.csv, replacing
	// the built-in one.
	IllectronismMargins string `toml:"illectronism_margins"`
	// FragilityWeights weighs the indicators of the fragility index; an
	// indicator left out of the table weighs 0.
	FragilityWeights map[string]float64 `toml:"fragility_weights"`
	// Releases holds one folder per published run; Out is a symbolic link
	// to the live one. Default: "releases" beside Out.
	Releases string `toml:"releases"`
	// KeepReleases is how many releases are kept (the live one always is).
	KeepReleases int `toml:"keep_releases"`
	// KeepLoadedAssessments keeps a loaded self-assessment file in the
	// inbox's processed/ folder. By default it is deleted once its rows
	// are stored: it holds respondents' ids, which nothing needs any more
	// (the database keeps pseudonyms only).
	KeepLoadedAssessments bool `toml:"keep_loaded_assessments"`
	// ProcessedRetentionDays is how long a file stays in processed/ or
	// failed/ (counted from when it was moved there) before a run deletes
	// it (default 90).
	ProcessedRetentionDays int `toml:"processed_retention_days"`
	// SnapshotDir holds the analysts' read-only copy of the marts,
	// refreshed by every good run: <snapshot_dir>/snapshot/illectro.duckdb
	// and its parquet/ folder. Default: the folder of DB.
	SnapshotDir string `toml:"snapshot_dir"`
	// Sources are remote input files fetched into the inbox before each run
	// (conditional GET: only what changed is downloaded).
	Sources []SourceConfig `toml:"sources"`
	// FetchState remembers the validators of the sources (ETag,
	// Last-Modified). Default: <DB>.fetch.json.
	FetchState string `toml:"fetch_state"`
	// AlertCommand (argv, no shell) and AlertWebhook (HTTP POST) are told,
	// with a JSON summary, when a run fails.
	AlertCommand []string `toml:"alert_command"`
	AlertWebhook string   `toml:"alert_webhook"`
	// AlertAfterSkippedFirings is how many scheduled firings in a row,
	// skipped because a run is still going, make an alert (FiringGuard).
	// Every skipped firing is logged whatever this says.
	AlertAfterSkippedFirings int `toml:"alert_after_skipped_firings"`
	// AlertAfterIdleRuns, when set, alerts once when that many runs in a
	// row have loaded no file (a source that stopped arriving); 0, the
	// default, never does.
	AlertAfterIdleRuns int `toml:"alert_after_idle_runs"`
	// MaxLineBytes, MaxFieldBytes and MaxColumns bound what the readers
	// hold for one line, one field and one header (ingest.Limits): a
	// longer line or field rejects its row, a longer or wider header
	// refuses its file. Defaults: 1 MiB, 64 KiB, 1 000 columns.
	MaxLineBytes  int `toml:"max_line_bytes"`
	MaxFieldBytes int `toml:"max_field_bytes"`
	MaxColumns    int `toml:"max_columns"`
	// InboxSettleSeconds is how long an inbox file must have stayed
	// unchanged (size and modification time) before a run loads it; a
	// run waits that long at most for files modified just before it, and
	// leaves those still changing for the next run. Default 2; 0 loads
	// whatever is there.
	InboxSettleSeconds *float64 `toml:"inbox_settle_seconds"`
}

// Limits are the readers' bounds this configuration asks for.
func (c Config) Limits() ingest.Limits {
	return ingest.Limits{MaxLineBytes: c.MaxLineBytes, MaxFieldBytes: c.MaxFieldBytes, MaxColumns: c.MaxColumns}.WithDefaults()
}

// SourceConfig is one [[sources]] entry.
type SourceConfig struct {
	Kind string `toml:"kind"`
	URL  string `toml:"url"`
	Name string `toml:"name"` // file name in the inbox; default: the URL's last segment
}

// ReleasesDir is where the releases are written.
func (c Config) ReleasesDir() string {
	if c.Releases != "" {
		return c.Releases
	}
	return filepath.Join(filepath.Dir(filepath.Clean(c.Out)), "releases")
}

// SnapshotName is the name of the analysts' snapshot in SnapshotRoot.
const SnapshotName = "snapshot"

// SnapshotRoot is where the analysts' snapshot is written.
func (c Config) SnapshotRoot() string {
	if c.SnapshotDir != "" {
		return c.SnapshotDir
	}
	return filepath.Dir(filepath.Clean(c.DB))
}

// FetchStatePath is the file of the sources' validators.
func (c Config) FetchStatePath() string {
	if c.FetchState != "" {
		return c.FetchState
	}
	return c.DB + ".fetch.json"
}

// LockPath is the file locked while a run goes on.
func (c Config) LockPath() string {
	return c.DB + ".lock"
}

// Params are the parameters of the marts this configuration asks for.
func (c Config) Params() isql.Params {
	p := isql.Params{
		SecrecyThreshold:     c.SecrecyThreshold,
		Caseload:             isql.Caseload{Min: c.CaseloadMin, Central: c.Caseload, Max: c.CaseloadMax},
		HorizonYears:         c.HorizonYears,
		FragilityWeights:     c.FragilityWeights,
		FranceServicesAgents: c.FranceServicesAgents,
	}
	if c.FranceServicesShare != nil || c.FranceServicesShareMin != nil || c.FranceServicesShareMax != nil {
		r := isql.DefaultFranceServicesShare
		for dst, v := range map[*float64]*float64{&r.Central: c.FranceServicesShare, &r.Min: c.FranceServicesShareMin, &r.Max: c.FranceServicesShareMax} {
			if v != nil {
				*dst = *v
			}
		}
		p.FranceServicesShare = &r
	}
	return p
}

// ModelOptions are the options of the illectronism model this
// configuration asks for: the built-in margins unless it names a file.
func (c Config) ModelOptions() (diagnostics.ModelOptions, error) {
	var o diagnostics.ModelOptions
	if c.IllectronismMargins != "" {
		ms, err := diagnostics.LoadMargins(c.IllectronismMargins)
		if err != nil {
			return o, err
		}
		o.Margins = ms
	}
	return o, nil
}

// DefaultSchedule runs nightly at 04:30 Paris time: outside 02:00–03:00,
// where daylight-saving changes skip or repeat jobs.
const DefaultSchedule = "30 4 * * *"

// DefaultConfig is the configuration without a file: ./illectro.duckdb,
// ./public, the nightly schedule and the published defaults of the plan.
func DefaultConfig() Config {
	return Config{
		DB:                     "illectro.duckdb",
		Out:                    "public",
		Schedule:               DefaultSchedule,
		SecrecyThreshold:       isql.DefaultSecrecyThreshold,
		Caseload:               isql.DefaultCaseload.Central,
		CaseloadMin:            isql.DefaultCaseload.Min,
		CaseloadMax:            isql.DefaultCaseload.Max,
		HorizonYears:           isql.DefaultHorizonYears,
		KeepReleases:           7,
		ProcessedRetentionDays: 90,

		AlertAfterSkippedFirings: DefaultAlertAfterSkippedFirings,
	}
}

// LoadConfig reads path over the defaults; an empty path gives the
// defaults. The result is valid (Validate), or the error names the file
// (a *SettingError for a number out of its range). A key the file gives is
// checked as given: horizon_years = 0 is refused, not replaced by the
// default as a zero field of a Config built in Go would be.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	if path == "" {
		return cfg, nil
	}
	md, err := toml.DecodeFile(path, &cfg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return cfg, fmt.Errorf("config file %s does not exist", path)
		}
		return cfg, fmt.Errorf("config file %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return cfg, fmt.Errorf("config file %s: unknown setting(s) %s", path, strings.Join(keys, ", "))
	}
	// In a file, 0 is a value someone wrote, not "the default".
	if err := cfg.check(md.IsDefined); err != nil {
		return cfg, withFile(err, path)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, withFile(err, path)
	}
	return cfg, nil
}

// WithDefaults is c with every zero field set to DefaultConfig's value.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&c.DB, d.DB)
	set(&c.Out, d.Out)
	set(&c.Schedule, d.Schedule)
	for dst, v := range map[*float64]float64{&c.Caseload: d.Caseload, &c.CaseloadMin: d.CaseloadMin, &c.CaseloadMax: d.CaseloadMax, &c.HorizonYears: d.HorizonYears} {
		if *dst == 0 {
			*dst = v
		}
	}
	if c.SecrecyThreshold == 0 {
		c.SecrecyThreshold = d.SecrecyThreshold
	}
	if c.KeepReleases == 0 {
		c.KeepReleases = d.KeepReleases
	}
	if c.ProcessedRetentionDays == 0 {
		c.ProcessedRetentionDays = d.ProcessedRetentionDays
	}
	if c.AlertAfterSkippedFirings == 0 {
		c.AlertAfterSkippedFirings = d.AlertAfterSkippedFirings
	}
	return c
}

// Validate reports the first setting a run cannot work with: a number that
// is not finite or is out of its range (SettingError, see settingRules), a
// range whose bounds are out of order, sources without an inbox or of an
// unknown kind, a plan or margins file the marts refuse. Zero fields are
// valid: they take the defaults (WithDefaults); LoadConfig, which knows
// which keys a file sets, refuses a 0 written where 0 makes no sense.
func (c Config) Validate() error {
	if err := c.check(nil); err != nil {
		return err
	}
	for i, src := range c.Sources {
		if _, err := ingest.ParseKind(src.Kind); err != nil {
			return fmt.Errorf("sources[%d]: %w", i, err)
		}
		if c.Inbox == "" {
			return errors.New("sources need an inbox to download into")
		}
	}
	if err := c.WithDefaults().checkOrder(); err != nil {
		return err
	}
	if line := c.Limits().MaxLineBytes; c.MaxFieldBytes > line {
		return &SettingError{Key: "max_field_bytes", Value: strconv.Itoa(c.MaxFieldBytes),
			Allowed: fmt.Sprintf("at most max_line_bytes (%d): a field lies within a line", line)}
	}
	if err := isql.CheckParams(c.WithDefaults().Params()); err != nil {
		return err
	}
	if _, err := c.ModelOptions(); err != nil {
		return err
	}
	return nil
}

// LoadSamples tells whether the bundled samples are loaded: as configured,
// else only when no inbox is.
func (c Config) LoadSamples() bool {
	if c.Samples != nil {
		return *c.Samples
	}
	return c.Inbox == ""
}

// HMACKey returns the pseudonymisation key from the environment or the key
// file, or nil when neither is set.
func HMACKey(getenv func(string) string, cfg Config) ([]byte, error) {
	if k := getenv("ILLECTRO_HMAC_KEY"); k != "" {
		if len(k) < 16 {
			return nil, errors.New("ILLECTRO_HMAC_KEY is shorter than 16 characters: use a long random key")
		}
		return []byte(k), nil
	}
	if cfg.HMACKeyFile == "" {
		return nil, nil
	}
	// A key others can read lets them re-identify respondents (pseudonyms
	// are recomputable from ids): refused, not merely warned about.
	info, err := os.Stat(cfg.HMACKeyFile)
	if err != nil {
		return nil, fmt.Errorf("read the HMAC key file: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("the HMAC key file %s can be read or written by others than its owner (mode %04o): chmod 600 %s", cfg.HMACKeyFile, perm, cfg.HMACKeyFile)
	}
	b, err := os.ReadFile(cfg.HMACKeyFile)
	if err != nil {
		return nil, fmt.Errorf("read the HMAC key file: %w", err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 16 {
		return nil, fmt.Errorf("the HMAC key in %s is shorter than 16 characters: use a long random key", cfg.HMACKeyFile)
	}
	return []byte(k), nil
}
