package pipeline

import (
	"context"
	"errors"

	isql "github.com/illectro/illectro/sql"
)

// A RunErrorKind is why a run failed, as a stable code: the stage that
// failed, or how. The runs table stores it as error_kind beside the error's
// wording, and published pages show the kind, never the wording, which may
// hold a server path or a raw database message. Run's errors wrap one of
// the ErrRun… kinds below (test with errors.Is); RunKindOf classifies any
// error.
type RunErrorKind struct {
	Code string // stable, stored in runs.error_kind
	text string
}

func (k *RunErrorKind) Error() string { return k.text }

// The kinds of failed runs.
var (
	// ErrRunConfiguration: a setting read during the run is invalid (the
	// illectronism margins file).
	ErrRunConfiguration = &RunErrorKind{"configuration", "invalid configuration"}
	// ErrRunInbox: the inbox cannot be listed.
	ErrRunInbox = &RunErrorKind{"inbox", "inbox unreadable"}
	// ErrRunDatabase: storing the reference data, reading the ledgers, or
	// building the views or marts failed.
	ErrRunDatabase = &RunErrorKind{"database", "database error"}
	// ErrRunModel: the access distances or the illectronism model could
	// not be computed.
	ErrRunModel = &RunErrorKind{"model", "estimates not computed"}
	// ErrRunDataTests: a data test of sql/tests returned rows, or could not
	// run.
	ErrRunDataTests = &RunErrorKind{"data_tests", "data tests failed"}
	// ErrRunReport: the site of the release could not be built or fails
	// its check.
	ErrRunReport = &RunErrorKind{"report", "report not built"}
	// ErrRunSnapshot: the analysts' snapshot could not be published.
	ErrRunSnapshot = &RunErrorKind{"snapshot", "analysts' snapshot not published"}
	// ErrRunPublish: the new release could not be switched live.
	ErrRunPublish = &RunErrorKind{"publish", "release not switched live"}
	// ErrRunInterrupted: the run was stopped (signal, cancelled context),
	// or its process ended before it finished.
	ErrRunInterrupted = &RunErrorKind{"interrupted", "run interrupted"}
	// ErrRunOutOfMemory: the run's process died, most likely killed for
	// lack of memory (diagnoseDeath), as the next run found.
	ErrRunOutOfMemory = &RunErrorKind{"out_of_memory", "killed for lack of memory"}
	// ErrRunOther is the kind of an error of no other kind (a bug to fix),
	// and of runs failed before kinds existed whose wording was not
	// recognised.
	ErrRunOther = &RunErrorKind{"other", "other error"}
)

// RunErrorKinds lists every kind, for the pages that label them.
func RunErrorKinds() []*RunErrorKind {
	return []*RunErrorKind{ErrRunConfiguration, ErrRunInbox, ErrRunDatabase, ErrRunModel,
		ErrRunDataTests, ErrRunReport, ErrRunSnapshot, ErrRunPublish, ErrRunInterrupted, ErrRunOutOfMemory, ErrRunOther}
}

// stageError is a run's error of one kind: its message is err's alone, and
// it unwraps to both the kind and err.
type stageError struct {
	kind *RunErrorKind
	err  error
}

func (e *stageError) Error() string   { return e.err.Error() }
func (e *stageError) Unwrap() []error { return []error{e.kind, e.err} }

// failed returns err as an error of kind; nil for nil.
func failed(kind *RunErrorKind, err error) error {
	if err == nil {
		return nil
	}
	return &stageError{kind, err}
}

// RunKindOf is the kind of a run's error: the RunErrorKind it wraps (the
// outermost), else interrupted for a cancelled context and data_tests for
// the sql package's *CheckError, else ErrRunOther; nil for nil.
func RunKindOf(err error) *RunErrorKind {
	var k *RunErrorKind
	var check *isql.CheckError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &k):
		return k
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ErrRunInterrupted
	case errors.As(err, &check):
		return ErrRunDataTests
	}
	return ErrRunOther
}
