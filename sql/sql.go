// Package sql holds illectro's SQL as files, layered as in a dbt project
// (raw → staging → intermediate → marts, plus data tests and named queries),
// embedded in the binary. It is the only code that knows DuckDB's settings.
//
// Raw files create the append-only tables that ingest writes, as they were at
// schema version 5 (they are applied by Open, idempotently); migrations
// change them since, each applied once (migrate.go). Macros are shared by the
// layers. Staging, intermediate and mart files are models, one per file named
// after the relation it creates (models.go); Build applies them layer by
// layer, each layer's models in dependency order. Test files each return the
// rows that break one assertion: zero rows is a pass.
package sql

import (
	"context"
	gosql "database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/illectro/illectro/disclosure"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

//go:embed raw/*.sql migrations/*.sql macros/*.sql staging/*.sql intermediate/*.sql marts/*.sql tests/*.sql queries/*.sql
var files embed.FS

// Layers that Build applies, in order: BuildViews the first three, BuildMarts
// the last, so that Go diagnostics can run in between.
var (
	viewLayers = []string{"macros", "staging", "intermediate"}
	martLayers = []string{"marts"}
)

// DefaultSecrecyThreshold is the minimum number of respondents behind any
// published figure, following the usual French statistical-secrecy practice.
const DefaultSecrecyThreshold = 11

// MinSecrecyThreshold is the lowest threshold a configuration may set.
const MinSecrecyThreshold = 5

// Named queries used by Go code, read from queries/.
var (
	// DepartementsQuery selects the mart rows the report draws.
	DepartementsQuery = mustRead("queries/departements.sql")
	// SourcesQuery selects the provenance shown in the report footer.
	SourcesQuery = mustRead("queries/sources.sql")
	// SourcesInboxQuery selects the loaded files no source credits, per kind.
	SourcesInboxQuery = mustRead("queries/sources_inbox.sql")
	// SourcesSyntheticQuery selects the kinds of which a synthetic file was
	// loaded.
	SourcesSyntheticQuery = mustRead("queries/sources_synthetic.sql")
	// DataDateQuery selects the day the newest loaded file was ingested.
	DataDateQuery = mustRead("queries/data_date.sql")
	// BuildParametersQuery selects the parameters the marts were built with.
	BuildParametersQuery = mustRead("queries/build_parameters.sql")
	// BenchReadCSV is the read_csv baseline of the ingest benchmark; bind
	// the file's path.
	BenchReadCSV = mustRead("queries/bench_read_csv.sql")
	// AccessVenuesQuery selects the venues access is measured to.
	AccessVenuesQuery = mustRead("queries/access_venues.sql")
	// AccessCentroidsQuery selects the centroids access is measured from.
	AccessCentroidsQuery = mustRead("queries/access_centroids.sql")
	// IngestFileLoaded finds a loaded file by kind and sha256.
	IngestFileLoaded = mustRead("queries/ingest_file_loaded.sql")
	// IngestKeyCheck reads the key check value recorded for a source, and
	// IngestKeyCheckInsert records it.
	IngestKeyCheck       = mustRead("queries/ingest_key_check.sql")
	IngestKeyCheckInsert = mustRead("queries/ingest_key_check_insert.sql")
	// IngestSyntheticInsert records that a loaded file is synthetic.
	IngestSyntheticInsert = mustRead("queries/ingest_synthetic_insert.sql")
	// IngestAttemptStart, IngestAttemptFinish and IngestAttemptDeaths
	// keep the loads under way (ingest_attempts): a load the process died
	// during stays unfinished. IngestAttemptUnfinished finds the one a
	// dead run left.
	IngestAttemptStart      = mustRead("queries/ingest_attempt_start.sql")
	IngestAttemptFinish     = mustRead("queries/ingest_attempt_finish.sql")
	IngestAttemptDeaths     = mustRead("queries/ingest_attempt_deaths.sql")
	IngestAttemptUnfinished = mustRead("queries/ingest_attempt_unfinished.sql")
	// IngestFileInsert records one file attempt in the ledger.
	IngestFileInsert = mustRead("queries/ingest_file_insert.sql")
	// IngestFileNextID draws a new file id.
	IngestFileNextID = mustRead("queries/ingest_file_next_id.sql")
	// IngestSupersededKeys creates the temporary table of the keys a
	// self-assessment file may repeat; IngestSupersededEarlier tells whether
	// earlier files have the file's source (bind the file id and source);
	// IngestSupersededWithin records the rows of the file that are not
	// their respondent's latest in it (bind the file id), then
	// IngestSupersededAcross those that lose against earlier files of the
	// source (bind the file id and source), in raw_assessments_superseded.
	IngestSupersededKeys    = mustRead("queries/ingest_superseded_keys.sql")
	IngestSupersededEarlier = mustRead("queries/ingest_superseded_earlier.sql")
	IngestSupersededWithin  = mustRead("queries/ingest_superseded_within.sql")
	IngestSupersededAcross  = mustRead("queries/ingest_superseded_across.sql")
	// DownloadDepartementsQuery selects the rows of the département downloads.
	DownloadDepartementsQuery = mustRead("queries/download_departements.sql")
	// DownloadCommunesQuery selects the rows of the commune download.
	DownloadCommunesQuery = mustRead("queries/download_communes.sql")
	// DownloadEPCIQuery selects the rows of the EPCI download.
	DownloadEPCIQuery = mustRead("queries/download_epci.sql")
	// DownloadVenuesQuery selects the venues of the GeoJSON download.
	DownloadVenuesQuery = mustRead("queries/download_venues.sql")
	// ModelAgeGroupsQuery selects the model's age groups and their share of
	// their broad group.
	ModelAgeGroupsQuery = mustRead("queries/model_age_groups.sql")
	// ModelCommunesQuery selects each commune's inputs to the model of
	// illectronism.
	ModelCommunesQuery = mustRead("queries/model_communes.sql")
	// DownloadParquet writes a query's rows to a Parquet file; format it with
	// the query (no final semicolon) and bind the file's path.
	DownloadParquet = mustRead("queries/download_parquet.sql")
)

// Options tune Open. The zero value opens the file for writing.
type Options struct {
	// ReadOnly opens the file read-only: several readers may share it, but no
	// writer can open it meanwhile (DuckDB's file lock).
	ReadOnly bool
	// InsertionOrderOff turns DuckDB's preserve_insertion_order off: for
	// benchmarks only, as the reference that read_csv is fastest at (both
	// cores parse). illectro keeps DuckDB's default (order kept): turning it
	// off bought nothing measurable end to end (BENCHMARKS.md).
	InsertionOrderOff bool
}

// Open opens (creating if needed) the DuckDB database at path and, unless
// read-only, creates the raw tables. Call it once per process and Close the
// result last: closing checkpoints the write-ahead log into the file.
func Open(ctx context.Context, path string, opt Options) (*gosql.DB, error) {
	var params []string
	if opt.InsertionOrderOff {
		params = append(params, "preserve_insertion_order=false")
	}
	if opt.ReadOnly {
		params = append(params, "access_mode=read_only")
	}
	dsn := path
	if len(params) > 0 {
		dsn += "?" + strings.Join(params, "&")
	}
	db, err := gosql.Open("duckdb", dsn)
	if err != nil {
		return nil, openError(path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	if !opt.ReadOnly {
		if err := migrate(ctx, db, path); err != nil {
			db.Close()
			return nil, err
		}
		if err := makePrivate(path); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// makePrivate makes the working database and its write-ahead log readable
// by their owner only (0600), whatever the umask: they hold pseudonymised
// self-assessments, and any local user who can read the file can also
// block every run by holding it open. Analysts read the snapshot, which
// stays readable. A database in memory has no file.
func makePrivate(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

func openError(path string, err error) error {
	if strings.Contains(err.Error(), "Conflicting lock") || strings.Contains(err.Error(), "Could not set lock") {
		return fmt.Errorf("database %s is in use by another illectro process (DuckDB allows one writer, and no reader while it writes): %w", path, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// ErrCommit marks an error of the final COMMIT in InTx.
var ErrCommit = errors.New("commit")

// InTx runs fn on one connection inside an explicit transaction, so that fn
// may mix SQL with DuckDB's Appender or Arrow interface (through conn.Raw):
// either all of fn's work is committed, or, when fn or the commit fails or
// ctx is cancelled, none of it. The rollback runs even after ctx is done.
func InTx(ctx context.Context, db *gosql.DB, fn func(conn *gosql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := fn(conn); err != nil {
		return rollback(ctx, conn, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return rollback(ctx, conn, fmt.Errorf("%w: %w", ErrCommit, err))
	}
	return nil
}

// rollback ends the transaction of conn after cause, even when ctx is
// done, and returns cause with the rollback's own failure if any: a
// connection whose transaction could not be ended must not look clean. A
// failed COMMIT has already ended the transaction in DuckDB, so "no
// transaction is active" is no failure then.
func rollback(ctx context.Context, conn *gosql.Conn, cause error) error {
	_, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if err == nil || (errors.Is(cause, ErrCommit) && strings.Contains(err.Error(), "no transaction is active")) {
		return cause
	}
	return errors.Join(cause, fmt.Errorf("rollback: %w", err))
}

// Params are the run parameters the SQL reads through DuckDB variables.
// The zero value uses the defaults.
type Params struct {
	// SecrecyThreshold is the minimum number of respondents behind a
	// published share; 0 means DefaultSecrecyThreshold.
	SecrecyThreshold int
	// Noise is the perturbation of the published counts of self-assessments
	// (cell-key method): its maximum and variance; zero values mean
	// disclosure.DefaultMaxNoise and disclosure.DefaultVariance. Its
	// threshold is SecrecyThreshold.
	Noise disclosure.Params
	// Caseload is the number of people one full-time mediator accompanies
	// in a year: the central value and the range of the mediator plan. Zero
	// values mean DefaultCaseload.
	Caseload Caseload
	// HorizonYears is the time the mediator plan gives itself to reach
	// everyone; 0 means DefaultHorizonYears.
	HorizonYears float64
	// FragilityWeights weighs each indicator of the fragility index (keys
	// from FragilityIndicators); nil means DefaultFragilityWeights(). An
	// indicator left out weighs 0.
	FragilityWeights map[string]float64
	// FranceServicesAgents is the number of agents per France Services
	// site the plan counts; 0 means DefaultFranceServicesAgents.
	FranceServicesAgents float64
	// FranceServicesShare is the share of an agent's time the plan counts
	// as digital mediation (low, central, high); nil means
	// DefaultFranceServicesShare.
	FranceServicesShare *Range
}

// Range is a central value with its low and high bounds.
type Range struct {
	Min, Central, Max float64
}

// Caseload is a number of people per mediator FTE per year: a central value
// and the range around it.
type Caseload struct {
	Min, Central, Max float64
}

// Defaults of the mediator plan, from the programme's published figures
// (sources on the methodology page): the conseillers numériques accompanied
// "près de 3 millions de personnes" from 2021 to the end of 2024, with
// "près de 4 000" conseillers at the end (Assemblée nationale, answer to QE
// 2656, February 2025). With 3 600 to 4 000 in post over about three years
// (10 800 to 12 000 conseiller-years; 242 were in post in the autumn of
// 2021), that is 250 to 280 people per conseiller and per year; counting the
// full 3.6 years at 4 000 (14 400 conseiller-years), 210 at least. Central
// 250, range 210–280: 6.4 hours per person on 1 607 working hours (5.7 to
// 7.7). A plan aiming at autonomy (10 to 20 hours per person, Pass
// numérique) would take about 100; one dominated by workshops, up to 750:
// set caseload_min and caseload_max to plan for them. Horizon: 3 years, the
// programme's first cycle (2021–2024).
var (
	DefaultCaseload     = Caseload{Min: 210, Central: 250, Max: 280}
	DefaultHorizonYears = 3.0
)

// Defaults of the France Services workforce: at least two agents per site
// (the programme's rule, answer of 11 February 2021), of whose time 10 %
// (0 to 20 %) is counted as digital mediation: their mission is help with
// administrative procedures, "notamment numériques" (référentiel France
// services), not the teaching of skills; 10 % is the only official share
// found (initiation, label of the espaces publics numériques, 2001).
var (
	DefaultFranceServicesAgents = 2.0
	DefaultFranceServicesShare  = Range{Min: 0, Central: 0.10, Max: 0.20}
)

// FragilityIndicators are the indicators of the fragility index, in the
// order of the methodology page. Each is oriented so that higher is more
// fragile (see sql/intermediate/int_commune__fragility_values.sql).
var FragilityIndicators = []string{
	"connectivity",   // share of premises without 30 Mbit/s
	"venue_distance", // km from the commune to the nearest mediation venue
	"aged_65_plus",   // share of people aged 65 or more
	"no_diploma",     // share of people aged 15+ out of school with no diploma
	"poverty",        // poverty rate
	"living_alone",   // share of people living alone
	"single_parent",  // share of single-parent families
	"jobseekers",     // share of job seekers
}

// DefaultFragilityWeights weighs every indicator equally: a new map at each
// call, the caller's own.
func DefaultFragilityWeights() map[string]float64 {
	w := make(map[string]float64, len(FragilityIndicators))
	for _, name := range FragilityIndicators {
		w[name] = 1
	}
	return w
}

func (p Params) threshold() (int, error) {
	switch {
	case p.SecrecyThreshold == 0:
		return DefaultSecrecyThreshold, nil
	case p.SecrecyThreshold < MinSecrecyThreshold:
		return 0, fmt.Errorf("secrecy threshold %d is below the minimum of %d respondents", p.SecrecyThreshold, MinSecrecyThreshold)
	}
	return p.SecrecyThreshold, nil
}

// CheckParams reports the first invalid parameter, as Build would.
func CheckParams(p Params) error {
	_, err := p.withDefaults()
	return err
}

// withDefaults fills zero values with the defaults and checks the rest.
func (p Params) withDefaults() (Params, error) {
	t, err := p.threshold()
	if err != nil {
		return p, err
	}
	p.SecrecyThreshold = t
	p.Noise.Threshold = t
	if p.Noise, err = p.Noise.WithDefaults(); err != nil {
		return p, err
	}
	if p.Caseload == (Caseload{}) {
		p.Caseload = DefaultCaseload
	}
	if c := p.Caseload; !(c.Min > 0 && c.Min <= c.Central && c.Central <= c.Max) {
		return p, fmt.Errorf("caseload: want 0 < min ≤ central ≤ max people per FTE per year, got %g, %g, %g", c.Min, c.Central, c.Max)
	}
	if p.HorizonYears == 0 {
		p.HorizonYears = DefaultHorizonYears
	}
	if p.HorizonYears < 0 {
		return p, fmt.Errorf("mediator plan horizon: want a positive number of years, got %g", p.HorizonYears)
	}
	if p.FranceServicesAgents == 0 {
		p.FranceServicesAgents = DefaultFranceServicesAgents
	}
	if !(p.FranceServicesAgents > 0 && p.FranceServicesAgents < 100) {
		return p, fmt.Errorf("France Services agents per site: want a number in ]0, 100[, got %g", p.FranceServicesAgents)
	}
	if p.FranceServicesShare == nil {
		d := DefaultFranceServicesShare
		p.FranceServicesShare = &d
	}
	if r := *p.FranceServicesShare; !(r.Min >= 0 && r.Min <= r.Central && r.Central <= r.Max && r.Max <= 1) {
		return p, fmt.Errorf("France Services digital share: want 0 ≤ min ≤ central ≤ max ≤ 1, got %g, %g, %g", r.Min, r.Central, r.Max)
	}
	if p.FragilityWeights == nil {
		p.FragilityWeights = DefaultFragilityWeights()
	}
	total := 0.0
	for name, w := range p.FragilityWeights {
		if !slices.Contains(FragilityIndicators, name) {
			return p, fmt.Errorf("fragility weight %q: unknown indicator (known: %s)", name, strings.Join(FragilityIndicators, ", "))
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return p, fmt.Errorf("fragility weight %q: want a finite weight ≥ 0, got %g", name, w)
		}
		total += w
	}
	if total == 0 {
		return p, errors.New("fragility weights: at least one indicator needs a positive weight")
	}
	return p, nil
}

// session pins one connection and sets the run variables on it: DuckDB
// variables live in a connection, so everything that reads them runs there.
func session(ctx context.Context, db *gosql.DB, p Params) (*gosql.Conn, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	weights := make([]float64, len(FragilityIndicators))
	for i, name := range FragilityIndicators {
		weights[i] = p.FragilityWeights[name]
	}
	// Bound parameters, each cast to the type the models read.
	for _, set := range []struct {
		q    string
		args []any
	}{
		{"SET VARIABLE secrecy_threshold = CAST(? AS INTEGER)", []any{p.SecrecyThreshold}},
		{"SET VARIABLE noise_max = CAST(? AS INTEGER)", []any{p.Noise.MaxNoise}},
		{"SET VARIABLE noise_variance = CAST(? AS DOUBLE)", []any{p.Noise.Variance}},
		{"SET VARIABLE caseload_min = CAST(? AS DOUBLE)", []any{p.Caseload.Min}},
		{"SET VARIABLE caseload_central = CAST(? AS DOUBLE)", []any{p.Caseload.Central}},
		{"SET VARIABLE caseload_max = CAST(? AS DOUBLE)", []any{p.Caseload.Max}},
		{"SET VARIABLE horizon_years = CAST(? AS DOUBLE)", []any{p.HorizonYears}},
		{"SET VARIABLE france_services_agents = CAST(? AS DOUBLE)", []any{p.FranceServicesAgents}},
		{"SET VARIABLE france_services_share_min = CAST(? AS DOUBLE)", []any{p.FranceServicesShare.Min}},
		{"SET VARIABLE france_services_share_central = CAST(? AS DOUBLE)", []any{p.FranceServicesShare.Central}},
		{"SET VARIABLE france_services_share_max = CAST(? AS DOUBLE)", []any{p.FranceServicesShare.Max}},
		// MAP(VARCHAR, DOUBLE) whatever the weights: whole weights no
		// longer make it MAP(VARCHAR, INTEGER) in mart_build_parameters.
		{"SET VARIABLE fragility_weights = MAP(CAST(? AS VARCHAR[]), CAST(? AS DOUBLE[]))", []any{FragilityIndicators, weights}},
	} {
		if _, err := conn.ExecContext(ctx, set.q, set.args...); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%s %v: %w", set.q, set.args, err)
		}
	}
	return conn, nil
}

// BuildViews writes the perturbation table of p (ref_perturbation_table)
// and applies the macros, staging and intermediate files, in one
// transaction.
func BuildViews(ctx context.Context, db *gosql.DB, p Params) error {
	return build(ctx, db, p, viewLayers)
}

// BuildMarts applies the mart files in one transaction; it reads the views
// and the diag_* tables the diagnostics package writes.
func BuildMarts(ctx context.Context, db *gosql.DB, p Params) error {
	return build(ctx, db, p, martLayers)
}

func build(ctx context.Context, db *gosql.DB, p Params, layers []string) error {
	conn, err := session(ctx, db, p)
	if err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	defer tx.Rollback()
	if slices.Equal(layers, viewLayers) {
		if err := writePerturbationTable(ctx, tx, p); err != nil {
			return fmt.Errorf("build marts: %w", err)
		}
	}
	for _, layer := range layers {
		if err := applyLayer(ctx, tx, layer); err != nil {
			return fmt.Errorf("build marts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	return nil
}

// Failure is one data test that returned rows.
type Failure struct {
	Test   string   // file name, e.g. assert_mart_departement_ranges.sql
	Rows   int      // number of offending rows
	Sample []string // up to three offending rows, formatted
}

// CheckError lists the data tests that failed.
type CheckError struct{ Failures []Failure }

func (e *CheckError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = fmt.Sprintf("%s (%d rows, e.g. %s)", f.Test, f.Rows, strings.Join(f.Sample, "; "))
	}
	return "data tests failed: " + strings.Join(parts, ", ")
}

// Check runs every data test in tests/ and returns a *CheckError naming those
// that returned rows, or nil when all pass.
func Check(ctx context.Context, db *gosql.DB, p Params) error {
	conn, err := session(ctx, db, p)
	if err != nil {
		return fmt.Errorf("data tests: %w", err)
	}
	defer conn.Close()
	names, err := fileNames("tests")
	if err != nil {
		return err
	}
	var failures []Failure
	for _, name := range names {
		f, err := runTest(ctx, conn, name)
		if err != nil {
			return fmt.Errorf("data test %s: %w", path.Base(name), err)
		}
		if f.Rows > 0 {
			failures = append(failures, f)
		}
	}
	if len(failures) > 0 {
		return &CheckError{Failures: failures}
	}
	return nil
}

func runTest(ctx context.Context, conn *gosql.Conn, name string) (Failure, error) {
	f := Failure{Test: path.Base(name)}
	rows, err := conn.QueryContext(ctx, mustRead(name))
	if err != nil {
		return f, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return f, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		f.Rows++
		if len(f.Sample) >= 3 {
			continue
		}
		if err := rows.Scan(ptrs...); err != nil {
			return f, err
		}
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = fmt.Sprintf("%s=%v", c, vals[i])
		}
		f.Sample = append(f.Sample, strings.Join(cells, " "))
	}
	return f, rows.Err()
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (gosql.Result, error)
}

// applyLayer applies the macros in file order, or the models of a model
// layer in dependency order (layerModels).
func applyLayer(ctx context.Context, db execer, layer string) error {
	if layer == "macros" {
		return applyDir(ctx, db, layer)
	}
	models, err := layerModels(layer)
	if err != nil {
		return err
	}
	for _, m := range models {
		if _, err := db.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("%s: %w", m.file, err)
		}
	}
	return nil
}

func applyDir(ctx context.Context, db execer, dir string) error {
	names, err := fileNames(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := db.ExecContext(ctx, mustRead(name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func fileNames(dir string) ([]string, error) {
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, errors.New("no SQL files in " + dir)
	}
	return names, nil
}

// mustRead returns an embedded file; a missing file is a build mistake caught
// by the package's tests, so it panics at start-up rather than at run time.
func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Named queries of the département pages, read from queries/.
var (
	// CommunesQuery selects the communes with their point and indicators.
	CommunesQuery = mustRead("queries/communes.sql")
	// EPCIQuery selects the EPCI with their départements and indicators.
	EPCIQuery = mustRead("queries/epci.sql")
	// VenuesQuery selects the venues with their point and programmes.
	VenuesQuery = mustRead("queries/venues.sql")
	// FranceQuery selects the national figures.
	FranceQuery = mustRead("queries/france.sql")
)

// Named queries of the run ledger, read from queries/.
var (
	// RunsIdleStreak counts the runs in a row, up to the latest, that
	// loaded no file, and when the last one that did started.
	RunsIdleStreak = mustRead("queries/runs_idle_streak.sql")
	// RunsRunning lists the runs left 'running' (their process died).
	RunsRunning = mustRead("queries/runs_running.sql")
	// RunsInterrupted records one of them as failed, with how it most
	// likely ended.
	RunsInterrupted = mustRead("queries/runs_interrupted.sql")
	// RunsStart records a new run and returns its id (parameters: trigger,
	// started_at).
	RunsStart = mustRead("queries/runs_start.sql")
	// RunsFinish records how a run ended.
	RunsFinish = mustRead("queries/runs_finish.sql")
	// RunsLastBuild returns the latest run with a live release and its
	// fingerprint.
	RunsLastBuild = mustRead("queries/runs_last_build.sql")
	// IngestFilesState returns the ingest ledger's highest file id and size.
	IngestFilesState = mustRead("queries/ingest_files_state.sql")
	// RunsList lists the newest runs (parameter: how many).
	RunsList = mustRead("queries/runs_list.sql")
)
