package pipeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/illectro/illectro/internal/atomicfile"
)

// A heartbeat is what a run last said of itself, in <db>.heartbeat.json
// (Config.HeartbeatPath, mode 0600), rewritten every heartbeatEvery and at
// every stage and file. A run that ends, well or not, removes it; one whose
// process dies (killed for memory, SIGKILL, power cut) leaves it, and the
// next run reads it to say how that run most likely ended (diagnoseDeath):
// the process's memory is the usual suspect, and nothing else is left to
// tell of it.
type heartbeat struct {
	RunID   int64     `json:"run_id"`
	PID     int       `json:"pid"`
	Updated time.Time `json:"updated"`
	// Stage is the stage under way; File the input file being loaded
	// ("kind/name"), if any.
	Stage string `json:"stage"`
	File  string `json:"file,omitempty"`
	// RSS and PeakRSS are the process's resident memory at Updated and
	// its high-water mark (bytes).
	RSS     int64 `json:"rss_bytes"`
	PeakRSS int64 `json:"peak_rss_bytes"`
	// Limit is the lowest memory bound the process is under (bytes; 0
	// unknown) and LimitFrom which one it is.
	Limit     int64  `json:"memory_limit_bytes"`
	LimitFrom string `json:"memory_limit_from,omitempty"`
	// Cgroup is the memory cgroup's folder and OOMKills its count of
	// processes the kernel killed for memory (-1 unknown), when written.
	Cgroup   string `json:"cgroup,omitempty"`
	OOMKills int64  `json:"cgroup_oom_kills"`
}

// heartbeatEvery is how often a run rewrites its heartbeat.
const heartbeatEvery = time.Second

// HeartbeatPath is the file a run keeps its heartbeat in.
func (c Config) HeartbeatPath() string {
	return c.DB + ".heartbeat.json"
}

// beat keeps a run's heartbeat file up to date from a goroutine.
type beat struct {
	path string
	mu   sync.Mutex
	hb   heartbeat
	stop chan struct{}
	done chan struct{}
}

// startHeartbeat writes run's first heartbeat and rewrites it every
// heartbeatEvery until end. Writing is best effort: a heartbeat that cannot
// be written costs a diagnosis, never the run.
func startHeartbeat(path string, run int64) *beat {
	b := &beat{path: path, hb: heartbeat{RunID: run, PID: os.Getpid(), Stage: "reference"},
		stop: make(chan struct{}), done: make(chan struct{})}
	b.write()
	go func() {
		defer close(b.done)
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				b.write()
			}
		}
	}()
	return b
}

// stage says which stage is under way, and file which input is loaded
// ("" when none).
func (b *beat) set(stage, file string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.hb.Stage, b.hb.File = stage, file
	b.mu.Unlock()
	b.write()
}

// end stops the heartbeat and removes its file: the run is recorded as
// ended in the runs table.
func (b *beat) end() {
	if b == nil {
		return
	}
	close(b.stop)
	<-b.done
	os.Remove(b.path)
}

func (b *beat) write() {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := readMemory()
	b.hb.Updated = time.Now().UTC()
	b.hb.RSS, b.hb.PeakRSS = m.rss, m.peak
	b.hb.Limit, b.hb.LimitFrom = m.limit, m.limitFrom
	b.hb.Cgroup, b.hb.OOMKills = m.cgroup, m.oomKills
	data, err := json.Marshal(b.hb)
	if err != nil {
		return
	}
	atomicfile.Write(b.path, 0o600, func(w *bufio.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// readHeartbeat reads the heartbeat left at path; nil when there is none
// or it cannot be read.
func readHeartbeat(path string) *heartbeat {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var hb heartbeat
	if json.Unmarshal(data, &hb) != nil {
		return nil
	}
	return &hb
}

// memory is what the process knows of its memory: resident now and at
// most, the lowest bound it runs under, and its memory cgroup's count of
// kills for memory.
type memory struct {
	rss, peak int64
	limit     int64
	limitFrom string
	cgroup    string
	oomKills  int64
}

// cgroupRoot is where the cgroup file systems are mounted.
var cgroupRoot = "/sys/fs/cgroup"

// readMemory reads /proc/self/status, the memory cgroup (v2, else v1), the
// address-space rlimit and the machine's memory; what cannot be read is 0
// (oomKills -1).
func readMemory() memory {
	m := memory{oomKills: -1}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		m.rss, m.peak = statusKB(string(b), "VmRSS:"), statusKB(string(b), "VmHWM:")
	}
	lower := func(v int64, from string) {
		if v > 0 && (m.limit == 0 || v < m.limit) {
			m.limit, m.limitFrom = v, from
		}
	}
	if dir, v2 := memoryCgroup(); dir != "" {
		m.cgroup = dir
		if v2 {
			lower(readLimit(filepath.Join(dir, "memory.max")), "cgroup memory.max")
			m.oomKills = counter(filepath.Join(dir, "memory.events"), "oom_kill")
		} else {
			lower(readLimit(filepath.Join(dir, "memory.limit_in_bytes")), "cgroup memory.limit_in_bytes")
			m.oomKills = counter(filepath.Join(dir, "memory.oom_control"), "oom_kill")
		}
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur < 1<<62 {
		lower(int64(rl.Cur), "RLIMIT_AS (ulimit -v)")
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		lower(statusKB(string(b), "MemTotal:"), "the machine's memory")
	}
	return m
}

// statusKB reads a "Key:   123 kB" line of /proc/self/status or
// /proc/meminfo, in bytes; 0 when absent.
func statusKB(text, key string) int64 {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// memoryCgroup is the folder of this process's memory cgroup, and whether
// it is cgroup v2; "" when there is none to read.
func memoryCgroup() (string, bool) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				dir := filepath.Join(cgroupRoot, "memory", parts[2])
				if _, err := os.Stat(dir); err == nil {
					return dir, false
				}
			}
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			dir := filepath.Join(cgroupRoot, p)
			if _, err := os.Stat(filepath.Join(dir, "memory.max")); err == nil {
				return dir, true
			}
		}
	}
	return "", false
}

// readLimit reads a cgroup's memory bound; 0 for "max" or a bound too high
// to be one (v1 writes "no limit" as a page-rounded 2^63).
func readLimit(file string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || v >= 1<<62 {
		return 0
	}
	return v
}

// counter reads "name N" from a cgroup's key-value file; -1 when absent.
func counter(file, name string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return n
			}
		}
	}
	return -1
}

// outOfMemoryShare is the share of its memory bound above which a process
// last seen there and then dead is taken to have died of it.
const outOfMemoryShare = 0.8

// diagnoseDeath says how a run whose process died most likely ended, from
// the heartbeat it left (nil: none) and what this process reads of its
// memory cgroup now; outOfMemory when memory was, by the kernel's own
// count or by the heartbeat's figures, the likely cause.
func diagnoseDeath(hb *heartbeat, now memory) (text string, outOfMemory bool) {
	if hb == nil {
		return "the process ended before the run finished (no heartbeat left to say more)", false
	}
	where := "during stage " + hb.Stage
	if hb.File != "" {
		where += ", loading " + hb.File
	}
	seen := fmt.Sprintf("last seen %s %s using %s", hb.Updated.Format(time.RFC3339), where, mib(hb.RSS))
	if hb.Limit > 0 {
		seen += fmt.Sprintf(" of a %s bound (%s)", mib(hb.Limit), hb.LimitFrom)
	}
	switch {
	case hb.Cgroup != "" && hb.Cgroup == now.cgroup && hb.OOMKills >= 0 && now.oomKills > hb.OOMKills:
		return fmt.Sprintf("killed for lack of memory: the kernel's OOM killer acted in its memory cgroup %s (%d kill(s) since); %s",
			hb.Cgroup, now.oomKills-hb.OOMKills, seen), true
	case hb.Limit > 0 && float64(hb.RSS) >= outOfMemoryShare*float64(hb.Limit):
		return "probably killed for lack of memory: " + seen, true
	}
	return "the process ended before the run finished (killed, crashed, or the machine stopped); " + seen, false
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }
