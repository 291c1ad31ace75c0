package reports

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// French number typography, as in the Imprimerie nationale's rules and CLDR "fr".
const (
	// groupSeparator separates thousands: U+202F NARROW NO-BREAK SPACE, so a
	// number never wraps across lines.
	groupSeparator = "\u202f"
	// decimalSeparator is the French decimal comma.
	decimalSeparator = ","
	// noData stands for a figure that does not exist (em dash).
	noData = "—"
)

// formatInt formats n with a narrow no-break space between groups of three
// digits: 1234567 → "1 234 567". Four-digit numbers are grouped too ("1 234"),
// as CLDR "fr" does.
func formatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + groupDigits(s[1:])
	}
	return groupDigits(s)
}

// formatDecimal formats x rounded to decimals digits after a decimal comma,
// with grouped thousands: formatDecimal(1234.56, 1) = "1 234,6". Rounding is
// strconv's (correctly rounded from the binary value). A result that rounds
// to zero has no minus sign. NaN and ±Inf give "—".
// formatRounded writes x rounded to a whole number: "12 346".
func formatRounded(x float64) string { return formatInt(int64(math.Round(x))) }

func formatDecimal(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return noData
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupDigits(intPart)
	if frac != "" {
		out += decimalSeparator + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// formatPercent formats a share (0–1) as a percentage with one decimal and
// no unit sign: 0.1234 → "12,3". A nil share gives "—".
func formatPercent(share *float64) string {
	if share == nil {
		return noData
	}
	return formatDecimal(*share*100, 1)
}

// groupDigits inserts groupSeparator every three digits from the right of a
// string of ASCII digits.
func groupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + (len(digits)-1)/3*len(groupSeparator))
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(groupSeparator)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// respondents writes a count of respondents, or "s" when it is withheld.
func respondents(n *int64) string {
	if n == nil {
		return "s"
	}
	return formatInt(*n)
}

// formatBytes writes a file size in French units: "12 ko", "1,4 Mo".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return formatDecimal(float64(n)/(1<<20), 1) + "\u202fMo"
	case n >= 1<<10:
		return formatInt(int64(math.Round(float64(n)/(1<<10)))) + "\u202fko"
	}
	return formatInt(n) + "\u202foctets"
}

// frenchDate writes an RFC 3339 UTC time as a French date, "23/11/2026";
// anything else is returned as is.
func frenchDate(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
	}
	return s
}

// readNumber reads text as tableau.js reads a figure cell (lireNombre): an
// optional "-", digits and an optional decimal comma, spaces (the group
// separator among them) ignored. ok is false for any other text.
func readNumber(text string) (x float64, ok bool) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202f' || r == '\u00a0' {
			return -1
		}
		return r
	}, text)
	digits := strings.TrimPrefix(t, "-")
	intPart, frac, hasFrac := strings.Cut(digits, decimalSeparator)
	if !allDigits(intPart) || (hasFrac && !allDigits(frac)) {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.Replace(t, decimalSeparator, ".", 1), 64)
	return x, err == nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// TriAttr is the cell's data-tri attribute, the value tableau.js sorts a
// figure cell on, or nothing when tableau.js reads that very value from the
// text the cell shows: most cells of the tables, which weigh a fifth less
// without it. A cell that shows a number but has no value to sort on gets
// an empty data-tri: it sorts last, like "s" and "—".
func (c cell) TriAttr() template.HTMLAttr {
	shown, readable := 0.0, false
	if !c.Secret && c.Extra == "" {
		shown, readable = readNumber(c.Text)
	}
	if c.Sort == "" {
		if readable {
			return ` data-tri=""`
		}
		return ""
	}
	if v, err := strconv.ParseFloat(c.Sort, 64); err == nil && readable && v == shown {
		return ""
	}
	return template.HTMLAttr(` data-tri="` + html.EscapeString(c.Sort) + `"`)
}
