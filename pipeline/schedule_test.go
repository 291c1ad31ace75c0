package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/robfig/cron/v3"

	"github.com/illectro/illectro/notify"
)

// cronParser is the parser of `illectro schedule`: five fields, or six with
// seconds first, and descriptors.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestDSTIssues computes, with robfig/cron's own Schedule.Next and no
// sleeping, which firings the Europe/Paris changes of 2026 and 2027
// (29 March and 25 October 2026, 28 March and 31 October 2027) skip or
// repeat.
func TestDSTIssues(t *testing.T) {
	paris, utc := mustLoad(t, "Europe/Paris"), time.UTC
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, paris)
	const span = 2 * 365 * 24 * time.Hour
	fourChanges := func(times ...string) []DSTIssue {
		return []DSTIssue{
			{Effect: DSTSkipped, Date: "2026-03-29", Times: times, From: "02:00", To: "03:00"},
			{Effect: DSTRepeated, Date: "2026-10-25", Times: times, From: "02:00", To: "03:00"},
			{Effect: DSTSkipped, Date: "2027-03-28", Times: times, From: "02:00", To: "03:00"},
			{Effect: DSTRepeated, Date: "2027-10-31", Times: times, From: "02:00", To: "03:00"},
		}
	}
	for _, tc := range []struct {
		spec string
		loc  *time.Location
		want []DSTIssue
	}{
		{"30 2 * * *", paris, fourChanges("02:30")},
		{"0 30 2 * * *", paris, fourChanges("02:30")}, // six fields, seconds first
		{"0 2 * * *", paris, fourChanges("02:00")},    // 02:00 itself does not exist in spring
		{"*/15 2 * * *", paris, fourChanges("02:00", "02:15", "02:30", "02:45")},
		{"30 2,3 * * *", paris, fourChanges("02:30")}, // 03:30 is fine; 02:30 is not
		{"30 2 * * 0", paris, fourChanges("02:30")},   // the changes fall on Sundays
		{"0 3 * * *", paris, nil},                     // 03:00 exists once on both days
		{"0 4 * * *", paris, nil},
		{"59 1 * * *", paris, nil},
		{"30 4 * * *", paris, nil}, // DefaultSchedule
		{"30 2 1 * *", paris, nil}, // never on a change day
		{"*/15 * * * *", paris, nil},
		{"30 * * * *", paris, nil},
		{"30 2 * * *", utc, nil},
		{"*/15 * * * *", utc, nil},
	} {
		t.Run(tc.spec+" "+tc.loc.String(), func(t *testing.T) {
			s, err := cronParser.Parse(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := DSTIssues(s, tc.loc, from, span)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DSTIssues(%q, %s) mismatch (-want +got):\n%s", tc.spec, tc.loc, diff)
			}
		})
	}
}

// TestDSTIssuesWhatCronDoes measures what robfig/cron does on the change
// days in Europe/Paris, with the Next the scheduler calls (it runs the
// entry at Next(now) and asks Next again after each firing): the claims
// of DSTIssue's Effect and of the README.
func TestDSTIssuesWhatCronDoes(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	firings := func(spec string, day time.Time) []time.Time {
		s, err := cronParser.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		var out []time.Time
		end := day.AddDate(0, 0, 1)
		for f := s.Next(day.Add(-time.Nanosecond)); f.Before(end); f = s.Next(f) {
			out = append(out, f)
		}
		return out
	}
	spring := time.Date(2026, 3, 29, 0, 0, 0, 0, paris)
	autumn := time.Date(2026, 10, 25, 0, 0, 0, 0, paris)
	normal := time.Date(2026, 3, 28, 0, 0, 0, 0, paris)

	if got := firings("30 2 * * *", normal); len(got) != 1 {
		t.Errorf("30 2 * * * on a normal day: %v, want one firing", got)
	}
	if got := firings("30 2 * * *", spring); len(got) != 0 {
		t.Errorf("30 2 * * * on 2026-03-29: %v, want none (skipped, not shifted to 03:30)", got)
	}
	if got := firings("30 2 * * *", autumn); len(got) != 2 || got[1].Sub(got[0]) != time.Hour {
		t.Errorf("30 2 * * * on 2026-10-25: %v, want two firings an hour apart (02:30 CEST, 02:30 CET)", got)
	}
	for _, spec := range []string{"0 3 * * *", "0 4 * * *"} {
		for _, day := range []time.Time{spring, autumn} {
			if got := firings(spec, day); len(got) != 1 {
				t.Errorf("%s on %s: %v, want one firing", spec, day.Format(time.DateOnly), got)
			}
		}
	}
	// Every 15 minutes: 92 firings on the 23-hour day, 100 on the 25-hour
	// day, always 15 real minutes apart.
	for day, want := range map[time.Time]int{spring: 92, autumn: 100} {
		got := firings("*/15 * * * *", day)
		if len(got) != want {
			t.Errorf("*/15 on %s: %d firings, want %d", day.Format(time.DateOnly), len(got), want)
		}
		for i := 1; i < len(got); i++ {
			if d := got[i].Sub(got[i-1]); d != 15*time.Minute {
				t.Errorf("*/15 on %s: %s after %s, want 15 minutes", day.Format(time.DateOnly), d, got[i-1])
			}
		}
	}
}

func TestDSTIssueString(t *testing.T) {
	i := DSTIssue{Effect: DSTSkipped, Date: "2026-03-29", Times: []string{"02:30"}, From: "02:00", To: "03:00"}
	if got, want := i.String(), "on 2026-03-29 the clocks go from 02:00 to 03:00: 02:30 does not exist and is not fired (no run)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	i.Effect, i.Date = DSTRepeated, "2026-10-25"
	if got, want := i.String(), "on 2026-10-25 the clocks go back from 03:00 to 02:00: 02:30 happens twice and is fired twice, an hour apart"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := i.Advice(); !strings.Contains(got, "outside 02:00–03:00") {
		t.Errorf("Advice() = %q, want it to name the window", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the log of concurrent firings.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFiringGuard blocks a job and fires again while it runs: each skipped
// firing is logged with its time and reason and counted, the alert goes
// out once when the configured number is reached, and the count starts
// again after a run.
func TestFiringGuard(t *testing.T) {
	var logs syncBuffer
	g := NewFiringGuard(Config{AlertCommand: []string{"/bin/true"}, AlertAfterSkippedFirings: 2}, slog.New(slog.NewTextHandler(&logs, nil)))
	var alerts []notify.Summary
	g.alert = func(_ context.Context, _ notify.Config, s notify.Summary) error {
		alerts = append(alerts, s)
		return nil
	}
	at := func(h int) time.Time { return time.Date(2026, 5, 4, h, 30, 0, 0, time.UTC) }

	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- g.Fire(at(4), func() error { close(started); <-release; return nil })
	}()
	<-started
	ran := false
	for h := 5; h <= 7; h++ {
		if err := g.Fire(at(h), func() error { ran = true; return nil }); err != nil {
			t.Errorf("Fire(%v) while a run goes on = %v, want nil", at(h), err)
		}
	}
	if ran {
		t.Error("a firing ran while the previous run was still going")
	}
	if c, total := g.Skipped(); c != 3 || total != 3 {
		t.Errorf("Skipped() = %d, %d; want 3, 3", c, total)
	}
	for h := 5; h <= 7; h++ {
		want := fmt.Sprintf("fired=%s", at(h).Format(time.RFC3339))
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log has no line for the firing at %v:\n%s", at(h), logs.String())
		}
	}
	if n := strings.Count(logs.String(), "scheduled firing skipped"); n != 3 {
		t.Errorf("%d skip lines, want 3:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "previous scheduled run is still going") {
		t.Errorf("log does not give the reason:\n%s", logs.String())
	}
	if len(alerts) != 1 || alerts[0].Status != "skipped" || alerts[0].Trigger != "schedule" ||
		!strings.Contains(alerts[0].Error, "2 scheduled firing(s) in a row skipped") || !alerts[0].Started.Equal(at(6)) {
		t.Errorf("alerts = %+v, want one, status skipped, at the second skip (%v)", alerts, at(6))
	}

	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := g.Fire(at(8), func() error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("Fire after the run ended = %v (ran %v), want the job run", err, ran)
	}
	if c, total := g.Skipped(); c != 0 || total != 3 {
		t.Errorf("after a run, Skipped() = %d, %d; want 0, 3", c, total)
	}

	// Another process holds the lock: a skip too, not an error.
	held := fmt.Errorf("%w (process 42): lock x.lock is held", ErrRunInProgress)
	for h := 9; h <= 10; h++ {
		if err := g.Fire(at(h), func() error { return held }); err != nil {
			t.Errorf("Fire with the lock held = %v, want nil (a skipped firing)", err)
		}
	}
	if c, total := g.Skipped(); c != 2 || total != 5 || len(alerts) != 2 {
		t.Errorf("lock held twice: Skipped() = %d, %d, %d alerts; want 2, 5, 2", c, total, len(alerts))
	}
	if !strings.Contains(logs.String(), "lock x.lock is held") {
		t.Errorf("log does not say the lock was held:\n%s", logs.String())
	}

	// A run's own failure is returned, and is not a skip.
	boom := errors.New("boom")
	if err := g.Fire(at(11), func() error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Fire = %v, want the job's error", err)
	}
	if c, _ := g.Skipped(); c != 0 {
		t.Errorf("after a failed run, %d skipped in a row, want 0", c)
	}

	// A job that panics does not leave the guard thinking it still runs.
	func() {
		defer func() { recover() }()
		g.Fire(at(12), func() error { panic("job panics") })
	}()
	ran = false
	g.Fire(at(13), func() error { ran = true; return nil })
	if !ran {
		t.Error("after a panic, the next firing was skipped")
	}
}

// Without alert targets, skips are logged and counted but nothing is sent.
func TestFiringGuardNoTargets(t *testing.T) {
	g := NewFiringGuard(Config{}, nil)
	g.alert = func(context.Context, notify.Config, notify.Summary) error {
		t.Error("alert sent without targets")
		return nil
	}
	g.Fire(time.Now(), func() error { return ErrRunInProgress })
	if c, total := g.Skipped(); c != 1 || total != 1 {
		t.Errorf("Skipped() = %d, %d; want 1, 1", c, total)
	}
}
