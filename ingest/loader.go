// Package ingest loads input files into the raw tables of the DuckDB
// database: one file per source kind, each validated row by row, with the
// territory codes resolved through the geo package.
//
// Guarantees, for every kind: a file is loaded in one transaction (all its
// good rows or none); a file whose bytes were already loaded (same sha256) is
// skipped; every bad row lands in the rejects table with its line, column,
// value and reason; rows read = rows loaded + rows rejected, recorded per file
// in ingest_files. A file-level problem (unreadable, missing mandatory column)
// loads nothing and is recorded as a failed attempt with its reason and the
// reason's kind (FileErrorKind).
package ingest

import (
	"context"
	"crypto/sha256"
	gosql "database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/illectro/illectro/geo"
	isql "github.com/illectro/illectro/sql"
)

// Kind names an input source kind.
type Kind string

// The input kinds.
const (
	Assessments Kind = "assessments"
	Coverage    Kind = "coverage"
	Venues      Kind = "venues"
	Mediators   Kind = "mediators"
	Socio       Kind = "socio"
)

// Kinds lists the kinds ingest can load, in the order a run loads them.
var Kinds = []Kind{Coverage, Venues, Mediators, Socio, Assessments}

// ParseKind checks a kind name given by a user.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown input kind %q (want one of assessments, coverage, venues, mediators, socio)", s)
}

// File is one input file: a name for the ledger and messages, and a way to
// read its bytes (twice: once for the checksum, once to load).
type File struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// OSFile is a file on disk, named by its base name.
func OSFile(path string) File {
	return File{Name: filepath.Base(path), Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// FSFile is a file in a file system such as an embed.FS.
func FSFile(fsys fs.FS, name string) File {
	return File{Name: filepath.Base(name), Open: func() (io.ReadCloser, error) { return fsys.Open(name) }}
}

// Loader loads files into an open database. Its fields are set once; a
// Loader may be used by one goroutine at a time.
type Loader struct {
	DB    *gosql.DB
	Codes *geo.Codes // resolves commune codes to COG 2026
	Index *geo.Index // places coordinates in a département
	// Postal resolves postal codes (assessments may give one instead of
	// the commune); nil rejects such rows.
	Postal *geo.PostalCodes
	// Names maps commune codes to names, to find a venue's commune among
	// those of its postal code; nil skips that step.
	Names map[string]string
	// Key is the HMAC-SHA256 key that pseudonymises respondent ids. It is
	// required for assessments and never stored.
	Key []byte
	// Mapping maps the columns of assessment files; nil picks the built-in
	// mapping that fits each file's header.
	Mapping *Mapping
	// Communes finds a venue's commune by the nearest centroid when nothing
	// declared matches; nil leaves such communes unknown.
	Communes *CommuneFinder
	// VenueMapping maps the columns of venue listings; nil picks the
	// built-in mapping (schema v1.0.2 or v0.1) that fits each header.
	VenueMapping *VenueMapping
	// Progress, when set, is called from time to time during a load with
	// the bytes read so far, the file's size and the rows read so far.
	Progress func(file string, bytes, size, rows int64)
	Log      *slog.Logger // nil discards
	// Limits bound a line, a field and a header; the zero value is the
	// defaults.
	Limits Limits
}

// Result describes one file's outcome.
type Result struct {
	FileID   int64
	Kind     Kind
	Name     string
	SHA256   string
	Format   string
	Source   string // assessments: the mapping's name, within which respondent ids are unique
	Skipped  bool   // the same bytes were already loaded; nothing changed
	Read     int64
	Loaded   int64
	Rejected int64
	// Synthetic: every loaded row was written by illectro gen (its
	// respondent ids carry SyntheticIDPrefix); recorded in
	// ingest_synthetic_files, so that the pages say so.
	Synthetic bool
}

// parser turns the rows of one kind into raw-table values.
type parser interface {
	rawTable() string
	headerKeys() []string                        // columns, any of which identifies the header line
	prepare(t *table) (format string, err error) // file-level checks and column lookup
	row(rec []string, line int) ([]driver.Value, *RowError)
}

func (l *Loader) parser(kind Kind, name string) (parser, error) {
	switch kind {
	case Coverage:
		return &coverageParser{file: name, codes: l.Codes}, nil
	case Venues:
		return &venueParser{file: name, m: l.VenueMapping, log: l.log(), codes: l.Codes, index: l.Index, postal: l.Postal, names: l.Names, near: l.Communes}, nil
	case Mediators:
		return &mediatorParser{file: name, codes: l.Codes}, nil
	case Socio:
		return &socioParser{file: name, codes: l.Codes}, nil
	}
	return nil, fmt.Errorf("unknown input kind %q", kind)
}

func (l *Loader) log() *slog.Logger {
	if l.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l.Log
}

// Load loads one file of the given kind. It returns an error for a
// file-level problem, in which case nothing of the file is stored and a
// failed attempt is recorded in ingest_files, with the error's wording and
// its kind (FileKindOf: the error wraps one of the ErrFile… kinds).
func (l *Loader) Load(ctx context.Context, kind Kind, f File) (Result, error) {
	// A name is text in the ledger, the logs and the pages: bytes that are
	// not UTF-8 (a name from another system) are shown as U+FFFD rather than
	// refused by the database.
	f.Name = strings.ToValidUTF8(f.Name, "\uFFFD")
	res := Result{Kind: kind, Name: f.Name}
	started := time.Now()
	sum, size, err := checksum(f)
	if err != nil {
		return res, refusef(ErrFileUnreadable, "read %s: %w", f.Name, err)
	}
	res.SHA256 = sum
	var prev Result
	err = l.DB.QueryRowContext(ctx, isql.IngestFileLoaded, string(kind), sum).
		Scan(&prev.FileID, &prev.Name, &prev.Read, &prev.Loaded, &prev.Rejected, &prev.Format)
	switch {
	case err == nil:
		prev.Kind, prev.SHA256, prev.Skipped = kind, sum, true
		l.log().Info("file already loaded, skipped", "file", f.Name, "kind", kind, "loaded_as", prev.Name, "file_id", prev.FileID)
		return prev, nil
	case !errors.Is(err, gosql.ErrNoRows):
		return res, refusef(ErrFileDatabase, "ingest ledger: %w", err)
	}
	if err := l.DB.QueryRowContext(ctx, isql.IngestFileNextID).Scan(&res.FileID); err != nil {
		return res, refusef(ErrFileDatabase, "ingest ledger: %w", err)
	}
	loadErr := l.attempt(ctx, kind, f, sum, size, started)
	if loadErr == nil {
		loadErr = l.loadTx(ctx, kind, f, &res, started, size)
		outcome := "loaded"
		switch {
		case ctx.Err() != nil:
			outcome = "interrupted"
		case loadErr != nil:
			outcome = "refused"
		}
		if _, err := l.DB.ExecContext(context.WithoutCancel(ctx), isql.IngestAttemptFinish, outcome, string(kind), sum); err != nil {
			l.log().Warn("ingest attempt not closed", "file", f.Name, "error", err)
		}
	}
	if loadErr != nil {
		if ctx.Err() != nil && !errors.Is(loadErr, ErrFileInterrupted) {
			// whatever failed first, the load was stopped
			loadErr = &refusal{ErrFileInterrupted, loadErr}
		}
		// Record the refusal outside the rolled-back transaction.
		_, lerr := l.DB.ExecContext(ctx, isql.IngestFileInsert, res.FileID, string(kind), f.Name, sum, size,
			0, 0, 0, nullString(res.Format), nullString(res.Source), started, time.Now(), "failed", loadErr.Error(), FileKindOf(loadErr).Code)
		if lerr != nil && ctx.Err() == nil {
			return res, errors.Join(loadErr, fmt.Errorf("record failed file %s: %w", f.Name, lerr))
		}
		return res, loadErr
	}
	l.log().Info("file loaded", "file", f.Name, "kind", kind, "format", res.Format,
		"rows", res.Read, "loaded", res.Loaded, "rejected", res.Rejected, "duration", time.Since(started).Round(time.Millisecond).String())
	return res, nil
}

// QuarantineAfterDeaths is how many times the process may die while
// loading the same bytes before they are quarantined: once may be bad
// luck (a reboot, a kill), twice is the file.
const QuarantineAfterDeaths = 2

// attempt records, committed before the load's transaction, that the load
// of f's bytes starts; the caller closes it when the load ends. Bytes the
// process already died loading QuarantineAfterDeaths times are refused
// instead (ErrFileQuarantined), and their attempts closed: dropped again,
// they are tried again.
func (l *Loader) attempt(ctx context.Context, kind Kind, f File, sum string, size int64, started time.Time) error {
	var deaths int
	var when string
	if err := l.DB.QueryRowContext(ctx, isql.IngestAttemptDeaths, string(kind), sum).Scan(&deaths, &when); err != nil {
		return refusef(ErrFileDatabase, "ingest ledger: %w", err)
	}
	if deaths >= QuarantineAfterDeaths {
		if _, err := l.DB.ExecContext(ctx, isql.IngestAttemptFinish, "quarantined", string(kind), sum); err != nil {
			return refusef(ErrFileDatabase, "ingest ledger: %w", err)
		}
		return refusef(ErrFileQuarantined, "%s: quarantined: the process ended %d times while loading these bytes (loads started %s), killed, out of memory or stopped; "+
			"find what makes the file heavy (its longest line, its size) or raise the run's memory limit, then drop it in the inbox again", f.Name, deaths, when)
	}
	if deaths > 0 {
		l.log().Warn("the process died once while loading this file: trying again", "file", f.Name, "kind", kind, "started", when)
	}
	if _, err := l.DB.ExecContext(ctx, isql.IngestAttemptStart, string(kind), sum, f.Name, size, started); err != nil {
		return refusef(ErrFileDatabase, "ingest ledger: %w", err)
	}
	return nil
}

func (l *Loader) loadTx(ctx context.Context, kind Kind, f File, res *Result, started time.Time, size int64) (err error) {
	rc, err := f.Open()
	if err != nil {
		return refusef(ErrFileUnreadable, "read %s: %w", f.Name, err)
	}
	defer rc.Close()
	// The load hashes what it reads: bytes that differ from the checksum's
	// (a file still being written, or rewritten meanwhile) refuse the load.
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(rc, h)}
	progress := func(rows int64) {
		if l.Progress != nil {
			l.Progress(f.Name, cr.n.Load(), size, rows)
		}
	}

	// File-level checks (header, mapping) come first: a refused file never
	// opens a transaction.
	var fill func(dc driver.Conn) error
	var repeated []int64 // keys an assessments file may repeat
	if kind == Assessments {
		src, am, err := l.openAssessments(f.Name, cr)
		if err != nil {
			return err
		}
		res.Format, res.Source = "mapping:"+am.m.Name, am.m.Name
		fill = func(dc driver.Conn) (err error) {
			repeated, err = l.fillAssessments(ctx, dc, src, am, res, size, progress)
			return err
		}
	} else {
		p, err := l.parser(kind, f.Name)
		if err != nil {
			return err
		}
		t, err := openTable(f.Name, cr, l.Limits, p.headerKeys()...)
		if err != nil {
			if kind == Venues && l.VenueMapping == nil {
				err = fmt.Errorf("%w; for a listing in another format, write a venue mapping file and pass it with --mapping", err)
			}
			return err
		}
		if res.Format, err = p.prepare(t); err != nil {
			return err
		}
		fill = func(dc driver.Conn) error { return appendRows(ctx, dc, p, t, res, progress) }
	}

	err = isql.InTx(ctx, l.DB, func(conn *gosql.Conn) error {
		if err := conn.Raw(func(dc any) error { return fill(dc.(driver.Conn)) }); err != nil {
			return err
		}
		progress(res.Read)
		if _, err := io.Copy(io.Discard, cr); err != nil { // what the reader did not need
			return refusef(ErrFileUnreadable, "read %s: %w", f.Name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != res.SHA256 || cr.n.Load() != size {
			return refusef(ErrFileChanged, "%s: the file changed while it was loaded (%d bytes when its checksum was taken, %d read by the load): nothing of it was stored; it stays in the inbox for the next run", f.Name, size, cr.n.Load())
		}
		if res.Read != res.Loaded+res.Rejected {
			return fmt.Errorf("%s: internal count mismatch: read %d, loaded %d, rejected %d", f.Name, res.Read, res.Loaded, res.Rejected)
		}
		if _, err := conn.ExecContext(ctx, isql.IngestFileInsert, res.FileID, string(kind), f.Name, res.SHA256, size,
			res.Read, res.Loaded, res.Rejected, nullString(res.Format), nullString(res.Source), started, time.Now(), "loaded", nil, nil); err != nil {
			return refusef(ErrFileDatabase, "ingest ledger: %w", err)
		}
		if res.Synthetic {
			if _, err := conn.ExecContext(ctx, isql.IngestSyntheticInsert, res.FileID); err != nil {
				return refusef(ErrFileDatabase, "ingest ledger: %w", err)
			}
		} else if kind == Assessments {
			// Checked here, the file read: a synthetic file (the bundled
			// sample may use a public throwaway key) neither checks nor
			// records a key; a refusal rolls the whole file back.
			if err := checkKey(ctx, conn, f.Name, res.Source, KeyCheck(l.Key)); err != nil {
				return err
			}
		}
		if kind == Assessments {
			// in the file's transaction: a refused file supersedes nothing
			if err := supersede(ctx, conn, res.FileID, res.Source, repeated); err != nil {
				return refusef(ErrFileDatabase, "%s: latest assessment per respondent: %w", f.Name, err)
			}
		}
		return nil
	})
	if errors.Is(err, isql.ErrCommit) {
		return refusef(ErrFileDatabase, "%s: %w", f.Name, err)
	}
	return err
}

// countingReader counts the bytes read through it, for progress reports
// from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// appendRows streams the table's rows into the raw table through an
// appender on the transaction's connection, then its rejects.
func appendRows(ctx context.Context, dc driver.Conn, p parser, t *table, res *Result, progress func(int64)) error {
	rows, err := duckdb.NewAppenderFromConn(dc, "", p.rawTable())
	if err != nil {
		return refusef(ErrFileDatabase, "appender %s: %w", p.rawTable(), err)
	}
	defer rows.Close()
	var rejects []*RowError
	head := []driver.Value{res.FileID, int64(0)}
	for {
		rec, rowErr, err := t.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refusef(ErrFileUnreadable, "%s: line %d: %w", t.name, t.line, err)
		}
		res.Read++
		if res.Read%65536 == 0 {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			progress(res.Read)
		}
		if rowErr == nil {
			var vals []driver.Value
			if vals, rowErr = p.row(rec, t.line); rowErr == nil {
				head[1] = int64(t.line)
				if err := rows.AppendRow(append(head[:2:2], vals...)...); err != nil {
					return refusef(ErrFileDatabase, "%s: line %d: store row: %w", t.name, t.line, err)
				}
				res.Loaded++
				continue
			}
		}
		if len(rejects) >= MaxRejects {
			return fmt.Errorf("%s: %w (over %d): check the file's format; nothing of it was stored", t.name, ErrFileTooManyRejects, MaxRejects)
		}
		rejects = append(rejects, rowErr)
	}
	if err := rows.Close(); err != nil {
		return refusef(ErrFileDatabase, "store rows of %s: %w", t.name, err)
	}
	res.Rejected = int64(len(rejects))
	if err := appendRejects(dc, res.FileID, rejects); err != nil {
		return err
	}
	if fp, ok := p.(interface{ findings() []finding }); ok {
		return appendFindings(dc, res.FileID, fp.findings())
	}
	return nil
}

// appendFindings stores quality findings about loaded rows.
func appendFindings(dc driver.Conn, fileID int64, found []finding) error {
	if len(found) == 0 {
		return nil
	}
	a, err := duckdb.NewAppenderFromConn(dc, "", "quality_findings")
	if err != nil {
		return refusef(ErrFileDatabase, "appender quality_findings: %w", err)
	}
	for _, f := range found {
		if err := a.AppendRow(fileID, int64(f.line), nullString(f.id), f.kind, f.text); err != nil {
			a.Close()
			return refusef(ErrFileDatabase, "store quality findings: %w", err)
		}
	}
	if err := a.Close(); err != nil {
		return refusef(ErrFileDatabase, "store quality findings: %w", err)
	}
	return nil
}

// appendRejects stores rejected rows, in the order given.
func appendRejects(dc driver.Conn, fileID int64, rejects []*RowError) error {
	if len(rejects) == 0 {
		return nil
	}
	a, err := duckdb.NewAppenderFromConn(dc, "", "rejects")
	if err != nil {
		return refusef(ErrFileDatabase, "appender rejects: %w", err)
	}
	for _, re := range rejects {
		if err := a.AppendRow(fileID, int64(re.Line), nullString(re.Column), nullString(truncate(re.Value, maxRejectValue)), re.Reason, re.Kind().Code); err != nil {
			a.Close()
			return refusef(ErrFileDatabase, "store rejects: %w", err)
		}
	}
	if err := a.Close(); err != nil {
		return refusef(ErrFileDatabase, "store rejects: %w", err)
	}
	return nil
}

func checksum(f File) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
