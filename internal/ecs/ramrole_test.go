package ecs_test

import (
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicram "github.com/aliyun/alibaba-cloud-sdk-go/services/ram"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (e *env) ramRole(t *testing.T, name, trustedService string) {
	t.Helper()
	r := classicram.CreateCreateRoleRequest()
	r.RoleName = name
	r.AssumeRolePolicyDocument = `{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["` + trustedService + `"]}}]}`
	_, err := sdktest.ClassicRAMAs(t, e.s, e.s.AccessKeyID, e.s.AccessKeySecret).CreateRole(r)
	sdktest.OK(t, err)
}

func (e *env) instanceRoles(t *testing.T, ids string) map[string]string {
	t.Helper()
	resp, err := e.v7.DescribeInstanceRamRole(&ecs.DescribeInstanceRamRoleRequest{RegionId: dara.String(region), InstanceIds: dara.String(ids)})
	sdktest.OK(t, err)
	out := map[string]string{}
	for _, s := range resp.Body.InstanceRamRoleSets.InstanceRamRoleSet {
		out[dara.StringValue(s.InstanceId)] = dara.StringValue(s.RamRoleName)
	}
	return out
}

// A RAM role reaches instances through RunInstances and
// AttachInstanceRamRole; ECS refuses a role that is missing or that does
// not trust ecs.aliyuncs.com.
func TestInstanceRamRole(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	e.ramRole(t, "web", "ecs.aliyuncs.com")
	e.ramRole(t, "fc-only", "fc.aliyuncs.com")

	withRole := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.RamRoleName = "web" })
	plain := e.run1(t, nil)
	ids := `["` + withRole + `","` + plain + `"]`
	if got := e.instanceRoles(t, ids); len(got) != 1 || got[withRole] != "web" {
		t.Fatalf("after RunInstances RamRoleName: %v", got)
	}
	_, err := e.v7.AttachInstanceRamRole(&ecs.AttachInstanceRamRoleRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + plain + `"]`), RamRoleName: dara.String("nobody")})
	sdktest.WantFail(t, err, 404, "InvalidRamRole.NotFound")
	_, err = e.v7.AttachInstanceRamRole(&ecs.AttachInstanceRamRoleRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + plain + `"]`), RamRoleName: dara.String("fc-only")})
	sdktest.WantFail(t, err, 400, "InvalidRamRole.NotEcsRole")

	att, err := e.v7.AttachInstanceRamRole(&ecs.AttachInstanceRamRoleRequest{RegionId: dara.String(region), InstanceIds: dara.String(ids), RamRoleName: dara.String("web")})
	sdktest.OK(t, err)
	if dara.Int32Value(att.Body.TotalCount) != 2 || dara.Int32Value(att.Body.FailCount) != 1 {
		t.Fatalf("AttachInstanceRamRole: %v", att.Body)
	}
	if got := e.instanceRoles(t, ids); got[withRole] != "web" || got[plain] != "web" {
		t.Fatalf("after AttachInstanceRamRole: %v", got)
	}
	det := classicecs.CreateDetachInstanceRamRoleRequest()
	det.InstanceIds, det.RamRoleName = `["`+plain+`"]`, "web"
	dr, err := e.classic.DetachInstanceRamRole(det)
	sdktest.OK(t, err)
	if dr.FailCount != 0 || len(dr.DetachInstanceRamRoleResults.DetachInstanceRamRoleResult) != 1 {
		t.Fatalf("DetachInstanceRamRole: %+v", dr)
	}
	if got := e.instanceRoles(t, ids); len(got) != 1 || got[plain] != "" {
		t.Fatalf("after DetachInstanceRamRole: %v", got)
	}
	// RunInstances refuses the same roles, before anything is made.
	for _, c := range []struct {
		role   string
		status int
		code   string
	}{{"nobody", 404, "InvalidRamRole.NotFound"}, {"fc-only", 400, "InvalidRamRole.NotEcsRole"}} {
		r := e.runReq()
		r.RamRoleName = c.role
		_, err := e.classic.RunInstances(r)
		sdktest.WantFail(t, err, c.status, c.code)
	}
	// The role goes with a released instance.
	e.releaseNow(t, deleters[0], withRole)
	_, err = e.v7.DescribeInstanceRamRole(&ecs.DescribeInstanceRamRoleRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + withRole + `"]`)})
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
}

// ramWorld adds a RAM role with a custom policy attached (the global kinds).
func (e *env) ramWorld(t *testing.T) {
	t.Helper()
	e.ramRole(t, "world-role", "ecs.aliyuncs.com")
	c := sdktest.ClassicRAMAs(t, e.s, e.s.AccessKeyID, e.s.AccessKeySecret)
	cp := classicram.CreateCreatePolicyRequest()
	cp.PolicyName, cp.PolicyDocument = "world-policy", `{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}`
	_, err := c.CreatePolicy(cp)
	sdktest.OK(t, err)
	a := classicram.CreateAttachPolicyToRoleRequest()
	a.PolicyType, a.PolicyName, a.RoleName = "Custom", "world-policy", "world-role"
	_, err = c.AttachPolicyToRole(a)
	sdktest.OK(t, err)
}
