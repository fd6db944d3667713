package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindLoadBalancer is the stored kind of SLB instances.
const KindLoadBalancer = "slb"

// SLB values (spec/semantics.md §5.8).
const (
	SLBActive       = "active"
	SLBInternet     = "internet"
	SLBIntranet     = "intranet"
	BackendECS      = "ecs"
	BackendENI      = "eni"
	MaxBackendsCall = 20 // servers one AddBackendServers call may name
	DefaultWeight   = 100
)

// BackendServer is one default-group backend of a load balancer.
type BackendServer struct {
	ServerID    string `json:"serverId"`
	Weight      int    `json:"weight"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
	// ServerIP is the address the caller gave; DescribeLoadBalancerAttribute
	// echoes it and shows none for an ECS backend added without one.
	ServerIP string `json:"serverIp,omitempty"`
}

// LoadBalancer is a Classic Load Balancer (SLB) instance.
type LoadBalancer struct {
	ID                 string          `json:"id"`
	Region             string          `json:"region"`
	Name               string          `json:"name"`
	Status             string          `json:"status"`
	AddressType        string          `json:"addressType"`
	Address            string          `json:"address"`
	AddressIPVersion   string          `json:"addressIpVersion"`
	NetworkType        string          `json:"networkType"` // vpc | classic
	VpcID              string          `json:"vpcId,omitempty"`
	VSwitchID          string          `json:"vSwitchId,omitempty"`
	MasterZone         string          `json:"masterZone,omitempty"`
	SlaveZone          string          `json:"slaveZone,omitempty"`
	Spec               string          `json:"spec,omitempty"`
	PayType            string          `json:"payType"`
	InternetChargeType string          `json:"internetChargeType"`
	Bandwidth          int             `json:"bandwidth"`
	ResourceGroup      string          `json:"resourceGroup,omitempty"`
	Created            time.Time       `json:"created"`
	Tags               []Tag           `json:"tags,omitempty"`
	Backends           []BackendServer `json:"backends,omitempty"`
	Listeners          []Listener      `json:"listeners,omitempty"`
	DeleteProtection   bool            `json:"deleteProtection,omitempty"`
	// ModificationProtection is "ConsoleProtection" or empty (NonProtection):
	// it guards the console only, never the API.
	ModificationProtection string `json:"modificationProtection,omitempty"`
	ModificationReason     string `json:"modificationReason,omitempty"`
	// ConfiguringUntil ends the window a backend change opens (§5.8); it
	// is a comparison with now, not a transition, so it is never due.
	ConfiguringUntil time.Time `json:"configuringUntil,omitzero"`
}

// Kind implements Resource.
func (LoadBalancer) Kind() string { return KindLoadBalancer }

// Key implements Resource.
func (l LoadBalancer) Key() string { return l.ID }

// RegionID implements Resource.
func (l LoadBalancer) RegionID() string { return l.Region }

// Indexes implements Resource: the DescribeLoadBalancers filters, and one
// "backend" per server so that release finds the SLBs naming an instance.
func (l LoadBalancer) Indexes() []Index {
	out := []Index{
		{"vpc", l.VpcID}, {"vswitch", l.VSwitchID}, {"addressType", l.AddressType}, {"networkType", l.NetworkType},
		{"name", l.Name}, {"status", l.Status}, {"address", l.Address}, {"resourceGroup", l.ResourceGroup},
		{"payType", l.PayType}, {"masterZone", l.MasterZone},
	}
	for _, b := range l.Backends {
		out = append(out, Index{"backend", b.ServerID}, Index{"backendType", b.Type})
	}
	for _, x := range l.Listeners {
		if id := x.Str("AclId"); id != "" {
			out = append(out, Index{IdxACL, id})
		}
		for _, c := range []string{"ServerCertificateId", "CACertificateId"} {
			if id := x.Str(c); id != "" {
				out = append(out, Index{IdxCertificate, id})
			}
		}
	}
	return append(out, tagIndexes(l.Tags)...)
}

// NextDue implements Resource: nothing about an SLB falls due.
func (LoadBalancer) NextDue() time.Time { return time.Time{} }

// Configuring tells whether the SLB is inside its configuring window.
func (l LoadBalancer) Configuring(now time.Time) bool { return now.Before(l.ConfiguringUntil) }

// HasBackend tells whether serverID is a backend.
func (l LoadBalancer) HasBackend(serverID string) bool {
	for _, b := range l.Backends {
		if b.ServerID == serverID {
			return true
		}
	}
	return false
}

// CheckSLBWrite refuses any write while a previous configuration is
// pending (BackendServer.configuring).
func CheckSLBWrite(l LoadBalancer, now time.Time) error {
	if l.Configuring(now) {
		return apierr.BackendServerConfiguring.New().WithDetail("load balancer %s configuring until %s", l.ID, l.ConfiguringUntil.Format(time.RFC3339Nano))
	}
	return nil
}

// LoadBalancerSpecs are the performance-guaranteed specifications
// CreateLoadBalancer and ModifyLoadBalancerInstanceSpec accept.
var LoadBalancerSpecs = []string{"slb.s1.small", "slb.s2.small", "slb.s2.medium", "slb.s3.small", "slb.s3.medium",
	"slb.s3.large", "slb.s3.xlarge", "slb.s3.xxlarge"}

// CheckSLBDelete refuses DeleteLoadBalancer while deletion protection is on.
func CheckSLBDelete(l LoadBalancer) error {
	if l.DeleteProtection {
		return apierr.SLBDeleteProtection.New().WithDetail("load balancer %s", l.ID)
	}
	return nil
}

// FirstWins drops repeated servers of one call, keeping the first (the
// AddBackendServers reference: repeated instances are ignored).
func FirstWins(servers []BackendServer) []BackendServer {
	seen := map[string]bool{}
	out := make([]BackendServer, 0, len(servers))
	for _, s := range servers {
		if !seen[s.ServerID] {
			seen[s.ServerID] = true
			out = append(out, s)
		}
	}
	return out
}

// CheckBackendInstance judges an ECS instance AddBackendServers names: only
// Running instances may be added (§5.8). The code is undocumented: plain
// InvalidParameter [choice; SLB's common error table also lists
// ObtainIpFail for servers that "do not exist or are not running"].
func CheckBackendInstance(i Instance, vpcID string) error {
	if i.Releasing || i.Status != StatusRunning {
		return apierr.BackendNotRunning.New().WithDetail("instance %s is %s (releasing %t)", i.ID, i.Status, i.Releasing)
	}
	if vpcID != "" && i.VpcID != vpcID {
		return apierr.BackendNetworkMismatch.New().WithDetail("instance %s is in %q, the load balancer in %s", i.ID, i.VpcID, vpcID)
	}
	return nil
}

// AddBackends is AddBackendServers on checked servers: new servers are
// appended, a server already present takes the new weight and description
// [choice: newer references refuse re-adding without naming a code], and
// the configuring window opens.
func AddBackends(l LoadBalancer, servers []BackendServer, now time.Time, window Duration) (LoadBalancer, error) {
	if err := CheckSLBWrite(l, now); err != nil {
		return l, err
	}
	l.Backends = append([]BackendServer(nil), l.Backends...)
	for _, s := range FirstWins(servers) {
		if i := backendIndex(l.Backends, s.ServerID); i >= 0 {
			l.Backends[i] = s
		} else {
			l.Backends = append(l.Backends, s)
		}
	}
	l.ConfiguringUntil = now.Add(window.D())
	return l, nil
}

// RemoveBackends is RemoveBackendServers: non-members are ignored [doc];
// the configuring window opens too [choice].
func RemoveBackends(l LoadBalancer, serverIDs []string, now time.Time, window Duration) (LoadBalancer, error) {
	if err := CheckSLBWrite(l, now); err != nil {
		return l, err
	}
	l.Backends = withoutBackends(l.Backends, serverIDs...)
	l.ConfiguringUntil = now.Add(window.D())
	return l, nil
}

// SetBackends is SetBackendServers: members take the given weight (and
// description when given); servers that are not members are ignored
// [choice]; the configuring window opens.
func SetBackends(l LoadBalancer, servers []BackendServer, now time.Time, window Duration) (LoadBalancer, error) {
	if err := CheckSLBWrite(l, now); err != nil {
		return l, err
	}
	l.Backends = append([]BackendServer(nil), l.Backends...)
	for _, s := range FirstWins(servers) {
		if i := backendIndex(l.Backends, s.ServerID); i >= 0 {
			l.Backends[i].Weight = s.Weight
			if s.Description != "" {
				l.Backends[i].Description = s.Description
			}
		}
	}
	l.ConfiguringUntil = now.Add(window.D())
	return l, nil
}

// DropBackend is the release side effect of §3.6: the removed instance (or
// a released ENI) leaves the backend list, without opening the window
// [choice; the docs only imply that the SLB stops using it].
func DropBackend(l LoadBalancer, serverIDs ...string) LoadBalancer {
	l.Backends = withoutBackends(l.Backends, serverIDs...)
	return l
}

func backendIndex(list []BackendServer, id string) int {
	for i, b := range list {
		if b.ServerID == id {
			return i
		}
	}
	return -1
}

func withoutBackends(list []BackendServer, ids ...string) []BackendServer {
	drop := make(map[string]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	out := make([]BackendServer, 0, len(list))
	for _, b := range list {
		if !drop[b.ServerID] {
			out = append(out, b)
		}
	}
	return out
}

// loadBalancerKind declares the kind to the registry (registry.go).
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
		{IdxACL, "the listeners using an ACL (DeleteAccessControlList, RelatedListeners)"},
		{IdxCertificate, "the listeners using a certificate (DeleteServerCertificate)"},
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
			return apierr.DependencySLBConfiguring.New().WithDetail("release refused (load balancer configuring): load balancer %s is configuring with instance %s as backend", id, inst.ID)
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

// Tagged.

func (l LoadBalancer) TagList() []Tag            { return l.Tags }
func (l LoadBalancer) WithTags(t []Tag) Resource { l.Tags = t; return l }
