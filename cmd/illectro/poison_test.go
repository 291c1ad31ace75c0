package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	isql "github.com/illectro/illectro/sql"
)

// TestPoisonFilesBoundedMemory runs, in a process of its own, a pipeline
// run whose inbox holds a self-assessment file with a 512 MB line between
// two good rows, and a coverage file whose header has 10 million columns
// (20 MB on one line). Before the readers were bounded, such a line grew
// the process past 2 GB and such a header took 1.4 GB. Now the long line
// is one rejected row (too_long), the good rows load, the wide header
// refuses its file, and the run's peak resident memory after its ingest
// stage stays under 300 MB. The peak is the child's own high-water mark
// (VmHWM, in its "stage done" log line): getrusage's figure for a child
// starts from the parent's resident memory at the fork, this whole test
// binary's.
func TestPoisonFilesBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 530 MB of files")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	inbox := filepath.Join(dir, "inbox")
	os.MkdirAll(filepath.Join(inbox, "assessments"), 0o700)
	writePoisonLine(t, filepath.Join(inbox, "assessments", "long_line.csv"), 512)
	writeInbox(t, filepath.Join(inbox, "coverage", "wide_header.csv"), []byte("code_insee"+strings.Repeat(";c", 10_000_000)+"\n01001;1\n"))
	old := time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(inbox, "assessments", "long_line.csv"), old, old)

	cmd := crashChild("ILLECTRO_HMAC_KEY=poison-test-key-0123456789", "run", "--db", db, "--out", filepath.Join(dir, "public"), "--inbox", inbox)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s", err, tail(stderr.String(), 20))
	}
	for _, want := range []string{"rows: 2 loaded, 1 rejected", "refused: wide_header.csv: line 1 is longer than 1048576 bytes (max_line_bytes)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run said %q, want %q", stdout.String(), want)
		}
	}
	peak := int64(-1)
	for _, line := range strings.Split(stderr.String(), "\n") {
		var ev struct {
			Msg        string `json:"msg"`
			Stage      string `json:"stage"`
			PeakRSSMiB int64  `json:"peak_rss_mib"`
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Msg == "stage done" && ev.Stage == "ingest" {
			peak = ev.PeakRSSMiB
		}
	}
	t.Logf("peak RSS after the ingest stage: %d MiB", peak)
	if peak <= 0 || peak > 300 {
		t.Errorf("peak RSS after the ingest stage %d MiB, want it read and under 300 MiB", peak)
	}

	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var line int
	var kind, reason string
	if err := conn.QueryRowContext(t.Context(), `SELECT line, kind, reason FROM rejects`).Scan(&line, &kind, &reason); err != nil {
		t.Fatal(err)
	}
	if line != 3 || kind != "too_long" || !strings.Contains(reason, "max_line_bytes") {
		t.Errorf("reject = line %d, %s, %q; want line 3, too_long, naming max_line_bytes", line, kind, reason)
	}
}
