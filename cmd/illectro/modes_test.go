package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFileModesUnderUmask022: started under the usual umask 022, illectro
// keeps what it writes private (the working database, and the write-ahead
// log DuckDB creates as it goes, which Open's chmod cannot reach; the lock,
// the inbox's processed/ folder) and makes readable only what it
// publishes: the releases (folders 0755, files 0644) and the analysts'
// snapshot (folders 0755, files 0444). Before, the WAL of a load was
// created 0644: pseudonymised rows readable by every local user.
// The database and its WAL are watched during a whole load rather than
// after a kill: DuckDB removes and recreates the WAL at checkpoints.
func TestFileModesUnderUmask022(t *testing.T) {
	if testing.Short() {
		t.Skip("a killed load and a pipeline run in child processes")
	}
	old := syscall.Umask(0o022) // the children inherit it
	defer syscall.Umask(old)
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	const key = "ILLECTRO_HMAC_KEY=modes-test-key-0123456789"

	// A load of 1 M rows: every time the database or its write-ahead log
	// is seen while it runs, it is private.
	big := filepath.Join(dir, "big.csv")
	writeSynthAssessments(t, big, 1_000_000, 6)
	load := crashChild(key, "ingest", "--kind", "assessments", "--db", db, big)
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- load.Wait() }()
	seen := map[string]map[fs.FileMode]int{}
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("ingest: %v", err)
			}
			running = false
		case <-time.After(5 * time.Millisecond):
		}
		for _, p := range []string{db, db + ".wal"} {
			if info, err := os.Stat(p); err == nil {
				if seen[filepath.Base(p)] == nil {
					seen[filepath.Base(p)] = map[fs.FileMode]int{}
				}
				seen[filepath.Base(p)][info.Mode().Perm()]++
			}
		}
	}
	t.Logf("modes seen during the load: %v", seen)
	if len(seen["illectro.duckdb.wal"]) == 0 {
		t.Error("the write-ahead log was never seen during the load")
	}
	for name, modes := range seen {
		for m, n := range modes {
			if m != 0o600 {
				t.Errorf("%s seen %d times with mode %v, want 0600 only", name, n, m)
			}
		}
	}

	// A run publishes a release and a snapshot.
	inbox := filepath.Join(dir, "inbox")
	writeInbox(t, filepath.Join(inbox, "mediators", "structures.csv"), []byte(
		"nom_structure,siret,code_insee,code_postal,nb_conseillers_attribues,nb_conseillers_recrutes\nBOCAGE NUMERIQUE,84009530100015,03218,03160,3,3\n"))
	out := filepath.Join(dir, "public")
	cmd := crashChild(key, "run", "--db", db, "--out", out, "--inbox", inbox)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, tail(string(b), 20))
	}
	want := map[string]fs.FileMode{
		db:           0o600,
		db + ".lock": 0o600,
		filepath.Join(inbox, "mediators", "processed"):                   0o700,
		filepath.Join(inbox, "mediators", "processed", "structures.csv"): 0o600,
		filepath.Join(dir, "releases"):                                   0o755,
	}
	for p, m := range want {
		if info, err := os.Stat(p); err != nil {
			t.Error(err)
		} else if info.Mode().Perm() != m {
			t.Errorf("%s: mode %v, want %v", strings.TrimPrefix(p, dir), info.Mode().Perm(), m)
		}
	}
	if _, err := os.Stat(db + ".heartbeat.json"); !os.IsNotExist(err) {
		t.Errorf("heartbeat file after the run: %v, want it removed", err)
	}
	checkTree := func(root string, dirMode, fileMode fs.FileMode) {
		t.Helper()
		n := 0
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Error(err)
				return err
			}
			info, _ := d.Info()
			switch {
			case d.IsDir() && info.Mode().Perm() != dirMode:
				t.Errorf("folder %s: mode %v, want %v", strings.TrimPrefix(p, dir), info.Mode().Perm(), dirMode)
			case d.Type().IsRegular() && info.Mode().Perm() != fileMode:
				t.Errorf("file %s: mode %v, want %v", strings.TrimPrefix(p, dir), info.Mode().Perm(), fileMode)
			}
			n++
			return nil
		})
		if n < 5 {
			t.Errorf("%s holds %d entries, want a published tree", root, n)
		}
	}
	release, err := filepath.EvalSymlinks(out)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(release, 0o755, 0o644)
	snaps, _ := filepath.Glob(filepath.Join(dir, "snapshot.*"))
	if len(snaps) != 1 {
		t.Fatalf("snapshots %q, want one", snaps)
	}
	checkTree(snaps[0], 0o755, 0o444)
}
