package vpc_test

import (
	"slices"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestModifyVpcAttribute(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	id := createVpc(t, c, "10.0.0.0/16", "before")
	createVSwitch(t, c, id, "cn-hangzhou-h", "10.0.1.0/24", "a")
	_, err := c.ModifyVpcAttribute(&vpc.ModifyVpcAttributeRequest{
		RegionId: dara.String(region), VpcId: dara.String(id), VpcName: dara.String("after"),
		Description: dara.String("renamed"), EnableDnsHostname: dara.Bool(true), CidrBlock: dara.String("10.0.0.0/8"),
	})
	sdktest.OK(t, err)
	v := describeVpc(t, c, id)
	if dara.StringValue(v.VpcName) != "after" || dara.StringValue(v.Description) != "renamed" || dara.StringValue(v.CidrBlock) != "10.0.0.0/8" {
		t.Errorf("vpc after modify: %v", v)
	}
	a, err := c.DescribeVpcAttribute(&vpc.DescribeVpcAttributeRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.OK(t, err)
	if dara.StringValue(a.Body.DnsHostnameStatus) != "ENABLED" {
		t.Errorf("DnsHostnameStatus %q", dara.StringValue(a.Body.DnsHostnameStatus))
	}
	for name, tc := range map[string]struct {
		req    *vpc.ModifyVpcAttributeRequest
		status int
		code   string
	}{
		"vswitch left outside": {&vpc.ModifyVpcAttributeRequest{VpcId: dara.String(id), CidrBlock: dara.String("10.1.0.0/16")}, 400, "InvalidParameter"},
		"public block":         {&vpc.ModifyVpcAttributeRequest{VpcId: dara.String(id), CidrBlock: dara.String("8.8.0.0/16")}, 400, "InvalidCidrBlock.Malformed"},
		"unknown vpc":          {&vpc.ModifyVpcAttributeRequest{VpcId: dara.String("vpc-nope"), VpcName: dara.String("x")}, 404, "InvalidVpcId.NotFound"},
		"no vpc id":            {&vpc.ModifyVpcAttributeRequest{VpcName: dara.String("x")}, 400, "MissingParameter"},
		"ipv6":                 {&vpc.ModifyVpcAttributeRequest{VpcId: dara.String(id), EnableIPv6: dara.Bool(true)}, 400, "InvalidParameter"},
	} {
		t.Run(name, func(t *testing.T) {
			tc.req.RegionId = dara.String(region)
			_, err := c.ModifyVpcAttribute(tc.req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	if got := dara.StringValue(describeVpc(t, c, id).CidrBlock); got != "10.0.0.0/8" {
		t.Errorf("refusals changed the block: %s", got)
	}
}

func TestModifyVSwitchAttribute_Classic(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "v2")
	id := createVpc(t, c, "10.0.0.0/16", "net")
	sw := createVSwitch(t, c, id, "cn-hangzhou-h", "10.0.1.0/24", "old")
	cc := sdktest.ClassicVPC(t, s)
	req := classicvpc.CreateModifyVSwitchAttributeRequest()
	req.VSwitchId, req.VSwitchName, req.Description = sw, "new", "desc"
	_, err := cc.ModifyVSwitchAttribute(req)
	sdktest.OK(t, err)
	w := describeVSwitch(t, c, sw)
	if dara.StringValue(w.VSwitchName) != "new" || dara.StringValue(w.Description) != "desc" {
		t.Errorf("vswitch: %v", w)
	}
	req.VSwitchId = "vsw-nope"
	_, err = cc.ModifyVSwitchAttribute(req)
	sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
}

func TestDescribeRegionsAndZones(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	r, err := c.DescribeRegions(&vpc.DescribeRegionsRequest{AcceptLanguage: dara.String("en-US")})
	sdktest.OK(t, err)
	var found bool
	for _, reg := range r.Body.Regions.Region {
		if dara.StringValue(reg.RegionId) == region {
			found = dara.StringValue(reg.LocalName) != "" && dara.StringValue(reg.RegionEndpoint) == "vpc.cn-hangzhou.aliyuncs.com"
		}
	}
	if !found {
		t.Errorf("regions: %v", r.Body.Regions.Region)
	}
	z, err := c.DescribeZones(&vpc.DescribeZonesRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	// The same zones ECS lists.
	ez, err := sdktest.ECS(t, s, "").DescribeZones(&ecs.DescribeZonesRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	var vz, ezIDs []string
	for _, x := range z.Body.Zones.Zone {
		vz = append(vz, dara.StringValue(x.ZoneId))
		if dara.StringValue(x.ZoneType) != "AvailabilityZone" {
			t.Errorf("zone type %v", x)
		}
	}
	for _, x := range ez.Body.Zones.Zone {
		ezIDs = append(ezIDs, dara.StringValue(x.ZoneId))
	}
	if len(vz) == 0 || !slices.Equal(vz, ezIDs) {
		t.Errorf("VPC zones %v, ECS zones %v", vz, ezIDs)
	}
	_, err = c.DescribeZones(&vpc.DescribeZonesRequest{RegionId: dara.String("xx-nowhere")})
	sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
}

func TestCreateDefaultVpcAndVSwitch(t *testing.T) {
	s := newServer(t, true)
	c := sdktest.VPC(t, s, "")
	_, err := c.CreateDefaultVSwitch(&vpc.CreateDefaultVSwitchRequest{RegionId: dara.String(region), ZoneId: dara.String("cn-hangzhou-h")})
	sdktest.WantFail(t, err, 400, "OperationFailed.DefaultVpcNotExist")
	resp, err := c.CreateDefaultVpc(&vpc.CreateDefaultVpcRequest{RegionId: dara.String(region), ClientToken: dara.String("tok")})
	sdktest.OK(t, err)
	id := dara.StringValue(resp.Body.VpcId)
	again, err := c.CreateDefaultVpc(&vpc.CreateDefaultVpcRequest{RegionId: dara.String(region), ClientToken: dara.String("tok")})
	sdktest.OK(t, err)
	if dara.StringValue(again.Body.VpcId) != id {
		t.Errorf("ClientToken replay made %s, want %s", dara.StringValue(again.Body.VpcId), id)
	}
	v := describeVpc(t, c, id)
	if !dara.BoolValue(v.IsDefault) || dara.StringValue(v.CidrBlock) != "172.16.0.0/12" || dara.StringValue(v.Status) != "Pending" {
		t.Errorf("default vpc: %v", v)
	}
	_, err = c.CreateDefaultVSwitch(&vpc.CreateDefaultVSwitchRequest{RegionId: dara.String(region), ZoneId: dara.String("cn-hangzhou-h")})
	sdktest.WantFail(t, err, 400, "IncorrectVpcStatus")
	s.Clock.Advance(10 * time.Second)
	_, err = c.CreateDefaultVpc(&vpc.CreateDefaultVpcRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, 400, "OperationFailed.DefaultVpcExist")
	var blocks []string
	for _, zone := range []string{"cn-hangzhou-h", "cn-hangzhou-i"} {
		w, err := c.CreateDefaultVSwitch(&vpc.CreateDefaultVSwitchRequest{RegionId: dara.String(region), ZoneId: dara.String(zone)})
		sdktest.OK(t, err)
		sw := describeVSwitch(t, c, dara.StringValue(w.Body.VSwitchId))
		if !dara.BoolValue(sw.IsDefault) || dara.StringValue(sw.ZoneId) != zone || dara.StringValue(sw.VpcId) != id {
			t.Errorf("default vswitch: %v", sw)
		}
		blocks = append(blocks, dara.StringValue(sw.CidrBlock))
	}
	if !slices.Equal(blocks, []string{"172.16.0.0/20", "172.16.16.0/20"}) {
		t.Errorf("default vSwitch blocks %v", blocks)
	}
	_, err = c.CreateDefaultVSwitch(&vpc.CreateDefaultVSwitchRequest{RegionId: dara.String(region), ZoneId: dara.String("cn-hangzhou-h")})
	sdktest.WantFail(t, err, 400, "OperationFailed.DefaultVSwitchExist")
	_, err = c.CreateDefaultVSwitch(&vpc.CreateDefaultVSwitchRequest{RegionId: dara.String(region), ZoneId: dara.String("cn-beijing-a")})
	sdktest.WantFail(t, err, 404, "InvalidZoneId.NotFound")
}

func TestAssociateVpcCidrBlock(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	id := createVpc(t, c, "192.168.0.0/16", "net")
	assoc := func(block string) error {
		_, err := c.AssociateVpcCidrBlock(&vpc.AssociateVpcCidrBlockRequest{RegionId: dara.String(region), VpcId: dara.String(id), SecondaryCidrBlock: dara.String(block)})
		return err
	}
	sdktest.OK(t, assoc("10.0.0.0/16"))
	if got := strs(describeVpc(t, c, id).SecondaryCidrBlocks.SecondaryCidrBlock); !slices.Equal(got, []string{"10.0.0.0/16"}) {
		t.Errorf("secondary blocks %v", got)
	}
	// A vSwitch may now use the secondary block.
	sw := createVSwitch(t, c, id, "cn-hangzhou-h", "10.0.3.0/24", "second")
	sdktest.WantFail(t, assoc("192.168.1.0/24"), 400, "InvalidCidrBlock.Overlapped")
	sdktest.WantFail(t, assoc("10.0.128.0/17"), 400, "InvalidCidrBlock.Overlapped")
	sdktest.WantFail(t, assoc("1.2.3.0/24"), 400, "InvalidCidrBlock.Malformed")
	for _, b := range []string{"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"} {
		sdktest.OK(t, assoc(b))
	}
	sdktest.WantFail(t, assoc("10.5.0.0/16"), 400, "QuotaExceeded.SecondaryCidrBlock")

	unassoc := func(block string) error {
		_, err := c.UnassociateVpcCidrBlock(&vpc.UnassociateVpcCidrBlockRequest{RegionId: dara.String(region), VpcId: dara.String(id), SecondaryCidrBlock: dara.String(block)})
		return err
	}
	sdktest.WantFail(t, unassoc("10.0.0.0/16"), 400, "DependencyViolation.VSwitch")
	sdktest.WantFail(t, unassoc("192.168.0.0/16"), 404, "InvalidSecondaryCidrBlock.NotFound")
	_, err := c.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(sw)})
	sdktest.OK(t, err)
	sdktest.OK(t, unassoc("10.0.0.0/16"))
	if got := strs(describeVpc(t, c, id).SecondaryCidrBlocks.SecondaryCidrBlock); len(got) != 4 || slices.Contains(got, "10.0.0.0/16") {
		t.Errorf("secondary blocks after unassociate %v", got)
	}
	_, err = c.AssociateVpcCidrBlock(&vpc.AssociateVpcCidrBlockRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "MissingParameter")
}
