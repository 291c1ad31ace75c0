package main

import (
	gosql "database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
)

// assessmentMapping resolves the configured mapping: a built-in name or a
// file; nil lets ingest pick per file.
func assessmentMapping(cfg config) (*ingest.Mapping, error) {
	if cfg.AssessmentMapping == "" {
		return nil, nil
	}
	builtins, err := ingest.BuiltinMappings()
	if err != nil {
		return nil, err
	}
	if m, ok := builtins[cfg.AssessmentMapping]; ok {
		return m, nil
	}
	return ingest.LoadMapping(cfg.AssessmentMapping)
}

// venueMapping resolves the configured venue mapping: a built-in name or a
// file; nil lets ingest pick per file.
func venueMapping(cfg config) (*ingest.VenueMapping, error) {
	if cfg.VenueMapping == "" {
		return nil, nil
	}
	builtins, err := ingest.BuiltinVenueMappings()
	if err != nil {
		return nil, err
	}
	if m, ok := builtins[cfg.VenueMapping]; ok {
		return m, nil
	}
	return ingest.LoadVenueMapping(cfg.VenueMapping)
}

// newLoader wires a loader with the reference data; progress is drawn on
// stderr when it is a terminal.
func newLoader(env *environment, db *gosql.DB, ref *ingest.Reference, key []byte, m *ingest.Mapping) *ingest.Loader {
	codes := geo.NewCodes(ref.COG, ref.Movements)
	l := &ingest.Loader{
		DB:       db,
		Codes:    codes,
		Names:    ref.CommuneNameIndex(codes),
		Communes: ingest.NewCommuneFinder(ref.Centroids, codes),
		Index:    geo.NewIndex(ref.Departements),
		Postal:   ref.PostalCodes,

		Key:     key,
		Mapping: m,
		Log:     newLogger(env),
	}
	if isTerminal(env.stderr) {
		l.Progress = newProgressBar(env.stderr).update
	}
	return l
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line per file: bytes done, rows and rows/s.
type progressBar struct {
	w     io.Writer
	mu    sync.Mutex
	file  string
	start time.Time
	last  time.Time
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w} }

func (p *progressBar) update(file string, done, size, rows int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if file != p.file {
		p.file, p.start = file, now
	}
	finished := size > 0 && done >= size
	if !finished && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	frac := 0.0
	if size > 0 {
		frac = min(1, float64(done)/float64(size))
	}
	const width = 30
	bar := strings.Repeat("█", int(frac*width)) + strings.Repeat("░", width-int(frac*width))
	rate := float64(rows) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%s %s %3.0f%% %d MB %d rows %.0f rows/s ", file, bar, frac*100, done>>20, rows, rate)
	if finished {
		fmt.Fprintln(p.w)
	}
}
