package diagnostics

import (
	"context"
	gosql "database/sql"
	"fmt"
	"time"

	isql "github.com/illectro/illectro/sql"
)

// LoadQuality reads the ingest ledger for the data-quality page: every file
// attempt (newest first: started_at, then file id, descending), its rejected
// rows counted by column and reason, and the quality findings on its loaded
// rows counted by kind and département, both in the order of the files. It
// never reads the rejected values (rejects.value), which may be personal
// data, nor the findings' details, which quote the rows; a reason that
// quotes the value (ingest's 'lookup "59999": …') comes without it.
func LoadQuality(ctx context.Context, db *gosql.DB) (Quality, error) {
	var q Quality
	err := eachRow(ctx, db, isql.QualityFilesQuery, func(rows *gosql.Rows) error {
		var f QualityFile
		var started time.Time
		if err := rows.Scan(&f.FileID, &f.Kind, &f.Name, &f.Format, &f.Status, &f.Error,
			&started, &f.Read, &f.Loaded, &f.Rejected); err != nil {
			return err
		}
		f.StartedAt = started.UTC().Format(time.RFC3339)
		q.Files = append(q.Files, f)
		return nil
	})
	if err != nil {
		return Quality{}, fmt.Errorf("read ingest files: %w", err)
	}
	err = eachRow(ctx, db, isql.QualityFreshnessQuery, func(rows *gosql.Rows) error {
		var f Freshness
		var loaded time.Time
		var files gosql.NullInt64
		var latest gosql.NullString
		if err := rows.Scan(&f.Kind, &files, &latest, &loaded); err != nil {
			return err
		}
		f.Files, f.LatestFile, f.Withheld = files.Int64, latest.String, !files.Valid
		f.LatestLoaded = loaded.UTC().Format(time.RFC3339)
		q.Freshness = append(q.Freshness, f)
		return nil
	})
	if err != nil {
		return Quality{}, fmt.Errorf("read data freshness: %w", err)
	}
	err = eachRow(ctx, db, isql.QualityRunsQuery, func(rows *gosql.Rows) error {
		var r Run
		var started time.Time
		var finished gosql.NullTime
		if err := rows.Scan(&r.ID, &r.Trigger, &started, &finished, &r.Status, &r.Error,
			&r.Files, &r.RowsLoaded, &r.RowsRejected, &r.Release); err != nil {
			return err
		}
		r.Started = started.UTC().Format(time.RFC3339)
		if finished.Valid {
			r.Finished = finished.Time.UTC().Format(time.RFC3339)
		}
		q.Runs = append(q.Runs, r)
		return nil
	})
	if err != nil {
		return Quality{}, fmt.Errorf("read runs: %w", err)
	}
	err = eachRow(ctx, db, isql.QualityRejectsQuery, func(rows *gosql.Rows) error {
		var r RejectCount
		if err := rows.Scan(&r.FileID, &r.Column, &r.Reason, &r.Rows); err != nil {
			return err
		}
		q.Rejects = append(q.Rejects, r)
		return nil
	})
	if err != nil {
		return Quality{}, fmt.Errorf("read rejects: %w", err)
	}
	err = eachRow(ctx, db, isql.QualityFindingsQuery, func(rows *gosql.Rows) error {
		var f FindingCount
		if err := rows.Scan(&f.FileID, &f.Kind, &f.Departement, &f.Rows); err != nil {
			return err
		}
		q.Findings = append(q.Findings, f)
		return nil
	})
	if err != nil {
		return Quality{}, fmt.Errorf("read quality findings: %w", err)
	}
	return q, nil
}
