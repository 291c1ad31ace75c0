package main

import (
	"log/slog"
	"time"
)

// stageClock logs how long each stage of a run took, the rows it handled and
// the process's peak memory so far, as "stage done" events: operators read
// them in the logs, and `illectro bench run` reads them from a run's JSON log.
type stageClock struct {
	log  *slog.Logger
	last time.Time
}

func newStageClock(log *slog.Logger) *stageClock {
	return &stageClock{log: log, last: time.Now()}
}

// done ends the current stage; rows is what it read or wrote (0 when
// meaningless).
func (c *stageClock) done(stage string, rows int64) {
	now := time.Now()
	attrs := []any{"stage", stage, "seconds", now.Sub(c.last).Seconds()}
	if rows > 0 {
		attrs = append(attrs, "rows", rows)
	}
	if peak := peakRSS(); peak > 0 {
		attrs = append(attrs, "peak_rss_mib", peak>>20)
	}
	c.log.Info("stage done", attrs...)
	c.last = now
}
