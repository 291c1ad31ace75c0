//go:build unix

package notify

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd run in a process group of its own, and its
// cancellation kill the whole group, so that a timed-out command's children
// (a curl under a shell script) die with it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
