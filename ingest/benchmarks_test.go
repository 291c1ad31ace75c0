package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
	"github.com/illectro/illectro/synth"
)

// benchRows is the size of the generated file the load benchmarks use.
const benchRows = 200_000

func benchFile(b *testing.B) string {
	b.Helper()
	communes, err := geo.Communes()
	if err != nil {
		b.Fatal(err)
	}
	centroids, err := geo.Centroids()
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := synth.Assessments(&buf, communes, centroids, synth.AssessmentsOptions{Rows: benchRows, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "assessments.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkLoadAssessments is our path: read, map, validate, pseudonymise,
// score, build Arrow batches, insert, commit and checkpoint.
func BenchmarkLoadAssessments(b *testing.B) {
	path := benchFile(b)
	ref := testReference(b)
	codes, index := geo.NewCodes(ref.COG, ref.Movements), geo.NewIndex(ref.Departements)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		db, err := isql.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("b%d.duckdb", i)), isql.Options{})
		if err != nil {
			b.Fatal(err)
		}
		l := &Loader{DB: db, Codes: codes, Index: index, Postal: ref.PostalCodes, Key: []byte("bench-key-0123456789")}
		res, err := l.Load(context.Background(), Assessments, OSFile(path))
		if err != nil || res.Loaded != benchRows {
			b.Fatalf("load: %+v, %v", res, err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadCSV is the baseline: DuckDB's own CSV reader on the same file,
// typed columns, no validation, commit and checkpoint.
func BenchmarkReadCSV(b *testing.B) {
	path := benchFile(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		db, err := isql.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("b%d.duckdb", i)), isql.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(fmt.Sprintf(isql.BenchReadCSV, "'"+path+"'")); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
