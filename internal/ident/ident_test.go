package ident

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestFormatUUIDIsSprintf: the hand-written RequestId is the Sprintf form.
func TestFormatUUIDIsSprintf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := [][2]uint64{{0, 0}, {^uint64(0), ^uint64(0)}}
	for range 10000 {
		cases = append(cases, [2]uint64{rng.Uint64(), rng.Uint64()})
	}
	for _, c := range cases {
		a, b := c[0], c[1]
		want := fmt.Sprintf("%08X-%04X-4%03X-%04X-%012X", a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
		if got := formatUUID(a, b); got != want {
			t.Fatalf("formatUUID(%x, %x) = %s, want %s", a, b, got, want)
		}
	}
}
