package cloud

import (
	"strings"
	"time"
)

// DiskSpec is a disk to create with an instance (SystemDisk.*, DataDisk.N.*).
type DiskSpec struct {
	Category           string
	Size               int
	Name, Description  string
	PerformanceLevel   string
	SnapshotID         string
	Encrypted          bool
	DeleteWithInstance bool
	Device             string
}

// Launch is everything RunInstances and CreateInstance resolved about one
// instance: the catalogue entries, the network and the chosen options.
type Launch struct {
	ID, Region, Zone     string
	Name, HostName, Desc string
	Type                 InstanceType
	Image                Image
	VSwitch              VSwitch
	SecurityGroups       []string
	PrivateIP, PublicIP  string
	ChargeType           string
	Period               int
	PeriodUnit           string
	AutoRenew            bool
	Protected            bool
	AutoRelease          time.Time
	SpotStrategy         string
	InternetChargeType   string
	BandwidthOut         int
	KeyPairName          string
	RAMRoleName          string
	DeploymentSetID      string
	DedicatedHostID      string
	// PoolCriteria and PoolID: the private pool the launch takes (Open: any that fits).
	PoolCriteria, PoolID string
	ResourceGroup        string
	UserData             string
	Tags                 []Tag
	SystemDisk           DiskSpec
	SystemDiskID         string
	DataDisks            []DiskSpec
	DataDiskIDs          []string
	// Start is true for RunInstances (Pending → Starting → Running) and
	// false for CreateInstance (Pending → Stopped).
	Start bool
}

// NewInstance makes the instance and its disks at now (spec/semantics.md §2).
func NewInstance(l Launch, now time.Time, d Delays, cfg Config) (Instance, []Disk) {
	i := Instance{
		ID: l.ID, Region: l.Region, Zone: l.Zone, Name: l.Name, HostName: l.HostName, Description: l.Desc,
		InstanceType: l.Type.InstanceTypeID, Family: l.Type.InstanceTypeFamily, CPU: l.Type.CPUCoreCount,
		MemoryMiB: int(l.Type.MemorySize * 1024), ImageID: l.Image.ImageID, OSName: l.Image.OSName,
		OSNameEn: l.Image.OSNameEn, OSType: l.Image.OSType, Status: StatusPending, ChargeType: l.ChargeType,
		InternetChargeType: l.InternetChargeType, BandwidthOut: l.BandwidthOut, Created: now,
		AutoRelease: l.AutoRelease, Protected: l.Protected, SpotStrategy: l.SpotStrategy,
		SecurityGroups: l.SecurityGroups, VpcID: l.VSwitch.VpcID, VSwitchID: l.VSwitch.ID,
		PrivateIP: l.PrivateIP, PublicIP: l.PublicIP, KeyPairName: l.KeyPairName, Tags: l.Tags,
		RAMRoleName: l.RAMRoleName, InitWindow: cfg.InitializingWindow, AutoRenew: l.AutoRenew, UserData: l.UserData,
		DeploymentSetID: l.DeploymentSetID, DedicatedHostID: l.DedicatedHostID, ResourceGroup: l.ResourceGroup,
	}
	if l.ChargeType == PrePaid {
		i.Period, i.PeriodUnit = l.Period, l.PeriodUnit
		i.Expires = AddPeriod(now, l.Period, l.PeriodUnit)
	}
	pending := now.Add(d.InstancePending.D())
	if l.Start {
		i.Steps = []Step{{At: pending, Status: StatusStarting}, {At: pending.Add(d.InstanceStart.D()), Status: StatusRunning}}
	} else {
		i.Steps = []Step{{At: pending, Status: StatusStopped}}
	}
	diskCharge, diskExpiry := PostPaid, PostPaidDiskExpiry
	if l.ChargeType == PrePaid {
		diskCharge, diskExpiry = PrePaid, i.Expires
	}
	mk := func(id, typ string, s DiskSpec, device string) Disk {
		return Disk{
			ID: id, Region: l.Region, Zone: l.Zone, Name: s.Name, Description: s.Description, Type: typ,
			Category: s.Category, Size: s.Size, PerformanceLevel: s.PerformanceLevel, Status: DiskInUse,
			InstanceID: l.ID, Device: device, SourceSnapshotID: s.SnapshotID,
			DeleteWithInstance: s.DeleteWithInstance, DeleteAutoSnapshot: cfg.DiskDeleteAutoSnapshotDefault,
			ChargeType: diskCharge, Expires: diskExpiry, Portable: typ == "data" && !strings.HasPrefix(s.Category, "ephemeral"),
			Encrypted: s.Encrypted, Created: now, Attached: now,
		}
	}
	sys := mk(l.SystemDiskID, "system", l.SystemDisk, "/dev/xvda")
	sys.ImageID = l.Image.ImageID
	disks := []Disk{sys}
	for n, spec := range l.DataDisks {
		disks = append(disks, mk(l.DataDiskIDs[n], "data", spec, DeviceName(n+1)))
	}
	return i, disks
}

// DeviceName is the n-th device of an instance: /dev/xvda is the system disk,
// data disks follow as /dev/xvdb, /dev/xvdc, …
func DeviceName(n int) string {
	return "/dev/xvd" + string(rune('a'+n))
}

// DefaultHostName is the host name ECS gives an instance without one: "iZ",
// the id without its "i-", "Z".
func DefaultHostName(id string) string {
	return "iZ" + strings.TrimPrefix(id, "i-") + "Z"
}

// ValidPeriod checks a subscription Period for its unit (§5.4).
func ValidPeriod(period int, unit string) bool {
	switch unit {
	case "Week":
		return period >= 1 && period <= 4
	case "Year":
		return period >= 1 && period <= 5
	}
	switch period {
	case 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60:
		return true
	}
	return false
}
