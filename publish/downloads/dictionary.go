package downloads

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
)

// dictionaryName is the file name of the published data dictionary.
const dictionaryName = "dictionnaire_donnees.csv"

// dictionaryCSV is the data dictionary, the one source of what each column
// of each download means: published as is (dictionnaire_donnees.csv), as the
// second sheet of each .xlsx, and on the methodology page. A test fails when
// a download has a column it does not list, or when it lists one no download
// has.
//
//go:embed dictionnaire_donnees.csv
var dictionaryCSV []byte

// dictionaryHeader is the header line of dictionaryCSV, in French: it is
// published.
var dictionaryHeader = []string{"fichier", "colonne", "libelle", "unite", "definition", "source"}

// Column describes one column of a download, as the data dictionary has it.
type Column struct {
	// File names the download without its format: "indicateurs_departements"
	// stands for indicateurs_departements.csv, _excel.csv, .parquet and .xlsx.
	File string
	// Name is the column's name in the file (a property for GeoJSON).
	Name string
	// Label, Unit, Definition and Source are in French. Unit is "part (0–1)"
	// for a proportion, which the column's name then says with "share".
	Label, Unit, Definition, Source string
}

// Dictionary returns the data dictionary: every column of every download,
// in the order of the files and of their columns. The dictionary is
// embedded in the binary: an error means a malformed file, which the tests
// catch.
func Dictionary() ([]Column, error) {
	r := csv.NewReader(bytes.NewReader(dictionaryCSV))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("data dictionary: %w", err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], dictionaryHeader) {
		return nil, fmt.Errorf("data dictionary: header is not %v", dictionaryHeader)
	}
	cols := make([]Column, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		cols = append(cols, Column{File: rec[0], Name: rec[1], Label: rec[2], Unit: rec[3], Definition: rec[4], Source: rec[5]})
	}
	return cols, nil
}

// columnsOf returns the columns of dict that describe file, by name.
func columnsOf(dict []Column, file string) map[string]Column {
	m := map[string]Column{}
	for _, c := range dict {
		if c.File == file {
			m[c.Name] = c
		}
	}
	return m
}

// writeDictionary publishes the data dictionary as embedded and returns its
// number of columns described.
func writeDictionary(_ context.Context, _ *sql.DB, path string) (int, error) {
	dict, err := Dictionary()
	if err != nil {
		return 0, err
	}
	return len(dict), os.WriteFile(path, dictionaryCSV, 0o644)
}
