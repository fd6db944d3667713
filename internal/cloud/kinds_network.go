package cloud

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

var eniKind = Kind{
	Name:   KindENI,
	Prefix: "eni",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeNetworkInterfaces Status"},
		{IdxType, "DescribeNetworkInterfaces Type"},
		{IdxZone, "the ENIs of a zone"},
		{IdxVPC, "DescribeNetworkInterfaces VpcId; DeleteVpc's dependency check"},
		{IdxVSwitch, "DescribeNetworkInterfaces VSwitchId; DeleteVSwitch's dependency check"},
		{IdxPrivateIP, "DescribeNetworkInterfaces PrimaryIpAddress; address allocation"},
		{IdxName, "DescribeNetworkInterfaces NetworkInterfaceName"},
		{IdxResourceGroup, "DescribeNetworkInterfaces ResourceGroupId"},
		{IdxSecurityGroup, "DescribeNetworkInterfaces SecurityGroupId; DeleteSecurityGroup's dependency check"},
		{IdxInstance, "DescribeNetworkInterfaces InstanceId; the ENIs a release acts on"},
		{IdxTrunk, "the members of a trunk ENI"},
	}, tagIndexDecls("DescribeNetworkInterfaces")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "eni"}},
	Decode: decoder[ENI](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		next, gone := AdvanceENI(r.(ENI), now)
		return Transition{Next: next, Gone: gone}, nil
	},
	Hold: &HoldDecl{
		By: IdxInstance,
		Holder: func(found []Resource, _ Instance, _ time.Time) string {
			return LinkedENI(each[ENI](found))
		},
		Refuse: func(id string, inst Instance) *apierr.Error {
			return apierr.EniLinked.New().WithDetail("rule 5d: ENI %s of instance %s is linked to other ENIs", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: func(rel *Released) []string { return []string{rel.Instance.ID} },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			enis := each[ENI](found)
			gone, keep := ENIReleaseEffects(rel.Instance, enis, rel.At)
			for _, e := range enis {
				for _, id := range gone {
					if e.ID == id {
						del = append(del, e)
					}
				}
			}
			return resources(keep), del
		},
	},
}

var routeEntryKind = Kind{
	Name:   KindRouteEntry,
	Prefix: "rte",
	Indexes: []IndexDecl{
		{IdxTable, "DescribeRouteEntryList RouteTableId; a table's entries"},
		{IdxVPC, "the entries of a VPC"},
		{IdxType, "DescribeRouteEntryList RouteEntryType"},
		{IdxCIDR, "DescribeRouteEntryList DestinationCidrBlock"},
		{IdxStatus, "the entries in a state"},
		{IdxName, "DescribeRouteEntryList RouteEntryName"},
		{IdxNextHopType, "DescribeRouteEntryList NextHopType"},
		{IdxNextHopID, "DescribeRouteEntryList NextHopId; the entries a release acts on"},
	},
	Decode: decoder[RouteEntry](),
	Advance: func(_ context.Context, _ Lookup, r Resource, now time.Time, _ Config) (Transition, error) {
		next, gone := AdvanceRoute(r.(RouteEntry), now)
		return Transition{Next: next, Gone: gone}, nil
	},
	// Any status holds: a Pending entry will forward to the instance, a
	// Deleting one still does.
	Hold: &HoldDecl{
		By: IdxNextHopID,
		Holder: func(found []Resource, inst Instance, _ time.Time) string {
			for _, e := range each[RouteEntry](found) {
				if e.Type == RouteCustom && e.HasNextHop(NextHopInstance, inst.ID) {
					return e.ID
				}
			}
			return ""
		},
		Refuse: func(id string, inst Instance) *apierr.Error {
			return apierr.DependencyRouteEntry.New().WithDetail("rule 5e: route entry %s has instance %s as next hop", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxNextHopID,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			entries := each[RouteEntry](found)
			stale := StaleRoutes(entries, rel.Instance.ID, rel.removedENI)
			for _, e := range entries {
				for _, id := range stale {
					if e.ID == id {
						del = append(del, e)
					}
				}
			}
			return nil, del
		},
	},
}

var loadBalancerKind = Kind{
	Name:   KindLoadBalancer,
	Prefix: "lb",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeLoadBalancers VpcId; DeleteVpc's dependency check"},
		{IdxVSwitch, "DescribeLoadBalancers VSwitchId; DeleteVSwitch's dependency check"},
		{IdxAddressType, "DescribeLoadBalancers AddressType"},
		{IdxNetworkType, "DescribeLoadBalancers NetworkType"},
		{IdxName, "DescribeLoadBalancers LoadBalancerName"},
		{IdxStatus, "DescribeLoadBalancers LoadBalancerStatus"},
		{IdxAddress, "DescribeLoadBalancers Address"},
		{IdxResourceGroup, "DescribeLoadBalancers ResourceGroupId"},
		{IdxPayType, "DescribeLoadBalancers PayType"},
		{IdxMasterZone, "DescribeLoadBalancers MasterZoneId"},
		{IdxBackend, "DescribeLoadBalancers ServerId; the load balancers a release acts on"},
		{IdxBackendType, "the load balancers with ENI backends"},
	}, tagIndexDecls("DescribeLoadBalancers")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"slb": "instance"}},
	Decode: decoder[LoadBalancer](),
	Hold: &HoldDecl{
		By: IdxBackend,
		Holder: func(found []Resource, _ Instance, now time.Time) string {
			for _, l := range each[LoadBalancer](found) {
				if l.Configuring(now) {
					return l.ID
				}
			}
			return ""
		},
		Refuse: func(id string, inst Instance) *apierr.Error {
			return apierr.DependencySLBConfiguring.New().WithDetail("rule 5f: load balancer %s is configuring with instance %s as backend", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxBackend,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, l := range each[LoadBalancer](found) {
				if next, changed := ReleaseBackends(l, rel.Instance.ID, rel.removedENI); changed {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}

var eipKind = Kind{
	Name:   KindEIP,
	Prefix: "eip",
	Indexes: []IndexDecl{
		{IdxStatus, "DescribeEipAddresses Status"},
		{IdxIP, "DescribeEipAddresses EipAddress"},
		{IdxName, "DescribeEipAddresses EipName"},
		{IdxChargeType, "DescribeEipAddresses ChargeType"},
		{IdxInstance, "DescribeEipAddresses AssociatedInstanceId; the EIPs a release acts on"},
		{IdxInstanceType, "DescribeEipAddresses AssociatedInstanceType"},
		{IdxResourceGroup, "DescribeEipAddresses ResourceGroupId"},
	},
	Decode: decoder[EIP](),
	Release: &ReleaseDecl{
		By:   IdxInstance,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, e := range each[EIP](found) {
				if next, changed := ReleaseEIP(e, rel.Instance.ID, rel.removedENI); changed {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}

var vpcKind = Kind{
	Name:   KindVPC,
	Prefix: "vpc",
	Indexes: append([]IndexDecl{
		{IdxStatus, "DescribeVpcs Status"},
		{IdxName, "DescribeVpcs VpcName"},
		{IdxDefault, "DescribeVpcs IsDefault"},
		{IdxResourceGroup, "DescribeVpcs ResourceGroupId"},
	}, tagIndexDecls("DescribeVpcs")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "VPC"}},
	Decode:  decoder[VPC](),
	Advance: readyAt(func(v VPC) Resource { v.Status, v.ReadyAt = NetAvailable, time.Time{}; return v }),
}

var vswitchKind = Kind{
	Name:   KindVSwitch,
	Prefix: "vsw",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeVSwitches VpcId; DeleteVpc's dependency check"},
		{IdxZone, "DescribeVSwitches ZoneId"},
		{IdxStatus, "DescribeVSwitches Status"},
		{IdxName, "DescribeVSwitches VSwitchName"},
		{IdxDefault, "DescribeVSwitches IsDefault"},
		{IdxResourceGroup, "DescribeVSwitches ResourceGroupId"},
	}, tagIndexDecls("DescribeVSwitches")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "VSWITCH"}},
	Decode:  decoder[VSwitch](),
	Advance: readyAt(func(v VSwitch) Resource { v.Status, v.ReadyAt = NetAvailable, time.Time{}; return v }),
}

var routeTableKind = Kind{
	Name:   KindRouteTable,
	Prefix: "vtb",
	Indexes: []IndexDecl{
		{IdxVPC, "DescribeRouteTables VpcId"},
		{IdxType, "DescribeRouteTables RouteTableType"},
		{IdxRouter, "DescribeRouteTables VRouterId"},
		{IdxRouterType, "DescribeRouteTables RouterType"},
		{IdxName, "DescribeRouteTables RouteTableName"},
		{IdxResourceGroup, "DescribeRouteTables ResourceGroupId"},
	},
	Decode: decoder[RouteTable](),
}

var securityGroupKind = Kind{
	Name:   KindSecurityGroup,
	Prefix: "sg",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeSecurityGroups VpcId; DeleteVpc's dependency check"},
		{IdxName, "DescribeSecurityGroups SecurityGroupName"},
		{IdxType, "DescribeSecurityGroups SecurityGroupType"},
		{IdxResourceGroup, "DescribeSecurityGroups ResourceGroupId"},
	}, tagIndexDecls("DescribeSecurityGroups")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "securitygroup"}},
	Decode: decoder[SecurityGroup](),
}

// readyAt is the Advance of a kind that only becomes Available.
func readyAt[T Resource](ready func(T) Resource) func(context.Context, Lookup, Resource, time.Time, Config) (Transition, error) {
	return func(_ context.Context, _ Lookup, r Resource, _ time.Time, _ Config) (Transition, error) {
		return Transition{Next: ready(r.(T))}, nil
	}
}

// removedENI tells whether the release removed ENI id.
func (r *Released) removedENI(id string) bool {
	v, ok := r.Removed[id]
	return ok && v.Kind() == KindENI
}

// ReleaseEIP is what the release of instanceID does to an EIP: bound to
// the instance, or to an ENI the release removed (gone), it becomes
// Available; it is never released with it.
func ReleaseEIP(e EIP, instanceID string, gone func(eniID string) bool) (EIP, bool) {
	if e.InstanceID == instanceID || e.InstanceType == EIPOnENI && gone(e.InstanceID) {
		return DetachEIP(e), true
	}
	return e, false
}

// ReleaseBackends is what the release of instanceID does to a load
// balancer: the instance and every ENI backend the release removed (gone)
// leave its backend list.
func ReleaseBackends(l LoadBalancer, instanceID string, gone func(eniID string) bool) (LoadBalancer, bool) {
	drop := []string{instanceID}
	for _, b := range l.Backends {
		if b.Type == BackendENI && gone(b.ServerID) {
			drop = append(drop, b.ServerID)
		}
	}
	next := DropBackend(l, drop...)
	return next, len(next.Backends) != len(l.Backends)
}

// Tagged implementations of the network kinds.

func (e ENI) TagList() []Tag                      { return e.Tags }
func (e ENI) WithTags(t []Tag) Resource           { e.Tags = t; return e }
func (l LoadBalancer) TagList() []Tag             { return l.Tags }
func (l LoadBalancer) WithTags(t []Tag) Resource  { l.Tags = t; return l }
func (v VPC) TagList() []Tag                      { return v.Tags }
func (v VPC) WithTags(t []Tag) Resource           { v.Tags = t; return v }
func (v VSwitch) TagList() []Tag                  { return v.Tags }
func (v VSwitch) WithTags(t []Tag) Resource       { v.Tags = t; return v }
func (s SecurityGroup) TagList() []Tag            { return s.Tags }
func (s SecurityGroup) WithTags(t []Tag) Resource { s.Tags = t; return s }
