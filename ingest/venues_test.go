package ingest

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	isql "github.com/illectro/illectro/sql"
)

// kmFrom reads "12.3 km from 59" in a finding's detail or a reject's reason.
var kmFrom = regexp.MustCompile(`([0-9.]+) km from (\S+?)[,;]`)

// TestVenueFarOutside: a venue whose coordinates lie in no département is
// placed by its declared code only within maxOutsideKm of that département
// (measured on the bundled shapes), else rejected; both say how far.
func TestVenueFarOutside(t *testing.T) {
	const csv = `id,nom,code_postal,code_insee,latitude,longitude
harbour,Port de Dunkerque,,59183,51.050395,2.395429
hoedic,Mairie de Hœdic,,56085,47.33587,-2.86174
biscay,Golfe de Gascogne,,56085,46.5,-4.0
null-island,Géocodage raté,59000,,0,0
`
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Venues, memFile("sea.csv", []byte(csv)))
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		ID, Departement, Placement string // "" when rejected
		Kind                       string // the finding's or the reject's
		From                       string // the département the distance is measured to
	}
	tests := []struct {
		line   int
		want   outcome
		km     [2]float64 // the distance stated, in km
		reject bool
	}{
		// 3 m beyond the simplified shoreline (from the bundled listing).
		{line: 2, want: outcome{"harbour", "59", "declared_code", findingPlacedByCode, "59"}, km: [2]float64{0, 0.05}},
		// An island the simplified shapes dropped: the farthest commune
		// centroid off its département's outline.
		{line: 3, want: outcome{"hoedic", "56", "declared_code", findingPlacedByCode, "56"}, km: [2]float64{14, 16}},
		{line: 4, want: outcome{Kind: ErrOutside.Code, From: "56"}, km: [2]float64{maxOutsideKm, 200}, reject: true},
		{line: 5, want: outcome{Kind: ErrOutside.Code, From: "59"}, km: [2]float64{5000, 6000}, reject: true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.line), func(t *testing.T) {
			var got outcome
			var text string
			if tt.reject {
				err = l.DB.QueryRowContext(t.Context(), "SELECT kind, reason FROM rejects WHERE file_id = ? AND line = ?", res.FileID, tt.line).Scan(&got.Kind, &text)
			} else {
				err = l.DB.QueryRowContext(t.Context(), `SELECT v.id, v.code_departement, v.placement, q.kind, q.detail
					FROM raw_venues AS v JOIN quality_findings AS q USING (file_id, line)
					WHERE file_id = ? AND line = ? AND q.kind = ?`, res.FileID, tt.line, findingPlacedByCode).
					Scan(&got.ID, &got.Departement, &got.Placement, &got.Kind, &text)
			}
			if err != nil {
				t.Fatalf("line %d: %v", tt.line, err)
			}
			m := kmFrom.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("line %d: %q states no distance", tt.line, text)
			}
			got.From = m[2]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("line %d (-want +got):\n%s", tt.line, diff)
			}
			if km, _ := strconv.ParseFloat(m[1], 64); km < tt.km[0] || km > tt.km[1] {
				t.Errorf("line %d: %q: distance %g km, want between %g and %g", tt.line, text, km, tt.km[0], tt.km[1])
			}
		})
	}
	if res.Loaded != 2 || res.Rejected != 2 {
		t.Errorf("loaded %d, rejected %d; want 2 and 2", res.Loaded, res.Rejected)
	}
}

// TestVenueDuplicateID: a venue id repeated in one file is a finding on
// each later row, naming the row it replaces; the last row is the one the
// views keep. A rejected row takes no id.
func TestVenueDuplicateID(t *testing.T) {
	const csv = `id,nom,code_insee,latitude,longitude
a,Premier,59350,50.6292,3.0573
b,Autre,59350,50.6292,3.0573
a,Deuxième,59350,50.6292,3.0573
a,Troisième,59350,50.6292,3.0573
c,,59350,50.6292,3.0573
c,Seul chargé,59350,50.6292,3.0573
`
	l := newTestLoader(t)
	res, err := l.Load(t.Context(), Venues, memFile("dup.csv", []byte(csv)))
	if err != nil {
		t.Fatal(err)
	}
	type found struct {
		Line       int
		ID, Detail string
	}
	rows, err := l.DB.QueryContext(t.Context(), "SELECT line, record_id, detail FROM quality_findings WHERE file_id = ? AND kind = ? ORDER BY line", res.FileID, findingDuplicateID)
	if err != nil {
		t.Fatal(err)
	}
	var got []found
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.Line, &f.ID, &f.Detail); err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	rows.Close()
	want := []found{
		{4, "a", `id "a" is also on line 2 of this file: this later row replaces it`},
		{5, "a", `id "a" is also on line 4 of this file: this later row replaces it`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("duplicate findings (-want +got):\n%s", diff)
	}
	if err := isql.BuildViews(t.Context(), l.DB, isql.Params{}); err != nil {
		t.Fatal(err)
	}
	var nom string
	if err := l.DB.QueryRowContext(t.Context(), "SELECT nom FROM stg_venues__venues WHERE id = 'a'").Scan(&nom); err != nil {
		t.Fatal(err)
	}
	if nom != "Troisième" {
		t.Errorf("stg_venues__venues keeps %q for id a, want the last row, Troisième", nom)
	}
}
