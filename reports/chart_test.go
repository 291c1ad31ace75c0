package reports

import (
	"slices"
	"testing"
)

// TestEncodeVenues: positions are rounded to the thousandth of a degree,
// sorted, deduplicated and delta-coded; decoding as carte.js does gives
// them back.
func TestEncodeVenues(t *testing.T) {
	in := [][2]float64{{3.0571, 50.6293}, {2.2951, 48.8584}, {-61.5341, 16.2411}, {3.05711, 50.62931}, {2.2951, 48.8614}}
	got := encodeVenues(in)
	want := []int{-61534, 16241, 63829, 32617, 0, 3, 762, 1768}
	if !slices.Equal(got, want) {
		t.Fatalf("encodeVenues = %v, want %v", got, want)
	}
	var pts [][2]float64
	for i, x, y := 0, 0, 0; i+1 < len(got); i += 2 {
		x, y = x+got[i], y+got[i+1]
		pts = append(pts, [2]float64{float64(x) / 1000, float64(y) / 1000})
	}
	if wantPts := [][2]float64{{-61.534, 16.241}, {2.295, 48.858}, {2.295, 48.858 + 0.003}, {3.057, 50.629}}; len(pts) != 4 || pts[0] != wantPts[0] || pts[1] != wantPts[1] || pts[3] != wantPts[3] {
		t.Errorf("decoded %v, want %v", pts, wantPts)
	}
	if got := encodeVenues(nil); got == nil || len(got) != 0 {
		t.Errorf("encodeVenues(nil) = %#v, want an empty list (JSON [])", got)
	}
}
