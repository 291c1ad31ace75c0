package samples

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/synth"
)

// The bundled synthetic file is exactly what `illectro gen` produces for its
// documented parameters, so anyone can regenerate and check it.
func TestSyntheticAssessmentsReproducible(t *testing.T) {
	communes, err := geo.Communes()
	if err != nil {
		t.Fatal(err)
	}
	centroids, err := geo.Centroids()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := synth.Assessments(&buf, communes, centroids, synth.AssessmentsOptions{Rows: SyntheticRows, Seed: SyntheticSeed}); err != nil {
		t.Fatal(err)
	}
	bundled, err := fs.ReadFile(FS, SyntheticAssessments)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), bundled) {
		t.Errorf("%s differs from `illectro gen assessments --rows %d --seed %d`; regenerate it", SyntheticAssessments, SyntheticRows, SyntheticSeed)
	}
}

func TestFilesExist(t *testing.T) {
	for _, f := range Files {
		if _, err := fs.Stat(FS, f.Name); err != nil {
			t.Errorf("sample %s (%s): %v", f.Name, f.Kind, err)
		}
	}
}
