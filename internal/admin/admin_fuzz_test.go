package admin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/server"
)

// FuzzAdmin sends arbitrary methods, paths, Host, Origin, token, content
// types and bodies to the admin http.Handler (guard, JSON endpoints and
// console) of a server with an admin token: it never panics and never
// answers a 5xx; whatever the request, the guard or the endpoint answers it.
func FuzzAdmin(f *testing.F) {
	const token = "fuzz-token"
	srv, err := server.New(context.Background(), server.Config{
		Store: "memory", FreezeClock: true, AdminToken: token, AdminHosts: []string{"ecslocal"}, Seed: 1,
		WallNow: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })

	for _, s := range []struct {
		method uint8
		path   string
		body   string
	}{
		{0, "health", ""},
		{0, "config", ""},
		{3, "config", `{"profile":"realistic","delays":{"instanceStart":"1s"}}`},
		{3, "config", `{"delays":"x"}`},
		{1, "faults", `{"action":"RunInstances","code":"Throttling","count":2}`},
		{1, "faults", `{"action":"RunInstances","code":"X","httpStatus":200}`},
		{0, "faults", ""},
		{4, "faults", ""},
		{1, "clock", `{"advance":"1h"}`},
		{1, "clock", `{"advance":"2562047h"}`},
		{1, "clock", `{"set":"9999-12-31T00:00:00Z"}`},
		{1, "clock", `{"set":"2262-04-11T23:47:16Z"}`},
		{0, "clock", ""},
		{0, "state", ""},
		{2, "state", `{"schemaVersion":1,"accounts":[]}`},
		{2, "state", `{"schemaVersion":1,"clock":{"now":"2262-04-11T00:00:00Z"},"meta":{"faults":[]},"accounts":[{"account":"1","resources":[{"kind":"instance","id":"i-1","data":{}}]}]}`},
		{2, "state", `{"schemaVersion":1,"accounts":[{"account":"1","resources":[{"kind":"instance","id":"i-1","data":{"id":"i-1"}}]}]}`},
		{1, "reset", ""},
		{1, "instances/i-x/locks", `{"reason":"security"}`},
		{4, "instances/i-x/locks/security", ""},
		{1, "auto-snapshot-policies/sp-x/run", ""},
		{0, "events?limit=5&since=2026-01-01T00:00:00Z", ""},
		{0, "events?limit=-1&account=%zz", ""},
		{0, "console/", ""},
		{0, "console/accounts/1/regions/cn-hangzhou", ""},
		{1, "console/clock", "advance=1h"},
		{1, "console/signin", "token=fuzz-token"},
		{0, "console/assets/../../etc/passwd", ""},
	} {
		f.Add(s.method, s.path, uint8(0), uint8(1), "", uint8(1), s.body)
	}
	f.Add(uint8(1), "reset", uint8(2), uint8(1), "http://evil.example", uint8(0), "")
	f.Add(uint8(0), "state", uint8(3), uint8(2), "", uint8(0), "")
	f.Add(uint8(5), "\x00/../config", uint8(1), uint8(0), "null", uint8(2), "\xff")

	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions, "BREW"}
	hosts := []string{"127.0.0.1:8080", "localhost", "ecslocal:8080", "evil.example", "[::1]:1", ""}
	types := []string{"", "application/json", "application/x-www-form-urlencoded", "text/plain"}
	f.Fuzz(func(t *testing.T, method uint8, path string, host, tokenMode uint8, origin string, ctype uint8, body string) {
		req, err := http.NewRequest(methods[int(method)%len(methods)], "http://x/_ecslocal/"+path, strings.NewReader(body))
		if err != nil {
			return // not a request line net/http would parse
		}
		req.Host = hosts[int(host)%len(hosts)]
		switch tokenMode % 3 {
		case 1:
			req.Header.Set("Authorization", "Bearer "+token)
		case 2:
			req.Header.Set("Authorization", "Bearer "+origin)
		}
		if origin != "" && headerSafe(origin, false) {
			req.Header.Set("Origin", origin)
		}
		if ct := types[int(ctype)%len(types)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		srv.Admin.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body.Bytes())
		}
	})
}

// headerSafe tells whether s could travel as a header value on the wire.
func headerSafe(s string, _ bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
