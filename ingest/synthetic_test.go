package ingest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/synth"
)

// A file written by illectro gen is recorded as synthetic whatever its name
// (so that every page says so); a file with one real respondent among the
// generated ones, or none generated, is not.
func TestSyntheticMarker(t *testing.T) {
	communes, err := geo.Communes()
	if err != nil {
		t.Fatal(err)
	}
	centroids, err := geo.Centroids()
	if err != nil {
		t.Fatal(err)
	}
	var generic, pix bytes.Buffer
	if err := synth.Assessments(&generic, communes, centroids, synth.AssessmentsOptions{Rows: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := synth.PixAssessments(&pix, communes, centroids, synth.AssessmentsOptions{Rows: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(generic.String(), "\n")
	oneReal := strings.Join(lines[:3], "") + strings.Replace(lines[3], "SYN-3,", "A-12,", 1) + strings.Join(lines[4:], "")
	noneMarked := strings.ReplaceAll(generic.String(), "SYN-", "R-")
	if oneReal == generic.String() {
		t.Fatal("the test did not replace an id")
	}

	tests := []struct {
		name, file, body string
		want             bool
	}{
		{"generated, any name", "export_mairie.csv", generic.String(), true},
		{"generated Pix Orga export", "collecte.csv", pix.String(), true},
		{"one real respondent", "mixed.csv", oneReal, false},
		{"no marker", "real.csv", noneMarked, false},
	}
	l := newTestLoader(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			f := File{Name: tt.file, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }}
			res, err := l.Load(t.Context(), Assessments, f)
			if err != nil {
				t.Fatal(err)
			}
			if res.Loaded == 0 || res.Synthetic != tt.want {
				t.Errorf("loaded %d rows, synthetic = %v, want %v", res.Loaded, res.Synthetic, tt.want)
			}
			var n int
			if err := l.DB.QueryRowContext(t.Context(), `SELECT count(*) FROM ingest_synthetic_files WHERE file_id = ?`, res.FileID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if (n == 1) != tt.want {
				t.Errorf("ingest_synthetic_files holds the file %d time(s), want synthetic = %v", n, tt.want)
			}
		})
	}
}
