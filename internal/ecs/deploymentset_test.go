package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestDeploymentSets_LaunchCapacityRelease(t *testing.T) {
	e := newEnv(t, realistic())
	cr := classicecs.CreateCreateDeploymentSetRequest()
	cr.DeploymentSetName, cr.ClientToken = "spread", "ds-tok"
	created, err := e.classic.CreateDeploymentSet(cr)
	sdktest.OK(t, err)
	again, err := e.classic.CreateDeploymentSet(cr)
	sdktest.OK(t, err)
	if again.DeploymentSetId != created.DeploymentSetId {
		t.Fatalf("ClientToken: %s then %s", created.DeploymentSetId, again.DeploymentSetId)
	}
	ds := created.DeploymentSetId

	members := func() []string {
		t.Helper()
		resp, err := e.v7.DescribeDeploymentSets(&ecs.DescribeDeploymentSetsRequest{RegionId: dara.String("cn-hangzhou"),
			DeploymentSetIds: dara.String(`["` + ds + `"]`)})
		sdktest.OK(t, err)
		if n := len(resp.Body.DeploymentSets.DeploymentSet); n != 1 {
			t.Fatalf("%d sets", n)
		}
		return dara.StringSliceValue(resp.Body.DeploymentSets.DeploymentSet[0].InstanceIds.InstanceId)
	}
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.DeploymentSetId, r.Amount = ds, requests.NewInteger(18) })
	if got := members(); len(got) != 18 {
		t.Fatalf("members %d", len(got))
	}
	dr := classicecs.CreateDescribeInstancesRequest()
	dr.InstanceIds = `["` + ids[0] + `"]`
	insts, err := e.classic.DescribeInstances(dr)
	sdktest.OK(t, err)
	if insts.Instances.Instance[0].DeploymentSetId != ds {
		t.Fatalf("DeploymentSetId %q", insts.Instances.Instance[0].DeploymentSetId)
	}
	// 18 + 3 exceeds the zone's 20: nothing is made.
	r := e.runReq()
	r.DeploymentSetId, r.Amount = ds, requests.NewInteger(3)
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusForbidden, "QuotaExceed.DeploymentSetInstanceQuotaFull")
	if got := members(); len(got) != 18 {
		t.Fatalf("members after the refused launch %d", len(got))
	}
	r = e.runReq()
	r.DeploymentSetId = "ds-missing"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidDeploymentSetId.NotFound")

	// Refused while it holds instances; release takes them out.
	_, err = e.v7.DeleteDeploymentSet(&ecs.DeleteDeploymentSetRequest{RegionId: dara.String("cn-hangzhou"), DeploymentSetId: dara.String(ds)})
	sdktest.WantFail(t, err, http.StatusForbidden, "DependencyViolation.Instance")
	del := classicecs.CreateDeleteInstancesRequest()
	del.InstanceId, del.Force = &ids, "true"
	_, err = e.classic.DeleteInstances(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	if got := members(); len(got) != 0 {
		t.Fatalf("members after release %v", got)
	}

	// ModifyInstanceDeployment moves a running instance in and out.
	solo := e.run1(t, nil)
	mi := classicecs.CreateModifyInstanceDeploymentRequest()
	mi.InstanceId, mi.DeploymentSetId = solo, ds
	_, err = e.classic.ModifyInstanceDeployment(mi)
	sdktest.OK(t, err)
	if got := members(); len(got) != 1 || got[0] != solo {
		t.Fatalf("after move %v", got)
	}
	_, err = e.v7.ModifyInstanceDeployment(&ecs.ModifyInstanceDeploymentRequest{RegionId: dara.String("cn-hangzhou"),
		InstanceId: dara.String(solo), RemoveFromDeploymentSet: dara.Bool(true)})
	sdktest.OK(t, err)
	if got := members(); len(got) != 0 {
		t.Fatalf("after removal %v", got)
	}
	_, err = e.v7.ModifyDeploymentSetAttribute(&ecs.ModifyDeploymentSetAttributeRequest{RegionId: dara.String("cn-hangzhou"),
		DeploymentSetId: dara.String(ds), DeploymentSetName: dara.String("renamed"), Description: dara.String("d")})
	sdktest.OK(t, err)
	byName := classicecs.CreateDescribeDeploymentSetsRequest()
	byName.DeploymentSetName = "renamed"
	named, err := e.classic.DescribeDeploymentSets(byName)
	sdktest.OK(t, err)
	if named.TotalCount != 1 || named.DeploymentSets.DeploymentSet[0].DeploymentSetDescription != "d" {
		t.Fatalf("by name: %+v", named.DeploymentSets)
	}
	_, err = e.v7.DeleteDeploymentSet(&ecs.DeleteDeploymentSetRequest{RegionId: dara.String("cn-hangzhou"), DeploymentSetId: dara.String(ds)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteDeploymentSet(&ecs.DeleteDeploymentSetRequest{RegionId: dara.String("cn-hangzhou"), DeploymentSetId: dara.String(ds)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidDeploymentSetId.NotFound")
}
