package cloud

import (
	"github.com/ecslocal/ecslocal/internal/apierr"

	"net/netip"
	"slices"
	"time"
)

// Network statuses.
const (
	NetPending   = "Pending"
	NetAvailable = "Available"
)

// VPC is a virtual private cloud with its vRouter and system route table.
type VPC struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	Name         string    `json:"name"`
	Description  string    `json:"description,omitempty"`
	CidrBlock    string    `json:"cidrBlock"`
	VRouterID    string    `json:"vRouterId"`
	RouteTableID string    `json:"routeTableId"`
	Status       string    `json:"status"`
	IsDefault    bool      `json:"isDefault"`
	Created      time.Time `json:"created"`
	ReadyAt      time.Time `json:"readyAt,omitzero"`
	Tags         []Tag     `json:"tags,omitempty"`
	// ResourceGroup is the ResourceGroupId; its vSwitches and route tables
	// inherit it.
	ResourceGroup string `json:"resourceGroup,omitempty"`
	// SecondaryCidrs are the IPv4 blocks AssociateVpcCidrBlock added; its
	// vSwitches may use them as they use CidrBlock.
	SecondaryCidrs []string `json:"secondaryCidrs,omitempty"`
	// DNSHostname is ModifyVpcAttribute's EnableDnsHostname.
	DNSHostname bool `json:"dnsHostname,omitempty"`
	// DhcpOptionsSetID is the DHCP options set attached to the VPC.
	DhcpOptionsSetID string `json:"dhcpOptionsSetId,omitempty"`
}

// Kind implements Resource.
func (VPC) Kind() string { return KindVPC }

// Key implements Resource.
func (v VPC) Key() string { return v.ID }

// RegionID implements Resource.
func (v VPC) RegionID() string { return v.Region }

// Indexes implements Resource.
func (v VPC) Indexes() []Index {
	return append([]Index{
		{"status", v.Status}, {"name", v.Name}, Flag(IdxDefault, v.IsDefault), {"resourceGroup", v.ResourceGroup},
		{IdxDhcpOptionsSet, v.DhcpOptionsSetID},
	}, tagIndexes(v.Tags)...)
}

// NextDue implements Resource.
func (v VPC) NextDue() time.Time { return v.ReadyAt }

// VSwitch is a subnet of a VPC in one zone.
type VSwitch struct {
	ID          string    `json:"id"`
	Region      string    `json:"region"`
	VpcID       string    `json:"vpcId"`
	Zone        string    `json:"zone"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	CidrBlock   string    `json:"cidrBlock"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created"`
	ReadyAt     time.Time `json:"readyAt,omitzero"`
	// NextIP is the last host number handed out, for private IPs.
	NextIP        int    `json:"nextIp"`
	Tags          []Tag  `json:"tags,omitempty"`
	IsDefault     bool   `json:"isDefault,omitempty"`
	ResourceGroup string `json:"resourceGroup,omitempty"`
	// RouteTableID is the custom route table the vSwitch is associated
	// with; empty, it uses its VPC's system table.
	RouteTableID string `json:"routeTableId,omitempty"`
	// NetworkACLID is the network ACL the vSwitch is associated with.
	NetworkACLID string `json:"networkAclId,omitempty"`
	// Reserved are the blocks of its CIDR reservations, kept here so that
	// address allocation (AllocateIP) skips them without a lookup.
	Reserved []string `json:"reserved,omitempty"`
}

// Kind implements Resource.
func (VSwitch) Kind() string { return KindVSwitch }

// Key implements Resource.
func (v VSwitch) Key() string { return v.ID }

// RegionID implements Resource.
func (v VSwitch) RegionID() string { return v.Region }

// Indexes implements Resource.
func (v VSwitch) Indexes() []Index {
	out := make([]Index, 0, 8+2*len(v.Tags))
	out = append(out,
		Index{"vpc", v.VpcID}, Index{"zone", v.Zone}, Index{"status", v.Status}, Index{"name", v.Name},
		Flag(IdxDefault, v.IsDefault), Index{"resourceGroup", v.ResourceGroup}, Index{"table", v.RouteTableID},
		Index{IdxNetworkACL, v.NetworkACLID},
	)
	return appendTagIndexes(out, v.Tags)
}

// NextDue implements Resource.
func (v VSwitch) NextDue() time.Time { return v.ReadyAt }

// NextFreeIP hands out the vSwitch's next free address: the one after the
// last handed out, skipping those inUse reports taken (chosen by hand, or
// not yet freed), once round the block. ok is false when every address is
// taken; the vSwitch returned remembers the address handed out.
func NextFreeIP(v VSwitch, inUse func(ip string) (bool, error)) (next VSwitch, ip string, ok bool, err error) {
	for range v.Hosts() {
		if v, ip, ok = v.AllocateIP(); !ok {
			return v, "", false, nil
		}
		used, err := inUse(ip)
		if err != nil {
			return v, "", false, err
		}
		if !used {
			return v, ip, true, nil
		}
	}
	return v, "", false, nil
}

// CheckChosenIP refuses an address a request chose (PrimaryIpAddress,
// PrivateIpAddress) that is no IPv4 address (InvalidParameter naming
// param) or no usable host of the vSwitch's block.
func CheckChosenIP(v VSwitch, ip, param string) error {
	if addr, err := netip.ParseAddr(ip); err != nil || !addr.Is4() {
		return apierr.InvalidParameter.New(param)
	}
	if !v.HostInBlock(ip) {
		return apierr.VSwitchIPInvalid.New()
	}
	return nil
}

// AllocateIP hands out the next private address of the vSwitch after the
// last one handed out, wrapping around to the first after the last host, so
// addresses freed by released resources are used again, as in the cloud;
// the caller skips those still in use and stops after Hosts() tries.
// Alibaba reserves the network address and the last three of every block,
// and addresses inside the vSwitch's CIDR reservations (Reserved) are only
// given when asked for by name. ok is false for a block without hosts, or
// with every host reserved.
func (v VSwitch) AllocateIP() (VSwitch, string, bool) {
	p, hosts := v.block()
	if hosts < 1 {
		return v, "", false
	}
	reserved := v.reservedBlocks()
	a := p.Masked().Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	for range hosts {
		n := v.NextIP + 1
		if n > hosts {
			n = 1
		}
		v.NextIP = n
		u := base + uint32(n)
		ip := netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
		if !slices.ContainsFunc(reserved, func(r netip.Prefix) bool { return r.Contains(ip) }) {
			return v, ip.String(), true
		}
	}
	return v, "", false
}

// reservedBlocks are the vSwitch's CIDR reservations, parsed.
func (v VSwitch) reservedBlocks() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(v.Reserved))
	for _, s := range v.Reserved {
		if r, ok := ParseCIDR(s); ok {
			out = append(out, r)
		}
	}
	return out
}

// Hosts is how many private addresses the block has for resources.
func (v VSwitch) Hosts() int {
	_, hosts := v.block()
	return hosts
}

// block is the vSwitch's IPv4 block and how many hosts it has (0 for a
// block that is not IPv4 or is too small).
func (v VSwitch) block() (netip.Prefix, int) {
	p, err := netip.ParsePrefix(v.CidrBlock)
	if err != nil || !p.Addr().Is4() {
		return p, 0
	}
	return p, max(1<<(32-p.Bits())-4, 0)
}

// RouteTable is a VPC route table; the system one is made by CreateVpc.
type RouteTable struct {
	ID       string `json:"id"`
	Region   string `json:"region"`
	VpcID    string `json:"vpcId"`
	RouterID string `json:"routerId"`
	Type     string `json:"type"` // System | Custom
	// AssociateType is what a custom table binds to: VSwitch or Gateway.
	AssociateType string    `json:"associateType,omitempty"`
	Name          string    `json:"name,omitempty"`
	Status        string    `json:"status"`
	Created       time.Time `json:"created"`
	// RouterType is VRouter for VPC tables (VBR tables are not modelled).
	RouterType    string `json:"routerType,omitempty"`
	Description   string `json:"description,omitempty"`
	ResourceGroup string `json:"resourceGroup,omitempty"`
	Tags          []Tag  `json:"tags,omitempty"`
}

// Kind implements Resource.
func (RouteTable) Kind() string { return KindRouteTable }

// Key implements Resource.
func (r RouteTable) Key() string { return r.ID }

// RegionID implements Resource.
func (r RouteTable) RegionID() string { return r.Region }

// Indexes implements Resource.
func (r RouteTable) Indexes() []Index {
	return append([]Index{
		{"vpc", r.VpcID}, {"type", r.Type}, {"router", r.RouterID}, {"routerType", r.RouterType},
		{"name", r.Name}, {"resourceGroup", r.ResourceGroup},
	}, tagIndexes(r.Tags)...)
}

// NextDue implements Resource.
func (RouteTable) NextDue() time.Time { return time.Time{} }

// SecurityGroup is a security group; its members are found through the
// instances' "sg" index, so membership never drifts from the instances.
type SecurityGroup struct {
	ID          string              `json:"id"`
	Region      string              `json:"region"`
	VpcID       string              `json:"vpcId"`
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty"`
	Type        string              `json:"type"` // normal | enterprise
	Created     time.Time           `json:"created"`
	Rules       []SecurityGroupRule `json:"rules,omitempty"`
	Tags        []Tag               `json:"tags,omitempty"`
	// ResourceGroup is the ResourceGroupId.
	ResourceGroup string `json:"resourceGroup,omitempty"`
	// InnerAccessPolicy is ModifySecurityGroupPolicy's Accept or Drop; ""
	// is the type's default (EffectiveInnerAccessPolicy).
	InnerAccessPolicy string `json:"innerAccessPolicy,omitempty"`
}

// EffectiveInnerAccessPolicy is whether the group's members reach each
// other: as set, else Accept for a basic group and Drop for an advanced one.
func (s SecurityGroup) EffectiveInnerAccessPolicy() string {
	switch {
	case s.InnerAccessPolicy != "":
		return s.InnerAccessPolicy
	case s.Type == "enterprise":
		return "Drop"
	}
	return "Accept"
}

// SecurityGroupRule is one ingress or egress rule.
type SecurityGroupRule struct {
	ID          string    `json:"id"`
	Direction   string    `json:"direction"` // ingress | egress
	IPProtocol  string    `json:"ipProtocol"`
	PortRange   string    `json:"portRange"`
	CidrIP      string    `json:"cidrIp,omitempty"`
	Policy      string    `json:"policy"`
	Priority    int       `json:"priority"`
	NicType     string    `json:"nicType"`
	Description string    `json:"description,omitempty"`
	SourceGroup string    `json:"sourceGroup,omitempty"`
	Created     time.Time `json:"created"`
	// PrefixList is the peer prefix list (SourcePrefixListId, DestPrefixListId).
	PrefixList string `json:"prefixList,omitempty"`
	// PortRangeList names the rule's ports instead of PortRange (PortRangeListId).
	PortRangeList string `json:"portRangeList,omitempty"`
}

// Kind implements Resource.
func (SecurityGroup) Kind() string { return KindSecurityGroup }

// Key implements Resource.
func (s SecurityGroup) Key() string { return s.ID }

// RegionID implements Resource.
func (s SecurityGroup) RegionID() string { return s.Region }

// Indexes implements Resource.
func (s SecurityGroup) Indexes() []Index {
	out := []Index{{"vpc", s.VpcID}, {"name", s.Name}, {"type", s.Type}, {"resourceGroup", s.ResourceGroup}}
	seen := map[string]bool{}
	for _, r := range s.Rules {
		if r.SourceGroup != "" && !seen[r.SourceGroup] {
			seen[r.SourceGroup] = true
			out = append(out, Index{"peerGroup", r.SourceGroup})
		}
		if r.PrefixList != "" && !seen[r.PrefixList] {
			seen[r.PrefixList] = true
			out = append(out, Index{IdxPrefixList, r.PrefixList})
		}
		if r.PortRangeList != "" && !seen[r.PortRangeList] {
			seen[r.PortRangeList] = true
			out = append(out, Index{IdxPortRangeList, r.PortRangeList})
		}
	}
	return append(out, tagIndexes(s.Tags)...)
}

// NextDue implements Resource.
func (SecurityGroup) NextDue() time.Time { return time.Time{} }

// CIDR checks for CreateVpc and CreateVSwitch (§5.2).

// ParseCIDR parses an IPv4 CIDR block in canonical form.
func ParseCIDR(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return netip.Prefix{}, false
	}
	return p, true
}

// Contains tells whether inner lies inside outer.
func Contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// Overlaps tells whether two blocks share an address.
func Overlaps(a, b netip.Prefix) bool { return a.Overlaps(b) }

// vpcKind declares the kind to the registry (registry.go).
var vpcKind = Kind{
	Name:   KindVPC,
	Prefix: "vpc",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeVpcs Status"},
		{IdxName, "DescribeVpcs VpcName"},
		{IdxDefault, "DescribeVpcs IsDefault (a flag)"},
		{IdxResourceGroup, "DescribeVpcs ResourceGroupId"},
		{IdxDhcpOptionsSet, "the VPCs a DHCP options set is attached to (DeleteDhcpOptionsSet, GetDhcpOptionsSet)"},
	}, tagIndexDecls("DescribeVpcs")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "VPC"}},
	Decode:  decoder[VPC](),
	Advance: readyAt(func(v VPC) Resource { v.Status, v.ReadyAt = NetAvailable, time.Time{}; return v }),
}

// vswitchKind declares the kind to the registry (registry.go).
var vswitchKind = Kind{
	Name:   KindVSwitch,
	Prefix: "vsw",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeVSwitches VpcId; DeleteVpc's dependency check"},
		{IdxZone, "DescribeVSwitches ZoneId"},
		{IdxStatus, "DescribeVSwitches Status"},
		{IdxName, "DescribeVSwitches VSwitchName"},
		{IdxDefault, "DescribeVSwitches IsDefault (a flag)"},
		{IdxResourceGroup, "DescribeVSwitches ResourceGroupId"},
		{IdxTable, "the vSwitches a custom route table is associated with"},
		{IdxNetworkACL, "the vSwitches a network ACL is associated with"},
	}, tagIndexDecls("DescribeVSwitches")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "VSWITCH"}},
	Decode:  decoder[VSwitch](),
	Advance: readyAt(func(v VSwitch) Resource { v.Status, v.ReadyAt = NetAvailable, time.Time{}; return v }),
}

// routeTableKind declares the kind to the registry (registry.go).
var routeTableKind = Kind{
	Name:   KindRouteTable,
	Prefix: "vtb",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeRouteTables VpcId"},
		{IdxType, "DescribeRouteTables RouteTableType"},
		{IdxRouter, "DescribeRouteTables VRouterId"},
		{IdxRouterType, "DescribeRouteTables RouterType"},
		{IdxName, "DescribeRouteTables RouteTableName"},
		{IdxResourceGroup, "DescribeRouteTables ResourceGroupId"},
	}, tagIndexDecls("DescribeRouteTableList")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "ROUTETABLE"}},
	Decode: decoder[RouteTable](),
}

// securityGroupKind declares the kind to the registry (registry.go).
var securityGroupKind = Kind{
	Name:   KindSecurityGroup,
	Prefix: "sg",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeSecurityGroups VpcId; DeleteVpc's dependency check"},
		{IdxName, "DescribeSecurityGroups SecurityGroupName"},
		{IdxType, "DescribeSecurityGroups SecurityGroupType"},
		{IdxResourceGroup, "DescribeSecurityGroups ResourceGroupId"},
		{IdxPeerGroup, "DescribeSecurityGroupReferences: the groups whose rules name a group"},
		{IdxPrefixList, "DescribePrefixListAssociations; DeletePrefixList's dependency check"},
		{IdxPortRangeList, "DescribePortRangeListAssociations; DeletePortRangeList's dependency check"},
	}, tagIndexDecls("DescribeSecurityGroups")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "securitygroup"}},
	Decode: decoder[SecurityGroup](),
}

// Tagged.

func (v VPC) TagList() []Tag                      { return v.Tags }
func (v VPC) WithTags(t []Tag) Resource           { v.Tags = t; return v }
func (v VSwitch) TagList() []Tag                  { return v.Tags }
func (v VSwitch) WithTags(t []Tag) Resource       { v.Tags = t; return v }
func (r RouteTable) TagList() []Tag               { return r.Tags }
func (r RouteTable) WithTags(t []Tag) Resource    { r.Tags = t; return r }
func (s SecurityGroup) TagList() []Tag            { return s.Tags }
func (s SecurityGroup) WithTags(t []Tag) Resource { s.Tags = t; return s }

// Route table types.
const (
	RouteTableSystem = "System"
	RouteTableCustom = "Custom"
)

// CheckAssociateRouteTable judges AssociateRouteTable: a custom table of
// the vSwitch's VPC that binds to vSwitches, and a vSwitch with no custom
// table yet.
func CheckAssociateRouteTable(t RouteTable, w VSwitch) error {
	switch {
	case t.Type != RouteTableCustom:
		return apierr.AssociateSystemRouteTable.New()
	case t.AssociateType == "Gateway":
		return apierr.AssociateGatewayRouteTable.New()
	case t.VpcID != w.VpcID:
		return apierr.RouteTableNotInSameVpc.New().WithDetail("%s is in %s, %s in %s", t.ID, t.VpcID, w.ID, w.VpcID)
	case w.RouteTableID != "":
		return apierr.VSwitchAlreadyAssociated.New().WithDetail("%s uses %s", w.ID, w.RouteTableID)
	}
	return nil
}

// CheckDeleteRouteTable judges DeleteRouteTable: only a custom table, with
// no custom route entries and no vSwitch associated.
func CheckDeleteRouteTable(t RouteTable, entries, vswitches int) error {
	switch {
	case t.Type != RouteTableCustom:
		return apierr.IncorrectRouteTableType.New()
	case entries > 0:
		return apierr.RouteTableEntryExist.New().WithDetail("%s has %d custom entries", t.ID, entries)
	case vswitches > 0:
		return apierr.RouteTableAssociated.New().WithDetail("%s is associated with %d vSwitch(es)", t.ID, vswitches)
	}
	return nil
}

// ChangeMembership is JoinSecurityGroup's and LeaveSecurityGroup's rule
// over the groups an instance or ENI of VPC vpc is in: a group of its VPC,
// at most limit groups, never none.
func ChangeMembership(have []string, sg SecurityGroup, vpc string, join bool, limit int) ([]string, error) {
	in := slices.Contains(have, sg.ID)
	switch {
	case join && sg.VpcID != vpc:
		return nil, apierr.SecurityGroupInstanceMismatch.New()
	case join && in:
		return nil, apierr.SecurityGroupAlreadyJoined.New()
	case join && len(have) >= limit:
		return nil, apierr.InstanceSecurityGroupLimit.New()
	case join:
		return append(slices.Clone(have), sg.ID), nil
	case !in:
		return nil, apierr.SecurityGroupNotJoined.New()
	case len(have) == 1:
		return nil, apierr.SecurityGroupLastOne.New()
	}
	return slices.DeleteFunc(slices.Clone(have), func(id string) bool { return id == sg.ID }), nil
}
