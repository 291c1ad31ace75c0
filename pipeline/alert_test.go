package pipeline

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	isql "github.com/illectro/illectro/sql"
)

// A run that cannot take its lock or open its database has no runs row to
// say so: it alerts all the same (issue 19: it exited 1 in silence, and any
// local user holding the database open is enough to cause it).
func TestRunAlertsWhenItCannotStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		db   func(dir string) string
		want string
	}{
		{"lock cannot be taken", func(dir string) string { return filepath.Join(dir, "missing", "illectro.duckdb") }, "run lock"},
		{"database cannot be opened", func(dir string) string {
			path := filepath.Join(dir, "illectro.duckdb")
			if err := os.WriteFile(path, []byte("not a DuckDB database, though it has the name of one\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := DefaultConfig()
			cfg.DB = tc.db(dir)
			cfg.Out = filepath.Join(dir, "public")
			alertFile := filepath.Join(dir, "alert.json")
			cfg.AlertCommand = []string{"/bin/sh", "-c", `cat > "$0"`, alertFile}
			_, runErr := Run(t.Context(), cfg, Options{Trigger: "schedule", Getenv: func(string) string { return "" }})
			if runErr == nil {
				t.Fatal("the run succeeded")
			}
			raw, err := os.ReadFile(alertFile)
			if err != nil {
				t.Fatalf("no alert (run error: %v)", runErr)
			}
			var alert struct {
				RunID   int64  `json:"run_id"`
				Trigger string `json:"trigger"`
				Status  string `json:"status"`
				Error   string `json:"error"`
			}
			if err := json.Unmarshal(raw, &alert); err != nil {
				t.Fatal(err)
			}
			if alert.RunID != 0 || alert.Trigger != "schedule" || alert.Status != "failed" || alert.Error != runErr.Error() || !strings.Contains(alert.Error, tc.want) {
				t.Errorf("alert = %+v; want run 0, schedule, failed, the run's error %q", alert, runErr)
			}
		})
	}
}

// TestAlertIdle: with alert_after_idle_runs = 3, the third run in a row
// without a new file alerts, once; failed runs neither count nor break the
// streak; a run that loads a file starts it again.
func TestAlertIdle(t *testing.T) {
	dir := t.TempDir()
	db, err := isql.Open(t.Context(), filepath.Join(dir, "illectro.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	alertFile := filepath.Join(dir, "alerts")
	cfg := Config{AlertAfterIdleRuns: 3, AlertCommand: []string{"/bin/sh", "-c", `cat >> "$0"; echo >> "$0"`, alertFile}}
	// files_loaded of each run, in order; -1 a failed run
	runs := []int{2, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0}
	wantAlertAt := map[int]bool{5: true, 11: true} // run ids: runs 2, 4 and 5 are idle (3 failed), then 9, 10 and 11
	for i, files := range runs {
		id := int64(i + 1)
		status := "succeeded"
		if files < 0 {
			status, files = "failed", 0
		}
		if _, err := db.ExecContext(t.Context(), `INSERT INTO runs (run_id, trigger, started_at, status, files_loaded) VALUES (?, 'schedule', TIMESTAMPTZ '2026-12-01 04:30:00+00' + to_days(CAST(? AS INTEGER)), ?, ?)`, id, i, status, files); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(alertFile)
		alertIdle(t.Context(), db, cfg, id, "schedule", time.Now(), time.Now(), "r", slog.New(slog.DiscardHandler))
		after, _ := os.ReadFile(alertFile)
		if alerted := len(after) > len(before); alerted != wantAlertAt[int(id)] {
			t.Errorf("run %d: alerted %v, want %v", id, alerted, wantAlertAt[int(id)])
		}
	}
	data, _ := os.ReadFile(alertFile)
	if !strings.Contains(string(data), `"status":"idle"`) || !strings.Contains(string(data), "no new input file loaded by the last 3 runs, since the run of 2026-12-01T04:30:00Z") {
		t.Errorf("alerts %s, want status idle and the streak said", data)
	}
}
