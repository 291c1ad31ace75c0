package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/illectro/illectro/pipeline"
	isql "github.com/illectro/illectro/sql"
)

// defaultSnapshot is the analysts' snapshot of a run with the default
// configuration, which `illectro sql` queries by default: the working
// database is locked while a run writes it.
var defaultSnapshot = filepath.Join(pipeline.SnapshotName, isql.SnapshotFile)

func sqlCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("sql", "sql [--db PATH] [--format table|csv|json] [QUERY]")
	dbPath := fs.String("db", "", "DuckDB database file, opened read-only (default: the analysts' snapshot "+defaultSnapshot+" if present, else illectro.duckdb)")
	format := fs.String("format", "table", "output format: table, csv or json")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usagef("sql: unknown format %q (want table, csv or json)", *format)
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" {
		b, err := io.ReadAll(env.stdin)
		if err != nil {
			return fmt.Errorf("read query from standard input: %w", err)
		}
		query = string(b)
	}
	if strings.TrimSpace(query) == "" {
		return usagef("sql: no query given (as an argument or on standard input)")
	}
	if *dbPath == "" {
		*dbPath = "illectro.duckdb"
		if _, err := os.Stat(defaultSnapshot); err == nil {
			*dbPath = defaultSnapshot
		}
	}
	db, err := isql.Open(ctx, *dbPath, isql.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		if strings.Contains(err.Error(), "read-only") {
			return fmt.Errorf("the database is opened read-only for queries: writes are refused (%v)", err)
		}
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	var records [][]any
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("query: %w", err)
		}
		rec := make([]any, len(cols))
		copy(rec, vals)
		records = append(records, rec)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	switch *format {
	case "csv":
		w := csv.NewWriter(env.stdout)
		w.Write(cols)
		for _, r := range records {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = cell(v, "")
			}
			w.Write(cells)
		}
		w.Flush()
		return w.Error()
	case "json":
		out := make([]map[string]any, len(records))
		for i, r := range records {
			m := make(map[string]any, len(cols))
			for j, c := range cols {
				m[c] = jsonValue(r[j])
			}
			out[i] = m
		}
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, r := range records {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = cell(v, "NULL")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "(%d rows)\n", len(records))
	return nil
}

// cell formats a value for text output; null is what NULL prints as.
func cell(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case []byte:
		return string(x)
	case string:
		return strings.NewReplacer("\t", " ", "\n", " ").Replace(x)
	}
	return fmt.Sprint(v)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time, []byte:
		return cell(x, "")
	}
	return v
}
