package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *RejectKind
	}{
		{"nil", nil, nil},
		{"a kind", ErrNotANumber, ErrNotANumber},
		{"worded", because(ErrOutOfRange, "negative count"), ErrOutOfRange},
		{"wrapped twice", fmt.Errorf("column x: %w", because(ErrNotADate, "impossible date")), ErrNotADate},
		{"geo: malformed code", fmt.Errorf("resolve %q: %w", "5935", geo.ErrMalformedCode), ErrMalformedCode},
		{"geo: unknown code", geo.ErrUnknownCode, ErrUnknownCode},
		{"geo: no successor", geo.ErrNoSuccessor, ErrUnknownCode},
		{"geo: unknown postal code", geo.ErrUnknownPostalCode, ErrUnknownCode},
		// An unknown postal code of a collectivité d'outre-mer is outside.
		{"geo: both", fmt.Errorf("lookup: %w: %w", geo.ErrUnknownPostalCode, geo.ErrOutsideDepartements), ErrOutside},
		{"anything else", errors.New("disk full"), ErrOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.want {
				t.Errorf("KindOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// The reason of a row error never quotes the value, whatever the wording
// of the error it comes from; its kind is kept.
func TestRowErrorReason(t *testing.T) {
	codes := geo.NewCodes([]geo.COGCommune{{Type: "COM", Code: "59350", CodeDepartement: "59", Nom: "Lille"}}, nil)
	_, err := codes.Resolve("59999")
	if err == nil {
		t.Fatal("59999 resolved")
	}
	e := rowError("f.csv", 3, "code_insee", "59999", err)
	if e.Reason == "" || strings.Contains(e.Reason, "59999") {
		t.Errorf("reason %q quotes the value or is empty", e.Reason)
	}
	if !errors.Is(e, geo.ErrUnknownCode) || e.Kind() != ErrUnknownCode {
		t.Errorf("kind %v of %v, want unknown_code", e.Kind(), e)
	}
	seen := map[string]bool{}
	for _, k := range RejectKinds() {
		if seen[k.Code] || k.Code == "" {
			t.Errorf("kind code %q empty or repeated", k.Code)
		}
		seen[k.Code] = true
	}
}
