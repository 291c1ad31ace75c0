package ingest

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseFloat(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"12.5", 12.5, false},
		{"12,5", 12.5, false},
		{" 1 234,5 ", 1234.5, false},
		{"1\u202f234,5", 1234.5, false},
		{"-0,25", -0.25, false},
		{"50.690383", 50.690383, false},
		{"", 0, true},
		{"1,234.5", 0, true}, // ambiguous: refused rather than guessed
		{"NaN", 0, true},
		{"+Inf", 0, true},
		{"abc", 0, true},
	}
	for _, tt := range tests {
		got, err := parseFloat(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("parseFloat(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"148", 148, false},
		{"12,0", 12, false},
		{"1 413", 1413, false},
		{"-1", 0, true},
		{"1,5", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := parseCount(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("parseCount(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"2019-09-30", day(2019, 9, 30), ""},
		{"30/09/2019", day(2019, 9, 30), ""},
		{"2024-02-29T10:00:00Z", day(2024, 2, 29), ""},
		{"2024-02-29 10:00", day(2024, 2, 29), ""},
		{"31/02/2024", time.Time{}, "impossible date"},
		{"2023-02-29", time.Time{}, "impossible date"},
		{"2024-13-01", time.Time{}, "impossible date"},
		{"09/30/2019", time.Time{}, "impossible date"},
		{"1850-01-01", time.Time{}, "out of range"},
		{"2019-09-30x", time.Time{}, "not a date"},
		{"30.09.2019", time.Time{}, "not a date"},
		{"", time.Time{}, "empty"},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseDate(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"oui": true, "Non": false, "1": true, "0": false, "true": true, "FAUX": false} {
		got, err := parseBool(in)
		if err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "peut-être", "2"} {
		if _, err := parseBool(in); err == nil {
			t.Errorf("parseBool(%q) succeeded, want an error", in)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("ééé", 3); got != "é…" {
		t.Errorf("truncate cut a rune: %q", got)
	}
	if got := truncate("abc", 3); got != "abc" {
		t.Errorf("truncate(abc, 3) = %q", got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2019-09-30", "30/09/2019", "2024-02-29T10:00", "31/02/2024", "", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if err == nil && (d.Year() < 1900 || d.Year() > 2100) {
			t.Errorf("parseDate(%q) = %v outside 1900–2100", s, d)
		}
	})
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"12,5", "1 234,5", "-0.1", "NaN", "1e308", "Inf", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseFloat(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("parseFloat(%q) = %v: not finite", s, v)
		}
	})
}

func TestParseTimestamp(t *testing.T) {
	at := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.UTC)
	}
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"2026-03-05", at(2026, 3, 5, 0, 0, 0), false},
		{"05/03/2026", at(2026, 3, 5, 0, 0, 0), false},
		{"2026-03-05T14:30", at(2026, 3, 5, 14, 30, 0), false},
		{"2026-03-05 14:30:15", at(2026, 3, 5, 14, 30, 15), false},
		{"2026-03-05T14:30:15.123Z", at(2026, 3, 5, 14, 30, 15), false},
		{"2026-03-05T14:30:15+01:00", at(2026, 3, 5, 14, 30, 15), false},
		{"05/03/2026 14:30", at(2026, 3, 5, 14, 30, 0), false},
		{"05/03/2026 14h30", at(2026, 3, 5, 14, 30, 0), false},
		{"05/03/2026 25:30", time.Time{}, true},
		{"05/03/2026x14:30", time.Time{}, true},
		{"2026-03-05 1430", time.Time{}, true},
		{"31/02/2026 10:00", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := parseTimestamp(tt.in)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("parseTimestamp(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseAgeBand(t *testing.T) {
	ok := map[string]string{"15-29": "15-29", "60 à 74 ans": "60-74", "60–74": "60-74", "75+": "75+", "75 ans ou plus": "75+", "75 et +": "75+", " 30-44 ": "30-44"}
	for in, want := range ok {
		if got, err := parseAgeBand(in); err != nil || got != want {
			t.Errorf("parseAgeBand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "12-14", "60-75", "80+", "adulte", "15-29-44"} {
		if got, err := parseAgeBand(in); err == nil {
			t.Errorf("parseAgeBand(%q) = %q, want an error", in, got)
		}
	}
}

func TestAgeBandFromBirthYear(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct{ in, want string }{
		{"2011", "15-29"}, {"1997", "15-29"}, {"1996", "30-44"}, {"1967", "45-59"},
		{"1966", "60-74"}, {"1952", "60-74"}, {"1951", "75+"}, {"1906", "75+"},
		{"2012", ""}, {"2030", ""}, {"1850", ""}, {"19x0", ""},
	}
	for _, tt := range tests {
		got, err := ageBandFromBirthYear(tt.in, at)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ageBandFromBirthYear(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ageBandFromBirthYear(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-03-05T14:30:15+01:00", "05/03/2026 14h30", "2026-03-05 ", "05/03/2026 99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseTimestamp(s)
		if err == nil && (d.Year() < 1900 || d.Year() > 2100) {
			t.Errorf("parseTimestamp(%q) = %v outside 1900–2100", s, d)
		}
	})
}

func TestWithoutValue(t *testing.T) {
	tests := []struct {
		err   error
		value string
		want  string
	}{
		{fmt.Errorf("resolve %q: %w", "97701", errors.New("overseas collectivity, outside the 101 départements")), "97701", "overseas collectivity, outside the 101 départements"},
		{fmt.Errorf("lookup %q: unknown postal code", "59999"), "59999", "unknown postal code"},
		{fmt.Errorf("code %q is not a commune", "ABC"), "ABC", "code the value is not a commune"},
		{errors.New("empty"), "", "empty"},
	}
	for _, tt := range tests {
		if got := withoutValue(tt.err, tt.value); got != tt.want {
			t.Errorf("withoutValue(%q, %q) = %q, want %q", tt.err, tt.value, got, tt.want)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "\ta\r\n", "01001", "\u00a0x", "x\u00a0", "\u3000é\u3000", "é", "\x85", "a\x00", "\x7f"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTrimSpace(f *testing.F) {
	f.Add(" 75056 ")
	f.Add("\u00a0x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
