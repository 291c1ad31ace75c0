package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/illectro/illectro/ingest"
)

// Every inbox entry that is not loaded is logged with why, each time
// (issue 19: a symlink, a FIFO or a folder loop was ignored forever in
// silence); a kind folder that cannot be read refuses that kind, not the
// run.
func TestCollectInputsSkipsAndSays(t *testing.T) {
	inbox := t.TempDir()
	venues := filepath.Join(inbox, "venues")
	for _, d := range []string{venues, filepath.Join(venues, "processed"), filepath.Join(venues, "extra")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string) {
		if err := os.WriteFile(path, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(venues, "b.csv"))
	write(filepath.Join(venues, "a.csv"))
	write(filepath.Join(venues, ".c.csv.part"))
	if err := os.Symlink("/etc/passwd", filepath.Join(venues, "lien.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(venues, filepath.Join(venues, "extra", "boucle")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(venues, "tube.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	// "coverage" is a file, not a folder: that kind cannot be read.
	write(filepath.Join(inbox, "coverage"))

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg := Config{Inbox: inbox, Samples: new(bool)}
	ins, unreadable, err := collectInputs(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, string(in.kind)+"/"+in.file.Name)
	}
	if strings.Join(got, ",") != "venues/a.csv,venues/b.csv" {
		t.Errorf("inputs %v, want venues/a.csv and venues/b.csv in order", got)
	}
	if len(unreadable) != 1 || unreadable[0].kind != ingest.Coverage || !strings.Contains(unreadable[0].err.Error(), "coverage") {
		t.Errorf("unreadable folders %v, want coverage's alone", unreadable)
	}
	out := logs.String()
	for entry, reason := range map[string]string{
		"lien.csv":    "symbolic link, not followed",
		"tube.csv":    "named pipe",
		"extra":       "folder",
		".c.csv.part": "hidden name",
	} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "inbox entry skipped") && strings.Contains(line, filepath.Join(venues, entry)) && strings.Contains(line, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no log line says %s was skipped (%s):\n%s", entry, reason, out)
		}
	}
	if strings.Contains(out, filepath.Join(venues, "processed")) {
		t.Errorf("the inbox's own processed/ folder was reported:\n%s", out)
	}
}

// Files stay in processed/ and failed/ for processed_retention_days from
// their move, then a run deletes them; anything but a regular file stays.
func TestPruneInbox(t *testing.T) {
	inbox := t.TempDir()
	now := time.Date(2026, 12, 3, 4, 30, 0, 0, time.UTC)
	files := map[string]time.Duration{ // path under the inbox → age
		"venues/processed/old.csv":              91 * 24 * time.Hour,
		"venues/processed/recent.csv":           89 * 24 * time.Hour,
		"assessments/failed/old.csv":            200 * 24 * time.Hour,
		"assessments/failed/old.csv.reason.txt": 200 * 24 * time.Hour,
		"coverage/a.csv":                        400 * 24 * time.Hour, // waiting in the inbox: not pruned
	}
	for rel, age := range files {
		p := filepath.Join(inbox, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(inbox, "venues", "processed", "old-folder"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Inbox: inbox}.WithDefaults()
	pruneInbox(cfg, now, slog.New(slog.DiscardHandler))
	for rel, want := range map[string]bool{
		"venues/processed/old.csv": false, "venues/processed/recent.csv": true,
		"assessments/failed/old.csv": false, "assessments/failed/old.csv.reason.txt": false,
		"coverage/a.csv": true, "venues/processed/old-folder": true,
	} {
		_, err := os.Stat(filepath.Join(inbox, rel))
		if got := err == nil; got != want {
			t.Errorf("%s kept = %v, want %v (retention %d days)", rel, got, want, cfg.ProcessedRetentionDays)
		}
	}
}

// TestSettleInbox: an inbox file modified just before the run is loaded
// only once it has stayed unchanged for inbox_settle_seconds; one that
// keeps changing (a copy still going) is left for the next run. The clock
// and the wait are the test's: the wait is where a writer appends.
func TestSettleInbox(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 3, 4, 30, 0, 0, time.UTC)
	file := func(name string, age time.Duration) input {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("a\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return input{kind: ingest.Coverage, file: ingest.OSFile(p), path: p}
	}
	sample := input{kind: ingest.Venues, file: ingest.File{Name: "sample.csv"}, sample: true}
	for _, tc := range []struct {
		name     string
		settle   time.Duration
		ages     map[string]time.Duration
		growing  string // appended to during the wait
		wantWait time.Duration
		ready    string
		deferred string
	}{
		{"all old", 2 * time.Second, map[string]time.Duration{"a.csv": time.Minute, "b.csv": 3 * time.Second}, "", 0, "sample.csv,a.csv,b.csv", ""},
		{"one fresh, still", 2 * time.Second, map[string]time.Duration{"a.csv": time.Minute, "b.csv": 500 * time.Millisecond}, "", 1500 * time.Millisecond, "sample.csv,a.csv,b.csv", ""},
		{"one fresh, growing", 2 * time.Second, map[string]time.Duration{"a.csv": time.Minute, "b.csv": 0}, "b.csv", 2 * time.Second, "sample.csv,a.csv", "b.csv"},
		{"settle off", 0, map[string]time.Duration{"a.csv": 0}, "a.csv", 0, "sample.csv,a.csv", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := []input{sample}
			for _, n := range []string{"a.csv", "b.csv"} {
				if age, ok := tc.ages[n]; ok {
					ins = append(ins, file(n, age))
				}
			}
			clock := now
			var waited time.Duration
			wait := func(_ context.Context, d time.Duration) {
				waited += d
				clock = clock.Add(d)
				if tc.growing != "" {
					p := filepath.Join(dir, tc.growing)
					f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
					f.WriteString("more\n")
					f.Close()
					os.Chtimes(p, clock.Add(-100*time.Millisecond), clock.Add(-100*time.Millisecond))
				}
			}
			var logs bytes.Buffer
			ready, deferred := settleInbox(t.Context(), ins, tc.settle, func() time.Time { return clock }, wait, slog.New(slog.NewTextHandler(&logs, nil)))
			var names []string
			for _, in := range ready {
				names = append(names, in.file.Name)
			}
			if got := strings.Join(names, ","); got != tc.ready {
				t.Errorf("ready %q, want %q", got, tc.ready)
			}
			if got := strings.Join(deferred, ","); got != tc.deferred {
				t.Errorf("deferred %q, want %q", got, tc.deferred)
			}
			if waited != tc.wantWait {
				t.Errorf("waited %v, want %v", waited, tc.wantWait)
			}
			if tc.deferred != "" && !strings.Contains(logs.String(), "still being written") {
				t.Errorf("log %q, want the deferred file said", logs.String())
			}
		})
	}
}
