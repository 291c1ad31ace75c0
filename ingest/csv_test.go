package ingest

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func readAll(t *testing.T, name, data, key string) (*table, [][]string, []int, []*RowError) {
	t.Helper()
	tb, err := openTable(name, strings.NewReader(data), Limits{}, key)
	if err != nil {
		t.Fatalf("openTable(%s): %v", name, err)
	}
	var recs [][]string
	var lines []int
	var bad []*RowError
	for {
		rec, rowErr, err := tb.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		if rowErr != nil {
			bad = append(bad, rowErr)
			continue
		}
		recs = append(recs, append([]string(nil), rec...))
		lines = append(lines, tb.line)
	}
	return tb, recs, lines, bad
}

func TestOpenTable(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		key       string
		comma     rune
		encoding  string
		header    []string
		recs      [][]string
		lines     []int
		rejectsAt []int
	}{
		{
			name: "semicolon with BOM and CRLF", key: "code",
			data:  "\xef\xbb\xbfcode;nom\r\n01001;L'Abergement\r\n2A004;Ajaccio\r\n",
			comma: ';', encoding: "utf-8", header: []string{"code", "nom"},
			recs: [][]string{{"01001", "L'Abergement"}, {"2A004", "Ajaccio"}}, lines: []int{2, 3},
		},
		{
			name: "comma with quoted fields and embedded newline", key: "code",
			data:  "\"code\",\"nom\"\n\"59350\",\"Lille, \"\"capitale\"\"\"\n\"62041\",\"Arras\nCentre\"\n\"62193\",\"Calais\"\n",
			comma: ',', encoding: "utf-8", header: []string{"code", "nom"},
			recs: [][]string{{"59350", "Lille, \"capitale\""}, {"62041", "Arras\nCentre"}, {"62193", "Calais"}}, lines: []int{2, 3, 5},
		},
		{
			name: "preamble line before the header (ARCEP beta)", key: "code_insee",
			data:  "Version beta : données en l’état; à vérifier\ncode_insee;nbr\n67017;148\n",
			comma: ';', encoding: "utf-8", header: []string{"code_insee", "nbr"},
			recs: [][]string{{"67017", "148"}}, lines: []int{3},
		},
		{
			name: "windows-1252", key: "code",
			data:  "code;nom\n01001;Ch\xe2teau \x80\n",
			comma: ';', encoding: "windows-1252", header: []string{"code", "nom"},
			recs: [][]string{{"01001", "Château €"}}, lines: []int{2},
		},
		{
			name: "short row and bad quote are rejects, not errors", key: "code",
			data:  "code;nom\n01001\n01002;a\"b\n01003;ok\n",
			comma: ';', encoding: "utf-8", header: []string{"code", "nom"},
			recs: [][]string{{"01003", "ok"}}, lines: []int{4}, rejectsAt: []int{2, 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, recs, lines, bad := readAll(t, tt.name, tt.data, tt.key)
			if tb.comma != tt.comma || tb.encoding != tt.encoding {
				t.Errorf("comma, encoding = %q, %s; want %q, %s", tb.comma, tb.encoding, tt.comma, tt.encoding)
			}
			if diff := cmp.Diff(tt.header, tb.header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.recs, recs); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			var at []int
			for _, b := range bad {
				at = append(at, b.Line)
			}
			if diff := cmp.Diff(tt.rejectsAt, at); diff != "" {
				t.Errorf("reject lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenTableErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", "empty"},
		{"binary", "code;nom\n\x00\x01\x02", "binary"},
		{"no header", "a;b\n1;2\n3;4\n5;6\n7;8\n9;10\n", "no header line"},
		{"duplicate column", "code;code\n1;2\n", "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openTable("f.csv", strings.NewReader(tt.data), Limits{}, "code")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "f.csv") {
				t.Errorf("openTable error = %v, want one naming f.csv and containing %q", err, tt.want)
			}
		})
	}
}

func TestRequireNamesEveryMissingColumn(t *testing.T) {
	tb, err := openTable("f.csv", strings.NewReader("code;nom\n"), Limits{}, "code")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tb.require("code", "date", "nbr")
	if err == nil || !strings.Contains(err.Error(), "date, nbr") {
		t.Errorf("require error = %v, want it to name date, nbr", err)
	}
}

func FuzzSniffDelimiter(f *testing.F) {
	for _, s := range []string{"a;b;c", "a,b,c", "\"a;b\",c", "a\tb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch c := sniffDelimiter(s); c {
		case ',', ';', '\t':
		default:
			t.Errorf("sniffDelimiter(%q) = %q", s, c)
		}
	})
}

func FuzzOpenTable(f *testing.F) {
	f.Add([]byte("code;nom\n01001;a\n"))
	f.Add([]byte("\xef\xbb\xbfcode,nom\r\n\"1\",\"x\"\r\n"))
	f.Add([]byte("pre\ncode\x80;n\n1;2"))
	f.Add([]byte("code,nom\n1,a\x00b\n\"2\xc3\",\"\xa9\"\n3,\xc3\xa9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := openTable("fuzz.csv", strings.NewReader(string(data)), Limits{}, "code")
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			rec, rowErr, err := tb.next()
			if err != nil {
				return
			}
			if rowErr == nil && len(rec) != len(tb.header) {
				t.Fatalf("record with %d fields accepted for a %d-column header", len(rec), len(tb.header))
			}
			for _, f := range rec {
				if rowErr == nil && (!utf8.ValidString(f) || strings.IndexByte(f, 0) >= 0) {
					t.Fatalf("field %q accepted: not UTF-8 or holding a NUL byte", f)
				}
			}
		}
	})
}

func TestCP1252ReaderLongInput(t *testing.T) {
	// Every byte value, many times over, through small reads.
	var in []byte
	for range 300 {
		for b := 0; b < 256; b++ {
			in = append(in, byte(b))
		}
	}
	var want strings.Builder
	for _, b := range in {
		switch {
		case b < 0x80:
			want.WriteByte(b)
		case b < 0xA0:
			want.WriteRune(cp1252High[b-0x80])
		default:
			want.WriteRune(rune(b))
		}
	}
	r := &cp1252Reader{r: strings.NewReader(string(in))}
	var got strings.Builder
	buf := make([]byte, 7)
	for {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if got.String() != want.String() {
		t.Errorf("cp1252Reader decoded %d bytes, want %d, and they differ", got.Len(), want.Len())
	}
}
