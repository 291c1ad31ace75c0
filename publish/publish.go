// Package publish puts complete versions of a folder before readers, the
// one way illectro publishes: the site's releases (pipeline) and the
// analysts' snapshots (sql) both go through it.
//
// A version is written into a hidden temporary folder (Stage), checked by
// the caller, renamed to its final name in one step (Place), and a symbolic
// link is switched to it by renaming a new link over the old one
// (SwitchLink): a reader that opens the link finds the old version or the
// new one, never a half-written one nor none. Old versions are removed by
// Prune, which renames each out of sight before removing it, so that a
// process killed in the middle leaves a hidden leftover (removed by the
// next Prune), never a half-removed folder under a version's name, which an
// operator could roll back to.
//
// Symbolic links need Linux or macOS (or Windows' developer mode). Calls
// for one root must not run concurrently; readers may.
package publish

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxSameName bounds the -2, -3… suffixes Place tries.
const maxSameName = 1000

// Stage creates a hidden temporary folder ".<name>.tmp-…" in root (and
// root itself if needed), readable by all (0755, whatever the umask), to
// write a version into. The caller removes it if it does not Place it.
func Stage(root, name string) (string, error) {
	if err := MakeRoot(root); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, "."+name+".tmp-")
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("publish: %w", err)
	}
	return tmp, nil
}

// MakeRoot creates root, the folder of the versions, when it does not
// exist: readable by all (0755) whatever the umask. An existing root keeps
// the mode its operator gave it.
func MakeRoot(root string) error {
	if _, err := os.Stat(root); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// Place renames the complete folder tmp to root/name, or root/name-2,
// name-3… when a version of that name exists already (two runs in the
// same second), and returns the name it took. Names of one second still
// sort in time order up to name-9.
//
// Everything in tmp is made readable by all first, whatever the umask it
// was written under (illectro runs under umask 077: Readable).
func Place(tmp, root, name string) (string, error) {
	if err := Readable(tmp); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	for i := 1; i <= maxSameName; i++ {
		version := name
		if i > 1 {
			version = fmt.Sprintf("%s-%d", name, i)
		}
		final := filepath.Join(root, version)
		if _, err := os.Lstat(final); err == nil {
			continue // renaming over an empty folder would succeed: do not
		}
		err := os.Rename(tmp, final)
		if err == nil {
			return version, nil
		}
		// Renaming a folder over a non-empty one fails with EEXIST or
		// ENOTEMPTY, both ErrExist: another process took the name.
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("publish: %w", err)
		}
	}
	return "", fmt.Errorf("publish: %d versions named %s already in %s", maxSameName, name, root)
}

// CheckLink returns an error when something else than a symbolic link is
// at link: SwitchLink would refuse to replace it.
func CheckLink(link string) error {
	if st, err := os.Lstat(link); err == nil && st.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("publish: %s exists and is not a symbolic link to a published version: move it aside", link)
	}
	return nil
}

// SwitchLink points the symbolic link link at the folder target, by a
// relative path when it can, by renaming a new link over it: atomic, the
// link always exists once created. It refuses to replace anything but a
// symbolic link. Links left by an interrupted switch are removed.
func SwitchLink(link, target string) error {
	link = filepath.Clean(link)
	if err := CheckLink(link); err != nil {
		return err
	}
	dir, base := filepath.Split(link)
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		rel = target
	}
	var b [6]byte
	rand.Read(b[:])
	tmp := filepath.Join(dir, "."+base+".link-"+hex.EncodeToString(b[:]))
	if err := os.Symlink(rel, tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publish: switch %s to %s: %w", link, rel, err)
	}
	if stale, err := filepath.Glob(filepath.Join(dir, "."+base+".link-*")); err == nil {
		for _, s := range stale {
			if st, err := os.Lstat(s); err == nil && st.Mode()&fs.ModeSymlink != 0 {
				os.Remove(s) // best effort: a link a killed switch left
			}
		}
	}
	return nil
}

// Live is the name of the version link points at, or "" when there is
// none.
func Live(link string) string {
	target, err := os.Readlink(filepath.Clean(link))
	if err != nil {
		return ""
	}
	return filepath.Base(target)
}

// Prune removes the versions in root but the newest keep (by name: names
// sort in time order) and those named in protect (the live one, the one a
// reader may still be opening). Versions are the folders whose name has
// prefix and that isVersion accepts (nil accepts all). Hidden leftovers of
// interrupted stages and prunes, ".<prefix>….tmp-…", go too.
func Prune(root, prefix string, isVersion func(name string) bool, keep int, protect ...string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("publish: prune %s: %w", root, err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "."+prefix) && strings.Contains(n, ".tmp-") {
			os.RemoveAll(filepath.Join(root, n)) // best effort: next time otherwise
			continue
		}
		if e.IsDir() && !strings.HasPrefix(n, ".") && strings.HasPrefix(n, prefix) && (isVersion == nil || isVersion(n)) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	slices.Reverse(names)
	var errs []error
	for i, n := range names {
		if i < keep || slices.Contains(protect, n) {
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
		return fmt.Errorf("publish: prune %s: %w", root, err)
	}
	return nil
}

// Readable gives every folder under dir (dir included) mode 0755 and every
// regular file read permission for all, keeping its other bits (a file
// made read-only, 0444, stays so; one written 0600 becomes 0644). Symbolic
// links are left alone.
func Readable(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return os.Chmod(p, 0o755)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.Chmod(p, info.Mode().Perm()|0o444)
		}
		return nil
	})
}
