//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	gosql "database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/pipeline"
	"github.com/illectro/illectro/publish"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
)

// The crash harness (issue 8): TestCrashHarness kills `illectro run` with
// SIGKILL at drawn moments and checks what a crash may leave behind.
const (
	// crashKillsEnv sets the number of kills; the full harness is
	// ILLECTRO_CRASH_KILLS=60.
	crashKillsEnv = "ILLECTRO_CRASH_KILLS"
	// crashSeedEnv replays a draw of kill points (the seed is logged).
	crashSeedEnv = "ILLECTRO_CRASH_SEED"
	// crashDefaultKills keeps the harness short in CI and in a plain
	// `go test`: each kill costs about one and a half runs.
	crashDefaultKills = 2
	// crashInboxRows is the size of the inbox file loaded by the killed
	// run: large enough for its ingest to be a stage kills can hit.
	crashInboxRows = 300_000
	// crashInboxFile is that file's name, in <inbox>/assessments/.
	crashInboxFile = "synth.csv"
	crashHMACKey   = "crash-harness-key-0123456789"
)

// crashConfig is the configuration of every work folder, with paths
// relative to it (the runs are started in the folder), so that a folder
// copied elsewhere is the same installation. keep_releases = 1 makes the
// pruning of the old release part of every run that publishes.
const crashConfig = `db = "illectro.duckdb"
out = "public"
inbox = "inbox"
samples = true
releases = "releases"
snapshot_dir = "."
keep_releases = 1
`

// TestCrashHarness kills `illectro run` with SIGKILL at drawn moments and
// checks, after each kill, the promises of the pipeline:
//
//  1. the working database opens;
//  2. the ledger is consistent: every loaded file's rows and rejects are
//     all there, with no orphan rows, no file loaded twice, no run claiming
//     success without a release; and every table is as before the run or as
//     after it (a file's load and the marts are each all or nothing);
//  3. `public` is a complete release, byte for byte the old one or the new
//     one (as the uninterrupted reference run published it), and so is every
//     release folder left;
//  4. the analysts' snapshot is the old one or the new one, and opens;
//  5. the next run (the recovery) succeeds, cleans up what the kill left,
//     loses and duplicates no row (every table as after the reference run)
//     and publishes the reference run's site and Parquet files byte for byte.
//
// Setup: a work folder whose first run loaded the bundled samples (the old
// release), with an inbox file of crashInboxRows assessments waiting (the
// new release): the pre-kill state, copied afresh for every kill. One
// uninterrupted run from it is the reference; its log gives the stages'
// timeline. Half the kills are drawn uniformly over [0, 1.05·T] after the
// start (T: the reference run's duration, stratified so that they spread);
// the other half at a uniform delay after a stage's first log line, stage
// by stage, so that the short stages (ingest, release switch and pruning,
// the ledger's last update) are hit too. The stage of each kill is read
// from the child's log and from what it left on disk and in the database.
func TestCrashHarness(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	if testing.Short() {
		t.Skip("kills the pipeline and reruns it: not in -short")
	}
	kills := crashDefaultKills
	if v := os.Getenv(crashKillsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q, want a positive number", crashKillsEnv, v)
		}
		kills = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(crashSeedEnv); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q, want an unsigned integer", crashSeedEnv, v)
		}
		seed = s
	}
	t.Logf("%d kills, seed %d (%s=%d draws the same kill points)", kills, seed, crashSeedEnv, seed)
	began := time.Now()
	ctx := t.Context()
	root := t.TempDir()

	pre := filepath.Join(root, "pre")
	old := preparePreKill(t, pre)

	refDir := filepath.Join(root, "ref")
	copyState(t, pre, refDir)
	refRun := runChild(t, refDir, killPlan{})
	if refRun.err != nil || refRun.killed {
		t.Fatalf("reference run: %v\n%s", refRun.err, refRun.stderr())
	}
	ref := captureState(t, ctx, refDir)
	if ref.live == old.live {
		t.Fatalf("the reference run left the old release %s live", old.live)
	}
	if ref.maxBuild <= old.maxBuild {
		t.Fatalf("the reference run recorded no new build of the marts (%d, before %d): the data tests stage cannot be told apart", ref.maxBuild, old.maxBuild)
	}
	if problems := checkRecovered(ctx, refDir, refRun, old, ref); len(problems) > 0 {
		t.Fatalf("the reference run itself fails the checks:\n%s", strings.Join(problems, "\n"))
	}
	timeline := refRun.timeline()
	var stages []string
	for _, w := range timeline {
		stages = append(stages, w.String())
	}
	t.Logf("setup %s; reference run %s, its log lines (each with the time since the one before): %s",
		time.Since(began).Round(time.Millisecond), refRun.took.Round(time.Millisecond), strings.Join(stages, ", "))

	t.Run("checks catch broken states", func(t *testing.T) {
		checkTheChecks(t, root, refDir, refRun, old, ref)
	})

	plans := drawKills(rand.New(rand.NewPCG(seed, 0x1c7ec7)), kills, refRun.took, timeline)
	tally := map[string][]string{} // stage → the kills in it
	failed, leftBehind := 0, 0
	for i, plan := range plans {
		name := fmt.Sprintf("kill%02d", i+1)
		ok := t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, name)
			copyState(t, pre, dir)
			defer os.RemoveAll(dir)

			got := runChild(t, dir, plan)
			stage, leftovers, problems := checkAfterKill(ctx, dir, got, refRun, old, ref)
			tally[stage] = append(tally[stage], name)
			if len(leftovers) > 0 {
				leftBehind++
			}
			for _, p := range problems {
				t.Errorf("after the kill (%s): %s", stage, p)
			}

			rec := runChild(t, dir, killPlan{})
			if rec.err != nil || rec.killed {
				t.Fatalf("the run after the kill (%s) failed: %v\n%s", stage, rec.err, rec.stderr())
			}
			for _, p := range checkRecovered(ctx, dir, rec, old, ref) {
				t.Errorf("after the recovery run (kill in %s): %s", stage, p)
			}
			at := "ran to its end"
			if got.killed {
				at = "killed at " + got.killedAt.Round(time.Millisecond).String()
			}
			how := "rebuilt"
			if strings.Contains(rec.stdout, "nothing new") {
				how = "found nothing new"
			}
			t.Logf("%s: %s, in %s; left %v; the next run %s in %s", plan, at, stage, leftovers, how, rec.took.Round(100*time.Millisecond))
		})
		if !ok {
			failed++
		}
	}

	var b strings.Builder
	for _, s := range append(crashStages, slices.Sorted(maps.Keys(tally))...) {
		if kills, ok := tally[s]; ok {
			fmt.Fprintf(&b, "\n  %-26s %3d  %s", s, len(kills), strings.Join(kills, " "))
			delete(tally, s)
		}
	}
	t.Logf("kills per stage:%s\n%d kills (%d left temporary files or releases for the next run to clean up), %d failed; %s in all",
		b.String(), len(plans), leftBehind, failed, time.Since(began).Round(time.Second))
}

// crashStages are the stages a kill is tallied under, in pipeline order.
var crashStages = []string{
	"startup",
	"reference tables",
	"samples (already loaded)",
	"ingest " + crashInboxFile,
	"inbox move",
	"fingerprint and views",
	"access",
	"marts",
	"data tests",
	"report",
	"snapshot",
	"release switch",
	"release pruning",
	"run ledger and exit",
	"ran to its end",
}

// runStages are the stages a run logs as "stage done", in order.
var runStages = []string{"reference", "ingest", "views", "access", "marts", "data tests", "report", "snapshot", "release"}

// crashState is what a reader can see of a work folder.
type crashState struct {
	live      string            // the release public points at
	site      map[string]string // its files: path → SHA-256
	qualite   string            // its qualite.html, normalised (normaliseQualite)
	snap      snapshotView
	db        map[string]string // the working database's tables: name → fingerprint
	maxRun    int64             // the last run id
	maxBuild  int64             // the last build of hist_departement
	inboxHash string            // SHA-256 of the inbox file (pre-kill state only)
}

// preparePreKill makes the pre-kill state in dir: a first run on the bundled
// samples (the old release and snapshot), then the inbox file the killed
// runs load.
func preparePreKill(t *testing.T, dir string) crashState {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "inbox", "assessments"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "illectro.toml"), []byte(crashConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	first := runChild(t, dir, killPlan{})
	if first.err != nil || first.killed {
		t.Fatalf("first run: %v\n%s", first.err, first.stderr())
	}

	communes, err := geo.Communes()
	if err != nil {
		t.Fatal(err)
	}
	centroids, err := geo.Centroids()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := synth.Assessments(&buf, communes, centroids, synth.AssessmentsOptions{Rows: crashInboxRows, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(dir, "inbox", "assessments", "."+crashInboxFile+".part")
	if err := os.WriteFile(part, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(part, filepath.Join(dir, "inbox", "assessments", crashInboxFile)); err != nil {
		t.Fatal(err)
	}
	st := captureState(t, t.Context(), dir)
	sum := sha256.Sum256(buf.Bytes())
	st.inboxHash = hex.EncodeToString(sum[:])
	return st
}

// captureState reads the live release, the snapshot and the database of a
// work folder; the test fails if any is unreadable.
func captureState(t *testing.T, ctx context.Context, dir string) crashState {
	t.Helper()
	var st crashState
	var err error
	if st.live, st.site, st.qualite, err = readSite(filepath.Join(dir, "public")); err != nil {
		t.Fatal(err)
	}
	if st.snap, err = readSnapshot(ctx, dir); err != nil {
		t.Fatal(err)
	}
	db, err := isql.Open(ctx, filepath.Join(dir, "illectro.duckdb"), isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st.db, err = fingerprint(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(run_id), 0) FROM runs), (SELECT coalesce(max(build_id), 0) FROM hist_departement)`).Scan(&st.maxRun, &st.maxBuild); err != nil {
		t.Fatal(err)
	}
	return st
}

// readSite resolves the link out and hashes the release it points at.
func readSite(out string) (release string, files map[string]string, qualite string, err error) {
	target, err := os.Readlink(out)
	if err != nil {
		return "", nil, "", fmt.Errorf("%s is not a symbolic link to a release: %w", out, err)
	}
	dir := target
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(out), target)
	}
	files, err = hashTree(dir)
	if err != nil {
		return "", nil, "", fmt.Errorf("%s → %s: %w", out, target, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "qualite.html"))
	if err != nil {
		return "", nil, "", fmt.Errorf("%s → %s: %w", out, target, err)
	}
	return filepath.Base(target), files, normaliseQualite(b), nil
}

// snapshotView is what the checks read of an analysts' snapshot.
type snapshotView struct {
	version string            // the folder the snapshot link points at
	dir     string            // its path
	parquet map[string]string // its Parquet files: path → SHA-256
	tables  map[string]string // its tables: name → fingerprint
}

// readSnapshot resolves the snapshot link of a work folder, hashes its
// Parquet files and fingerprints its database.
func readSnapshot(ctx context.Context, dir string) (snapshotView, error) {
	var v snapshotView
	link := filepath.Join(dir, pipeline.SnapshotName)
	var err error
	if v.version, err = os.Readlink(link); err != nil {
		return v, fmt.Errorf("snapshot %s is not a symbolic link: %w", link, err)
	}
	v.dir = filepath.Join(dir, v.version)
	if v.parquet, err = hashTree(filepath.Join(v.dir, isql.SnapshotParquetDir)); err != nil {
		return v, fmt.Errorf("snapshot %s: %w", v.version, err)
	}
	db, err := isql.Open(ctx, filepath.Join(v.dir, isql.SnapshotFile), isql.Options{ReadOnly: true})
	if err != nil {
		return v, fmt.Errorf("snapshot %s does not open: %w", v.version, err)
	}
	defer db.Close()
	var deps int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM mart_departement").Scan(&deps); err != nil || deps != 101 {
		return v, fmt.Errorf("snapshot %s: %d départements (%v), want 101", v.version, deps, err)
	}
	if v.tables, err = fingerprint(ctx, db); err != nil {
		return v, fmt.Errorf("snapshot %s: %w", v.version, err)
	}
	return v, nil
}

// snapshotDiff describes how a snapshot differs from want ("" when equal).
// A Parquet file that differs in bytes is equal if it differs only in
// volatile columns (hist_departement's built_at is the time of a build).
func snapshotDiff(ctx context.Context, got, want snapshotView) string {
	var d []string
	if m := mapDiff(got.tables, want.tables); m != "" {
		d = append(d, "tables: "+m)
	}
	var changed []string
	for p, h := range want.parquet {
		switch g, ok := got.parquet[p]; {
		case !ok:
			d = append(d, "missing parquet/"+p)
		case g != h:
			changed = append(changed, p)
		}
	}
	for p := range got.parquet {
		if _, ok := want.parquet[p]; !ok {
			d = append(d, "extra parquet/"+p)
		}
	}
	if len(changed) > 0 {
		db, err := gosql.Open("duckdb", "")
		if err != nil {
			return err.Error()
		}
		defer db.Close()
		for _, p := range changed {
			g, gerr := parquetPrint(ctx, db, filepath.Join(got.dir, isql.SnapshotParquetDir, p))
			w, werr := parquetPrint(ctx, db, filepath.Join(want.dir, isql.SnapshotParquetDir, p))
			if gerr != nil || werr != nil || g != w {
				d = append(d, fmt.Sprintf("changed parquet/%s (%s, want %s)", p, g, w))
			}
		}
	}
	return summarise(d)
}

// parquetPrint is the fingerprint of a Parquet file's rows, volatile
// columns left out.
func parquetPrint(ctx context.Context, db *gosql.DB, path string) (string, error) {
	from := "read_parquet('" + strings.ReplaceAll(path, "'", "''") + "', hive_partitioning = false)"
	rows, err := db.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+from+")")
	if err != nil {
		return "", err
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return "", err
		}
		if !volatileColumns[c] {
			cols = append(cols, `"`+c+`"`)
		}
	}
	rows.Close()
	hash := "0"
	if len(cols) > 0 {
		hash = fmt.Sprintf("coalesce(sum(hash(%s)), 0)", strings.Join(cols, ", "))
	}
	var n int64
	var sum string
	if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*), CAST(%s AS VARCHAR) FROM %s", hash, from)).Scan(&n, &sum); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d rows, hash sum %s", n, sum), nil
}

// hashTree maps every file under dir to its SHA-256, by slash-separated
// path relative to dir; a symbolic link maps to "-> target".
func hashTree(dir string) (map[string]string, error) {
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			files[rel] = "-> " + target
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	return files, err
}

// Parts of qualite.html that differ between two runs on the same data by
// design: the run history, times, and file numbers (a killed load draws
// an id that is never reused).
var qualiteVolatile = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?s)<section aria-labelledby="titre-calculs">.*?</section>`), ""},
	{regexp.MustCompile(`<tr><td class="nombre">\d+</td><td><time`), `<tr><td class="nombre">N</td><td><time`},
	{regexp.MustCompile(`<time[^>]*>[^<]*</time>`), ""},
	{regexp.MustCompile(`\d\d/\d\d/\d{4} \d\d:\d\d`), ""},
	{regexp.MustCompile(`legende-(\w+)-\d+`), "legende-$1-N"},
	{regexp.MustCompile(`n°&#160;\d+`), "n°&#160;N"},
}

// normaliseQualite removes from qualite.html what differs between runs on
// the same data, and returns the SHA-256 of the rest.
func normaliseQualite(b []byte) string {
	for _, v := range qualiteVolatile {
		b = v.re.ReplaceAll(b, []byte(v.repl))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// volatileColumns differ between two runs on the same data by design
// (times, and file ids: a killed load draws an id never reused); the
// fingerprints leave them out, and leave out the runs table.
// database_path and database_id name the database a snapshot was taken
// from (snapshot_info): each run of the harness has its own.
var volatileColumns = map[string]bool{"file_id": true, "started_at": true, "finished_at": true, "built_at": true, "taken_at": true,
	"database_path": true, "database_id": true}

// fingerprint gives every base table of db (but runs) its row count and
// an order-independent sum of its rows' hashes, volatile columns left out.
func fingerprint(ctx context.Context, db *gosql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, c.column_name
		FROM information_schema.columns AS c
		JOIN information_schema.tables AS t USING (table_catalog, table_schema, table_name)
		WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND c.table_name <> 'runs'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []string
	columns := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := columns[table]; !ok {
			tables = append(tables, table)
			columns[table] = nil
		}
		if !volatileColumns[column] {
			columns[table] = append(columns[table], `"`+column+`"`)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prints := map[string]string{}
	for _, table := range tables {
		hash := "0"
		if cols := columns[table]; len(cols) > 0 {
			hash = fmt.Sprintf("coalesce(sum(hash(%s)), 0)", strings.Join(cols, ", "))
		}
		var n int64
		var sum string
		q := fmt.Sprintf(`SELECT count(*), CAST(%s AS VARCHAR) FROM "%s"`, hash, table)
		if err := db.QueryRowContext(ctx, q).Scan(&n, &sum); err != nil {
			return nil, fmt.Errorf("fingerprint %s: %w", table, err)
		}
		prints[table] = fmt.Sprintf("%d rows, hash sum %s", n, sum)
	}
	return prints, nil
}

// inputTable tells whether a table holds what ingest stores: one file's
// load is all or nothing in all of them together.
func inputTable(name string) bool {
	return strings.HasPrefix(name, "raw_") || name == "rejects" || name == "quality_findings" || name == "ingest_files"
}

// martTable tells whether a table is built with the marts, in one
// transaction: all old or all new.
func martTable(name string) bool {
	return strings.HasPrefix(name, "mart_") || name == "hist_departement"
}

// ledgerChecks are queries that return one row per inconsistency of the
// ingest and run ledgers.
var ledgerChecks = []struct{ what, query string }{
	{"a loaded file whose rows, rejects or counts disagree with the ledger", `
		WITH raw AS (
			SELECT 'assessments' AS kind, file_id, count(*) AS n FROM raw_assessments GROUP BY ALL
			UNION ALL SELECT 'coverage', file_id, count(*) FROM raw_coverage GROUP BY ALL
			UNION ALL SELECT 'venues', file_id, count(*) FROM raw_venues GROUP BY ALL
			UNION ALL SELECT 'mediators', file_id, count(*) FROM raw_mediator_structures GROUP BY ALL
			UNION ALL SELECT 'socio', file_id, count(*) FROM raw_socio GROUP BY ALL
		), rej AS (SELECT file_id, count(*) AS n FROM rejects GROUP BY ALL)
		SELECT format('file {} {} ({}): read {}, loaded {} (raw rows {}), rejected {} (rejects {})',
		              f.file_id, f.name, f.status, f.rows_read, f.rows_loaded, coalesce(raw.n, 0), f.rows_rejected, coalesce(rej.n, 0))
		FROM ingest_files AS f
		LEFT JOIN raw ON raw.file_id = f.file_id AND raw.kind = f.kind
		LEFT JOIN rej ON rej.file_id = f.file_id
		WHERE f.rows_read <> f.rows_loaded + f.rows_rejected
		   OR coalesce(raw.n, 0) <> CASE f.status WHEN 'loaded' THEN f.rows_loaded ELSE 0 END
		   OR coalesce(rej.n, 0) <> CASE f.status WHEN 'loaded' THEN f.rows_rejected ELSE 0 END`},
	{"rows of no loaded file (orphans)", `
		WITH loaded AS (SELECT kind, file_id FROM ingest_files WHERE status = 'loaded'),
		orphans AS (
			SELECT 'raw_assessments' AS t, count(*) AS n FROM raw_assessments WHERE file_id NOT IN (SELECT file_id FROM loaded WHERE kind = 'assessments')
			UNION ALL SELECT 'raw_coverage', count(*) FROM raw_coverage WHERE file_id NOT IN (SELECT file_id FROM loaded WHERE kind = 'coverage')
			UNION ALL SELECT 'raw_venues', count(*) FROM raw_venues WHERE file_id NOT IN (SELECT file_id FROM loaded WHERE kind = 'venues')
			UNION ALL SELECT 'raw_mediator_structures', count(*) FROM raw_mediator_structures WHERE file_id NOT IN (SELECT file_id FROM loaded WHERE kind = 'mediators')
			UNION ALL SELECT 'raw_socio', count(*) FROM raw_socio WHERE file_id NOT IN (SELECT file_id FROM loaded WHERE kind = 'socio')
			UNION ALL SELECT 'rejects', count(*) FROM rejects WHERE file_id NOT IN (SELECT file_id FROM loaded)
			UNION ALL SELECT 'quality_findings', count(*) FROM quality_findings WHERE file_id NOT IN (SELECT file_id FROM loaded)
		)
		SELECT format('{}: {} rows', t, n) FROM orphans WHERE n > 0`},
	{"the same bytes loaded twice", `
		SELECT format('{} {}: loaded as files {}', kind, sha256, string_agg(file_id::VARCHAR, ', ' ORDER BY file_id))
		FROM ingest_files WHERE status = 'loaded' GROUP BY kind, sha256 HAVING count(*) > 1`},
	{"a run claiming success without a release", `
		SELECT format('run {}', run_id) FROM runs WHERE status IN ('succeeded', 'unchanged') AND coalesce(release, '') = ''`},
	{"a run of unknown status", `
		SELECT format('run {}: {}', run_id, status) FROM runs WHERE status NOT IN ('running', 'succeeded', 'unchanged', 'failed')`},
	{"more than one run still running", `
		SELECT format('runs {}', string_agg(run_id::VARCHAR, ', ')) FROM runs WHERE status = 'running' HAVING count(*) > 1`},
}

// dbView is what the checks read of a working database.
type dbView struct {
	tables      map[string]string // fingerprints
	ledger      []string          // inconsistencies found by ledgerChecks
	runs        map[int64]runRow
	maxBuild    int64
	inboxLoaded bool // the inbox file is in ingest_files
}

type runRow struct{ status, err, release string }

// readDB opens a working database read-only, as an analyst would after a
// crash, and reads it: opening does not change what the next run finds.
func readDB(ctx context.Context, path, inboxHash string) (dbView, error) {
	var v dbView
	db, err := isql.Open(ctx, path, isql.Options{ReadOnly: true})
	if err != nil {
		return v, fmt.Errorf("the database does not open: %w", err)
	}
	defer db.Close()
	if v.tables, err = fingerprint(ctx, db); err != nil {
		return v, err
	}
	for _, c := range ledgerChecks {
		rows, err := db.QueryContext(ctx, c.query)
		if err != nil {
			return v, fmt.Errorf("ledger check %q: %w", c.what, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return v, err
			}
			v.ledger = append(v.ledger, c.what+": "+s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v, err
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT run_id, status, coalesce(error, ''), coalesce(release, '') FROM runs`)
	if err != nil {
		return v, err
	}
	v.runs = map[int64]runRow{}
	for rows.Next() {
		var id int64
		var r runRow
		if err := rows.Scan(&id, &r.status, &r.err, &r.release); err != nil {
			rows.Close()
			return v, err
		}
		v.runs[id] = r
	}
	rows.Close()
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(build_id), 0) FROM hist_departement`).Scan(&v.maxBuild); err != nil {
		return v, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM ingest_files WHERE sha256 = ? AND status = 'loaded'`, inboxHash).Scan(&v.inboxLoaded); err != nil {
		return v, err
	}
	return v, nil
}

// checkAfterKill checks a work folder just after a kill, and tells the
// stage the child was in.
func checkAfterKill(ctx context.Context, dir string, got childRun, ref childRun, old, want crashState) (stage string, leftovers, problems []string) {
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// (1), (2): the database opens; the ledger is consistent; inputs and
	// marts are each all old or all new.
	view, err := readDB(ctx, filepath.Join(dir, "illectro.duckdb"), old.inboxHash)
	if err != nil {
		fail("%v", err)
	}
	problems = append(problems, view.ledger...)
	if view.tables != nil {
		inputs, marts := "", ""
		for _, name := range slices.Sorted(maps.Keys(view.tables)) {
			fp := view.tables[name]
			side := ""
			switch fp {
			case old.db[name]:
				side = "old"
				if fp == want.db[name] {
					continue // the run does not change this table
				}
			case want.db[name]:
				side = "new"
			default:
				fail("table %s = %s, want as before the run (%s) or after it (%s)", name, fp, old.db[name], want.db[name])
				continue
			}
			switch {
			case inputTable(name) && inputs == "":
				inputs = side
			case inputTable(name) && inputs != side:
				fail("table %s is %s while other input tables are %s: a load was not all or nothing", name, side, inputs)
			case martTable(name) && marts == "":
				marts = side
			case martTable(name) && marts != side:
				fail("table %s is %s while other mart tables are %s: the marts were not built all or nothing", name, side, marts)
			}
		}
		if inputs == "old" && marts == "new" {
			fail("new marts on old inputs")
		}
	}
	killedID := old.maxRun + 1
	killedRun, recorded := view.runs[killedID]
	if len(view.runs) > int(killedID) {
		fail("%d runs recorded, want at most %d", len(view.runs), killedID)
	}

	// (3): public is the old release or the new one, whole; so is every
	// release folder.
	live, site, qualite, err := readSite(filepath.Join(dir, "public"))
	switch {
	case err != nil:
		fail("%v", err)
	case live == old.live:
		if d := treeDiff(site, old.site, false); d != "" {
			fail("public is the old release %s, but changed: %s", live, d)
		}
	default:
		if d := treeDiff(site, want.site, true); d != "" || qualite != want.qualite {
			fail("public is %s, neither the old release %s nor the new one: %s (qualite.html normalised equal: %v)", live, old.live, d, qualite == want.qualite)
		}
		if recorded && killedRun.status != "running" && killedRun.status != "failed" && killedRun.release != live {
			fail("run %d succeeded with release %q, but %q is live", killedID, killedRun.release, live)
		}
	}
	if recorded && killedRun.status != "running" && killedRun.status != "failed" && live == old.live {
		fail("run %d is recorded as %s, but the old release is still live", killedID, killedRun.status)
	}
	releases, err := os.ReadDir(filepath.Join(dir, "releases"))
	if err != nil {
		fail("releases: %v", err)
	}
	for _, e := range releases {
		if strings.HasPrefix(e.Name(), ".") {
			continue // a temporary folder: checked after the recovery run
		}
		files, err := hashTree(filepath.Join(dir, "releases", e.Name()))
		if err != nil {
			fail("release %s: %v", e.Name(), err)
			continue
		}
		if treeDiff(files, old.site, false) != "" && treeDiff(files, want.site, true) != "" {
			fail("release folder %s is neither the old release nor the new one: %s", e.Name(), treeDiff(files, want.site, true))
		}
	}

	// (4): the snapshot is the old one or the new one, and opens.
	snap, err := readSnapshot(ctx, dir)
	switch {
	case err != nil:
		fail("%v", err)
	case snap.version == old.snap.version:
		if d := snapshotDiff(ctx, snap, old.snap); d != "" {
			fail("the old snapshot %s changed: %s", snap.version, d)
		}
	default:
		if d := snapshotDiff(ctx, snap, want.snap); d != "" {
			fail("snapshot %s differs from the reference run's: %s", snap.version, d)
		}
	}

	// The stage, from the log and what is on disk; and what the log says
	// is done must be durable.
	done := map[string]bool{}
	lastDone, filesSeen := "", 0
	for _, l := range got.lines {
		switch {
		case l.msg == "stage done":
			done[l.stage], lastDone = true, l.stage
		case l.file != "":
			filesSeen++
		}
	}
	reached := func(stage string) bool { // stage or a later one is done
		i := slices.Index(runStages, stage)
		for _, s := range runStages[i:] {
			if done[s] {
				return true
			}
		}
		return false
	}
	if reached("ingest") && !view.inboxLoaded {
		fail("the ingest stage was logged done, but %s is not in the ledger", crashInboxFile)
	}
	if reached("marts") && view.maxBuild <= old.maxBuild {
		fail("the marts stage was logged done, but hist_departement has no new build")
	}
	if reached("snapshot") && snap.version == old.snap.version {
		fail("the snapshot stage was logged done, but the snapshot is the old one")
	}
	if reached("release") && live == old.live {
		fail("the release stage was logged done, but the old release is live")
	}
	if !recorded && lastDone != "" {
		fail("the run logged its progress but is not in the runs table")
	}
	switch {
	case !got.killed:
		stage = "ran to its end"
	case lastDone == "release" || lastDone == "unchanged":
		stage = "run ledger and exit"
	case lastDone == "snapshot" && live != old.live:
		stage = "release pruning"
	case lastDone == "snapshot":
		stage = "release switch"
	case lastDone == "report":
		stage = "snapshot"
	case lastDone == "data tests":
		stage = "report"
	case lastDone == "marts":
		stage = "data tests"
	case lastDone == "access":
		stage = "marts"
	case lastDone == "views":
		stage = "access"
	case lastDone == "ingest":
		stage = "fingerprint and views"
	case lastDone == "reference" && view.inboxLoaded:
		stage = "inbox move"
	case lastDone == "reference":
		stage = "ingest " + crashInboxFile
		if files := ref.inputFiles(); filesSeen < len(files) && files[filesSeen] != crashInboxFile {
			stage = "samples (already loaded)"
		}
	case lastDone != "":
		stage = "after " + lastDone
	case recorded:
		stage = "reference tables"
	default:
		stage = "startup"
	}

	// What the kill left for the next run to clean up.
	for _, d := range []string{dir, filepath.Join(dir, "releases")} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			n := e.Name()
			if strings.HasPrefix(n, ".") ||
				(d != dir && n != live) ||
				(strings.HasPrefix(n, pipeline.SnapshotName+".") && n != old.snap.version && n != snap.version) {
				leftovers = append(leftovers, n)
			}
		}
	}
	return stage, leftovers, problems
}

// checkRecovered checks a work folder after a run that ended well: the
// database holds exactly the reference run's data, the ledgers agree,
// public and the snapshot are the reference run's, byte for byte, and
// nothing is left of a killed run.
func checkRecovered(ctx context.Context, dir string, rec childRun, old, want crashState) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	view, err := readDB(ctx, filepath.Join(dir, "illectro.duckdb"), old.inboxHash)
	if err != nil {
		return []string{err.Error()}
	}
	problems = append(problems, view.ledger...)
	if d := mapDiff(view.tables, want.db); d != "" {
		fail("tables differ from the reference run's (rows lost or duplicated?): %s", d)
	}
	live, site, qualite, err := readSite(filepath.Join(dir, "public"))
	if err != nil {
		fail("%v", err)
	} else {
		if d := treeDiff(site, want.site, true); d != "" {
			fail("the site differs from the reference run's: %s", d)
		}
		if qualite != want.qualite {
			fail("qualite.html differs from the reference run's beyond run history, times and file numbers")
		}
	}
	if len(view.runs) == 0 {
		return append(problems, "no run recorded")
	}
	last := slices.Max(slices.Collect(maps.Keys(view.runs)))
	for id, r := range view.runs {
		if r.status == "running" {
			fail("run %d is still marked running", id)
		}
		if id > old.maxRun && id < last && r.status == "failed" && !strings.HasPrefix(r.err, "interrupted") {
			fail("the killed run %d failed with %q, want it marked interrupted", id, r.err)
		}
	}
	if r := view.runs[last]; (r.status != "succeeded" && r.status != "unchanged") || r.release != live {
		fail("the last run %d is %s with release %q, want succeeded (or unchanged) with the live release %q", last, r.status, r.release, live)
	}
	if !strings.Contains(rec.stdout, live) {
		fail("the run did not print the live release %s: %q", live, rec.stdout)
	}

	// What a kill leaves is cleaned up: temporary folders and links, the
	// killed run's unpublished release and snapshot; keep_releases = 1.
	releases, _ := os.ReadDir(filepath.Join(dir, "releases"))
	releases = slices.DeleteFunc(releases, func(e os.DirEntry) bool { return e.Name() == ".illectro-database" }) // its owner
	if len(releases) != 1 || releases[0].Name() != live {
		var names []string
		for _, e := range releases {
			names = append(names, e.Name())
		}
		fail("releases/ holds %v, want only the live release %s", names, live)
	}
	entries, _ := os.ReadDir(dir)
	versions := 0
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, "."):
			fail("%s left in the work folder", n)
		case n == "illectro.duckdb.wal":
			fail("%s left in the work folder", n)
		case strings.HasPrefix(n, pipeline.SnapshotName+"."):
			versions++
		}
	}
	if versions > 2 {
		fail("%d snapshot versions kept, want the current and the previous one", versions)
	}
	snap, err := readSnapshot(ctx, dir)
	switch {
	case err != nil:
		fail("%v", err)
	case snap.version == old.snap.version:
		fail("the snapshot is still the old one, %s", snap.version)
	default:
		if d := snapshotDiff(ctx, snap, want.snap); d != "" {
			fail("snapshot %s differs from the reference run's: %s", snap.version, d)
		}
	}
	inbox := filepath.Join(dir, "inbox", "assessments")
	if _, err := os.Stat(filepath.Join(inbox, crashInboxFile)); err == nil {
		fail("%s is still in the inbox", crashInboxFile)
	}
	// Loaded, it is deleted (keep_loaded_assessments is off): it held
	// respondents' ids.
	if _, err := os.Stat(filepath.Join(inbox, "processed", crashInboxFile)); err == nil {
		fail("%s was kept in processed/, want it deleted once loaded", crashInboxFile)
	}
	if _, err := os.Stat(filepath.Join(inbox, "failed")); err == nil {
		fail("an inbox file was refused")
	}
	return problems
}

// treeDiff describes how two hashed trees differ ("" when equal); with
// lenient, qualite.html is left out (it is compared normalised).
func treeDiff(got, want map[string]string, lenient bool) string {
	var d []string
	for p, h := range want {
		if lenient && p == "qualite.html" {
			continue
		}
		switch g, ok := got[p]; {
		case !ok:
			d = append(d, "missing "+p)
		case g != h:
			d = append(d, "changed "+p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			d = append(d, "extra "+p)
		}
	}
	return summarise(d)
}

// mapDiff describes how two fingerprint maps differ ("" when equal).
func mapDiff(got, want map[string]string) string {
	var d []string
	for k, w := range want {
		switch g, ok := got[k]; {
		case !ok:
			d = append(d, "missing "+k)
		case g != w:
			d = append(d, fmt.Sprintf("%s: %s, want %s", k, g, w))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "extra "+k)
		}
	}
	return summarise(d)
}

func summarise(d []string) string {
	slices.Sort(d)
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("and %d more", len(d)-5))
	}
	return strings.Join(d, "; ")
}

// copyState copies the work folder src to dst. The top-level files (the
// database, its lock, the configuration) are copied, as a run writes them
// in place; everything else (releases, snapshots, inbox files) is
// hard-linked, as a run only adds, renames or removes such files.
func copyState(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case filepath.Dir(rel) == ".":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		default:
			return os.Link(p, target)
		}
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// killPlan says when to kill a child: delay after its start, or after the
// log line anchor (a logLine key).
type killPlan struct {
	kill   bool
	anchor string
	delay  time.Duration
}

func (p killPlan) String() string {
	if p.anchor == "" {
		return fmt.Sprintf("kill %s after the start", p.delay.Round(time.Millisecond))
	}
	return fmt.Sprintf("kill %s after %q", p.delay.Round(100*time.Microsecond), p.anchor)
}

// logLine is one line of the child's JSON log, with when the harness read it.
type logLine struct {
	at    time.Duration // since the child's start
	msg   string
	file  string // the "file" attribute, when there is one
	stage string // the "stage" attribute, when there is one
}

// key names the line for kill plans: the message, and the file or stage.
func (l logLine) key() string {
	switch {
	case l.file != "":
		return l.msg + " " + l.file
	case l.stage != "":
		return l.msg + " " + l.stage
	}
	return l.msg
}

// childRun is how a child `illectro run` went.
type childRun struct {
	lines    []logLine
	raw      []string // stderr, line by line
	stdout   string
	killed   bool
	killedAt time.Duration
	took     time.Duration
	err      error
}

func (c childRun) stderr() string { return strings.Join(c.raw, "\n") }

// inputFiles are the files the run logged as loaded or skipped, in order.
func (c childRun) inputFiles() []string {
	var files []string
	for _, l := range c.lines {
		if l.file != "" {
			files = append(files, l.file)
		}
	}
	return files
}

// window is a part of a run between two log lines.
type window struct {
	from   string // key of the line it starts after; "" for the start
	to     string
	length time.Duration
}

// timeline splits a complete run into windows between its log lines;
// lines less than a millisecond apart, and the lines of files skipped one
// after another, open one window.
func (c childRun) timeline() []window {
	var ws []window
	from, at := "", time.Duration(0)
	for i, l := range c.lines {
		next := c.took
		if i+1 < len(c.lines) {
			next = c.lines[i+1].at
		}
		skipped := l.msg == "file already loaded, skipped" && i+1 < len(c.lines) && c.lines[i+1].msg == l.msg
		if skipped || next-l.at < time.Millisecond {
			continue
		}
		ws = append(ws, window{from: from, to: l.key(), length: l.at - at})
		from, at = l.key(), l.at
	}
	return append(ws, window{from: from, to: "exit", length: c.took - at})
}

func (w window) String() string {
	return fmt.Sprintf("%s: %s", w.to, w.length.Round(time.Millisecond))
}

// drawKills draws n kill plans: even ones uniform over [0, 1.05·took]
// after the start (stratified), odd ones uniform within a window of the
// reference timeline, after the line that opens it, windows taken in a
// shuffled order.
func drawKills(rng *rand.Rand, n int, took time.Duration, ws []window) []killPlan {
	plans := make([]killPlan, n)
	uniform := (n + 1) / 2
	strata := rng.Perm(uniform)
	order := rng.Perm(len(ws))
	for i := range plans {
		if i%2 == 0 {
			s := float64(strata[i/2]) + rng.Float64()
			plans[i] = killPlan{kill: true, delay: time.Duration(s / float64(uniform) * 1.05 * float64(took))}
			continue
		}
		w := ws[order[(i/2)%len(ws)]]
		plans[i] = killPlan{kill: true, anchor: w.from, delay: time.Duration(rng.Float64() * float64(w.length))}
	}
	return plans
}

// runChild runs `illectro run --config illectro.toml` in dir as a child
// process (this test binary, see TestMain), in its own process group, and
// kills the group with SIGKILL as plan says. The log lines are read as
// they come, to place anchored kills.
func runChild(t *testing.T, dir string, plan killPlan) childRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), crashChildEnv+"=run\x1f--config\x1fillectro.toml", "ILLECTRO_HMAC_KEY="+crashHMACKey)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

	type line struct {
		at   time.Duration
		text string
	}
	lines := make(chan line)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			lines <- line{time.Since(start), sc.Text()}
		}
		io.Copy(io.Discard, pipe)
		close(lines)
	}()

	var res childRun
	var timer <-chan time.Time
	if plan.kill && plan.anchor == "" {
		timer = time.After(plan.delay)
	}
	limit := time.After(10 * time.Minute)
	for open := true; open; {
		select {
		case l, ok := <-lines:
			if !ok {
				open = false
				break
			}
			res.raw = append(res.raw, l.text)
			var rec struct {
				Msg   string `json:"msg"`
				File  string `json:"file"`
				Stage string `json:"stage"`
			}
			if json.Unmarshal([]byte(l.text), &rec) != nil || rec.Msg == "" {
				continue
			}
			ll := logLine{at: l.at, msg: rec.Msg, file: rec.File, stage: rec.Stage}
			res.lines = append(res.lines, ll)
			if plan.kill && plan.anchor != "" && timer == nil && !res.killed && ll.key() == plan.anchor {
				timer = time.After(plan.delay)
			}
		case <-timer:
			kill()
			res.killed, res.killedAt = true, time.Since(start)
			timer = nil
		case <-limit:
			kill()
			t.Errorf("the child in %s ran for 10 minutes: killed", dir)
			limit = nil
		}
	}
	res.err = cmd.Wait()
	res.took = time.Since(start)
	res.stdout = stdout.String()
	if res.killed && res.err == nil {
		// The child ended on its own just before the kill.
		res.killed = false
	}
	return res
}

// checkTheChecks breaks copies of the reference run's folder in ways a
// faulty pipeline could, and checks that the checks after a kill, and
// after a recovery run, report each break. Breaks of different things (the
// site, the snapshot, the database) share a folder: each is reported by
// its own check.
func checkTheChecks(t *testing.T, root, refDir string, refRun childRun, old, want crashState) {
	ctx := t.Context()
	type brk struct {
		name                    string
		apply                   func(dir string) error
		afterKill, afterRecover []string // what each report must mention
	}
	folders := [][]brk{{
		{"a changed page in the live release", func(dir string) error {
			return appendTo(filepath.Join(dir, "public", "departements", "59.html"), "<!-- half -->")
		}, []string{"changed departements/59.html"}, []string{"changed departements/59.html"}},
		{"a changed Parquet file in the snapshot", func(dir string) error {
			for _, p := range slices.Sorted(maps.Keys(want.snap.parquet)) {
				if strings.HasPrefix(p, "mart_") {
					return appendTo(filepath.Join(dir, pipeline.SnapshotName, isql.SnapshotParquetDir, p), "x")
				}
			}
			return errors.New("no mart in the snapshot's Parquet files")
		}, []string{"snapshot " + want.snap.version + " differs"}, []string{"changed parquet/mart_"}},
		{"a raw row duplicated, rows left by a load without its ledger row, a run recorded as succeeded without a release", func(dir string) error {
			return execSQL(ctx, filepath.Join(dir, "illectro.duckdb"),
				"INSERT INTO raw_coverage SELECT * FROM raw_coverage LIMIT 1",
				"DELETE FROM ingest_files WHERE name = '"+crashInboxFile+"'",
				"UPDATE runs SET release = NULL WHERE run_id = (SELECT max(run_id) FROM runs)")
		}, []string{"disagree with the ledger: file 1 ", "(orphans): raw_assessments", "without a release"},
			[]string{"tables differ from the reference run's", "(orphans): raw_assessments", "without a release"}},
		{"a temporary release folder left", func(dir string) error {
			return os.Mkdir(filepath.Join(dir, "releases", ".20260101T000000-run9.tmp-1"), 0o755)
		}, nil, []string{".20260101T000000-run9.tmp-1"}},
	}, {
		{"public pointing at a half-written release", func(dir string) error {
			live, _ := os.Readlink(filepath.Join(dir, "public"))
			tmp := filepath.Join(dir, "releases", ".half.tmp-1")
			if err := os.Rename(filepath.Join(dir, live), tmp); err != nil {
				return err
			}
			if err := os.Remove(filepath.Join(tmp, "index.html")); err != nil {
				return err
			}
			return publish.SwitchLink(filepath.Join(dir, "public"), tmp)
		}, []string{"neither the old release"}, []string{"missing index.html", ".half.tmp-1"}},
	}}
	for i, breaks := range folders {
		dir := filepath.Join(root, fmt.Sprintf("broken%d", i))
		copyState(t, refDir, dir)
		for _, b := range breaks {
			if err := b.apply(dir); err != nil {
				t.Fatalf("%s: %v", b.name, err)
			}
		}
		_, _, problems := checkAfterKill(ctx, dir, childRun{killed: true}, refRun, old, want)
		afterKill := strings.Join(problems, "\n")
		afterRecover := strings.Join(checkRecovered(ctx, dir, refRun, old, want), "\n")
		for _, b := range breaks {
			for _, w := range b.afterKill {
				if !strings.Contains(afterKill, w) {
					t.Errorf("%s: the checks after a kill do not report %q:\n%s", b.name, w, afterKill)
				}
			}
			for _, w := range b.afterRecover {
				if !strings.Contains(afterRecover, w) {
					t.Errorf("%s: the checks after recovery do not report %q:\n%s", b.name, w, afterRecover)
				}
			}
		}
		os.RemoveAll(dir)
	}
}

// appendTo appends s to a copy of the file at path that replaces it: the
// file may be a hard link of another folder's.
func appendTo(path, s string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, s...), 0o644)
}

// execSQL runs statements on the database at path.
func execSQL(ctx context.Context, path string, statements ...string) error {
	db, err := isql.Open(ctx, path, isql.Options{})
	if err != nil {
		return err
	}
	for _, q := range statements {
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return db.Close()
}

// pruneChildEnv makes TestKillWhilePruningKeepsReleasesWhole, in a child
// process, prune the releases of the folder it names.
const pruneChildEnv = "ILLECTRO_TEST_PRUNE_CHILD"

// TestKillWhilePruningKeepsReleasesWhole kills a process with SIGKILL while
// it removes an old release (pruneReleases): every folder left under a
// release's name must be whole, as an operator may roll back to it, and
// the next pruning removes what the kill left.
func TestKillWhilePruningKeepsReleasesWhole(t *testing.T) {
	const old, live = "20260101T000000-run1", "20260102T000000-run2"
	if root := os.Getenv(pruneChildEnv); root != "" {
		if err := pipeline.PruneReleases(root, 1, live); err != nil {
			t.Fatal(err)
		}
		return
	}
	root := t.TempDir()
	const dirs, files = 50, 200 // removing 10 000 files takes a while
	for d := range dirs {
		dir := filepath.Join(root, old, fmt.Sprintf("d%02d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range files {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.html", f)), []byte("<p>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(root, live), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, live, "index.html"), []byte("<p>"), 0o644); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillWhilePruningKeepsReleasesWhole$")
	cmd.Env = append(os.Environ(), pruneChildEnv+"="+root)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Kill as soon as the removal has begun: the old release is renamed
	// away, or one of its folders is gone.
	for deadline := time.Now().Add(time.Minute); ; {
		entries, err := os.ReadDir(filepath.Join(root, old))
		if err != nil || len(entries) < dirs {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child never began to prune")
		}
		time.Sleep(100 * time.Microsecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	if err := <-done; err == nil {
		t.Fatal("the pruning ended before the kill: make the old release larger")
	}

	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case strings.HasPrefix(n, "."), n == live:
		case n == old:
			if tree, err := hashTree(filepath.Join(root, old)); err != nil || len(tree) != dirs*files {
				t.Errorf("after a kill while pruning, release %s holds %d of its %d files (%v)", old, len(tree), dirs*files, err)
			}
		default:
			t.Errorf("after a kill while pruning, %s is in the releases folder", n)
		}
	}
	if err := pipeline.PruneReleases(root, 1, live); err != nil {
		t.Fatal(err)
	}
	entries, _ = os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != live {
		t.Errorf("the next pruning left %v, want only %s", entries, live)
	}
}
