package pipeline

import (
	"bufio"
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/illectro/illectro/fetch"
	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/atomicfile"
	"github.com/illectro/illectro/notify"
	isql "github.com/illectro/illectro/sql"
)

// deadRun is a run whose process died before it finished, as the next run
// found and recorded it.
type deadRun struct {
	id      int64
	trigger string
	started time.Time
	cause   string // how it most likely ended (diagnoseDeath)
	kind    *RunErrorKind
}

// startRun records as failed the runs whose process died (left 'running':
// one run at a time holds the lock), with how each most likely ended and
// the release it left live, then records this one as running.
func startRun(ctx context.Context, db *gosql.DB, cfg Config, trigger string, started time.Time) (int64, []deadRun, error) {
	dead, err := recordDeadRuns(ctx, db, cfg)
	if err != nil {
		return 0, nil, fmt.Errorf("run ledger: %w", err)
	}
	var id int64
	if err := db.QueryRowContext(ctx, isql.RunsStart, trigger, started).Scan(&id); err != nil {
		return 0, dead, fmt.Errorf("run ledger: %w", err)
	}
	return id, dead, nil
}

// recordDeadRuns diagnoses and records the runs left 'running'. The
// heartbeat such a run left (Config.HeartbeatPath) says what it was doing
// and how much memory it held; ingest_attempts, which file it was loading.
func recordDeadRuns(ctx context.Context, db *gosql.DB, cfg Config) ([]deadRun, error) {
	var dead []deadRun
	err := isql.EachRow(ctx, db, isql.RunsRunning, func(rows *gosql.Rows) error {
		var d deadRun
		if err := rows.Scan(&d.id, &d.trigger, &d.started); err != nil {
			return err
		}
		dead = append(dead, d)
		return nil
	})
	if err != nil || len(dead) == 0 {
		return nil, err
	}
	hb := readHeartbeat(cfg.HeartbeatPath())
	now := readMemory()
	live := LiveRelease(cfg.Out)
	for i := range dead {
		d := &dead[i]
		var own *heartbeat
		if hb != nil && hb.RunID == d.id {
			own = hb
		}
		cause, oom := diagnoseDeath(own, now)
		if own == nil || own.File == "" {
			var kind, name string
			err := db.QueryRowContext(ctx, isql.IngestAttemptUnfinished, d.started).Scan(&kind, &name)
			switch {
			case err == nil:
				cause += fmt.Sprintf("; it was loading %s file %s", kind, name)
			case !errors.Is(err, gosql.ErrNoRows):
				return nil, err
			}
		}
		d.cause, d.kind = "interrupted: "+cause, ErrRunInterrupted
		if oom {
			d.kind = ErrRunOutOfMemory
		}
		if _, err := db.ExecContext(ctx, isql.RunsInterrupted, d.cause, d.kind.Code, live, live, d.id); err != nil {
			return nil, err
		}
	}
	return dead, nil
}

// alertDeadRuns tells the operators of each run whose process died: its
// failure was never reported, since it had no chance to.
func alertDeadRuns(ctx context.Context, cfg Config, dead []deadRun, log *slog.Logger) {
	for _, d := range dead {
		log.Error("previous run died before it finished", "run", d.id, "kind", d.kind.Code, "cause", d.cause)
		sendAlert(ctx, cfg, notify.Summary{RunID: d.id, Trigger: d.trigger, Status: "failed", Error: d.cause,
			Started: d.started, Finished: time.Now(), Release: filepath.Base(LiveRelease(cfg.Out))}, log)
	}
}

// finishRun records how the run ended. It runs even when ctx is done (a
// stopped run is recorded as failed with the reason).
func finishRun(ctx context.Context, db *gosql.DB, cfg Config, trigger string, started time.Time, sum *Summary, runErr error, log *slog.Logger) {
	stopped := ctx.Err() != nil
	ctx = context.WithoutCancel(ctx)
	files, loaded, rejected := sum.Totals()
	status, msg, kind := "succeeded", "", ""
	if sum.UnchangedSince > 0 {
		status = "unchanged"
	}
	release := sum.Release
	if runErr != nil {
		status, msg, kind = "failed", runErr.Error(), RunKindOf(runErr).Code
		if stopped {
			// whatever failed first, the run was stopped
			kind = ErrRunInterrupted.Code
		}
		release = LiveRelease(cfg.Out)
	}
	finished := time.Now()
	if _, err := db.ExecContext(ctx, isql.RunsFinish, finished, status, nullIfEmpty(msg), nullIfEmpty(kind), files, len(sum.Refused),
		loaded, rejected, nullIfEmpty(filepath.Base(release)), nullIfEmpty(sum.Fingerprint), sum.RunID); err != nil {
		log.Error("run ledger not updated", "run", sum.RunID, "error", err)
	}
	if runErr == nil {
		alertIdle(ctx, db, cfg, sum.RunID, trigger, started, finished, release, log)
	}
	// A failed run alerts; so does a run that refused files (it may have
	// published without them: a refused self-assessment file, for a
	// missing or changed key, leaves the figures without its answers).
	if runErr == nil && len(sum.RefusedFiles) == 0 {
		return
	}
	sendAlert(ctx, cfg, notify.Summary{
		RunID: sum.RunID, Trigger: trigger, Status: status, Error: msg, Started: started, Finished: finished,
		Files: files, RowsLoaded: loaded, RowsRejected: rejected, Release: filepath.Base(release),
		Refused: sum.RefusedFiles,
	}, log)
}

// alertIdle alerts once, when alert_after_idle_runs is set, on the run that
// makes that many in a row without a new file: a source stopped arriving,
// and the published figures age in silence.
func alertIdle(ctx context.Context, db *gosql.DB, cfg Config, run int64, trigger string, started, finished time.Time, release string, log *slog.Logger) {
	if cfg.AlertAfterIdleRuns <= 0 {
		return
	}
	var streak int
	var since gosql.NullTime
	if err := db.QueryRowContext(ctx, isql.RunsIdleStreak).Scan(&streak, &since); err != nil {
		log.Error("idle runs not counted", "run", run, "error", err)
		return
	}
	if streak != cfg.AlertAfterIdleRuns {
		return
	}
	msg := fmt.Sprintf("no new input file loaded by the last %d runs", streak)
	if since.Valid {
		msg += ", since the run of " + since.Time.UTC().Format(time.RFC3339)
	}
	log.Warn("runs without a new file", "run", run, "runs", streak)
	sendAlert(ctx, cfg, notify.Summary{RunID: run, Trigger: trigger, Status: "idle", Error: msg,
		Started: started, Finished: finished, Release: filepath.Base(release)}, log)
}

// sendAlert tells alert_command and alert_webhook, if configured. The
// alert's own failure is logged, never returned in place of the run's
// error.
func sendAlert(ctx context.Context, cfg Config, s notify.Summary, log *slog.Logger) {
	if len(cfg.AlertCommand) == 0 && cfg.AlertWebhook == "" {
		return
	}
	alertCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if err := notify.Alert(alertCtx, notify.Config{Command: cfg.AlertCommand, Webhook: cfg.AlertWebhook}, s); err != nil {
		log.Error("alert not delivered", "run", s.RunID, "error", err)
	}
}

// alertUnrecorded alerts for a run that failed before it could be recorded
// in the runs table (the run lock or the database could not be opened):
// run id 0, the release still served.
func alertUnrecorded(ctx context.Context, cfg Config, trigger string, started time.Time, err error, log *slog.Logger) {
	log.Error("run not started", "error", err)
	sendAlert(ctx, cfg, notify.Summary{Trigger: trigger, Status: "failed", Error: err.Error(),
		Started: started, Finished: time.Now(), Release: filepath.Base(LiveRelease(cfg.Out))}, log)
}

// fetchSources downloads the configured remote sources that changed into
// the inbox; a source that cannot be fetched is logged and the run goes on
// with what it has.
func fetchSources(ctx context.Context, cfg Config, log *slog.Logger) {
	sources := make([]fetch.Source, len(cfg.Sources))
	for i, s := range cfg.Sources {
		sources[i] = fetch.Source{Kind: s.Kind, URL: s.URL, Name: s.Name}
	}
	for _, r := range fetch.Fetch(ctx, sources, cfg.Inbox, cfg.FetchStatePath(), fetch.Options{}) {
		switch r.Status {
		case fetch.StatusDownloaded:
			log.Info("source downloaded", "url", fetch.Redact(r.Source.URL), "file", r.Path)
		case fetch.StatusNotModified:
			log.Info("source not modified", "url", fetch.Redact(r.Source.URL))
		default:
			log.Warn("source not fetched", "url", fetch.Redact(r.Source.URL), "error", r.Err)
		}
	}
}

func nullIfEmpty(s string) any {
	if s == "" || s == "." {
		return nil
	}
	return s
}

// moveInboxFile moves a loaded inbox file into the processed/ or failed/
// folder beside it; a failed file gets a .reason.txt beside it. A name
// already taken there gets the date and time appended. A name too long to
// take these suffixes (a file name has at most 255 bytes) is shortened, so
// that a long name neither stays in the inbox nor loses its reason.
//
// processed/ and failed/ are private (0700), the files moved there and
// their reasons too (0600): they may hold respondents' ids.
func moveInboxFile(path, to, reason string) error {
	dir := filepath.Join(filepath.Dir(path), to)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil { // made by an older version, or by hand
		return err
	}
	reserve := 0
	if reason != "" {
		reserve = len(reasonSuffix)
	}
	name := filepath.Base(path)
	dest := filepath.Join(dir, fitName(name, "", reserve))
	if _, err := os.Lstat(dest); err == nil {
		dest = filepath.Join(dir, fitName(name, "."+time.Now().UTC().Format("20060102T150405.000000000"), reserve))
	}
	if err := os.Rename(path, dest); err != nil {
		return err
	}
	if err := os.Chmod(dest, 0o600); err != nil {
		return err
	}
	// Retention counts from the move (pruneInbox), not from the file's
	// own time.
	now := time.Now()
	if err := os.Chtimes(dest, now, now); err != nil {
		return err
	}
	if reason != "" {
		if err := writeReason(dest+reasonSuffix, reason+"\n"); err != nil {
			return errors.Join(fmt.Errorf("write the reason beside %s", dest), err)
		}
	}
	return nil
}

// pruneInbox deletes the files that have stayed in an inbox kind's
// processed/ or failed/ folder longer than processed_retention_days (their
// time is that of the move: moveInboxFile). Only regular files are deleted;
// what cannot be is logged.
func pruneInbox(cfg Config, now time.Time, log *slog.Logger) {
	if cfg.Inbox == "" || cfg.ProcessedRetentionDays <= 0 {
		return
	}
	limit := now.Add(-time.Duration(cfg.ProcessedRetentionDays) * 24 * time.Hour)
	for _, k := range ingest.Kinds {
		for _, folder := range []string{"processed", "failed"} {
			dir := filepath.Join(cfg.Inbox, string(k), folder)
			entries, err := os.ReadDir(dir)
			if err != nil {
				continue // none yet, or unreadable: collectInputs says so for the kind
			}
			deleted := 0
			for _, e := range entries {
				info, err := e.Info()
				if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(limit) {
					continue
				}
				if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
					log.Warn("old inbox file not deleted", "file", filepath.Join(dir, e.Name()), "error", err)
					continue
				}
				deleted++
			}
			if deleted > 0 {
				log.Info("old inbox files deleted", "folder", dir, "files", deleted, "older_than_days", cfg.ProcessedRetentionDays)
			}
		}
	}
}

// reasonSuffix ends the name of the file saying why an inbox file was refused.
const reasonSuffix = ".reason.txt"

// maxNameBytes is the longest file name of the usual file systems (ext4,
// XFS, Btrfs, tmpfs).
const maxNameBytes = 255

// fitName inserts tag before the extension of name, and shortens the part
// before the extension (at a character boundary) so that the result, plus
// reserve more bytes, fits in maxNameBytes.
func fitName(name, tag string, reserve int) string {
	ext := filepath.Ext(name)
	if len(ext) > 16 { // a dot inside a long name, not an extension
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	if over := len(stem) + len(tag) + len(ext) + reserve - maxNameBytes; over > 0 {
		n := max(len(stem)-over, 0)
		for n > 0 && !utf8.RuneStart(stem[n]) {
			n--
		}
		stem = stem[:n]
	}
	return stem + tag + ext
}

// writeReason writes text to file through a temp file renamed over it: a
// symbolic link planted under that name is replaced, never followed, so
// nothing outside the inbox is overwritten.
func writeReason(file, text string) error {
	return atomicfile.Write(file, 0o600, func(w *bufio.Writer) error {
		_, err := w.WriteString(text)
		return err
	})
}
