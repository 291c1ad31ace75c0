package pipeline

import (
	"log/slog"
	"os"
	"runtime/debug"
	"slices"
	"time"
)

// stageClock logs how long each stage of a run took, the rows it handled and
// the process's peak memory so far, as "stage done" events: operators read
// them in the logs, and `illectro bench run` reads them from a run's JSON log.
type stageClock struct {
	log  *slog.Logger
	last time.Time
	beat *beat // told the next stage; nil for none
}

// stageOrder is the order of a run's stages, as done names them: the
// heartbeat says which one is under way.
var stageOrder = []string{"reference", "ingest", "views", "access", "model", "marts", "data tests", "report", "snapshot", "release"}

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
	if peak := PeakRSS(); peak > 0 {
		attrs = append(attrs, "peak_rss_mib", peak>>20)
	}
	c.log.Info("stage done", attrs...)
	c.last = now
	if i := slices.Index(stageOrder, stage); i >= 0 && i+1 < len(stageOrder) {
		c.beat.set(stageOrder[i+1], "")
	}
}

// ResetPeakRSS returns freed Go memory to the system (the generator's heap
// would otherwise be counted in the next phase), then resets the kernel's
// high-water mark of this process's resident memory (Linux; elsewhere the
// figures read "unknown").
func ResetPeakRSS() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSS reads the high-water mark of resident memory since the last reset.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	return statusKB(string(b), "VmHWM:")
}
