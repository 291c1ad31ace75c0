// Package notify alerts operators when a run fails, so that a nightly
// failure is seen before the next morning's readers notice stale figures.
//
// An alert is a JSON summary of the run, handed to a command (for a paging
// tool, a mailer, a script) on its standard input, and/or POSTed to a
// webhook. Alerting is best effort: its errors are returned for the caller to
// log, and must never replace the run's own error.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one command run or one webhook attempt when
// Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// webhookAttempts is the number of tries of a webhook POST.
const webhookAttempts = 3

// webhookBackoff is the wait before the second webhook try, doubled before
// the third; tests shorten it.
var webhookBackoff = 2 * time.Second

// waitDelay is how long a killed command's output pipes may stay open (held
// by children that escaped the kill) before they are closed and Alert
// returns.
const waitDelay = 2 * time.Second

// maxOutput is how much of a command's output, or of a webhook's response,
// an error quotes.
const maxOutput = 1 << 10

// userAgent identifies the pipeline to the webhook.
const userAgent = "illectro (+https://github.com/illectro/illectro)"

// Summary is what an alert says about a run.
type Summary struct {
	RunID   int64  `json:"run_id"`
	Trigger string `json:"trigger"` // "manual", "schedule", "cron"…
	// Status is "failed"; "succeeded" for a run that refused files
	// (Refused); "skipped" for scheduled firings skipped in a row.
	Status       string    `json:"status"`
	Error        string    `json:"error,omitempty"`
	Started      time.Time `json:"started"`
	Finished     time.Time `json:"finished"`
	Files        int       `json:"files"`
	RowsLoaded   int64     `json:"rows_loaded"`
	RowsRejected int64     `json:"rows_rejected"`
	Release      string    `json:"release,omitempty"` // the release still served
	// Refused are the files the run refused as a whole: their input kind
	// and why (ingest.FileErrorKind's code); no name (a self-assessment
	// file's name may hold a person's), the run's log has them.
	Refused []Refused `json:"refused,omitempty"`
}

// Refused is a file a run refused.
type Refused struct {
	Kind   string `json:"kind"`   // input kind, e.g. "assessments"
	Reason string `json:"reason"` // e.g. "missing_key"
}

// Config says where alerts go; a zero Config sends nothing.
type Config struct {
	// Command is run with the JSON summary on its standard input and
	// ILLECTRO_RUN_ID / ILLECTRO_RUN_STATUS in its environment, e.g.
	// ["/usr/local/bin/page-oncall", "--team", "inclusion"]. It is an argv,
	// not a shell line.
	Command []string
	// Webhook is an http(s) URL the JSON summary is POSTed to.
	Webhook string
	// Timeout bounds the command, and each webhook attempt
	// (default DefaultTimeout).
	Timeout time.Duration
}

// Alert sends s to every configured target: a command (run with the JSON
// summary on its standard input and ILLECTRO_RUN_ID / ILLECTRO_RUN_STATUS
// in its environment, killed after a timeout) and/or a webhook (HTTP POST
// of the JSON, Content-Type application/json, with a timeout and 3 attempts
// with backoff). It returns the errors joined; an alert failure must never
// hide the run's own error (the caller logs it). With no target configured
// it does nothing and returns nil.
func Alert(ctx context.Context, cfg Config, s Summary) error {
	if len(cfg.Command) == 0 && cfg.Webhook == "" {
		return nil
	}
	body, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var errs []error
	if len(cfg.Command) > 0 {
		errs = append(errs, runCommand(ctx, cfg.Command, body, s, timeout))
	}
	if cfg.Webhook != "" {
		errs = append(errs, post(ctx, cfg.Webhook, body, timeout))
	}
	return errors.Join(errs...)
}

// alertEnvKeep are the variables of illectro's environment an alert command
// gets: what a program needs to run and to reach a mail or chat relay. The
// rest stays out, ILLECTRO_HMAC_KEY first (the key that pseudonymises
// respondents), then whatever secret the operator's environment holds.
var alertEnvKeep = map[string]bool{
	"PATH": true, "HOME": true, "USER": true, "LOGNAME": true, "SHELL": true, "TMPDIR": true,
	"LANG": true, "LC_ALL": true, "LC_CTYPE": true, "TZ": true,
	"HTTP_PROXY": true, "HTTPS_PROXY": true, "NO_PROXY": true, "http_proxy": true, "https_proxy": true, "no_proxy": true,
}

// alertEnviron keeps of env (KEY=value entries) those alertEnvKeep names.
func alertEnviron(env []string) []string {
	var out []string
	for _, kv := range env {
		if k, _, ok := strings.Cut(kv, "="); ok && alertEnvKeep[k] {
			out = append(out, kv)
		}
	}
	return out
}

// runCommand runs argv with body on its standard input, in a minimal
// environment (alertEnviron), killing it after timeout.
func runCommand(ctx context.Context, argv []string, body []byte, s Summary, timeout time.Duration) error {
	if argv[0] == "" {
		return errors.New("alert command: empty program name")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	cmd.Env = append(alertEnviron(os.Environ()),
		"ILLECTRO_RUN_ID="+strconv.FormatInt(s.RunID, 10),
		"ILLECTRO_RUN_STATUS="+s.Status,
	)
	var out prefix
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = waitDelay
	killGroup(cmd)
	err := cmd.Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("alert command %s: killed after the %v timeout%s", argv[0], timeout, out.quote())
	case ctx.Err() != nil:
		return fmt.Errorf("alert command %s: %w%s", argv[0], ctx.Err(), out.quote())
	default:
		return fmt.Errorf("alert command %s: %w%s", argv[0], err, out.quote())
	}
}

// post sends body to the webhook, trying up to webhookAttempts times on
// network errors, 429 and 5xx.
func post(ctx context.Context, webhook string, body []byte, timeout time.Duration) error {
	u, err := url.Parse(webhook)
	if err != nil {
		return fmt.Errorf("alert webhook: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("alert webhook %s: only http and https URLs are supported", u.Redacted())
	}
	client := &http.Client{Timeout: timeout}
	wait := webhookBackoff
	for attempt := 1; ; attempt++ {
		retry, err := postOnce(ctx, client, u, body)
		if err == nil {
			return nil
		}
		if !retry || attempt == webhookAttempts || ctx.Err() != nil {
			return fmt.Errorf("alert webhook %s: %w (attempt %d of %d)", u.Redacted(), err, attempt, webhookAttempts)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("alert webhook %s: %w (attempt %d of %d; before: %v)", u.Redacted(), ctx.Err(), attempt, webhookAttempts, err)
		}
		wait *= 2
	}
}

// postOnce makes one POST and says whether a failure is worth a retry.
func postOnce(ctx context.Context, client *http.Client, u *url.URL, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		// The caller names the URL already; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return true, err
	}
	defer resp.Body.Close()
	var out prefix
	io.Copy(&out, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return retry, fmt.Errorf("HTTP %s%s", resp.Status, out.quote())
}

// prefix is a writer that keeps the first maxOutput bytes written to it and
// discards the rest, so that a chatty command cannot fill the memory.
type prefix struct {
	buf bytes.Buffer
}

// Write keeps what fits in maxOutput and reports all of p as written.
func (p *prefix) Write(b []byte) (int, error) {
	if room := maxOutput - p.buf.Len(); room > 0 {
		p.buf.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

// quote is the kept output, trimmed, as an error suffix: "" when there is
// none.
func (p *prefix) quote() string {
	s := strings.TrimSpace(p.buf.String())
	if s == "" {
		return ""
	}
	return fmt.Sprintf(": %q", s)
}
