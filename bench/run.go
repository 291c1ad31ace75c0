package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/illectro/illectro/pipeline"
)

// benchKey pseudonymises the synthetic benchmark data; it is not a secret.
const benchKey = "illectro-benchmark-key-not-secret"

// End-to-end targets on 2 cores: a rerun without new data within 5 s
// (issue 8); a full run of the national France (10 M assessments or fewer)
// within 20 s and 1 GiB, and of a larger one within 2 GiB, whatever its
// time (issue 20).
const (
	targetRerun        = 5 * time.Second
	targetFullRun      = 20 * time.Second
	targetPeakRSS      = 1 << 30
	targetLargeAt      = 10_000_000 // assessments above which the large targets hold
	targetLargePeakRSS = 2 << 30
)

// fullRunTargets are the full run's targets for a France of n assessments;
// a zero wall time means no time target.
func fullRunTargets(n int) (wall time.Duration, peak int64) {
	if n > targetLargeAt {
		return 0, targetLargePeakRSS
	}
	return targetFullRun, targetPeakRSS
}

// Command makes the command that runs this program with args (illectro gen,
// illectro run): each measured run is a process of its own.
type Command func(ctx context.Context, args ...string) (*exec.Cmd, error)

// RunOptions are the synthetic France that Run generates.
type RunOptions struct {
	Assessments, Venues int
	Defects             float64
	Seed                uint64
}

// Run generates a synthetic France, then runs the whole pipeline on it
// three times as separate processes, as cron would: the first run loads
// everything, the second finds nothing new, the third is forced to rebuild
// everything without new data. It prints each run's wall time, CPU time,
// peak resident memory, and the first run's stages.
func Run(ctx context.Context, w io.Writer, self Command, work string, o RunOptions) error {
	assessments, venues, defects, seed := o.Assessments, o.Venues, o.Defects, o.Seed
	inbox := filepath.Join(work, "inbox")
	start := time.Now()
	gen, err := self(ctx, "gen", "france", "--out", inbox,
		"--assessments", strconv.Itoa(assessments), "--venues", strconv.Itoa(venues),
		"--defects", strconv.FormatFloat(defects, 'g', -1, 64), "--seed", strconv.FormatUint(seed, 10))
	if err != nil {
		return err
	}
	if out, err := gen.CombinedOutput(); err != nil {
		return fmt.Errorf("bench run: gen france: %w\n%s", err, out)
	}
	size, err := dirSize(inbox)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "generated a synthetic France in %s: %d assessments, %d venues, defects %g, seed %d (%d MB)\n",
		time.Since(start).Round(time.Millisecond), assessments, venues, defects, seed, size>>20)

	// The files settle, as a cron's inbox does between a drop and the
	// night's run: the first run does not wait for them.
	time.Sleep(pipeline.DefaultInboxSettle)

	runArgs := []string{"run", "--db", filepath.Join(work, "illectro.duckdb"), "--out", filepath.Join(work, "public"), "--inbox", inbox}
	first, err := benchPipeline(ctx, self, runArgs)
	if err != nil {
		return err
	}
	rerun, err := benchPipeline(ctx, self, runArgs)
	if err != nil {
		return err
	}
	if !rerun.unchanged {
		return fmt.Errorf("bench run: the rerun without new data rebuilt the outputs")
	}
	forced, err := benchPipeline(ctx, self, append(runArgs, "--force"))
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "\nfirst run, stages (%d cores, GOMAXPROCS %d):\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintln(w, "| stage | seconds | rows | rows/s | peak RSS so far |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, s := range first.stages {
		rows, rate := "", ""
		if s.Rows > 0 {
			rows = strconv.FormatInt(s.Rows, 10)
			if s.Seconds > 0 {
				rate = fmt.Sprintf("%.2f M", float64(s.Rows)/s.Seconds/1e6)
			}
		}
		fmt.Fprintf(w, "| %s | %.2f | %s | %s | %d MiB |\n", s.Stage, s.Seconds, rows, rate, s.PeakRSSMiB)
	}
	fmt.Fprintln(w, "\nfiles loaded by the first run:")
	fmt.Fprintln(w, "\n| kind | rows read | loaded | rejected | seconds | rows/s |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, f := range first.files {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %.2f | %.2f M |\n", f.Kind, f.Rows, f.Loaded, f.Rejected, f.seconds, float64(f.Rows)/f.seconds/1e6)
	}
	fmt.Fprintln(w, "\n| run | wall | CPU (user+sys) | peak RSS | target | met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|")
	verdict := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	wallTarget, peakTarget := fullRunTargets(assessments)
	target, met := "≤ "+MiB(peakTarget), first.peakRSS <= peakTarget
	if wallTarget > 0 {
		target, met = "≤ "+secs(wallTarget)+", "+target, met && first.wall <= wallTarget
	}
	fmt.Fprintf(w, "| full run | %s | %s | %s | %s | %s |\n", secs(first.wall), secs(first.cpu), MiB(first.peakRSS), target, verdict(met))
	fmt.Fprintf(w, "| rerun, no new data | %s | %s | %s | ≤ %s | %s |\n", secs(rerun.wall), secs(rerun.cpu), MiB(rerun.peakRSS),
		secs(targetRerun), verdict(rerun.wall <= targetRerun))
	fmt.Fprintf(w, "| forced rebuild, no new data | %s | %s | %s | (none) | |\n", secs(forced.wall), secs(forced.cpu), MiB(forced.peakRSS))
	return nil
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// pipelineRun is what benchPipeline measured of one `illectro run`.
type pipelineRun struct {
	wall, cpu time.Duration
	peakRSS   int64
	stages    []stageEvent
	files     []fileEvent
	unchanged bool
}

// stageEvent and fileEvent are the "stage done" and "file loaded" lines of
// a run's JSON log.
type stageEvent struct {
	Msg        string  `json:"msg"`
	Stage      string  `json:"stage"`
	Seconds    float64 `json:"seconds"`
	Rows       int64   `json:"rows"`
	PeakRSSMiB int64   `json:"peak_rss_mib"`
}

type fileEvent struct {
	Kind     string `json:"kind"`
	Rows     int64  `json:"rows"`
	Loaded   int64  `json:"loaded"`
	Rejected int64  `json:"rejected"`
	Duration string `json:"duration"`
	seconds  float64
}

// benchPipeline runs `illectro args…` in its own process and reads its JSON
// log; the peak memory is the kernel's account of the child (getrusage).
func benchPipeline(ctx context.Context, self Command, args []string) (pipelineRun, error) {
	var r pipelineRun
	cmd, err := self(ctx, args...)
	if err != nil {
		return r, err
	}
	cmd.Env = append(cmd.Environ(), "ILLECTRO_HMAC_KEY="+benchKey)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	start := time.Now()
	err = cmd.Run()
	r.wall = time.Since(start)
	if err != nil {
		return r, fmt.Errorf("bench run: illectro %s: %w\n%s", strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = ru.Maxrss << 10 // kB on Linux
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	sc := bufio.NewScanner(&stderr)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() {
		var head struct {
			Msg string `json:"msg"`
		}
		line := sc.Bytes()
		if json.Unmarshal(line, &head) != nil {
			continue
		}
		switch head.Msg {
		case "stage done":
			var s stageEvent
			if err := json.Unmarshal(line, &s); err == nil {
				r.stages = append(r.stages, s)
				r.unchanged = r.unchanged || s.Stage == "unchanged"
			}
		case "file loaded":
			var f fileEvent
			if err := json.Unmarshal(line, &f); err == nil {
				if d, err := time.ParseDuration(f.Duration); err == nil {
					f.seconds = d.Seconds()
				}
				r.files = append(r.files, f)
			}
		}
	}
	if len(r.stages) == 0 {
		return r, fmt.Errorf("bench run: illectro %s logged no stage", strings.Join(args, " "))
	}
	return r, nil
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
