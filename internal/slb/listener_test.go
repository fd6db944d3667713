package slb_test

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// settle lets the configuring window a write opened pass (a listener's
// configuring, starting or stopping state too).
func (f *fixture) settle() { f.s.Clock.Advance(3 * time.Second) }

func (f *fixture) tcpListener(lb string, port int) error {
	r := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	r.LoadBalancerId, r.ListenerPort, r.BackendServerPort, r.Bandwidth = lb, requests.NewInteger(port), requests.NewInteger(8080), requests.NewInteger(-1)
	_, err := f.slb.CreateLoadBalancerTCPListener(r)
	return err
}

// TestListeners_Classic walks a load balancer's listeners through their life
// with the classic client: create, describe, set, start, stop, delete.
func TestListeners_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)

	sdktest.OK(t, f.tcpListener(lb, 80))
	// A listener's states are its own: a second listener is created at once.
	sdktest.OK(t, f.tcpListener(lb, 81))
	f.settle()
	del81 := classicslb.CreateDeleteLoadBalancerListenerRequest()
	del81.LoadBalancerId, del81.ListenerPort = lb, requests.NewInteger(81)
	_, err := f.slb.DeleteLoadBalancerListener(del81)
	sdktest.OK(t, err)

	d := classicslb.CreateDescribeLoadBalancerTCPListenerAttributeRequest()
	d.LoadBalancerId, d.ListenerPort = lb, requests.NewInteger(80)
	got, err := f.slb.DescribeLoadBalancerTCPListenerAttribute(d)
	sdktest.OK(t, err)
	if got.Status != "stopped" || got.BackendServerPort != 8080 || got.Bandwidth != -1 || got.Scheduler != "wrr" ||
		got.EstablishedTimeout != 900 || got.HealthyThreshold != 3 || got.HealthCheckInterval != 2 || got.AclStatus != "off" {
		t.Fatalf("TCP listener = %+v", got)
	}

	// The port is taken for TCP, HTTP and HTTPS; UDP may share it.
	h := classicslb.CreateCreateLoadBalancerHTTPListenerRequest()
	h.LoadBalancerId, h.ListenerPort, h.BackendServerPort, h.HealthCheck = lb, requests.NewInteger(80), requests.NewInteger(80), "on"
	_, err = f.slb.CreateLoadBalancerHTTPListener(h)
	sdktest.WantFail(t, err, 400, "ListenerAlreadyExists")
	u := classicslb.CreateCreateLoadBalancerUDPListenerRequest()
	u.LoadBalancerId, u.ListenerPort, u.BackendServerPort, u.Bandwidth = lb, requests.NewInteger(80), requests.NewInteger(53), requests.NewInteger(10)
	_, err = f.slb.CreateLoadBalancerUDPListener(u)
	sdktest.OK(t, err)
	f.settle()

	// Two listeners on port 80: a protocol-less Start is ambiguous.
	st := classicslb.CreateStartLoadBalancerListenerRequest()
	st.LoadBalancerId, st.ListenerPort = lb, requests.NewInteger(80)
	_, err = f.slb.StartLoadBalancerListener(st)
	sdktest.WantFail(t, err, 400, "TooManyListeners")
	st.ListenerProtocol = "tcp"
	_, err = f.slb.StartLoadBalancerListener(st)
	sdktest.OK(t, err)
	f.settle()
	_, err = f.slb.StartLoadBalancerListener(st)
	sdktest.WantFail(t, err, 400, "Operation.NotAllowed")

	s := classicslb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	s.LoadBalancerId, s.ListenerPort, s.PersistenceTimeout, s.Scheduler = lb, requests.NewInteger(80), requests.NewInteger(60), "rr"
	_, err = f.slb.SetLoadBalancerTCPListenerAttribute(s)
	sdktest.OK(t, err)
	f.settle()
	got, err = f.slb.DescribeLoadBalancerTCPListenerAttribute(d)
	sdktest.OK(t, err)
	if got.Status != "running" || got.PersistenceTimeout != 60 || got.Scheduler != "rr" || got.BackendServerPort != 8080 {
		t.Fatalf("after set: %+v", got)
	}
	s.Scheduler = "fastest"
	_, err = f.slb.SetLoadBalancerTCPListenerAttribute(s)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	// HTTP with sticky session: the type and its cookie are needed.
	h.ListenerPort, h.StickySession = requests.NewInteger(8080), "on"
	_, err = f.slb.CreateLoadBalancerHTTPListener(h)
	sdktest.WantFail(t, err, 400, "MissingParameter")
	h.StickySessionType, h.CookieTimeout = "insert", requests.NewInteger(300)
	_, err = f.slb.CreateLoadBalancerHTTPListener(h)
	sdktest.OK(t, err)
	f.settle()

	a := classicslb.CreateDescribeLoadBalancerAttributeRequest()
	a.LoadBalancerId = lb
	attr, err := f.slb.DescribeLoadBalancerAttribute(a)
	sdktest.OK(t, err)
	if len(attr.ListenerPorts.ListenerPort) != 2 || len(attr.ListenerPortsAndProtocal.ListenerPortAndProtocal) != 3 {
		t.Fatalf("attribute listeners = %+v %+v", attr.ListenerPorts, attr.ListenerPortsAndProtocal)
	}

	ls := classicslb.CreateDescribeLoadBalancerListenersRequest()
	ls.LoadBalancerId = &[]string{lb}
	list, err := f.slb.DescribeLoadBalancerListeners(ls)
	sdktest.OK(t, err)
	if list.TotalCount != 3 || list.Listeners[2].ListenerProtocol != "http" || list.Listeners[2].HTTPListenerConfig.StickySessionType != "insert" ||
		list.Listeners[2].HTTPListenerConfig.CookieTimeout != 300 {
		t.Fatalf("listeners = %+v", list.Listeners)
	}

	hd := classicslb.CreateDescribeLoadBalancerHTTPListenerAttributeRequest()
	hd.LoadBalancerId, hd.ListenerPort = lb, requests.NewInteger(80)
	_, err = f.slb.DescribeLoadBalancerHTTPListenerAttribute(hd)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	del := classicslb.CreateDeleteLoadBalancerListenerRequest()
	del.LoadBalancerId, del.ListenerPort, del.ListenerProtocol = lb, requests.NewInteger(80), "udp"
	_, err = f.slb.DeleteLoadBalancerListener(del)
	sdktest.OK(t, err)
	f.settle()
	_, err = f.slb.DeleteLoadBalancerListener(del)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	sp := classicslb.CreateStopLoadBalancerListenerRequest()
	sp.LoadBalancerId, sp.ListenerPort = lb, requests.NewInteger(80)
	_, err = f.slb.StopLoadBalancerListener(sp)
	sdktest.OK(t, err)
}

// TestListeners_Refusals: bad input names the parameter and changes nothing.
func TestListeners_Refusals(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	cases := []struct {
		name                string
		lb, port, bw, bport string
		status              int
		code                string
	}{
		{"no Bandwidth", lb, "80", "", "80", 400, "MissingParameter"},
		{"Bandwidth 0", lb, "80", "0", "80", 400, "InvalidParameter"},
		{"port out of range", lb, "70000", "5", "80", 400, "InvalidParameter"},
		{"no backend port nor group", lb, "80", "5", "", 400, "MissingParameter"},
		{"unknown load balancer", "lb-nope", "80", "5", "80", 404, "InvalidLoadBalancerId.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
			r.LoadBalancerId, r.ListenerPort, r.Bandwidth, r.BackendServerPort = tc.lb, requests.Integer(tc.port), requests.Integer(tc.bw), requests.Integer(tc.bport)
			_, err := f.slb.CreateLoadBalancerTCPListener(r)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}

	hs := classicslb.CreateCreateLoadBalancerHTTPSListenerRequest()
	hs.LoadBalancerId, hs.ListenerPort, hs.BackendServerPort, hs.Bandwidth, hs.HealthCheck = lb, requests.NewInteger(443), requests.NewInteger(80), requests.NewInteger(-1), "off"
	_, err := f.slb.CreateLoadBalancerHTTPSListener(hs)
	sdktest.WantFail(t, err, 400, "MissingParameter")

	ls := classicslb.CreateDescribeLoadBalancerListenersRequest()
	list, err := f.slb.DescribeLoadBalancerListeners(ls)
	sdktest.OK(t, err)
	if list.TotalCount != 0 {
		t.Fatalf("refused creates left listeners: %+v", list.Listeners)
	}
}

// listenerStatus is the Status DescribeLoadBalancerTCPListenerAttribute answers.
func (f *fixture) listenerStatus(t *testing.T, lb string, port int) string {
	t.Helper()
	d := classicslb.CreateDescribeLoadBalancerTCPListenerAttributeRequest()
	d.LoadBalancerId, d.ListenerPort = lb, requests.NewInteger(port)
	got, err := f.slb.DescribeLoadBalancerTCPListenerAttribute(d)
	sdktest.OK(t, err)
	return got.Status
}

// TestListeners_States walks one listener through the five states on the
// emulated clock and holds every write to the code it answers in each.
func TestListeners_States(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	ids := f.run(t, f.vsw, f.sg, 1)

	start := classicslb.CreateStartLoadBalancerListenerRequest()
	start.LoadBalancerId, start.ListenerPort = lb, requests.NewInteger(80)
	stop := classicslb.CreateStopLoadBalancerListenerRequest()
	stop.LoadBalancerId, stop.ListenerPort = lb, requests.NewInteger(80)
	set := classicslb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	set.LoadBalancerId, set.ListenerPort, set.Scheduler = lb, requests.NewInteger(80), "rr"
	del := classicslb.CreateDeleteLoadBalancerListenerRequest()
	del.LoadBalancerId, del.ListenerPort = lb, requests.NewInteger(80)
	startErr := func() error { _, err := f.slb.StartLoadBalancerListener(start); return err }
	stopErr := func() error { _, err := f.slb.StopLoadBalancerListener(stop); return err }
	setErr := func() error { _, err := f.slb.SetLoadBalancerTCPListenerAttribute(set); return err }
	delErr := func() error { _, err := f.slb.DeleteLoadBalancerListener(del); return err }
	want := func(state string) {
		t.Helper()
		if got := f.listenerStatus(t, lb, 80); got != state {
			t.Fatalf("status = %s, want %s", got, state)
		}
	}

	// A new listener is configuring, then stopped.
	sdktest.OK(t, f.tcpListener(lb, 80))
	want("configuring")
	sdktest.WantFail(t, startErr(), 400, "Operation.Deny")
	sdktest.WantFail(t, stopErr(), 400, "Operation.NotAllowed")
	sdktest.WantFail(t, setErr(), 400, "OperationFailed.ListenerStatusNotSupport")
	sdktest.WantFail(t, delErr(), 400, "ServiceIsConfiguring")
	// Listener writes leave the backends' window shut: a backend change
	// goes through, and opens it.
	_, err := f.add(lb, `[{"ServerId":"`+ids[0]+`"}]`)
	sdktest.OK(t, err)
	f.s.Clock.Advance(2 * time.Second) // slbConfiguringWindow default
	want("stopped")

	// Start while the backends configure: ServiceIsConfiguring.
	_, err = f.remove(lb, `[{"ServerId":"`+ids[0]+`"}]`)
	sdktest.OK(t, err)
	sdktest.WantFail(t, startErr(), 400, "ServiceIsConfiguring")
	f.settle()

	// Starting, then running.
	sdktest.OK(t, startErr())
	want("starting")
	sdktest.WantFail(t, startErr(), 400, "Operation.Deny")
	sdktest.WantFail(t, stopErr(), 400, "Operation.NotAllowed")
	sdktest.WantFail(t, setErr(), 400, "OperationFailed.ListenerStatusNotSupport")
	sdktest.WantFail(t, delErr(), 400, "ServiceIsConfiguring")
	f.settle()
	want("running")
	sdktest.WantFail(t, startErr(), 400, "Operation.NotAllowed")

	// A change of a running listener: configuring, then running again.
	sdktest.OK(t, setErr())
	want("configuring")
	sdktest.WantFail(t, setErr(), 400, "OperationFailed.ListenerStatusNotSupport")
	sdktest.WantFail(t, startErr(), 400, "Operation.Deny")
	sdktest.WantFail(t, delErr(), 400, "ServiceIsConfiguring")
	f.settle()
	want("running")

	// Stopping, then stopped; stopping a stopped listener is accepted.
	sdktest.OK(t, stopErr())
	want("stopping")
	sdktest.WantFail(t, delErr(), 409, "ServiceIsStopping")
	sdktest.WantFail(t, startErr(), 400, "Operation.Deny")
	sdktest.WantFail(t, stopErr(), 400, "Operation.NotAllowed")
	sdktest.WantFail(t, setErr(), 400, "OperationFailed.ListenerStatusNotSupport")
	f.settle()
	want("stopped")
	sdktest.OK(t, stopErr())
	want("stopped")
	// A stopped listener takes a change and stays stopped.
	sdktest.OK(t, setErr())
	want("stopped")
	sdktest.OK(t, delErr())

	// The same list through DescribeLoadBalancerListeners.
	sdktest.OK(t, f.tcpListener(lb, 80))
	ls := classicslb.CreateDescribeLoadBalancerListenersRequest()
	ls.LoadBalancerId = &[]string{lb}
	list, err := f.slb.DescribeLoadBalancerListeners(ls)
	sdktest.OK(t, err)
	if list.TotalCount != 1 || list.Listeners[0].Status != "configuring" {
		t.Fatalf("listeners = %+v", list.Listeners)
	}

	// With slbConfiguringWindow 0s every state is reached at once.
	f.s.Config.Patch(map[string]any{"slbConfiguringWindow": "0s"})
	sdktest.OK(t, f.tcpListener(lb, 81))
	start.ListenerPort = requests.NewInteger(81)
	sdktest.OK(t, startErr())
	if got := f.listenerStatus(t, lb, 81); got != "running" {
		t.Fatalf("no window: status = %s", got)
	}
}
