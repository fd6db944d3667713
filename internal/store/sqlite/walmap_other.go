//go:build !unix

package sqlite

import "os"

// mapPage does not map on this system: the header is read from the file.
func mapPage(*os.File) []byte { return nil }

func unmapPage([]byte) {}
