package pipeline

import (
	"bufio"
	"bytes"
	"context"
	gosql "database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/publish"
	"github.com/illectro/illectro/publish/downloads"
	"github.com/illectro/illectro/reports"
	isql "github.com/illectro/illectro/sql"
)

// downloadsDir is the folder of the data files, inside the published site.
const downloadsDir = "telechargements"

// publishRelease prepares the release (prepareRelease) and switches to it
// (activateRelease).
func PublishRelease(ctx context.Context, db *gosql.DB, cfg Config, name string, deps []geo.Departement) (string, error) {
	final, err := prepareRelease(ctx, db, cfg, name, deps)
	if err != nil {
		return "", err
	}
	return final, activateRelease(cfg, final)
}

// prepareRelease renders the site of this run into <releases>/<name> and
// checks it (every expected page present, no broken local link). Readers
// do not see it until activateRelease. It returns the release's folder.
func prepareRelease(ctx context.Context, db *gosql.DB, cfg Config, name string, deps []geo.Departement) (string, error) {
	root := cfg.ReleasesDir()
	self, err := isql.DatabaseIdentity(ctx, db)
	if err != nil {
		return "", err
	}
	if err := claimReleases(root, self); err != nil {
		return "", err
	}
	tmp, err := publish.Stage(root, name)
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once placed
	// The downloads are written while the site's figures are read and its
	// pages made: the downloads and the figures only read the database,
	// each on its connections, and only the national and methodology pages
	// list the downloads (reports.RenderAwaiting makes them last). The
	// communes' workbook alone takes as long as the other downloads, so
	// this keeps both cores busy. Failures are reported as when these ran
	// one after the other: the figures', then the downloads', then the
	// rendering's.
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type written struct {
		files []downloads.File
		err   error
	}
	dl := make(chan written, 1)
	go func() {
		files, err := downloads.Write(dctx, db, filepath.Join(tmp, downloadsDir))
		dl <- written{files, err}
	}()
	// Every return below waits for the downloads first: they write into
	// tmp, which is removed on return.
	site, err := buildSite(ctx, db, deps)
	if err != nil {
		cancel()
		<-dl
		return "", err
	}
	var (
		listed []reports.Download
		dlErr  error
		waited bool
	)
	await := func() ([]reports.Download, error) {
		waited = true
		w := <-dl
		if w.err != nil {
			dlErr = fmt.Errorf("publish downloads: %w", w.err)
			return nil, dlErr
		}
		for _, f := range w.files {
			listed = append(listed, reports.Download{Path: downloadsDir + "/" + f.Name, Title: f.Title, Format: f.Format, Bytes: f.Bytes})
		}
		return listed, nil
	}
	dict, err := downloads.Dictionary()
	if err != nil {
		if _, err := await(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("publish downloads: %w", err)
	}
	for _, c := range dict {
		site.Dictionary = append(site.Dictionary, reports.DictionaryColumn(c))
	}
	err = reports.RenderAwaiting(tmp, site, await)
	if !waited { // the rendering failed before it needed the downloads
		await()
	}
	if dlErr != nil {
		return "", dlErr
	}
	if err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	expected := []string{"index.html", "methodologie.html", "qualite.html", "assets/echarts.min.js"}
	for _, d := range deps {
		expected = append(expected, "departements/"+d.Code+".html")
	}
	for _, f := range listed {
		expected = append(expected, f.Path)
	}
	if err := checkSite(tmp, expected); err != nil {
		return "", fmt.Errorf("publish: the new release fails its check, the live one stays: %w", err)
	}
	placed, err := publish.Place(tmp, root, name)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, placed), nil
}

// releasesOwnerFile names, in a releases folder, the database whose runs
// publish there (its id and path, JSON, mode 0600).
const releasesOwnerFile = ".illectro-database"

// ErrReleasesOfAnotherDatabase marks a releases folder that another
// database's runs publish to.
var ErrReleasesOfAnotherDatabase = errors.New("releases folder of another database")

// releasesOwner is what releasesOwnerFile holds.
type releasesOwner struct {
	ID   string `json:"database_id"`
	Path string `json:"database_path"`
}

// claimReleases ties the releases folder root to the database self: the
// first run to publish there records it; a run of another database is
// refused, since its pruning would delete the other's releases (the live
// one of its site included) and the two sites would mix. Two databases in
// one folder share the default releases folder ("releases" beside out):
// each needs its own `releases`.
func claimReleases(root string, self isql.SnapshotInfo) error {
	file := filepath.Join(root, releasesOwnerFile)
	data, err := os.ReadFile(file)
	switch {
	case err == nil:
		var owner releasesOwner
		if jerr := json.Unmarshal(data, &owner); jerr == nil && owner.ID != "" {
			if owner.ID != self.DatabaseID {
				return fmt.Errorf("publish: %w: %s holds the releases of the database %s (id %s), not of this one, %s (id %s): give each database its own releases folder (configuration key releases)",
					ErrReleasesOfAnotherDatabase, root, owner.Path, owner.ID, self.DatabasePath, self.DatabaseID)
			}
			if owner.Path == self.DatabasePath {
				return nil
			}
			// the same database, moved: record where it is now
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("publish: read %s: %w", file, err)
	}
	if err := publish.MakeRoot(root); err != nil {
		return err
	}
	out, err := json.Marshal(releasesOwner{ID: self.DatabaseID, Path: self.DatabasePath})
	if err != nil {
		return err
	}
	return atomicfile.Write(file, 0o600, func(w *bufio.Writer) error {
		_, err := w.Write(append(out, '\n'))
		return err
	})
}

// activateRelease switches cfg.Out, a symbolic link, to the prepared
// release in one rename: readers see the old release or the new one, never
// a mix. It then keeps the newest cfg.KeepReleases releases. On error the
// live release is left as it was.
func activateRelease(cfg Config, final string) error {
	if err := adoptLegacySite(cfg.Out, cfg.ReleasesDir()); err != nil {
		return err
	}
	if err := publish.SwitchLink(cfg.Out, final); err != nil {
		return err
	}
	return PruneReleases(cfg.ReleasesDir(), cfg.KeepReleases, filepath.Base(final))
}

// adoptLegacySite moves a real folder at out (a site published by an
// illectro older than releases) into the releases folder, named like a
// release so that pruning sorts it by its time.
func adoptLegacySite(out, releases string) error {
	st, err := os.Lstat(filepath.Clean(out))
	if err != nil || !st.IsDir() {
		return nil
	}
	legacy := filepath.Join(releases, time.Now().UTC().Format("20060102T150405")+"-legacy")
	if err := os.Rename(out, legacy); err != nil {
		return fmt.Errorf("publish: move the old site %s aside: %w", out, err)
	}
	return nil
}

// localRef finds the src and href attributes of a page.
// localRefs returns the values of the src="…" and href="…" attributes of
// an HTML page (attribute name in any ASCII case, after white space), in
// order: what the regular expression (?i)\s(?:src|href)="([^"]*)" finds,
// without its cost (the expression took a third of the report stage).
func localRefs(b []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte(`="`))
		if j < 0 {
			break
		}
		eq := i + j
		end := bytes.IndexByte(b[eq+2:], '"')
		if end < 0 {
			break
		}
		if refAttribute(b[:eq]) {
			out = append(out, b[eq+2:eq+2+end])
			i = eq + 2 + end + 1
			continue
		}
		i = eq + 1
	}
	return out
}

// refAttribute reports whether b ends with white space then src or href,
// in any case.
func refAttribute(b []byte) bool {
	for _, name := range []string{"src", "href"} {
		n := len(name)
		if len(b) > n && bytes.EqualFold(b[len(b)-n:], []byte(name)) {
			switch b[len(b)-n-1] {
			case ' ', '\t', '\n', '\f', '\r':
				return true
			}
		}
	}
	return false
}

// checkSite verifies that every expected file exists under dir and that
// every local link and asset of every page resolves to a file.
func checkSite(dir string, expected []string) error {
	var problems []string
	for _, e := range expected {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(e))); err != nil {
			problems = append(problems, "missing "+e)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for _, m := range localRefs(b) {
			ref := string(m)
			if ref == "" || strings.HasPrefix(ref, "#") || strings.Contains(ref, ":") || strings.HasPrefix(ref, "//") {
				continue // in-page anchor, or another scheme (https:, mailto:…): not a local file
			}
			ref, _, _ = strings.Cut(ref, "#")
			ref, _, _ = strings.Cut(ref, "?")
			target := path.Join(path.Dir(filepath.ToSlash(rel)), ref)
			if strings.HasPrefix(target, "../") {
				problems = append(problems, fmt.Sprintf("%s links outside the site: %s", rel, ref))
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
				problems = append(problems, fmt.Sprintf("%s: broken link %s", rel, ref))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// PruneReleases removes all but the newest keep releases of root, never
// the live one, and what interrupted runs left (publish.Prune).
func PruneReleases(root string, keep int, live string) error {
	return publish.Prune(root, "", nil, keep, live)
}

// LiveRelease is the release out points at, or "" when none.
func LiveRelease(out string) string { return publish.Live(out) }
