package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

func newHostile(t *testing.T, cfg server.Config) (*httptest.Server, *server.Server) {
	t.Helper()
	cfg.Store = "memory"
	srv, err := server.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs, srv
}

func send(t *testing.T, method, url string, hdr map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func eventCount(t *testing.T, url string, hdr map[string]string) int {
	t.Helper()
	st, _, body := send(t, "GET", url+"/_ecslocal/events?limit=10000", hdr, "")
	if st != 200 {
		t.Fatalf("events: %d %s", st, body)
	}
	var ans struct{ Events []map[string]any }
	json.Unmarshal([]byte(body), &ans)
	return len(ans.Events)
}

// TestAdminGuard: a foreign Host (DNS rebinding) or Origin (a cross-site
// form or fetch) is refused with 403 on reads and changes alike; answers
// carry CSP and frame headers; a same-origin request passes.
func TestAdminGuard(t *testing.T) {
	hs, _ := newHostile(t, server.Config{})
	host := strings.TrimPrefix(hs.URL, "http://")
	for _, tc := range []struct {
		method, path string
		hdr          map[string]string
		want         int
	}{
		{"GET", "/_ecslocal/state", map[string]string{"Host": "evil.example"}, 403},
		{"GET", "/_ecslocal/state", map[string]string{"Host": "evil.example:" + strings.Split(host, ":")[1]}, 403},
		{"POST", "/_ecslocal/faults", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403},
		{"POST", "/_ecslocal/console/reset", map[string]string{"Origin": "null"}, 403},
		{"POST", "/_ecslocal/reset", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"GET", "/_ecslocal/console/", map[string]string{"Origin": "http://evil.example"}, 403},
		{"GET", "/_ecslocal/clock", map[string]string{"Origin": "http://" + host}, 200},
		{"GET", "/_ecslocal/clock", map[string]string{"Host": "localhost"}, 200},
		{"GET", "/_ecslocal/health", map[string]string{"Host": "evil.example"}, 200},
	} {
		st, h, body := send(t, tc.method, hs.URL+tc.path, tc.hdr, `{"action":"DescribeRegions","code":"Throttling"}`)
		if st != tc.want {
			t.Errorf("%s %s %v: %d %s, want %d", tc.method, tc.path, tc.hdr, st, body, tc.want)
		}
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: security headers missing: %v", tc.method, tc.path, h)
		}
	}
	if st, _, body := send(t, "GET", hs.URL+"/_ecslocal/faults", nil, ""); st != 200 || body != "[]\n" {
		t.Errorf("a refused request armed a fault: %d %s", st, body)
	}
	// The RPC endpoint answers any Host: SDKs send their endpoint's name.
	key, _ := server.ParseKey("test:test")
	c := &caller{url: hs.URL, key: key, hc: &http.Client{Transport: hostTransport{"ecs.aliyuncs.com"}}}
	if a := c.call(t); a.status != 200 {
		t.Errorf("API call with Host ecs.aliyuncs.com: %+v", a)
	}
}

type hostTransport struct{ host string }

func (h hostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Host = h.host
	return http.DefaultTransport.RoundTrip(r)
}

// TestAdminTokenBeforeLog: admin calls without the token are refused
// before anything is logged (counted in a metric instead), and pprof and
// metrics need the token too.
func TestAdminTokenBeforeLog(t *testing.T) {
	hs, _ := newHostile(t, server.Config{AdminToken: "s3cret", Pprof: true})
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	if st, _, _ := send(t, "POST", hs.URL+"/_ecslocal/reset", auth, ""); st != 200 {
		t.Fatalf("reset with the token: %d", st)
	}
	before := eventCount(t, hs.URL, auth)
	for range 50 {
		if st, _, _ := send(t, "POST", hs.URL+"/_ecslocal/reset", nil, ""); st != 401 {
			t.Fatalf("reset without the token: %d, want 401", st)
		}
	}
	if n := eventCount(t, hs.URL, auth); n != before {
		t.Errorf("unauthenticated admin calls logged: %d events, want %d", n, before)
	}
	for _, p := range []string{"/metrics", "/debug/pprof/cmdline", "/debug/pprof/"} {
		if st, _, body := send(t, "GET", hs.URL+p, nil, ""); st != 401 || strings.Contains(body, "s3cret") {
			t.Errorf("%s without the token: %d", p, st)
		}
		if st, _, _ := send(t, "GET", hs.URL+p, auth, ""); st != 200 {
			t.Errorf("%s with the token: %d", p, st)
		}
	}
	_, _, metrics := send(t, "GET", hs.URL+"/metrics", auth, "")
	if !strings.Contains(metrics, `ecslocal_admin_refused_total{reason="token"} 53`) {
		t.Errorf("refused admin calls not counted:\n%s", grep(metrics, "refused"))
	}
}

// TestRefusedCallsLogged: an API call refused at authentication (bad
// signature, unknown key, stale timestamp, replayed nonce) leaves one
// audit event and a metric with its reason.
func TestRefusedCallsLogged(t *testing.T) {
	key, _ := server.ParseKey("test:test")
	hs, _ := newHostile(t, server.Config{Keys: []rpc.Key{key}})
	c := &caller{url: hs.URL, key: key, hc: http.DefaultClient}
	bad := &caller{url: hs.URL, key: rpc.Key{ID: "test", Secret: "wrong"}, hc: http.DefaultClient}
	stranger := &caller{url: hs.URL, key: rpc.Key{ID: "stranger", Secret: "x"}, hc: http.DefaultClient}
	want := map[string]int{}
	for _, tc := range []struct {
		c     *caller
		extra map[string]string
		code  string
	}{
		{bad, nil, "SignatureDoesNotMatch"},
		{stranger, nil, "InvalidAccessKeyId.NotFound"},
		{c, map[string]string{"Timestamp": time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05Z")}, "InvalidTimeStamp.Expired"},
		{c, map[string]string{"SignatureNonce": "fixed"}, "OK"},
		{c, map[string]string{"SignatureNonce": "fixed"}, "SignatureNonceUsed"},
	} {
		if a := tc.c.callWith(t, tc.extra); a.code != tc.code {
			t.Errorf("%v: %+v, want %s", tc.extra, a, tc.code)
		}
		want[tc.code]++
	}
	st, _, body := send(t, "GET", hs.URL+"/_ecslocal/events", nil, "")
	var ans struct {
		Events []struct{ Code, Action string }
	}
	if st != 200 || json.Unmarshal([]byte(body), &ans) != nil {
		t.Fatalf("events: %d %s", st, body)
	}
	got := map[string]int{}
	for _, e := range ans.Events {
		got[e.Code]++
	}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("%s: %d events, want %d (%v)", code, got[code], n, got)
		}
	}
	_, _, metrics := send(t, "GET", hs.URL+"/metrics", nil, "")
	for _, code := range []string{"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidTimeStamp.Expired", "SignatureNonceUsed"} {
		if !strings.Contains(metrics, `ecslocal_refused_requests_total{reason="`+code+`"} 1`) {
			t.Errorf("metric for %s missing:\n%s", code, grep(metrics, "refused"))
		}
	}
}

// TestAuditBoundedMemory: calls with a 1 MB parameter leave the live heap
// where it was: events keep bounded copies, never the request bodies.
func TestAuditBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 MB; skipped in -short mode")
	}
	key, _ := server.ParseKey("test:test")
	hs, _ := newHostile(t, server.Config{Keys: []rpc.Key{key}, MaxInFlight: -1})
	c := &caller{url: hs.URL, key: key, hc: http.DefaultClient}
	pad := strings.Repeat("p", 1<<20-8192)
	c.call(t)
	before := liveHeap()
	for i := range 200 {
		if a := c.callWith(t, map[string]string{"Pad": pad}); a.status != 200 {
			t.Fatalf("call %d: %+v", i, a)
		}
	}
	eventCount(t, hs.URL, nil) // flushes the queue into the log
	grew := int64(liveHeap()) - int64(before)
	t.Logf("live heap grew by %d KB after 200 calls with a 1 MB parameter", grew>>10)
	if grew > 24<<20 {
		t.Errorf("live heap grew by %d MB: events keep request bodies alive", grew>>20)
	}
}

func liveHeap() uint64 {
	var m runtimeMemStats
	readHeap(&m)
	return m.HeapAlloc
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

type runtimeMemStats = runtime.MemStats

func readHeap(m *runtime.MemStats) { runtime.GC(); runtime.ReadMemStats(m) }
