package cloud

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The stored kinds of NAT gateways and their SNAT and DNAT (forward)
// entries.
const (
	KindNatGateway   = "natgateway"
	KindSnatEntry    = "snatentry"
	KindForwardEntry = "forwardentry"
)

// NAT gateway statuses. A gateway is Creating until the VPC delay passes,
// then Available; deletion is immediate, so Deleting is never stored.
const (
	NatCreating  = "Creating"
	NatAvailable = "Available"
	// EIPOnNat is AssociateEipAddress' InstanceType for a NAT gateway.
	EIPOnNat = "Nat"
)

// NatGateway is an enhanced Internet (or VPC) NAT gateway in a vSwitch,
// with one SNAT table and one forward (DNAT) table of its own.
type NatGateway struct {
	ID                 string `json:"id"`
	Region             string `json:"region"`
	VpcID              string `json:"vpcId"`
	VSwitchID          string `json:"vSwitchId"`
	Zone               string `json:"zone"`
	Name               string `json:"name,omitempty"`
	Description        string `json:"description,omitempty"`
	NatType            string `json:"natType"`     // Enhanced
	NetworkType        string `json:"networkType"` // internet | intranet
	InstanceChargeType string `json:"instanceChargeType"`
	InternetChargeType string `json:"internetChargeType"`
	Spec               string `json:"spec,omitempty"`
	PrivateIP          string `json:"privateIp"`
	SnatTableID        string `json:"snatTableId"`
	ForwardTableID     string `json:"forwardTableId"`
	// FullNatTableID is the FULLNAT table of a VPC (intranet) gateway.
	FullNatTableID   string    `json:"fullNatTableId,omitempty"`
	EipBindMode      string    `json:"eipBindMode"`
	IcmpReplyEnabled bool      `json:"icmpReplyEnabled"`
	Status           string    `json:"status"`
	Created          time.Time `json:"created"`
	ReadyAt          time.Time `json:"readyAt,omitzero"`
	ResourceGroup    string    `json:"resourceGroup,omitempty"`
	Tags             []Tag     `json:"tags,omitempty"`
	// DeletionProtection is set by DeletionProtection Type=NATGW; Force
	// does not override it.
	DeletionProtection bool `json:"deletionProtection,omitempty"`
}

// Kind implements Resource.
func (NatGateway) Kind() string { return KindNatGateway }

// Key implements Resource.
func (n NatGateway) Key() string { return n.ID }

// RegionID implements Resource.
func (n NatGateway) RegionID() string { return n.Region }

// Indexes implements Resource; "table" holds both table ids, so an entry
// action finds its gateway from either.
func (n NatGateway) Indexes() []Index {
	return append([]Index{
		{"vpc", n.VpcID}, {"vswitch", n.VSwitchID}, {"zone", n.Zone}, {"status", n.Status}, {"name", n.Name},
		{"type", n.NatType}, {"networkType", n.NetworkType}, {"chargeType", n.InstanceChargeType}, {"spec", n.Spec},
		{"resourceGroup", n.ResourceGroup}, {"table", n.SnatTableID}, {"table", n.ForwardTableID}, {"table", n.FullNatTableID},
	}, tagIndexes(n.Tags)...)
}

// NextDue implements Resource.
func (n NatGateway) NextDue() time.Time { return n.ReadyAt }

// TagList implements Tagged.
func (n NatGateway) TagList() []Tag { return n.Tags }

// WithTags implements Tagged.
func (n NatGateway) WithTags(t []Tag) Resource { n.Tags = t; return n }

// CheckNatReady refuses an operation on a gateway still being created.
func CheckNatReady(n NatGateway) error {
	if n.Status != NatAvailable {
		return apierr.IncorrectNatStatus.New().WithDetail("NAT gateway %s is %s", n.ID, n.Status)
	}
	return nil
}

// NatDependents is what a gateway still holds when it is deleted.
type NatDependents struct {
	Snat, Forward, EIPs int
}

// CheckDeleteNat refuses DeleteNatGateway without Force while the gateway
// holds SNAT entries, DNAT entries or EIPs, in the order the reference
// lists them.
func CheckDeleteNat(n NatGateway, d NatDependents, force bool) error {
	switch {
	case n.DeletionProtection:
		return apierr.VpcDeletionProtection.New().WithDetail("NAT gateway %s", n.ID)
	case force:
		return nil
	case d.Snat > 0:
		return apierr.NatDependencySnat.New().WithDetail("%s has %d SNAT entries", n.ID, d.Snat)
	case d.Forward > 0:
		return apierr.NatDependencyForward.New().WithDetail("%s has %d DNAT entries", n.ID, d.Forward)
	case d.EIPs > 0:
		return apierr.NatDependencyEIPs.New().WithDetail("%s has %d EIPs", n.ID, d.EIPs)
	}
	return nil
}

// SnatEntry is one SNAT rule: a source vSwitch or CIDR block leaves
// through one or more of the gateway's EIPs.
type SnatEntry struct {
	ID              string    `json:"id"`
	Region          string    `json:"region"`
	TableID         string    `json:"tableId"`
	NatGatewayID    string    `json:"natGatewayId"`
	SourceVSwitchID string    `json:"sourceVSwitchId,omitempty"`
	SourceCIDR      string    `json:"sourceCidr"`
	SnatIPs         []string  `json:"snatIps"`
	Name            string    `json:"name,omitempty"`
	EipAffinity     int       `json:"eipAffinity,omitempty"`
	Status          string    `json:"status"`
	Created         time.Time `json:"created"`
}

// Kind implements Resource.
func (SnatEntry) Kind() string { return KindSnatEntry }

// Key implements Resource.
func (e SnatEntry) Key() string { return e.ID }

// RegionID implements Resource.
func (e SnatEntry) RegionID() string { return e.Region }

// Indexes implements Resource: one "ip" value per SNAT address.
func (e SnatEntry) Indexes() []Index {
	out := []Index{
		{"table", e.TableID}, {"natGateway", e.NatGatewayID}, {"vswitch", e.SourceVSwitchID}, {"cidr", e.SourceCIDR},
		{"name", e.Name}, {"status", e.Status},
	}
	for _, ip := range e.SnatIPs {
		out = append(out, Index{"ip", ip})
	}
	return out
}

// NextDue implements Resource.
func (SnatEntry) NextDue() time.Time { return time.Time{} }

// SnatIPString is SnatIp as the API shows it: the addresses, comma-separated.
func (e SnatEntry) SnatIPString() string { return strings.Join(e.SnatIPs, ",") }

// ForwardEntry is one DNAT rule: ExternalIp:ExternalPort over IpProtocol
// to InternalIp:InternalPort.
type ForwardEntry struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	TableID      string    `json:"tableId"`
	NatGatewayID string    `json:"natGatewayId"`
	ExternalIP   string    `json:"externalIp"`
	ExternalPort string    `json:"externalPort"`
	InternalIP   string    `json:"internalIp"`
	InternalPort string    `json:"internalPort"`
	IPProtocol   string    `json:"ipProtocol"` // tcp | udp | any
	Name         string    `json:"name,omitempty"`
	PortBreak    bool      `json:"portBreak,omitempty"`
	Status       string    `json:"status"`
	Created      time.Time `json:"created"`
}

// Kind implements Resource.
func (ForwardEntry) Kind() string { return KindForwardEntry }

// Key implements Resource.
func (e ForwardEntry) Key() string { return e.ID }

// RegionID implements Resource.
func (e ForwardEntry) RegionID() string { return e.Region }

// Indexes implements Resource.
func (e ForwardEntry) Indexes() []Index {
	return []Index{
		{"table", e.TableID}, {"natGateway", e.NatGatewayID}, {"ip", e.ExternalIP}, {"privateIp", e.InternalIP},
		{"externalPort", e.ExternalPort}, {"internalPort", e.InternalPort}, {"protocol", e.IPProtocol},
		{"name", e.Name}, {"status", e.Status},
	}
}

// NextDue implements Resource.
func (ForwardEntry) NextDue() time.Time { return time.Time{} }

// DNAT protocols (IpProtocol) as the cloud answers them: the reference's
// example answer and the provider's acceptance test read back "tcp".
var forwardProtocols = []string{"tcp", "udp", "any"}

// CanonForward answers e with IpProtocol, and the "any" ports of protocol
// any, in the cloud's lower case: the reference lists TCP, UDP and Any,
// the Terraform provider sends and reads back tcp, udp and any.
func CanonForward(e ForwardEntry) ForwardEntry {
	if p := strings.ToLower(e.IPProtocol); slices.Contains(forwardProtocols, p) {
		e.IPProtocol = p
	}
	for _, port := range []*string{&e.ExternalPort, &e.InternalPort} {
		if strings.EqualFold(*port, "any") {
			*port = "any"
		}
	}
	return e
}

// CheckForwardParams validates a DNAT entry's own fields (of CanonForward):
// the addresses, the ports (a port or a range "a/b", both sides of the same
// width; any takes "any" ports) and the protocol.
func CheckForwardParams(e ForwardEntry) error {
	if a, err := netip.ParseAddr(e.ExternalIP); err != nil || !a.Is4() {
		return apierr.InvalidExternalIPMalformed.New()
	}
	if a, err := netip.ParseAddr(e.InternalIP); err != nil || !a.Is4() {
		return apierr.InvalidInternalIPMalformed.New()
	}
	if !slices.Contains(forwardProtocols, e.IPProtocol) {
		return apierr.InvalidProtocolNotSupported.New()
	}
	if e.IPProtocol == "any" {
		if e.ExternalPort != "any" {
			return apierr.InvalidExternalPortMalformed.New()
		}
		if e.InternalPort != "any" {
			return apierr.InvalidInternalPortMalformed.New()
		}
		return nil
	}
	ext, ok := portSpan(e.ExternalPort)
	if !ok {
		return apierr.InvalidExternalPortMalformed.New()
	}
	in, ok := portSpan(e.InternalPort)
	if !ok || in != ext {
		return apierr.InvalidInternalPortMalformed.New()
	}
	return nil
}

// portSpan reads "p" or "a/b" (1..65535, a <= b) and answers the width.
func portSpan(s string) (int, bool) {
	lo, hi, isRange := strings.Cut(s, "/")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || a < 1 || b > 65535 || a > b {
		return 0, false
	}
	return b - a, true
}

// CheckForwardConflict refuses a DNAT entry whose external address, port
// and protocol, or internal address, port and protocol, another entry of
// the table already uses (the reference requires both to be unique).
func CheckForwardConflict(e ForwardEntry, others []ForwardEntry) error {
	for _, o := range others {
		if o.ID == e.ID || o.IPProtocol != e.IPProtocol {
			continue
		}
		if o.ExternalIP == e.ExternalIP && o.ExternalPort == e.ExternalPort {
			return apierr.ForwardEntryConflict.New().WithDetail("%s already forwards %s:%s", o.ID, o.ExternalIP, o.ExternalPort)
		}
		if o.InternalIP == e.InternalIP && o.InternalPort == e.InternalPort {
			return apierr.ForwardInternalConflict.New().WithDetail("%s already forwards to %s:%s", o.ID, o.InternalIP, o.InternalPort)
		}
	}
	return nil
}

// Per-table quotas of the references.
const (
	MaxForwardEntries = 100
	MaxSnatIPs        = 50
)

// natGatewayKind declares the kind to the registry (registry.go).
var natGatewayKind = Kind{
	Name:   KindNatGateway,
	Prefix: "ngw",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeNatGateways VpcId"},
		{IdxVSwitch, "DeleteVSwitch's dependency check"},
		{IdxZone, "DescribeNatGateways ZoneId"},
		{IdxStatus, "DescribeNatGateways Status"},
		{IdxName, "DescribeNatGateways Name"},
		{IdxType, "DescribeNatGateways NatType"},
		{IdxNetworkType, "DescribeNatGateways NetworkType"},
		{IdxChargeType, "DescribeNatGateways InstanceChargeType"},
		{IdxSpec, "DescribeNatGateways Spec"},
		{IdxResourceGroup, "DescribeNatGateways ResourceGroupId"},
		{IdxTable, "the gateway of a SnatTableId, ForwardTableId or FullNatTableId"},
	}, tagIndexDecls("DescribeNatGateways")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "NATGATEWAY"}},
	Decode:  decoder[NatGateway](),
	Advance: readyAt(func(n NatGateway) Resource { n.Status, n.ReadyAt = NatAvailable, time.Time{}; return n }),
}

// snatEntryKind declares the kind to the registry (registry.go).
var snatEntryKind = Kind{
	Name:   KindSnatEntry,
	Prefix: "snat",
	Indexes: []IndexDecl{
		{IdxTable, "DescribeSnatTableEntries SnatTableId"},
		{IdxNatGateway, "DescribeSnatTableEntries NatGatewayId; DeleteNatGateway's dependency check"},
		{IdxVSwitch, "DescribeSnatTableEntries SourceVSwitchId; one entry per vSwitch"},
		{IdxCIDR, "DescribeSnatTableEntries SourceCIDR"},
		{IdxName, "DescribeSnatTableEntries SnatEntryName"},
		{IdxStatus, "the entries in a state"},
		{IdxIP, "DescribeSnatTableEntries SnatIp; the EIPs an entry holds"},
	},
	Decode: decoder[SnatEntry](),
}

// forwardEntryKind declares the kind to the registry (registry.go). It has
// no Release effect: an entry names an address, not an instance, so the
// release of the instance behind InternalIp leaves it in place, pointing at
// an address no longer in use (docs/network.md).
var forwardEntryKind = Kind{
	Name:   KindForwardEntry,
	Prefix: "fwd",
	Indexes: []IndexDecl{
		{IdxTable, "DescribeForwardTableEntries ForwardTableId"},
		{IdxNatGateway, "DescribeForwardTableEntries NatGatewayId; DeleteNatGateway's dependency check"},
		{IdxIP, "DescribeForwardTableEntries ExternalIp; the EIPs an entry holds"},
		{IdxPrivateIP, "DescribeForwardTableEntries InternalIp"},
		{IdxExternalPort, "DescribeForwardTableEntries ExternalPort"},
		{IdxInternalPort, "DescribeForwardTableEntries InternalPort"},
		{IdxProtocol, "DescribeForwardTableEntries IpProtocol"},
		{IdxName, "DescribeForwardTableEntries ForwardEntryName"},
		{IdxStatus, "the entries in a state"},
	},
	Decode: decoder[ForwardEntry](),
}
