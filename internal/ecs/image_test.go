package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// customImages answers DescribeImages ImageOwnerAlias=self as id → status.
func (e *env) customImages(t *testing.T) map[string]string {
	t.Helper()
	resp, err := e.v7.DescribeImages(&ecs.DescribeImagesRequest{RegionId: dara.String("cn-hangzhou"), ImageOwnerAlias: dara.String("self")})
	sdktest.OK(t, err)
	out := map[string]string{}
	for _, im := range resp.Body.Images.Image {
		out[dara.StringValue(im.ImageId)] = dara.StringValue(im.Status)
	}
	return out
}

func TestCustomImage_FromInstanceLaunchDelete(t *testing.T) {
	e := newEnv(t, realistic())
	src := e.run1(t, withDataDisk)

	// Packer's path, classic SDK: an image of the instance, Creating until its snapshots complete.
	cr := classicecs.CreateCreateImageRequest()
	cr.InstanceId, cr.ImageName, cr.ClientToken = src, "web-base", "tok-1"
	created, err := e.classic.CreateImage(cr)
	sdktest.OK(t, err)
	again, err := e.classic.CreateImage(cr)
	sdktest.OK(t, err)
	if again.ImageId != created.ImageId {
		t.Fatalf("ClientToken: %s then %s", created.ImageId, again.ImageId)
	}
	if st := e.customImages(t)[created.ImageId]; st != "Creating" {
		t.Fatalf("status %q", st)
	}
	r := e.runReq()
	r.ImageId = created.ImageId
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "IncorrectImageStatus")
	e.s.Clock.Advance(5 * time.Second)
	if st := e.customImages(t)[created.ImageId]; st != "Available" {
		t.Fatalf("status %q after the snapshots", st)
	}
	cr = classicecs.CreateCreateImageRequest() // the classic SDK keeps a sent ClientToken in the request
	cr.InstanceId, cr.ImageName = src, "web-base"
	_, err = e.classic.CreateImage(cr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidImageName.Duplicated")
	cr.ImageName = "acs:nope"
	_, err = e.classic.CreateImage(cr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidImageName.Malformed")

	// The image took one snapshot per disk; neither can be deleted.
	sr := classicecs.CreateDescribeSnapshotsRequest()
	sr.InstanceId = src
	snaps, err := e.classic.DescribeSnapshots(sr)
	sdktest.OK(t, err)
	if len(snaps.Snapshots.Snapshot) != 2 {
		t.Fatalf("snapshots %+v", snaps.Snapshots)
	}
	for _, sn := range snaps.Snapshots.Snapshot {
		if sn.Usage != "image" {
			t.Fatalf("usage %q", sn.Usage)
		}
		dr := classicecs.CreateDeleteSnapshotRequest()
		dr.SnapshotId, dr.Force = sn.SnapshotId, "true"
		_, err := e.classic.DeleteSnapshot(dr)
		sdktest.WantFail(t, err, http.StatusForbidden, "SnapshotCreatedImage")
	}
	bySnap, err := e.v7.DescribeImages(&ecs.DescribeImagesRequest{RegionId: dara.String("cn-hangzhou"),
		SnapshotId: dara.String(snaps.Snapshots.Snapshot[0].SnapshotId)})
	sdktest.OK(t, err)
	if len(bySnap.Body.Images.Image) != 1 || dara.StringValue(bySnap.Body.Images.Image[0].ImageOwnerAlias) != "self" ||
		dara.StringValue(bySnap.Body.Images.Image[0].Platform) != "Aliyun" {
		t.Fatalf("by snapshot: %v", bySnap.Body)
	}

	// Launch from it (v7), rename it, then deletion needs Force while the instance runs it.
	run, err := e.v7.RunInstances(&ecs.RunInstancesRequest{RegionId: dara.String("cn-hangzhou"), ImageId: dara.String(created.ImageId),
		InstanceType: dara.String(itype), VSwitchId: dara.String(e.vsw), SecurityGroupId: dara.String(e.sg)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	_ = run
	_, err = e.v7.ModifyImageAttribute(&ecs.ModifyImageAttributeRequest{RegionId: dara.String("cn-hangzhou"),
		ImageId: dara.String(created.ImageId), ImageName: dara.String("web-base-2"), Description: dara.String("d")})
	sdktest.OK(t, err)
	dr := classicecs.CreateDeleteImageRequest()
	dr.ImageId = created.ImageId
	_, err = e.classic.DeleteImage(dr)
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectImageStatus")
	dr.Force = "true"
	_, err = e.classic.DeleteImage(dr)
	sdktest.OK(t, err)
	if _, ok := e.customImages(t)[created.ImageId]; ok {
		t.Fatal("image still listed")
	}
	_, err = e.classic.DeleteImage(dr)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")
	// Its snapshots are free again.
	ds := classicecs.CreateDeleteSnapshotRequest()
	ds.SnapshotId = snaps.Snapshots.Snapshot[0].SnapshotId
	_, err = e.classic.DeleteSnapshot(ds)
	sdktest.OK(t, err)
}

func TestCustomImage_FromSnapshotKeepsItsSnapshotOnRelease(t *testing.T) {
	e := newEnv(t, realistic())
	src := e.run1(t, nil)
	sr := classicecs.CreateDescribeDisksRequest()
	sr.InstanceId = src
	disks, err := e.classic.DescribeDisks(sr)
	sdktest.OK(t, err)
	sys := disks.Disks.Disk[0].DiskId
	cs := classicecs.CreateCreateSnapshotRequest()
	cs.DiskId = sys
	snap, err := e.classic.CreateSnapshot(cs)
	sdktest.OK(t, err)

	_, err = e.v7.CreateImage(&ecs.CreateImageRequest{RegionId: dara.String("cn-hangzhou"), SnapshotId: dara.String(snap.SnapshotId)})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidSnapshotId.NotReady")
	e.s.Clock.Advance(5 * time.Second)
	_, err = e.v7.CreateImage(&ecs.CreateImageRequest{RegionId: dara.String("cn-hangzhou"), SnapshotId: dara.String(snap.SnapshotId),
		DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	img, err := e.v7.CreateImage(&ecs.CreateImageRequest{RegionId: dara.String("cn-hangzhou"), SnapshotId: dara.String(snap.SnapshotId),
		ImageName: dara.String("from-snap")})
	sdktest.OK(t, err)
	id := dara.StringValue(img.Body.ImageId)
	if st := e.customImages(t)[id]; st != "Available" {
		t.Fatalf("image from a finished snapshot: %q", st)
	}
	_, err = e.v7.CreateImage(&ecs.CreateImageRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	// Releasing the instance leaves the image's snapshot in place.
	dl := classicecs.CreateDeleteInstancesRequest()
	dl.InstanceId, dl.Force = &[]string{src}, "true"
	_, err = e.classic.DeleteInstances(dl)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	e.wantStatus(t, src, "")
	q := classicecs.CreateDescribeSnapshotsRequest()
	q.SnapshotIds = `["` + snap.SnapshotId + `"]`
	got, err := e.classic.DescribeSnapshots(q)
	sdktest.OK(t, err)
	if got.TotalCount != 1 {
		t.Fatalf("snapshot of the image went with the instance")
	}
	// The image still launches after its source is gone.
	e.run1(t, func(r *classicecs.RunInstancesRequest) { r.ImageId = id })
}

func TestCopyImage_AndSupportedTypes(t *testing.T) {
	e := newEnv(t, realistic())
	src := e.run1(t, nil)
	cr := classicecs.CreateCreateImageRequest()
	cr.InstanceId, cr.ImageName = src, "golden"
	created, err := e.classic.CreateImage(cr)
	sdktest.OK(t, err)

	cp := classicecs.CreateCopyImageRequest()
	cp.ImageId, cp.DestinationRegionId, cp.DestinationImageName = created.ImageId, "cn-beijing", "golden"
	_, err = e.classic.CopyImage(cp)
	sdktest.WantFail(t, err, http.StatusBadRequest, "IncorrectImageStatus")
	e.s.Clock.Advance(5 * time.Second)
	copied, err := e.classic.CopyImage(cp)
	sdktest.OK(t, err)
	bj, err := e.v7.DescribeImages(&ecs.DescribeImagesRequest{RegionId: dara.String("cn-beijing"), ImageId: dara.String(copied.ImageId)})
	sdktest.OK(t, err)
	if im := bj.Body.Images.Image; len(im) != 1 || dara.StringValue(im[0].Status) != "Creating" || dara.StringValue(im[0].ImageName) != "golden" {
		t.Fatalf("copy: %v", bj.Body)
	}
	// Not in the source region under that id.
	if _, ok := e.customImages(t)[copied.ImageId]; ok {
		t.Fatal("copy listed in the source region")
	}
	cp2 := classicecs.CreateCopyImageRequest()
	cp2.ImageId, cp2.DestinationRegionId, cp2.DestinationImageName = created.ImageId, "cn-beijing", "golden"
	_, err = e.classic.CopyImage(cp2)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidImageName.Duplicated")
	_, err = e.v7.CopyImage(&ecs.CopyImageRequest{RegionId: dara.String("cn-hangzhou"), ImageId: dara.String("m-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")

	types, err := e.v7.DescribeImageSupportInstanceTypes(&ecs.DescribeImageSupportInstanceTypesRequest{RegionId: dara.String("cn-hangzhou"),
		ImageId: dara.String(created.ImageId)})
	sdktest.OK(t, err)
	var x86, arm int
	for _, ty := range types.Body.InstanceTypes.InstanceType {
		if dara.StringValue(ty.InstanceTypeFamily) == "ecs.g8y" {
			arm++
		} else {
			x86++
		}
	}
	if x86 == 0 || arm != 0 {
		t.Fatalf("x86 image: %d x86, %d arm types", x86, arm)
	}
	ar := classicecs.CreateDescribeImageSupportInstanceTypesRequest()
	ar.Filter = &[]classicecs.DescribeImageSupportInstanceTypesFilter{{Key: "imageId", Value: "aliyun_3_arm64_20G_alibase_20240528.vhd"}}
	armTypes, err := e.classic.DescribeImageSupportInstanceTypes(ar)
	sdktest.OK(t, err)
	for _, ty := range armTypes.InstanceTypes.InstanceType {
		if ty.InstanceTypeFamily != "ecs.g8y" {
			t.Fatalf("arm image on %s", ty.InstanceTypeId)
		}
	}
	if len(armTypes.InstanceTypes.InstanceType) == 0 {
		t.Fatal("no type for the arm image")
	}
}
