package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
)

// VenuesOptions configure Venues.
type VenuesOptions struct {
	Venues int // valid venues to write; must be positive
	Seed   uint64
	// DefectShare is the share of rows that carry a defect, from 0 to
	// MaxDefectShare.
	DefectShare float64
}

// VenuesHeader is the header of the national schema "lieux de médiation
// numérique" v1.0.2, as in the bundled Hauts-de-France listing.
const VenuesHeader = "id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv"

// VenueSource is the source column of every synthetic venue.
const VenueSource = "illectro-synthetique"

// VenueDefects are the kinds of defects Venues injects.
var VenueDefects = []DefectKind{DefectMissingID, DefectMissingName, DefectNonFiniteCoordinate, DefectCoordinateOutOfRange, DefectOutsideFrance}

// Columns of VenuesHeader that Venues fills.
const (
	vID = iota
	vPivot
	vNom
	vCommune
	vCodePostal
	vCodeInsee
	vAdresse
	_ // complement_adresse
	vLatitude
	vLongitude
	vColumns = 32
)

const (
	vSource     = 17
	vDateMaj    = 20
	vServices   = 21
	vPublics    = 22
	vPriseEnCh  = 23
	vFrais      = 24
	vProgrammes = 25
	vModalites  = 29
)

// weighted is a value drawn with a probability, or each of several values
// kept with its own probability.
type weighted struct {
	p     float64
	value string
}

// The vocabularies of the bundled listing (1 741 venues of Nord and
// Pas-de-Calais, 2023), with the share of venues that offer each value.
var (
	venueServices = []weighted{
		{0.66, "Accès internet et matériel informatique"},
		{0.60, "Maîtrise des outils numériques du quotidien"},
		{0.53, "Aide aux démarches administratives"},
		{0.48, "Insertion professionnelle via le numérique"},
		{0.39, "Loisirs et créations numériques"},
		{0.37, "Compréhension du monde numérique"},
		{0.36, "Utilisation sécurisée du numérique"},
		{0.007, "Acquisition de matériel informatique à prix solidaire"},
		{0.004, "Parentalité et éducation avec le numérique"},
	}
	venuePublics = []weighted{{0.52, "Familles et/ou enfants"}, {0.56, "Jeunes"}, {0.54, "Seniors"}}
	venueCare    = []weighted{{0.54, "Surdité"}, {0.54, "Handicaps mentaux"}, {0.54, "Déficience visuelle"}, {0.26, "Illettrisme"}, {0.26, "Langues étrangères (autres)"}}
	venueModes   = []weighted{{0.29, "Accompagnement individuel"}, {0.16, "Dans un atelier collectif"}, {0.007, "En autonomie"}}
	// Programme combinations, one drawn per venue (cumulative shares).
	venueProgrammes = []weighted{
		{0.126, "Conseillers numériques"},
		{0.180, "Conseillers numériques|France Services"},
		{0.196, "Conseillers numériques|Aidants Connect"},
		{0.205, "Conseillers numériques|France Services|Aidants Connect"},
		{0.262, "France Services"},
		{0.272, "Aidants Connect"},
		{1, ""},
	}
	venueFees = []weighted{{0.80, "Gratuit"}, {0.83, "Payant"}, {1, ""}} // cumulative
	// venueKinds name the synthetic venues: the kinds of place that host
	// digital mediation.
	venueKinds = []string{"Espace public numérique", "Médiathèque", "Centre social", "Tiers-lieu", "Maison France Services", "Mairie", "Association d'inclusion numérique", "Point d'accès numérique"}
)

// Points outside the 101 départements that geocoders and hands produce:
// (0, 0), the Atlantic off Brittany, Brussels. Latitude, longitude.
var outsideFrance = [][2]float64{{0, 0}, {47.0, -8.5}, {50.8467, 4.3525}}

// venueCommune is a commune venues can be placed in, with the points they
// are drawn around.
type venueCommune struct {
	commune geo.Commune
	points  []orb.Point // centroids (several for Paris, Lyon, Marseille and communes merged since 2024)
	weights []float64   // cumulative census population of the points
	radius  float64     // km around a point
}

// Venues writes opt.Venues synthetic venues in the national schema v1.0.2,
// ',' separated with '|' between the values of a field. Communes are drawn
// with probability proportional to population^0.75, so that populous
// communes have more venues but rural départements keep theirs; the first
// venues (one per département, as long as there are enough) make sure every
// département has one. A venue lies within a few km of one of its commune's
// centroids, inside the commune's département, and at least 0.001° (about
// 70 m) from every other venue, so that no two are merged as the same place
// (the fallback after 50 draws is the centroid itself). Names, ids and
// addresses say they are synthetic; services, audiences and national
// programmes are drawn from the vocabularies and frequencies of the bundled
// Hauts-de-France listing.
//
// Among the venues' rows, at random positions, DefectRows(opt.Venues,
// share) extra rows each carry one defect of VenueDefects; their count by
// kind is returned. The valid rows do not depend on the share. The same
// options give the same bytes.
func Venues(w io.Writer, ref *Reference, opt VenuesOptions) (Defects, error) {
	if opt.Venues <= 0 {
		return nil, fmt.Errorf("venues must be positive, got %d", opt.Venues)
	}
	if err := checkShare(opt.DefectShare); err != nil {
		return nil, err
	}
	for _, p := range outsideFrance {
		if _, ok := ref.Index.Locate(orb.Point{p[1], p[0]}); ok {
			return nil, fmt.Errorf("point (%g, %g) lies in a département: it would not be a defect", p[0], p[1])
		}
		if _, ok := ref.Index.Locate(orb.Point{p[0], p[1]}); ok {
			return nil, fmt.Errorf("point (%g, %g) swapped lies in a département: it would not be a defect", p[0], p[1])
		}
	}
	vg, err := newVenueGen(ref, opt.Seed)
	if err != nil {
		return nil, err
	}
	in := newInjector(opt.Seed, streamVenueDefects, opt.Venues, opt.DefectShare, VenueDefects)
	drng := newRand(opt.Seed, streamVenueDefectRows)

	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(strings.Split(VenuesHeader, ",")); err != nil {
		return nil, err
	}
	rec := make([]string, vColumns)
	valid, defective := 0, 0
	for in.more() {
		kind, bad := in.next()
		if !bad {
			vg.venue(rec, vg.rng, valid, opt.Seed, valid+1)
			valid++
		} else {
			// Defective rows are numbered after the valid ones, so every
			// id in the file is unique.
			defective++
			vg.venue(rec, drng, -1, opt.Seed, opt.Venues+defective)
			switch kind {
			case DefectMissingID:
				rec[vID] = ""
			case DefectMissingName:
				rec[vNom] = ""
			case DefectNonFiniteCoordinate:
				rec[vLatitude+drng.IntN(2)] = []string{"NaN", "nan", "Inf", "-Inf"}[drng.IntN(4)]
			case DefectCoordinateOutOfRange:
				// The decimal point lost on the way: 48.856614 → 48856614.
				i := vLatitude + drng.IntN(2)
				rec[i] = strings.Replace(strings.TrimPrefix(rec[i], "-"), ".", "", 1)
				if v, _ := strconv.ParseFloat(rec[i], 64); math.Abs(v) <= 180 {
					rec[i] = rec[i] + "000000" // a short coordinate must still leave the range
				}
			case DefectOutsideFrance:
				// A failed geocoding with no address code to fall back on.
				p := outsideFrance[drng.IntN(len(outsideFrance))]
				rec[vLatitude], rec[vLongitude] = formatCoord(p[0]), formatCoord(p[1])
				rec[vCodeInsee], rec[vCodePostal] = "", ""
			}
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return in.count, bw.Flush()
}

// venueGen draws venues. Not safe for concurrent use.
type venueGen struct {
	ref      *Reference
	rng      *rand.Rand
	communes []venueCommune
	cum      []float64         // cumulative weights of communes
	byDep    map[string][]int  // communes of each département
	deps     []string          // départements with a commune, sorted
	taken    map[[2]int64]bool // 0.001° cells holding a valid venue
}

func newVenueGen(ref *Reference, seed uint64) (*venueGen, error) {
	byCode := make(map[string]int, len(ref.Communes))
	vg := &venueGen{ref: ref, rng: newRand(seed, streamVenues), byDep: map[string][]int{}, taken: map[[2]int64]bool{}}
	cands := make([]venueCommune, 0, len(ref.Communes))
	for _, c := range ref.Communes {
		if c.PopulationMunicipale > 0 {
			byCode[c.Code] = len(cands)
			cands = append(cands, venueCommune{commune: c})
		}
	}
	areas := map[string]float64{}
	for _, ct := range ref.Centroids {
		res, err := ref.Codes.Resolve(ct.Code)
		if err != nil {
			continue
		}
		i, ok := byCode[res.Code]
		if !ok {
			continue
		}
		// A centroid outside its département's simplified outline (a small
		// island, a point on the shore) would not place a venue there.
		if dep, ok := ref.Index.Locate(ct.Point); !ok || dep != res.Departement {
			continue
		}
		vc := &cands[i]
		var last float64
		if n := len(vc.weights); n > 0 {
			last = vc.weights[n-1]
		}
		vc.points = append(vc.points, ct.Point)
		vc.weights = append(vc.weights, last+float64(max(1, ct.Population2021)))
		areas[res.Code] += ct.AreaKm2
	}
	var total float64
	for _, vc := range cands {
		if len(vc.points) == 0 {
			continue
		}
		// Half the radius of a disc of the commune's area spread over its
		// points, from 100 m to 3 km.
		a := areas[vc.commune.Code] / float64(len(vc.points))
		if a <= 0 {
			a = 10
		}
		vc.radius = clamp(0.5*math.Sqrt(a/math.Pi), 0.1, 3)
		dep := vc.commune.CodeDepartement
		if len(vg.byDep[dep]) == 0 {
			vg.deps = append(vg.deps, dep)
		}
		vg.byDep[dep] = append(vg.byDep[dep], len(vg.communes))
		vg.communes = append(vg.communes, vc)
		total += math.Pow(float64(vc.commune.PopulationMunicipale), 0.75)
		vg.cum = append(vg.cum, total)
	}
	if len(vg.communes) == 0 {
		return nil, fmt.Errorf("no commune to place venues in")
	}
	sort.Strings(vg.deps)
	return vg, nil
}

// pick draws the commune of the n-th valid venue (n < 0: a defective one).
func (vg *venueGen) pick(rng *rand.Rand, n int) *venueCommune {
	if n >= 0 && n < len(vg.deps) {
		cs := vg.byDep[vg.deps[n]]
		var total float64
		for _, i := range cs {
			total += vg.weight(i)
		}
		r := rng.Float64() * total
		for _, i := range cs {
			if r -= vg.weight(i); r < 0 {
				return &vg.communes[i]
			}
		}
		return &vg.communes[cs[len(cs)-1]]
	}
	i := sort.SearchFloat64s(vg.cum, rng.Float64()*vg.cum[len(vg.cum)-1])
	return &vg.communes[min(i, len(vg.communes)-1)]
}

func (vg *venueGen) weight(i int) float64 {
	if i == 0 {
		return vg.cum[0]
	}
	return vg.cum[i] - vg.cum[i-1]
}

// place draws a point near one of vc's centroids, in its département and,
// for a valid venue (keep), in a cell no other venue is near.
func (vg *venueGen) place(rng *rand.Rand, vc *venueCommune, keep bool) orb.Point {
	last := vc.weights[len(vc.weights)-1]
	center := vc.points[min(sort.SearchFloat64s(vc.weights, rng.Float64()*last), len(vc.points)-1)]
	for range 50 {
		d := vc.radius * math.Sqrt(rng.Float64())
		angle := 2 * math.Pi * rng.Float64()
		lat := center[1] + d*math.Sin(angle)/111.32
		lon := center[0] + d*math.Cos(angle)/(111.32*math.Cos(center[1]*math.Pi/180))
		p := orb.Point{round6(lon), round6(lat)}
		if dep, ok := vg.ref.Index.Locate(p); !ok || dep != vc.commune.CodeDepartement {
			continue
		}
		if keep && !vg.claim(p) {
			continue
		}
		return p
	}
	p := orb.Point{round6(center[0]), round6(center[1])}
	if keep {
		vg.claim(p)
	}
	return p
}

// claim marks p's cell of 0.001° as taken, unless it or a neighbour
// already is: two venues are then at least 0.001° of latitude or longitude
// apart (over 60 m in France).
func (vg *venueGen) claim(p orb.Point) bool {
	cx, cy := int64(math.Floor(p[0]*1000)), int64(math.Floor(p[1]*1000))
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			if vg.taken[[2]int64{cx + dx, cy + dy}] {
				return false
			}
		}
	}
	vg.taken[[2]int64{cx, cy}] = true
	return true
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func formatCoord(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

// venue fills rec with a venue numbered num, drawn from rng; n is its rank
// among valid venues, or -1 for a defective row.
func (vg *venueGen) venue(rec []string, rng *rand.Rand, n int, seed uint64, num int) {
	for i := range rec {
		rec[i] = ""
	}
	vc := vg.pick(rng, n)
	p := vg.place(rng, vc, n >= 0)
	c := vc.commune
	rec[vID] = fmt.Sprintf("synthetique-%d-%06d", seed, num)
	rec[vPivot] = "00000000000000"
	rec[vNom] = fmt.Sprintf("Lieu synthétique n° %d – %s", num, venueKinds[rng.IntN(len(venueKinds))])
	rec[vCommune] = c.Nom
	rec[vCodePostal] = vg.ref.Postal[c.Code]
	rec[vCodeInsee] = c.Code
	rec[vAdresse] = fmt.Sprintf("Adresse fictive n° %d", num)
	rec[vLatitude], rec[vLongitude] = formatCoord(p[1]), formatCoord(p[0])
	rec[vSource] = VenueSource
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	rec[vDateMaj] = from.AddDate(0, 0, rng.IntN(3*365)).Format(time.DateOnly)
	rec[vServices] = some(rng, venueServices)
	if rec[vServices] == "" {
		rec[vServices] = venueServices[1].value
	}
	rec[vPublics] = some(rng, venuePublics)
	rec[vPriseEnCh] = some(rng, venueCare)
	rec[vFrais] = one(rng, venueFees)
	rec[vProgrammes] = one(rng, venueProgrammes)
	rec[vModalites] = some(rng, venueModes)
}

// some keeps each value with its probability, '|'-separated.
func some(rng *rand.Rand, vs []weighted) string {
	var b strings.Builder
	for _, v := range vs {
		if rng.Float64() < v.p {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(v.value)
		}
	}
	return b.String()
}

// one draws one value from cumulative probabilities ending at 1.
func one(rng *rand.Rand, vs []weighted) string {
	r := rng.Float64()
	for _, v := range vs {
		if r < v.p {
			return v.value
		}
	}
	return vs[len(vs)-1].value
}
