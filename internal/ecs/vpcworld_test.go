package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// vpcLongTailWorld adds the VPC long tail's kinds to the import world: a
// HaVip associated with the instance, made through ECS 2014-05-26's form of
// the HaVip actions (one implementation with VPC's). It answers the HaVip.
func (e *env) vpcLongTailWorld(t *testing.T, instance string) (havip string) {
	t.Helper()
	cr := classicecs.CreateCreateHaVipRequest()
	cr.VSwitchId, cr.Description = e.vsw, "import"
	h, err := e.classic.CreateHaVip(cr)
	sdktest.OK(t, err)
	ar := classicecs.CreateAssociateHaVipRequest()
	ar.HaVipId, ar.InstanceId = h.HaVipId, instance
	_, err = e.classic.AssociateHaVip(ar)
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
