package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// TestInboxMoveFile moves inbox files in the cases a run meets: a reason
// written where a symbolic link was planted replaces the link, never the
// file it points to; names too long for the reason's or the date's suffix
// are shortened at a character boundary.
func TestInboxMoveFile(t *testing.T) {
	long := func(prefix string, n int) string { // a name of n bytes ending in .csv
		s := prefix
		for len(s)+len("é")+len(".csv") <= n {
			s += "é"
		}
		return s + strings.Repeat("x", n-len(s)-len(".csv")) + ".csv"
	}
	tests := []struct {
		name     string
		to       string
		reason   string
		existing bool // a file of that name is already in the folder
	}{
		{name: "plain.csv", to: "processed"},
		{name: "refused.csv", to: "failed", reason: "no header"},
		{name: long("a", 255), to: "failed", reason: "no header"},
		{name: long("b", 250), to: "processed", existing: true},
		{name: long("c", 255), to: "failed", reason: "no header", existing: true},
		{name: strings.Repeat("z", 219) + ".a-very-long-extension-for-sure", to: "failed", reason: "no header"}, // 250 bytes
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%.20s/%d", tc.name, len(tc.name)), func(t *testing.T) {
			root := t.TempDir()
			inbox := filepath.Join(root, "inbox", "venues")
			victim := filepath.Join(root, "victim.txt")
			writeInbox(t, victim, []byte("keep me\n"))
			writeInbox(t, filepath.Join(inbox, tc.name), []byte("data\n"))
			dir := filepath.Join(inbox, tc.to)
			os.MkdirAll(dir, 0o755)
			if tc.existing {
				writeInbox(t, filepath.Join(dir, tc.name), []byte("earlier\n"))
			}
			if tc.reason != "" && len(tc.name)+len(".reason.txt") <= 255 {
				if err := os.Symlink(victim, filepath.Join(dir, tc.name+".reason.txt")); err != nil {
					t.Fatal(err)
				}
			}
			if err := moveInboxFile(filepath.Join(inbox, tc.name), tc.to, tc.reason); err != nil {
				t.Fatalf("moveInboxFile(%q, %q) = %v", tc.name, tc.to, err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "keep me\n" {
				t.Errorf("the file behind the planted link now holds %q", b)
			}
			if _, err := os.Lstat(filepath.Join(inbox, tc.name)); err == nil {
				t.Errorf("%q is still in the inbox", tc.name)
			}
			var moved []string
			for _, n := range namesIn(t, dir) {
				if !utf8.ValidString(n) {
					t.Errorf("%q was cut inside a character", n)
				}
				if len(n) > 255 {
					t.Errorf("%q has %d bytes", n, len(n))
				}
				if strings.HasSuffix(n, ".reason.txt") || strings.HasPrefix(n, ".") {
					continue
				}
				b, _ := os.ReadFile(filepath.Join(dir, n))
				if string(b) == "data\n" {
					moved = append(moved, n)
				}
			}
			if len(moved) != 1 {
				t.Fatalf("%s/ holds %q, want the moved file once", tc.to, namesIn(t, dir))
			}
			// Private: they may hold respondents' ids.
			if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("%s/ mode %v (%v), want 0700", tc.to, fi.Mode().Perm(), err)
			}
			if fi, err := os.Stat(filepath.Join(dir, moved[0])); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("moved file mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}
			if tc.reason == "" {
				return
			}
			reason := filepath.Join(dir, moved[0]+".reason.txt")
			fi, err := os.Lstat(reason)
			if err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("no regular reason file beside %q: %v", moved[0], err)
			}
			if b, _ := os.ReadFile(reason); string(b) != tc.reason+"\n" || fi.Mode().Perm() != 0o600 {
				t.Errorf("reason = %q (mode %v), want %q (0600)", b, fi.Mode().Perm(), tc.reason+"\n")
			}
		})
	}
}

// TestInboxRemoteSourceNames fetches sources whose file names, set or taken
// from the URL, try to write outside <inbox>/<kind>/: each is refused with
// a clear reason before any request, or saved under a plain name inside.
func TestInboxRemoteSourceNames(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		io.WriteString(w, "code_insee;date\n"+r.URL.EscapedPath()+"\n")
	}))
	defer srv.Close()

	root := t.TempDir()
	base := filepath.Join(root, "a", "b")
	inbox := filepath.Join(base, "inbox")
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(base, "illectro.duckdb")
	cfg.Inbox = inbox
	refused := []SourceConfig{
		{Kind: "coverage", URL: srv.URL + "/f1.csv", Name: "../escape.csv"},
		{Kind: "coverage", URL: srv.URL + "/f2.csv", Name: "/etc/x.csv"},
		{Kind: "coverage", URL: srv.URL + "/f3.csv", Name: "a/../../b.csv"},
		{Kind: "coverage", URL: srv.URL + "/f4.csv", Name: `..\..\c.csv`},
		{Kind: "coverage", URL: srv.URL + "/f5.csv", Name: ".."},
		{Kind: "coverage", URL: srv.URL + "/f6.csv", Name: ".hidden.csv"},
		{Kind: "coverage", URL: srv.URL + "/dir/.."},
		{Kind: "coverage", URL: srv.URL + "/"},
		{Kind: "coverage", URL: srv.URL + "/x/%2e%2e%5cescape.csv"},
		{Kind: "../coverage", URL: srv.URL + "/f7.csv"},
		{Kind: "coverage", URL: "file:///etc/passwd"},
	}
	accepted := []SourceConfig{
		{Kind: "coverage", URL: srv.URL + "/%2e%2e%2fescape.csv"},
		{Kind: "coverage", URL: srv.URL + "/data/%2e%2e/%2e%2e/up.csv?name=../../q.csv"},
	}
	cfg.Sources = append(slices.Clone(refused), accepted...)

	var logs bytes.Buffer
	fetchSources(t.Context(), cfg, slog.New(slog.NewJSONHandler(&logs, nil)))

	type record struct {
		Msg, URL, Error, File string
	}
	var recs []record
	for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		recs = append(recs, r)
	}
	if len(recs) != len(cfg.Sources) {
		t.Fatalf("%d log lines for %d sources:\n%s", len(recs), len(cfg.Sources), logs.String())
	}
	for i, src := range refused {
		r := recs[i]
		if r.Msg != "source not fetched" || !(strings.Contains(r.Error, "not usable") || strings.Contains(r.Error, "not a folder name") || strings.Contains(r.Error, "only http")) {
			t.Errorf("source %+v: logged %q %q, want it refused with a clear reason", src, r.Msg, r.Error)
		} else {
			t.Logf("refused %+v: %s", src, r.Error)
		}
	}
	for i, src := range accepted {
		r := recs[len(refused)+i]
		if r.Msg != "source downloaded" || filepath.Dir(r.File) != filepath.Join(inbox, "coverage") {
			t.Errorf("source %+v: logged %q, file %q, want it saved in %s", src, r.Msg, r.File, filepath.Join(inbox, "coverage"))
		}
	}
	mu.Lock()
	t.Logf("requests: %q", paths)
	if len(paths) != len(accepted) {
		t.Errorf("the server got %d requests, want %d: refused sources must not be requested", len(paths), len(accepted))
	}
	mu.Unlock()

	// Every file written is the state file or inside <inbox>/coverage/.
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if p != cfg.FetchStatePath() && filepath.Dir(p) != filepath.Join(inbox, "coverage") {
			t.Errorf("%s was written outside %s", p, filepath.Join(inbox, "coverage"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesIn(t, filepath.Join(inbox, "coverage")); !slices.Equal(got, []string{"escape.csv", "up.csv"}) {
		t.Errorf("inbox/coverage holds %q, want escape.csv and up.csv", got)
	}

	// The configuration refuses a kind that is not one of the inputs before
	// any run; a file name is checked when the source is fetched (above).
	conf := filepath.Join(root, "illectro.toml")
	os.WriteFile(conf, []byte(fmt.Sprintf("inbox = %q\n[[sources]]\nkind = \"../coverage\"\nurl = \"%s/x.csv\"\n", inbox, srv.URL)), 0o644)
	if _, err := LoadConfig(conf); err == nil {
		t.Error("loadConfig accepted a source of kind \"../coverage\"")
	}
}

// namesIn lists the names in dir, sorted.
func namesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

// writeInbox writes a file of the inbox, creating its folder.
func writeInbox(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
