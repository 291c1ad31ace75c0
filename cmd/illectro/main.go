// Command illectro measures digital exclusion (illectronisme) across French
// départements: it ingests open data into DuckDB, computes diagnostics and
// publishes static HTML maps. Run `illectro help` for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // Europe/Paris on machines without zoneinfo
)

func main() {
	privateUmask()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// privateUmask makes every file illectro creates its owner's alone unless
// it says otherwise: the working database, and DuckDB's write-ahead log and
// spill files, which DuckDB creates as it goes (after Open made the
// database 0600), hold pseudonymised rows; the inbox, the heartbeat and the
// fetch state are operators' files. What is published is made readable
// explicitly: the releases and the analysts' snapshot (publish.Readable),
// the downloads (their own modes).
func privateUmask() { syscall.Umask(0o077) }

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp reports that help was printed on request: exit code 0.
var errHelp = errors.New("help requested")

func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "illectro: %v\nRun 'illectro help' for usage.\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "illectro: %v\n", err)
		return 1
	}
}

const usage = `illectro measures digital exclusion across French départements.

Usage:
  illectro run      [--config FILE] [--db PATH] [--out DIR] [--inbox DIR] [--force]   whole pipeline once
  illectro ingest   --kind assessments|coverage|venues|mediators|socio [--mapping FILE] [--db PATH] FILE...
  illectro report   [--db PATH] [--out DIR]
  illectro sql      [--config FILE | --db PATH] [--format table|csv|json] [--] [QUERY]   snapshot only, read-only (query from stdin if absent)
  illectro schedule [--config FILE] [--check]   nightly runs; --check: next firings and daylight-saving warnings
  illectro runs     [--db PATH] [--last N]   run history (status, files, rows, release, error)
  illectro gen      assessments --rows N --seed S [--out FILE]
  illectro gen      france --out DIR [--assessments N] [--venues N] [--defects SHARE] [--seed S]   synthetic inbox
  illectro bench    ingest [--rows N] [--seed S] [--dir DIR]   ingest speed against DuckDB's read_csv
  illectro bench    run [--assessments N] [--venues N] [--dir DIR]   end to end on a synthetic France
  illectro version

Defaults: --db ./illectro.duckdb, --out ./public. 'illectro CMD --help' describes CMD.
Environment: ILLECTRO_HMAC_KEY, the key that pseudonymises respondent ids.
`

// run is the whole program, minus the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("missing subcommand")
	}
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runCmd(ctx, env, rest)
	case "ingest":
		return ingestCmd(ctx, env, rest)
	case "report":
		return reportCmd(ctx, env, rest)
	case "sql":
		return sqlCmd(ctx, env, rest)
	case "schedule":
		return scheduleCmd(ctx, env, rest)
	case "runs":
		return runsCmd(ctx, env, rest)
	case "gen":
		return genCmd(ctx, env, rest)
	case "version":
		return versionCmd(env, rest)
	case "bench":
		return benchCmd(ctx, env, rest)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown subcommand %q", cmd)
}

// environment is what a subcommand may touch of the outside world.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}
