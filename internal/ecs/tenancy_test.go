package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// Each access key's account is a tenant: another account's resources are
// not found, exactly as ids of no resource at all.
func TestAccountsAreIsolated(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{MoreKeys: []string{"other:other-secret"}})
	id := e.run1(t, nil)
	other := sdktest.ClassicECSAs(t, e.s, "other", "other-secret")

	all, err := other.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.OK(t, err)
	if all.TotalCount != 0 {
		t.Fatalf("the other tenant sees %d instances", all.TotalCount)
	}
	attr := classicecs.CreateDescribeInstanceAttributeRequest()
	attr.InstanceId = id
	_, err = other.DescribeInstanceAttribute(attr)
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
	del := classicecs.CreateDeleteInstancesRequest()
	del.InstanceId = &[]string{id}
	_, err = other.DeleteInstances(del)
	sdktest.WantFail(t, err, 404, "InvalidInstanceIds.NotFound")
	run := e.runReq() // the first tenant's vSwitch is not the other's
	_, err = other.RunInstances(run)
	sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
	sgs, err := other.DescribeSecurityGroups(classicecs.CreateDescribeSecurityGroupsRequest())
	sdktest.OK(t, err)
	if sgs.TotalCount != 0 {
		t.Fatalf("the other tenant sees %d security groups", sgs.TotalCount)
	}
	e.wantStatus(t, id, "Running")

	wrong := sdktest.ClassicECSAs(t, e.s, "other", "not-the-secret")
	_, err = wrong.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.WantFail(t, err, 400, "SignatureDoesNotMatch")
	unknown := sdktest.ClassicECSAs(t, e.s, "nobody", "x")
	_, err = unknown.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.WantFail(t, err, 404, "InvalidAccessKeyId.NotFound")
}
