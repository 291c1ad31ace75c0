package synth

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/illectro/illectro/geo"
)

// PixCompetences are the 16 CRCN competences of a Pix Orga export, grouped
// in the five DigComp areas in the order of the generic format's columns
// (information, communication, content creation, safety, problem solving),
// as the built-in mapping pix-orga reads them.
var PixCompetences = [5][]string{
	{"Mener une recherche et une veille d'information", "Gérer des données", "Traiter des données"},
	{"Interagir", "Partager et publier", "Collaborer", "S'insérer dans le monde numérique"},
	{"Développer des documents textuels", "Développer des documents multimédia", "Adapter les documents à leur finalité", "Programmer"},
	{"Sécuriser l'environnement numérique", "Protéger les données personnelles et la vie privée", "Protéger la santé, le bien-être et l'environnement"},
	{"Résoudre des problèmes techniques", "Construire un environnement numérique"},
}

// pixLeading are the columns of a Pix Orga "collecte de profils" export
// before the competences, with the learner columns a département adds
// (commune, postal code, birth year).
var pixLeading = []string{
	"Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant",
	"Prénom du Participant", "Identifiant externe", "Code commune", "Code postal", "Année de naissance",
	"Envoi (O/N)", "Date et heure de l'envoi (Europe/Paris)", "Nombre de pix total", "Certifiable (O/N)",
	"Nombre de compétences certifiables",
}

// bandAges are the youngest and oldest ages drawn for each band of bands.
var bandAges = [][2]int{{15, 29}, {30, 44}, {45, 59}, {60, 74}, {75, 94}}

// PixAssessments writes what Assessments writes for opt, as a Pix Orga
// export: UTF-8 with a byte order mark, ';', every field quoted, one level
// and one pix count per competence, a birth year instead of an age band and
// "dd/mm/yyyy hh:mm" times. It draws the same respondents, communes, days and
// area levels as Assessments with the same options, so that loading both
// files gives the same area levels row for row; respondent ids start with
// "SYN-PIX-" instead of "SYN-" (every generated id starts with
// SyntheticIDPrefix, the marker ingest recognises).
//
// An area's level becomes its competences' Pix levels by the rule of the
// pix-orga mapping: none, every competence at level 0; basic, exactly one at
// level 1 or more; above basic, two or more. A competence's pix count is
// 8 × its level plus 0–7. Pix is taken online, so the export says nothing of
// internet use (the mapping counts every participant as a user); the
// participant name columns hold placeholders, never a name.
func PixAssessments(w io.Writer, communes []geo.Commune, centroids []geo.Centroid, opt AssessmentsOptions) error {
	g, err := newAssessmentGen(communes, centroids, opt, "SYN-PIX-")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("\uFEFF")
	header := make([]byte, 0, 4096)
	for i, name := range pixLeading {
		if i > 0 {
			header = append(header, ';')
		}
		header = appendQuoted(header, name)
	}
	for _, area := range PixCompetences {
		for _, c := range area {
			header = append(header, ';')
			header = appendQuoted(header, "Niveau pour la compétence "+c)
			header = append(header, ';')
			header = appendQuoted(header, "Nombre de pix pour la compétence "+c)
		}
	}
	bw.Write(append(header, '\n'))
	// The Pix-only draws have a generator of their own, so that g draws
	// what it draws for Assessments.
	extra := rand.New(rand.NewPCG(opt.Seed^0x5049582d4f524741, opt.Seed))
	buf := make([]byte, 0, 512)
	for range opt.Rows {
		buf = g.appendPixRow(buf[:0], g.next(), extra)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendPixRow appends a's Pix Orga line, newline included, to buf,
// drawing the birth year, the time of day and the competences from rng.
func (g *assessmentGen) appendPixRow(buf []byte, a assessment, rng *rand.Rand) []byte {
	var levels [16]int
	k := 0
	total := 0
	for i, comps := range PixCompetences {
		n := len(comps)
		reached := 0 // competences at level 1 or more
		switch a.levels[i] {
		case '1':
			reached = 1
		case '2':
			reached = 2 + rng.IntN(n-1)
		}
		// reached competences at levels 1–5, then shuffled within the area.
		area := levels[k : k+n]
		for j := range reached {
			area[j] = 1 + rng.IntN(5)
		}
		for j := n - 1; j > 0; j-- {
			r := rng.IntN(j + 1)
			area[j], area[r] = area[r], area[j]
		}
		k += n
	}
	day := g.dates[a.day]
	year, _ := strconv.Atoi(string(day[:4]))
	ages := bandAges[a.band]
	birth := year - ages[0] - rng.IntN(ages[1]-ages[0]+1)
	hour, minute := 8+rng.IntN(12), rng.IntN(60)

	field := func(s string) {
		buf = append(buf, '"')
		buf = append(buf, s...)
		buf = append(buf, '"', ';')
	}
	num := func(n int) {
		buf = append(buf, '"')
		buf = strconv.AppendInt(buf, int64(n), 10)
		buf = append(buf, '"', ';')
	}
	field("Organisation synthétique")
	field("1")
	field("SYNTH0001")
	field("Autodiagnostic synthétique")
	field("Participant")
	field("Synthétique")
	buf = append(buf, '"')
	buf = append(buf, g.prefix...)
	buf = strconv.AppendInt(buf, int64(a.id), 10)
	buf = append(buf, '"', ';')
	field(g.picked[a.commune].Code)
	field("")
	num(birth)
	field("Oui")
	// dd/mm/yyyy hh:mm from yyyy-mm-dd.
	buf = append(buf, '"')
	buf = append(buf, day[8:10]...)
	buf = append(buf, '/')
	buf = append(buf, day[5:7]...)
	buf = append(buf, '/')
	buf = append(buf, day[:4]...)
	buf = append(buf, ' ', byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), '"', ';')
	var pix [16]int
	certifiable := 0
	for i, l := range levels {
		pix[i] = 8*l + rng.IntN(8)
		total += pix[i]
		if l >= 1 {
			certifiable++
		}
	}
	num(total)
	if certifiable >= 5 {
		field("Oui")
	} else {
		field("Non")
	}
	num(certifiable)
	for i, l := range levels {
		num(l)
		num(pix[i])
	}
	buf[len(buf)-1] = '\n' // the last field's ';'
	return buf
}

// appendQuoted appends s as a quoted CSV field, its quotes doubled.
func appendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}
