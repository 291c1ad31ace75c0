// Package fetch downloads the remote input files of a run into the inbox, so
// that the normal ingest picks them up.
//
// Each configured source is a URL and the input kind it provides. A run asks
// every source, with a conditional GET, whether its file changed since the
// last download; a changed file is saved, atomically and without overwriting
// anything, as inbox/<kind>/<name>. What was last seen of each URL (ETag,
// Last-Modified, SHA-256 of the body) is kept in a small JSON state file.
package fetch

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/illectro/illectro/internal/atomicfile"
)

// Defaults of Options.
const (
	// DefaultTimeout is the Timeout of the default HTTP client.
	DefaultTimeout = 60 * time.Second
	// DefaultAttempts is the number of tries per source: one try and three
	// retries.
	DefaultAttempts = 4
	// DefaultBackoff is the wait before the first retry.
	DefaultBackoff = 2 * time.Second
	// DefaultUserAgent identifies the pipeline to the servers.
	DefaultUserAgent = "illectro (+https://github.com/illectro/illectro)"
	// DefaultMaxBytes is the largest body accepted: 2 GiB.
	DefaultMaxBytes int64 = 2 << 30
)

// maxBackoff caps every wait between two tries, Retry-After included.
const maxBackoff = time.Minute

// Statuses of a Result.
const (
	StatusDownloaded  = "downloaded"
	StatusNotModified = "not_modified"
	StatusFailed      = "failed"
)

// Source is one remote input file.
type Source struct {
	Kind string // input kind, e.g. "coverage": the inbox sub-folder
	URL  string // http or https
	Name string // file name to save as; default: the last path segment of the URL
}

// Options tune the HTTP behaviour; zero values mean the defaults.
type Options struct {
	// Client makes the requests; default: a client with Timeout
	// DefaultTimeout. The timeout covers reading the body too.
	Client *http.Client
	// Attempts is the number of tries per source (default DefaultAttempts).
	Attempts int
	// Backoff is the wait before the first retry, doubled at each further
	// retry, plus up to half of it as jitter, and capped at one minute
	// (default DefaultBackoff).
	Backoff time.Duration
	// UserAgent is sent with every request (default DefaultUserAgent).
	UserAgent string
	// MaxBytes is the largest body accepted (default DefaultMaxBytes).
	MaxBytes int64
	// Sleep waits d between two tries, or returns ctx.Err() if ctx ends
	// first; tests stub it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: DefaultTimeout}
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return o
}

// sleep waits d, or returns ctx.Err() if ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Result says what happened to one source.
type Result struct {
	Source Source
	// Path is where the new file was saved: "" when not modified, or when
	// the download failed. It is set, with Status failed, when the file was
	// saved but the state file could not be updated.
	Path   string
	Status string // StatusDownloaded, StatusNotModified or StatusFailed
	Err    error
	// ETag and LastModified are the validators the server last sent.
	ETag, LastModified string
}

// entry is what the state file remembers of one URL.
type entry struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	SHA256       string    `json:"sha256"`
	Path         string    `json:"path,omitempty"` // the last file saved
	Checked      time.Time `json:"checked"`        // the last successful request
}

// Fetch downloads every source whose content changed since the state stored
// in stateFile (a JSON file, mode 0600, mapping each source — its redacted
// URL and a digest of the whole URL, never a credential — to ETag /
// Last-Modified / sha256),
// using conditional GET (If-None-Match / If-Modified-Since). A new file is
// written atomically (temp file + rename) into inbox/<kind>/<name>; if a file
// of that name exists it is suffixed with the date-time so nothing is
// overwritten. A body identical (sha256) to the last download is treated as
// not modified. The state file is updated atomically after each success.
// One failing source does not stop the others: its Result carries the error.
//
// Network errors, HTTP 429 and 5xx are retried, waiting Retry-After when the
// server sends it; other statuses fail at once. A missing state file means
// nothing was downloaded yet; an unreadable one fails every source, since
// downloading all again would duplicate the inbox.
func Fetch(ctx context.Context, sources []Source, inbox, stateFile string, opt Options) []Result {
	opt = opt.withDefaults()
	results := make([]Result, len(sources))
	state, err := loadState(stateFile)
	if err != nil {
		for i, s := range sources {
			results[i] = Result{Source: s, Status: StatusFailed, Err: err}
		}
		return results
	}
	for i, s := range sources {
		results[i] = fetchOne(ctx, s, inbox, stateFile, state, opt)
	}
	return results
}

// fetchOne downloads one source and records the outcome in state and in
// stateFile.
func fetchOne(ctx context.Context, src Source, inbox, stateFile string, state map[string]entry, opt Options) Result {
	res := Result{Source: src, Status: StatusFailed}
	u, name, err := check(src)
	if err != nil {
		res.Err = err
		return res
	}
	where := Redact(src.URL)
	if err := ctx.Err(); err != nil {
		res.Err = fmt.Errorf("fetch %s: %w", where, err)
		return res
	}
	dir := filepath.Join(inbox, src.Kind)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		res.Err = fmt.Errorf("fetch %s: %w", where, err)
		return res
	}
	key := stateKey(src.URL)
	prev, ok := state[key]
	if !ok { // a state file written before keys were redacted
		if prev, ok = state[src.URL]; ok {
			state[key] = prev
		}
	}
	delete(state, src.URL) // never written back with its credentials
	got, err := download(ctx, u, dir, name, prev, opt)
	if err != nil {
		res.Err = fmt.Errorf("fetch %s: %w", where, err)
		return res
	}
	next := entry{
		ETag:         cmp.Or(got.etag, prev.ETag),
		LastModified: cmp.Or(got.lastModified, prev.LastModified),
		SHA256:       cmp.Or(got.sum, prev.SHA256),
		Path:         prev.Path,
		Checked:      time.Now().UTC(),
	}
	res.ETag, res.LastModified = next.ETag, next.LastModified
	switch {
	case got.notModified:
		res.Status = StatusNotModified
	case got.sum == prev.SHA256:
		os.Remove(got.tmp)
		res.Status = StatusNotModified
	default:
		final, err := place(got.tmp, dir, name, time.Now())
		if err != nil {
			os.Remove(got.tmp)
			res.Err = fmt.Errorf("fetch %s: %w", where, err)
			return res
		}
		res.Path, res.Status = final, StatusDownloaded
		next.Path = final
	}
	state[key] = next
	if err := saveState(stateFile, state); err != nil {
		res.Status = StatusFailed
		res.Err = fmt.Errorf("fetch %s: %w", where, err)
	}
	return res
}

// check validates src and returns its parsed URL and the file name to save
// as.
func check(src Source) (*url.URL, string, error) {
	u, err := url.Parse(src.URL)
	if err != nil {
		return nil, "", fmt.Errorf("fetch: source URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, "", fmt.Errorf("fetch %s: only http and https URLs are supported", u.Redacted())
	}
	if !plainName(src.Kind) {
		return nil, "", fmt.Errorf("fetch %s: kind %q is not a folder name", u.Redacted(), src.Kind)
	}
	name := src.Name
	if name == "" {
		name = path.Base(u.Path)
	}
	if !plainName(name) {
		return nil, "", fmt.Errorf("fetch %s: file name %q is not usable, set one for this source", u.Redacted(), name)
	}
	return u, name, nil
}

// plainName reports whether s is a single path element that the ingest does
// not skip (no leading dot).
func plainName(s string) bool {
	return s != "" && !strings.HasPrefix(s, ".") && !strings.ContainsAny(s, `/\`) && filepath.IsLocal(s)
}

// fetched is the outcome of one successful request.
type fetched struct {
	notModified        bool   // the server answered 304
	tmp                string // the body, in a hidden temp file beside its final place
	sum                string // the body's SHA-256, hex
	etag, lastModified string
}

// tryError is the failure of one try.
type tryError struct {
	err        error
	status     string        // the HTTP status, "" when no response came
	retry      bool          // another try may succeed
	retryAfter time.Duration // the server's Retry-After, or -1
}

// download gets u, retrying as opt says, and returns the body in a temp file
// in dir (or a 304).
func download(ctx context.Context, u *url.URL, dir, name string, prev entry, opt Options) (fetched, error) {
	lastStatus := ""
	for attempt := 1; ; attempt++ {
		got, te := try(ctx, u, dir, name, prev, opt)
		if te == nil {
			return got, nil
		}
		if te.status != "" {
			lastStatus = te.status
		}
		if err := ctx.Err(); err != nil {
			return fetched{}, giveUp(err, attempt, opt.Attempts, lastStatus)
		}
		if !te.retry || attempt >= opt.Attempts {
			if te.status != "" { // a response came: a status error names it, else it was 200
				return fetched{}, fmt.Errorf("%w (attempt %d of %d)", te.err, attempt, opt.Attempts)
			}
			return fetched{}, giveUp(te.err, attempt, opt.Attempts, lastStatus)
		}
		wait := backoff(opt.Backoff, attempt)
		if te.retryAfter >= 0 {
			wait = min(te.retryAfter, maxBackoff)
		}
		if err := opt.Sleep(ctx, wait); err != nil {
			return fetched{}, giveUp(err, attempt, opt.Attempts, lastStatus)
		}
	}
}

// giveUp is the error of a download abandoned after attempt tries: err,
// then the last HTTP status seen.
func giveUp(err error, attempt, attempts int, lastStatus string) error {
	if lastStatus == "" {
		return fmt.Errorf("%w (attempt %d of %d; no HTTP response)", err, attempt, attempts)
	}
	return fmt.Errorf("%w (attempt %d of %d; last HTTP status %s)", err, attempt, attempts, lastStatus)
}

// backoff is the wait after the given failed attempt (1 for the first):
// base doubled attempt-1 times, plus up to half of it as jitter, capped at
// maxBackoff.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	if d >= maxBackoff {
		return maxBackoff
	}
	if half := d / 2; half > 0 {
		d += rand.N(half)
	}
	return min(d, maxBackoff)
}

// try makes one conditional GET of u.
func try(ctx context.Context, u *url.URL, dir, name string, prev entry, opt Options) (fetched, *tryError) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fetched{}, &tryError{err: err, retryAfter: -1}
	}
	req.Header.Set("User-Agent", opt.UserAgent)
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := opt.Client.Do(req)
	if err != nil {
		// The caller names the URL already; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fetched{}, &tryError{err: err, retry: true, retryAfter: -1}
	}
	defer resp.Body.Close()
	got := fetched{etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		got.notModified = true
		return got, nil
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fetched{}, &tryError{
			err:        fmt.Errorf("HTTP %s", resp.Status),
			status:     resp.Status,
			retry:      true,
			retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	default:
		return fetched{}, &tryError{err: fmt.Errorf("HTTP %s, not retried", resp.Status), status: resp.Status, retryAfter: -1}
	}
	if resp.ContentLength > opt.MaxBytes {
		return fetched{}, &tryError{
			err:        fmt.Errorf("body of %d bytes exceeds the limit of %d bytes", resp.ContentLength, opt.MaxBytes),
			status:     resp.Status,
			retryAfter: -1,
		}
	}
	got.tmp, got.sum, err = save(resp.Body, dir, name, opt.MaxBytes)
	if err != nil {
		return fetched{}, &tryError{err: err, status: resp.Status, retry: !errors.Is(err, errTooLarge), retryAfter: -1}
	}
	return got, nil
}

// retryAfter parses a Retry-After header, in seconds or as an HTTP date; -1
// when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return -1
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		if s < 0 {
			return -1
		}
		return min(time.Duration(s)*time.Second, maxBackoff)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxBackoff)
	}
	return -1
}

// errTooLarge marks a body over Options.MaxBytes.
var errTooLarge = errors.New("body exceeds the size limit")

// save writes body to a hidden temp file in dir (which the ingest skips) and
// returns its path and SHA-256. It fails with errTooLarge past limit bytes.
func save(body io.Reader, dir, name string, limit int64) (tmp, sum string, err error) {
	f, err := os.CreateTemp(dir, "."+name+".part-*")
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, limit+1))
	if err != nil {
		return "", "", fmt.Errorf("read body: %w", err)
	}
	if n > limit {
		return "", "", fmt.Errorf("%w of %d bytes", errTooLarge, limit)
	}
	if err := f.Chmod(0o600); err != nil { // the inbox is private: a source may hold personal data
		return "", "", err
	}
	if err := f.Sync(); err != nil {
		return "", "", err
	}
	if err := f.Close(); err != nil {
		return "", "", err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

// place renames tmp to dir/name, or, if that exists, to dir/<stem>_<date-time><ext>
// (then _2, _3… within the same second), and returns the path used. The
// suffixed name sorts after the original, so the ingest loads the newer file
// last.
func place(tmp, dir, name string, now time.Time) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	stamp := now.Format("20060102-150405")
	for i := 0; ; i++ {
		candidate := name
		switch {
		case i == 1:
			candidate = stem + "_" + stamp + ext
		case i > 1:
			candidate = fmt.Sprintf("%s_%s_%d%s", stem, stamp, i, ext)
		}
		final := filepath.Join(dir, candidate)
		_, err := os.Lstat(final)
		if err == nil {
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if err := os.Rename(tmp, final); err != nil {
			return "", err
		}
		return final, nil
	}
}

// loadState reads the state file; a missing file is an empty state.
func loadState(file string) (map[string]entry, error) {
	state := map[string]entry{}
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return state, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetch state: %w", err)
	}
	if err := json.Unmarshal(b, &state); err != nil {
		return nil, fmt.Errorf("fetch state %s: %w (fix or delete it; deleting downloads every source again)", file, err)
	}
	return state, nil
}

// saveState writes the state file atomically: a temp file beside it, then
// a rename.
func saveState(file string, state map[string]entry) (err error) {
	b, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return fmt.Errorf("fetch state: %w", err)
	}
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fetch state: %w", err)
	}
	// Private: it names the sources (credentials redacted) and what was
	// downloaded.
	err = atomicfile.Write(file, 0o600, func(w *bufio.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("fetch state: %w", err)
	}
	return nil
}
