package ecs_test

import (
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (e *env) joinGroup(typ, id, rg string) error {
	r := classicecs.CreateJoinResourceGroupRequest()
	r.ResourceType, r.ResourceId, r.ResourceGroupId = typ, id, rg
	_, err := e.classic.JoinResourceGroup(r)
	return err
}

// TestJoinResourceGroup: every ECS kind with a ResourceGroupId moves, its
// Describe action answers the new group and finds it by it; RunInstances
// ResourceGroupId places an instance at launch.
func TestJoinResourceGroup(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	const rg = "rg-aek2moved00001"
	inst := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.ResourceGroupId = "rg-aek2launch0001" })
	kp, _ := e.createKeyPair(t, "rg-kp")
	eni, err := e.createENI(t, "")
	sdktest.OK(t, err)
	lt := classicecs.CreateCreateLaunchTemplateRequest()
	lt.LaunchTemplateName, lt.ImageId, lt.InstanceType = "rg-lt", image, itype
	ltr, err := e.classic.CreateLaunchTemplate(lt)
	sdktest.OK(t, err)
	dr := classicecs.CreateDescribeDisksRequest()
	dr.InstanceId = inst
	disks, err := e.classic.DescribeDisks(dr)
	sdktest.OK(t, err)
	disk := disks.Disks.Disk[0].DiskId
	cs := classicecs.CreateCreateSnapshotRequest()
	cs.DiskId = disk
	snap, err := e.classic.CreateSnapshot(cs)
	sdktest.OK(t, err)
	ci := classicecs.CreateCreateImageRequest()
	ci.InstanceId, ci.ImageName = inst, "rg-image"
	img, err := e.classic.CreateImage(ci)
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Minute)

	d := classicecs.CreateDescribeInstancesRequest()
	d.ResourceGroupId = "rg-aek2launch0001"
	di, err := e.classic.DescribeInstances(d)
	sdktest.OK(t, err)
	if di.TotalCount != 1 || di.Instances.Instance[0].ResourceGroupId != "rg-aek2launch0001" {
		t.Fatalf("DescribeInstances by the launch group: %d", di.TotalCount)
	}

	for _, r := range []struct{ typ, id string }{
		{"instance", inst}, {"disk", disk}, {"snapshot", snap.SnapshotId}, {"image", img.ImageId},
		{"securitygroup", e.sg}, {"eni", eni}, {"keypair", kp}, {"launchtemplate", ltr.LaunchTemplateId},
	} {
		sdktest.OK(t, e.joinGroup(r.typ, r.id, rg))
	}
	found := func(what string, n int, got string) {
		t.Helper()
		if n != 1 || got != rg {
			t.Fatalf("%s by ResourceGroupId: %d found, group %q", what, n, got)
		}
	}
	d.ResourceGroupId = rg
	di, err = e.classic.DescribeInstances(d)
	sdktest.OK(t, err)
	found("DescribeInstances", len(di.Instances.Instance), di.Instances.Instance[0].ResourceGroupId)
	dd := classicecs.CreateDescribeDisksRequest()
	dd.ResourceGroupId = rg
	ddr, err := e.classic.DescribeDisks(dd)
	sdktest.OK(t, err)
	found("DescribeDisks", len(ddr.Disks.Disk), ddr.Disks.Disk[0].ResourceGroupId)
	ds := classicecs.CreateDescribeSnapshotsRequest()
	ds.ResourceGroupId = rg
	dsr, err := e.classic.DescribeSnapshots(ds)
	sdktest.OK(t, err)
	found("DescribeSnapshots", len(dsr.Snapshots.Snapshot), dsr.Snapshots.Snapshot[0].ResourceGroupId)
	dimg := classicecs.CreateDescribeImagesRequest()
	dimg.ResourceGroupId, dimg.ImageOwnerAlias = rg, "self"
	dir, err := e.classic.DescribeImages(dimg)
	sdktest.OK(t, err)
	found("DescribeImages", len(dir.Images.Image), dir.Images.Image[0].ResourceGroupId)
	dsg := classicecs.CreateDescribeSecurityGroupsRequest()
	dsg.ResourceGroupId = rg
	dsgr, err := e.classic.DescribeSecurityGroups(dsg)
	sdktest.OK(t, err)
	found("DescribeSecurityGroups", len(dsgr.SecurityGroups.SecurityGroup), dsgr.SecurityGroups.SecurityGroup[0].ResourceGroupId)
	den := classicecs.CreateDescribeNetworkInterfacesRequest()
	den.ResourceGroupId = rg
	denr, err := e.classic.DescribeNetworkInterfaces(den)
	sdktest.OK(t, err)
	found("DescribeNetworkInterfaces", len(denr.NetworkInterfaceSets.NetworkInterfaceSet), denr.NetworkInterfaceSets.NetworkInterfaceSet[0].ResourceGroupId)
	dkp := classicecs.CreateDescribeKeyPairsRequest()
	dkp.ResourceGroupId = rg
	dkpr, err := e.classic.DescribeKeyPairs(dkp)
	sdktest.OK(t, err)
	found("DescribeKeyPairs", len(dkpr.KeyPairs.KeyPair), dkpr.KeyPairs.KeyPair[0].ResourceGroupId)
	dlt := classicecs.CreateDescribeLaunchTemplatesRequest()
	dlt.TemplateResourceGroupId = rg
	dltr, err := e.classic.DescribeLaunchTemplates(dlt)
	sdktest.OK(t, err)
	found("DescribeLaunchTemplates", len(dltr.LaunchTemplateSets.LaunchTemplateSet), dltr.LaunchTemplateSets.LaunchTemplateSet[0].ResourceGroupId)

	// Refusals.
	sdktest.WantFail(t, e.joinGroup("", inst, rg), 400, "MissingParameter")
	sdktest.WantFail(t, e.joinGroup("instance", "", rg), 400, "MissingParameter")
	sdktest.WantFail(t, e.joinGroup("instance", inst, ""), 400, "MissingParameter")
	sdktest.WantFail(t, e.joinGroup("instance", inst, "group-1"), 400, "InvalidParameter")
	sdktest.WantFail(t, e.joinGroup("Instance", inst, rg), 404, "InvalidResourceType.NotFound")
	sdktest.WantFail(t, e.joinGroup("ddh", "dh-1", rg), 404, "InvalidResourceId.NotFound") // no such host
	sdktest.WantFail(t, e.joinGroup("disk", inst, rg), 404, "InvalidResourceId.NotFound")
	sdktest.WantFail(t, e.joinGroup("image", image, rg), 404, "InvalidResourceId.NotFound")
}
