package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// records is a stream of input rows with named columns: a delimited text
// table or a JSON Lines file.
type records interface {
	// next returns the next row, or a *RowError for a row that cannot be
	// read (the stream goes on), or io.EOF at the end.
	next() ([]string, *RowError, error)
	lineNo() int             // physical line of the last row returned
	columns() map[string]int // lower-cased column name → index
	headerNames() []string   // column names as written
}

func (t *table) lineNo() int             { return t.line }
func (t *table) columns() map[string]int { return t.cols }
func (t *table) headerNames() []string   { return t.header }

// jsonLines reads one JSON object per line. Its columns are the keys a
// mapping asks for (matched without regard to case); other keys are never
// read. Blank lines are skipped.
type jsonLines struct {
	name   string
	r      *bufio.Reader
	header []string
	cols   map[string]int
	line   int
	rec    []string
	lim    Limits
}

// openJSONLines reads a JSON Lines file; a line over lim.MaxLineBytes (so
// a file without newlines cannot exhaust memory) or a value over
// lim.MaxFieldBytes rejects its row.
func openJSONLines(name string, r io.Reader, lim Limits, columns []string) (*jsonLines, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	j := &jsonLines{name: name, r: br, cols: make(map[string]int, len(columns)), lim: lim.WithDefaults()}
	for _, c := range columns {
		key := strings.ToLower(c)
		if _, dup := j.cols[key]; dup {
			continue
		}
		j.cols[key] = len(j.header)
		j.header = append(j.header, c)
	}
	j.rec = make([]string, len(j.header))
	return j, nil
}

func (j *jsonLines) next() ([]string, *RowError, error) {
	for {
		line, err := j.readLine()
		if err != nil {
			return nil, nil, err
		}
		j.line++
		if line == nil {
			return nil, rowError(j.name, j.line, "", "", lineTooLong(j.lim.MaxLineBytes)), nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return nil, rowError(j.name, j.line, "", "", because(ErrMalformedRow, "not a JSON object: "+err.Error())), nil
		}
		for i := range j.rec {
			j.rec[i] = ""
		}
		for k, raw := range obj {
			i, ok := j.cols[strings.ToLower(k)]
			if !ok {
				continue
			}
			v, err := jsonScalar(raw)
			if err != nil {
				return nil, rowError(j.name, j.line, k, truncate(string(raw), maxRejectValue), err), nil
			}
			if len(v) > j.lim.MaxFieldBytes {
				return nil, rowError(j.name, j.line, k, truncate(v, maxRejectValue), fieldTooLong(j.lim.MaxFieldBytes)), nil
			}
			j.rec[i] = v
		}
		return j.rec, nil, nil
	}
}

// readLine returns the next line without its end; nil with no error for a
// line over MaxLineBytes (skipped up to its end).
func (j *jsonLines) readLine() ([]byte, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := j.r.ReadSlice('\n')
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > j.lim.MaxLineBytes {
				tooLong, buf = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (len(buf) > 0 || tooLong) && errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if tooLong {
		return nil, nil
	}
	return bytes.TrimRight(buf, "\r\n"), nil
}

func jsonScalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", because(ErrMalformedRow, "not a JSON string: "+err.Error())
		}
		return s, nil
	case '{', '[':
		return "", because(ErrMalformedRow, "nested JSON value where a scalar is expected")
	case 'n':
		return "", nil
	}
	return string(raw), nil // number or boolean, as written
}

func (j *jsonLines) lineNo() int             { return j.line }
func (j *jsonLines) columns() map[string]int { return j.cols }
func (j *jsonLines) headerNames() []string   { return j.header }
