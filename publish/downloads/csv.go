package downloads

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// dialect is how a CSV file spells its rows. Both dialects quote a field as
// RFC 4180 says (when it holds the separator, a quote or a line break, the
// quotes doubled), write NULL as an empty field (like an empty text),
// booleans as true or false, and dates as ISO 8601 (2024-06-30).
type dialect struct {
	comma   rune   // field separator
	crlf    bool   // end lines with CRLF (line breaks inside fields too) rather than LF
	bom     bool   // start with the UTF-8 byte order mark
	decimal string // decimal separator of numbers
	// neutralise prefixes with an apostrophe a text cell that a spreadsheet
	// would take for a formula (=, +, -, @, tab or carriage return first:
	// CSV injection), so that it shows as text and never runs.
	neutralise bool
}

var (
	// plain is the CSV for programs: UTF-8 without BOM, comma, decimal
	// point, LF line ends.
	plain = dialect{comma: ',', decimal: "."}
	// excel is the CSV that a French Excel opens right with a double click:
	// the BOM tells it UTF-8, and it expects a semicolon, a decimal comma
	// and CRLF line ends; text that would start a formula is neutralised.
	// (The plain CSV keeps text exactly: it is for programs.)
	excel = dialect{comma: ';', crlf: true, bom: true, decimal: ",", neutralise: true}
)

// csvWriter returns a function that writes the rows of query as CSV in
// dialect d, with a header line of the column names.
func csvWriter(query string, d dialect) func(ctx context.Context, db *sql.DB, path string) (int, error) {
	return func(ctx context.Context, db *sql.DB, path string) (int, error) {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		var n int
		err = writeFile(path, func(w *bufio.Writer) (err error) {
			n, err = d.write(w, rows)
			return err
		})
		return n, err
	}
}

// write writes rows to w as CSV in dialect d and returns the number of rows.
func (d dialect) write(w *bufio.Writer, rows *sql.Rows) (int, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, err
	}
	if d.bom {
		if _, err := w.WriteString("\uFEFF"); err != nil {
			return 0, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.comma
	cw.UseCRLF = d.crlf
	record := make([]string, len(types))
	for i, t := range types {
		record[i] = t.Name()
	}
	if err := cw.Write(record); err != nil {
		return 0, err
	}
	vals := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if record[i], err = d.cell(v, types[i].DatabaseTypeName()); err != nil {
				return n, fmt.Errorf("column %s: %w", types[i].Name(), err)
			}
		}
		if err := cw.Write(record); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// cell spells one value v, of DuckDB type typ, in dialect d. Only numbers get
// d's decimal separator: text such as "2A", "01" or "0.5" is written as is.
// A type the downloads do not expect is an error rather than a guess.
func (d dialect) cell(v any, typ string) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		if d.neutralise && v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v, nil
		}
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int8:
		return strconv.FormatInt(int64(v), 10), nil
	case int16:
		return strconv.FormatInt(int64(v), 10), nil
	case int32:
		return strconv.FormatInt(int64(v), 10), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint8:
		return strconv.FormatUint(uint64(v), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(v), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(v), 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case *big.Int:
		return v.String(), nil
	case float32:
		return d.number(strconv.FormatFloat(float64(v)+0, 'f', -1, 32)), nil // +0 turns -0 into 0
	case float64:
		return d.number(strconv.FormatFloat(v+0, 'f', -1, 64)), nil
	case duckdb.Decimal:
		return d.number(v.String()), nil
	case time.Time:
		if typ == "DATE" {
			return v.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("no CSV spelling for %s value %v (%T)", typ, v, v)
}

// number swaps the decimal point of a number spelled by Go for d's separator.
func (d dialect) number(s string) string {
	if d.decimal == "." {
		return s // strings.Replace would copy s
	}
	return strings.Replace(s, ".", d.decimal, 1)
}

// writeFile writes path through a buffered writer that fill fills.
func writeFile(path string, fill func(w *bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
