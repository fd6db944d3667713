package cloud

import (
	"fmt"
	"testing"
	"time"
)

// TestVServerGroupRules has one row per rule of the member changes.
func TestVServerGroupRules(t *testing.T) {
	m := func(id string, port, weight int) VServerBackend {
		return VServerBackend{ServerID: id, Port: port, Weight: weight, Type: BackendECS}
	}
	g := VServerGroup{ID: "rsp-1", Backends: []VServerBackend{m("i-a", 80, 100)}}
	busy := g
	busy.ConfiguringUntil = t0.Add(time.Second)
	cases := []struct {
		name  string
		apply func() (VServerGroup, error)
		want  string
		got   string
	}{
		{"add a second port of the same server", func() (VServerGroup, error) {
			return AddGroupBackends(g, []VServerBackend{m("i-a", 81, 5)}, t0, window)
		}, "", "[i-a:80:100 i-a:81:5]"},
		{"add an existing pair takes the weight", func() (VServerGroup, error) {
			return AddGroupBackends(g, []VServerBackend{m("i-a", 80, 5)}, t0, window)
		}, "", "[i-a:80:5]"},
		{"add while configuring", func() (VServerGroup, error) {
			return AddGroupBackends(busy, []VServerBackend{m("i-b", 80, 5)}, t0, window)
		}, "VServerGroupProcessing", ""},
		{"remove ignores other ports", func() (VServerGroup, error) {
			return RemoveGroupBackends(g, []VServerBackend{m("i-a", 81, 0)}, t0, window)
		}, "", "[i-a:80:100]"},
		{"set changes members only", func() (VServerGroup, error) {
			return SetGroupBackends(g, []VServerBackend{m("i-a", 80, 1), m("i-z", 80, 1)}, t0, window)
		}, "", "[i-a:80:1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, err := tc.apply()
			if codeOf(err) != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if err != nil {
				return
			}
			var got []string
			for _, b := range next.Backends {
				got = append(got, fmt.Sprintf("%s:%d:%d", b.ServerID, b.Port, b.Weight))
			}
			if fmt.Sprint(got) != tc.got || !next.Configuring(t0) {
				t.Fatalf("members %v (configuring %t), want %s", got, next.Configuring(t0), tc.got)
			}
		})
	}
	eni := VServerGroup{Backends: []VServerBackend{m("i-a", 80, 1), {ServerID: "eni-1", Port: 80, Type: BackendENI}, m("i-b", 80, 1)}}
	next, changed := ReleaseGroupBackends(eni, "i-a", func(id string) bool { return id == "eni-1" })
	if !changed || len(next.Backends) != 1 || next.Backends[0].ServerID != "i-b" {
		t.Fatalf("release left %+v", next.Backends)
	}
}
