package vpc_test

import (
	"slices"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
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
