package reports

import (
	"slices"
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
			for _, n := range f.Names[:min(maxNamedFiles, len(f.Names))] {
				l.Names = append(l.Names, fileName(n))
			}
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

// indicatorProvenance says, in French, what the map's indicator rests on
// and how many départements have a value: the loaded inputs of its kinds
// with their vintage (the bundled samples by name, the inbox's and remote
// sources' files by count and load date), the model when it is estimated,
// and its coverage. Shown beside the indicator, under the map.
func indicatorProvenance(ind indicator, sources []Source, loaded []figures.LoadedFiles, figs []figure) string {
	var parts []string
	for _, s := range sources {
		if s.Input && slices.Contains(ind.Inputs, s.Kind) {
			parts = append(parts, s.Name+" (millésime "+frenchDate(s.Vintage)+")")
		}
	}
	for _, f := range loaded {
		if !slices.Contains(ind.Inputs, f.Kind) {
			continue
		}
		files := "fichier déposé"
		if f.Count > 1 {
			files = "fichiers déposés"
		}
		parts = append(parts, formatInt(int64(f.Count))+"\u00a0"+files+" ("+qualiteName(qualiteKinds, f.Kind)+", chargés le "+frenchDate(f.LoadedOn)+")")
	}
	if ind.Model {
		parts = append(parts, "modèle d’estimation calé sur les marges publiées par l’Insee (voir la méthodologie)")
	}
	text := "Données\u00a0: aucune donnée chargée"
	if len(parts) > 0 {
		text = "Données\u00a0: " + strings.Join(parts, "\u202f; ")
	}
	var withValue, noValue, withheld int
	for _, f := range figs {
		switch f.Status {
		case published:
			withValue++
		case missing:
			noValue++
		case secret:
			withheld++
		}
	}
	text += ". Valeur publiée pour " + formatInt(int64(withValue)) + " départements sur " + formatInt(int64(len(figs)))
	var gaps []string
	if noValue > 0 {
		gaps = append(gaps, formatInt(int64(noValue))+" non disponible"+plural(noValue))
	}
	if withheld > 0 {
		gaps = append(gaps, formatInt(int64(withheld))+" sous le secret statistique")
	}
	if len(gaps) > 0 {
		text += " (" + strings.Join(gaps, ", ") + ")"
	}
	return text + "."
}

// plural is "s" when n > 1 (French: 0 and 1 take the singular).
func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// inputVintages names, in French, the loaded inputs of the given kinds with
// their vintage: the bundled samples by name, the inbox's and remote
// sources' files by their load date, "modèle" for the small-area model;
// "—" when none is loaded.
func inputVintages(kinds []string, sources []Source, loaded []figures.LoadedFiles) string {
	var parts []string
	if slices.Contains(kinds, "model") {
		parts = append(parts, "modèle d’estimation (marges publiées de l’Insee)")
	}
	for _, s := range sources {
		if s.Input && slices.Contains(kinds, s.Kind) {
			parts = append(parts, s.Name+", "+frenchDate(s.Vintage))
		}
	}
	for _, f := range loaded {
		if slices.Contains(kinds, f.Kind) {
			parts = append(parts, qualiteName(qualiteKinds, f.Kind)+" déposés, chargés le "+frenchDate(f.LoadedOn))
		}
	}
	if len(parts) == 0 {
		return noData
	}
	return strings.Join(parts, "\u202f; ")
}
