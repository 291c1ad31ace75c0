package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newServer starts h on a test server closed at the end of the test.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// waits records the waits asked of Options.Sleep, without waiting.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

// sleep is an Options.Sleep that records d and returns at once.
func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

// testOptions are fast options for tests: no real waits.
func testOptions(w *waits) Options {
	return Options{Backoff: 10 * time.Millisecond, Sleep: w.sleep}
}

// files lists every name in dir, hidden ones included.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// readFile returns the content of file.
func readFile(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readState decodes the state file, failing the test if it is not valid
// JSON.
func readState(t *testing.T, file string) map[string]entry {
	t.Helper()
	var st map[string]entry
	if err := json.Unmarshal([]byte(readFile(t, file)), &st); err != nil {
		t.Fatalf("state file is not valid JSON: %v", err)
	}
	return st
}

// fetchOneSource runs Fetch on a single source and returns its result.
func fetchOneSource(t *testing.T, src Source, inbox, state string, opt Options) Result {
	t.Helper()
	res := Fetch(t.Context(), []Source{src}, inbox, state, opt)
	if len(res) != 1 {
		t.Fatalf("got %d results, want 1", len(res))
	}
	return res[0]
}

func TestFirstDownload(t *testing.T) {
	const body = "code_insee;debit\n59350;100\n"
	var userAgent atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		userAgent.Store(r.Header.Get("User-Agent"))
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte(body))
	})
	tests := []struct {
		name     string
		src      Source
		wantFile string
	}{
		{"name from URL", Source{Kind: "coverage", URL: srv.URL + "/data/arcep.csv?year=2024"}, "arcep.csv"},
		{"explicit name", Source{Kind: "venues", URL: srv.URL + "/download", Name: "lieux.csv"}, "lieux.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "state", "fetch.json")
			var w waits
			res := fetchOneSource(t, tt.src, inbox, state, testOptions(&w))
			if res.Err != nil || res.Status != StatusDownloaded {
				t.Fatalf("got status %q, err %v; want downloaded", res.Status, res.Err)
			}
			want := filepath.Join(inbox, tt.src.Kind, tt.wantFile)
			if res.Path != want {
				t.Errorf("Path = %q, want %q", res.Path, want)
			}
			if got := readFile(t, want); got != body {
				t.Errorf("saved %q, want %q", got, body)
			}
			if got := files(t, filepath.Join(inbox, tt.src.Kind)); !slices.Equal(got, []string{tt.wantFile}) {
				t.Errorf("inbox holds %q, want only %q", got, tt.wantFile)
			}
			if res.ETag != `"v1"` {
				t.Errorf("ETag = %q, want %q", res.ETag, `"v1"`)
			}
			if ua := userAgent.Load(); ua != DefaultUserAgent {
				t.Errorf("User-Agent = %q, want %q", ua, DefaultUserAgent)
			}
			e, ok := readState(t, state)[stateKey(tt.src.URL)]
			if !ok || e.ETag != `"v1"` || len(e.SHA256) != 64 || e.Path != want {
				t.Errorf("state for %s = %+v, want ETag, SHA-256 and path", tt.src.URL, e)
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	const lastModified = "Wed, 21 Oct 2025 07:28:00 GMT"
	tests := []struct {
		name      string
		validator string // the response header carrying the validator
		value     string
		condition string // the request header that must echo it
	}{
		{"ETag", "ETag", `"abc123"`, "If-None-Match"},
		{"Last-Modified", "Last-Modified", lastModified, "If-Modified-Since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var full, notModified atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(tt.validator, tt.value)
				if r.Header.Get(tt.condition) == tt.value {
					notModified.Add(1)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				full.Add(1)
				w.Write([]byte("a;b\n1;2\n"))
			})
			dir := t.TempDir()
			inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "fetch.json")
			src := Source{Kind: "coverage", URL: srv.URL + "/c.csv"}
			var w waits
			if res := fetchOneSource(t, src, inbox, state, testOptions(&w)); res.Status != StatusDownloaded {
				t.Fatalf("first fetch: status %q, err %v", res.Status, res.Err)
			}
			res := fetchOneSource(t, src, inbox, state, testOptions(&w))
			if res.Err != nil || res.Status != StatusNotModified || res.Path != "" {
				t.Fatalf("second fetch: status %q, path %q, err %v; want not_modified", res.Status, res.Path, res.Err)
			}
			if full.Load() != 1 || notModified.Load() != 1 {
				t.Errorf("server sent %d bodies and %d 304s, want 1 and 1", full.Load(), notModified.Load())
			}
			got := res.ETag
			if tt.validator == "Last-Modified" {
				got = res.LastModified
			}
			if got != tt.value {
				t.Errorf("Result %s = %q, want %q", tt.validator, got, tt.value)
			}
			if names := files(t, filepath.Join(inbox, "coverage")); !slices.Equal(names, []string{"c.csv"}) {
				t.Errorf("inbox holds %q, want only c.csv", names)
			}
		})
	}
}

// stampedName matches a name suffixed by place.
var stampedName = regexp.MustCompile(`^c_\d{8}-\d{6}\.csv$`)

func TestChangedContentKeepsOld(t *testing.T) {
	var version atomic.Int32
	version.Store(1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		v := version.Load()
		etag := `"v` + string(rune('0'+v)) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(strings.Repeat("x", int(v))))
	})
	dir := t.TempDir()
	inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "fetch.json")
	src := Source{Kind: "coverage", URL: srv.URL + "/c.csv"}
	var w waits
	first := fetchOneSource(t, src, inbox, state, testOptions(&w))
	version.Store(2)
	second := fetchOneSource(t, src, inbox, state, testOptions(&w))
	if second.Err != nil || second.Status != StatusDownloaded {
		t.Fatalf("after a change: status %q, err %v; want downloaded", second.Status, second.Err)
	}
	if second.Path == first.Path || !stampedName.MatchString(filepath.Base(second.Path)) {
		t.Errorf("new file saved as %q, want a date-time suffixed name beside %q", second.Path, first.Path)
	}
	if got := readFile(t, first.Path); got != "x" {
		t.Errorf("old file holds %q, want it kept as %q", got, "x")
	}
	if got := readFile(t, second.Path); got != "xx" {
		t.Errorf("new file holds %q, want %q", got, "xx")
	}
	if e := readState(t, state)[stateKey(src.URL)]; e.ETag != `"v2"` || e.Path != second.Path {
		t.Errorf("state = %+v, want ETag \"v2\" and the new path", e)
	}
}

func TestNameCollision(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("remote"))
	})
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	mine := filepath.Join(inbox, "coverage", "c.csv")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	var w waits
	res := fetchOneSource(t, Source{Kind: "coverage", URL: srv.URL + "/c.csv"}, inbox, filepath.Join(dir, "s.json"), testOptions(&w))
	if res.Status != StatusDownloaded || !stampedName.MatchString(filepath.Base(res.Path)) {
		t.Fatalf("status %q, path %q, err %v; want downloaded under a suffixed name", res.Status, res.Path, res.Err)
	}
	if got := readFile(t, mine); got != "mine" {
		t.Errorf("existing file overwritten: holds %q", got)
	}
	if got := readFile(t, res.Path); got != "remote" {
		t.Errorf("download holds %q, want %q", got, "remote")
	}
	if res.Path < mine {
		t.Errorf("suffixed name %q sorts before %q: the ingest would load it first", res.Path, mine)
	}
}

func TestPlaceSameSecond(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 4, 30, 5, 0, time.UTC)
	want := []string{"c.csv", "c_20260301-043005.csv", "c_20260301-043005_2.csv"}
	for i, name := range want {
		tmp := filepath.Join(dir, ".tmp")
		if err := os.WriteFile(tmp, []byte{byte(i)}, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := place(tmp, dir, "c.csv", now)
		if err != nil {
			t.Fatal(err)
		}
		if got != filepath.Join(dir, name) {
			t.Errorf("placement %d: got %q, want %q", i, got, name)
		}
	}
}

func TestSameBodyWithoutValidators(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			t.Error("conditional headers sent without validators")
		}
		w.Write([]byte("same"))
	})
	dir := t.TempDir()
	inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "fetch.json")
	src := Source{Kind: "mediators", URL: srv.URL + "/m.csv"}
	var w waits
	fetchOneSource(t, src, inbox, state, testOptions(&w))
	res := fetchOneSource(t, src, inbox, state, testOptions(&w))
	if res.Err != nil || res.Status != StatusNotModified || res.Path != "" {
		t.Fatalf("status %q, path %q, err %v; want not_modified", res.Status, res.Path, res.Err)
	}
	if requests.Load() != 2 {
		t.Errorf("%d requests, want 2", requests.Load())
	}
	if names := files(t, filepath.Join(inbox, "mediators")); !slices.Equal(names, []string{"m.csv"}) {
		t.Errorf("inbox holds %q, want only m.csv (temp file removed)", names)
	}
}

// reply is one canned response.
type reply struct {
	status     int
	retryAfter string
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name         string
		replies      []reply // the last one repeats
		attempts     int
		wantStatus   string
		wantRequests int
		wantErr      []string // substrings of the error
		checkWaits   func(t *testing.T, w []time.Duration)
	}{
		{
			name:         "503 twice then 200",
			replies:      []reply{{status: 503}, {status: 503}, {status: 200}},
			wantStatus:   StatusDownloaded,
			wantRequests: 3,
			checkWaits: func(t *testing.T, w []time.Duration) {
				if len(w) != 2 || w[0] < 10*time.Millisecond || w[1] <= w[0] {
					t.Errorf("waits %v, want two increasing waits from the 10ms backoff", w)
				}
			},
		},
		{
			name:         "404 fails at once",
			replies:      []reply{{status: 404}},
			wantStatus:   StatusFailed,
			wantRequests: 1,
			wantErr:      []string{"/f.csv", "404 Not Found", "not retried"},
			checkWaits:   wantWaits(),
		},
		{
			name:         "429 honours Retry-After",
			replies:      []reply{{status: 429, retryAfter: "7"}, {status: 200}},
			wantStatus:   StatusDownloaded,
			wantRequests: 2,
			checkWaits:   wantWaits(7 * time.Second),
		},
		{
			name:         "Retry-After capped",
			replies:      []reply{{status: 503, retryAfter: "3600"}, {status: 200}},
			wantStatus:   StatusDownloaded,
			wantRequests: 2,
			checkWaits:   wantWaits(time.Minute),
		},
		{
			name:         "500 until attempts run out",
			replies:      []reply{{status: 500}},
			attempts:     3,
			wantStatus:   StatusFailed,
			wantRequests: 3,
			wantErr:      []string{"/f.csv", "500 Internal Server Error", "attempt 3 of 3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(requests.Add(1))
				rep := tt.replies[min(n, len(tt.replies))-1]
				if rep.retryAfter != "" {
					w.Header().Set("Retry-After", rep.retryAfter)
				}
				w.WriteHeader(rep.status)
				w.Write([]byte("body"))
			})
			dir := t.TempDir()
			var w waits
			opt := testOptions(&w)
			opt.Attempts = tt.attempts
			res := fetchOneSource(t, Source{Kind: "coverage", URL: srv.URL + "/f.csv"}, filepath.Join(dir, "inbox"), filepath.Join(dir, "s.json"), opt)
			if res.Status != tt.wantStatus {
				t.Errorf("status %q (err %v), want %q", res.Status, res.Err, tt.wantStatus)
			}
			if got := int(requests.Load()); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			for _, s := range tt.wantErr {
				if res.Err == nil || !strings.Contains(res.Err.Error(), s) {
					t.Errorf("error %v, want it to mention %q", res.Err, s)
				}
			}
			if tt.checkWaits != nil {
				tt.checkWaits(t, w.d)
			}
		})
	}
}

// wantWaits checks that the waits were exactly want.
func wantWaits(want ...time.Duration) func(t *testing.T, w []time.Duration) {
	return func(t *testing.T, w []time.Duration) {
		t.Helper()
		if !slices.Equal(w, want) {
			t.Errorf("waits %v, want %v", w, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for range 100 {
		prev := time.Duration(0)
		for attempt := 1; attempt <= 8; attempt++ {
			d := backoff(2*time.Second, attempt)
			base := 2 * time.Second << (attempt - 1)
			if d < min(base, maxBackoff) || d > min(base+base/2, maxBackoff) {
				t.Fatalf("attempt %d: wait %v outside [%v, %v] capped at %v", attempt, d, base, base+base/2, maxBackoff)
			}
			if d < prev {
				t.Fatalf("attempt %d: wait %v shorter than the previous %v", attempt, d, prev)
			}
			prev = d
		}
	}
}

func TestTimeout(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	dir := t.TempDir()
	var w waits
	opt := testOptions(&w)
	opt.Client = &http.Client{Timeout: 50 * time.Millisecond}
	opt.Attempts = 3
	res := fetchOneSource(t, Source{Kind: "coverage", URL: srv.URL + "/slow.csv"}, filepath.Join(dir, "inbox"), filepath.Join(dir, "s.json"), opt)
	if res.Status != StatusFailed || res.Err == nil {
		t.Fatalf("status %q, err %v; want failed", res.Status, res.Err)
	}
	if got := requests.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (Attempts)", got)
	}
	for _, s := range []string{"/slow.csv", "Timeout", "attempt 3 of 3", "no HTTP response"} {
		if !strings.Contains(res.Err.Error(), s) {
			t.Errorf("error %q, want it to mention %q", res.Err, s)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	sources := []Source{
		{Kind: "coverage", URL: srv.URL + "/a.csv"},
		{Kind: "coverage", URL: srv.URL + "/b.csv"},
	}
	t.Run("during the backoff", func(t *testing.T) {
		requests.Store(0)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		dir := t.TempDir()
		opt := Options{Sleep: func(ctx context.Context, d time.Duration) error {
			cancel()
			return ctx.Err()
		}}
		res := Fetch(ctx, sources, filepath.Join(dir, "inbox"), filepath.Join(dir, "s.json"), opt)
		for i, r := range res {
			if r.Status != StatusFailed || !errors.Is(r.Err, context.Canceled) {
				t.Errorf("source %d: status %q, err %v; want failed with context.Canceled", i, r.Status, r.Err)
			}
		}
		if got := requests.Load(); got != 1 {
			t.Errorf("%d requests, want 1: no retry and no further source once cancelled", got)
		}
	})
	t.Run("before the start", func(t *testing.T) {
		requests.Store(0)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		dir := t.TempDir()
		res := Fetch(ctx, sources, filepath.Join(dir, "inbox"), filepath.Join(dir, "s.json"), Options{})
		for i, r := range res {
			if !errors.Is(r.Err, context.Canceled) {
				t.Errorf("source %d: err %v, want context.Canceled", i, r.Err)
			}
		}
		if got := requests.Load(); got != 0 {
			t.Errorf("%d requests, want none", got)
		}
	})
}

func TestStateFile(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path == "/missing.csv" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Last-Modified", "Mon, 02 Mar 2026 10:00:00 GMT")
		w.Write([]byte(r.URL.Path))
	})
	dir := t.TempDir()
	inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "var", "fetch.json")
	sources := []Source{
		{Kind: "coverage", URL: srv.URL + "/c.csv"},
		{Kind: "venues", URL: srv.URL + "/missing.csv"},
		{Kind: "venues", URL: srv.URL + "/v.csv"},
	}
	var w waits
	res := Fetch(t.Context(), sources, inbox, state, testOptions(&w))
	got := []string{res[0].Status, res[1].Status, res[2].Status}
	if want := []string{StatusDownloaded, StatusFailed, StatusDownloaded}; !slices.Equal(got, want) {
		t.Fatalf("statuses %q, want %q: one failure must not stop the others", got, want)
	}

	st := readState(t, state)
	if len(st) != 2 || st[stateKey(sources[0].URL)].SHA256 == "" || st[stateKey(sources[2].URL)].LastModified == "" {
		t.Errorf("state %+v, want the two downloads only", st)
	}
	if names := files(t, filepath.Dir(state)); !slices.Equal(names, []string{"fetch.json"}) {
		t.Errorf("state folder holds %q, want only fetch.json", names)
	}

	t.Run("survives for the next run", func(t *testing.T) {
		res := Fetch(t.Context(), []Source{sources[0], sources[2]}, inbox, state, testOptions(&w))
		for i, r := range res {
			if r.Status != StatusNotModified {
				t.Errorf("source %d: status %q (err %v), want not_modified from the stored state", i, r.Status, r.Err)
			}
		}
	})

	t.Run("corrupt", func(t *testing.T) {
		if err := os.WriteFile(state, []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := requests.Load()
		res := Fetch(t.Context(), sources, inbox, state, testOptions(&w))
		for i, r := range res {
			if r.Status != StatusFailed || r.Err == nil || !strings.Contains(r.Err.Error(), state) {
				t.Errorf("source %d: status %q, err %v; want failed naming %s", i, r.Status, r.Err, state)
			}
		}
		if requests.Load() != before {
			t.Error("requests made despite an unreadable state file")
		}
	})
}

func TestRejected(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
	})
	tests := []struct {
		name    string
		src     Source
		wantErr []string
	}{
		{"ftp", Source{Kind: "coverage", URL: "ftp://example.org/c.csv"}, []string{"ftp://example.org/c.csv", "http"}},
		{"file", Source{Kind: "coverage", URL: "file:///etc/passwd"}, []string{"file:///etc/passwd", "http"}},
		{"no host", Source{Kind: "coverage", URL: "http:///c.csv"}, []string{"http"}},
		{"no name in URL", Source{Kind: "coverage", URL: srv.URL + "/"}, []string{srv.URL, "file name"}},
		{"name escapes", Source{Kind: "coverage", URL: srv.URL + "/c.csv", Name: "../c.csv"}, []string{"file name"}},
		{"hidden name", Source{Kind: "coverage", URL: srv.URL + "/.c.csv"}, []string{"file name"}},
		{"no kind", Source{URL: srv.URL + "/c.csv"}, []string{"kind"}},
		{"kind escapes", Source{Kind: "../etc", URL: srv.URL + "/c.csv"}, []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var w waits
			res := fetchOneSource(t, tt.src, filepath.Join(dir, "inbox"), filepath.Join(dir, "s.json"), testOptions(&w))
			if res.Status != StatusFailed || res.Err == nil {
				t.Fatalf("status %q, err %v; want failed", res.Status, res.Err)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.Err.Error(), s) {
					t.Errorf("error %q, want it to mention %q", res.Err, s)
				}
			}
		})
	}
	if requests.Load() != 0 {
		t.Errorf("%d requests for rejected sources, want none", requests.Load())
	}
}

func TestMaxBytes(t *testing.T) {
	body := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		chunked bool // no Content-Length: the limit is found while reading
	}{
		{"Content-Length", false},
		{"chunked", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if tt.chunked {
					w.Write([]byte(body[:50]))
					w.(http.Flusher).Flush()
					w.Write([]byte(body[50:]))
					return
				}
				w.Write([]byte(body))
			})
			dir := t.TempDir()
			inbox := filepath.Join(dir, "inbox")
			var w waits
			opt := testOptions(&w)
			opt.MaxBytes = 10
			res := fetchOneSource(t, Source{Kind: "coverage", URL: srv.URL + "/big.csv"}, inbox, filepath.Join(dir, "s.json"), opt)
			if res.Status != StatusFailed || res.Err == nil {
				t.Fatalf("status %q, err %v; want failed", res.Status, res.Err)
			}
			for _, s := range []string{"/big.csv", "limit of 10 bytes"} {
				if !strings.Contains(res.Err.Error(), s) {
					t.Errorf("error %q, want it to mention %q", res.Err, s)
				}
			}
			if requests.Load() != 1 {
				t.Errorf("%d requests, want 1: an oversized body is not retried", requests.Load())
			}
			if names := files(t, filepath.Join(inbox, "coverage")); len(names) != 0 {
				t.Errorf("inbox holds %q, want nothing left", names)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/a.csv?year=2024", "https://example.org/a.csv?year=2024"},
		{"https://alice:s3cret@example.org/a.csv", "https://xxxxx@example.org/a.csv"},
		{"https://example.org/a.csv?access_token=abc123&year=2024", "https://example.org/a.csv?access_token=xxxxx&year=2024"},
		{"https://example.org/a.csv?Token=abc&X-Amz-Signature=def&sig=ghi", "https://example.org/a.csv?Token=xxxxx&X-Amz-Signature=xxxxx&sig=xxxxx"},
		{"https://example.org/a.csv#key=abc", "https://example.org/a.csv"},
		{"://bad", "(unparsable URL)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A source's credentials reach neither the state file, which is private,
// nor the errors; a state file of an older illectro, keyed by raw URLs, is
// rewritten without them and its entry kept (no second download).
func TestCredentialsNotStored(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte("a;b\n1;2\n"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	inbox, state := filepath.Join(dir, "inbox"), filepath.Join(dir, "fetch.json")
	u, _ := url.Parse(srv.URL)
	src := Source{Kind: "coverage", URL: "http://bob:hunter2@" + u.Host + "/c.csv?access_token=tok-987&year=2024"}
	// An older state file, keyed by the raw URL.
	old := map[string]entry{src.URL: {ETag: `"v1"`, SHA256: "x", Path: "old.csv"}}
	b, _ := json.Marshal(old)
	if err := os.WriteFile(state, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var w waits
	res := Fetch(t.Context(), []Source{src}, inbox, state, testOptions(&w))
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", "tok-987", "bob"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the state file holds %q:\n%s", secret, raw)
		}
	}
	if st, _ := os.Stat(state); st.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", st.Mode().Perm())
	}
	if e := readState(t, state)[stateKey(src.URL)]; e.ETag != `"v1"` {
		t.Errorf("the older entry was not carried over: %+v", e)
	}
	// A failure's error names the source without its credentials.
	bad := Source{Kind: "coverage", URL: "http://bob:hunter2@127.0.0.1:1/c.csv?token=tok-987"}
	res = Fetch(t.Context(), []Source{bad}, inbox, state, testOptions(&w))
	if res[0].Err == nil || strings.Contains(res[0].Err.Error(), "hunter2") || strings.Contains(res[0].Err.Error(), "tok-987") {
		t.Errorf("error %v: want a failure without credentials", res[0].Err)
	}
}
