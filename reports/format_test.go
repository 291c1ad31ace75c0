package reports

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"testing"
)

// nnbsp is U+202F, spelled out so that the tests show it.
const nnbsp = "\u202f"

func TestFormatInt(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"zero", 0, "0"},
		{"three digits", 999, "999"},
		{"four digits", 1234, "1" + nnbsp + "234"},
		{"millions", 1234567, "1" + nnbsp + "234" + nnbsp + "567"},
		{"round", 1000000, "1" + nnbsp + "000" + nnbsp + "000"},
		{"negative", -1234567, "-1" + nnbsp + "234" + nnbsp + "567"},
		{"min int64", math.MinInt64, "-9" + nnbsp + "223" + nnbsp + "372" + nnbsp + "036" + nnbsp + "854" + nnbsp + "775" + nnbsp + "808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatInt(tt.in); got != tt.want {
				t.Errorf("formatInt(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		name     string
		in       float64
		decimals int
		want     string
	}{
		{"one decimal", 12.34, 1, "12,3"},
		{"rounds up", 12.36, 1, "12,4"},
		{"keeps trailing zero", 40, 1, "40,0"},
		{"no decimals", 12.5, 0, "12"}, // round half to even, as strconv does
		{"grouped", 1234567.891, 2, "1" + nnbsp + "234" + nnbsp + "567,89"},
		{"small", 0.05, 2, "0,05"},
		{"negative", -1234.5, 1, "-1" + nnbsp + "234,5"},
		{"negative rounding to zero", -0.04, 1, "0,0"},
		{"NaN", math.NaN(), 1, "—"},
		{"+Inf", math.Inf(1), 1, "—"},
		{"-Inf", math.Inf(-1), 1, "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatDecimal(tt.in, tt.decimals); got != tt.want {
				t.Errorf("formatDecimal(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	ptr := func(x float64) *float64 { return &x }
	tests := []struct {
		name string
		in   *float64
		want string
	}{
		{"share", ptr(0.1234), "12,3"},
		{"zero", ptr(0), "0,0"},
		{"all", ptr(1), "100,0"},
		{"tiny", ptr(0.0004), "0,0"},
		{"nil", nil, "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatPercent(tt.in); got != tt.want {
				t.Errorf("formatPercent(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzFormatDecimal checks that the French form reads back as the number
// strconv rounds to.
func FuzzFormatDecimal(f *testing.F) {
	f.Add(1234567.891, 2)
	f.Add(0.1234, 1)
	f.Add(-0.04, 1)
	f.Add(999.95, 1)
	f.Fuzz(func(t *testing.T, x float64, decimals int) {
		decimals = ((decimals % 7) + 7) % 7
		got := formatDecimal(x, decimals)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if got != noData {
				t.Fatalf("formatDecimal(%v, %d) = %q, want %q", x, decimals, got, noData)
			}
			return
		}
		back := strings.NewReplacer(groupSeparator, "", decimalSeparator, ".").Replace(got)
		want := strconv.FormatFloat(x, 'f', decimals, 64)
		if strings.Trim(want, "-0.") == "" {
			want = strings.TrimPrefix(want, "-")
		}
		if back != want {
			t.Fatalf("formatDecimal(%v, %d) = %q, reads back as %q, want %q", x, decimals, got, back, want)
		}
	})
}

// A shortfall is also said in whole full-time posts, rounded up from the
// gap as shown (to one decimal); a surplus or no gap is not.
func TestPlanGap(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		in   *float64
		want string
	}{
		{f(5.2), "5,2 à recruter (6 postes)"},
		{f(12.04), "12,0 à recruter (12 postes)"},
		{f(0.3), "0,3 à recruter (1 poste)"},
		{f(1234.5), "1\u202f234,5 à recruter (1\u202f235 postes)"},
		{f(-3), "3,0 en trop"},
		{f(0), "aucun"},
		{nil, "—"},
	}
	for _, tt := range tests {
		if got := planGap(tt.in); got != tt.want {
			t.Errorf("planGap(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTriAttr: a cell carries its sort value only when tableau.js cannot
// read it from the text the cell shows.
func TestTriAttr(t *testing.T) {
	for _, tt := range []struct {
		c    cell
		want template.HTMLAttr
	}{
		{cell{Text: "4,90", Sort: "4.9"}, ""},
		{cell{Text: "4\u202f878", Sort: "4878"}, ""},
		{cell{Text: "-1\u202f234,5", Sort: "-1234.5"}, ""},
		{cell{Text: "0,0", Sort: "0"}, ""},
		{cell{Text: "5,37", Sort: "5.3712"}, ` data-tri="5.3712"`}, // rounded text
		{cell{Text: "16,0 à 23,2", Sort: "0.1601"}, ` data-tri="0.1601"`},
		{cell{Text: "143,3 à recruter", Sort: "143.3"}, ` data-tri="143.3"`},
		{cell{Text: "85", Sort: "85", Extra: "(=)"}, ` data-tri="85"`}, // the cell shows more than the number
		{cell{Text: "12", Secret: true, Sort: "12"}, ` data-tri="12"`}, // shows "s"
		{cell{Text: "—"}, ""},
		{cell{Text: "s", Secret: true}, ""},
		{cell{Text: "Déficit"}, ""},
		{cell{Text: "12"}, ` data-tri=""`}, // a number with nothing to sort on sorts last
		{cell{Text: "1e3", Sort: "1000"}, ` data-tri="1000"`},
		{cell{Text: "3,", Sort: "3"}, ` data-tri="3"`},
		{cell{Text: "<b>", Sort: `1"2`}, ` data-tri="1&#34;2"`},
	} {
		if got := tt.c.TriAttr(); got != tt.want {
			t.Errorf("%+v.TriAttr() = %q, want %q", tt.c, got, tt.want)
		}
	}
}
