package cloud

import (
	"net/netip"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The stored kinds of public IP address pools and of their service switch.
const (
	KindIPPool        = "ippool"
	KindIPPoolService = "ippoolservice"
)

// IdxPool finds the EIPs drawn from a pool (kept apart from registry.go's
// list, whose alignment it would change).
const IdxPool IndexName = "pool"

// PoolBlock is one CIDR block of a pool.
type PoolBlock struct {
	CIDR    string    `json:"cidr"`
	Created time.Time `json:"created"`
}

// IPPool is a public IP address pool: blocks of public addresses that
// EIPs can be drawn from (AllocateEipAddress PublicIpAddressPoolId).
type IPPool struct {
	ID            string      `json:"id"`
	Region        string      `json:"region"`
	Name          string      `json:"name,omitempty"`
	Description   string      `json:"description,omitempty"`
	ISP           string      `json:"isp"`
	Zones         []string    `json:"zones,omitempty"`
	Blocks        []PoolBlock `json:"blocks,omitempty"`
	Status        string      `json:"status"`
	Created       time.Time   `json:"created"`
	ResourceGroup string      `json:"resourceGroup,omitempty"`
	Tags          []Tag       `json:"tags,omitempty"`
}

// Kind implements Resource.
func (IPPool) Kind() string { return KindIPPool }

// Key implements Resource.
func (p IPPool) Key() string { return p.ID }

// RegionID implements Resource.
func (p IPPool) RegionID() string { return p.Region }

// Indexes implements Resource: "cidr" holds every block, so a new block
// is checked against every pool's.
func (p IPPool) Indexes() []Index {
	out := []Index{{"name", p.Name}, {"isp", p.ISP}, {"status", p.Status}, {"resourceGroup", p.ResourceGroup}}
	for _, b := range p.Blocks {
		out = append(out, Index{"cidr", b.CIDR})
	}
	return append(out, tagIndexes(p.Tags)...)
}

// NextDue implements Resource.
func (IPPool) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (p IPPool) TagList() []Tag { return p.Tags }

// WithTags implements Tagged.
func (p IPPool) WithTags(t []Tag) Resource { p.Tags = t; return p }

// PoolHosts are the addresses EIPs are drawn from in a block: all but its
// first and last.
func PoolHosts(cidr string) []string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return nil
	}
	if p.Bits() >= 31 {
		return []string{p.Addr().String()}
	}
	return SegmentHosts(p)
}

// CheckPoolBlock judges a block added to a pool: a canonical public IPv4
// block of /24 to /32, inside none of reserved and overlapping none of
// taken.
func CheckPoolBlock(cidr string, reserved []netip.Prefix, taken []string) error {
	p, ok := ParseCIDR(cidr)
	if !ok || p.Bits() < 24 || !p.Addr().IsGlobalUnicast() || p.Addr().IsPrivate() {
		return apierr.InvalidPoolCidr.New().WithDetail("%q is no public block of /24 to /32", cidr)
	}
	for _, r := range reserved {
		if r.Overlaps(p) {
			return apierr.PoolCidrConflict.New().WithDetail("%s overlaps %s", cidr, r)
		}
	}
	for _, t := range taken {
		if q, ok := ParseCIDR(t); ok && q.Overlaps(p) {
			return apierr.PoolCidrConflict.New().WithDetail("%s overlaps %s", cidr, t)
		}
	}
	return nil
}

// IPPoolService is the pool switch of an account in a region; its id is
// fixed per region.
type IPPoolService struct {
	ID     string    `json:"id"`
	Region string    `json:"region"`
	Opened time.Time `json:"opened"`
}

// IPPoolServiceID is the id of a region's switch.
func IPPoolServiceID(region string) string { return "ippoolservice-" + region }

// Kind implements Resource.
func (IPPoolService) Kind() string { return KindIPPoolService }

// Key implements Resource.
func (s IPPoolService) Key() string { return s.ID }

// RegionID implements Resource.
func (s IPPoolService) RegionID() string { return s.Region }

// Indexes implements Resource: a stored switch is an opened one.
func (IPPoolService) Indexes() []Index { return []Index{{"status", "Opened"}} }

// NextDue implements Resource.
func (IPPoolService) NextDue() time.Time { return time.Time{} }

// ipPoolKind declares the kind to the registry (registry.go).
var ipPoolKind = Kind{
	Name:   KindIPPool,
	Prefix: "pippool",
	Indexes: append([]IndexDecl{
		{IdxName, "ListPublicIpAddressPools Name"},
		{IdxISP, "ListPublicIpAddressPools Isp"},
		{IdxStatus, "ListPublicIpAddressPools Status"},
		{IdxResourceGroup, "ListPublicIpAddressPools ResourceGroupId"},
		{IdxCIDR, "the pool holding a block; AddPublicIpAddressPoolCidrBlock's overlap check"},
	}, tagIndexDecls("ListPublicIpAddressPools")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "PUBLICIPADDRESSPOOL"}},
	Decode: decoder[IPPool](),
}

// ipPoolServiceKind declares the kind to the registry (registry.go).
var ipPoolServiceKind = Kind{
	Name:    KindIPPoolService,
	Prefix:  "ippoolservice",
	Indexes: []IndexDecl{{IdxStatus, "the regions where the service is opened"}},
	Decode:  decoder[IPPoolService](),
}
