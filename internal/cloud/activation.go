package cloud

import "time"

// KindActivation is the stored kind of Cloud Assistant activation codes.
const KindActivation = "activation"

// Activation is an activation code (CreateActivation) with which servers
// outside ECS register as managed instances. No agent registers in
// ecslocal, so its registered and deregistered counts stay 0.
type Activation struct {
	ID             string    `json:"id"`
	Region         string    `json:"region"`
	Code           string    `json:"code"`
	InstanceName   string    `json:"instanceName,omitempty"`
	Description    string    `json:"description,omitempty"`
	InstanceCount  int       `json:"instanceCount"`
	TTLHours       int       `json:"ttlHours"`
	IPAddressRange string    `json:"ipAddressRange"`
	Disabled       bool      `json:"disabled,omitempty"`
	ResourceGroup  string    `json:"resourceGroup,omitempty"`
	Tags           []Tag     `json:"tags,omitempty"`
	Created        time.Time `json:"created"`
}

// Kind implements Resource.
func (Activation) Kind() string { return KindActivation }

// Key implements Resource.
func (a Activation) Key() string { return a.ID }

// RegionID implements Resource.
func (a Activation) RegionID() string { return a.Region }

// NextDue implements Resource.
func (Activation) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (a Activation) Indexes() []Index { return []Index{{IdxName, a.InstanceName}} }

// activationKind declares the kind to the registry (registry.go). An
// activation belongs to no ECS instance: it has no place in a release. Its
// tags are kept and shown but not reachable by TagResources (the ECS tag
// actions name no activation type).
var activationKind = Kind{
	Name:    KindActivation,
	Prefix:  "act",
	Indexes: []IndexDecl{{IdxName, "DescribeActivations InstanceName"}},
	Decode:  decoder[Activation](),
}
