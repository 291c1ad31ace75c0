package sql

import (
	"path/filepath"
	"strings"
	"testing"
)

// A reader and its query cannot drift apart: a column without destination
// or a destination without column is an error, not a shifted field.
func TestNamedScan(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "scan.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a, b int64
	for _, tc := range []struct {
		dst  namedScan
		want string
	}{
		{namedScan{"a": &a, "b": &b}, ""},
		{namedScan{"b": &b, "a": &a}, ""}, // order does not matter
		{namedScan{"a": &a}, "column b has no destination"},
		{namedScan{"a": &a, "b": &b, "c": &b}, "no column c in the query"},
	} {
		rows, err := db.QueryContext(t.Context(), `SELECT 1 AS a, 2 AS b`)
		if err != nil {
			t.Fatal(err)
		}
		rows.Next()
		a, b = 0, 0
		err = tc.dst.scan(rows)
		rows.Close()
		switch {
		case tc.want == "" && (err != nil || a != 1 || b != 2):
			t.Errorf("scan(%v) = %v with a=%d b=%d, want 1 and 2", tc.dst, err, a, b)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("scan = %v, want %q", err, tc.want)
		}
	}
}
