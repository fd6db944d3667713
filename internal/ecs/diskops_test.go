package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// storageWorld adds what the storage actions store to the import world:
// the region's disk encryption defaults, a snapshot-consistent group of
// instance id, one of its snapshots locked, a command run on it, an HPC
// cluster, a ModifyDiskSpec task, an activation code and an image component.
func (e *env) storageWorld(t *testing.T, id string) {
	t.Helper()
	_, err := e.v7.EnableDiskEncryptionByDefault(&ecs.EnableDiskEncryptionByDefaultRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	g, err := e.v7.CreateSnapshotGroup(&ecs.CreateSnapshotGroupRequest{RegionId: dara.String(region), InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Minute)
	groups, err := e.v7.DescribeSnapshotGroups(&ecs.DescribeSnapshotGroupsRequest{RegionId: dara.String(region),
		SnapshotGroupId: []*string{g.Body.SnapshotGroupId}})
	sdktest.OK(t, err)
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: dara.String(region), LockMode: dara.String("compliance"),
		SnapshotId: groups.Body.SnapshotGroups.SnapshotGroup[0].Snapshots.Snapshot[0].SnapshotId, CoolOffPeriod: dara.Int32(0), LockDuration: dara.Int32(30)})
	sdktest.OK(t, err)
	_, err = e.v7.RunCommand(&ecs.RunCommandRequest{RegionId: dara.String(region), Type: dara.String("RunShellScript"), KeepCommand: dara.Bool(true),
		CommandContent: dara.String("ZWNobw=="), InstanceId: []*string{dara.String(id)}})
	sdktest.OK(t, err)
	_, err = e.v7.CreateHpcCluster(&ecs.CreateHpcClusterRequest{RegionId: dara.String(region), Name: dara.String("import-hpc")})
	sdktest.OK(t, err)
	d, err := e.v7.CreateDisk(&ecs.CreateDiskRequest{RegionId: dara.String(region), ZoneId: dara.String(e.zone), Size: dara.Int32(40),
		DiskCategory: dara.String("cloud_essd")})
	sdktest.OK(t, err)
	_, err = e.v7.ModifyDiskSpec(&ecs.ModifyDiskSpecRequest{DiskId: d.Body.DiskId, PerformanceLevel: dara.String("PL0")})
	sdktest.OK(t, err)
	_, err = e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region), InstanceName: dara.String("import-act")})
	sdktest.OK(t, err)
	_, err = e.v7.CreateImageComponent(&ecs.CreateImageComponentRequest{RegionId: dara.String(region), Name: dara.String("import-ic"),
		Content: dara.String("RUN true")})
	sdktest.OK(t, err)
}

// v7Disk reads one disk with the v7 SDK; nil when not listed.
func (e *env) v7Disk(t *testing.T, id string) *ecs.DescribeDisksResponseBodyDisksDisk {
	t.Helper()
	resp, err := e.v7.DescribeDisks(&ecs.DescribeDisksRequest{RegionId: dara.String(region), DiskIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	if len(resp.Body.Disks.Disk) == 0 {
		return nil
	}
	return resp.Body.Disks.Disk[0]
}

// v7SystemDisk is the id of an instance's system disk.
func (e *env) v7SystemDisk(t *testing.T, inst string) string {
	t.Helper()
	resp, err := e.v7.DescribeDisks(&ecs.DescribeDisksRequest{RegionId: dara.String(region), InstanceId: dara.String(inst),
		DiskType: dara.String("system")})
	sdktest.OK(t, err)
	if len(resp.Body.Disks.Disk) != 1 {
		t.Fatalf("system disks of %s: %v", inst, resp.Body)
	}
	return dara.StringValue(resp.Body.Disks.Disk[0].DiskId)
}

// v7Snapshot takes a snapshot of a disk and waits until it is accomplished.
func (e *env) v7Snapshot(t *testing.T, disk string) string {
	t.Helper()
	resp, err := e.v7.CreateSnapshot(&ecs.CreateSnapshotRequest{DiskId: dara.String(disk)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(time.Minute)
	return dara.StringValue(resp.Body.SnapshotId)
}

func TestReplaceSystemDisk(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	old := e.v7SystemDisk(t, id)
	manual := e.v7Snapshot(t, old)
	// Two automatic snapshots of the old disk, one locked.
	cp, err := e.v7.CreateAutoSnapshotPolicy(&ecs.CreateAutoSnapshotPolicyRequest{RegionId: dara.String(region), TimePoints: dara.String(`["3"]`),
		RepeatWeekdays: dara.String(everyDay), RetentionDays: dara.Int32(-1)})
	sdktest.OK(t, err)
	_, err = e.v7.ApplyAutoSnapshotPolicy(&ecs.ApplyAutoSnapshotPolicyRequest{RegionId: dara.String(region), AutoSnapshotPolicyId: cp.Body.AutoSnapshotPolicyId,
		DiskIds: dara.String(`["` + old + `"]`)})
	sdktest.OK(t, err)
	auto := e.s.Policies.Run(dara.StringValue(cp.Body.AutoSnapshotPolicyId))[0]
	e.s.Clock.Advance(time.Minute)
	lockedAuto := e.s.Policies.Run(dara.StringValue(cp.Body.AutoSnapshotPolicyId))[0]
	e.s.Clock.Advance(time.Minute)
	_, err = e.v7.LockSnapshot(&ecs.LockSnapshotRequest{RegionId: dara.String(region), SnapshotId: dara.String(lockedAuto),
		LockMode: dara.String("compliance"), CoolOffPeriod: dara.Int32(0), LockDuration: dara.Int32(1)})
	sdktest.OK(t, err)
	replace := func(req *ecs.ReplaceSystemDiskRequest) (string, error) {
		req.InstanceId = dara.String(id)
		resp, err := e.v7.ReplaceSystemDisk(req)
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.DiskId), nil
	}
	const ubuntu = "ubuntu_22_04_x64_20G_alibase_20240220.vhd"
	_, err = replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String(ubuntu)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectInstanceStatus")
	e.stop(t, id)
	_, err = replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String("m-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageId.NotFound")
	_, err = replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String(ubuntu), SystemDisk: &ecs.ReplaceSystemDiskRequestSystemDisk{Size: dara.Int32(10)}})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidSystemDiskSize.LessThanImageSize")
	_, err = replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String(ubuntu), KeyPairName: dara.String("nope")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidKeyPairName.NotFound")

	nd, err := replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String(ubuntu), ClientToken: dara.String("rsd-1"),
		SystemDisk: &ecs.ReplaceSystemDiskRequestSystemDisk{Size: dara.Int32(60)}})
	sdktest.OK(t, err)
	again, err := replace(&ecs.ReplaceSystemDiskRequest{ImageId: dara.String(ubuntu), ClientToken: dara.String("rsd-1"),
		SystemDisk: &ecs.ReplaceSystemDiskRequestSystemDisk{Size: dara.Int32(60)}})
	sdktest.OK(t, err)
	if nd == old || again != nd {
		t.Fatalf("new disk %s (old %s, replayed %s)", nd, old, again)
	}
	if e.v7Disk(t, old) != nil {
		t.Fatal("the old system disk is still listed")
	}
	d := e.v7Disk(t, nd)
	if d == nil || dara.StringValue(d.Type) != "system" || dara.Int32Value(d.Size) != 60 || dara.StringValue(d.ImageId) != ubuntu ||
		dara.StringValue(d.InstanceId) != id || dara.StringValue(d.Status) != "In_use" {
		t.Fatalf("new system disk: %v", d)
	}
	ir := classicecs.CreateDescribeInstancesRequest()
	ir.InstanceIds = `["` + id + `"]`
	insts, err := e.classic.DescribeInstances(ir)
	sdktest.OK(t, err)
	if insts.Instances.Instance[0].ImageId != ubuntu {
		t.Fatalf("instance image %s", insts.Instances.Instance[0].ImageId)
	}
	// A manual and a locked automatic snapshot of the old disk outlive it; the other automatic one goes (DeleteAutoSnapshot).
	for id, want := range map[string]bool{manual: true, lockedAuto: true, auto: false} {
		if got := e.v7Snap(t, region, id) != nil; got != want {
			t.Fatalf("snapshot %s listed %v after the replace, want %v", id, got, want)
		}
	}
	// The instance starts on its new disk.
	_, err = e.v7.StartInstance(&ecs.StartInstanceRequest{InstanceId: dara.String(id)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, id, "Running")
}

func TestResetDisk_AndResetDisks(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, withDataDisk)
	sys := e.v7SystemDisk(t, id)
	resp, err := e.v7.DescribeDisks(&ecs.DescribeDisksRequest{RegionId: dara.String(region), InstanceId: dara.String(id), DiskType: dara.String("data")})
	sdktest.OK(t, err)
	data := dara.StringValue(resp.Body.Disks.Disk[0].DiskId)
	sysSnap, dataSnap := e.v7Snapshot(t, sys), e.v7Snapshot(t, data)

	_, err = e.v7.ResetDisk(&ecs.ResetDiskRequest{DiskId: dara.String(sys), SnapshotId: dara.String(sysSnap)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectInstanceStatus")
	e.stop(t, id)
	_, err = e.v7.ResetDisk(&ecs.ResetDiskRequest{DiskId: dara.String(sys), SnapshotId: dara.String(dataSnap)})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidSnapshotId.NotBelongToDisk")
	_, err = e.v7.ResetDisk(&ecs.ResetDiskRequest{DiskId: dara.String(sys), SnapshotId: dara.String("s-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidSnapshotId.NotFound")
	_, err = e.v7.ResetDisk(&ecs.ResetDiskRequest{DiskId: dara.String("d-none"), SnapshotId: dara.String(sysSnap)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidDiskId.NotFound")
	_, err = e.v7.ResetDisk(&ecs.ResetDiskRequest{DiskId: dara.String(sys), SnapshotId: dara.String(sysSnap), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	r := classicecs.CreateResetDiskRequest()
	r.DiskId, r.SnapshotId = sys, sysSnap
	_, err = e.classic.ResetDisk(r)
	sdktest.OK(t, err)

	pair := func(d, s string) *ecs.ResetDisksRequestDisk {
		return &ecs.ResetDisksRequestDisk{DiskId: dara.String(d), SnapshotId: dara.String(s)}
	}
	_, err = e.v7.ResetDisks(&ecs.ResetDisksRequest{RegionId: dara.String(region), Disk: []*ecs.ResetDisksRequestDisk{pair(sys, sysSnap), pair(data, sysSnap)}})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidSnapshotId.NotBelongToDisk")
	all, err := e.v7.ResetDisks(&ecs.ResetDisksRequest{RegionId: dara.String(region), Disk: []*ecs.ResetDisksRequestDisk{pair(sys, sysSnap), pair(data, dataSnap)}})
	sdktest.OK(t, err)
	if p := all.Body.OperationProgressSet.OperationProgress; len(p) != 2 || dara.StringValue(p[1].OperationStatus) != "Success" ||
		dara.StringValue(p[1].RelatedItemSet.RelatedItem[0].Value) != data {
		t.Fatalf("progress: %v", all.Body)
	}
	_, err = e.v7.ResetDisks(&ecs.ResetDisksRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
}

func TestReInitDisk(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, nil)
	sys := e.v7SystemDisk(t, id)
	_, err := e.v7.ReInitDisk(&ecs.ReInitDiskRequest{DiskId: dara.String(sys)})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectInstanceStatus")
	e.stop(t, id)
	_, err = e.v7.ReInitDisk(&ecs.ReInitDiskRequest{DiskId: dara.String(sys), KeyPairName: dara.String("nope")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidKeyPairName.NotFound")
	kp, _ := e.createKeyPair(t, "reinit-kp")
	_, err = e.v7.ReInitDisk(&ecs.ReInitDiskRequest{DiskId: dara.String(sys), KeyPairName: dara.String(kp), AutoStartInstance: dara.Bool(true)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	e.wantStatus(t, id, "Running")
	ir := classicecs.CreateDescribeInstancesRequest()
	ir.InstanceIds = `["` + id + `"]`
	insts, err := e.classic.DescribeInstances(ir)
	sdktest.OK(t, err)
	if insts.Instances.Instance[0].KeyPairName != kp {
		t.Fatalf("key pair %q", insts.Instances.Instance[0].KeyPairName)
	}
	// A detached disk has nothing to reinitialize to.
	free, err := e.v7.CreateDisk(&ecs.CreateDiskRequest{RegionId: dara.String(region), ZoneId: dara.String(e.zone), Size: dara.Int32(40),
		DiskCategory: dara.String("cloud_essd")})
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	_, err = e.v7.ReInitDisk(&ecs.ReInitDiskRequest{DiskId: free.Body.DiskId})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectDiskStatus")
}

func TestModifyDiskSpec_AndFullStatus(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	mk := func(cat string, size int32) string {
		r, err := e.v7.CreateDisk(&ecs.CreateDiskRequest{RegionId: dara.String(region), ZoneId: dara.String(e.zone), Size: dara.Int32(size),
			DiskCategory: dara.String(cat)})
		sdktest.OK(t, err)
		e.s.Clock.Advance(5 * time.Second)
		return dara.StringValue(r.Body.DiskId)
	}
	essd, eff := mk("cloud_essd", 40), mk("cloud_efficiency", 40)
	spec := func(d, cat, pl string) error {
		req := &ecs.ModifyDiskSpecRequest{DiskId: dara.String(d)}
		if cat != "" {
			req.DiskCategory = dara.String(cat)
		}
		if pl != "" {
			req.PerformanceLevel = dara.String(pl)
		}
		_, err := e.v7.ModifyDiskSpec(req)
		return err
	}
	sdktest.WantFail(t, spec(essd, "", "PL2"), http.StatusForbidden, "InvalidPerformanceLevel.SizeNotSupported")
	sdktest.WantFail(t, spec(essd, "", "PL1"), http.StatusBadRequest, "InvalidParameter.DiskSpecUnchanged")
	sdktest.WantFail(t, spec(essd, "", "PL9"), http.StatusBadRequest, "InvalidParameter")
	sdktest.WantFail(t, spec(essd, "", ""), http.StatusBadRequest, "MissingParameter")
	sdktest.WantFail(t, spec("d-none", "", "PL0"), http.StatusNotFound, "InvalidDiskId.NotFound")
	sdktest.OK(t, spec(essd, "", "PL0"))
	if d := e.v7Disk(t, essd); dara.StringValue(d.PerformanceLevel) != "PL0" {
		t.Fatalf("level %v", d)
	}
	sdktest.WantFail(t, spec(eff, "", "PL1"), http.StatusBadRequest, "InvalidPerformanceLevel.Malformed")
	sdktest.OK(t, spec(eff, "cloud_essd", ""))
	if d := e.v7Disk(t, eff); dara.StringValue(d.Category) != "cloud_essd" || dara.StringValue(d.PerformanceLevel) != "PL1" {
		t.Fatalf("category %v", d)
	}

	fs, err := e.v7.DescribeDisksFullStatus(&ecs.DescribeDisksFullStatusRequest{RegionId: dara.String(region), DiskId: []*string{dara.String(essd)}})
	sdktest.OK(t, err)
	if s := fs.Body.DiskFullStatusSet.DiskFullStatusType; len(s) != 1 || dara.StringValue(s[0].Status.Name) != "Available" ||
		dara.StringValue(s[0].HealthStatus.Name) != "Ok" || dara.StringValue(s[0].DiskId) != essd {
		t.Fatalf("full status: %v", fs.Body)
	}
	fs, err = e.v7.DescribeDisksFullStatus(&ecs.DescribeDisksFullStatusRequest{RegionId: dara.String(region), HealthStatus: dara.String("Impaired")})
	sdktest.OK(t, err)
	if dara.Int32Value(fs.Body.TotalCount) != 0 {
		t.Fatalf("impaired: %v", fs.Body)
	}
	fs, err = e.v7.DescribeDisksFullStatus(&ecs.DescribeDisksFullStatusRequest{RegionId: dara.String(region), Status: dara.String("Available")})
	sdktest.OK(t, err)
	if dara.Int32Value(fs.Body.TotalCount) != 2 {
		t.Fatalf("available: %v", fs.Body)
	}
}

func TestDiskEncryptionByDefault(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rg := dara.String(region)
	status := func() bool {
		r, err := e.v7.DescribeDiskEncryptionByDefaultStatus(&ecs.DescribeDiskEncryptionByDefaultStatusRequest{RegionId: rg})
		sdktest.OK(t, err)
		return dara.BoolValue(r.Body.Encrypted)
	}
	key := func() string {
		r, err := e.v7.DescribeDiskDefaultKMSKeyId(&ecs.DescribeDiskDefaultKMSKeyIdRequest{RegionId: rg})
		sdktest.OK(t, err)
		return dara.StringValue(r.Body.KMSKeyId)
	}
	newDisk := func() *ecs.DescribeDisksResponseBodyDisksDisk {
		r, err := e.v7.CreateDisk(&ecs.CreateDiskRequest{RegionId: rg, ZoneId: dara.String(e.zone), Size: dara.Int32(40), DiskCategory: dara.String("cloud_essd")})
		sdktest.OK(t, err)
		return e.v7Disk(t, dara.StringValue(r.Body.DiskId))
	}
	if status() || key() != "" || dara.BoolValue(newDisk().Encrypted) {
		t.Fatal("encrypted before enabling")
	}
	_, err := e.v7.EnableDiskEncryptionByDefault(&ecs.EnableDiskEncryptionByDefaultRequest{RegionId: rg})
	sdktest.OK(t, err)
	if !status() || !dara.BoolValue(newDisk().Encrypted) {
		t.Fatal("not encrypted after enabling")
	}
	// A launch's disks too.
	id := e.run1(t, nil)
	if d := e.v7Disk(t, e.v7SystemDisk(t, id)); !dara.BoolValue(d.Encrypted) {
		t.Fatalf("system disk %v", d)
	}
	_, err = e.v7.ModifyDiskDefaultKMSKeyId(&ecs.ModifyDiskDefaultKMSKeyIdRequest{RegionId: rg, KMSKeyId: dara.String("key-1")})
	sdktest.OK(t, err)
	if key() != "key-1" || dara.StringValue(newDisk().KMSKeyId) != "key-1" {
		t.Fatal("default key not used")
	}
	_, err = e.v7.ModifyDiskDefaultKMSKeyId(&ecs.ModifyDiskDefaultKMSKeyIdRequest{RegionId: rg})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	_, err = e.v7.ResetDiskDefaultKMSKeyId(&ecs.ResetDiskDefaultKMSKeyIdRequest{RegionId: rg})
	sdktest.OK(t, err)
	if key() != "" {
		t.Fatal("key not reset")
	}
	_, err = e.v7.DisableDiskEncryptionByDefault(&ecs.DisableDiskEncryptionByDefaultRequest{RegionId: rg})
	sdktest.OK(t, err)
	if status() || dara.BoolValue(newDisk().Encrypted) {
		t.Fatal("encrypted after disabling")
	}
	_, err = e.v7.EnableDiskEncryptionByDefault(&ecs.EnableDiskEncryptionByDefaultRequest{RegionId: dara.String("xx-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidRegionId.NotFound")
}
