package cloud

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindPrefixList is the stored kind of VPC prefix lists.
const KindPrefixList = "prefixlist"

// Prefix list limits: MaxEntries is 1..200 (default 50).
const (
	DefaultPrefixListEntries = 50
	MaxPrefixListEntries     = 200
)

// PrefixListEntry is one CIDR block of a prefix list.
type PrefixListEntry struct {
	CIDR        string `json:"cidr"`
	Description string `json:"description,omitempty"`
}

// PrefixList is a named set of CIDR blocks of one IP version that route
// tables and security groups may refer to.
type PrefixList struct {
	ID            string            `json:"id"`
	Region        string            `json:"region"`
	Name          string            `json:"name,omitempty"`
	Description   string            `json:"description,omitempty"`
	IPVersion     string            `json:"ipVersion"` // IPv4 | IPv6
	MaxEntries    int               `json:"maxEntries"`
	Entries       []PrefixListEntry `json:"entries,omitempty"`
	Status        string            `json:"status"`
	Created       time.Time         `json:"created"`
	ResourceGroup string            `json:"resourceGroup,omitempty"`
	Tags          []Tag             `json:"tags,omitempty"`
}

// Kind implements Resource.
func (PrefixList) Kind() string { return KindPrefixList }

// Key implements Resource.
func (l PrefixList) Key() string { return l.ID }

// RegionID implements Resource.
func (l PrefixList) RegionID() string { return l.Region }

// Indexes implements Resource.
func (l PrefixList) Indexes() []Index {
	return append([]Index{{"name", l.Name}, {"resourceGroup", l.ResourceGroup}}, tagIndexes(l.Tags)...)
}

// NextDue implements Resource.
func (PrefixList) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (l PrefixList) TagList() []Tag { return l.Tags }

// WithTags implements Tagged.
func (l PrefixList) WithTags(t []Tag) Resource { l.Tags = t; return l }

// EditPrefixList removes then adds entries and sets the maximum, judging
// the result: canonical blocks of the list's IP version, none twice, no
// more than the maximum, and removals naming blocks of the list.
func EditPrefixList(l PrefixList, add []PrefixListEntry, remove []string, maxEntries int) (PrefixList, error) {
	entries := slices.Clone(l.Entries)
	for _, c := range remove {
		i := slices.IndexFunc(entries, func(e PrefixListEntry) bool { return e.CIDR == c })
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
		if slices.ContainsFunc(entries, func(e PrefixListEntry) bool { return e.CIDR == a.CIDR }) {
			return l, apierr.PrefixListEntryDuplicated.New().WithDetail("%s is in %s", a.CIDR, l.ID)
		}
		entries = append(entries, a)
	}
	if maxEntries < 1 || maxEntries > MaxPrefixListEntries {
		return l, apierr.InvalidParameter.New("MaxEntries")
	}
	if len(entries) > maxEntries {
		return l, apierr.PrefixListEntriesExceeded.New().WithDetail("%d entries, at most %d", len(entries), maxEntries)
	}
	l.Entries, l.MaxEntries = entries, maxEntries
	return l, nil
}

// prefixListKind declares the kind to the registry (registry.go).
var prefixListKind = Kind{
	Name:   KindPrefixList,
	Prefix: "pl",
	Indexes: append([]IndexDecl{
		{IdxName, "ListPrefixLists PrefixListName"},
		{IdxResourceGroup, "ListPrefixLists ResourceGroupId"},
	}, tagIndexDecls("ListPrefixLists")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "PREFIXLIST"}},
	Decode: decoder[PrefixList](),
}
