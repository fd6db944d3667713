package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// vpcLongTailWorld adds the VPC long tail's kinds to the import world: a
// HaVip associated with the instance, made through ECS 2014-05-26's form of
// the HaVip actions (one implementation with VPC's), a network ACL on the
// vSwitch and a DHCP options set on the VPC and a
// CIDR reservation in the vSwitch. It answers the HaVip.
func (e *env) vpcLongTailWorld(t *testing.T, instance string) (havip string) {
	t.Helper()
	nr := classicvpc.CreateCreateNetworkAclRequest()
	nr.VpcId, nr.NetworkAclName = e.vpcID, "import"
	acl, err := e.vpc.CreateNetworkAcl(nr)
	sdktest.OK(t, err)
	br := classicvpc.CreateAssociateNetworkAclRequest()
	br.NetworkAclId, br.Resource = acl.NetworkAclId, &[]classicvpc.AssociateNetworkAclResource{{ResourceId: e.vsw, ResourceType: "VSwitch"}}
	_, err = e.vpc.AssociateNetworkAcl(br)
	sdktest.OK(t, err)
	dr := classicvpc.CreateCreateDhcpOptionsSetRequest()
	dr.DomainName = "import.example"
	set, err := e.vpc.CreateDhcpOptionsSet(dr)
	sdktest.OK(t, err)
	ar := classicvpc.CreateAttachDhcpOptionsSetToVpcRequest()
	ar.DhcpOptionsSetId, ar.VpcId = set.DhcpOptionsSetId, e.vpcID
	_, err = e.vpc.AttachDhcpOptionsSetToVpc(ar)
	sdktest.OK(t, err)
	rr := classicvpc.CreateCreateVSwitchCidrReservationRequest()
	rr.VSwitchId, rr.VSwitchCidrReservationMask = e.vsw, "28"
	_, err = e.vpc.CreateVSwitchCidrReservation(rr)
	sdktest.OK(t, err)
	cr := classicecs.CreateCreateHaVipRequest()
	cr.VSwitchId, cr.Description = e.vsw, "import"
	h, err := e.classic.CreateHaVip(cr)
	sdktest.OK(t, err)
	hr := classicecs.CreateAssociateHaVipRequest()
	hr.HaVipId, hr.InstanceId = h.HaVipId, instance
	_, err = e.classic.AssociateHaVip(hr)
	sdktest.OK(t, err)
	return h.HaVipId
}

// haVipAssociations answers a HaVip's status and associated instances
// through ECS's DescribeHaVips.
func (e *env) haVipAssociations(t *testing.T, id string) (status string, associated []string) {
	t.Helper()
	r := classicecs.CreateDescribeHaVipsRequest()
	r.Filter = &[]classicecs.DescribeHaVipsFilter{{Key: "HaVipId", Value: &[]string{id}}}
	resp, err := e.classic.DescribeHaVips(r)
	sdktest.OK(t, err)
	if len(resp.HaVips.HaVip) != 1 {
		t.Fatalf("DescribeHaVips %s: %d HaVips", id, len(resp.HaVips.HaVip))
	}
	h := resp.HaVips.HaVip[0]
	return h.Status, h.AssociatedInstances.AssociatedInstance
}
