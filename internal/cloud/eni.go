package cloud

import (
	"context"
	"net/netip"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindENI is the stored kind of elastic network interfaces.
const KindENI = "eni"

// ENI statuses (spec/semantics.md §1, §2): Available → Attaching → InUse →
// Detaching → Available; Deleting before removal.
const (
	ENIAvailable = "Available"
	ENIAttaching = "Attaching"
	ENIInUse     = "InUse"
	ENIDetaching = "Detaching"
	ENIDeleting  = "Deleting"
)

// ENI types. Every instance has exactly one Primary ENI; Secondary and Trunk
// ENIs come from CreateNetworkInterface or RunInstances' NetworkInterface.N.
const (
	ENIPrimary   = "Primary"
	ENISecondary = "Secondary"
	ENITrunk     = "Trunk"
)

// MaxENISecurityGroups is how many security groups one ENI may join.
const MaxENISecurityGroups = 5

// ENIAttachment is where an ENI is attached. A member ENI names the trunk
// ENI it hangs off; it is still attached to (and listed under) the trunk's
// instance.
type ENIAttachment struct {
	InstanceID              string `json:"instanceId"`
	DeviceIndex             int    `json:"deviceIndex"`
	TrunkNetworkInterfaceID string `json:"trunkNetworkInterfaceId,omitempty"`
}

// ENIStep is a scheduled ENI status change; Status "" means removed.
type ENIStep struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"`
}

// ENI is an elastic network interface. Its security group membership and
// its trunk links are read through its indexes ("sg", "trunk"), so they
// never drift from the ENIs themselves.
type ENI struct {
	ID              string         `json:"id"`
	Region          string         `json:"region"`
	Zone            string         `json:"zone"`
	VpcID           string         `json:"vpcId"`
	VSwitchID       string         `json:"vSwitchId"`
	Name            string         `json:"name,omitempty"`
	Description     string         `json:"description,omitempty"`
	Type            string         `json:"type"`
	Status          string         `json:"status"`
	MAC             string         `json:"mac"`
	PrivateIP       string         `json:"privateIp"`
	SecondaryIPs    []string       `json:"secondaryIps,omitempty"`
	QoS             *ENIQoS        `json:"qos,omitempty"`
	SecurityGroups  []string       `json:"securityGroups"`
	DeleteOnRelease bool           `json:"deleteOnRelease"`
	Attachment      *ENIAttachment `json:"attachment,omitempty"`
	Created         time.Time      `json:"created"`
	Tags            []Tag          `json:"tags,omitempty"`
	ResourceGroup   string         `json:"resourceGroup,omitempty"`
	// Next is the scheduled transition (Attaching, Detaching, Deleting).
	Next *ENIStep `json:"next,omitempty"`
}

// Kind implements Resource.
func (ENI) Kind() string { return KindENI }

// Key implements Resource.
func (e ENI) Key() string { return e.ID }

// RegionID implements Resource.
func (e ENI) RegionID() string { return e.Region }

// Indexes implements Resource: one per DescribeNetworkInterfaces filter
// (§5.7), plus "instance" (ENIs of an instance, for release and
// DescribeInstances) and "trunk" (members of a trunk ENI). No zone: no
// filter reads one, and every index row is written and deleted again in
// each ENI's life.
func (e ENI) Indexes() []Index {
	out := make([]Index, 0, 9+len(e.SecurityGroups)+len(e.SecondaryIPs)+2*len(e.Tags))
	out = append(out,
		Index{"status", e.Status}, Index{"type", e.Type}, Index{"vpc", e.VpcID}, Index{"vswitch", e.VSwitchID},
		Index{"privateIp", e.PrivateIP}, Index{"name", e.Name}, Index{"resourceGroup", e.ResourceGroup},
	)
	for _, sg := range e.SecurityGroups {
		out = append(out, Index{"sg", sg})
	}
	for _, ip := range e.SecondaryIPs {
		out = append(out, Index{"secondaryIp", ip})
	}
	if e.Attachment != nil {
		out = append(out, Index{"instance", e.Attachment.InstanceID})
		if e.Attachment.TrunkNetworkInterfaceID != "" {
			out = append(out, Index{"trunk", e.Attachment.TrunkNetworkInterfaceID})
		}
	}
	return appendTagIndexes(out, e.Tags)
}

// NextDue implements Resource.
func (e ENI) NextDue() time.Time {
	if e.Next == nil {
		return time.Time{}
	}
	return e.Next.At
}

// InstanceID is the instance the ENI is attached to, "" when detached.
func (e ENI) InstanceID() string {
	if e.Attachment == nil {
		return ""
	}
	return e.Attachment.InstanceID
}

// TrunkID is the trunk ENI a member ENI hangs off, "" for any other ENI.
func (e ENI) TrunkID() string {
	if e.Attachment == nil {
		return ""
	}
	return e.Attachment.TrunkNetworkInterfaceID
}

// ENIQoS is EnableNetworkInterfaceQoS' limits; nil fields are unlimited.
type ENIQoS struct {
	BandwidthRx           *int64 `json:"bandwidthRx,omitempty"`
	BandwidthTx           *int64 `json:"bandwidthTx,omitempty"`
	PpsRx                 *int64 `json:"ppsRx,omitempty"`
	PpsTx                 *int64 `json:"ppsTx,omitempty"`
	ConcurrentConnections *int64 `json:"concurrentConnections,omitempty"`
}

// ENISpec is a new ENI resolved against the account's network: the vSwitch
// exists, the groups are in its VPC, the address is free.
type ENISpec struct {
	ID, Region        string
	VSwitch           VSwitch
	Type              string
	Name, Description string
	MAC, PrivateIP    string
	SecurityGroups    []string
	DeleteOnRelease   bool
	Tags              []Tag
	ResourceGroup     string
	InstanceID        string // attached at creation (RunInstances); "" = Available
	DeviceIndex       int
}

// NewENI makes an ENI at now: Available, or InUse when made by RunInstances
// for an instance (its primary ENI and NetworkInterface.N).
func NewENI(s ENISpec, now time.Time) ENI {
	e := ENI{
		ID: s.ID, Region: s.Region, Zone: s.VSwitch.Zone, VpcID: s.VSwitch.VpcID, VSwitchID: s.VSwitch.ID,
		Name: s.Name, Description: s.Description, Type: s.Type, Status: ENIAvailable, MAC: s.MAC,
		PrivateIP: s.PrivateIP, SecurityGroups: append([]string{}, s.SecurityGroups...),
		DeleteOnRelease: s.DeleteOnRelease, Created: now, Tags: s.Tags, ResourceGroup: s.ResourceGroup,
	}
	if s.InstanceID != "" {
		e.Status = ENIInUse
		e.Attachment = &ENIAttachment{InstanceID: s.InstanceID, DeviceIndex: s.DeviceIndex}
	}
	return e
}

// HostInBlock tells whether ip is an address of the vSwitch that may be
// handed out: inside its block, neither the network address nor one of the
// last three, which Alibaba reserves (as VSwitch.AllocateIP does).
func (v VSwitch) HostInBlock(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	p, perr := netip.ParsePrefix(v.CidrBlock)
	if err != nil || perr != nil || !addr.Is4() || !p.Contains(addr) {
		return false
	}
	base, a := p.Masked().Addr().As4(), addr.As4()
	off := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) -
		(uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3]))
	return off >= 1 && int(off) <= 1<<(32-p.Bits())-4
}

// ENIAttach is what AttachNetworkInterface asks for, with the state it is
// judged against: the instance, its type's quotas, every ENI attached to
// the instance now (members included), and the trunk ENI when the call
// names TrunkNetworkInstanceId.
type ENIAttach struct {
	Instance Instance
	Type     InstanceType
	Attached []ENI
	Trunk    *ENI
}

// AttachENI is AttachNetworkInterface (§5.7): the ENI must be Available, the
// instance Running or Stopped, both in one VPC and zone, within the type's
// EniQuantity (or EniTotalQuantity for trunk members). Attaching → InUse
// after the ENI delay.
func AttachENI(e ENI, a ENIAttach, now time.Time, d Delays) (ENI, error) {
	i := a.Instance
	switch {
	case e.Status != ENIAvailable || e.Attachment != nil:
		return e, apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
	case i.Releasing || i.Status != StatusRunning && i.Status != StatusStopped:
		return e, apierr.InvalidEcsState.New().WithDetail("instance %s is %s", i.ID, i.Status)
	case e.VpcID != i.VpcID:
		return e, apierr.EniVpcMismatch.New().WithDetail("ENI %s is in %s, instance %s in %s", e.ID, e.VpcID, i.ID, i.VpcID)
	case e.Zone != i.Zone:
		return e, apierr.EniZoneMismatch.New().WithDetail("ENI %s is in %s, instance %s in %s", e.ID, e.Zone, i.ID, i.Zone)
	case e.Type == ENITrunk && !a.Type.EniTrunkSupported:
		return e, apierr.InvalidEniType.New().WithDetail("instance type %s does not support trunk ENIs", a.Type.InstanceTypeID)
	}
	direct, total := 0, len(a.Attached)
	for _, x := range a.Attached {
		if x.TrunkID() == "" {
			direct++
		}
	}
	trunk := ""
	if a.Trunk != nil {
		t := *a.Trunk
		switch {
		case t.Type != ENITrunk || e.Type != ENISecondary:
			return e, apierr.InvalidEniType.New().WithDetail("%s cannot be a member of %s (%s)", e.ID, t.ID, t.Type)
		case t.InstanceID() != i.ID || t.Status != ENIInUse:
			return e, apierr.InvalidEniState.New().WithDetail("trunk ENI %s is not in use by instance %s", t.ID, i.ID)
		case total >= a.Type.EniTotalQuantity:
			return e, apierr.EniPerInstanceLimitExceeded.New().WithDetail("instance type %s allows %d ENIs in total", a.Type.InstanceTypeID, a.Type.EniTotalQuantity)
		}
		trunk = t.ID
	} else if direct >= a.Type.EniQuantity {
		return e, apierr.EniPerInstanceLimitExceeded.New().WithDetail("instance type %s allows %d ENIs", a.Type.InstanceTypeID, a.Type.EniQuantity)
	}
	e.Status = ENIAttaching
	e.Attachment = &ENIAttachment{InstanceID: i.ID, DeviceIndex: FreeDeviceIndex(a.Attached), TrunkNetworkInterfaceID: trunk}
	e.Next = &ENIStep{At: now.Add(d.ENI.D()), Status: ENIInUse}
	return e, nil
}

// FreeDeviceIndex is the lowest device index none of attached uses; the
// primary ENI holds 0.
func FreeDeviceIndex(attached []ENI) int {
	used := map[int]bool{}
	for _, x := range attached {
		if x.Attachment != nil {
			used[x.Attachment.DeviceIndex] = true
		}
	}
	n := 0
	for used[n] {
		n++
	}
	return n
}

// DetachENI is DetachNetworkInterface (§5.7): never the primary ENI, never
// a trunk ENI that still has members (members names every ENI whose trunk
// is e), and only an InUse ENI of inst. trunkID, when the call names one,
// must be the trunk the member hangs off. Detaching → Available.
func DetachENI(e ENI, inst Instance, trunkID string, members []ENI, now time.Time, d Delays) (ENI, error) {
	switch {
	case e.Type == ENIPrimary:
		return e, apierr.DetachPrimaryEniNotAllowed.New().WithDetail("ENI %s is the primary ENI of %s", e.ID, e.InstanceID())
	case e.InstanceID() != inst.ID:
		return e, apierr.InvalidEniState.New().WithDetail("ENI %s is not attached to instance %s", e.ID, inst.ID)
	case trunkID != "" && e.TrunkID() != trunkID:
		return e, apierr.InvalidParameter.New("TrunkNetworkInstanceId").WithDetail("ENI %s is not a member of %s", e.ID, trunkID)
	case e.Status != ENIInUse:
		return e, apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
	case inst.Releasing || inst.Status != StatusRunning && inst.Status != StatusStopped:
		return e, apierr.InvalidEcsState.New().WithDetail("instance %s is %s", inst.ID, inst.Status)
	}
	if id := LinkedENI(append([]ENI{e}, members...)); id != "" {
		return e, apierr.EniLinked.New().WithDetail("trunk ENI %s still has member ENIs", id)
	}
	e.Status = ENIDetaching
	e.Next = &ENIStep{At: now.Add(d.ENI.D()), Status: ENIAvailable}
	return e, nil
}

// DeleteENI is DeleteNetworkInterface (§5.7): only an Available ENI;
// Deleting, then removed after the ENI delay.
func DeleteENI(e ENI, now time.Time, d Delays) (ENI, error) {
	if e.Status != ENIAvailable || e.Attachment != nil {
		return e, apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
	}
	e.Status = ENIDeleting
	e.Next = &ENIStep{At: now.Add(d.ENI.D()), Status: ""}
	return e, nil
}

// AdvanceENI applies the ENI's scheduled change when due; gone reports a
// finished deletion. A detach completes by clearing the attachment: while
// Detaching the ENI still names its instance.
func AdvanceENI(e ENI, now time.Time) (next ENI, gone bool) {
	if e.Next == nil || e.Next.At.After(now) {
		return e, false
	}
	s := *e.Next
	e.Next = nil
	switch s.Status {
	case "":
		return e, true
	case ENIAvailable:
		e.Attachment = nil
	}
	e.Status = s.Status
	return e, false
}

// LinkedENI is the "linked" rule of §3.3 5d: among enis (those of one
// instance), the id of the first trunk ENI that has a member ENI attached
// through it, or "" when none. A member counts until its detach completes.
func LinkedENI(enis []ENI) string {
	members := map[string]bool{}
	for _, e := range enis {
		if t := e.TrunkID(); t != "" {
			members[t] = true
		}
	}
	for _, e := range enis {
		if e.Type == ENITrunk && members[e.ID] {
			return e.ID
		}
	}
	return ""
}

// ENIReleaseEffects computes §3.6 for the ENIs attached to inst when it is
// removed at time at: the primary ENI and every ENI with DeleteOnRelease are
// released (deleted: they simply no longer exist, which is how later steps
// such as route entries with a released ENI as next hop find them); the
// others are detached, Available, with their addresses, groups and tags.
func ENIReleaseEffects(inst Instance, enis []ENI, at time.Time) (del []string, keep []ENI) {
	for _, e := range enis {
		if e.InstanceID() != inst.ID {
			continue
		}
		if e.Type == ENIPrimary || e.DeleteOnRelease {
			del = append(del, e.ID)
			continue
		}
		e.Status, e.Attachment, e.Next = ENIAvailable, nil, nil
		keep = append(keep, e)
	}
	return del, keep
}

// ENIModify is ModifyNetworkInterfaceAttribute: nil fields stay unchanged.
type ENIModify struct {
	Name, Description *string
	DeleteOnRelease   *bool
	SecurityGroups    []string // nil = unchanged; already checked to be in the ENI's VPC
}

// ModifyENI applies ModifyNetworkInterfaceAttribute (§5.7). A primary ENI
// is always released with its instance (§3.6): DeleteOnRelease=false is
// refused for it. An ENI being deleted cannot change.
func ModifyENI(e ENI, m ENIModify) (ENI, error) {
	if e.Status == ENIDeleting {
		return e, apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
	}
	if m.DeleteOnRelease != nil && !*m.DeleteOnRelease && e.Type == ENIPrimary {
		return e, apierr.InvalidEniType.New().WithDetail("the primary ENI %s is always released with its instance", e.ID)
	}
	if m.Name != nil {
		e.Name = *m.Name
	}
	if m.Description != nil {
		e.Description = *m.Description
	}
	if m.DeleteOnRelease != nil {
		e.DeleteOnRelease = *m.DeleteOnRelease
	}
	if m.SecurityGroups != nil {
		e.SecurityGroups = append([]string{}, m.SecurityGroups...)
	}
	return e, nil
}

// eniKind declares the kind to the registry (registry.go).
var eniKind = Kind{
	Name:   KindENI,
	Prefix: "eni",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeNetworkInterfaces Status"},
		{IdxType, "DescribeNetworkInterfaces Type"},
		{IdxVPC, "DescribeNetworkInterfaces VpcId; DeleteVpc's dependency check"},
		{IdxVSwitch, "DescribeNetworkInterfaces VSwitchId; DeleteVSwitch's dependency check"},
		{IdxPrivateIP, "DescribeNetworkInterfaces PrimaryIpAddress; address allocation"},
		{IdxName, "DescribeNetworkInterfaces NetworkInterfaceName"},
		{IdxResourceGroup, "DescribeNetworkInterfaces ResourceGroupId"},
		{IdxSecurityGroup, "DescribeNetworkInterfaces SecurityGroupId; DeleteSecurityGroup's dependency check"},
		{IdxInstance, "DescribeNetworkInterfaces InstanceId; the ENIs a release acts on"},
		{IdxTrunk, "the members of a trunk ENI"},
		{IdxSecondaryIP, "address allocation (an ENI's secondary private addresses)"},
	}, tagIndexDecls("DescribeNetworkInterfaces")...),
	// An address is one ENI's; an instance has a few ENIs.
	Few:  []IndexName{IdxPrivateIP, IdxSecondaryIP, IdxInstance},
	Tags: &TagDecl{ResourceTypes: map[string]string{"ecs": "eni"}},
	// A launch writes each instance, its disks, then its ENIs.
	Owners: map[IndexName]string{IdxInstance: KindInstance},
	Decode: decoder[ENI](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		next, gone := AdvanceENI(r.(ENI), now)
		return Transition{Next: next, Gone: gone}, nil
	},
	Hold: &HoldDecl{
		By: IdxInstance,
		Holder: func(found []Resource, _ Instance, _ time.Time) string {
			return LinkedENI(each[ENI](found))
		},
		Refuse: func(id string, inst Instance) *apierr.Error {
			return apierr.EniLinked.New().WithDetail("release refused (linked ENI): ENI %s of instance %s is linked to other ENIs", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			enis := each[ENI](found)
			gone, keep := ENIReleaseEffects(rel.Instance, enis, rel.At)
			return resources(keep), withIDs(enis, gone)
		},
	},
}

// Tagged.

func (e ENI) TagList() []Tag            { return e.Tags }
func (e ENI) WithTags(t []Tag) Resource { e.Tags = t; return e }
