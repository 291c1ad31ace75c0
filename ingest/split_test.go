package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type splitResult struct {
	Fields []string
	Line   int
	Bad    bool
}

func splitAll(data string, comma byte) []splitResult {
	s := &splitter{r: bufio.NewReaderSize(strings.NewReader(data), 16), comma: comma}
	var out []splitResult
	for {
		rec, line, err := s.read()
		if errors.Is(err, io.EOF) {
			return out
		}
		var se *splitError
		if errors.As(err, &se) {
			out = append(out, splitResult{Line: se.line, Bad: true})
			continue
		}
		if err != nil {
			return append(out, splitResult{Bad: true})
		}
		out = append(out, splitResult{Fields: append([]string(nil), rec...), Line: line})
	}
}

func TestSplitter(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []splitResult
	}{
		{"plain", "a;b\nc;d\n", []splitResult{{[]string{"a", "b"}, 1, false}, {[]string{"c", "d"}, 2, false}}},
		{"crlf and no final newline", "a;b\r\nc;d", []splitResult{{[]string{"a", "b"}, 1, false}, {[]string{"c", "d"}, 2, false}}},
		{"quoted with delimiter and doubled quote", `"a;1";"b ""x"""` + "\n", []splitResult{{[]string{"a;1", `b "x"`}, 1, false}}},
		{"quoted newline keeps line numbers", "\"a\r\nb\";c\nd;e\n", []splitResult{{[]string{"a\nb", "c"}, 1, false}, {[]string{"d", "e"}, 3, false}}},
		{"empty fields", ";;\n\"\";x\n", []splitResult{{[]string{"", "", ""}, 1, false}, {[]string{"", "x"}, 2, false}}},
		{"blank lines skipped", "a\n\n\r\nb\n", []splitResult{{[]string{"a"}, 1, false}, {[]string{"b"}, 4, false}}},
		{"bare quote rejected, next row read", "a\"b;c\nd;e\n", []splitResult{{Line: 1, Bad: true}, {[]string{"d", "e"}, 2, false}}},
		{"text after closing quote rejected", "\"a\"b;c\nd;e\n", []splitResult{{Line: 1, Bad: true}, {[]string{"d", "e"}, 2, false}}},
		{"unterminated quote", "a;\"b\nc\n", []splitResult{{Line: 1, Bad: true}}},
		{"long line over the buffer", strings.Repeat("x", 100) + ";y\n", []splitResult{{[]string{strings.Repeat("x", 100), "y"}, 1, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, splitAll(tt.data, ';')); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzSplitterMatchesEncodingCSV: whenever encoding/csv reads a whole input
// without error, the splitter reads the same records on the same lines.
func FuzzSplitterMatchesEncodingCSV(f *testing.F) {
	for _, s := range []string{"a;b\nc;d\n", "\"a\r\nb\";c\n", `"x""y";z`, "a\n\nb", ";;\n", "\"\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		r := csv.NewReader(strings.NewReader(data))
		r.Comma = ';'
		r.FieldsPerRecord = -1
		var want []splitResult
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return // inputs encoding/csv refuses are covered by TestSplitter
			}
			line, _ := r.FieldPos(0)
			want = append(want, splitResult{Fields: rec, Line: line})
		}
		if diff := cmp.Diff(want, splitAll(data, ';')); diff != "" {
			t.Errorf("splitter and encoding/csv disagree on %q (-csv +splitter):\n%s", data, diff)
		}
	})
}
