package ecs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// addRoute creates a custom entry in the env's route table.
func (e *env) addRoute(t *testing.T, cidr, hopType, hopID string) string {
	t.Helper()
	r := classicvpc.CreateCreateRouteEntryRequest()
	r.RouteTableId, r.DestinationCidrBlock, r.NextHopType, r.NextHopId = e.routeTable, cidr, hopType, hopID
	resp, err := e.vpc.CreateRouteEntry(r)
	sdktest.OK(t, err)
	return resp.RouteEntryId
}

// routeStatus is a custom entry's status in DescribeRouteEntryList, "" when gone.
func (e *env) routeStatus(t *testing.T, id string) string {
	t.Helper()
	r := classicvpc.CreateDescribeRouteEntryListRequest()
	r.RouteTableId, r.RouteEntryId = e.routeTable, id
	resp, err := e.vpc.DescribeRouteEntryList(r)
	sdktest.OK(t, err)
	if len(resp.RouteEntrys.RouteEntry) == 0 {
		return ""
	}
	return resp.RouteEntrys.RouteEntry[0].Status
}

// eip reads one EIP (status, bound instance); ok is false when it is gone.
func (e *env) eip(t *testing.T, id string) (status, instance string, ok bool) {
	t.Helper()
	r := classicvpc.CreateDescribeEipAddressesRequest()
	r.AllocationId = id
	resp, err := e.vpc.DescribeEipAddresses(r)
	sdktest.OK(t, err)
	if len(resp.EipAddresses.EipAddress) == 0 {
		return "", "", false
	}
	a := resp.EipAddresses.EipAddress[0]
	return a.Status, a.InstanceId, true
}

// associate binds an EIP to an instance (typ "") or an ENI ("NetworkInterface").
func (e *env) associate(t *testing.T, eip, target, typ string) {
	t.Helper()
	r := classicvpc.CreateAssociateEipAddressRequest()
	r.AllocationId, r.InstanceId, r.InstanceType = eip, target, typ
	_, err := e.vpc.AssociateEipAddress(r)
	sdktest.OK(t, err)
}

// allocate makes an EIP.
func (e *env) allocate(t *testing.T) string {
	t.Helper()
	resp, err := e.vpc.AllocateEipAddress(classicvpc.CreateAllocateEipAddressRequest())
	sdktest.OK(t, err)
	return resp.AllocationId
}

// loadBalancer makes an intranet SLB in the env's vSwitch.
func (e *env) loadBalancer(t *testing.T, c *classicslb.Client) string {
	t.Helper()
	r := classicslb.CreateCreateLoadBalancerRequest()
	r.AddressType, r.VSwitchId = "intranet", e.vsw
	resp, err := c.CreateLoadBalancer(r)
	sdktest.OK(t, err)
	return resp.LoadBalancerId
}

func addBackends(c *classicslb.Client, lb string, ids ...string) error {
	var list []string
	for _, id := range ids {
		list = append(list, `{"ServerId":"`+id+`","Weight":"100"}`)
	}
	r := classicslb.CreateAddBackendServersRequest()
	r.LoadBalancerId = lb
	r.BackendServers = "[" + strings.Join(list, ",") + "]"
	_, err := c.AddBackendServers(r)
	return err
}

// backendIDs lists an SLB's backends through DescribeLoadBalancerAttribute.
func backendIDs(t *testing.T, c *classicslb.Client, lb string) []string {
	t.Helper()
	r := classicslb.CreateDescribeLoadBalancerAttributeRequest()
	r.LoadBalancerId = lb
	resp, err := c.DescribeLoadBalancerAttribute(r)
	sdktest.OK(t, err)
	out := []string{}
	for _, b := range resp.BackendServers.BackendServer {
		out = append(out, b.ServerId)
	}
	return out
}

// S31: a custom route entry with the instance as next hop holds the release
// back, Pending or Available, until the entry is gone.
func TestDeleteInstances_S31_RouteEntry(t *testing.T) {
	forEachSDK(t, realistic(), func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		rte := e.addRoute(t, "10.10.0.0/24", "Instance", id)
		if got := e.routeStatus(t, rte); got != "Pending" {
			t.Fatalf("route entry is %q", got)
		}
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 400, "DependencyViolation.RouteEntry")
		e.s.Clock.Advance(time.Second) // routeEntry delay
		if got := e.routeStatus(t, rte); got != "Available" {
			t.Fatalf("route entry is %q", got)
		}
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 400, "DependencyViolation.RouteEntry")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 400, "DependencyViolation.RouteEntry")
		e.wantStatus(t, id, "Running")
		r := classicvpc.CreateDeleteRouteEntryRequest()
		r.RouteEntryId = rte
		_, err := e.vpc.DeleteRouteEntry(r)
		sdktest.OK(t, err)
		// Deleting is not gone yet.
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 400, "DependencyViolation.RouteEntry")
		e.s.Clock.Advance(time.Second)
		if got := e.routeStatus(t, rte); got != "" {
			t.Fatalf("route entry is %q, want gone", got)
		}
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
	})
}

// S32: route entries whose next hop is a released ENI go with it; entries
// to a retained ENI stay; an EIP on the released ENI becomes Available.
func TestDeleteInstances_S32_ENIRouteCleanup(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		s := eniSDKs[0]
		id := e.run1(t, nil)
		released := e.newENI(t, s, eniOpts{DOR: bptr(true)})
		kept := e.newENI(t, s, eniOpts{DOR: bptr(false)})
		sdktest.OK(t, s.attach(e, released, id, ""))
		sdktest.OK(t, s.attach(e, kept, id, ""))
		e.s.Clock.Advance(5 * time.Second)
		e.wantENI(t, s, released, "InUse")
		toReleased := e.addRoute(t, "10.20.0.0/24", "NetworkInterface", released)
		toKept := e.addRoute(t, "10.21.0.0/24", "NetworkInterface", kept)
		eip := e.allocate(t)
		e.associate(t, eip, released, "NetworkInterface")
		if st, on, _ := e.eip(t, eip); st != "InUse" || on != released {
			t.Fatalf("EIP %s on %s", st, on)
		}
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		e.wantENI(t, s, released, "")
		e.wantENI(t, s, kept, "Available")
		if got := e.routeStatus(t, toReleased); got != "" {
			t.Fatalf("route to the released ENI is %q", got)
		}
		if got := e.routeStatus(t, toKept); got != "Available" {
			t.Fatalf("route to the kept ENI is %q", got)
		}
		if st, on, ok := e.eip(t, eip); !ok || st != "Available" || on != "" {
			t.Fatalf("EIP of the released ENI: %s on %q (exists %t)", st, on, ok)
		}
	})
}

// S33: inside the configuring window an SLB backend cannot be released and
// the SLB takes no other write; after it the release goes through and the
// instance leaves the backend list [choice].
func TestDeleteInstances_S33_SLBConfiguring(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		c := sdktest.ClassicSLB(t, e.s)
		id := e.run1(t, nil)
		other := e.run1(t, nil)
		lb := e.loadBalancer(t, c)
		sdktest.OK(t, addBackends(c, lb, id))
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 400, "DependencyViolation.SLBConfiguring")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 400, "DependencyViolation.SLBConfiguring")
		sdktest.WantFail(t, addBackends(c, lb, other), 409, "BackendServer.configuring")
		e.wantStatus(t, id, "Running")
		e.s.Clock.Advance(2 * time.Second) // slbConfiguringWindow
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		if got := backendIDs(t, c, lb); slices.Contains(got, id) {
			t.Fatalf("backends still name the released instance: %v", got)
		}
		// The automatic removal opens no window.
		sdktest.OK(t, addBackends(c, lb, other))
		if got := backendIDs(t, c, lb); !slices.Equal(got, []string{other}) {
			t.Fatalf("backends %v", got)
		}
	})
}

// S34: a Stopped instance cannot be added as a backend [choice: InvalidParameter].
func TestAddBackendServers_S34_StoppedBackend(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		c := sdktest.ClassicSLB(t, e.s)
		id := e.run1(t, nil)
		e.stop(t, id)
		lb := e.loadBalancer(t, c)
		sdktest.WantFail(t, addBackends(c, lb, id), 400, "InvalidParameter")
		if got := backendIDs(t, c, lb); len(got) != 0 {
			t.Fatalf("backends %v", got)
		}
		// The refusal opened no window: the instance releases at once.
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
	})
}

// S35: release disassociates the EIP (kept, Available) and leaves the
// security group, which can then be deleted.
func TestDeleteInstances_S35_EIPAndSecurityGroup(t *testing.T) {
	forEachSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, d deleter) {
		id := e.run1(t, nil)
		eip := e.allocate(t)
		e.associate(t, eip, id, "")
		if st, on, _ := e.eip(t, eip); st != "InUse" || on != id {
			t.Fatalf("EIP %s on %s", st, on)
		}
		dsg := func() error {
			r := classicecs.CreateDeleteSecurityGroupRequest()
			r.SecurityGroupId = e.sg
			_, err := e.classic.DeleteSecurityGroup(r)
			return err
		}
		sdktest.WantFail(t, dsg(), 403, "DependencyViolation")
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		if st, on, ok := e.eip(t, eip); !ok || st != "Available" || on != "" {
			t.Fatalf("EIP after release: %s on %q (exists %t)", st, on, ok)
		}
		sdktest.OK(t, dsg())
		r := classicvpc.CreateReleaseEipAddressRequest()
		r.AllocationId = eip
		_, err := e.vpc.ReleaseEipAddress(r)
		sdktest.OK(t, err)
		if _, _, ok := e.eip(t, eip); ok {
			t.Fatalf("EIP %s still listed", eip)
		}
	})
}

// An automatic release (§3.5) does not ask the holders of §3.3, so a route
// entry naming the instance is deleted with it rather than left dangling
// [choice], and an EIP is disassociated as on a manual release.
func TestAutoRelease_DropsRouteEntryAndEIP(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.AutoReleaseTime = e.s.Clock.Now().Add(40 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	})
	rte := e.addRoute(t, "10.30.0.0/24", "Instance", id)
	eip := e.allocate(t)
	e.associate(t, eip, id, "")
	e.s.Clock.Advance(41 * time.Minute)
	e.wantStatus(t, id, "")
	if got := e.routeStatus(t, rte); got != "" {
		t.Fatalf("route entry is %q after the automatic release", got)
	}
	if st, on, _ := e.eip(t, eip); st != "Available" || on != "" {
		t.Fatalf("EIP %s on %q", st, on)
	}
}
