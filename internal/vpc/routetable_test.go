package vpc_test

import (
	"slices"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestDescribeRouteTableList_V6(t *testing.T) {
	for _, alg := range v6Algorithms {
		t.Run("v6"+alg, func(t *testing.T) {
			s := newServer(t, false)
			c := sdktest.VPC(t, s, alg)
			created, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region)})
			sdktest.OK(t, err)
			vpcID, tableID, routerID := dara.StringValue(created.Body.VpcId), dara.StringValue(created.Body.RouteTableId), dara.StringValue(created.Body.VRouterId)
			vsw := createVSwitch(t, c, vpcID, region+"-k", "172.16.0.0/24", "")
			resp, err := c.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
			sdktest.OK(t, err)
			b := resp.Body
			if dara.Int32Value(b.TotalCount) != 1 || dara.Int32Value(b.PageNumber) != 1 || dara.Int32Value(b.PageSize) != 10 || len(b.RouterTableList.RouterTableListType) != 1 {
				t.Fatalf("DescribeRouteTableList: %v", b)
			}
			rt := b.RouterTableList.RouterTableListType[0]
			if dara.StringValue(rt.RouteTableId) != tableID || dara.StringValue(rt.RouteTableType) != "System" || dara.StringValue(rt.RouterId) != routerID ||
				dara.StringValue(rt.RouterType) != "VRouter" || dara.StringValue(rt.VpcId) != vpcID || dara.StringValue(rt.Status) != "Available" ||
				!secondPrecision.MatchString(dara.StringValue(rt.CreationTime)) || dara.StringValue(rt.ResourceGroupId) != dara.StringValue(created.Body.ResourceGroupId) {
				t.Errorf("route table: %v", rt)
			}
			if got := strs(rt.VSwitchIds.VSwitchId); !slices.Equal(got, []string{vsw}) {
				t.Errorf("VSwitchIds %v, want [%s]", got, vsw)
			}
		})
	}
}

func TestDescribeRouteTableList_Filters(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	var tables, routers, vpcs []string
	for range 3 {
		resp, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region)})
		sdktest.OK(t, err)
		vpcs = append(vpcs, dara.StringValue(resp.Body.VpcId))
		tables = append(tables, dara.StringValue(resp.Body.RouteTableId))
		routers = append(routers, dara.StringValue(resp.Body.VRouterId))
	}
	_, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String("cn-shenzhen")})
	sdktest.OK(t, err)
	for _, tc := range []struct {
		name string
		req  *vpc.DescribeRouteTableListRequest
		want []string
	}{
		{"all", &vpc.DescribeRouteTableListRequest{}, tables},
		{"vpc", &vpc.DescribeRouteTableListRequest{VpcId: dara.String(vpcs[1])}, tables[1:2]},
		{"id", &vpc.DescribeRouteTableListRequest{RouteTableId: dara.String(tables[2])}, tables[2:]},
		{"router", &vpc.DescribeRouteTableListRequest{RouterId: dara.String(routers[0])}, tables[:1]},
		{"router type", &vpc.DescribeRouteTableListRequest{RouterType: dara.String("VRouter")}, tables},
		{"border router", &vpc.DescribeRouteTableListRequest{RouterType: dara.String("VBR")}, nil},
		{"system", &vpc.DescribeRouteTableListRequest{RouteTableType: dara.String("System")}, tables},
		{"custom", &vpc.DescribeRouteTableListRequest{RouteTableType: dara.String("Custom")}, nil},
		{"page 2", &vpc.DescribeRouteTableListRequest{PageNumber: dara.Int32(2), PageSize: dara.Int32(2)}, tables[2:]},
		{"mismatched filters", &vpc.DescribeRouteTableListRequest{VpcId: dara.String(vpcs[0]), RouterId: dara.String(routers[1])}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.RegionId = dara.String(region)
			resp, err := c.DescribeRouteTableList(tc.req)
			sdktest.OK(t, err)
			var got []string
			for _, rt := range resp.Body.RouterTableList.RouterTableListType {
				got = append(got, dara.StringValue(rt.RouteTableId))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("bad route table type", func(t *testing.T) {
		_, err := c.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), RouteTableType: dara.String("Sideways")})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	t.Run("unknown region", func(t *testing.T) {
		_, err := c.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String("mars-north-1")})
		sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
	})
	t.Run("classic", func(t *testing.T) {
		req := classicvpc.CreateDescribeRouteTableListRequest()
		req.RouterId, req.PageSize = routers[1], requests.NewInteger(5)
		resp, err := sdktest.ClassicVPC(t, s).DescribeRouteTableList(req)
		sdktest.OK(t, err)
		if resp.TotalCount != 1 || resp.PageSize != 5 || len(resp.RouterTableList.RouterTableListType) != 1 {
			t.Fatalf("DescribeRouteTableList: %+v", resp)
		}
		rt := resp.RouterTableList.RouterTableListType[0]
		if rt.RouteTableId != tables[1] || rt.VpcId != vpcs[1] || rt.RouteTableType != "System" || rt.RouterType != "VRouter" ||
			len(rt.VSwitchIds.VSwitchId) != 0 {
			t.Fatalf("route table: %+v", rt)
		}
	})
}

func (f *netFixture) createTable(t *testing.T, name string) string {
	t.Helper()
	resp, err := f.v6.CreateRouteTable(&vpc.CreateRouteTableRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID),
		RouteTableName: dara.String(name), Tag: []*vpc.CreateRouteTableRequestTag{{Key: dara.String("tier"), Value: dara.String("app")}}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.RouteTableId)
}

func (f *netFixture) associateTable(table, vsw string) error {
	_, err := f.v6.AssociateRouteTable(&vpc.AssociateRouteTableRequest{RegionId: dara.String(region), RouteTableId: dara.String(table), VSwitchId: dara.String(vsw)})
	return err
}

func (f *netFixture) unassociateTable(table, vsw string) error {
	_, err := f.v6.UnassociateRouteTable(&vpc.UnassociateRouteTableRequest{RegionId: dara.String(region), RouteTableId: dara.String(table), VSwitchId: dara.String(vsw)})
	return err
}

func (f *netFixture) deleteTable(table string) error {
	_, err := f.v6.DeleteRouteTable(&vpc.DeleteRouteTableRequest{RegionId: dara.String(region), RouteTableId: dara.String(table)})
	return err
}

// tableVSwitches is DescribeRouteTableList's VSwitchIds of one table.
func (f *netFixture) tableVSwitches(t *testing.T, table string) []string {
	t.Helper()
	resp, err := f.v6.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), RouteTableId: dara.String(table)})
	sdktest.OK(t, err)
	if len(resp.Body.RouterTableList.RouterTableListType) != 1 {
		t.Fatalf("table %s not listed", table)
	}
	return strs(resp.Body.RouterTableList.RouterTableListType[0].VSwitchIds.VSwitchId)
}

// TestCustomRouteTable_Lifecycle: create, filter, associate (the vSwitch
// leaves the system table), modify, the refusals of DeleteRouteTable, a
// custom entry in the custom table, unassociate and delete.
func TestCustomRouteTable_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	table := f.createTable(t, "app")
	resp, err := f.v6.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID),
		RouteTableType: dara.String("Custom")})
	sdktest.OK(t, err)
	if l := resp.Body.RouterTableList.RouterTableListType; len(l) != 1 || dara.StringValue(l[0].RouteTableId) != table ||
		dara.StringValue(l[0].RouteTableName) != "app" || dara.StringValue(l[0].Tags.Tag[0].Key) != "tier" {
		t.Fatalf("custom tables %v", l)
	}
	sdktest.OK(t, f.associateTable(table, f.vsw))
	sys, err := f.v6.DescribeRouteEntryList(&vpc.DescribeRouteEntryListRequest{RegionId: dara.String(region), RouteTableId: dara.String(table),
		RouteEntryType: dara.String("System")})
	sdktest.OK(t, err)
	var dests []string
	for _, e := range sys.Body.RouteEntrys.RouteEntry {
		dests = append(dests, dara.StringValue(e.DestinationCidrBlock))
	}
	if !slices.Equal(dests, []string{"192.168.1.0/24", "100.64.0.0/10"}) {
		t.Fatalf("system entries of the custom table: %v", dests)
	}
	if got := f.tableVSwitches(t, table); !slices.Equal(got, []string{f.vsw}) {
		t.Fatalf("custom table serves %v", got)
	}
	if got := f.tableVSwitches(t, f.table); len(got) != 0 {
		t.Fatalf("system table still serves %v", got)
	}
	if rt := describeVSwitch(t, f.v6, f.vsw).RouteTable; dara.StringValue(rt.RouteTableId) != table || dara.StringValue(rt.RouteTableType) != "Custom" {
		t.Fatalf("vSwitch RouteTable %v", rt)
	}
	sdktest.WantFail(t, f.associateTable(table, f.vsw), 404, "Forbidden.VSwitchAlreadyAssociatedRouteTable")
	sdktest.WantFail(t, f.associateTable(f.table, f.vsw), 400, "OperationDenied.SwitchToSystemRouteTable")
	sdktest.WantFail(t, f.deleteTable(f.table), 400, "IncorrectRouteTableType")
	sdktest.WantFail(t, f.deleteTable(table), 400, "DependencyViolation.VSwitch")

	_, err = f.v6.ModifyRouteTableAttributes(&vpc.ModifyRouteTableAttributesRequest{RegionId: dara.String(region), RouteTableId: dara.String(table),
		RouteTableName: dara.String("renamed"), Description: dara.String("d")})
	sdktest.OK(t, err)
	byName, err := f.v6.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), RouteTableName: dara.String("renamed")})
	sdktest.OK(t, err)
	if l := byName.Body.RouterTableList.RouterTableListType; len(l) != 1 || dara.StringValue(l[0].Description) != "d" {
		t.Fatalf("after ModifyRouteTableAttributes: %v", l)
	}

	entry, err := f.v6.CreateRouteEntry(&vpc.CreateRouteEntryRequest{RegionId: dara.String(region), RouteTableId: dara.String(table),
		DestinationCidrBlock: dara.String("10.20.0.0/16"), NextHopType: dara.String("HaVip"), NextHopId: dara.String("havip-1")})
	sdktest.OK(t, err)
	sdktest.OK(t, f.unassociateTable(table, f.vsw))
	sdktest.WantFail(t, f.unassociateTable(table, f.vsw), 404, "IncorrectStatus.RouteTable")
	sdktest.WantFail(t, f.deleteTable(table), 400, "IncorrectRouteTableStatus.RouteEntryExist")
	f.s.Clock.Advance(5 * time.Second)
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: entry.Body.RouteEntryId})
	sdktest.OK(t, err)
	f.s.Clock.Advance(5 * time.Second)
	sdktest.OK(t, f.deleteTable(table))
	sdktest.WantFail(t, f.deleteTable(table), 404, "InvalidRouteTableId.NotFound")
	if got := f.tableVSwitches(t, f.table); !slices.Equal(got, []string{f.vsw}) {
		t.Fatalf("system table serves %v after the custom one went", got)
	}
}

// TestCustomRouteTable_Refusals: another VPC's vSwitch, a gateway table,
// unknown ids.
func TestCustomRouteTable_Refusals(t *testing.T) {
	f := newNet(t, false)
	other := createVpc(t, f.v6, "10.0.0.0/16", "other")
	f.s.Clock.Advance(5 * time.Second)
	otherVsw := createVSwitch(t, f.v6, other, f.zone, "10.0.1.0/24", "")
	f.s.Clock.Advance(5 * time.Second)
	table := f.createTable(t, "app")
	sdktest.WantFail(t, f.associateTable(table, otherVsw), 404, "Forbidden.NotInSameVpc")
	sdktest.WantFail(t, f.associateTable(table, "vsw-missing"), 404, "InvalidVSwitchId.NotFound")
	sdktest.WantFail(t, f.associateTable("vtb-missing", f.vsw), 404, "InvalidRouteTableId.NotFound")
	gw, err := f.v6.CreateRouteTable(&vpc.CreateRouteTableRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID), AssociateType: dara.String("Gateway")})
	sdktest.OK(t, err)
	sdktest.WantFail(t, f.associateTable(dara.StringValue(gw.Body.RouteTableId), f.vsw), 400, "OperationDenied.AssociateGatewayRouteTable")
	_, err = f.v6.CreateRouteTable(&vpc.CreateRouteTableRequest{RegionId: dara.String(region), VpcId: dara.String("vpc-missing")})
	sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	// A VPC holding only a custom table cannot be deleted.
	bare := createVpc(t, f.v6, "172.16.0.0/16", "bare")
	f.s.Clock.Advance(5 * time.Second)
	_, err = f.v6.CreateRouteTable(&vpc.CreateRouteTableRequest{RegionId: dara.String(region), VpcId: dara.String(bare)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(bare)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.RouteTable")
}

// TestCustomRouteTable_ReleaseHold: an instance that is the next hop of a
// route in a custom table refuses its release, as in the system table;
// once the entry is gone it is released.
func TestCustomRouteTable_ReleaseHold(t *testing.T) {
	f := newNet(t, false)
	table := f.createTable(t, "app")
	sdktest.OK(t, f.associateTable(table, f.vsw))
	inst := f.run(t, nil)
	entry, err := f.v6.CreateRouteEntry(&vpc.CreateRouteEntryRequest{RegionId: dara.String(region), RouteTableId: dara.String(table),
		DestinationCidrBlock: dara.String("10.30.0.0/16"), NextHopType: dara.String("Instance"), NextHopId: dara.String(inst)})
	sdktest.OK(t, err)
	f.s.Clock.Advance(5 * time.Second)
	del := classicecs.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = inst, requests.NewBoolean(true)
	_, err = f.ecs.DeleteInstance(del)
	sdktest.WantFail(t, err, 400, "DependencyViolation.RouteEntry")
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: entry.Body.RouteEntryId})
	sdktest.OK(t, err)
	f.s.Clock.Advance(5 * time.Second)
	_, err = f.ecs.DeleteInstance(del)
	sdktest.OK(t, err)
}
