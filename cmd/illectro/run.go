package main

import (
	"context"
	gosql "database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/reports"
	"github.com/illectro/illectro/samples"
	isql "github.com/illectro/illectro/sql"
)

func runCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("run", "run [--config FILE] [--db PATH] [--out DIR] [--inbox DIR] [--force]")
	configPath := fs.String("config", "", "TOML configuration file")
	db := fs.String("db", "", "DuckDB database file (default from config, else ./illectro.duckdb)")
	out := fs.String("out", "", "folder the static site is published to (default from config, else ./public)")
	inbox := fs.String("inbox", "", "folder of input files, one sub-folder per kind")
	force := fs.Bool("force", false, "rebuild and publish even when nothing changed since the last run")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("run takes no arguments, got %q", fs.Args())
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	override(&cfg.DB, *db)
	override(&cfg.Out, *out)
	override(&cfg.Inbox, *inbox)
	cfg.force = *force
	sum, err := pipeline(ctx, env, cfg, "manual", newLogger(env))
	if err != nil {
		return err
	}
	fmt.Fprint(env.stdout, sum)
	return nil
}

func override(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// newLogger logs for people on a terminal (text), and as JSON lines for
// cron, systemd or a log collector otherwise.
func newLogger(env *environment) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if isTerminal(env.stderr) {
		return slog.New(slog.NewTextHandler(env.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(env.stderr, opts))
}

// summary is what a run prints when it ends.
type summary struct {
	runID   int64
	files   []ingest.Result
	refused []string
	report  string
	release string
	took    time.Duration
	// fingerprint identifies what the outputs are built from (see
	// buildFingerprint); unchangedSince is the run whose outputs this one
	// found up to date and left live, 0 when it built its own.
	fingerprint    string
	unchangedSince int64
}

// totals are the files and rows this run loaded (skipped files excluded).
func (s summary) totals() (files int, loaded, rejected int64) {
	for _, r := range s.files {
		if r.Skipped {
			continue
		}
		files++
		loaded += r.Loaded
		rejected += r.Rejected
	}
	return files, loaded, rejected
}

func (s summary) String() string {
	var b strings.Builder
	var loaded, rejected int64
	skipped := 0
	for _, r := range s.files {
		if r.Skipped {
			skipped++
			continue
		}
		loaded += r.Loaded
		rejected += r.Rejected
	}
	fmt.Fprintf(&b, "files: %d loaded, %d already loaded, %d refused; rows: %d loaded, %d rejected\n",
		len(s.files)-skipped, skipped, len(s.refused), loaded, rejected)
	for _, r := range s.refused {
		fmt.Fprintf(&b, "refused: %s\n", r)
	}
	fmt.Fprintf(&b, "report: %s\n", s.report)
	if s.unchangedSince > 0 {
		fmt.Fprintf(&b, "nothing new since run %d: release %s stays live (run %d; --force rebuilds)\n", s.unchangedSince, s.release, s.runID)
	} else if s.release != "" {
		fmt.Fprintf(&b, "release: %s (run %d)\n", s.release, s.runID)
	}
	fmt.Fprintf(&b, "took: %s\n", s.took.Round(time.Millisecond))
	return b.String()
}

// pipeline runs the whole job once: reference data, inputs, marts, data
// tests, report, analysts' snapshot. A refused input file is recorded and
// reported (and moved to the inbox's failed/ folder) but does not stop the
// run; anything else does, and leaves the published site as it was. One
// run at a time: a second one, from cron or by hand, is refused while the
// lock is held. Every run is recorded in the runs table; trigger says who
// started it ("manual", "schedule").
func pipeline(ctx context.Context, env *environment, cfg config, trigger string, log *slog.Logger) (sum summary, err error) {
	start := time.Now()
	lock, err := lockRun(cfg.lockPath())
	if err != nil {
		return sum, err
	}
	defer lock.unlock()
	key, err := hmacKey(env.getenv, cfg)
	if err != nil {
		return sum, err
	}
	mapping, err := assessmentMapping(cfg)
	if err != nil {
		return sum, err
	}
	venues, err := venueMapping(cfg)
	if err != nil {
		return sum, err
	}
	ref, err := ingest.LoadReference()
	if err != nil {
		return sum, fmt.Errorf("reference data: %w", err)
	}
	db, err := isql.Open(ctx, cfg.DB, isql.Options{})
	if err != nil {
		return sum, err
	}
	defer db.Close()
	if sum.runID, err = startRun(ctx, db, cfg, trigger, start); err != nil {
		return sum, err
	}
	defer func() { finishRun(ctx, db, cfg, trigger, start, &sum, err, log) }()

	clock := newStageClock(log)
	if err := ingest.StoreReference(ctx, db, ref); err != nil {
		return sum, fmt.Errorf("store reference data: %w", err)
	}
	log.Info("reference data stored", "departements", len(ref.Departements), "communes", len(ref.Communes))
	clock.done("reference", int64(len(ref.Communes)))

	loader := newLoader(env, db, ref, key, mapping)
	loader.VenueMapping = venues
	loader.Log = log
	if len(cfg.Sources) > 0 {
		fetchSources(ctx, cfg, log)
	}
	inputs, err := collectInputs(cfg)
	if err != nil {
		return sum, err
	}
	for _, in := range inputs {
		l := loader
		if in.sample && in.kind == ingest.Venues {
			c := *loader
			c.VenueMapping = nil // the sample follows the national schema
			l = &c
		}
		if in.sample && in.kind == ingest.Assessments {
			c := *loader
			c.Mapping = nil // the sample is in the generic format whatever the configuration says
			if len(key) == 0 {
				log.Warn("pseudonymising the synthetic sample with the public throwaway key; set ILLECTRO_HMAC_KEY before loading real assessments", "file", in.file.Name)
				c.Key = []byte(samples.SyntheticKey)
			}
			l = &c
		}
		log.Info("loading file", "file", in.file.Name, "kind", in.kind)
		res, err := l.Load(ctx, in.kind, in.file)
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			log.Warn("file refused", "file", in.file.Name, "kind", in.kind, "error", err)
			sum.refused = append(sum.refused, err.Error())
			if in.path != "" {
				if merr := moveInboxFile(in.path, "failed", err.Error()); merr != nil {
					log.Warn("inbox file not moved", "file", in.path, "error", merr)
				}
			}
			continue
		}
		sum.files = append(sum.files, res)
		if in.path != "" {
			if merr := moveInboxFile(in.path, "processed", ""); merr != nil {
				log.Warn("inbox file not moved", "file", in.path, "error", merr)
			}
		}
	}
	_, loaded, rejected := sum.totals()
	clock.done("ingest", loaded+rejected)

	if sum.fingerprint, err = buildFingerprint(ctx, db, cfg); err != nil {
		return sum, err
	}
	if !cfg.force {
		run, release, ok, err := unchangedSince(ctx, db, cfg, sum.fingerprint)
		if err != nil {
			return sum, err
		}
		if ok {
			sum.unchangedSince, sum.release = run, release
			sum.report = filepath.Join(cfg.Out, "index.html")
			log.Info("nothing new: the live release stays", "since_run", run, "release", release)
			clock.done("unchanged", 0)
			sum.took = time.Since(start)
			return sum, nil
		}
	}

	p := cfg.params()
	model, err := cfg.modelOptions()
	if err != nil {
		return sum, err
	}
	// the stored fit is kept when this program fitted it from the same
	// inputs: a night that brings only new assessments does not refit
	// (--force fits again)
	if exe, err := executableDigest(); err == nil && !cfg.force {
		model.Program = hex.EncodeToString(exe)
	}
	if err := diagnostics.StoreModelReference(ctx, db, model); err != nil {
		return sum, err
	}
	if err := isql.BuildViews(ctx, db, p); err != nil {
		return sum, err
	}
	clock.done("views", 0)
	if err := diagnostics.ComputeAccess(ctx, db, loader.Codes); err != nil {
		return sum, err
	}
	clock.done("access", 0)
	ms, err := diagnostics.EstimateIllectronism(ctx, db, model)
	if err != nil {
		return sum, err
	}
	log.Info("illectronism model fitted", "communes", ms.Communes, "national_rate", ms.National,
		"overseas_rate", ms.Overseas, "newton_steps", ms.Iterations, "worst_margin", ms.WorstMargin,
		"worst_gap_points", ms.WorstGap, "diploma_income_association", ms.Association, "reused", ms.Reused)
	clock.done("model", int64(ms.Communes))
	if err := isql.BuildMarts(ctx, db, p); err != nil {
		return sum, err
	}
	clock.done("marts", 0)
	if err := isql.Check(ctx, db, p); err != nil {
		return sum, err
	}
	clock.done("data tests", 0)
	log.Info("marts built and checked")

	// The release is prepared, then the snapshot published, then the
	// release switched: a run that fails on the way changes neither what
	// readers see nor, except in its last step, what analysts query.
	release, err := prepareRelease(ctx, db, cfg, releaseName(start, fmt.Sprintf("run%d", sum.runID)), ref.Departements)
	if err != nil {
		return sum, err
	}
	clock.done("report", int64(len(ref.Departements)))
	snap, err := isql.Snapshot(ctx, db, cfg.snapshotDir(), snapshotName)
	if err != nil {
		return sum, fmt.Errorf("analysts' snapshot: %w", err)
	}
	log.Info("analysts' snapshot published", "path", snap)
	clock.done("snapshot", 0)
	if err := activateRelease(cfg, release); err != nil {
		return sum, err
	}
	clock.done("release", 0)
	sum.release = release
	sum.report = filepath.Join(cfg.Out, "index.html")
	log.Info("report published", "out", cfg.Out, "release", release)
	sum.took = time.Since(start)
	return sum, nil
}

// releaseName names a release so that names sort in time order.
func releaseName(t time.Time, what string) string {
	return t.UTC().Format("20060102T150405") + "-" + what
}

// input is one file to load, in loading order.
type input struct {
	kind   ingest.Kind
	file   ingest.File
	sample bool
	path   string // the inbox file, moved to processed/ or failed/ once loaded; "" for a sample
}

// collectInputs lists the bundled samples (when enabled) then the inbox
// files, kind by kind in ingest.Kinds order, files in name order.
func collectInputs(cfg config) ([]input, error) {
	var ins []input
	if cfg.loadSamples() {
		for _, s := range samples.Files {
			k, err := ingest.ParseKind(s.Kind)
			if err != nil {
				return nil, err
			}
			ins = append(ins, input{kind: k, file: ingest.FSFile(samples.FS, s.Name), sample: true})
		}
	}
	if cfg.Inbox == "" {
		return ins, nil
	}
	if st, err := os.Stat(cfg.Inbox); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("inbox %s is not a readable folder", cfg.Inbox)
	}
	for _, k := range ingest.Kinds {
		dir := filepath.Join(cfg.Inbox, string(k))
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read inbox: %w", err)
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(dir, n)
			ins = append(ins, input{kind: k, file: ingest.OSFile(p), path: p})
		}
	}
	return ins, nil
}

func buildSite(ctx context.Context, db *gosql.DB, deps []geo.Departement) (reports.Site, error) {
	rows, err := isql.ReadDepartements(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	srcs, err := isql.ReadSources(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	date, err := isql.ReadDataDate(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	threshold, err := isql.ReadSecrecyThreshold(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	shapes, err := geo.MapGeoJSON(deps)
	if err != nil {
		return reports.Site{}, fmt.Errorf("map shapes: %w", err)
	}
	communes, err := isql.ReadCommunes(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	venues, err := isql.ReadVenues(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	epcis, err := isql.ReadEPCIs(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	postal, err := geo.LoadPostalCodes()
	if err != nil {
		return reports.Site{}, fmt.Errorf("postal codes: %w", err)
	}
	france, err := isql.ReadFrance(ctx, db, threshold)
	if err != nil {
		return reports.Site{}, err
	}
	params, err := isql.ReadParameters(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	params.Draws, params.BandLow, params.BandHigh = diagnostics.DefaultDraws, diagnostics.BandLow, diagnostics.BandHigh
	params.LOROBound = diagnostics.LOROBoundMean
	quality, err := isql.ReadQuality(ctx, db)
	if err != nil {
		return reports.Site{}, err
	}
	byCode := make(map[string]geo.Departement, len(deps))
	for _, d := range deps {
		byCode[d.Code] = d
	}
	onMap := make([][2]float64, 0, len(venues))
	for _, v := range venues {
		if d, ok := byCode[v.Departement]; ok {
			onMap = append(onMap, geo.MapPosition(d, orb.Point{v.Lon, v.Lat}))
		}
	}
	depShapes := make(map[string][]byte, len(deps))
	for _, d := range deps {
		if depShapes[d.Code], err = geo.DepartementGeoJSON(d); err != nil {
			return reports.Site{}, err
		}
	}
	site := reports.Site{
		Departements:      rows,
		MapGeoJSON:        shapes,
		Generated:         date,
		SecrecyThreshold:  threshold,
		Communes:          communes,
		Venues:            venues,
		EPCIs:             epcis,
		PostalCodes:       postal.ByCommune(),
		France:            france,
		DepartementShapes: depShapes,
		VenuesOnMap:       onMap,
		Parameters:        params,
		Quality:           quality,
	}
	for _, s := range srcs {
		site.Sources = append(site.Sources, reports.Source{Name: s.Dataset, Producer: s.Producer, Vintage: s.Vintage, Licence: s.Licence, URL: s.URL})
	}
	return site, nil
}
