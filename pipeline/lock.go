//go:build unix

package pipeline

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// runLock is an exclusive lock on a file held for the duration of a run,
// so that a cron run and a manual run never overlap. The kernel releases it
// when the process ends, even if it is killed.
type runLock struct{ f *os.File }

// errRunInProgress says another process holds the lock.
var ErrRunInProgress = errors.New("a run is in progress")

// lockRun takes the lock on path without waiting. The file keeps the pid
// of the holder, for the message of the one that finds it taken.
func lockRun(path string) (*runLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := strings.TrimSpace(string(b[:n]))
			if holder != "" {
				holder = " (process " + holder + ")"
			}
			return nil, fmt.Errorf("%w%s: lock %s is held; try again when it ends", ErrRunInProgress, holder, path)
		}
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &runLock{f: f}, nil
}

// unlock releases the lock.
func (l *runLock) unlock() {
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
