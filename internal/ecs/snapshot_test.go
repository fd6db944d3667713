package ecs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// Snapshots progress over the emulated clock (§2, realistic: 2 s).
func TestSnapshots_ProgressAndFilters(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{Profile: "realistic"}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		id := e.run1(t, withDataDisk)
		sys, data := e.instanceDisks(t, s, id)
		snap, err := s.snapshot(e, data[0].ID, 0)
		sdktest.OK(t, err)
		if !strings.HasPrefix(snap, "s-bp1") || len(snap) != 22 {
			t.Fatalf("snapshot id %q", snap)
		}
		one := func() snapView {
			t.Helper()
			list, err := s.snapshots(e, snapQuery{IDs: []string{snap}})
			sdktest.OK(t, err)
			if len(list) != 1 {
				t.Fatalf("snapshot %s: %+v", snap, list)
			}
			return list[0]
		}
		v := one()
		if v.Status != "progressing" || v.Progress != "0%" || v.Type != "user" || v.SourceDiskID != data[0].ID ||
			v.SourceDiskSize != "40" || v.SourceDiskType != "Data" || v.Usage != "none" {
			t.Fatalf("new snapshot %+v", v)
		}
		_, err = s.snapshot(e, data[0].ID, 0)
		sdktest.WantFail(t, err, 403, "IncorrectDiskStatus.CreatingSnapshot")
		e.s.Clock.Advance(time.Second)
		if v = one(); v.Progress != "50%" || v.Status != "progressing" {
			t.Fatalf("half way %+v", v)
		}
		e.s.Clock.Advance(time.Second)
		if v = one(); v.Progress != "100%" || v.Status != "accomplished" {
			t.Fatalf("done %+v", v)
		}
		sysSnap, err := s.snapshot(e, sys.ID, 0)
		sdktest.OK(t, err)
		e.s.Clock.Advance(2 * time.Second)
		for name, c := range map[string]struct {
			q    snapQuery
			want []string
		}{
			"disk":              {snapQuery{DiskID: data[0].ID}, []string{snap}},
			"instance":          {snapQuery{InstanceID: id}, []string{snap, sysSnap}},
			"user":              {snapQuery{Type: "user"}, []string{snap, sysSnap}},
			"auto":              {snapQuery{Type: "auto"}, nil},
			"all":               {snapQuery{Type: "all"}, []string{snap, sysSnap}},
			"accomplished":      {snapQuery{Status: "accomplished"}, []string{snap, sysSnap}},
			"progressing":       {snapQuery{Status: "progressing"}, nil},
			"system, any case":  {snapQuery{SourceType: "system"}, []string{sysSnap}},
			"data":              {snapQuery{SourceType: "Data"}, []string{snap}},
			"unknown ids":       {snapQuery{IDs: []string{"s-bp1nosuchsnapshot00"}}, nil},
			"ids, one of which": {snapQuery{IDs: []string{sysSnap, "s-bp1nosuchsnapshot00"}}, []string{sysSnap}},
		} {
			if got := e.snapshotIDs(t, s, c.q); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		_, err = s.snapshot(e, "d-bp1nosuchdisk00000", 0)
		sdktest.WantFail(t, err, 404, "InvalidDiskId.NotFound")
	})
}

// RetentionDays removes a snapshot on the emulated clock.
func TestSnapshots_RetentionDays(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		disk := e.newDisk(t, s, 20)
		short, err := s.snapshot(e, disk, 1)
		sdktest.OK(t, err)
		e.s.Clock.Advance(time.Second)
		kept, err := s.snapshot(e, disk, 0)
		sdktest.OK(t, err)
		list, err := s.snapshots(e, snapQuery{IDs: []string{short}})
		sdktest.OK(t, err)
		if len(list) != 1 || list[0].RetentionDays != 1 {
			t.Fatalf("RetentionDays %+v", list)
		}
		e.s.Clock.Advance(23 * time.Hour)
		if got := e.snapshotIDs(t, s, snapQuery{DiskID: disk}); !slices.Equal(got, []string{short, kept}) {
			t.Fatalf("before expiry %v", got)
		}
		e.s.Clock.Advance(time.Hour)
		if got := e.snapshotIDs(t, s, snapQuery{DiskID: disk}); !slices.Equal(got, []string{kept}) {
			t.Fatalf("after expiry %v", got)
		}
	})
}

// DeleteSnapshot refuses a snapshot disks were made from, unless Force.
func TestDeleteSnapshot(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		disk := e.newDisk(t, s, 20)
		snap, err := s.snapshot(e, disk, 0)
		sdktest.OK(t, err)
		e.s.Clock.Advance(time.Second)
		from, err := s.createDisk(e, diskOpts{Zone: e.zone, SnapshotID: snap})
		sdktest.OK(t, err)
		if list, _ := s.snapshots(e, snapQuery{IDs: []string{snap}}); len(list) != 1 || list[0].Usage != "disk" {
			t.Fatalf("usage %+v", list)
		}
		sdktest.WantFail(t, s.deleteSnapshot(e, snap, false), 403, "SnapshotCreatedDisk")
		sdktest.OK(t, s.deleteSnapshot(e, snap, true))
		if got := e.snapshotIDs(t, s, snapQuery{DiskID: disk}); len(got) != 0 {
			t.Fatalf("still listed: %v", got)
		}
		if v, _ := e.disk(t, s, from); v.SourceSnapshotID != snap {
			t.Fatalf("disk forgot its snapshot: %+v", v)
		}
		sdktest.WantFail(t, s.deleteSnapshot(e, snap, false), 404, "InvalidSnapshotId.NotFound")
		other, err := s.snapshot(e, disk, 0)
		sdktest.OK(t, err)
		sdktest.OK(t, s.deleteSnapshot(e, other, false))
	})
}
