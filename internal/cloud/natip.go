package cloud

import (
	"net/netip"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The stored kinds of a VPC (intranet) NAT gateway's address space: its
// NAT IP CIDR blocks, the NAT IPs drawn from them, and its FULLNAT entries.
const (
	KindNatIPCidr    = "natipcidr"
	KindNatIP        = "natip"
	KindFullNatEntry = "fullnatentry"
)

// NatIntranet is the NetworkType of a VPC NAT gateway: it has NAT IPs
// instead of EIPs, and a FULLNAT table.
const NatIntranet = "intranet"

// NatIPCidr is a CIDR block a VPC NAT gateway draws NAT IPs from. The
// gateway's own vSwitch block is its default one, made with it.
type NatIPCidr struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	NatGatewayID string    `json:"natGatewayId"`
	CIDR         string    `json:"cidr"`
	Name         string    `json:"name,omitempty"`
	Description  string    `json:"description,omitempty"`
	Default      bool      `json:"default,omitempty"`
	Status       string    `json:"status"`
	Created      time.Time `json:"created"`
}

// Kind implements Resource.
func (NatIPCidr) Kind() string { return KindNatIPCidr }

// Key implements Resource.
func (c NatIPCidr) Key() string { return c.ID }

// RegionID implements Resource.
func (c NatIPCidr) RegionID() string { return c.Region }

// Indexes implements Resource.
func (c NatIPCidr) Indexes() []Index {
	return []Index{{"natGateway", c.NatGatewayID}, {"cidr", c.CIDR}, {"name", c.Name}, {"status", c.Status}}
}

// NextDue implements Resource.
func (NatIPCidr) NextDue() time.Time { return time.Time{} }

// NatIP is one address of a VPC NAT gateway, in one of its NAT IP CIDR
// blocks; SNAT, DNAT and FULLNAT entries of the gateway translate to it.
type NatIP struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	NatGatewayID string    `json:"natGatewayId"`
	CIDR         string    `json:"cidr"`
	IP           string    `json:"ip"`
	Name         string    `json:"name,omitempty"`
	Description  string    `json:"description,omitempty"`
	Default      bool      `json:"default,omitempty"`
	Status       string    `json:"status"`
	Created      time.Time `json:"created"`
}

// Kind implements Resource.
func (NatIP) Kind() string { return KindNatIP }

// Key implements Resource.
func (n NatIP) Key() string { return n.ID }

// RegionID implements Resource.
func (n NatIP) RegionID() string { return n.Region }

// Indexes implements Resource.
func (n NatIP) Indexes() []Index {
	return []Index{{"natGateway", n.NatGatewayID}, {"cidr", n.CIDR}, {"ip", n.IP}, {"name", n.Name}, {"status", n.Status}}
}

// NextDue implements Resource.
func (NatIP) NextDue() time.Time { return time.Time{} }

// natIPBlocks are the private ranges a NAT IP CIDR block must lie in.
var natIPBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
}

// CheckNatIPCidr validates a new NAT IP CIDR block of a gateway: canonical,
// a /16 to /32 inside one of the private ranges, overlapping none of the
// gateway's blocks.
func CheckNatIPCidr(cidr string, have []NatIPCidr) error {
	p, ok := ParseCIDR(cidr)
	if !ok || p.Bits() < 16 || p.Bits() > 32 {
		return apierr.InvalidNatIPCidr.New()
	}
	private := false
	for _, b := range natIPBlocks {
		private = private || Contains(b, p)
	}
	if !private {
		return apierr.InvalidNatIPCidr.New()
	}
	for _, h := range have {
		if q, ok := ParseCIDR(h.CIDR); ok && Overlaps(p, q) {
			return apierr.NatIPCidrConflict.New().WithDetail("%s overlaps %s of %s", cidr, h.CIDR, h.NatGatewayID)
		}
	}
	return nil
}

// CheckGatewayIntranet refuses a NAT IP, NAT IP CIDR or FULLNAT action on
// an Internet NAT gateway, which has EIPs instead.
func CheckGatewayIntranet(n NatGateway) error {
	if n.NetworkType != NatIntranet {
		return apierr.NatNotIntranet.New().WithDetail("%s is an Internet NAT gateway", n.ID)
	}
	return CheckNatReady(n)
}

// FreeNatIP picks the lowest host of cidr (the network, its first address
// and the last three excepted, as in a vSwitch) that used does not hold.
func FreeNatIP(cidr string, used func(ip string) bool) (string, bool) {
	p, ok := ParseCIDR(cidr)
	if !ok {
		return "", false
	}
	block := VSwitch{CidrBlock: cidr}
	for a := p.Addr().Next(); p.Contains(a); a = a.Next() {
		if block.HostInBlock(a.String()) && !used(a.String()) {
			return a.String(), true
		}
	}
	return "", false
}

// FullNatEntry is one FULLNAT rule of a VPC NAT gateway: NatIp:NatIpPort
// over IpProtocol to AccessIp:AccessPort on an ENI of the VPC.
type FullNatEntry struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	TableID      string    `json:"tableId"`
	NatGatewayID string    `json:"natGatewayId"`
	NatIP        string    `json:"natIp"`
	NatIPPort    string    `json:"natIpPort"`
	AccessIP     string    `json:"accessIp"`
	AccessPort   string    `json:"accessPort"`
	IPProtocol   string    `json:"ipProtocol"`
	ENIID        string    `json:"eniId"`
	Name         string    `json:"name,omitempty"`
	Description  string    `json:"description,omitempty"`
	Status       string    `json:"status"`
	Created      time.Time `json:"created"`
}

// Kind implements Resource.
func (FullNatEntry) Kind() string { return KindFullNatEntry }

// Key implements Resource.
func (e FullNatEntry) Key() string { return e.ID }

// RegionID implements Resource.
func (e FullNatEntry) RegionID() string { return e.Region }

// Indexes implements Resource.
func (e FullNatEntry) Indexes() []Index {
	return []Index{
		{"table", e.TableID}, {"natGateway", e.NatGatewayID}, {"ip", e.NatIP}, {"externalPort", e.NatIPPort},
		{"protocol", e.IPProtocol}, {"eni", e.ENIID}, {"name", e.Name},
	}
}

// NextDue implements Resource.
func (FullNatEntry) NextDue() time.Time { return time.Time{} }

// CheckFullNat validates a FULLNAT entry's own fields: TCP or UDP, ports
// 1..65535, IPv4 addresses.
func CheckFullNat(e FullNatEntry) error {
	if e.IPProtocol != "TCP" && e.IPProtocol != "UDP" {
		return apierr.InvalidProtocolNotSupported.New()
	}
	if a, err := netip.ParseAddr(e.AccessIP); err != nil || !a.Is4() {
		return apierr.InvalidParameter.New("AccessIp")
	}
	if w, ok := portSpan(e.AccessPort); !ok || w != 0 {
		return apierr.InvalidParameter.New("AccessPort")
	}
	if w, ok := portSpan(e.NatIPPort); !ok || w != 0 {
		return apierr.InvalidParameter.New("NatIpPort")
	}
	return nil
}

// CheckFullNatConflict refuses a second entry of the table on the same
// NatIp, NatIpPort and protocol.
func CheckFullNatConflict(e FullNatEntry, others []FullNatEntry) error {
	for _, o := range others {
		if o.ID != e.ID && o.NatIP == e.NatIP && o.NatIPPort == e.NatIPPort && o.IPProtocol == e.IPProtocol {
			return apierr.FullNatEntryConflict.New().WithDetail("%s already maps %s:%s/%s", o.ID, o.NatIP, o.NatIPPort, o.IPProtocol)
		}
	}
	return nil
}

// natIPCidrKind declares the kind to the registry (registry.go).
var natIPCidrKind = Kind{
	Name:   KindNatIPCidr,
	Prefix: "vpcnatcidr",
	Indexes: []IndexDecl{
		{IdxNatGateway, "ListNatIpCidrs NatGatewayId; DeleteNatGateway removes them"},
		{IdxCIDR, "ListNatIpCidrs NatIpCidr; the block a NAT IP is drawn from"},
		{IdxName, "ListNatIpCidrs NatIpCidrName"},
		{IdxStatus, "ListNatIpCidrs NatIpCidrStatus"},
	},
	Decode: decoder[NatIPCidr](),
}

// natIPKind declares the kind to the registry (registry.go).
var natIPKind = Kind{
	Name:   KindNatIP,
	Prefix: "vpcnatip",
	Indexes: []IndexDecl{
		{IdxNatGateway, "ListNatIps NatGatewayId; DeleteNatGateway removes them"},
		{IdxCIDR, "ListNatIps NatIpCidr; DeleteNatIpCidr's dependency check"},
		{IdxIP, "the NAT IP an SNAT, DNAT or FULLNAT entry names"},
		{IdxName, "ListNatIps NatIpName"},
		{IdxStatus, "ListNatIps NatIpStatus"},
	},
	Decode: decoder[NatIP](),
}

// fullNatEntryKind declares the kind to the registry (registry.go). An
// entry names an ENI, so the release of an instance removes the entries
// on the ENIs the release removed (docs/network.md).
var fullNatEntryKind = Kind{
	Name:   KindFullNatEntry,
	Prefix: "fullnat",
	Indexes: []IndexDecl{
		{IdxTable, "ListFullNatEntries FullNatTableId"},
		{IdxNatGateway, "ListFullNatEntries NatGatewayId; DeleteNatGateway's dependency check"},
		{IdxIP, "ListFullNatEntries NatIp; DeleteNatIp's dependency check"},
		{IdxExternalPort, "ListFullNatEntries NatIpPort"},
		{IdxProtocol, "ListFullNatEntries IpProtocol"},
		{IdxENI, "ListFullNatEntries NetworkInterfaceIds; the entries a release removes"},
		{IdxName, "ListFullNatEntries FullNatEntryNames"},
	},
	Decode: decoder[FullNatEntry](),
	Release: &ReleaseDecl{
		By:   IdxENI,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindENI) },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, e := range each[FullNatEntry](found) {
				if rel.removedENI(e.ENIID) {
					del = append(del, e)
				}
			}
			return nil, del
		},
	},
}
