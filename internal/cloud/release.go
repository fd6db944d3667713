package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Release is what a DeleteInstances or DeleteInstance call asks for (§3.1).
type Release struct {
	Force                 bool
	ForceStop             bool // only with Force on a Running instance; default true
	TerminateSubscription bool
}

// DedupIDs applies §3.3 step 3: repeated IDs keep their first place, or are
// refused when the rejectDuplicateIds switch is on.
func DedupIDs(ids []string, reject bool) ([]string, error) {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if seen[id] {
			if reject {
				return nil, apierr.InvalidInstanceIDsValue.New().WithDetail("instance %s repeated (rejectDuplicateIds)", id)
			}
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}

// CheckExistence applies §3.3 step 4 to a batch: found holds every instance
// of the account with one of ids, in any region. An instance of another
// region is not found unless the batch also names one of region, in which
// case the batch spans regions (S38).
func CheckExistence(ids []string, found map[string]Instance, region string) error {
	inRegion, elsewhere := 0, ""
	for _, id := range ids {
		if i, ok := found[id]; ok {
			if i.Region == region {
				inRegion++
			} else if elsewhere == "" {
				elsewhere = id
			}
		}
	}
	if inRegion == 0 {
		return apierr.InvalidInstanceIDsNotFound.New().WithDetail("none of %v in %s", ids, region)
	}
	if elsewhere != "" {
		return apierr.CrossRegionNotSupport.New().WithDetail("instance %s is in region %s", elsewhere, found[elsewhere].Region)
	}
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			return apierr.InvalidInstanceIDNotFound.New().WithDetail("instance %s not found", id)
		}
	}
	return nil
}

// CheckRelease applies the release rules (docs/release-rules.md) to one
// instance, in order: the first failing rule wins. A security lock is no refusal (§2): it only changes disk handling.
func CheckRelease(i Instance, r Release, h Holders, now time.Time) error {
	switch {
	case i.Protected:
		return apierr.DeletionProtection.New().WithDetail("release refused (deletion protection): instance %s has DeletionProtection set", i.ID)
	case i.ChargeType == PrePaid && !i.Expired:
		return apierr.ChargeTypeViolation.New().WithDetail("release refused (unexpired subscription): instance %s is a subscription that has not expired", i.ID)
	case i.ChargeType == PrePaid && !r.TerminateSubscription:
		return apierr.ChargeTypeViolation.New().WithDetail("release refused (expired subscription without TerminateSubscription): instance %s is an expired subscription and TerminateSubscription is not true", i.ID)
	case i.Releasing:
		return apierr.IncorrectInstanceStatus.New().WithDetail("release refused (already releasing): instance %s is already being released", i.ID)
	case i.Status == StatusPending || i.Status == StatusRunning && now.Before(i.InitializingUntil):
		return apierr.IncorrectInstanceStatusInit.New().WithDetail("release refused (initializing): instance %s is initializing", i.ID)
	case i.Status == StatusStarting || i.Status == StatusStopping:
		return apierr.IncorrectInstanceStatus.New().WithDetail("release refused (in transition): instance %s is %s", i.ID, i.Status)
	case i.Status == StatusRunning && !r.Force:
		return apierr.IncorrectInstanceStatus.New().WithDetail("release refused (running without Force): instance %s is Running and Force is not true", i.ID)
	case len(h) > 0:
		// The holds of the kinds, in registry order: the first one found refuses.
		return h[0].Err
	}
	return nil
}

// StartRelease is the accepted release at t0 (§3.4): a Running instance
// stops first (never Starting on the way), a Stopped one waits for removal.
func StartRelease(i Instance, r Release, now time.Time, d Delays) Instance {
	i.Releasing = true
	i.AutoRelease = time.Time{}
	if i.Status == StatusRunning {
		stop := d.ReleaseForceStop
		if !r.ForceStop {
			stop = d.ReleaseGraceStop
		}
		stopped := now.Add(stop.D())
		i.Status = StatusStopping
		i.Steps = []Step{{At: stopped, Status: StatusStopped}, {At: stopped.Add(d.ReleaseAfterStop.D()), Status: statusGone}}
		return i
	}
	i.Steps = []Step{{At: now.Add(d.Release.D()), Status: statusGone}}
	return i
}

// Attached are the resources bound to an instance at removal time.
type Attached struct {
	Disks     []Disk
	Snapshots []Snapshot // every snapshot whose source is one of Disks
}

// Effects are the changes a removal makes, all in one transaction (§3.6).
type Effects struct {
	DeleteDisks     []string
	KeepDisks       []Disk // detached and converted, to be written back
	DeleteSnapshots []string
}

// ReleaseEffects computes §3.6 for the disks and snapshots of an instance
// removed at time at.
func ReleaseEffects(i Instance, a Attached, at time.Time) Effects {
	var e Effects
	deleted, kept := DiskReleaseEffects(i, a.Disks, at)
	gone := map[string]Disk{}
	for _, d := range deleted {
		e.DeleteDisks = append(e.DeleteDisks, d.ID)
		gone[d.ID] = d
	}
	e.KeepDisks = kept
	for _, s := range a.Snapshots {
		if d, ok := gone[s.SourceDiskID]; ok && SnapshotGoesWithDisk(s, d) {
			e.DeleteSnapshots = append(e.DeleteSnapshots, s.ID)
		}
	}
	return e
}

// DiskReleaseEffects splits the disks of an instance removed at time at
// into those released with it and those kept, detached and pay-as-you-go.
func DiskReleaseEffects(i Instance, disks []Disk, at time.Time) (deleted, kept []Disk) {
	locked := i.HasLock(LockSecurity)
	for _, d := range disks {
		// A security lock releases every disk whatever DeleteWithInstance says.
		if d.DeleteWithInstance || locked || d.IsLocal() {
			deleted = append(deleted, d)
			continue
		}
		d.Status, d.InstanceID, d.Device, d.Next = DiskAvailable, "", "", nil
		d.Detached = at
		d.ChargeType, d.Expires = PostPaid, PostPaidDiskExpiry
		kept = append(kept, d)
	}
	return deleted, kept
}

// SnapshotGoesWithDisk tells whether snapshot s is released with its
// released source disk d: automatic snapshots of a disk with DeleteAutoSnapshot.
func SnapshotGoesWithDisk(s Snapshot, d Disk) bool {
	// A snapshot an image is made of stays: the image still needs it; a
	// locked one stays until its lock expires (LockSnapshot: no one deletes
	// a locked snapshot, the cloud's own release included).
	return d.DeleteAutoSnapshot && s.Type == SnapshotAuto && len(s.Images) == 0 && s.Lock == nil
}
