package diagnostics_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/illectro/illectro/diagnostics"
	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
	"github.com/illectro/illectro/internal/dbtest"
	"github.com/illectro/illectro/samples"
	isql "github.com/illectro/illectro/sql"
)

// BenchmarkEstimateIllectronism is the model stage of a run: read the
// 34 875 communes of the bundled reference data with the bundled socio file
// (diploma and poverty of nearly every commune), rake them, fit the central
// and 2019 variants, the leave-one-out fits and the draws, estimate every
// commune and territory, and rewrite the diag_* tables.
func BenchmarkEstimateIllectronism(b *testing.B) {
	ctx := b.Context()
	db := dbtest.OpenWithReference(b)
	ref, err := ingest.LoadReference()
	if err != nil {
		b.Fatal(err)
	}
	l := &ingest.Loader{DB: db, Codes: geo.NewCodes(ref.COG, ref.Movements)}
	socio := "dataforgood_ifn_indicateurs_communes_2017.csv"
	if res, err := l.Load(ctx, ingest.Socio, ingest.FSFile(samples.FS, socio)); err != nil || res.Loaded == 0 {
		b.Fatalf("load %s: %+v, %v", socio, res, err)
	}
	if err := isql.BuildViews(ctx, db, isql.Params{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		sum, err := diagnostics.EstimateIllectronism(ctx, db, diagnostics.ModelOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Communes != 34875 {
			b.Fatalf("EstimateIllectronism: %d communes, want 34875", sum.Communes)
		}
	}
	// the machine is shared: the CPU time of this process moves less than
	// the wall time when others run
	b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
