package reports

import (
	"strings"

	"github.com/illectro/illectro/figures"
)

// loadedLine is one line of the sources block for the loaded files no
// source credits: their kind in French, up to three names (none for
// self-assessments), how many more, and when the newest was loaded.
type loadedLine struct {
	Kind        string
	Names       []string
	More, Count int
	LoadedOn    string // dd/mm/yyyy
	Withheld    bool   // self-assessments: never named
}

// maxNamedFiles bounds the file names listed per kind.
const maxNamedFiles = 3

// loadedLines formats the Site's loaded files for the footer.
func loadedLines(files []figures.LoadedFiles) []loadedLine {
	var out []loadedLine
	for _, f := range files {
		l := loadedLine{Kind: qualiteName(qualiteKinds, f.Kind), Count: f.Count, LoadedOn: frenchDate(f.LoadedOn), Withheld: f.Kind == "assessments"}
		if !l.Withheld {
			l.Names = f.Names[:min(maxNamedFiles, len(f.Names))]
			l.More = len(f.Names) - len(l.Names)
		}
		out = append(out, l)
	}
	return out
}

// syntheticBanner is the banner of every page when synthetic inputs were
// loaded: which ones, in French; "" when none.
func syntheticBanner(kinds []string) string {
	if len(kinds) == 0 {
		return ""
	}
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = qualiteName(qualiteKinds, k)
	}
	list := labels[0]
	if n := len(labels); n > 1 {
		list = strings.Join(labels[:n-1], ", ") + " et " + labels[n-1]
	}
	return "Données synthétiques : des fichiers générés par illectro pour la démonstration et les essais ont été chargés (" +
		list + "). Ils ne décrivent pas la réalité, ni les chiffres qui en dépendent."
}
