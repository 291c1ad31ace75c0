package ingest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	isql "github.com/illectro/illectro/sql"
)

// windowLatest is int_assessments__latest as every build computed it before
// raw_assessments_superseded (one window over every row): the reference the
// view must match row for row.
const windowLatest = `
SELECT f.source, a.respondent_key, a.assessed_at, a.code_insee, a.code_departement,
       a.age_band, a.internet_last_3_months,
       a.level_information, a.level_communication, a.level_content_creation,
       a.level_safety, a.level_problem_solving, a.areas_basic, a.skills_class,
       a.file_id, a.line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
QUALIFY row_number() OVER (PARTITION BY f.source, a.respondent_key
                           ORDER BY a.assessed_at DESC, a.file_id DESC, a.line DESC) = 1`

// tiedAssessments writes a generic export of rows drawn from few respondents
// and three days, so that respondents repeat inside the file, across files,
// and at the same time (ties broken by file, then line).
func tiedAssessments(r *rand.Rand, rows int) []byte {
	var b strings.Builder
	b.WriteString("respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n")
	communes := []string{"59350", "23096", "75056", "97411"}
	bands := []string{"15-29", "30-44", "45-59", "60-74", "75+"}
	for range rows {
		fmt.Fprintf(&b, "P%d,2026-03-0%d,%s,%s,%s,%d,%d,%d,%d,%d\n",
			r.IntN(40), 1+r.IntN(3), communes[r.IntN(len(communes))], bands[r.IntN(len(bands))],
			[]string{"oui", "non"}[r.IntN(2)], r.IntN(3), r.IntN(3), r.IntN(3), r.IntN(3), r.IntN(3))
	}
	return []byte(b.String())
}

// latestRows reads a query of int_assessments__latest's columns, in a
// stable order, as text.
func latestRows(t *testing.T, l *Loader, q string) []string {
	t.Helper()
	rows, err := l.DB.QueryContext(t.Context(), "SELECT * FROM ("+q+") ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The latest assessment per respondent that ingest maintains (each file's
// load records the rows it supersedes) is the one the build's window used to
// pick, whatever the order files come in: ties inside a file and across
// files, two sources sharing respondent ids, a file loaded again (skipped),
// and refused files (rolled back with their rows).
func TestSupersededMatchesWindow(t *testing.T) {
	builtins, err := BuiltinMappings()
	if err != nil {
		t.Fatal(err)
	}
	other := *builtins["illectro-generic"]
	other.Name = "other-source" // same respondent ids, another source
	r := rand.New(rand.NewPCG(20, 1))
	files := make([][]byte, 6)
	for i := range files {
		files[i] = tiedAssessments(r, 30+r.IntN(60))
	}
	for order := range 4 {
		t.Run(fmt.Sprintf("order %d", order), func(t *testing.T) {
			l := newTestLoader(t)
			perm := r.Perm(len(files))
			for step, i := range perm {
				l.Mapping = nil // the generic mapping, detected
				if i%2 == 1 {
					l.Mapping = &other
				}
				name := fmt.Sprintf("f%d.csv", i)
				if _, err := l.Load(t.Context(), Assessments, memFile(name, files[i])); err != nil {
					t.Fatalf("load %s: %v", name, err)
				}
				if step == 2 {
					// the same file again: skipped by its sha256
					res, err := l.Load(t.Context(), Assessments, memFile("again-"+name, files[i]))
					if err != nil || !res.Skipped {
						t.Fatalf("reload of %s: %+v, %v; want it skipped", name, res, err)
					}
					// a file of the source under another key: refused
					// after its rows were stored, all rolled back
					key := l.Key
					l.Key = []byte("another-key-0123456789")
					if _, err := l.Load(t.Context(), Assessments, memFile("other-key.csv", tiedAssessments(r, 50))); err == nil {
						t.Fatal("a file under another key was loaded")
					}
					l.Key = key
				}
				if err := isql.BuildViews(t.Context(), l.DB, isql.Params{}); err != nil {
					t.Fatal(err)
				}
				got := latestRows(t, l, "SELECT * FROM int_assessments__latest")
				want := latestRows(t, l, windowLatest)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("after %d files (%v), int_assessments__latest differs from the window (-window +view):\n%s", step+1, perm[:step+1], diff)
				}
			}
			if n := count(t, l.DB, "SELECT count(*) FROM raw_assessments_superseded"); n == 0 {
				t.Error("no row superseded: the fixture tests nothing")
			}
			if n := count(t, l.DB, "SELECT count(DISTINCT source) FROM int_assessments__latest"); n != 2 {
				t.Errorf("%d sources, want 2", n)
			}
		})
	}
}

// A database made before raw_assessments_superseded (its build kept
// int_assessments__latest as a table) gets it filled by migration 009 from
// the rows already loaded: the same rows as ingest records.
func TestMigrationFillsSuperseded(t *testing.T) {
	l := newTestLoader(t)
	path := l.DB.QueryRowContext(t.Context(), "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
	var file string
	if err := path.Scan(&file); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(10, 2))
	for i := range 3 {
		if _, err := l.Load(t.Context(), Assessments, memFile(fmt.Sprintf("f%d.csv", i), tiedAssessments(r, 80))); err != nil {
			t.Fatal(err)
		}
	}
	superseded := "SELECT file_id, line FROM raw_assessments_superseded"
	want := latestRows(t, l, superseded)
	for _, q := range []string{
		"DROP TABLE raw_assessments_superseded",
		"DELETE FROM illectro_migrations WHERE version = 9",
		"CREATE TABLE int_assessments__latest AS SELECT 1 AS respondent_key",
	} {
		if _, err := l.DB.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	l.DB.Close()
	db, err := isql.Open(t.Context(), file, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l.DB = db
	if got := latestRows(t, l, superseded); !cmp.Equal(want, got) || len(got) == 0 {
		t.Errorf("migration 009 recorded %d superseded rows, ingest %d (-ingest +migration):\n%s", len(got), len(want), cmp.Diff(want, got))
	}
	if err := isql.BuildViews(t.Context(), db, isql.Params{}); err != nil {
		t.Fatalf("build after the migration: %v", err)
	}
	if diff := cmp.Diff(latestRows(t, l, windowLatest), latestRows(t, l, "SELECT * FROM int_assessments__latest")); diff != "" {
		t.Errorf("int_assessments__latest after the migration (-window +view):\n%s", diff)
	}
}

// keySeen reports every key at its second coming and later, whatever the
// collisions of a filter far too small for its keys.
func TestKeySeenCatchesEveryRepeat(t *testing.T) {
	s := newKeySeen(0) // the smallest filter: 65 536 bits
	r := rand.New(rand.NewPCG(3, 4))
	pool := make([]int64, 50_000)
	for i := range pool {
		pool[i] = int64(r.Uint64())
	}
	seen := map[int64]bool{}
	repeats := 0
	for range 200_000 {
		k := pool[r.IntN(len(pool))]
		if got := s.add(k); seen[k] && !got {
			t.Fatalf("key %d came again and was not caught", k)
		}
		if seen[k] {
			repeats++
		}
		seen[k] = true
	}
	if repeats == 0 {
		t.Fatal("no key repeated: the test tests nothing")
	}
}
