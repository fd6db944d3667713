package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Snapshot lock states (LockSnapshot, DescribeLockedSnapshots).
const (
	SnapshotLockCompliance = "compliance"
	SnapshotLockCoolOff    = "compliance-cooloff"
	SnapshotLockExpired    = "expired"
)

// SnapshotLock is a compliance lock: no one deletes the snapshot until the
// lock expires. During the cool-off period the owner may still unlock it or
// lock it anew; after it, the lock can only be extended.
type SnapshotLock struct {
	Created      time.Time `json:"created"`
	CoolOffHours int       `json:"coolOffHours"`
	DurationDays int       `json:"durationDays"`
}

// CoolOffEnds is when the cool-off period ends (Created when there is none).
func (l SnapshotLock) CoolOffEnds() time.Time {
	return l.Created.Add(time.Duration(l.CoolOffHours) * time.Hour)
}

// ExpiresAt is when the lock ends and the snapshot may go again.
func (l SnapshotLock) ExpiresAt() time.Time { return l.Created.AddDate(0, 0, l.DurationDays) }

// Status is the lock's state at now.
func (l SnapshotLock) Status(now time.Time) string {
	switch {
	case !l.ExpiresAt().After(now):
		return SnapshotLockExpired
	case l.CoolOffEnds().After(now):
		return SnapshotLockCoolOff
	}
	return SnapshotLockCompliance
}

// LockSnapshotRule applies LockSnapshot at now: a new lock, or in the
// cool-off period a new lock in its place; once the cool-off has passed
// only a longer lock, without a cool-off, is taken (its creation stays).
func LockSnapshotRule(s Snapshot, coolOffHours, durationDays int, now time.Time) (Snapshot, error) {
	next := &SnapshotLock{Created: now, CoolOffHours: coolOffHours, DurationDays: durationDays}
	if s.Lock != nil && s.Lock.Status(now) == SnapshotLockCompliance {
		if coolOffHours != 0 {
			return s, apierr.SnapshotLockCoolOffOver.New()
		}
		ext := *s.Lock
		ext.DurationDays = durationDays
		if !ext.ExpiresAt().After(s.Lock.ExpiresAt()) {
			return s, apierr.SnapshotLockShorter.New()
		}
		next = &ext
	}
	s.Lock = next
	return s, nil
}

// UnlockSnapshotRule applies UnlockSnapshot at now: only a lock still in its
// cool-off period is removed.
func UnlockSnapshotRule(s Snapshot, now time.Time) (Snapshot, error) {
	if s.Lock == nil {
		return s, apierr.SnapshotNotLocked.New()
	}
	if s.Lock.Status(now) != SnapshotLockCoolOff {
		return s, apierr.SnapshotLockCoolOffOver.New()
	}
	s.Lock = nil
	return s, nil
}
