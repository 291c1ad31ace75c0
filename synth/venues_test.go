package synth

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

// TestVenues checks the promises of Venues: unique ids, synthetic names, a
// position inside the département of the declared commune, every
// département served, no two venues close enough to be merged, the
// vocabularies of the national schema, and defects on top of the valid rows.
func TestVenues(t *testing.T) {
	ref := reference(t)
	const venues = 1000
	gen := func(seed uint64, share float64) ([]byte, Defects) {
		var b bytes.Buffer
		d, err := Venues(&b, ref, VenuesOptions{Venues: venues, Seed: seed, DefectShare: share})
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), d
	}
	clean, _ := gen(1, 0)
	recs, err := csv.NewReader(bytes.NewReader(clean)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != VenuesHeader || len(recs)-1 != venues {
		t.Fatalf("header %q and %d rows, want %q and %d", recs[0], len(recs)-1, VenuesHeader, venues)
	}
	vocabulary := map[int][]weighted{vServices: venueServices, vPublics: venuePublics, vPriseEnCh: venueCare, vModalites: venueModes, vProgrammes: venueProgrammes, vFrais: venueFees}
	ids := map[string]bool{}
	deps := map[string]bool{}
	cells := map[[2]int64]string{}
	for i, rec := range recs[1:] {
		id := rec[vID]
		if ids[id] || id == "" {
			t.Errorf("row %d: id %q empty or seen before", i+1, id)
		}
		ids[id] = true
		if !strings.Contains(rec[vNom], "synthétique") || rec[vSource] != VenueSource {
			t.Errorf("row %d: name %q, source %q; want them to say they are synthetic", i+1, rec[vNom], rec[vSource])
		}
		lat, err1 := strconv.ParseFloat(rec[vLatitude], 64)
		lon, err2 := strconv.ParseFloat(rec[vLongitude], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %d: coordinates %q, %q", i+1, rec[vLatitude], rec[vLongitude])
		}
		res, err := ref.Codes.Resolve(rec[vCodeInsee])
		if err != nil {
			t.Fatalf("row %d: code_insee %q: %v", i+1, rec[vCodeInsee], err)
		}
		if dep, ok := ref.Index.Locate(orb.Point{lon, lat}); !ok || dep != res.Departement {
			t.Errorf("row %d: (%v, %v) lies in %q, want %s, the département of %s", i+1, lat, lon, dep, res.Departement, rec[vCodeInsee])
		}
		deps[res.Departement] = true
		if ref.Postal[res.Code] != rec[vCodePostal] || rec[vCodePostal] == "" {
			t.Errorf("row %d: postal code %q, want %q", i+1, rec[vCodePostal], ref.Postal[res.Code])
		}
		cell := [2]int64{int64(math.Floor(lon * 1000)), int64(math.Floor(lat * 1000))}
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				if other, ok := cells[[2]int64{cell[0] + dx, cell[1] + dy}]; ok {
					if km := geo.DistanceKm(orb.Point{lon, lat}, parsePoint(t, other)); km < 0.05 {
						t.Errorf("row %d lies %.0f m from another venue: they would be merged", i+1, km*1000)
					}
				}
			}
		}
		cells[cell] = rec[vLatitude] + " " + rec[vLongitude]
		for col, vs := range vocabulary {
			if rec[col] == "" {
				continue
			}
			allowed := map[string]bool{}
			for _, v := range vs {
				for _, x := range strings.Split(v.value, "|") {
					allowed[x] = true
				}
			}
			for _, x := range strings.Split(rec[col], "|") {
				if !allowed[x] {
					t.Errorf("row %d, column %s: %q is not in the vocabulary", i+1, recs[0][col], x)
				}
			}
		}
	}
	if len(deps) != len(ref.Departements) {
		t.Errorf("venues in %d départements, want all %d", len(deps), len(ref.Departements))
	}

	again, _ := gen(1, 0)
	other, _ := gen(2, 0)
	if !bytes.Equal(clean, again) || bytes.Equal(clean, other) {
		t.Error("the same seed must give the same bytes, another seed other bytes")
	}

	withDefects, d := gen(1, 0.02)
	want := DefectRows(venues, 0.02)
	if d.Total() != want || len(d.Kinds()) != len(VenueDefects) {
		t.Errorf("defects %v, want %d spread over %v", d, want, VenueDefects)
	}
	got, err := csv.NewReader(bytes.NewReader(withDefects)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	j := 1
	for _, rec := range got[1:] {
		if j < len(recs) && strings.Join(rec, ",") == strings.Join(recs[j], ",") {
			j++
		}
	}
	if j != len(recs) || len(got) != len(recs)+want {
		t.Errorf("with defects: %d of %d valid rows kept in order, %d rows in all; want all and %d", j-1, venues, len(got)-1, venues+want)
	}
}

func parsePoint(t *testing.T, latLon string) orb.Point {
	t.Helper()
	a, b, _ := strings.Cut(latLon, " ")
	lat, err1 := strconv.ParseFloat(a, 64)
	lon, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("point %q", latLon)
	}
	return orb.Point{lon, lat}
}
