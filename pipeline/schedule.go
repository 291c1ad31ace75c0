package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/illectro/illectro/notify"
)

// Schedule gives the firings of a cron spec, as robfig/cron's
// cron.Schedule does: Next returns the first firing strictly after t. A
// spec without a time zone of its own reads the wall clock of t's
// location, so that Next on UTC times gives the spec's wall-clock firings.
type Schedule interface {
	Next(t time.Time) time.Time
}

// DSTEffect is what a daylight-saving change does to a firing.
type DSTEffect int

const (
	// DSTSkipped: the firing's wall time does not exist that day (spring
	// forward), and robfig/cron does not fire at all: no run.
	DSTSkipped DSTEffect = iota + 1
	// DSTRepeated: the firing's wall time happens twice that day (fall
	// back), and robfig/cron fires at both: two runs, an hour apart.
	DSTRepeated
)

func (e DSTEffect) String() string {
	switch e {
	case DSTSkipped:
		return "skipped"
	case DSTRepeated:
		return "repeated"
	}
	return fmt.Sprintf("DSTEffect(%d)", int(e))
}

// DSTIssue is a daylight-saving change of the time zone that skips or
// repeats firings of a schedule.
type DSTIssue struct {
	Effect DSTEffect
	// Date is the local date of the change, as 2006-01-02.
	Date string
	// Times are the wall times of the firings skipped or repeated, as
	// 15:04 (15:04:05 when the spec has seconds).
	Times []string
	// From and To bound the wall times that do not exist (DSTSkipped) or
	// happen twice (DSTRepeated), To excluded: "02:00" and "03:00" in
	// Europe/Paris.
	From, To string
}

func (i DSTIssue) String() string {
	at := strings.Join(i.Times, ", ")
	if i.Effect == DSTSkipped {
		return fmt.Sprintf("on %s the clocks go from %s to %s: %s does not exist and is not fired (no run)", i.Date, i.From, i.To, at)
	}
	return fmt.Sprintf("on %s the clocks go back from %s to %s: %s happens twice and is fired twice, an hour apart", i.Date, i.To, i.From, at)
}

// Advice tells how to avoid the issue.
func (i DSTIssue) Advice() string {
	return fmt.Sprintf("schedule outside %s–%s local time, e.g. %q", i.From, i.To, DefaultSchedule)
}

// DSTIssues returns the daylight-saving changes of loc in [from,
// from+span) that skip or repeat firings of s: a firing whose wall time
// falls in the hour that does not exist (spring) or happens twice
// (autumn). A spec that fires at that minute every hour around the change
// (*/15 * * * *, 30 * * * *) keeps its cadence in real time, since the
// missing or repeated wall times are exactly the real hour the change
// removes or adds, so it is not reported. A zone without changes (UTC)
// gives nil. s must read its wall clock from the times it is given (a
// spec without a time zone of its own).
func DSTIssues(s Schedule, loc *time.Location, from time.Time, span time.Duration) []DSTIssue {
	var issues []DSTIssue
	end := from.Add(span)
	t := from.In(loc)
	for {
		_, change := t.ZoneBounds()
		if change.IsZero() || !change.Before(end) {
			return issues
		}
		_, before := change.Add(-time.Nanosecond).Zone()
		_, after := change.Zone()
		shift := time.Duration(after-before) * time.Second
		// Wall clocks as UTC times: the fields are the local reading.
		lo := change.UTC().Add(time.Duration(before) * time.Second) // the old clock at the change
		effect := DSTSkipped
		if shift < 0 {
			lo, shift, effect = lo.Add(shift), -shift, DSTRepeated
		}
		hi := lo.Add(shift)
		issue := DSTIssue{Effect: effect, Date: change.In(loc).Format(time.DateOnly), From: lo.Format("15:04"), To: hi.Format("15:04")}
		for w := s.Next(lo.Add(-time.Nanosecond)); !w.IsZero() && w.Before(hi); w = s.Next(w) {
			if fires(s, w.Add(-shift)) && fires(s, w.Add(shift)) {
				continue // hourly cadence: nothing lost, nothing doubled
			}
			layout := "15:04"
			if w.Second() != 0 {
				layout = time.TimeOnly
			}
			issue.Times = append(issue.Times, w.Format(layout))
		}
		if len(issue.Times) > 0 {
			issues = append(issues, issue)
		}
		t = change
	}
}

// fires tells whether s fires at t (whole seconds).
func fires(s Schedule, t time.Time) bool {
	return s.Next(t.Add(-time.Nanosecond)).Equal(t)
}

// DefaultAlertAfterSkippedFirings is how many consecutive scheduled
// firings are skipped before an alert goes out, when the configuration
// does not say.
const DefaultAlertAfterSkippedFirings = 1

// FiringGuard runs the job of each scheduled firing unless the previous
// one is still going, in this process or in another (ErrRunInProgress).
// Every skipped firing is logged with its time and reason and counted; when
// Config.AlertAfterSkippedFirings firings in a row were skipped, the
// configured alert targets are told once (status "skipped"), and the count
// starts again at the next run. A FiringGuard is safe for concurrent use;
// its zero value is not: use NewFiringGuard.
type FiringGuard struct {
	log        *slog.Logger
	targets    notify.Config
	alertAfter int
	alert      func(context.Context, notify.Config, notify.Summary) error

	mu          sync.Mutex
	running     bool
	since       time.Time // when the running job started
	consecutive int
	total       int
}

// NewFiringGuard returns a guard that alerts cfg's targets; a nil log
// discards the messages.
func NewFiringGuard(cfg Config, log *slog.Logger) *FiringGuard {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := cfg.AlertAfterSkippedFirings
	if n == 0 {
		n = DefaultAlertAfterSkippedFirings
	}
	return &FiringGuard{log: log, targets: notify.Config{Command: cfg.AlertCommand, Webhook: cfg.AlertWebhook},
		alertAfter: n, alert: notify.Alert}
}

// Fire runs job for the firing due at fired, unless the job of an earlier
// firing is still running: then the firing is skipped, logged and
// counted, and Fire returns nil at once. A job that returns
// ErrRunInProgress (another process holds the run lock) is a skipped
// firing too. Any other error of job is returned for the caller to log.
func (g *FiringGuard) Fire(fired time.Time, job func() error) error {
	g.mu.Lock()
	if g.running {
		since := g.since
		g.mu.Unlock()
		g.skip(fired, "the previous scheduled run is still going (started "+since.Format(time.RFC3339)+")")
		return nil
	}
	g.running, g.since = true, time.Now()
	g.mu.Unlock()
	// The flag is cleared even if job panics, so the next firing runs.
	defer func() {
		g.mu.Lock()
		g.running = false
		g.mu.Unlock()
	}()
	err := job()
	if errors.Is(err, ErrRunInProgress) {
		g.skip(fired, err.Error())
		return nil
	}
	g.mu.Lock()
	g.consecutive = 0
	g.mu.Unlock()
	return err
}

// Skipped returns the number of firings skipped in a row up to now, and
// in all since the guard was made.
func (g *FiringGuard) Skipped() (consecutive, total int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.consecutive, g.total
}

func (g *FiringGuard) skip(fired time.Time, reason string) {
	g.mu.Lock()
	g.consecutive++
	g.total++
	n, total := g.consecutive, g.total
	g.mu.Unlock()
	g.log.Warn("scheduled firing skipped", "fired", fired.Format(time.RFC3339), "reason", reason,
		"consecutive", n, "skipped_total", total)
	if n != g.alertAfter || (len(g.targets.Command) == 0 && g.targets.Webhook == "") {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	msg := fmt.Sprintf("%d scheduled firing(s) in a row skipped, the last at %s: %s", n, fired.Format(time.RFC3339), reason)
	if err := g.alert(ctx, g.targets, notify.Summary{Trigger: "schedule", Status: "skipped", Error: msg, Started: fired, Finished: fired}); err != nil {
		g.log.Error("skipped-firing alert not delivered", "error", err)
	}
}
