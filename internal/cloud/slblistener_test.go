package cloud

import (
	"testing"
	"time"
)

// TestListenerRules has one row per rule of the listener writes.
func TestListenerRules(t *testing.T) {
	tcp := NewListener(80, ProtoTCP, map[string]string{"BackendServerPort": "80"})
	udp := NewListener(80, ProtoUDP, map[string]string{"BackendServerPort": "53"})
	lb := lbWith()
	lb.Listeners = []Listener{tcp}
	configuring := lb
	configuring.ConfiguringUntil = t0.Add(time.Second)
	cases := []struct {
		name  string
		apply func() (LoadBalancer, error)
		want  string
		n     int
	}{
		{"create", func() (LoadBalancer, error) { return AddListener(lbWith(), tcp, t0, window) }, "", 1},
		{"same port, same transport", func() (LoadBalancer, error) {
			return AddListener(lb, NewListener(80, ProtoHTTP, map[string]string{"BackendServerPort": "80"}), t0, window)
		}, "ListenerAlreadyExists", 1},
		{"same port, UDP", func() (LoadBalancer, error) { return AddListener(lb, udp, t0, window) }, "", 2},
		{"create while configuring", func() (LoadBalancer, error) { return AddListener(configuring, udp, t0, window) }, "BackendServer.configuring", 1},
		{"no backend port nor group", func() (LoadBalancer, error) {
			return AddListener(lbWith(), NewListener(80, ProtoTCP, nil), t0, window)
		}, "MissingParameter", 0},
		{"group instead of port", func() (LoadBalancer, error) {
			return AddListener(lbWith(), NewListener(80, ProtoTCP, map[string]string{"VServerGroupId": "rsp-1"}), t0, window)
		}, "", 1},
		{"https without certificate", func() (LoadBalancer, error) {
			return AddListener(lbWith(), NewListener(443, ProtoHTTPS, map[string]string{"BackendServerPort": "80"}), t0, window)
		}, "MissingParameter", 0},
		{"acl on without id", func() (LoadBalancer, error) {
			return AddListener(lbWith(), NewListener(80, ProtoTCP, map[string]string{"BackendServerPort": "80", "AclStatus": "on", "AclType": "white"}), t0, window)
		}, "MissingParameter", 0},
		{"delete", func() (LoadBalancer, error) { return RemoveListener(lb, 80, "", t0, window) }, "", 0},
		{"delete unknown", func() (LoadBalancer, error) { return RemoveListener(lb, 81, "", t0, window) }, "InvalidParameter", 1},
		{"start", func() (LoadBalancer, error) { return ChangeListener(lb, 80, ProtoTCP, t0, window, StartListener) }, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.apply()
			if code := codeOf(err); code != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if err == nil {
				if len(got.Listeners) != tc.n {
					t.Fatalf("listeners = %d, want %d", len(got.Listeners), tc.n)
				}
				if !got.ConfiguringUntil.Equal(t0.Add(window.D())) {
					t.Fatalf("window not opened: %v", got.ConfiguringUntil)
				}
			}
		})
	}
	two := lb
	two.Listeners = []Listener{tcp, udp}
	if _, err := two.ListenerAt(80, ""); codeOf(err) != "TooManyListeners" {
		t.Fatalf("ambiguous port: %v", err)
	}
}
