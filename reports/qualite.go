package reports

import (
	"strings"
	"time"
)

// kindLabels are the French labels of a closed set of kinds, by code; the
// set has an "other" kind, whose label an unknown code reads.
type kindLabels map[string]string

func (l kindLabels) label(code string) string {
	if s, ok := l[code]; ok {
		return s
	}
	return l["other"]
}

func (l kindLabels) has(code string) bool {
	_, ok := l[code]
	return ok
}

// rejectKindLabels are the French labels of the kinds of rejected rows
// (ingest.RejectKinds; a test checks that every kind has one).
var rejectKindLabels = kindLabels{
	"missing":              "valeur manquante",
	"not_a_number":         "pas un nombre valide",
	"out_of_range":         "valeur hors des limites admises",
	"not_a_date":           "pas une date ou une heure valide",
	"not_a_choice":         "pas une des valeurs admises",
	"malformed_code":       "code de commune ou code postal mal formé",
	"unknown_code":         "code de commune ou code postal inconnu",
	"outside_departements": "hors des 101 départements",
	"ambiguous_place":      "impossible à situer dans un seul département",
	"inconsistent":         "valeurs de la ligne contradictoires",
	"not_shared":           "résultats non partagés par la personne",
	"incomplete":           "domaine de compétences non évalué",
	"malformed_row":        "ligne mal formée (guillemets, nombre de champs)",
	"too_long":             "ligne ou champ trop long",
	"encoding":             "texte mal encodé ou données binaires",
	"other":                "autre motif",
}

// RejectKindLabel is the French label of a kind of rejected row, by its
// code (ingest.RejectKind.Code); an unknown code reads "autre motif".
func RejectKindLabel(code string) string { return rejectKindLabels.label(code) }

// HasRejectKindLabel reports whether code has a label of its own.
func HasRejectKindLabel(code string) bool { return rejectKindLabels.has(code) }

// fileErrorKindLabels are the French labels of the kinds of refused files
// (ingest.FileErrorKinds; a test checks that every kind has one).
var fileErrorKindLabels = kindLabels{
	"unreadable":       "fichier illisible",
	"empty":            "fichier vide",
	"encoding":         "encodage non pris en charge (UTF-16) ou fichier binaire",
	"bad_header":       "en-tête non reconnu",
	"missing_columns":  "colonne obligatoire absente",
	"unknown_format":   "format de fichier non reconnu",
	"missing_key":      "clé de pseudonymisation absente",
	"key_changed":      "clé de pseudonymisation différente de celle des données déjà chargées",
	"too_many_rejects": "trop de lignes rejetées",
	"database":         "erreur de la base de données pendant le chargement",
	"interrupted":      "chargement interrompu",
	"changed":          "fichier modifié pendant son chargement (chargé à la prochaine exécution)",
	"quarantined":      "mis en quarantaine : le traitement s'est arrêté deux fois en le chargeant",
	"other":            "autre motif",
}

// FileErrorKindLabel is the French label of a kind of refused file, by its
// code (ingest.FileErrorKind.Code); an unknown code reads "autre motif".
func FileErrorKindLabel(code string) string { return fileErrorKindLabels.label(code) }

// HasFileErrorKindLabel reports whether code has a label of its own.
func HasFileErrorKindLabel(code string) bool { return fileErrorKindLabels.has(code) }

// runErrorKindLabels are the French labels of the kinds of failed runs
// (pipeline.RunErrorKinds; a test checks that every kind has one).
var runErrorKindLabels = kindLabels{
	"configuration": "configuration invalide",
	"inbox":         "dossier de dépôt illisible",
	"database":      "erreur de la base de données",
	"model":         "estimations impossibles à calculer",
	"data_tests":    "contrôles de cohérence des données non satisfaits",
	"report":        "rapport impossible à construire",
	"snapshot":      "base des analystes impossible à publier",
	"publish":       "nouvelle version impossible à mettre en ligne",
	"interrupted":   "calcul interrompu",
	"out_of_memory": "calcul arrêté faute de mémoire",
	"other":         "autre erreur",
}

// RunErrorKindLabel is the French label of a kind of failed run, by its
// code (pipeline.RunErrorKind.Code); an unknown code reads "autre erreur".
func RunErrorKindLabel(code string) string { return runErrorKindLabels.label(code) }

// HasRunErrorKindLabel reports whether code has a label of its own.
func HasRunErrorKindLabel(code string) bool { return runErrorKindLabels.has(code) }

// fileName is the last element of a file's name as the ledger holds it: a
// page names files, never the folders they came from (a name is already
// a base name, unless a caller of ingest gave a path).
func fileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// Page model for templates/qualite.html.tmpl: counts and reasons only. The
// diagnostics types carry no rejected value nor any error's wording (only
// kinds, labelled in French here), and every text below is data escaped by
// html/template.
type (
	qualitePage struct {
		frame
		Freshness []qualiteFreshness
		Runs      []qualiteRun
		Files     []qualiteFile
		Failed    string // number of refused files
		Rejects   []qualiteRejects
		Findings  []qualiteFindings
		// AssessmentsWithheld: self-assessment files were loaded, and
		// are not listed (statistical secrecy).
		AssessmentsWithheld bool
	}
	// qualiteFreshness is the newest loaded file of one kind of input.
	qualiteFreshness struct {
		Kind, File, Files string
		Vintage           string // the data's millésime, or "non déclaré"
		Date, DateTime    string
		Withheld          bool // self-assessments: files not listed
	}
	// qualiteRun is one finished run of the pipeline.
	qualiteRun struct {
		ID, Trigger, Status, Error string // Error: the French label of the kind
		Started, StartedTime       string
		Finished, FinishedTime     string
		Files, Rows, Rejected      string
		Release                    string
		Failed                     bool
	}
	qualiteFile struct {
		ID                     string
		Date, DateTime         string // "02/01/2026 07:30", and the <time> value
		Kind                   string // in French
		Name, Format           string
		Failed                 bool
		Status, Error          string // Error: the French label of the kind
		Read, Loaded, Rejected string
		RejectedShare          string // percentage of the rows read
	}
	// qualiteRejects is the table of one file's rejected rows.
	qualiteRejects struct {
		File  qualiteFileRef
		Rows  []qualiteReject
		Total string
	}
	qualiteReject struct {
		Column string // "" for a whole-row problem
		Reason string // in French, from the kind
		Rows   string
	}
	// qualiteFindings is the table of one file's quality findings.
	qualiteFindings struct {
		File  qualiteFileRef
		Rows  []qualiteFinding
		Total string
	}
	qualiteFinding struct {
		Label, Kind string
		Departement string // "59 Nord", "" when the row has none
		Rows        string
	}
	qualiteFileRef struct {
		Key                  int64  // the file id, for element ids
		ID, Name, Kind, Date string // Name, Kind and Date are "" for a file missing from the ledger
	}
)

// qualiteTriggers name what started a run, in French.
var qualiteTriggers = map[string]string{"manual": "manuel", "schedule": "planifié"}

// qualiteRunStatuses name how a run ended, in French.
var qualiteRunStatuses = map[string]string{"succeeded": "réussi", "unchanged": "rien de nouveau", "failed": "échoué", "running": "en cours"}

// qualiteKinds are the French names of the input kinds of ingest_files.
var qualiteKinds = map[string]string{
	"assessments": "autodiagnostics",
	"coverage":    "couverture",
	"venues":      "lieux de médiation",
	"mediators":   "conseillers numériques",
	"socio":       "données socio-démographiques",
}

// qualiteStatuses are the French names of the statuses of ingest_files.
var qualiteStatuses = map[string]string{
	"loaded": "chargé",
	"failed": "refusé",
}

// qualiteFindingLabels describe the kinds of quality findings (ingest's
// venues parser, ingest.FindingKinds; a test checks that every kind has one)
// in French.
var qualiteFindingLabels = map[string]string{
	"swapped_coordinates":                        "Latitude et longitude inversées, puis corrigées",
	"outside_polygons_placed_by_declared_code":   "Coordonnées hors des départements : lieu placé par son code de commune déclaré",
	"declared_departement_differs_from_geometry": "Code déclaré d’un autre département que les coordonnées (coordonnées retenues)",
	"commune_from_postal_code":                   "Commune trouvée par le code postal",
	"commune_from_name":                          "Commune trouvée par son nom",
	"commune_from_nearest_centroid":              "Commune approchée par le centre de commune le plus proche",
	"commune_unknown":                            "Commune inconnue",
	"duplicate_id_in_file":                       "Identifiant déjà présent plus haut dans le fichier : la dernière ligne remplace les précédentes",
	"mapped_column_absent":                       "En-tête sans une colonne prévue par la correspondance : champ laissé vide sur tout le fichier",
}

// HasFindingLabel reports whether a kind of quality finding has a French
// label of its own on the data-quality page and the département pages.
func HasFindingLabel(kind string) bool {
	_, quality := qualiteFindingLabels[kind]
	_, departement := findingLabels[kind]
	return quality && departement
}

func qualiteHTML(site Site) ([]byte, error) {
	q := site.Quality
	p := qualitePage{
		frame: frame{
			Title:     "Qualité des données — illectro",
			Nav:       "qualite",
			Sources:   site.Sources,
			Loaded:    loadedLines(site.LoadedFiles),
			Banner:    syntheticBanner(site.Synthetic),
			Generated: site.Generated,
		},
	}

	for _, f := range q.Freshness {
		date, datetime := qualiteDateTime(f.LatestLoaded)
		row := qualiteFreshness{Kind: qualiteName(qualiteKinds, f.Kind), File: fileName(f.LatestFile),
			Files: formatInt(f.Files), Date: date, DateTime: datetime, Vintage: frenchDate(f.Vintage)}
		if row.Vintage == "" {
			row.Vintage = "non déclaré"
		}
		if f.Withheld {
			// the day only, no file name nor count: statistical secrecy
			row.File, row.Files, row.Withheld = "", "", true
			p.AssessmentsWithheld = true
			if len(date) >= 10 && len(datetime) >= 10 {
				row.Date, row.DateTime = date[:10], datetime[:10]
			}
		}
		p.Freshness = append(p.Freshness, row)
	}
	for _, r := range q.Runs {
		started, startedTime := qualiteDateTime(r.Started)
		finished, finishedTime := qualiteDateTime(r.Finished)
		p.Runs = append(p.Runs, qualiteRun{ID: formatInt(r.ID), Trigger: qualiteName(qualiteTriggers, r.Trigger),
			Status: qualiteName(qualiteRunStatuses, r.Status), Failed: r.Status == "failed",
			Started: started, StartedTime: startedTime, Finished: finished, FinishedTime: finishedTime,
			Files: formatInt(r.Files), Rows: formatInt(r.RowsLoaded), Rejected: formatInt(r.RowsRejected), Release: r.Release})
		if r.Status == "failed" {
			p.Runs[len(p.Runs)-1].Error = RunErrorKindLabel(r.ErrorKind)
		}
	}

	refs := map[int64]qualiteFileRef{}
	failed := int64(0)
	for _, f := range q.Files {
		date, datetime := qualiteDateTime(f.StartedAt)
		row := qualiteFile{
			ID:   formatInt(f.FileID),
			Date: date, DateTime: datetime,
			Kind:   qualiteName(qualiteKinds, f.Kind),
			Name:   fileName(f.Name),
			Format: f.Format,
			Failed: f.Status == "failed",
			Status: qualiteName(qualiteStatuses, f.Status),

			Read:     formatInt(f.Read),
			Loaded:   formatInt(f.Loaded),
			Rejected: formatInt(f.Rejected),
		}
		row.RejectedShare = noData
		if f.Read > 0 {
			share := float64(f.Rejected) / float64(f.Read) * 100
			row.RejectedShare = formatDecimal(share, 1)
			if share > 0 && share < 0.05 {
				// Not "0,0": some rows were rejected.
				row.RejectedShare = "<\u00a00,1"
			}
		}
		if row.Failed {
			row.Error = FileErrorKindLabel(f.ErrorKind)
			failed++
		}
		p.Files = append(p.Files, row)
		if _, ok := refs[f.FileID]; !ok {
			ref := qualiteFileRef{Key: f.FileID, ID: row.ID, Name: row.Name, Kind: row.Kind, Date: date}
			if datetime != "" {
				ref.Date += " UTC"
			}
			refs[f.FileID] = ref
		}
	}
	p.Failed = formatInt(failed)
	ref := func(id int64) qualiteFileRef {
		if r, ok := refs[id]; ok {
			return r
		}
		return qualiteFileRef{Key: id, ID: formatInt(id)}
	}

	// Group by file, keeping the loader's order (the files' order).
	rejects := map[int64]int{}
	var rejectTotals []int64
	for _, r := range q.Rejects {
		i, ok := rejects[r.FileID]
		if !ok {
			i = len(p.Rejects)
			rejects[r.FileID] = i
			p.Rejects = append(p.Rejects, qualiteRejects{File: ref(r.FileID)})
			rejectTotals = append(rejectTotals, 0)
		}
		p.Rejects[i].Rows = append(p.Rejects[i].Rows, qualiteReject{Column: r.Column, Reason: RejectKindLabel(r.Kind), Rows: formatInt(r.Rows)})
		rejectTotals[i] += r.Rows
	}
	for i, n := range rejectTotals {
		p.Rejects[i].Total = formatInt(n)
	}

	noms := make(map[string]string, len(site.Departements))
	for _, d := range site.Departements {
		noms[d.Code] = d.Nom
	}
	findings := map[int64]int{}
	var findingTotals []int64
	for _, f := range q.Findings {
		i, ok := findings[f.FileID]
		if !ok {
			i = len(p.Findings)
			findings[f.FileID] = i
			p.Findings = append(p.Findings, qualiteFindings{File: ref(f.FileID)})
			findingTotals = append(findingTotals, 0)
		}
		dep := f.Departement
		if nom := noms[dep]; dep != "" && nom != "" {
			dep += " " + nom
		}
		p.Findings[i].Rows = append(p.Findings[i].Rows, qualiteFinding{
			Label: qualiteName(qualiteFindingLabels, f.Kind), Kind: f.Kind,
			Departement: dep, Rows: formatInt(f.Rows),
		})
		findingTotals[i] += f.Rows
	}
	for i, n := range findingTotals {
		p.Findings[i].Total = formatInt(n)
	}
	return execute("qualite.html.tmpl", p)
}

// qualiteName returns the French name of a code, or the code itself when it
// has none.
func qualiteName(names map[string]string, code string) string {
	if s, ok := names[code]; ok {
		return s
	}
	return code
}

// qualiteDateTime writes an RFC 3339 time as a French date and time in UTC,
// "02/01/2026 07:30", with the machine-readable value for <time>; anything
// else is shown as is, with no machine-readable value.
func qualiteDateTime(s string) (text, datetime string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s, ""
	}
	t = t.UTC()
	return t.Format("02/01/2006 15:04"), t.Format(time.RFC3339)
}
