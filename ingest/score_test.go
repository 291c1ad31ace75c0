package ingest

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		internet bool
		areas    [5]Level
		basic    int
		class    Class
	}{
		{"no internet, all areas", false, [5]Level{2, 2, 2, 2, 2}, 5, Illectronisme},
		{"internet, no area", true, [5]Level{0, 0, 0, 0, 0}, 0, Illectronisme},
		{"internet, 1 area: missing 4", true, [5]Level{2, 0, 0, 0, 0}, 1, Illectronisme},
		{"internet, 2 areas: missing 3", true, [5]Level{1, 1, 0, 0, 0}, 2, CapacitesFaibles},
		{"internet, 4 areas: missing 1", true, [5]Level{1, 1, 1, 2, 0}, 4, CapacitesFaibles},
		{"internet, 5 basic areas", true, [5]Level{1, 1, 1, 1, 1}, 5, Autonome},
		{"internet, 5 above basic", true, [5]Level{2, 2, 2, 2, 2}, 5, Autonome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			basic, class := Classify(tt.internet, tt.areas)
			if basic != tt.basic || class != tt.class {
				t.Errorf("Classify(%v, %v) = %d, %q; want %d, %q", tt.internet, tt.areas, basic, class, tt.basic, tt.class)
			}
		})
	}
}

func TestPixAreaLevel(t *testing.T) {
	tests := []struct {
		levels []int
		want   Level
	}{
		{[]int{0, 0, 0}, LevelNone},
		{[]int{1, 0, 0}, LevelBasic},
		{[]int{0, 0, 5}, LevelBasic},
		{[]int{1, 1, 0}, LevelAboveBasic},
		{[]int{3, 4}, LevelAboveBasic},
		{nil, LevelNone},
	}
	for _, tt := range tests {
		if got := PixAreaLevel(tt.levels); got != tt.want {
			t.Errorf("PixAreaLevel(%v) = %d, want %d", tt.levels, got, tt.want)
		}
	}
}

func TestPixLevel(t *testing.T) {
	for pix, want := range map[int]int{0: 0, 7: 0, 8: 1, 15: 1, 16: 2, 40: 5, 64: 8, 1024: 8} {
		if got := PixLevel(pix); got != want {
			t.Errorf("PixLevel(%d) = %d, want %d", pix, got, want)
		}
	}
}
