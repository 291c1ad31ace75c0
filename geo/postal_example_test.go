package geo_test

import (
	"errors"
	"fmt"

	"github.com/illectro/illectro/geo"
)

func ExamplePostalCodes_Lookup() {
	pc, err := geo.LoadPostalCodes() // once; then safe for concurrent use
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range []string{"75015", "20000", "1000", "05110"} {
		m, err := pc.Lookup(in)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q → commune %q, département %q, %v\n", in, m.Commune, m.Departement, m.Communes)
	}
	_, err = pc.Lookup("97133")
	fmt.Println(errors.Is(err, geo.ErrUnknownPostalCode), errors.Is(err, geo.ErrOutsideDepartements))
	_, err = pc.Lookup("750150")
	fmt.Println(err)
	// Output:
	// "75015" → commune "75056", département "75", [75056]
	// "20000" → commune "2A004", département "2A", [2A004]
	// "1000" → commune "", département "01", [01053 01344]
	// "05110" → commune "", département "", [04058 04066 05013 05049 05071 05078 05162 05184]
	// true true
	// lookup "750150": want 5 digits: malformed postal code
}
