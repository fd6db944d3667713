package cloud

import (
	"testing"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// code is the API code of err, "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	return err.(*apierr.Error).Code
}

func TestCheckForwardParams(t *testing.T) {
	ok := ForwardEntry{ExternalIP: "1.2.3.4", ExternalPort: "80", InternalIP: "10.0.0.1", InternalPort: "8080", IPProtocol: "tcp"}
	for _, c := range []struct {
		name string
		mod  func(e *ForwardEntry)
		want string
	}{
		{"valid", func(e *ForwardEntry) {}, ""},
		{"range of equal width", func(e *ForwardEntry) { e.ExternalPort, e.InternalPort = "100/110", "200/210" }, ""},
		{"any", func(e *ForwardEntry) { e.IPProtocol, e.ExternalPort, e.InternalPort = "Any", "Any", "ANY" }, ""},
		{"any with a port", func(e *ForwardEntry) { e.IPProtocol = "Any" }, "InvalidExternalPort.Malformed"},
		{"upper case", func(e *ForwardEntry) { e.IPProtocol = "TCP" }, ""},
		{"external ip", func(e *ForwardEntry) { e.ExternalIP = "1.2.3" }, "InvalidExternalIp.Malformed"},
		{"internal ip v6", func(e *ForwardEntry) { e.InternalIP = "::1" }, "InvalidInternalIp.Malformed"},
		{"protocol", func(e *ForwardEntry) { e.IPProtocol = "icmp" }, "InvalidProtocal.ValueNotSupported"},
		{"port zero", func(e *ForwardEntry) { e.ExternalPort = "0" }, "InvalidExternalPort.Malformed"},
		{"port too high", func(e *ForwardEntry) { e.InternalPort = "65536" }, "InvalidInternalPort.Malformed"},
		{"reversed range", func(e *ForwardEntry) { e.ExternalPort = "90/80" }, "InvalidExternalPort.Malformed"},
		{"widths differ", func(e *ForwardEntry) { e.ExternalPort, e.InternalPort = "100/110", "200/205" }, "InvalidInternalPort.Malformed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := ok
			c.mod(&e)
			if got := code(CheckForwardParams(CanonForward(e))); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckForwardConflict(t *testing.T) {
	have := []ForwardEntry{{ID: "fwd-1", ExternalIP: "1.2.3.4", ExternalPort: "80", InternalIP: "10.0.0.1", InternalPort: "80", IPProtocol: "TCP"}}
	for _, c := range []struct {
		name string
		e    ForwardEntry
		want string
	}{
		{"same external", ForwardEntry{ExternalIP: "1.2.3.4", ExternalPort: "80", InternalIP: "10.0.0.2", InternalPort: "81", IPProtocol: "TCP"}, "Forbidden.ForwardEntryConflict"},
		{"same internal", ForwardEntry{ExternalIP: "1.2.3.4", ExternalPort: "81", InternalIP: "10.0.0.1", InternalPort: "80", IPProtocol: "TCP"}, "OperationUnsupported.ForwardEntry"},
		{"other protocol", ForwardEntry{ExternalIP: "1.2.3.4", ExternalPort: "80", InternalIP: "10.0.0.1", InternalPort: "80", IPProtocol: "UDP"}, ""},
		{"itself modified", ForwardEntry{ID: "fwd-1", ExternalIP: "1.2.3.4", ExternalPort: "80", InternalIP: "10.0.0.1", InternalPort: "80", IPProtocol: "TCP"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := code(CheckForwardConflict(c.e, have)); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckDeleteNat(t *testing.T) {
	n := NatGateway{ID: "ngw-1"}
	for _, c := range []struct {
		d     NatDependents
		force bool
		want  string
	}{
		{NatDependents{}, false, ""},
		{NatDependents{Snat: 1, Forward: 1, EIPs: 1}, false, "DependencyViolation.SnatEntry"},
		{NatDependents{Forward: 1, EIPs: 1}, false, "DependencyViolation.ForwardEntry"},
		{NatDependents{EIPs: 2}, false, "DependencyViolation.EIPS"},
		{NatDependents{Snat: 1, Forward: 1, EIPs: 1}, true, ""},
	} {
		if got := code(CheckDeleteNat(n, c.d, c.force)); got != c.want {
			t.Errorf("%+v force=%t: got %q, want %q", c.d, c.force, got, c.want)
		}
	}
}

func TestCheckAssociateRouteTable(t *testing.T) {
	custom := RouteTable{ID: "vtb-2", VpcID: "vpc-1", Type: RouteTableCustom, AssociateType: "VSwitch"}
	w := VSwitch{ID: "vsw-1", VpcID: "vpc-1"}
	for _, c := range []struct {
		name string
		t    RouteTable
		w    VSwitch
		want string
	}{
		{"custom", custom, w, ""},
		{"system", RouteTable{ID: "vtb-1", VpcID: "vpc-1", Type: RouteTableSystem}, w, "OperationDenied.SwitchToSystemRouteTable"},
		{"gateway table", RouteTable{ID: "vtb-3", VpcID: "vpc-1", Type: RouteTableCustom, AssociateType: "Gateway"}, w, "OperationDenied.AssociateGatewayRouteTable"},
		{"other vpc", custom, VSwitch{ID: "vsw-2", VpcID: "vpc-2"}, "Forbidden.NotInSameVpc"},
		{"already associated", custom, VSwitch{ID: "vsw-1", VpcID: "vpc-1", RouteTableID: "vtb-9"}, "Forbidden.VSwitchAlreadyAssociatedRouteTable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := code(CheckAssociateRouteTable(c.t, c.w)); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckDeleteRouteTable(t *testing.T) {
	custom := RouteTable{ID: "vtb-2", Type: RouteTableCustom}
	for _, c := range []struct {
		t                  RouteTable
		entries, vswitches int
		want               string
	}{
		{custom, 0, 0, ""},
		{RouteTable{ID: "vtb-1", Type: RouteTableSystem}, 0, 0, "IncorrectRouteTableType"},
		{custom, 1, 1, "IncorrectRouteTableStatus.RouteEntryExist"},
		{custom, 0, 1, "DependencyViolation.VSwitch"},
	} {
		if got := code(CheckDeleteRouteTable(c.t, c.entries, c.vswitches)); got != c.want {
			t.Errorf("%s %d %d: got %q, want %q", c.t.Type, c.entries, c.vswitches, got, c.want)
		}
	}
}

func TestModifyEIP(t *testing.T) {
	bw := func(n int) *int { return &n }
	traffic := EIP{ID: "eip-1", InternetChargeType: "PayByTraffic", Bandwidth: 5}
	byBandwidth := EIP{ID: "eip-2", InternetChargeType: "PayByBandwidth", Bandwidth: 5}
	for _, c := range []struct {
		e    EIP
		bw   *int
		want string
	}{
		{traffic, bw(200), ""},
		{traffic, bw(201), "InvalidParameter"},
		{byBandwidth, bw(500), ""},
		{byBandwidth, bw(0), "InvalidParameter"},
		{traffic, nil, ""},
	} {
		got, err := ModifyEIP(c.e, c.bw, nil, nil)
		if code(err) != c.want {
			t.Errorf("%s %v: got %q, want %q", c.e.InternetChargeType, c.bw, code(err), c.want)
		}
		if err == nil && c.bw != nil && got.Bandwidth != *c.bw {
			t.Errorf("bandwidth %d, want %d", got.Bandwidth, *c.bw)
		}
	}
}
