package cloud

import (
	"slices"
	"testing"
	"time"
)

const window = Duration(2 * time.Second)

func lbWith(backends ...BackendServer) LoadBalancer {
	return LoadBalancer{ID: "lb-1", Region: "cn-hangzhou", Status: SLBActive, Backends: backends}
}

func ecsServer(id string, weight int) BackendServer {
	return BackendServer{ServerID: id, Weight: weight, Type: BackendECS}
}

func serverIDs(l LoadBalancer) []string {
	var out []string
	for _, b := range l.Backends {
		out = append(out, b.ServerID)
	}
	return out
}

// TestBackendWrites has one row per rule of the three backend actions (§5.8).
func TestBackendWrites(t *testing.T) {
	configuring := lbWith(ecsServer("i-a", 100))
	configuring.ConfiguringUntil = t0.Add(time.Second)
	settled := configuring
	settled.ConfiguringUntil = t0
	cases := []struct {
		name    string
		apply   func() (LoadBalancer, error)
		want    string
		servers []string
		weights []int
	}{
		{"add", func() (LoadBalancer, error) {
			return AddBackends(lbWith(), []BackendServer{ecsServer("i-a", 100), ecsServer("i-b", 50)}, t0, window)
		}, "", []string{"i-a", "i-b"}, []int{100, 50}},
		{"add repeated: first wins", func() (LoadBalancer, error) {
			return AddBackends(lbWith(), []BackendServer{ecsServer("i-a", 10), ecsServer("i-a", 90)}, t0, window)
		}, "", []string{"i-a"}, []int{10}},
		{"add existing member takes the new weight", func() (LoadBalancer, error) {
			return AddBackends(lbWith(ecsServer("i-a", 100)), []BackendServer{ecsServer("i-a", 20)}, t0, window)
		}, "", []string{"i-a"}, []int{20}},
		{"add while configuring", func() (LoadBalancer, error) {
			return AddBackends(configuring, []BackendServer{ecsServer("i-b", 100)}, t0, window)
		}, "BackendServer.configuring", nil, nil},
		{"add when the window is over", func() (LoadBalancer, error) {
			return AddBackends(settled, []BackendServer{ecsServer("i-b", 100)}, t0, window)
		}, "", []string{"i-a", "i-b"}, []int{100, 100}},
		{"remove", func() (LoadBalancer, error) {
			return RemoveBackends(lbWith(ecsServer("i-a", 1), ecsServer("i-b", 2)), []string{"i-a"}, t0, window)
		}, "", []string{"i-b"}, []int{2}},
		{"remove a non-member is ignored", func() (LoadBalancer, error) {
			return RemoveBackends(lbWith(ecsServer("i-a", 1)), []string{"i-z"}, t0, window)
		}, "", []string{"i-a"}, []int{1}},
		{"remove while configuring", func() (LoadBalancer, error) {
			return RemoveBackends(configuring, []string{"i-a"}, t0, window)
		}, "BackendServer.configuring", nil, nil},
		{"set weights", func() (LoadBalancer, error) {
			return SetBackends(lbWith(ecsServer("i-a", 1), ecsServer("i-b", 2)), []BackendServer{ecsServer("i-b", 0), ecsServer("i-z", 5)}, t0, window)
		}, "", []string{"i-a", "i-b"}, []int{1, 0}},
		{"set while configuring", func() (LoadBalancer, error) {
			return SetBackends(configuring, []BackendServer{ecsServer("i-a", 5)}, t0, window)
		}, "BackendServer.configuring", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := tc.apply()
			if got := codeOf(err); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if err != nil {
				return
			}
			var weights []int
			for _, b := range l.Backends {
				weights = append(weights, b.Weight)
			}
			if !slices.Equal(serverIDs(l), tc.servers) || !slices.Equal(weights, tc.weights) {
				t.Fatalf("backends %v %v, want %v %v", serverIDs(l), weights, tc.servers, tc.weights)
			}
			// Every accepted write opens the configuring window.
			if !l.Configuring(t0) || !l.Configuring(t0.Add(window.D()-time.Nanosecond)) || l.Configuring(t0.Add(window.D())) {
				t.Fatalf("window until %s", l.ConfiguringUntil)
			}
		})
	}
}

func TestCheckBackendInstance(t *testing.T) {
	mod := func(f func(*Instance)) Instance { i := running(); i.VpcID = "vpc-1"; f(&i); return i }
	cases := []struct {
		name, vpc string
		inst      Instance
		want      string
	}{
		{"running", "vpc-1", mod(func(*Instance) {}), ""},
		{"running, internet load balancer", "", mod(func(i *Instance) { i.VpcID = "vpc-9" }), ""},
		{"stopped", "vpc-1", mod(func(i *Instance) { i.Status = StatusStopped }), "InvalidParameter"},
		{"pending", "vpc-1", mod(func(i *Instance) { i.Status = StatusPending }), "InvalidParameter"},
		{"releasing", "vpc-1", mod(func(i *Instance) { i.Releasing = true }), "InvalidParameter"},
		{"other VPC", "vpc-1", mod(func(i *Instance) { i.VpcID = "vpc-2" }), "InvalidParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeOf(CheckBackendInstance(tc.inst, tc.vpc)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDropBackend is the SLB row of §3.6: the removed instance leaves the
// list without opening the window [choice].
func TestDropBackend(t *testing.T) {
	l := lbWith(ecsServer("i-a", 1), BackendServer{ServerID: "eni-1", Weight: 2, Type: BackendENI}, ecsServer("i-b", 3))
	cases := []struct {
		name string
		drop []string
		want []string
	}{
		{"instance", []string{"i-a"}, []string{"eni-1", "i-b"}},
		{"instance and released ENI", []string{"i-a", "eni-1"}, []string{"i-b"}},
		{"not a member", []string{"i-z"}, []string{"i-a", "eni-1", "i-b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next := DropBackend(l, tc.drop...)
			if !slices.Equal(serverIDs(next), tc.want) || next.Configuring(t0) {
				t.Fatalf("backends %v (configuring %t), want %v", serverIDs(next), next.Configuring(t0), tc.want)
			}
			if len(l.Backends) != 3 {
				t.Fatalf("input changed: %v", serverIDs(l))
			}
		})
	}
}

func TestLoadBalancerIndexes(t *testing.T) {
	l := lbWith(ecsServer("i-a", 1), BackendServer{ServerID: "eni-1", Type: BackendENI})
	var backends []string
	for _, i := range l.Indexes() {
		if i.Name == "backend" {
			backends = append(backends, i.Value)
		}
	}
	if !slices.Equal(backends, []string{"i-a", "eni-1"}) || !l.NextDue().IsZero() {
		t.Fatalf("backend indexes %v, due %s", backends, l.NextDue())
	}
}
