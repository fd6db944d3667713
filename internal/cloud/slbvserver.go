package cloud

import (
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindVServerGroup is the stored kind of SLB VServer groups.
const KindVServerGroup = "vservergroup"

// VServerBackend is one member of a VServer group: a server and a port.
type VServerBackend struct {
	ServerID    string `json:"serverId"`
	Port        int    `json:"port"`
	Weight      int    `json:"weight"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// VServerGroup is a named set of server:port backends of one load balancer,
// which its listeners may forward to instead of the default backends.
type VServerGroup struct {
	ID             string           `json:"id"`
	Region         string           `json:"region"`
	Name           string           `json:"name"`
	LoadBalancerID string           `json:"loadBalancerId"`
	Created        time.Time        `json:"created"`
	Backends       []VServerBackend `json:"backends,omitempty"`
	// ConfiguringUntil ends the window a member change opens, as the
	// load balancer's default backends have; never due.
	ConfiguringUntil time.Time `json:"configuringUntil,omitzero"`
}

// Kind implements Resource.
func (VServerGroup) Kind() string { return KindVServerGroup }

// Key implements Resource.
func (g VServerGroup) Key() string { return g.ID }

// RegionID implements Resource.
func (g VServerGroup) RegionID() string { return g.Region }

// Indexes implements Resource: the load balancer (DescribeVServerGroups)
// and one "backend" per server, so that release finds the groups.
func (g VServerGroup) Indexes() []Index {
	out := []Index{{IdxLoadBalancer, g.LoadBalancerID}}
	for _, b := range g.Backends {
		out = append(out, Index{IdxBackend, b.ServerID})
	}
	return out
}

// NextDue implements Resource: nothing about a group falls due.
func (VServerGroup) NextDue() time.Time { return time.Time{} }

// Configuring tells whether the group is inside its configuring window.
func (g VServerGroup) Configuring(now time.Time) bool { return now.Before(g.ConfiguringUntil) }

// checkGroupWrite refuses a member change while the previous one is
// pending (VServerGroupProcessing).
func checkGroupWrite(g VServerGroup, now time.Time) error {
	if g.Configuring(now) {
		return apierr.VServerGroupProcessing.New().WithDetail("VServer group %s configuring until %s", g.ID, g.ConfiguringUntil.Format(time.RFC3339Nano))
	}
	return nil
}

func sameMember(a, b VServerBackend) bool { return a.ServerID == b.ServerID && a.Port == b.Port }

// AddGroupBackends is AddVServerGroupBackendServers: a server:port already
// present takes the new weight and description; the window opens.
func AddGroupBackends(g VServerGroup, add []VServerBackend, now time.Time, window Duration) (VServerGroup, error) {
	if err := checkGroupWrite(g, now); err != nil {
		return g, err
	}
	g.Backends = slices.Clone(g.Backends)
	for _, b := range add {
		if i := slices.IndexFunc(g.Backends, func(x VServerBackend) bool { return sameMember(x, b) }); i >= 0 {
			g.Backends[i] = b
		} else {
			g.Backends = append(g.Backends, b)
		}
	}
	g.ConfiguringUntil = now.Add(window.D())
	return g, nil
}

// RemoveGroupBackends is RemoveVServerGroupBackendServers: server:port
// pairs that are not members are ignored; the window opens.
func RemoveGroupBackends(g VServerGroup, drop []VServerBackend, now time.Time, window Duration) (VServerGroup, error) {
	if err := checkGroupWrite(g, now); err != nil {
		return g, err
	}
	g.Backends = slices.DeleteFunc(slices.Clone(g.Backends), func(x VServerBackend) bool {
		return slices.ContainsFunc(drop, func(d VServerBackend) bool { return sameMember(x, d) })
	})
	g.ConfiguringUntil = now.Add(window.D())
	return g, nil
}

// SetGroupBackends is SetVServerGroupAttribute's BackendServers: members
// take the given weight and description; others are ignored [choice].
func SetGroupBackends(g VServerGroup, set []VServerBackend, now time.Time, window Duration) (VServerGroup, error) {
	if err := checkGroupWrite(g, now); err != nil {
		return g, err
	}
	g.Backends = slices.Clone(g.Backends)
	for _, b := range set {
		if i := slices.IndexFunc(g.Backends, func(x VServerBackend) bool { return sameMember(x, b) }); i >= 0 {
			g.Backends[i].Weight = b.Weight
			if b.Description != "" {
				g.Backends[i].Description = b.Description
			}
		}
	}
	g.ConfiguringUntil = now.Add(window.D())
	return g, nil
}

// ReleaseGroupBackends is what the release of an instance does to a group:
// the instance and the ENIs the release removed (gone) leave it.
func ReleaseGroupBackends(g VServerGroup, instanceID string, gone func(string) bool) (VServerGroup, bool) {
	n := len(g.Backends)
	g.Backends = slices.DeleteFunc(slices.Clone(g.Backends), func(b VServerBackend) bool {
		return b.ServerID == instanceID || (b.Type == BackendENI && gone(b.ServerID))
	})
	return g, len(g.Backends) != n
}

// vServerGroupKind declares the kind to the registry (registry.go). Its
// hold and effect come after the load balancer's: a release refused by
// the default backends' window is refused with the load balancer's id.
var vServerGroupKind = Kind{
	Name:   KindVServerGroup,
	Prefix: "rsp",
	Indexes: []IndexDecl{
		{IdxLoadBalancer, "DescribeVServerGroups LoadBalancerId; DeleteLoadBalancer removes its groups"},
		{IdxBackend, "the VServer groups a release acts on"},
	},
	Decode: decoder[VServerGroup](),
	Hold: &HoldDecl{
		By: IdxBackend,
		Holder: func(found []Resource, _ Instance, now time.Time) string {
			for _, g := range each[VServerGroup](found) {
				if g.Configuring(now) {
					return g.ID
				}
			}
			return ""
		},
		Refuse: func(id string, inst Instance) *apierr.Error {
			return apierr.DependencySLBConfiguring.New().WithDetail("release refused (VServer group configuring): VServer group %s is configuring with instance %s as backend", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxBackend,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, g := range each[VServerGroup](found) {
				if next, changed := ReleaseGroupBackends(g, rel.Instance.ID, rel.removedENI); changed {
					put = append(put, next)
				}
			}
			return put, nil
		},
	},
}
