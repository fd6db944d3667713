package store

import (
	"hash/maphash"
	"sync"
	"time"
)

// maxNonces bounds the nonce memory: past it, nonces older than the
// window go first, then the oldest half of what remains, so a flood of
// signed calls costs bounded memory and replay checks stay exact for every
// nonce still held.
const maxNonces = 1 << 20

// Nonces remembers SignatureNonces in process memory, for the backends that
// serve one process (sqlite, memory): the replay check is a map lookup, not
// a write transaction on every read-only call. A durable backend also
// writes them behind the check and loads them back with Load. The zero value
// is ready; safe for concurrent use.
type Nonces struct {
	mu   sync.Mutex
	seed [2]maphash.Seed
	// seen maps a 128-bit hash of (access key, nonce) to unix nanoseconds:
	// keys without pointers, so a million nonces cost the garbage
	// collector nothing to scan.
	seen map[[2]uint64]int64
}

// Use records nonce of accessKeyID at now and reports whether it was fresh.
func (n *Nonces) Use(accessKeyID, nonce string, now time.Time) bool {
	at, cutoff := now.UnixNano(), now.Add(-NonceWindow).UnixNano()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[[2]uint64]int64{}
		n.seed = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
	}
	key := [2]uint64{n.hash(0, accessKeyID, nonce), n.hash(1, accessKeyID, nonce)}
	if prev, ok := n.seen[key]; ok && prev >= cutoff {
		return false
	}
	if len(n.seen) >= maxNonces {
		n.prune(cutoff)
	}
	n.seen[key] = at
	return true
}

// Load remembers nonce of accessKeyID as seen at at (nanoseconds), as a
// durable store does at open with the nonces it kept.
func (n *Nonces) Load(accessKeyID, nonce string, at int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[[2]uint64]int64{}
		n.seed = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
	}
	if len(n.seen) >= maxNonces {
		return
	}
	key := [2]uint64{n.hash(0, accessKeyID, nonce), n.hash(1, accessKeyID, nonce)}
	if prev, ok := n.seen[key]; !ok || prev < at {
		n.seen[key] = at
	}
}

func (n *Nonces) hash(k int, accessKeyID, nonce string) uint64 {
	var h maphash.Hash
	h.SetSeed(n.seed[k])
	h.WriteString(accessKeyID)
	h.WriteByte(0)
	h.WriteString(nonce)
	return h.Sum64()
}

func (n *Nonces) prune(cutoff int64) {
	for k, at := range n.seen {
		if at < cutoff {
			delete(n.seen, k)
		}
	}
	if len(n.seen) < maxNonces {
		return
	}
	var sum int64
	for _, at := range n.seen {
		sum += at / int64(len(n.seen))
	}
	for k, at := range n.seen {
		if at <= sum {
			delete(n.seen, k)
		}
	}
}
