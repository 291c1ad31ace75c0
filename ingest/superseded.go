package ingest

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"math/bits"

	"github.com/duckdb/duckdb-go/v2"

	isql "github.com/illectro/illectro/sql"
)

// keySeen finds, in one pass over a file and in fixed memory, the respondent
// keys the file may hold more than once: one bit per key, indexed by the
// key's low bits (pseudonyms are HMAC outputs, uniform already). A key whose
// bit was already set when it comes may be a repeat: every key that comes
// again is caught at its second coming, and other keys only by collision,
// which costs them a row in a small window, not a wrong answer.
//
// Not safe for concurrent use: one goroutine owns it and is handed the keys
// a chunk at a time (fillAssessments). Each key is a miss in a table far
// larger than the caches; with plain loads and stores the processor keeps
// many misses in flight, where the atomic OR of workers sharing the table
// waited for each one (16 % of the ingest's CPU at 10 M rows, BENCHMARKS.md).
// The table asks the kernel for huge pages (keySeenWords), which saves a
// page walk at nearly every key.
type keySeen struct {
	words []uint64
	mask  uint64
	free  func()
}

// Bounds of the filter: 2 bits per byte of file (about 96 per row of a
// generic export), between 8 KiB and 64 MiB. n keys in b bits make about
// n²/2b false repeats: 93 000 for 10 M keys in 64 MiB, rows that cost a
// window a little more.
const (
	minKeyBits = 1 << 16
	maxKeyBits = 1 << 29
)

// newKeySeen sizes the filter for a file of size bytes; release frees it.
func newKeySeen(size int64) *keySeen {
	n := uint64(minKeyBits)
	if size > minKeyBits/2 {
		n = 1 << bits.Len64(uint64(size*2-1))
	}
	n = min(n, maxKeyBits)
	words, free := keySeenWords(int(n / 64))
	return &keySeen{words: words, mask: n - 1, free: free}
}

// add marks key and reports whether its bit was set already.
func (s *keySeen) add(key int64) bool {
	i := uint64(key) & s.mask
	b := uint64(1) << (i & 63)
	w := s.words[i>>6]
	s.words[i>>6] = w | b
	return w&b != 0
}

// release returns the table's memory; s must not be used after.
func (s *keySeen) release() {
	s.words = nil
	if s.free != nil {
		s.free()
	}
}

// supersede records, in the file's transaction, the self-assessment rows
// that are no longer their respondent's latest now that file fileID of
// source is loaded: its own repeats (among the keys in repeated, those
// keySeen caught), then, when earlier files have its source, the rows it
// supersedes there or that supersede its own. See sql/migrations/009_assessments_superseded.sql.
func supersede(ctx context.Context, conn *gosql.Conn, fileID int64, source string, repeated []int64) error {
	if _, err := conn.ExecContext(ctx, isql.IngestSupersededKeys); err != nil {
		return err
	}
	err := conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "tmp_ingest_repeated_keys")
		if err != nil {
			return err
		}
		for _, k := range repeated {
			if err := a.AppendRow(k); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, isql.IngestSupersededWithin, fileID); err != nil {
		return err
	}
	var earlier bool
	if err := conn.QueryRowContext(ctx, isql.IngestSupersededEarlier, fileID, nullString(source)).Scan(&earlier); err != nil {
		return err
	}
	if earlier {
		if _, err := conn.ExecContext(ctx, isql.IngestSupersededAcross, fileID, nullString(source)); err != nil {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, "DROP TABLE temp.main.tmp_ingest_repeated_keys")
	return err
}
