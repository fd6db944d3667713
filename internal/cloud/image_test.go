package cloud

import (
	"testing"
	"time"
)

func TestImageSnapshotRules(t *testing.T) {
	d := Disk{ID: "d-1", DeleteAutoSnapshot: true}
	auto := Snapshot{ID: "s-1", Type: SnapshotAuto, SourceDiskID: "d-1", RetentionDays: 1, Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	backing := auto
	backing.Images = []string{"m-1"}
	for _, tc := range []struct {
		s                 Snapshot
		goes, retains     bool
		deleteCode, usage string
	}{
		{auto, true, true, "", "none"},
		{backing, false, false, "SnapshotCreatedImage", "image"},
	} {
		if got := SnapshotGoesWithDisk(tc.s, d); got != tc.goes {
			t.Errorf("%v: goes with disk %v", tc.s.Images, got)
		}
		if got := !tc.s.RetainUntil().IsZero(); got != tc.retains {
			t.Errorf("%v: retention %v", tc.s.Images, got)
		}
		if got := codeOf(CheckDeleteSnapshot(tc.s, 0, true)); got != tc.deleteCode {
			t.Errorf("%v: delete %q", tc.s.Images, got)
		}
		if got := SnapshotUsage(tc.s, 0); got != tc.usage {
			t.Errorf("%v: usage %q", tc.s.Images, got)
		}
	}
	if got := SnapshotUsage(backing, 2); got != "image_disk" {
		t.Errorf("usage %q", got)
	}
	if codeOf(CheckDeleteImage(1, false)) != "IncorrectImageStatus" || CheckDeleteImage(1, true) != nil || CheckDeleteImage(0, false) != nil {
		t.Error("CheckDeleteImage")
	}
	for name, want := range map[string]bool{"web": true, "w": false, "acs:x": false, "aliyun-x": false, "1x": false, "http://x": false} {
		if ValidImageName(name) != want {
			t.Errorf("ValidImageName(%q)", name)
		}
	}
}
