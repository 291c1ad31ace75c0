package geo_test

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

func ExampleNearest_Find() {
	venues := []orb.Point{
		{2.3488, 48.8534},   // 0 Paris: longitude first
		{3.0573, 50.6292},   // 1 Lille
		{55.4504, -20.8789}, // 2 Saint-Denis, La Réunion
		{55.4504, -20.8789}, // 3 the same place: 2 wins the tie
	}
	nn := geo.NewNearest(venues) // once per set of venues; then safe for concurrent use
	for _, p := range []orb.Point{
		{2.1301, 48.8049},   // Versailles
		{55.4781, -21.3393}, // Saint-Pierre, La Réunion
		{math.NaN(), 48.8},  // a commune without coordinates
	} {
		i, km, ok := nn.Find(p)
		fmt.Printf("%v → venue %d at %.1f km %v\n", p, i, km, ok)
	}
	fmt.Println(geo.NewNearest(nil).Find(orb.Point{2.1301, 48.8049}))
	fmt.Printf("%.1f km\n", geo.DistanceKm(venues[0], venues[1]))
	// Output:
	// [2.1301 48.8049] → venue 0 at 16.9 km true
	// [55.4781 -21.3393] → venue 2 at 51.3 km true
	// [NaN 48.8] → venue -1 at NaN km false
	// -1 +Inf false
	// 203.9 km
}
