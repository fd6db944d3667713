package vpc_test

import (
	"slices"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) createDhcp(t *testing.T, name, domain string) string {
	t.Helper()
	resp, err := f.v6.CreateDhcpOptionsSet(&vpc.CreateDhcpOptionsSetRequest{RegionId: dara.String(region),
		DhcpOptionsSetName: dara.String(name), DomainName: dara.String(domain), DomainNameServers: dara.String("100.100.2.136,100.100.2.138")})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.DhcpOptionsSetId)
}

func (f *netFixture) dhcp(t *testing.T, id string) *vpc.GetDhcpOptionsSetResponseBody {
	t.Helper()
	resp, err := f.v6.GetDhcpOptionsSet(&vpc.GetDhcpOptionsSetRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id)})
	sdktest.OK(t, err)
	return resp.Body
}

func TestDhcpOptionsSet_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	id := f.createDhcp(t, "corp", "corp.example")
	d := f.dhcp(t, id)
	if dara.StringValue(d.Status) != "Available" || dara.StringValue(d.DhcpOptions.DomainName) != "corp.example" ||
		dara.StringValue(d.DhcpOptions.LeaseTime) != "87600h" || len(d.AssociateVpcs) != 0 {
		t.Fatalf("new set: %v", d)
	}
	attach := func(set string) error {
		_, err := f.v6.AttachDhcpOptionsSetToVpc(&vpc.AttachDhcpOptionsSetToVpcRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(set), VpcId: dara.String(f.vpcID)})
		return err
	}
	_, err := f.v6.AttachDhcpOptionsSetToVpc(&vpc.AttachDhcpOptionsSetToVpcRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id), VpcId: dara.String(f.vpcID), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	sdktest.OK(t, attach(id))
	d = f.dhcp(t, id)
	if dara.StringValue(d.Status) != "InUse" || len(d.AssociateVpcs) != 1 || dara.StringValue(d.AssociateVpcs[0].VpcId) != f.vpcID {
		t.Errorf("attached set: %v", d)
	}
	a, err := f.v6.DescribeVpcAttribute(&vpc.DescribeVpcAttributeRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID)})
	sdktest.OK(t, err)
	if dara.StringValue(a.Body.DhcpOptionsSetId) != id || dara.StringValue(a.Body.DhcpOptionsSetStatus) != "InUse" {
		t.Errorf("DescribeVpcAttribute: %s %s", dara.StringValue(a.Body.DhcpOptionsSetId), dara.StringValue(a.Body.DhcpOptionsSetStatus))
	}
	other := f.createDhcp(t, "other", "other.example")
	sdktest.WantFail(t, attach(other), 400, "InvalidVpc.DhcpOptionsSetAttached")
	_, err = f.v6.DeleteDhcpOptionsSet(&vpc.DeleteDhcpOptionsSetRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.DhcpOptionsSet")

	// Replace, through the classic SDK.
	rr := classicvpc.CreateReplaceVpcDhcpOptionsSetRequest()
	rr.DhcpOptionsSetId, rr.VpcId = other, f.vpcID
	_, err = f.classic.ReplaceVpcDhcpOptionsSet(rr)
	sdktest.OK(t, err)
	if st := dara.StringValue(f.dhcp(t, id).Status); st != "Available" {
		t.Errorf("replaced set %s", st)
	}
	_, err = f.v6.DetachDhcpOptionsSetFromVpc(&vpc.DetachDhcpOptionsSetFromVpcRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id), VpcId: dara.String(f.vpcID)})
	sdktest.WantFail(t, err, 400, "InvalidVpc.DhcpOptionsSetNotAttached")
	_, err = f.v6.DetachDhcpOptionsSetFromVpc(&vpc.DetachDhcpOptionsSetFromVpcRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(other), VpcId: dara.String(f.vpcID)})
	sdktest.OK(t, err)
	_, err = f.v6.ReplaceVpcDhcpOptionsSet(&vpc.ReplaceVpcDhcpOptionsSetRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id), VpcId: dara.String(f.vpcID)})
	sdktest.WantFail(t, err, 400, "InvalidVpc.DhcpOptionsSetNotAttached")

	_, err = f.v6.UpdateDhcpOptionsSetAttribute(&vpc.UpdateDhcpOptionsSetAttributeRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id),
		DomainName: dara.String("new.example"), LeaseTime: dara.String("48h"), DhcpOptionsSetName: dara.String("renamed")})
	sdktest.OK(t, err)
	d = f.dhcp(t, id)
	if dara.StringValue(d.DhcpOptions.DomainName) != "new.example" || dara.StringValue(d.DhcpOptions.LeaseTime) != "48h" ||
		dara.StringValue(d.DhcpOptions.DomainNameServers) != "100.100.2.136,100.100.2.138" || dara.StringValue(d.DhcpOptionsSetName) != "renamed" {
		t.Errorf("updated set: %v", d)
	}
	for name, req := range map[string]*vpc.UpdateDhcpOptionsSetAttributeRequest{
		"lease":   {LeaseTime: dara.String("2h")},
		"servers": {DomainNameServers: dara.String("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5")},
		"address": {DomainNameServers: dara.String("dns.example")},
	} {
		req.RegionId, req.DhcpOptionsSetId = dara.String(region), dara.String(id)
		_, err := f.v6.UpdateDhcpOptionsSetAttribute(req)
		if _, code := sdktest.Fail(err); code != "InvalidParameter" {
			t.Errorf("%s: %v", name, err)
		}
	}

	list, err := f.v6.ListDhcpOptionsSets(&vpc.ListDhcpOptionsSetsRequest{RegionId: dara.String(region), MaxResults: dara.Int32(1)})
	sdktest.OK(t, err)
	next := dara.StringValue(list.Body.NextToken)
	if dara.StringValue(list.Body.TotalCount) != "2" || len(list.Body.DhcpOptionsSets) != 1 || next == "" {
		t.Fatalf("first page: %v", list.Body)
	}
	page2, err := f.v6.ListDhcpOptionsSets(&vpc.ListDhcpOptionsSetsRequest{RegionId: dara.String(region), MaxResults: dara.Int32(1), NextToken: dara.String(next)})
	sdktest.OK(t, err)
	ids := []string{dara.StringValue(list.Body.DhcpOptionsSets[0].DhcpOptionsSetId), dara.StringValue(page2.Body.DhcpOptionsSets[0].DhcpOptionsSetId)}
	if !slices.Equal(ids, []string{id, other}) || dara.StringValue(page2.Body.NextToken) != "" {
		t.Errorf("pages %v next %q", ids, dara.StringValue(page2.Body.NextToken))
	}
	byDomain, err := f.v6.ListDhcpOptionsSets(&vpc.ListDhcpOptionsSetsRequest{RegionId: dara.String(region), DomainName: dara.String("other.example")})
	sdktest.OK(t, err)
	if len(byDomain.Body.DhcpOptionsSets) != 1 || dara.StringValue(byDomain.Body.DhcpOptionsSets[0].DhcpOptionsSetId) != other {
		t.Errorf("DomainName filter: %v", byDomain.Body)
	}
	sdktest.OK(t, f.tag("DHCPOPTIONSSET", []string{id}, "env", "prod"))
	_, err = f.v6.MoveResourceGroup(&vpc.MoveResourceGroupRequest{RegionId: dara.String(region), ResourceId: dara.String(id),
		ResourceType: dara.String("DhcpOptionsSet"), NewResourceGroupId: dara.String("rg-acfmdhcp000001")})
	sdktest.OK(t, err)
	if rg := dara.StringValue(f.dhcp(t, id).ResourceGroupId); rg != "rg-acfmdhcp000001" {
		t.Errorf("resource group %s", rg)
	}
	_, err = f.v6.DeleteDhcpOptionsSet(&vpc.DeleteDhcpOptionsSetRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = f.v6.GetDhcpOptionsSet(&vpc.GetDhcpOptionsSetRequest{RegionId: dara.String(region), DhcpOptionsSetId: dara.String(id)})
	sdktest.WantFail(t, err, 404, "InvalidDhcpOptionsSetId.NotFound")
}
