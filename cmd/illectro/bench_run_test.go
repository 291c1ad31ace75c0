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
