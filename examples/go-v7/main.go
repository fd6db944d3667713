// Command go-v7 provisions a VPC, a vSwitch, a security group and one
// instance with a kept data disk through the current Alibaba Cloud Go SDKs
// (github.com/alibabacloud-go/ecs-20140526/v7 and vpc-20160428/v6,
// ACS3-HMAC-SHA256 signatures), releases the instance with DeleteInstances,
// and checks what is left: the data disk Available and detached, the
// system disk gone; last, that an official action ecslocal does not
// implement answers NotImplemented.
//
//	ECSLOCAL_ENDPOINT=127.0.0.1:8790 go run .
//
// It exits non-zero, saying why, on any mismatch.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
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
		fmt.Fprintln(os.Stderr, "go-v7: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("go-v7: OK")
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() error {
	// The endpoint is host:port with no scheme; Protocol "http" selects
	// plain HTTP (the default is HTTPS). The config's region only chooses an
	// endpoint, so RegionId goes into every request instead.
	config := &openapiutil.Config{
		Endpoint:        tea.String(getenv("ECSLOCAL_ENDPOINT", "127.0.0.1:8790")),
		Protocol:        tea.String("http"),
		AccessKeyId:     tea.String(getenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "test")),
		AccessKeySecret: tea.String(getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "test")),
	}
	ecsClient, err := ecs.NewClient(config)
	if err != nil {
		return err
	}
	vpcClient, err := vpc.NewClient(config)
	if err != nil {
		return err
	}
	rg := tea.String(region)

	// VPC (VPC API 2016-04-28), then wait until it is Available.
	vr, err := vpcClient.CreateVpc(&vpc.CreateVpcRequest{RegionId: rg, CidrBlock: tea.String("192.168.0.0/16")})
	if err != nil {
		return fmt.Errorf("CreateVpc: %w", err)
	}
	vpcID := tea.StringValue(vr.Body.VpcId)
	fmt.Println("vpc", vpcID)
	if err := poll("VPC "+vpcID+" Available", func() (bool, error) {
		resp, err := vpcClient.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: rg, VpcId: tea.String(vpcID)})
		if err != nil {
			return false, fmt.Errorf("DescribeVpcs: %w", err)
		}
		v := resp.Body.Vpcs.Vpc
		return len(v) == 1 && tea.StringValue(v[0].Status) == "Available", nil
	}); err != nil {
		return err
	}

	// A zone that offers the instance type.
	zones, err := ecsClient.DescribeZones(&ecs.DescribeZonesRequest{RegionId: rg})
	if err != nil {
		return fmt.Errorf("DescribeZones: %w", err)
	}
	zone := ""
	for _, z := range zones.Body.Zones.Zone {
		if z.AvailableInstanceTypes == nil {
			continue
		}
		for _, t := range z.AvailableInstanceTypes.InstanceTypes {
			if tea.StringValue(t) == instanceType && zone == "" {
				zone = tea.StringValue(z.ZoneId)
			}
		}
	}
	if zone == "" {
		return fmt.Errorf("DescribeZones: no zone of %s offers %s", region, instanceType)
	}
	fmt.Println("zone", zone)

	// vSwitch, then wait until it is Available.
	sr, err := vpcClient.CreateVSwitch(&vpc.CreateVSwitchRequest{RegionId: rg, VpcId: tea.String(vpcID),
		ZoneId: tea.String(zone), CidrBlock: tea.String("192.168.1.0/24")})
	if err != nil {
		return fmt.Errorf("CreateVSwitch: %w", err)
	}
	vswID := tea.StringValue(sr.Body.VSwitchId)
	fmt.Println("vswitch", vswID)
	if err := poll("vSwitch "+vswID+" Available", func() (bool, error) {
		resp, err := vpcClient.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: rg, VSwitchId: tea.String(vswID)})
		if err != nil {
			return false, fmt.Errorf("DescribeVSwitches: %w", err)
		}
		v := resp.Body.VSwitches.VSwitch
		return len(v) == 1 && tea.StringValue(v[0].Status) == "Available", nil
	}); err != nil {
		return err
	}

	// Security group (ECS API).
	gr, err := ecsClient.CreateSecurityGroup(&ecs.CreateSecurityGroupRequest{RegionId: rg, VpcId: tea.String(vpcID)})
	if err != nil {
		return fmt.Errorf("CreateSecurityGroup: %w", err)
	}
	sgID := tea.StringValue(gr.Body.SecurityGroupId)
	fmt.Println("security group", sgID)

	// One instance with a 40 GiB data disk that outlives it.
	rr, err := ecsClient.RunInstances(&ecs.RunInstancesRequest{
		RegionId:        rg,
		ImageId:         tea.String(image),
		InstanceType:    tea.String(instanceType),
		VSwitchId:       tea.String(vswID),
		SecurityGroupId: tea.String(sgID),
		Amount:          tea.Int32(1),
		DataDisk: []*ecs.RunInstancesRequestDataDisk{{
			Size:               tea.Int32(40),
			Category:           tea.String("cloud_essd"),
			DeleteWithInstance: tea.Bool(false),
		}},
	})
	if err != nil {
		return fmt.Errorf("RunInstances: %w", err)
	}
	var ids []*string
	if rr.Body.InstanceIdSets != nil {
		ids = rr.Body.InstanceIdSets.InstanceIdSet
	}
	if len(ids) != 1 {
		return fmt.Errorf("RunInstances: %d instance ids, want 1", len(ids))
	}
	id := tea.StringValue(ids[0])
	fmt.Println("instance", id)

	describe := func() ([]*ecs.DescribeInstancesResponseBodyInstancesInstance, error) {
		resp, err := ecsClient.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: rg, InstanceIds: tea.String(`["` + id + `"]`)})
		if err != nil {
			return nil, fmt.Errorf("DescribeInstances: %w", err)
		}
		if resp.Body.Instances == nil {
			return nil, nil
		}
		return resp.Body.Instances.Instance, nil
	}
	if err := poll("instance "+id+" Running", func() (bool, error) {
		in, err := describe()
		return len(in) == 1 && tea.StringValue(in[0].Status) == "Running", err
	}); err != nil {
		return err
	}
	fmt.Println("instance", id, "Running")

	// Its disks: one system disk, one data disk as asked.
	disks, err := describeDisks(ecsClient, &ecs.DescribeDisksRequest{RegionId: rg, InstanceId: tea.String(id)})
	if err != nil {
		return fmt.Errorf("DescribeDisks(InstanceId): %w", err)
	}
	var systemDisk, dataDisk string
	for _, d := range disks {
		switch tea.StringValue(d.Type) {
		case "system":
			systemDisk = tea.StringValue(d.DiskId)
		case "data":
			if tea.Int32Value(d.Size) != 40 || tea.StringValue(d.Category) != "cloud_essd" || tea.BoolValue(d.DeleteWithInstance) {
				return fmt.Errorf("data disk %s: Size %d Category %s DeleteWithInstance %t, want 40 cloud_essd false",
					tea.StringValue(d.DiskId), tea.Int32Value(d.Size), tea.StringValue(d.Category), tea.BoolValue(d.DeleteWithInstance))
			}
			dataDisk = tea.StringValue(d.DiskId)
		}
	}
	if len(disks) != 2 || systemDisk == "" || dataDisk == "" {
		return fmt.Errorf("DescribeDisks(InstanceId=%s): %d disks (system %q, data %q), want one system and one data disk",
			id, len(disks), systemDisk, dataDisk)
	}
	fmt.Println("system disk", systemDisk, "data disk", dataDisk)

	// Release it, and wait until DescribeInstances no longer lists it.
	if _, err := ecsClient.DeleteInstances(&ecs.DeleteInstancesRequest{RegionId: rg,
		InstanceId: []*string{tea.String(id)}, Force: tea.Bool(true)}); err != nil {
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
	left, err := describeDisks(ecsClient, &ecs.DescribeDisksRequest{RegionId: rg,
		DiskIds: tea.String(`["` + systemDisk + `","` + dataDisk + `"]`)})
	if err != nil {
		return fmt.Errorf("DescribeDisks(DiskIds): %w", err)
	}
	if len(left) != 1 || tea.StringValue(left[0].DiskId) != dataDisk {
		var got []string
		for _, d := range left {
			got = append(got, tea.StringValue(d.DiskId))
		}
		return fmt.Errorf("after release DescribeDisks lists %v, want only the data disk %s (system disk %s gone)", got, dataDisk, systemDisk)
	}
	if d := left[0]; tea.StringValue(d.Status) != "Available" || tea.StringValue(d.InstanceId) != "" {
		return fmt.Errorf("data disk %s after release: Status %q InstanceId %q, want Available and no instance",
			dataDisk, tea.StringValue(d.Status), tea.StringValue(d.InstanceId))
	}
	fmt.Println("data disk", dataDisk, "Available, detached; system disk", systemDisk, "gone")

	// An official action ecslocal does not implement answers 501
	// NotImplemented naming it; the SDK surfaces code and message.
	_, err = ecsClient.DescribeReservedInstances(&ecs.DescribeReservedInstancesRequest{RegionId: rg})
	if err == nil || !strings.Contains(err.Error(), "NotImplemented") || !strings.Contains(err.Error(), "501") ||
		!strings.Contains(err.Error(), "Ecs 2014-05-26 action DescribeReservedInstances") {
		return fmt.Errorf("DescribeReservedInstances: %v, want 501 NotImplemented naming the action", err)
	}
	fmt.Println("DescribeReservedInstances: NotImplemented")
	return nil
}

func describeDisks(c *ecs.Client, req *ecs.DescribeDisksRequest) ([]*ecs.DescribeDisksResponseBodyDisksDisk, error) {
	resp, err := c.DescribeDisks(req)
	if err != nil {
		return nil, err
	}
	if resp.Body.Disks == nil {
		return nil, nil
	}
	return resp.Body.Disks.Disk, nil
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
