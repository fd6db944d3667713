package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/server"
)

// TestPprof: /debug/pprof/ is served only with Config.Pprof, from the
// server's own handler (never http.DefaultServeMux).
func TestPprof(t *testing.T) {
	for _, on := range []bool{true, false} {
		srv, err := server.New(context.Background(), server.Config{Store: "memory", Pprof: on})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler)
		resp, err := http.Get(hs.URL + "/debug/pprof/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		served := resp.StatusCode == http.StatusOK && strings.Contains(string(body), "goroutine")
		if served != on {
			t.Errorf("Pprof %v: /debug/pprof/ answered %d (profiles listed: %v)", on, resp.StatusCode, served)
		}
		if on {
			resp, err := http.Get(hs.URL + "/debug/pprof/heap?debug=1")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("heap profile: %v %v", resp, err)
			} else {
				resp.Body.Close()
			}
		}
		hs.Close()
		srv.Close()
	}
}
