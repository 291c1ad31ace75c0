package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/illectro/illectro/pipeline"
)

// TestScheduleCheck runs `schedule --check` on specs in and out of the
// Europe/Paris changes: the ones in the gap or the repeated hour fail with
// the dates named and a safe time suggested.
func TestScheduleCheck(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		spec     string
		problems int // changes of the coming year that skip or repeat a firing
	}{
		{"30 2 * * *", 2},
		{"0 3 * * *", 0},
		{"0 4 * * *", 0},
		{"*/15 * * * *", 0},
		{"CRON_TZ=UTC 30 2 * * *", 0},
		{"@every 1h", 0},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			conf := filepath.Join(dir, "illectro.toml")
			if err := os.WriteFile(conf, fmt.Appendf(nil, "schedule = %q\n", tc.spec), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, _, err := runCLI(t, t.Context(), nil, "", "schedule", "--check", "--config", conf)
			warnings := strings.Count(stdout, "warning: ")
			switch {
			case tc.problems == 0 && (err != nil || warnings != 0):
				t.Errorf("schedule --check %q = %v, %d warnings, want no error or warning:\n%s", tc.spec, err, warnings, stdout)
			case tc.problems > 0 && (err == nil || warnings != tc.problems || !strings.Contains(stdout, "outside 02:00–03:00")):
				t.Errorf("schedule --check %q = %v, %d warnings, want an error, %d warnings and advice:\n%s", tc.spec, err, warnings, tc.problems, stdout)
			}
			if !strings.Contains(stdout, "next firings:") {
				t.Errorf("schedule --check %q does not list the next firings:\n%s", tc.spec, stdout)
			}
		})
	}
}

// TestScheduleCheckDates fixes the clock: from 1 January 2026 the coming
// year holds the changes of 29 March and 25 October.
func TestScheduleCheckDates(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	if err := checkSchedule(&out, "30 2 * * *", now); err == nil {
		t.Errorf("checkSchedule(30 2 * * *) = nil, want an error")
	}
	for _, want := range []string{
		"warning: on 2026-03-29 the clocks go from 02:00 to 03:00: 02:30 does not exist and is not fired (no run)",
		"warning: on 2026-10-25 the clocks go back from 03:00 to 02:00: 02:30 happens twice and is fired twice, an hour apart",
		"2026-01-02 02:30:00 CET",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("checkSchedule output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := checkSchedule(&out, "30 4 * * *", now); err != nil || strings.Contains(out.String(), "warning") {
		t.Errorf("checkSchedule(default) = %v:\n%s\nwant no warning", err, out.String())
	}
}

// logBuffer is a log destination safe for the scheduler's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestScheduleWarnsAtStart starts the scheduler on a spec in the gap: the
// log names the changes before anything runs.
func TestScheduleWarnsAtStart(t *testing.T) {
	var logs logBuffer
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // start, warn, stop
	cfg := pipeline.DefaultConfig()
	cfg.Schedule = "30 2 * * *"
	if err := runScheduler(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "schedule falls in a daylight-saving change"); n != 2 {
		t.Errorf("%d DST warnings, want 2 (spring and autumn):\n%s", n, logs.String())
	}
	for _, want := range []string{"effect=skipped", "effect=repeated", "times=02:30", "level=WARN"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	logs = logBuffer{}
	cfg.Schedule = pipeline.DefaultSchedule
	runScheduler(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), func() error { return nil })
	if strings.Contains(logs.String(), "daylight-saving") {
		t.Errorf("the default schedule warns:\n%s", logs.String())
	}
}

// TestScheduleSkipsLogged runs the real scheduler every second on a job
// that blocks: the firings due meanwhile are logged as skipped, with their
// time and reason, and counted when the scheduler stops.
func TestScheduleSkipsLogged(t *testing.T) {
	var logs logBuffer
	ctx, cancel := context.WithCancel(t.Context())
	cfg := pipeline.DefaultConfig()
	cfg.Schedule = "* * * * * *"
	started := make(chan struct{}, 1)
	done := make(chan error)
	go func() {
		done <- runScheduler(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), func() error {
			select {
			case started <- struct{}{}:
			default:
			}
			<-ctx.Done() // blocks until the scheduler stops
			return nil
		})
	}()
	<-started
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(logs.String(), "scheduled firing skipped") < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if n := strings.Count(out, "scheduled firing skipped"); n < 2 {
		t.Fatalf("%d skip lines, want at least 2:\n%s", n, out)
	}
	for _, want := range []string{"fired=", "previous scheduled run is still going", "consecutive=2", "skipped_firings="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
