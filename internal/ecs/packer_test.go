package ecs_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// packer is the Packer alicloud-ecs builder's client side (hashicorp/
// packer-plugin-alicloud, builder/ecs, v1.1.2 and main): its calls, in its order, with
// its request fields, through the classic SDK it uses, every ECS-version
// call included (it creates its VPC and EIP through the ECS API). Its
// WaitForExpected polls every 5 s; here each poll advances the frozen clock
// by 5 s instead of sleeping.
type packer struct {
	t      *testing.T
	s      *ecslocaltest.Server
	c      *classicecs.Client
	polls  int
	called []string
}

// wait polls like WaitForExpected: until done answers true, retrying the
// error codes retry lists, at most times polls.
func (p *packer) wait(what string, times int, retry []string, call func() (responses.AcsResponse, error), done func(responses.AcsResponse) bool) responses.AcsResponse {
	p.t.Helper()
	for range times {
		resp, err := call()
		if err == nil && (done == nil || done(resp)) {
			return resp
		}
		if err != nil {
			if _, code := sdktest.Fail(err); !slices.Contains(retry, code) {
				p.t.Fatalf("%s: %v", what, err)
			}
		}
		p.polls++
		p.s.Clock.Advance(5 * time.Second)
	}
	p.t.Fatalf("%s: not done after %d polls", what, times)
	return nil
}

// retry is a call the builder retries while it answers one of codes.
func (p *packer) retry(name string, times int, codes []string, call func() (responses.AcsResponse, error)) responses.AcsResponse {
	p.t.Helper()
	p.called = append(p.called, name)
	return p.wait(name, times, codes, call, nil)
}

func (p *packer) do(name string, call func() (responses.AcsResponse, error)) responses.AcsResponse {
	p.t.Helper()
	p.called = append(p.called, name)
	return p.wait(name, 1, nil, call, nil)
}

// waitInstance is WaitForInstanceStatus: DescribeInstances until the status.
func (p *packer) waitInstance(id, status string) {
	p.t.Helper()
	p.called = append(p.called, "DescribeInstances("+status+")")
	p.wait("instance "+status, 360, nil, func() (responses.AcsResponse, error) {
		r := classicecs.CreateDescribeInstancesRequest()
		r.RegionId, r.InstanceIds = region, fmt.Sprintf(`["%s"]`, id)
		return p.c.DescribeInstances(r)
	}, func(resp responses.AcsResponse) bool {
		for _, i := range resp.(*classicecs.DescribeInstancesResponse).Instances.Instance {
			if i.Status == status {
				return true
			}
		}
		return false
	})
}

// describeImage is DescribeImages as WaitForImageStatus and the pre-validation
// send it: by id or name, Status listing every image status.
func (p *packer) describeImage(id, name string) []classicecs.Image {
	p.t.Helper()
	r := classicecs.CreateDescribeImagesRequest()
	r.RegionId, r.ImageId, r.ImageName, r.Status = region, id, name, "Waiting,Creating,CreateFailed,Available"
	resp, err := p.c.DescribeImages(r)
	sdktest.OK(p.t, err)
	return resp.Images.Image
}

// The builder's paths the test runs.
const (
	// packerEIP is v1.1.2 (the latest release) with a key pair, so in a VPC
	// of its own, with associate_public_ip_address: the instance is reached
	// through an EIP, made and associated through the ECS API.
	packerEIP = "v1.1.2 EIP"
	// packerPublicIP is v1.1.2 with the step its classic-network path takes
	// instead of the EIP, AllocatePublicIpAddress; the cloud allows it for a
	// VPC instance with outbound bandwidth too, and ecslocal has no classic
	// network.
	packerPublicIP = "v1.1.2 AllocatePublicIpAddress"
	// packerMain is the builder's main branch (2026): RunInstances with the
	// key pair, no AttachKeyPair, no StartInstance.
	packerMain = "main RunInstances"
)

// TestPacker_BuildImage runs the builder's path for a Linux source image with
// a temporary key pair, as `packer build` runs it.
func TestPacker_BuildImage(t *testing.T) {
	for _, variant := range []string{packerEIP, packerPublicIP, packerMain} {
		t.Run(variant, func(t *testing.T) {
			s := ecslocaltest.New(t, realistic())
			p := &packer{t: t, s: s, c: sdktest.ClassicECS(t, s)}
			p.build(variant)
		})
	}
}

func (p *packer) build(variant string) {
	t, c := p.t, p.c
	const imageName, keyName = "packer-golden", "packer_6550a9c1-1b7e-4f2c-9a7d-4ad0b6d1f5e3"

	// stepPreValidate: the image name is free.
	p.called = append(p.called, "DescribeImages(name)")
	if got := p.describeImage("", imageName); len(got) != 0 {
		t.Fatalf("image name taken: %v", got)
	}
	// stepCheckAlicloudSourceImage: the source, then the marketplace.
	src := classicecs.CreateDescribeImagesRequest()
	src.RegionId, src.ImageId = region, image
	found := p.do("DescribeImages(source)", func() (responses.AcsResponse, error) { return c.DescribeImages(src) }).(*classicecs.DescribeImagesResponse)
	src.ImageOwnerAlias = "marketplace"
	market := p.do("DescribeImages(marketplace)", func() (responses.AcsResponse, error) { return c.DescribeImages(src) }).(*classicecs.DescribeImagesResponse)
	if len(found.Images.Image)+len(market.Images.Image) != 1 {
		t.Fatalf("source image: %d public, %d marketplace", len(found.Images.Image), len(market.Images.Image))
	}
	sourceImage := found.Images.Image[0]

	// stepConfigAlicloudKeyPair: a temporary key pair.
	kp := classicecs.CreateCreateKeyPairRequest()
	kp.RegionId, kp.KeyPairName = region, keyName
	key := p.do("CreateKeyPair", func() (responses.AcsResponse, error) { return c.CreateKeyPair(kp) }).(*classicecs.CreateKeyPairResponse)
	if key.PrivateKeyBody == "" {
		t.Fatal("CreateKeyPair answered no private key")
	}

	// stepConfigAlicloudVPC: a VPC, waited Available.
	cv := classicecs.CreateCreateVpcRequest()
	cv.ClientToken, cv.RegionId = "packer-vpc-token", region
	vpcID := p.do("CreateVpc", func() (responses.AcsResponse, error) { return c.CreateVpc(cv) }).(*classicecs.CreateVpcResponse).VpcId
	p.called = append(p.called, "DescribeVpcs(Available)")
	p.wait("vpc", 12, nil, func() (responses.AcsResponse, error) {
		r := classicecs.CreateDescribeVpcsRequest()
		r.RegionId, r.VpcId = region, vpcID
		return c.DescribeVpcs(r)
	}, func(resp responses.AcsResponse) bool {
		v := resp.(*classicecs.DescribeVpcsResponse).Vpcs.Vpc
		return len(v) == 1 && v[0].Status == "Available"
	})

	// stepConfigAlicloudVSwitch: a zone that sells the type and vSwitches.
	zr := classicecs.CreateDescribeZonesRequest()
	zr.RegionId = region
	zones := p.do("DescribeZones", func() (responses.AcsResponse, error) { return c.DescribeZones(zr) }).(*classicecs.DescribeZonesResponse)
	zone := ""
	for _, z := range zones.Zones.Zone {
		if slices.Contains(z.AvailableResourceCreation.ResourceTypes, "VSwitch") && slices.Contains(z.AvailableInstanceTypes.InstanceTypes, itype) && zone == "" {
			zone = z.ZoneId
		}
	}
	if zone == "" {
		t.Fatalf("no zone sells %s with vSwitches", itype)
	}
	cs := classicecs.CreateCreateVSwitchRequest()
	cs.ClientToken, cs.CidrBlock, cs.ZoneId, cs.VpcId = "packer-vsw-token", "172.16.0.0/24", zone, vpcID
	vswID := p.do("CreateVSwitch", func() (responses.AcsResponse, error) { return c.CreateVSwitch(cs) }).(*classicecs.CreateVSwitchResponse).VSwitchId
	p.called = append(p.called, "DescribeVSwitches(Available)")
	p.wait("vswitch", 12, nil, func() (responses.AcsResponse, error) {
		r := classicecs.CreateDescribeVSwitchesRequest()
		r.VpcId, r.VSwitchId = vpcID, vswID
		return c.DescribeVSwitches(r)
	}, func(resp responses.AcsResponse) bool {
		v := resp.(*classicecs.DescribeVSwitchesResponse).VSwitches.VSwitch
		return len(v) == 1 && v[0].Status == "Available"
	})

	// stepConfigAlicloudSecurityGroup: a group open both ways.
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.ClientToken, cg.RegionId, cg.VpcId = "packer-sg-token", region, vpcID
	sgID := p.do("CreateSecurityGroup", func() (responses.AcsResponse, error) { return c.CreateSecurityGroup(cg) }).(*classicecs.CreateSecurityGroupResponse).SecurityGroupId
	eg := classicecs.CreateAuthorizeSecurityGroupEgressRequest()
	eg.SecurityGroupId, eg.RegionId, eg.IpProtocol, eg.PortRange, eg.NicType, eg.DestCidrIp = sgID, region, "all", "-1/-1", "internet", "0.0.0.0/0"
	p.do("AuthorizeSecurityGroupEgress", func() (responses.AcsResponse, error) { return c.AuthorizeSecurityGroupEgress(eg) })
	in := classicecs.CreateAuthorizeSecurityGroupRequest()
	in.SecurityGroupId, in.RegionId, in.IpProtocol, in.PortRange, in.NicType, in.SourceCidrIp = sgID, region, "all", "-1/-1", "internet", "0.0.0.0/0"
	p.do("AuthorizeSecurityGroup", func() (responses.AcsResponse, error) { return c.AuthorizeSecurityGroup(in) })

	// stepCreateAlicloudInstance. v1.1.2: CreateInstance, waited Stopped.
	// main: RunInstances with the key pair, waited Running.
	var id string
	if variant == packerMain {
		ri := classicecs.CreateRunInstancesRequest()
		ri.ClientToken, ri.RegionId, ri.InstanceType, ri.ImageId = "packer-instance-token", region, itype, sourceImage.ImageId
		ri.SecurityGroupId, ri.VSwitchId, ri.IoOptimized, ri.SystemDiskCategory = sgID, vswID, "optimized", "cloud_essd"
		ri.InternetChargeType, ri.DataDisk, ri.KeyPairName = "PayByTraffic", &[]classicecs.RunInstancesDataDisk{}, keyName
		ri.Amount, ri.MinAmount = requests.NewInteger(1), requests.NewInteger(1)
		id = p.retry("RunInstances", 12, []string{"IdempotentProcessing"}, func() (responses.AcsResponse, error) { return c.RunInstances(ri) }).(*classicecs.RunInstancesResponse).InstanceIdSets.InstanceIdSet[0]
		p.waitInstance(id, "Running")
	} else {
		ci := classicecs.CreateCreateInstanceRequest()
		ci.ClientToken, ci.RegionId, ci.InstanceType, ci.ImageId = "packer-instance-token", region, itype, sourceImage.ImageId
		ci.SecurityGroupId, ci.VSwitchId, ci.IoOptimized, ci.SystemDiskCategory = sgID, vswID, "optimized", "cloud_essd"
		ci.InternetChargeType, ci.DataDisk = "PayByTraffic", &[]classicecs.CreateInstanceDataDisk{}
		if variant == packerPublicIP {
			ci.InternetMaxBandwidthOut = requests.NewInteger(5)
		}
		id = p.retry("CreateInstance", 12, []string{"IdempotentProcessing"}, func() (responses.AcsResponse, error) { return c.CreateInstance(ci) }).(*classicecs.CreateInstanceResponse).InstanceId
		p.waitInstance(id, "Stopped")
	}
	described := classicecs.CreateDescribeInstancesRequest()
	described.InstanceIds = `["` + id + `"]`
	p.do("DescribeInstances", func() (responses.AcsResponse, error) { return c.DescribeInstances(described) })

	// stepConfigAlicloudEIP (VPC) or stepConfigAlicloudPublicIP (classic).
	var ip, allocationID string
	if variant != packerPublicIP {
		ae := classicecs.CreateAllocateEipAddressRequest()
		ae.ClientToken, ae.RegionId, ae.InternetChargeType = "packer-eip-token", region, "PayByTraffic"
		eip := p.do("AllocateEipAddress", func() (responses.AcsResponse, error) { return c.AllocateEipAddress(ae) }).(*classicecs.AllocateEipAddressResponse)
		ip, allocationID = eip.EipAddress, eip.AllocationId
		p.waitEIP(allocationID, "Available")
		as := classicecs.CreateAssociateEipAddressRequest()
		as.AllocationId, as.InstanceId = allocationID, id
		p.do("AssociateEipAddress", func() (responses.AcsResponse, error) { return c.AssociateEipAddress(as) })
		p.waitEIP(allocationID, "InUse")
	} else {
		ap := classicecs.CreateAllocatePublicIpAddressRequest()
		ap.InstanceId = id
		ip = p.do("AllocatePublicIpAddress", func() (responses.AcsResponse, error) { return c.AllocatePublicIpAddress(ap) }).(*classicecs.AllocatePublicIpAddressResponse).IpAddress
	}
	if ip == "" {
		t.Fatal("no address to reach the instance at")
	}

	// v1.1.2: stepAttachKeyPair, then stepRunAlicloudInstance (main has
	// neither: the instance runs with its key pair already).
	if variant != packerMain {
		ak := classicecs.CreateAttachKeyPairRequest()
		ak.RegionId, ak.KeyPairName, ak.InstanceIds = region, keyName, `["`+id+`"]`
		p.retry("AttachKeyPair", 12, []string{"IncorrectInstanceStatus"}, func() (responses.AcsResponse, error) { return c.AttachKeyPair(ak) })
		st := classicecs.CreateStartInstanceRequest()
		st.InstanceId = id
		p.do("StartInstance", func() (responses.AcsResponse, error) { return c.StartInstance(st) })
		p.waitInstance(id, "Running")
	}
	view := classicecs.CreateDescribeInstancesRequest()
	view.InstanceIds = `["` + id + `"]`
	running, err := c.DescribeInstances(view)
	sdktest.OK(t, err)
	inst := running.Instances.Instance[0]
	reach := inst.EipAddress.IpAddress
	if variant == packerPublicIP {
		reach = inst.PublicIpAddress.IpAddress[0]
	}
	if inst.KeyPairName != keyName || reach != ip {
		t.Fatalf("running instance: key pair %q, address %q (want %q)", inst.KeyPairName, reach, ip)
	}

	// (Packer connects over SSH and provisions here.) stepStopAlicloudInstance.
	so := classicecs.CreateStopInstanceRequest()
	so.InstanceId, so.ForceStop = id, requests.NewBoolean(false)
	p.do("StopInstance", func() (responses.AcsResponse, error) { return c.StopInstance(so) })
	p.waitInstance(id, "Stopped")

	// stepCreateAlicloudImage: CreateImage of the instance, waited Available.
	cim := classicecs.CreateCreateImageRequest()
	cim.ClientToken, cim.RegionId, cim.ImageName, cim.InstanceId = "packer-image-token", region, imageName, id
	imageID := p.retry("CreateImage", 12, []string{"IdempotentProcessing"}, func() (responses.AcsResponse, error) { return c.CreateImage(cim) }).(*classicecs.CreateImageResponse).ImageId
	p.called = append(p.called, "DescribeImages(Available)")
	p.wait("image Available", 720, nil, func() (responses.AcsResponse, error) {
		r := classicecs.CreateDescribeImagesRequest()
		r.RegionId, r.ImageId, r.Status = region, imageID, "Waiting,Creating,CreateFailed,Available"
		return c.DescribeImages(r)
	}, func(resp responses.AcsResponse) bool {
		img := resp.(*classicecs.DescribeImagesResponse).Images.Image
		return len(img) == 1 && img[0].Status == "Available"
	})

	// The cleanups, last step first: DetachKeyPair, the EIP, the instance,
	// the security group, the vSwitch, the VPC, the key pair.
	if variant != packerMain {
		dk := classicecs.CreateDetachKeyPairRequest()
		dk.RegionId, dk.KeyPairName, dk.InstanceIds = region, keyName, `["`+id+`"]`
		p.do("DetachKeyPair", func() (responses.AcsResponse, error) { return c.DetachKeyPair(dk) })
	}
	if variant != packerPublicIP {
		un := classicecs.CreateUnassociateEipAddressRequest()
		un.AllocationId, un.InstanceId = allocationID, id
		p.do("UnassociateEipAddress", func() (responses.AcsResponse, error) { return c.UnassociateEipAddress(un) })
		p.waitEIP(allocationID, "Available")
		re := classicecs.CreateReleaseEipAddressRequest()
		re.AllocationId = allocationID
		p.do("ReleaseEipAddress", func() (responses.AcsResponse, error) { return c.ReleaseEipAddress(re) })
	}
	di := classicecs.CreateDeleteInstanceRequest()
	di.InstanceId, di.Force = id, requests.NewBoolean(true)
	p.retry("DeleteInstance", 36, []string{"IncorrectInstanceStatus.Initializing"}, func() (responses.AcsResponse, error) { return c.DeleteInstance(di) })
	ds := classicecs.CreateDeleteSecurityGroupRequest()
	ds.RegionId, ds.SecurityGroupId = region, sgID
	p.retry("DeleteSecurityGroup", 36, []string{"DependencyViolation"}, func() (responses.AcsResponse, error) { return c.DeleteSecurityGroup(ds) })
	dv := classicecs.CreateDeleteVSwitchRequest()
	dv.VSwitchId = vswID
	p.retry("DeleteVSwitch", 36, []string{"IncorrectVSwitchStatus", "DependencyViolation", "DependencyViolation.HaVip", "IncorrectRouteEntryStatus", "TaskConflict"}, func() (responses.AcsResponse, error) { return c.DeleteVSwitch(dv) })
	dp := classicecs.CreateDeleteVpcRequest()
	dp.VpcId = vpcID
	p.retry("DeleteVpc", 36, []string{"DependencyViolation.Instance", "DependencyViolation.RouteEntry", "DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup", "Forbbiden", "TaskConflict"}, func() (responses.AcsResponse, error) { return c.DeleteVpc(dp) })
	dkp := classicecs.CreateDeleteKeyPairsRequest()
	dkp.RegionId, dkp.KeyPairNames = region, `["`+keyName+`"]`
	p.do("DeleteKeyPairs", func() (responses.AcsResponse, error) { return c.DeleteKeyPairs(dkp) })

	// What is left: the image, Available, its snapshot kept; nothing else.
	img := p.describeImage(imageID, "")
	if len(img) != 1 || img[0].ImageName != imageName || img[0].Status != "Available" || len(img[0].DiskDeviceMappings.DiskDeviceMapping) != 1 ||
		img[0].DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId == "" || img[0].DiskDeviceMappings.DiskDeviceMapping[0].Type != "system" ||
		img[0].DiskDeviceMappings.DiskDeviceMapping[0].Device != "/dev/xvda" {
		t.Fatalf("the image after the build: %+v", img)
	}
	snaps, err := c.DescribeSnapshots(classicecs.CreateDescribeSnapshotsRequest())
	sdktest.OK(t, err)
	if snaps.TotalCount != len(img[0].DiskDeviceMappings.DiskDeviceMapping) {
		t.Fatalf("%d snapshots left, the image has %d", snaps.TotalCount, len(img[0].DiskDeviceMappings.DiskDeviceMapping))
	}
	for _, left := range []func() (int, error){
		func() (int, error) {
			r, err := c.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
			return r.TotalCount, err
		},
		func() (int, error) {
			r, err := c.DescribeKeyPairs(classicecs.CreateDescribeKeyPairsRequest())
			return r.TotalCount, err
		},
		func() (int, error) {
			r, err := c.DescribeVpcs(classicecs.CreateDescribeVpcsRequest())
			return r.TotalCount, err
		},
		func() (int, error) {
			r, err := c.DescribeEipAddresses(classicecs.CreateDescribeEipAddressesRequest())
			return r.TotalCount, err
		},
	} {
		n, err := left()
		sdktest.OK(t, err)
		if n != 0 {
			t.Fatalf("a build left %d resources: %v", n, p.called)
		}
	}
	t.Logf("%d calls in order (%d polls besides): %v", len(p.called), p.polls, p.called)
}

// waitEIP is the builder's waitForEipStatus: DescribeEipAddresses until the status.
func (p *packer) waitEIP(allocationID, status string) {
	p.t.Helper()
	p.called = append(p.called, "DescribeEipAddresses("+status+")")
	p.wait("EIP "+status, 36, nil, func() (responses.AcsResponse, error) {
		r := classicecs.CreateDescribeEipAddressesRequest()
		r.RegionId, r.AllocationId = region, allocationID
		return p.c.DescribeEipAddresses(r)
	}, func(resp responses.AcsResponse) bool {
		for _, e := range resp.(*classicecs.DescribeEipAddressesResponse).EipAddresses.EipAddress {
			if e.Status == status {
				return true
			}
		}
		return false
	})
}
