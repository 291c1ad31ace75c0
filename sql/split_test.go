package sql_test

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	isql "github.com/illectro/illectro/sql"
)

var splitTests = []struct {
	in   string
	want []string
}{
	{"SELECT 1", []string{"SELECT 1"}},
	{"SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
	{"-- only a comment", nil},
	{"  ;; /* nothing */ ; ", nil},
	{"-- a comment; not a statement\nSELECT 1", []string{"-- a comment; not a statement\nSELECT 1"}},
	{"SELECT 'a;b', \"c;d\" AS \"e\"\"f;\"; SELECT 2", []string{"SELECT 'a;b', \"c;d\" AS \"e\"\"f;\"", "SELECT 2"}},
	{"SELECT 'it''s;'; SELECT E'\\';'; SELECT 3", []string{"SELECT 'it''s;'", "SELECT E'\\';'", "SELECT 3"}},
	{"SELECT $$a;b$$, $t$ $$; $t$; SELECT $1", []string{"SELECT $$a;b$$, $t$ $$; $t$", "SELECT $1"}},
	{"SELECT 1 /* a /* nested; */ comment; */ + 1; SELECT 2 -- end;", []string{"SELECT 1 /* a /* nested; */ comment; */ + 1", "SELECT 2 -- end;"}},
	{"SELECT 'unterminated; SELECT 2", []string{"SELECT 'unterminated; SELECT 2"}},
	{"SELECT a$b; SELECT 2", []string{"SELECT a$b", "SELECT 2"}},
}

func TestSplitStatements(t *testing.T) {
	for _, tt := range splitTests {
		if got := isql.SplitStatements(tt.in); !cmp.Equal(got, tt.want) {
			t.Errorf("SplitStatements(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSplitStatements checks the splitter against DuckDB's own parser: no
// piece may hold more than one statement (DuckDB's Prepare without a
// context refuses those), and the pieces come from the input, in order.
func FuzzSplitStatements(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}
	db, err := gosql.Open("duckdb", "")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	defer conn.Close()
	f.Fuzz(func(t *testing.T, in string) {
		rest := in
		for _, piece := range isql.SplitStatements(in) {
			i := strings.Index(rest, piece)
			if i < 0 {
				t.Fatalf("SplitStatements(%q): piece %q is not in the input after the previous one", in, piece)
			}
			rest = rest[i+len(piece):]
			err := conn.Raw(func(dc any) error {
				s, err := dc.(driver.Conn).Prepare(piece)
				if err == nil {
					s.Close()
				}
				return err
			})
			if err != nil && strings.Contains(err.Error(), "multi-statement") {
				t.Errorf("SplitStatements(%q): piece %q holds several statements for DuckDB", in, piece)
			}
		}
	})
}
