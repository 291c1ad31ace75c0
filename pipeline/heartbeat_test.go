package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDiagnoseDeath: how a dead run most likely ended, from the heartbeat
// it left and the memory cgroup's kill count now, on hand-written cases.
func TestDiagnoseDeath(t *testing.T) {
	at := time.Date(2026, 12, 3, 4, 31, 2, 0, time.UTC)
	hb := func(rss, limit, kills int64, cgroup string) *heartbeat {
		return &heartbeat{RunID: 7, Updated: at, Stage: "ingest", File: "assessments/big.csv",
			RSS: rss << 20, Limit: limit << 20, LimitFrom: "cgroup memory.max", Cgroup: cgroup, OOMKills: kills}
	}
	for _, tc := range []struct {
		name  string
		hb    *heartbeat
		now   memory
		oom   bool
		wants []string
	}{
		{"no heartbeat", nil, memory{oomKills: -1}, false,
			[]string{"no heartbeat"}},
		{"the cgroup counted a kill since", hb(300, 2048, 4, "/sys/fs/cgroup/illectro"), memory{cgroup: "/sys/fs/cgroup/illectro", oomKills: 5}, true,
			[]string{"killed for lack of memory", "OOM killer", "/sys/fs/cgroup/illectro (1 kill(s) since)", "loading assessments/big.csv", "300 MiB of a 2048 MiB bound"}},
		{"another cgroup's count says nothing", hb(300, 2048, 4, "/sys/fs/cgroup/a"), memory{cgroup: "/sys/fs/cgroup/b", oomKills: 9}, false,
			[]string{"killed, crashed, or the machine stopped", "2026-12-03T04:31:02Z during stage ingest"}},
		{"unknown count before", hb(300, 2048, -1, "/sys/fs/cgroup/a"), memory{cgroup: "/sys/fs/cgroup/a", oomKills: 1}, false,
			[]string{"killed, crashed"}},
		{"last seen at 80 % of the bound", hb(1639, 2048, -1, ""), memory{oomKills: -1}, true,
			[]string{"probably killed for lack of memory", "1639 MiB of a 2048 MiB bound (cgroup memory.max)"}},
		{"last seen just under 80 %", hb(1638, 2048, -1, ""), memory{oomKills: -1}, false,
			[]string{"killed, crashed"}},
		{"no bound known", hb(1900, 0, -1, ""), memory{oomKills: -1}, false,
			[]string{"using 1900 MiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, oom := diagnoseDeath(tc.hb, tc.now)
			if oom != tc.oom {
				t.Errorf("out of memory = %v, want %v (%s)", oom, tc.oom, text)
			}
			for _, w := range tc.wants {
				if !strings.Contains(text, w) {
					t.Errorf("diagnosis %q, want it to say %q", text, w)
				}
			}
		})
	}
}

// TestHeartbeatFile: a run's heartbeat is private, says the stage and the
// file under way and the process's memory, and is gone when the run ends.
func TestHeartbeatFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "illectro.duckdb.heartbeat.json")
	b := startHeartbeat(path, 42)
	b.set("ingest", "coverage/c.csv")
	hb := readHeartbeat(path)
	if hb == nil || hb.RunID != 42 || hb.PID != os.Getpid() || hb.Stage != "ingest" || hb.File != "coverage/c.csv" {
		t.Fatalf("heartbeat = %+v, want run 42, this pid, ingest, coverage/c.csv", hb)
	}
	if hb.RSS <= 0 || hb.PeakRSS < hb.RSS || hb.Limit <= 0 || hb.LimitFrom == "" {
		t.Errorf("heartbeat memory = %d resident, %d peak, bound %d (%s); want them read", hb.RSS, hb.PeakRSS, hb.Limit, hb.LimitFrom)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("heartbeat file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	b.end()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("heartbeat file after the run's end: %v, want it removed", err)
	}
}
