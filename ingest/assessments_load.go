package ingest

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"
	"golang.org/x/sync/errgroup"
)

// Sizes of the assessment pipeline. Memory in flight is bounded by about
// (chunkQueue + workers) chunks of raw fields plus (batchQueue + workers)
// Arrow batches, whatever the size of the file.
const (
	chunkRows = 4096 // rows handed from the reader to a worker at once
	// batchRows is DuckDB's row group size: with insertion order kept
	// (DuckDB's default, which illectro keeps), batches of 65 536 rows made
	// a 5 M-row load 1.3× slower (6.18 against 4.77 s, medians of 6).
	batchRows  = 122880
	chunkQueue = 4
	batchQueue = 2
	// MaxRejects refuses a file whose rejected rows pass this count: it is
	// almost surely mapped wrongly, and the rejects table is not a copy of it.
	MaxRejects = 1_000_000
)

// openAssessments reads the header of an assessments file and binds the
// mapping: the explicit one, or the built-in mapping that fits the header.
func (l *Loader) openAssessments(name string, r io.Reader) (records, *assessmentMapper, error) {
	if len(l.Key) == 0 {
		return nil, nil, refusef(ErrFileKey, "assessments need a pseudonymisation key: set ILLECTRO_HMAC_KEY or hmac_key_file in the configuration")
	}
	builtins, err := BuiltinMappings()
	if err != nil {
		return nil, nil, err
	}
	m := l.Mapping
	var src records
	if m != nil && m.Format == "jsonl" {
		src, err = openJSONLines(name, r, l.Limits, m.columns())
		if err != nil {
			return nil, nil, err
		}
	} else {
		var keys []string
		if m != nil {
			keys = []string{m.Fields.RespondentID}
		} else {
			for _, b := range builtins {
				keys = append(keys, b.Fields.RespondentID)
			}
			slices.Sort(keys)
		}
		t, err := openTable(name, r, l.Limits, keys...)
		if err != nil {
			return nil, nil, err
		}
		src = t
		if m == nil {
			if m, err = detectMapping(name, t.cols, builtins); err != nil {
				return nil, nil, fmt.Errorf("%w (its header line %d reads as %d column(s) separated by %q)", err, t.offset, len(t.header), t.comma)
			}
		}
	}
	am := &assessmentMapper{file: name, m: m, codes: l.Codes, postal: l.Postal, key: l.Key}
	if err := am.bind(src.headerNames(), src.columns()); err != nil {
		return nil, nil, err
	}
	return src, am, nil
}

// column is a table column with one value for a whole file: an int64 or a
// string.
type column struct {
	name  string
	value any
}

// chunk is a run of rows from the reader: the fields of well-formed rows
// side by side, and the rows that could not even be read.
type chunk struct {
	width   int
	lines   []int
	fields  []string
	rejects []*RowError
}

// fillAssessments streams the file of size bytes into raw_assessments: one
// reader goroutine splits rows, workers map, validate, pseudonymise and
// score them into Arrow batches, and the sink hands the batches to DuckDB.
// Rejected rows are then appended to rejects, in line order. It returns the
// respondent keys the loaded rows may repeat (keySeen), for supersede.
func (l *Loader) fillAssessments(ctx context.Context, dc driver.Conn, src records, am *assessmentMapper, res *Result, size int64, progress func(rows int64)) ([]int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	chunks := make(chan *chunk, chunkQueue)
	batches := make(chan arrow.Record, batchQueue)
	width := len(src.headerNames())
	// A chunk holds about a million fields at most, so that a file of
	// absurdly many columns does not make the reader allocate gigabytes.
	rowsPerChunk := max(1, min(chunkRows, (1<<20)/max(1, width)))
	var read, synthetic atomic.Int64
	var mu sync.Mutex
	var rejects []*RowError
	// The respondent keys of each mapped chunk go to one goroutine that
	// owns the filter (keySeen: plain stores, many misses in flight).
	seen := newKeySeen(size)
	defer seen.release()
	var repeated []int64
	keyChunks := make(chan []int64, chunkQueue)
	freeKeys := make(chan []int64, chunkQueue+4)
	filterDone := make(chan struct{})
	go func() {
		defer close(filterDone)
		for keys := range keyChunks {
			for _, k := range keys {
				if seen.add(k) {
					repeated = append(repeated, k)
				}
			}
			select {
			case freeKeys <- keys[:0]:
			default:
			}
		}
	}()
	// Chunks go back to the reader once mapped, so their arrays are reused.
	free := make(chan *chunk, chunkQueue+4)
	newChunk := func() *chunk {
		select {
		case c := <-free:
			c.lines, c.fields, c.rejects = c.lines[:0], c.fields[:0], nil
			return c
		default:
			return &chunk{width: width, lines: make([]int, 0, rowsPerChunk), fields: make([]string, 0, rowsPerChunk*width)}
		}
	}

	g.Go(func() error { // reader
		defer close(chunks)
		c := newChunk()
		send := func() error {
			select {
			case chunks <- c:
			case <-gctx.Done():
				return gctx.Err()
			}
			c = newChunk()
			return nil
		}
		for {
			rec, rowErr, err := src.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return refusef(ErrFileUnreadable, "%s: line %d: %w", res.Name, src.lineNo(), err)
			}
			n := read.Add(1)
			if rowErr != nil {
				c.rejects = append(c.rejects, rowErr)
			} else {
				c.lines = append(c.lines, src.lineNo())
				c.fields = append(c.fields, rec...)
			}
			if len(c.lines)+len(c.rejects) >= rowsPerChunk {
				if err := send(); err != nil {
					return err
				}
				if progress != nil && n%(16*chunkRows) == 0 {
					progress(n)
				}
			}
		}
		return send()
	})

	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			bb := newBatchBuilder()
			ps := am.newPseudonymiser()
			var a assessment
			var synth int64
			defer func() { synthetic.Add(synth) }()
			emit := func() error {
				r := bb.flush()
				if r == nil {
					return nil
				}
				select {
				case batches <- r:
					return nil
				case <-gctx.Done():
					r.Release()
					return gctx.Err()
				}
			}
			for c := range chunks {
				rej := c.rejects
				var keys []int64
				select {
				case keys = <-freeKeys:
				default:
					keys = make([]int64, 0, len(c.lines))
				}
				for i, line := range c.lines {
					if re := am.mapRow(c.fields[i*c.width:(i+1)*c.width], line, ps, &a); re != nil {
						rej = append(rej, re)
						continue
					}
					if a.synthetic {
						synth++
					}
					bb.add(&a)
					keys = append(keys, a.key)
					if bb.n >= batchRows {
						if err := emit(); err != nil {
							return err
						}
					}
				}
				select {
				case keyChunks <- keys:
				case <-gctx.Done():
					return gctx.Err()
				}
				c.fields = c.fields[:0] // drop references to the strings
				select {
				case free <- c:
				default:
				}
				if len(rej) > 0 {
					mu.Lock()
					rejects = append(rejects, rej...)
					tooMany := len(rejects) > MaxRejects
					mu.Unlock()
					if tooMany {
						return fmt.Errorf("%s: %w (over %d): check the mapping; nothing of the file was stored", res.Name, ErrFileTooManyRejects, MaxRejects)
					}
				}
			}
			return emit()
		})
	}
	go func() {
		wg.Wait()
		close(batches)
		close(keyChunks)
	}()

	next := func() (arrow.Record, error) {
		select {
		case r, ok := <-batches:
			if !ok {
				return nil, io.EOF
			}
			return r, nil
		case <-gctx.Done():
			return nil, gctx.Err()
		}
	}
	consts := []column{{"file_id", res.FileID}}
	loaded, insertErr := insertBatches(gctx, dc, "raw_assessments", consts, assessmentSchema, next)
	if insertErr != nil {
		cancel()
	}
	for r := range batches { // after a failure, free what is still queued
		r.Release()
	}
	err := g.Wait()
	<-filterDone // the workers are done: no key is on its way
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	if insertErr != nil {
		return nil, refusef(ErrFileDatabase, "store rows of %s: %w", res.Name, insertErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Read, res.Loaded, res.Rejected = read.Load(), loaded, int64(len(rejects))
	res.Synthetic = loaded > 0 && synthetic.Load() == loaded
	slices.SortFunc(rejects, func(a, b *RowError) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Column, b.Column))
	})
	return repeated, appendRejects(dc, res.FileID, rejects)
}
