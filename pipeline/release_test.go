package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/reports"
	isql "github.com/illectro/illectro/sql"
)

func TestLockRefusesASecondRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.lock")
	first, err := lockRun(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockRun(path); !errors.Is(err, ErrRunInProgress) || !strings.Contains(err.Error(), "process") {
		t.Errorf("second lock: %v, want %v naming the holder", err, ErrRunInProgress)
	}
	first.unlock()
	again, err := lockRun(path)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again.unlock()
}

func TestCheckSite(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", `<a href="departements/01.html">Ain</a> <a href="#carte">carte</a> <a href="https://www.insee.fr/">Insee</a> <script src="assets/a.js"></script>`)
	write("departements/01.html", `<a href="../index.html#contenu">retour</a><link rel="stylesheet" href="../assets/style.css">`)
	write("assets/a.js", "")
	write("assets/style.css", "")
	if err := checkSite(dir, []string{"index.html", "departements/01.html"}); err != nil {
		t.Errorf("a sound site: %v", err)
	}
	if err := checkSite(dir, []string{"index.html", "qualite.html"}); err == nil || !strings.Contains(err.Error(), "missing qualite.html") {
		t.Errorf("missing page: %v", err)
	}
	write("departements/02.html", `<a href="../methodologie.html">méthode</a> <img src="../../etc/passwd">`)
	err := checkSite(dir, nil)
	if err == nil || !strings.Contains(err.Error(), "broken link ../methodologie.html") || !strings.Contains(err.Error(), "links outside the site") {
		t.Errorf("broken links: %v", err)
	}
}

func TestPruneReleases(t *testing.T) {
	root := t.TempDir()
	names := []string{"20261120T043000-run1", "20261121T043000-run2", "20261122T043000-run3", "20261123T043000-run4", ".20261123T050000-run5.tmp-123"}
	for _, n := range names {
		os.Mkdir(filepath.Join(root, n), 0o755)
	}
	// The live release is the oldest (a rollback): it is kept whatever keep says.
	if err := PruneReleases(root, 2, "20261120T043000-run1"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(root)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{"20261120T043000-run1", "20261122T043000-run3", "20261123T043000-run4"}
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
}

// TestInterruptedRunKeepsItsRelease: a run killed after switching the site
// to its release is recorded, by the next run, as interrupted with that
// release; one killed before keeps none.
func TestInterruptedRunKeepsItsRelease(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	ctx := t.Context()
	db, err := isql.Open(ctx, cfg.DB, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO runs (run_id, trigger, started_at, status, release) VALUES (1, 'manual', now(), 'succeeded', '20260101T000000-run1')`,
		`INSERT INTO runs (run_id, trigger, started_at, status) VALUES (2, 'schedule', now(), 'running')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join("releases", "20260102T000000-run2"), cfg.Out); err != nil {
		t.Fatal(err)
	}
	id, _, err := startRun(ctx, db, cfg, "manual", time.Now())
	if err != nil || id != 3 {
		t.Fatalf("startRun = %d, %v; want run 3", id, err)
	}
	var status, release, msg, kind string
	db.QueryRowContext(ctx, `SELECT status, coalesce(release, ''), coalesce(error, ''), coalesce(error_kind, '') FROM runs WHERE run_id = 2`).Scan(&status, &release, &msg, &kind)
	if status != "failed" || release != "20260102T000000-run2" || !strings.HasPrefix(msg, "interrupted") || kind != ErrRunInterrupted.Code {
		t.Errorf("run 2 = %s, %q, %q, %q; want failed, its release, interrupted, kind interrupted", status, release, msg, kind)
	}

	// Killed before its switch: the live release is another run's.
	if _, err := db.ExecContext(ctx, `UPDATE runs SET status = 'running' WHERE run_id = 3`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := startRun(ctx, db, cfg, "manual", time.Now()); err != nil {
		t.Fatal(err)
	}
	db.QueryRowContext(ctx, `SELECT coalesce(release, '') FROM runs WHERE run_id = 3`).Scan(&release)
	if release != "" {
		t.Errorf("run 3, killed before its switch, has release %q, want none", release)
	}
}

// localRefExpr is what localRefs replaces: it must find the same values.
var localRefExpr = regexp.MustCompile(`(?i)\s(?:src|href)="([^"]*)"`)

func FuzzLocalRefs(f *testing.F) {
	for _, s := range []string{
		`<a href="x.html">`, `<script src="a.js"></script><link rel="stylesheet" href='b.css'>`,
		`<IMG SRC="c.png">`, `<a class="href" title="src=" href="d.html#e">`, "<a\thref=\"f\">", `xhref="g"`,
		`<a href="">`, `<a href="unclosed`, `="`, ` src=""="`, ` href="a" src="b"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []string
		for _, m := range localRefExpr.FindAllSubmatch(b, -1) {
			want = append(want, string(m[1]))
		}
		var got []string
		for _, m := range localRefs(b) {
			got = append(got, string(m))
		}
		if !slices.Equal(got, want) {
			t.Errorf("localRefs(%q) = %q, the expression finds %q", b, got, want)
		}
	})
}

// The pages of the bundled run give the same links both ways.
func TestLocalRefsOnPages(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "reports", "testdata", "*", "*.html"))
	if len(pages) == 0 {
		t.Fatal("no golden page to read")
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want := localRefExpr.FindAllSubmatch(b, -1)
		got := localRefs(b)
		if len(got) != len(want) {
			t.Errorf("%s: %d links, the expression finds %d", p, len(got), len(want))
			continue
		}
		for i := range got {
			if string(got[i]) != string(want[i][1]) {
				t.Errorf("%s: link %d = %q, want %q", p, i, got[i], want[i][1])
			}
		}
	}
}

// A site published by an illectro older than releases (a real folder at
// Out) is moved among the releases, not lost nor overwritten.
func TestActivateReleaseAdoptsALegacySite(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	cfg.KeepReleases = 2
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Out, "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	final := filepath.Join(cfg.ReleasesDir(), "20991231T000000-run1")
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := activateRelease(cfg, final); err != nil {
		t.Fatal(err)
	}
	if got := LiveRelease(cfg.Out); got != filepath.Base(final) {
		t.Errorf("live release %q, want %s", got, filepath.Base(final))
	}
	legacy, _ := filepath.Glob(filepath.Join(cfg.ReleasesDir(), "*-legacy", "index.html"))
	if len(legacy) != 1 {
		t.Fatalf("the old site is not among the releases: %v", legacy)
	}
	if b, _ := os.ReadFile(legacy[0]); string(b) != "old" {
		t.Errorf("the old site's page holds %q", b)
	}
}

// Every kind of rejected row the loader stores has a French label of its
// own on the data-quality page.
func TestEveryRejectKindHasAFrenchLabel(t *testing.T) {
	for _, k := range ingest.RejectKinds() {
		if !reports.HasRejectKindLabel(k.Code) {
			t.Errorf("reject kind %q (%v) has no label in reports", k.Code, k)
		}
	}
}

// Every kind of quality finding the loader records has a French label of
// its own on the data-quality and département pages.
func TestEveryFindingKindHasAFrenchLabel(t *testing.T) {
	for _, k := range ingest.FindingKinds() {
		if !reports.HasFindingLabel(k) {
			t.Errorf("finding kind %q has no label in reports", k)
		}
	}
}

// Every kind of refused file and of failed run has a French label of its
// own on the data-quality page.
func TestEveryErrorKindHasAFrenchLabel(t *testing.T) {
	for _, k := range ingest.FileErrorKinds() {
		if !reports.HasFileErrorKindLabel(k.Code) {
			t.Errorf("file error kind %q (%v) has no label in reports", k.Code, k)
		}
	}
	for _, k := range RunErrorKinds() {
		if !reports.HasRunErrorKindLabel(k.Code) {
			t.Errorf("run error kind %q (%v) has no label in reports", k.Code, k)
		}
	}
}

// TestReleasesTiedToTheirDatabase: two databases in one folder shared the
// default releases folder, and each run's pruning deleted the other's
// releases. The first database to publish there owns it; the other is
// refused with both named, and what to set.
func TestReleasesTiedToTheirDatabase(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "releases")
	identity := func(name string) isql.SnapshotInfo {
		db, err := isql.Open(t.Context(), filepath.Join(dir, name), isql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		id, err := isql.DatabaseIdentity(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b := identity("a.duckdb"), identity("b.duckdb")
	if a.DatabaseID == b.DatabaseID || a.DatabaseID == "" {
		t.Fatalf("ids %q and %q, want two distinct ids", a.DatabaseID, b.DatabaseID)
	}
	for range 2 {
		if err := claimReleases(root, a); err != nil {
			t.Fatalf("a claims its releases: %v", err)
		}
	}
	err := claimReleases(root, b)
	if !errors.Is(err, ErrReleasesOfAnotherDatabase) {
		t.Fatalf("b claims a's releases: %v, want ErrReleasesOfAnotherDatabase", err)
	}
	for _, w := range []string{a.DatabasePath, b.DatabasePath, "configuration key releases"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q, want it to name %q", err, w)
		}
	}
	file := filepath.Join(root, releasesOwnerFile)
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, want mode 0600", file, err)
	}
	// a, moved: the same id at another path keeps its releases.
	moved := a
	moved.DatabasePath = filepath.Join(dir, "elsewhere", "a.duckdb")
	if err := claimReleases(root, moved); err != nil {
		t.Errorf("a moved: %v", err)
	}
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), moved.DatabasePath) {
		t.Errorf("owner file %s, want a's new path", data)
	}
	// Pruning by a's runs never reached b: b has its own folder.
	if err := claimReleases(filepath.Join(dir, "releases-b"), b); err != nil {
		t.Errorf("b in its own releases folder: %v", err)
	}
}
