package vpc_test

import (
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestAllocateEipAddressPro: a drawn address, a chosen one from the pool,
// and the refusals of a taken or foreign address and of InstanceId.
func TestAllocateEipAddressPro(t *testing.T) {
	f := newNet(t, false)
	pro := func(req *vpc.AllocateEipAddressProRequest) (*vpc.AllocateEipAddressProResponseBody, error) {
		req.RegionId = dara.String(region)
		resp, err := f.v6.AllocateEipAddressPro(req)
		if err != nil {
			return nil, err
		}
		return resp.Body, nil
	}
	drawn, err := pro(&vpc.AllocateEipAddressProRequest{Bandwidth: dara.String("8")})
	sdktest.OK(t, err)
	if e := f.describeEip(t, dara.StringValue(drawn.AllocationId)); dara.StringValue(e.IpAddress) != dara.StringValue(drawn.EipAddress) ||
		dara.StringValue(e.Bandwidth) != "8" || drawn.OrderId != nil {
		t.Fatalf("AllocateEipAddressPro %v / %v", drawn, e)
	}
	chosen, err := pro(&vpc.AllocateEipAddressProRequest{IpAddress: dara.String("47.98.200.7"), InstanceChargeType: dara.String("PrePaid")})
	sdktest.OK(t, err)
	if dara.StringValue(chosen.EipAddress) != "47.98.200.7" || dara.Int64Value(chosen.OrderId) == 0 {
		t.Fatalf("chosen address %v", chosen)
	}
	_, err = pro(&vpc.AllocateEipAddressProRequest{IpAddress: dara.String("47.98.200.7")})
	sdktest.WantFail(t, err, 400, "InvalidIpAddress.AlreadyAllocated")
	_, err = pro(&vpc.AllocateEipAddressProRequest{IpAddress: dara.String("8.8.8.8")})
	sdktest.WantFail(t, err, 400, "InvalidIpAddress.NotInPool")
	_, err = pro(&vpc.AllocateEipAddressProRequest{IpAddress: dara.String("not-an-ip")})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = pro(&vpc.AllocateEipAddressProRequest{InstanceId: dara.String(dara.StringValue(drawn.AllocationId))})
	sdktest.WantFail(t, err, 400, "IncorrectEipStatus")
	_, err = pro(&vpc.AllocateEipAddressProRequest{InstanceId: dara.String("eip-released")})
	sdktest.WantFail(t, err, 404, "InvalidAllocationId.NotFound")

	// ClientToken replays the first answer.
	token := &vpc.AllocateEipAddressProRequest{ClientToken: dara.String("pro-1")}
	first, err := pro(token)
	sdktest.OK(t, err)
	again, err := pro(&vpc.AllocateEipAddressProRequest{ClientToken: dara.String("pro-1")})
	sdktest.OK(t, err)
	if dara.StringValue(first.AllocationId) != dara.StringValue(again.AllocationId) {
		t.Fatalf("ClientToken replay allocated %s then %s", dara.StringValue(first.AllocationId), dara.StringValue(again.AllocationId))
	}

	// The classic SDK.
	cr := classicvpc.CreateAllocateEipAddressProRequest()
	cr.IpAddress = "47.98.201.9"
	c, err := f.classic.AllocateEipAddressPro(cr)
	sdktest.OK(t, err)
	if c.EipAddress != "47.98.201.9" {
		t.Fatalf("classic AllocateEipAddressPro %+v", c)
	}
}

// secondaryENI makes a secondary ENI in the fixture's vSwitch (ECS v7).
func (f *netFixture) secondaryENI(t *testing.T) string {
	t.Helper()
	resp, err := sdktest.ECS(t, f.s, "").CreateNetworkInterface(&ecs.CreateNetworkInterfaceRequest{RegionId: dara.String(region),
		VSwitchId: dara.String(f.vsw), SecurityGroupId: dara.String(f.sg)})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.NetworkInterfaceId)
}

// TestAssociateEipAddressBatch_ForwardMode: EIPs bound in a batch to a NAT
// gateway and, in the multi-EIP-to-ENI mode, to a secondary ENI; the
// forward mode of an ENI's EIP and its refusals.
func TestAssociateEipAddressBatch_ForwardMode(t *testing.T) {
	f := newNet(t, false)
	g := f.createNat(t)
	a, b, c := f.allocate(t), f.allocate(t), f.allocate(t)
	batch := func(target, typ, mode string, eips ...string) error {
		req := &vpc.AssociateEipAddressBatchRequest{RegionId: dara.String(region), BindedInstanceId: dara.String(target),
			BindedInstanceType: dara.String(typ), InstanceIds: dara.StringSlice(eips)}
		if mode != "" {
			req.Mode = dara.String(mode)
		}
		_, err := f.v6.AssociateEipAddressBatch(req)
		return err
	}
	sdktest.OK(t, batch(g.id, "Nat", "", a, b))
	if l := f.describeNat(t, g.id).IpLists.IpList; len(l) != 2 {
		t.Fatalf("gateway EIPs after the batch %v", l)
	}
	// All or none: a is in use, so c stays Available.
	sdktest.WantFail(t, batch(g.id, "Nat", "", c, a), 400, "IncorrectEipStatus")
	if got := dara.StringValue(f.describeEip(t, c).Status); got != "Available" {
		t.Fatalf("a refused batch left %s %s", c, got)
	}
	sdktest.WantFail(t, batch("ngw-missing", "Nat", "", c), 404, "InvalidInstanId.NotFound")
	sdktest.WantFail(t, batch(g.id, "SlbInstance", "", c), 400, "InvalidParameter")

	eni := f.secondaryENI(t)
	sdktest.WantFail(t, batch(eni, "NetworkInterface", "", c), 400, "MissingParameter")
	d := f.allocate(t)
	sdktest.OK(t, batch(eni, "NetworkInterface", "MULTI_BINDED", c, d))
	for _, id := range []string{c, d} {
		if e := f.describeEip(t, id); dara.StringValue(e.Mode) != "MULTI_BINDED" || dara.StringValue(e.InstanceId) != eni {
			t.Fatalf("EIP %s on the ENI: %v", id, e)
		}
	}
	inst := f.run(t, nil)
	sdktest.WantFail(t, batch(f.primaryENI(t, inst), "NetworkInterface", "MULTI_BINDED", f.allocate(t)), 400, "InvalidInstanceType.ValueNotSupported")

	mode := func(eip, m string) error {
		_, err := f.v6.ModifyEipForwardMode(&vpc.ModifyEipForwardModeRequest{RegionId: dara.String(region), InstanceId: dara.String(eip), Mode: dara.String(m)})
		return err
	}
	// Two EIPs on the ENI: only MULTI_BINDED.
	sdktest.WantFail(t, mode(c, "BINDED"), 400, "InvalidAssociation.Duplicated")
	sdktest.OK(t, f.unassociate(d, eni))
	sdktest.OK(t, mode(c, "BINDED"))
	if got := dara.StringValue(f.describeEip(t, c).Mode); got != "BINDED" {
		t.Fatalf("mode after ModifyEipForwardMode: %s", got)
	}
	// An ENI whose EIP is in another mode takes no MULTI_BINDED batch.
	sdktest.WantFail(t, batch(eni, "NetworkInterface", "MULTI_BINDED", d), 400, "InvalidAssociation.Duplicated")
	sdktest.WantFail(t, mode(a, "BINDED"), 400, "IncorrectEipStatus")
	sdktest.WantFail(t, mode(d, "NAT"), 400, "IncorrectEipStatus")
	sdktest.WantFail(t, mode("eip-missing", "NAT"), 404, "InvalidAllocationId.NotFound")
	sdktest.WantFail(t, mode(c, "CUT"), 400, "InvalidParameter")
}
