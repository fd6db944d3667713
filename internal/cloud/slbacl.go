package cloud

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindACL is the stored kind of SLB access control lists.
const KindACL = "acl"

// MaxACLEntries is how many entries one ACL holds (the reference's quota).
const MaxACLEntries = 300

// ACLEntry is one CIDR block of an ACL.
type ACLEntry struct {
	CIDR    string `json:"cidr"`
	Comment string `json:"comment,omitempty"`
}

// ACL is an access control list listeners whitelist or blacklist.
type ACL struct {
	ID               string     `json:"id"`
	Region           string     `json:"region"`
	Name             string     `json:"name"`
	AddressIPVersion string     `json:"addressIpVersion"`
	ResourceGroup    string     `json:"resourceGroup,omitempty"`
	Created          time.Time  `json:"created"`
	Entries          []ACLEntry `json:"entries,omitempty"`
}

// Kind implements Resource.
func (ACL) Kind() string { return KindACL }

// Key implements Resource.
func (a ACL) Key() string { return a.ID }

// RegionID implements Resource.
func (a ACL) RegionID() string { return a.Region }

// Indexes implements Resource: the DescribeAccessControlLists filters.
func (a ACL) Indexes() []Index {
	return []Index{{IdxName, a.Name}, {IdxIPVersion, a.AddressIPVersion}, {IdxResourceGroup, a.ResourceGroup}}
}

// NextDue implements Resource: nothing about an ACL falls due.
func (ACL) NextDue() time.Time { return time.Time{} }

// CheckACLEntry judges one entry's CIDR block for an ACL of ipVersion; a
// bare address is taken as a /32 (/128) [choice].
func CheckACLEntry(ipVersion, cidr string) (string, bool) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		a, aerr := netip.ParseAddr(cidr)
		if aerr != nil {
			return "", false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is4() != (ipVersion != "ipv6") {
		return "", false
	}
	return p.Masked().String(), true
}

// AddACLEntries is AddAccessControlListEntry: an entry already present, or
// the quota passed, refuses the whole call.
func AddACLEntries(a ACL, add []ACLEntry) (ACL, error) {
	for i, e := range add {
		dup := slices.ContainsFunc(a.Entries, func(x ACLEntry) bool { return x.CIDR == e.CIDR }) ||
			slices.ContainsFunc(add[:i], func(x ACLEntry) bool { return x.CIDR == e.CIDR })
		if dup {
			return a, apierr.ACLEntryExists.New().WithDetail("entry %s", e.CIDR)
		}
	}
	if len(a.Entries)+len(add) > MaxACLEntries {
		return a, apierr.ACLEntryQuota.New()
	}
	a.Entries = append(slices.Clone(a.Entries), add...)
	return a, nil
}

// RemoveACLEntries is RemoveAccessControlListEntry: entries that are not
// in the list are ignored [choice].
func RemoveACLEntries(a ACL, drop []ACLEntry) ACL {
	a.Entries = slices.DeleteFunc(slices.Clone(a.Entries), func(x ACLEntry) bool {
		return slices.ContainsFunc(drop, func(d ACLEntry) bool { return d.CIDR == x.CIDR })
	})
	return a
}

// aclKind declares the kind to the registry (registry.go).
var aclKind = Kind{
	Name:   KindACL,
	Prefix: "acl",
	Indexes: []IndexDecl{
		{IdxName, "DescribeAccessControlLists AclName; CreateAccessControlList's unique name"},
		{IdxIPVersion, "DescribeAccessControlLists AddressIPVersion"},
		{IdxResourceGroup, "DescribeAccessControlLists ResourceGroupId"},
	},
	Decode: decoder[ACL](),
}
