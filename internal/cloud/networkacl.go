package cloud

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindNetworkACL is the stored kind of VPC network ACLs.
const KindNetworkACL = "networkacl"

// Network ACL statuses, and the statuses of a vSwitch's association.
const (
	NetworkACLAvailable = "Available"
	NetworkACLModifying = "Modifying"
	ACLBound            = "BINDED"
	ACLBinding          = "BINDING"
	ACLUnbinding        = "UNBINDING"
)

// MaxNetworkACLEntries is how many custom entries one direction holds
// (the cloud's default quota).
const MaxNetworkACLEntries = 20

// NetworkACLEntry is one inbound or outbound rule; Cidr is the source of
// an inbound rule and the destination of an outbound one.
type NetworkACLEntry struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Policy      string `json:"policy"`   // accept | drop
	Protocol    string `json:"protocol"` // icmp | gre | tcp | udp | all
	Cidr        string `json:"cidr"`
	Port        string `json:"port"`
	Type        string `json:"type"` // custom | system
}

// NetworkACLResource is a vSwitch associated with an ACL.
type NetworkACLResource struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// NetworkACL is a VPC network ACL: ordered inbound and outbound rules for
// the vSwitches associated with it.
type NetworkACL struct {
	ID          string               `json:"id"`
	Region      string               `json:"region"`
	VpcID       string               `json:"vpcId"`
	Name        string               `json:"name,omitempty"`
	Description string               `json:"description,omitempty"`
	Status      string               `json:"status"`
	Created     time.Time            `json:"created"`
	ReadyAt     time.Time            `json:"readyAt,omitzero"`
	Ingress     []NetworkACLEntry    `json:"ingress,omitempty"`
	Egress      []NetworkACLEntry    `json:"egress,omitempty"`
	Resources   []NetworkACLResource `json:"resources,omitempty"`
	Tags        []Tag                `json:"tags,omitempty"`
}

// Kind implements Resource.
func (NetworkACL) Kind() string { return KindNetworkACL }

// Key implements Resource.
func (a NetworkACL) Key() string { return a.ID }

// RegionID implements Resource.
func (a NetworkACL) RegionID() string { return a.Region }

// Indexes implements Resource.
func (a NetworkACL) Indexes() []Index {
	out := []Index{{IdxVPC, a.VpcID}, {IdxName, a.Name}, {IdxStatus, a.Status}}
	for _, r := range a.Resources {
		out = append(out, Index{IdxVSwitch, r.ID})
	}
	return append(out, tagIndexes(a.Tags)...)
}

// NextDue implements Resource.
func (a NetworkACL) NextDue() time.Time { return a.ReadyAt }

// TagList implements Tagged.
func (a NetworkACL) TagList() []Tag { return a.Tags }

// WithTags implements Tagged.
func (a NetworkACL) WithTags(t []Tag) Resource { a.Tags = t; return a }

// SystemACLEntries are the entries a new ACL starts with: one system entry
// per direction accepting everything, so that associating an ACL changes
// nothing until custom entries are added [choice].
func SystemACLEntries(ingressID, egressID string) (ingress, egress []NetworkACLEntry) {
	all := NetworkACLEntry{Policy: "accept", Protocol: "all", Cidr: "0.0.0.0/0", Port: "-1/-1", Type: "system"}
	in, out := all, all
	in.ID, out.ID = ingressID, egressID
	return []NetworkACLEntry{in}, []NetworkACLEntry{out}
}

// CheckNetworkACLEntry validates one custom entry of UpdateNetworkAclEntries;
// param names the entry's wire prefix and cidrParam its address parameter,
// for the error.
func CheckNetworkACLEntry(e NetworkACLEntry, param, cidrParam string) *apierr.Error {
	switch {
	case e.Policy != "accept" && e.Policy != "drop":
		return apierr.InvalidParameter.New(param + "Policy")
	case !slices.Contains([]string{"icmp", "gre", "tcp", "udp", "all"}, e.Protocol):
		return apierr.InvalidParameter.New(param + "Protocol")
	case !validACLCidr(e.Cidr):
		return apierr.InvalidParameter.New(param + cidrParam)
	case !validACLPort(e.Protocol, e.Port):
		return apierr.InvalidParameter.New(param + "Port")
	case len(e.Name) > 128 || strings.HasPrefix(e.Name, "http://") || strings.HasPrefix(e.Name, "https://"):
		return apierr.InvalidParameter.New(param + "NetworkAclEntryName")
	}
	return nil
}

func validACLCidr(s string) bool {
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is4() && p.Masked() == p
}

// validACLPort: -1/-1 for all, icmp and gre; a range a/b within 1..65535
// for tcp and udp.
func validACLPort(protocol, port string) bool {
	if protocol != "tcp" && protocol != "udp" {
		return port == "-1/-1"
	}
	lo, hi, ok := strings.Cut(port, "/")
	a, errA := strconv.Atoi(lo)
	b, errB := strconv.Atoi(hi)
	return ok && errA == nil && errB == nil && a >= 1 && b <= 65535 && a <= b
}

// ReplaceACLEntries is one direction of UpdateNetworkAclEntries: the
// custom entries become exactly custom (in priority order), the system
// ones stay last.
func ReplaceACLEntries(have, custom []NetworkACLEntry) ([]NetworkACLEntry, error) {
	if len(custom) > MaxNetworkACLEntries {
		return nil, apierr.NetworkACLEntryQuota.New()
	}
	out := slices.Clone(custom)
	for _, e := range have {
		if e.Type == "system" {
			out = append(out, e)
		}
	}
	return out, nil
}

// CustomACLEntries are the custom entries of one direction.
func CustomACLEntries(entries []NetworkACLEntry) []NetworkACLEntry {
	return slices.DeleteFunc(slices.Clone(entries), func(e NetworkACLEntry) bool { return e.Type == "system" })
}

// CheckModifyACL refuses a change to an ACL still applying the last one.
func CheckModifyACL(a NetworkACL) error {
	if a.Status != NetworkACLAvailable {
		return apierr.IncorrectNetworkACLStatus.New().WithDetail("%s is %s", a.ID, a.Status)
	}
	return nil
}

// Modifying marks the ACL as applying a change until ready.
func (a NetworkACL) Modifying(ready time.Time) NetworkACL {
	a.Status, a.ReadyAt = NetworkACLModifying, ready
	return a
}

// settleACL ends a change: the ACL is Available, bindings are bound,
// unbindings gone.
func settleACL(a NetworkACL) Resource {
	a.Status, a.ReadyAt = NetworkACLAvailable, time.Time{}
	var res []NetworkACLResource
	for _, r := range a.Resources {
		switch r.Status {
		case ACLUnbinding:
			continue
		case ACLBinding:
			r.Status = ACLBound
		}
		res = append(res, r)
	}
	a.Resources = res
	return a
}

// networkACLKind declares the kind to the registry (registry.go). An ACL
// names vSwitches, never instances: releasing an instance leaves it as it is.
var networkACLKind = Kind{
	Name:   KindNetworkACL,
	Prefix: "nacl",
	Indexes: append([]IndexDecl{
		{IdxVPC, "DescribeNetworkAcls VpcId"},
		{IdxName, "DescribeNetworkAcls NetworkAclName"},
		{IdxStatus, "the ACLs still Modifying (console)"},
		{IdxVSwitch, "DescribeNetworkAcls ResourceId"},
	}, tagIndexDecls("DescribeNetworkAcls")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"vpc": "NETWORKACL"}},
	Decode:  decoder[NetworkACL](),
	Advance: readyAt(settleACL),
}
