package ingest

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// keySeenWords is a zeroed table of n words outside the Go heap, in huge
// pages where the kernel has them (transparent huge pages in "madvise"
// mode, as on the machines we measured on, go only to memory that asks):
// the keys fall anywhere in up to 64 MiB, and with 4 KiB pages nearly
// every one also misses the TLB. free unmaps it.
func keySeenWords(n int) (words []uint64, free func()) {
	b, err := unix.Mmap(-1, 0, n*8, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return make([]uint64, n), nil
	}
	// Advice only: without huge pages the table works, a little slower.
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE)
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), n), func() { _ = unix.Munmap(b) }
}
