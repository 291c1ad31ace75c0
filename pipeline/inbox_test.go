package pipeline

import (
	"bytes"
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
