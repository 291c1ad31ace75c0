package downloads

import (
	"archive/zip"
	"bufio"
	"context"
	"database/sql"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// An .xlsx file (Office Open XML, ECMA-376) is a zip of XML parts. Ours is
// the smallest workbook Excel, LibreOffice and pandas open without a
// complaint: two sheets, the data then the data dictionary of its columns,
// text written inline (no shared-string table to hold in memory) and a few
// cell styles. Codes are text cells, so that 01001, 2A004 and 01 keep their
// zeros, which the semicolon CSV cannot promise once Excel converts it.

// Styles of cells, indexes into cellXfs of xlsxStyles.
const (
	styleNone   = 0 // general
	styleHeader = 1 // bold
	styleDate   = 2 // a date serial shown as yyyy-mm-dd
	styleWrap   = 3 // wrapped text, top-aligned (the dictionary's definitions)
)

// xlsxModified is the time written for every part of the zip: fixed, so that
// the same rows give the same bytes.
var xlsxModified = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// xlsxEpoch is day 0 of Excel's 1900 date system, as counted after
// 1900-03-01 (Excel's nonexistent 1900-02-29 makes the serials of every
// later day count from 1899-12-30).
var xlsxEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

const (
	xmlHeader  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain     = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRelDoc   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRelPkg   = "http://schemas.openxmlformats.org/package/2006/relationships"
	typeSheet  = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	xlsxStyles = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`
)

// xlsxWriter returns a function that writes the rows of query as an .xlsx
// workbook: a sheet named sheet with a bold header row of the column names,
// frozen and filtered, one row per result row; then a sheet "dictionnaire"
// describing each column from the data dictionary entries of dataset.
// Text (codes included) becomes text cells, numbers number cells, booleans
// boolean cells, dates date cells, NULL an absent cell.
func xlsxWriter(query, dataset, sheet string) func(ctx context.Context, db *sql.DB, path string) (int, error) {
	return func(ctx context.Context, db *sql.DB, path string) (int, error) {
		dict, err := Dictionary()
		if err != nil {
			return 0, err
		}
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		var n int
		err = writeFile(path, func(w *bufio.Writer) error {
			zw := zip.NewWriter(w)
			if n, err = writeWorkbook(zw, rows, sheet, columnsOf(dict, dataset)); err != nil {
				return err
			}
			return zw.Close()
		})
		return n, err
	}
}

// writeWorkbook writes the parts of the workbook into zw and returns the
// number of data rows.
func writeWorkbook(zw *zip.Writer, rows *sql.Rows, sheet string, dict map[string]Column) (int, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, err
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name()
	}
	const dictSheet = "dictionnaire"
	static := []struct{ name, body string }{
		{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + typeSheet + `"/>` +
			`<Override PartName="/xl/worksheets/sheet2.xml" ContentType="` + typeSheet + `"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="` + nsRelPkg + `">` +
			`<Relationship Id="rId1" Type="` + nsRelDoc + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/_rels/workbook.xml.rels", xmlHeader + `<Relationships xmlns="` + nsRelPkg + `">` +
			`<Relationship Id="rId1" Type="` + nsRelDoc + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + nsRelDoc + `/worksheet" Target="worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="` + nsRelDoc + `/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", xlsxStyles},
	}
	for _, p := range static {
		if err := writePart(zw, p.name, func(w io.Writer) error {
			_, err := io.WriteString(w, p.body)
			return err
		}); err != nil {
			return 0, err
		}
	}

	var n int
	if err := writePart(zw, "xl/worksheets/sheet1.xml", func(w io.Writer) error {
		s := newSheetWriter(w, names)
		for i, name := range names {
			s.text(i, name, styleHeader)
		}
		s.endRow()
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for i, v := range vals {
				if err := s.value(i, v, types[i].DatabaseTypeName()); err != nil {
					return fmt.Errorf("column %s: %w", names[i], err)
				}
			}
			s.endRow()
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.close()
	}); err != nil {
		return n, err
	}

	dictHeader := []string{"colonne", "libellé", "unité", "définition", "source"}
	if err := writePart(zw, "xl/worksheets/sheet2.xml", func(w io.Writer) error {
		s := newSheetWriter(w, dictHeader, 30, 40, 16, 90, 40)
		for i, h := range dictHeader {
			s.text(i, h, styleHeader)
		}
		s.endRow()
		for _, name := range names {
			c := dict[name] // a column the dictionary lacks (the tests forbid it) keeps its name
			for i, v := range []string{name, c.Label, c.Unit, c.Definition, c.Source} {
				s.text(i, v, styleWrap)
			}
			s.endRow()
		}
		return s.close()
	}); err != nil {
		return n, err
	}

	filter := fmt.Sprintf("'%s'!$A$1:$%s$%d", strings.ReplaceAll(sheet, "'", "''"), columnName(len(names)-1), n+1)
	workbook := xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRelDoc + `">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>` +
		`<sheet name="` + escape(sheet) + `" sheetId="1" r:id="rId1"/>` +
		`<sheet name="` + dictSheet + `" sheetId="2" r:id="rId2"/></sheets>` +
		`<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">` + escape(filter) + `</definedName></definedNames>` +
		`</workbook>`
	return n, writePart(zw, "xl/workbook.xml", func(w io.Writer) error {
		_, err := io.WriteString(w, workbook)
		return err
	})
}

// writePart adds a deflated part to zw, with the fixed time, filled by fill.
func writePart(zw *zip.Writer, name string, fill func(w io.Writer) error) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: xlsxModified})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := fill(bw); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return bw.Flush()
}

// sheetWriter streams a worksheet: rows are numbered from 1, cells placed
// by their column index. Write errors are kept and returned by close.
type sheetWriter struct {
	w       io.Writer
	ncols   int
	row     int  // the row being written, from 1
	started bool // whether the row's <row> element is open
	err     error
}

// newSheetWriter starts a worksheet of the given column names: the first
// row frozen, the columns as wide as widths (in characters) or, for those
// widths leave out, as their name with room for the filter button.
func newSheetWriter(w io.Writer, names []string, widths ...int) *sheetWriter {
	s := &sheetWriter{w: w, ncols: len(names), row: 1}
	var b strings.Builder
	b.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRelDoc + `">`)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`)
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, name := range names {
		width := max(10, len([]rune(name))+4)
		if i < len(widths) {
			width = widths[i]
		}
		fmt.Fprintf(&b, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, i+1, i+1, width)
	}
	b.WriteString(`</cols><sheetData>`)
	s.write(b.String())
	return s
}

func (s *sheetWriter) write(str string) {
	if s.err == nil {
		_, s.err = io.WriteString(s.w, str)
	}
}

// cell opens cell col of the current row with attributes attrs (each with
// its leading space) and closes it after inner.
func (s *sheetWriter) cell(col int, attrs, inner string) {
	if !s.started {
		s.write(`<row r="` + strconv.Itoa(s.row) + `">`)
		s.started = true
	}
	s.write(`<c r="` + columnName(col) + strconv.Itoa(s.row) + `"` + attrs + `>` + inner + `</c>`)
}

// text writes a text cell; an empty text is no cell, like NULL.
func (s *sheetWriter) text(col int, v string, style int) {
	if v == "" {
		return
	}
	attrs := ` t="inlineStr"`
	if style != styleNone {
		attrs += ` s="` + strconv.Itoa(style) + `"`
	}
	space := ""
	if strings.TrimSpace(v) != v {
		space = ` xml:space="preserve"`
	}
	s.cell(col, attrs, `<is><t`+space+`>`+escape(v)+`</t></is>`)
}

// number writes a number cell spelled s (a decimal number, never an exponent).
func (s *sheetWriter) number(col int, v string, style int) {
	attrs := ""
	if style != styleNone {
		attrs = ` s="` + strconv.Itoa(style) + `"`
	}
	s.cell(col, attrs, `<v>`+v+`</v>`)
}

// value writes v, of DuckDB type typ, as the cell of its kind; a type the
// downloads do not expect is an error rather than a guess.
func (s *sheetWriter) value(col int, v any, typ string) error {
	switch v := v.(type) {
	case nil:
	case string:
		s.text(col, v, styleNone)
	case bool:
		inner := "<v>0</v>"
		if v {
			inner = "<v>1</v>"
		}
		s.cell(col, ` t="b"`, inner)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		s.number(col, fmt.Sprint(v), styleNone)
	case *big.Int:
		s.number(col, v.String(), styleNone)
	case float32:
		s.float(col, float64(v), 32)
	case float64:
		s.float(col, v, 64)
	case duckdb.Decimal:
		s.number(col, v.String(), styleNone)
	case time.Time:
		if typ != "DATE" {
			return fmt.Errorf("no xlsx cell for %s value %v", typ, v)
		}
		days := v.Sub(xlsxEpoch).Hours() / 24
		s.number(col, strconv.FormatFloat(math.Round(days), 'f', -1, 64), styleDate)
	default:
		return fmt.Errorf("no xlsx cell for %s value %v (%T)", typ, v, v)
	}
	return nil
}

// float writes a number cell, or a text cell for NaN and the infinities,
// which a spreadsheet has no number for.
func (s *sheetWriter) float(col int, v float64, bits int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.text(col, strconv.FormatFloat(v, 'f', -1, bits), styleNone)
		return
	}
	s.number(col, strconv.FormatFloat(v+0, 'f', -1, bits), styleNone) // +0 turns -0 into 0
}

// endRow closes the current row and moves to the next. A row without any
// cell is written too, so that row numbers follow the data.
func (s *sheetWriter) endRow() {
	if !s.started {
		s.write(`<row r="` + strconv.Itoa(s.row) + `">`)
	}
	s.write(`</row>`)
	s.started = false
	s.row++
}

// close ends the worksheet, with a filter on the header row over every row
// written, and returns the first write error.
func (s *sheetWriter) close() error {
	s.write(`</sheetData>`)
	if s.ncols > 0 {
		s.write(`<autoFilter ref="A1:` + columnName(s.ncols-1) + strconv.Itoa(max(1, s.row-1)) + `"/>`)
	}
	s.write(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return s.err
}

// columnName spells the 0-based column index i as Excel does: A…Z, AA…
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// escape escapes s for XML text or a double-quoted attribute value.
// Characters XML 1.0 forbids (most control characters) become U+FFFD, as
// encoding/xml does: an .xlsx holding one would not open.
func escape(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return "" // a strings.Builder never fails
	}
	return b.String()
}
