package vpc_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestCreateVSwitch_Classic(t *testing.T) {
	s := newServer(t, false)
	vpcID := createVpc(t, sdktest.VPC(t, s, ""), "10.0.0.0/8", "")
	c := sdktest.ClassicVPC(t, s)
	req := classicvpc.CreateCreateVSwitchRequest()
	req.VpcId, req.ZoneId, req.CidrBlock, req.VSwitchName, req.Description = vpcID, region+"-i", "10.0.1.0/24", "app", "apps"
	req.Tag = &[]classicvpc.CreateVSwitchTag{{Key: "tier", Value: "app"}}
	resp, err := c.CreateVSwitch(req)
	sdktest.OK(t, err)
	if !strings.HasPrefix(resp.VSwitchId, "vsw-bp1") {
		t.Fatalf("VSwitchId %q", resp.VSwitchId)
	}
	d := classicvpc.CreateDescribeVSwitchesRequest()
	d.VSwitchId = resp.VSwitchId
	got, err := c.DescribeVSwitches(d)
	sdktest.OK(t, err)
	if got.TotalCount != 1 || len(got.VSwitches.VSwitch) != 1 {
		t.Fatalf("DescribeVSwitches: %+v", got)
	}
	w := got.VSwitches.VSwitch[0]
	if w.VSwitchId != resp.VSwitchId || w.VpcId != vpcID || w.Status != "Available" || w.CidrBlock != "10.0.1.0/24" ||
		w.ZoneId != region+"-i" || w.VSwitchName != "app" || w.Description != "apps" || w.AvailableIpAddressCount != 252 ||
		w.IsDefault || !strings.HasPrefix(w.ResourceGroupId, "rg-acfm") || !secondPrecision.MatchString(w.CreationTime) {
		t.Errorf("vSwitch: %+v", w)
	}
	if w.RouteTable.RouteTableType != "System" || !strings.HasPrefix(w.RouteTable.RouteTableId, "vtb-") {
		t.Errorf("route table: %+v", w.RouteTable)
	}
	if len(w.Tags.Tag) != 1 || w.Tags.Tag[0].Key != "tier" || w.Tags.Tag[0].Value != "app" {
		t.Errorf("tags: %+v", w.Tags)
	}
	dv := classicvpc.CreateDescribeVpcsRequest()
	dv.VpcId = vpcID
	vpcs, err := c.DescribeVpcs(dv)
	sdktest.OK(t, err)
	if !slices.Equal(vpcs.Vpcs.Vpc[0].VSwitchIds.VSwitchId, []string{resp.VSwitchId}) {
		t.Errorf("VPC lists vSwitches %v", vpcs.Vpcs.Vpc[0].VSwitchIds.VSwitchId)
	}
}

func TestCreateVSwitch_V6(t *testing.T) {
	for _, alg := range v6Algorithms {
		t.Run("v6"+alg, func(t *testing.T) {
			s := newServer(t, false)
			c := sdktest.VPC(t, s, alg)
			vpcID := createVpc(t, c, "192.168.0.0/16", "")
			id := createVSwitch(t, c, vpcID, region+"-k", "192.168.0.0/28", "tiny")
			w := describeVSwitch(t, c, id)
			if dara.StringValue(w.VpcId) != vpcID || dara.StringValue(w.Status) != "Available" || dara.StringValue(w.CidrBlock) != "192.168.0.0/28" ||
				dara.Int64Value(w.AvailableIpAddressCount) != 12 || dara.StringValue(w.ZoneId) != region+"-k" || dara.StringValue(w.VSwitchName) != "tiny" {
				t.Errorf("vSwitch: %v", w)
			}
			if dara.StringValue(w.RouteTable.RouteTableId) != dara.StringValue(describeVpc(t, c, vpcID).RouterTableIds.RouterTableIds[0]) {
				t.Errorf("route table %v", w.RouteTable)
			}
			if w.Tags == nil || len(w.Tags.Tag) != 0 {
				t.Errorf("tags: %v", w.Tags)
			}
		})
	}
}

func TestCreateVSwitch_Refusals(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	vpcID := createVpc(t, c, "172.16.0.0/16", "")
	createVSwitch(t, c, vpcID, region+"-k", "172.16.8.0/21", "taken")
	for _, tc := range []struct {
		name, vpcID, zone, cidr string
		status                  int
		code                    string
	}{
		{"unknown VPC", "vpc-bp1doesnotexist00", region + "-k", "172.16.0.0/24", 404, "InvalidVpcId.NotFound"},
		{"unknown zone", vpcID, region + "-z", "172.16.0.0/24", 404, "InvalidZoneId.NotFound"},
		{"zone of another region", vpcID, "cn-shanghai-e", "172.16.0.0/24", 404, "InvalidZoneId.NotFound"},
		{"malformed block", vpcID, region + "-k", "172.16.0.0/33", 400, "InvalidCidrBlock.Malformed"},
		{"host bits", vpcID, region + "-k", "172.16.0.1/24", 400, "InvalidCidrBlock.Malformed"},
		{"mask too long", vpcID, region + "-k", "172.16.0.0/30", 400, "InvalidCirdrBlock.MaskLength"},
		{"mask too short", vpcID, region + "-k", "172.16.0.0/15", 400, "InvalidCirdrBlock.MaskLength"},
		{"outside the VPC", vpcID, region + "-k", "172.17.0.0/24", 400, "InvalidParameter"},
		{"overlap", vpcID, region + "-k", "172.16.12.0/24", 400, "InvalidCidrBlock.Overlapped"},
		{"covers a sibling", vpcID, region + "-k", "172.16.0.0/16", 400, "InvalidCidrBlock.Overlapped"},
		{"no zone", vpcID, "", "172.16.0.0/24", 400, "MissingParameter"},
		{"no block", vpcID, region + "-k", "", 400, "MissingParameter"},
		{"no VPC", "", region + "-k", "172.16.0.0/24", 400, "MissingParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &vpc.CreateVSwitchRequest{RegionId: dara.String(region)}
			if tc.vpcID != "" {
				req.VpcId = dara.String(tc.vpcID)
			}
			if tc.zone != "" {
				req.ZoneId = dara.String(tc.zone)
			}
			if tc.cidr != "" {
				req.CidrBlock = dara.String(tc.cidr)
			}
			_, err := c.CreateVSwitch(req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	t.Run("VPC of another region", func(t *testing.T) {
		other, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String("cn-shanghai")})
		sdktest.OK(t, err)
		_, err = c.CreateVSwitch(&vpc.CreateVSwitchRequest{RegionId: dara.String(region), VpcId: other.Body.VpcId,
			ZoneId: dara.String(region + "-k"), CidrBlock: dara.String("172.16.0.0/24")})
		sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	})
	t.Run("classic overlap", func(t *testing.T) {
		req := classicvpc.CreateCreateVSwitchRequest()
		req.VpcId, req.ZoneId, req.CidrBlock = vpcID, region+"-h", "172.16.9.0/24"
		_, err := sdktest.ClassicVPC(t, s).CreateVSwitch(req)
		sdktest.WantFail(t, err, 400, "InvalidCidrBlock.Overlapped")
	})
	resp, err := c.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 1 {
		t.Fatalf("refusals left %d vSwitches", n)
	}
}

func TestCreateVSwitch_ClientToken(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	vpcID := createVpc(t, c, "", "")
	req := &vpc.CreateVSwitchRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID), ZoneId: dara.String(region + "-k"),
		CidrBlock: dara.String("172.16.0.0/24"), ClientToken: dara.String("vsw-token")}
	first, err := c.CreateVSwitch(req)
	sdktest.OK(t, err)
	// The replay is answered from memory, although the block now overlaps.
	again, err := c.CreateVSwitch(req)
	sdktest.OK(t, err)
	if dara.StringValue(first.Body.VSwitchId) != dara.StringValue(again.Body.VSwitchId) {
		t.Fatalf("replay made a new vSwitch: %s then %s", dara.StringValue(first.Body.VSwitchId), dara.StringValue(again.Body.VSwitchId))
	}
	req.CidrBlock = dara.String("172.16.1.0/24")
	_, err = c.CreateVSwitch(req)
	sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")

	cl := sdktest.ClassicVPC(t, s)
	creq := classicvpc.CreateCreateVSwitchRequest()
	creq.VpcId, creq.ZoneId, creq.CidrBlock, creq.ClientToken = vpcID, region+"-h", "172.16.2.0/24", "classic-token"
	a, err := cl.CreateVSwitch(creq)
	sdktest.OK(t, err)
	b, err := cl.CreateVSwitch(creq)
	sdktest.OK(t, err)
	if a.VSwitchId != b.VSwitchId {
		t.Fatalf("classic replay made a new vSwitch")
	}
	creq.VSwitchName = "renamed"
	_, err = cl.CreateVSwitch(creq)
	sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
}

func TestVSwitch_PendingThenAvailable(t *testing.T) {
	s := newServer(t, true)
	c := sdktest.VPC(t, s, "")
	vpcID := createVpc(t, c, "", "")
	s.Clock.Advance(time.Second)
	id := createVSwitch(t, c, vpcID, region+"-k", "172.16.0.0/24", "")
	if st := dara.StringValue(describeVSwitch(t, c, id).Status); st != "Pending" {
		t.Fatalf("new vSwitch is %s, want Pending", st)
	}
	_, err := c.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "IncorrectVSwitchStatus")
	s.Clock.Advance(time.Second)
	if st := dara.StringValue(describeVSwitch(t, c, id).Status); st != "Available" {
		t.Fatalf("vSwitch is %s after its delay, want Available", st)
	}
	_, err = c.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(id)})
	sdktest.OK(t, err)
}

func TestDescribeVSwitches_PagingAndFilters(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "v2")
	a := createVpc(t, c, "10.0.0.0/8", "a")
	b := createVpc(t, c, "192.168.0.0/16", "b")
	zones := []string{region + "-h", region + "-k"}
	var inA, inB []string
	for i := range 4 {
		inA = append(inA, createVSwitch(t, c, a, zones[i%2], fmt.Sprintf("10.%d.0.0/16", i), fmt.Sprintf("a-%d", i)))
	}
	inB = append(inB, createVSwitch(t, c, b, zones[0], "192.168.0.0/24", "a-0"))
	all := append(slices.Clone(inA), inB...)

	describe := func(t *testing.T, req *vpc.DescribeVSwitchesRequest) (int, []string) {
		t.Helper()
		req.RegionId = dara.String(region)
		resp, err := c.DescribeVSwitches(req)
		sdktest.OK(t, err)
		var got []string
		for _, w := range resp.Body.VSwitches.VSwitch {
			got = append(got, dara.StringValue(w.VSwitchId))
		}
		return int(dara.Int32Value(resp.Body.TotalCount)), got
	}
	t.Run("pages", func(t *testing.T) {
		var got []string
		for page := int32(1); page <= 3; page++ {
			total, ids := describe(t, &vpc.DescribeVSwitchesRequest{PageNumber: dara.Int32(page), PageSize: dara.Int32(2)})
			if total != 5 {
				t.Fatalf("TotalCount %d", total)
			}
			got = append(got, ids...)
		}
		if !slices.Equal(got, all) {
			t.Fatalf("pages gave %v, want %v", got, all)
		}
	})
	t.Run("page size limit", func(t *testing.T) {
		_, err := c.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: dara.String(region), PageSize: dara.Int32(51)})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	for _, tc := range []struct {
		name string
		req  *vpc.DescribeVSwitchesRequest
		want []string
	}{
		{"vpc", &vpc.DescribeVSwitchesRequest{VpcId: dara.String(b)}, inB},
		{"zone", &vpc.DescribeVSwitchesRequest{ZoneId: dara.String(zones[1])}, []string{inA[1], inA[3]}},
		{"vpc and zone", &vpc.DescribeVSwitchesRequest{VpcId: dara.String(a), ZoneId: dara.String(zones[0])}, []string{inA[0], inA[2]}},
		{"name", &vpc.DescribeVSwitchesRequest{VSwitchName: dara.String("a-0")}, []string{inA[0], inB[0]}},
		{"id", &vpc.DescribeVSwitchesRequest{VSwitchId: dara.String(inA[2])}, []string{inA[2]}},
		{"id in another vpc", &vpc.DescribeVSwitchesRequest{VSwitchId: dara.String(inA[2]), VpcId: dara.String(b)}, nil},
		{"default", &vpc.DescribeVSwitchesRequest{IsDefault: dara.Bool(true)}, nil},
		{"not default", &vpc.DescribeVSwitchesRequest{IsDefault: dara.Bool(false)}, all},
		{"tag", &vpc.DescribeVSwitchesRequest{Tag: []*vpc.DescribeVSwitchesRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total, got := describe(t, tc.req)
			if total != len(tc.want) || !slices.Equal(got, tc.want) {
				t.Fatalf("got %d %v, want %v", total, got, tc.want)
			}
		})
	}
	t.Run("classic", func(t *testing.T) {
		req := classicvpc.CreateDescribeVSwitchesRequest()
		req.VpcId, req.ZoneId, req.PageSize, req.PageNumber = a, zones[1], requests.NewInteger(1), requests.NewInteger(2)
		resp, err := sdktest.ClassicVPC(t, s).DescribeVSwitches(req)
		sdktest.OK(t, err)
		if resp.TotalCount != 2 || resp.PageNumber != 2 || len(resp.VSwitches.VSwitch) != 1 || resp.VSwitches.VSwitch[0].VSwitchId != inA[3] {
			t.Fatalf("DescribeVSwitches: %+v", resp)
		}
	})
}

func TestDeleteVSwitch(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	vpcID := createVpc(t, c, "", "")
	id := createVSwitch(t, c, vpcID, region+"-k", "172.16.0.0/24", "")
	del := func(id string, dryRun bool) error {
		_, err := c.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(id), DryRun: dara.Bool(dryRun)})
		return err
	}
	t.Run("not found", func(t *testing.T) {
		sdktest.WantFail(t, del("vsw-bp1doesnotexist00", false), 404, "InvalidVSwitchId.NotFound")
	})
	t.Run("instance", func(t *testing.T) {
		inst := runInstance(t, s, vpcID, id)
		if n := dara.Int64Value(describeVSwitch(t, c, id).AvailableIpAddressCount); n != 251 {
			t.Errorf("AvailableIpAddressCount %d with one instance, want 251", n)
		}
		sdktest.WantFail(t, del(id, false), 400, "DependencyViolation")
		sdktest.WantFail(t, del(id, true), 400, "DependencyViolation")
		releaseInstance(t, s, inst)
	})
	t.Run("network interface", func(t *testing.T) {
		ecs := sdktest.ClassicECS(t, s)
		sg := classicecs.CreateCreateSecurityGroupRequest()
		sg.VpcId = vpcID
		g, err := ecs.CreateSecurityGroup(sg)
		sdktest.OK(t, err)
		r := classicecs.CreateCreateNetworkInterfaceRequest()
		r.VSwitchId, r.SecurityGroupId = id, g.SecurityGroupId
		eni, err := ecs.CreateNetworkInterface(r)
		sdktest.OK(t, err)
		sdktest.WantFail(t, del(id, false), 400, "DependencyViolation")
		d := classicecs.CreateDeleteNetworkInterfaceRequest()
		d.NetworkInterfaceId = eni.NetworkInterfaceId
		_, err = ecs.DeleteNetworkInterface(d)
		sdktest.OK(t, err)
		s.Clock.Advance(10 * time.Second)
	})
	t.Run("dry run", func(t *testing.T) {
		sdktest.WantFail(t, del(id, true), 400, "DryRunOperation")
		describeVSwitch(t, c, id)
	})
	t.Run("classic", func(t *testing.T) {
		cl := sdktest.ClassicVPC(t, s)
		req := classicvpc.CreateDeleteVSwitchRequest()
		req.VSwitchId = id
		_, err := cl.DeleteVSwitch(req)
		sdktest.OK(t, err)
		_, err = cl.DeleteVSwitch(req)
		sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
	})
	if ids := strs(describeVpc(t, c, vpcID).VSwitchIds.VSwitchId); len(ids) != 0 {
		t.Fatalf("VPC still lists %v", ids)
	}
}
