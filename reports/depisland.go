package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The data island of a département page (departement.js reads it) is
// written compactly: Nord's page has 1 700 points, and writing each as
// {"value": …, "texte": "Population : …", …} made the island 257 kB. Each
// layer gives the start of each line of its tooltips once (libelles), and
// each point is an array:
//
//	[longitude, latitude, [texts…], size, colour, label]
//
// where texts[i] follows libelles[i] on a line of the tooltip (an empty
// text, no line), size is the symbol's size in pixels (0: the series'),
// colour an index in couleurs (-1: the series'), label the name written
// beside the point; trailing elements left out when unset. Positions are
// rounded to 5 decimals (about a metre).

// Tooltip line starts of each layer.
var (
	communeLabels = []string{"", "Population : ", "Personnes estimées en illectronisme : ", "Indice de fragilité : ", "Lieux de médiation numérique : "}
	venueLabels   = []string{"", "", ""}
	epciLabels    = []string{"", "", "Personnes estimées en illectronisme : ", "Part estimée des 15 ans ou plus : ", ""}
)

// depIsland is the data of departement.js, by layer.
type depIsland struct {
	Communes, Lieux, EPCI []depPoint
}

// depPoint is one point of a layer: its position, its tooltip's texts (one
// per line start of the layer), and its style.
type depPoint struct {
	Value     [2]float64 // longitude, latitude
	Texts     []string   // after each of the layer's labels; "" leaves the line out
	Texte     string     // the tooltip, one line per text (decoded from the JSON; tooltipText)
	Taille    float64    // symbol size in pixels, 0 for the series'
	Couleur   string     // fill, one of decilePalette, "" for the series'
	Etiquette string     // the name written beside the point (the most populous communes)
}

// tooltipText is a tooltip: labels[i] + texts[i], one line per non-empty text.
func tooltipText(labels, texts []string) string {
	var lines []string
	for i, t := range texts {
		if t != "" && i < len(labels) {
			lines = append(lines, labels[i]+t)
		}
	}
	return strings.Join(lines, "\n")
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

type depLayerJSON struct {
	Libelles []string `json:"libelles"`
	Points   [][]any  `json:"points"`
}

type depIslandJSON struct {
	Couleurs []string     `json:"couleurs"`
	Communes depLayerJSON `json:"communes"`
	Lieux    depLayerJSON `json:"lieux"`
	EPCI     depLayerJSON `json:"intercommunalites"`
}

// MarshalJSON writes the island compactly (see the comment above).
func (isl depIsland) MarshalJSON() ([]byte, error) {
	layer := func(labels []string, pts []depPoint) (depLayerJSON, error) {
		l := depLayerJSON{Libelles: labels, Points: make([][]any, 0, len(pts))}
		for _, p := range pts {
			texts := p.Texts
			for len(texts) > 0 && texts[len(texts)-1] == "" {
				texts = texts[:len(texts)-1]
			}
			if len(texts) > len(labels) {
				return l, fmt.Errorf("point with %d texts for %d labels", len(texts), len(labels))
			}
			a := []any{round5(p.Value[0]), round5(p.Value[1]), append([]string{}, texts...)}
			colour := -1
			if p.Couleur != "" {
				if colour = slices.Index(decilePalette, p.Couleur); colour < 0 {
					return l, fmt.Errorf("colour %q is not in the palette", p.Couleur)
				}
			}
			switch {
			case p.Etiquette != "":
				a = append(a, p.Taille, colour, p.Etiquette)
			case colour >= 0:
				a = append(a, p.Taille, colour)
			case p.Taille > 0:
				a = append(a, p.Taille)
			}
			l.Points = append(l.Points, a)
		}
		return l, nil
	}
	var out depIslandJSON
	var err error
	out.Couleurs = decilePalette
	if out.Communes, err = layer(communeLabels, isl.Communes); err != nil {
		return nil, err
	}
	if out.Lieux, err = layer(venueLabels, isl.Lieux); err != nil {
		return nil, err
	}
	if out.EPCI, err = layer(epciLabels, isl.EPCI); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the island as departement.js does (tests).
func (isl *depIsland) UnmarshalJSON(b []byte) error {
	var in depIslandJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	layer := func(l depLayerJSON) ([]depPoint, error) {
		pts := make([]depPoint, 0, len(l.Points))
		for _, a := range l.Points {
			if len(a) < 3 {
				return nil, fmt.Errorf("point %v: want at least 3 elements", a)
			}
			var p depPoint
			p.Value[0], _ = a[0].(float64)
			p.Value[1], _ = a[1].(float64)
			texts, _ := a[2].([]any)
			for _, t := range texts {
				s, _ := t.(string)
				p.Texts = append(p.Texts, s)
			}
			p.Texte = tooltipText(l.Libelles, p.Texts)
			if len(a) > 3 {
				p.Taille, _ = a[3].(float64)
			}
			if len(a) > 4 {
				if c, _ := a[4].(float64); c >= 0 && int(c) < len(in.Couleurs) {
					p.Couleur = in.Couleurs[int(c)]
				}
			}
			if len(a) > 5 {
				p.Etiquette, _ = a[5].(string)
			}
			pts = append(pts, p)
		}
		return pts, nil
	}
	var err error
	if isl.Communes, err = layer(in.Communes); err != nil {
		return err
	}
	if isl.Lieux, err = layer(in.Lieux); err != nil {
		return err
	}
	isl.EPCI, err = layer(in.EPCI)
	return err
}
