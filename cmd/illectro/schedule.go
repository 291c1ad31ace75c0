package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/illectro/illectro/pipeline"
)

// parisTZ is the scheduler's time zone: the operators' wall clock.
const parisTZ = "Europe/Paris"

// cronParser accepts five fields, or six with seconds first, and descriptors
// such as @daily.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// dstLookahead is how far ahead the daylight-saving check looks: a year
// holds every change of a zone once.
const dstLookahead = 366 * 24 * time.Hour

func scheduleCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("schedule", "schedule [--config FILE] [--check]")
	configPath := fs.String("config", "", "TOML configuration file (its 'schedule' is a cron spec, Europe/Paris time)")
	check := fs.Bool("check", false, "print the next firings and the daylight-saving changes of the coming year that skip or repeat one, and exit (status 1 if any does)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("schedule takes no arguments, got %q", fs.Args())
	}
	cfg, err := pipeline.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	if *check {
		return checkSchedule(env.stdout, cfg.Schedule, time.Now())
	}
	return schedule(ctx, env, cfg, newLogger(env))
}

// cronSchedule is a parsed spec with the zone whose wall clock it reads.
type cronSchedule struct {
	cron.Schedule
	zone *time.Location
	// wall reads the wall clock of the times it is given, for
	// pipeline.DSTIssues; nil when a clock change cannot skip or repeat a
	// firing (@every: a fixed interval of real time).
	wall pipeline.Schedule
}

// parseSchedule parses spec: Europe/Paris time unless it starts with
// CRON_TZ=.
func parseSchedule(spec string) (cronSchedule, error) {
	s, err := cronParser.Parse(spec)
	if err != nil {
		return cronSchedule{}, fmt.Errorf("schedule %q: %w", spec, err)
	}
	paris, err := time.LoadLocation(parisTZ)
	if err != nil {
		return cronSchedule{}, fmt.Errorf("load time zone %s: %w", parisTZ, err)
	}
	cs := cronSchedule{Schedule: s, zone: paris}
	if ss, ok := s.(*cron.SpecSchedule); ok {
		wall := *ss
		if ss.Location != time.Local {
			cs.zone = ss.Location // CRON_TZ=
			wall.Location = time.Local
		}
		cs.wall = &wall
	}
	return cs, nil
}

// dstIssues are the changes of the coming year from now that skip or
// repeat a firing.
func (cs cronSchedule) dstIssues(now time.Time) []pipeline.DSTIssue {
	if cs.wall == nil {
		return nil
	}
	return pipeline.DSTIssues(cs.wall, cs.zone, now, dstLookahead)
}

// checkSchedule writes what `schedule --check` says about spec at now.
func checkSchedule(w io.Writer, spec string, now time.Time) error {
	cs, err := parseSchedule(spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "schedule %q, %s time\nnext firings:\n", spec, cs.zone)
	t := now.In(cs.zone)
	for range 5 {
		if t = cs.Next(t); t.IsZero() {
			break
		}
		fmt.Fprintf(w, "  %s\n", t.Format("2006-01-02 15:04:05 MST"))
	}
	issues := cs.dstIssues(now)
	if len(issues) == 0 {
		fmt.Fprintln(w, "no daylight-saving change of the coming year skips or repeats a firing")
		return nil
	}
	for _, i := range issues {
		fmt.Fprintf(w, "warning: %s\n", i)
	}
	fmt.Fprintf(w, "advice: %s\n", issues[0].Advice())
	return fmt.Errorf("schedule %q: %d daylight-saving change(s) of the coming year skip or repeat a firing", spec, len(issues))
}

// schedule runs the pipeline on cfg.Schedule until ctx is cancelled.
func schedule(ctx context.Context, env *environment, cfg pipeline.Config, log *slog.Logger) error {
	return runScheduler(ctx, cfg, log, func() error {
		log.Info("scheduled run starting")
		sum, err := pipeline.Run(ctx, cfg, pipeline.Options{Trigger: "schedule", Log: log, Getenv: env.getenv})
		if err != nil {
			return err
		}
		log.Info("scheduled run finished", "report", sum.Report, "duration", sum.Took.Round(time.Millisecond).String())
		return nil
	})
}

// runScheduler calls job on cfg.Schedule until ctx is cancelled. It warns
// at start about the daylight-saving changes of the coming year that skip
// or repeat a firing. A firing due while the previous job still runs (or
// while another process holds the run lock) is skipped, logged and counted
// by pipeline.FiringGuard, which alerts after
// cfg.AlertAfterSkippedFirings in a row; a panic in a job is logged and the
// scheduler goes on. On cancellation the running job sees the cancelled
// context, and runScheduler returns once it has stopped.
func runScheduler(ctx context.Context, cfg pipeline.Config, log *slog.Logger, job func() error) error {
	cs, err := parseSchedule(cfg.Schedule)
	if err != nil {
		return err
	}
	for _, i := range cs.dstIssues(time.Now()) {
		log.Warn("schedule falls in a daylight-saving change", "schedule", cfg.Schedule, "time_zone", cs.zone.String(),
			"date", i.Date, "effect", i.Effect.String(), "times", strings.Join(i.Times, ","), "detail", i.String(), "advice", i.Advice())
	}
	logger := cron.PrintfLogger(slog.NewLogLogger(log.Handler(), slog.LevelError))
	guard := pipeline.NewFiringGuard(cfg, log)
	// The guard, not cron.SkipIfStillRunning, skips overlapping firings:
	// that one logs its skips at Info, which PrintfLogger drops. The guard
	// clears its flag even when the job panics, so Recover may wrap it.
	c := cron.New(cron.WithLocation(cs.zone), cron.WithChain(cron.Recover(logger)))
	c.Schedule(cs.Schedule, cron.FuncJob(func() {
		if ctx.Err() != nil {
			return
		}
		if err := guard.Fire(time.Now().In(cs.zone).Truncate(time.Second), job); err != nil {
			log.Error("scheduled run failed", "error", err)
		}
	}))
	log.Info("scheduler started", "schedule", cfg.Schedule, "time_zone", cs.zone.String(), "next", cs.Next(time.Now().In(cs.zone)).Format(time.RFC3339))
	c.Start()
	<-ctx.Done()
	log.Info("stopping scheduler: waiting for the running job")
	<-c.Stop().Done()
	_, skipped := guard.Skipped()
	log.Info("scheduler stopped", "skipped_firings", skipped)
	return nil
}
