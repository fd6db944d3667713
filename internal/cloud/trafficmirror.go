package cloud

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The stored kinds of traffic mirroring: filters (with their rules),
// sessions, and the service switch.
const (
	KindMirrorFilter  = "mirrorfilter"
	KindMirrorSession = "mirrorsession"
	KindMirrorService = "mirrorservice"
)

// IdxRule finds the filter holding a rule (kept apart from registry.go's
// list, whose alignment it would change).
const IdxRule IndexName = "rule"

// MaxMirrorRules is how many rules a filter takes in each direction.
const MaxMirrorRules = 10

// MirrorRule is one rule of a traffic mirror filter.
type MirrorRule struct {
	ID              string `json:"id"`
	Direction       string `json:"direction"` // ingress | egress
	Action          string `json:"action"`    // accept | drop
	Protocol        string `json:"protocol"`  // ALL | ICMP | TCP | UDP
	Priority        int    `json:"priority"`
	SourceCIDR      string `json:"sourceCidr"`
	DestinationCIDR string `json:"destinationCidr"`
	SourcePorts     string `json:"sourcePorts"`
	DestPorts       string `json:"destPorts"`
}

// MirrorFilter is a traffic mirror filter: which traffic a session copies.
type MirrorFilter struct {
	ID            string       `json:"id"`
	Region        string       `json:"region"`
	Name          string       `json:"name,omitempty"`
	Description   string       `json:"description,omitempty"`
	Rules         []MirrorRule `json:"rules,omitempty"`
	Status        string       `json:"status"`
	Created       time.Time    `json:"created"`
	ResourceGroup string       `json:"resourceGroup,omitempty"`
	Tags          []Tag        `json:"tags,omitempty"`
}

// Kind implements Resource.
func (MirrorFilter) Kind() string { return KindMirrorFilter }

// Key implements Resource.
func (f MirrorFilter) Key() string { return f.ID }

// RegionID implements Resource.
func (f MirrorFilter) RegionID() string { return f.Region }

// Indexes implements Resource: one "rule" value per rule.
func (f MirrorFilter) Indexes() []Index {
	out := []Index{{"name", f.Name}, {"resourceGroup", f.ResourceGroup}}
	for _, r := range f.Rules {
		out = append(out, Index{IdxRule, r.ID})
	}
	return append(out, tagIndexes(f.Tags)...)
}

// NextDue implements Resource.
func (MirrorFilter) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (f MirrorFilter) TagList() []Tag { return f.Tags }

// WithTags implements Tagged.
func (f MirrorFilter) WithTags(t []Tag) Resource { f.Tags = t; return f }

// mirrorPorts checks a port range "a/b" (1..65535, a <= b); ALL and ICMP
// take "-1/-1".
func mirrorPorts(protocol, s string) bool {
	if protocol == "ALL" || protocol == "ICMP" {
		return s == "-1/-1"
	}
	lo, hi, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	return ok && err1 == nil && err2 == nil && a >= 1 && b <= 65535 && a <= b
}

// NormalizeMirrorRule fills a rule's defaults (ports "-1/-1" for ALL and
// ICMP) and judges it, naming the bad field.
func NormalizeMirrorRule(r MirrorRule) (MirrorRule, error) {
	if r.Action != "accept" && r.Action != "drop" {
		return r, apierr.InvalidParameter.New("Action")
	}
	if !slices.Contains([]string{"ALL", "ICMP", "TCP", "UDP"}, r.Protocol) {
		return r, apierr.InvalidParameter.New("Protocol")
	}
	if r.Priority < 1 || r.Priority > MaxMirrorRules {
		return r, apierr.InvalidParameter.New("Priority")
	}
	for name, c := range map[string]*string{"SourceCidrBlock": &r.SourceCIDR, "DestinationCidrBlock": &r.DestinationCIDR} {
		if *c == "" {
			*c = "0.0.0.0/0"
		}
		if p, err := netip.ParsePrefix(*c); err != nil || p.Masked() != p {
			return r, apierr.InvalidParameter.New(name)
		}
	}
	for name, ports := range map[string]*string{"SourcePortRange": &r.SourcePorts, "DestinationPortRange": &r.DestPorts} {
		if *ports == "" && (r.Protocol == "ALL" || r.Protocol == "ICMP") {
			*ports = "-1/-1"
		}
		if !mirrorPorts(r.Protocol, *ports) {
			return r, apierr.InvalidParameter.New(name)
		}
	}
	return r, nil
}

// AddMirrorRules adds rules to a filter: at most ten per direction, each
// priority once per direction.
func AddMirrorRules(f MirrorFilter, rules []MirrorRule) (MirrorFilter, error) {
	all := append(slices.Clone(f.Rules), rules...)
	for _, dir := range []string{"ingress", "egress"} {
		seen := map[int]bool{}
		n := 0
		for _, r := range all {
			if r.Direction != dir {
				continue
			}
			n++
			if seen[r.Priority] {
				return f, apierr.MirrorRulePriorityConflict.New().WithDetail("two %s rules of priority %d", dir, r.Priority)
			}
			seen[r.Priority] = true
		}
		if n > MaxMirrorRules {
			return f, apierr.MirrorRuleQuota.New().WithDetail("%d %s rules", n, dir)
		}
	}
	f.Rules = all
	return f, nil
}

// MirrorSession copies the traffic of source ENIs, as its filter selects,
// to a target ENI or SLB instance.
type MirrorSession struct {
	ID               string    `json:"id"`
	Region           string    `json:"region"`
	Name             string    `json:"name,omitempty"`
	Description      string    `json:"description,omitempty"`
	FilterID         string    `json:"filterId"`
	Sources          []string  `json:"sources"`
	TargetID         string    `json:"targetId"`
	TargetType       string    `json:"targetType"` // NetworkInterface | SLB
	Priority         int       `json:"priority"`
	PacketLength     int       `json:"packetLength"`
	VirtualNetworkID int       `json:"virtualNetworkId"`
	Enabled          bool      `json:"enabled,omitempty"`
	Status           string    `json:"status"`
	Created          time.Time `json:"created"`
	ResourceGroup    string    `json:"resourceGroup,omitempty"`
	Tags             []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (MirrorSession) Kind() string { return KindMirrorSession }

// Key implements Resource.
func (s MirrorSession) Key() string { return s.ID }

// RegionID implements Resource.
func (s MirrorSession) RegionID() string { return s.Region }

// Indexes implements Resource: "eni" holds the sources and an ENI target,
// so a release finds the sessions of its ENIs.
func (s MirrorSession) Indexes() []Index {
	out := []Index{{"name", s.Name}, {"resourceGroup", s.ResourceGroup}, {"table", s.FilterID}, {"backend", s.TargetID}}
	for _, src := range s.Sources {
		out = append(out, Index{IdxENI, src})
	}
	if s.TargetType == "NetworkInterface" {
		out = append(out, Index{IdxENI, s.TargetID})
	}
	return append(out, tagIndexes(s.Tags)...)
}

// NextDue implements Resource.
func (MirrorSession) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (s MirrorSession) TagList() []Tag { return s.Tags }

// WithTags implements Tagged.
func (s MirrorSession) WithTags(t []Tag) Resource { s.Tags = t; return s }

// ReleaseMirrorSession is what removing the ENIs gone does to a session:
// a session whose target is gone goes too; sources gone leave it.
func ReleaseMirrorSession(s MirrorSession, gone func(eni string) bool) (next MirrorSession, changed, removed bool) {
	if s.TargetType == "NetworkInterface" && gone(s.TargetID) {
		return s, false, true
	}
	var keep []string
	for _, src := range s.Sources {
		if !gone(src) {
			keep = append(keep, src)
		}
	}
	if len(keep) == len(s.Sources) {
		return s, false, false
	}
	s.Sources = keep
	return s, true, false
}

// MirrorService is the traffic mirror switch of an account in a region.
type MirrorService struct {
	ID     string    `json:"id"`
	Region string    `json:"region"`
	Opened time.Time `json:"opened"`
}

// MirrorServiceID is the id of a region's switch.
func MirrorServiceID(region string) string { return "mirrorservice-" + region }

// Kind implements Resource.
func (MirrorService) Kind() string { return KindMirrorService }

// Key implements Resource.
func (s MirrorService) Key() string { return s.ID }

// RegionID implements Resource.
func (s MirrorService) RegionID() string { return s.Region }

// Indexes implements Resource: a stored switch is an opened one.
func (MirrorService) Indexes() []Index { return []Index{{"status", "Opened"}} }

// NextDue implements Resource.
func (MirrorService) NextDue() time.Time { return time.Time{} }

// mirrorFilterKind declares the kind to the registry (registry.go).
var mirrorFilterKind = Kind{
	Name:   KindMirrorFilter,
	Prefix: "tmf",
	Indexes: append([]IndexDecl{
		{IdxName, "ListTrafficMirrorFilters TrafficMirrorFilterName"},
		{IdxResourceGroup, "ListTrafficMirrorFilters ResourceGroupId"},
		{IdxRule, "the filter of a TrafficMirrorFilterRuleId"},
	}, tagIndexDecls("ListTrafficMirrorFilters")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "TRAFFICMIRRORFILTER"}},
	Decode: decoder[MirrorFilter](),
}

// mirrorSessionKind declares the kind to the registry (registry.go). A
// release removes its ENIs from sessions' sources, and sessions whose
// target ENI it removes (docs/network.md).
var mirrorSessionKind = Kind{
	Name:   KindMirrorSession,
	Prefix: "tms",
	Indexes: append([]IndexDecl{
		{IdxName, "ListTrafficMirrorSessions TrafficMirrorSessionName"},
		{IdxResourceGroup, "ListTrafficMirrorSessions ResourceGroupId"},
		{IdxTable, "ListTrafficMirrorSessions TrafficMirrorFilterId; DeleteTrafficMirrorFilter's dependency check"},
		{IdxBackend, "ListTrafficMirrorSessions TrafficMirrorTargetId"},
		{IdxENI, "ListTrafficMirrorSessions TrafficMirrorSourceId; the sessions a release acts on"},
	}, tagIndexDecls("ListTrafficMirrorSessions")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "TRAFFICMIRRORSESSION"}},
	Decode: decoder[MirrorSession](),
	Release: &ReleaseDecl{
		By:   IdxENI,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindENI) },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, s := range each[MirrorSession](found) {
				next, changed, removed := ReleaseMirrorSession(s, rel.removedENI)
				switch {
				case removed:
					del = append(del, s)
				case changed:
					put = append(put, next)
				}
			}
			return put, del
		},
	},
}

// mirrorServiceKind declares the kind to the registry (registry.go).
var mirrorServiceKind = Kind{
	Name:    KindMirrorService,
	Prefix:  "mirrorservice",
	Indexes: []IndexDecl{{IdxStatus, "the regions where the service is opened"}},
	Decode:  decoder[MirrorService](),
}
