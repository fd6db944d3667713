// Package ident makes resource IDs and RequestIds in the real formats
// (spec/semantics.md §0). A Generator is seeded per server, so tests get
// stable IDs and two servers in one process never share state.
package ident

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

// Generator makes IDs; safe for concurrent use.
type Generator struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

// New makes a generator; seed 0 means a random seed.
func New(seed uint64) *Generator {
	if seed == 0 {
		var b [8]byte
		crand.Read(b[:])
		seed = binary.LittleEndian.Uint64(b[:])
	}
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return &Generator{rnd: rand.New(rand.NewChaCha8(s))}
}

// regionCode is the region-flavoured start of real resource IDs.
var regionCode = map[string]string{
	"cn-hangzhou":    "bp1",
	"cn-shanghai":    "uf6",
	"cn-beijing":     "2ze",
	"cn-shenzhen":    "wz9",
	"cn-hongkong":    "j6c",
	"ap-southeast-1": "t4n",
	"us-west-1":      "rj9",
	"eu-central-1":   "gw8",
}

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// ID makes a resource ID such as "i-bp1f2k3…" for the prefix "i" in region.
func (g *Generator) ID(prefix, region string) string {
	code, ok := regionCode[region]
	if !ok {
		code = "xx0"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	b := make([]byte, 17)
	for i := range b {
		b[i] = alphabet[g.rnd.IntN(len(alphabet))]
	}
	return prefix + "-" + code + string(b)
}

// RequestID makes an upper-case UUID, the RequestId format of every answer.
func (g *Generator) RequestID() string {
	g.mu.Lock()
	a, b := g.rnd.Uint64(), g.rnd.Uint64()
	g.mu.Unlock()
	return formatUUID(a, b)
}

// formatUUID writes fmt.Sprintf("%08X-%04X-4%03X-%04X-%012X", a>>32,
// a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff) by hand:
// every call makes one.
func formatUUID(a, b uint64) string {
	var out [36]byte
	hex := func(at int, v uint64, digits int) {
		for i := at + digits - 1; i >= at; i-- {
			out[i] = "0123456789ABCDEF"[v&0xf]
			v >>= 4
		}
	}
	hex(0, a>>32, 8)
	out[8] = '-'
	hex(9, a>>16&0xffff, 4)
	out[13], out[14] = '-', '4'
	hex(15, a&0xfff, 3)
	out[18] = '-'
	hex(19, b>>48&0x3fff|0x8000, 4)
	out[23] = '-'
	hex(24, b&0xffffffffffff, 12)
	return string(out[:])
}

// Digits makes n decimal digits, for order ids and the like.
func (g *Generator) Digits(n int) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rnd.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '2'
	}
	return string(b)
}
