package cloud

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Snapshot types and statuses (§1).
const (
	SnapshotAuto         = "auto"
	SnapshotUser         = "user"
	SnapshotProgressing  = "progressing"
	SnapshotAccomplished = "accomplished"
)

// Snapshot is a disk snapshot; it outlives its disk unless it is an
// automatic one of a disk released with DeleteAutoSnapshot (§3.6).
type Snapshot struct {
	ID             string    `json:"id"`
	Region         string    `json:"region"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	Type           string    `json:"type"` // auto | user
	SourceDiskID   string    `json:"sourceDiskId"`
	SourceDiskType string    `json:"sourceDiskType"` // System | Data, as DescribeSnapshots spells it
	SourceDiskSize int       `json:"sourceDiskSize"`
	Category       string    `json:"category"`
	InstanceID     string    `json:"instanceId,omitempty"` // of the disk when taken
	Status         string    `json:"status"`
	Created        time.Time `json:"created"`
	DoneAt         time.Time `json:"doneAt"` // when progressing reaches 100%
	RetentionDays  int       `json:"retentionDays,omitempty"`
	PolicyID       string    `json:"policyId,omitempty"`
	Tags           []Tag     `json:"tags,omitempty"`
	// ResourceGroup is the ResourceGroupId JoinResourceGroup set ("" = the default group).
	ResourceGroup string `json:"resourceGroup,omitempty"`
	// Images are the custom images made of this snapshot: while any is
	// left the snapshot can be neither deleted nor released with its disk.
	Images []string `json:"images,omitempty"`
	// Lock is its compliance lock (LockSnapshot), nil once it expires.
	Lock *SnapshotLock `json:"lock,omitempty"`
	// CopyOf is the snapshot CopySnapshot copied it from.
	CopyOf string `json:"copyOf,omitempty"`
	// Group is the snapshot-consistent group it was taken in.
	Group string `json:"group,omitempty"`
}

// Kind implements Resource.
func (Snapshot) Kind() string { return KindSnapshot }

// Key implements Resource.
func (s Snapshot) Key() string { return s.ID }

// RegionID implements Resource.
func (s Snapshot) RegionID() string { return s.Region }

// Indexes implements Resource: one per DescribeSnapshots filter (§5.6).
func (s Snapshot) Indexes() []Index {
	out := []Index{{"disk", s.SourceDiskID}, {"type", s.Type}, {"status", s.Status}, {"name", s.Name}, {"diskType", s.SourceDiskType}}
	if s.InstanceID != "" {
		out = append(out, Index{"instance", s.InstanceID})
	}
	if s.PolicyID != "" {
		out = append(out, Index{"policy", s.PolicyID})
	}
	if s.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, s.ResourceGroup})
	}
	if s.Lock != nil {
		out = append(out, Index{IdxLock, SnapshotLockCompliance})
	}
	return append(out, tagIndexes(s.Tags)...)
}

// NextDue implements Resource: completion, then retention expiry.
func (s Snapshot) NextDue() time.Time {
	if s.Status == SnapshotProgressing {
		return s.DoneAt
	}
	if s.Lock != nil {
		return s.Lock.ExpiresAt()
	}
	return s.RetainUntil()
}

// RetainUntil is when RetentionDays removes the snapshot, or zero.
func (s Snapshot) RetainUntil() time.Time {
	// A snapshot an image is made of is kept as long as the image is; a
	// locked one until its lock expires.
	if s.RetentionDays <= 0 || len(s.Images) > 0 || s.Lock != nil {
		return time.Time{}
	}
	return s.Created.AddDate(0, 0, s.RetentionDays)
}

// Progress is the API's "NN%" at now, linear over the snapshot delay.
func (s Snapshot) Progress(now time.Time) string {
	if s.Status != SnapshotProgressing {
		return "100%"
	}
	total := s.DoneAt.Sub(s.Created)
	if total <= 0 {
		return "100%"
	}
	p := int(100 * now.Sub(s.Created) / total)
	return fmt.Sprintf("%d%%", min(max(p, 0), 99))
}

// RemainTime is DescribeSnapshots' RemainTime: seconds left until done.
func (s Snapshot) RemainTime(now time.Time) int {
	if s.Status != SnapshotProgressing || !s.DoneAt.After(now) {
		return 0
	}
	return int((s.DoneAt.Sub(now) + time.Second - 1) / time.Second)
}

// AdvanceSnapshot completes a snapshot when due; expired reports that its
// RetentionDays ran out and it is to be deleted.
func AdvanceSnapshot(s Snapshot, now time.Time) (next Snapshot, expired bool) {
	if s.Status == SnapshotProgressing && !s.DoneAt.After(now) {
		s.Status = SnapshotAccomplished
	}
	if s.Lock != nil && !s.Lock.ExpiresAt().After(now) {
		s.Lock = nil
	}
	if r := s.RetainUntil(); !r.IsZero() && !r.After(now) {
		return s, true
	}
	return s, false
}

// SourceDiskType is how DescribeSnapshots names a disk type: "System" or
// "Data" (its SourceDiskType filter takes either case).
func SourceDiskType(diskType string) string {
	if strings.EqualFold(diskType, DiskSystem) {
		return "System"
	}
	return "Data"
}

// SnapshotSpec is what a new snapshot records besides its source disk.
type SnapshotSpec struct {
	ID, Name, Description, Type, PolicyID string
	RetentionDays                         int // 0 = kept until deleted
	Tags                                  []Tag
}

// NewSnapshot takes a snapshot of d at now: progressing → accomplished after
// the snapshot delay (§2). It remembers the disk it came from, which it
// keeps naming after the disk is gone (§3.6).
func NewSnapshot(spec SnapshotSpec, d Disk, now time.Time, delays Delays) Snapshot {
	return Snapshot{
		ID: spec.ID, Region: d.Region, Name: spec.Name, Description: spec.Description, Type: spec.Type,
		SourceDiskID: d.ID, SourceDiskType: SourceDiskType(d.Type), SourceDiskSize: d.Size,
		Category: "standard", InstanceID: d.InstanceID, Status: SnapshotProgressing, Created: now,
		DoneAt: now.Add(delays.Snapshot.D()), RetentionDays: max(spec.RetentionDays, 0), PolicyID: spec.PolicyID,
		Tags: spec.Tags,
	}
}

// CheckCreateSnapshot is CreateSnapshot's rule (§5.6): the disk must be
// Available or In_use, not on a security-locked instance (inst is nil for a
// detached disk), and have no snapshot still progressing. snaps are the
// snapshots whose source is d.
func CheckCreateSnapshot(d Disk, inst *Instance, snaps []Snapshot) error {
	if inst != nil && inst.HasLock(LockSecurity) {
		return apierr.InstanceLockedForSecurity.New()
	}
	if d.Status != DiskAvailable && d.Status != DiskInUse {
		return apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	for _, s := range snaps {
		if s.SourceDiskID == d.ID && s.Status == SnapshotProgressing {
			return apierr.CreatingSnapshot.New().WithDetail("snapshot %s of disk %s is progressing", s.ID, d.ID)
		}
	}
	return nil
}

// ValidSnapshotName applies the naming rule of CreateSnapshot: 2..128
// characters, no URL, and never starting with "auto", which marks the
// automatic snapshots.
func ValidSnapshotName(name string) bool {
	if name == "" {
		return true
	}
	n := len([]rune(name))
	return n >= 2 && n <= 128 && !strings.HasPrefix(name, "http://") && !strings.HasPrefix(name, "https://") &&
		!strings.HasPrefix(name, "auto")
}

// CheckDeleteSnapshot is DeleteSnapshot's rule (§5.6): a snapshot disks were
// created from goes only with Force. usedBy counts those disks.
func CheckDeleteSnapshot(s Snapshot, usedBy int, force bool) error {
	if s.Lock != nil {
		return apierr.SnapshotLocked.New().WithDetail("snapshot %s is locked until %s", s.ID, FormatSecond(s.Lock.ExpiresAt()))
	}
	if len(s.Images) > 0 {
		return apierr.SnapshotCreatedImage.New().WithDetail("snapshot %s backs image(s) %s", s.ID, strings.Join(s.Images, ","))
	}
	if usedBy > 0 && !force {
		return apierr.SnapshotCreatedDisk.New().WithDetail("snapshot %s is the source of %d disk(s)", s.ID, usedBy)
	}
	return nil
}

// SnapshotUsage is DescribeSnapshots' Usage: "image", "disk" or
// "image_disk" by what was made from the snapshot, else "none".
func SnapshotUsage(s Snapshot, usedBy int) string {
	switch {
	case usedBy > 0 && len(s.Images) > 0:
		return "image_disk"
	case len(s.Images) > 0:
		return "image"
	case usedBy > 0:
		return "disk"
	}
	return "none"
}

// snapshotKind declares the kind to the registry (registry.go).
var snapshotKind = Kind{
	Name:   KindSnapshot,
	Prefix: "s",
	Indexes: append([]IndexDecl{
		{IdxDisk, "DescribeSnapshots DiskId; the snapshots a disk's release removes"},
		{IdxType, "DescribeSnapshots SnapshotType"},
		{IdxStatus, "DescribeSnapshots Status; a policy's snapshots in progress"},
		{IdxResourceGroup, "DescribeSnapshots ResourceGroupId"},
		{IdxName, "DescribeSnapshots SnapshotName"},
		{IdxDiskType, "DescribeSnapshots SourceDiskType"},
		{IdxInstance, "DescribeSnapshots InstanceId"},
		{IdxPolicy, "the snapshots a policy made"},
		{IdxLock, "DescribeLockedSnapshots: the locked snapshots"},
	}, tagIndexDecls("DescribeSnapshots")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "snapshot"}},
	Decode: decoder[Snapshot](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		next, expired := AdvanceSnapshot(r.(Snapshot), now)
		return Transition{Next: next, Gone: expired}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxDisk,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindDisk) },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, s := range each[Snapshot](found) {
				if d, ok := rel.Removed[s.SourceDiskID].(Disk); ok && SnapshotGoesWithDisk(s, d) {
					del = append(del, s)
				}
			}
			return nil, del
		},
	},
}

// Tagged.

func (s Snapshot) TagList() []Tag            { return s.Tags }
func (s Snapshot) WithTags(t []Tag) Resource { s.Tags = t; return s }
