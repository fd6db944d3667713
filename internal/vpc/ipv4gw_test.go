package vpc_test

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestIpv4Gateway_Lifecycle: through the classic SDK (the generated v6
// client has no IPv4 gateway actions): create (Creating, then Created on
// the clock; one per VPC), list with filters, get, update, enable, a
// gateway route table bound and unbound, the refusals they make, and
// deletion.
func TestIpv4Gateway_Lifecycle(t *testing.T) {
	f := newNet(t, true)
	c := f.classic
	cr := classicvpc.CreateCreateIpv4GatewayRequest()
	cr.VpcId, cr.Ipv4GatewayName = f.vpcID, "igw"
	cr.Tag = &[]classicvpc.CreateIpv4GatewayTag{{Key: "team", Value: "net"}}
	cr.DryRun = requests.NewBoolean(true)
	_, err := c.CreateIpv4Gateway(cr)
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	cr.DryRun = requests.NewBoolean(false)
	created, err := c.CreateIpv4Gateway(cr)
	sdktest.OK(t, err)
	id := created.Ipv4GatewayId
	get := func() *classicvpc.GetIpv4GatewayAttributeResponse {
		t.Helper()
		r := classicvpc.CreateGetIpv4GatewayAttributeRequest()
		r.Ipv4GatewayId = id
		g, err := c.GetIpv4GatewayAttribute(r)
		sdktest.OK(t, err)
		return g
	}
	if g := get(); g.Status != "Creating" || g.Enabled || g.VpcId != f.vpcID || g.Ipv4GatewayName != "igw" || len(g.Tags) != 1 {
		t.Fatalf("new gateway %+v", g)
	}
	enable := func(tables ...string) error {
		r := classicvpc.CreateEnableVpcIpv4GatewayRequest()
		r.Ipv4GatewayId = id
		if len(tables) > 0 {
			r.RouteTableList = &tables
		}
		_, err := c.EnableVpcIpv4Gateway(r)
		return err
	}
	sdktest.WantFail(t, enable(), 400, "IncorrectStatus.Ipv4Gateway")
	f.s.Clock.Advance(5 * time.Second)
	if g := get(); g.Status != "Created" {
		t.Fatalf("gateway after the delay: %s", g.Status)
	}
	_, err = c.CreateIpv4Gateway(cr)
	sdktest.WantFail(t, err, 400, "ResourceAlreadyExist.Ipv4Gateway")
	missing := classicvpc.CreateCreateIpv4GatewayRequest()
	missing.VpcId = "vpc-missing"
	_, err = c.CreateIpv4Gateway(missing)
	sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")

	list := func(mod func(*classicvpc.ListIpv4GatewaysRequest)) []classicvpc.Ipv4GatewayModelsItem {
		t.Helper()
		r := classicvpc.CreateListIpv4GatewaysRequest()
		mod(r)
		resp, err := c.ListIpv4Gateways(r)
		sdktest.OK(t, err)
		return resp.Ipv4GatewayModels
	}
	if l := list(func(r *classicvpc.ListIpv4GatewaysRequest) { r.VpcId = f.vpcID }); len(l) != 1 || l[0].Ipv4GatewayId != id ||
		!secondPrecision.MatchString(l[0].GmtCreate) {
		t.Fatalf("gateways of the VPC %+v", l)
	}
	if l := list(func(r *classicvpc.ListIpv4GatewaysRequest) {
		r.Tags = &[]classicvpc.ListIpv4GatewaysTags{{Key: "team", Value: "other"}}
	}); len(l) != 0 {
		t.Fatalf("gateways tagged team=other %+v", l)
	}
	ur := classicvpc.CreateUpdateIpv4GatewayAttributeRequest()
	ur.Ipv4GatewayId, ur.Ipv4GatewayDescription = id, "edge"
	_, err = c.UpdateIpv4GatewayAttribute(ur)
	sdktest.OK(t, err)

	sdktest.WantFail(t, enable("vtb-missing"), 404, "InvalidRouteTableId.NotFound")
	sdktest.OK(t, enable(f.table))
	if g := get(); !g.Enabled || g.Ipv4GatewayDescription != "edge" {
		t.Fatalf("enabled gateway %+v", g)
	}

	// A gateway route table binds to the gateway; a vSwitch table does not.
	table := func(typ string) string {
		r := classicvpc.CreateCreateRouteTableRequest()
		r.VpcId, r.AssociateType = f.vpcID, typ
		resp, err := c.CreateRouteTable(r)
		sdktest.OK(t, err)
		f.s.Clock.Advance(5 * time.Second)
		return resp.RouteTableId
	}
	gwTable, vswTable := table("Gateway"), table("VSwitch")
	bind := func(tableID string, on bool) error {
		var err error
		if on {
			r := classicvpc.CreateAssociateRouteTableWithGatewayRequest()
			r.GatewayId, r.RouteTableId = id, tableID
			_, err = c.AssociateRouteTableWithGateway(r)
		} else {
			r := classicvpc.CreateDissociateRouteTableFromGatewayRequest()
			r.GatewayId, r.RouteTableId = id, tableID
			_, err = c.DissociateRouteTableFromGateway(r)
		}
		return err
	}
	sdktest.WantFail(t, bind(vswTable, true), 400, "IncorrectRouteTableType")
	sdktest.WantFail(t, bind(gwTable, false), 400, "OperationFailed.GatewayRouteTableNotAssociated")
	sdktest.OK(t, bind(gwTable, true))
	sdktest.WantFail(t, bind(gwTable, true), 400, "OperationFailed.GatewayRouteTableAssociated")
	if g := get(); g.Ipv4GatewayRouteTableId != gwTable {
		t.Fatalf("gateway route table %q", g.Ipv4GatewayRouteTableId)
	}
	lr := classicvpc.CreateDescribeRouteTableListRequest()
	lr.RouteTableId = gwTable
	tl, err := c.DescribeRouteTableList(lr)
	sdktest.OK(t, err)
	if l := tl.RouterTableList.RouterTableListType; len(l) != 1 || len(l[0].GatewayIds.GatewayIds) != 1 || l[0].GatewayIds.GatewayIds[0] != id {
		t.Fatalf("DescribeRouteTableList of the gateway table %+v", l)
	}
	dt := classicvpc.CreateDeleteRouteTableRequest()
	dt.RouteTableId = gwTable
	_, err = c.DeleteRouteTable(dt)
	sdktest.WantFail(t, err, 400, "DependencyViolation.Ipv4Gateway")
	del := func() error {
		r := classicvpc.CreateDeleteIpv4GatewayRequest()
		r.Ipv4GatewayId = id
		_, err := c.DeleteIpv4Gateway(r)
		return err
	}
	sdktest.WantFail(t, del(), 400, "DependencyViolation.GatewayRouteTable")
	sdktest.OK(t, bind(gwTable, false))
	sdktest.OK(t, del())
	sdktest.WantFail(t, del(), 404, "ResourceNotFound.Ipv4Gateway")
	if l := list(func(*classicvpc.ListIpv4GatewaysRequest) {}); len(l) != 0 {
		t.Fatalf("gateways after deletion %+v", l)
	}
	_, err = c.DeleteRouteTable(dt)
	sdktest.OK(t, err)
}

// TestIpv4Gateway_HoldsVpc: a VPC with an IPv4 gateway is not deleted.
func TestIpv4Gateway_HoldsVpc(t *testing.T) {
	f := newNet(t, false)
	v := createVpc(t, f.v6, "10.0.0.0/16", "bare")
	cr := classicvpc.CreateCreateIpv4GatewayRequest()
	cr.VpcId = v
	g, err := f.classic.CreateIpv4Gateway(cr)
	sdktest.OK(t, err)
	dv := classicvpc.CreateDeleteVpcRequest()
	dv.VpcId = v
	_, err = f.classic.DeleteVpc(dv)
	sdktest.WantFail(t, err, 400, "DependencyViolation.Ipv4Gateway")
	dg := classicvpc.CreateDeleteIpv4GatewayRequest()
	dg.Ipv4GatewayId = g.Ipv4GatewayId
	_, err = f.classic.DeleteIpv4Gateway(dg)
	sdktest.OK(t, err)
	_, err = f.classic.DeleteVpc(dv)
	sdktest.OK(t, err)
}
