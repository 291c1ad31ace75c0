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
	return splitAllMax(data, comma, 0)
}

// splitAllMax splits with records bounded to max bytes; a too-long record
// is Bad, with its line.
func splitAllMax(data string, comma byte, max int) []splitResult {
	s := &splitter{r: bufio.NewReaderSize(strings.NewReader(data), 16), comma: comma, max: max}
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

// TestSplitterMaxLine: a record over the bound is one bad record at its
// first line, skipped whole (a quoted field spanning lines included), and
// the reading goes on at the next record, on its right line.
func TestSplitterMaxLine(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []splitResult
	}{
		{"at the bound", "0123456789\n", []splitResult{{[]string{"0123456789"}, 1, false}}},
		{"over the bound", "a;b\n0123456789a\nc;d\n", []splitResult{{[]string{"a", "b"}, 1, false}, {Line: 2, Bad: true}, {[]string{"c", "d"}, 3, false}}},
		{"over the buffer, no newline at the end", "a;b\n" + strings.Repeat("x", 100), []splitResult{{[]string{"a", "b"}, 1, false}, {Line: 2, Bad: true}}},
		{"quoted field spanning lines", "\"x\nyyyyyyyyyyyy\nzz\";q\nc;d\n", []splitResult{{Line: 1, Bad: true}, {[]string{"c", "d"}, 4, false}}},
		{"long first line inside quotes", "\"0123456789\n012\";5\nc;d\n", []splitResult{{Line: 1, Bad: true}, {[]string{"c", "d"}, 3, false}}},
		{"long continuation line", "\"a\n" + strings.Repeat("b", 40) + "\nc\";d\ne;f\n", []splitResult{{Line: 1, Bad: true}, {[]string{"e", "f"}, 4, false}}},
		{"doubled quotes in a long line", "\"a\"\"b\";cccccccccc\nc;d\n", []splitResult{{Line: 1, Bad: true}, {[]string{"c", "d"}, 2, false}}},
		{"cut inside quotes to the end", "\"a\n" + strings.Repeat("b\n", 20), []splitResult{{Line: 1, Bad: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, splitAllMax(tt.data, ';', 11)); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzSplitterMaxLine: with a bound, no record longer than it comes out,
// and on inputs whose records all fit, the bound changes nothing.
func FuzzSplitterMaxLine(f *testing.F) {
	for _, s := range []string{"a;b\nccccccccccccc\n", "\"a\nbbbbbbbbbbbbbbbb\";c\nd\n", `"x""y";z`, "a\n\nb", "\"aaaaa\nbbbbb\";c\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		const max = 8
		got := splitAllMax(data, ';', max)
		fits := true
		for _, r := range got {
			n := 0
			for _, f := range r.Fields {
				n += len(f)
			}
			if n > max {
				t.Fatalf("record %q of %d bytes read under a bound of %d", r.Fields, n, max)
			}
		}
		for _, line := range strings.SplitAfter(data, "\n") {
			if len(line) > max {
				fits = false
			}
		}
		for _, r := range splitAll(data, ';') {
			n := 0
			for _, f := range r.Fields {
				n += len(f)
			}
			if n > max {
				fits = false
			}
		}
		if fits {
			if diff := cmp.Diff(splitAll(data, ';'), got); diff != "" {
				t.Errorf("the bound changed the records of %q, whose lines all fit (-unbounded +bounded):\n%s", data, diff)
			}
		}
	})
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
