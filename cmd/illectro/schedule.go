package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/illectro/illectro/pipeline"
)

// parisTZ is the scheduler's time zone: the operators' wall clock.
const parisTZ = "Europe/Paris"

// cronParser accepts five fields, or six with seconds first, and descriptors
// such as @daily.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func scheduleCmd(ctx context.Context, env *environment, args []string) error {
	fs := newFlags("schedule", "schedule [--config FILE]")
	configPath := fs.String("config", "", "TOML configuration file (its 'schedule' is a cron spec, Europe/Paris time)")
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
	return schedule(ctx, env, cfg, newLogger(env))
}

// schedule runs the pipeline on cfg.Schedule until ctx is cancelled. A run
// still going when the next one is due makes that one skip; a panic in a run
// is logged and the scheduler goes on. On cancellation the running pipeline
// sees the cancelled context, rolls back its open transaction, and schedule
// returns once it has stopped.
func schedule(ctx context.Context, env *environment, cfg pipeline.Config, log *slog.Logger) error {
	loc, err := time.LoadLocation(parisTZ)
	if err != nil {
		return fmt.Errorf("load time zone %s: %w", parisTZ, err)
	}
	sched, err := cronParser.Parse(cfg.Schedule)
	if err != nil {
		return fmt.Errorf("schedule %q: %w", cfg.Schedule, err)
	}
	logger := cron.PrintfLogger(slog.NewLogLogger(log.Handler(), slog.LevelInfo))
	// SkipIfStillRunning must wrap Recover: the other order never runs the
	// job again after one panic.
	c := cron.New(cron.WithLocation(loc), cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)))
	c.Schedule(sched, cron.FuncJob(func() {
		if ctx.Err() != nil {
			return
		}
		log.Info("scheduled run starting")
		sum, err := pipeline.Run(ctx, cfg, pipeline.Options{Trigger: "schedule", Log: log, Getenv: env.getenv})
		if err != nil {
			log.Error("scheduled run failed", "error", err)
			return
		}
		log.Info("scheduled run finished", "report", sum.Report, "duration", sum.Took.Round(time.Millisecond).String())
	}))
	log.Info("scheduler started", "schedule", cfg.Schedule, "time_zone", parisTZ, "next", sched.Next(time.Now().In(loc)).Format(time.RFC3339))
	c.Start()
	<-ctx.Done()
	log.Info("stopping scheduler: waiting for the running job")
	<-c.Stop().Done()
	return nil
}
