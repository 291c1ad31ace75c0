package ingest

import (
	"errors"

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
