package vpc_test

import (
	"net/netip"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) reserve(cidr, mask string) (string, error) {
	req := &vpc.CreateVSwitchCidrReservationRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw), VSwitchCidrReservationName: dara.String("r")}
	if cidr != "" {
		req.VSwitchCidrReservationCidr = dara.String(cidr)
	}
	if mask != "" {
		req.VSwitchCidrReservationMask = dara.String(mask)
	}
	resp, err := f.v6.CreateVSwitchCidrReservation(req)
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.VSwitchCidrReservationId), nil
}

func TestVSwitchCidrReservation_Allocation(t *testing.T) {
	f := newNet(t, false) // vSwitch 192.168.1.0/24
	before := dara.Int64Value(describeVSwitch(t, f.v6, f.vsw).AvailableIpAddressCount)
	// The block at the start of the vSwitch: instances and HaVips skip it.
	id, err := f.reserve("192.168.1.0/26", "")
	sdktest.OK(t, err)
	if after := dara.Int64Value(describeVSwitch(t, f.v6, f.vsw).AvailableIpAddressCount); after != before-64 {
		t.Errorf("AvailableIpAddressCount %d, was %d", after, before)
	}
	reserved := netip.MustParsePrefix("192.168.1.0/26")
	inst := f.run(t, nil)
	if ip := netip.MustParseAddr(f.privateIP(t, inst)); reserved.Contains(ip) {
		t.Errorf("instance given reserved %s", ip)
	}
	h, err := f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw)})
	sdktest.OK(t, err)
	if ip := netip.MustParseAddr(dara.StringValue(h.Body.IpAddress)); reserved.Contains(ip) {
		t.Errorf("HaVip given reserved %s", ip)
	}
	// An address asked for by name may lie inside the block.
	_, err = f.v6.CreateHaVip(&vpc.CreateHaVipRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw), IpAddress: dara.String("192.168.1.10")})
	sdktest.OK(t, err)

	// By mask: the first free /28 that holds no address in use.
	byMask, err := f.reserve("", "28")
	sdktest.OK(t, err)
	list, err := f.v6.ListVSwitchCidrReservations(&vpc.ListVSwitchCidrReservationsRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw)})
	sdktest.OK(t, err)
	if dara.Int64Value(list.Body.TotalCount) != 2 {
		t.Fatalf("list: %v", list.Body)
	}
	got := list.Body.VSwitchCidrReservations[1]
	block := netip.MustParsePrefix(dara.StringValue(got.VSwitchCidrReservationCidr))
	if dara.StringValue(got.VSwitchCidrReservationId) != byMask || block.Bits() != 28 || block.Overlaps(reserved) ||
		block.Contains(netip.MustParseAddr(f.privateIP(t, inst))) || dara.StringValue(got.Type) != "prefix" ||
		dara.StringValue(got.Status) != "Assigned" || dara.Int32Value(got.AvailableCidrCount) != 1 || dara.StringValue(got.VpcId) != f.vpcID {
		t.Errorf("by-mask reservation: %v", got)
	}

	for name, tc := range map[string]struct {
		cidr, mask string
		code       string
	}{
		"overlap":       {cidr: "192.168.1.32/27", code: "InvalidVSwitchCidrReservationCidr.Overlapped"},
		"outside":       {cidr: "192.168.2.0/28", code: "InvalidVSwitchCidrReservationCidr.Malformed"},
		"mask too long": {mask: "29", code: "InvalidVSwitchCidrReservationMask.Malformed"},
		"in use":        {cidr: f.privateIP(t, inst) + "/32", code: "InvalidVSwitchCidrReservationMask.Malformed"},
		"both":          {cidr: "192.168.1.128/28", mask: "28", code: "MissingParameter"},
		"neither":       {code: "MissingParameter"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.reserve(tc.cidr, tc.mask)
			sdktest.WantFail(t, err, 400, tc.code)
		})
	}
	usedBlock := netip.PrefixFrom(netip.MustParseAddr(f.privateIP(t, inst)), 28).Masked().String()
	_, err = f.reserve(usedBlock, "")
	sdktest.WantFail(t, err, 400, "OperationFailed.CidrHasUsedIp")

	_, err = f.v6.ModifyVSwitchCidrReservationAttribute(&vpc.ModifyVSwitchCidrReservationAttributeRequest{RegionId: dara.String(region),
		VSwitchCidrReservationId: dara.String(id), VSwitchCidrReservationName: dara.String("renamed")})
	sdktest.OK(t, err)
	usage, err := f.v6.GetVSwitchCidrReservationUsage(&vpc.GetVSwitchCidrReservationUsageRequest{RegionId: dara.String(region), VSwitchCidrReservationId: dara.String(id)})
	sdktest.OK(t, err)
	if len(usage.Body.CidrReservationUsages) != 0 {
		t.Errorf("usage: %v", usage.Body)
	}
	_, err = f.v6.GetVSwitchCidrReservationUsage(&vpc.GetVSwitchCidrReservationUsageRequest{RegionId: dara.String(region), VSwitchCidrReservationId: dara.String("vcr-nope")})
	sdktest.WantFail(t, err, 404, "InvalidVSwitchCidrReservationId.NotFound")

	// Deleted, the block is given out again (classic SDK).
	dr := classicvpc.CreateDeleteVSwitchCidrReservationRequest()
	dr.VSwitchCidrReservationId = id
	_, err = f.classic.DeleteVSwitchCidrReservation(dr)
	sdktest.OK(t, err)
	_, err = f.classic.DeleteVSwitchCidrReservation(dr)
	sdktest.WantFail(t, err, 404, "InvalidVSwitchCidrReservationId.NotFound")
	if _, err := f.reserve("192.168.1.0/26", ""); err != nil && !containsCode(err, "OperationFailed.CidrHasUsedIp") {
		t.Errorf("re-reserve after delete: %v", err) // the HaVip at .10 may hold it now
	}
}

func containsCode(err error, code string) bool {
	_, c := sdktest.Fail(err)
	return c == code
}

// TestVSwitchCidrReservation_GoesWithVSwitch: deleting a vSwitch removes its
// reservations.
func TestVSwitchCidrReservation_GoesWithVSwitch(t *testing.T) {
	f := newNet(t, false)
	w := createVSwitch(t, f.v6, f.vpcID, f.zone, "192.168.9.0/24", "spare")
	f.s.Clock.Advance(5e9)
	_, err := f.v6.CreateVSwitchCidrReservation(&vpc.CreateVSwitchCidrReservationRequest{RegionId: dara.String(region),
		VSwitchId: dara.String(w), VSwitchCidrReservationMask: dara.String("26"), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	resp, err := f.v6.CreateVSwitchCidrReservation(&vpc.CreateVSwitchCidrReservationRequest{RegionId: dara.String(region),
		VSwitchId: dara.String(w), VSwitchCidrReservationMask: dara.String("26")})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(w)})
	sdktest.OK(t, err)
	_, err = f.v6.GetVSwitchCidrReservationUsage(&vpc.GetVSwitchCidrReservationUsageRequest{RegionId: dara.String(region),
		VSwitchCidrReservationId: resp.Body.VSwitchCidrReservationId})
	sdktest.WantFail(t, err, 404, "InvalidVSwitchCidrReservationId.NotFound")
}
