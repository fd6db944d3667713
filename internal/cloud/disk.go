package cloud

import (
	"time"
)

// Disk statuses (§1).
const (
	DiskCreating  = "Creating"
	DiskAvailable = "Available"
	DiskAttaching = "Attaching"
	DiskInUse     = "In_use"
	DiskDetaching = "Detaching"
)

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
	// Next is a scheduled status change (Creating/Attaching/Detaching).
	Next *DiskStep `json:"next,omitempty"`
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
	out := []Index{
		{"status", d.Status}, {"zone", d.Zone}, {"type", d.Type}, {"category", d.Category},
		{"chargeType", d.ChargeType}, {"name", d.Name},
		{"dwi", boolString(d.DeleteWithInstance)}, {"das", boolString(d.DeleteAutoSnapshot)},
		{"portable", boolString(d.Portable)},
	}
	if d.InstanceID != "" {
		out = append(out, Index{"instance", d.InstanceID})
	}
	if d.SourceSnapshotID != "" {
		out = append(out, Index{"snapshot", d.SourceSnapshotID})
	}
	if d.AutoSnapshotPolicy != "" {
		out = append(out, Index{"policy", d.AutoSnapshotPolicy})
	}
	return append(out, tagIndexes(d.Tags)...)
}

// NextDue implements Resource.
func (d Disk) NextDue() time.Time {
	if d.Next == nil {
		return time.Time{}
	}
	return d.Next.At
}

// AdvanceDisk applies a disk's scheduled status change when due.
func AdvanceDisk(d Disk, now time.Time) Disk {
	if d.Next != nil && !d.Next.At.After(now) {
		d.Status, d.Next = d.Next.Status, nil
	}
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

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
