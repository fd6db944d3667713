package cloud

import (
	"context"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindDedicatedHost and KindDedicatedHostCluster are the stored kinds of
// dedicated hosts and their clusters.
const (
	KindDedicatedHost        = "dedicatedhost"
	KindDedicatedHostCluster = "dedicatedhostcluster"
)

// Dedicated host statuses (DescribeDedicatedHosts Status).
const (
	HostAvailable       = "Available"
	HostUnderAssessment = "UnderAssessment"
	HostRedeploying     = "Redeploying"
)

// DedicatedHostType is one entry of the dedicated host type catalogue.
type DedicatedHostType struct {
	Type          string
	Families      []string
	Sockets       int
	Cores         int
	TotalVcpus    int
	MemoryGiB     float64
	SupportsRatio bool
}

// DedicatedHostTypes is the catalogue DescribeDedicatedHostTypes answers
// [choice: one host type per seventh-generation family of the instance
// catalogue, 2 sockets and 128 vCPUs each, memory in the family's ratio;
// no CPU overcommit].
var DedicatedHostTypes = []DedicatedHostType{
	{Type: "ddh.c7", Families: []string{"ecs.c7"}, Sockets: 2, Cores: 64, TotalVcpus: 128, MemoryGiB: 256},
	{Type: "ddh.g7", Families: []string{"ecs.g7"}, Sockets: 2, Cores: 64, TotalVcpus: 128, MemoryGiB: 512},
	{Type: "ddh.r7", Families: []string{"ecs.r7"}, Sockets: 2, Cores: 64, TotalVcpus: 128, MemoryGiB: 1024},
}

// HostType answers the catalogue entry of a dedicated host type.
func HostType(name string) (DedicatedHostType, bool) {
	for _, t := range DedicatedHostTypes {
		if t.Type == name {
			return t, true
		}
	}
	return DedicatedHostType{}, false
}

// HostedInstance is one instance placed on a dedicated host.
type HostedInstance struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	Vcpus     int     `json:"vcpus"`
	MemoryGiB float64 `json:"memoryGiB"`
}

// DedicatedHost is a physical server of one tenant.
type DedicatedHost struct {
	ID                  string           `json:"id"`
	Region              string           `json:"region"`
	Zone                string           `json:"zone"`
	Name                string           `json:"name,omitempty"`
	Description         string           `json:"description,omitempty"`
	Type                string           `json:"type"`
	Status              string           `json:"status"`
	ClusterID           string           `json:"clusterId,omitempty"`
	ChargeType          string           `json:"chargeType"`
	Period              int              `json:"period,omitempty"`
	PeriodUnit          string           `json:"periodUnit,omitempty"`
	Expires             time.Time        `json:"expires,omitzero"`
	AutoRenew           bool             `json:"autoRenew,omitempty"`
	AutoRenewPeriod     int              `json:"autoRenewPeriod,omitempty"`
	RenewalStatus       string           `json:"renewalStatus,omitempty"`
	AutoRenewWithEcs    string           `json:"autoRenewWithEcs,omitempty"`
	AutoRelease         time.Time        `json:"autoRelease,omitzero"`
	ActionOnMaintenance string           `json:"actionOnMaintenance"`
	AutoPlacement       string           `json:"autoPlacement"`
	CPUOverCommitRatio  float64          `json:"cpuOverCommitRatio"`
	UDPTimeout          int              `json:"udpTimeout"`
	SLBUDPTimeout       int              `json:"slbUdpTimeout"`
	ResourceGroup       string           `json:"resourceGroup,omitempty"`
	Tags                []Tag            `json:"tags,omitempty"`
	Instances           []HostedInstance `json:"instances,omitempty"`
	Created             time.Time        `json:"created"`
}

// Kind implements Resource.
func (DedicatedHost) Kind() string { return KindDedicatedHost }

// Key implements Resource.
func (h DedicatedHost) Key() string { return h.ID }

// RegionID implements Resource.
func (h DedicatedHost) RegionID() string { return h.Region }

// NextDue implements Resource: a host is released at its AutoReleaseTime
// when it holds no instance then.
func (h DedicatedHost) NextDue() time.Time {
	if len(h.Instances) > 0 {
		return time.Time{}
	}
	return h.AutoRelease
}

// Indexes implements Resource.
func (h DedicatedHost) Indexes() []Index {
	out := []Index{{IdxStatus, h.Status}, {IdxZone, h.Zone}, {IdxType, h.Type}}
	if h.Name != "" {
		out = append(out, Index{IdxName, h.Name})
	}
	if h.ClusterID != "" {
		out = append(out, Index{IdxDedicatedHostCluster, h.ClusterID})
	}
	if h.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, h.ResourceGroup})
	}
	for _, m := range h.Instances {
		out = append(out, Index{IdxInstance, m.ID})
	}
	return append(out, tagIndexes(h.Tags)...)
}

// TagList implements Tagged.
func (h DedicatedHost) TagList() []Tag { return h.Tags }

// WithTags implements Tagged.
func (h DedicatedHost) WithTags(t []Tag) Resource { h.Tags = t; return h }

// dedicatedHostKind declares the kind to the registry (registry.go).
var dedicatedHostKind = Kind{
	Name:   KindDedicatedHost,
	Prefix: "dh",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeDedicatedHosts Status"},
		{IdxZone, "DescribeDedicatedHosts ZoneId"},
		{IdxType, "DescribeDedicatedHosts DedicatedHostType"},
		{IdxName, "DescribeDedicatedHosts DedicatedHostName"},
		{IdxDedicatedHostCluster, "DescribeDedicatedHosts DedicatedHostClusterId; DeleteDedicatedHostCluster's refusal"},
		{IdxResourceGroup, "DescribeDedicatedHosts ResourceGroupId"},
		{IdxInstance, "the host a released instance leaves"},
	}, tagIndexDecls("DescribeDedicatedHosts")...),
	// An instance is on one host.
	Few:    []IndexName{IdxInstance},
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "ddh"}},
	Decode: decoder[DedicatedHost](),
	Advance: func(_ context.Context, _ Lookup, r Resource, _ time.Time, _ Config) (Transition, error) {
		return Transition{Next: r, Gone: true}, nil
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, h := range each[DedicatedHost](found) {
				put = append(put, h.Without(rel.Instance.ID))
			}
			return put, nil
		},
	},
}

// Used answers the vCPUs and memory the host's instances take.
func (h DedicatedHost) Used() (vcpus int, mem float64) {
	for _, m := range h.Instances {
		vcpus += m.Vcpus
		mem += m.MemoryGiB
	}
	return vcpus, mem
}

// Place puts instances of one type on the host: the type's family must be
// one the host type supports, and every instance must fit.
func (h DedicatedHost) Place(t InstanceType, ids ...string) (DedicatedHost, error) {
	ht, _ := HostType(h.Type)
	if !slices.Contains(ht.Families, t.InstanceTypeFamily) {
		return h, apierr.DedicatedHostTypeUnmatched.New()
	}
	if h.Status != HostAvailable {
		return h, apierr.DedicatedHostStatusNotSupport.New()
	}
	vcpus, mem := h.Used()
	if vcpus+t.CPUCoreCount*len(ids) > ht.TotalVcpus || mem+t.MemorySize*float64(len(ids)) > ht.MemoryGiB {
		return h, apierr.NoAvailableDedicatedHost.New()
	}
	h.Instances = slices.Clone(h.Instances)
	for _, id := range ids {
		h.Instances = append(h.Instances, HostedInstance{ID: id, Type: t.InstanceTypeID, Vcpus: t.CPUCoreCount, MemoryGiB: t.MemorySize})
	}
	return h, nil
}

// Without takes an instance off the host, returning its capacity.
func (h DedicatedHost) Without(id string) DedicatedHost {
	h.Instances = slices.DeleteFunc(slices.Clone(h.Instances), func(m HostedInstance) bool { return m.ID == id })
	return h
}

// CheckRelease refuses the release of a host that holds instances or
// whose subscription runs.
func (h DedicatedHost) CheckRelease(now time.Time) error {
	if len(h.Instances) > 0 {
		return apierr.DedicatedHostInstanceExist.New()
	}
	if h.ChargeType == PrePaid && now.Before(h.Expires) {
		return apierr.DedicatedHostChargeTypeViolation.New()
	}
	return nil
}

// DedicatedHostCluster groups dedicated hosts of one zone.
type DedicatedHostCluster struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Zone          string    `json:"zone"`
	Name          string    `json:"name,omitempty"`
	Description   string    `json:"description,omitempty"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (DedicatedHostCluster) Kind() string { return KindDedicatedHostCluster }

// Key implements Resource.
func (c DedicatedHostCluster) Key() string { return c.ID }

// RegionID implements Resource.
func (c DedicatedHostCluster) RegionID() string { return c.Region }

// NextDue implements Resource: a cluster never changes on its own.
func (DedicatedHostCluster) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (c DedicatedHostCluster) Indexes() []Index {
	out := []Index{{IdxZone, c.Zone}}
	if c.Name != "" {
		out = append(out, Index{IdxName, c.Name})
	}
	if c.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, c.ResourceGroup})
	}
	return append(out, tagIndexes(c.Tags)...)
}

// TagList implements Tagged.
func (c DedicatedHostCluster) TagList() []Tag { return c.Tags }

// WithTags implements Tagged.
func (c DedicatedHostCluster) WithTags(t []Tag) Resource { c.Tags = t; return c }

// dedicatedHostClusterKind declares the kind to the registry (registry.go).
var dedicatedHostClusterKind = Kind{
	Name:   KindDedicatedHostCluster,
	Prefix: "dc",
	Indexes: append([]IndexDecl{
		{IdxZone, "DescribeDedicatedHostClusters ZoneId"},
		{IdxName, "DescribeDedicatedHostClusters DedicatedHostClusterName"},
		{IdxResourceGroup, "DescribeDedicatedHostClusters ResourceGroupId"},
	}, tagIndexDecls("DescribeDedicatedHostClusters")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "ddhcluster"}},
	Decode: decoder[DedicatedHostCluster](),
}
