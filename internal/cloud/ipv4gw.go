package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindIpv4Gateway is the stored kind of IPv4 gateways.
const KindIpv4Gateway = "ipv4gateway"

// IPv4 gateway statuses: Creating until the VPC delay passes, then
// Created; deletion is immediate.
const (
	Ipv4GatewayCreating = "Creating"
	Ipv4GatewayCreated  = "Created"
)

// Ipv4Gateway is a VPC's (only) IPv4 gateway: its Internet entry, once
// enabled, with at most one gateway route table associated.
type Ipv4Gateway struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	VpcID         string    `json:"vpcId"`
	Name          string    `json:"name,omitempty"`
	Description   string    `json:"description,omitempty"`
	Status        string    `json:"status"`
	Enabled       bool      `json:"enabled,omitempty"`
	RouteTableID  string    `json:"routeTableId,omitempty"`
	Created       time.Time `json:"created"`
	ReadyAt       time.Time `json:"readyAt,omitzero"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (Ipv4Gateway) Kind() string { return KindIpv4Gateway }

// Key implements Resource.
func (g Ipv4Gateway) Key() string { return g.ID }

// RegionID implements Resource.
func (g Ipv4Gateway) RegionID() string { return g.Region }

// Indexes implements Resource.
func (g Ipv4Gateway) Indexes() []Index {
	return append([]Index{
		{"vpc", g.VpcID}, {"name", g.Name}, {"status", g.Status}, {"resourceGroup", g.ResourceGroup}, {"table", g.RouteTableID},
	}, tagIndexes(g.Tags)...)
}

// NextDue implements Resource.
func (g Ipv4Gateway) NextDue() time.Time { return g.ReadyAt }

// TagList implements Tagged.
func (g Ipv4Gateway) TagList() []Tag { return g.Tags }

// WithTags implements Tagged.
func (g Ipv4Gateway) WithTags(t []Tag) Resource { g.Tags = t; return g }

// CheckIpv4GatewayReady refuses an operation on a gateway still Creating.
func CheckIpv4GatewayReady(g Ipv4Gateway) error {
	if g.Status != Ipv4GatewayCreated {
		return apierr.IncorrectIpv4GatewayStatus.New().WithDetail("%s is %s", g.ID, g.Status)
	}
	return nil
}

// CheckGatewayRouteTable judges a table AssociateRouteTableWithGateway
// binds to g: a custom table of type Gateway in g's VPC, bound to no other
// gateway, while g has none.
func CheckGatewayRouteTable(g Ipv4Gateway, t RouteTable, boundTo []Ipv4Gateway) error {
	switch {
	case t.VpcID != g.VpcID:
		return apierr.GatewayRouteTableVpcMismatch.New().WithDetail("%s is in %s, %s in %s", t.ID, t.VpcID, g.ID, g.VpcID)
	case t.Type != RouteTableCustom || t.AssociateType != "Gateway":
		return apierr.GatewayRouteTableType.New().WithDetail("%s is a %s %s table", t.ID, t.Type, t.AssociateType)
	case g.RouteTableID != "":
		return apierr.GatewayRouteTableBound.New().WithDetail("%s has %s", g.ID, g.RouteTableID)
	case len(boundTo) > 0:
		return apierr.GatewayRouteTableBound.New().WithDetail("%s is bound to %s", t.ID, boundTo[0].ID)
	}
	return nil
}

// ipv4GatewayKind declares the kind to the registry (registry.go).
var ipv4GatewayKind = Kind{
	Name:   KindIpv4Gateway,
	Prefix: "ipv4gw",
	Indexes: append([]IndexDecl{
		{IdxVPC, "ListIpv4Gateways VpcId; one gateway per VPC; DeleteVpc's dependency check"},
		{IdxName, "ListIpv4Gateways Ipv4GatewayName"},
		{IdxStatus, "the gateways in a state"},
		{IdxResourceGroup, "ListIpv4Gateways ResourceGroupId"},
		{IdxTable, "the gateway a route table is bound to; DeleteRouteTable's dependency check"},
	}, tagIndexDecls("ListIpv4Gateways")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "IPV4GATEWAY"}},
	Decode:  decoder[Ipv4Gateway](),
	Advance: readyAt(func(g Ipv4Gateway) Resource { g.Status, g.ReadyAt = Ipv4GatewayCreated, time.Time{}; return g }),
}
