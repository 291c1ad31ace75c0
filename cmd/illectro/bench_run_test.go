package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchRun runs the end-to-end benchmark on a tiny synthetic France:
// three runs as separate processes (the test binary acting as illectro),
// every stage reported, the rerun without new data rebuilding nothing.
func TestBenchRun(t *testing.T) {
	if testing.Short() {
		t.Skip("three runs of the pipeline")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	saved := selfCommand
	defer func() { selfCommand = saved }()
	selfCommand = func(ctx context.Context, args ...string) (*exec.Cmd, error) {
		cmd := exec.CommandContext(ctx, exe)
		cmd.Env = append(os.Environ(), crashChildEnv+"="+strings.Join(args, "\x1f"))
		return cmd, nil
	}
	dir := filepath.Join(t.TempDir(), "bench")
	stdout, stderr, err := runCLI(t, t.Context(), nil, "", "bench", "run", "--assessments", "3000", "--venues", "150", "--dir", dir)
	if err != nil {
		t.Fatalf("bench run: %v\n%s\n%s", err, stdout, stderr)
	}
	for _, want := range []string{
		"generated a synthetic France", "| reference |", "| ingest |", "| views |", "| marts |", "| data tests |",
		"| report | ", "| snapshot |", "| assessments | 3003 | 3000 | 3 |", "| full run |", "| rerun, no new data |",
		"| forced rebuild, no new data |",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bench run output lacks %q:\n%s", want, stdout)
		}
	}
	// The working folder must be new or empty: a second bench there would
	// measure a rerun.
	if _, _, err := runCLI(t, t.Context(), nil, "", "bench", "run", "--assessments", "3000", "--dir", dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("bench run in a used folder: %v, want a refusal", err)
	}
}

// TestBenchIngest runs the ingest benchmark on a small file, two rounds:
// every load reported with its median, and the ratios printed.
func TestBenchIngest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bench")
	stdout, stderr, err := runCLI(t, t.Context(), nil, "", "bench", "ingest", "--rows", "3000", "--repeat", "2", "--dir", dir)
	if err != nil {
		t.Fatalf("bench ingest: %v\n%s\n%s", err, stdout, stderr)
	}
	// Three loads: ours, read_csv at DuckDB's defaults, read_csv with
	// insertion order off.
	if got := strings.Count(stdout, "(median of 2; "); got != 3 {
		t.Errorf("bench ingest reported %d medians of 2 rounds, want 3:\n%s", got, stdout)
	}
	for _, want := range []string{"generated 3000 rows", "illectro ingest (validated", "DuckDB read_csv, typed columns",
		"preserve_insertion_order=false", "ratios illectro / read_csv: at DuckDB's defaults ", "against read_csv with insertion order off "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bench ingest output lacks %q:\n%s", want, stdout)
		}
	}
	// Each load starts from a fresh database, removed once measured.
	if dbs, _ := filepath.Glob(filepath.Join(dir, "*.duckdb")); len(dbs) != 0 {
		t.Errorf("databases left behind: %v", dbs)
	}
	if _, _, err := runCLI(t, t.Context(), nil, "", "bench", "ingest", "--repeat", "0"); err == nil {
		t.Error("bench ingest --repeat 0 accepted")
	}
}
