package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/illectro/illectro/synth"
)

// A file written by illectro gen is recorded as synthetic whatever its name
// (so that every page says so); a file with one real respondent among the
// generated ones, or none generated, is not.
func TestSyntheticMarker(t *testing.T) {
	var generic, pix bytes.Buffer
	if err := synth.FromEmbedded(&generic, synth.AssessmentsOptions{Rows: 50, Seed: 3}, synth.Assessments); err != nil {
		t.Fatal(err)
	}
	if err := synth.FromEmbedded(&pix, synth.AssessmentsOptions{Rows: 50, Seed: 3}, synth.PixAssessments); err != nil {
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
			res, err := l.Load(t.Context(), Assessments, memFile(tt.file, []byte(tt.body)))
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

// A changed pseudonymisation key is refused: the same respondents would be
// counted again under new pseudonyms (the issue measured 974 people becoming
// 1 948). The key check value recorded with a source's first real file
// tells, without revealing the key; a refused file stores nothing.
func TestChangedKeyRefused(t *testing.T) {
	var buf bytes.Buffer
	if err := synth.FromEmbedded(&buf, synth.AssessmentsOptions{Rows: 30, Seed: 5}, synth.Assessments); err != nil {
		t.Fatal(err)
	}
	real := strings.ReplaceAll(buf.String(), "SYN-", "R-") // no synthetic marker: real respondents
	file := func(name, body string) File { return memFile(name, []byte(body)) }
	l := newTestLoader(t)
	ctx := t.Context()
	rows := func() (n int) {
		if err := l.DB.QueryRowContext(ctx, `SELECT count(*) FROM raw_assessments`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := l.Load(ctx, Assessments, file("janvier.csv", real)); err != nil {
		t.Fatal(err)
	}
	before := rows()

	other := *l
	other.Key = []byte("another-key-0123456789")
	second := strings.Replace(real, "R-1,", "R-1000,", 1) // other bytes, the same people
	_, err := other.Load(ctx, Assessments, file("fevrier.csv", second))
	if !errors.Is(err, ErrFileKeyChanged) || !strings.Contains(err.Error(), KeyCheck(other.Key)) || !strings.Contains(err.Error(), KeyCheck(l.Key)) {
		t.Fatalf("load under another key: %v; want ErrFileKeyChanged naming both key checks", err)
	}
	if strings.Contains(err.Error(), string(other.Key)) || strings.Contains(err.Error(), string(l.Key)) {
		t.Errorf("the error shows a key: %v", err)
	}
	if n := rows(); n != before {
		t.Errorf("rows after the refused file: %d, want %d (nothing stored)", n, before)
	}
	// A synthetic file under the other key (the bundled sample's throwaway
	// key) is neither checked nor recorded; the original key still loads.
	if _, err := other.Load(ctx, Assessments, file("synthetic.csv", buf.String())); err != nil {
		t.Errorf("a synthetic file under another key: %v", err)
	}
	if _, err := l.Load(ctx, Assessments, file("fevrier.csv", second)); err != nil {
		t.Errorf("the original key again: %v", err)
	}
	if a, b := KeyCheck([]byte("k1-0123456789abcdef")), KeyCheck([]byte("k2-0123456789abcdef")); a == b || len(a) != 16 {
		t.Errorf("key checks %q and %q: want 16 hex digits, distinct", a, b)
	}
}
