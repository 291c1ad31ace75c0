package downloads

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"
)

// workbook is an .xlsx file read back: its parts by name.
type workbook map[string][]byte

// xlsxCell is a cell of a worksheet as ECMA-376 spells it.
type xlsxCell struct {
	R  string `xml:"r,attr"`
	T  string `xml:"t,attr"` // "" number, "inlineStr" text, "b" boolean
	S  int    `xml:"s,attr"` // style: index into cellXfs
	V  string `xml:"v"`
	IS struct {
		T string `xml:"t"`
	} `xml:"is"`
}

// worksheet is the sheetData of a worksheet part.
type worksheet struct {
	Rows []struct {
		R     int        `xml:"r,attr"`
		Cells []xlsxCell `xml:"c"`
	} `xml:"sheetData>row"`
	Pane struct {
		YSplit int    `xml:"ySplit,attr"`
		State  string `xml:"state,attr"`
	} `xml:"sheetViews>sheetView>pane"`
}

// readXLSX unzips the workbook at path, checking that every part is
// well-formed XML, declared in [Content_Types].xml, and dated with the fixed
// time.
func readXLSX(t *testing.T, path string) workbook {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	wb := workbook{}
	for _, f := range zr.File {
		if !f.Modified.Equal(xlsxModified) {
			t.Errorf("%s: part %s dated %v, want %v", path, f.Name, f.Modified, xlsxModified)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: part %s is not well-formed XML: %v", path, f.Name, err)
			}
		}
		wb[f.Name] = b
	}
	types := string(wb["[Content_Types].xml"])
	for name := range wb {
		if strings.HasPrefix(name, "xl/") && !strings.Contains(name, "_rels") && !strings.Contains(types, `PartName="/`+name+`"`) {
			t.Errorf("%s: part %s has no content type", path, name)
		}
	}
	return wb
}

// sheets lists the names of the workbook's sheets, in order.
func (wb workbook) sheets() []string {
	var w struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb["xl/workbook.xml"], &w); err != nil {
		return nil
	}
	var names []string
	for _, s := range w.Sheets {
		names = append(names, s.Name)
	}
	return names
}

// sheet parses worksheet n (from 1).
func (wb workbook) sheet(t *testing.T, n int) worksheet {
	t.Helper()
	var ws worksheet
	if err := xml.Unmarshal(wb["xl/worksheets/sheet"+strconv.Itoa(n)+".xml"], &ws); err != nil {
		t.Fatal(err)
	}
	if ws.Pane.YSplit != 1 || ws.Pane.State != "frozen" {
		t.Errorf("sheet %d: pane %+v, want the first row frozen", n, ws.Pane)
	}
	return ws
}

// columnIndex reads the 0-based column of a cell reference such as "AB12".
func columnIndex(t *testing.T, ref string) int {
	t.Helper()
	i := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		i = i*26 + int(r-'A'+1)
	}
	if i == 0 {
		t.Fatalf("cell reference %q has no column", ref)
	}
	return i - 1
}

// text spells a cell as the comma CSV does: text as is, numbers as
// written, booleans true or false, dates as ISO 8601.
func (c xlsxCell) text(t *testing.T) string {
	t.Helper()
	switch {
	case c.T == "inlineStr":
		return c.IS.T
	case c.T == "b":
		return strconv.FormatBool(c.V == "1")
	case c.S == styleDate:
		days, err := strconv.Atoi(c.V)
		if err != nil {
			t.Fatalf("date cell %s = %q", c.R, c.V)
		}
		return xlsxEpoch.AddDate(0, 0, days).Format(time.DateOnly)
	}
	if _, err := strconv.ParseFloat(c.V, 64); err != nil || c.T != "" {
		t.Errorf("cell %s: type %q value %q is not a number", c.R, c.T, c.V)
	}
	return c.V
}

// strings returns the sheet as records of width fields, an absent cell
// empty, checking that rows and cells are numbered in order.
func (ws worksheet) strings(t *testing.T, width int) [][]string {
	t.Helper()
	recs := make([][]string, len(ws.Rows))
	for i, row := range ws.Rows {
		if row.R != i+1 {
			t.Fatalf("row %d numbered %d", i+1, row.R)
		}
		recs[i] = make([]string, width)
		last := -1
		for _, c := range row.Cells {
			j := columnIndex(t, c.R)
			if c.R != columnName(j)+strconv.Itoa(row.R) || j <= last || j >= width {
				t.Fatalf("row %d: cell %s out of place", row.R, c.R)
			}
			last = j
			recs[i][j] = c.text(t)
		}
	}
	return recs
}

// kinds gives, for each column named in the header, the kind of its cells:
// text, number, boolean or date ("mixed" when they differ).
func (ws worksheet) kinds(t *testing.T) map[string]string {
	t.Helper()
	header := ws.strings(t, len(ws.Rows[0].Cells))[0]
	kinds := map[string]string{}
	for _, row := range ws.Rows[1:] {
		for _, c := range row.Cells {
			k := map[string]string{"inlineStr": "text", "b": "boolean", "": "number"}[c.T]
			if c.S == styleDate {
				k = "date"
			}
			name := header[columnIndex(t, c.R)]
			if old, ok := kinds[name]; ok && old != k {
				k = "mixed"
			}
			kinds[name] = k
		}
	}
	return kinds
}

// cell returns the cell of column col in the row whose first cell is code.
func (ws worksheet) cell(t *testing.T, code, col string) xlsxCell {
	t.Helper()
	j := slices.Index(ws.strings(t, len(ws.Rows[0].Cells))[0], col)
	if j < 0 {
		t.Fatalf("no column %s", col)
	}
	for _, row := range ws.Rows[1:] {
		if len(row.Cells) > 0 && row.Cells[0].IS.T == code {
			for _, c := range row.Cells {
				if columnIndex(t, c.R) == j {
					return c
				}
			}
			t.Fatalf("row %s has no %s cell", code, col)
		}
	}
	t.Fatalf("no row %s", code)
	return xlsxCell{}
}

// TestXLSX checks the worksheet of a small query cell by cell, the
// dictionary sheet, and that a second write gives the same bytes.
func TestXLSX(t *testing.T) {
	db := open(t)
	const query = `SELECT '01001' AS code_insee, '2A' AS dep, 0.261::DOUBLE AS share, 1.25::DECIMAL(5, 2) AS amount,
		-3 AS n, NULL::DOUBLE AS missing, DATE '2024-06-30' AS day, true AS ok, ' <a&b> "c"' || chr(10) || 'd' || chr(1) AS text,
		'=1+1' AS formula`
	dir := t.TempDir()
	path := filepath.Join(dir, "t.xlsx")
	n, err := xlsxWriter(query, "indicateurs_communes", "communes")(t.Context(), db, path)
	if err != nil || n != 1 {
		t.Fatalf("write = %d rows, %v; want 1 row", n, err)
	}
	wb := readXLSX(t, path)
	want := `<sheetData><row r="1">` +
		`<c r="A1" t="inlineStr" s="1"><is><t>code_insee</t></is></c><c r="B1" t="inlineStr" s="1"><is><t>dep</t></is></c>` +
		`<c r="C1" t="inlineStr" s="1"><is><t>share</t></is></c><c r="D1" t="inlineStr" s="1"><is><t>amount</t></is></c>` +
		`<c r="E1" t="inlineStr" s="1"><is><t>n</t></is></c><c r="F1" t="inlineStr" s="1"><is><t>missing</t></is></c>` +
		`<c r="G1" t="inlineStr" s="1"><is><t>day</t></is></c><c r="H1" t="inlineStr" s="1"><is><t>ok</t></is></c>` +
		`<c r="I1" t="inlineStr" s="1"><is><t>text</t></is></c><c r="J1" t="inlineStr" s="1"><is><t>formula</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>01001</t></is></c><c r="B2" t="inlineStr"><is><t>2A</t></is></c>` +
		`<c r="C2"><v>0.261</v></c><c r="D2"><v>1.25</v></c><c r="E2"><v>-3</v></c>` +
		`<c r="G2" s="2"><v>45473</v></c><c r="H2" t="b"><v>1</v></c>` +
		`<c r="I2" t="inlineStr"><is><t xml:space="preserve"> &lt;a&amp;b&gt; &#34;c&#34;&#xA;d` + "\uFFFD" + `</t></is></c>` +
		`<c r="J2" t="inlineStr"><is><t>=1+1</t></is></c></row></sheetData>`
	sheet := string(wb["xl/worksheets/sheet1.xml"])
	got := sheet[strings.Index(sheet, "<sheetData>") : strings.Index(sheet, "</sheetData>")+len("</sheetData>")]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheet data (-want +got):\n%s", diff)
	}
	if !strings.Contains(sheet, `<autoFilter ref="A1:J2"/>`) {
		t.Errorf("sheet has no filter over A1:J2:\n%s", sheet)
	}
	// 2024-06-30 is day 45 473 of Excel's 1900 system (its documentation:
	// 1 January 1900 is 1, and it counts a 29 February 1900).
	if got := wb.sheet(t, 1).strings(t, 10)[1][6]; got != "2024-06-30" {
		t.Errorf("date cell reads %q, want 2024-06-30", got)
	}
	if !strings.Contains(string(wb["xl/workbook.xml"]), `&#39;communes&#39;!$A$1:$J$2`) {
		t.Errorf("workbook.xml defines no filter range:\n%s", wb["xl/workbook.xml"])
	}
	// code_insee is in the dictionary of the communes; the others are not,
	// and keep their name alone.
	dict := wb.sheet(t, 2).strings(t, 5)
	if len(dict) != 11 || dict[1][0] != "code_insee" || dict[1][1] == "" || dict[2][0] != "dep" || dict[2][1] != "" {
		t.Errorf("dictionary sheet = %q", dict)
	}

	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xlsxWriter(query, "indicateurs_communes", "communes")(t.Context(), db, path); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Error("a second write differs")
	}
}

// TestColumnName checks Excel's column letters at their boundaries.
func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnName(i); got != want {
			t.Errorf("columnName(%d) = %q, want %q", i, got, want)
		}
	}
}

// naiveSheetWriter is sheetWriter as it was before it spelled rows into a
// buffer: each cell a string. The two must give the same bytes.
type naiveSheetWriter struct {
	w       io.Writer
	ncols   int
	row     int  // the row being written, from 1
	started bool // whether the row's <row> element is open
	err     error
}

// newNaiveSheetWriter starts a worksheet of the given column names: the first
// row frozen, the columns as wide as widths (in characters) or, for those
// widths leave out, as their name with room for the filter button.
func newNaiveSheetWriter(w io.Writer, names []string, widths ...int) *naiveSheetWriter {
	s := &naiveSheetWriter{w: w, ncols: len(names), row: 1}
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

func (s *naiveSheetWriter) write(str string) {
	if s.err == nil {
		_, s.err = io.WriteString(s.w, str)
	}
}

// cell opens cell col of the current row with attributes attrs (each with
// its leading space) and closes it after inner.
func (s *naiveSheetWriter) cell(col int, attrs, inner string) {
	if !s.started {
		s.write(`<row r="` + strconv.Itoa(s.row) + `">`)
		s.started = true
	}
	s.write(`<c r="` + columnName(col) + strconv.Itoa(s.row) + `"` + attrs + `>` + inner + `</c>`)
}

// text writes a text cell; an empty text is no cell, like NULL.
func (s *naiveSheetWriter) text(col int, v string, style int) {
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
func (s *naiveSheetWriter) number(col int, v string, style int) {
	attrs := ""
	if style != styleNone {
		attrs = ` s="` + strconv.Itoa(style) + `"`
	}
	s.cell(col, attrs, `<v>`+v+`</v>`)
}

// value writes v, of DuckDB type typ, as the cell of its kind; a type the
// downloads do not expect is an error rather than a guess.
func (s *naiveSheetWriter) value(col int, v any, typ string) error {
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
func (s *naiveSheetWriter) float(col int, v float64, bits int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.text(col, strconv.FormatFloat(v, 'f', -1, bits), styleNone)
		return
	}
	s.number(col, strconv.FormatFloat(v+0, 'f', -1, bits), styleNone) // +0 turns -0 into 0
}

// endRow closes the current row and moves to the next. A row without any
// cell is written too, so that row numbers follow the data.
func (s *naiveSheetWriter) endRow() {
	if !s.started {
		s.write(`<row r="` + strconv.Itoa(s.row) + `">`)
	}
	s.write(`</row>`)
	s.started = false
	s.row++
}

// close ends the worksheet, with a filter on the header row over every row
// written, and returns the first write error.
func (s *naiveSheetWriter) close() error {
	s.write(`</sheetData>`)
	if s.ncols > 0 {
		s.write(`<autoFilter ref="A1:` + columnName(s.ncols-1) + strconv.Itoa(max(1, s.row-1)) + `"/>`)
	}
	s.write(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return s.err
}

// sheetValues are cell values of every kind value takes, hostile texts
// included.
var sheetValues = []any{
	nil, "", "01001", "2A004", " espace", "tab\t", "Lozère; \"la\" <b>&'x'\nÉté", "a\x00b\x7f", "\xff\xfe", "\ufffd\ufffe\uffff",
	"\U0001F600", "\u2028", true, false, int8(-8), int16(300), int32(-70000), int64(math.MaxInt64), uint8(255), uint16(65535),
	uint32(1 << 31), uint64(math.MaxUint64), big.NewInt(-12345678901234), float32(0.1), float32(-0.0), 0.1, -0.0, 1e21, 1e-7,
	123456.789, math.NaN(), math.Inf(1), math.Inf(-1), float32(math.Inf(-1)),
	duckdb.Decimal{Width: 10, Scale: 2, Value: big.NewInt(-12345)},
	time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
}

// typeOf is a DuckDB type of v: a time at midnight is a DATE, another a
// TIMESTAMP (which has no cell).
func typeOf(v any) string {
	if tm, ok := v.(time.Time); ok {
		if tm.Hour() == 0 {
			return "DATE"
		}
		return "TIMESTAMP"
	}
	return "X"
}

// sheetBytes writes rows of values with sheetWriter and with
// naiveSheetWriter.
func sheetBytes(t *testing.T, names []string, rows [][]any) (got, want []byte) {
	t.Helper()
	var g, w bytes.Buffer
	s, n := newSheetWriter(&g, names), newNaiveSheetWriter(&w, names)
	for i, name := range names {
		s.text(i, name, styleHeader)
		n.text(i, name, styleHeader)
	}
	s.endRow()
	n.endRow()
	for _, row := range rows {
		for i, v := range row {
			err, nerr := s.value(i, v, typeOf(v)), n.value(i, v, typeOf(v))
			if fmt.Sprint(err) != fmt.Sprint(nerr) {
				t.Fatalf("value(%d, %#v) = %v, naive %v", i, v, err, nerr)
			}
		}
		s.text(len(row), "wrap", styleWrap)
		n.text(len(row), "wrap", styleWrap)
		s.endRow()
		n.endRow()
	}
	if err, nerr := s.close(), n.close(); err != nil || nerr != nil {
		t.Fatal(err, nerr)
	}
	return g.Bytes(), w.Bytes()
}

// sheetWriter spells every kind of value as naiveSheetWriter did, in every
// column from A to past Z.
func TestSheetWriterNaive(t *testing.T) {
	names := make([]string, 30)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	var rows [][]any
	for i := range 3 * len(sheetValues) {
		row := make([]any, len(names)+2) // two columns past the names
		for j := range row {
			row[j] = sheetValues[(i+j)%len(sheetValues)]
		}
		rows = append(rows, row, nil)
	}
	rows = append(rows, []any{time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}) // a TIMESTAMP: an error
	got, want := sheetBytes(t, names, rows)
	if !bytes.Equal(got, want) {
		t.Errorf("sheetWriter differs from naiveSheetWriter:\n%s", cmp.Diff(string(want), string(got)))
	}
}

func FuzzSheetWriter(f *testing.F) {
	f.Add("Lozère; \"la\"", 0.1, int64(-3), true)
	f.Add(" x\t", math.Inf(-1), int64(0), false)
	f.Add("\xff\ufffe<&>", -0.0, int64(math.MinInt64), false)
	f.Fuzz(func(t *testing.T, s string, x float64, n int64, b bool) {
		row := []any{s, x, float32(x), n, b, nil, s}
		got, want := sheetBytes(t, []string{"a", "b"}, [][]any{row, row})
		if !bytes.Equal(got, want) {
			t.Fatalf("sheetWriter differs from naiveSheetWriter on %#v:\n%s", row, cmp.Diff(string(want), string(got)))
		}
	})
}

// writePart deflates what fill writes into the same bytes as fill writing
// through a 64 KiB bufio.Writer into the part, whatever the sizes of its
// writes (larger than the buffer included).
func TestWritePartAsBufio(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var writes [][]byte
	for range 2000 {
		n := rng.IntN(3000)
		if rng.IntN(100) == 0 {
			n = 70 << 10
		}
		b := make([]byte, n)
		const alphabet = `<c r="A1"><v>0123456789</v></c>`
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		writes = append(writes, b)
	}
	fill := func(w io.Writer) error {
		for _, b := range writes {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	var got, want bytes.Buffer
	zg := zip.NewWriter(&got)
	if err := writePart(zg, "p.xml", fill); err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(&want)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "p.xml", Method: zip.Deflate, Modified: xlsxModified})
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := fill(bw); err != nil || bw.Flush() != nil {
		t.Fatal(err)
	}
	if zg.Close() != nil || zw.Close() != nil {
		t.Fatal("close")
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("writePart gives %d bytes, differing from bufio's %d", got.Len(), want.Len())
	}

	// A failure of fill, or of the writer under the part, is writePart's.
	failed := errors.New("disk full")
	if err := writePart(zip.NewWriter(io.Discard), "p.xml", func(io.Writer) error { return failed }); !errors.Is(err, failed) {
		t.Errorf("writePart with a failing fill = %v, want %v", err, failed)
	}
	if err := writePart(zip.NewWriter(failingWriter{failed}), "p.xml", fill); !errors.Is(err, failed) {
		t.Errorf("writePart on a failing writer = %v, want %v", err, failed)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
