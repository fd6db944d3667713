package cloud

import (
	"net/netip"
	"time"
)

// KindPrefixList is the stored kind of prefix lists.
const KindPrefixList = "prefixlist"

// MaxPrefixListEntries is the largest MaxEntries of a prefix list.
const MaxPrefixListEntries = 200

// PrefixListEntry is one CIDR block of a prefix list.
type PrefixListEntry struct {
	Cidr        string `json:"cidr"`
	Description string `json:"description,omitempty"`
}

// PrefixList is a named set of CIDR blocks of one address family that
// security group rules name as their peer (SourcePrefixListId,
// DestPrefixListId).
type PrefixList struct {
	ID            string            `json:"id"`
	Region        string            `json:"region"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	AddressFamily string            `json:"addressFamily"` // IPv4 | IPv6
	MaxEntries    int               `json:"maxEntries"`
	Entries       []PrefixListEntry `json:"entries,omitempty"`
	ResourceGroup string            `json:"resourceGroup,omitempty"`
	Tags          []Tag             `json:"tags,omitempty"`
	Created       time.Time         `json:"created"`
}

// Kind implements Resource.
func (PrefixList) Kind() string { return KindPrefixList }

// Key implements Resource.
func (l PrefixList) Key() string { return l.ID }

// RegionID implements Resource.
func (l PrefixList) RegionID() string { return l.Region }

// NextDue implements Resource: a prefix list never changes on its own.
func (PrefixList) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource: DescribePrefixLists' filters.
func (l PrefixList) Indexes() []Index {
	out := []Index{{IdxName, l.Name}, {IdxIPVersion, l.AddressFamily}}
	if l.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, l.ResourceGroup})
	}
	return append(out, tagIndexes(l.Tags)...)
}

// TagList implements Tagged.
func (l PrefixList) TagList() []Tag { return l.Tags }

// WithTags implements Tagged.
func (l PrefixList) WithTags(t []Tag) Resource { l.Tags = t; return l }

// WithResourceGroup implements Grouped.
func (l PrefixList) WithResourceGroup(rg string) Resource { l.ResourceGroup = rg; return l }

// PrefixCidrFamily is the address family of a CIDR block in canonical form
// ("IPv4", "IPv6"), or "" when it is no such block.
func PrefixCidrFamily(cidr string) string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || p.Masked() != p {
		return ""
	}
	if p.Addr().Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// prefixListKind declares the kind to the registry (registry.go).
var prefixListKind = Kind{
	Name:   KindPrefixList,
	Prefix: "pl",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribePrefixLists PrefixListName"},
		{IdxIPVersion, "DescribePrefixLists AddressFamily"},
		{IdxResourceGroup, "DescribePrefixLists ResourceGroupId"},
	}, tagIndexDecls("DescribePrefixLists")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "prefixlist"}},
	Decode: decoder[PrefixList](),
}
