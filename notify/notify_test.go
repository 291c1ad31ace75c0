package notify

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// summary is a failed run as the pipeline reports it.
var summary = Summary{
	RunID:        42,
	Trigger:      "schedule",
	Status:       "failed",
	Error:        "ingest coverage: no such column code_insee",
	Started:      time.Date(2026, 3, 1, 4, 30, 0, 0, time.UTC),
	Finished:     time.Date(2026, 3, 1, 4, 31, 12, 0, time.UTC),
	Files:        5,
	RowsLoaded:   120_000,
	RowsRejected: 3,
	Release:      "2026-02-28T04-31-02",
	Refused:      []Refused{{Kind: "assessments", Reason: "missing_key"}},
}

// TestMain shortens the webhook backoff so that retries take no time.
func TestMain(m *testing.M) {
	webhookBackoff = time.Millisecond
	os.Exit(m.Run())
}

func TestNoTarget(t *testing.T) {
	if err := Alert(t.Context(), Config{}, summary); err != nil {
		t.Errorf("Alert with no target: %v, want nil", err)
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	stdin, env := filepath.Join(dir, "stdin.json"), filepath.Join(dir, "env")
	cfg := Config{Command: []string{"/bin/sh", "-c",
		`cat > "$1" && printf '%s %s' "$ILLECTRO_RUN_ID" "$ILLECTRO_RUN_STATUS" > "$2"`,
		"sh", stdin, env}}
	if err := Alert(t.Context(), cfg, summary); err != nil {
		t.Fatalf("Alert: %v", err)
	}
	b, err := os.ReadFile(stdin)
	if err != nil {
		t.Fatal(err)
	}
	var got Summary
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("command read %q: not JSON: %v", b, err)
	}
	if !reflect.DeepEqual(got, summary) {
		t.Errorf("command read %+v, want %+v", got, summary)
	}
	if !strings.Contains(string(b), `"run_id":42`) || !strings.Contains(string(b), `"rows_rejected":3`) {
		t.Errorf("JSON %s lacks the documented field names", b)
	}
	e, err := os.ReadFile(env)
	if err != nil {
		t.Fatal(err)
	}
	if string(e) != "42 failed" {
		t.Errorf("environment gave %q, want %q", e, "42 failed")
	}
}

func TestCommandFails(t *testing.T) {
	tests := []struct {
		name    string
		command []string
		timeout time.Duration
		wantErr []string
	}{
		{
			name:    "exit 1",
			command: []string{"/bin/sh", "-c", "echo pager unreachable >&2; exit 1"},
			wantErr: []string{"alert command /bin/sh", "exit status 1", "pager unreachable"},
		},
		{
			name:    "hangs",
			command: []string{"/bin/sh", "-c", "exec sleep 30"},
			timeout: 100 * time.Millisecond,
			wantErr: []string{"alert command /bin/sh", "killed after the 100ms timeout"},
		},
		{
			name:    "hangs with a child holding the output",
			command: []string{"/bin/sh", "-c", "sleep 30; echo never"}, // sh forks sleep
			timeout: 100 * time.Millisecond,
			wantErr: []string{"killed after the 100ms timeout"},
		},
		{
			name:    "missing program",
			command: []string{filepath.Join(t.TempDir(), "no-such-pager")},
			wantErr: []string{"no-such-pager"},
		},
		{
			name:    "empty program",
			command: []string{""},
			wantErr: []string{"empty program name"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := Alert(t.Context(), Config{Command: tt.command, Timeout: tt.timeout}, summary)
			if err == nil {
				t.Fatal("Alert succeeded, want an error")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q, want it to mention %q", err, s)
				}
			}
			if took := time.Since(start); took >= waitDelay {
				t.Errorf("Alert took %v: the command and its children were not killed", took)
			}
		})
	}
}

// request is what the test webhook received.
type request struct {
	contentType string
	body        []byte
}

// webhook starts a server that answers the given statuses in turn (the last
// one repeating) and records the requests.
func webhook(t *testing.T, statuses ...int) (*httptest.Server, func() []request) {
	t.Helper()
	var (
		mu   sync.Mutex
		reqs []request
		n    atomic.Int32
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("method %s, want POST", r.Method)
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		reqs = append(reqs, request{r.Header.Get("Content-Type"), b})
		mu.Unlock()
		i := min(int(n.Add(1)), len(statuses)) - 1
		w.WriteHeader(statuses[i])
		if statuses[i] >= 400 {
			io.WriteString(w, "upstream says no")
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []request {
		mu.Lock()
		defer mu.Unlock()
		return reqs
	}
}

func TestWebhook(t *testing.T) {
	tests := []struct {
		name         string
		statuses     []int
		wantRequests int
		wantErr      []string // nil: success
	}{
		{"accepted", []int{http.StatusNoContent}, 1, nil},
		{"500 then 200", []int{500, 200}, 2, nil},
		{"always 503", []int{503}, 3, []string{"alert webhook", "503 Service Unavailable", "upstream says no", "attempt 3 of 3"}},
		{"400 not retried", []int{400}, 1, []string{"400 Bad Request", "attempt 1 of 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, requests := webhook(t, tt.statuses...)
			err := Alert(t.Context(), Config{Webhook: srv.URL + "/hook"}, summary)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Alert: %v", err)
			case tt.wantErr != nil && err == nil:
				t.Fatal("Alert succeeded, want an error")
			}
			for _, s := range append(tt.wantErr, srv.URL) {
				if err != nil && !strings.Contains(err.Error(), s) {
					t.Errorf("error %q, want it to mention %q", err, s)
				}
			}
			reqs := requests()
			if len(reqs) != tt.wantRequests {
				t.Fatalf("%d requests, want %d", len(reqs), tt.wantRequests)
			}
			for _, r := range reqs {
				if r.contentType != "application/json" {
					t.Errorf("Content-Type %q, want application/json", r.contentType)
				}
				var got Summary
				if err := json.Unmarshal(r.body, &got); err != nil || !reflect.DeepEqual(got, summary) {
					t.Errorf("body %s (%v), want the summary", r.body, err)
				}
			}
		})
	}
}

func TestWebhookTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	err := Alert(t.Context(), Config{Webhook: srv.URL, Timeout: 50 * time.Millisecond}, summary)
	if err == nil || !strings.Contains(err.Error(), "Timeout") || !strings.Contains(err.Error(), "attempt 3 of 3") {
		t.Errorf("error %v, want a timeout after 3 attempts", err)
	}
}

func TestBothTargetsFail(t *testing.T) {
	srv, _ := webhook(t, 400)
	cfg := Config{
		Command: []string{"/bin/sh", "-c", "exit 3"},
		Webhook: srv.URL,
	}
	err := Alert(t.Context(), cfg, summary)
	if err == nil {
		t.Fatal("Alert succeeded, want both errors")
	}
	for _, s := range []string{"exit status 3", "400 Bad Request"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q, want it to mention %q", err, s)
		}
	}
}

func TestWebhookRejected(t *testing.T) {
	err := Alert(t.Context(), Config{Webhook: "ftp://example.org/hook"}, summary)
	if err == nil || !strings.Contains(err.Error(), "ftp://example.org/hook") {
		t.Errorf("error %v, want a refusal naming the URL", err)
	}
}

// The alert command gets a minimal environment: the pseudonymisation key
// and any other secret of illectro's environment stay out (issue 19: it
// received ILLECTRO_HMAC_KEY).
func TestCommandEnvironment(t *testing.T) {
	t.Setenv("ILLECTRO_HMAC_KEY", "secret-key-0123456789")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "also-secret")
	t.Setenv("LANG", "fr_FR.UTF-8")
	out := filepath.Join(t.TempDir(), "env")
	cfg := Config{Command: []string{"/bin/sh", "-c", `env > "$1"`, "sh", out}}
	if err := Alert(t.Context(), cfg, summary); err != nil {
		t.Fatalf("Alert: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	env := string(b)
	for _, secret := range []string{"ILLECTRO_HMAC_KEY", "secret-key-0123456789", "AWS_SECRET_ACCESS_KEY"} {
		if strings.Contains(env, secret) {
			t.Errorf("the alert command's environment holds %q:\n%s", secret, env)
		}
	}
	for _, want := range []string{"LANG=fr_FR.UTF-8", "ILLECTRO_RUN_ID=42", "PATH="} {
		if !strings.Contains(env, want) {
			t.Errorf("the alert command's environment lacks %q:\n%s", want, env)
		}
	}
}
