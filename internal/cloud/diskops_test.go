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
