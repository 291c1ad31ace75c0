package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	isql "github.com/illectro/illectro/sql"
)

func TestRunKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *RunErrorKind
	}{
		{"nil", nil, nil},
		{"a kind", ErrRunSnapshot, ErrRunSnapshot},
		{"a stage's error", failed(ErrRunInbox, errors.New("inbox /srv/inbox is not a readable folder")), ErrRunInbox},
		{"wrapped", fmt.Errorf("run: %w", failed(ErrRunModel, errors.New("access: x"))), ErrRunModel},
		{"data tests", &isql.CheckError{Failures: []isql.Failure{{Test: "assert_x.sql", Rows: 1}}}, ErrRunDataTests},
		{"cancelled", fmt.Errorf("build marts: %w", context.Canceled), ErrRunInterrupted},
		{"anything else", errors.New("disk full"), ErrRunOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RunKindOf(tt.err); got != tt.want {
				t.Errorf("RunKindOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	// A stage's error keeps its wording and what it wraps.
	err := failed(ErrRunDatabase, fmt.Errorf("build marts: %w", context.DeadlineExceeded))
	if err.Error() != "build marts: context deadline exceeded" || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrRunDatabase) {
		t.Errorf("failed = %q, not both ErrRunDatabase and context.DeadlineExceeded", err)
	}
	if failed(ErrRunDatabase, nil) != nil {
		t.Error("failed(kind, nil) is not nil")
	}
	seen := map[string]bool{}
	for _, k := range RunErrorKinds() {
		if seen[k.Code] || k.Code == "" || k.Error() == "" {
			t.Errorf("kind code %q empty or repeated, or kind without text", k.Code)
		}
		seen[k.Code] = true
	}
}

// finishRun stores a failed run's error and its kind; a run whose context
// was cancelled is interrupted, whatever failed first.
func TestFinishRunStoresTheKind(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(dir, "illectro.duckdb")
	cfg.Out = filepath.Join(dir, "public")
	ctx := t.Context()
	db, err := isql.Open(ctx, cfg.DB, isql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		ctx       context.Context
		err       error
		wantError string
		wantKind  string
	}{
		{ctx, nil, "", ""},
		{ctx, failed(ErrRunReport, errors.New("render report: open /srv/releases/x/index.html: no space left on device")),
			"render report: open /srv/releases/x/index.html: no space left on device", "report"},
		{ctx, errors.New("something new"), "something new", "other"},
		{cancelled, failed(ErrRunDatabase, errors.New("build marts: INTERRUPT Error: Interrupted!")), "build marts: INTERRUPT Error: Interrupted!", "interrupted"},
	}
	for _, tt := range tests {
		id, _, err := startRun(ctx, db, cfg, "manual", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		finishRun(tt.ctx, db, cfg, "manual", time.Now(), &Summary{RunID: id}, tt.err, log)
		var msg, kind string
		if err := db.QueryRowContext(ctx, `SELECT coalesce(error, ''), coalesce(error_kind, '') FROM runs WHERE run_id = ?`, id).Scan(&msg, &kind); err != nil {
			t.Fatal(err)
		}
		if msg != tt.wantError || kind != tt.wantKind {
			t.Errorf("run %d of error %v: stored %q, kind %q; want %q, kind %q", id, tt.err, msg, kind, tt.wantError, tt.wantKind)
		}
	}
}
