package pipeline

import (
	"bytes"
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/publish/downloads"
	"github.com/illectro/illectro/reports"
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
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	name = freeName(root, name)
	final := filepath.Join(root, name)
	tmp, err := os.MkdirTemp(root, "."+name+".tmp-")
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	site, err := buildSite(ctx, db, deps)
	if err != nil {
		return "", err
	}
	files, err := downloads.Write(ctx, db, filepath.Join(tmp, downloadsDir))
	if err != nil {
		return "", fmt.Errorf("publish downloads: %w", err)
	}
	for _, f := range files {
		site.Downloads = append(site.Downloads, reports.Download{Path: downloadsDir + "/" + f.Name, Title: f.Title, Format: f.Format, Bytes: f.Bytes})
	}
	if err := reports.Render(tmp, site); err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	expected := []string{"index.html", "methodologie.html", "qualite.html", "assets/echarts.min.js"}
	for _, d := range deps {
		expected = append(expected, "departements/"+d.Code+".html")
	}
	for _, f := range site.Downloads {
		expected = append(expected, f.Path)
	}
	if err := checkSite(tmp, expected); err != nil {
		return "", fmt.Errorf("publish: the new release fails its check, the live one stays: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	return final, nil
}

// freeName is name, or name-2, name-3… when a release of that name exists
// already (two `illectro report` in the same second): the names still sort
// in time order.
func freeName(root, name string) string {
	free := name
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(root, free)); errors.Is(err, fs.ErrNotExist) {
			return free
		}
		free = fmt.Sprintf("%s-%d", name, i)
	}
}

// activateRelease switches cfg.Out, a symbolic link, to the prepared
// release in one rename: readers see the old release or the new one, never
// a mix. It then keeps the newest cfg.KeepReleases releases. On error the
// live release is left as it was.
func activateRelease(cfg Config, final string) error {
	if err := SwitchLink(cfg.Out, final); err != nil {
		return err
	}
	return PruneReleases(cfg.ReleasesDir(), cfg.KeepReleases, filepath.Base(final))
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

// SwitchLink points the symbolic link out at target by renaming a new link
// over it, which is atomic. A real folder at out (published by an older
// illectro) is first moved beside the releases.
func SwitchLink(out, target string) error {
	out = filepath.Clean(out)
	if st, err := os.Lstat(out); err == nil && st.IsDir() {
		// Named like a release, so that pruning sorts it by its time.
		legacy := filepath.Join(filepath.Dir(target), time.Now().UTC().Format("20060102T150405")+"-legacy")
		if err := os.Rename(out, legacy); err != nil {
			return fmt.Errorf("publish: move the old site %s aside: %w", out, err)
		}
	}
	rel, err := filepath.Rel(filepath.Dir(out), target)
	if err != nil {
		rel = target
	}
	tmp := out + ".new-link"
	os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publish: switch %s to %s: %w", out, rel, err)
	}
	return nil
}

// PruneReleases removes all but the newest keep releases of root (by name:
// run ids are zero-padded), never the live one; temporary folders of
// interrupted runs go too. A release is first renamed to a hidden
// temporary name, then removed: a run killed while removing it (removing
// a release takes many system calls) leaves a hidden folder that the next
// pruning removes, never a half-removed release under a release's name,
// which an operator could roll back to.
func PruneReleases(root string, keep int, live string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("prune releases: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") {
			os.RemoveAll(filepath.Join(root, e.Name()))
			continue
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	slices.Reverse(names)
	var errs []error
	for i, n := range names {
		if i < keep || n == live {
			continue
		}
		hidden := filepath.Join(root, "."+n+".tmp-prune")
		if err := os.Rename(filepath.Join(root, n), hidden); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.RemoveAll(hidden); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("prune releases: %w", err)
	}
	return nil
}

// liveRelease is the release out points at, or "" when none.
func LiveRelease(out string) string {
	target, err := os.Readlink(filepath.Clean(out))
	if err != nil {
		return ""
	}
	return filepath.Base(target)
}
