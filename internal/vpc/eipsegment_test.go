package vpc_test

import (
	"net/netip"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestEipSegment_Lifecycle: a group of contiguous EIPs — allocated, listed,
// its EIPs found by SegmentInstanceId, none released alone, the group held
// back while one is in use, and released whole.
func TestEipSegment_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	alloc, err := f.v6.AllocateEipSegmentAddress(&vpc.AllocateEipSegmentAddressRequest{RegionId: dara.String(region), EipMask: dara.String("28")})
	sdktest.OK(t, err)
	id := dara.StringValue(alloc.Body.EipSegmentInstanceId)
	_, err = f.v6.AllocateEipSegmentAddress(&vpc.AllocateEipSegmentAddressRequest{RegionId: dara.String(region), EipMask: dara.String("20")})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	segs, err := f.v6.DescribeEipSegment(&vpc.DescribeEipSegmentRequest{RegionId: dara.String(region), SegmentInstanceId: dara.String(id)})
	sdktest.OK(t, err)
	if l := segs.Body.EipSegments.EipSegment; len(l) != 1 || dara.StringValue(l[0].IpCount) != "14" || dara.StringValue(l[0].Status) != "Allocated" {
		t.Fatalf("DescribeEipSegment %v", l)
	}
	block := netip.MustParsePrefix(dara.StringValue(segs.Body.EipSegments.EipSegment[0].Segment))
	eips, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region), SegmentInstanceId: dara.String(id), PageSize: dara.Int32(50)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(eips.Body.TotalCount); n != 14 || block.Bits() != 28 {
		t.Fatalf("%d EIPs in %s, want 14", n, block)
	}
	for _, e := range eips.Body.EipAddresses.EipAddress {
		if a := netip.MustParseAddr(dara.StringValue(e.IpAddress)); !block.Contains(a) || dara.StringValue(e.SegmentInstanceId) != id {
			t.Fatalf("EIP %v outside %s", e, block)
		}
	}
	one := dara.StringValue(eips.Body.EipAddresses.EipAddress[0].AllocationId)
	sdktest.WantFail(t, f.release(one), 400, "IncorrectEipStatus")

	release := func() error {
		_, err := f.v6.ReleaseEipSegmentAddress(&vpc.ReleaseEipSegmentAddressRequest{RegionId: dara.String(region), SegmentInstanceId: dara.String(id)})
		return err
	}
	inst := f.run(t, nil)
	sdktest.OK(t, f.associate(one, inst, ""))
	sdktest.WantFail(t, release(), 400, "IncorrectEipStatus")
	sdktest.OK(t, f.unassociate(one, inst))
	sdktest.OK(t, release())
	if e := f.describeEip(t, one); e != nil {
		t.Fatalf("an EIP of the released group remains: %v", e)
	}
	sdktest.WantFail(t, release(), 404, "InvalidSegmentInstanceId.NotFound")
}
