// Package downloads writes the open-data files published beside the report,
// from the marts of a built database: the indicators of each département,
// EPCI and commune (as CSV, as CSV for French Excel, as .xlsx, and for the
// départements as Parquet), the digital mediation venues (GeoJSON), and the
// data dictionary describing every column of them (CSV).
//
// A proportion from 0 to 1 has "share" in its column name (never "rate"): the
// pages show percentages, the files do not.
//
// The same database content always gives byte-identical files: every query
// has an ORDER BY, numbers are spelled by Go (never by a locale), DuckDB
// writes no timestamp into Parquet files, and the .xlsx zips carry a fixed
// time.
package downloads

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/illectro/illectro/internal/atomicfile"
	isql "github.com/illectro/illectro/sql"
)

// File is one download that Write wrote.
type File struct {
	Name   string // file name, relative to the directory given to Write
	Title  string // short French description for the download list of the page
	Format string // format as shown to readers, e.g. "CSV" or "GeoJSON"
	Bytes  int64  // size of the file
	Rows   int    // data rows (header excluded), or features for GeoJSON
}

// download is one file that Write produces: its name, its description, and
// the function that writes it to a path and returns its number of rows.
type download struct {
	name, title, format string
	write               func(ctx context.Context, db *sql.DB, path string) (int, error)
}

// Formats of the spreadsheet-friendly files, as shown to readers.
const (
	formatExcelCSV = "CSV pour Excel, séparateur point-virgule ; les codes peuvent perdre leur zéro initial : préférez le fichier .xlsx"
	formatXLSX     = "XLSX, codes en texte, dictionnaire des colonnes en seconde feuille"
)

// downloads are the files Write produces, in the order it returns them.
// The data dictionary (dictionnaire_donnees.csv) describes every column of
// every file but itself.
var downloads = []download{
	{
		name:   "indicateurs_departements.csv",
		title:  "Indicateurs par département (CSV)",
		format: "CSV",
		write:  csvWriter(isql.DownloadDepartementsQuery, plain),
	},
	{
		name:   "indicateurs_departements.xlsx",
		title:  "Indicateurs par département (Excel)",
		format: formatXLSX,
		write:  xlsxWriter(isql.DownloadDepartementsQuery, "indicateurs_departements", "départements"),
	},
	{
		name:   "indicateurs_departements_excel.csv",
		title:  "Indicateurs par département (CSV pour Excel)",
		format: formatExcelCSV,
		write:  csvWriter(isql.DownloadDepartementsQuery, excel),
	},
	{
		name:   "indicateurs_departements.parquet",
		title:  "Indicateurs par département (Parquet)",
		format: "Parquet",
		write:  parquetWriter(isql.DownloadDepartementsQuery),
	},
	{
		name:   "indicateurs_communes.csv",
		title:  "Indicateurs par commune (CSV)",
		format: "CSV",
		write:  csvWriter(isql.DownloadCommunesQuery, plain),
	},
	{
		name:   "indicateurs_communes.xlsx",
		title:  "Indicateurs par commune (Excel)",
		format: formatXLSX,
		write:  xlsxWriter(isql.DownloadCommunesQuery, "indicateurs_communes", "communes"),
	},
	{
		name:   "indicateurs_communes_excel.csv",
		title:  "Indicateurs par commune (CSV pour Excel)",
		format: formatExcelCSV,
		write:  csvWriter(isql.DownloadCommunesQuery, excel),
	},
	{
		name:   "indicateurs_epci.csv",
		title:  "Indicateurs par intercommunalité (EPCI, CSV)",
		format: "CSV",
		write:  csvWriter(isql.DownloadEPCIQuery, plain),
	},
	{
		name:   "indicateurs_epci.xlsx",
		title:  "Indicateurs par intercommunalité (EPCI, Excel)",
		format: formatXLSX,
		write:  xlsxWriter(isql.DownloadEPCIQuery, "indicateurs_epci", "EPCI"),
	},
	{
		name:   "indicateurs_epci_excel.csv",
		title:  "Indicateurs par intercommunalité (EPCI, CSV pour Excel)",
		format: formatExcelCSV,
		write:  csvWriter(isql.DownloadEPCIQuery, excel),
	},
	{
		name:   "lieux_mediation.geojson",
		title:  "Lieux de médiation numérique (GeoJSON)",
		format: "GeoJSON",
		write:  writeVenues,
	},
	{
		name:   dictionaryName,
		title:  "Dictionnaire des données : libellé, unité, définition et source de chaque colonne (CSV)",
		format: "CSV",
		write:  writeDictionary,
	},
}

// Write writes the download files into dir (created if missing) from the
// marts of db, and returns them, named relative to dir, in a fixed order.
// Each file replaces any previous one atomically: a failure leaves the file
// as it was, never half-written, and Write stops at the first failure: the
// files before it are replaced, it and those after it are left as they were.
//
// The files are written on runtime.GOMAXPROCS(0) goroutines (the communes'
// workbook alone takes as long as all the others), each into its temporary
// file, but put in place one after the other in order, each once those
// before it are: so the outcome of a failure is that of writing them one by
// one.
func Write(ctx context.Context, db *sql.DB, dir string) ([]File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write downloads: %w", err)
	}
	files := make([]File, len(downloads))
	errs := make([]error, len(downloads))
	done := make([]chan struct{}, len(downloads)) // closed once the file is in place, or not to be
	for i := range done {
		done[i] = make(chan struct{})
	}
	slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var failed atomic.Bool
	var wg sync.WaitGroup
	started := 0
	for i, d := range downloads {
		slots <- struct{}{}
		if failed.Load() {
			<-slots
			break
		}
		started++
		wg.Go(func() {
			defer close(done[i])
			// The slot is given back once the file is written (or could
			// not be started), before waiting for those before it to be
			// in place.
			freed := false
			free := func() {
				if !freed {
					freed = true
					<-slots
				}
			}
			defer free()
			files[i], errs[i] = d.writeInto(ctx, db, dir, func(err error) error {
				free()
				if err != nil {
					failed.Store(true)
					return err
				}
				if i > 0 {
					<-done[i-1]
					if errs[i-1] != nil {
						return errNotPlaced // an earlier file failed
					}
				}
				return nil
			})
			if errs[i] != nil {
				failed.Store(true)
			}
		})
	}
	wg.Wait()
	for i, err := range errs[:started] {
		if err != nil && err != errNotPlaced {
			return nil, fmt.Errorf("write %s: %w", downloads[i].name, err)
		}
	}
	return files, nil
}

// errNotPlaced is the error of a file written but not put in place because
// an earlier file failed.
var errNotPlaced = errors.New("not placed: an earlier download failed")

// writeInto writes d into dir and describes the file written. Once d is
// written into its temporary file, place is called with the error of the
// writing: d is put in place only if place returns nil; its error is then
// writeInto's.
func (d download) writeInto(ctx context.Context, db *sql.DB, dir string, place func(error) error) (File, error) {
	f := File{Name: d.name, Title: d.title, Format: d.format}
	path := filepath.Join(dir, d.name)
	err := replace(path, func(tmp string) error {
		var err error
		f.Rows, err = d.write(ctx, db, tmp)
		return place(err)
	})
	if err != nil {
		return f, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return f, err
	}
	f.Bytes = info.Size()
	return f, nil
}

// replace creates path through a temporary sibling that write fills by
// name, renamed over path only once write succeeds: readers see the old
// file or the new one, and a failure leaves no temporary file behind.
// Downloads are for everyone: mode 0644.
func replace(path string, write func(tmp string) error) error {
	return atomicfile.Replace(path, 0o644, func(f *os.File) error {
		if err := f.Close(); err != nil {
			return err
		}
		return write(f.Name())
	})
}

// parquetWriter returns a function that writes the rows of query to a
// Parquet file through DuckDB's COPY (see sql/queries/download_parquet.sql).
// DuckDB maps the column types, and the output is byte-identical for the
// same rows (checked by the tests).
func parquetWriter(query string) func(ctx context.Context, db *sql.DB, path string) (int, error) {
	return func(ctx context.Context, db *sql.DB, path string) (int, error) {
		res, err := db.ExecContext(ctx, fmt.Sprintf(isql.DownloadParquet, query), path)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		return int(n), err
	}
}
