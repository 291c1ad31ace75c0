package atomicfile

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	write := func(s string) func(*bufio.Writer) error {
		return func(w *bufio.Writer) error { _, err := w.WriteString(s); return err }
	}
	if err := Write(path, 0o600, write("one")); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o644, write("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Errorf("content = %q, want the second write", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want 0644", st.Mode().Perm())
	}

	// A failed write leaves the old file and no temporary file.
	failed := errors.New("disk full")
	err := Write(path, 0o644, func(w *bufio.Writer) error { w.WriteString("half"); return failed })
	if !errors.Is(err, failed) {
		t.Errorf("Write = %v, want %v", err, failed)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Errorf("after a failed write, content = %q, want the old one", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after a failed write, the folder holds %d entries, want the file alone", len(entries))
	}

	// A symbolic link under the name is replaced, never followed.
	target := filepath.Join(dir, "target.txt")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, 0o644, write("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target was overwritten: %q", b)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink != 0 {
		t.Error("the link is still a link")
	}
}

func TestReplaceByName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.csv")
	err := Replace(path, 0o644, func(tmp *os.File) error {
		tmp.Close() // as a writer that writes by name does
		return os.WriteFile(tmp.Name(), []byte("a,b\n"), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
		t.Errorf("content = %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want 0644", st.Mode().Perm())
	}
}

// A name of 255 bytes (the most a file system takes) still gets its
// temporary sibling.
func TestWriteLongName(t *testing.T) {
	name := strings.Repeat("é", 125) + ".csv" // 254 bytes
	path := filepath.Join(t.TempDir(), name)
	if err := Write(path, 0o644, func(w *bufio.Writer) error { _, err := w.WriteString("x"); return err }); err != nil {
		t.Fatalf("Write of a 254-byte name: %v", err)
	}
}
