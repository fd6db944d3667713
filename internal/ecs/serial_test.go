package ecs

import (
	"encoding/base64"
	"fmt"
	"testing"
)

// TestSerialNumberIsStable: the serial of an instance never changes across
// versions; this is the first form of the derivation, kept as the reference.
func TestSerialNumberIsStable(t *testing.T) {
	reference := func(id string) string {
		b := []byte(base64.RawURLEncoding.EncodeToString([]byte(id + "ecslocal-serial")))
		hex := make([]byte, 0, 32)
		for _, c := range b {
			hex = append(hex, "0123456789abcdef"[int(c)%16])
			if len(hex) == 32 {
				break
			}
		}
		for len(hex) < 32 {
			hex = append(hex, '0')
		}
		s := string(hex)
		return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
	}
	ids := []string{"", "i", "i-bp1ryym4s3r37t462gh3", "i-" + string(make([]byte, 80))}
	for k := range 2000 {
		ids = append(ids, fmt.Sprintf("i-bp1%017d", k*7919))
	}
	for _, id := range ids {
		if got, want := serialNumber(id), reference(id); got != want {
			t.Fatalf("serialNumber(%q) = %q, want %q", id, got, want)
		}
	}
}
