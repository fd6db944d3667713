package cloud

import (
	"slices"
	"testing"
	"time"
)

func eniInstance() Instance {
	return Instance{ID: "i-a", Region: "cn-hangzhou", Zone: "cn-hangzhou-h", VpcID: "vpc-a", Status: StatusRunning, ChargeType: PostPaid}
}

func eniType(trunk bool) InstanceType {
	return InstanceType{InstanceTypeID: "ecs.g7.large", EniQuantity: 3, EniTotalQuantity: 5, EniTrunkSupported: trunk}
}

func freeENI(id, typ string) ENI {
	return ENI{ID: id, Region: "cn-hangzhou", Zone: "cn-hangzhou-h", VpcID: "vpc-a", VSwitchID: "vsw-a", Type: typ, Status: ENIAvailable, PrivateIP: "192.168.1.9"}
}

func attached(id, typ, instance string, index int, trunk string) ENI {
	e := freeENI(id, typ)
	e.Status = ENIInUse
	e.Attachment = &ENIAttachment{InstanceID: instance, DeviceIndex: index, TrunkNetworkInterfaceID: trunk}
	return e
}

// TestAttachENI has one row per branch of AttachNetworkInterface (§5.7).
func TestAttachENI(t *testing.T) {
	mod := func(e ENI, f func(*ENI)) ENI { f(&e); return e }
	modI := func(i Instance, f func(*Instance)) Instance { f(&i); return i }
	primary := attached("eni-p", ENIPrimary, "i-a", 0, "")
	trunk := attached("eni-t", ENITrunk, "i-a", 1, "")
	cases := []struct {
		name       string
		eni        ENI
		a          ENIAttach
		want       string
		wantIndex  int
		wantTrunk  string
		wantStatus string
	}{
		{"available to running", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(false), Attached: []ENI{primary}}, "", 1, "", ENIAttaching},
		{"available to stopped", freeENI("eni-s", ENISecondary), ENIAttach{Instance: modI(eniInstance(), func(i *Instance) { i.Status = StatusStopped }), Type: eniType(false), Attached: []ENI{primary}}, "", 1, "", ENIAttaching},
		{"ENI in use", attached("eni-s", ENISecondary, "i-b", 1, ""), ENIAttach{Instance: eniInstance(), Type: eniType(false)}, "InvalidOperation.InvalidEniState", 0, "", ""},
		{"ENI deleting", mod(freeENI("eni-s", ENISecondary), func(e *ENI) { e.Status = ENIDeleting }), ENIAttach{Instance: eniInstance(), Type: eniType(false)}, "InvalidOperation.InvalidEniState", 0, "", ""},
		{"instance pending", freeENI("eni-s", ENISecondary), ENIAttach{Instance: modI(eniInstance(), func(i *Instance) { i.Status = StatusPending }), Type: eniType(false)}, "InvalidOperation.InvalidEcsState", 0, "", ""},
		{"instance stopping", freeENI("eni-s", ENISecondary), ENIAttach{Instance: modI(eniInstance(), func(i *Instance) { i.Status = StatusStopping }), Type: eniType(false)}, "InvalidOperation.InvalidEcsState", 0, "", ""},
		{"instance releasing", freeENI("eni-s", ENISecondary), ENIAttach{Instance: modI(eniInstance(), func(i *Instance) { i.Status = StatusStopped; i.Releasing = true }), Type: eniType(false)}, "InvalidOperation.InvalidEcsState", 0, "", ""},
		{"other VPC", mod(freeENI("eni-s", ENISecondary), func(e *ENI) { e.VpcID = "vpc-b" }), ENIAttach{Instance: eniInstance(), Type: eniType(false)}, "InvalidOperation.VpcMismatch", 0, "", ""},
		{"other zone", mod(freeENI("eni-s", ENISecondary), func(e *ENI) { e.Zone = "cn-hangzhou-i" }), ENIAttach{Instance: eniInstance(), Type: eniType(false)}, "InvalidOperation.AvailabilityZoneMismatch", 0, "", ""},
		{"EniQuantity reached", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(false), Attached: []ENI{primary, attached("eni-1", ENISecondary, "i-a", 1, ""), attached("eni-2", ENISecondary, "i-a", 2, "")}}, "EniPerInstanceLimitExceeded", 0, "", ""},
		{"members do not count toward EniQuantity", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary, trunk, attached("eni-m", ENISecondary, "i-a", 2, "eni-t")}}, "", 3, "", ENIAttaching},
		{"device index fills the gap", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(false), Attached: []ENI{primary, attached("eni-2", ENISecondary, "i-a", 2, "")}}, "", 1, "", ENIAttaching},
		{"trunk on a type without trunking", freeENI("eni-t2", ENITrunk), ENIAttach{Instance: eniInstance(), Type: eniType(false), Attached: []ENI{primary}}, "InvalidOperation.InvalidEniType", 0, "", ""},
		{"trunk on a trunking type", freeENI("eni-t2", ENITrunk), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary}}, "", 1, "", ENIAttaching},
		{"member through trunk", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary, trunk}, Trunk: &trunk}, "", 2, "eni-t", ENIAttaching},
		{"member through a non-trunk", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary}, Trunk: &primary}, "InvalidOperation.InvalidEniType", 0, "", ""},
		{"trunk as member", freeENI("eni-t2", ENITrunk), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary, trunk}, Trunk: &trunk}, "InvalidOperation.InvalidEniType", 0, "", ""},
		{"trunk of another instance", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary}, Trunk: ptrENI(attached("eni-t", ENITrunk, "i-b", 1, ""))}, "InvalidOperation.InvalidEniState", 0, "", ""},
		{"trunk still attaching", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary, trunk}, Trunk: ptrENI(mod(trunk, func(e *ENI) { e.Status = ENIAttaching }))}, "InvalidOperation.InvalidEniState", 0, "", ""},
		{"EniTotalQuantity reached", freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(true), Attached: []ENI{primary, trunk, attached("eni-m1", ENISecondary, "i-a", 2, "eni-t"), attached("eni-m2", ENISecondary, "i-a", 3, "eni-t"), attached("eni-m3", ENISecondary, "i-a", 4, "eni-t")}, Trunk: &trunk}, "EniPerInstanceLimitExceeded", 0, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AttachENI(tc.eni, tc.a, t0, Delays{ENI: Duration(time.Second)})
			if c := codeOf(err); c != tc.want {
				t.Fatalf("code %q, want %q", c, tc.want)
			}
			if tc.want != "" {
				if got.Status != tc.eni.Status || got.Next != nil {
					t.Fatalf("a refusal changed the ENI: %+v", got)
				}
				return
			}
			if got.Status != tc.wantStatus || got.InstanceID() != tc.a.Instance.ID || got.Attachment.DeviceIndex != tc.wantIndex || got.TrunkID() != tc.wantTrunk {
				t.Fatalf("got %s on %s index %d trunk %q, want %s index %d trunk %q", got.Status, got.InstanceID(), got.Attachment.DeviceIndex, got.TrunkID(), tc.wantStatus, tc.wantIndex, tc.wantTrunk)
			}
			if got.Next == nil || !got.Next.At.Equal(t0.Add(time.Second)) || got.Next.Status != ENIInUse {
				t.Fatalf("next step %+v, want InUse at t0+1s", got.Next)
			}
		})
	}
}

func ptrENI(e ENI) *ENI { return &e }

// TestDetachENI has one row per branch of DetachNetworkInterface (§5.7).
func TestDetachENI(t *testing.T) {
	stopped := eniInstance()
	stopped.Status = StatusStopped
	starting := eniInstance()
	starting.Status = StatusStarting
	trunk := attached("eni-t", ENITrunk, "i-a", 1, "")
	member := attached("eni-m", ENISecondary, "i-a", 2, "eni-t")
	detaching := attached("eni-s", ENISecondary, "i-a", 1, "")
	detaching.Status = ENIDetaching
	cases := []struct {
		name    string
		eni     ENI
		inst    Instance
		trunk   string
		members []ENI
		want    string
	}{
		{"secondary from running", attached("eni-s", ENISecondary, "i-a", 1, ""), eniInstance(), "", nil, ""},
		{"secondary from stopped", attached("eni-s", ENISecondary, "i-a", 1, ""), stopped, "", nil, ""},
		{"primary", attached("eni-p", ENIPrimary, "i-a", 0, ""), eniInstance(), "", nil, "InvalidOperation.DetachPrimaryEniNotAllowed"},
		{"primary of another instance", attached("eni-p", ENIPrimary, "i-b", 0, ""), eniInstance(), "", nil, "InvalidOperation.DetachPrimaryEniNotAllowed"},
		{"not attached", freeENI("eni-s", ENISecondary), eniInstance(), "", nil, "InvalidOperation.InvalidEniState"},
		{"attached elsewhere", attached("eni-s", ENISecondary, "i-b", 1, ""), eniInstance(), "", nil, "InvalidOperation.InvalidEniState"},
		{"already detaching", detaching, eniInstance(), "", nil, "InvalidOperation.InvalidEniState"},
		{"instance starting", attached("eni-s", ENISecondary, "i-a", 1, ""), starting, "", nil, "InvalidOperation.InvalidEcsState"},
		{"linked trunk", trunk, eniInstance(), "", []ENI{member}, "InvalidOperation.EniLinked"},
		{"trunk without members", trunk, eniInstance(), "", nil, ""},
		{"member", member, eniInstance(), "", nil, ""},
		{"member naming its trunk", member, eniInstance(), "eni-t", nil, ""},
		{"member naming another trunk", member, eniInstance(), "eni-x", nil, "InvalidParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DetachENI(tc.eni, tc.inst, tc.trunk, tc.members, t0, Delays{ENI: Duration(time.Second)})
			if c := codeOf(err); c != tc.want {
				t.Fatalf("code %q, want %q", c, tc.want)
			}
			if tc.want == "" && (got.Status != ENIDetaching || got.Next == nil || got.Next.Status != ENIAvailable || got.InstanceID() != tc.inst.ID) {
				t.Fatalf("got %+v, want Detaching from %s", got, tc.inst.ID)
			}
		})
	}
}

// TestDeleteENI: only an Available ENI is deleted (§5.7).
func TestDeleteENI(t *testing.T) {
	for _, tc := range []struct {
		name string
		eni  ENI
		want string
	}{
		{"available", freeENI("eni-s", ENISecondary), ""},
		{"in use", attached("eni-s", ENISecondary, "i-a", 1, ""), "InvalidOperation.InvalidEniState"},
		{"primary", attached("eni-p", ENIPrimary, "i-a", 0, ""), "InvalidOperation.InvalidEniState"},
		{"deleting", func() ENI { e := freeENI("eni-s", ENISecondary); e.Status = ENIDeleting; return e }(), "InvalidOperation.InvalidEniState"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DeleteENI(tc.eni, t0, Delays{})
			if c := codeOf(err); c != tc.want {
				t.Fatalf("code %q, want %q", c, tc.want)
			}
			if tc.want == "" && (got.Status != ENIDeleting || got.Next == nil || got.Next.Status != "") {
				t.Fatalf("got %+v, want Deleting then removal", got)
			}
		})
	}
}

// TestAdvanceENI walks the §2 transitions.
func TestAdvanceENI(t *testing.T) {
	d := Delays{ENI: Duration(time.Second)}
	a, err := AttachENI(freeENI("eni-s", ENISecondary), ENIAttach{Instance: eniInstance(), Type: eniType(false)}, t0, d)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := AdvanceENI(a, t0); got.Status != ENIAttaching {
		t.Fatalf("before due: %s", got.Status)
	}
	if !a.NextDue().Equal(t0.Add(time.Second)) {
		t.Fatalf("NextDue %v", a.NextDue())
	}
	inUse, gone := AdvanceENI(a, t0.Add(time.Second))
	if gone || inUse.Status != ENIInUse || inUse.Next != nil || !inUse.NextDue().IsZero() || inUse.InstanceID() != "i-a" {
		t.Fatalf("after attach: %+v gone=%v", inUse, gone)
	}
	det, err := DetachENI(inUse, eniInstance(), "", nil, t0.Add(2*time.Second), d)
	if err != nil {
		t.Fatal(err)
	}
	if det.InstanceID() != "i-a" {
		t.Fatal("a Detaching ENI still names its instance")
	}
	avail, _ := AdvanceENI(det, t0.Add(3*time.Second))
	if avail.Status != ENIAvailable || avail.Attachment != nil {
		t.Fatalf("after detach: %+v", avail)
	}
	del, err := DeleteENI(avail, t0.Add(3*time.Second), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, gone := AdvanceENI(del, t0.Add(4*time.Second)); !gone {
		t.Fatal("deletion did not remove the ENI")
	}
}

// TestLinkedENI is the §3.3 5d rule.
func TestLinkedENI(t *testing.T) {
	trunk := attached("eni-t", ENITrunk, "i-a", 1, "")
	member := attached("eni-m", ENISecondary, "i-a", 2, "eni-t")
	memberDetaching := member
	memberDetaching.Status = ENIDetaching
	for _, tc := range []struct {
		name string
		enis []ENI
		want string
	}{
		{"no ENIs", nil, ""},
		{"primary and secondary", []ENI{attached("eni-p", ENIPrimary, "i-a", 0, ""), attached("eni-s", ENISecondary, "i-a", 1, "")}, ""},
		{"trunk alone", []ENI{trunk}, ""},
		{"trunk with member", []ENI{trunk, member}, "eni-t"},
		{"member still detaching", []ENI{member, trunk}, "eni-t"},
		{"detaching member counts", []ENI{trunk, memberDetaching}, "eni-t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LinkedENI(tc.enis); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestENIReleaseEffects has one row per §3.6 ENI rule.
func TestENIReleaseEffects(t *testing.T) {
	inst := eniInstance()
	keepSec := attached("eni-k", ENISecondary, "i-a", 1, "")
	keepSec.SecurityGroups, keepSec.Tags = []string{"sg-a"}, []Tag{{Key: "team", Value: "x"}}
	keepSec.DeleteOnRelease = false
	delSec := attached("eni-d", ENISecondary, "i-a", 2, "")
	delSec.DeleteOnRelease = true
	primary := attached("eni-p", ENIPrimary, "i-a", 0, "")
	primary.DeleteOnRelease = false // a primary ENI goes whatever the flag says
	attaching := attached("eni-a", ENISecondary, "i-a", 3, "")
	attaching.Status, attaching.Next = ENIAttaching, &ENIStep{At: t0.Add(time.Hour), Status: ENIInUse}
	member := attached("eni-m", ENISecondary, "i-a", 4, "eni-t")
	trunk := attached("eni-t", ENITrunk, "i-a", 5, "")
	trunk.DeleteOnRelease = true
	other := attached("eni-o", ENISecondary, "i-b", 1, "")
	for _, tc := range []struct {
		name     string
		enis     []ENI
		wantDel  []string
		wantKeep []string
	}{
		{"primary released", []ENI{primary}, []string{"eni-p"}, nil},
		{"secondary DeleteOnRelease=true released", []ENI{delSec}, []string{"eni-d"}, nil},
		{"secondary DeleteOnRelease=false kept", []ENI{keepSec}, nil, []string{"eni-k"}},
		{"attaching kept, its step dropped", []ENI{attaching}, nil, []string{"eni-a"}},
		{"trunk released, member kept", []ENI{trunk, member}, []string{"eni-t"}, []string{"eni-m"}},
		{"another instance's ENI untouched", []ENI{other}, nil, nil},
		{"mixed", []ENI{primary, keepSec, delSec}, []string{"eni-p", "eni-d"}, []string{"eni-k"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			del, keep := ENIReleaseEffects(inst, tc.enis, t0)
			if !slices.Equal(del, tc.wantDel) {
				t.Fatalf("deleted %v, want %v", del, tc.wantDel)
			}
			var ids []string
			for _, e := range keep {
				ids = append(ids, e.ID)
				if e.Status != ENIAvailable || e.Attachment != nil || e.InstanceID() != "" || e.Next != nil {
					t.Fatalf("kept ENI %s not detached: %+v", e.ID, e)
				}
				if e.PrivateIP == "" {
					t.Fatalf("kept ENI %s lost its address", e.ID)
				}
			}
			if !slices.Equal(ids, tc.wantKeep) {
				t.Fatalf("kept %v, want %v", ids, tc.wantKeep)
			}
			if tc.name == "secondary DeleteOnRelease=false kept" && (!slices.Equal(keep[0].SecurityGroups, []string{"sg-a"}) || len(keep[0].Tags) != 1) {
				t.Fatalf("kept ENI lost its groups or tags: %+v", keep[0])
			}
		})
	}
}

// TestModifyENI covers ModifyNetworkInterfaceAttribute's rules.
func TestModifyENI(t *testing.T) {
	f, tr := false, true
	name := "web"
	primary := attached("eni-p", ENIPrimary, "i-a", 0, "")
	primary.DeleteOnRelease = true
	deleting := freeENI("eni-s", ENISecondary)
	deleting.Status = ENIDeleting
	for _, tc := range []struct {
		name string
		eni  ENI
		m    ENIModify
		want string
	}{
		{"secondary DeleteOnRelease=false", attached("eni-s", ENISecondary, "i-a", 1, ""), ENIModify{DeleteOnRelease: &f}, ""},
		{"primary DeleteOnRelease=false", primary, ENIModify{DeleteOnRelease: &f}, "InvalidOperation.InvalidEniType"},
		{"primary DeleteOnRelease=true", primary, ENIModify{DeleteOnRelease: &tr}, ""},
		{"primary name and groups", primary, ENIModify{Name: &name, SecurityGroups: []string{"sg-b"}}, ""},
		{"deleting", deleting, ENIModify{Name: &name}, "InvalidOperation.InvalidEniState"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ModifyENI(tc.eni, tc.m)
			if c := codeOf(err); c != tc.want {
				t.Fatalf("code %q, want %q", c, tc.want)
			}
			if err != nil {
				return
			}
			if tc.m.DeleteOnRelease != nil && got.DeleteOnRelease != *tc.m.DeleteOnRelease {
				t.Fatal("DeleteOnRelease unchanged")
			}
			if tc.m.Name != nil && got.Name != *tc.m.Name {
				t.Fatal("name unchanged")
			}
			if tc.m.SecurityGroups != nil && !slices.Equal(got.SecurityGroups, tc.m.SecurityGroups) {
				t.Fatal("groups unchanged")
			}
		})
	}
}

// TestENIIndexes: the indexes the store answers filters and release through.
func TestENIIndexes(t *testing.T) {
	e := attached("eni-m", ENISecondary, "i-a", 2, "eni-t")
	e.SecurityGroups = []string{"sg-a", "sg-b"}
	e.Tags = []Tag{{Key: "env", Value: "test"}}
	has := map[Index]bool{}
	for _, i := range e.Indexes() {
		has[i] = true
	}
	for _, want := range []Index{{"instance", "i-a"}, {"trunk", "eni-t"}, {"sg", "sg-a"}, {"sg", "sg-b"}, {"type", ENISecondary}, {"status", ENIInUse}, {"tag", "env=test"}, {"tagKey", "env"}, {"vswitch", "vsw-a"}} {
		if !has[want] {
			t.Errorf("missing index %v", want)
		}
	}
	for _, i := range freeENI("eni-s", ENISecondary).Indexes() {
		if i.Name == "instance" || i.Name == "trunk" {
			t.Errorf("a detached ENI has index %v", i)
		}
	}
}

// TestHostInBlock: the addresses a vSwitch may hand out (§5.7 PrimaryIpAddress).
func TestHostInBlock(t *testing.T) {
	v := VSwitch{CidrBlock: "192.168.1.0/24"}
	for ip, want := range map[string]bool{
		"192.168.1.1": true, "192.168.1.252": true, "192.168.1.0": false, "192.168.1.253": false,
		"192.168.1.255": false, "192.168.2.1": false, "not-an-ip": false, "::1": false,
	} {
		if got := v.HostInBlock(ip); got != want {
			t.Errorf("%s: %v, want %v", ip, got, want)
		}
	}
	// AllocateIP hands out exactly the addresses HostInBlock accepts, then
	// starts again at the first: freed addresses come back.
	small := VSwitch{CidrBlock: "10.0.0.0/29"}
	if small.Hosts() != 4 {
		t.Fatalf("Hosts of a /29: %d", small.Hosts())
	}
	var got []string
	for range small.Hosts() + 2 {
		next, ip, ok := small.AllocateIP()
		if !ok {
			t.Fatal("AllocateIP of a /29: none")
		}
		small = next
		if !small.HostInBlock(ip) {
			t.Errorf("AllocateIP handed out %s", ip)
		}
		got = append(got, ip)
	}
	if !slices.Equal(got, []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.1", "10.0.0.2"}) {
		t.Fatalf("AllocateIP of a /29: %v", got)
	}
}
