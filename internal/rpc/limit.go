package rpc

import (
	"sync"
	"time"
)

// Overload protection (protocol.md §5 step 9): a token bucket per account
// answers Throttling.User past Options.RateLimit, and a bound on the calls
// served at once answers ServiceUnavailable past Options.MaxInFlight, so
// that a CI fleet cannot grow the server's memory without bound.

// maxBuckets bounds how many accounts the limiter remembers. With --auth
// off any access key is a tenant of its own, so the map must not grow with
// what clients send.
const maxBuckets = 10000

// limiter is a token bucket per account: rate tokens a second, at most
// burst of them saved.
type limiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64) *limiter {
	return &limiter{rate: rate, burst: rate, buckets: map[string]*bucket{}}
}

// allow takes one token of account's bucket at now, reporting false when
// none is left.
func (l *limiter) allow(account string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[account]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[account] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// evict forgets the accounts whose bucket has refilled: forgetting them
// changes nothing, a new bucket starts full. If that leaves the map still
// crowded, it forgets accounts at random down to nine tenths of the bound,
// which only forgives each of them a burst, and makes the next eviction a
// tenth of the bound away (no scan per call under a flood of new accounts).
func (l *limiter) evict(now time.Time) {
	for acct, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, acct)
		}
	}
	for acct := range l.buckets {
		if len(l.buckets) < maxBuckets*9/10 {
			break
		}
		delete(l.buckets, acct)
	}
}

// size is how many accounts the limiter remembers (for tests).
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
