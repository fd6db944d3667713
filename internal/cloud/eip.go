package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindEIP is the stored kind of elastic IP addresses.
const KindEIP = "eip"

// EIP statuses (spec/semantics.md §1). Association and disassociation take
// effect at once (§2 names no delay for them), so Associating and
// Unassociating are never stored; they are listed for the Status filter.
const (
	EIPAvailable     = "Available"
	EIPAssociating   = "Associating"
	EIPInUse         = "InUse"
	EIPUnassociating = "Unassociating"
)

// What an EIP can be associated with (AssociateEipAddress' InstanceType).
const (
	EIPOnInstance = "EcsInstance"
	EIPOnENI      = "NetworkInterface"
)

// EIP is an elastic IP address; its id is the AllocationId.
type EIP struct {
	ID                 string    `json:"id"`
	Region             string    `json:"region"`
	IPAddress          string    `json:"ipAddress"`
	Name               string    `json:"name,omitempty"`
	Description        string    `json:"description,omitempty"`
	Bandwidth          int       `json:"bandwidth"`
	InternetChargeType string    `json:"internetChargeType"`
	ChargeType         string    `json:"chargeType"`
	ISP                string    `json:"isp"`
	Status             string    `json:"status"`
	InstanceID         string    `json:"instanceId,omitempty"`
	InstanceType       string    `json:"instanceType,omitempty"`
	Allocated          time.Time `json:"allocated"`
	ResourceGroup      string    `json:"resourceGroup,omitempty"`
	Tags               []Tag     `json:"tags,omitempty"`
	// DeletionProtection is set by DeletionProtection Type=EIP.
	DeletionProtection bool `json:"deletionProtection,omitempty"`
	// BandwidthPackageID is the Internet Shared Bandwidth instance the EIP
	// is in, and PackageBandwidth its own cap there (0: none).
	BandwidthPackageID string `json:"bandwidthPackageId,omitempty"`
	PackageBandwidth   int    `json:"packageBandwidth,omitempty"`
	// Mode is the forward mode of ModifyEipForwardMode (NAT by default).
	Mode string `json:"mode,omitempty"`
	// SegmentID is the contiguous group the EIP was allocated in, if any.
	SegmentID string `json:"segmentId,omitempty"`
	// PoolID is the public IP address pool the EIP was drawn from, if any.
	PoolID string `json:"poolId,omitempty"`
}

// Kind implements Resource.
func (EIP) Kind() string { return KindEIP }

// Key implements Resource.
func (e EIP) Key() string { return e.ID }

// RegionID implements Resource.
func (e EIP) RegionID() string { return e.Region }

// Indexes implements Resource: one per DescribeEipAddresses filter; the
// "instance" one also finds the EIP of an instance being released.
func (e EIP) Indexes() []Index {
	return append([]Index{
		{"status", e.Status}, {"ip", e.IPAddress}, {"name", e.Name}, {"chargeType", e.ChargeType},
		{"instance", e.InstanceID}, {"instanceType", e.InstanceType}, {"resourceGroup", e.ResourceGroup}, {"isp", e.ISP},
		{"bandwidthPackage", e.BandwidthPackageID}, {IdxSegment, e.SegmentID}, {IdxPool, e.PoolID},
	}, tagIndexes(e.Tags)...)
}

// TagList implements Tagged.
func (e EIP) TagList() []Tag { return e.Tags }

// WithTags implements Tagged.
func (e EIP) WithTags(t []Tag) Resource { e.Tags = t; return e }

// NextDue implements Resource: EIPs have no asynchronous transition.
func (EIP) NextDue() time.Time { return time.Time{} }

// EIPRef is the association an instance carries, as DescribeInstances'
// EipAddress shows it.
type EIPRef struct {
	AllocationID       string `json:"allocationId"`
	IPAddress          string `json:"ipAddress"`
	Bandwidth          int    `json:"bandwidth"`
	InternetChargeType string `json:"internetChargeType"`
}

// Ref is the instance-side view of the EIP.
func (e EIP) Ref() *EIPRef {
	return &EIPRef{AllocationID: e.ID, IPAddress: e.IPAddress, Bandwidth: e.Bandwidth, InternetChargeType: e.InternetChargeType}
}

// CheckEIPInstance judges an ECS instance AssociateEipAddress names, in the
// order of the reference's error table: same region, in a VPC, Running or
// Stopped and not being released, no EIP and no static public IP yet.
func CheckEIPInstance(i Instance, region string) error {
	switch {
	case i.Region != region:
		return apierr.EIPRegionMismatch.New().WithDetail("instance %s is in %s", i.ID, i.Region)
	case i.VpcID == "":
		return apierr.EIPInstanceNotInVpc.New().WithDetail("instance %s has no VPC", i.ID)
	case i.Releasing || i.Status != StatusRunning && i.Status != StatusStopped:
		return apierr.EIPIncorrectInstanceStatus.New().WithDetail("instance %s is %s (releasing %t)", i.ID, i.Status, i.Releasing)
	case i.EIP != nil:
		return apierr.EIPAssociationDuplicated.New().WithDetail("instance %s has EIP %s", i.ID, i.EIP.AllocationID)
	case i.PublicIP != "":
		return apierr.EIPInstanceHasPublicIP.New().WithDetail("instance %s has public IP %s", i.ID, i.PublicIP)
	}
	return nil
}

// AssociateEIP binds an Available EIP to a target of kind typ.
func AssociateEIP(e EIP, typ, targetID string) (EIP, error) {
	if e.Status != EIPAvailable {
		return e, apierr.IncorrectEipStatus.New().WithDetail("EIP %s is %s", e.ID, e.Status)
	}
	e.Status, e.InstanceID, e.InstanceType = EIPInUse, targetID, typ
	return e, nil
}

// UnassociateEIP unbinds an EIP in use from targetID.
func UnassociateEIP(e EIP, targetID string) (EIP, error) {
	if e.Status != EIPInUse {
		return e, apierr.IncorrectEipStatus.New().WithDetail("EIP %s is %s", e.ID, e.Status)
	}
	if e.InstanceID != targetID {
		return e, apierr.EIPNotAssociatedWith.New().WithDetail("EIP %s is bound to %s, not %s", e.ID, e.InstanceID, targetID)
	}
	return DetachEIP(e), nil
}

// DetachEIP is the disassociation a release makes (§3.6): the EIP stays,
// Available, never released with the instance.
func DetachEIP(e EIP) EIP {
	e.Status, e.InstanceID, e.InstanceType = EIPAvailable, "", ""
	return e
}

// CheckReleaseEIP guards ReleaseEipAddress: only an Available EIP goes.
func CheckReleaseEIP(e EIP) error {
	if e.DeletionProtection {
		return apierr.VpcDeletionProtection.New().WithDetail("EIP %s", e.ID)
	}
	if e.Status != EIPAvailable {
		return apierr.IncorrectEipStatus.New().WithDetail("EIP %s is %s", e.ID, e.Status)
	}
	if e.BandwidthPackageID != "" {
		return apierr.EIPInBandwidthPackage.New().WithDetail("EIP %s is in %s", e.ID, e.BandwidthPackageID)
	}
	if e.SegmentID != "" {
		return apierr.EIPInSegment.New().WithDetail("EIP %s is in %s", e.ID, e.SegmentID)
	}
	return nil
}

// eipKind declares the kind to the registry (registry.go).
var eipKind = Kind{
	Name:   KindEIP,
	Prefix: "eip",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeEipAddresses Status"},
		{IdxIP, "DescribeEipAddresses EipAddress"},
		{IdxName, "DescribeEipAddresses EipName"},
		{IdxChargeType, "DescribeEipAddresses ChargeType"},
		{IdxInstance, "DescribeEipAddresses AssociatedInstanceId; the EIPs a release acts on"},
		{IdxInstanceType, "DescribeEipAddresses AssociatedInstanceType"},
		{IdxResourceGroup, "DescribeEipAddresses ResourceGroupId"},
		{IdxISP, "DescribeEipAddresses ISP"},
		{IdxBandwidthPackage, "the EIPs of an Internet Shared Bandwidth instance"},
		{IdxSegment, "DescribeEipAddresses SegmentInstanceId; the EIPs of a contiguous group"},
		{IdxPool, "DescribeEipAddresses PublicIpAddressPoolId; the EIPs drawn from a pool"},
	}, tagIndexDecls("DescribeEipAddresses")...),
	// An address is one EIP's; an instance or ENI has few EIPs.
	Few:    []IndexName{IdxIP, IdxInstance},
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "EIP"}},
	Decode: decoder[EIP](),
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, e := range each[EIP](found) {
				if next, changed := ReleaseEIP(e, rel.Instance.ID, rel.removedENI); changed {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}

// ReleaseEIP is what the release of instanceID does to an EIP: bound to
// the instance, or to an ENI the release removed (gone), it becomes
// Available; it is never released with it.
func ReleaseEIP(e EIP, instanceID string, gone func(eniID string) bool) (EIP, bool) {
	if e.InstanceID == instanceID || e.InstanceType == EIPOnENI && gone(e.InstanceID) {
		return DetachEIP(e), true
	}
	return e, false
}

// ModifyEIP applies ModifyEipAddressAttribute: a new bandwidth (Mbit/s,
// 1..200 for PayByTraffic, 1..500 for PayByBandwidth), name or description.
func ModifyEIP(e EIP, bandwidth *int, name, description *string) (EIP, error) {
	if bandwidth != nil {
		limit := 500
		if e.InternetChargeType == "PayByTraffic" {
			limit = 200
		}
		if *bandwidth < 1 || *bandwidth > limit {
			return e, apierr.InvalidParameter.New("Bandwidth")
		}
		e.Bandwidth = *bandwidth
	}
	if name != nil {
		e.Name = *name
	}
	if description != nil {
		e.Description = *description
	}
	return e, nil
}
