package cloud

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The rules of the disk operations that rewrite a disk's content
// (ResetDisk, ReInitDisk, ReplaceSystemDisk) or its performance
// (ModifyDiskSpec), and the region's encryption default.

// DiskRewrite records the last time a disk's content was rewritten: the
// emulator keeps no content, so this is the rewrite's whole effect.
type DiskRewrite struct {
	// From is the snapshot (ResetDisk) or the image (ReInitDisk of a system
	// disk) the content came from; "" is an empty data disk.
	From string    `json:"from,omitempty"`
	At   time.Time `json:"at"`
}

// checkStopped is what the rewriting operations ask of the disk's instance:
// a security lock first, then Stopped and no release under way.
func checkStopped(inst Instance) error {
	if inst.HasLock(LockSecurity) {
		return apierr.InstanceLockedForSecurity.New()
	}
	if inst.busy() || inst.Status != StatusStopped {
		return apierr.IncorrectInstanceStatus.New().WithDetail("instance %s is %s (releasing: %v)", inst.ID, inst.Status, inst.Releasing)
	}
	return nil
}

// ResetDisk rolls disk d back to snapshot s (ResetDisk): d In_use on a
// Stopped instance (inst nil when d is detached) or Available, s taken of d
// and accomplished.
func ResetDisk(d Disk, inst *Instance, s Snapshot, now time.Time) (Disk, error) {
	if d.Status != DiskInUse && d.Status != DiskAvailable {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	if inst != nil {
		if err := checkStopped(*inst); err != nil {
			return d, err
		}
	}
	if s.SourceDiskID != d.ID {
		return d, apierr.SnapshotNotOfDisk.New().WithDetail("snapshot %s was taken of %s, not %s", s.ID, s.SourceDiskID, d.ID)
	}
	if s.Status != SnapshotAccomplished {
		return d, apierr.SnapshotNotReady.New()
	}
	d.Rewrite = &DiskRewrite{From: s.ID, At: now}
	return d, nil
}

// ReInitDisk rewrites an attached disk to its initial state (ReInitDisk):
// a system disk to its image, a data disk to empty (or the snapshot it was
// made of). The instance must be Stopped.
func ReInitDisk(d Disk, inst Instance, now time.Time) (Disk, error) {
	if d.Status != DiskInUse || d.InstanceID != inst.ID {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s on %q", d.ID, d.Status, d.InstanceID)
	}
	if err := checkStopped(inst); err != nil {
		return d, err
	}
	from := d.SourceSnapshotID
	if d.Type == DiskSystem {
		from = d.ImageID
	}
	d.Rewrite = &DiskRewrite{From: from, At: now}
	return d, nil
}

// ReplaceSystem makes the new system disk of a Stopped instance from image
// im (ReplaceSystemDisk): a new disk id of the old disk's category, charge
// and options, size at least the image's. The old disk is the caller's to
// release (its snapshots by SnapshotGoesWithDisk).
func ReplaceSystem(inst Instance, old Disk, im Image, itype InstanceType, size int, newID string, encrypted bool, now time.Time) (Instance, Disk, error) {
	if err := checkStopped(inst); err != nil {
		return inst, old, err
	}
	if !ImageRunsOn(im, itype) {
		return inst, old, apierr.ImageNotSupportInstanceType.New()
	}
	if size == 0 {
		size = max(old.Size, im.Size)
	}
	if size < im.Size {
		return inst, old, apierr.InvalidSystemDiskSize.New()
	}
	if !SystemDiskSizeRange(old.Category, old.PerformanceLevel).Contains(size) {
		return inst, old, apierr.InvalidSystemDiskSizeRange.New()
	}
	d := old
	d.ID, d.Size, d.ImageID, d.SourceSnapshotID, d.Created, d.Attached = newID, size, im.ImageID, "", now, now
	d.Status, d.Next, d.Rewrite, d.AutoSnapshotPolicy, d.EnableAutoSnapshot = DiskInUse, nil, nil, "", false
	d.Encrypted = d.Encrypted || encrypted
	inst.ImageID, inst.OSName, inst.OSNameEn, inst.OSType = im.ImageID, im.OSName, im.OSNameEn, im.OSType
	return inst, d, nil
}

// ChangeDiskSpec is ModifyDiskSpec: an ESSD's performance level, or a
// category change to an ESSD or ESSD AutoPL disk, within the size the
// target allows; the disk must be Available or In_use.
func ChangeDiskSpec(d Disk, category, level string) (Disk, error) {
	if d.Status != DiskAvailable && d.Status != DiskInUse {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	if d.IsLocal() {
		return d, apierr.DiskCategoryNotSupported.New()
	}
	if category == "" {
		category = d.Category
	}
	if category != d.Category && !slices.Contains([]string{DiskCategoryESSD, DiskCategoryAuto, DiskCategorySSD, DiskCategoryEfficiency}, category) {
		return d, apierr.DiskCategoryNotSupported.New()
	}
	if category != DiskCategoryESSD {
		if level != "" {
			return d, apierr.InvalidPerformanceLevel.New()
		}
	} else if level == "" {
		level = d.PerformanceLevel
		if level == "" {
			level = DefaultPerformanceLevel
		}
	}
	current := d.PerformanceLevel
	if d.Category == DiskCategoryESSD && current == "" {
		current = DefaultPerformanceLevel
	}
	if category == d.Category && level == current {
		return d, apierr.DiskSpecUnchanged.New()
	}
	if !DiskSizeRange(d.Type, category, level).Contains(d.Size) {
		return d, apierr.InvalidPerformanceLevelSize.New().WithDetail("%s GiB does not fit %s", strconv.Itoa(d.Size), DiskKindName(category, level))
	}
	d.Category, d.PerformanceLevel = category, level
	return d, nil
}

// KindDiskDefaults is the stored kind of a region's disk encryption default.
const KindDiskDefaults = "diskDefaults"

// DiskDefaults is one account's disk encryption default in one region
// (EnableDiskEncryptionByDefault, ModifyDiskDefaultKMSKeyId): its id is the
// region's, one per region.
type DiskDefaults struct {
	ID        string `json:"id"`
	Region    string `json:"region"`
	Encrypted bool   `json:"encrypted"`
	// KMSKeyID is the key new encrypted disks use; "" is the region's
	// service key.
	KMSKeyID string `json:"kmsKeyId,omitempty"`
}

// DiskDefaultsID is the id of region's defaults.
func DiskDefaultsID(region string) string { return "dd-" + region }

// Kind implements Resource.
func (DiskDefaults) Kind() string { return KindDiskDefaults }

// Key implements Resource.
func (d DiskDefaults) Key() string { return d.ID }

// RegionID implements Resource.
func (d DiskDefaults) RegionID() string { return d.Region }

// Indexes implements Resource.
func (d DiskDefaults) Indexes() []Index { return []Index{Flag(IdxEncrypted, d.Encrypted)} }

// NextDue implements Resource.
func (DiskDefaults) NextDue() time.Time { return time.Time{} }

// diskDefaultsKind declares the kind to the registry (registry.go). It has
// no place in an instance's release: it belongs to the region.
var diskDefaultsKind = Kind{
	Name:   KindDiskDefaults,
	Prefix: "dd",
	Indexes: []IndexDecl{
		{IdxEncrypted, "DescribeDiskEncryptionByDefaultStatus (a flag: a row where set)"},
	},
	Decode: decoder[DiskDefaults](),
}
