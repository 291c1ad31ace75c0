package diagnostics

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/paulmach/orb"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
)

// AllVenues is the venue group of every venue, whatever its programmes.
const AllVenues = "all"

// ComputeAccess measures, from every commune centroid, the great-circle
// distance to the nearest venue, among all venues and among the venues of
// each national programme, and rewrites diag_centroid_access with it in one
// transaction. The views must have been built (isql.BuildViews); codes maps
// the centroids' 2024 codes to current communes.
func ComputeAccess(ctx context.Context, db *gosql.DB, codes *geo.Codes) error {
	groups, err := venueGroups(ctx, db)
	if err != nil {
		return err
	}
	centroids, err := readCentroids(ctx, db, codes)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)

	return isql.InTx(ctx, db, func(conn *gosql.Conn) error {
		if _, err := conn.ExecContext(ctx, "DELETE FROM diag_centroid_access"); err != nil {
			return fmt.Errorf("access: %w", err)
		}
		err := conn.Raw(func(dc any) error {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "diag_centroid_access")
			if err != nil {
				return err
			}
			for _, name := range names {
				g := groups[name]
				near := geo.NewNearest(g.points)
				for _, c := range centroids {
					var id, km any
					if i, d, ok := near.Find(c.point); ok {
						id, km = g.ids[i], d
					}
					if err := a.AppendRow(c.code, c.current, c.departement, c.population, name, id, km); err != nil {
						a.Close()
						return err
					}
				}
			}
			return a.Close()
		})
		if err != nil {
			return fmt.Errorf("access: %w", err)
		}
		return nil
	})
}

type venueGroup struct {
	ids    []string
	points []orb.Point
}

// venueGroups reads the venues by group, as sql/queries/access_venues.sql
// names them: "all", one group per national programme, France Services
// from the lists of its sites.
func venueGroups(ctx context.Context, db *gosql.DB) (map[string]*venueGroup, error) {
	rows, err := db.QueryContext(ctx, isql.AccessVenuesQuery)
	if err != nil {
		return nil, fmt.Errorf("access: read venues: %w", err)
	}
	defer rows.Close()
	groups := map[string]*venueGroup{AllVenues: {}}
	for rows.Next() {
		var id, in string
		var lon, lat float64
		if err := rows.Scan(&id, &lon, &lat, &in); err != nil {
			return nil, fmt.Errorf("access: read venues: %w", err)
		}
		p := orb.Point{lon, lat}
		for _, n := range strings.Split(in, "|") {
			g := groups[n]
			if g == nil {
				g = &venueGroup{}
				groups[n] = g
			}
			g.ids = append(g.ids, id)
			g.points = append(g.points, p)
		}
	}
	return groups, rows.Err()
}

type centroid struct {
	code, current, departement string
	point                      orb.Point
	population                 int64
}

// readCentroids reads the commune centroids and resolves each to its
// current commune; a centroid whose code no longer resolves is an error (the
// reference data would be inconsistent).
func readCentroids(ctx context.Context, db *gosql.DB, codes *geo.Codes) ([]centroid, error) {
	rows, err := db.QueryContext(ctx, isql.AccessCentroidsQuery)
	if err != nil {
		return nil, fmt.Errorf("access: read centroids: %w", err)
	}
	defer rows.Close()
	var out []centroid
	for rows.Next() {
		var c centroid
		var lon, lat float64
		if err := rows.Scan(&c.code, &lon, &lat, &c.population); err != nil {
			return nil, fmt.Errorf("access: read centroids: %w", err)
		}
		res, err := codes.Resolve(c.code)
		if err != nil {
			return nil, fmt.Errorf("access: centroid %s: %w", c.code, err)
		}
		c.current, c.departement, c.point = res.Code, res.Departement, orb.Point{lon, lat}
		out = append(out, c)
	}
	return out, rows.Err()
}
