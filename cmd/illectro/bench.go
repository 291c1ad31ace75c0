package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
)

const benchUsage = "bench ingest [--rows N] [--seed S] [--dir DIR]\n       illectro bench run [--assessments N] [--venues N] [--defects F] [--seed S] [--dir DIR]"

func benchCmd(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && args[0] == "run" {
		return benchRunCmd(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "ingest" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.stdout, "Usage: illectro "+benchUsage)
			return errHelp
		}
		return usagef("bench: want 'illectro %s'", benchUsage)
	}
	fs := newFlags("bench ingest", "bench ingest [--rows N] [--seed S] [--dir DIR]")
	rows := fs.Int("rows", 1_000_000, "rows of synthetic assessments to generate and load")
	seed := fs.Uint64("seed", 1, "random seed of the generated file")
	dir := fs.String("dir", "", "working folder (default: a temporary folder, removed afterwards)")
	if err := fs.parse(env, args[1:]); err != nil {
		return err
	}
	if *rows <= 0 {
		return usagef("bench ingest: --rows must be positive")
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "illectro-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	return benchIngest(ctx, env, work, *rows, *seed)
}

// benchIngest generates a file, then loads it with our validated,
// pseudonymised, scored path and with DuckDB's read_csv, each into a fresh
// database closed (checkpointed) before the clock stops, and prints both
// rates, their ratio and each phase's peak memory.
func benchIngest(ctx context.Context, env *environment, work string, rows int, seed uint64) error {
	csvPath := filepath.Join(work, "assessments.csv")
	start := time.Now()
	if err := writeAtomically(csvPath, func(w *bufio.Writer) error {
		return genAssessments(w, synth.AssessmentsOptions{Rows: rows, Seed: seed})
	}); err != nil {
		return err
	}
	st, err := os.Stat(csvPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "generated %d rows (%d MB) in %s\n", rows, st.Size()>>20, time.Since(start).Round(time.Millisecond))
	ref, err := ingest.LoadReference()
	if err != nil {
		return err
	}
	ours, oursPeak, err := benchOurs(ctx, env, filepath.Join(work, "ours.duckdb"), csvPath, ref, rows, isql.Options{})
	if err != nil {
		return err
	}
	oursDef, oursDefPeak, err := benchOurs(ctx, env, filepath.Join(work, "ours_defaults.duckdb"), csvPath, ref, rows, isql.Options{DuckDBDefaults: true})
	if err != nil {
		return err
	}
	base, basePeak, err := benchReadCSV(ctx, filepath.Join(work, "read_csv.duckdb"), csvPath, isql.Options{})
	if err != nil {
		return err
	}
	defBase, defPeak, err := benchReadCSV(ctx, filepath.Join(work, "read_csv_defaults.duckdb"), csvPath, isql.Options{DuckDBDefaults: true})
	if err != nil {
		return err
	}

	rate := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	line := func(what string, d time.Duration, peak int64) {
		fmt.Fprintf(env.stdout, "%s:\n    %s, %.2f M rows/s, peak RSS %s\n", what, d.Round(time.Millisecond), rate(d)/1e6, mib(peak))
	}
	line("illectro ingest (validated, pseudonymised, scored; "+ingest.SinkName+"), illectro's settings (preserve_insertion_order=false)", ours, oursPeak)
	line("DuckDB read_csv, typed columns, no validation, illectro's settings", base, basePeak)
	line("illectro ingest, DuckDB's default settings", oursDef, oursDefPeak)
	line("DuckDB read_csv, typed columns, no validation, DuckDB's default settings", defBase, defPeak)
	fmt.Fprintf(env.stdout, "ratio illectro / read_csv, same settings: %.2f× (illectro's), %.2f× (DuckDB defaults); illectro's settings / read_csv at defaults: %.2f×; %d cores, GOMAXPROCS %d\n",
		rate(ours)/rate(base), rate(oursDef)/rate(defBase), rate(ours)/rate(defBase), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	return nil
}

// benchOurs loads the file with illectro's path into a new database, closed
// (checkpointed) before the clock stops, and checks that every row was
// either loaded or rejected.
func benchOurs(ctx context.Context, env *environment, dbPath, csvPath string, ref *ingest.Reference, rows int, opt isql.Options) (time.Duration, int64, error) {
	runtime.GC()
	resetPeakRSS()
	start := time.Now()
	db, err := isql.Open(ctx, dbPath, opt)
	if err != nil {
		return 0, 0, err
	}
	l := newLoader(env, db, ref, []byte("illectro-benchmark-key-not-secret"), nil)
	l.Log = nil
	l.Progress = nil
	res, err := l.Load(ctx, ingest.Assessments, ingest.OSFile(csvPath))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	d, peak := time.Since(start), peakRSS()
	if res.Loaded+res.Rejected != int64(rows) {
		return 0, 0, fmt.Errorf("bench: loaded %d + rejected %d rows of %d", res.Loaded, res.Rejected, rows)
	}
	return d, peak, nil
}

// benchReadCSV loads the file with DuckDB's read_csv into a new database,
// closed (checkpointed) before the clock stops.
func benchReadCSV(ctx context.Context, dbPath, csvPath string, opt isql.Options) (time.Duration, int64, error) {
	resetPeakRSS()
	start := time.Now()
	db, err := isql.Open(ctx, dbPath, opt)
	if err != nil {
		return 0, 0, err
	}
	quoted := "'" + strings.ReplaceAll(csvPath, "'", "''") + "'"
	_, err = db.ExecContext(ctx, fmt.Sprintf(isql.BenchReadCSV, quoted))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bench: read_csv baseline: %w", err)
	}
	return time.Since(start), peakRSS(), nil
}

func mib(b int64) string {
	if b <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%d MiB", b>>20)
}

// resetPeakRSS returns freed Go memory to the system (the generator's heap
// would otherwise be counted in the next phase), then resets the kernel's
// high-water mark of this process's resident memory (Linux; elsewhere the
// figures read "unknown").
func resetPeakRSS() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS reads the high-water mark of resident memory since the last reset.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
