package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// flags is a subcommand's flag set: parse errors become usage errors and
// --help prints the synopsis and flags to stdout.
type flags struct {
	*flag.FlagSet
	synopsis string
}

func newFlags(name, synopsis string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flags{FlagSet: fs, synopsis: synopsis}
}

// parse parses args; on --help it prints the usage and returns errHelp.
func (f *flags) parse(env *environment, args []string) error {
	err := f.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(env.stdout, "Usage: illectro %s\n\nFlags:\n", f.synopsis)
		f.VisitAll(func(fl *flag.Flag) {
			def := ""
			if fl.DefValue != "" && fl.DefValue != "0" {
				def = fmt.Sprintf(" (default %s)", fl.DefValue)
			}
			fmt.Fprintf(env.stdout, "  --%s\n      %s%s\n", fl.Name, fl.Usage, def)
		})
		return errHelp
	}
	if err != nil {
		return usagef("%s: %v", f.Name(), err)
	}
	return nil
}
