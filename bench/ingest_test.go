package bench

import (
	"testing"
	"time"
)

func TestBenchLoadMedian(t *testing.T) {
	for _, c := range []struct {
		times []time.Duration
		want  time.Duration
	}{
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 9, 2}, 3},
	} {
		if got := (&benchLoad{times: c.times}).median(); got != c.want {
			t.Errorf("median of %v = %v, want %v", c.times, got, c.want)
		}
	}
}
