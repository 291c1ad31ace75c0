package pipeline

import (
	"context"
	"log/slog"
	"os"
	"time"
)

// DefaultInboxSettle is how long an inbox file must have stayed unchanged
// (size and modification time) before a run loads it.
const DefaultInboxSettle = 2 * time.Second

// InboxSettle is inbox_settle_seconds as a duration (0: load whatever is
// there).
func (c Config) InboxSettle() time.Duration {
	if c.InboxSettleSeconds == nil {
		return DefaultInboxSettle
	}
	return time.Duration(*c.InboxSettleSeconds * float64(time.Second))
}

// settleInbox keeps the inbox inputs that have stayed unchanged for settle:
// when some were modified more recently, it waits until they are settle
// old, once, then looks again; those whose size or modification time moved
// meanwhile (a copy or an upload still going) are left in the inbox for
// the next run, and logged. Samples pass through. wait sleeps (ctx may end
// it early: the inputs are then all deferred, and the run stops).
func settleInbox(ctx context.Context, ins []input, settle time.Duration, now func() time.Time, wait func(context.Context, time.Duration), log *slog.Logger) (ready []input, deferred []string) {
	type seen struct {
		size int64
		mod  time.Time
	}
	stat := func(p string) (seen, bool) {
		info, err := os.Stat(p)
		if err != nil {
			return seen{}, false
		}
		return seen{info.Size(), info.ModTime()}, true
	}
	first := make(map[string]seen, len(ins))
	var longest time.Duration
	t := now()
	for _, in := range ins {
		if in.path == "" || settle <= 0 {
			continue
		}
		s, ok := stat(in.path)
		if !ok {
			continue // gone or unreadable: its load says so
		}
		first[in.path] = s
		if age := t.Sub(s.mod); age < settle {
			longest = max(longest, settle-age)
		}
	}
	if longest > 0 {
		log.Info("waiting for recently modified inbox files to settle", "wait", longest.Round(time.Millisecond).String(), "inbox_settle_seconds", settle.Seconds())
		wait(ctx, longest)
	}
	t = now()
	for _, in := range ins {
		before, tracked := first[in.path]
		if !tracked {
			ready = append(ready, in)
			continue
		}
		after, ok := stat(in.path)
		if ctx.Err() == nil && ok && after == before && t.Sub(after.mod) >= settle {
			ready = append(ready, in)
			continue
		}
		if !ok {
			ready = append(ready, in) // vanished meanwhile: its load says so
			continue
		}
		log.Warn("inbox file left for the next run: still being written", "file", in.path,
			"size_before", before.size, "size_now", after.size, "modified", after.mod.Format(time.RFC3339Nano), "inbox_settle_seconds", settle.Seconds())
		deferred = append(deferred, in.file.Name)
	}
	return ready, deferred
}

// sleepCtx sleeps for d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
