package reports

import (
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
		{f(5.2), "5,2 à recruter, soit 6 postes à temps plein"},
		{f(12.04), "12,0 à recruter, soit 12 postes à temps plein"},
		{f(0.3), "0,3 à recruter, soit 1 poste à temps plein"},
		{f(1234.5), "1\u202f234,5 à recruter, soit 1\u202f235 postes à temps plein"},
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
