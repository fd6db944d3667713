//go:build unix

package sqlite

import (
	"os"
	"syscall"
)

// mapPage maps f's first page read-only and shared: it reads what other
// connections and processes write to the file. nil when it cannot.
func mapPage(f *os.File) []byte {
	m, err := syscall.Mmap(int(f.Fd()), 0, os.Getpagesize(), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return m
}

func unmapPage(m []byte) { syscall.Munmap(m) }
