package cloud

import "time"

// KindSnapshotGroup is the stored kind of snapshot-consistent groups.
const KindSnapshotGroup = "snapshotgroup"

// SnapshotGroup is a snapshot-consistent group (CreateSnapshotGroup): one
// snapshot of each chosen disk of an instance, taken at one instant. Its
// status is its snapshots': progressing until every one is accomplished.
type SnapshotGroup struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Name          string    `json:"name,omitempty"`
	Description   string    `json:"description,omitempty"`
	InstanceID    string    `json:"instanceId"`
	Snapshots     []string  `json:"snapshots"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (SnapshotGroup) Kind() string { return KindSnapshotGroup }

// Key implements Resource.
func (g SnapshotGroup) Key() string { return g.ID }

// RegionID implements Resource.
func (g SnapshotGroup) RegionID() string { return g.Region }

// NextDue implements Resource: the status follows the snapshots.
func (SnapshotGroup) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (g SnapshotGroup) Indexes() []Index {
	out := []Index{{IdxInstance, g.InstanceID}, {IdxName, g.Name}}
	if g.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, g.ResourceGroup})
	}
	return append(out, tagIndexes(g.Tags)...)
}

// TagList implements Tagged.
func (g SnapshotGroup) TagList() []Tag { return g.Tags }

// WithTags implements Tagged.
func (g SnapshotGroup) WithTags(t []Tag) Resource { g.Tags = t; return g }

// GroupStatus is a group's Status from its snapshots: "progressing" while
// one is, "accomplished" when all are.
func GroupStatus(snaps []Snapshot) string {
	for _, s := range snaps {
		if s.Status == SnapshotProgressing {
			return SnapshotProgressing
		}
	}
	return SnapshotAccomplished
}

// snapshotGroupKind declares the kind to the registry (registry.go). A
// group outlives its instance, as its manual snapshots do: the release
// effect keeps it unchanged, still naming the instance.
var snapshotGroupKind = Kind{
	Name:   KindSnapshotGroup,
	Prefix: "ssg",
	Indexes: append([]IndexDecl{
		{IdxInstance, "DescribeSnapshotGroups InstanceId"},
		{IdxName, "DescribeSnapshotGroups Name"},
		{IdxResourceGroup, "DescribeSnapshotGroups ResourceGroupId"},
	}, tagIndexDecls("DescribeSnapshotGroups")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "snapshotgroup"}},
	Decode: decoder[SnapshotGroup](),
	Release: &ReleaseDecl{
		By: IdxInstance,
		// Nothing to look up: the effect keeps every group as it is.
		Keys:   func(*Released) []string { return nil },
		Effect: func([]Resource, *Released) (put, del []Resource) { return nil, nil },
	},
}
