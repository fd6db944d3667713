package cloud

import (
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindDeploymentSet is the stored kind of deployment sets.
const KindDeploymentSet = "deploymentset"

// DeploymentSetZoneCapacity is how many instances a deployment set holds in
// one zone [choice: the reference's 20 for the Availability strategy,
// applied to every strategy].
const DeploymentSetZoneCapacity = 20

// DeployedInstance is one member of a deployment set.
type DeployedInstance struct {
	ID   string `json:"id"`
	Zone string `json:"zone"`
}

// DeploymentSet spreads its instances over distinct physical servers.
type DeploymentSet struct {
	ID          string             `json:"id"`
	Region      string             `json:"region"`
	Name        string             `json:"name,omitempty"`
	Description string             `json:"description,omitempty"`
	Strategy    string             `json:"strategy"`
	Domain      string             `json:"domain"`
	Granularity string             `json:"granularity"`
	GroupCount  int                `json:"groupCount,omitempty"`
	Instances   []DeployedInstance `json:"instances,omitempty"`
	Created     time.Time          `json:"created"`
}

// Kind implements Resource.
func (DeploymentSet) Kind() string { return KindDeploymentSet }

// Key implements Resource.
func (d DeploymentSet) Key() string { return d.ID }

// RegionID implements Resource.
func (d DeploymentSet) RegionID() string { return d.Region }

// NextDue implements Resource: a deployment set never changes on its own.
func (DeploymentSet) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (d DeploymentSet) Indexes() []Index {
	out := []Index{{IdxStatus, d.Strategy}}
	if d.Name != "" {
		out = append(out, Index{IdxName, d.Name})
	}
	for _, m := range d.Instances {
		out = append(out, Index{IdxInstance, m.ID})
	}
	return out
}

// deploymentSetKind declares the kind to the registry (registry.go).
var deploymentSetKind = Kind{
	Name:   KindDeploymentSet,
	Prefix: "ds",
	Indexes: []IndexDecl{
		{IdxStatus, "DescribeDeploymentSets Strategy"},
		{IdxName, "DescribeDeploymentSets DeploymentSetName"},
		{IdxInstance, "the set a released or moved instance leaves"},
	},
	// An instance is in one set.
	Few:    []IndexName{IdxInstance},
	Decode: decoder[DeploymentSet](),
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, d := range each[DeploymentSet](found) {
				put = append(put, d.Without(rel.Instance.ID))
			}
			return put, nil
		},
	},
}

// InZone counts the members in a zone.
func (d DeploymentSet) InZone(zone string) int {
	n := 0
	for _, m := range d.Instances {
		if m.Zone == zone {
			n++
		}
	}
	return n
}

// Join adds instances of one zone, within the zone's capacity.
func (d DeploymentSet) Join(zone string, ids ...string) (DeploymentSet, error) {
	if d.InZone(zone)+len(ids) > DeploymentSetZoneCapacity {
		return d, apierr.DeploymentSetFull.New()
	}
	d.Instances = slices.Clone(d.Instances)
	for _, id := range ids {
		d.Instances = append(d.Instances, DeployedInstance{ID: id, Zone: zone})
	}
	return d, nil
}

// Without takes an instance out of the set.
func (d DeploymentSet) Without(id string) DeploymentSet {
	d.Instances = slices.DeleteFunc(slices.Clone(d.Instances), func(m DeployedInstance) bool { return m.ID == id })
	return d
}
