package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/illectro/illectro/pipeline"
	"github.com/illectro/illectro/samples"
	isql "github.com/illectro/illectro/sql"
)

// cancelOn is a slog handler that cancels a context when a given message
// is logged: a way to stop a run at a chosen stage, as SIGTERM would.
type cancelOn struct {
	slog.Handler
	msg    string
	cancel context.CancelFunc
}

func (c cancelOn) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == c.msg {
		c.cancel()
	}
	return c.Handler.Handle(ctx, r)
}

// TestFailedRunKeepsTheLiveRelease stops a run after its marts are built,
// as SIGTERM would: the previous release stays live, the ledger says why,
// and the next run recovers and publishes.
func TestFailedRunKeepsTheLiveRelease(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	cfg := pipeline.DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: os.Stdout, stderr: os.Stderr}
	quiet := slog.New(slog.DiscardHandler)

	first, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv})
	if err != nil {
		t.Fatal(err)
	}
	live := pipeline.LiveRelease(cfg.Out)
	if live != filepath.Base(first.Release) {
		t.Fatalf("live release %q, want %q", live, filepath.Base(first.Release))
	}

	// Nothing changed since the first run: only a forced run rebuilds.
	cfg.Force = true
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stopping := slog.New(cancelOn{Handler: slog.NewTextHandler(io.Discard, nil), msg: "marts built and checked", cancel: cancel})
	if _, err := pipeline.Run(ctx, cfg, pipeline.Options{Trigger: "manual", Log: stopping, Getenv: env.getenv}); err == nil {
		t.Fatal("the stopped run succeeded")
	}
	if got := pipeline.LiveRelease(cfg.Out); got != live {
		t.Errorf("after a failed run the live release is %q, want %q", got, live)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "index.html")); err != nil {
		t.Errorf("the site is not served after a failed run: %v", err)
	}
	// Nothing of the stopped run's release is left behind.
	if tmps, _ := filepath.Glob(filepath.Join(cfg.ReleasesDir(), ".*.tmp-*")); len(tmps) != 0 {
		t.Errorf("the stopped run left its unfinished release: %v", tmps)
	}

	third, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv})
	if err != nil {
		t.Fatalf("the run after a failure: %v", err)
	}
	if got := pipeline.LiveRelease(cfg.Out); got != filepath.Base(third.Release) || got == live {
		t.Errorf("after recovery the live release is %q, want the new %q", got, filepath.Base(third.Release))
	}
	db, err := isql.Open(t.Context(), cfg.DB, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var statuses []string
	rows, err := db.QueryContext(t.Context(), `SELECT status || ':' || coalesce(release, '') || ':' || (error IS NOT NULL) FROM runs ORDER BY run_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		statuses = append(statuses, s)
	}
	rows.Close()
	want := []string{"succeeded:" + live + ":false", "failed:" + live + ":true", "succeeded:" + filepath.Base(third.Release) + ":false"}
	if !slices.Equal(statuses, want) {
		t.Errorf("runs = %v, want %v", statuses, want)
	}
}

// coverageSlice writes the header and rows [from, to) of the bundled ARCEP
// file: a small coverage file of its own.
func coverageSlice(t *testing.T, path string, from, to int) {
	t.Helper()
	b, err := samples.FS.ReadFile("arcep_commune_debit_2019T3_beta.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	var out strings.Builder
	out.WriteString(lines[0] + lines[1]) // ARCEP's disclaimer line, then the header
	for _, l := range lines[2+from : 2+to] {
		out.WriteString(l)
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path+".part", []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Rename(path+".part", path) // appears whole, as a careful uploader does
}

// TestScheduleRunsTheInbox runs the scheduler on a seconds-level spec,
// drops inbox files before two runs, and checks the ledger, the inbox's
// processed/ and failed/ folders and the release switch.
func TestScheduleRunsTheInbox(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	cfg := pipeline.DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	cfg.Inbox = filepath.Join(dir, "inbox")
	cfg.Schedule = "*/2 * * * * *" // every 2 seconds
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: os.Stdout, stderr: os.Stderr}

	coverageSlice(t, filepath.Join(cfg.Inbox, "coverage", "a.csv"), 0, 200)
	os.MkdirAll(filepath.Join(cfg.Inbox, "venues"), 0o755)
	os.WriteFile(filepath.Join(cfg.Inbox, "venues", "broken.csv"), []byte("this is;not a venue listing\n1;2\n"), 0o644)

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	var schedErr error
	go func() {
		defer wg.Done()
		schedErr = schedule(ctx, env, cfg, slog.New(slog.DiscardHandler))
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				cancel()
				wg.Wait()
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	waitFor("the first run's release", func() bool { return pipeline.LiveRelease(cfg.Out) != "" })
	first := pipeline.LiveRelease(cfg.Out)
	if !exists(filepath.Join(cfg.Inbox, "coverage", "processed", "a.csv")) {
		t.Error("a.csv was not moved to processed/")
	}
	if !exists(filepath.Join(cfg.Inbox, "venues", "failed", "broken.csv")) || !exists(filepath.Join(cfg.Inbox, "venues", "failed", "broken.csv.reason.txt")) {
		t.Error("broken.csv was not moved to failed/ with its reason")
	}

	coverageSlice(t, filepath.Join(cfg.Inbox, "coverage", "b.csv"), 200, 400)
	waitFor("b.csv to be processed", func() bool {
		return exists(filepath.Join(cfg.Inbox, "coverage", "processed", "b.csv"))
	})
	waitFor("a release after b.csv", func() bool { r := pipeline.LiveRelease(cfg.Out); return r != "" && r != first })
	snapshotPath := filepath.Join(dir, pipeline.SnapshotName, isql.SnapshotFile)
	waitFor("the snapshot of the run that loaded b.csv", func() bool {
		snap, err := isql.Open(t.Context(), snapshotPath, isql.Options{ReadOnly: true})
		if err != nil {
			return false
		}
		defer snap.Close()
		var n int
		snap.QueryRowContext(t.Context(), `SELECT count(*) FROM ingest_files WHERE kind = 'coverage' AND status = 'loaded'`).Scan(&n)
		return n == 2
	})
	cancel()
	wg.Wait()
	if schedErr != nil {
		t.Fatalf("schedule: %v", schedErr)
	}

	db, err := isql.Open(t.Context(), cfg.DB, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var runs, succeeded, coverage int
	var lastRelease string
	db.QueryRowContext(t.Context(), `SELECT count(*), count(*) FILTER (WHERE status = 'succeeded' AND trigger = 'schedule') FROM runs`).Scan(&runs, &succeeded)
	db.QueryRowContext(t.Context(), `SELECT release FROM runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1`).Scan(&lastRelease)
	db.QueryRowContext(t.Context(), `SELECT count(*) FROM ingest_files WHERE kind = 'coverage' AND status = 'loaded'`).Scan(&coverage)
	if succeeded < 2 || coverage != 2 {
		t.Errorf("%d runs, %d succeeded by the scheduler, %d coverage files loaded; want ≥ 2 succeeded and 2 files", runs, succeeded, coverage)
	}
	if live := pipeline.LiveRelease(cfg.Out); live != lastRelease {
		t.Errorf("live release %q, want the last run's %q", live, lastRelease)
	}

	// The analysts' snapshot is the last good run's: both coverage files,
	// and the run history up to the run before it finished.
	snap, err := isql.Open(t.Context(), snapshotPath, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer snap.Close()
	var snapCoverage, snapDeps, snapRuns int
	snap.QueryRowContext(t.Context(), `SELECT count(*) FROM ingest_files WHERE kind = 'coverage' AND status = 'loaded'`).Scan(&snapCoverage)
	snap.QueryRowContext(t.Context(), `SELECT count(*) FROM mart_departement WHERE premises > 0`).Scan(&snapDeps)
	snap.QueryRowContext(t.Context(), `SELECT count(*) FROM runs WHERE status = 'succeeded'`).Scan(&snapRuns)
	if snapCoverage != 2 || snapDeps == 0 || snapRuns < 1 {
		t.Errorf("snapshot: %d coverage files, %d départements with premises, %d succeeded runs; want 2, > 0, ≥ 1", snapCoverage, snapDeps, snapRuns)
	}
}

// TestAnalystsQueryTheSnapshotDuringRuns keeps 4 analysts querying the
// snapshot in a loop while 3 runs follow one another, each loading a new
// coverage file: no query may fail, and every answer must come from one
// build (the same build always gives the same figures).
func TestAnalystsQueryTheSnapshotDuringRuns(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	if testing.Short() {
		t.Skip("4 runs of the pipeline")
	}
	dir := t.TempDir()
	cfg := pipeline.DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	cfg.Inbox = filepath.Join(dir, "inbox")
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	quiet := slog.New(slog.DiscardHandler)
	snapshot := filepath.Join(dir, pipeline.SnapshotName, isql.SnapshotFile)

	coverageSlice(t, filepath.Join(cfg.Inbox, "coverage", "0.csv"), 0, 300)
	if _, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv}); err != nil {
		t.Fatal(err)
	}

	const query = `SELECT (SELECT max(build_id) FROM hist_departement),
	       (SELECT sum(premises) FROM mart_departement),
	       (SELECT count(*) FROM mart_departement),
	       (SELECT count(*) FROM read_parquet(?))`
	var (
		mu      sync.Mutex
		seen    = map[int64]int64{} // build → premises
		queries int
		errs    []error
	)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				time.Sleep(100 * time.Millisecond) // an analyst, not a busy loop: each query opens the snapshot
				err := func() error {
					// Resolve the link once, as a careful analyst does: the
					// DuckDB file and the Parquet files then come from the
					// same snapshot even if the next one is swapped in.
					version, err := filepath.EvalSymlinks(filepath.Dir(snapshot))
					if err != nil {
						return err
					}
					parquet := filepath.Join(version, isql.SnapshotParquetDir, "mart_departement", "*", "*", "*.parquet")
					db, err := isql.Open(context.Background(), filepath.Join(version, isql.SnapshotFile), isql.Options{ReadOnly: true})
					if err != nil {
						return err
					}
					defer db.Close()
					var build, premises, rows, prows int64
					if err := db.QueryRow(query, parquet).Scan(&build, &premises, &rows, &prows); err != nil {
						return err
					}
					mu.Lock()
					defer mu.Unlock()
					queries++
					if rows != 101 {
						return fmt.Errorf("build %d: %d départements", build, rows)
					}
					if before, ok := seen[build]; ok && before != premises {
						return fmt.Errorf("build %d answered %d premises, then %d", build, before, premises)
					}
					seen[build] = premises
					return nil
				}()
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 1; i <= 3; i++ {
		coverageSlice(t, filepath.Join(cfg.Inbox, "coverage", fmt.Sprintf("%d.csv", i)), 300*i, 300*(i+1))
		if _, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv}); err != nil {
			close(done)
			wg.Wait()
			t.Fatalf("run %d: %v", i, err)
		}
	}
	close(done)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d queries failed, e.g. %v", len(errs), queries+len(errs), errs[0])
	}
	if len(seen) < 3 {
		t.Errorf("the analysts saw %d builds over 4 runs, want most of them", len(seen))
	}
	t.Logf("%d queries over 4 runs, %d builds seen", queries, len(seen))
}

// TestRunFetchesSourcesAndAlerts fetches a remote source into the inbox
// before a run (conditional GET: the second run downloads nothing), and
// calls the alert command with the pipeline.Summary of a failed run, then
// of a run that refused a file.
func TestRunFetchesSourcesAndAlerts(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	b, err := samples.FS.ReadFile("arcep_commune_debit_2019T3_beta.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	body := strings.Join(lines[:102], "")
	var requests, notModified int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, body)
	}))
	defer srv.Close()

	dir := t.TempDir()
	cfg := pipeline.DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	cfg.Inbox = filepath.Join(dir, "inbox")
	cfg.Sources = []pipeline.SourceConfig{{Kind: "coverage", URL: srv.URL + "/arcep/commune_debit.csv"}}
	alertFile := filepath.Join(dir, "alert.json")
	cfg.AlertCommand = []string{"/bin/sh", "-c", `cat > "$0"`, alertFile}
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	quiet := slog.New(slog.DiscardHandler)

	sum, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv})
	if err != nil {
		t.Fatal(err)
	}
	if files, loaded, _ := sum.Totals(); files != 1 || loaded != 100 {
		t.Errorf("first run loaded %d files, %d rows; want the fetched file's 100 rows", files, loaded)
	}
	if _, err := os.Stat(filepath.Join(cfg.Inbox, "coverage", "processed", "commune_debit.csv")); err != nil {
		t.Errorf("the fetched file was not processed: %v", err)
	}
	if _, err := os.Stat(alertFile); err == nil {
		t.Error("a successful run sent an alert")
	}

	// The second run (forced: nothing is new) is stopped after its marts:
	// the source is not modified, and the alert command gets the failure's
	// summary.
	cfg.Force = true
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stopping := slog.New(cancelOn{Handler: slog.NewTextHandler(io.Discard, nil), msg: "marts built and checked", cancel: cancel})
	if _, err := pipeline.Run(ctx, cfg, pipeline.Options{Trigger: "schedule", Log: stopping, Getenv: env.getenv}); err == nil {
		t.Fatal("the stopped run succeeded")
	}
	if requests != 2 || notModified != 1 {
		t.Errorf("%d requests, %d answered 304; want 2 and 1", requests, notModified)
	}
	raw, err := os.ReadFile(alertFile)
	if err != nil {
		t.Fatalf("no alert after a failed run: %v", err)
	}
	var alert struct {
		RunID   int64  `json:"run_id"`
		Trigger string `json:"trigger"`
		Status  string `json:"status"`
		Error   string `json:"error"`
		Release string `json:"release"`
	}
	if err := json.Unmarshal(raw, &alert); err != nil {
		t.Fatalf("alert = %s: %v", raw, err)
	}
	if alert.RunID != 2 || alert.Trigger != "schedule" || alert.Status != "failed" || alert.Error == "" || alert.Release != pipeline.LiveRelease(cfg.Out) {
		t.Errorf("alert = %+v, want run 2, schedule, failed, its error and the live release %s", alert, pipeline.LiveRelease(cfg.Out))
	}

	// A third run finds a self-assessment file but no key: it refuses the
	// file, publishes without it, and alerts (issue 19: it exited 0 in
	// silence), giving the file's kind and why, never its name.
	if err := os.MkdirAll(filepath.Join(cfg.Inbox, "assessments"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Inbox, "assessments", "export_jeanne.csv"),
		[]byte("respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\nA-1,2026-04-03,31555,75+,oui,0,1,1,0,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Force = false
	if err := os.Remove(alertFile); err != nil {
		t.Fatal(err)
	}
	third, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "schedule", Log: quiet, Getenv: env.getenv})
	if err != nil || len(third.Refused) != 1 {
		t.Fatalf("third run: %v, refused %v; want a success refusing the file", err, third.Refused)
	}
	raw, err = os.ReadFile(alertFile)
	if err != nil {
		t.Fatalf("no alert after a run that refused a file: %v", err)
	}
	var refusedAlert struct {
		Status  string
		Refused []struct{ Kind, Reason string }
	}
	if err := json.Unmarshal(raw, &refusedAlert); err != nil {
		t.Fatalf("alert = %s: %v", raw, err)
	}
	if refusedAlert.Status != "succeeded" || len(refusedAlert.Refused) != 1 || refusedAlert.Refused[0].Kind != "assessments" ||
		refusedAlert.Refused[0].Reason != "missing_key" || strings.Contains(string(raw), "jeanne") {
		t.Errorf("alert = %s; want succeeded, one refused assessments file for missing_key, no file name", raw)
	}

	// illectro runs lists all three.
	out, _, err := runCLI(t, t.Context(), nil, "", "runs", "--db", cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "schedule") || !strings.Contains(out, "failed") || !strings.Contains(out, "succeeded") {
		t.Errorf("illectro runs =\n%s\nwant both runs", out)
	}
}

// TestNothingNewRebuildsNothing runs the pipeline again and again: a run
// that finds the same program, parameters and input files as the build of
// the live release publishes nothing and says so; a changed parameter, a
// missing output or --force rebuilds.
func TestNothingNewRebuildsNothing(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	cfg := pipeline.DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	env := &environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	quiet := slog.New(slog.DiscardHandler)

	var builds []string // releases published so far
	steps := []struct {
		name    string
		change  func()
		rebuild bool
	}{
		{"first run", func() {}, true},
		{"same inputs", func() {}, false},
		{"same inputs again", func() {}, false},
		{"a parameter changed", func() { cfg.Caseload = 260 }, true},
		{"same parameters", func() {}, false},
		{"snapshot removed", func() { os.RemoveAll(filepath.Join(dir, pipeline.SnapshotName)) }, true},
		{"live site emptied", func() { os.Remove(filepath.Join(cfg.Out, "index.html")) }, true},
		{"forced", func() { cfg.Force = true }, true},
	}
	for i, st := range steps {
		st.change()
		sum, err := pipeline.Run(t.Context(), cfg, pipeline.Options{Trigger: "manual", Log: quiet, Getenv: env.getenv})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		cfg.Force = false
		live := pipeline.LiveRelease(cfg.Out)
		if live != filepath.Base(sum.Release) {
			t.Errorf("%s: live release %q, the run says %q", st.name, live, sum.Release)
		}
		rebuilt := sum.UnchangedSince == 0
		if rebuilt != st.rebuild {
			t.Errorf("%s: rebuilt = %v, want %v", st.name, rebuilt, st.rebuild)
		}
		if rebuilt {
			builds = append(builds, live)
		} else {
			if live != builds[len(builds)-1] {
				t.Errorf("%s: release %s, want the last build %s", st.name, live, builds[len(builds)-1])
			}
			if !strings.Contains(sum.String(), "nothing new since run") {
				t.Errorf("%s: pipeline.Summary = %q, want it to say nothing was new", st.name, sum.String())
			}
		}
		if sum.RunID != int64(i+1) {
			t.Errorf("%s: run id %d, want %d", st.name, sum.RunID, i+1)
		}
	}
	if len(slices.Compact(slices.Clone(builds))) != len(builds) {
		t.Errorf("builds reused a release name: %v", builds)
	}

	db, err := isql.Open(t.Context(), cfg.DB, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var statuses []string
	rows, err := db.QueryContext(t.Context(), `SELECT status || ':' || (fingerprint IS NOT NULL) FROM runs ORDER BY run_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		statuses = append(statuses, s)
	}
	rows.Close()
	want := []string{"succeeded:true", "unchanged:true", "unchanged:true", "succeeded:true", "unchanged:true", "succeeded:true", "succeeded:true", "succeeded:true"}
	if !slices.Equal(statuses, want) {
		t.Errorf("runs = %v, want %v", statuses, want)
	}
}
