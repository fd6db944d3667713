package cloud

import (
	"context"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindCapacityReservation and KindElasticityAssurance are the stored kinds
// of the two private pools: capacity a launch of the zone and type takes.
const (
	KindCapacityReservation = "capacityreservation"
	KindElasticityAssurance = "elasticityassurance"
)

// Private pool statuses and match criteria.
const (
	PoolPending  = "Pending"
	PoolPrepared = "Prepared"
	PoolActive   = "Active"
	MatchOpen    = "Open"
	MatchTarget  = "Target"
	MatchNone    = "None"
)

// PoolMember is one instance a private pool's capacity holds.
type PoolMember struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// PrivatePool is what capacity reservations and elasticity assurances
// share: instance types of one zone, InstanceAmount of each, and the
// instances that took them.
type PrivatePool struct {
	ID            string       `json:"id"`
	Region        string       `json:"region"`
	Zone          string       `json:"zone"`
	Name          string       `json:"name,omitempty"`
	Description   string       `json:"description,omitempty"`
	InstanceTypes []string     `json:"instanceTypes"`
	Amount        int          `json:"amount"`
	Platform      string       `json:"platform"`
	MatchCriteria string       `json:"matchCriteria"`
	Status        string       `json:"status"`
	Start         time.Time    `json:"start"`
	End           time.Time    `json:"end,omitzero"`
	ResourceGroup string       `json:"resourceGroup,omitempty"`
	Tags          []Tag        `json:"tags,omitempty"`
	Members       []PoolMember `json:"members,omitempty"`
	Created       time.Time    `json:"created"`
}

// Key implements Resource.
func (p PrivatePool) Key() string { return p.ID }

// RegionID implements Resource.
func (p PrivatePool) RegionID() string { return p.Region }

// NextDue implements Resource: a pool turns Active at its start and is
// released at its end.
func (p PrivatePool) NextDue() time.Time {
	if p.Status != PoolActive {
		return p.Start
	}
	return p.End
}

// Indexes implements Resource.
func (p PrivatePool) Indexes() []Index {
	out := []Index{{IdxStatus, p.Status}, {IdxZone, p.Zone}}
	for _, t := range p.InstanceTypes {
		out = append(out, Index{IdxInstanceType, t})
	}
	if p.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, p.ResourceGroup})
	}
	for _, m := range p.Members {
		out = append(out, Index{IdxInstance, m.ID})
	}
	return append(out, tagIndexes(p.Tags)...)
}

// TagList implements Tagged.
func (p PrivatePool) TagList() []Tag { return p.Tags }

// Used counts the members of one instance type.
func (p PrivatePool) Used(instanceType string) int {
	n := 0
	for _, m := range p.Members {
		if m.Type == instanceType {
			n++
		}
	}
	return n
}

// Free is how many more instances of the type the pool takes.
func (p PrivatePool) Free(instanceType string) int {
	if !slices.Contains(p.InstanceTypes, instanceType) {
		return 0
	}
	return p.Amount - p.Used(instanceType)
}

// Take adds instances of one type; the caller checked Free.
func (p PrivatePool) Take(instanceType string, ids ...string) PrivatePool {
	p.Members = slices.Clone(p.Members)
	for _, id := range ids {
		p.Members = append(p.Members, PoolMember{ID: id, Type: instanceType})
	}
	return p
}

// Without returns an instance's capacity to the pool.
func (p PrivatePool) Without(id string) PrivatePool {
	p.Members = slices.DeleteFunc(slices.Clone(p.Members), func(m PoolMember) bool { return m.ID == id })
	return p
}

// CheckTarget refuses a Target launch the pool cannot take.
func (p PrivatePool) CheckTarget(zone, instanceType string, n int) error {
	switch {
	case p.Status != PoolActive:
		return apierr.PrivatePoolInactive.New()
	case !slices.Contains(p.InstanceTypes, instanceType):
		return apierr.PrivatePoolTypeMismatch.New()
	case p.Zone != zone:
		return apierr.PrivatePoolZoneMismatch.New()
	case p.Free(instanceType) < n:
		return apierr.PrivatePoolNoStock.New()
	}
	return nil
}

// CapacityReservation reserves capacity of one instance type in one zone.
type CapacityReservation struct {
	PrivatePool
	EndTimeType string `json:"endTimeType"`
}

// Kind implements Resource.
func (CapacityReservation) Kind() string { return KindCapacityReservation }

// WithTags implements Tagged.
func (c CapacityReservation) WithTags(t []Tag) Resource { c.Tags = t; return c }

// ElasticityAssurance is a subscription that assures capacity of up to
// five instance types in one zone.
type ElasticityAssurance struct {
	PrivatePool
	Period          int    `json:"period"`
	PeriodUnit      string `json:"periodUnit"`
	AssuranceTimes  string `json:"assuranceTimes"`
	AutoRenew       bool   `json:"autoRenew,omitempty"`
	AutoRenewPeriod int    `json:"autoRenewPeriod,omitempty"`
	RenewalStatus   string `json:"renewalStatus"`
}

// Kind implements Resource.
func (ElasticityAssurance) Kind() string { return KindElasticityAssurance }

// WithTags implements Tagged.
func (e ElasticityAssurance) WithTags(t []Tag) Resource { e.Tags = t; return e }

// poolIndexDecls are the indexes both private pool kinds keep.
func poolIndexDecls(describe string) []IndexDecl {
	return append([]IndexDecl{
		{IdxStatus, describe + " Status; the Active pools an Open launch may take"},
		{IdxZone, describe + " ZoneId; the pools of a launch's zone"},
		{IdxInstanceType, describe + " InstanceType; the pools of a launch's type"},
		{IdxResourceGroup, describe + " ResourceGroupId"},
		{IdxInstance, "the pool a released instance leaves"},
	}, tagIndexDecls(describe)...)
}

// poolRelease returns a released instance's capacity to its pool.
func poolRelease[T Resource](without func(T, string) T) *ReleaseDecl {
	return &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, p := range each[T](found) {
				put = append(put, without(p, rel.Instance.ID))
			}
			return put, nil
		},
	}
}

// poolAdvance turns a pool Active at its start, and releases it at its end.
func poolAdvance[T Resource](get func(T) PrivatePool, set func(T, PrivatePool) T) func(context.Context, Lookup, Resource, time.Time, Config) (Transition, error) {
	return func(_ context.Context, _ Lookup, r Resource, _ time.Time, _ Config) (Transition, error) {
		v := r.(T)
		p := get(v)
		if p.Status != PoolActive {
			p.Status = PoolActive
			return Transition{Next: set(v, p)}, nil
		}
		return Transition{Next: v, Gone: true}, nil
	}
}

// capacityReservationKind declares the kind to the registry (registry.go).
var capacityReservationKind = Kind{
	Name:    KindCapacityReservation,
	Prefix:  "crp",
	Indexes: poolIndexDecls("DescribeCapacityReservations"),
	Few:     []IndexName{IdxInstance}, // an instance is in one pool
	Tags:    &TagDecl{ResourceTypes: map[string]string{"ecs": "capacityreservation"}},
	Decode:  decoder[CapacityReservation](),
	Advance: poolAdvance(func(c CapacityReservation) PrivatePool { return c.PrivatePool },
		func(c CapacityReservation, p PrivatePool) CapacityReservation { c.PrivatePool = p; return c }),
	Release: poolRelease(func(c CapacityReservation, id string) CapacityReservation {
		c.PrivatePool = c.Without(id)
		return c
	}),
}

// elasticityAssuranceKind declares the kind to the registry (registry.go).
var elasticityAssuranceKind = Kind{
	Name:    KindElasticityAssurance,
	Prefix:  "eap",
	Indexes: poolIndexDecls("DescribeElasticityAssurances"),
	Few:     []IndexName{IdxInstance}, // an instance is in one pool
	Tags:    &TagDecl{ResourceTypes: map[string]string{"ecs": "elasticityassurance"}},
	Decode:  decoder[ElasticityAssurance](),
	Advance: poolAdvance(func(e ElasticityAssurance) PrivatePool { return e.PrivatePool },
		func(e ElasticityAssurance, p PrivatePool) ElasticityAssurance { e.PrivatePool = p; return e }),
	Release: poolRelease(func(e ElasticityAssurance, id string) ElasticityAssurance {
		e.PrivatePool = e.Without(id)
		return e
	}),
}
