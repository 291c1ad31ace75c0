package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version or VCS revision recorded by the Go toolchain is used.
var version = ""

func versionCmd(env *environment, args []string) error {
	fs := newFlags("version", "version")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	v, duck := version, "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
				v = s.Value
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/duckdb/duckdb-go/v2" {
				duck = d.Version
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(env.stdout, "illectro %s (duckdb-go %s, %s)\n", v, duck, runtime.Version())
	return nil
}
