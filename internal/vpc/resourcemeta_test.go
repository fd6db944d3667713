package vpc_test

import (
	"slices"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestDeletionProtection(t *testing.T) {
	f := newNet(t, false)
	protect := func(id, typ string, on bool) error {
		_, err := f.v6.DeletionProtection(&vpc.DeletionProtectionRequest{
			RegionId: dara.String(region), InstanceId: dara.String(id), Type: dara.String(typ), ProtectionEnable: dara.Bool(on),
		})
		return err
	}
	eip := f.allocate(t)
	sdktest.OK(t, protect(eip, "EIP", true))
	if !dara.BoolValue(f.describeEip(t, eip).DeletionProtection) {
		t.Errorf("EIP not shown protected")
	}
	sdktest.WantFail(t, f.release(eip), 400, "InvalidOperation.DeletionProtection")
	sdktest.OK(t, protect(eip, "EIP", false))
	sdktest.OK(t, f.release(eip))

	nat := f.createNat(t)
	sdktest.OK(t, protect(nat.id, "NATGW", true))
	if !dara.BoolValue(f.describeNat(t, nat.id).DeletionProtection) {
		t.Errorf("NAT gateway not shown protected")
	}
	sdktest.WantFail(t, f.deleteNat(nat.id, true), 400, "InvalidOperation.DeletionProtection")
	sdktest.OK(t, protect(nat.id, "NATGW", false))
	sdktest.OK(t, f.deleteNat(nat.id, false))

	sdktest.WantFail(t, protect("eip-nope", "EIP", true), 404, "InvalidAllocationId.NotFound")
	sdktest.WantFail(t, protect("ngw-nope", "NATGW", true), 404, "InvalidNatGatewayId.NotFound")
	sdktest.WantFail(t, protect("cbwp-nope", "CBWP", true), 404, "InvalidResourceId.NotFound")
	sdktest.WantFail(t, protect(eip, "VPC", true), 400, "InvalidParameter.Type")
	_, err := f.v6.DeletionProtection(&vpc.DeletionProtectionRequest{RegionId: dara.String(region), InstanceId: dara.String(eip), Type: dara.String("EIP")})
	sdktest.WantFail(t, err, 400, "MissingParameter")
}

func TestMoveResourceGroup(t *testing.T) {
	f := newNet(t, false)
	move := func(typ, id, rg string) error {
		_, err := f.v6.MoveResourceGroup(&vpc.MoveResourceGroupRequest{
			RegionId: dara.String(region), ResourceId: dara.String(id), ResourceType: dara.String(typ), NewResourceGroupId: dara.String(rg),
		})
		return err
	}
	sdktest.OK(t, move("vpc", f.vpcID, "rg-acfmnew0000001"))
	if got := dara.StringValue(describeVpc(t, f.v6, f.vpcID).ResourceGroupId); got != "rg-acfmnew0000001" {
		t.Errorf("VPC resource group %s", got)
	}
	eip := f.allocate(t)
	sdktest.OK(t, move("Eip", eip, "rg-acfmnew0000002"))
	if got := dara.StringValue(f.describeEip(t, eip).ResourceGroupId); got != "rg-acfmnew0000002" {
		t.Errorf("EIP resource group %s", got)
	}
	sdktest.WantFail(t, move("vpc", "vpc-nope", "rg-acfmnew0000001"), 404, "InvalidResourceId.NotFound")
	sdktest.WantFail(t, move("prefixlist", "pl-nope", "rg-acfmnew0000001"), 404, "InvalidResourceId.NotFound")
	sdktest.WantFail(t, move("instance", f.vpcID, "rg-acfmnew0000001"), 400, "InvalidResourceType")
	sdktest.WantFail(t, move("vpc", f.vpcID, "group"), 400, "InvalidResourceGroupId")

	_, err := f.v6.ChangeResourceGroup(&vpc.ChangeResourceGroupRequest{
		RegionId: dara.String(region), ResourceId: dara.String("pc-nope"), ResourceType: dara.String("PHYSICALCONNECTION"), NewResourceGroupId: dara.String("rg-acfmnew0000001"),
	})
	sdktest.WantFail(t, err, 404, "InvalidResourceId.NotFound")
	_, err = f.v6.ChangeResourceGroup(&vpc.ChangeResourceGroupRequest{
		RegionId: dara.String(region), ResourceId: dara.String(f.vpcID), ResourceType: dara.String("VPC"), NewResourceGroupId: dara.String("rg-acfmnew0000001"),
	})
	sdktest.WantFail(t, err, 400, "InvalidResourceType")
}

func TestDescribeTagKeysAndTags(t *testing.T) {
	f := newNet(t, false)
	sdktest.OK(t, f.tag("VPC", []string{f.vpcID}, "env", "prod", "team", "net"))
	sdktest.OK(t, f.tag("VSWITCH", []string{f.vsw}, "env", "test", "zone", "h"))
	keys := func(req *vpc.DescribeTagKeysRequest) ([]string, string) {
		req.RegionId = dara.String(region)
		resp, err := f.v6.DescribeTagKeys(req)
		sdktest.OK(t, err)
		var out []string
		for _, k := range resp.Body.TagKeys.TagKey {
			out = append(out, dara.StringValue(k.TagKey))
			if dara.StringValue(k.Type) != "Custom" {
				t.Errorf("key type %v", k)
			}
		}
		return out, dara.StringValue(resp.Body.NextToken)
	}
	if got, _ := keys(&vpc.DescribeTagKeysRequest{}); !slices.Equal(got, []string{"env", "team", "zone"}) {
		t.Errorf("all keys %v", got)
	}
	if got, _ := keys(&vpc.DescribeTagKeysRequest{ResourceType: dara.String("VPC")}); !slices.Equal(got, []string{"env", "team"}) {
		t.Errorf("VPC keys %v", got)
	}
	if got, _ := keys(&vpc.DescribeTagKeysRequest{Keyword: dara.String("ea")}); !slices.Equal(got, []string{"team"}) {
		t.Errorf("keyword keys %v", got)
	}
	first, next := keys(&vpc.DescribeTagKeysRequest{MaxResult: dara.Int32(2)})
	rest, last := keys(&vpc.DescribeTagKeysRequest{MaxResult: dara.Int32(2), NextToken: dara.String(next)})
	if !slices.Equal(first, []string{"env", "team"}) || next == "" || !slices.Equal(rest, []string{"zone"}) || last != "" {
		t.Errorf("pages %v %q %v %q", first, next, rest, last)
	}
	_, err := f.v6.DescribeTagKeys(&vpc.DescribeTagKeysRequest{RegionId: dara.String(region), ResourceType: dara.String("DISK")})
	sdktest.WantFail(t, err, 404, "InvalidResourceType.NotFound")

	tags := func(req *vpc.DescribeTagsRequest) []string {
		req.RegionId = dara.String(region)
		resp, err := f.v6.DescribeTags(req)
		sdktest.OK(t, err)
		var out []string
		for _, p := range resp.Body.TagResources.TagResource {
			out = append(out, dara.StringValue(p.TagKey)+"="+dara.StringValue(p.TagValue))
		}
		return out
	}
	if got := tags(&vpc.DescribeTagsRequest{}); !slices.Equal(got, []string{"env=prod", "env=test", "team=net", "zone=h"}) {
		t.Errorf("all tags %v", got)
	}
	if got := tags(&vpc.DescribeTagsRequest{Tag: []*vpc.DescribeTagsRequestTag{{Key: dara.String("env")}}}); !slices.Equal(got, []string{"env=prod", "env=test"}) {
		t.Errorf("env tags %v", got)
	}
	if got := tags(&vpc.DescribeTagsRequest{ResourceType: dara.String("VSWITCH"), ResourceId: dara.StringSlice([]string{f.vsw})}); !slices.Equal(got, []string{"env=test", "zone=h"}) {
		t.Errorf("vSwitch tags %v", got)
	}
}
