package cloud

import (
	"errors"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func codeOf(err error) string {
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	if err != nil {
		return "non-catalog: " + err.Error()
	}
	return ""
}

func running() Instance {
	return Instance{ID: "i-a", Region: "cn-hangzhou", Status: StatusRunning, ChargeType: PostPaid, Started: t0.Add(-time.Hour)}
}

// TestCheckRelease has one row per branch of spec/semantics.md §3.3 step 5.
func TestCheckRelease(t *testing.T) {
	stopped := running()
	stopped.Status = StatusStopped
	mod := func(base Instance, f func(*Instance)) Instance { f(&base); return base }
	cases := []struct {
		name string
		inst Instance
		req  Release
		h    Holders
		want string
	}{
		{"5a protection on stopped", mod(stopped, func(i *Instance) { i.Protected = true }), Release{}, Holders{}, "InvalidOperation.DeletionProtection"},
		{"5a protection beats Force on running", mod(running(), func(i *Instance) { i.Protected = true }), Release{Force: true}, Holders{}, "InvalidOperation.DeletionProtection"},
		{"5a protection under security lock", mod(running(), func(i *Instance) { i.Protected = true; i.Locks = []Lock{{Reason: LockSecurity}} }), Release{Force: true}, Holders{}, "InvalidOperation.DeletionProtection"},
		{"5b subscription not expired", mod(stopped, func(i *Instance) { i.ChargeType = PrePaid; i.Expires = t0.Add(time.Hour) }), Release{}, Holders{}, "ChargeTypeViolation"},
		{"5b not expired with TerminateSubscription", mod(stopped, func(i *Instance) { i.ChargeType = PrePaid; i.Expires = t0.Add(time.Hour) }), Release{TerminateSubscription: true}, Holders{}, "ChargeTypeViolation"},
		{"5b expired without TerminateSubscription", mod(stopped, func(i *Instance) { i.ChargeType = PrePaid; i.Expired = true }), Release{}, Holders{}, "ChargeTypeViolation"},
		{"5b expired with TerminateSubscription", mod(stopped, func(i *Instance) { i.ChargeType = PrePaid; i.Expired = true }), Release{TerminateSubscription: true}, Holders{}, ""},
		{"5b PostPaid ignores TerminateSubscription", stopped, Release{TerminateSubscription: true}, Holders{}, ""},
		{"5c pending", mod(running(), func(i *Instance) { i.Status = StatusPending }), Release{Force: true}, Holders{}, "IncorrectInstanceStatus.Initializing"},
		{"5c initializing window", mod(running(), func(i *Instance) { i.InitializingUntil = t0.Add(time.Second) }), Release{Force: true}, Holders{}, "IncorrectInstanceStatus.Initializing"},
		{"5c window over", mod(running(), func(i *Instance) { i.InitializingUntil = t0 }), Release{Force: true}, Holders{}, ""},
		{"5c starting", mod(running(), func(i *Instance) { i.Status = StatusStarting }), Release{Force: true}, Holders{}, "IncorrectInstanceStatus"},
		{"5c stopping", mod(running(), func(i *Instance) { i.Status = StatusStopping }), Release{Force: true}, Holders{}, "IncorrectInstanceStatus"},
		{"5c releasing", mod(stopped, func(i *Instance) { i.Releasing = true }), Release{Force: true}, Holders{}, "IncorrectInstanceStatus"},
		{"5c running without Force", running(), Release{}, Holders{}, "IncorrectInstanceStatus"},
		{"5c running with Force", running(), Release{Force: true}, Holders{}, ""},
		{"5c stopped without Force", stopped, Release{}, Holders{}, ""},
		{"5d linked ENI", stopped, Release{}, holdOf(KindENI, "eni-1"), "InvalidOperation.EniLinked"},
		{"5e route entry", stopped, Release{}, holdOf(KindRouteEntry, "rte-1"), "DependencyViolation.RouteEntry"},
		{"5f SLB configuring", stopped, Release{}, holdOf(KindLoadBalancer, "lb-1"), "DependencyViolation.SLBConfiguring"},
		{"5g security lock is no refusal", mod(stopped, func(i *Instance) { i.Locks = []Lock{{Reason: LockSecurity}} }), Release{}, Holders{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeOf(CheckRelease(tc.inst, tc.req, tc.h, t0)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckExistence(t *testing.T) {
	a := Instance{ID: "i-a", Region: "r1"}
	b := Instance{ID: "i-b", Region: "r2"}
	found := map[string]Instance{"i-a": a, "i-b": b}
	cases := []struct {
		name, region string
		ids          []string
		want         string
	}{
		{"all present", "r1", []string{"i-a"}, ""},
		{"none present", "r1", []string{"i-x"}, "InvalidInstanceIds.NotFound"},
		{"only other region is not found", "r2", []string{"i-a"}, "InvalidInstanceIds.NotFound"},
		{"spans regions", "r1", []string{"i-a", "i-b"}, "InvalidParameter.CrossRegionNotSupport"},
		{"some missing", "r1", []string{"i-a", "i-x"}, "InvalidInstanceId.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeOf(CheckExistence(tc.ids, found, tc.region)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDedupIDs(t *testing.T) {
	got, err := DedupIDs([]string{"a", "b", "a", "c", "b"}, false)
	if err != nil || len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Fatalf("dedup: %v %v", got, err)
	}
	if _, err := DedupIDs([]string{"a", "a"}, true); codeOf(err) != "InvalidInstanceIds.ValueNotSupported" {
		t.Fatalf("reject: %v", err)
	}
}

// TestReleaseTimeline checks §3.4: Running+Force goes Stopping, Stopped,
// gone, never Starting; Stopped waits for removal.
func TestReleaseTimeline(t *testing.T) {
	d := RealisticDelays()
	i := StartRelease(running(), Release{Force: true, ForceStop: true}, t0, d)
	if i.Status != StatusStopping || !i.Releasing {
		t.Fatalf("t0: %s releasing=%v", i.Status, i.Releasing)
	}
	i, gone := Advance(i, t0.Add(d.ReleaseForceStop.D()), false)
	if gone != nil || i.Status != StatusStopped {
		t.Fatalf("after stop: %s gone=%v", i.Status, gone)
	}
	_, gone = Advance(i, t0.Add(d.ReleaseForceStop.D()+d.ReleaseAfterStop.D()), false)
	if gone == nil || gone.Automatic {
		t.Fatalf("not gone: %+v", gone)
	}
	graceful := StartRelease(running(), Release{Force: true, ForceStop: false}, t0, d)
	if graceful.Steps[0].At != t0.Add(d.ReleaseGraceStop.D()) {
		t.Fatalf("graceful stop at %v", graceful.Steps[0].At)
	}
	stopped := running()
	stopped.Status = StatusStopped
	s := StartRelease(stopped, Release{}, t0, d)
	if s.Status != StatusStopped || len(s.Steps) != 1 || s.Steps[0].At != t0.Add(d.Release.D()) {
		t.Fatalf("stopped release: %+v", s)
	}
}

func TestAdvanceSubscriptionAndAutoRelease(t *testing.T) {
	i := running()
	i.ChargeType, i.Expires = PrePaid, t0.Add(time.Hour)
	i, gone := Advance(i, t0.Add(2*time.Hour), true)
	if gone != nil || !i.Expired || i.Status != StatusStopped || !i.HasLock(LockFinancial) {
		t.Fatalf("expiry: %+v gone=%v", i, gone)
	}
	_, gone = Advance(i, t0.Add(time.Hour+ExpiredReleaseAfter), false)
	if gone == nil || !gone.Automatic {
		t.Fatalf("15-day release: %+v", gone)
	}
	p := running()
	p.Protected, p.AutoRelease = true, t0.Add(30*time.Minute)
	if _, gone := Advance(p, t0.Add(31*time.Minute), false); gone == nil || !gone.Automatic {
		t.Fatal("auto release must ignore protection")
	}
}

// TestReleaseEffects has one row per disk rule of §3.6.
func TestReleaseEffects(t *testing.T) {
	inst := running()
	disks := []Disk{
		{ID: "d-sys", Type: "system", Category: "cloud_essd", DeleteWithInstance: true, DeleteAutoSnapshot: true, InstanceID: "i-a", Status: DiskInUse},
		{ID: "d-keep", Type: "data", Category: "cloud_essd", DeleteWithInstance: false, DeleteAutoSnapshot: true, InstanceID: "i-a", Status: DiskInUse, ChargeType: PrePaid},
		{ID: "d-keepauto", Type: "data", Category: "cloud_essd", DeleteWithInstance: true, DeleteAutoSnapshot: false, InstanceID: "i-a", Status: DiskInUse},
		{ID: "d-local", Type: "data", Category: "local_ssd_pro", DeleteWithInstance: false, InstanceID: "i-a", Status: DiskInUse},
	}
	snaps := []Snapshot{
		{ID: "s-auto-sys", SourceDiskID: "d-sys", Type: SnapshotAuto},
		{ID: "s-user-sys", SourceDiskID: "d-sys", Type: SnapshotUser},
		{ID: "s-auto-keep", SourceDiskID: "d-keep", Type: SnapshotAuto},
		{ID: "s-auto-keepauto", SourceDiskID: "d-keepauto", Type: SnapshotAuto},
	}
	e := ReleaseEffects(inst, Attached{Disks: disks, Snapshots: snaps}, t0)
	if want := []string{"d-sys", "d-keepauto", "d-local"}; !equal(e.DeleteDisks, want) {
		t.Fatalf("deleted disks %v, want %v", e.DeleteDisks, want)
	}
	if len(e.KeepDisks) != 1 || e.KeepDisks[0].ID != "d-keep" || e.KeepDisks[0].Status != DiskAvailable ||
		e.KeepDisks[0].InstanceID != "" || e.KeepDisks[0].ChargeType != PostPaid || e.KeepDisks[0].Detached != t0 {
		t.Fatalf("kept disks %+v", e.KeepDisks)
	}
	if want := []string{"s-auto-sys"}; !equal(e.DeleteSnapshots, want) {
		t.Fatalf("deleted snapshots %v, want %v", e.DeleteSnapshots, want)
	}
	t.Run("security lock releases every disk", func(t *testing.T) {
		locked := inst
		locked.Locks = []Lock{{Reason: LockSecurity}}
		e := ReleaseEffects(locked, Attached{Disks: disks}, t0)
		if len(e.DeleteDisks) != 4 || len(e.KeepDisks) != 0 {
			t.Fatalf("locked: %+v", e)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// holdOf is the hold the registry's declaration of kind makes for id.
func holdOf(kind, id string) Holders {
	k, _ := KindOf(kind)
	return Holders{{Kind: kind, ID: id, Err: k.Hold.Refuse(id, Instance{ID: "i-x"})}}
}
