package rpc

import (
	"strconv"
	"testing"
	"time"
)

// TestLimiter: a burst of rate calls, then one call per 1/rate seconds;
// accounts do not share a bucket.
func TestLimiter(t *testing.T) {
	l := newLimiter(10)
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		if !l.allow("a", t0) {
			t.Fatalf("call %d of the burst refused", i)
		}
	}
	if l.allow("a", t0) {
		t.Fatal("call past the burst allowed")
	}
	if !l.allow("b", t0) {
		t.Fatal("another account throttled by the first one's calls")
	}
	if l.allow("a", t0.Add(50*time.Millisecond)) {
		t.Fatal("allowed before a token came back")
	}
	if !l.allow("a", t0.Add(100*time.Millisecond)) {
		t.Fatal("refused after a token came back")
	}
	// A long pause refills the bucket, never past the burst.
	later := t0.Add(time.Hour)
	for i := range 10 {
		if !l.allow("a", later) {
			t.Fatalf("call %d after a pause refused", i)
		}
	}
	if l.allow("a", later) {
		t.Fatal("bucket filled past the burst")
	}
}

// TestLimiter_Bounded: the limiter remembers at most maxBuckets accounts
// however many a client makes up (with --auth off, any key is a tenant).
func TestLimiter_Bounded(t *testing.T) {
	l := newLimiter(1)
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 * maxBuckets {
		l.allow("acct-"+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := l.size(); n > maxBuckets {
		t.Fatalf("%d buckets, want at most %d", n, maxBuckets)
	}
}
