package vpc_test

import (
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) createACL(t *testing.T, name string) string {
	t.Helper()
	resp, err := f.v6.CreateNetworkAcl(&vpc.CreateNetworkAclRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID), NetworkAclName: dara.String(name)})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.NetworkAclId)
}

func (f *netFixture) acl(t *testing.T, id string) *vpc.DescribeNetworkAclAttributesResponseBodyNetworkAclAttribute {
	t.Helper()
	resp, err := f.v6.DescribeNetworkAclAttributes(&vpc.DescribeNetworkAclAttributesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)})
	sdktest.OK(t, err)
	return resp.Body.NetworkAclAttribute
}

func (f *netFixture) bindACL(id string, vsws ...string) error {
	req := &vpc.AssociateNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)}
	for _, w := range vsws {
		req.Resource = append(req.Resource, &vpc.AssociateNetworkAclRequestResource{ResourceId: dara.String(w), ResourceType: dara.String("VSwitch")})
	}
	_, err := f.v6.AssociateNetworkAcl(req)
	return err
}

func (f *netFixture) unbindACL(id string, vsws ...string) error {
	req := &vpc.UnassociateNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)}
	for _, w := range vsws {
		req.Resource = append(req.Resource, &vpc.UnassociateNetworkAclRequestResource{ResourceId: dara.String(w), ResourceType: dara.String("VSwitch")})
	}
	_, err := f.v6.UnassociateNetworkAcl(req)
	return err
}

func TestNetworkACL_Lifecycle(t *testing.T) {
	f := newNet(t, true)
	id := f.createACL(t, "web")
	a := f.acl(t, id)
	if dara.StringValue(a.Status) != "Available" || dara.StringValue(a.VpcId) != f.vpcID || len(a.IngressAclEntries.IngressAclEntry) != 1 ||
		dara.StringValue(a.IngressAclEntries.IngressAclEntry[0].EntryType) != "system" || len(a.EgressAclEntries.EgressAclEntry) != 1 {
		t.Fatalf("new ACL: %v", a)
	}

	// Associate: BINDING while Modifying, then BINDED; the vSwitch shows it.
	sdktest.OK(t, f.bindACL(id, f.vsw))
	a = f.acl(t, id)
	if dara.StringValue(a.Status) != "Modifying" || dara.StringValue(a.Resources.Resource[0].Status) != "BINDING" {
		t.Errorf("after associate: %v", a)
	}
	sdktest.WantFail(t, f.bindACL(id, f.vsw), 400, "IncorrectStatus.NetworkAcl")
	f.s.Clock.Advance(2 * time.Second)
	a = f.acl(t, id)
	if dara.StringValue(a.Status) != "Available" || dara.StringValue(a.Resources.Resource[0].Status) != "BINDED" {
		t.Errorf("settled: %v", a)
	}
	if got := dara.StringValue(describeVSwitch(t, f.v6, f.vsw).NetworkAclId); got != id {
		t.Errorf("vSwitch NetworkAclId %q", got)
	}
	other := f.createACL(t, "other")
	sdktest.WantFail(t, f.bindACL(other, f.vsw), 400, "Forbidden.VSwitchBindNetworkAcl")
	sdktest.WantFail(t, f.bindACL(other, "vsw-nope"), 404, "InvalidVSwitchId.NotFound")
	_, err := f.v6.DeleteNetworkAcl(&vpc.DeleteNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.NetworkAcl")
	_, err = f.v6.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(f.vsw)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.NetworkAcl")

	// Entries: a whole direction at a time.
	entries := func(ids ...string) []*vpc.UpdateNetworkAclEntriesRequestIngressAclEntries {
		var out []*vpc.UpdateNetworkAclEntriesRequestIngressAclEntries
		for i, cidr := range []string{"10.0.0.0/8", "172.16.0.0/12"} {
			e := &vpc.UpdateNetworkAclEntriesRequestIngressAclEntries{Policy: dara.String("accept"), Protocol: dara.String("tcp"),
				SourceCidrIp: dara.String(cidr), Port: dara.String("22/22"), NetworkAclEntryName: dara.String("ssh")}
			if i < len(ids) {
				e.NetworkAclEntryId = dara.String(ids[i])
			}
			out = append(out, e)
		}
		return out
	}
	_, err = f.v6.UpdateNetworkAclEntries(&vpc.UpdateNetworkAclEntriesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id),
		UpdateIngressAclEntries: dara.Bool(true), IngressAclEntries: entries()})
	sdktest.OK(t, err)
	f.s.Clock.Advance(2 * time.Second)
	in := f.acl(t, id).IngressAclEntries.IngressAclEntry
	if len(in) != 3 || dara.StringValue(in[0].SourceCidrIp) != "10.0.0.0/8" || dara.StringValue(in[0].EntryType) != "custom" ||
		dara.StringValue(in[2].EntryType) != "system" || len(f.acl(t, id).EgressAclEntries.EgressAclEntry) != 1 {
		t.Fatalf("ingress after update: %v", in)
	}
	kept := dara.StringValue(in[0].NetworkAclEntryId)
	_, err = f.v6.UpdateNetworkAclEntries(&vpc.UpdateNetworkAclEntriesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id),
		UpdateIngressAclEntries: dara.Bool(true), IngressAclEntries: entries(kept)})
	sdktest.OK(t, err)
	f.s.Clock.Advance(2 * time.Second)
	if got := dara.StringValue(f.acl(t, id).IngressAclEntries.IngressAclEntry[0].NetworkAclEntryId); got != kept {
		t.Errorf("entry id %s not kept (%s)", kept, got)
	}
	bad := entries()
	bad[0].Port = dara.String("-1/-1")
	_, err = f.v6.UpdateNetworkAclEntries(&vpc.UpdateNetworkAclEntriesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id),
		UpdateIngressAclEntries: dara.Bool(true), IngressAclEntries: bad})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	bad[0].Port, bad[0].Policy = dara.String("22/22"), dara.String("allow")
	_, err = f.v6.UpdateNetworkAclEntries(&vpc.UpdateNetworkAclEntriesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id),
		UpdateIngressAclEntries: dara.Bool(true), IngressAclEntries: bad})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	// Copy into the other ACL, through the classic SDK.
	cc := classicvpc.CreateCopyNetworkAclEntriesRequest()
	cc.NetworkAclId, cc.SourceNetworkAclId = other, id
	_, err = f.classic.CopyNetworkAclEntries(cc)
	sdktest.OK(t, err)
	f.s.Clock.Advance(2 * time.Second)
	copied := f.acl(t, other).IngressAclEntries.IngressAclEntry
	if len(copied) != 3 || dara.StringValue(copied[0].SourceCidrIp) != "10.0.0.0/8" || dara.StringValue(copied[0].NetworkAclEntryId) == kept {
		t.Errorf("copied ingress: %v", copied)
	}
	cc.SourceNetworkAclId = "nacl-nope"
	_, err = f.classic.CopyNetworkAclEntries(cc)
	sdktest.WantFail(t, err, 404, "InvalidNetworkAclId.NotFound")

	_, err = f.v6.ModifyNetworkAclAttributes(&vpc.ModifyNetworkAclAttributesRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id),
		NetworkAclName: dara.String("renamed"), Description: dara.String("d")})
	sdktest.OK(t, err)
	list, err := f.v6.DescribeNetworkAcls(&vpc.DescribeNetworkAclsRequest{RegionId: dara.String(region), ResourceId: dara.String(f.vsw)})
	sdktest.OK(t, err)
	if dara.StringValue(list.Body.TotalCount) != "1" || dara.StringValue(list.Body.NetworkAcls.NetworkAcl[0].NetworkAclName) != "renamed" {
		t.Errorf("DescribeNetworkAcls ResourceId: %v", list.Body)
	}
	list, err = f.v6.DescribeNetworkAcls(&vpc.DescribeNetworkAclsRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID)})
	sdktest.OK(t, err)
	if dara.StringValue(list.Body.TotalCount) != "2" {
		t.Errorf("DescribeNetworkAcls VpcId: %v", list.Body.TotalCount)
	}
	sdktest.OK(t, f.tag("NETWORKACL", []string{id}, "env", "prod"))

	// Unassociate: UNBINDING, then gone; the vSwitch is free at once.
	sdktest.WantFail(t, f.unbindACL(other, f.vsw), 400, "InvalidVSwitchId.NotBindNetworkAcl")
	sdktest.OK(t, f.unbindACL(id, f.vsw))
	if got := dara.StringValue(f.acl(t, id).Resources.Resource[0].Status); got != "UNBINDING" {
		t.Errorf("unbinding status %s", got)
	}
	f.s.Clock.Advance(2 * time.Second)
	if n := len(f.acl(t, id).Resources.Resource); n != 0 {
		t.Errorf("%d resources after unassociate", n)
	}
	_, err = f.v6.DeleteNetworkAcl(&vpc.DeleteNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	_, err = f.v6.DeleteNetworkAcl(&vpc.DeleteNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteNetworkAcl(&vpc.DeleteNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: dara.String(id)})
	sdktest.WantFail(t, err, 404, "InvalidNetworkAclId.NotFound")
}

func TestNetworkACL_OtherVpc(t *testing.T) {
	f := newNet(t, false)
	otherVpc := createVpc(t, f.v6, "10.0.0.0/16", "other")
	f.s.Clock.Advance(5 * time.Second)
	w := createVSwitch(t, f.v6, otherVpc, f.zone, "10.0.1.0/24", "")
	id := f.createACL(t, "a")
	sdktest.WantFail(t, f.bindACL(id, w), 400, "InvalidVSwitchId.NotBelongToVpc")
	_, err := f.v6.CreateNetworkAcl(&vpc.CreateNetworkAclRequest{RegionId: dara.String(region), VpcId: dara.String("vpc-nope")})
	sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	_, err = f.v6.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(otherVpc)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.VSwitch")
}

// TestNetworkACL_HoldsVpc: a VPC with network ACLs cannot be deleted.
func TestNetworkACL_HoldsVpc(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	id := createVpc(t, c, "10.0.0.0/16", "acl")
	s.Clock.Advance(5 * time.Second)
	resp, err := c.CreateNetworkAcl(&vpc.CreateNetworkAclRequest{RegionId: dara.String(region), VpcId: dara.String(id), ClientToken: dara.String("once")})
	sdktest.OK(t, err)
	again, err := c.CreateNetworkAcl(&vpc.CreateNetworkAclRequest{RegionId: dara.String(region), VpcId: dara.String(id), ClientToken: dara.String("once")})
	sdktest.OK(t, err)
	if dara.StringValue(again.Body.NetworkAclId) != dara.StringValue(resp.Body.NetworkAclId) {
		t.Errorf("ClientToken replay made another ACL")
	}
	_, err = c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.NetworkAcl")
	_, err = c.DeleteNetworkAcl(&vpc.DeleteNetworkAclRequest{RegionId: dara.String(region), NetworkAclId: resp.Body.NetworkAclId})
	sdktest.OK(t, err)
	_, err = c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.OK(t, err)
}
