package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
	"github.com/ecslocal/ecslocal/internal/store"
)

// TestOverload: far past what it can serve, the server keeps answering,
// every answer is a success or Throttling.User (400) or ServiceUnavailable
// (503) in the real error envelope, never another 5xx nor a dropped
// connection; its memory stays bounded; and once the load drops every call
// succeeds again.
func TestOverload(t *testing.T) {
	if testing.Short() {
		t.Skip("overload test: seconds of load; skipped in -short mode")
	}
	// A rate well below what even a race-detector build serves, so that
	// the limit is reached on any machine; many more clients than calls
	// allowed in flight.
	const rate, inflight, clients = 5, 8, 48
	key, _ := server.ParseKey("load:load")
	// The limiter reads the server's wall clock: the test moves it on a
	// second to refill the bucket instead of waiting for one.
	var skew atomic.Int64
	wall := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	srv, err := server.New(context.Background(), server.Config{Store: "memory", Keys: []rpc.Key{key}, RateLimit: rate, MaxInFlight: inflight, WallNow: wall})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c := &caller{url: hs.URL, key: key, hc: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}}

	// What one client gets: the sustainable rate, more or less.
	if a := c.call(t); a.status != 200 {
		t.Fatalf("first call: %+v", a)
	}
	skew.Add(int64(1100 * time.Millisecond)) // a full bucket again

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	// Many clients, each as fast as it can: many times the rate limit and
	// many times the in-flight bound.
	var mu sync.Mutex
	seen := map[string]int{}
	var calls atomic.Int64
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				a := c.call(t)
				calls.Add(1)
				mu.Lock()
				seen[fmt.Sprintf("%d %s", a.status, a.code)]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d calls in 2s from %d clients: %v", calls.Load(), clients, seen)
	for answer, n := range seen {
		switch answer {
		case "200 OK", "400 Throttling.User", "503 ServiceUnavailable":
		default:
			t.Errorf("%d answers %q: want only 200, 400 Throttling.User or 503 ServiceUnavailable", n, answer)
		}
	}
	if seen["200 OK"] == 0 || seen["400 Throttling.User"] == 0 {
		t.Errorf("want successes and throttled calls under overload: %v", seen)
	}
	// 2 s at rate/s with a burst of rate: at most about 3*rate successes.
	if n := seen["200 OK"]; n > 3*rate+2 {
		t.Errorf("%d successes in 2 s, above the %d/s limit", n, rate)
	}

	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Errorf("heap grew by %d MB under overload", grew>>20)
	}

	// The load drops: one second refills the bucket, and a burst of calls
	// succeeds, none of them turned away.
	skew.Add(int64(1100 * time.Millisecond))
	for i := range rate {
		if a := c.call(t); a.status != 200 {
			t.Fatalf("call %d after the load dropped: %+v", i, a)
		}
	}
}

// TestOverload_InFlight: with no rate limit, a call past the in-flight
// bound answers 503 ServiceUnavailable at once, and the call holding the
// slot still succeeds. The slot is held for sure: the store's write lock is
// taken first, so a call that gets the slot waits on the store.
func TestOverload_InFlight(t *testing.T) {
	key, _ := server.ParseKey("load:load")
	srv, err := server.New(context.Background(), server.Config{Store: "memory", Keys: []rpc.Key{key}, MaxInFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c := &caller{url: hs.URL, key: key, hc: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
	if a := c.call(t); a.status != 200 {
		t.Fatalf("a call alone: %+v", a)
	}

	holding, release := make(chan struct{}), make(chan struct{})
	updated := make(chan error, 1)
	go func() {
		updated <- srv.Store.Update(context.Background(), key.Account, func(store.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	// Of two calls, one takes the slot and waits on the store; the other
	// finds it taken, whichever comes first.
	answers := make(chan answer, 2)
	for range 2 {
		go func() { answers <- c.call(t) }()
	}
	select {
	case a := <-answers:
		if a.status != 503 || a.code != "ServiceUnavailable" {
			t.Errorf("the call past the bound: %+v, want 503 ServiceUnavailable", a)
		}
	case <-time.After(10 * time.Second):
		t.Error("both calls wait: the in-flight bound let the second in")
	}
	close(release)
	if a := <-answers; a.status != 200 {
		t.Errorf("the call that held the slot: %+v, want 200", a)
	}
	if err := <-updated; err != nil {
		t.Fatal(err)
	}
	if a := c.call(t); a.status != 200 {
		t.Errorf("a call alone: %+v", a)
	}
}

// caller sends v1-signed DescribeInstances calls.
type caller struct {
	url   string
	key   rpc.Key
	hc    *http.Client
	nonce atomic.Int64
}

type answer struct {
	status int
	code   string
}

// call sends one call and checks that an error answer is in the real
// envelope: every field a JSON string (the classic Go SDK type-asserts).
func (c *caller) call(t *testing.T) answer { return c.callWith(t, nil) }

// callWith sends one call with extra parameters in a signed form body.
func (c *caller) callWith(t *testing.T, extra map[string]string) answer {
	v := url.Values{}
	for k, s := range map[string]string{
		"Format": "JSON", "Version": "2014-05-26", "Action": "DescribeInstances", "RegionId": "cn-hangzhou",
		"AccessKeyId": c.key.ID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "PageSize": "10",
		"SignatureNonce": strconv.FormatInt(c.nonce.Add(1), 10) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36),
		"Timestamp":      time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	} {
		v.Set(k, s)
	}
	for k, s := range extra {
		v.Set(k, s)
	}
	v.Set("Signature", rpc.V1Signature(c.key.Secret, rpc.V1StringToSign(http.MethodPost, v)))
	var resp *http.Response
	var err error
	if extra == nil {
		resp, err = c.hc.Post(c.url+"/?"+v.Encode(), "", nil)
	} else {
		resp, err = c.hc.Post(c.url+"/", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	}
	if err != nil {
		t.Errorf("no answer: %v", err)
		return answer{status: -1, code: "transport"}
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Errorf("read answer: %v", err)
		return answer{status: resp.StatusCode, code: "transport"}
	}
	if resp.StatusCode == http.StatusOK {
		return answer{status: 200, code: "OK"}
	}
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		t.Errorf("%d answer is not JSON: %s", resp.StatusCode, body)
		return answer{status: resp.StatusCode, code: "not-json"}
	}
	for _, f := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := env[f].(string); !ok {
			t.Errorf("%d answer: %s is not a string: %s", resp.StatusCode, f, body)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("%d answer: Content-Type %q", resp.StatusCode, ct)
	}
	code, _ := env["Code"].(string)
	return answer{status: resp.StatusCode, code: code}
}

// TestOverload_SlowBodies: connections that send a body one byte at a time
// hold no in-flight slot, so with many more of them than slots every
// normal call is still served; and each of them is cut off once the body
// deadline passes.
func TestOverload_SlowBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("overload test: skipped in -short mode")
	}
	const inflight, slow = 4, 40
	key, _ := server.ParseKey("load:load")
	srv, err := server.New(context.Background(), server.Config{Store: "memory", Keys: []rpc.Key{key}, MaxInFlight: inflight, BodyTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	var conns []net.Conn
	for range slow {
		conn, err := net.Dial("tcp", hs.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nA")
		conns = append(conns, conn)
	}
	c := &caller{url: hs.URL, key: key, hc: &http.Client{Timeout: 5 * time.Second}}
	for i := range 2 * inflight {
		if a := c.call(t); a.status != 200 {
			t.Fatalf("call %d beside %d slow bodies: %+v, want 200", i, slow, a)
		}
	}
	// The deadline cuts every slow sender off: reading its connection ends
	// (an error answer, or the connection closed) within the deadline and
	// a margin, never after the 100000 bytes it promised.
	for _, conn := range conns[:3] {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.ReadAll(conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("slow connection not cut off by the body deadline: %v", err)
		}
	}
}

// TestOverload_LargeBodies: many clients sending 1 MB bodies as fast as
// they can get answers (success or 503 past the bounds), the heap stays
// bounded, and a normal call succeeds afterwards.
func TestOverload_LargeBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("overload test: skipped in -short mode")
	}
	const inflight, clients = 4, 24
	key, _ := server.ParseKey("load:load")
	srv, err := server.New(context.Background(), server.Config{Store: "memory", Keys: []rpc.Key{key}, MaxInFlight: inflight})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c := &caller{url: hs.URL, key: key, hc: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}}
	pad := strings.Repeat("x", rpc.MaxBodyBytes-4096)
	var before, peak runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var mu sync.Mutex
	seen := map[string]int{}
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				a := c.callWith(t, map[string]string{"Pad": pad})
				mu.Lock()
				seen[fmt.Sprintf("%d %s", a.status, a.code)]++
				mu.Unlock()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	// The live heap while the load runs, sampled.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-tick.C:
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.HeapInuse {
				peak = m
			}
		}
	}
	t.Logf("1 MB bodies from %d clients: %v; heap in use %d MB before, %d MB at peak", clients, seen, before.HeapInuse>>20, peak.HeapInuse>>20)
	for answer := range seen {
		if answer != "200 OK" && answer != "503 ServiceUnavailable" {
			t.Errorf("answer %q: want 200 or 503 ServiceUnavailable", answer)
		}
	}
	if seen["200 OK"] == 0 {
		t.Errorf("no call served: %v", seen)
	}
	// Each client's own 1 MB request and its encoding live in this process
	// too; the server's share is bounded by the body budget and the slots.
	if grew := int64(peak.HeapInuse) - int64(before.HeapInuse); grew > 512<<20 {
		t.Errorf("heap in use grew by %d MB under 1 MB bodies", grew>>20)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 32<<20 {
		t.Errorf("live heap grew by %d MB after 1 MB bodies (kept by the audit log?)", grew>>20)
	}
	if a := c.call(t); a.status != 200 {
		t.Errorf("a call after the load: %+v", a)
	}
}
