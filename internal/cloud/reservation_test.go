package cloud

import (
	"net/netip"
	"testing"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

func TestAllocateIP_SkipsReservations(t *testing.T) {
	w := VSwitch{CidrBlock: "10.0.0.0/24", Reserved: []string{"10.0.0.0/28", "10.0.0.32/28"}}
	var got []string
	for range 20 {
		var ip string
		var ok bool
		if w, ip, ok = w.AllocateIP(); !ok {
			t.Fatal("no address")
		}
		got = append(got, ip)
	}
	for _, ip := range got {
		a := netip.MustParseAddr(ip)
		if netip.MustParsePrefix("10.0.0.0/28").Contains(a) || netip.MustParsePrefix("10.0.0.32/28").Contains(a) {
			t.Fatalf("%s handed out from a reservation (%v)", ip, got)
		}
	}
	if got[0] != "10.0.0.16" || got[16] != "10.0.0.48" {
		t.Errorf("order %v", got)
	}
	full := VSwitch{CidrBlock: "10.0.0.0/28", Reserved: []string{"10.0.0.0/28"}}
	if _, _, ok := full.AllocateIP(); ok {
		t.Error("an address of a wholly reserved vSwitch was handed out")
	}
}

func TestReserveBlock(t *testing.T) {
	w := VSwitch{CidrBlock: "10.0.0.0/24", Reserved: []string{"10.0.0.0/28"}}
	inUse := []netip.Addr{netip.MustParseAddr("10.0.0.17")}
	for _, tc := range []struct {
		name  string
		block string
		bits  int
		want  string
		err   apierr.Entry
	}{
		{name: "by mask skips reserved and used blocks", bits: 28, want: "10.0.0.32/28"},
		{name: "given block", block: "10.0.0.64/26", want: "10.0.0.64/26"},
		{name: "outside", block: "10.0.1.0/28", err: apierr.InvalidReservationCidr},
		{name: "mask too long", block: "10.0.0.64/29", err: apierr.InvalidReservationMask},
		{name: "whole vSwitch", block: "10.0.0.0/24", err: apierr.InvalidReservationMask},
		{name: "overlaps a reservation", block: "10.0.0.0/27", err: apierr.ReservationOverlap},
		{name: "holds an address in use", block: "10.0.0.16/28", err: apierr.ReservationInUse},
		{name: "bad mask", bits: 30, err: apierr.InvalidReservationMask},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var block netip.Prefix
			if tc.block != "" {
				block = netip.MustParsePrefix(tc.block)
			}
			next, got, err := ReserveBlock(w, block, tc.bits, inUse)
			if tc.err.Code != "" {
				if e, ok := err.(*apierr.Error); !ok || e.Code != tc.err.Code {
					t.Fatalf("err %v, want %s", err, tc.err.Code)
				}
				return
			}
			if err != nil || got.String() != tc.want || len(next.Reserved) != 2 || next.Reserved[1] != tc.want {
				t.Fatalf("got %s %v (%v)", got, next.Reserved, err)
			}
		})
	}
}
