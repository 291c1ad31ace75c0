package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
)

// crashChildEnv makes the test binary act as `illectro ingest` for
// TestKillMidFileLeavesNothing.
const crashChildEnv = "ILLECTRO_TEST_CRASH_CHILD"

func TestMain(m *testing.M) {
	if args := os.Getenv(crashChildEnv); args != "" {
		privateUmask() // as main does
		err := run(context.Background(), strings.Split(args, "\x1f"), os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		os.Exit(exitCode(err, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKillMidFileLeavesNothing kills `illectro ingest` with SIGKILL while it
// loads a large assessments file, then checks that the database opens, holds
// nothing of that file (no rows, no ledger entry), and that loading the file
// again stores it whole.
func TestKillMidFileLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	file := filepath.Join(dir, "big.csv")
	writeSynthAssessments(t, file, 2_000_000, 3)

	killWhileWriting(t, db, 1200*time.Millisecond, "ILLECTRO_HMAC_KEY=crash-test-key-0123456789",
		"ingest", "--kind", "assessments", "--db", db, file)

	ctx := t.Context()
	conn, err := isql.Open(ctx, db, isql.Options{})
	if err != nil {
		t.Fatalf("database does not open after SIGKILL: %v", err)
	}
	var raw, ledger int
	conn.QueryRowContext(ctx, "SELECT count(*) FROM raw_assessments").Scan(&raw)
	conn.QueryRowContext(ctx, "SELECT count(*) FROM ingest_files WHERE kind = 'assessments'").Scan(&ledger)
	conn.Close()
	if raw != 0 || ledger != 0 {
		t.Fatalf("after SIGKILL mid-file: %d raw rows and %d ledger rows, want none", raw, ledger)
	}

	key := map[string]string{"ILLECTRO_HMAC_KEY": "crash-test-key-0123456789"}
	stdout, stderr, err := runCLI(t, ctx, key, "", "ingest", "--kind", "assessments", "--db", db, file)
	if err != nil {
		t.Fatalf("reload: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "2000000 rows read, 2000000 loaded, 0 rejected") {
		t.Errorf("reload = %q, want the whole file", stdout)
	}
}

// TestKillMidRunKeepsTheRelease kills `illectro run` with SIGKILL while it
// loads a large inbox file: the previous release is still served, and the
// next run records the killed one as interrupted, loads the file whole and
// publishes a new release.
func TestKillMidRunKeepsTheRelease(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	out := filepath.Join(dir, "public")
	inbox := filepath.Join(dir, "inbox")
	key := map[string]string{"ILLECTRO_HMAC_KEY": "crash-test-key-0123456789"}
	os.MkdirAll(filepath.Join(inbox, "assessments"), 0o755)
	ctx := t.Context()
	if _, stderr, err := runCLI(t, ctx, key, "", "run", "--db", db, "--out", out, "--inbox", inbox); err != nil {
		t.Fatalf("first run: %v\n%s", err, stderr)
	}
	live := pipeline.LiveRelease(out)

	file := filepath.Join(inbox, "assessments", "big.csv")
	writeSynthAssessments(t, file, 2_000_000, 4)

	// The run logs "loading file" as it starts on big.csv, whose load takes
	// about 3 s: a kill 1 s later lands mid-load. (Waiting for the WAL file
	// instead raced: DuckDB writes a large load straight into the database
	// file and may create the WAL only at its commit.)
	killAfterLine(t, `"msg":"loading file","file":"big.csv"`, time.Second, "ILLECTRO_HMAC_KEY="+key["ILLECTRO_HMAC_KEY"],
		"run", "--db", db, "--out", out, "--inbox", inbox)

	if got := pipeline.LiveRelease(out); got != live {
		t.Errorf("after the kill the live release is %q, want %q", got, live)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("the site is not served after the kill: %v", err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the inbox file moved although its load was killed: %v", err)
	}

	stdout, stderr, err := runCLI(t, ctx, key, "", "run", "--db", db, "--out", out, "--inbox", inbox)
	if err != nil {
		t.Fatalf("the run after the kill: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "rows: 2000000 loaded") {
		t.Errorf("the run after the kill = %q, want the whole file loaded", stdout)
	}
	if got := pipeline.LiveRelease(out); got == live || got == "" {
		t.Errorf("after recovery the live release is %q, want a new one", got)
	}
	conn, err := isql.Open(ctx, db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var statuses string
	conn.QueryRowContext(ctx, `SELECT string_agg(status || coalesce(':' || left(error, 11), ''), ', ' ORDER BY run_id) FROM runs`).Scan(&statuses)
	if statuses != "succeeded, failed:interrupted, succeeded" {
		t.Errorf("runs = %q, want the killed run marked interrupted between two successes", statuses)
	}
}

// writeSynthAssessments writes a synthetic self-assessment file of rows
// rows (illectro gen's generator, seeded).
func writeSynthAssessments(t *testing.T, path string, rows int, seed uint64) {
	t.Helper()
	communes, _ := geo.Communes()
	centroids, _ := geo.Centroids()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	if err := synth.Assessments(w, communes, centroids, synth.AssessmentsOptions{Rows: rows, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// crashChild prepares illectro with args in a child process: this test
// binary, which acts as illectro under crashChildEnv (see TestMain).
func crashChild(env string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+strings.Join(args, "\x1f"), env)
	return cmd
}

// killAfter lets the started child work for after, then kills it with
// SIGKILL; done receives its Wait. The test fails if the child ends first.
func killAfter(t *testing.T, cmd *exec.Cmd, done <-chan error, after time.Duration, name string) {
	t.Helper()
	time.Sleep(after)
	select {
	case err := <-done:
		t.Fatalf("%s ended (%v) before the kill: make the input larger", name, err)
	default:
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// killWhileWriting runs illectro with args in a child process, waits until
// it writes the database db (its write-ahead log appears), lets it work for
// after, and kills it with SIGKILL. The test fails if the child ends before
// the kill.
func killWhileWriting(t *testing.T, db string, after time.Duration, env string, args ...string) {
	t.Helper()
	cmd := crashChild(env, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(db + ".wal"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child never started writing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	killAfter(t, cmd, done, after, args[0])
}

// killAfterLine runs illectro with args in a child process, waits for a
// line of its standard error holding marker (a log line), lets it work for
// after, and kills it with SIGKILL. The test fails if the child ends first,
// or does not print the line within a minute.
func killAfterLine(t *testing.T, marker string, after time.Duration, env string, args ...string) {
	t.Helper()
	cmd := crashChild(env, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		found := false
		for sc.Scan() {
			if !found && strings.Contains(sc.Text(), marker) {
				found = true
				seen <- true
			}
		}
		if !found {
			seen <- false
		}
	}()
	select {
	case ok := <-seen:
		if !ok {
			cmd.Wait()
			t.Fatalf("%s ended without printing %q", args[0], marker)
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s never printed %q", args[0], marker)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	killAfter(t, cmd, done, after, args[0])
}
