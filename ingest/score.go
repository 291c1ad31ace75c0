package ingest

// Level is a person's level in one DigComp area, as in the INSEE/Eurostat
// digital skills indicator.
type Level int8

// The levels of an area.
const (
	LevelNone       Level = 0 // no basic skill in the area
	LevelBasic      Level = 1
	LevelAboveBasic Level = 2
)

// Class is a person's digital-skills class.
type Class string

// The classes, as INSEE defines them (Insee Première n° 1953, 2023).
const (
	// Illectronisme: no internet use in the last 3 months, or no basic
	// skill in at least 4 of the 5 areas.
	Illectronisme Class = "illectronisme"
	// CapacitesFaibles: an internet user missing basic skills in 1 to 3
	// of the 5 areas.
	CapacitesFaibles Class = "capacites_faibles"
	// Autonome: at least basic skills in all 5 areas.
	Autonome Class = "autonome"
)

// Classify returns how many areas reach at least the basic level, and the
// person's class.
func Classify(internet bool, areas [5]Level) (basic int, class Class) {
	for _, l := range areas {
		if l >= LevelBasic {
			basic++
		}
	}
	switch {
	case !internet || basic <= 1:
		return basic, Illectronisme
	case basic < 5:
		return basic, CapacitesFaibles
	}
	return basic, Autonome
}

// PixAreaLevel turns the Pix levels (0–8) of an area's competences into the
// area's level: none when no competence reaches level 1, basic when exactly
// one does, above basic when two or more do. It mirrors how Eurostat counts
// activities in an area (basic: one; above basic: more than one).
func PixAreaLevel(competenceLevels []int) Level {
	n := 0
	for _, l := range competenceLevels {
		if l >= 1 {
			n++
		}
	}
	switch {
	case n == 0:
		return LevelNone
	case n == 1:
		return LevelBasic
	}
	return LevelAboveBasic
}

// PixLevel is the Pix level reached with the given pix points: 8 pix per
// level, levels 0 to 8.
func PixLevel(pix int) int {
	return min(pix/8, 8)
}
