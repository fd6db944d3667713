package sqlite

import (
	"sync"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// maxNonces bounds the nonce memory: past it, nonces older than the
// window go first, then the oldest half of what remains, so a flood of
// signed calls costs bounded memory and replay checks stay exact for every
// nonce still held.
const maxNonces = 1 << 20

// nonces remembers SignatureNonces in process memory. SQLite serves one
// process, so nothing is gained by writing each nonce to disk: that write
// was the one write transaction of every read-only call. A restart forgets
// them, as the signature window soon would. (The nonces table of migration
// 0001 is no longer written; it stays so that old files keep migrating.)
type nonces struct {
	mu   sync.Mutex
	seen map[string]int64 // access key + "\\x00" + nonce → unix nanoseconds
}

func (n *nonces) use(accessKeyID, nonce string, now time.Time) bool {
	key := accessKeyID + "\x00" + nonce
	at, cutoff := now.UnixNano(), now.Add(-store.NonceWindow).UnixNano()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[string]int64{}
	}
	if prev, ok := n.seen[key]; ok && prev >= cutoff {
		return false
	}
	if len(n.seen) >= maxNonces {
		n.prune(cutoff)
	}
	n.seen[key] = at
	return true
}

func (n *nonces) prune(cutoff int64) {
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
