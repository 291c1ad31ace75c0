package reports

import (
	"math"
	"testing"

	"github.com/illectro/illectro/figures"
)

func TestIllectronism(t *testing.T) {
	ptr := func(x float64) *float64 { return &x }
	n := func(x int64) *int64 { return &x }
	tests := []struct {
		name string
		d    figures.Departement
		want figure
	}{
		{"published", figures.Departement{Respondents: n(120), ShareIllectronism: ptr(0.2871)}, figure{Value: 28.7}},
		{"suppressed", figures.Departement{Respondents: nil, Suppressed: true}, figure{Status: secret}},
		{"no respondent", figures.Departement{Respondents: n(0)}, figure{Status: missing}},
		{"count withheld", figures.Departement{ShareIllectronism: ptr(0.5)}, figure{Status: secret}},
		{"below threshold despite a value", figures.Departement{Respondents: n(10), ShareIllectronism: ptr(0.5)}, figure{Status: secret}},
		{"at threshold", figures.Departement{Respondents: n(11), ShareIllectronism: ptr(0.5)}, figure{Value: 50}},
		{"suppressed wins over a value", figures.Departement{Respondents: n(500), ShareIllectronism: ptr(0.5), Suppressed: true}, figure{Status: secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := illectronism(tt.d, 11); got != tt.want {
				t.Errorf("illectronism(%+v, 11) = %+v, want %+v", tt.d, got, tt.want)
			}
		})
	}
}

func TestVenuesPer10k(t *testing.T) {
	tests := []struct {
		name string
		d    figures.Departement
		want figure
	}{
		{"rounded", figures.Departement{Population: 679344, VenuesPer10k: fp(0.8390447)}, figure{Value: 0.84}},
		{"no population", figures.Departement{}, figure{Status: missing}},
		// No listing covers the département: "—", never 0.
		{"not covered", figures.Departement{Population: 679344}, figure{Status: missing}},
		{"zero where covered", figures.Departement{Population: 679344, VenuesPer10k: fp(0)}, figure{Value: 0}},
		{"NaN", figures.Departement{Population: 1, VenuesPer10k: fp(math.NaN())}, figure{Status: missing}},
		{"Inf", figures.Departement{Population: 1, VenuesPer10k: fp(math.Inf(1))}, figure{Status: missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := indicators[iLieux].value(tt.d, 0); got != tt.want {
				t.Errorf("venues per 10k of %+v = %+v, want %+v", tt.d, got, tt.want)
			}
		})
	}
}

func TestScaleMax(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"empty", nil, 1},
		{"zeros", []float64{0, 0}, 1},
		{"percent", []float64{12.3, 37.2}, 40},
		{"exact", []float64{50}, 50},
		{"just above", []float64{50.1}, 60},
		{"counts", []float64{3, 1234}, 1500},
		{"below one", []float64{0.55, 0.83}, 1},
		{"small", []float64{0.13}, 0.15},
		{"hundred", []float64{99.9}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scaleMax(tt.in); got != tt.want {
				t.Errorf("scaleMax(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
