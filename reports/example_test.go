package reports_test

import (
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/illectro/illectro/figures"
	"github.com/illectro/illectro/reports"
)

func ExampleRender() {
	dir, err := os.MkdirTemp("", "illectro-site")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	share, premises := 0.1234, int64(412345)
	site := reports.Site{
		Departements: []figures.Departement{{
			Code: "01", Nom: "Ain", CodeRegion: "84", NomRegion: "Auvergne-Rhône-Alpes",
			Population: 679344, Premises: &premises, SharePremisesBelow30Mbps: &share,
		}},
		MapGeoJSON: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",` +
			`"properties":{"name":"01"},"geometry":{"type":"Polygon",` +
			`"coordinates":[[[5,46],[6,46],[6,46.5],[5,46.5],[5,46]]]}}]}`),
		Generated:        "2026-11-23",
		SecrecyThreshold: 11,
	}
	if err := reports.Render(dir, site); err != nil {
		log.Fatal(err)
	}

	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			fmt.Println(filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// assets/LICENSE-echarts.txt
	// assets/NOTICE-echarts.txt
	// assets/carte.js
	// assets/departement.js
	// assets/departements.js
	// assets/echarts.min.js
	// assets/recherche-donnees.js
	// assets/recherche.js
	// assets/style.css
	// assets/tableau.js
	// index.html
	// methodologie.html
	// qualite.html
}
