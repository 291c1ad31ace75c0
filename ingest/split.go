package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// splitter reads delimited records (RFC 4180: fields may be quoted, a quote
// inside a quoted field is doubled, a quoted field may span lines; CRLF or
// LF). It allocates one string per record and slices the fields out of it,
// which makes it several times cheaper than encoding/csv on the wide files
// ingest reads; FuzzSplitterMatchesEncodingCSV holds it to encoding/csv's
// results.
type splitter struct {
	r     *bufio.Reader
	comma byte
	// max bounds a record's bytes (Limits.MaxLineBytes); 0: no bound.
	max int
	// quotes counts the quotes of the last line readLine refused as too
	// long (it keeps none of its bytes), so that the record it was part
	// of can be skipped whole.
	quotes int
	line   int // physical lines consumed so far
	buf    []byte
	ends   []int
	out    []string
	// whole is the last record's text, separators included, when its
	// fields were sliced from one unquoted line; "" otherwise. A check of
	// its bytes is then a check of every field's.
	whole string
}

// errQuote reports a malformed quoted field; the record is skipped.
var errQuote = errors.New(`bare or misplaced " in a field (quote the whole field and double the quotes inside)`)

// read returns the next record's fields (valid until the next call) and the
// physical line it starts on. A malformed record, or one over s.max bytes
// (its reason of kind ErrTooLong), returns a *splitError and the reader
// moves on to the next line; io.EOF ends the input.
func (s *splitter) read() ([]string, int, error) {
	s.whole = ""
	line, err := s.readLine()
	for err == nil && len(trimEOL(line)) == 0 {
		line, err = s.readLine() // blank lines are not records
	}
	if errors.Is(err, ErrTooLong) {
		start := s.line
		if s.quotes%2 == 1 { // the line ended inside a quoted field
			if err := s.skipQuoted(); err != nil {
				return nil, 0, err
			}
		}
		return nil, start, &splitError{line: start, err: err}
	}
	if err != nil {
		return nil, 0, err
	}
	start := s.line
	if bytes.IndexByte(line, '"') < 0 {
		// Fast path: no quotes, split in place.
		rec := string(trimEOL(line))
		s.out, s.whole = s.out[:0], rec
		for {
			i := strings.IndexByte(rec, s.comma)
			if i < 0 {
				s.out = append(s.out, rec)
				return s.out, start, nil
			}
			s.out = append(s.out, rec[:i])
			rec = rec[i+1:]
		}
	}
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	for {
		line, err = s.field(line)
		if err != nil {
			return nil, start, &splitError{line: start, err: err}
		}
		if line == nil {
			break
		}
	}
	if s.max > 0 && len(s.buf) > s.max {
		return nil, start, &splitError{line: start, err: lineTooLong(s.max)}
	}
	rec := string(s.buf)
	s.out, s.whole = s.out[:0], ""
	prev := 0
	for _, e := range s.ends {
		s.out = append(s.out, rec[prev:e])
		prev = e
	}
	return s.out, start, nil
}

// field parses one field at the start of line into s.buf and returns the
// rest of the line after its delimiter, or nil at the end of the record.
func (s *splitter) field(line []byte) ([]byte, error) {
	if len(line) == 0 || line[0] != '"' {
		i := bytes.IndexByte(line, s.comma)
		var f []byte
		if i < 0 {
			f = trimEOL(line)
		} else {
			f = line[:i]
		}
		if bytes.IndexByte(f, '"') >= 0 {
			return nil, errQuote
		}
		s.buf = append(s.buf, f...)
		s.ends = append(s.ends, len(s.buf))
		if i < 0 {
			return nil, nil
		}
		return line[i+1:], nil
	}
	line = line[1:]
	for {
		i := bytes.IndexByte(line, '"')
		switch {
		case i < 0:
			// The quoted field goes on on the next line; its CRLF reads as LF.
			if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
				line = append(line[:n-2:n-2], '\n')
			}
			s.buf = append(s.buf, line...)
			if s.max > 0 && len(s.buf) > s.max {
				return nil, s.skipQuotedErr(lineTooLong(s.max))
			}
			next, err := s.readLine()
			if errors.Is(err, io.EOF) {
				return nil, errors.New(`end of file inside a quoted field (missing closing ")`)
			}
			if errors.Is(err, ErrTooLong) {
				if s.quotes%2 == 0 { // the line went on inside the quoted field
					return nil, s.skipQuotedErr(err)
				}
				return nil, err
			}
			if err != nil {
				return nil, err
			}
			line = next
		case i+1 < len(line) && line[i+1] == '"':
			s.buf = append(s.buf, line[:i+1]...)
			line = line[i+2:]
		default:
			s.buf = append(s.buf, line[:i]...)
			s.ends = append(s.ends, len(s.buf))
			rest := line[i+1:]
			switch {
			case len(rest) == 0, rest[0] == '\n', rest[0] == '\r' && (len(rest) == 1 || rest[1] == '\n'):
				return nil, nil
			case rest[0] == s.comma:
				return rest[1:], nil
			}
			return nil, errQuote
		}
	}
}

// readLine returns the next physical line, end of line included; lines
// longer than the buffer are gathered whole, up to s.max bytes. A longer
// line is read to its end without being kept, and counted: its error is
// of kind ErrTooLong.
func (s *splitter) readLine() ([]byte, error) {
	s.quotes = 0
	line, err := s.r.ReadSlice('\n')
	var long []byte
	tooLong := false
	for {
		if !tooLong && s.max > 0 && len(long)+len(line) > s.max {
			tooLong, s.quotes, long = true, bytes.Count(long, quote), nil
		}
		if tooLong {
			s.quotes += bytes.Count(line, quote)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			break
		}
		if !tooLong {
			long = append(long, line...)
		}
		line, err = s.r.ReadSlice('\n')
	}
	if tooLong {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		s.line++
		return nil, lineTooLong(s.max)
	}
	if long != nil {
		line = append(long, line...)
	}
	if len(line) == 0 {
		if err == nil {
			err = io.EOF
		}
		return nil, err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	s.line++
	return line, nil
}

var quote = []byte{'"'}

// skipQuoted reads on, without keeping them, the lines of a record cut
// inside a quoted field, up to the line that ends outside quotes: each
// quote toggles (a doubled one, toggling twice, leaves the state as it
// was). The end of the input ends it too.
func (s *splitter) skipQuoted() error {
	inQuote := true
	for {
		chunk, err := s.r.ReadSlice('\n')
		inQuote = inQuote != (bytes.Count(chunk, quote)%2 == 1)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 {
			s.line++
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil || !inQuote {
			return err
		}
	}
}

// skipQuotedErr skips the rest of a record cut inside a quoted field and
// returns why it was cut, or the read error met while skipping.
func (s *splitter) skipQuotedErr(why error) error {
	if err := s.skipQuoted(); err != nil {
		return err
	}
	return why
}

// trimEOL drops a line's LF, CRLF, or lone CR at the end of the input.
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// splitError is a record that cannot be split.
type splitError struct {
	line int
	err  error
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *splitError) Unwrap() error { return e.err }
