package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/illectro/illectro/geo"
)

// A RejectKind is why a row was rejected, as a stable code: the rejects
// table stores it beside the row's detailed reason, and published pages
// count rejects by kind, never by the reason's wording (which may quote the
// rejected value, itself possibly personal data). RowError.Err wraps one of
// the Err… kinds below (test with errors.Is), as encoding/csv's ParseError
// wraps ErrFieldCount.
type RejectKind struct {
	Code string // stable, stored in rejects.kind
	text string
}

func (k *RejectKind) Error() string { return k.text }

// The kinds of rejected rows.
var (
	ErrMissing        = &RejectKind{"missing", "missing value"}
	ErrNotANumber     = &RejectKind{"not_a_number", "not a number"}
	ErrOutOfRange     = &RejectKind{"out_of_range", "value out of range"}
	ErrNotADate       = &RejectKind{"not_a_date", "not a date or time"}
	ErrNotAChoice     = &RejectKind{"not_a_choice", "not one of the accepted values"}
	ErrMalformedCode  = &RejectKind{"malformed_code", "malformed commune or postal code"}
	ErrUnknownCode    = &RejectKind{"unknown_code", "unknown commune or postal code"}
	ErrOutside        = &RejectKind{"outside_departements", "outside the 101 départements"}
	ErrAmbiguousPlace = &RejectKind{"ambiguous_place", "cannot be placed in one département"}
	ErrInconsistent   = &RejectKind{"inconsistent", "values of the row contradict each other"}
	ErrNotShared      = &RejectKind{"not_shared", "the respondent did not share results"}
	ErrIncomplete     = &RejectKind{"incomplete", "an area of competence is not assessed"}
	ErrMalformedRow   = &RejectKind{"malformed_row", "malformed row"}
	ErrTooLong        = &RejectKind{"too_long", "line or field too long"}
	ErrEncoding       = &RejectKind{"encoding", "invalid text encoding or binary data"}
	// ErrOther is the kind of an error of no other kind (a bug to fix: every
	// reason should have one), and of rows rejected before kinds existed.
	ErrOther = &RejectKind{"other", "other reason"}
)

// RejectKinds lists every kind, for the pages that label them.
func RejectKinds() []*RejectKind {
	return []*RejectKind{ErrMissing, ErrNotANumber, ErrOutOfRange, ErrNotADate, ErrNotAChoice,
		ErrMalformedCode, ErrUnknownCode, ErrOutside, ErrAmbiguousPlace, ErrInconsistent,
		ErrNotShared, ErrIncomplete, ErrMalformedRow, ErrTooLong, ErrEncoding, ErrOther}
}

// reason is an error of one kind in its own words.
type reason struct {
	kind *RejectKind
	msg  string
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.kind }

// because returns an error of kind worded msg.
func because(kind *RejectKind, msg string) error { return &reason{kind, msg} }

// KindOf is the kind of a row's error: the RejectKind it wraps, or the
// kind of the geo package's error it wraps, else ErrOther.
func KindOf(err error) *RejectKind {
	var k *RejectKind
	switch {
	case err == nil:
		return nil
	case errors.As(err, &k):
		return k
	case errors.Is(err, geo.ErrOutsideDepartements):
		return ErrOutside
	case errors.Is(err, geo.ErrMalformedCode), errors.Is(err, geo.ErrMalformedPostalCode):
		return ErrMalformedCode
	case errors.Is(err, geo.ErrUnknownCode), errors.Is(err, geo.ErrNoSuccessor), errors.Is(err, geo.ErrUnknownPostalCode):
		return ErrUnknownCode
	}
	return ErrOther
}

// A FileErrorKind is why a file was refused as a whole (nothing of it
// loaded), as a stable code: ingest_files stores it as error_kind beside the
// error's wording, and published pages show the kind, never the wording,
// which may hold a server path or a raw database message. Load's errors
// wrap one of the ErrFile… kinds below (test with errors.Is); FileKindOf
// classifies any error.
type FileErrorKind struct {
	Code string // stable, stored in ingest_files.error_kind
	text string
}

func (k *FileErrorKind) Error() string { return k.text }

// The kinds of refused files.
var (
	// ErrFileUnreadable: the file could not be opened or read.
	ErrFileUnreadable = &FileErrorKind{"unreadable", "unreadable file"}
	ErrFileEmpty      = &FileErrorKind{"empty", "empty file"}
	// ErrFileEncoding: UTF-16 text or binary data, not delimited text.
	ErrFileEncoding = &FileErrorKind{"encoding", "unsupported text encoding or binary file"}
	// ErrFileHeader: no header line found, or one that cannot be read or
	// names a column twice.
	ErrFileHeader = &FileErrorKind{"bad_header", "header not recognised"}
	// ErrFileColumns: the header lacks a mandatory column.
	ErrFileColumns = &FileErrorKind{"missing_columns", "mandatory column missing"}
	// ErrFileFormat: no mapping fits the header, or the format is ambiguous.
	ErrFileFormat = &FileErrorKind{"unknown_format", "format not recognised"}
	// ErrFileKey: self-assessments cannot be pseudonymised without the
	// HMAC key.
	ErrFileKey = &FileErrorKind{"missing_key", "pseudonymisation key missing"}
	// ErrFileKeyChanged: the key is not the one the source's respondents
	// already stored were pseudonymised with (their key check value
	// differs): each of them would be counted again.
	ErrFileKeyChanged = &FileErrorKind{"key_changed", "pseudonymisation key changed"}
	// ErrFileTooManyRejects: more than MaxRejects rows were rejected.
	ErrFileTooManyRejects = &FileErrorKind{"too_many_rejects", "too many rejected rows"}
	// ErrFileDatabase: the database failed while storing the file.
	ErrFileDatabase = &FileErrorKind{"database", "database error while loading"}
	// ErrFileInterrupted: the load was cancelled (the run was stopped).
	ErrFileInterrupted = &FileErrorKind{"interrupted", "load interrupted"}
	// ErrFileChanged: the file's bytes changed between its checksum and
	// its load (still being written, or rewritten): nothing is stored and
	// the file waits in the inbox for the next run.
	ErrFileChanged = &FileErrorKind{"changed", "file changed while loading"}
	// ErrFileQuarantined: the process died (killed, out of memory, power
	// cut) while loading these bytes QuarantineAfterDeaths times; they are
	// not loaded again until dropped again.
	ErrFileQuarantined = &FileErrorKind{"quarantined", "quarantined: the process died while loading it"}
	// ErrFileOther is the kind of an error of no other kind (a bug to fix:
	// every refusal should have one), and of files refused before kinds
	// existed whose wording was not recognised.
	ErrFileOther = &FileErrorKind{"other", "other reason"}
)

// FileErrorKinds lists every kind, for the pages that label them.
func FileErrorKinds() []*FileErrorKind {
	return []*FileErrorKind{ErrFileUnreadable, ErrFileEmpty, ErrFileEncoding, ErrFileHeader,
		ErrFileColumns, ErrFileFormat, ErrFileKey, ErrFileKeyChanged, ErrFileTooManyRejects, ErrFileDatabase,
		ErrFileInterrupted, ErrFileChanged, ErrFileQuarantined, ErrFileOther}
}

// refusal is a file-level error of one kind in its own words: its message
// is err's alone, and it unwraps to both the kind and err.
type refusal struct {
	kind *FileErrorKind
	err  error
}

func (r *refusal) Error() string   { return r.err.Error() }
func (r *refusal) Unwrap() []error { return []error{r.kind, r.err} }

// refusef returns an error of kind worded by fmt.Errorf(format, args...).
func refusef(kind *FileErrorKind, format string, args ...any) error {
	return &refusal{kind, fmt.Errorf(format, args...)}
}

// FileKindOf is the kind of a file-level error: the FileErrorKind it wraps
// (the outermost), else one told from the error's type (a cancelled
// context, a DuckDB error, a file-system error), else ErrFileOther; nil for
// nil.
func FileKindOf(err error) *FileErrorKind {
	var k *FileErrorKind
	var dbErr *duckdb.Error
	var pathErr *fs.PathError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &k):
		return k
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ErrFileInterrupted
	case errors.As(err, &dbErr):
		return ErrFileDatabase
	case errors.As(err, &pathErr), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrFileUnreadable
	}
	return ErrFileOther
}
