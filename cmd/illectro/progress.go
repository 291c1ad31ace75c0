package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressFor is the progress of file loads drawn on env's stderr when it
// is a terminal, else nil.
func progressFor(env *environment) func(file string, done, size, rows int64) {
	if isTerminal(env.stderr) {
		return newProgressBar(env.stderr).update
	}
	return nil
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
