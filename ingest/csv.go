package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table reads a delimited text file as French open data comes: UTF-8 with or
// without BOM, or Windows-1252; ',' ';' or tab between fields (sniffed from
// the header line); quoted fields; CRLF or LF; optional free-text lines before
// the header (ARCEP puts a disclaimer there).
type table struct {
	name     string
	header   []string
	cols     map[string]int // lower-cased header name → index
	comma    rune
	encoding string // "utf-8" or "windows-1252"
	s        *splitter
	offset   int // physical lines before the first record
	line     int // physical line of the last record returned
	maxField int // Limits.MaxFieldBytes
}

// maxPreamble is how many lines may precede the header.
const maxPreamble = 5

// openTable reads the preamble and the header. The header is the first line
// holding one of headerKeys (column names, compared without case); lines
// before it are skipped. A preamble or header line over lim.MaxLineBytes,
// or a header of more than lim.MaxColumns columns, refuses the file.
func openTable(name string, r io.Reader, lim Limits, headerKeys ...string) (*table, error) {
	lim = lim.WithDefaults()
	br := bufio.NewReaderSize(r, 1<<16)
	peek, _ := br.Peek(1 << 16)
	if len(peek) == 0 {
		return nil, refusef(ErrFileEmpty, "%s: the file is empty", name)
	}
	t := &table{name: name, encoding: "utf-8", maxField: lim.MaxFieldBytes}
	var src io.Reader = br
	if bytes.HasPrefix(peek, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		peek = peek[3:]
	}
	if bytes.HasPrefix(peek, []byte("\xff\xfe")) || bytes.HasPrefix(peek, []byte("\xfe\xff")) {
		return nil, refusef(ErrFileEncoding, "%s: this is UTF-16 text (Excel's \"Unicode text\"): save it as CSV UTF-8 and load it again", name)
	}
	if bytes.IndexByte(peek, 0) >= 0 {
		return nil, refusef(ErrFileEncoding, "%s: this is a binary file, not delimited text", name)
	}
	if !validUTF8Prefix(peek) {
		t.encoding = "windows-1252"
		src = &cp1252Reader{r: br}
	}
	t.s = &splitter{r: bufio.NewReaderSize(src, 1<<16), max: lim.MaxLineBytes}
	for i := 1; ; i++ {
		b, err := t.s.readLine()
		if errors.Is(err, ErrTooLong) {
			return nil, refusef(ErrFileHeader, "%s: line %d is longer than %d bytes (max_line_bytes): no header line in the first %d lines", name, i, lim.MaxLineBytes, maxPreamble)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, noHeader(name, headerKeys)
			}
			return nil, refusef(ErrFileUnreadable, "%s: %w", name, err)
		}
		line := string(b)
		if !containsAny(strings.ToLower(line), headerKeys) {
			if i >= maxPreamble {
				return nil, noHeader(name, headerKeys)
			}
			continue
		}
		t.comma = sniffDelimiter(line)
		hr := csv.NewReader(strings.NewReader(line))
		hr.Comma = t.comma
		header, herr := hr.Read()
		if herr != nil {
			return nil, refusef(ErrFileHeader, "%s: line %d: unreadable header: %w", name, i, herr)
		}
		if len(header) > lim.MaxColumns {
			return nil, refusef(ErrFileHeader, "%s: line %d: the header has %d columns, more than the %d allowed (max_columns)", name, i, len(header), lim.MaxColumns)
		}
		t.header = header
		t.offset = i
		break
	}
	t.cols = make(map[string]int, len(t.header))
	for i, h := range t.header {
		key := strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[key]; dup {
			return nil, refusef(ErrFileHeader, "%s: line %d: column %q appears twice in the header", name, t.offset, h)
		}
		t.cols[key] = i
	}
	t.s.comma, t.s.line = byte(t.comma), 0 // records count their lines from the header's
	return t, nil
}

func containsAny(line string, keys []string) bool {
	for _, k := range keys {
		if k != "" && strings.Contains(line, strings.ToLower(k)) {
			return true
		}
	}
	return false
}

func noHeader(name string, keys []string) error {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	return refusef(ErrFileHeader, "%s: no header line with a %s column in the first %d lines", name, strings.Join(q, " or "), maxPreamble)
}

// sniffDelimiter picks the candidate that occurs most in the header line,
// outside quotes; ',' wins ties (a one-column header has none).
func sniffDelimiter(line string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, c := range line {
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// require returns the index of each named column, or one error naming every
// missing column.
func (t *table) require(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	var missing []string
	for i, n := range names {
		j, ok := t.cols[n]
		if !ok {
			missing = append(missing, n)
			continue
		}
		idx[i] = j
	}
	if len(missing) > 0 {
		return nil, refusef(ErrFileColumns, "%s: missing mandatory column(s) %s in the header (line %d)", t.name, strings.Join(missing, ", "), t.offset)
	}
	return idx, nil
}

// optional returns the index of a column, or -1 when absent.
func (t *table) optional(name string) int {
	if j, ok := t.cols[name]; ok {
		return j
	}
	return -1
}

// next returns the next record; its physical line number is then t.line.
// A malformed record (bad quoting, wrong field count, invalid text) comes
// back as a *RowError so the caller can reject it and go on; io.EOF ends the
// table. The record is valid until the next call.
func (t *table) next() ([]string, *RowError, error) {
	rec, start, err := t.s.read()
	if err != nil {
		var se *splitError
		if errors.As(err, &se) {
			t.line = t.offset + se.line
			if errors.Is(se.err, ErrTooLong) {
				return nil, rowError(t.name, t.line, "", "", se.err), nil
			}
			return nil, rowError(t.name, t.line, "", "", because(ErrMalformedRow, "unreadable row: "+se.err.Error())), nil
		}
		return nil, nil, err
	}
	t.line = t.offset + start
	if len(rec) != len(t.header) {
		return nil, rowError(t.name, t.line, "", "", because(ErrMalformedRow, fmt.Sprintf("row has %d fields, the header has %d", len(rec), len(t.header)))), nil
	}
	if w := t.s.whole; w != "" && len(w) <= t.maxField && utf8.ValidString(w) && strings.IndexByte(w, 0) < 0 {
		return rec, nil, nil // every field is valid: one pass over the line
	}
	for i, f := range rec {
		if len(f) > t.maxField {
			return nil, rowError(t.name, t.line, t.header[i], truncate(f, maxRejectValue), fieldTooLong(t.maxField)), nil
		}
		if !utf8.ValidString(f) {
			return nil, rowError(t.name, t.line, t.header[i], strings.ToValidUTF8(f, "\uFFFD"), because(ErrEncoding, "invalid UTF-8 text (the file's start was detected as UTF-8)")), nil
		}
		if strings.IndexByte(f, 0) >= 0 {
			return nil, rowError(t.name, t.line, t.header[i], strings.ReplaceAll(f, "\x00", "\uFFFD"), because(ErrEncoding, "NUL byte in the field (binary data)")), nil
		}
	}
	return rec, nil, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, ignoring a rune cut at
// the end of the buffer.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		r, _ := utf8.DecodeLastRune(b)
		if r != utf8.RuneError {
			return false
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// cp1252Reader decodes Windows-1252 into UTF-8.
type cp1252Reader struct {
	r   io.Reader
	buf []byte // bytes read, undecoded
	out []byte // decoded bytes not yet returned: out[off:]
	off int
}

// cp1252High maps bytes 0x80–0x9F; the rest of the range is Latin-1.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	for c.off == len(c.out) {
		if c.buf == nil {
			c.buf = make([]byte, 1<<15)
		}
		n, err := c.r.Read(c.buf)
		c.out, c.off = c.out[:0], 0
		for _, b := range c.buf[:n] {
			switch {
			case b < 0x80:
				c.out = append(c.out, b)
			case b < 0xA0:
				c.out = utf8.AppendRune(c.out, cp1252High[b-0x80])
			default:
				c.out = utf8.AppendRune(c.out, rune(b))
			}
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, c.out[c.off:])
	c.off += n
	return n, nil
}
