package vpc_test

import (
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestCreateAndDeleteRouteEntries(t *testing.T) {
	f := newNet(t, true)
	inst := f.run(t, nil)
	entry := func(cidr string) *vpc.CreateRouteEntriesRequestRouteEntries {
		return &vpc.CreateRouteEntriesRequestRouteEntries{
			RouteTableId: dara.String(f.table), DstCidrBlock: dara.String(cidr), NextHop: dara.String(inst),
			NextHopType: dara.String("Instance"), Name: dara.String("r-" + cidr),
		}
	}
	_, err := f.v6.CreateRouteEntries(&vpc.CreateRouteEntriesRequest{RegionId: dara.String(region), DryRun: dara.Bool(true),
		RouteEntries: []*vpc.CreateRouteEntriesRequestRouteEntries{entry("10.1.0.0/16")}})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	resp, err := f.v6.CreateRouteEntries(&vpc.CreateRouteEntriesRequest{RegionId: dara.String(region),
		RouteEntries: []*vpc.CreateRouteEntriesRequestRouteEntries{
			entry("10.1.0.0/16"), entry("10.2.0.0/16"), entry("192.168.1.0/25"), entry("10.1.0.0/16"),
		}})
	sdktest.OK(t, err)
	b := resp.Body
	if dara.Int32Value(b.SuccessCount) != 2 || dara.Int32Value(b.FailedCount) != 2 || len(b.RouteEntryIds) != 2 {
		t.Fatalf("CreateRouteEntries: %v", b)
	}
	codes := []string{dara.StringValue(b.FailedRouteEntries[0].FailedCode), dara.StringValue(b.FailedRouteEntries[1].FailedCode)}
	if codes[0] != "InvalidCidrBlock" || codes[1] != "RouterEntryConflict.Duplicated" {
		t.Errorf("failed codes %v", codes)
	}
	ids := strs(b.RouteEntryIds)
	if st := f.customStatus(t, ids[0]); st != "Pending" {
		t.Errorf("new entry %s", st)
	}
	f.s.Clock.Advance(10 * time.Second)

	sum, err := f.v6.GetVpcRouteEntrySummary(&vpc.GetVpcRouteEntrySummaryRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID), RouteEntryType: dara.String("All")})
	sdktest.OK(t, err)
	if len(sum.Body.RouteEntrySummarys) != 1 || dara.StringValue(sum.Body.RouteEntrySummarys[0].RouteTableId) != f.table {
		t.Fatalf("summary %v", sum.Body)
	}
	counts := map[string]int32{}
	for _, e := range sum.Body.RouteEntrySummarys[0].EntrySummarys {
		counts[dara.StringValue(e.RouteEntryType)] = dara.Int32Value(e.Count)
	}
	if counts["Custom"] != 2 || counts["System"] != 2 || counts["BGP"] != 0 { // one vSwitch block and 100.64.0.0/10
		t.Errorf("counts %v", counts)
	}
	_, err = f.v6.GetVpcRouteEntrySummary(&vpc.GetVpcRouteEntrySummaryRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID), RouteEntryType: dara.String("Bogus")})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	del, err := f.v6.DeleteRouteEntries(&vpc.DeleteRouteEntriesRequest{RegionId: dara.String(region),
		RouteEntries: []*vpc.DeleteRouteEntriesRequestRouteEntries{
			{RouteEntryId: dara.String(ids[0]), RouteTableId: dara.String(f.table)},
			{RouteTableId: dara.String(f.table), DstCidrBlock: dara.String("10.2.0.0/16")},
			{RouteTableId: dara.String(f.table), DstCidrBlock: dara.String("10.9.0.0/16")},
		}})
	sdktest.OK(t, err)
	if dara.Int32Value(del.Body.SuccessCount) != 2 || dara.Int32Value(del.Body.FailedCount) != 1 ||
		dara.StringValue(del.Body.FailedRouteEntries[0].FailedCode) != "InvalidRouteEntry.NotFound" {
		t.Errorf("DeleteRouteEntries: %v", del.Body)
	}
	if st := f.customStatus(t, ids[1]); st != "Deleting" {
		t.Errorf("deleted entry %s", st)
	}
	f.s.Clock.Advance(10 * time.Second)
	if st := f.customStatus(t, ids[0]); st != "" {
		t.Errorf("entry still listed: %s", st)
	}
	_, err = f.v6.DeleteRouteEntries(&vpc.DeleteRouteEntriesRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, 400, "MissingParameter")
}

func TestModifyRouteEntry(t *testing.T) {
	f := newNet(t, true)
	a, b := f.run(t, nil), f.run(t, nil)
	id, err := f.addRoute("10.1.0.0/16", "Instance", a)
	sdktest.OK(t, err)
	modify := func(req *vpc.ModifyRouteEntryRequest) error {
		req.RegionId = dara.String(region)
		_, err := f.v6.ModifyRouteEntry(req)
		return err
	}
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String(id), NewNextHopId: dara.String(b), NewNextHopType: dara.String("Instance")}), 400, "IncorrectRouteEntryStatus")
	f.s.Clock.Advance(10 * time.Second)
	sdktest.OK(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String(id), RouteEntryName: dara.String("renamed"), Description: dara.String("d")}))
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String(id), NewNextHopId: dara.String(b), NewNextHopType: dara.String("Instance"), DryRun: dara.Bool(true)}), 400, "DryRunOperation")
	sdktest.OK(t, modify(&vpc.ModifyRouteEntryRequest{RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("10.1.0.0/16"), NewNextHopId: dara.String(b), NewNextHopType: dara.String("Instance")}))
	if st := f.customStatus(t, id); st != "Modifying" {
		t.Errorf("status %s", st)
	}
	f.s.Clock.Advance(10 * time.Second)
	for _, e := range f.entries(t, &vpc.DescribeRouteEntryListRequest{RouteEntryId: dara.String(id)}) {
		if dara.StringValue(e.Status) != "Available" || dara.StringValue(e.RouteEntryName) != "renamed" || dara.StringValue(e.NextHops.NextHop[0].NextHopId) != b {
			t.Errorf("entry after modify: %v", e)
		}
	}
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String(id), NewNextHopId: dara.String("i-nope"), NewNextHopType: dara.String("Instance")}), 400, "InvalidNextHop.NotFound")
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String(id), NewNextHopId: dara.String(b)}), 400, "MissingParameter")
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("192.168.1.0/24"), RouteEntryName: dara.String("x")}), 400, "OperationDenied")
	sdktest.WantFail(t, modify(&vpc.ModifyRouteEntryRequest{RouteEntryId: dara.String("rte-nope"), RouteEntryName: dara.String("x")}), 400, "InvalidRouteEntry.NotFound")
}
