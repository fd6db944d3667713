package cloud

import (
	"errors"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

func TestChangeDiskSpec(t *testing.T) {
	essd := Disk{ID: "d-1", Type: DiskData, Category: DiskCategoryESSD, Size: 40, Status: DiskAvailable}
	tests := []struct {
		name       string
		d          Disk
		cat, level string
		wantCode   string
		wantCat    string
		wantLevel  string
	}{
		{"down to PL0", essd, "", "PL0", "", DiskCategoryESSD, "PL0"},
		{"PL2 needs 461 GiB", essd, "", "PL2", "InvalidPerformanceLevel.SizeNotSupported", "", ""},
		{"the same spec", essd, "", "PL1", "InvalidParameter.DiskSpecUnchanged", "", ""},
		{"efficiency to ESSD takes PL1", Disk{Category: DiskCategoryEfficiency, Type: DiskData, Size: 40, Status: DiskInUse}, DiskCategoryESSD, "", "", DiskCategoryESSD, "PL1"},
		{"a level on a non-ESSD", Disk{Category: DiskCategoryEfficiency, Size: 40, Status: DiskInUse}, "", "PL1", "InvalidPerformanceLevel.Malformed", "", ""},
		{"a disk being created", Disk{Category: DiskCategoryESSD, Size: 40, Status: DiskCreating}, "", "PL0", "IncorrectDiskStatus", "", ""},
		{"a local disk", Disk{Category: "ephemeral_ssd", Size: 40, Status: DiskInUse}, DiskCategoryESSD, "", "InvalidDiskCategory.NotSupported", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChangeDiskSpec(tt.d, tt.cat, tt.level)
			if code := errCode(err); code != tt.wantCode {
				t.Fatalf("code %q, want %q (%v)", code, tt.wantCode, err)
			}
			if err == nil && (got.Category != tt.wantCat || got.PerformanceLevel != tt.wantLevel) {
				t.Fatalf("got %s %s", got.Category, got.PerformanceLevel)
			}
		})
	}
}

func TestResetDiskRule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Disk{ID: "d-1", Status: DiskInUse, InstanceID: "i-1"}
	stopped, running := Instance{ID: "i-1", Status: StatusStopped}, Instance{ID: "i-1", Status: StatusRunning}
	snap := Snapshot{ID: "s-1", SourceDiskID: "d-1", Status: SnapshotAccomplished}
	tests := []struct {
		name     string
		inst     *Instance
		s        Snapshot
		wantCode string
	}{
		{"stopped", &stopped, snap, ""},
		{"running", &running, snap, "IncorrectInstanceStatus"},
		{"another disk's snapshot", &stopped, Snapshot{ID: "s-2", SourceDiskID: "d-2", Status: SnapshotAccomplished}, "InvalidSnapshotId.NotBelongToDisk"},
		{"progressing", &stopped, Snapshot{ID: "s-3", SourceDiskID: "d-1", Status: SnapshotProgressing}, "InvalidSnapshotId.NotReady"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResetDisk(d, tt.inst, tt.s, now)
			if code := errCode(err); code != tt.wantCode {
				t.Fatalf("code %q, want %q", code, tt.wantCode)
			}
			if err == nil && (got.Rewrite == nil || got.Rewrite.From != tt.s.ID) {
				t.Fatalf("rewrite %+v", got.Rewrite)
			}
		})
	}
}

func errCode(err error) string {
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestSnapshotLockRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Disk{ID: "d-1", DeleteAutoSnapshot: true}
	s := Snapshot{ID: "s-1", SourceDiskID: "d-1", Type: SnapshotAuto, Status: SnapshotAccomplished, RetentionDays: 1, Created: t0}
	locked, err := LockSnapshotRule(s, 2, 3, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Locked: it stays with its disk, refuses deletion, waits with its retention.
	if SnapshotGoesWithDisk(locked, d) || !SnapshotGoesWithDisk(s, d) {
		t.Error("a locked snapshot went with its disk")
	}
	if errCode(CheckDeleteSnapshot(locked, 0, true)) != "OperationDenied.SnapshotLocked" {
		t.Error("a locked snapshot deletes")
	}
	if !locked.RetainUntil().IsZero() || !locked.NextDue().Equal(t0.AddDate(0, 0, 3)) {
		t.Errorf("due %v, retain %v", locked.NextDue(), locked.RetainUntil())
	}
	// States over time; unlock only in the cool-off; after it only longer.
	for at, want := range map[time.Duration]string{0: SnapshotLockCoolOff, 2 * time.Hour: SnapshotLockCompliance, 72 * time.Hour: SnapshotLockExpired} {
		if got := locked.Lock.Status(t0.Add(at)); got != want {
			t.Errorf("at +%v: %s, want %s", at, got, want)
		}
	}
	if _, err := UnlockSnapshotRule(locked, t0.Add(time.Hour)); err != nil {
		t.Errorf("unlock in the cool-off: %v", err)
	}
	late := t0.Add(3 * time.Hour)
	if errCode(func() error { _, err := UnlockSnapshotRule(locked, late); return err }()) != "OperationDenied.CoolOffPeriodExpired" {
		t.Error("unlocked after the cool-off")
	}
	if _, err := LockSnapshotRule(locked, 0, 2, late); errCode(err) != "InvalidParameter.LockDuration" {
		t.Errorf("shortened: %v", err)
	}
	if _, err := LockSnapshotRule(locked, 1, 9, late); errCode(err) != "OperationDenied.CoolOffPeriodExpired" {
		t.Errorf("a new cool-off: %v", err)
	}
	ext, err := LockSnapshotRule(locked, 0, 9, late)
	if err != nil || !ext.Lock.Created.Equal(t0) || ext.Lock.DurationDays != 9 {
		t.Errorf("extended: %+v %v", ext.Lock, err)
	}
	// The lock expires on the clock; then the retention applies again.
	next, expired := AdvanceSnapshot(locked, t0.AddDate(0, 0, 3))
	if next.Lock != nil || !expired {
		t.Errorf("after the lock: %+v expired %v", next.Lock, expired)
	}
}
