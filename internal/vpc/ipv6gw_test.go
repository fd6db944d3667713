package vpc_test

import (
	"testing"
	"time"

	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestIpv6Gateway_Lifecycle: through the classic SDK (the generated v6
// client has no IPv6 gateway actions): create (Creating, then Available;
// one per VPC), describe with filters, modify, the VPC held back, and
// deletion.
func TestIpv6Gateway_Lifecycle(t *testing.T) {
	f := newNet(t, true)
	c := f.classic
	v := createVpc(t, f.v6, "10.0.0.0/16", "v6")
	f.s.Clock.Advance(5 * time.Second)
	cr := classicvpc.CreateCreateIpv6GatewayRequest()
	cr.VpcId, cr.Name = v, "gw6"
	cr.Tag = &[]classicvpc.CreateIpv6GatewayTag{{Key: "team", Value: "net"}}
	created, err := c.CreateIpv6Gateway(cr)
	sdktest.OK(t, err)
	id := created.Ipv6GatewayId
	attr := func() *classicvpc.DescribeIpv6GatewayAttributeResponse {
		t.Helper()
		r := classicvpc.CreateDescribeIpv6GatewayAttributeRequest()
		r.Ipv6GatewayId = id
		a, err := c.DescribeIpv6GatewayAttribute(r)
		sdktest.OK(t, err)
		return a
	}
	if a := attr(); a.Status != "Creating" || a.VpcId != v || a.Spec != "Small" || a.Name != "gw6" || len(a.Tags.Tag) != 1 {
		t.Fatalf("new gateway %+v", a)
	}
	modify := func(name string) error {
		r := classicvpc.CreateModifyIpv6GatewayAttributeRequest()
		r.Ipv6GatewayId, r.Name = id, name
		_, err := c.ModifyIpv6GatewayAttribute(r)
		return err
	}
	sdktest.WantFail(t, modify("x"), 400, "IncorrectStatus.Ipv6Gateway")
	f.s.Clock.Advance(5 * time.Second)
	sdktest.OK(t, modify("renamed"))
	if a := attr(); a.Status != "Available" || a.Name != "renamed" || !secondPrecision.MatchString(a.CreationTime) {
		t.Fatalf("gateway %+v", a)
	}
	_, err = c.CreateIpv6Gateway(cr)
	sdktest.WantFail(t, err, 400, "ResourceAlreadyExist.Ipv6Gateway")

	list := func(mod func(*classicvpc.DescribeIpv6GatewaysRequest)) []classicvpc.Ipv6Gateway {
		t.Helper()
		r := classicvpc.CreateDescribeIpv6GatewaysRequest()
		mod(r)
		resp, err := c.DescribeIpv6Gateways(r)
		sdktest.OK(t, err)
		return resp.Ipv6Gateways.Ipv6Gateway
	}
	if l := list(func(r *classicvpc.DescribeIpv6GatewaysRequest) { r.VpcId = v }); len(l) != 1 || l[0].Ipv6GatewayId != id {
		t.Fatalf("gateways of the VPC %+v", l)
	}
	if l := list(func(r *classicvpc.DescribeIpv6GatewaysRequest) { r.Name = "gw6" }); len(l) != 0 {
		t.Fatalf("gateways named gw6 after the rename %+v", l)
	}
	if l := list(func(r *classicvpc.DescribeIpv6GatewaysRequest) {
		r.Tags = &[]classicvpc.DescribeIpv6GatewaysTags{{Key: "team", Value: "net"}}
	}); len(l) != 1 {
		t.Fatalf("tagged gateways %+v", l)
	}

	dv := classicvpc.CreateDeleteVpcRequest()
	dv.VpcId = v
	_, err = c.DeleteVpc(dv)
	sdktest.WantFail(t, err, 400, "DependencyViolation.Ipv6Gateway")
	del := func() error {
		r := classicvpc.CreateDeleteIpv6GatewayRequest()
		r.Ipv6GatewayId = id
		_, err := c.DeleteIpv6Gateway(r)
		return err
	}
	sdktest.OK(t, del())
	sdktest.WantFail(t, del(), 404, "InvalidIpv6GatewayId.NotFound")
	_, err = c.DeleteVpc(dv)
	sdktest.OK(t, err)
}
