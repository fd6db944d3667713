package ecs_test

import (
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestENIPermissions: grant, list, revoke; a permission goes with its ENI,
// deleted or released with an instance.
func TestENIPermissions(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	eni, err := e.createENI(t, "")
	sdktest.OK(t, err)
	grant := func(eni string, account int64, perm string) (string, error) {
		resp, err := e.v7.CreateNetworkInterfacePermission(&ecs.CreateNetworkInterfacePermissionRequest{RegionId: dara.String(region),
			NetworkInterfaceId: dara.String(eni), AccountId: dara.Int64(account), Permission: dara.String(perm)})
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.NetworkInterfacePermission.NetworkInterfacePermissionId), nil
	}
	list := func(eni string) map[string]string {
		resp, err := e.v7.DescribeNetworkInterfacePermissions(&ecs.DescribeNetworkInterfacePermissionsRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)})
		sdktest.OK(t, err)
		out := map[string]string{}
		for _, p := range resp.Body.NetworkInterfacePermissions.NetworkInterfacePermission {
			out[dara.StringValue(p.NetworkInterfacePermissionId)] = dara.StringValue(p.PermissionState)
		}
		return out
	}
	id, err := grant(eni, 1234567890123456, "InstanceAttach")
	sdktest.OK(t, err)
	if got := list(eni); got[id] != "Granted" || len(got) != 1 {
		t.Fatalf("permissions %v", got)
	}
	_, err = grant(eni, 1234567890123456, "InstanceAttach")
	sdktest.WantFail(t, err, 403, "InvalidOperation.PermissionExists")
	_, err = grant(eni, 1234567890123456, "Everything")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = grant("eni-nothere", 1234567890123456, "InstanceAttach")
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
	inst := e.run1(t, nil)
	primary := e.instanceOf(t, inst).NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
	_, err = grant(primary, 1234567890123456, "InstanceAttach")
	sdktest.WantFail(t, err, 403, "InvalidOperation.InvalidEniType")

	revoke := func(id string) error {
		_, err := e.v7.DeleteNetworkInterfacePermission(&ecs.DeleteNetworkInterfacePermissionRequest{RegionId: dara.String(region), NetworkInterfacePermissionId: dara.String(id)})
		return err
	}
	sdktest.OK(t, revoke(id))
	if got := list(eni); got[id] != "Revoked" {
		t.Fatalf("after revoke %v", got)
	}
	sdktest.WantFail(t, revoke(id), 403, "InvalidOperation.InvalidPermissionState")
	sdktest.WantFail(t, revoke("eni-perm-nothere"), 404, "InvalidNetworkInterfacePermissionId.NotFound")
	_, err = grant(eni, 1234567890123456, "InstanceAttach") // a revoked permission does not block a new grant
	sdktest.OK(t, err)

	// Deleting the ENI takes its permissions along.
	del := classicecs.CreateDeleteNetworkInterfaceRequest()
	del.NetworkInterfaceId = eni
	_, err = e.classic.DeleteNetworkInterface(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	if got := list(eni); len(got) != 0 {
		t.Fatalf("permissions of a deleted ENI %v", got)
	}

	// Releasing an instance takes those of the ENIs it releases.
	other, err := e.createENI(t, "")
	sdktest.OK(t, err)
	at := classicecs.CreateAttachNetworkInterfaceRequest()
	at.NetworkInterfaceId, at.InstanceId = other, inst
	_, err = e.classic.AttachNetworkInterface(at)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	pid, err := grant(other, 1234567890123456, "InstanceAttach")
	sdktest.OK(t, err)
	rel := classicecs.CreateDeleteInstancesRequest()
	rel.InstanceId, rel.Force = &[]string{inst}, requests.NewBoolean(true)
	_, err = e.classic.DeleteInstances(rel)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	e.wantStatus(t, inst, "")
	resp, err := e.v7.DescribeNetworkInterfacePermissions(&ecs.DescribeNetworkInterfacePermissionsRequest{RegionId: dara.String(region), NetworkInterfacePermissionId: []*string{dara.String(pid)}})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 0 {
		t.Fatalf("permission of a released ENI still listed: %d", n)
	}
}

// grantENI grants another account an ENI and answers the permission id.
func (e *env) grantENI(t *testing.T, eni string) string {
	t.Helper()
	resp, err := e.v7.CreateNetworkInterfacePermission(&ecs.CreateNetworkInterfacePermissionRequest{RegionId: dara.String(region),
		NetworkInterfaceId: dara.String(eni), AccountId: dara.Int64(1234567890123456), Permission: dara.String("InstanceAttach")})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.NetworkInterfacePermission.NetworkInterfacePermissionId)
}
