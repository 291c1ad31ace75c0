package ingest

import (
	"errors"
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
	Reason string
	Err    error // underlying cause, if any
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: line %d: column %s: value %q: %s", e.File, e.Line, e.Column, e.Value, e.Reason)
}

func (e *RowError) Unwrap() error { return e.Err }

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

var errEmpty = errors.New("empty value")

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
	f, err := strconv.ParseFloat(c, 64)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("not a finite number")
	}
	return f, nil
}

// parseCount reads a non-negative whole number; "12,0" is accepted as 12.
func parseCount(s string) (int64, error) {
	c := cleanNumber(s)
	if c == "" {
		return 0, errEmpty
	}
	n, err := strconv.ParseInt(c, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(c, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, errors.New("not a whole number")
		}
		n = int64(f)
	}
	if n < 0 {
		return 0, errors.New("negative count")
	}
	return n, nil
}

// parseDate reads an ISO date (2024-03-05, optionally followed by a time) or
// a French one (05/03/2024). Impossible dates (31/02/2024) are errors.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errEmpty
	}
	var layout, v string
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		layout, v = "2006-01-02", s[:10]
		if rest := s[10:]; rest != "" && rest[0] != 'T' && rest[0] != ' ' {
			return time.Time{}, errors.New("not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
		}
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		layout, v = "02/01/2006", s
	default:
		return time.Time{}, errors.New("not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, errors.New("impossible date")
	}
	if t.Year() < 1900 || t.Year() > 2100 {
		return time.Time{}, errors.New("date out of range (1900–2100)")
	}
	return t, nil
}

// parseBool reads yes/no answers as French and English exports write them.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "vrai", "oui", "o", "yes", "y":
		return true, nil
	case "0", "false", "faux", "non", "n", "no":
		return false, nil
	case "":
		return false, errEmpty
	}
	return false, errors.New("not a yes/no value")
}
