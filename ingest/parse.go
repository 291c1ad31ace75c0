package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// RowError is one input row (or one field of it) that cannot be loaded. It is
// a value, not a failure: ingest stores it in the rejects table and goes on.
type RowError struct {
	File   string
	Line   int    // physical line, 1-based, header included
	Column string // empty for a whole-row problem
	Value  string
	Reason string // in English, without the value
	Err    error  // wraps the row's RejectKind (see KindOf), e.g. ErrNotANumber
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: line %d: column %s: value %q: %s", e.File, e.Line, e.Column, e.Value, e.Reason)
}

func (e *RowError) Unwrap() error { return e.Err }

// Kind is the row's RejectKind (KindOf its Err).
func (e *RowError) Kind() *RejectKind {
	if k := KindOf(e.Err); k != nil {
		return k
	}
	return ErrOther
}

// rowError is the RowError of a line's column col (empty for a whole-row
// problem) holding value, for err, which wraps the row's RejectKind. The
// reason is err's message without the value.
func rowError(file string, line int, col, value string, err error) *RowError {
	return &RowError{File: file, Line: line, Column: col, Value: value, Reason: withoutValue(err, value), Err: err}
}

// maxRejectValue bounds the value kept in the rejects table.
const maxRejectValue = 200

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

var errEmpty = because(ErrMissing, "empty value")

// cleanNumber trims spaces (including the no-break spaces French software
// uses as thousands separators) and turns a decimal comma into a point.
func cleanNumber(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \u00a0\u202f") {
		s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// parseFloat reads a finite decimal number written the French or the English
// way ("12,5", "12.5", "1 234,5").
func parseFloat(s string) (float64, error) {
	c := cleanNumber(s)
	if c == "" {
		return 0, errEmpty
	}
	if strings.ContainsAny(c, "xXpP_") { // Go's hexadecimal floats and digit separators: not in data files
		return 0, because(ErrNotANumber, "not a number")
	}
	f, err := strconv.ParseFloat(c, 64)
	if err != nil {
		return 0, because(ErrNotANumber, "not a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, because(ErrNotANumber, "not a finite number")
	}
	return f, nil
}

// parseCount reads a non-negative whole number; "12,0" is accepted as 12.
func parseCount(s string) (int64, error) {
	if n := len(s); n > 0 && n <= 9 {
		var v int64
		i := 0
		for ; i < n && s[i] >= '0' && s[i] <= '9'; i++ {
			v = v*10 + int64(s[i]-'0')
		}
		if i == n {
			return v, nil // plain digits: the common case
		}
	}
	c := cleanNumber(s)
	if c == "" {
		return 0, errEmpty
	}
	n, err := strconv.ParseInt(c, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(c, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, because(ErrNotANumber, "not a whole number")
		}
		n = int64(f)
	}
	if n < 0 {
		return 0, because(ErrOutOfRange, "negative count")
	}
	if n > maxCount {
		return 0, because(ErrOutOfRange, fmt.Sprintf("count over %d: not a plausible count", maxCount))
	}
	return n, nil
}

// maxCount bounds every count read (premises, posts…): above it, a value
// is a typing or export error, and it would not fit the INTEGER columns.
const maxCount = math.MaxInt32

// parseDate reads an ISO date (2024-03-05, optionally followed by a time) or
// a French one (05/03/2024). Impossible dates (31/02/2024) are errors.
func parseDate(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if y, ok := digits4(s[0:4]); ok {
			if m, ok := digits2(s[5:7]); ok {
				if d, ok := digits2(s[8:10]); ok && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y) && y >= 1900 && y <= 2100 {
					return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
				}
			}
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errEmpty
	}
	var layout, v string
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		layout, v = "2006-01-02", s[:10]
		if rest := s[10:]; rest != "" && rest[0] != 'T' && rest[0] != ' ' {
			return time.Time{}, because(ErrNotADate, "not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
		}
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		layout, v = "02/01/2006", s
	default:
		return time.Time{}, because(ErrNotADate, "not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, because(ErrNotADate, "impossible date")
	}
	if t.Year() < 1900 || t.Year() > 2100 {
		return time.Time{}, because(ErrOutOfRange, "date out of range (1900–2100)")
	}
	return t, nil
}

func digits2(s string) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

func digits4(s string) (int, bool) {
	a, ok1 := digits2(s[:2])
	b, ok2 := digits2(s[2:])
	return a*100 + b, ok1 && ok2
}

// daysIn returns the number of days of month m of year y.
func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseBool reads yes/no answers as French and English exports write them.
func parseBool(s string) (bool, error) {
	switch s { // the common spellings, without allocating
	case "oui", "1", "true", "Oui", "OUI", "O":
		return true, nil
	case "non", "0", "false", "Non", "NON", "N":
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "vrai", "oui", "o", "yes", "y":
		return true, nil
	case "0", "false", "faux", "non", "n", "no":
		return false, nil
	case "":
		return false, errEmpty
	}
	return false, because(ErrNotAChoice, "not a yes/no value")
}

// parseTimestamp reads a date or a date and time: ISO (2024-03-05,
// 2024-03-05T14:30, 2024-03-05 14:30:00, with an optional Z or offset, which
// is dropped: the wall-clock time is kept) or French (05/03/2024,
// 05/03/2024 14:30, 05/03/2024 14h30). A date alone is midnight.
func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) <= 10 {
		return parseDate(s)
	}
	if s[10] != 'T' && s[10] != ' ' {
		return time.Time{}, because(ErrNotADate, "not a date (expected YYYY-MM-DD or DD/MM/YYYY, optionally with a time)")
	}
	d, err := parseDate(s[:10])
	if err != nil {
		return d, err
	}
	rest := strings.TrimSpace(s[11:])
	// Drop a zone suffix; keep hh:mm[:ss[.fff]].
	if i := strings.IndexAny(rest, "Z+-"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.Replace(rest, "h", ":", 1)
	if len(rest) > 8 && rest[8] == '.' {
		rest = rest[:8]
	}
	var layout string
	switch len(rest) {
	case 5:
		layout = "15:04"
	case 8:
		layout = "15:04:05"
	default:
		return time.Time{}, because(ErrNotADate, "not a time of day (expected hh:mm or hh:mm:ss)")
	}
	tod, err := time.Parse(layout, rest)
	if err != nil {
		return time.Time{}, because(ErrNotADate, "impossible time of day")
	}
	return d.Add(time.Duration(tod.Hour())*time.Hour + time.Duration(tod.Minute())*time.Minute + time.Duration(tod.Second())*time.Second), nil
}

// parseAgeBand reads an age band as exports write it ("60-74", "60 à 74 ans",
// "60–74", "75+", "75 ans ou plus", "75 et +") and returns the canonical
// band, which must be one of AgeBands.
func parseAgeBand(s string) (string, error) {
	for _, b := range AgeBands {
		if s == b {
			return b, nil // already canonical
		}
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errEmpty
	}
	var nums []int
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
			in = true
			if n > 1000 {
				return "", because(ErrNotAChoice, "not an age band")
			}
			continue
		}
		if in {
			nums = append(nums, n)
			n, in = 0, false
		}
	}
	if in {
		nums = append(nums, n)
	}
	open := strings.Contains(s, "+") || strings.Contains(s, "plus")
	switch {
	case len(nums) == 1 && open && nums[0] == 75:
		return "75+", nil
	case len(nums) == 2 && !open:
		band := fmt.Sprintf("%d-%d", nums[0], nums[1])
		if validAgeBand(band) {
			return band, nil
		}
	}
	return "", because(ErrNotAChoice, "not one of the INSEE age bands (15-29, 30-44, 45-59, 60-74, 75+)")
}

// ageBandFromBirthYear returns the band of the age reached during the year
// of the assessment.
func ageBandFromBirthYear(s string, at time.Time) (string, error) {
	y, err := parseCount(s)
	if err != nil {
		return "", err
	}
	age := at.Year() - int(y)
	switch {
	case y < 1900 || age < 0:
		return "", because(ErrOutOfRange, "impossible birth year")
	case age < 15:
		return "", because(ErrOutOfRange, "younger than 15: outside the INSEE indicator's population")
	case age < 30:
		return "15-29", nil
	case age < 45:
		return "30-44", nil
	case age < 60:
		return "45-59", nil
	case age < 75:
		return "60-74", nil
	case age <= 120:
		return "75+", nil
	}
	return "", because(ErrOutOfRange, "impossible birth year")
}

// withoutValue is err's message without the value it quotes (lookup "x": …,
// resolve "x": …, or "x" elsewhere): the value has a column of its own in
// rejects, and reasons are shown, counted, on the published quality page,
// where they must not carry a respondent's data.
func withoutValue(err error, value string) string {
	msg := err.Error()
	for _, verb := range []string{"resolve", "lookup"} {
		msg = strings.TrimPrefix(msg, fmt.Sprintf("%s %q: ", verb, value))
	}
	if value == "" {
		return msg
	}
	return strings.ReplaceAll(msg, strconv.Quote(value), "the value")
}
