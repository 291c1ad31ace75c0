// Package shell runs an analyst's SQL text on a database opened by
// sql.OpenQueryOnly: statement after statement, each result printed as its
// rows come (table, CSV or JSON), none gathered in memory.
package shell

import (
	"context"
	gosql "database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	isql "github.com/illectro/illectro/sql"
)

// Formats are the output formats Run knows.
var Formats = []string{"table", "csv", "json"}

// tableBlock is the number of rows a table aligns at a time: a table's
// columns are aligned over blocks of rows, so that printing never waits for
// the whole result.
const tableBlock = 1000

// Run splits text into statements (sql.SplitStatements) and runs them in
// order on one connection of db, through sql.Query, which refuses any
// statement but a query. It prints each statement's result to out as its
// rows come, in format (one of Formats): results follow one another,
// separated by an empty line in table and CSV, as one JSON array each in
// JSON; a SET prints nothing. In table format the row count of each
// result goes to info. It stops at the first statement refused or failed,
// the results before it printed, with an error naming the statement's
// number (from 1).
func Run(ctx context.Context, db *gosql.DB, text, format string, out, info io.Writer) error {
	stmts := isql.SplitStatements(text)
	if len(stmts) == 0 {
		return errors.New("no statement to run (only blanks and comments)")
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	printed := 0
	for i, stmt := range stmts {
		rows, err := isql.Query(ctx, conn, stmt)
		if err != nil {
			return statementError(i, len(stmts), err)
		}
		if rows == nil {
			continue
		}
		if printed > 0 && format != "json" {
			fmt.Fprintln(out)
		}
		printed++
		err = print(rows, format, out, info)
		rows.Close()
		if err != nil {
			return statementError(i, len(stmts), err)
		}
	}
	return nil
}

func statementError(i, n int, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("statement %d of %d: %w", i+1, n, err)
}

// print writes the rows of one result.
func print(rows *gosql.Rows, format string, out, info io.Writer) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var (
		write  func() error // one row, from vals
		finish func(n int) error
	)
	switch format {
	case "csv":
		w := csv.NewWriter(out)
		w.Write(cols)
		cells := make([]string, len(cols))
		write = func() error {
			for i, v := range vals {
				cells[i] = cell(v, "")
			}
			return w.Write(cells)
		}
		finish = func(int) error { w.Flush(); return w.Error() }
	case "json":
		m := make(map[string]any, len(cols))
		n := 0
		write = func() error {
			for j, c := range cols {
				m[c] = jsonValue(vals[j])
			}
			b, err := json.MarshalIndent(m, "  ", "  ")
			if err != nil {
				return err
			}
			sep := ",\n  "
			if n == 0 {
				sep = "[\n  "
			}
			n++
			_, err = fmt.Fprintf(out, "%s%s", sep, b)
			return err
		}
		finish = func(n int) error {
			end := "\n]\n"
			if n == 0 {
				end = "[]\n"
			}
			_, err := io.WriteString(out, end)
			return err
		}
	default:
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
		cells := make([]string, len(cols))
		n := 0
		write = func() error {
			for i, v := range vals {
				cells[i] = cell(v, "NULL")
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
			if n++; n%tableBlock == 0 {
				return tw.Flush()
			}
			return nil
		}
		finish = func(n int) error {
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(info, "(%d rows)\n", n)
			return nil
		}
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := write(); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return finish(n)
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
