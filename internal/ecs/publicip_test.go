package ecs_test

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

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

// TestConvertNatPublicIpToEip: the public address becomes an EIP of the
// same address, associated with the instance; released with the instance,
// the EIP stays, Available.
func TestConvertNatPublicIpToEip(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.InternetMaxBandwidthOut = "5" })
	conv := func() error {
		r := classicecs.CreateConvertNatPublicIpToEipRequest()
		r.InstanceId = id
		_, err := e.classic.ConvertNatPublicIpToEip(r)
		return err
	}
	ip := e.instanceOf(t, id).PublicIpAddress.IpAddress
	if len(ip) != 1 {
		r := classicecs.CreateAllocatePublicIpAddressRequest()
		r.InstanceId = id
		resp, err := e.classic.AllocatePublicIpAddress(r)
		sdktest.OK(t, err)
		ip = []string{resp.IpAddress}
	}
	sdktest.OK(t, conv())
	got := e.instanceOf(t, id)
	if len(got.PublicIpAddress.IpAddress) != 0 || got.EipAddress.IpAddress != ip[0] || got.EipAddress.Bandwidth != 5 {
		t.Fatalf("after conversion: public %v, EIP %+v", got.PublicIpAddress.IpAddress, got.EipAddress)
	}
	d := classicvpc.CreateDescribeEipAddressesRequest()
	d.EipAddress = ip[0]
	eips, err := e.vpc.DescribeEipAddresses(d)
	sdktest.OK(t, err)
	if len(eips.EipAddresses.EipAddress) != 1 || eips.EipAddresses.EipAddress[0].Status != "InUse" || eips.EipAddresses.EipAddress[0].InstanceId != id {
		t.Fatalf("EIPs %+v", eips.EipAddresses)
	}
	sdktest.WantFail(t, conv(), 404, "InvalidPublicIpAddress.NotFound")
	rel := classicecs.CreateDeleteInstancesRequest()
	rel.InstanceId, rel.Force = &[]string{id}, requests.NewBoolean(true)
	_, err = e.classic.DeleteInstances(rel)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	eips, err = e.vpc.DescribeEipAddresses(d)
	sdktest.OK(t, err)
	if len(eips.EipAddresses.EipAddress) != 1 || eips.EipAddresses.EipAddress[0].Status != "Available" {
		t.Fatalf("EIP after release %+v", eips.EipAddresses)
	}
}
