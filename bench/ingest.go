// Package bench measures illectro: the assessments ingest against DuckDB's
// own CSV reader (Ingest), and whole pipeline runs on a synthetic France
// (Run). The commands 'illectro bench ingest' and 'illectro bench run'
// parse their flags and call them.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
)

// Ingest generates a file, then loads it with our validated,
// pseudonymised, scored path (under illectro's settings, which are DuckDB's
// defaults) and with DuckDB's read_csv, at DuckDB's defaults and with
// insertion order off (read_csv's fastest), each into a fresh database closed
// (checkpointed) before the clock stops. It does so repeat rounds, each in a
// rotated order so that a slow spell of the machine does not always fall on
// the same load, and prints each load's median time and rate, the ratios of
// the medians and each load's highest peak memory.
func Ingest(ctx context.Context, w io.Writer, work string, rows, repeat int, seed uint64) error {
	csvPath := filepath.Join(work, "assessments.csv")
	start := time.Now()
	if err := atomicfile.Write(csvPath, 0o644, func(bw *bufio.Writer) error {
		return synth.FromEmbedded(bw, synth.AssessmentsOptions{Rows: rows, Seed: seed}, synth.Assessments)
	}); err != nil {
		return err
	}
	st, err := os.Stat(csvPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "generated %d rows (%d MB) in %s\n", rows, st.Size()>>20, time.Since(start).Round(time.Millisecond))
	ref, err := ingest.LoadReference()
	if err != nil {
		return err
	}
	loads := []*benchLoad{
		{label: "illectro ingest (validated, pseudonymised, scored; " + ingest.SinkName + "), illectro's settings (DuckDB's defaults)",
			run: func(db string) (time.Duration, int64, error) {
				return benchOurs(ctx, db, csvPath, ref, rows, isql.Options{})
			}},
		{label: "DuckDB read_csv, typed columns, no validation, DuckDB's default settings",
			run: func(db string) (time.Duration, int64, error) { return benchReadCSV(ctx, db, csvPath, isql.Options{}) }},
		{label: "DuckDB read_csv, typed columns, no validation, preserve_insertion_order=false",
			run: func(db string) (time.Duration, int64, error) {
				return benchReadCSV(ctx, db, csvPath, isql.Options{InsertionOrderOff: true})
			}},
	}
	for r := range repeat {
		for i := range loads {
			l := loads[(i+r)%len(loads)]
			db := filepath.Join(work, fmt.Sprintf("load%d.duckdb", i))
			d, peak, err := l.run(db)
			os.Remove(db) // the next load starts from a fresh database, and the disk does not fill
			os.Remove(db + ".wal")
			if err != nil {
				return err
			}
			l.times = append(l.times, d)
			l.peak = max(l.peak, peak)
		}
	}

	rate := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	for _, l := range loads {
		m := l.median()
		fmt.Fprintf(w, "%s:\n    %s, %.2f M rows/s, peak RSS %s", l.label, m.Round(time.Millisecond), rate(m)/1e6, MiB(l.peak))
		if repeat > 1 {
			fmt.Fprintf(w, " (median of %d; %s–%s)", repeat, slices.Min(l.times).Round(time.Millisecond), slices.Max(l.times).Round(time.Millisecond))
		}
		fmt.Fprintln(w)
	}
	ours, shipped, orderOff := loads[0].median(), loads[1].median(), loads[2].median()
	fmt.Fprintf(w, "ratios illectro / read_csv: at DuckDB's defaults %.2f×; against read_csv with insertion order off %.2f×; %d cores, GOMAXPROCS %d\n",
		rate(ours)/rate(shipped), rate(ours)/rate(orderOff), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	return nil
}

// benchLoad is one of the loads bench ingest compares, and its times.
type benchLoad struct {
	label string
	run   func(dbPath string) (time.Duration, int64, error)
	times []time.Duration
	peak  int64 // the highest of its peak RSS
}

// median is the median time; the mean of the middle two for an even count.
func (l *benchLoad) median() time.Duration {
	t := slices.Sorted(slices.Values(l.times))
	n := len(t)
	if n%2 == 1 {
		return t[n/2]
	}
	return (t[n/2-1] + t[n/2]) / 2
}

// benchOurs loads the file with illectro's path into a new database, closed
// (checkpointed) before the clock stops, and checks that every row was
// either loaded or rejected.
func benchOurs(ctx context.Context, dbPath, csvPath string, ref *ingest.Reference, rows int, opt isql.Options) (time.Duration, int64, error) {
	runtime.GC()
	pipeline.ResetPeakRSS()
	start := time.Now()
	db, err := isql.Open(ctx, dbPath, opt)
	if err != nil {
		return 0, 0, err
	}
	l := pipeline.NewLoader(db, ref, []byte("illectro-benchmark-key-not-secret"), nil, nil, nil)
	res, err := l.Load(ctx, ingest.Assessments, ingest.OSFile(csvPath))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	d, peak := time.Since(start), pipeline.PeakRSS()
	if res.Loaded+res.Rejected != int64(rows) {
		return 0, 0, fmt.Errorf("bench: loaded %d + rejected %d rows of %d", res.Loaded, res.Rejected, rows)
	}
	return d, peak, nil
}

// benchReadCSV loads the file with DuckDB's read_csv into a new database,
// closed (checkpointed) before the clock stops.
func benchReadCSV(ctx context.Context, dbPath, csvPath string, opt isql.Options) (time.Duration, int64, error) {
	pipeline.ResetPeakRSS()
	start := time.Now()
	db, err := isql.Open(ctx, dbPath, opt)
	if err != nil {
		return 0, 0, err
	}
	_, err = db.ExecContext(ctx, isql.BenchReadCSV, csvPath)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bench: read_csv baseline: %w", err)
	}
	return time.Since(start), pipeline.PeakRSS(), nil
}

func MiB(b int64) string {
	if b <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%d MiB", b>>20)
}
