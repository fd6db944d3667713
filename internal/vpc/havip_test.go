package vpc_test

import (
	"slices"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// havip reads one HaVip through the v6 DescribeHaVips.
func (f *netFixture) havip(t *testing.T, id string) *vpc.DescribeHaVipsResponseBodyHaVipsHaVip {
	t.Helper()
	resp, err := f.v6.DescribeHaVips(&vpc.DescribeHaVipsRequest{RegionId: dara.String(region),
		Filter: []*vpc.DescribeHaVipsRequestFilter{{Key: dara.String("HaVipId"), Value: dara.StringSlice([]string{id})}}})
	sdktest.OK(t, err)
	if len(resp.Body.HaVips.HaVip) != 1 {
		t.Fatalf("DescribeHaVips %s: %d", id, len(resp.Body.HaVips.HaVip))
	}
	return resp.Body.HaVips.HaVip[0]
}

func (f *netFixture) associateHaVip(havip, target, typ string) error {
	req := &vpc.AssociateHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(havip), InstanceId: dara.String(target)}
	if typ != "" {
		req.InstanceType = dara.String(typ)
	}
	_, err := f.v6.AssociateHaVip(req)
	return err
}

func (f *netFixture) unassociateHaVip(havip, target, force string) error {
	req := &vpc.UnassociateHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(havip), InstanceId: dara.String(target)}
	if force != "" {
		req.Force = dara.String(force)
	}
	_, err := f.v6.UnassociateHaVip(req)
	return err
}

func TestHaVip_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	a, b := f.run(t, nil), f.run(t, nil)
	created, err := f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw),
		Name: dara.String("ha"), Description: dara.String("pair"), ClientToken: dara.String("t1"),
		Tag: []*vpc.CreateHaVipRequestTag{{Key: dara.String("env"), Value: dara.String("prod")}}})
	sdktest.OK(t, err)
	id, ip := dara.StringValue(created.Body.HaVipId), dara.StringValue(created.Body.IpAddress)
	again, err := f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw),
		Name: dara.String("ha"), Description: dara.String("pair"), ClientToken: dara.String("t1"),
		Tag: []*vpc.CreateHaVipRequestTag{{Key: dara.String("env"), Value: dara.String("prod")}}})
	sdktest.OK(t, err)
	if dara.StringValue(again.Body.HaVipId) != id {
		t.Errorf("ClientToken replay made another HaVip")
	}
	h := f.havip(t, id)
	if dara.StringValue(h.Status) != "Available" || dara.StringValue(h.IpAddress) != ip || dara.StringValue(h.VpcId) != f.vpcID ||
		dara.StringValue(h.Name) != "ha" || len(h.Tags.Tag) != 1 {
		t.Errorf("new HaVip: %v", h)
	}
	// Its address is taken: neither a chosen HaVip address nor the next ENI gets it.
	_, err = f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw), IpAddress: dara.String(ip)})
	sdktest.WantFail(t, err, 400, "InvalidIpAddress.AlreadyUsed")
	_, err = f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw), IpAddress: dara.String("10.0.0.1")})
	sdktest.WantFail(t, err, 403, "InvalidVSwitchId.IpInvalid")
	c := f.run(t, nil)
	if f.privateIP(t, c) == ip {
		t.Errorf("an instance was given the HaVip's address %s", ip)
	}

	sdktest.OK(t, f.associateHaVip(id, a, ""))
	sdktest.OK(t, f.associateHaVip(id, b, "EcsInstance"))
	sdktest.WantFail(t, f.associateHaVip(id, b, ""), 400, "InvalidInstanceId.AlreadyAssociated")
	sdktest.WantFail(t, f.associateHaVip(id, "i-nope", ""), 404, "InvalidInstanceId.NotFound")
	sdktest.WantFail(t, f.associateHaVip("havip-nope", a, ""), 404, "InvalidHaVipId.NotFound")
	h = f.havip(t, id)
	if dara.StringValue(h.Status) != "InUse" || dara.StringValue(h.MasterInstanceId) != a ||
		!slices.Equal(strs(h.AssociatedInstances.AssociatedInstance), []string{a, b}) || dara.StringValue(h.AssociatedInstanceType) != "EcsInstance" {
		t.Errorf("associated HaVip: %v", h)
	}
	_, err = f.v6.DeleteHaVip(&vpc.DeleteHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "IncorrectHaVipStatus")
	sdktest.WantFail(t, f.unassociateHaVip(id, a, ""), 400, "OperationDenied.MasterInstance")
	sdktest.WantFail(t, f.unassociateHaVip(id, c, ""), 400, "InvalidInstanceId.NotAssociated")
	sdktest.OK(t, f.unassociateHaVip(id, a, "True"))
	if got := dara.StringValue(f.havip(t, id).MasterInstanceId); got != b {
		t.Errorf("master after unassociate %s", got)
	}
	sdktest.OK(t, f.unassociateHaVip(id, b, ""))
	if got := dara.StringValue(f.havip(t, id).Status); got != "Available" {
		t.Errorf("status after unassociating all %s", got)
	}

	_, err = f.v6.ModifyHaVipAttribute(&vpc.ModifyHaVipAttributeRequest{RegionId: dara.String(region), HaVipId: dara.String(id), Name: dara.String("renamed")})
	sdktest.OK(t, err)
	if got := dara.StringValue(f.havip(t, id).Name); got != "renamed" {
		t.Errorf("name %s", got)
	}
	// Filters and the tag actions see it.
	resp, err := f.v6.DescribeHaVips(&vpc.DescribeHaVipsRequest{RegionId: dara.String(region),
		Filter: []*vpc.DescribeHaVipsRequestFilter{{Key: dara.String("HaVipAddress"), Value: dara.StringSlice([]string{ip})}},
		Tags:   []*vpc.DescribeHaVipsRequestTags{{Key: dara.String("env"), Value: dara.String("prod")}}})
	sdktest.OK(t, err)
	if dara.Int32Value(resp.Body.TotalCount) != 1 {
		t.Errorf("filtered DescribeHaVips: %v", resp.Body)
	}
	if got := f.listTags(t, "HAVIP", []string{id}); len(got) != 1 {
		t.Errorf("ListTagResources HAVIP: %v", got)
	}
	_, err = f.v6.DescribeHaVips(&vpc.DescribeHaVipsRequest{RegionId: dara.String(region),
		Filter: []*vpc.DescribeHaVipsRequestFilter{{Key: dara.String("Colour"), Value: dara.StringSlice([]string{"x"})}}})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	// A route entry to the HaVip holds it.
	route, err := f.addRoute("10.8.0.0/16", "HaVip", id)
	sdktest.OK(t, err)
	_, err = f.v6.DeleteHaVip(&vpc.DeleteHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.RouteEntry")
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: dara.String(route)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteHaVip(&vpc.DeleteHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteHaVip(&vpc.DeleteHaVipRequest{RegionId: dara.String(region), HaVipId: dara.String(id)})
	sdktest.WantFail(t, err, 404, "InvalidHaVipId.NotFound")
}

func TestHaVip_OtherVSwitchAndENI(t *testing.T) {
	f := newNet(t, false)
	other := createVSwitch(t, f.v6, f.vpcID, f.zone, "192.168.2.0/24", "other")
	f.s.Clock.Advance(5e9)
	inst := f.run(t, func(r *classicecs.RunInstancesRequest) { r.VSwitchId = other })
	created, err := f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw), IpAddress: dara.String("192.168.1.100")})
	sdktest.OK(t, err)
	id := dara.StringValue(created.Body.HaVipId)
	sdktest.WantFail(t, f.associateHaVip(id, inst, ""), 400, "InvalidVSwitchId.NotSame")
	cr := classicecs.CreateCreateNetworkInterfaceRequest()
	cr.VSwitchId, cr.SecurityGroupId = f.vsw, f.sg
	eni, err := f.ecs.CreateNetworkInterface(cr)
	sdktest.OK(t, err)
	sdktest.OK(t, f.associateHaVip(id, eni.NetworkInterfaceId, "NetworkInterface"))
	sdktest.WantFail(t, f.associateHaVip(id, f.run(t, nil), "EcsInstance"), 400, "InvalidInstanceType.Mismatch")
	_, err = f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String("vsw-nope")})
	sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
}

// TestHaVip_Release: releasing an instance disassociates it from its
// HaVips, through ECS 2014-05-26's form of the actions, which shares VPC's.
func TestHaVip_Release(t *testing.T) {
	f := newNet(t, false)
	a, b := f.run(t, nil), f.run(t, nil)
	cr := classicecs.CreateCreateHaVipRequest()
	cr.VSwitchId = f.vsw
	h, err := f.ecs.CreateHaVip(cr)
	sdktest.OK(t, err)
	for _, inst := range []string{a, b} {
		ar := classicecs.CreateAssociateHaVipRequest()
		ar.HaVipId, ar.InstanceId = h.HaVipId, inst
		_, err = f.ecs.AssociateHaVip(ar)
		sdktest.OK(t, err)
	}
	releaseInstance(t, f.s, a)
	got := f.havip(t, h.HaVipId)
	if dara.StringValue(got.Status) != "InUse" || dara.StringValue(got.MasterInstanceId) != b || !slices.Equal(strs(got.AssociatedInstances.AssociatedInstance), []string{b}) {
		t.Errorf("after releasing the master: %v", got)
	}
	releaseInstance(t, f.s, b)
	if got := f.havip(t, h.HaVipId); dara.StringValue(got.Status) != "Available" || len(got.AssociatedInstances.AssociatedInstance) != 0 {
		t.Errorf("after releasing both: %v", got)
	}
	dr := classicecs.CreateDeleteHaVipRequest()
	dr.HaVipId = h.HaVipId
	_, err = f.ecs.DeleteHaVip(dr)
	sdktest.OK(t, err)
}
