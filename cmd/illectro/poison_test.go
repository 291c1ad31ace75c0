package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// TestPoisonFilesBoundedMemory loads, in a process of its own, an
// assessments file with a 512 MB line between two good rows, and a
// coverage file whose header has 10 million columns (20 MB on one line).
// Before the readers were bounded, such a line grew the process past 1 GB
// and such a header took 1.4 GB. Now the long line is one rejected row
// (too_long), the good rows load, the wide header refuses its file, and
// the process's peak resident memory stays under 300 MB.
func TestPoisonFilesBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 530 MB of files")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	long := filepath.Join(dir, "long_line.csv")
	f, err := os.Create(long)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n")
	w.WriteString("P1,2026-03-02,59350,60-74,oui,1,1,2,1,0\n")
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for range 512 {
		w.Write(chunk)
	}
	w.WriteString(",2026-03-02,59350,60-74,oui,1,1,2,1,0\nP2,2026-03-02,59350,30-44,oui,2,2,2,2,2\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wide := filepath.Join(dir, "wide_header.csv")
	if err := os.WriteFile(wide, []byte("code_insee"+strings.Repeat(";c", 10_000_000)+"\n01001;1\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		kind, file string
		ok         bool
		want       string
	}{
		{"assessments", long, true, "3 rows read, 2 loaded, 1 rejected"},
		{"coverage", wide, false, "wide_header.csv: line 1 is longer than 1048576 bytes (max_line_bytes)"},
	} {
		cmd := crashChild("ILLECTRO_HMAC_KEY=poison-test-key-0123456789", "ingest", "--kind", tc.kind, "--db", db, tc.file)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if tc.ok != (err == nil) {
			t.Errorf("ingest %s: %v, want ok=%v\n%s", filepath.Base(tc.file), err, tc.ok, stderr.String())
		}
		if out := stdout.String() + stderr.String(); !strings.Contains(out, tc.want) {
			t.Errorf("ingest %s said %q, want %q", filepath.Base(tc.file), out, tc.want)
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			t.Fatal("no resource usage for the child")
		}
		peak := ru.Maxrss >> 10 // kB on Linux
		t.Logf("ingest %s: peak RSS %d MB", filepath.Base(tc.file), peak)
		if peak > 300 {
			t.Errorf("ingest %s: peak RSS %d MB, want under 300 MB", filepath.Base(tc.file), peak)
		}
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
