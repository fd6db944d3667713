package vpc_test

import (
	"net/netip"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestPublicIpAddressPool_Lifecycle: the service switch, a pool, blocks
// added by CIDR and by mask, EIPs drawn from it (AllocateEipAddress and
// AllocateEipAddressPro), the counts, the refusals while EIPs remain, and
// deletion.
func TestPublicIpAddressPool_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	create := func() (string, error) {
		resp, err := f.v6.CreatePublicIpAddressPool(&vpc.CreatePublicIpAddressPoolRequest{RegionId: dara.String(region), Name: dara.String("own"),
			Tag: []*vpc.CreatePublicIpAddressPoolRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}})
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.PublicIpAddressPoolId), nil
	}
	_, err := create()
	sdktest.WantFail(t, err, 400, "OperationFailed.PublicIpAddressPoolServiceNotOpened")
	status, err := f.v6.GetPublicIpAddressPoolServiceStatus(&vpc.GetPublicIpAddressPoolServiceStatusRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	if dara.BoolValue(status.Body.Enabled) {
		t.Fatal("pool service open before OpenPublicIpAddressPoolService")
	}
	_, err = f.v6.OpenPublicIpAddressPoolService(&vpc.OpenPublicIpAddressPoolServiceRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	pool, err := create()
	sdktest.OK(t, err)

	add := func(cidr string, mask int32) (string, error) {
		req := &vpc.AddPublicIpAddressPoolCidrBlockRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool)}
		if cidr != "" {
			req.CidrBlock = dara.String(cidr)
		}
		if mask != 0 {
			req.CidrMask = dara.Int32(mask)
		}
		resp, err := f.v6.AddPublicIpAddressPoolCidrBlock(req)
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.CidrBlock), nil
	}
	own, err := add("120.55.10.0/30", 0)
	sdktest.OK(t, err)
	picked, err := add("", 28)
	sdktest.OK(t, err)
	if !netip.MustParsePrefix("47.99.0.0/16").Contains(netip.MustParsePrefix(picked).Addr()) || netip.MustParsePrefix(picked).Bits() != 28 {
		t.Fatalf("block picked for mask 28: %s", picked)
	}
	_, err = add("120.55.10.0/31", 0)
	sdktest.WantFail(t, err, 400, "OperationFailed.CidrBlockConflict")
	_, err = add("47.98.1.0/24", 0)
	sdktest.WantFail(t, err, 400, "OperationFailed.CidrBlockConflict")
	_, err = add("10.0.0.0/24", 0)
	sdktest.WantFail(t, err, 400, "IllegalParam.CidrBlock")
	_, err = add("120.55.11.0/24", 28)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	// EIPs from the pool: the lowest free host, or the one asked for.
	a, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool)})
	sdktest.OK(t, err)
	if got := dara.StringValue(a.Body.EipAddress); got != "120.55.10.1" {
		t.Fatalf("first EIP of the pool: %s", got)
	}
	b, err := f.v6.AllocateEipAddressPro(&vpc.AllocateEipAddressProRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool),
		IpAddress: dara.String("120.55.10.2")})
	sdktest.OK(t, err)
	_, err = f.v6.AllocateEipAddressPro(&vpc.AllocateEipAddressProRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool),
		IpAddress: dara.String("120.55.10.2")})
	sdktest.WantFail(t, err, 400, "InvalidIpAddress.AlreadyAllocated")
	_, err = f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String("pippool-missing")})
	sdktest.WantFail(t, err, 404, "ResourceNotFound.PublicIpAddressPool")
	inPool, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool)})
	sdktest.OK(t, err)
	if dara.Int32Value(inPool.Body.TotalCount) != 2 || dara.StringValue(inPool.Body.EipAddresses.EipAddress[0].PublicIpAddressPoolId) != pool {
		t.Fatalf("EIPs of the pool %v", inPool.Body)
	}

	lists, err := f.v6.ListPublicIpAddressPools(&vpc.ListPublicIpAddressPoolsRequest{RegionId: dara.String(region), PublicIpAddressPoolIds: []*string{dara.String(pool)}})
	sdktest.OK(t, err)
	if l := lists.Body.PublicIpAddressPoolList; len(l) != 1 || dara.Int32Value(l[0].TotalIpNum) != 16 || dara.Int32Value(l[0].UsedIpNum) != 2 ||
		!dara.BoolValue(l[0].IpAddressRemaining) || dara.StringValue(l[0].Name) != "own" || len(l[0].Tags) != 1 {
		t.Fatalf("ListPublicIpAddressPools %v", l)
	}
	blocks, err := f.v6.ListPublicIpAddressPoolCidrBlocks(&vpc.ListPublicIpAddressPoolCidrBlocksRequest{RegionId: dara.String(region),
		PublicIpAddressPoolId: dara.String(pool), CidrBlock: dara.String(own)})
	sdktest.OK(t, err)
	if l := blocks.Body.PublicIpPoolCidrBlockList; len(l) != 1 || dara.Int32Value(l[0].TotalIpNum) != 2 || dara.Int32Value(l[0].UsedIpNum) != 2 {
		t.Fatalf("block %s: %v", own, l)
	}
	// The /30 is used up: the next EIP comes from the picked block.
	c, err := f.v6.AllocateEipAddress(&vpc.AllocateEipAddressRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool)})
	sdktest.OK(t, err)
	if !netip.MustParsePrefix(picked).Contains(netip.MustParseAddr(dara.StringValue(c.Body.EipAddress))) {
		t.Fatalf("third EIP %s outside %s", dara.StringValue(c.Body.EipAddress), picked)
	}

	_, err = f.v6.UpdatePublicIpAddressPoolAttribute(&vpc.UpdatePublicIpAddressPoolAttributeRequest{RegionId: dara.String(region),
		PublicIpAddressPoolId: dara.String(pool), Description: dara.String("d")})
	sdktest.OK(t, err)
	delBlock := func(cidr string) error {
		_, err := f.v6.DeletePublicIpAddressPoolCidrBlock(&vpc.DeletePublicIpAddressPoolCidrBlockRequest{RegionId: dara.String(region),
			PublicIpAddressPoolId: dara.String(pool), CidrBlock: dara.String(cidr)})
		return err
	}
	delPool := func() error {
		_, err := f.v6.DeletePublicIpAddressPool(&vpc.DeletePublicIpAddressPoolRequest{RegionId: dara.String(region), PublicIpAddressPoolId: dara.String(pool)})
		return err
	}
	sdktest.WantFail(t, delBlock(own), 400, "OperationDenied.IpAddressInUse")
	sdktest.WantFail(t, delBlock("120.99.0.0/24"), 404, "ResourceNotFound.CidrBlock")
	sdktest.WantFail(t, delPool(), 400, "OperationDenied.IpAddressInUse")
	for _, id := range []string{dara.StringValue(a.Body.AllocationId), dara.StringValue(b.Body.AllocationId)} {
		sdktest.OK(t, f.release(id))
	}
	sdktest.OK(t, delBlock(own))
	sdktest.WantFail(t, delPool(), 400, "OperationDenied.IpAddressInUse")
	sdktest.OK(t, f.release(dara.StringValue(c.Body.AllocationId)))
	sdktest.OK(t, delPool())
	sdktest.WantFail(t, delPool(), 404, "ResourceNotFound.PublicIpAddressPool")
}
