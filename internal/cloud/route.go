package cloud

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindRouteEntry is the stored kind of custom route entries.
const KindRouteEntry = "routeentry"

// Route entry types and statuses (spec/semantics.md §1).
const (
	RouteSystem    = "System"
	RouteCustom    = "Custom"
	RoutePending   = "Pending"
	RouteAvailable = "Available"
	RouteModifying = "Modifying"
	RouteDeleting  = "Deleting"
)

// Next-hop types the release rules read; NextHopLocal is what system
// entries show.
const (
	NextHopInstance = "Instance"
	NextHopENI      = "NetworkInterface"
	NextHopLocal    = "local"
)

// NextHopTypes are the values CreateRouteEntry accepts for NextHopType
// (the VPC reference's list); only Instance and NetworkInterface next hops
// are resources the emulator models, the others are taken on trust.
var NextHopTypes = []string{
	NextHopInstance, "HaVip", "RouterInterface", NextHopENI, "VpnGateway", "IPv6Gateway",
	"NatGateway", "Attachment", "VpcPeer", "Ipv4Gateway", "GatewayEndpoint", "Ecr",
}

// RouteEntryQuota is how many custom entries one route table may hold.
const RouteEntryQuota = 200

// cloudServiceBlock is 100.64.0.0/10: a system route; custom entries may
// neither use nor fall inside it (CreateRouteEntry reference).
var cloudServiceBlock = netip.MustParsePrefix("100.64.0.0/10")

// NextHop is one next hop of a route entry.
type NextHop struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
}

// RouteEntry is a custom route entry of a VPC route table. System entries
// are not stored: SystemRoutes derives them from the vSwitches.
type RouteEntry struct {
	ID                   string    `json:"id"`
	Region               string    `json:"region"`
	TableID              string    `json:"tableId"`
	VpcID                string    `json:"vpcId"`
	DestinationCidrBlock string    `json:"destinationCidrBlock"`
	Type                 string    `json:"type"`
	Name                 string    `json:"name,omitempty"`
	Description          string    `json:"description,omitempty"`
	Status               string    `json:"status"`
	NextHops             []NextHop `json:"nextHops"`
	Created              time.Time `json:"created"`
	Modified             time.Time `json:"modified,omitzero"`
	// DueAt ends the Pending (→ Available) or Deleting (→ gone) state.
	DueAt time.Time `json:"dueAt,omitzero"`
}

// Kind implements Resource.
func (RouteEntry) Kind() string { return KindRouteEntry }

// Key implements Resource.
func (e RouteEntry) Key() string { return e.ID }

// RegionID implements Resource.
func (e RouteEntry) RegionID() string { return e.Region }

// Indexes implements Resource: one per DescribeRouteEntryList filter, and
// the next-hop ones the release rules (§3.3 5e, §3.6) look up.
func (e RouteEntry) Indexes() []Index {
	out := []Index{
		{"table", e.TableID}, {"vpc", e.VpcID}, {"type", e.Type}, {"cidr", e.DestinationCidrBlock},
		{"status", e.Status}, {"name", e.Name},
	}
	for _, h := range e.NextHops {
		out = append(out, Index{"nextHopType", h.Type}, Index{"nextHopId", h.ID})
	}
	return out
}

// NextDue implements Resource.
func (e RouteEntry) NextDue() time.Time { return e.DueAt }

// HasNextHop tells whether the entry forwards to id.
func (e RouteEntry) HasNextHop(typ, id string) bool {
	for _, h := range e.NextHops {
		if h.Type == typ && h.ID == id {
			return true
		}
	}
	return false
}

// AdvanceRoute applies the entry's transition due by now: Pending becomes
// Available, Deleting disappears (gone).
func AdvanceRoute(e RouteEntry, now time.Time) (next RouteEntry, gone bool) {
	if e.DueAt.IsZero() || e.DueAt.After(now) {
		return e, false
	}
	switch e.Status {
	case RouteDeleting:
		return e, true
	case RoutePending, RouteModifying:
		e.Status, e.Modified = RouteAvailable, e.DueAt
	}
	e.DueAt = time.Time{}
	return e, false
}

// NewRoute is what CreateRouteEntry asks for, after binding.
type NewRoute struct {
	ID, Name, Description string
	Destination           netip.Prefix
	NextHop               NextHop
}

// CreateRoute applies CreateRouteEntry's table rules (§5.2) and makes the
// Pending entry: siblings are the table's stored entries, vswitches the
// blocks of the VPC's vSwitches. Checks run in this order: destination,
// table busy, duplicate, quota.
func CreateRoute(t RouteTable, siblings []RouteEntry, vswitches []netip.Prefix, r NewRoute, now time.Time, d Delays) (RouteEntry, error) {
	dest := r.Destination
	if Contains(cloudServiceBlock, dest) || dest == cloudServiceBlock {
		return RouteEntry{}, apierr.RouteCidrInvalid.New().WithDetail("%s is the cloud service block", dest)
	}
	for _, v := range vswitches {
		if Contains(v, dest) {
			return RouteEntry{}, apierr.RouteCidrInvalid.New().WithDetail("%s lies inside vSwitch block %s", dest, v)
		}
	}
	custom := 0
	for _, s := range siblings {
		if s.Status == RoutePending || s.Status == RouteModifying {
			return RouteEntry{}, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s of %s is %s", s.ID, t.ID, s.Status)
		}
		if s.Type == RouteCustom {
			custom++
		}
	}
	for _, s := range siblings {
		if s.DestinationCidrBlock != dest.String() {
			continue
		}
		if s.HasNextHop(r.NextHop.Type, r.NextHop.ID) {
			return RouteEntry{}, apierr.RouteEntryConflict.New(dest.String()).WithDetail("route entry %s", s.ID)
		}
		return RouteEntry{}, apierr.RouteCidrDuplicate.New().WithDetail("route entry %s has %s", s.ID, dest)
	}
	if custom >= RouteEntryQuota {
		return RouteEntry{}, apierr.RouteEntryQuotaExceeded.New().WithDetail("%s holds %d custom entries", t.ID, custom)
	}
	return RouteEntry{
		ID: r.ID, Region: t.Region, TableID: t.ID, VpcID: t.VpcID, DestinationCidrBlock: dest.String(),
		Type: RouteCustom, Name: r.Name, Description: r.Description, Status: RoutePending,
		NextHops: []NextHop{r.NextHop}, Created: now, DueAt: now.Add(d.RouteEntry.D()),
	}, nil
}

// CheckNextHopInstance judges an instance named as next hop: it must be in
// the table's VPC and Running or Stopped, not being released (§5.2).
func CheckNextHopInstance(i Instance, vpcID string) error {
	if i.VpcID != vpcID {
		return apierr.NextHopVpcMismatch.New().WithDetail("instance %s is in %q, the table in %s", i.ID, i.VpcID, vpcID)
	}
	if i.Releasing || i.Status != StatusRunning && i.Status != StatusStopped {
		return apierr.IncorrectInstanceStatus.New().WithDetail("next-hop instance %s is %s (releasing %t)", i.ID, i.Status, i.Releasing)
	}
	return nil
}

// DeleteRoute applies DeleteRouteEntry (§5.2): system entries are refused,
// and so is any entry while it or a sibling is in a transitional state.
func DeleteRoute(e RouteEntry, siblings []RouteEntry, now time.Time, d Delays) (RouteEntry, error) {
	if e.Type == RouteSystem {
		return e, apierr.RouteEntrySystem.New().WithDetail("route entry %s is a system entry", e.ID)
	}
	if e.Status != RouteAvailable {
		return e, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s is %s", e.ID, e.Status)
	}
	for _, s := range siblings {
		if s.ID != e.ID && (s.Status == RoutePending || s.Status == RouteModifying) {
			return e, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s of the table is %s", s.ID, s.Status)
		}
	}
	e.Status, e.Modified, e.DueAt = RouteDeleting, now, now.Add(d.RouteEntry.D())
	return e, nil
}

// SystemRoutes are the system entries of a vRouter table, the system one
// or a custom one vSwitches use: one per vSwitch block of the VPC plus the
// cloud service block, as a real VPC lists them (a Gateway table has none).
// They are derived, never stored, so they cannot drift from the vSwitches;
// their ids are stable hashes of table and block.
func SystemRoutes(t RouteTable, vswitches []VSwitch) []RouteEntry {
	if t.Type != RouteSystem && (t.Type != RouteTableCustom || t.AssociateType == "Gateway") {
		return nil
	}
	sys := func(cidr string, created time.Time) RouteEntry {
		return RouteEntry{
			ID: systemRouteID(t.ID, cidr), Region: t.Region, TableID: t.ID, VpcID: t.VpcID, DestinationCidrBlock: cidr,
			Type: RouteSystem, Status: RouteAvailable, NextHops: []NextHop{{Type: NextHopLocal}}, Created: created,
		}
	}
	out := make([]RouteEntry, 0, len(vswitches)+1)
	for _, v := range vswitches {
		out = append(out, sys(v.CidrBlock, v.Created))
	}
	return append(out, sys(cloudServiceBlock.String(), t.Created))
}

func systemRouteID(table, cidr string) string {
	sum := sha256.Sum256([]byte(table + "|" + cidr))
	s := strconv.FormatUint(binary.BigEndian.Uint64(sum[:8]), 36) + strconv.FormatUint(binary.BigEndian.Uint64(sum[8:16]), 36)
	for len(s) < 20 {
		s += "0"
	}
	return "rte-" + s[:20]
}

// StaleRoutes are the entries a removal at §3.6 deletes: those whose next
// hop is a released ENI (gone reports whether an ENI no longer exists), and
// any still naming the removed instance. Release refuses while such an
// entry exists (§3.3 5e), but automatic releases (§3.5) do not ask, so
// the entry would otherwise dangle [choice].
func StaleRoutes(entries []RouteEntry, instanceID string, gone func(eniID string) bool) []string {
	var out []string
	for _, e := range entries {
		for _, h := range e.NextHops {
			if h.Type == NextHopInstance && h.ID == instanceID || h.Type == NextHopENI && gone(h.ID) {
				out = append(out, e.ID)
				break
			}
		}
	}
	return out
}

// routeEntryKind declares the kind to the registry (registry.go).
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
			return apierr.DependencyRouteEntry.New().WithDetail("release refused (route next hop): route entry %s has instance %s as next hop", id, inst.ID)
		},
	},
	Release: &ReleaseDecl{
		By:   IdxNextHopID,
		Keys: instanceAndRemoved(KindENI),
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			entries := each[RouteEntry](found)
			return nil, withIDs(entries, StaleRoutes(entries, rel.Instance.ID, rel.removedENI))
		},
	},
}
