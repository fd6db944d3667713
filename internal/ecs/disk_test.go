package ecs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// S21: disks made by RunInstances go with the instance by default.
func TestDisks_S21_ReleasedByDefault(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, withDataDisk)
		e.stop(t, id)
		sys, data := e.instanceDisks(t, s, id)
		if len(data) != 1 || !sys.DWI || !data[0].DWI || sys.Device != "/dev/xvda" || data[0].Device != "/dev/xvdb" {
			t.Fatalf("disks of a new instance: %+v %+v", sys, data)
		}
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "")
		list, total, _, err := s.describe(e, diskQuery{IDs: []string{sys.ID, data[0].ID}})
		sdktest.OK(t, err)
		if total != 0 || len(list) != 0 {
			t.Fatalf("released disks still listed: %d %+v", total, list)
		}
	})
}

// S22: a standalone disk and a system disk switched to DWI=false outlive
// their instance, detached and pay-as-you-go, and can then be deleted.
func TestDisks_S22_Retained(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		disk, err := s.createDisk(e, diskOpts{Zone: e.zone, Size: 20})
		sdktest.OK(t, err)
		e.s.Clock.Advance(time.Second)
		if v := e.wantDisk(t, s, disk, "Available"); v.Category != "cloud" || v.DWI || v.DAS || !v.Portable || v.ChargeType != "PostPaid" {
			t.Fatalf("CreateDisk defaults: %+v", v)
		}
		e.attachDisk(t, s, id, disk, nil)
		if v, _ := e.disk(t, s, disk); v.DWI || v.InstanceID != id || v.Device != "/dev/xvdb" || v.Mounts != 1 || v.Attached == "" {
			t.Fatalf("AttachDisk defaults: %+v", v)
		}
		sys, _ := e.instanceDisks(t, s, id)
		sdktest.OK(t, s.modify(e, []string{sys.ID}, diskChange{DWI: bptr(false)}))
		e.releaseNow(t, d, id)
		for _, dk := range []string{sys.ID, disk} {
			v := e.wantDisk(t, s, dk, "Available")
			if v.InstanceID != "" || v.Device != "" || v.ChargeType != "PostPaid" || v.Detached == "" || v.Mounts != 0 {
				t.Fatalf("retained disk %+v", v)
			}
			sdktest.OK(t, s.deleteDisk(e, dk))
			e.wantDisk(t, s, dk, "")
		}
	})
}

// S26: a security lock refuses instance and disk operations but not stop
// or release, and releases a DWI=false data disk too.
func TestDisks_S26_SecurityLockOverridesDWI(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		disk := e.newDisk(t, s, 40)
		e.attachDisk(t, s, id, disk, bptr(false))
		spare := e.newDisk(t, s, 40)
		e.s.Locks.Add(id, "security")
		sdktest.WantFail(t, s.start(e, id), 403, "InstanceLockedForSecurity")
		sdktest.WantFail(t, s.protect(e, id, true), 403, "InstanceLockedForSecurity")
		sdktest.WantFail(t, s.attach(e, id, spare, nil), 403, "InstanceLockedForSecurity")
		sdktest.WantFail(t, s.detach(e, id, disk), 403, "InstanceLockedForSecurity")
		_, err := s.snapshot(e, disk, 0)
		sdktest.WantFail(t, err, 403, "InstanceLockedForSecurity")
		e.stop(t, id)
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		e.wantDisk(t, s, disk, "")
		e.wantDisk(t, s, spare, "Available")
	})
}

// S27: a locked, protected instance cannot be released through the API,
// since the protection cannot be switched off under the lock (§2).
func TestDisks_S27_LockAndProtection(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.DeletionProtection = requests.NewBoolean(true) })
		e.s.Locks.Add(id, "security")
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 403, "InvalidOperation.DeletionProtection")
		sdktest.WantFail(t, d.single(e, id, del{Force: true}), 403, "InvalidOperation.DeletionProtection")
		sdktest.WantFail(t, s.protect(e, id, false), 403, "InstanceLockedForSecurity")
		e.s.Clock.Advance(time.Hour)
		e.wantStatus(t, id, "Running")
	})
}

// otherZone is a zone of the region other than the env's.
func (e *env) otherZone(t *testing.T) string {
	t.Helper()
	zones, err := e.classic.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	for _, z := range zones.Zones.Zone {
		if z.ZoneId != e.zone && slices.Contains(z.AvailableDiskCategories.DiskCategories, "cloud_essd") {
			return z.ZoneId
		}
	}
	t.Fatal("the region has one zone only")
	return ""
}

func TestCreateDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{Profile: "realistic"}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		disk, err := s.createDisk(e, diskOpts{Zone: e.zone, Size: 40, Category: "cloud_essd", Tags: map[string]string{"team": "x"}})
		sdktest.OK(t, err)
		if !strings.HasPrefix(disk, "d-bp1") || len(disk) != 22 {
			t.Fatalf("disk id %q", disk)
		}
		v := e.wantDisk(t, s, disk, "Creating")
		if v.Tags["team"] != "x" || v.Expired != "2999-09-08T16:00Z" || len(v.Created) != len("2006-01-02T15:04:05Z") || v.Locks != 0 {
			t.Fatalf("new disk %+v", v)
		}
		sdktest.WantFail(t, s.attach(e, id, disk, nil), 403, "IncorrectDiskStatus")
		e.s.Clock.Advance(time.Second)
		e.wantDisk(t, s, disk, "Available")

		t.Run("attached at creation", func(t *testing.T) {
			at, err := s.createDisk(e, diskOpts{InstanceID: id, Size: 30, Category: "cloud_essd"})
			sdktest.OK(t, err)
			v := e.wantDisk(t, s, at, "Creating")
			if v.InstanceID != id || v.Zone != e.zone || v.DWI {
				t.Fatalf("create-and-attach %+v", v)
			}
			e.s.Clock.Advance(time.Second)
			if v = e.wantDisk(t, s, at, "In_use"); v.Device != "/dev/xvdb" {
				t.Fatalf("device %q", v.Device)
			}
		})
		t.Run("from a snapshot", func(t *testing.T) {
			snap, err := s.snapshot(e, disk, 0)
			sdktest.OK(t, err)
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, SnapshotID: snap, Category: "cloud_essd"})
			sdktest.WantFail(t, err, 403, "InvalidSnapshotId.NotReady")
			e.s.Clock.Advance(2 * time.Second)
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, SnapshotID: snap, Category: "cloud_essd", Size: 20})
			sdktest.WantFail(t, err, 400, "InvalidDiskSize.ValueNotSupported")
			from, err := s.createDisk(e, diskOpts{Zone: e.zone, SnapshotID: snap, Category: "cloud_essd"})
			sdktest.OK(t, err)
			e.s.Clock.Advance(time.Second)
			if v := e.wantDisk(t, s, from, "Available"); v.Size != 40 || v.SourceSnapshotID != snap {
				t.Fatalf("disk from snapshot %+v", v)
			}
			list, _, _, err := s.describe(e, diskQuery{SnapshotID: snap})
			sdktest.OK(t, err)
			if len(list) != 1 || list[0].ID != from {
				t.Fatalf("SnapshotId filter: %+v", list)
			}
		})
		t.Run("refusals", func(t *testing.T) {
			_, err := s.createDisk(e, diskOpts{Size: 20})
			sdktest.WantFail(t, err, 400, "MissingParameter")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone})
			sdktest.WantFail(t, err, 400, "MissingParameter")
			_, err = s.createDisk(e, diskOpts{Zone: "cn-hangzhou-zz", Size: 20})
			sdktest.WantFail(t, err, 404, "InvalidZoneId.NotFound")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 20, Category: "cloud_nosuch"})
			sdktest.WantFail(t, err, 400, "InvalidDiskCategory.ValueNotSupported")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 3000})
			sdktest.WantFail(t, err, 400, "InvalidDiskSize.ValueNotSupported")
			// Each category and performance level has its own range.
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 1, Category: "cloud_essd"})
			sdktest.WantFail(t, err, 400, "InvalidDiskSize.ValueNotSupported")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 100, Category: "cloud_essd", PerformanceLevel: "PL2"})
			sdktest.WantFail(t, err, 400, "InvalidDiskSize.ValueNotSupported")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 40000, Category: "cloud_efficiency"})
			sdktest.WantFail(t, err, 400, "InvalidDiskSize.ValueNotSupported")
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 1, Category: "cloud_essd", PerformanceLevel: "PL0"})
			sdktest.OK(t, err)
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, Size: 40000, Category: "cloud_essd"})
			sdktest.OK(t, err)
			_, err = s.createDisk(e, diskOpts{Zone: e.zone, SnapshotID: "s-bp1nosuchsnapshot00"})
			sdktest.WantFail(t, err, 404, "InvalidSnapshotId.NotFound")
			_, err = s.createDisk(e, diskOpts{InstanceID: "i-bp1nosuchinstance00", Size: 20})
			sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")
			_, err = s.createDisk(e, diskOpts{InstanceID: id, Zone: e.otherZone(t), Size: 20})
			sdktest.WantFail(t, err, 403, "ResourcesNotInSameZone")
		})
	})
}

func TestAttachDetachDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{Profile: "realistic"}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
		a, b := ids[0], ids[1]
		disk := e.newDisk(t, s, 40)
		sdktest.OK(t, s.attach(e, a, disk, bptr(true)))
		if v := e.wantDisk(t, s, disk, "Attaching"); v.InstanceID != a || !v.DWI {
			t.Fatalf("attaching %+v", v)
		}
		sdktest.WantFail(t, s.attach(e, b, disk, nil), 403, "IncorrectDiskStatus")
		sdktest.WantFail(t, s.detach(e, a, disk), 403, "IncorrectDiskStatus")
		e.s.Clock.Advance(time.Second)
		e.wantDisk(t, s, disk, "In_use")
		sdktest.WantFail(t, s.deleteDisk(e, disk), 403, "IncorrectDiskStatus")

		sys, _ := e.instanceDisks(t, s, a)
		sdktest.WantFail(t, s.detach(e, a, sys.ID), 403, "DiskTypeViolation")
		sdktest.WantFail(t, s.detach(e, b, disk), 403, "DependencyViolation")
		sdktest.WantFail(t, s.detach(e, a, "d-bp1nosuchdisk00000"), 404, "InvalidDiskId.NotFound")
		sdktest.WantFail(t, s.detach(e, "i-bp1nosuchinstance00", disk), 404, "InvalidInstanceId.NotFound")

		sdktest.OK(t, s.detach(e, a, disk))
		if v := e.wantDisk(t, s, disk, "Detaching"); v.InstanceID != a || v.DWI {
			t.Fatalf("detaching %+v", v)
		}
		e.s.Clock.Advance(time.Second)
		if v := e.wantDisk(t, s, disk, "Available"); v.InstanceID != "" || v.Device != "" || v.Detached == "" {
			t.Fatalf("detached %+v", v)
		}

		t.Run("refusals", func(t *testing.T) {
			sdktest.WantFail(t, s.attach(e, a, "d-bp1nosuchdisk00000", nil), 404, "InvalidDiskId.NotFound")
			sdktest.WantFail(t, s.attach(e, "i-bp1nosuchinstance00", disk, nil), 404, "InvalidInstanceId.NotFound")
			far, err := s.createDisk(e, diskOpts{Zone: e.otherZone(t), Size: 40, Category: "cloud_essd"})
			sdktest.OK(t, err)
			e.s.Clock.Advance(time.Second)
			sdktest.WantFail(t, s.attach(e, a, far, nil), 403, "ResourcesNotInSameZone")
			// A release under way refuses the instance (§3.4).
			sdktest.OK(t, d.batch(e, []string{b}, del{Force: true}))
			sdktest.WantFail(t, s.attach(e, b, disk, nil), 403, "IncorrectInstanceStatus")
		})
	})
}

func TestDescribeDisks_FiltersAndPaging(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, withDataDisk)
		sys, data := e.instanceDisks(t, s, id)
		var loose []string
		for n := 0; n < 5; n++ {
			dk, err := s.createDisk(e, diskOpts{Zone: e.zone, Size: 20, Tags: map[string]string{"n": string(rune('a' + n))}})
			sdktest.OK(t, err)
			loose = append(loose, dk)
		}
		e.s.Clock.Advance(time.Second)
		count := func(q diskQuery) int {
			t.Helper()
			_, total, _, err := s.describe(e, q)
			sdktest.OK(t, err)
			return total
		}
		for name, c := range map[string]struct {
			q    diskQuery
			want int
		}{
			"all":                    {diskQuery{}, 7},
			"system":                 {diskQuery{DiskType: "system"}, 1},
			"data":                   {diskQuery{DiskType: "data"}, 6},
			"in use":                 {diskQuery{Status: "In_use"}, 2},
			"available":              {diskQuery{Status: "Available"}, 5},
			"instance":               {diskQuery{InstanceID: id}, 2},
			"DeleteWithInstance":     {diskQuery{DWI: bptr(true)}, 2},
			"not DeleteWithInstance": {diskQuery{DWI: bptr(false)}, 5},
			"DeleteAutoSnapshot":     {diskQuery{DAS: bptr(true)}, 2}, // RunInstances disks; CreateDisk ones keep theirs
			"not DeleteAutoSnapshot": {diskQuery{DAS: bptr(false)}, 5},
			"tag":                    {diskQuery{TagKey: "n", TagValue: "c"}, 1},
			"tag key":                {diskQuery{TagKey: "n"}, 5},
			"ids":                    {diskQuery{IDs: []string{sys.ID, data[0].ID, "d-bp1nosuchdisk00000"}}, 2},
			"empty ids":              {diskQuery{IDs: []string{}}, 0},
		} {
			if got := count(c.q); got != c.want {
				t.Errorf("%s: %d disks, want %d", name, got, c.want)
			}
		}
		var paged []string
		for page := 1; page <= 3; page++ {
			list, total, _, err := s.describe(e, diskQuery{PageNumber: page, PageSize: 3})
			sdktest.OK(t, err)
			if total != 7 {
				t.Fatalf("TotalCount %d", total)
			}
			for _, v := range list {
				paged = append(paged, v.ID)
			}
		}
		var keyset []string
		for tok, rounds := "", 0; ; rounds++ {
			list, _, next, err := s.describe(e, diskQuery{MaxResults: 2, NextToken: tok})
			sdktest.OK(t, err)
			for _, v := range list {
				keyset = append(keyset, v.ID)
			}
			if next == "" || rounds > 10 {
				break
			}
			tok = next
		}
		want := append([]string{sys.ID, data[0].ID}, loose...)
		if !slices.Equal(paged, want) || !slices.Equal(keyset, want) {
			t.Fatalf("pages %v, tokens %v, want %v", paged, keyset, want)
		}
	})
}

func TestModifyDiskAttribute(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		a, b := e.newDisk(t, s, 20), e.newDisk(t, s, 20)
		sdktest.OK(t, s.modify(e, []string{a, b}, diskChange{DAS: bptr(false), DWI: bptr(true)}))
		sdktest.OK(t, s.modify(e, []string{a}, diskChange{Name: "renamed", EAS: bptr(true)}))
		va, _ := e.disk(t, s, a)
		vb, _ := e.disk(t, s, b)
		if va.DAS || vb.DAS || !va.DWI || !vb.DWI || va.Name != "renamed" || vb.Name != "" || !va.EAS || vb.EAS {
			t.Fatalf("modified %+v %+v", va, vb)
		}
		// Batches are all or nothing.
		sdktest.WantFail(t, s.modify(e, []string{a, "d-bp1nosuchdisk00000"}, diskChange{DAS: bptr(true)}), 404, "InvalidDiskId.NotFound")
		if va, _ = e.disk(t, s, a); va.DAS {
			t.Fatal("a refused batch changed a disk")
		}
	})
}

// A subscription data disk must become pay-as-you-go before it is detached.
func TestModifyDiskChargeType(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, func(r *classicecs.RunInstancesRequest) { prepaid(r); withDataDisk(r) })
		_, data := e.instanceDisks(t, s, id)
		disk := data[0]
		if disk.ChargeType != "PrePaid" || disk.Expired == "2999-09-08T16:00Z" {
			t.Fatalf("subscription data disk %+v", disk)
		}
		sdktest.WantFail(t, s.detach(e, id, disk.ID), 403, "InvalidDiskChargeType.NotSupported")
		sdktest.WantFail(t, s.chargeType(e, "i-bp1nosuchinstance00", []string{disk.ID}, "PostPaid"), 404, "InvalidInstanceId.NotFound")
		loose := e.newDisk(t, s, 20)
		sdktest.WantFail(t, s.chargeType(e, id, []string{disk.ID, loose}, "PostPaid"), 403, "DependencyViolation")
		sdktest.OK(t, s.chargeType(e, id, []string{disk.ID}, "PostPaid"))
		if v, _ := e.disk(t, s, disk.ID); v.ChargeType != "PostPaid" || v.Expired != "2999-09-08T16:00Z" {
			t.Fatalf("converted %+v", v)
		}
		sdktest.OK(t, s.detach(e, id, disk.ID))
		e.s.Clock.Advance(time.Second)
		e.wantDisk(t, s, disk.ID, "Available")
	})
}

func TestResizeAndDeleteDisk(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{Profile: "realistic"}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		disk := e.newDisk(t, s, 40)
		sdktest.OK(t, s.resize(e, disk, 60))
		if v, _ := e.disk(t, s, disk); v.Size != 60 {
			t.Fatalf("size %d", v.Size)
		}
		sdktest.WantFail(t, s.resize(e, disk, 50), 403, "InvalidDiskSize.TooSmall")
		sdktest.WantFail(t, s.resize(e, disk, 70000), 403, "InvalidDiskSize.TooLarge")
		sdktest.WantFail(t, s.resize(e, "d-bp1nosuchdisk00000", 70), 404, "InvalidDiskId.NotFound")

		_, err := s.snapshot(e, disk, 0)
		sdktest.OK(t, err)
		sdktest.WantFail(t, s.deleteDisk(e, disk), 403, "DiskCreatingSnapshot")
		e.s.Clock.Advance(2 * time.Second)
		sdktest.OK(t, s.deleteDisk(e, disk))
		e.wantDisk(t, s, disk, "")
		sdktest.WantFail(t, s.deleteDisk(e, disk), 404, "InvalidDiskId.NotFound")
	})
}

// A data disk whose attachment (DeleteWithInstance) completes at the very
// time its instance's release does goes with the instance, and the
// account's calls go on: the release's removal of the disk comes first in
// the round, and the disk's own due step then finds nothing to do.
func TestDisks_AttachCompletesAtRelease(t *testing.T) {
	forEachDiskSDK(t, realistic(), func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, nil)
		e.s.Clock.Advance(10 * time.Second)
		e.stop(t, id)
		disk := e.newDisk(t, s, 40)
		e.s.Config.Patch(map[string]any{"delays": map[string]any{"disk": "3s", "release": "3s"}})
		sdktest.OK(t, s.attach(e, id, disk, bptr(true)))
		sdktest.OK(t, d.batch(e, []string{id}, del{}))
		e.s.Clock.Advance(5 * time.Second)
		e.wantStatus(t, id, "")
		e.wantDisk(t, s, disk, "")
		e.wantDisk(t, s, e.newDisk(t, s, 20), "Available")
	})
}
