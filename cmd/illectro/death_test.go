package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	isql "github.com/illectro/illectro/sql"
)

// TestDeathsQuarantineTheFile: a self-assessment file whose load kills the
// process every night. Before, the next run only marked the last one
// "interrupted", with no alert, and died again on the same file, night
// after night. Now:
//   - the run after a death records how the dead one most likely ended
//     (killed for lack of memory, by the kernel's count of its memory
//     cgroup) and alerts;
//   - after the second death on the same bytes, the file is quarantined:
//     refused, moved to failed/ with its reason, and alerted; the run
//     publishes without it.
//
// The deaths are real: where the test may make a memory cgroup (root, and
// cgroup v1 or v2 with the memory controller), each run is confined to
// 600 MB and the file has a 512 MB line, read whole because the line bound
// is lifted (max_line_bytes = 1 GiB): the kernel kills the run. Elsewhere
// the runs are killed with SIGKILL while they load a 2 M-row file, and the
// diagnosis is the generic one.
func TestDeathsQuarantineTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("three pipeline runs, two of them killed")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	inbox := filepath.Join(dir, "inbox")
	alerts := filepath.Join(dir, "alerts.jsonl")
	os.MkdirAll(filepath.Join(inbox, "assessments"), 0o700)
	poison := filepath.Join(inbox, "assessments", "poison.csv")
	cg, cgErr := newMemoryCgroup(t, 600<<20)
	if os.Getenv("ILLECTRO_TEST_NO_CGROUP") != "" { // to try the other path where cgroups work
		cgErr = errors.New("ILLECTRO_TEST_NO_CGROUP is set")
	}
	oom := cgErr == nil
	if !oom {
		t.Logf("no memory cgroup (%v): the runs are killed with SIGKILL instead", cgErr)
	}

	config := fmt.Sprintf("db = %q\nout = %q\ninbox = %q\nalert_command = [\"/bin/sh\", \"-c\", \"cat >> \\\"$0\\\"; echo >> \\\"$0\\\"\", %q]\n",
		db, filepath.Join(dir, "public"), inbox, alerts)
	if oom {
		config += "max_line_bytes = 1073741824\nmax_field_bytes = 1073741824\n"
		writePoisonLine(t, poison, 512)
	} else {
		writeSynthAssessments(t, poison, 2_000_000, 5)
	}
	cfgPath := filepath.Join(dir, "illectro.toml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	const key = "ILLECTRO_HMAC_KEY=death-test-key-0123456789"
	args := []string{"run", "--config", cfgPath}

	die := func(night int) {
		t.Helper()
		if !oom {
			killAfterLine(t, `"msg":"loading file","file":"poison.csv"`, time.Second, key, args...)
			return
		}
		cmd := cg.child(key, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("night %d: the run ended with %v, want it killed by the kernel for memory\n%s", night, err, tail(stderr.String(), 20))
		}
	}
	die(1)
	die(2)
	var stdout, stderr bytes.Buffer
	cmd := crashChild(key, args...)
	if oom {
		cmd = cg.child(key, args...)
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("night 3: %v\n%s", err, tail(stderr.String(), 30))
	}
	if out := stdout.String(); !strings.Contains(out, "refused: poison.csv: quarantined: the process ended 2 times while loading these bytes") {
		t.Errorf("night 3 said %q, want poison.csv quarantined after 2 deaths", out)
	}
	if _, err := os.Stat(poison); !os.IsNotExist(err) {
		t.Errorf("poison.csv still in the inbox (%v), want it moved to failed/", err)
	}
	reason, err := os.ReadFile(filepath.Join(inbox, "assessments", "failed", "poison.csv.reason.txt"))
	if err != nil || !strings.Contains(string(reason), "quarantined") {
		t.Errorf("failed/poison.csv.reason.txt = %q, %v; want the quarantine's reason", reason, err)
	}

	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var runs string
	conn.QueryRowContext(t.Context(), `SELECT string_agg(status || ':' || coalesce(error_kind, ''), ', ' ORDER BY run_id) FROM runs`).Scan(&runs)
	wantKind := "interrupted"
	if oom {
		wantKind = "out_of_memory"
	}
	if want := fmt.Sprintf("failed:%s, failed:%s, succeeded:", wantKind, wantKind); runs != want {
		t.Errorf("runs = %q, want %q", runs, want)
	}
	var fileKind string
	conn.QueryRowContext(t.Context(), `SELECT string_agg(error_kind, ',') FROM ingest_files WHERE name = 'poison.csv'`).Scan(&fileKind)
	if fileKind != "quarantined" {
		t.Errorf("ingest_files records poison.csv as %q, want one refusal, quarantined", fileKind)
	}

	// Three alerts: each dead run, told by the next, and the quarantine.
	data, _ := os.ReadFile(alerts)
	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("alert %q: %v", line, err)
		}
		got = append(got, a)
	}
	if len(got) != 3 {
		t.Fatalf("%d alerts, want 3 (two dead runs, one quarantine):\n%s", len(got), data)
	}
	for i, a := range got[:2] {
		msg := fmt.Sprint(a["error"])
		t.Logf("alert %d: %s", i+1, msg)
		want := "the process ended before the run finished"
		if oom {
			want = "killed for lack of memory: the kernel's OOM killer acted in its memory cgroup"
		}
		if a["run_id"] != float64(i+1) || !strings.Contains(msg, want) || !strings.Contains(msg, "poison.csv") {
			t.Errorf("alert %d = run %v, %q; want run %d, %q, naming poison.csv", i+1, a["run_id"], msg, i+1, want)
		}
	}
	if s := fmt.Sprint(got[2]); !strings.Contains(s, "quarantined") {
		t.Errorf("third alert = %s, want the quarantined file", s)
	}
	for _, a := range got {
		if s := fmt.Sprint(a); strings.Contains(s, "death-test-key") {
			t.Errorf("an alert carries the HMAC key: %s", s)
		}
	}
}

// writePoisonLine writes a self-assessment file with a line of mb MiB
// between two good rows.
func writePoisonLine(t *testing.T, path string, mb int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n")
	w.WriteString("P1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n")
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for range mb {
		w.Write(chunk)
	}
	w.WriteString(",2026-03-02,59350,60-74,oui,1,1,2,1,0\nP2,2026-03-02,59350,30-44,oui,2,2,2,2,2\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// memoryCgroup is a memory cgroup made for a test, removed at its end.
type memoryCgroup struct{ dir string }

// newMemoryCgroup makes a memory cgroup bounded to limit bytes (v1 or v2),
// or says why it cannot.
func newMemoryCgroup(t *testing.T, limit int64) (*memoryCgroup, error) {
	name := fmt.Sprintf("illectro-test-%d", os.Getpid())
	for _, c := range []struct{ dir, file string }{
		{filepath.Join("/sys/fs/cgroup/memory", name), "memory.limit_in_bytes"},
		{filepath.Join("/sys/fs/cgroup", name), "memory.max"},
	} {
		if _, err := os.Stat(filepath.Dir(c.dir)); err != nil {
			continue
		}
		if err := os.Mkdir(c.dir, 0o755); err != nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(c.dir, c.file), []byte(fmt.Sprint(limit)), 0o644); err != nil {
			os.Remove(c.dir)
			continue
		}
		t.Cleanup(func() {
			for range 50 { // a killed process leaves its cgroup a moment later
				if os.Remove(c.dir) == nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
		return &memoryCgroup{dir: c.dir}, nil
	}
	return nil, errors.New("cannot make a memory cgroup with a bound here (not root, or no memory controller)")
}

// child prepares illectro with args in a child process confined to the
// cgroup: a shell moves itself into it, then becomes the test binary
// acting as illectro (see crashChild).
func (c *memoryCgroup) child(env string, args ...string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", `echo $$ > "$0/cgroup.procs" && exec "$1" -test.run='^$'`, c.dir, os.Args[0])
	cmd.Env = append(os.Environ(), crashChildEnv+"="+strings.Join(args, "\x1f"), env)
	return cmd
}
