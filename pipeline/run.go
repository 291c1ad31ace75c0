package pipeline

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
	"github.com/illectro/illectro/notify"
	"github.com/illectro/illectro/reports"
	"github.com/illectro/illectro/samples"
	isql "github.com/illectro/illectro/sql"
)

// Summary is what a run did, as it prints when it ends.
type Summary struct {
	RunID   int64
	Files   []ingest.Result // the files loaded or found already loaded
	Refused []string        // why each refused file was refused
	// RefusedFiles are the same files' input kinds and error kinds, for
	// the alert.
	RefusedFiles []notify.Refused
	// Deferred are the inbox files left for the next run: still being
	// written (modified within inbox_settle_seconds, or changed while
	// they were loaded).
	Deferred []string
	Report   string // the published index.html
	Release  string // the live release's folder
	Took     time.Duration
	// Fingerprint identifies what the outputs are built from (see
	// buildFingerprint); UnchangedSince is the run whose outputs this one
	// found up to date and left live, 0 when it built its own.
	Fingerprint    string
	UnchangedSince int64
}

// totals are the files and rows this run loaded (skipped files excluded).
func (s Summary) Totals() (files int, loaded, rejected int64) {
	for _, r := range s.Files {
		if r.Skipped {
			continue
		}
		files++
		loaded += r.Loaded
		rejected += r.Rejected
	}
	return files, loaded, rejected
}

func (s Summary) String() string {
	var b strings.Builder
	var loaded, rejected int64
	skipped := 0
	for _, r := range s.Files {
		if r.Skipped {
			skipped++
			continue
		}
		loaded += r.Loaded
		rejected += r.Rejected
	}
	fmt.Fprintf(&b, "files: %d loaded, %d already loaded, %d refused; rows: %d loaded, %d rejected\n",
		len(s.Files)-skipped, skipped, len(s.Refused), loaded, rejected)
	for _, r := range s.Refused {
		fmt.Fprintf(&b, "refused: %s\n", r)
	}
	for _, d := range s.Deferred {
		fmt.Fprintf(&b, "left in the inbox for the next run (still being written): %s\n", d)
	}
	fmt.Fprintf(&b, "report: %s\n", s.Report)
	if s.UnchangedSince > 0 {
		fmt.Fprintf(&b, "nothing new since run %d: release %s stays live (run %d; --force rebuilds)\n", s.UnchangedSince, s.Release, s.RunID)
	} else if s.Release != "" {
		fmt.Fprintf(&b, "release: %s (run %d)\n", s.Release, s.RunID)
	}
	fmt.Fprintf(&b, "took: %s\n", s.Took.Round(time.Millisecond))
	return b.String()
}

// Options are how a run is started and observed; the zero value is a
// manual run that logs nothing and reads the process environment.
type Options struct {
	// Trigger says who started the run, as the runs table records it:
	// "manual" (the default) or "schedule".
	Trigger string
	// Log receives the run's messages; nil discards them.
	Log *slog.Logger
	// Getenv reads the environment (ILLECTRO_HMAC_KEY); nil is os.Getenv.
	Getenv func(string) string
	// Progress, if not nil, is told how each file's load advances.
	Progress func(file string, done, size, rows int64)
}

// Run runs the whole job once: reference data, inputs, marts, data
// tests, report, analysts' snapshot. A refused input file is recorded and
// reported (and moved to the inbox's failed/ folder) but does not stop the
// run; anything else does, and leaves the published site as it was. One
// run at a time: a second one, from cron or by hand, is refused while the
// lock is held (ErrRunInProgress). Every run is recorded in the runs
// table; a failed one with its error and the error's kind (RunKindOf: the
// error wraps one of the ErrRun… kinds).
func Run(ctx context.Context, cfg Config, opts Options) (sum Summary, err error) {
	start := time.Now()
	trigger, log, getenv := opts.Trigger, opts.Log, opts.Getenv
	if trigger == "" {
		trigger = "manual"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return sum, fmt.Errorf("configuration: %w", err)
	}
	lock, err := lockRun(cfg.LockPath())
	if err != nil {
		// A run in progress is no failure (a scheduled firing counts it
		// as skipped: FiringGuard); a lock that cannot be taken is.
		if !errors.Is(err, ErrRunInProgress) {
			alertUnrecorded(ctx, cfg, trigger, start, err, log)
		}
		return sum, err
	}
	defer lock.unlock()
	key, err := HMACKey(getenv, cfg)
	if err != nil {
		return sum, err
	}
	mapping, err := AssessmentMapping(cfg)
	if err != nil {
		return sum, err
	}
	venues, err := VenueMapping(cfg)
	if err != nil {
		return sum, err
	}
	ref, err := ingest.LoadReference()
	if err != nil {
		return sum, fmt.Errorf("reference data: %w", err)
	}
	db, err := isql.Open(ctx, cfg.DB, isql.Options{})
	if err != nil {
		// e.g. another process holds the database: DuckDB lets any local
		// user who can read it block every run.
		alertUnrecorded(ctx, cfg, trigger, start, err, log)
		return sum, err
	}
	defer db.Close()
	var dead []deadRun
	sum.RunID, dead, err = startRun(ctx, db, cfg, trigger, start)
	alertDeadRuns(ctx, cfg, dead, log)
	if err != nil {
		alertUnrecorded(ctx, cfg, trigger, start, err, log)
		return sum, err
	}
	defer func() { finishRun(ctx, db, cfg, trigger, start, &sum, err, log) }()
	beat := startHeartbeat(cfg.HeartbeatPath(), sum.RunID)
	defer beat.end()

	clock := newStageClock(log)
	clock.beat = beat
	if err := ingest.StoreReference(ctx, db, ref); err != nil {
		return sum, failed(ErrRunDatabase, fmt.Errorf("store reference data: %w", err))
	}
	log.Info("reference data stored", "departements", len(ref.Departements), "communes", len(ref.Communes))
	clock.done("reference", int64(len(ref.Communes)))

	loader := NewLoader(db, ref, key, mapping, log, opts.Progress)
	loader.VenueMapping = venues
	loader.Limits = cfg.Limits()
	if len(cfg.Sources) > 0 {
		fetchSources(ctx, cfg, log)
	}
	pruneInbox(cfg, time.Now(), log)
	inputs, unreadable, err := collectInputs(cfg, log)
	if err != nil {
		return sum, failed(ErrRunInbox, err)
	}
	inputs, sum.Deferred = settleInbox(ctx, inputs, cfg.InboxSettle(), time.Now, sleepCtx, log)
	if ctx.Err() != nil {
		return sum, failed(ErrRunInterrupted, ctx.Err())
	}
	for _, u := range unreadable {
		log.Error("inbox folder refused", "kind", u.kind, "error", u.err)
		sum.Refused = append(sum.Refused, u.err.Error())
		sum.RefusedFiles = append(sum.RefusedFiles, notify.Refused{Kind: string(u.kind), Reason: ingest.ErrFileUnreadable.Code})
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
		beat.set("ingest", string(in.kind)+"/"+in.file.Name)
		res, err := l.Load(ctx, in.kind, in.file)
		if ctx.Err() != nil {
			return sum, failed(ErrRunInterrupted, ctx.Err())
		}
		if errors.Is(err, ingest.ErrFileChanged) {
			// still being written: it waits in the inbox for the next run
			log.Warn("file left in the inbox: it changed while it was loaded", "file", in.file.Name, "kind", in.kind, "error", err)
			sum.Deferred = append(sum.Deferred, in.file.Name)
			continue
		}
		if err != nil {
			log.Warn("file refused", "file", in.file.Name, "kind", in.kind, "error", err)
			sum.Refused = append(sum.Refused, err.Error())
			sum.RefusedFiles = append(sum.RefusedFiles, notify.Refused{Kind: string(in.kind), Reason: ingest.FileKindOf(err).Code})
			if in.path != "" {
				if merr := moveInboxFile(in.path, "failed", err.Error()); merr != nil {
					log.Warn("inbox file not moved", "file", in.path, "error", merr)
				}
			}
			continue
		}
		sum.Files = append(sum.Files, res)
		switch {
		case in.path == "":
		case in.kind == ingest.Assessments && !cfg.KeepLoadedAssessments:
			// Its rows are stored (pseudonymised): the respondents' ids
			// it holds are needed no more.
			if rerr := os.Remove(in.path); rerr != nil {
				log.Warn("loaded self-assessment file not deleted", "file", in.path, "error", rerr)
			} else {
				log.Info("loaded self-assessment file deleted", "file", in.file.Name)
			}
		default:
			if merr := moveInboxFile(in.path, "processed", ""); merr != nil {
				log.Warn("inbox file not moved", "file", in.path, "error", merr)
			}
		}
	}
	_, loaded, rejected := sum.Totals()
	clock.done("ingest", loaded+rejected)

	if sum.Fingerprint, err = buildFingerprint(ctx, db, cfg); err != nil {
		return sum, failed(ErrRunDatabase, err)
	}
	if !cfg.Force {
		run, release, ok, err := unchangedSince(ctx, db, cfg, sum.Fingerprint)
		if err != nil {
			return sum, failed(ErrRunDatabase, err)
		}
		if ok {
			sum.UnchangedSince, sum.Release = run, release
			sum.Report = filepath.Join(cfg.Out, "index.html")
			log.Info("nothing new: the live release stays", "since_run", run, "release", release)
			clock.done("unchanged", 0)
			sum.Took = time.Since(start)
			return sum, nil
		}
	}

	p := cfg.Params()
	model, err := cfg.ModelOptions()
	if err != nil {
		return sum, failed(ErrRunConfiguration, err)
	}
	// the stored fit is kept when this program fitted it from the same
	// inputs: a night that brings only new assessments does not refit
	// (--force fits again)
	if exe, err := executableDigest(); err == nil && !cfg.Force {
		model.Program = hex.EncodeToString(exe)
	}
	if err := diagnostics.StoreModelReference(ctx, db, model); err != nil {
		return sum, failed(ErrRunModel, err)
	}
	if err := isql.BuildViews(ctx, db, p); err != nil {
		return sum, failed(ErrRunDatabase, err)
	}
	clock.done("views", 0)
	if err := diagnostics.ComputeAccess(ctx, db, loader.Codes); err != nil {
		return sum, failed(ErrRunModel, err)
	}
	clock.done("access", 0)
	ms, err := diagnostics.EstimateIllectronism(ctx, db, model)
	if err != nil {
		return sum, failed(ErrRunModel, err)
	}
	log.Info("illectronism model fitted", "communes", ms.Communes, "national_rate", ms.National,
		"overseas_rate", ms.Overseas, "newton_steps", ms.Iterations, "worst_margin", ms.WorstMargin,
		"worst_gap_points", ms.WorstGap, "diploma_income_association", ms.Association, "reused", ms.Reused)
	clock.done("model", int64(ms.Communes))
	if err := isql.BuildMarts(ctx, db, p); err != nil {
		return sum, failed(ErrRunDatabase, err)
	}
	clock.done("marts", 0)
	if err := isql.Check(ctx, db, p); err != nil {
		return sum, failed(ErrRunDataTests, err)
	}
	clock.done("data tests", 0)
	log.Info("marts built and checked")

	// The release is prepared, then the snapshot published, then the
	// release switched: a run that fails on the way changes neither what
	// readers see nor, except in its last step, what analysts query.
	release, err := prepareRelease(ctx, db, cfg, ReleaseName(start, fmt.Sprintf("run%d", sum.RunID)), ref.Departements)
	if err != nil {
		return sum, failed(ErrRunReport, err)
	}
	clock.done("report", int64(len(ref.Departements)))
	snap, err := isql.Snapshot(ctx, db, cfg.SnapshotRoot(), SnapshotName)
	if err != nil {
		return sum, failed(ErrRunSnapshot, fmt.Errorf("analysts' snapshot: %w", err))
	}
	log.Info("analysts' snapshot published", "path", snap)
	clock.done("snapshot", 0)
	if err := activateRelease(cfg, release); err != nil {
		return sum, failed(ErrRunPublish, err)
	}
	clock.done("release", 0)
	sum.Release = release
	sum.Report = filepath.Join(cfg.Out, "index.html")
	log.Info("report published", "out", cfg.Out, "release", release)
	sum.Took = time.Since(start)
	return sum, nil
}

// releaseName names a release so that names sort in time order.
func ReleaseName(t time.Time, what string) string {
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
func collectInputs(cfg Config, log *slog.Logger) (ins []input, unreadable []kindError, err error) {
	if cfg.LoadSamples() {
		for _, s := range samples.Files {
			k, err := ingest.ParseKind(s.Kind)
			if err != nil {
				return nil, nil, err
			}
			ins = append(ins, input{kind: k, file: ingest.FSFile(samples.FS, s.Name), sample: true})
		}
	}
	if cfg.Inbox == "" {
		return ins, nil, nil
	}
	if st, err := os.Stat(cfg.Inbox); err != nil || !st.IsDir() {
		return nil, nil, fmt.Errorf("inbox %s is not a readable folder", cfg.Inbox)
	}
	for _, k := range ingest.Kinds {
		dir := filepath.Join(cfg.Inbox, string(k))
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			// That kind is refused, not the run: the others load.
			unreadable = append(unreadable, kindError{kind: k, err: fmt.Errorf("read inbox folder %s: %w", dir, err)})
			continue
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			switch {
			case e.IsDir() && (e.Name() == "processed" || e.Name() == "failed"):
				// the inbox's own folders
			case strings.HasPrefix(e.Name(), "."):
				log.Info("inbox entry skipped", "entry", filepath.Join(dir, e.Name()), "reason", "hidden name (a file still being written, by convention)")
			case e.Type().IsRegular():
				names = append(names, e.Name())
			default:
				log.Warn("inbox entry skipped", "entry", filepath.Join(dir, e.Name()), "reason", skipReason(e.Type()))
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(dir, n)
			ins = append(ins, input{kind: k, file: ingest.OSFile(p), path: p})
		}
	}
	return ins, unreadable, nil
}

// kindError is an inbox folder of one kind that could not be read.
type kindError struct {
	kind ingest.Kind
	err  error
}

// skipReason says why an inbox entry that is not a regular file is not
// loaded: symbolic links are never followed (a link could lead out of the
// inbox, or into a loop), nor are folders, pipes or devices read.
func skipReason(t os.FileMode) string {
	switch {
	case t&os.ModeSymlink != 0:
		return "symbolic link, not followed: copy or move the file itself into the inbox"
	case t.IsDir():
		return "folder: files go directly in the kind's folder"
	case t&os.ModeNamedPipe != 0:
		return "named pipe (FIFO): not a file"
	case t&os.ModeSocket != 0:
		return "socket: not a file"
	case t&os.ModeDevice != 0:
		return "device: not a file"
	}
	return "not a regular file"
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
		Neighbours:        geo.Neighbours(deps),
		VenuesOnMap:       onMap,
		Parameters:        params,
		Quality:           quality,
	}
	for _, s := range srcs {
		site.Sources = append(site.Sources, reports.Source{Name: s.Dataset, Producer: s.Producer, Vintage: s.Vintage, Licence: s.Licence, URL: s.URL, Input: s.Input, Kind: s.Kind})
	}
	if site.LoadedFiles, site.Synthetic, err = isql.ReadLoadedFiles(ctx, db); err != nil {
		return reports.Site{}, err
	}
	return site, nil
}
