//go:build !unix

package notify

import "os/exec"

// killGroup leaves cmd as it is: outside Unix only the command itself is
// killed on timeout, and Config.Timeout plus waitDelay still bound Alert.
func killGroup(*exec.Cmd) {}
