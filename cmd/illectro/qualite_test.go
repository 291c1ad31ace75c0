package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	isql "github.com/illectro/illectro/sql"
)

// TestPagesShowNoPathNorEngineError builds a real site from a database
// where files were refused and a run failed with errors holding absolute
// paths and DuckDB messages: one refused by the loader itself, the others
// recorded as an older illectro or a failing database would have. No
// published HTML page holds a path or an engine message; qualite.html
// shows the French label of each kind.
func TestPagesShowNoPathNorEngineError(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	out := filepath.Join(dir, "public")
	inbox := filepath.Join(dir, "inbox")
	writeInbox(t, filepath.Join(inbox, "venues", "pas_une_liste.csv"), []byte("ceci;n'est pas\nune;liste de lieux\n"))
	if _, stderr, err := runCLI(t, t.Context(), nil, "", "run", "--db", db, "--out", out, "--inbox", inbox); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr)
	}

	conn, err := isql.Open(t.Context(), db, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(inbox, "venues", "lieux_casses.csv")
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ingest_files SELECT max(file_id) + 1, 'venues', ?, 'x', 10, 0, 0, 0, NULL, NULL, now(), now(), 'failed', ?, 'database' FROM ingest_files`,
			[]any{abs, "store rows of " + abs + ": Conversion Error: Could not convert string 'abc' to DOUBLE"}},
		{`INSERT INTO ingest_files SELECT max(file_id) + 1, 'coverage', 'arcep.csv', 'y', 10, 0, 0, 0, NULL, NULL, now(), now(), 'failed', ?, NULL FROM ingest_files`,
			[]any{"read arcep.csv: open " + filepath.Join(inbox, "coverage", "arcep.csv") + ": IO Error: permission denied"}},
		{`INSERT INTO runs (run_id, trigger, started_at, finished_at, status, error, error_kind)
		  SELECT max(run_id) + 1, 'schedule', now(), now(), 'failed', ?, 'inbox' FROM runs`,
			[]any{"inbox " + inbox + " is not a readable folder: IO Error: Cannot open directory"}},
	} {
		if _, err := conn.ExecContext(t.Context(), q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	conn.Close()
	if _, stderr, err := runCLI(t, t.Context(), nil, "", "report", "--db", db, "--out", out); err != nil {
		t.Fatalf("report: %v\nstderr:\n%s", err, stderr)
	}

	site, err := filepath.EvalSymlinks(out)
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	err = filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		pages++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, bad := range []string{dir, "/inbox/", "Conversion Error", "IO Error", "permission denied", "readable folder", "no header line"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s holds %q", p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 100 {
		t.Errorf("%d pages checked, want the whole site", pages)
	}
	b, err := os.ReadFile(filepath.Join(site, "qualite.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<strong>refusé</strong>&#160;: en-tête non reconnu</td>", // the loader's own refusal
		`translate="no">pas_une_liste.csv</th>`,
		"<strong>refusé</strong>&#160;: erreur de la base de données pendant le chargement</td>",
		`translate="no">lieux_casses.csv</th>`,            // a name stored as a path: its last element
		"<strong>refusé</strong>&#160;: autre motif</td>", // a failure recorded without a kind
		"<td>échoué&#160;: dossier de dépôt illisible</td>",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("qualite.html lacks %q", want)
		}
	}
}
