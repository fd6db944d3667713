package slb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *fixture) group(t *testing.T, lb, servers string) string {
	t.Helper()
	r := classicslb.CreateCreateVServerGroupRequest()
	r.LoadBalancerId, r.VServerGroupName, r.BackendServers = lb, "web", servers
	resp, err := f.slb.CreateVServerGroup(r)
	sdktest.OK(t, err)
	return resp.VServerGroupId
}

func (f *fixture) members(t *testing.T, g string) []string {
	t.Helper()
	r := classicslb.CreateDescribeVServerGroupAttributeRequest()
	r.VServerGroupId = g
	resp, err := f.slb.DescribeVServerGroupAttribute(r)
	sdktest.OK(t, err)
	out := []string{}
	for _, b := range resp.BackendServers.BackendServer {
		out = append(out, fmt.Sprintf("%s:%d:%d", b.ServerId, b.Port, b.Weight))
	}
	return out
}

// TestVServerGroups_Classic: a group's life through the classic client,
// and a listener forwarding to it keeps it from deletion.
func TestVServerGroups_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	ids := f.run(t, f.vsw, f.sg, 2)
	g := f.group(t, lb, fmt.Sprintf(`[{"ServerId":"%s","Port":"80","Weight":"50"}]`, ids[0]))
	if got := f.members(t, g); fmt.Sprint(got) != fmt.Sprintf("[%s:80:50]", ids[0]) {
		t.Fatalf("members = %v", got)
	}

	add := classicslb.CreateAddVServerGroupBackendServersRequest()
	add.VServerGroupId, add.BackendServers = g, fmt.Sprintf(`[{"ServerId":"%s","Port":"8080"}]`, ids[1])
	_, err := f.slb.AddVServerGroupBackendServers(add)
	sdktest.WantFail(t, err, 400, "VServerGroupProcessing")
	f.settle()
	_, err = f.slb.AddVServerGroupBackendServers(add)
	sdktest.OK(t, err)
	f.settle()

	mod := classicslb.CreateModifyVServerGroupBackendServersRequest()
	mod.VServerGroupId = g
	mod.OldBackendServers = fmt.Sprintf(`[{"ServerId":"%s","Port":"8080"}]`, ids[1])
	mod.NewBackendServers = fmt.Sprintf(`[{"ServerId":"%s","Port":"9090","Weight":"10"}]`, ids[1])
	_, err = f.slb.ModifyVServerGroupBackendServers(mod)
	sdktest.OK(t, err)
	f.settle()
	set := classicslb.CreateSetVServerGroupAttributeRequest()
	set.VServerGroupId, set.VServerGroupName = g, "renamed"
	set.BackendServers = fmt.Sprintf(`[{"ServerId":"%s","Port":"80","Weight":"70"}]`, ids[0])
	_, err = f.slb.SetVServerGroupAttribute(set)
	sdktest.OK(t, err)
	f.settle()
	if got := f.members(t, g); fmt.Sprint(got) != fmt.Sprintf("[%s:80:70 %s:9090:10]", ids[0], ids[1]) {
		t.Fatalf("members = %v", got)
	}

	ls := classicslb.CreateDescribeVServerGroupsRequest()
	ls.LoadBalancerId = lb
	list, err := f.slb.DescribeVServerGroups(ls)
	sdktest.OK(t, err)
	if len(list.VServerGroups.VServerGroup) != 1 || list.VServerGroups.VServerGroup[0].VServerGroupName != "renamed" {
		t.Fatalf("groups = %+v", list.VServerGroups)
	}

	l := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l.LoadBalancerId, l.ListenerPort, l.Bandwidth, l.VServerGroupId = lb, requests.NewInteger(80), requests.NewInteger(-1), "rsp-nope"
	_, err = f.slb.CreateLoadBalancerTCPListener(l)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	l2 := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l2.LoadBalancerId, l2.ListenerPort, l2.Bandwidth, l2.VServerGroupId = lb, requests.NewInteger(80), requests.NewInteger(-1), g
	_, err = f.slb.CreateLoadBalancerTCPListener(l2)
	sdktest.OK(t, err)
	f.settle()

	del := classicslb.CreateDeleteVServerGroupRequest()
	del.VServerGroupId = g
	_, err = f.slb.DeleteVServerGroup(del)
	sdktest.WantFail(t, err, 400, "RspoolVipExist")
	dl := classicslb.CreateDeleteLoadBalancerListenerRequest()
	dl.LoadBalancerId, dl.ListenerPort = lb, requests.NewInteger(80)
	_, err = f.slb.DeleteLoadBalancerListener(dl)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteVServerGroup(del)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteVServerGroup(del)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

// TestVServerGroups_Release: a group inside its configuring window refuses
// the release of a member; afterwards the released instance leaves it.
func TestVServerGroups_Release(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	ids := f.run(t, f.vsw, f.sg, 2)
	g := f.group(t, lb, fmt.Sprintf(`[{"ServerId":"%s","Port":"80"},{"ServerId":"%s","Port":"80"}]`, ids[0], ids[1]))

	d := classicecs.CreateDeleteInstanceRequest()
	d.InstanceId, d.Force = ids[0], requests.NewBoolean(true)
	_, err := f.ecs.DeleteInstance(d)
	sdktest.WantFail(t, err, 400, "DependencyViolation.SLBConfiguring")
	f.settle()
	_, err = f.ecs.DeleteInstance(d)
	sdktest.OK(t, err)
	f.s.Clock.Advance(10 * time.Second)
	if got := f.members(t, g); fmt.Sprint(got) != fmt.Sprintf("[%s:80:100]", ids[1]) {
		t.Fatalf("members after release = %v", got)
	}

	// A listener forwarding to the group, just created and so configuring,
	// holds no release: only backend changes open a window.
	l := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l.LoadBalancerId, l.ListenerPort, l.VServerGroupId, l.Bandwidth = lb, requests.NewInteger(80), g, requests.NewInteger(-1)
	_, err = f.slb.CreateLoadBalancerTCPListener(l)
	sdktest.OK(t, err)
	if got := f.listenerStatus(t, lb, 80); got != "configuring" {
		t.Fatalf("listener = %s", got)
	}
	d.InstanceId = ids[1]
	_, err = f.ecs.DeleteInstance(d)
	sdktest.OK(t, err)
}

// TestVServerGroups_Switch: VServerGroup=off sends a listener back to the
// default backends and frees its group; "on" needs a group.
func TestVServerGroups_Switch(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	g := f.group(t, lb, "")
	l := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l.LoadBalancerId, l.ListenerPort, l.Bandwidth, l.VServerGroupId = lb, requests.NewInteger(80), requests.NewInteger(-1), g
	_, err := f.slb.CreateLoadBalancerTCPListener(l)
	sdktest.OK(t, err)
	f.settle()

	off := classicslb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	off.LoadBalancerId, off.ListenerPort, off.VServerGroup = lb, requests.NewInteger(80), "off"
	_, err = f.slb.SetLoadBalancerTCPListenerAttribute(off)
	// Created on the group alone, the listener has no backend port to fall back on.
	sdktest.WantFail(t, err, 400, "MissingParameter")

	l2 := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l2.LoadBalancerId, l2.ListenerPort, l2.Bandwidth, l2.BackendServerPort = lb, requests.NewInteger(81), requests.NewInteger(-1), requests.NewInteger(8080)
	l2.VServerGroupId = g
	_, err = f.slb.CreateLoadBalancerTCPListener(l2)
	sdktest.OK(t, err)
	f.settle()
	on := classicslb.CreateSetLoadBalancerUDPListenerAttributeRequest()
	on.LoadBalancerId, on.ListenerPort, on.VServerGroup = lb, requests.NewInteger(81), "on"
	_, err = f.slb.SetLoadBalancerUDPListenerAttribute(on)
	sdktest.WantFail(t, err, 400, "InvalidParameter") // no UDP listener on 81
	off2 := classicslb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	off2.LoadBalancerId, off2.ListenerPort, off2.VServerGroup = lb, requests.NewInteger(81), "off"
	_, err = f.slb.SetLoadBalancerTCPListenerAttribute(off2)
	sdktest.OK(t, err)
	f.settle()

	del := classicslb.CreateDeleteVServerGroupRequest()
	del.VServerGroupId = g
	_, err = f.slb.DeleteVServerGroup(del)
	sdktest.WantFail(t, err, 400, "RspoolVipExist") // port 80 still forwards to it
	dl := classicslb.CreateDeleteLoadBalancerListenerRequest()
	dl.LoadBalancerId, dl.ListenerPort = lb, requests.NewInteger(80)
	_, err = f.slb.DeleteLoadBalancerListener(dl)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteVServerGroup(del)
	sdktest.OK(t, err)
}
