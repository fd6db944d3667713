package cloud

import "time"

// KindIpv6Gateway is the stored kind of IPv6 gateways.
const KindIpv6Gateway = "ipv6gateway"

// IPv6 gateway statuses: Creating until the VPC delay passes, then
// Available; deletion is immediate.
const (
	Ipv6GatewayCreating  = "Creating"
	Ipv6GatewayAvailable = "Available"
)

// Ipv6Gateway is a VPC's (only) IPv6 gateway, of the free Small
// specification.
type Ipv6Gateway struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	VpcID         string    `json:"vpcId"`
	Name          string    `json:"name,omitempty"`
	Description   string    `json:"description,omitempty"`
	Spec          string    `json:"spec"`
	Status        string    `json:"status"`
	Created       time.Time `json:"created"`
	ReadyAt       time.Time `json:"readyAt,omitzero"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (Ipv6Gateway) Kind() string { return KindIpv6Gateway }

// Key implements Resource.
func (g Ipv6Gateway) Key() string { return g.ID }

// RegionID implements Resource.
func (g Ipv6Gateway) RegionID() string { return g.Region }

// Indexes implements Resource.
func (g Ipv6Gateway) Indexes() []Index {
	return append([]Index{{"vpc", g.VpcID}, {"name", g.Name}, {"status", g.Status}, {"resourceGroup", g.ResourceGroup}}, tagIndexes(g.Tags)...)
}

// NextDue implements Resource.
func (g Ipv6Gateway) NextDue() time.Time { return g.ReadyAt }

// TagList implements Tagged.
func (g Ipv6Gateway) TagList() []Tag { return g.Tags }

// WithTags implements Tagged.
func (g Ipv6Gateway) WithTags(t []Tag) Resource { g.Tags = t; return g }

// ipv6GatewayKind declares the kind to the registry (registry.go).
var ipv6GatewayKind = Kind{
	Name:   KindIpv6Gateway,
	Prefix: "ipv6gw",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeIpv6Gateways VpcId; one gateway per VPC; DeleteVpc's dependency check"},
		{IdxName, "DescribeIpv6Gateways Name"},
		{IdxStatus, "the gateways in a state"},
		{IdxResourceGroup, "DescribeIpv6Gateways ResourceGroupId"},
	}, tagIndexDecls("DescribeIpv6Gateways")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "IPV6GATEWAY"}},
	Decode:  decoder[Ipv6Gateway](),
	Advance: readyAt(func(g Ipv6Gateway) Resource { g.Status, g.ReadyAt = Ipv6GatewayAvailable, time.Time{}; return g }),
}
