package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
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

// flagArg matches an argument that reads as a flag: -name, --name or
// --name=value. An argument with a blank in its name, such as a query
// starting with "-- a comment", is not one.
var flagArg = regexp.MustCompile(`^--?[A-Za-z][A-Za-z0-9_-]*(=.*)?$`)

// parseLeading parses the flags that start args and returns the arguments
// after them: parsing stops at "--" or at the first argument that does not
// read as a flag (flagArg), so that free text such as SQL beginning with a
// "--" comment is never taken for a flag.
func (f *flags) parseLeading(env *environment, args []string) ([]string, error) {
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !flagArg.MatchString(a) {
			break
		}
		i++
		if strings.Contains(a, "=") {
			continue
		}
		if fl := f.Lookup(strings.TrimLeft(a, "-")); fl != nil {
			if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				i++ // its value
			}
		}
	}
	if err := f.parse(env, args[:min(i, len(args))]); err != nil {
		return nil, err
	}
	return append(f.Args(), args[min(i, len(args)):]...), nil
}
