package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
