package reports

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncodeVenues: positions are rounded to the thousandth of a degree,
// sorted, deduplicated and coded in runs; decoding as carte.js does gives
// them back. A jump too large for a character starts a new run.
func TestEncodeVenues(t *testing.T) {
	in := [][2]float64{{3.0571, 50.6293}, {2.2951, 48.8584}, {-61.5341, 16.2411}, {3.05711, 50.62931}, {2.2951, 48.8614}}
	got := encodeVenues(in)
	want := []any{-61534, 16241, "@@", 2295, 48858, "@@@F\u0634\u0e10"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("encodeVenues (-want +got):\n%s", diff)
	}
	// as carte.js decodes them
	var pts [][2]float64
	for k := 0; k+2 < len(got); k += 3 {
		x, y, codes := got[k].(int), got[k+1].(int), []rune(got[k+2].(string))
		for i := 0; i+1 < len(codes); i += 2 {
			dx, dy := int(codes[i])-64, int(codes[i+1])-64
			x += dx>>1 ^ -(dx & 1)
			y += dy>>1 ^ -(dy & 1)
			pts = append(pts, [2]float64{float64(x) / 1000, float64(y) / 1000})
		}
	}
	wantPts := [][2]float64{{-61.534, 16.241}, {2.295, 48.858}, {2.295, 48.861}, {3.057, 50.629}}
	if diff := cmp.Diff(wantPts, pts, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if got := encodeVenues(nil); got == nil || len(got) != 0 {
		t.Errorf("encodeVenues(nil) = %#v, want an empty list (JSON [])", got)
	}
	b, err := json.Marshal(got)
	if err != nil || !strings.HasPrefix(string(b), `[-61534,16241,"@@",2295,48858,"@@@F`) {
		t.Errorf("JSON %s, %v", b, err)
	}
}
