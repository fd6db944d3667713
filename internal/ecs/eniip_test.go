package ecs_test

import (
	"slices"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// eniIPs lists an ENI's private addresses as DescribeNetworkInterfaces
// shows them, the primary first.
func (e *env) eniIPs(t *testing.T, id string) []string {
	t.Helper()
	resp, err := e.v7.DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{
		RegionId: dara.String(region), NetworkInterfaceId: []*string{dara.String(id)},
	})
	sdktest.OK(t, err)
	sets := resp.Body.NetworkInterfaceSets.NetworkInterfaceSet
	if len(sets) != 1 {
		t.Fatalf("DescribeNetworkInterfaces %s: %d answers", id, len(sets))
	}
	var out []string
	for i, p := range sets[0].PrivateIpSets.PrivateIpSet {
		if dara.BoolValue(p.Primary) != (i == 0) {
			t.Fatalf("%s: address %d Primary=%v", id, i, dara.BoolValue(p.Primary))
		}
		out = append(out, dara.StringValue(p.PrivateIpAddress))
	}
	return out
}

func (e *env) assignIPs(eni string, count int, ips ...string) ([]string, error) {
	req := &ecs.AssignPrivateIpAddressesRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni)}
	if count > 0 {
		req.SecondaryPrivateIpAddressCount = dara.Int32(int32(count))
	}
	for _, ip := range ips {
		req.PrivateIpAddress = append(req.PrivateIpAddress, dara.String(ip))
	}
	resp, err := e.v7.AssignPrivateIpAddresses(req)
	if err != nil {
		return nil, err
	}
	return dara.StringSliceValue(resp.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress), nil
}

func (e *env) unassignIPs(eni string, ips ...string) error {
	req := classicecs.CreateUnassignPrivateIpAddressesRequest()
	req.NetworkInterfaceId = eni
	req.PrivateIpAddress = &ips
	_, err := e.classic.UnassignPrivateIpAddresses(req)
	return err
}

func (e *env) createENI(t *testing.T, ip string) (string, error) {
	t.Helper()
	req := classicecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId, req.SecurityGroupId, req.PrimaryIpAddress = e.vsw, e.sg, ip
	resp, err := e.classic.CreateNetworkInterface(req)
	if err != nil {
		return "", err
	}
	return resp.NetworkInterfaceId, nil
}

// TestAssignPrivateIpAddresses: secondary addresses by count and by name,
// shown by DescribeNetworkInterfaces and DescribeInstances, refused when in
// use, out of the block or over the limit; unassigned ones come back.
func TestAssignPrivateIpAddresses(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	eni, err := e.createENI(t, "")
	sdktest.OK(t, err)
	got, err := e.assignIPs(eni, 2)
	sdktest.OK(t, err)
	if len(got) != 2 {
		t.Fatalf("assigned %v", got)
	}
	_, err = e.assignIPs(eni, 0, "192.168.1.200")
	sdktest.OK(t, err)
	ips := e.eniIPs(t, eni)
	if want := append(got, "192.168.1.200"); len(ips) != 4 || !slices.Equal(ips[1:], want) {
		t.Fatalf("addresses %v, want primary then %v", ips, want)
	}

	// Refusals: in use (as a primary or a secondary), outside the block, both forms, neither, unknown ENI.
	_, err = e.assignIPs(eni, 0, ips[0])
	sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
	_, err = e.createENI(t, "192.168.1.200")
	sdktest.WantFail(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
	_, err = e.assignIPs(eni, 0, "10.0.0.5")
	sdktest.WantFail(t, err, 403, "InvalidVSwitchId.IpInvalid")
	_, err = e.assignIPs(eni, 1, "192.168.1.201")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = e.assignIPs(eni, 0)
	sdktest.WantFail(t, err, 400, "MissingParameter")
	_, err = e.assignIPs("eni-nothere", 1)
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
	if after := e.eniIPs(t, eni); !slices.Equal(after, ips) {
		t.Fatalf("a refused call changed the addresses: %v", after)
	}

	// Unassign: only the ENI's secondary addresses; a freed one is free again.
	sdktest.WantFail(t, e.unassignIPs(eni, ips[0]), 403, "InvalidIp.IpUnassigned")
	sdktest.WantFail(t, e.unassignIPs(eni, "192.168.1.200", "192.168.1.250"), 403, "InvalidIp.IpUnassigned")
	sdktest.OK(t, e.unassignIPs(eni, "192.168.1.200"))
	if after := e.eniIPs(t, eni); len(after) != 3 || slices.Contains(after, "192.168.1.200") {
		t.Fatalf("after unassign: %v", after)
	}
	_, err = e.createENI(t, "192.168.1.200")
	sdktest.OK(t, err)
	sdktest.WantFail(t, e.unassignIPs(eni), 400, "MissingParameter")

	// A ClientToken answers a repeated call with the first answer.
	tok := &ecs.AssignPrivateIpAddressesRequest{RegionId: dara.String(region), NetworkInterfaceId: dara.String(eni),
		SecondaryPrivateIpAddressCount: dara.Int32(1), ClientToken: dara.String("tok-1")}
	first, err := e.v7.AssignPrivateIpAddresses(tok)
	sdktest.OK(t, err)
	again, err := e.v7.AssignPrivateIpAddresses(tok)
	sdktest.OK(t, err)
	if a, b := dara.StringSliceValue(first.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress), dara.StringSliceValue(again.Body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress); !slices.Equal(a, b) || len(e.eniIPs(t, eni)) != 4 {
		t.Fatalf("replayed assign: %v then %v, ENI has %v", a, b, e.eniIPs(t, eni))
	}

	// Deleting an ENI frees its secondary addresses.
	del := classicecs.CreateDeleteNetworkInterfaceRequest()
	del.NetworkInterfaceId = eni
	_, err = e.classic.DeleteNetworkInterface(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	_, err = e.createENI(t, got[0])
	sdktest.OK(t, err)
}

// TestAssignPrivateIpAddresses_Instance: an attached ENI holds what its
// instance type allows (ecs.g7.large: 6 addresses per ENI, the primary
// included); DescribeInstances shows them; releasing the instance frees
// the primary ENI's secondary addresses.
func TestAssignPrivateIpAddresses_Instance(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	inst := e.run1(t, nil)
	pr := classicecs.CreateDescribeNetworkInterfacesRequest()
	pr.InstanceId, pr.Type = inst, "Primary"
	presp, err := e.classic.DescribeNetworkInterfaces(pr)
	sdktest.OK(t, err)
	eni := presp.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId
	got, err := e.assignIPs(eni, 5)
	sdktest.OK(t, err)
	_, err = e.assignIPs(eni, 1)
	sdktest.WantFail(t, err, 403, "InvalidOperation.Ipv4CountExceeded")

	d := classicecs.CreateDescribeInstancesRequest()
	d.InstanceIds = `["` + inst + `"]`
	dresp, err := e.classic.DescribeInstances(d)
	sdktest.OK(t, err)
	nics := dresp.Instances.Instance[0].NetworkInterfaces.NetworkInterface
	if len(nics) != 1 || len(nics[0].PrivateIpSets.PrivateIpSet) != 6 || !nics[0].PrivateIpSets.PrivateIpSet[0].Primary {
		t.Fatalf("DescribeInstances NetworkInterfaces: %+v", nics)
	}

	rel := classicecs.CreateDeleteInstancesRequest()
	rel.InstanceId, rel.Force = &[]string{inst}, requests.NewBoolean(true)
	_, err = e.classic.DeleteInstances(rel)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	e.wantStatus(t, inst, "")
	for _, ip := range got {
		_, err = e.createENI(t, ip)
		sdktest.OK(t, err)
	}
}
