package cloud

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Instance statuses: exactly the five the API shows (spec/semantics.md §2).
const (
	StatusPending  = "Pending"
	StatusStarting = "Starting"
	StatusRunning  = "Running"
	StatusStopping = "Stopping"
	StatusStopped  = "Stopped"
	// statusGone is a scheduled step's target meaning "removed": a released
	// instance has no status, it disappears.
	statusGone = ""
)

// Charge types.
const (
	PostPaid = "PostPaid"
	PrePaid  = "PrePaid"
)

// Lock reasons of OperationLocks.
const (
	LockSecurity  = "security"
	LockFinancial = "financial"
)

// Lock is one OperationLocks entry.
type Lock struct {
	Reason string `json:"reason"`
	Msg    string `json:"msg,omitempty"`
}

// Step is a scheduled status change of an instance.
type Step struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"` // "" = released
}

// Instance is an ECS instance.
type Instance struct {
	ID                 string    `json:"id"`
	Region             string    `json:"region"`
	Zone               string    `json:"zone"`
	Name               string    `json:"name"`
	Description        string    `json:"description,omitempty"`
	HostName           string    `json:"hostName"`
	InstanceType       string    `json:"instanceType"`
	Family             string    `json:"family"`
	CPU                int       `json:"cpu"`
	MemoryMiB          int       `json:"memoryMiB"`
	ImageID            string    `json:"imageId"`
	OSName             string    `json:"osName"`
	OSNameEn           string    `json:"osNameEn"`
	OSType             string    `json:"osType"`
	Status             string    `json:"status"`
	ChargeType         string    `json:"chargeType"`
	InternetChargeType string    `json:"internetChargeType"`
	BandwidthOut       int       `json:"bandwidthOut"`
	Created            time.Time `json:"created"`
	Started            time.Time `json:"started,omitzero"`
	// Expires is the end of a subscription; zero for pay-as-you-go.
	Expires     time.Time `json:"expires,omitzero"`
	Period      int       `json:"period,omitempty"`
	PeriodUnit  string    `json:"periodUnit,omitempty"`
	AutoRenew   bool      `json:"autoRenew,omitempty"`
	Expired     bool      `json:"expired,omitempty"`
	AutoRelease time.Time `json:"autoRelease,omitzero"`
	// Protected is DeletionProtection.
	Protected      bool     `json:"protected"`
	Locks          []Lock   `json:"locks,omitempty"`
	SpotStrategy   string   `json:"spotStrategy"`
	StoppedMode    string   `json:"stoppedMode,omitempty"`
	SecurityGroups []string `json:"securityGroups"`
	VpcID          string   `json:"vpcId"`
	VSwitchID      string   `json:"vSwitchId"`
	PrivateIP      string   `json:"privateIp"`
	PublicIP       string   `json:"publicIp,omitempty"`
	KeyPairName    string   `json:"keyPairName,omitempty"`
	RAMRoleName    string   `json:"ramRoleName,omitempty"` // the attached RAM role; it goes with the instance
	// Metadata is ModifyInstanceMetadataOptions' setting; nil is the default
	// (endpoint enabled, tokens optional, hop limit 1).
	Metadata *MetadataOptions `json:"metadata,omitempty"`
	// DeploymentSetID is the deployment set the instance is placed by.
	DeploymentSetID string `json:"deploymentSetId,omitempty"`
	// DedicatedHostID is the dedicated host the instance runs on.
	DedicatedHostID string `json:"dedicatedHostId,omitempty"`
	// ResourceGroup is the ResourceGroupId of RunInstances or JoinResourceGroup ("" = the default group).
	ResourceGroup string `json:"resourceGroup,omitempty"`
	UserData      string `json:"userData,omitempty"` // Base64, as RunInstances took it
	Tags          []Tag  `json:"tags,omitempty"`
	// Steps are the scheduled status changes, earliest first.
	Steps []Step `json:"steps,omitempty"`
	// Releasing is set once a release was accepted.
	Releasing bool `json:"releasing,omitempty"`
	// InitializingUntil ends the window after first reaching Running in which
	// release answers IncorrectInstanceStatus.Initializing.
	InitializingUntil time.Time `json:"initializingUntil,omitzero"`
	InitWindow        Duration  `json:"initWindow,omitempty"`
	// ChargeTypeTo and ChargeTypeAt: a ModifyInstanceChargeType becoming visible.
	ChargeTypeTo string    `json:"chargeTypeTo,omitempty"`
	ChargeTypeAt time.Time `json:"chargeTypeAt,omitzero"`
	// EIP is the associated elastic IP, as DescribeInstances shows it.
	EIP *EIPRef `json:"eip,omitempty"`
	// Tail holds what the instance's long-tail actions set.
	Tail InstanceTail `json:"tail,omitzero"`
}

// InstanceTail is what the instance's long-tail actions set; the zero
// value is every default.
type InstanceTail struct {
	// Maintenance is ModifyInstanceMaintenanceAttributes' policy; nil is the default.
	Maintenance *MaintenancePolicy `json:"maintenance,omitempty"`
	// VNCPassword is ModifyInstanceVncPasswd's password.
	VNCPassword string `json:"vncPassword,omitempty"`
	// RenewDuration, RenewUnit and NotRenewal are ModifyInstanceAutoRenewAttribute's
	// renewal period and "NotRenewal" status.
	RenewDuration int    `json:"renewDuration,omitempty"`
	RenewUnit     string `json:"renewUnit,omitempty"`
	NotRenewal    bool   `json:"notRenewal,omitempty"`
	// PTPStatus is ModifyInstanceClockOptions' PtpStatus ("" = disabled).
	PTPStatus string `json:"ptpStatus,omitempty"`
	// BandwidthWeighting is ModifyInstanceNetworkOptions' setting ("" = Default).
	BandwidthWeighting string `json:"bandwidthWeighting,omitempty"`
	// PrivatePoolMatch is ModifyInstanceAttachmentAttributes' MatchCriteria ("" = Open).
	PrivatePoolMatch string `json:"privatePoolMatch,omitempty"`
	// Redeployed counts RedeployInstance calls (each moves it to another host).
	Redeployed int `json:"redeployed,omitempty"`
}

// MaintenancePolicy is how the cloud may maintain an instance.
type MaintenancePolicy struct {
	Action  string              `json:"action"` // Stop | AutoRecover | AutoRedeploy
	Notify  bool                `json:"notify,omitempty"`
	Windows []MaintenanceWindow `json:"windows,omitempty"`
}

// MaintenanceWindow is one daily window, "HH:MM:SSZ" UTC times of day.
type MaintenanceWindow struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Kind implements Resource.
func (Instance) Kind() string { return KindInstance }

// Key implements Resource.
func (i Instance) Key() string { return i.ID }

// RegionID implements Resource.
func (i Instance) RegionID() string { return i.Region }

// Indexes implements Resource: one per DescribeInstances filter (§5.4).
func (i Instance) Indexes() []Index {
	// Sized for all of them: every write of an instance makes its list.
	out := make([]Index, 0, 13+len(i.SecurityGroups)+len(i.Locks)+2*len(i.Tags))
	out = append(out,
		Index{"status", i.Status}, Index{"zone", i.Zone}, Index{"vpc", i.VpcID}, Index{"vswitch", i.VSwitchID},
		Index{"chargeType", i.ChargeType}, Index{"name", i.Name}, Index{"type", i.InstanceType},
		Index{"family", i.Family}, Index{"image", i.ImageID}, Index{"privateIp", i.PrivateIP},
	)
	if i.PublicIP != "" {
		out = append(out, Index{"publicIp", i.PublicIP})
	}
	for _, sg := range i.SecurityGroups {
		out = append(out, Index{"sg", sg})
	}
	for _, l := range i.Locks {
		out = append(out, Index{"lock", l.Reason})
	}
	if i.KeyPairName != "" {
		out = append(out, Index{"keyPair", i.KeyPairName})
	}
	if i.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, i.ResourceGroup})
	}
	return appendTagIndexes(out, i.Tags)
}

// NextDue implements Resource.
func (i Instance) NextDue() time.Time {
	var step time.Time
	if len(i.Steps) > 0 {
		step = i.Steps[0].At
	}
	var expiry, expiredRelease time.Time
	if i.ChargeType == PrePaid && !i.Expires.IsZero() {
		if !i.Expired {
			expiry = i.Expires
		} else {
			expiredRelease = i.Expires.Add(ExpiredReleaseAfter)
		}
	}
	return earliest(step, expiry, expiredRelease, i.AutoRelease, i.ChargeTypeAt)
}

// ExpiredReleaseAfter is how long an expired subscription waits before it is
// released automatically (§2).
const ExpiredReleaseAfter = 15 * 24 * time.Hour

// HasLock tells whether the instance carries a lock for reason.
func (i Instance) HasLock(reason string) bool {
	for _, l := range i.Locks {
		if l.Reason == reason {
			return true
		}
	}
	return false
}

// Gone reports whether an Advance removed the instance.
type Gone struct {
	At time.Time
	// Automatic is true for AutoReleaseTime and expiry releases (§3.5).
	Automatic bool
}

// Advance applies every transition of i due by now, in time order: scheduled
// steps, subscription expiry, the release of expired subscriptions,
// AutoReleaseTime and a pending charge-type change. A non-nil Gone means the
// instance is to be removed with the side effects of §3.6.
func Advance(i Instance, now time.Time, lockOnExpiry bool) (Instance, *Gone) {
	for {
		due := i.NextDue()
		if due.IsZero() || due.After(now) {
			return i, nil
		}
		switch {
		case len(i.Steps) > 0 && !i.Steps[0].At.After(due):
			s := i.Steps[0]
			i.Steps = i.Steps[1:]
			if s.Status == statusGone {
				return i, &Gone{At: s.At}
			}
			i.Status = s.Status
			if s.Status == StatusRunning {
				if i.Started.IsZero() {
					// The first Running opens the initializing window (§2).
					i.InitializingUntil = s.At.Add(i.InitWindow.D())
				}
				i.Started = s.At
			}
		case !i.AutoRelease.IsZero() && !i.AutoRelease.After(due):
			return i, &Gone{At: i.AutoRelease, Automatic: true}
		case !i.ChargeTypeAt.IsZero() && !i.ChargeTypeAt.After(due):
			i.ChargeType, i.ChargeTypeTo, i.ChargeTypeAt = i.ChargeTypeTo, "", time.Time{}
			if i.ChargeType == PostPaid {
				i.Expires, i.Expired, i.Period, i.PeriodUnit = time.Time{}, false, 0, ""
				i.Locks = withoutLock(i.Locks, LockFinancial)
			}
		case i.ChargeType == PrePaid && i.Expired:
			return i, &Gone{At: i.Expires.Add(ExpiredReleaseAfter), Automatic: true}
		case i.ChargeType == PrePaid:
			// Expiry stops the instance; a release under way keeps its course.
			i.Expired = true
			if !i.Releasing {
				i.Status, i.Steps = StatusStopped, nil
			}
			if lockOnExpiry && !i.HasLock(LockFinancial) {
				i.Locks = append(i.Locks, Lock{Reason: LockFinancial})
			}
		default:
			return i, nil // unreachable: NextDue named a time none of the cases own
		}
	}
}

func withoutLock(locks []Lock, reason string) []Lock {
	var out []Lock
	for _, l := range locks {
		if l.Reason != reason {
			out = append(out, l)
		}
	}
	return out
}

// busy reports a transitional state: Pending, Starting, Stopping or releasing.
func (i Instance) busy() bool {
	return i.Releasing || i.Status == StatusPending || i.Status == StatusStarting || i.Status == StatusStopping
}

// Start is StartInstance (§5.4): Stopped → Starting → Running.
func Start(i Instance, now time.Time, d Delays) (Instance, error) {
	if i.HasLock(LockSecurity) {
		return i, apierr.InstanceLockedForSecurity.New()
	}
	if i.Status != StatusStopped || i.busy() {
		return i, apierr.IncorrectInstanceStatus.New()
	}
	if i.ChargeType == PrePaid && i.Expired {
		return i, apierr.InstanceExpiredOrInArrears.New()
	}
	i.Status = StatusStarting
	i.Steps = []Step{{At: now.Add(d.InstanceStart.D()), Status: StatusRunning}}
	return i, nil
}

// Stop is StopInstance (§5.4): Running → Stopping → Stopped. A security lock
// does not block it (current docs).
func Stop(i Instance, now time.Time, d Delays, force bool, stoppedMode string) (Instance, error) {
	if i.Status != StatusRunning || i.busy() {
		return i, apierr.IncorrectInstanceStatus.New()
	}
	delay := d.InstanceStop
	if force {
		delay = d.InstanceForceStop
	}
	i.Status = StatusStopping
	i.StoppedMode = stoppedMode
	i.Steps = []Step{{At: now.Add(delay.D()), Status: StatusStopped}}
	return i, nil
}

// Reboot is RebootInstance: Running → Stopping → Starting → Running.
func Reboot(i Instance, now time.Time, d Delays) (Instance, error) {
	if i.HasLock(LockSecurity) {
		return i, apierr.InstanceLockedForSecurity.New()
	}
	if i.Status != StatusRunning || i.busy() {
		return i, apierr.IncorrectInstanceStatus.New()
	}
	stop := now.Add(d.RebootStop.D())
	i.Status = StatusStopping
	i.Steps = []Step{{At: stop, Status: StatusStarting}, {At: stop.Add(d.RebootStart.D()), Status: StatusRunning}}
	return i, nil
}

// CheckModify guards ModifyInstanceAttribute and friends: a security lock
// refuses them, a release under way too.
func CheckModify(i Instance) error {
	if i.HasLock(LockSecurity) {
		return apierr.InstanceLockedForSecurity.New()
	}
	if i.Releasing {
		return apierr.IncorrectInstanceStatus.New()
	}
	return nil
}

// ChangeChargeType is ModifyInstanceChargeType; the change becomes visible
// after the chargeType delay (§5.4).
func ChangeChargeType(i Instance, to string, now time.Time, d Delays, period int, unit string) (Instance, error) {
	if err := CheckModify(i); err != nil {
		return i, err
	}
	if i.Status != StatusRunning && i.Status != StatusStopped || i.busy() {
		return i, apierr.IncorrectInstanceStatus.New()
	}
	if i.ChargeTypeTo != "" || i.ChargeType == to || i.Expired {
		return i, apierr.ChargeTypeViolation.New()
	}
	if to == PrePaid {
		i.Period, i.PeriodUnit = period, unit
		i.Expires = AddPeriod(now, period, unit)
	}
	i.ChargeTypeTo, i.ChargeTypeAt = to, now.Add(d.ChargeType.D())
	return i, nil
}

// AddPeriod adds a subscription period: Month or Week (Year is 12 months).
func AddPeriod(t time.Time, n int, unit string) time.Time {
	switch unit {
	case "Week":
		return t.AddDate(0, 0, 7*n)
	case "Year":
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, n, 0)
}

// Renew is RenewInstance: extends a subscription; an expired one stays
// Stopped but may be started again (§2).
func Renew(i Instance, now time.Time, period int, unit string) (Instance, error) {
	if i.ChargeType != PrePaid {
		return i, apierr.InvalidRenewPostPaid.New()
	}
	if i.Releasing {
		return i, apierr.IncorrectInstanceStatus.New()
	}
	base := i.Expires
	if i.Expired || base.Before(now) {
		base = now
	}
	i.Expires, i.Expired = AddPeriod(base, period, unit), false
	i.Locks = withoutLock(i.Locks, LockFinancial)
	return i, nil
}

// CheckAutoReleaseTime validates ModifyInstanceAutoReleaseTime and RunInstances'
// AutoReleaseTime: at least 30 minutes ahead, at most 3 years (§5.4).
func CheckAutoReleaseTime(t, now time.Time) error {
	if t.Before(now.Add(30*time.Minute-time.Minute)) || t.After(now.AddDate(3, 0, 0)) {
		return apierr.InvalidAutoReleaseTime.New()
	}
	return nil
}

// instanceKind declares the kind to the registry (registry.go).
var instanceKind = Kind{
	Name:   KindInstance,
	Prefix: "i",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeInstances Status"},
		{IdxResourceGroup, "DescribeInstances ResourceGroupId"},
		{IdxZone, "DescribeInstances ZoneId"},
		{IdxVPC, "DescribeInstances VpcId; DeleteVpc's dependency check"},
		{IdxVSwitch, "DescribeInstances VSwitchId; DeleteVSwitch's dependency check"},
		{IdxChargeType, "DescribeInstances InstanceChargeType"},
		{IdxName, "DescribeInstances InstanceName"},
		{IdxType, "DescribeInstances InstanceType"},
		{IdxFamily, "DescribeInstances InstanceTypeFamily"},
		{IdxImage, "DescribeInstances ImageId"},
		{IdxPrivateIP, "DescribeInstances PrivateIpAddresses, InnerIpAddresses"},
		{IdxPublicIP, "DescribeInstances PublicIpAddresses"},
		{IdxSecurityGroup, "DescribeInstances SecurityGroupId; a group's members"},
		{IdxLock, "DescribeInstances LockReason"},
		{IdxKeyPair, "DescribeInstances KeyPairName"},
	}, tagIndexDecls("DescribeInstances")...),
	// An address is one instance's.
	Few:    []IndexName{IdxPrivateIP, IdxPublicIP},
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "instance"}},
	Decode: decoder[Instance](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, cfg Config) (Transition, error) {
		next, gone := Advance(r.(Instance), now, cfg.ExpiredSubscriptionLock)
		if gone != nil {
			return Transition{Next: next, Gone: true, ReleasedAt: gone.At}, nil
		}
		return Transition{Next: next}, nil
	},
}

// Tagged.

func (i Instance) TagList() []Tag            { return i.Tags }
func (i Instance) WithTags(t []Tag) Resource { i.Tags = t; return i }

// MetadataOptions is how the instance serves its metadata.
type MetadataOptions struct {
	Endpoint string `json:"endpoint"` // enabled | disabled
	Tokens   string `json:"tokens"`   // optional | required
	HopLimit int    `json:"hopLimit"`
}

// MetadataOf answers the instance's metadata options, defaults filled in.
func (i Instance) MetadataOf() MetadataOptions {
	if i.Metadata == nil {
		return MetadataOptions{Endpoint: "enabled", Tokens: "optional", HopLimit: 1}
	}
	return *i.Metadata
}
