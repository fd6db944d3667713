// Package cloud is the domain of ecslocal: resource types, their states, and
// every rule as a pure function of state, input and the emulated time. It
// knows nothing of HTTP or SQL; refusals are apierr catalog values.
package cloud

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that reads and writes Go duration strings
// ("10s"), the form the admin API documents.
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"10s\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("invalid duration %q", s)
	}
	*d = Duration(v)
	return nil
}

// D is the time.Duration value.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Delays are the asynchronous transition times of spec/semantics.md §2.
type Delays struct {
	InstancePending   Duration `json:"instancePending"`   // RunInstances: Pending → Starting
	InstanceStart     Duration `json:"instanceStart"`     // Starting → Running
	InstanceStop      Duration `json:"instanceStop"`      // StopInstance, graceful
	InstanceForceStop Duration `json:"instanceForceStop"` // ForceStop=true
	RebootStop        Duration `json:"rebootStop"`
	RebootStart       Duration `json:"rebootStart"`
	Release           Duration `json:"release"`          // Stopped → gone
	ReleaseForceStop  Duration `json:"releaseForceStop"` // Force on Running, ForceStop=true: Stopping → Stopped
	ReleaseGraceStop  Duration `json:"releaseGraceStop"` // Force on Running, ForceStop=false
	ReleaseAfterStop  Duration `json:"releaseAfterStop"` // Stopped → gone after a forced stop
	ChargeType        Duration `json:"chargeType"`       // ModifyInstanceChargeType becoming visible
	Disk              Duration `json:"disk"`             // Creating/Attaching/Detaching
	Snapshot          Duration `json:"snapshot"`
	ENI               Duration `json:"eni"`
	RouteEntry        Duration `json:"routeEntry"`
	VPC               Duration `json:"vpc"`
	// Invocation is each step of a Cloud Assistant run: Pending → Running → Success.
	Invocation Duration `json:"invocation"`
}

// FastDelays is the "fast" profile: every transition is due at once.
func FastDelays() Delays { return Delays{} }

// RealisticDelays is the "realistic" profile: the emulator defaults of §2.
func RealisticDelays() Delays {
	s := func(n float64) Duration { return Duration(time.Duration(n * float64(time.Second))) }
	return Delays{
		InstancePending: s(2), InstanceStart: s(3), InstanceStop: s(3), InstanceForceStop: s(1),
		RebootStop: s(1), RebootStart: s(2), Release: s(3), ReleaseForceStop: s(1), ReleaseGraceStop: s(10),
		ReleaseAfterStop: s(2), ChargeType: s(2), Disk: s(1), Snapshot: s(2), ENI: s(1), RouteEntry: s(1), VPC: s(1),
		Invocation: s(1),
	}
}

// Profiles.
const (
	ProfileFast      = "fast"
	ProfileRealistic = "realistic"
)

// Config holds the runtime switches of design.md §1.2. Every replica reads it
// from the store, so a PATCH is seen by all of them.
type Config struct {
	Profile              string   `json:"profile"`
	Delays               Delays   `json:"delays"`
	InitializingWindow   Duration `json:"initializingWindow"`
	SLBConfiguringWindow Duration `json:"slbConfiguringWindow"`
	// DryRunSuccessCode is DeleteInstances' dry-run answer (§3.2) [choice].
	DryRunSuccessCode string `json:"dryRunSuccessCode"`
	// RejectDuplicateIDs refuses repeated InstanceId.N instead of de-duplicating (§3.3) [choice].
	RejectDuplicateIDs            bool `json:"rejectDuplicateIds"`
	ENIDeleteOnReleaseDefault     bool `json:"eniDeleteOnReleaseDefault"`
	DiskDeleteAutoSnapshotDefault bool `json:"diskDeleteAutoSnapshotDefault"`
	// CreateDiskDeleteAutoSnapshot is DeleteAutoSnapshot of a CreateDisk disk:
	// false, as the provider's ecs_disk acceptance test (default false, no
	// ModifyDiskAttribute on create, empty plan after apply) implies.
	CreateDiskDeleteAutoSnapshot bool `json:"createDiskDeleteAutoSnapshot"`
	// ExpiredSubscriptionLock adds a financial lock to expired subscriptions (§2) [choice].
	ExpiredSubscriptionLock bool `json:"expiredSubscriptionLock"`
	// SoldOutResources marks zones ("cn-hangzhou-k"), instance types
	// ("ecs.g7.large") or one type in one zone ("cn-hangzhou-k/ecs.g7.large")
	// sold out: launches there answer OperationDenied.NoStock.
	SoldOutResources []string `json:"soldOutResources"`
}

// DefaultConfig is the configuration of a new server in profile.
func DefaultConfig(profile string) Config {
	c := Config{
		Profile:                       ProfileFast,
		Delays:                        FastDelays(),
		SLBConfiguringWindow:          Duration(2 * time.Second),
		DryRunSuccessCode:             "DryRunOperation",
		ENIDeleteOnReleaseDefault:     true,
		DiskDeleteAutoSnapshotDefault: true,
	}
	if profile == ProfileRealistic {
		c.Profile, c.Delays = ProfileRealistic, RealisticDelays()
	}
	return c
}

// Validate checks a configuration after a PATCH.
func (c Config) Validate() error {
	if c.Profile != ProfileFast && c.Profile != ProfileRealistic {
		return fmt.Errorf("profile must be %q or %q", ProfileFast, ProfileRealistic)
	}
	if c.DryRunSuccessCode != "DryRunOperation" && c.DryRunSuccessCode != "DRYRUN.SUCCESS" {
		return fmt.Errorf("dryRunSuccessCode must be \"DryRunOperation\" or \"DRYRUN.SUCCESS\"")
	}
	return validSoldOut(c.SoldOutResources)
}
