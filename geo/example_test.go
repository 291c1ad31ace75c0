package geo_test

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

func ExampleIndex_Locate() {
	deps, err := geo.Departements()
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := geo.NewIndex(deps) // once; then safe for concurrent use
	for _, p := range []orb.Point{
		{2.3522, 48.8566},   // Paris: longitude first
		{55.4504, -20.8789}, // Saint-Denis, La Réunion
		{-8.0, 46.0},        // the Atlantic
	} {
		code, ok := ix.Locate(p)
		fmt.Printf("%v → %q %v\n", p, code, ok)
	}
	// Output:
	// [2.3522 48.8566] → "75" true
	// [55.4504 -20.8789] → "974" true
	// [-8 46] → "" false
}

func ExampleCodes_Resolve() {
	cog, err := geo.COGCommunes()
	if err != nil {
		fmt.Println(err)
		return
	}
	mv, err := geo.Movements()
	if err != nil {
		fmt.Println(err)
		return
	}
	codes := geo.NewCodes(cog, mv)
	for _, in := range []string{"01001", "1001", "75115", "01324", "2b033"} {
		r, err := codes.Resolve(in)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q → %s (département %s, %s)\n", in, r.Code, r.Departement, r.How)
	}
	_, err = codes.Resolve("97123")
	fmt.Println(errors.Is(err, geo.ErrNoSuccessor), err)
	// Output:
	// "01001" → 01001 (département 01, current)
	// "1001" → 01001 (département 01, current)
	// "75115" → 75056 (département 75, arrondissement)
	// "01324" → 01245 (département 01, movement)
	// "2b033" → 2B033 (département 2B, current)
	// true resolve "97123": 97123 Saint-Barthélemy deleted on 2007-02-23: no current commune succeeds this code
}

func ExampleDepartementOf() {
	for _, code := range []string{"01001", "2A004", "97101", "75056"} {
		fmt.Println(code, geo.DepartementOf(code))
	}
	// Output:
	// 01001 01
	// 2A004 2A
	// 97101 971
	// 75056 75
}

func ExampleNeighbours() {
	deps, err := geo.Departements()
	if err != nil {
		fmt.Println(err)
		return
	}
	neighbours := geo.Neighbours(deps) // once: the shapes do not change
	for _, code := range []string{"59", "75", "2A", "971"} {
		fmt.Printf("%s: %q\n", code, neighbours[code])
	}
	// Output:
	// 59: ["02" "62" "80"]
	// 75: ["92" "93" "94"]
	// 2A: ["2B"]
	// 971: []
}

func ExampleIndex_DistanceKm() {
	deps, err := geo.Departements()
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := geo.NewIndex(deps)
	for _, p := range []orb.Point{
		{3.0573, 50.6292}, // Lille, inside Nord
		{2.3767, 51.1500}, // the North Sea off Dunkerque
	} {
		km, ok := ix.DistanceKm("59", p)
		fmt.Printf("%v → %.1f km %v\n", p, km, ok)
	}
	// Output:
	// [3.0573 50.6292] → 0.0 km true
	// [2.3767 51.15] → 10.6 km true
}
