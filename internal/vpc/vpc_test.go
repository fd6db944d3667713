package vpc_test

import (
	"fmt"
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

func TestCreateVpc_Classic(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.ClassicVPC(t, s)
	req := classicvpc.CreateCreateVpcRequest()
	req.VpcName, req.Description, req.CidrBlock = "web", "front end", "192.168.0.0/16"
	req.Tag = &[]classicvpc.CreateVpcTag{{Key: "env", Value: "test"}}
	resp, err := c.CreateVpc(req)
	sdktest.OK(t, err)
	for prefix, id := range map[string]string{"vpc-": resp.VpcId, "vrt-": resp.VRouterId, "vtb-": resp.RouteTableId, "rg-acfm": resp.ResourceGroupId} {
		if !strings.HasPrefix(id, prefix) {
			t.Errorf("id %q lacks prefix %q", id, prefix)
		}
	}
	d := classicvpc.CreateDescribeVpcsRequest()
	d.VpcId = resp.VpcId
	got, err := c.DescribeVpcs(d)
	sdktest.OK(t, err)
	if got.TotalCount != 1 || len(got.Vpcs.Vpc) != 1 {
		t.Fatalf("DescribeVpcs: %+v", got)
	}
	v := got.Vpcs.Vpc[0]
	if v.VpcId != resp.VpcId || v.Status != "Available" || v.VpcName != "web" || v.Description != "front end" ||
		v.CidrBlock != "192.168.0.0/16" || v.VRouterId != resp.VRouterId || v.RegionId != region || v.IsDefault ||
		v.ResourceGroupId != resp.ResourceGroupId || !secondPrecision.MatchString(v.CreationTime) {
		t.Errorf("vpc: %+v", v)
	}
	if !slices.Equal(v.RouterTableIds.RouterTableIds, []string{resp.RouteTableId}) || len(v.VSwitchIds.VSwitchId) != 0 {
		t.Errorf("route tables %v, vSwitches %v", v.RouterTableIds.RouterTableIds, v.VSwitchIds.VSwitchId)
	}
	if len(v.Tags.Tag) != 1 || v.Tags.Tag[0].Key != "env" || v.Tags.Tag[0].Value != "test" {
		t.Errorf("tags: %+v", v.Tags.Tag)
	}
}

func TestCreateVpc_V6(t *testing.T) {
	for _, alg := range v6Algorithms {
		t.Run("v6"+alg, func(t *testing.T) {
			s := newServer(t, false)
			c := sdktest.VPC(t, s, alg)
			resp, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region), VpcName: dara.String("default-block")})
			sdktest.OK(t, err)
			b := resp.Body
			if !strings.HasPrefix(dara.StringValue(b.VpcId), "vpc-bp1") || !strings.HasPrefix(dara.StringValue(b.RouteTableId), "vtb-") ||
				!strings.HasPrefix(dara.StringValue(b.VRouterId), "vrt-") || !strings.HasPrefix(dara.StringValue(b.ResourceGroupId), "rg-acfm") {
				t.Fatalf("CreateVpc: %v", b)
			}
			v := describeVpc(t, c, dara.StringValue(b.VpcId))
			if dara.StringValue(v.CidrBlock) != "172.16.0.0/12" || dara.StringValue(v.Status) != "Available" ||
				dara.StringValue(v.VRouterId) != dara.StringValue(b.VRouterId) || dara.BoolValue(v.IsDefault) ||
				!secondPrecision.MatchString(dara.StringValue(v.CreationTime)) || dara.StringValue(v.ResourceGroupId) != dara.StringValue(b.ResourceGroupId) {
				t.Errorf("vpc: %v", v)
			}
			if got := strs(v.RouterTableIds.RouterTableIds); !slices.Equal(got, []string{dara.StringValue(b.RouteTableId)}) {
				t.Errorf("RouterTableIds %v", got)
			}
			if v.VSwitchIds == nil || len(v.VSwitchIds.VSwitchId) != 0 || v.Tags == nil || len(v.Tags.Tag) != 0 {
				t.Errorf("empty lists: %v / %v", v.VSwitchIds, v.Tags)
			}
			// The default resource group is the account's: a second VPC reports the same.
			other := createVpc(t, c, "10.0.0.0/8", "second")
			if rg := dara.StringValue(describeVpc(t, c, other).ResourceGroupId); rg != dara.StringValue(b.ResourceGroupId) {
				t.Errorf("resource group %s, then %s", dara.StringValue(b.ResourceGroupId), rg)
			}
		})
	}
}

// The ECS 2014-05-26 API keeps the legacy VPC actions; the same
// implementation answers them.
func TestVpc_ECSLegacyActions(t *testing.T) {
	t.Run("classic", func(t *testing.T) {
		s := newServer(t, false)
		c := sdktest.ClassicECS(t, s)
		req := classicecs.CreateCreateVpcRequest()
		req.CidrBlock, req.VpcName = "10.0.0.0/8", "legacy"
		resp, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		vs := classicecs.CreateCreateVSwitchRequest()
		vs.VpcId, vs.ZoneId, vs.CidrBlock = resp.VpcId, region+"-h", "10.1.0.0/16"
		vsw, err := c.CreateVSwitch(vs)
		sdktest.OK(t, err)
		d := classicecs.CreateDescribeVpcsRequest()
		d.VpcId = resp.VpcId
		got, err := c.DescribeVpcs(d)
		sdktest.OK(t, err)
		if len(got.Vpcs.Vpc) != 1 || got.Vpcs.Vpc[0].VRouterId != resp.VRouterId || !slices.Equal(got.Vpcs.Vpc[0].VSwitchIds.VSwitchId, []string{vsw.VSwitchId}) {
			t.Fatalf("DescribeVpcs: %+v", got.Vpcs)
		}
		dv := classicecs.CreateDescribeVSwitchesRequest()
		dv.VpcId = resp.VpcId
		vsws, err := c.DescribeVSwitches(dv)
		sdktest.OK(t, err)
		if vsws.TotalCount != 1 || vsws.VSwitches.VSwitch[0].ZoneId != region+"-h" || vsws.VSwitches.VSwitch[0].AvailableIpAddressCount != 65532 {
			t.Fatalf("DescribeVSwitches: %+v", vsws)
		}
		del := classicecs.CreateDeleteVpcRequest()
		del.VpcId = resp.VpcId
		_, err = c.DeleteVpc(del)
		sdktest.WantFail(t, err, 400, "DependencyViolation.VSwitch")
		dsw := classicecs.CreateDeleteVSwitchRequest()
		dsw.VSwitchId = vsw.VSwitchId
		_, err = c.DeleteVSwitch(dsw)
		sdktest.OK(t, err)
		_, err = c.DeleteVpc(del)
		sdktest.OK(t, err)
		_, err = c.DeleteVpc(del)
		sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	})
	for _, alg := range v6Algorithms {
		t.Run("v7"+alg, func(t *testing.T) {
			s := newServer(t, false)
			c := sdktest.ECS(t, s, alg)
			resp, err := c.CreateVpc(&ecs.CreateVpcRequest{RegionId: dara.String(region), CidrBlock: dara.String("192.168.0.0/16")})
			sdktest.OK(t, err)
			vpcID := dara.StringValue(resp.Body.VpcId)
			vsw, err := c.CreateVSwitch(&ecs.CreateVSwitchRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID),
				ZoneId: dara.String(region + "-k"), CidrBlock: dara.String("192.168.1.0/24")})
			sdktest.OK(t, err)
			got, err := c.DescribeVpcs(&ecs.DescribeVpcsRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
			sdktest.OK(t, err)
			if n := dara.Int32Value(got.Body.TotalCount); n != 1 || dara.StringValue(got.Body.Vpcs.Vpc[0].CidrBlock) != "192.168.0.0/16" {
				t.Fatalf("DescribeVpcs: %v", got.Body)
			}
			vsws, err := c.DescribeVSwitches(&ecs.DescribeVSwitchesRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
			sdktest.OK(t, err)
			if len(vsws.Body.VSwitches.VSwitch) != 1 || dara.StringValue(vsws.Body.VSwitches.VSwitch[0].VSwitchId) != dara.StringValue(vsw.Body.VSwitchId) {
				t.Fatalf("DescribeVSwitches: %v", vsws.Body)
			}
			_, err = c.DeleteVSwitch(&ecs.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: vsw.Body.VSwitchId})
			sdktest.OK(t, err)
			_, err = c.DeleteVpc(&ecs.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
			sdktest.OK(t, err)
		})
	}
}

func TestCreateVpc_CidrBlock(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	for _, tc := range []struct {
		cidr string
		ok   bool
	}{
		{"10.0.0.0/8", true},
		{"172.16.0.0/12", true},
		{"192.168.0.0/16", true},
		{"10.20.0.0/16", true},
		{"192.168.3.16/28", true},
		{"10.0.0.0/29", false},   // smaller than /28
		{"10.0.0.0/7", false},    // larger than the private block
		{"172.16.0.0/11", false}, // likewise
		{"8.8.8.0/24", false},    // public
		{"100.64.0.0/10", false},
		{"10.0.0.1/8", false}, // host bits set
		{"10.0.0.0", false},
		{"fd00::/8", false},
		{"not-a-block", false},
	} {
		t.Run(tc.cidr, func(t *testing.T) {
			_, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region), CidrBlock: dara.String(tc.cidr)})
			if tc.ok {
				sdktest.OK(t, err)
			} else {
				sdktest.WantFail(t, err, 400, "InvalidCidrBlock.Malformed")
			}
		})
	}
}

func TestCreateVpc_Region(t *testing.T) {
	s := newServer(t, false)
	t.Run("v6 unknown region", func(t *testing.T) {
		_, err := sdktest.VPC(t, s, "").CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String("mars-north-1")})
		sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
	})
	t.Run("v6 no region", func(t *testing.T) {
		_, err := sdktest.VPC(t, s, "v2").CreateVpc(&vpc.CreateVpcRequest{})
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
	t.Run("classic unknown region", func(t *testing.T) {
		req := classicvpc.CreateCreateVpcRequest()
		req.RegionId = "mars-north-1"
		_, err := sdktest.ClassicVPC(t, s).CreateVpc(req)
		sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
	})
	t.Run("describe unknown region", func(t *testing.T) {
		_, err := sdktest.VPC(t, s, "").DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String("mars-north-1")})
		sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
	})
}

func TestCreateVpc_ClientToken(t *testing.T) {
	s := newServer(t, false)
	t.Run("v6", func(t *testing.T) {
		c := sdktest.VPC(t, s, "")
		req := &vpc.CreateVpcRequest{RegionId: dara.String(region), VpcName: dara.String("once"), ClientToken: dara.String("token-v6")}
		first, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		again, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		if dara.StringValue(first.Body.VpcId) != dara.StringValue(again.Body.VpcId) ||
			dara.StringValue(first.Body.RouteTableId) != dara.StringValue(again.Body.RouteTableId) {
			t.Fatalf("replay made a new VPC: %v then %v", first.Body, again.Body)
		}
		if dara.StringValue(first.Body.RequestId) == dara.StringValue(again.Body.RequestId) {
			t.Errorf("a replay is a new request and has its own RequestId")
		}
		req.VpcName = dara.String("twice")
		_, err = c.CreateVpc(req)
		sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
	})
	t.Run("classic", func(t *testing.T) {
		c := sdktest.ClassicVPC(t, s)
		req := classicvpc.CreateCreateVpcRequest()
		req.VpcName, req.ClientToken = "once", "token-classic"
		first, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		again, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		if first.VpcId != again.VpcId {
			t.Fatalf("replay made a new VPC: %s then %s", first.VpcId, again.VpcId)
		}
		req.CidrBlock = "10.0.0.0/8"
		_, err = c.CreateVpc(req)
		sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
	})
	if n := vpcCount(t, sdktest.VPC(t, s, "")); n != 2 {
		t.Fatalf("%d VPCs, want one per token", n)
	}
}

func TestCreateVpc_DryRun(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	_, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	// A dry run still checks the request.
	_, err = c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region), DryRun: dara.Bool(true), CidrBlock: dara.String("8.8.8.0/24")})
	sdktest.WantFail(t, err, 400, "InvalidCidrBlock.Malformed")
	cl := sdktest.ClassicVPC(t, s)
	req := classicvpc.CreateCreateVpcRequest()
	req.DryRun = requests.NewBoolean(true)
	_, err = cl.CreateVpc(req)
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	if n := vpcCount(t, c); n != 0 {
		t.Fatalf("dry runs made %d VPCs", n)
	}
}

func TestVpc_PendingThenAvailable(t *testing.T) {
	s := newServer(t, true)
	c := sdktest.VPC(t, s, "")
	id := createVpc(t, c, "", "slow")
	if st := dara.StringValue(describeVpc(t, c, id).Status); st != "Pending" {
		t.Fatalf("new VPC is %s, want Pending", st)
	}
	_, err := c.CreateVSwitch(&vpc.CreateVSwitchRequest{RegionId: dara.String(region), VpcId: dara.String(id),
		ZoneId: dara.String(region + "-k"), CidrBlock: dara.String("172.16.0.0/24")})
	sdktest.WantFail(t, err, 400, "IncorrectVpcStatus")
	_, err = c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "IncorrectVpcStatus")
	s.Clock.Advance(999 * time.Millisecond)
	if st := dara.StringValue(describeVpc(t, c, id).Status); st != "Pending" {
		t.Fatalf("VPC is %s before its delay passed", st)
	}
	s.Clock.Advance(time.Millisecond)
	if st := dara.StringValue(describeVpc(t, c, id).Status); st != "Available" {
		t.Fatalf("VPC is %s after its delay, want Available", st)
	}
	createVSwitch(t, c, id, region+"-k", "172.16.0.0/24", "now")
}

func TestDescribeVpcs_PagingAndFilters(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	var ids []string
	for i := range 5 {
		req := &vpc.CreateVpcRequest{RegionId: dara.String(region), VpcName: dara.String(fmt.Sprintf("net-%d", i%3))}
		if i%2 == 0 {
			req.Tag = []*vpc.CreateVpcRequestTag{{Key: dara.String("team"), Value: dara.String("blue")}}
		}
		resp, err := c.CreateVpc(req)
		sdktest.OK(t, err)
		ids = append(ids, dara.StringValue(resp.Body.VpcId))
	}
	other, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String("cn-shanghai"), VpcName: dara.String("net-0")})
	sdktest.OK(t, err)

	describe := func(t *testing.T, req *vpc.DescribeVpcsRequest) (total int, got []string) {
		t.Helper()
		req.RegionId = dara.String(region)
		resp, err := c.DescribeVpcs(req)
		sdktest.OK(t, err)
		for _, v := range resp.Body.Vpcs.Vpc {
			got = append(got, dara.StringValue(v.VpcId))
		}
		return int(dara.Int32Value(resp.Body.TotalCount)), got
	}
	t.Run("pages", func(t *testing.T) {
		var all []string
		for page := int32(1); page <= 3; page++ {
			total, got := describe(t, &vpc.DescribeVpcsRequest{PageNumber: dara.Int32(page), PageSize: dara.Int32(2)})
			if total != 5 {
				t.Fatalf("TotalCount %d, want 5", total)
			}
			all = append(all, got...)
		}
		if !slices.Equal(all, ids) {
			t.Fatalf("pages gave %v, want %v", all, ids)
		}
		if _, got := describe(t, &vpc.DescribeVpcsRequest{PageNumber: dara.Int32(4), PageSize: dara.Int32(2)}); len(got) != 0 {
			t.Fatalf("page past the end: %v", got)
		}
	})
	t.Run("page size limit", func(t *testing.T) {
		_, err := c.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(region), PageSize: dara.Int32(51)})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	for _, tc := range []struct {
		name string
		req  *vpc.DescribeVpcsRequest
		want []string
	}{
		{"ids", &vpc.DescribeVpcsRequest{VpcId: dara.String(ids[3] + "," + ids[1])}, []string{ids[1], ids[3]}},
		{"other region's id", &vpc.DescribeVpcsRequest{VpcId: other.Body.VpcId}, nil},
		{"name", &vpc.DescribeVpcsRequest{VpcName: dara.String("net-0")}, []string{ids[0], ids[3]}},
		{"name and id", &vpc.DescribeVpcsRequest{VpcName: dara.String("net-0"), VpcId: dara.String(ids[0] + "," + ids[1])}, []string{ids[0]}},
		{"not default", &vpc.DescribeVpcsRequest{IsDefault: dara.Bool(false)}, ids},
		{"default", &vpc.DescribeVpcsRequest{IsDefault: dara.Bool(true)}, nil},
		{"tag", &vpc.DescribeVpcsRequest{Tag: []*vpc.DescribeVpcsRequestTag{{Key: dara.String("team"), Value: dara.String("blue")}}}, []string{ids[0], ids[2], ids[4]}},
		{"tag key", &vpc.DescribeVpcsRequest{Tag: []*vpc.DescribeVpcsRequestTag{{Key: dara.String("team")}}}, []string{ids[0], ids[2], ids[4]}},
		{"tag and name", &vpc.DescribeVpcsRequest{VpcName: dara.String("net-1"), Tag: []*vpc.DescribeVpcsRequestTag{{Key: dara.String("team"), Value: dara.String("blue")}}}, []string{ids[4]}},
		{"resource group", &vpc.DescribeVpcsRequest{ResourceGroupId: dara.String("rg-other")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total, got := describe(t, tc.req)
			if total != len(tc.want) || !slices.Equal(got, tc.want) {
				t.Fatalf("got %d %v, want %v", total, got, tc.want)
			}
		})
	}
	t.Run("classic", func(t *testing.T) {
		req := classicvpc.CreateDescribeVpcsRequest()
		req.VpcName, req.PageSize = "net-2", requests.NewInteger(1)
		resp, err := sdktest.ClassicVPC(t, s).DescribeVpcs(req)
		sdktest.OK(t, err)
		if resp.TotalCount != 1 || resp.PageSize != 1 || resp.PageNumber != 1 || len(resp.Vpcs.Vpc) != 1 || resp.Vpcs.Vpc[0].VpcId != ids[2] {
			t.Fatalf("DescribeVpcs: %+v", resp)
		}
	})
}

func TestDeleteVpc(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "v2")
	del := func(id string, dryRun bool) error {
		_, err := c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(id), DryRun: dara.Bool(dryRun)})
		return err
	}
	t.Run("not found", func(t *testing.T) {
		sdktest.WantFail(t, del("vpc-bp1doesnotexist00", false), 404, "InvalidVpcId.NotFound")
	})
	t.Run("other region", func(t *testing.T) {
		resp, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String("cn-beijing")})
		sdktest.OK(t, err)
		sdktest.WantFail(t, del(dara.StringValue(resp.Body.VpcId), false), 404, "InvalidVpcId.NotFound")
	})
	t.Run("vSwitch", func(t *testing.T) {
		id := createVpc(t, c, "", "with-vsw")
		vsw := createVSwitch(t, c, id, region+"-j", "172.16.1.0/24", "")
		sdktest.WantFail(t, del(id, false), 400, "DependencyViolation.VSwitch")
		sdktest.WantFail(t, del(id, true), 400, "DependencyViolation.VSwitch")
		_, err := c.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(vsw)})
		sdktest.OK(t, err)
		sdktest.OK(t, del(id, false))
	})
	t.Run("security group", func(t *testing.T) {
		id := createVpc(t, c, "", "with-sg")
		e := sdktest.ECS(t, s, "")
		sg, err := e.CreateSecurityGroup(&ecs.CreateSecurityGroupRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
		sdktest.OK(t, err)
		sdktest.WantFail(t, del(id, false), 400, "DependencyViolation.SecurityGroup")
		_, err = e.DeleteSecurityGroup(&ecs.DeleteSecurityGroupRequest{RegionId: dara.String(region), SecurityGroupId: sg.Body.SecurityGroupId})
		sdktest.OK(t, err)
		sdktest.OK(t, del(id, false))
	})
	t.Run("dry run then delete", func(t *testing.T) {
		id := createVpc(t, c, "", "bare")
		table := dara.StringValue(describeVpc(t, c, id).RouterTableIds.RouterTableIds[0])
		sdktest.WantFail(t, del(id, true), 400, "DryRunOperation")
		describeVpc(t, c, id) // still there
		sdktest.OK(t, del(id, false))
		resp, err := c.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
		sdktest.OK(t, err)
		if len(resp.Body.Vpcs.Vpc) != 0 {
			t.Fatalf("deleted VPC still listed")
		}
		tables, err := c.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region), RouteTableId: dara.String(table)})
		sdktest.OK(t, err)
		if n := dara.Int32Value(tables.Body.TotalCount); n != 0 {
			t.Fatalf("the system route table outlived its VPC")
		}
		sdktest.WantFail(t, del(id, false), 404, "InvalidVpcId.NotFound")
	})
	t.Run("missing id", func(t *testing.T) {
		_, err := c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region)})
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
	t.Run("classic", func(t *testing.T) {
		cl := sdktest.ClassicVPC(t, s)
		id := createVpc(t, c, "", "classic-delete")
		req := classicvpc.CreateDeleteVpcRequest()
		req.VpcId, req.DryRun = id, requests.NewBoolean(true)
		_, err := cl.DeleteVpc(req)
		sdktest.WantFail(t, err, 400, "DryRunOperation")
		req.DryRun = requests.NewBoolean(false)
		_, err = cl.DeleteVpc(req)
		sdktest.OK(t, err)
		_, err = cl.DeleteVpc(req)
		sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	})
}
