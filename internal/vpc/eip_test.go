package vpc_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// allocate makes an EIP through the v6 SDK and returns its AllocationId.
func (f *netFixture) allocate(t *testing.T) string {
	t.Helper()
	resp, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.AllocationId)
}

func (f *netFixture) associate(eip, target, typ string) error {
	req := &vpc.AssociateEipAddressRequest{RegionId: dara.String(region), AllocationId: dara.String(eip), InstanceId: dara.String(target)}
	if typ != "" {
		req.InstanceType = dara.String(typ)
	}
	_, err := f.v6.AssociateEipAddress(req)
	return err
}

func (f *netFixture) unassociate(eip, target string) error {
	_, err := f.v6.UnassociateEipAddress(&vpc.UnassociateEipAddressRequest{RegionId: dara.String(region), AllocationId: dara.String(eip), InstanceId: dara.String(target)})
	return err
}

func (f *netFixture) release(eip string) error {
	_, err := f.v6.ReleaseEipAddress(&vpc.ReleaseEipAddressRequest{RegionId: dara.String(region), AllocationId: dara.String(eip)})
	return err
}

// describeEip reads one EIP through the v6 SDK; nil when it is not listed.
func (f *netFixture) describeEip(t *testing.T, id string) *vpc.DescribeEipAddressesResponseBodyEipAddressesEipAddress {
	t.Helper()
	resp, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region), AllocationId: dara.String(id)})
	sdktest.OK(t, err)
	if len(resp.Body.EipAddresses.EipAddress) == 0 {
		return nil
	}
	return resp.Body.EipAddresses.EipAddress[0]
}

// instanceEip is the EipAddress DescribeInstances (ECS v7) shows.
func (f *netFixture) instanceEip(t *testing.T, id string) *ecs.DescribeInstancesResponseBodyInstancesInstanceEipAddress {
	t.Helper()
	resp, err := sdktest.ECS(t, f.s, "").DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	if len(resp.Body.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances %s: %v", id, resp.Body)
	}
	return resp.Body.Instances.Instance[0].EipAddress
}

func TestEip_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	alloc, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region), Name: dara.String("web"), Bandwidth: dara.String("10")})
	sdktest.OK(t, err)
	id, ip := dara.StringValue(alloc.Body.AllocationId), dara.StringValue(alloc.Body.EipAddress)
	if !strings.HasPrefix(id, "eip-bp1") || !strings.HasPrefix(ip, "47.") || !strings.HasPrefix(dara.StringValue(alloc.Body.ResourceGroupId), "rg-acfm") {
		t.Fatalf("AllocateEipAddress: %v", alloc.Body)
	}
	e := f.describeEip(t, id)
	if dara.StringValue(e.Status) != "Available" || dara.StringValue(e.IpAddress) != ip || dara.StringValue(e.Bandwidth) != "10" ||
		dara.StringValue(e.InternetChargeType) != "PayByTraffic" || dara.StringValue(e.ChargeType) != "PostPaid" ||
		dara.StringValue(e.Name) != "web" || dara.StringValue(e.RegionId) != region || dara.StringValue(e.InstanceId) != "" ||
		!secondPrecision.MatchString(dara.StringValue(e.AllocationTime)) {
		t.Fatalf("available EIP: %v", e)
	}
	sdktest.OK(t, f.associate(id, inst, ""))
	e = f.describeEip(t, id)
	if dara.StringValue(e.Status) != "InUse" || dara.StringValue(e.InstanceId) != inst || dara.StringValue(e.InstanceType) != "EcsInstance" ||
		dara.StringValue(e.VpcId) != "" {
		t.Fatalf("EIP in use: %v", e)
	}
	ie := f.instanceEip(t, inst)
	if dara.StringValue(ie.AllocationId) != id || dara.StringValue(ie.IpAddress) != ip || dara.Int32Value(ie.Bandwidth) != 10 ||
		dara.StringValue(ie.InternetChargeType) != "PayByTraffic" || !dara.BoolValue(ie.IsSupportUnassociate) {
		t.Fatalf("instance EipAddress: %v", ie)
	}
	second := f.allocate(t)
	sdktest.WantFail(t, f.associate(second, inst, ""), 400, "InvalidAssociation.Duplicated")
	sdktest.WantFail(t, f.release(id), 400, "IncorrectEipStatus")
	sdktest.WantFail(t, f.associate(id, inst, ""), 400, "IncorrectEipStatus")
	sdktest.OK(t, f.unassociate(id, inst))
	if e := f.describeEip(t, id); dara.StringValue(e.Status) != "Available" || dara.StringValue(e.InstanceId) != "" {
		t.Fatalf("unassociated EIP: %v", e)
	}
	if ie := f.instanceEip(t, inst); dara.StringValue(ie.AllocationId) != "" || dara.StringValue(ie.IpAddress) != "" {
		t.Fatalf("instance still shows %v", ie)
	}
	sdktest.WantFail(t, f.unassociate(id, inst), 400, "IncorrectEipStatus")
	sdktest.OK(t, f.associate(second, inst, "EcsInstance")) // the instance is free again
	sdktest.OK(t, f.release(id))
	if e := f.describeEip(t, id); e != nil {
		t.Fatalf("released EIP still listed: %v", e)
	}
	sdktest.WantFail(t, f.release(id), 404, "InvalidAllocationId.NotFound")
}

func TestEip_Classic(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	f.stop(t, inst) // Stopped instances take EIPs too
	alloc := classicvpc.CreateAllocateEipAddressRequest()
	alloc.InternetChargeType = "PayByBandwidth"
	resp, err := f.classic.AllocateEipAddress(alloc)
	sdktest.OK(t, err)
	as := classicvpc.CreateAssociateEipAddressRequest()
	as.AllocationId, as.InstanceId = resp.AllocationId, inst
	_, err = f.classic.AssociateEipAddress(as)
	sdktest.OK(t, err)
	d := classicvpc.CreateDescribeEipAddressesRequest()
	d.AssociatedInstanceId, d.AssociatedInstanceType = inst, "EcsInstance"
	list, err := f.classic.DescribeEipAddresses(d)
	sdktest.OK(t, err)
	if list.TotalCount != 1 || len(list.EipAddresses.EipAddress) != 1 {
		t.Fatalf("DescribeEipAddresses: %+v", list)
	}
	e := list.EipAddresses.EipAddress[0]
	if e.AllocationId != resp.AllocationId || e.IpAddress != resp.EipAddress || e.Status != "InUse" || e.Bandwidth != "5" ||
		e.InternetChargeType != "PayByBandwidth" || e.InstanceRegionId != region || !slices.Equal(e.AvailableRegions.AvailableRegion, []string{region}) {
		t.Fatalf("EIP: %+v", e)
	}
	// The ECS 2014-05-26 twin sees the same EIP.
	ed := classicecs.CreateDescribeEipAddressesRequest()
	ed.AllocationId = resp.AllocationId
	elist, err := f.ecs.DescribeEipAddresses(ed)
	sdktest.OK(t, err)
	if len(elist.EipAddresses.EipAddress) != 1 || elist.EipAddresses.EipAddress[0].InstanceId != inst {
		t.Fatalf("ECS DescribeEipAddresses: %+v", elist.EipAddresses)
	}
	un := classicvpc.CreateUnassociateEipAddressRequest()
	un.AllocationId, un.InstanceId = resp.AllocationId, inst
	_, err = f.classic.UnassociateEipAddress(un)
	sdktest.OK(t, err)
	rel := classicvpc.CreateReleaseEipAddressRequest()
	rel.AllocationId = resp.AllocationId
	_, err = f.classic.ReleaseEipAddress(rel)
	sdktest.OK(t, err)
}

func TestAssociateEipAddress_Refusals(t *testing.T) {
	f := newNet(t, true)
	inst := f.run(t, nil)
	withIP := f.run(t, func(r *classicecs.RunInstancesRequest) { r.InternetMaxBandwidthOut = requests.NewInteger(5) })
	busy := f.run(t, nil)
	r := classicecs.CreateRebootInstanceRequest()
	r.InstanceId = busy
	_, err := f.ecs.RebootInstance(r)
	sdktest.OK(t, err)
	eip := f.allocate(t)
	for _, tc := range []struct {
		name, eip, target, typ string
		status                 int
		code                   string
	}{
		{"unknown EIP", "eip-nope", inst, "", 404, "InvalidAllocationId.NotFound"},
		{"unknown instance", eip, "i-bp1doesnotexist000", "", 404, "InvalidInstanId.NotFound"},
		{"unknown ENI", eip, "eni-nope", "NetworkInterface", 404, "InvalidInstanId.NotFound"},
		{"instance rebooting", eip, busy, "", 400, "IncorrectInstanceStatus"},
		{"instance with a public IP", eip, withIP, "", 400, "EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP"},
		{"unsupported target", eip, "lb-1", "SlbInstance", 400, "InvalidInstanceType.ValueNotSupported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sdktest.WantFail(t, f.associate(tc.eip, tc.target, tc.typ), tc.status, tc.code)
		})
	}
	t.Run("instance of another region", func(t *testing.T) {
		other, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String("cn-shanghai")})
		sdktest.OK(t, err)
		_, err = f.v6.AssociateEipAddress(&vpc.AssociateEipAddressRequest{RegionId: dara.String("cn-shanghai"), AllocationId: other.Body.AllocationId, InstanceId: dara.String(inst)})
		sdktest.WantFail(t, err, 400, "InvalidParameter.Mismatch")
	})
	t.Run("unassociate from another instance", func(t *testing.T) {
		sdktest.OK(t, f.associate(eip, inst, ""))
		sdktest.WantFail(t, f.unassociate(eip, withIP), 400, "InvalidParameter")
		sdktest.OK(t, f.unassociate(eip, inst))
	})
	t.Run("dry run", func(t *testing.T) {
		req := classicvpc.CreateAssociateEipAddressRequest()
		req.AllocationId, req.InstanceId, req.DryRun = eip, inst, requests.NewBoolean(true)
		_, err := f.classic.AssociateEipAddress(req)
		sdktest.WantFail(t, err, 400, "DryRunOperation")
		if e := f.describeEip(t, eip); dara.StringValue(e.Status) != "Available" {
			t.Fatalf("dry run changed the EIP: %v", e)
		}
	})
	t.Run("missing instance", func(t *testing.T) {
		_, err := f.v6.AssociateEipAddress(&vpc.AssociateEipAddressRequest{RegionId: dara.String(region), AllocationId: dara.String(eip)})
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
	t.Run("after the reboot", func(t *testing.T) {
		f.s.Clock.Advance(10 * time.Second)
		sdktest.OK(t, f.associate(eip, busy, ""))
	})
}

func TestDescribeEipAddresses_Filters(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	var ids, ips []string
	for range 3 {
		resp, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region)})
		sdktest.OK(t, err)
		ids, ips = append(ids, dara.StringValue(resp.Body.AllocationId)), append(ips, dara.StringValue(resp.Body.EipAddress))
	}
	_, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String("cn-shanghai")})
	sdktest.OK(t, err)
	sdktest.OK(t, f.associate(ids[1], inst, ""))
	_, err = f.v6.ModifyEipAddressAttribute(&vpc.ModifyEipAddressAttributeRequest{RegionId: dara.String(region), AllocationId: dara.String(ids[0]), Name: dara.String("web")})
	sdktest.OK(t, err)
	for _, tc := range []struct {
		name string
		req  *vpc.DescribeEipAddressesRequest
		want []string
	}{
		{"all", &vpc.DescribeEipAddressesRequest{}, ids},
		{"ids", &vpc.DescribeEipAddressesRequest{AllocationId: dara.String(ids[0] + "," + ids[2])}, []string{ids[0], ids[2]}},
		{"address", &vpc.DescribeEipAddressesRequest{EipAddress: dara.String(ips[2])}, ids[2:]},
		{"in use", &vpc.DescribeEipAddressesRequest{Status: dara.String("InUse")}, ids[1:2]},
		{"available", &vpc.DescribeEipAddressesRequest{Status: dara.String("Available")}, []string{ids[0], ids[2]}},
		{"instance", &vpc.DescribeEipAddressesRequest{AssociatedInstanceId: dara.String(inst)}, ids[1:2]},
		{"page 2", &vpc.DescribeEipAddressesRequest{PageNumber: dara.Int32(2), PageSize: dara.Int32(2)}, ids[2:]},
		{"instance type", &vpc.DescribeEipAddressesRequest{AssociatedInstanceType: dara.String("EcsInstance")}, ids[1:2]},
		{"isp", &vpc.DescribeEipAddressesRequest{ISP: dara.String("BGP")}, ids},
		{"other isp", &vpc.DescribeEipAddressesRequest{ISP: dara.String("BGP_PRO")}, nil},
		{"renamed", &vpc.DescribeEipAddressesRequest{EipName: dara.String("web")}, ids[:1]},
		{"charge type", &vpc.DescribeEipAddressesRequest{ChargeType: dara.String("PostPaid")}, ids},
		{"lock reason", &vpc.DescribeEipAddressesRequest{LockReason: dara.String("financial")}, nil},
		{"segment", &vpc.DescribeEipAddressesRequest{SegmentInstanceId: dara.String("eipsg-1")}, nil},
		{"include reservation data", &vpc.DescribeEipAddressesRequest{IncludeReservationData: dara.Bool(true)}, ids},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.RegionId = dara.String(region)
			resp, err := f.v6.DescribeEipAddresses(tc.req)
			sdktest.OK(t, err)
			var got []string
			for _, e := range resp.Body.EipAddresses.EipAddress {
				got = append(got, dara.StringValue(e.AllocationId))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("dry run", func(t *testing.T) {
		_, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region), DryRun: dara.Bool(true)})
		sdktest.WantFail(t, err, 400, "DryRunOperation")
	})
	t.Run("bad status", func(t *testing.T) {
		_, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region), Status: dara.String("Floating")})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
}

// TestModifyEipAddressAttribute: bandwidth, name and description; the
// bound instance shows the new bandwidth; limits and unknown ids.
func TestModifyEipAddressAttribute(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	eip := f.allocate(t)
	sdktest.OK(t, f.associate(eip, inst, ""))
	modify := func(id string, bw *string, name, desc string) error {
		req := &vpc.ModifyEipAddressAttributeRequest{RegionId: dara.String(region), AllocationId: dara.String(id), Bandwidth: bw}
		if name != "" {
			req.Name = dara.String(name)
		}
		if desc != "" {
			req.Description = dara.String(desc)
		}
		_, err := f.v6.ModifyEipAddressAttribute(req)
		return err
	}
	sdktest.OK(t, modify(eip, dara.String("20"), "web", "front"))
	e := f.describeEip(t, eip)
	if dara.StringValue(e.Bandwidth) != "20" || dara.StringValue(e.Name) != "web" || dara.StringValue(e.Description) != "front" {
		t.Fatalf("after modify: %v", e)
	}
	if got := dara.Int32Value(f.instanceEip(t, inst).Bandwidth); got != 20 {
		t.Fatalf("instance shows bandwidth %d", got)
	}
	sdktest.WantFail(t, modify(eip, dara.String("300"), "", ""), 400, "InvalidParameter") // PayByTraffic stops at 200
	sdktest.WantFail(t, modify(eip, dara.String("0"), "", ""), 400, "InvalidParameter")
	sdktest.WantFail(t, modify("eip-missing", nil, "x", ""), 404, "InvalidAllocationId.NotFound")
	r := classicvpc.CreateModifyEipAddressAttributeRequest()
	r.AllocationId, r.Bandwidth = eip, "30"
	_, err := f.classic.ModifyEipAddressAttribute(r)
	sdktest.OK(t, err)
	if got := dara.StringValue(f.describeEip(t, eip).Bandwidth); got != "30" {
		t.Fatalf("classic modify: bandwidth %s", got)
	}
}
