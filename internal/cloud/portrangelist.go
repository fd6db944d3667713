package cloud

import "time"

// KindPortRangeList is the stored kind of port range lists.
const KindPortRangeList = "portrangelist"

// MaxPortRangeListEntries is the largest MaxEntries of a port range list.
const MaxPortRangeListEntries = 200

// PortRangeEntry is one "from/to" range of a port range list.
type PortRangeEntry struct {
	PortRange   string `json:"portRange"`
	Description string `json:"description,omitempty"`
}

// PortRangeList is a named set of port ranges that TCP and UDP security
// group rules name instead of a PortRange (PortRangeListId).
type PortRangeList struct {
	ID            string           `json:"id"`
	Region        string           `json:"region"`
	Name          string           `json:"name"`
	Description   string           `json:"description,omitempty"`
	MaxEntries    int              `json:"maxEntries"`
	Entries       []PortRangeEntry `json:"entries,omitempty"`
	ResourceGroup string           `json:"resourceGroup,omitempty"`
	Tags          []Tag            `json:"tags,omitempty"`
	Created       time.Time        `json:"created"`
}

// Kind implements Resource.
func (PortRangeList) Kind() string { return KindPortRangeList }

// Key implements Resource.
func (l PortRangeList) Key() string { return l.ID }

// RegionID implements Resource.
func (l PortRangeList) RegionID() string { return l.Region }

// NextDue implements Resource: a port range list never changes on its own.
func (PortRangeList) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource: DescribePortRangeLists' filters.
func (l PortRangeList) Indexes() []Index {
	out := []Index{{IdxName, l.Name}}
	if l.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, l.ResourceGroup})
	}
	return append(out, tagIndexes(l.Tags)...)
}

// TagList implements Tagged.
func (l PortRangeList) TagList() []Tag { return l.Tags }

// WithTags implements Tagged.
func (l PortRangeList) WithTags(t []Tag) Resource { l.Tags = t; return l }

// WithResourceGroup implements Grouped.
func (l PortRangeList) WithResourceGroup(rg string) Resource { l.ResourceGroup = rg; return l }

// portRangeListKind declares the kind to the registry (registry.go).
var portRangeListKind = Kind{
	Name:   KindPortRangeList,
	Prefix: "prl",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribePortRangeLists PortRangeListName"},
		{IdxResourceGroup, "DescribePortRangeLists ResourceGroupId"},
	}, tagIndexDecls("DescribePortRangeLists")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "portrangelist"}},
	Decode: decoder[PortRangeList](),
}
