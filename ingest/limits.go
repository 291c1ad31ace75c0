package ingest

import "fmt"

// Limits bound what the readers hold in memory for one line, one field and
// one header, so that a poison file (a 1 GB line, a header of ten million
// columns) costs a rejected row or a refused file, never the process. The
// zero value of a field means its default.
type Limits struct {
	// MaxLineBytes bounds one record: a physical line, or the lines of a
	// record whose quoted field spans several. A longer record is
	// rejected (kind too_long) and skipped to its line's end; a longer
	// header or preamble line refuses the file.
	MaxLineBytes int
	// MaxFieldBytes bounds one field; a row with a longer one is
	// rejected (kind too_long), naming the column.
	MaxFieldBytes int
	// MaxColumns bounds the header's columns; a wider header refuses the
	// file.
	MaxColumns int
}

// The default limits, about 600 times the longest line and 30 times the
// widest header of the real files bundled or published in the formats
// ingest reads (1 655 bytes: the schema's own example listing; 32 columns),
// and room for INSEE's wide census tables (a few hundred columns).
const (
	DefaultMaxLineBytes  = 1 << 20  // 1 MiB
	DefaultMaxFieldBytes = 64 << 10 // 64 KiB
	DefaultMaxColumns    = 1000
)

// WithDefaults fills the zero fields with the defaults; a default field
// bound over a smaller line bound given is lowered to it.
func (l Limits) WithDefaults() Limits {
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = DefaultMaxLineBytes
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = min(DefaultMaxFieldBytes, l.MaxLineBytes)
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = DefaultMaxColumns
	}
	return l
}

// lineTooLong is the reason of a record over MaxLineBytes.
func lineTooLong(max int) error {
	return because(ErrTooLong, fmt.Sprintf("line longer than %d bytes (max_line_bytes): skipped to its end", max))
}

// fieldTooLong is the reason of a field over MaxFieldBytes.
func fieldTooLong(max int) error {
	return because(ErrTooLong, fmt.Sprintf("field longer than %d bytes (max_field_bytes)", max))
}
