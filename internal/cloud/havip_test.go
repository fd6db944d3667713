package cloud

import (
	"slices"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

func TestAssociateHaVip(t *testing.T) {
	base := HaVip{ID: "havip-1", VSwitchID: "vsw-1", Status: HaVipAvailable}
	full := base
	for i := range MaxHaVipAssociations {
		full.Associated = append(full.Associated, "i-"+string(rune('a'+i)))
	}
	full.AssociatedType, full.Status = HaVipOnInstance, HaVipInUse
	one := base
	one.Associated, one.AssociatedType, one.Status = []string{"i-1"}, HaVipOnInstance, HaVipInUse
	for _, tc := range []struct {
		name   string
		h      HaVip
		target HaVipTarget
		err    apierr.Entry
	}{
		{"first", base, HaVipTarget{ID: "i-1", Type: HaVipOnInstance, VSwitchID: "vsw-1", Usable: true}, apierr.Entry{}},
		{"second", one, HaVipTarget{ID: "i-2", Type: HaVipOnInstance, VSwitchID: "vsw-1", Usable: true}, apierr.Entry{}},
		{"other vSwitch", base, HaVipTarget{ID: "i-1", Type: HaVipOnInstance, VSwitchID: "vsw-2", Usable: true}, apierr.HaVipVSwitchMismatch},
		{"not usable", base, HaVipTarget{ID: "i-1", Type: HaVipOnInstance, VSwitchID: "vsw-1"}, apierr.IncorrectInstanceStatus},
		{"twice", one, HaVipTarget{ID: "i-1", Type: HaVipOnInstance, VSwitchID: "vsw-1", Usable: true}, apierr.HaVipAlreadyAssociated},
		{"mixed types", one, HaVipTarget{ID: "eni-1", Type: HaVipOnENI, VSwitchID: "vsw-1", Usable: true}, apierr.HaVipTypeMismatch},
		{"quota", full, HaVipTarget{ID: "i-z", Type: HaVipOnInstance, VSwitchID: "vsw-1", Usable: true}, apierr.HaVipQuota},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, err := AssociateHaVip(tc.h, tc.target)
			if tc.err.Code != "" {
				if e, ok := err.(*apierr.Error); !ok || e.Code != tc.err.Code || e.Message != tc.err.Message {
					t.Fatalf("err %v, want %s", err, tc.err.Code)
				}
				return
			}
			if err != nil || next.Status != HaVipInUse || next.Associated[len(next.Associated)-1] != tc.target.ID || next.Master() != next.Associated[0] {
				t.Fatalf("%+v (%v)", next, err)
			}
		})
	}
}

func TestUnassociateAndDeleteHaVip(t *testing.T) {
	h := HaVip{ID: "havip-1", Status: HaVipInUse, AssociatedType: HaVipOnInstance, Associated: []string{"i-1", "i-2"}}
	if _, err := UnassociateHaVip(h, "i-1", false); err == nil || err.(*apierr.Error).Code != apierr.HaVipMaster.Code {
		t.Errorf("master without force: %v", err)
	}
	if _, err := UnassociateHaVip(h, "i-3", true); err == nil || err.(*apierr.Error).Code != apierr.HaVipNotAssociated.Code {
		t.Errorf("not associated: %v", err)
	}
	next, err := UnassociateHaVip(h, "i-1", true)
	if err != nil || next.Master() != "i-2" || next.Status != HaVipInUse {
		t.Fatalf("force: %+v %v", next, err)
	}
	if !slices.Equal(h.Associated, []string{"i-1", "i-2"}) {
		t.Errorf("the rule changed its input: %v", h.Associated)
	}
	last, err := UnassociateHaVip(next, "i-2", false) // the last one needs no force
	if err != nil || last.Status != HaVipAvailable || last.AssociatedType != "" || last.Master() != "" {
		t.Fatalf("last: %+v %v", last, err)
	}
	if err := CheckDeleteHaVip(next, 0); err == nil || err.(*apierr.Error).Code != apierr.IncorrectHaVipStatus.Code {
		t.Errorf("delete InUse: %v", err)
	}
	if err := CheckDeleteHaVip(last, 1); err == nil || err.(*apierr.Error).Code != apierr.HaVipRouteDependency.Code {
		t.Errorf("delete routed: %v", err)
	}
	if err := CheckDeleteHaVip(last, 0); err != nil {
		t.Errorf("delete: %v", err)
	}
}

func TestNetworkACLRules(t *testing.T) {
	ok := NetworkACLEntry{Policy: "accept", Protocol: "tcp", Cidr: "10.0.0.0/8", Port: "80/443", Type: "custom"}
	for _, tc := range []struct {
		name  string
		edit  func(*NetworkACLEntry)
		param string
	}{
		{"valid", func(*NetworkACLEntry) {}, ""},
		{"policy", func(e *NetworkACLEntry) { e.Policy = "allow" }, "e.Policy"},
		{"protocol", func(e *NetworkACLEntry) { e.Protocol = "sctp" }, "e.Protocol"},
		{"cidr", func(e *NetworkACLEntry) { e.Cidr = "10.0.0.1/8" }, "e.SourceCidrIp"},
		{"tcp port", func(e *NetworkACLEntry) { e.Port = "-1/-1" }, "e.Port"},
		{"reversed", func(e *NetworkACLEntry) { e.Port = "443/80" }, "e.Port"},
		{"icmp port", func(e *NetworkACLEntry) { e.Protocol, e.Port = "icmp", "1/2" }, "e.Port"},
		{"icmp", func(e *NetworkACLEntry) { e.Protocol, e.Port = "icmp", "-1/-1" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := ok
			tc.edit(&e)
			err := CheckNetworkACLEntry(e, "e.", "SourceCidrIp")
			if tc.param == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Code != "InvalidParameter" || err.Message != apierr.InvalidParameter.New(tc.param).Message {
				t.Fatalf("%v, want InvalidParameter naming %s", err, tc.param)
			}
		})
	}
	in, _ := SystemACLEntries("nae-s", "nae-t")
	custom := []NetworkACLEntry{ok, ok}
	got, err := ReplaceACLEntries(in, custom)
	if err != nil || len(got) != 3 || got[2].Type != "system" || len(CustomACLEntries(got)) != 2 {
		t.Fatalf("replace: %v %v", got, err)
	}
	if _, err := ReplaceACLEntries(in, make([]NetworkACLEntry, MaxNetworkACLEntries+1)); err == nil {
		t.Error("more than the quota accepted")
	}
	a := NetworkACL{Status: NetworkACLAvailable, Resources: []NetworkACLResource{{ID: "a", Status: ACLBinding}, {ID: "b", Status: ACLUnbinding}, {ID: "c", Status: ACLBound}}}
	if CheckModifyACL(a.Modifying(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))) == nil {
		t.Error("a Modifying ACL accepted a change")
	}
	settled := settleACL(a.Modifying(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))).(NetworkACL)
	if settled.Status != NetworkACLAvailable || len(settled.Resources) != 2 || settled.Resources[0].Status != ACLBound || settled.Resources[1].ID != "c" {
		t.Errorf("settled: %+v", settled)
	}
}

func TestCheckDhcpOptions(t *testing.T) {
	for _, tc := range []struct {
		o     DhcpOptions
		param string
	}{
		{DhcpOptions{DomainName: "corp.example", DomainNameServers: "1.1.1.1,8.8.8.8", LeaseTime: "24h", Ipv6LeaseTime: "49d"}, ""},
		{DhcpOptions{LeaseTime: DefaultDhcpLeaseTime}, ""},
		{DhcpOptions{DomainNameServers: "1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5"}, "DomainNameServers"},
		{DhcpOptions{DomainNameServers: "dns.example"}, "DomainNameServers"},
		{DhcpOptions{DomainName: "a b"}, "DomainName"},
		{DhcpOptions{LeaseTime: "23h"}, "LeaseTime"},
		{DhcpOptions{Ipv6LeaseTime: "50d"}, "Ipv6LeaseTime"},
		{DhcpOptions{LeaseTime: "h"}, "LeaseTime"},
	} {
		err := CheckDhcpOptions(tc.o)
		if tc.param == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.o, err)
			}
			continue
		}
		if e, ok := err.(*apierr.Error); !ok || e.Message != apierr.InvalidParameter.New(tc.param).Message {
			t.Errorf("%+v: %v, want InvalidParameter naming %s", tc.o, err, tc.param)
		}
	}
}
