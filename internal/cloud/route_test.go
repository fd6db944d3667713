package cloud

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"
	"time"
)

func routeTable() RouteTable {
	return RouteTable{ID: "vtb-1", Region: "cn-hangzhou", VpcID: "vpc-1", Type: RouteSystem, Created: t0}
}

func entry(id, cidr, status string, hop NextHop) RouteEntry {
	return RouteEntry{ID: id, TableID: "vtb-1", VpcID: "vpc-1", DestinationCidrBlock: cidr, Type: RouteCustom, Status: status, NextHops: []NextHop{hop}}
}

var (
	hopA = NextHop{Type: NextHopInstance, ID: "i-a"}
	hopB = NextHop{Type: NextHopInstance, ID: "i-b"}
)

// TestCreateRoute has one row per CreateRouteEntry table rule (§5.2).
func TestCreateRoute(t *testing.T) {
	vsw := []netip.Prefix{netip.MustParsePrefix("192.168.1.0/24")}
	full := make([]RouteEntry, RouteEntryQuota)
	for i := range full {
		dest := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 9, byte(i / 256), byte(i % 256)}), 32)
		full[i] = entry("rte-"+strconv.Itoa(i), dest.String(), RouteAvailable, hopA)
	}
	cases := []struct {
		name     string
		siblings []RouteEntry
		dest     string
		hop      NextHop
		want     string
	}{
		{"new entry", nil, "10.10.0.0/24", hopA, ""},
		{"contains a vSwitch block", nil, "192.168.0.0/16", hopA, ""},
		{"same as a vSwitch block", nil, "192.168.1.0/24", hopA, "InvalidCidrBlock"},
		{"inside a vSwitch block", nil, "192.168.1.0/25", hopA, "InvalidCidrBlock"},
		{"cloud service block", nil, "100.64.0.0/10", hopA, "InvalidCidrBlock"},
		{"inside the cloud service block", nil, "100.64.1.0/24", hopA, "InvalidCidrBlock"},
		{"sibling pending", []RouteEntry{entry("rte-1", "10.1.0.0/24", RoutePending, hopB)}, "10.10.0.0/24", hopA, "IncorrectRouteEntryStatus"},
		{"sibling modifying", []RouteEntry{entry("rte-1", "10.1.0.0/24", RouteModifying, hopB)}, "10.10.0.0/24", hopA, "IncorrectRouteEntryStatus"},
		{"sibling deleting is no block", []RouteEntry{entry("rte-1", "10.1.0.0/24", RouteDeleting, hopB)}, "10.10.0.0/24", hopA, ""},
		{"same destination and next hop", []RouteEntry{entry("rte-1", "10.10.0.0/24", RouteAvailable, hopA)}, "10.10.0.0/24", hopA, "RouterEntryConflict.Duplicated"},
		{"same destination, other next hop", []RouteEntry{entry("rte-1", "10.10.0.0/24", RouteAvailable, hopB)}, "10.10.0.0/24", hopA, "InvalidCIDRBlock.Duplicate"},
		{"quota", full, "10.10.0.0/24", hopA, "QuotaExceeded"},
		{"below quota", full[1:], "10.10.0.0/24", hopA, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRoute{ID: "rte-new", Destination: netip.MustParsePrefix(tc.dest), NextHop: tc.hop}
			e, err := CreateRoute(routeTable(), tc.siblings, vsw, r, t0, Delays{RouteEntry: Duration(time.Second)})
			if got := codeOf(err); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if err != nil {
				return
			}
			if e.Status != RoutePending || e.Type != RouteCustom || e.TableID != "vtb-1" || e.VpcID != "vpc-1" ||
				!e.DueAt.Equal(t0.Add(time.Second)) || !e.HasNextHop(tc.hop.Type, tc.hop.ID) || e.DestinationCidrBlock != tc.dest {
				t.Fatalf("entry: %+v", e)
			}
		})
	}
}

func TestAdvanceRoute(t *testing.T) {
	pending := entry("rte-1", "10.0.0.0/24", RoutePending, hopA)
	pending.DueAt = t0.Add(time.Second)
	deleting := pending
	deleting.Status = RouteDeleting
	cases := []struct {
		name       string
		e          RouteEntry
		now        time.Time
		wantStatus string
		wantGone   bool
	}{
		{"pending before due", pending, t0, RoutePending, false},
		{"pending at due", pending, t0.Add(time.Second), RouteAvailable, false},
		{"deleting before due", deleting, t0, RouteDeleting, false},
		{"deleting at due", deleting, t0.Add(2 * time.Second), "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, gone := AdvanceRoute(tc.e, tc.now)
			if gone != tc.wantGone || !gone && next.Status != tc.wantStatus {
				t.Fatalf("got %s gone=%t, want %s gone=%t", next.Status, gone, tc.wantStatus, tc.wantGone)
			}
			if !gone && next.Status == RouteAvailable && !next.NextDue().IsZero() {
				t.Fatalf("available entry still due at %s", next.NextDue())
			}
		})
	}
}

func TestDeleteRoute(t *testing.T) {
	avail := entry("rte-1", "10.0.0.0/24", RouteAvailable, hopA)
	system := SystemRoutes(routeTable(), nil)[0]
	cases := []struct {
		name     string
		e        RouteEntry
		siblings []RouteEntry
		want     string
	}{
		{"available", avail, []RouteEntry{avail}, ""},
		{"system entry", system, nil, "OperationDenied"},
		{"pending entry", entry("rte-1", "10.0.0.0/24", RoutePending, hopA), nil, "IncorrectRouteEntryStatus"},
		{"already deleting", entry("rte-1", "10.0.0.0/24", RouteDeleting, hopA), nil, "IncorrectRouteEntryStatus"},
		{"sibling pending", avail, []RouteEntry{avail, entry("rte-2", "10.1.0.0/24", RoutePending, hopB)}, "IncorrectRouteEntryStatus"},
		{"sibling deleting", avail, []RouteEntry{avail, entry("rte-2", "10.1.0.0/24", RouteDeleting, hopB)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, err := DeleteRoute(tc.e, tc.siblings, t0, Delays{RouteEntry: Duration(time.Second)})
			if got := codeOf(err); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if err == nil && (next.Status != RouteDeleting || !next.DueAt.Equal(t0.Add(time.Second))) {
				t.Fatalf("entry: %+v", next)
			}
		})
	}
}

func TestCheckNextHopInstance(t *testing.T) {
	mod := func(f func(*Instance)) Instance { i := running(); i.VpcID = "vpc-1"; f(&i); return i }
	cases := []struct {
		name string
		inst Instance
		want string
	}{
		{"running", mod(func(*Instance) {}), ""},
		{"stopped", mod(func(i *Instance) { i.Status = StatusStopped }), ""},
		{"pending", mod(func(i *Instance) { i.Status = StatusPending }), "IncorrectInstanceStatus"},
		{"starting", mod(func(i *Instance) { i.Status = StatusStarting }), "IncorrectInstanceStatus"},
		{"stopping", mod(func(i *Instance) { i.Status = StatusStopping }), "IncorrectInstanceStatus"},
		{"releasing", mod(func(i *Instance) { i.Status, i.Releasing = StatusStopped, true }), "IncorrectInstanceStatus"},
		{"other VPC", mod(func(i *Instance) { i.VpcID = "vpc-2" }), "OperationFailed.InstanceDismatchCurrentVpc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeOf(CheckNextHopInstance(tc.inst, "vpc-1")); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSystemRoutes(t *testing.T) {
	vsws := []VSwitch{{ID: "vsw-1", CidrBlock: "192.168.1.0/24"}, {ID: "vsw-2", CidrBlock: "192.168.2.0/24"}}
	got := SystemRoutes(routeTable(), vsws)
	var cidrs []string
	for _, e := range got {
		cidrs = append(cidrs, e.DestinationCidrBlock)
		if e.Type != RouteSystem || e.Status != RouteAvailable || e.NextHops[0].Type != NextHopLocal || len(e.ID) != 24 {
			t.Errorf("system entry: %+v", e)
		}
	}
	if want := []string{"192.168.1.0/24", "192.168.2.0/24", "100.64.0.0/10"}; !slices.Equal(cidrs, want) {
		t.Fatalf("system entries %v, want %v", cidrs, want)
	}
	if again := SystemRoutes(routeTable(), vsws); again[0].ID != got[0].ID || got[0].ID == got[1].ID {
		t.Fatalf("ids not stable and distinct: %s %s %s", got[0].ID, again[0].ID, got[1].ID)
	}
	custom := routeTable()
	custom.ID, custom.Type = "vtb-custom", RouteTableCustom
	if n := len(SystemRoutes(custom, vsws)); n != 3 {
		t.Fatalf("custom table has %d system entries, want 3", n)
	}
	custom.AssociateType = "Gateway"
	if n := len(SystemRoutes(custom, vsws)); n != 0 {
		t.Fatalf("gateway table has %d system entries", n)
	}
}

// TestStaleRoutes is the route row of §3.6: entries to a released ENI go,
// entries to a kept ENI stay, entries to the removed instance go.
func TestStaleRoutes(t *testing.T) {
	entries := []RouteEntry{
		entry("rte-inst", "10.1.0.0/24", RouteAvailable, hopA),
		entry("rte-other", "10.2.0.0/24", RouteAvailable, hopB),
		entry("rte-gone-eni", "10.3.0.0/24", RouteAvailable, NextHop{Type: NextHopENI, ID: "eni-gone"}),
		entry("rte-kept-eni", "10.4.0.0/24", RouteAvailable, NextHop{Type: NextHopENI, ID: "eni-kept"}),
		entry("rte-havip", "10.5.0.0/24", RouteAvailable, NextHop{Type: "HaVip", ID: "havip-1"}),
	}
	gone := func(id string) bool { return id == "eni-gone" }
	cases := []struct {
		name     string
		instance string
		want     []string
	}{
		{"instance removed", "i-a", []string{"rte-inst", "rte-gone-eni"}},
		{"unrelated instance", "i-z", []string{"rte-gone-eni"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := StaleRoutes(entries, tc.instance, gone); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestEIPRules covers AssociateEipAddress, UnassociateEipAddress and
// ReleaseEipAddress, and the EIP row of §3.6 (DetachEIP).
func TestEIPRules(t *testing.T) {
	avail := EIP{ID: "eip-1", Region: "cn-hangzhou", IPAddress: "47.98.1.1", Bandwidth: 5, Status: EIPAvailable}
	inUse, err := AssociateEIP(avail, EIPOnInstance, "i-a")
	if err != nil || inUse.Status != EIPInUse || inUse.InstanceID != "i-a" || inUse.InstanceType != EIPOnInstance {
		t.Fatalf("associate: %+v, %v", inUse, err)
	}
	vpcInst := func(f func(*Instance)) Instance { i := running(); i.VpcID = "vpc-1"; f(&i); return i }
	t.Run("instance checks", func(t *testing.T) {
		cases := []struct {
			name string
			inst Instance
			want string
		}{
			{"running", vpcInst(func(*Instance) {}), ""},
			{"stopped", vpcInst(func(i *Instance) { i.Status = StatusStopped }), ""},
			{"other region", vpcInst(func(i *Instance) { i.Region = "cn-shanghai" }), "InvalidParameter.Mismatch"},
			{"not in a VPC", vpcInst(func(i *Instance) { i.VpcID = "" }), "OperationDenied"},
			{"starting", vpcInst(func(i *Instance) { i.Status = StatusStarting }), "IncorrectInstanceStatus"},
			{"releasing", vpcInst(func(i *Instance) { i.Releasing = true }), "IncorrectInstanceStatus"},
			{"has an EIP", vpcInst(func(i *Instance) { i.EIP = inUse.Ref() }), "InvalidAssociation.Duplicated"},
			{"has a public IP", vpcInst(func(i *Instance) { i.PublicIP = "47.96.0.1" }), "EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if got := codeOf(CheckEIPInstance(tc.inst, "cn-hangzhou")); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
	})
	t.Run("status rules", func(t *testing.T) {
		cases := []struct {
			name string
			err  error
			want string
		}{
			{"associate in use", second(AssociateEIP(inUse, EIPOnInstance, "i-b")), "IncorrectEipStatus"},
			{"unassociate available", second(UnassociateEIP(avail, "i-a")), "IncorrectEipStatus"},
			{"unassociate other instance", second(UnassociateEIP(inUse, "i-b")), "InvalidParameter"},
			{"unassociate", second(UnassociateEIP(inUse, "i-a")), ""},
			{"release in use", CheckReleaseEIP(inUse), "IncorrectEipStatus"},
			{"release available", CheckReleaseEIP(avail), ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if got := codeOf(tc.err); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
	})
	t.Run("release detaches", func(t *testing.T) {
		if d := DetachEIP(inUse); d.Status != EIPAvailable || d.InstanceID != "" || d.InstanceType != "" || d.IPAddress != avail.IPAddress {
			t.Fatalf("detached: %+v", d)
		}
	})
}

func second[T any](_ T, err error) error { return err }
