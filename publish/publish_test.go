package publish_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/illectro/illectro/publish"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// stageAndPlace publishes a version holding one file, as a caller does.
func stageAndPlace(t *testing.T, root, name string) string {
	t.Helper()
	tmp, err := publish.Stage(root, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "index.html"), []byte(name), 0o644); err != nil {
		t.Fatal(err)
	}
	placed, err := publish.Place(tmp, root, name)
	if err != nil {
		t.Fatal(err)
	}
	return placed
}

// Two versions named in the same second get distinct folders, in order,
// and the staged folders are gone.
func TestPlaceSameSecond(t *testing.T) {
	root := filepath.Join(t.TempDir(), "releases")
	const name = "20261203T091500-report"
	var got []string
	for range 3 {
		got = append(got, stageAndPlace(t, root, name))
	}
	want := []string{name, name + "-2", name + "-3"}
	if !slices.Equal(got, want) || !slices.IsSorted(got) {
		t.Errorf("names %v, want %v, sorted", got, want)
	}
	if left := entries(t, root); !slices.Equal(left, want) {
		t.Errorf("root holds %v, want %v", left, want)
	}
	if b, _ := os.ReadFile(filepath.Join(root, name, "index.html")); string(b) != name {
		t.Errorf("the first version was replaced: %q", b)
	}
}

// An empty folder under the name (an operator's mkdir) is not replaced.
func TestPlaceNeverReplacesAFolder(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "v1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := stageAndPlace(t, root, "v1"); got != "v1-2" {
		t.Errorf("placed as %s, want v1-2", got)
	}
}

func TestSwitchLink(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "releases")
	link := filepath.Join(dir, "public")
	if got := publish.Live(link); got != "" {
		t.Errorf("Live before any version = %q", got)
	}
	for _, v := range []string{"v1", "v2"} {
		stageAndPlace(t, root, v)
		if err := publish.SwitchLink(link, filepath.Join(root, v)); err != nil {
			t.Fatal(err)
		}
		if got := publish.Live(link); got != v {
			t.Errorf("Live = %q, want %s", got, v)
		}
		if b, err := os.ReadFile(filepath.Join(link, "index.html")); err != nil || string(b) != v {
			t.Errorf("through the link: %q, %v; want %s", b, err, v)
		}
	}
	// The link is relative: the folder can be moved as a whole.
	if target, _ := os.Readlink(link); target != filepath.Join("releases", "v2") {
		t.Errorf("link target %q, want releases/v2", target)
	}
	// A link left by a switch killed between its two steps goes next time.
	if err := os.Symlink("releases/v1", filepath.Join(dir, ".public.link-dead")); err != nil {
		t.Fatal(err)
	}
	if err := publish.SwitchLink(link, filepath.Join(root, "v1")); err != nil {
		t.Fatal(err)
	}
	if left := entries(t, dir); !slices.Equal(left, []string{"public", "releases"}) {
		t.Errorf("after a switch, %v", left)
	}
}

// A real folder or file at the link is never replaced.
func TestSwitchLinkRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "public")
	if err := os.Mkdir(link, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(link, "keep.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := publish.SwitchLink(link, filepath.Join(dir, "v1"))
	if err == nil || !strings.Contains(err.Error(), "not a symbolic link") {
		t.Errorf("SwitchLink over a folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(link, "keep.html")); err != nil {
		t.Errorf("the folder was touched: %v", err)
	}
}

func TestPrune(t *testing.T) {
	tests := []struct {
		name      string
		entries   []string
		prefix    string
		isVersion func(string) bool
		keep      int
		protect   []string
		want      []string
	}{
		{
			name:    "releases: the live one is kept whatever keep says (a rollback)",
			entries: []string{"20261120T043000-run1", "20261121T043000-run2", "20261122T043000-run3", "20261123T043000-run4", ".20261123T050000-run5.tmp-123", ".20261119T043000-run0.tmp-prune"},
			keep:    2, protect: []string{"20261120T043000-run1"},
			want: []string{"20261120T043000-run1", "20261122T043000-run3", "20261123T043000-run4"},
		},
		{
			name:    "snapshots in a shared folder: only the matching versions and leftovers",
			entries: []string{"snapshot.20260101T000000Z", "snapshot.20260102T000000Z", "snapshot.20260103T000000Z", "snapshot.notes", ".snapshot.tmp-1", ".other.tmp-1", "illectro.duckdb"},
			prefix:  "snapshot.", isVersion: func(n string) bool { return strings.HasSuffix(n, "Z") },
			protect: []string{"snapshot.20260103T000000Z", "snapshot.20260101T000000Z"},
			want:    []string{".other.tmp-1", "illectro.duckdb", "snapshot.20260101T000000Z", "snapshot.20260103T000000Z", "snapshot.notes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, n := range tt.entries {
				if err := os.Mkdir(filepath.Join(root, n), 0o755); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(root, n, "f"), nil, 0o644)
			}
			if err := publish.Prune(root, tt.prefix, tt.isVersion, tt.keep, tt.protect...); err != nil {
				t.Fatal(err)
			}
			if got := entries(t, root); !slices.Equal(got, tt.want) {
				t.Errorf("left %v, want %v", got, tt.want)
			}
		})
	}
}
