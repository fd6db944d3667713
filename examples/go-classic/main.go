// Command go-classic provisions a VPC, a vSwitch, a security group and one
// instance with a kept data disk through the classic Alibaba Cloud Go SDK
// (github.com/aliyun/alibaba-cloud-sdk-go, v1 HMAC-SHA1 signatures),
// releases the instance with DeleteInstances, and checks what is left:
// the data disk Available and detached, the system disk gone; last, that
// an official action ecslocal does not implement answers NotImplemented.
//
//	ECSLOCAL_ENDPOINT=127.0.0.1:8790 go run .
//
// It exits non-zero, saying why, on any mismatch.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

const (
	region       = "cn-hangzhou"
	image        = "aliyun_3_x64_20G_alibase_20240528.vhd"
	instanceType = "ecs.g7.large"
	pollEvery    = 200 * time.Millisecond
	pollFor      = 30 * time.Second
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go-classic: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("go-classic: OK")
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() error {
	endpoint := getenv("ECSLOCAL_ENDPOINT", "127.0.0.1:8790") // host:port, no scheme
	cred := credentials.NewAccessKeyCredential(
		getenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "test"),
		getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "test"))
	// Plain HTTP, and no automatic retries: every call is made exactly once.
	config := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false)

	ecsClient, err := ecs.NewClientWithOptions(region, config, cred)
	if err != nil {
		return err
	}
	ecsClient.Domain = endpoint
	vpcClient, err := vpc.NewClientWithOptions(region, config, cred)
	if err != nil {
		return err
	}
	vpcClient.Domain = endpoint

	// VPC (VPC API 2016-04-28), then wait until it is Available.
	cv := vpc.CreateCreateVpcRequest()
	cv.CidrBlock = "192.168.0.0/16"
	vr, err := vpcClient.CreateVpc(cv)
	if err != nil {
		return fmt.Errorf("CreateVpc: %w", err)
	}
	vpcID := vr.VpcId
	fmt.Println("vpc", vpcID)
	if err := poll("VPC "+vpcID+" Available", func() (bool, error) {
		r := vpc.CreateDescribeVpcsRequest()
		r.VpcId = vpcID
		resp, err := vpcClient.DescribeVpcs(r)
		if err != nil {
			return false, fmt.Errorf("DescribeVpcs: %w", err)
		}
		return len(resp.Vpcs.Vpc) == 1 && resp.Vpcs.Vpc[0].Status == "Available", nil
	}); err != nil {
		return err
	}

	// A zone that offers the instance type.
	zones, err := ecsClient.DescribeZones(ecs.CreateDescribeZonesRequest())
	if err != nil {
		return fmt.Errorf("DescribeZones: %w", err)
	}
	zone := ""
	for _, z := range zones.Zones.Zone {
		for _, t := range z.AvailableInstanceTypes.InstanceTypes {
			if t == instanceType && zone == "" {
				zone = z.ZoneId
			}
		}
	}
	if zone == "" {
		return fmt.Errorf("DescribeZones: no zone of %s offers %s", region, instanceType)
	}
	fmt.Println("zone", zone)

	// vSwitch, then wait until it is Available.
	cs := vpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = vpcID, zone, "192.168.1.0/24"
	sr, err := vpcClient.CreateVSwitch(cs)
	if err != nil {
		return fmt.Errorf("CreateVSwitch: %w", err)
	}
	vswID := sr.VSwitchId
	fmt.Println("vswitch", vswID)
	if err := poll("vSwitch "+vswID+" Available", func() (bool, error) {
		r := vpc.CreateDescribeVSwitchesRequest()
		r.VSwitchId = vswID
		resp, err := vpcClient.DescribeVSwitches(r)
		if err != nil {
			return false, fmt.Errorf("DescribeVSwitches: %w", err)
		}
		return len(resp.VSwitches.VSwitch) == 1 && resp.VSwitches.VSwitch[0].Status == "Available", nil
	}); err != nil {
		return err
	}

	// Security group (ECS API).
	cg := ecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = vpcID
	gr, err := ecsClient.CreateSecurityGroup(cg)
	if err != nil {
		return fmt.Errorf("CreateSecurityGroup: %w", err)
	}
	sgID := gr.SecurityGroupId
	fmt.Println("security group", sgID)

	// One instance with a 40 GiB data disk that outlives it.
	ri := ecs.CreateRunInstancesRequest()
	ri.ImageId, ri.InstanceType = image, instanceType
	ri.VSwitchId, ri.SecurityGroupId = vswID, sgID
	ri.Amount = requests.NewInteger(1)
	ri.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", Category: "cloud_essd", DeleteWithInstance: "false"}}
	rr, err := ecsClient.RunInstances(ri)
	if err != nil {
		return fmt.Errorf("RunInstances: %w", err)
	}
	if n := len(rr.InstanceIdSets.InstanceIdSet); n != 1 {
		return fmt.Errorf("RunInstances: %d instance ids, want 1", n)
	}
	id := rr.InstanceIdSets.InstanceIdSet[0]
	fmt.Println("instance", id)

	describe := func() ([]ecs.Instance, error) {
		r := ecs.CreateDescribeInstancesRequest()
		r.InstanceIds = `["` + id + `"]`
		resp, err := ecsClient.DescribeInstances(r)
		if err != nil {
			return nil, fmt.Errorf("DescribeInstances: %w", err)
		}
		return resp.Instances.Instance, nil
	}
	if err := poll("instance "+id+" Running", func() (bool, error) {
		in, err := describe()
		return len(in) == 1 && in[0].Status == "Running", err
	}); err != nil {
		return err
	}
	fmt.Println("instance", id, "Running")

	// Its disks: one system disk, one data disk as asked.
	dr := ecs.CreateDescribeDisksRequest()
	dr.InstanceId = id
	disks, err := ecsClient.DescribeDisks(dr)
	if err != nil {
		return fmt.Errorf("DescribeDisks(InstanceId): %w", err)
	}
	var systemDisk, dataDisk string
	for _, d := range disks.Disks.Disk {
		switch d.Type {
		case "system":
			systemDisk = d.DiskId
		case "data":
			if d.Size != 40 || d.Category != "cloud_essd" || d.DeleteWithInstance {
				return fmt.Errorf("data disk %s: Size %d Category %s DeleteWithInstance %t, want 40 cloud_essd false",
					d.DiskId, d.Size, d.Category, d.DeleteWithInstance)
			}
			dataDisk = d.DiskId
		}
	}
	if len(disks.Disks.Disk) != 2 || systemDisk == "" || dataDisk == "" {
		return fmt.Errorf("DescribeDisks(InstanceId=%s): %d disks (system %q, data %q), want one system and one data disk",
			id, len(disks.Disks.Disk), systemDisk, dataDisk)
	}
	fmt.Println("system disk", systemDisk, "data disk", dataDisk)

	// Release it, and wait until DescribeInstances no longer lists it.
	del := ecs.CreateDeleteInstancesRequest()
	del.InstanceId = &[]string{id}
	del.Force = requests.NewBoolean(true)
	if _, err := ecsClient.DeleteInstances(del); err != nil {
		return fmt.Errorf("DeleteInstances: %w", err)
	}
	if err := poll("instance "+id+" gone", func() (bool, error) {
		in, err := describe()
		return len(in) == 0, err
	}); err != nil {
		return err
	}
	fmt.Println("instance", id, "released")

	// What is left: the data disk, Available and detached; no system disk.
	dr = ecs.CreateDescribeDisksRequest()
	dr.DiskIds = `["` + systemDisk + `","` + dataDisk + `"]`
	left, err := ecsClient.DescribeDisks(dr)
	if err != nil {
		return fmt.Errorf("DescribeDisks(DiskIds): %w", err)
	}
	if len(left.Disks.Disk) != 1 || left.Disks.Disk[0].DiskId != dataDisk {
		var ids []string
		for _, d := range left.Disks.Disk {
			ids = append(ids, d.DiskId)
		}
		return fmt.Errorf("after release DescribeDisks lists %v, want only the data disk %s (system disk %s gone)", ids, dataDisk, systemDisk)
	}
	if d := left.Disks.Disk[0]; d.Status != "Available" || d.InstanceId != "" {
		return fmt.Errorf("data disk %s after release: Status %q InstanceId %q, want Available and no instance", d.DiskId, d.Status, d.InstanceId)
	}
	fmt.Println("data disk", dataDisk, "Available, detached; system disk", systemDisk, "gone")

	// An official action ecslocal does not implement answers 501
	// NotImplemented naming it; the SDK surfaces code and message.
	_, err = ecsClient.DescribeReservedInstances(ecs.CreateDescribeReservedInstancesRequest())
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.HttpStatus() != 501 || se.ErrorCode() != "NotImplemented" ||
		!strings.Contains(se.Message(), "Ecs 2014-05-26 action DescribeReservedInstances") {
		return fmt.Errorf("DescribeReservedInstances: %v, want 501 NotImplemented naming the action", err)
	}
	fmt.Println("DescribeReservedInstances: NotImplemented:", se.Message())
	return nil
}

// poll calls done every 200 ms until it answers true, for at most 30 s.
func poll(what string, done func() (bool, error)) error {
	deadline := time.Now().Add(pollFor)
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s", pollFor, what)
		}
		time.Sleep(pollEvery)
	}
}
