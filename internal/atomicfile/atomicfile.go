// Package atomicfile replaces a file so that a reader sees either the old
// content or the new one, never a part: the content goes to a temporary
// sibling, is synced, given its mode and renamed over the name. A symbolic
// link planted under the name is replaced, never followed; a failure leaves
// the old file and no temporary file behind.
package atomicfile

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"
)

// Write creates or replaces path with what write puts into a buffered
// writer, with mode perm (whatever the umask).
func Write(path string, perm fs.FileMode, write func(w *bufio.Writer) error) error {
	return Replace(path, perm, func(tmp *os.File) error {
		w := bufio.NewWriter(tmp)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	})
}

// Replace creates or replaces path with what fill writes into the open
// temporary file (or, closing it first, into its name: DuckDB's COPY TO
// writes a file by name), with mode perm.
func Replace(path string, perm fs.FileMode, fill func(tmp *os.File) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+short(filepath.Base(path))+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil && !errors.Is(err, os.ErrClosed) { // fill may have closed it
		return err
	}
	if err = syncFile(tmp); err != nil {
		return err
	}
	if err = os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// syncFile flushes a written file to stable storage.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// short is the start of a file name, at most 40 bytes cut at a character
// boundary: enough to tell whose temporary file it is, short enough that
// the temporary name stays within the 255 bytes of a name whatever the
// file's.
func short(name string) string {
	if len(name) <= 40 {
		return name
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut]
}
