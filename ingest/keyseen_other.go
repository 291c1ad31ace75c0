//go:build !linux

package ingest

// keySeenWords is a zeroed table of n words; the Go heap frees it.
func keySeenWords(n int) (words []uint64, free func()) {
	return make([]uint64, n), nil
}
