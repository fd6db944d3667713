package cloud

import (
	"context"
	"regexp"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Disk statuses (§1).
const (
	DiskCreating  = "Creating"
	DiskAvailable = "Available"
	DiskAttaching = "Attaching"
	DiskInUse     = "In_use"
	DiskDetaching = "Detaching"
)

// Disk types.
const (
	DiskSystem = "system"
	DiskData   = "data"
)

// MaxDataDisks is how many data disks one instance may have attached.
const MaxDataDisks = 16

// Disk is a cloud or local disk.
type Disk struct {
	ID                 string    `json:"id"`
	Region             string    `json:"region"`
	Zone               string    `json:"zone"`
	Name               string    `json:"name"`
	Description        string    `json:"description,omitempty"`
	Type               string    `json:"type"` // system | data
	Category           string    `json:"category"`
	Size               int       `json:"size"`
	PerformanceLevel   string    `json:"performanceLevel,omitempty"`
	Status             string    `json:"status"`
	InstanceID         string    `json:"instanceId,omitempty"`
	Device             string    `json:"device,omitempty"`
	ImageID            string    `json:"imageId,omitempty"`
	SourceSnapshotID   string    `json:"sourceSnapshotId,omitempty"`
	DeleteWithInstance bool      `json:"deleteWithInstance"`
	DeleteAutoSnapshot bool      `json:"deleteAutoSnapshot"`
	EnableAutoSnapshot bool      `json:"enableAutoSnapshot"`
	AutoSnapshotPolicy string    `json:"autoSnapshotPolicy,omitempty"`
	ChargeType         string    `json:"chargeType"`
	Portable           bool      `json:"portable"`
	Encrypted          bool      `json:"encrypted,omitempty"`
	Created            time.Time `json:"created"`
	Attached           time.Time `json:"attached,omitzero"`
	Detached           time.Time `json:"detached,omitzero"`
	Expires            time.Time `json:"expires,omitzero"`
	Tags               []Tag     `json:"tags,omitempty"`
	// ResourceGroup is the ResourceGroupId JoinResourceGroup set ("" = the default group).
	ResourceGroup string `json:"resourceGroup,omitempty"`
	// Next is a scheduled status change (Creating/Attaching/Detaching).
	Next *DiskStep `json:"next,omitempty"`
	// Rewrite is the last ResetDisk or ReInitDisk.
	Rewrite  *DiskRewrite `json:"rewrite,omitempty"`
	KMSKeyID string       `json:"kmsKeyId,omitempty"`
}

// DiskStep is a scheduled disk status change.
type DiskStep struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"`
}

// Kind implements Resource.
func (Disk) Kind() string { return KindDisk }

// Key implements Resource.
func (d Disk) Key() string { return d.ID }

// RegionID implements Resource.
func (d Disk) RegionID() string { return d.Region }

// Indexes implements Resource: one per DescribeDisks filter (§5.5).
func (d Disk) Indexes() []Index {
	out := make([]Index, 0, 15+2*len(d.Tags))
	out = append(out,
		Index{"status", d.Status}, Index{"zone", d.Zone}, Index{"type", d.Type}, Index{"category", d.Category},
		Index{"chargeType", d.ChargeType}, Index{"name", d.Name},
		Flag(IdxDWI, d.DeleteWithInstance), Flag(IdxDAS, d.DeleteAutoSnapshot),
		Flag(IdxEAS, d.EnableAutoSnapshot), Flag(IdxEncrypted, d.Encrypted), Flag(IdxPortable, d.Portable),
	)
	if d.InstanceID != "" {
		out = append(out, Index{"instance", d.InstanceID})
	}
	if d.SourceSnapshotID != "" {
		out = append(out, Index{"snapshot", d.SourceSnapshotID})
	}
	if d.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, d.ResourceGroup})
	}
	if d.AutoSnapshotPolicy != "" {
		out = append(out, Index{"policy", d.AutoSnapshotPolicy})
	}
	return appendTagIndexes(out, d.Tags)
}

// NextDue implements Resource.
func (d Disk) NextDue() time.Time {
	if d.Next == nil {
		return time.Time{}
	}
	return d.Next.At
}

// AdvanceDisk applies a disk's scheduled status change when due. A detach
// completes by clearing the attachment at the step's time: while Detaching
// the disk still names its instance, as DescribeDisks does (§2).
func AdvanceDisk(d Disk, now time.Time) Disk {
	if d.Next == nil || d.Next.At.After(now) {
		return d
	}
	if d.Status == DiskDetaching && d.Next.Status == DiskAvailable {
		d.InstanceID, d.Device, d.Detached = "", "", d.Next.At
	}
	d.Status, d.Next = d.Next.Status, nil
	return d
}

// IsLocal tells local (ephemeral) disks apart: always released with their
// instance, never retained (§3.6).
func (d Disk) IsLocal() bool {
	switch d.Category {
	case "ephemeral", "ephemeral_ssd", "local_ssd_pro", "local_hdd_pro":
		return true
	}
	return false
}

// ExpiredTime is what DescribeDisks shows as ExpiredTime: a subscription's
// end, or the far future of pay-as-you-go disks [obs].
func (d Disk) ExpiredTime() time.Time {
	if d.ChargeType == PrePaid && !d.Expires.IsZero() {
		return d.Expires
	}
	return PostPaidDiskExpiry
}

// NewDiskSpec is a CreateDisk request resolved against the catalogue: zone,
// category and size are already valid.
type NewDiskSpec struct {
	ID, Region, Zone, Name, Description string
	Category, PerformanceLevel          string
	Size                                int
	SnapshotID                          string
	Encrypted                           bool
	Tags                                []Tag
	DeleteAutoSnapshot                  bool // diskDeleteAutoSnapshotDefault (§1.2)
}

// NewDisk is CreateDisk (§5.5): a portable pay-as-you-go data disk, Creating
// → Available after the disk delay, DeleteWithInstance false.
func NewDisk(s NewDiskSpec, now time.Time, d Delays) Disk {
	return Disk{
		ID: s.ID, Region: s.Region, Zone: s.Zone, Name: s.Name, Description: s.Description, Type: DiskData,
		Category: s.Category, Size: s.Size, PerformanceLevel: s.PerformanceLevel, Status: DiskCreating,
		SourceSnapshotID: s.SnapshotID, DeleteAutoSnapshot: s.DeleteAutoSnapshot, ChargeType: PostPaid,
		Expires: PostPaidDiskExpiry, Portable: true, Encrypted: s.Encrypted, Created: now, Tags: s.Tags,
		Next: &DiskStep{At: now.Add(d.Disk.D()), Status: DiskAvailable},
	}
}

// CreateAttached makes a new disk part of inst at once (CreateDisk with
// InstanceId): it takes the instance's zone and charge type and goes
// Creating → In_use instead of Available.
func CreateAttached(d Disk, inst Instance, device string) (Disk, error) {
	if err := checkAttachInstance(inst); err != nil {
		return d, err
	}
	d.Zone, d.InstanceID, d.Device, d.Attached = inst.Zone, inst.ID, device, d.Created
	if inst.ChargeType == PrePaid {
		d.ChargeType, d.Expires = PrePaid, inst.Expires
	}
	if d.Next != nil {
		d.Next.Status = DiskInUse
	}
	return d, nil
}

// checkAttachInstance is what AttachDisk and DetachDisk ask of the instance:
// a security lock refuses first (§2), then a release under way or any
// status but Running and Stopped.
func checkAttachInstance(inst Instance) error {
	if inst.HasLock(LockSecurity) {
		return apierr.InstanceLockedForSecurity.New()
	}
	if inst.busy() || inst.Status != StatusRunning && inst.Status != StatusStopped {
		return apierr.IncorrectInstanceStatus.New().WithDetail("instance %s is %s (releasing: %v)", inst.ID, inst.Status, inst.Releasing)
	}
	return nil
}

// Attach is AttachDisk (§5.5): an Available disk of the instance's zone goes
// Attaching → In_use on device; DeleteWithInstance is the request's (default
// false for a standalone disk, §3.6).
func Attach(d Disk, inst Instance, device string, dwi bool, now time.Time, delays Delays) (Disk, error) {
	if err := checkAttachInstance(inst); err != nil {
		return d, err
	}
	if d.Status != DiskAvailable {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	if d.Zone != inst.Zone || d.Region != inst.Region {
		return d, apierr.ResourcesNotInSameZone.New().WithDetail("disk %s in %s, instance %s in %s", d.ID, d.Zone, inst.ID, inst.Zone)
	}
	d.Status, d.InstanceID, d.Device, d.DeleteWithInstance = DiskAttaching, inst.ID, device, dwi
	d.Attached, d.Detached = now, time.Time{}
	d.Next = &DiskStep{At: now.Add(delays.Disk.D()), Status: DiskInUse}
	return d, nil
}

// Detach is DetachDisk (§5.5): In_use → Detaching → Available. The system
// disk is refused with DiskTypeViolation, the code every generation of the
// DetachDisk reference lists for it ("You cannot detach a system disk");
// newer docs allow it on a Stopped instance, which the emulator does not
// model. A detached data disk stays with nobody: DeleteWithInstance false.
func Detach(d Disk, inst Instance, now time.Time, delays Delays) (Disk, error) {
	if err := checkAttachInstance(inst); err != nil {
		return d, err
	}
	if d.InstanceID != inst.ID {
		return d, apierr.DiskNotAttached.New().WithDetail("disk %s is attached to %q, not %s", d.ID, d.InstanceID, inst.ID)
	}
	if d.Type == DiskSystem {
		return d, apierr.DiskTypeViolation.New().WithDetail("disk %s is the system disk of %s", d.ID, inst.ID)
	}
	if d.Status != DiskInUse {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	if !d.Portable || d.IsLocal() {
		return d, apierr.DiskNotPortable.New()
	}
	if d.ChargeType == PrePaid {
		// Only pay-as-you-go data disks detach; ModifyDiskChargeType first.
		return d, apierr.DiskChargeTypeNotSupported.New()
	}
	d.Status, d.DeleteWithInstance = DiskDetaching, false
	d.Next = &DiskStep{At: now.Add(delays.Disk.D()), Status: DiskAvailable}
	return d, nil
}

var deviceRE = regexp.MustCompile(`^/dev/xvd[b-z]$`)

// PickDevice chooses the device of a disk to attach to an instance whose
// attached disks are attached: want when given (it must be free), else the
// next free /dev/xvdX after the system disk's /dev/xvda. More than
// MaxDataDisks data disks are refused.
func PickDevice(attached []Disk, want string) (string, error) {
	used, data := map[string]bool{}, 0
	for _, d := range attached {
		used[d.Device] = true
		if d.Type == DiskData {
			data++
		}
	}
	if data >= MaxDataDisks {
		return "", apierr.InstanceDiskLimitExceeded.New()
	}
	if want != "" {
		if !deviceRE.MatchString(want) {
			return "", apierr.InvalidDeviceMalformed.New()
		}
		if used[want] {
			return "", apierr.InvalidDeviceInUse.New()
		}
		return want, nil
	}
	for n := 1; n < 26; n++ {
		if dev := DeviceName(n); !used[dev] {
			return dev, nil
		}
	}
	return "", apierr.InstanceDiskLimitExceeded.New()
}

// DiskChange is ModifyDiskAttribute: nil fields stay unchanged.
type DiskChange struct {
	Name, Description                                          *string
	DeleteWithInstance, DeleteAutoSnapshot, EnableAutoSnapshot *bool
}

// Modify applies ModifyDiskAttribute (§5.5). DeleteWithInstance=false is
// refused on local disks and on basic ("cloud") disks that are not portable
// (§3.6): those cannot outlive their instance.
func Modify(d Disk, c DiskChange) (Disk, error) {
	if c.DeleteWithInstance != nil && !*c.DeleteWithInstance && (d.IsLocal() || d.Category == "cloud" && !d.Portable) {
		return d, apierr.DiskNotPortable.New().WithDetail("disk %s (%s) cannot be kept after its instance", d.ID, d.Category)
	}
	if c.Name != nil {
		d.Name = *c.Name
	}
	if c.Description != nil {
		d.Description = *c.Description
	}
	if c.DeleteWithInstance != nil {
		d.DeleteWithInstance = *c.DeleteWithInstance
	}
	if c.DeleteAutoSnapshot != nil {
		d.DeleteAutoSnapshot = *c.DeleteAutoSnapshot
	}
	if c.EnableAutoSnapshot != nil {
		d.EnableAutoSnapshot = *c.EnableAutoSnapshot
	}
	return d, nil
}

// ChangeDiskChargeType is ModifyDiskChargeType: disks attached to inst
// switch between subscription (sharing the instance's expiry) and
// pay-as-you-go. A subscription disk needs a subscription instance.
func ChangeDiskChargeType(d Disk, inst Instance, to string) (Disk, error) {
	if d.InstanceID != inst.ID {
		return d, apierr.DiskNotAttached.New().WithDetail("disk %s is not attached to %s", d.ID, inst.ID)
	}
	if inst.Releasing {
		return d, apierr.IncorrectInstanceStatus.New()
	}
	if to == PrePaid {
		if inst.ChargeType != PrePaid {
			return d, apierr.InvalidRenewPostPaid.New()
		}
		d.ChargeType, d.Expires = PrePaid, inst.Expires
		return d, nil
	}
	d.ChargeType, d.Expires = PostPaid, PostPaidDiskExpiry
	return d, nil
}

// Resize is ResizeDisk: only growth within the category's range, on a disk
// that is Available or In_use.
func Resize(d Disk, newSize int) (Disk, error) {
	if d.Status != DiskAvailable && d.Status != DiskInUse {
		return d, apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	if newSize <= d.Size {
		return d, apierr.InvalidDiskSizeTooSmall.New()
	}
	if newSize > DiskSizeRange(d.Type, d.Category, d.PerformanceLevel).Max {
		return d, apierr.InvalidDiskSizeTooLarge.New()
	}
	d.Size = newSize
	return d, nil
}

// CheckDeleteDisk is DeleteDisk's rule (§5.5): only an Available disk goes,
// and not while one of its snapshots is still progressing. snaps are the
// snapshots whose source is d.
func CheckDeleteDisk(d Disk, snaps []Snapshot) error {
	if d.Status != DiskAvailable {
		return apierr.IncorrectDiskStatus.New().WithDetail("disk %s is %s", d.ID, d.Status)
	}
	for _, s := range snaps {
		if s.SourceDiskID == d.ID && s.Status == SnapshotProgressing {
			return apierr.DiskCreatingSnapshot.New().WithDetail("snapshot %s of disk %s is progressing", s.ID, d.ID)
		}
	}
	return nil
}

// SnapshotsGoingWith lists the snapshots released with disk d: its automatic
// ones when DeleteAutoSnapshot is true; manual snapshots always stay
// (§3.6, S25).
func SnapshotsGoingWith(d Disk, snaps []Snapshot) []string {
	var out []string
	if !d.DeleteAutoSnapshot {
		return nil
	}
	for _, s := range snaps {
		if s.SourceDiskID == d.ID && SnapshotGoesWithDisk(s, d) {
			out = append(out, s.ID)
		}
	}
	return out
}

// diskKind declares the kind to the registry (registry.go).
var diskKind = Kind{
	Name:   KindDisk,
	Prefix: "d",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeDisks Status"},
		{IdxResourceGroup, "DescribeDisks ResourceGroupId"},
		{IdxZone, "DescribeDisks ZoneId"},
		{IdxType, "DescribeDisks DiskType"},
		{IdxCategory, "DescribeDisks Category"},
		{IdxChargeType, "DescribeDisks DiskChargeType"},
		{IdxName, "DescribeDisks DiskName"},
		{IdxDWI, "DescribeDisks DeleteWithInstance (a flag: a row where set)"},
		{IdxDAS, "DescribeDisks DeleteAutoSnapshot (a flag)"},
		{IdxEAS, "DescribeDisks EnableAutoSnapshot (a flag)"},
		{IdxEncrypted, "DescribeDisks Encrypted (a flag)"},
		{IdxPortable, "DescribeDisks Portable (a flag)"},
		{IdxInstance, "DescribeDisks InstanceId; the disks a release acts on"},
		{IdxSnapshot, "DescribeDisks SnapshotId"},
		{IdxPolicy, "DescribeDisks AutoSnapshotPolicyId; the disks a policy fires for"},
		// Disks carry no OperationLocks: a LockReason filter matches none,
		// through an index no disk writes.
		{IdxLock, "DescribeDisks LockReason"},
	}, tagIndexDecls("DescribeDisks")...),
	// An instance has its system disk and at most 16 data disks.
	Few:    []IndexName{IdxInstance},
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "disk"}},
	Decode: decoder[Disk](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		return Transition{Next: AdvanceDisk(r.(Disk), now)}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			deleted, kept := DiskReleaseEffects(rel.Instance, each[Disk](found), rel.At)
			return resources(kept), resources(deleted)
		},
	},
}

// Tagged.

func (d Disk) TagList() []Tag            { return d.Tags }
func (d Disk) WithTags(t []Tag) Resource { d.Tags = t; return d }
