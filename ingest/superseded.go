package ingest

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"math/bits"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"

	isql "github.com/illectro/illectro/sql"
)

// keySeen finds, in one pass over a file and in fixed memory, the respondent
// keys the file may hold more than once: one bit per key, indexed by the
// key's low bits (pseudonyms are HMAC outputs, uniform already). A key whose
// bit was already set when it comes may be a repeat: every key that comes
// again is caught at its second coming, and other keys only by collision,
// which costs them a row in a small window, not a wrong answer. Safe for
// concurrent use.
type keySeen struct {
	words []atomic.Uint64
	mask  uint64
}

// Bounds of the filter: 2 bits per byte of file (about 96 per row of a
// generic export), between 8 KiB and 64 MiB. n keys in b bits make about
// n²/2b false repeats: 93 000 for 10 M keys in 64 MiB, rows that cost a
// window a little more.
const (
	minKeyBits = 1 << 16
	maxKeyBits = 1 << 29
)

// newKeySeen sizes the filter for a file of size bytes.
func newKeySeen(size int64) *keySeen {
	n := uint64(minKeyBits)
	if size > minKeyBits/2 {
		n = 1 << bits.Len64(uint64(size*2-1))
	}
	n = min(n, maxKeyBits)
	return &keySeen{words: make([]atomic.Uint64, n/64), mask: n - 1}
}

// add marks key and reports whether its bit was set already.
func (s *keySeen) add(key int64) bool {
	i := uint64(key) & s.mask
	b := uint64(1) << (i & 63)
	return s.words[i>>6].Or(b)&b != 0
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
