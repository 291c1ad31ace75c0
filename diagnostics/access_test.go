package diagnostics_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
	isql "github.com/illectro/illectro/sql"
)

// TestComputeAccess places three venues, computes access with the Go index,
// and checks every centroid's distance against a brute-force haversine
// written independently in SQL, then the mart's population beyond 10 km
// against a direct sum.
func TestComputeAccess(t *testing.T) {
	ctx := t.Context()
	db, err := isql.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ref, err := ingest.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.StoreReference(ctx, db, ref); err != nil {
		t.Fatal(err)
	}
	mustExec := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Lille's town hall, Arras, and Saint-Denis de La Réunion, in a listing
	// that tags two of them France Services; and a list of France Services
	// sites (every venue of the programme) with one site, in Lens.
	mustExec(`INSERT INTO ingest_files VALUES (1, 'venues', 'v.csv', 'x', 0, 3, 3, 0, NULL, NULL, now(), now(), 'loaded', NULL, NULL),
		(2, 'venues', 'fs.csv', 'y', 0, 1, 1, 0, NULL, NULL, now(), now(), 'loaded', NULL, NULL)`)
	mustExec(`INSERT INTO raw_venues VALUES
		(2, 2, 'fs-lens', 'France services de Lens', NULL, NULL, NULL, NULL, 2.8319, 50.4322, NULL, NULL, NULL, 'France Services', '62', '62498', 'geometry', 'declared_code')`)
	mustExec(`INSERT INTO raw_venues VALUES
		(1, 2, 'lille', 'A', NULL, NULL, NULL, NULL, 3.0703, 50.6311, NULL, NULL, NULL, 'France Services', '59', '59350', 'geometry', 'declared_code'),
		(1, 3, 'arras', 'B', NULL, NULL, NULL, NULL, 2.7775, 50.2910, NULL, NULL, NULL, 'Conseillers numériques|France Services', '62', '62041', 'geometry', 'declared_code'),
		(1, 4, 'reunion', 'C', NULL, NULL, NULL, NULL, 55.4504, -20.8789, NULL, NULL, NULL, NULL, '974', '97411', 'geometry', 'declared_code')`)
	p := isql.Params{}
	if err := isql.BuildViews(ctx, db, p); err != nil {
		t.Fatal(err)
	}
	if err := diagnostics.ComputeAccess(ctx, db, geo.NewCodes(ref.COG, ref.Movements)); err != nil {
		t.Fatal(err)
	}
	// Haversine, R = 6371.0088 km, over every venue of each group: all of
	// them; Arras for the conseillers numériques; the Lens site alone for
	// France Services (the other listing's tags do not make sites).
	var n int
	var worst float64
	err = db.QueryRowContext(ctx, `
		WITH venues AS (
		    SELECT id, longitude, latitude, 'all' AS grp FROM raw_venues
		    UNION ALL
		    SELECT id, longitude, latitude, 'Conseillers numériques' FROM raw_venues
		    WHERE dispositif_programmes_nationaux LIKE '%Conseillers numériques%'
		    UNION ALL
		    SELECT id, longitude, latitude, 'France Services' FROM raw_venues WHERE file_id = 2
		), brute AS (
		    SELECT c.code_insee, v.grp,
		           min(2 * 6371.0088 * asin(sqrt(
		               pow(sin(radians(v.latitude - c.latitude) / 2), 2)
		               + cos(radians(c.latitude)) * cos(radians(v.latitude)) * pow(sin(radians(v.longitude - c.longitude) / 2), 2)))) AS km
		    FROM ref_commune_centroids AS c CROSS JOIN venues AS v
		    GROUP BY ALL
		)
		SELECT count(*), max(abs(a.distance_km - b.km))
		FROM diag_centroid_access AS a
		JOIN brute AS b ON b.code_insee = a.centroid_code AND b.grp = a.venue_group`).Scan(&n, &worst)
	if err != nil {
		t.Fatal(err)
	}
	// 34 973 centroids × 3 groups with venues (all, France Services, Conseillers numériques).
	if n != 3*34973 || worst > 1e-6 {
		t.Errorf("compared %d centroid distances, worst difference %g km; want %d and ≤ 1e-6", n, worst, 3*34973)
	}
	if err := isql.BuildMarts(ctx, db, p); err != nil {
		t.Fatal(err)
	}
	var beyond, direct int64
	db.QueryRowContext(ctx, `SELECT population_beyond_10km FROM mart_departement WHERE code_departement = '62'`).Scan(&beyond)
	db.QueryRowContext(ctx, `SELECT sum(population_2021) FROM diag_centroid_access
		WHERE code_departement = '62' AND venue_group = 'all' AND distance_km > 10`).Scan(&direct)
	if beyond != direct || beyond == 0 {
		t.Errorf("Pas-de-Calais beyond 10 km = %d, direct sum %d", beyond, direct)
	}
	var lille float64
	db.QueryRowContext(ctx, `SELECT distance_km FROM diag_centroid_access WHERE centroid_code = '59350' AND venue_group = 'all'`).Scan(&lille)
	if math.IsNaN(lille) || lille > 2 {
		t.Errorf("Lille's centroid is %g km from the venue at its town hall, want < 2", lille)
	}
}
