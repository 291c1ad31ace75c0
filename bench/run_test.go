package bench

import (
	"testing"
	"time"
)

// The full run's targets follow the size of the France: issue 20's 20 s and
// 1 GiB up to the national 10 M assessments, 2 GiB and no time above.
func TestFullRunTargets(t *testing.T) {
	for _, tt := range []struct {
		assessments int
		wall        time.Duration
		peak        int64
	}{
		{3000, 20 * time.Second, 1 << 30},
		{10_000_000, 20 * time.Second, 1 << 30},
		{10_000_001, 0, 2 << 30},
		{30_000_000, 0, 2 << 30},
	} {
		wall, peak := fullRunTargets(tt.assessments)
		if wall != tt.wall || peak != tt.peak {
			t.Errorf("fullRunTargets(%d) = %v, %d; want %v, %d", tt.assessments, wall, peak, tt.wall, tt.peak)
		}
	}
}
