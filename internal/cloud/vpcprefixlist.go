package cloud

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindVpcPrefixList is the stored kind of VPC prefix lists.
const KindVpcPrefixList = "vpcprefixlist"

// Prefix list limits: MaxEntries is 1..200 (default 50).
const (
	DefaultVpcPrefixListEntries = 50
	MaxVpcPrefixListEntries     = 200
)

// VpcPrefixListEntry is one CIDR block of a VPC prefix list.
type VpcPrefixListEntry struct {
	CIDR        string `json:"cidr"`
	Description string `json:"description,omitempty"`
}

// VpcPrefixList is a VPC prefix list (VPC CreateVpcPrefixList): a named set
// of CIDR blocks of one IP version that route tables refer to. The cloud keeps
// it apart from ECS's prefix lists (PrefixList), though both ids start "pl-".
type VpcPrefixList struct {
	ID            string               `json:"id"`
	Region        string               `json:"region"`
	Name          string               `json:"name,omitempty"`
	Description   string               `json:"description,omitempty"`
	IPVersion     string               `json:"ipVersion"` // IPv4 | IPv6
	MaxEntries    int                  `json:"maxEntries"`
	Entries       []VpcPrefixListEntry `json:"entries,omitempty"`
	Status        string               `json:"status"`
	Created       time.Time            `json:"created"`
	ResourceGroup string               `json:"resourceGroup,omitempty"`
	Tags          []Tag                `json:"tags,omitempty"`
}

// Kind implements Resource.
func (VpcPrefixList) Kind() string { return KindVpcPrefixList }

// Key implements Resource.
func (l VpcPrefixList) Key() string { return l.ID }

// RegionID implements Resource.
func (l VpcPrefixList) RegionID() string { return l.Region }

// Indexes implements Resource.
func (l VpcPrefixList) Indexes() []Index {
	return append([]Index{{"name", l.Name}, {"resourceGroup", l.ResourceGroup}}, tagIndexes(l.Tags)...)
}

// NextDue implements Resource.
func (VpcPrefixList) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (l VpcPrefixList) TagList() []Tag { return l.Tags }

// WithTags implements Tagged.
func (l VpcPrefixList) WithTags(t []Tag) Resource { l.Tags = t; return l }

// EditVpcPrefixList removes then adds entries and sets the maximum, judging
// the result: canonical blocks of the list's IP version, none twice, no
// more than the maximum, and removals naming blocks of the list.
func EditVpcPrefixList(l VpcPrefixList, add []VpcPrefixListEntry, remove []string, maxEntries int) (VpcPrefixList, error) {
	entries := slices.Clone(l.Entries)
	for _, c := range remove {
		i := slices.IndexFunc(entries, func(e VpcPrefixListEntry) bool { return e.CIDR == c })
		if i < 0 {
			return l, apierr.PrefixListEntryNotFound.New().WithDetail("%s is not in %s", c, l.ID)
		}
		entries = slices.Delete(entries, i, i+1)
	}
	for _, a := range add {
		p, err := netip.ParsePrefix(a.CIDR)
		if err != nil || p.Masked() != p || p.Addr().Is4() != (l.IPVersion == "IPv4") {
			return l, apierr.InvalidPrefixListCidr.New().WithDetail("%q is no %s block", a.CIDR, l.IPVersion)
		}
		if slices.ContainsFunc(entries, func(e VpcPrefixListEntry) bool { return e.CIDR == a.CIDR }) {
			return l, apierr.PrefixListEntryDuplicated.New().WithDetail("%s is in %s", a.CIDR, l.ID)
		}
		entries = append(entries, a)
	}
	if maxEntries < 1 || maxEntries > MaxVpcPrefixListEntries {
		return l, apierr.InvalidParameter.New("MaxEntries")
	}
	if len(entries) > maxEntries {
		return l, apierr.PrefixListEntriesExceeded.New().WithDetail("%d entries, at most %d", len(entries), maxEntries)
	}
	l.Entries, l.MaxEntries = entries, maxEntries
	return l, nil
}

// vpcPrefixListKind declares the kind to the registry (registry.go).
var vpcPrefixListKind = Kind{
	Name:   KindVpcPrefixList,
	Prefix: "pl",
	Indexes: append([]IndexDecl{
		{IdxName, "ListPrefixLists PrefixListName"},
		{IdxResourceGroup, "ListPrefixLists ResourceGroupId"},
	}, tagIndexDecls("ListPrefixLists")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "PREFIXLIST"}},
	Decode: decoder[VpcPrefixList](),
}
