package ecs_test

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestPublicIpAddress: allocate needs bandwidth and no address yet;
// DescribeInstances shows it; release frees it, by instance or by address.
func TestPublicIpAddress(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	alloc := func(ip string) (string, error) {
		r := classicecs.CreateAllocatePublicIpAddressRequest()
		r.InstanceId, r.IpAddress = id, ip
		resp, err := e.classic.AllocatePublicIpAddress(r)
		if err != nil {
			return "", err
		}
		return resp.IpAddress, nil
	}
	_, err := alloc("")
	sdktest.WantFail(t, err, 400, "InvalidParameter.Bandwidth")
	sdktest.OK(t, e.modifySpec(id, "", 5, false))
	_, err = alloc("10.1.2.3")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	ip, err := alloc("")
	sdktest.OK(t, err)
	if got := e.instanceOf(t, id).PublicIpAddress.IpAddress; len(got) != 1 || got[0] != ip {
		t.Fatalf("public address %v, allocated %s", got, ip)
	}
	_, err = alloc("")
	sdktest.WantFail(t, err, 403, "AllocatedAlready")

	release := func(inst, ip string, dry bool) error {
		r := classicecs.CreateReleasePublicIpAddressRequest()
		r.InstanceId, r.PublicIpAddress = inst, ip
		if dry {
			r.DryRun = requests.NewBoolean(true)
		}
		_, err := e.classic.ReleasePublicIpAddress(r)
		return err
	}
	sdktest.WantFail(t, release(id, "47.1.1.1", false), 404, "InvalidPublicIpAddress.NotFound")
	sdktest.WantFail(t, release(id, ip, true), 400, "DryRunOperation")
	sdktest.OK(t, release("", ip, false)) // found by the address in the region
	if got := e.instanceOf(t, id).PublicIpAddress.IpAddress; len(got) != 0 {
		t.Fatalf("public address after release %v", got)
	}
	again, err := alloc(ip) // the freed address may be named again
	sdktest.OK(t, err)
	if again != ip {
		t.Fatalf("allocated %s, want %s", again, ip)
	}
}
