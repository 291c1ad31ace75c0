package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *RejectKind
	}{
		{"nil", nil, nil},
		{"a kind", ErrNotANumber, ErrNotANumber},
		{"worded", because(ErrOutOfRange, "negative count"), ErrOutOfRange},
		{"wrapped twice", fmt.Errorf("column x: %w", because(ErrNotADate, "impossible date")), ErrNotADate},
		{"geo: malformed code", fmt.Errorf("resolve %q: %w", "5935", geo.ErrMalformedCode), ErrMalformedCode},
		{"geo: unknown code", geo.ErrUnknownCode, ErrUnknownCode},
		{"geo: no successor", geo.ErrNoSuccessor, ErrUnknownCode},
		{"geo: unknown postal code", geo.ErrUnknownPostalCode, ErrUnknownCode},
		// An unknown postal code of a collectivité d'outre-mer is outside.
		{"geo: both", fmt.Errorf("lookup: %w: %w", geo.ErrUnknownPostalCode, geo.ErrOutsideDepartements), ErrOutside},
		{"anything else", errors.New("disk full"), ErrOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.want {
				t.Errorf("KindOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// The reason of a row error never quotes the value, whatever the wording
// of the error it comes from; its kind is kept.
func TestRowErrorReason(t *testing.T) {
	codes := geo.NewCodes([]geo.COGCommune{{Type: "COM", Code: "59350", CodeDepartement: "59", Nom: "Lille"}}, nil)
	_, err := codes.Resolve("59999")
	if err == nil {
		t.Fatal("59999 resolved")
	}
	e := rowError("f.csv", 3, "code_insee", "59999", err)
	if e.Reason == "" || strings.Contains(e.Reason, "59999") {
		t.Errorf("reason %q quotes the value or is empty", e.Reason)
	}
	if !errors.Is(e, geo.ErrUnknownCode) || e.Kind() != ErrUnknownCode {
		t.Errorf("kind %v of %v, want unknown_code", e.Kind(), e)
	}
	seen := map[string]bool{}
	for _, k := range RejectKinds() {
		if seen[k.Code] || k.Code == "" {
			t.Errorf("kind code %q empty or repeated", k.Code)
		}
		seen[k.Code] = true
	}
}

func TestFileKindOf(t *testing.T) {
	pathErr := &fs.PathError{Op: "open", Path: "/home/op/inbox/venues/x.csv", Err: fs.ErrPermission}
	tests := []struct {
		name string
		err  error
		want *FileErrorKind
	}{
		{"nil", nil, nil},
		{"a kind", ErrFileEmpty, ErrFileEmpty},
		{"worded", refusef(ErrFileHeader, "x.csv: no header line"), ErrFileHeader},
		{"wrapped", fmt.Errorf("%w; write a mapping", refusef(ErrFileFormat, "x.csv: no built-in mapping")), ErrFileFormat},
		{"the outermost kind", refusef(ErrFileDatabase, "store rows: %w", refusef(ErrFileUnreadable, "read")), ErrFileDatabase},
		{"file system", fmt.Errorf("read x.csv: %w", pathErr), ErrFileUnreadable},
		{"truncated", fmt.Errorf("x.csv: %w", io.ErrUnexpectedEOF), ErrFileUnreadable},
		{"cancelled", fmt.Errorf("x.csv: %w", context.Canceled), ErrFileInterrupted},
		{"too many rejects", fmt.Errorf("x.csv: %w (over 3)", ErrFileTooManyRejects), ErrFileTooManyRejects},
		{"anything else", errors.New("disk full"), ErrFileOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FileKindOf(tt.err); got != tt.want {
				t.Errorf("FileKindOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	// A worded refusal keeps its wording, and what it wraps.
	err := refusef(ErrFileUnreadable, "read x.csv: %w", pathErr)
	if err.Error() != "read x.csv: open /home/op/inbox/venues/x.csv: permission denied" || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("refusef = %q, wrapping fs.ErrPermission: %v", err, errors.Is(err, fs.ErrPermission))
	}
}

// A DuckDB error is of kind database, whatever its wording.
func TestFileKindOfDuckDB(t *testing.T) {
	l := newTestLoader(t)
	_, err := l.DB.ExecContext(t.Context(), "SELECT CAST('x' AS INTEGER)")
	if err == nil {
		t.Fatal("the cast succeeded")
	}
	if got := FileKindOf(fmt.Errorf("store rows of x.csv: %w", err)); got != ErrFileDatabase {
		t.Errorf("FileKindOf(%v) = %v, want %v", err, got, ErrFileDatabase)
	}
}

func TestFileErrorKindCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range FileErrorKinds() {
		if seen[k.Code] || k.Code == "" || k.Error() == "" {
			t.Errorf("kind code %q empty or repeated, or kind without text", k.Code)
		}
		seen[k.Code] = true
	}
}
