package cloud

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindDhcpOptionsSet is the stored kind of DHCP options sets.
const KindDhcpOptionsSet = "dhcpoptionsset"

// DHCP options set statuses, as GetDhcpOptionsSet shows them: InUse while
// a VPC is attached (derived, not stored).
const (
	DhcpAvailable = "Available"
	DhcpInUse     = "InUse"
)

// DefaultDhcpLeaseTime is the lease a set gets when the request names none.
const DefaultDhcpLeaseTime = "87600h"

// DhcpOptions are the options a set hands to the instances of its VPCs.
type DhcpOptions struct {
	DomainName        string `json:"domainName,omitempty"`
	DomainNameServers string `json:"domainNameServers,omitempty"`
	LeaseTime         string `json:"leaseTime,omitempty"`
	Ipv6LeaseTime     string `json:"ipv6LeaseTime,omitempty"`
}

// DhcpOptionsSet is a DHCP options set; the VPCs attached to it name it
// (VPC.DhcpOptionsSetID), so an attachment never drifts from its VPC.
type DhcpOptionsSet struct {
	ID            string      `json:"id"`
	Region        string      `json:"region"`
	Name          string      `json:"name,omitempty"`
	Description   string      `json:"description,omitempty"`
	Options       DhcpOptions `json:"options"`
	Created       time.Time   `json:"created"`
	ResourceGroup string      `json:"resourceGroup,omitempty"`
	Tags          []Tag       `json:"tags,omitempty"`
}

// Kind implements Resource.
func (DhcpOptionsSet) Kind() string { return KindDhcpOptionsSet }

// Key implements Resource.
func (d DhcpOptionsSet) Key() string { return d.ID }

// RegionID implements Resource.
func (d DhcpOptionsSet) RegionID() string { return d.Region }

// Indexes implements Resource.
func (d DhcpOptionsSet) Indexes() []Index {
	return append([]Index{
		{IdxName, d.Name}, {IdxDomainName, d.Options.DomainName}, {IdxResourceGroup, d.ResourceGroup},
	}, tagIndexes(d.Tags)...)
}

// NextDue implements Resource.
func (DhcpOptionsSet) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (d DhcpOptionsSet) TagList() []Tag { return d.Tags }

// WithTags implements Tagged.
func (d DhcpOptionsSet) WithTags(t []Tag) Resource { d.Tags = t; return d }

// CheckDhcpOptions validates the options of CreateDhcpOptionsSet and
// UpdateDhcpOptionsSetAttribute: up to four IPv4 name servers,
// comma-separated; a domain name of at most 128 characters; leases of 24h
// to 1176h or 1d to 49d, or the default 87600h.
func CheckDhcpOptions(o DhcpOptions) error {
	if o.DomainNameServers != "" {
		servers := strings.Split(o.DomainNameServers, ",")
		if len(servers) > 4 {
			return apierr.InvalidParameter.New("DomainNameServers")
		}
		for _, s := range servers {
			if a, err := netip.ParseAddr(strings.TrimSpace(s)); err != nil || !a.Is4() {
				return apierr.InvalidParameter.New("DomainNameServers")
			}
		}
	}
	if len(o.DomainName) > 128 || strings.ContainsAny(o.DomainName, " /") {
		return apierr.InvalidParameter.New("DomainName")
	}
	if o.LeaseTime != "" && !validLease(o.LeaseTime) {
		return apierr.InvalidParameter.New("LeaseTime")
	}
	if o.Ipv6LeaseTime != "" && !validLease(o.Ipv6LeaseTime) {
		return apierr.InvalidParameter.New("Ipv6LeaseTime")
	}
	return nil
}

func validLease(s string) bool {
	if s == DefaultDhcpLeaseTime {
		return true
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	switch {
	case err != nil:
		return false
	case strings.HasSuffix(s, "h"):
		return n >= 24 && n <= 1176
	case strings.HasSuffix(s, "d"):
		return n >= 1 && n <= 49
	}
	return false
}

// dhcpOptionsSetKind declares the kind to the registry (registry.go). A set
// names no instance; its VPCs name it.
var dhcpOptionsSetKind = Kind{
	Name:   KindDhcpOptionsSet,
	Prefix: "dopt",
	Indexes: append([]IndexDecl{
		{IdxName, "ListDhcpOptionsSets DhcpOptionsSetName"},
		{IdxDomainName, "ListDhcpOptionsSets DomainName"},
		{IdxResourceGroup, "ListDhcpOptionsSets ResourceGroupId"},
	}, tagIndexDecls("ListDhcpOptionsSets")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "DHCPOPTIONSSET"}},
	Decode: decoder[DhcpOptionsSet](),
}
