package slb_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const (
	region = sdktest.Region
	image  = "aliyun_3_x64_20G_alibase_20240528.vhd"
	itype  = "ecs.g7.large"
)

// fixture is a frozen-clock server with a VPC, a vSwitch and a security
// group, and the classic SDK clients pointed at it.
type fixture struct {
	s                    *ecslocaltest.Server
	slb                  *classicslb.Client
	ecs                  *classicecs.Client
	vpcID, vsw, zone, sg string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := ecslocaltest.New(t, ecslocaltest.Options{Seed: 11})
	f := &fixture{s: s, slb: sdktest.ClassicSLB(t, s), ecs: sdktest.ClassicECS(t, s)}
	zones, err := f.ecs.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	for _, z := range zones.Zones.Zone {
		if f.zone == "" && slices.Contains(z.AvailableInstanceTypes.InstanceTypes, itype) {
			f.zone = z.ZoneId
		}
	}
	f.vpcID, f.vsw, f.sg = f.network(t, "192.168.0.0/16", "192.168.1.0/24")
	return f
}

// network makes a VPC with one vSwitch and one security group.
func (f *fixture) network(t *testing.T, vpcCidr, vswCidr string) (vpcID, vswID, sgID string) {
	t.Helper()
	v := sdktest.ClassicVPC(t, f.s)
	cv := classicvpc.CreateCreateVpcRequest()
	cv.CidrBlock = vpcCidr
	vr, err := v.CreateVpc(cv)
	sdktest.OK(t, err)
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = vr.VpcId, f.zone, vswCidr
	sr, err := v.CreateVSwitch(cs)
	sdktest.OK(t, err)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = vr.VpcId
	gr, err := f.ecs.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	return vr.VpcId, sr.VSwitchId, gr.SecurityGroupId
}

// run launches Running instances in vsw.
func (f *fixture) run(t *testing.T, vsw, sg string, n int) []string {
	t.Helper()
	r := classicecs.CreateRunInstancesRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId, r.Amount = image, itype, vsw, sg, requests.NewInteger(n)
	resp, err := f.ecs.RunInstances(r)
	sdktest.OK(t, err)
	f.s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet
}

// intranet makes an intranet load balancer in the fixture's vSwitch.
func (f *fixture) intranet(t *testing.T) string {
	t.Helper()
	r := classicslb.CreateCreateLoadBalancerRequest()
	r.AddressType, r.VSwitchId, r.LoadBalancerName = "intranet", f.vsw, "inner"
	resp, err := f.slb.CreateLoadBalancer(r)
	sdktest.OK(t, err)
	return resp.LoadBalancerId
}

func (f *fixture) add(lb, servers string) (*classicslb.AddBackendServersResponse, error) {
	r := classicslb.CreateAddBackendServersRequest()
	r.LoadBalancerId, r.BackendServers = lb, servers
	return f.slb.AddBackendServers(r)
}

func (f *fixture) remove(lb, servers string) (*classicslb.RemoveBackendServersResponse, error) {
	r := classicslb.CreateRemoveBackendServersRequest()
	r.LoadBalancerId, r.BackendServers = lb, servers
	return f.slb.RemoveBackendServers(r)
}

func (f *fixture) set(lb, servers string) (*classicslb.SetBackendServersResponse, error) {
	r := classicslb.CreateSetBackendServersRequest()
	r.LoadBalancerId, r.BackendServers = lb, servers
	return f.slb.SetBackendServers(r)
}

// backends is DescribeLoadBalancerAttribute's list as "id:weight".
func (f *fixture) backends(t *testing.T, lb string) []string {
	t.Helper()
	r := classicslb.CreateDescribeLoadBalancerAttributeRequest()
	r.LoadBalancerId = lb
	resp, err := f.slb.DescribeLoadBalancerAttribute(r)
	sdktest.OK(t, err)
	out := []string{}
	for _, b := range resp.BackendServers.BackendServer {
		out = append(out, b.ServerId+":"+strconv.Itoa(b.Weight))
	}
	return out
}

func TestCreateLoadBalancer_Classic(t *testing.T) {
	f := newFixture(t)
	inner := classicslb.CreateCreateLoadBalancerRequest()
	inner.AddressType, inner.VSwitchId, inner.LoadBalancerName, inner.LoadBalancerSpec = "intranet", f.vsw, "inner", "slb.s1.small"
	in, err := f.slb.CreateLoadBalancer(inner)
	sdktest.OK(t, err)
	if !strings.HasPrefix(in.LoadBalancerId, "lb-bp1") || in.NetworkType != "vpc" || in.VpcId != f.vpcID || in.VSwitchId != f.vsw ||
		!strings.HasPrefix(in.Address, "192.168.1.") || in.AddressIPVersion != "ipv4" || !strings.HasPrefix(in.ResourceGroupId, "rg-acfm") {
		t.Fatalf("intranet CreateLoadBalancer: %+v", in)
	}
	out, err := f.slb.CreateLoadBalancer(classicslb.CreateCreateLoadBalancerRequest())
	sdktest.OK(t, err)
	if out.NetworkType != "classic" || out.VpcId != "" || !strings.HasPrefix(out.Address, "47.") || out.LoadBalancerName != "auto_named_slb" {
		t.Fatalf("internet CreateLoadBalancer: %+v", out)
	}
	for _, tc := range []struct {
		name string
		mod  func(*classicslb.DescribeLoadBalancersRequest)
		want []string
	}{
		{"all", func(*classicslb.DescribeLoadBalancersRequest) {}, []string{in.LoadBalancerId, out.LoadBalancerId}},
		{"ids", func(r *classicslb.DescribeLoadBalancersRequest) { r.LoadBalancerId = out.LoadBalancerId + ", lb-nope" }, []string{out.LoadBalancerId}},
		{"vpc", func(r *classicslb.DescribeLoadBalancersRequest) { r.VpcId = f.vpcID }, []string{in.LoadBalancerId}},
		{"address type", func(r *classicslb.DescribeLoadBalancersRequest) { r.AddressType = "internet" }, []string{out.LoadBalancerId}},
		{"network type", func(r *classicslb.DescribeLoadBalancersRequest) { r.NetworkType = "vpc" }, []string{in.LoadBalancerId}},
		{"name", func(r *classicslb.DescribeLoadBalancersRequest) { r.LoadBalancerName = "inner" }, []string{in.LoadBalancerId}},
		{"page 2", func(r *classicslb.DescribeLoadBalancersRequest) {
			r.PageNumber, r.PageSize = requests.NewInteger(2), requests.NewInteger(1)
		}, []string{out.LoadBalancerId}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classicslb.CreateDescribeLoadBalancersRequest()
			tc.mod(r)
			resp, err := f.slb.DescribeLoadBalancers(r)
			sdktest.OK(t, err)
			var got []string
			for _, l := range resp.LoadBalancers.LoadBalancer {
				got = append(got, l.LoadBalancerId)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	r := classicslb.CreateDescribeLoadBalancerAttributeRequest()
	r.LoadBalancerId = in.LoadBalancerId
	attr, err := f.slb.DescribeLoadBalancerAttribute(r)
	sdktest.OK(t, err)
	if attr.LoadBalancerStatus != "active" || attr.Address != in.Address || attr.VpcId != f.vpcID || attr.LoadBalancerSpec != "slb.s1.small" ||
		attr.MasterZoneId != f.zone || attr.PayType != "PayOnDemand" || attr.CreateTimeStamp == 0 || len(attr.BackendServers.BackendServer) != 0 {
		t.Fatalf("DescribeLoadBalancerAttribute: %+v", attr)
	}
	t.Run("unknown load balancer", func(t *testing.T) {
		r := classicslb.CreateDescribeLoadBalancerAttributeRequest()
		r.LoadBalancerId = "lb-nope"
		_, err := f.slb.DescribeLoadBalancerAttribute(r)
		sdktest.WantFail(t, err, 404, "InvalidLoadBalancerId.NotFound")
	})
	t.Run("unknown vSwitch", func(t *testing.T) {
		r := classicslb.CreateCreateLoadBalancerRequest()
		r.AddressType, r.VSwitchId = "intranet", "vsw-nope"
		_, err := f.slb.CreateLoadBalancer(r)
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	t.Run("delete", func(t *testing.T) {
		d := classicslb.CreateDeleteLoadBalancerRequest()
		d.LoadBalancerId = out.LoadBalancerId
		_, err := f.slb.DeleteLoadBalancer(d)
		sdktest.OK(t, err)
		_, err = f.slb.DeleteLoadBalancer(d)
		sdktest.WantFail(t, err, 404, "InvalidLoadBalancerId.NotFound")
	})
}

// TestBackendServers_ConfiguringWindow: every backend write opens the
// window, in which the next write answers BackendServer.configuring (409).
func TestBackendServers_ConfiguringWindow(t *testing.T) {
	f := newFixture(t)
	ids := f.run(t, f.vsw, f.sg, 3)
	lb := f.intranet(t)
	resp, err := f.add(lb, `[{"ServerId":"`+ids[0]+`","Weight":"40"},{"ServerId":"`+ids[1]+`"},{"ServerId":"`+ids[0]+`","Weight":90}]`)
	sdktest.OK(t, err)
	if resp.LoadBalancerId != lb || len(resp.BackendServers.BackendServer) != 2 || resp.BackendServers.BackendServer[0].Weight != "40" ||
		resp.BackendServers.BackendServer[1].Weight != "100" || resp.BackendServers.BackendServer[1].Type != "ecs" {
		t.Fatalf("AddBackendServers (first wins, default weight): %+v", resp)
	}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"add", func() error { _, err := f.add(lb, `[{"ServerId":"`+ids[2]+`"}]`); return err }},
		{"remove", func() error { _, err := f.remove(lb, `["`+ids[0]+`"]`); return err }},
		{"set", func() error { _, err := f.set(lb, `[{"ServerId":"`+ids[0]+`","Weight":"1"}]`); return err }},
	} {
		t.Run(tc.name+" while configuring", func(t *testing.T) {
			sdktest.WantFail(t, tc.call(), 409, "BackendServer.configuring")
		})
	}
	if got := f.backends(t, lb); !slices.Equal(got, []string{ids[0] + ":40", ids[1] + ":100"}) {
		t.Fatalf("backends %v", got)
	}
	f.s.Clock.Advance(2 * time.Second) // slbConfiguringWindow default
	set, err := f.set(lb, `[{"ServerId":"`+ids[1]+`","Weight":"7"},{"ServerId":"`+ids[2]+`","Weight":"7"}]`)
	sdktest.OK(t, err)
	if len(set.BackendServers.BackendServer) != 2 {
		t.Fatalf("SetBackendServers: %+v", set.BackendServers)
	}
	f.s.Clock.Advance(2 * time.Second)
	rm, err := f.remove(lb, `[{"ServerId":"`+ids[0]+`"},{"ServerId":"i-bp1notamember00000"}]`)
	sdktest.OK(t, err)
	if len(rm.BackendServers.BackendServer) != 1 || rm.BackendServers.BackendServer[0].ServerId != ids[1] {
		t.Fatalf("RemoveBackendServers: %+v", rm.BackendServers)
	}
	if got := f.backends(t, lb); !slices.Equal(got, []string{ids[1] + ":7"}) {
		t.Fatalf("backends %v", got)
	}
	t.Run("window is a switch", func(t *testing.T) {
		f.s.Config.Patch(map[string]any{"slbConfiguringWindow": "30s"})
		f.s.Clock.Advance(2 * time.Second)
		_, err := f.add(lb, `[{"ServerId":"`+ids[2]+`"}]`)
		sdktest.OK(t, err)
		f.s.Clock.Advance(20 * time.Second)
		_, err = f.remove(lb, `["`+ids[2]+`"]`)
		sdktest.WantFail(t, err, 409, "BackendServer.configuring")
		f.s.Clock.Advance(10 * time.Second)
		_, err = f.remove(lb, `["`+ids[2]+`"]`)
		sdktest.OK(t, err)
	})
}

func TestAddBackendServers_Refusals(t *testing.T) {
	f := newFixture(t)
	ids := f.run(t, f.vsw, f.sg, 2)
	lb := f.intranet(t)
	stop := classicecs.CreateStopInstanceRequest()
	stop.InstanceId = ids[1]
	_, err := f.ecs.StopInstance(stop)
	sdktest.OK(t, err)
	f.s.Clock.Advance(10 * time.Second)
	_, otherVsw, otherSG := f.network(t, "10.0.0.0/8", "10.1.0.0/24")
	foreign := f.run(t, otherVsw, otherSG, 1)[0]
	var many []string
	for range 21 {
		many = append(many, `{"ServerId":"`+ids[0]+`"}`)
	}
	for _, tc := range []struct {
		name, lb, servers string
		status            int
		code              string
	}{
		// S34: only Running instances may be added [choice: InvalidParameter].
		{"stopped instance", lb, `[{"ServerId":"` + ids[1] + `"}]`, 400, "InvalidParameter"},
		{"instance of another VPC", lb, `[{"ServerId":"` + foreign + `"}]`, 400, "InvalidParameter"},
		{"unknown instance", lb, `[{"ServerId":"i-bp1doesnotexist000"}]`, 404, "InvalidServerId.NotFound"},
		{"unknown ENI", lb, `[{"ServerId":"eni-nope","Type":"eni"}]`, 404, "InvalidServerId.NotFound"},
		{"unknown load balancer", "lb-nope", `[{"ServerId":"` + ids[0] + `"}]`, 404, "InvalidLoadBalancerId.NotFound"},
		{"weight above 100", lb, `[{"ServerId":"` + ids[0] + `","Weight":"101"}]`, 400, "InvalidWeight.Malformed"},
		{"negative weight", lb, `[{"ServerId":"` + ids[0] + `","Weight":-1}]`, 400, "InvalidWeight.Malformed"},
		{"bad type", lb, `[{"ServerId":"` + ids[0] + `","Type":"vm"}]`, 400, "InvalidParameter"},
		{"not JSON", lb, `i-1,i-2`, 400, "InvalidParameter"},
		{"no server id", lb, `[{"Weight":"5"}]`, 400, "InvalidParameter"},
		{"more than 20", lb, "[" + strings.Join(many, ",") + "]", 400, "TooManyBackendServers"},
		{"missing list", lb, ``, 400, "MissingParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.add(tc.lb, tc.servers)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	// Refused calls change nothing and open no window.
	if got := f.backends(t, lb); len(got) != 0 {
		t.Fatalf("backends %v after refusals", got)
	}
	_, err = f.add(lb, `[{"ServerId":"`+ids[0]+`"}]`)
	sdktest.OK(t, err)
}

func TestDescribeLoadBalancers_ServerID(t *testing.T) {
	f := newFixture(t)
	ids := f.run(t, f.vsw, f.sg, 2)
	a, b := f.intranet(t), f.intranet(t)
	_, err := f.add(a, `[{"ServerId":"`+ids[0]+`"},{"ServerId":"`+ids[1]+`"}]`)
	sdktest.OK(t, err)
	_, err = f.add(b, `[{"ServerId":"`+ids[1]+`"}]`)
	sdktest.OK(t, err)
	for _, tc := range []struct {
		server string
		want   []string
	}{{ids[0], []string{a}}, {ids[1], []string{a, b}}, {"i-bp1other", nil}} {
		r := classicslb.CreateDescribeLoadBalancersRequest()
		r.ServerId = tc.server
		resp, err := f.slb.DescribeLoadBalancers(r)
		sdktest.OK(t, err)
		var got []string
		for _, l := range resp.LoadBalancers.LoadBalancer {
			got = append(got, l.LoadBalancerId)
		}
		if !slices.Equal(got, tc.want) || resp.TotalCount != len(tc.want) {
			t.Fatalf("ServerId %s: got %v (total %d), want %v", tc.server, got, resp.TotalCount, tc.want)
		}
	}
}

// The new-generation client (generic CallApi, ACS3 signatures, form body)
// drives the same actions.
func TestBackendServers_Generic(t *testing.T) {
	f := newFixture(t)
	ids := f.run(t, f.vsw, f.sg, 1)
	g := sdktest.GenericSLB(t, f.s)
	created, err := g.Call("CreateLoadBalancer", map[string]any{"AddressType": "intranet", "VSwitchId": f.vsw, "LoadBalancerName": "generic"})
	sdktest.OK(t, err)
	lb, _ := created["LoadBalancerId"].(string)
	if !strings.HasPrefix(lb, "lb-") || created["VpcId"] != f.vpcID || created["NetworkType"] != "vpc" {
		t.Fatalf("CreateLoadBalancer: %v", created)
	}
	added, err := g.Call("AddBackendServers", map[string]any{"LoadBalancerId": lb, "BackendServers": `[{"ServerId":"` + ids[0] + `","Weight":"30","Description":"web"}]`})
	sdktest.OK(t, err)
	list := added["BackendServers"].(map[string]any)["BackendServer"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["ServerId"] != ids[0] {
		t.Fatalf("AddBackendServers: %v", added)
	}
	_, err = g.Call("AddBackendServers", map[string]any{"LoadBalancerId": lb, "BackendServers": `[{"ServerId":"` + ids[0] + `"}]`})
	sdktest.WantFail(t, err, 409, "BackendServer.configuring")
	attr, err := g.Call("DescribeLoadBalancerAttribute", map[string]any{"LoadBalancerId": lb})
	sdktest.OK(t, err)
	servers := attr["BackendServers"].(map[string]any)["BackendServer"].([]any)
	s0 := servers[0].(map[string]any)
	if attr["LoadBalancerStatus"] != "active" || len(servers) != 1 || s0["ServerId"] != ids[0] || fmt.Sprint(s0["Weight"]) != "30" ||
		s0["Type"] != "ecs" || s0["Description"] != "web" || s0["VpcId"] != f.vpcID || s0["ServerIp"] != "" {
		t.Fatalf("DescribeLoadBalancerAttribute: %v", attr)
	}
	// An ECS backend added with its ServerIp shows it back, as the provider's
	// server_ip (part of the set element) expects.
	f.s.Clock.Advance(time.Minute)
	_, err = g.Call("AddBackendServers", map[string]any{"LoadBalancerId": lb, "BackendServers": `[{'ServerId':'` + ids[0] + `','Weight':'30','ServerIp':'192.168.1.77'}]`})
	sdktest.OK(t, err)
	attr, err = g.Call("DescribeLoadBalancerAttribute", map[string]any{"LoadBalancerId": lb})
	sdktest.OK(t, err)
	if s := attr["BackendServers"].(map[string]any)["BackendServer"].([]any)[0].(map[string]any); s["ServerIp"] != "192.168.1.77" {
		t.Fatalf("ServerIp not echoed: %v", s)
	}
	_, err = g.Call("DescribeLoadBalancerAttribute", map[string]any{"LoadBalancerId": "lb-nope"})
	sdktest.WantFail(t, err, 404, "InvalidLoadBalancerId.NotFound")
}
