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
	"sync"
	"time"
	"unicode/utf8"

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
//
// fill spells the part while another goroutine deflates it: for the
// communes' sheet, deflate takes two thirds of the time and scanning and
// spelling the rows the other third, so the workbook is written in about
// the time of deflate alone. The deflater is given the chunks of a 64 KiB
// bufio.Writer, as when fill wrote through one into it: the same bytes.
func writePart(zw *zip.Writer, name string, fill func(w io.Writer) error) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: xlsxModified})
	if err != nil {
		return err
	}
	p := newChunkPipe(w)
	bw := bufio.NewWriterSize(p, 64<<10)
	if err = fill(bw); err != nil {
		err = fmt.Errorf("%s: %w", name, err)
	} else {
		err = bw.Flush()
	}
	if cerr := p.close(); err == nil {
		err = cerr
	}
	return err
}

// chunkPipe hands each chunk written to it, copied, to a goroutine that
// writes it to w, in order. A write fails once a write to w has failed.
type chunkPipe struct {
	chunks chan []byte
	free   chan []byte // buffers for the chunks: three at most in flight
	done   chan struct{}
	mu     sync.Mutex
	err    error // the first error of w
}

func newChunkPipe(w io.Writer) *chunkPipe {
	const buffers = 3
	p := &chunkPipe{chunks: make(chan []byte, buffers), free: make(chan []byte, buffers), done: make(chan struct{})}
	for range buffers {
		p.free <- make([]byte, 0, 64<<10)
	}
	go func() {
		defer close(p.done)
		for c := range p.chunks {
			if p.failed() == nil {
				if _, err := w.Write(c); err != nil {
					p.mu.Lock()
					p.err = err
					p.mu.Unlock()
				}
			}
			p.free <- c[:0]
		}
	}()
	return p
}

func (p *chunkPipe) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *chunkPipe) Write(b []byte) (int, error) {
	if err := p.failed(); err != nil {
		return 0, err
	}
	p.chunks <- append(<-p.free, b...)
	return len(b), nil
}

// close waits for every chunk to be written and returns the first error.
func (p *chunkPipe) close() error {
	close(p.chunks)
	<-p.done
	return p.err
}

// sheetWriter streams a worksheet: rows are numbered from 1, cells placed
// by their column index. Write errors are kept and returned by close.
//
// A row is spelled into buf with strconv's Append functions and written
// whole: the communes' sheet has two million cells, and building each
// cell's XML as a string was a third of the time to write the workbook.
type sheetWriter struct {
	w       io.Writer
	ncols   int
	cols    []string // the column names A, B… of the columns 0 to ncols-1
	row     int      // the row being written, from 1
	started bool     // whether the row's <row> element is open
	buf     []byte   // the row being spelled
	num     []byte   // the row number, spelled
	err     error
}

// newSheetWriter starts a worksheet of the given column names: the first
// row frozen, the columns as wide as widths (in characters) or, for those
// widths leave out, as their name with room for the filter button.
func newSheetWriter(w io.Writer, names []string, widths ...int) *sheetWriter {
	s := &sheetWriter{w: w, ncols: len(names), row: 1, num: []byte("1")}
	for i := range names {
		s.cols = append(s.cols, columnName(i))
	}
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

// open opens cell col of the current row, and the row if needed, up to
// its reference: the caller appends its attributes, each with its leading
// space, then closes it.
func (s *sheetWriter) open(col int) {
	if !s.started {
		s.buf = append(s.buf, `<row r="`...)
		s.buf = append(s.buf, s.num...)
		s.buf = append(s.buf, `">`...)
		s.started = true
	}
	s.buf = append(s.buf, `<c r="`...)
	if col < len(s.cols) {
		s.buf = append(s.buf, s.cols[col]...)
	} else {
		s.buf = append(s.buf, columnName(col)...)
	}
	s.buf = append(s.buf, s.num...)
	s.buf = append(s.buf, '"')
}

// style appends the attribute of style, none for styleNone.
func (s *sheetWriter) style(style int) {
	if style != styleNone {
		s.buf = append(s.buf, ` s="`...)
		s.buf = strconv.AppendInt(s.buf, int64(style), 10)
		s.buf = append(s.buf, '"')
	}
}

// text writes a text cell; an empty text is no cell, like NULL.
func (s *sheetWriter) text(col int, v string, style int) {
	if v == "" {
		return
	}
	s.open(col)
	s.buf = append(s.buf, ` t="inlineStr"`...)
	s.style(style)
	s.buf = append(s.buf, `><is><t`...)
	if strings.TrimSpace(v) != v {
		s.buf = append(s.buf, ` xml:space="preserve"`...)
	}
	s.buf = append(s.buf, '>')
	s.buf = appendEscaped(s.buf, v)
	s.buf = append(s.buf, `</t></is></c>`...)
}

// number writes a number cell spelled v (a decimal number, never an
// exponent).
func (s *sheetWriter) number(col int, v string, style int) {
	s.open(col)
	s.style(style)
	s.buf = append(s.buf, `><v>`...)
	s.buf = append(s.buf, v...)
	s.buf = append(s.buf, `</v></c>`...)
}

// appendNumber writes a number cell spelled by spell, which appends it.
func (s *sheetWriter) appendNumber(col int, style int, spell func(b []byte) []byte) {
	s.open(col)
	s.style(style)
	s.buf = append(s.buf, `><v>`...)
	s.buf = spell(s.buf)
	s.buf = append(s.buf, `</v></c>`...)
}

// value writes v, of DuckDB type typ, as the cell of its kind; a type the
// downloads do not expect is an error rather than a guess.
func (s *sheetWriter) value(col int, v any, typ string) error {
	switch v := v.(type) {
	case nil:
	case string:
		s.text(col, v, styleNone)
	case bool:
		s.open(col)
		if v {
			s.buf = append(s.buf, ` t="b"><v>1</v></c>`...)
		} else {
			s.buf = append(s.buf, ` t="b"><v>0</v></c>`...)
		}
	case int8:
		s.int(col, int64(v))
	case int16:
		s.int(col, int64(v))
	case int32:
		s.int(col, int64(v))
	case int64:
		s.int(col, v)
	case uint8:
		s.uint(col, uint64(v))
	case uint16:
		s.uint(col, uint64(v))
	case uint32:
		s.uint(col, uint64(v))
	case uint64:
		s.uint(col, v)
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
		days := math.Round(v.Sub(xlsxEpoch).Hours() / 24)
		s.appendNumber(col, styleDate, func(b []byte) []byte { return strconv.AppendFloat(b, days, 'f', -1, 64) })
	default:
		return fmt.Errorf("no xlsx cell for %s value %v (%T)", typ, v, v)
	}
	return nil
}

// int and uint write an integer's number cell.
func (s *sheetWriter) int(col int, v int64) {
	s.appendNumber(col, styleNone, func(b []byte) []byte { return strconv.AppendInt(b, v, 10) })
}

func (s *sheetWriter) uint(col int, v uint64) {
	s.appendNumber(col, styleNone, func(b []byte) []byte { return strconv.AppendUint(b, v, 10) })
}

// float writes a number cell, or a text cell for NaN and the infinities,
// which a spreadsheet has no number for.
func (s *sheetWriter) float(col int, v float64, bits int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.text(col, strconv.FormatFloat(v, 'f', -1, bits), styleNone)
		return
	}
	v += 0 // turns -0 into 0
	s.appendNumber(col, styleNone, func(b []byte) []byte { return strconv.AppendFloat(b, v, 'f', -1, bits) })
}

// endRow closes the current row, writes it, and moves to the next. A row
// without any cell is written too, so that row numbers follow the data.
func (s *sheetWriter) endRow() {
	if !s.started {
		s.buf = append(s.buf, `<row r="`...)
		s.buf = append(s.buf, s.num...)
		s.buf = append(s.buf, `">`...)
	}
	s.buf = append(s.buf, `</row>`...)
	if s.err == nil {
		_, s.err = s.w.Write(s.buf)
	}
	s.buf = s.buf[:0]
	s.started = false
	s.row++
	s.num = strconv.AppendInt(s.num[:0], int64(s.row), 10)
}

// close ends the worksheet, with a filter on the header row over every row
// written, and returns the first write error.
func (s *sheetWriter) close() error {
	if len(s.buf) > 0 && s.err == nil { // a row left open
		_, s.err = s.w.Write(s.buf)
	}
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

// appendEscaped appends s to b escaped as escape does, without its
// allocations when s needs no escape (the common case).
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '&' || c == '\'' || c == '<' || c == '>' {
				return append(b, escape(s)...)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			return append(b, escape(s)...)
		}
		i += n
	}
	return append(b, s...)
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
