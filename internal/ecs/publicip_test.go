package ecs_test

import (
	"net/netip"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// create makes one instance with CreateInstance (it ends Stopped) and
// waits until it is.
func (e *env) create(t *testing.T, bandwidth int) string {
	t.Helper()
	r := classicecs.CreateCreateInstanceRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = image, itype, e.vsw, e.sg
	if bandwidth > 0 {
		r.InternetMaxBandwidthOut = requests.NewInteger(bandwidth)
	}
	resp, err := e.classic.CreateInstance(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, resp.InstanceId, "Stopped")
	return resp.InstanceId
}

// publicIPs is the instance's PublicIpAddress list as DescribeInstances shows it.
func (e *env) publicIPs(t *testing.T, id string) []string {
	t.Helper()
	r := classicecs.CreateDescribeInstancesRequest()
	r.InstanceIds = `["` + id + `"]`
	resp, err := e.classic.DescribeInstances(r)
	sdktest.OK(t, err)
	return resp.Instances.Instance[0].PublicIpAddress.IpAddress
}

func (e *env) allocatePublicIP(id, ip string) (string, error) {
	r := classicecs.CreateAllocatePublicIpAddressRequest()
	r.InstanceId, r.IpAddress = id, ip
	resp, err := e.classic.AllocatePublicIpAddress(r)
	if err != nil {
		return "", err
	}
	return resp.IpAddress, nil
}

func TestAllocatePublicIpAddress(t *testing.T) {
	e := newEnv(t, realistic())
	// CreateInstance gives no public IP, even with bandwidth: that is
	// AllocatePublicIpAddress' work (RunInstances gives one at launch).
	id := e.create(t, 5)
	if ips := e.publicIPs(t, id); len(ips) != 0 {
		t.Fatalf("CreateInstance gave a public IP: %v", ips)
	}
	ip, err := e.allocatePublicIP(id, "")
	sdktest.OK(t, err)
	if addr, err := netip.ParseAddr(ip); err != nil || !netip.MustParsePrefix("47.96.0.0/16").Contains(addr) {
		t.Fatalf("public IP %q is not of the pool", ip)
	}
	if ips := e.publicIPs(t, id); len(ips) != 1 || ips[0] != ip {
		t.Fatalf("DescribeInstances shows %v, want %s", ips, ip)
	}
	byIP, err := e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), PublicIpAddresses: dara.String(`["` + ip + `"]`)})
	sdktest.OK(t, err)
	if dara.Int32Value(byIP.Body.TotalCount) != 1 {
		t.Fatalf("PublicIpAddresses filter found %d", dara.Int32Value(byIP.Body.TotalCount))
	}
	// Asked again it answers the address the instance has; naming another
	// one is AllocatedAlready.
	again, err := e.allocatePublicIP(id, "")
	sdktest.OK(t, err)
	if again != ip {
		t.Fatalf("second allocation %s, want %s", again, ip)
	}
	_, err = e.allocatePublicIP(id, "47.96.200.200")
	sdktest.WantFail(t, err, 403, "AllocatedAlready")

	// A chosen address: of the pool and free.
	other := e.create(t, 10)
	_, err = e.allocatePublicIP(other, ip)
	sdktest.WantFail(t, err, 403, "IpInUse")
	_, err = e.allocatePublicIP(other, "8.8.8.8")
	sdktest.WantFail(t, err, 404, "InvalidIpAddress.NotFound")
	chosen, err := e.allocatePublicIP(other, "47.96.7.9")
	sdktest.OK(t, err)
	if chosen != "47.96.7.9" {
		t.Fatalf("chosen address answered as %s", chosen)
	}

	// The refusals, in the order of the reference's error table.
	noBandwidth := e.create(t, 0)
	_, err = e.allocatePublicIP(noBandwidth, "")
	sdktest.WantFail(t, err, 400, "AllocateIpInvalidInstanceBandwidth")
	_, err = e.allocatePublicIP("i-bp1doesnotexist000", "")
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
	_, err = e.allocatePublicIP(id, "not-an-ip")
	sdktest.WantFail(t, err, 400, "InvalidIpAddress.Malformed")
	_, err = e.allocatePublicIP("", "")
	sdktest.WantFail(t, err, 400, "MissingParameter")
	vlan := classicecs.CreateAllocatePublicIpAddressRequest()
	vlan.InstanceId, vlan.VlanId = id, "100"
	_, err = e.classic.AllocatePublicIpAddress(vlan)
	sdktest.WantFail(t, err, 404, "InvalidVlanId.NotFound")

	starting := e.create(t, 5)
	start := classicecs.CreateStartInstanceRequest()
	start.InstanceId = starting
	_, err = e.classic.StartInstance(start)
	sdktest.OK(t, err)
	_, err = e.allocatePublicIP(starting, "")
	sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, starting, "Running")

	e.s.Locks.Add(starting, "security")
	_, err = e.allocatePublicIP(starting, "")
	sdktest.WantFail(t, err, 403, "InstanceLockedForSecurity")
	e.s.Locks.Remove(starting, "security")

	// An instance with an EIP gets no static public IP.
	al, err := e.vpc.AllocateEipAddress(classicvpc.CreateAllocateEipAddressRequest())
	sdktest.OK(t, err)
	as := classicvpc.CreateAssociateEipAddressRequest()
	as.AllocationId, as.InstanceId = al.AllocationId, starting
	_, err = e.vpc.AssociateEipAddress(as)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	_, err = e.allocatePublicIP(starting, "")
	sdktest.WantFail(t, err, 400, "OperationDenied")
	if ips := e.publicIPs(t, starting); len(ips) != 0 {
		t.Fatalf("a refused allocation left %v", ips)
	}
}

func TestReleasePublicIpAddress(t *testing.T) {
	e := newEnv(t, realistic())
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.InternetMaxBandwidthOut = requests.NewInteger(5) })
	ips := e.publicIPs(t, id)
	if len(ips) != 1 {
		t.Fatalf("RunInstances with bandwidth gave %v", ips)
	}
	ip := ips[0]
	release := func(instance, addr string, dry bool) error {
		_, err := e.v7.ReleasePublicIpAddress(&ecs.ReleasePublicIpAddressRequest{RegionId: dara.String(region),
			InstanceId: dara.String(instance), PublicIpAddress: dara.String(addr), DryRun: dara.Bool(dry)})
		return err
	}
	sdktest.WantFail(t, release(id, "", false), 400, "MissingParameter")
	sdktest.WantFail(t, release("", "47.96.1.1", false), 400, "InvalidIpAddress.NotFound")
	sdktest.WantFail(t, release(id, "47.96.1.1", false), 400, "InvalidIpAddress.NotFound")
	sdktest.WantFail(t, release("i-bp1doesnotexist000", ip, false), 404, "InvalidInstanceId.NotFound")

	reboot := classicecs.CreateRebootInstanceRequest()
	reboot.InstanceId = id
	_, err := e.classic.RebootInstance(reboot)
	sdktest.OK(t, err)
	sdktest.WantFail(t, release(id, ip, false), 403, "IncorrectInstanceStatus")
	e.s.Clock.Advance(30 * time.Second)
	e.wantStatus(t, id, "Running")

	sdktest.WantFail(t, release(id, ip, true), 400, "DryRunOperation")
	if got := e.publicIPs(t, id); len(got) != 1 {
		t.Fatalf("a dry run released the address: %v", got)
	}
	// Found by the address alone; the address is free again afterwards.
	sdktest.OK(t, release("", ip, false))
	if got := e.publicIPs(t, id); len(got) != 0 {
		t.Fatalf("released, DescribeInstances still shows %v", got)
	}
	sdktest.WantFail(t, release(id, ip, false), 400, "InvalidIpAddress.NotFound")
	other := e.create(t, 5)
	again, err := e.allocatePublicIP(other, ip)
	sdktest.OK(t, err)
	if again != ip {
		t.Fatalf("the freed address went to %s", again)
	}
	// And the first instance can have one again.
	_, err = e.allocatePublicIP(id, "")
	sdktest.OK(t, err)
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
