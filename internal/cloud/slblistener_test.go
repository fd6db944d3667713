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
		{"create while the backends configure", func() (LoadBalancer, error) { return AddListener(configuring, udp, t0, window) }, "", 2},
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
		{"delete", func() (LoadBalancer, error) { return RemoveListener(lb, 80, "", t0) }, "", 0},
		{"delete unknown", func() (LoadBalancer, error) { return RemoveListener(lb, 81, "", t0) }, "InvalidParameter", 1},
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
				if got.ConfiguringUntil.After(t0.Add(time.Second)) {
					t.Fatalf("a listener write opened the backends' window: %v", got.ConfiguringUntil)
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

// TestListenerStates: every listener action in every state, with the code
// it answers and the state it leaves (shown at once, then settled).
func TestListenerStates(t *testing.T) {
	at := func(status, phase string) Listener {
		x := NewListener(80, ProtoTCP, map[string]string{"BackendServerPort": "80"})
		x.Status = status
		if phase != "" {
			x.Phase, x.PhaseUntil = phase, t0.Add(time.Second)
		}
		return x
	}
	states := map[string]Listener{
		"stopped":               at(ListenerStopped, ""),
		"running":               at(ListenerRunning, ""),
		"configuring":           at(ListenerStopped, ListenerConfiguring),
		"configuring (running)": at(ListenerRunning, ListenerConfiguring),
		"starting":              at(ListenerRunning, ListenerStarting),
		"stopping":              at(ListenerStopped, ListenerStopping),
	}
	idle, busy := lbWith(), lbWith()
	busy.ConfiguringUntil = t0.Add(time.Second)
	set := func(x Listener) (Listener, error) { return x, nil }
	actions := map[string]func(LoadBalancer, Listener) (Listener, error){
		"start": func(l LoadBalancer, x Listener) (Listener, error) { return StartListener(l, x, t0, window) },
		"stop":  func(_ LoadBalancer, x Listener) (Listener, error) { return StopListener(x, t0, window) },
		"set":   func(_ LoadBalancer, x Listener) (Listener, error) { return ConfigureListener(x, t0, window, set) },
		"delete": func(l LoadBalancer, x Listener) (Listener, error) {
			l.Listeners = []Listener{x}
			_, err := RemoveListener(l, 80, "", t0)
			return x, err
		},
	}
	cases := []struct {
		action, state string
		lb            LoadBalancer
		want          string // code, or "" for success
		now, settled  string // states after a success
	}{
		{"start", "stopped", idle, "", ListenerStarting, ListenerRunning},
		{"start", "stopped", busy, "ServiceIsConfiguring", "", ""},
		{"start", "running", idle, "Operation.NotAllowed", "", ""},
		{"start", "configuring", idle, "Operation.Deny", "", ""},
		{"start", "configuring (running)", idle, "Operation.Deny", "", ""},
		{"start", "starting", idle, "Operation.Deny", "", ""},
		{"start", "stopping", idle, "Operation.Deny", "", ""},
		{"stop", "running", busy, "", ListenerStopping, ListenerStopped},
		{"stop", "stopped", idle, "", ListenerStopped, ListenerStopped},
		{"stop", "configuring", idle, "Operation.NotAllowed", "", ""},
		{"stop", "starting", idle, "Operation.NotAllowed", "", ""},
		{"stop", "stopping", idle, "Operation.NotAllowed", "", ""},
		{"set", "running", busy, "", ListenerConfiguring, ListenerRunning},
		{"set", "stopped", busy, "", ListenerStopped, ListenerStopped},
		{"set", "configuring", idle, "OperationFailed.ListenerStatusNotSupport", "", ""},
		{"set", "configuring (running)", idle, "OperationFailed.ListenerStatusNotSupport", "", ""},
		{"set", "starting", idle, "OperationFailed.ListenerStatusNotSupport", "", ""},
		{"set", "stopping", idle, "OperationFailed.ListenerStatusNotSupport", "", ""},
		{"delete", "running", busy, "", "", ""},
		{"delete", "stopped", idle, "", "", ""},
		{"delete", "configuring", idle, "ServiceIsConfiguring", "", ""},
		{"delete", "starting", idle, "ServiceIsConfiguring", "", ""},
		{"delete", "stopping", idle, "ServiceIsStopping", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.action+" "+tc.state, func(t *testing.T) {
			got, err := actions[tc.action](tc.lb, states[tc.state])
			if code := codeOf(err); code != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if err != nil || tc.now == "" {
				return
			}
			if s := got.StatusAt(t0); s != tc.now {
				t.Fatalf("status now = %s, want %s", s, tc.now)
			}
			if s := got.StatusAt(t0.Add(window.D())); s != tc.settled {
				t.Fatalf("status after the window = %s, want %s", s, tc.settled)
			}
		})
	}

	// A new listener is configuring for the window, then stopped; with no
	// window it is stopped at once.
	l, _ := AddListener(lbWith(), at(ListenerStopped, ""), t0, window)
	if s := l.Listeners[0].StatusAt(t0); s != ListenerConfiguring {
		t.Fatalf("new listener = %s", s)
	}
	if s := l.Listeners[0].StatusAt(t0.Add(window.D())); s != ListenerStopped {
		t.Fatalf("new listener after the window = %s", s)
	}
	l, _ = AddListener(lbWith(), at(ListenerStopped, ""), t0, 0)
	if s := l.Listeners[0].StatusAt(t0); s != ListenerStopped {
		t.Fatalf("new listener, no window = %s", s)
	}
}
