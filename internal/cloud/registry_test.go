package cloud

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// samples holds one resource of every declared kind with every optional
// part filled in, so each writes every index it can.
func samples() []Resource {
	tags := []Tag{{Key: "team", Value: "a"}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return []Resource{
		Instance{ID: "i-1", Region: "r", ResourceGroup: "rg", Status: StatusRunning, Zone: "z", VpcID: "vpc-1", VSwitchID: "vsw-1", ChargeType: PostPaid,
			Name: "n", InstanceType: "ecs.g7.large", Family: "ecs.g7", ImageID: "img", PrivateIP: "10.0.0.1", PublicIP: "1.2.3.4",
			SecurityGroups: []string{"sg-1"}, Locks: []Lock{{Reason: LockSecurity}}, KeyPairName: "kp", Tags: tags},
		Disk{ID: "d-1", Region: "r", Status: DiskInUse, Zone: "z", ResourceGroup: "rg", Type: DiskData, Category: "cloud_essd", ChargeType: PostPaid, Name: "n",
			InstanceID: "i-1", SourceSnapshotID: "s-1", AutoSnapshotPolicy: "sp-1", DeleteWithInstance: true, DeleteAutoSnapshot: true,
			EnableAutoSnapshot: true, Encrypted: true, Portable: true, Tags: tags},
		Snapshot{ID: "s-1", Region: "r", ResourceGroup: "rg", SourceDiskID: "d-1", Type: SnapshotAuto, Status: SnapshotProgressing, Name: "n",
			SourceDiskType: "data", InstanceID: "i-1", PolicyID: "sp-1", Tags: tags, DoneAt: t0,
			Lock: &SnapshotLock{Created: t0, CoolOffHours: 1, DurationDays: 1}, CopyOf: "s-0", Group: "ssg-1"},
		ENI{ID: "eni-1", Region: "r", Status: ENIInUse, Type: ENITrunk, Zone: "z", VpcID: "vpc-1", VSwitchID: "vsw-1", PrivateIP: "10.0.0.2",
			SecondaryIPs: []string{"10.0.0.3"}, Name: "n", ResourceGroup: "rg", SecurityGroups: []string{"sg-1"}, Tags: tags,
			Attachment: &ENIAttachment{InstanceID: "i-1", TrunkNetworkInterfaceID: "eni-2"}},
		RouteEntry{ID: "rte-1", Region: "r", TableID: "vtb-1", VpcID: "vpc-1", Type: RouteCustom, DestinationCidrBlock: "0.0.0.0/0",
			Status: "Available", Name: "n", NextHops: []NextHop{{Type: NextHopInstance, ID: "i-1"}}},
		LoadBalancer{ID: "lb-1", Region: "r", VpcID: "vpc-1", VSwitchID: "vsw-1", AddressType: "intranet", NetworkType: "vpc", Name: "n",
			Status: "active", Address: "10.0.0.3", ResourceGroup: "rg", PayType: "PayOnDemand", MasterZone: "z",
			Backends: []BackendServer{{ServerID: "i-1", Type: "ecs"}}, Tags: tags,
			Listeners: []Listener{{Port: 443, Protocol: ProtoHTTPS, Settings: map[string]string{"AclId": "acl-1", "ServerCertificateId": "cert-1"}}}},
		VServerGroup{ID: "rsp-1", Region: "r", Name: "n", LoadBalancerID: "lb-1", Created: t0,
			Backends: []VServerBackend{{ServerID: "i-1", Port: 80, Weight: 100, Type: "ecs"}}},
		ServerCertificate{ID: "cert-1", Region: "r", Name: "n", ResourceGroup: "rg", Fingerprint: "aa", CommonName: "cn", Created: t0},
		ACL{ID: "acl-1", Region: "r", Name: "n", AddressIPVersion: "ipv4", ResourceGroup: "rg", Created: t0,
			Entries: []ACLEntry{{CIDR: "10.0.0.0/8"}}},
		EIP{ID: "eip-1", Region: "r", Status: EIPInUse, IPAddress: "1.2.3.5", Name: "n", ChargeType: "PayByTraffic", InstanceID: "i-1",
			InstanceType: "EcsInstance", ResourceGroup: "rg", Tags: tags, BandwidthPackageID: "cbwp-1", SegmentID: "eipsg-1", PoolID: "pippool-1"},
		IPPool{ID: "pippool-1", Region: "r", Name: "n", ISP: "BGP", Blocks: []PoolBlock{{CIDR: "8.8.8.0/24"}}, Status: "Created", ResourceGroup: "rg", Tags: tags},
		IPPoolService{ID: "ippoolservice-r", Region: "r"},
		MirrorFilter{ID: "tmf-1", Region: "r", Name: "n", Rules: []MirrorRule{{ID: "tmr-1"}}, Status: "Created", ResourceGroup: "rg", Tags: tags},
		MirrorSession{ID: "tms-1", Region: "r", Name: "n", FilterID: "tmf-1", Sources: []string{"eni-1"}, TargetID: "eni-2",
			TargetType: "NetworkInterface", Status: "Created", ResourceGroup: "rg", Tags: tags},
		MirrorService{ID: "mirrorservice-r", Region: "r"},
		EipSegment{ID: "eipsg-1", Region: "r", Segment: "1.2.3.0/28", IPCount: 14, Status: "Allocated"},
		Ipv4Gateway{ID: "ipv4gw-1", Region: "r", VpcID: "vpc-1", Name: "n", Status: Ipv4GatewayCreating, ReadyAt: t0, RouteTableID: "vtb-1",
			ResourceGroup: "rg", Tags: tags},
		FlowLog{ID: "fl-1", Region: "r", Name: "n", ResourceType: "NetworkInterface", ResourceID: "eni-1", VpcID: "vpc-1", TrafficType: "All",
			ProjectName: "p", LogStoreName: "l", Status: FlowLogActive, ResourceGroup: "rg", Tags: tags},
		FlowLogService{ID: "flowlogservice-r", Region: "r"},
		VpcPrefixList{ID: "pl-1", Region: "r", Name: "n", IPVersion: "IPv4", MaxEntries: 5, Entries: []VpcPrefixListEntry{{CIDR: "10.0.0.0/8"}},
			Status: "Created", ResourceGroup: "rg", Tags: tags},
		Ipv6Gateway{ID: "ipv6gw-1", Region: "r", VpcID: "vpc-1", Name: "n", Spec: "Small", Status: Ipv6GatewayCreating, ReadyAt: t0,
			ResourceGroup: "rg", Tags: tags},
		CommonBandwidthPackage{ID: "cbwp-1", Region: "r", Name: "n", Bandwidth: 5, ISP: "BGP", ResourceGroup: "rg", Tags: tags},
		VPC{ID: "vpc-1", Region: "r", Status: NetAvailable, Name: "n", IsDefault: true, ResourceGroup: "rg", Tags: tags, DhcpOptionsSetID: "dopt-1"},
		VSwitch{ID: "vsw-1", Region: "r", VpcID: "vpc-1", Zone: "z", Status: NetAvailable, Name: "n", IsDefault: true, ResourceGroup: "rg", Tags: tags,
			RouteTableID: "vtb-2", NetworkACLID: "nacl-1"},
		RouteTable{ID: "vtb-1", Region: "r", VpcID: "vpc-1", Type: "System", RouterID: "vrt-1", RouterType: "VRouter", Name: "n", ResourceGroup: "rg", Tags: tags},
		SecurityGroup{ID: "sg-1", Region: "r", VpcID: "vpc-1", Name: "n", Type: "normal", ResourceGroup: "rg", Tags: tags,
			Rules: []SecurityGroupRule{{ID: "sgr-1", Direction: "ingress", SourceGroup: "sg-2"}, {ID: "sgr-2", Direction: "egress", PrefixList: "pl-1", PortRangeList: "prl-1"}}},
		ENIPermission{ID: "eni-perm-1", Region: "r", ENIID: "eni-1", AccountID: "1", Permission: "InstanceAttach", State: PermissionGranted},
		PortRangeList{ID: "prl-1", Region: "r", Name: "n", MaxEntries: 10, ResourceGroup: "rg", Tags: tags},
		PrefixList{ID: "pl-1", Region: "r", Name: "n", AddressFamily: "IPv4", MaxEntries: 10, ResourceGroup: "rg", Tags: tags},
		AutoSnapshotPolicy{ID: "sp-1", Region: "r", Name: "n", Tags: tags, TimePoints: []int{1}, RepeatWeekdays: []int{1}, Created: t0},
		NatGateway{ID: "ngw-1", Region: "r", VpcID: "vpc-1", VSwitchID: "vsw-1", Zone: "z", Name: "n", NatType: "Enhanced",
			NetworkType: "internet", InstanceChargeType: PostPaid, Spec: "Small", SnatTableID: "stb-1", ForwardTableID: "ftb-1",
			Status: NatCreating, ReadyAt: t0, ResourceGroup: "rg", Tags: tags},
		SnatEntry{ID: "snat-1", Region: "r", TableID: "stb-1", NatGatewayID: "ngw-1", SourceVSwitchID: "vsw-1", SourceCIDR: "10.0.0.0/24",
			SnatIPs: []string{"1.2.3.5"}, Name: "n", Status: "Available"},
		ForwardEntry{ID: "fwd-1", Region: "r", TableID: "ftb-1", NatGatewayID: "ngw-1", ExternalIP: "1.2.3.5", ExternalPort: "80",
			InternalIP: "10.0.0.1", InternalPort: "8080", IPProtocol: "TCP", Name: "n", Status: "Available"},
		NatIPCidr{ID: "vpcnatcidr-1", Region: "r", NatGatewayID: "ngw-1", CIDR: "172.16.0.0/24", Name: "n", Status: "Available"},
		NatIP{ID: "vpcnatip-1", Region: "r", NatGatewayID: "ngw-1", CIDR: "172.16.0.0/24", IP: "172.16.0.1", Name: "n", Status: "Available"},
		FullNatEntry{ID: "fullnat-1", Region: "r", TableID: "fulltb-1", NatGatewayID: "ngw-1", NatIP: "172.16.0.1", NatIPPort: "80",
			AccessIP: "10.0.0.1", AccessPort: "8080", IPProtocol: "TCP", ENIID: "eni-1", Name: "n", Status: "Available"},
		CustomImage{ID: "m-1", Region: "r", Name: "n", Family: "f", Status: ImageCreating, Disks: []ImageDisk{{SnapshotID: "s-1", Type: DiskSystem, Size: 20}},
			ResourceGroup: "rg", Tags: tags, Created: t0, DoneAt: t0, Shares: []ImageShare{{Account: "a2", At: t0}}, Public: true, CopyOf: "m-0"},
		LaunchTemplate{ID: "lt-1", Region: "r", Name: "n", DefaultVersion: 1, LatestVersion: 1, ResourceGroup: "rg", Tags: tags,
			Versions: []LaunchTemplateVersion{{Number: 1, Data: map[string]string{"ImageId": "img"}, Created: t0}}, Created: t0, Modified: t0},
		DiskDefaults{ID: "dd-r", Region: "r", Encrypted: true, KMSKeyID: "k"},
		ImageComponent{ID: "ic-1", Region: "r", Name: "n", Version: "1.0.0", SystemType: "Linux", ComponentType: "Build", Content: "RUN yum -y update", Created: t0},
		HpcCluster{ID: "hpc-1", Region: "r", Name: "n", Description: "d", Created: t0},
		Task{ID: "tsk-1", Region: "r", Action: "ModifyDiskSpec", ResourceID: "d-1", Status: TaskFinished, Created: t0, Finished: t0},
		Command{ID: "c-1", Region: "r", Name: "n", Type: "RunShellScript", Content: "ZWNobw==", Timeout: 60, Created: t0},
		Invocation{ID: "t-1", Region: "r", CommandID: "c-1", CommandType: "RunShellScript", Created: t0,
			Instances: []InvokedInstance{{InstanceID: "i-1", Status: InvocationPending, Created: t0, Next: t0}}},
		SnapshotGroup{ID: "ssg-1", Region: "r", Name: "n", InstanceID: "i-1", Snapshots: []string{"s-1"}, ResourceGroup: "rg", Tags: tags, Created: t0},
		DeploymentSet{ID: "ds-1", Region: "r", Name: "n", Strategy: "Availability", Domain: "Default", Granularity: "Host",
			Instances: []DeployedInstance{{ID: "i-1", Zone: "z"}}, Created: t0},
		DedicatedHost{ID: "dh-1", Region: "r", Zone: "z", Name: "n", Description: "d", Type: "ddh.g7", Status: HostAvailable,
			ClusterID: "dc-1", ChargeType: PrePaid, Period: 1, PeriodUnit: "Month", Expires: t0, AutoRenew: true, AutoRenewPeriod: 1,
			RenewalStatus: "AutoRenewal", AutoRenewWithEcs: "AutoRenewWithEcs", AutoRelease: t0, ActionOnMaintenance: "Migrate",
			AutoPlacement: "on", CPUOverCommitRatio: 1, UDPTimeout: 60, SLBUDPTimeout: 60, ResourceGroup: "rg", Tags: tags,
			Instances: []HostedInstance{{ID: "i-1", Type: "ecs.g7.large", Vcpus: 2, MemoryGiB: 8}}, Created: t0},
		DedicatedHostCluster{ID: "dc-1", Region: "r", Zone: "z", Name: "n", Description: "d", ResourceGroup: "rg", Tags: tags, Created: t0},
		CapacityReservation{PrivatePool: PrivatePool{ID: "crp-1", Region: "r", Zone: "z", Name: "n", Description: "d",
			InstanceTypes: []string{"ecs.g7.large"}, Amount: 2, Platform: "linux", MatchCriteria: MatchOpen, Status: PoolPending,
			Start: t0, End: t0, ResourceGroup: "rg", Tags: tags, Members: []PoolMember{{ID: "i-1", Type: "ecs.g7.large"}}, Created: t0},
			EndTimeType: "Limited"},
		ElasticityAssurance{PrivatePool: PrivatePool{ID: "eap-1", Region: "r", Zone: "z", Name: "n", Description: "d",
			InstanceTypes: []string{"ecs.g7.large", "ecs.c7.large"}, Amount: 2, Platform: "linux", MatchCriteria: MatchTarget,
			Status: PoolPrepared, Start: t0, End: t0, ResourceGroup: "rg", Tags: tags, Members: []PoolMember{{ID: "i-1", Type: "ecs.c7.large"}},
			Created: t0}, Period: 1, PeriodUnit: "Month", AssuranceTimes: "Unlimited", AutoRenew: true, AutoRenewPeriod: 1,
			RenewalStatus: "AutoRenewal"},
		Activation{ID: "A-1", Region: "r", CodeHash: "h", Description: "d", InstanceCount: 2, InstanceName: "n", IPRange: "0.0.0.0/0",
			TTLHours: 4, Disabled: true, Registered: 2, Deregistered: 1, ResourceGroup: "rg", Tags: tags, Created: t0},
		ManagedInstance{ID: "mi-1", Region: "r", ActivationID: "A-1", Name: "n", Hostname: "h", MachineID: "m", IntranetIP: "10.0.0.1",
			InternetIP: "1.2.3.4", OSType: "linux", OSVersion: "v", AgentVersion: "2.0", ResourceGroup: "rg", Tags: tags, Registered: t0},
		PlanMaintenanceWindow{ID: "pw-1", Region: "r", Name: "n", Enable: true, Action: "Reboot",
			Target:  WindowTarget{Scope: "Tag", ResourceGroupID: "rg", Tags: []WindowTag{{Key: "k", Value: "v"}}},
			Period:  WindowPeriod{PeriodUnit: "Weekly", RangeList: []WindowRange{{StartTime: "Monday,22:00", EndTime: "Tuesday,03:00"}}},
			Created: t0, Modified: t0},
		KeyPair{Name: "kp", Region: "r", ID: "kp-1", Fingerprint: "00:11", PublicKey: "ssh-rsa AAAA", ResourceGroup: "rg", Tags: tags, Created: t0},
		RAMRole{ID: "3001", Name: "r", TrustPolicy: "{}", Created: t0, Policies: []RolePolicy{{Name: "p", Type: PolicyCustom}}},
		RAMPolicy{Name: "p", Type: PolicyCustom, DefaultVersion: "v1", Versions: []PolicyVersion{{ID: "v1", Document: "{}"}}},
		HaVip{ID: "havip-1", Region: "r", VpcID: "vpc-1", VSwitchID: "vsw-1", IPAddress: "10.0.0.9", Name: "n", Status: HaVipInUse,
			Associated: []string{"i-1"}, AssociatedType: HaVipOnInstance, ResourceGroup: "rg", Tags: tags, Created: t0},
		NetworkACL{ID: "nacl-1", Region: "r", VpcID: "vpc-1", Name: "n", Status: NetworkACLModifying, ReadyAt: t0, Created: t0, Tags: tags,
			Ingress:   []NetworkACLEntry{{ID: "nae-1", Policy: "accept", Protocol: "all", Cidr: "0.0.0.0/0", Port: "-1/-1", Type: "custom"}},
			Resources: []NetworkACLResource{{ID: "vsw-1", Status: ACLBound}}},
		DhcpOptionsSet{ID: "dopt-1", Region: "r", Name: "n", Options: DhcpOptions{DomainName: "example.com"}, ResourceGroup: "rg", Tags: tags, Created: t0},
		VSwitchCidrReservation{ID: "vcr-1", Region: "r", VpcID: "vpc-1", VSwitchID: "vsw-1", Cidr: "10.0.0.16/28", Type: "prefix", Tags: tags, Created: t0},
	}
}

// TestRegistryComplete: every kind has what every workflow needs, and a
// kind missing a hook fails here rather than losing data somewhere else.
func TestRegistryComplete(t *testing.T) {
	byKind := map[string]Resource{}
	for _, r := range samples() {
		byKind[r.Kind()] = r
	}
	seenPrefix := map[string]string{}
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			r, ok := byKind[k.Name]
			if !ok {
				t.Fatalf("no sample of kind %s in this test: add one", k.Name)
			}
			if k.Prefix == "" || k.Decode == nil || len(k.Indexes) == 0 {
				t.Fatalf("kind %s lacks a prefix, a decoder or its indexes", k.Name)
			}
			// ECS and VPC prefix lists are two resources whose ids both
			// start "pl-" in the cloud.
			if other, dup := seenPrefix[k.Prefix]; dup && k.Prefix != "pl" {
				t.Fatalf("prefix %q of %s is also %s's", k.Prefix, k.Name, other)
			}
			seenPrefix[k.Prefix] = k.Name
			// Every index the value writes is declared, and every declared
			// index says what reads it.
			if err := CheckIndexes(r); err != nil {
				t.Fatal(err)
			}
			for _, d := range k.Indexes {
				if d.Serves == "" {
					t.Errorf("index %s of %s serves nothing: drop it", d.Name, k.Name)
				}
			}
			// A Few index is one the kind declares, named once.
			for i, f := range k.Few {
				if !k.Declares(f) || slices.Contains(k.Few[:i], f) {
					t.Errorf("kind %s: Few names %q, not declared or named twice", k.Name, f)
				}
			}
			// An owned index is declared, and names another declared kind.
			for name, owner := range k.Owners {
				if _, ok := KindOf(owner); !ok || owner == k.Name || !k.Declares(name) || OwnerOf(k.Name, string(name)) != owner {
					t.Errorf("owned index %s of %s: owner %q", name, k.Name, owner)
				}
			}
			// Import decodes the stored document back to the same value.
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			back, err := k.Decode(data)
			if err != nil || !reflect.DeepEqual(back, r) || back.Key() != r.Key() {
				t.Fatalf("decode of %s: %v (%v)", k.Name, back, err)
			}
			// A kind with tags is taggable, and the other way round.
			_, tagged := r.(Tagged)
			if tagged != (k.Tags != nil) {
				t.Fatalf("kind %s: carries tags %v, declares tags %v", k.Name, tagged, k.Tags != nil)
			}
			if tagged && (!k.Declares(IdxTag) || !k.Declares(IdxTagKey)) {
				t.Fatalf("taggable kind %s does not declare the tag indexes", k.Name)
			}
			// A kind with a due time has a transition for it.
			if k.Advance == nil && !r.NextDue().IsZero() {
				t.Fatalf("kind %s falls due but declares no Advance", k.Name)
			}
			// A hold or effect names an index its kind declares.
			if k.Hold != nil && (!k.Declares(k.Hold.By) || k.Hold.Holder == nil || k.Hold.Refuse == nil) {
				t.Fatalf("kind %s: incomplete hold", k.Name)
			}
			if k.Release != nil && (!k.Declares(k.Release.By) || k.Release.Keys == nil || k.Release.Effect == nil) {
				t.Fatalf("kind %s: incomplete release effect", k.Name)
			}
			// A kind that can point at an instance either acts on its
			// release or is found through another kind that does.
			if k.Declares(IdxInstance) && k.Release == nil && k.Name != KindSnapshot {
				t.Fatalf("kind %s points at instances but declares no release effect", k.Name)
			}
		})
	}
}

// TestRegistryOrder: the holds are checked in the order the release rules
// give (linked ENI, route entry, configuring load balancer, configuring
// VServer group), and effects
// on what points at released ENIs come after the ENIs.
func TestRegistryOrder(t *testing.T) {
	var holds, effects []string
	for _, k := range Kinds() {
		if k.Hold != nil {
			holds = append(holds, k.Name)
		}
		if k.Release != nil {
			effects = append(effects, k.Name)
		}
	}
	if got := strings.Join(holds, ","); got != "eni,routeentry,slb,vservergroup" {
		t.Fatalf("holds in order %s", got)
	}
	if got := strings.Join(effects, ","); got != "disk,snapshot,eni,routeentry,slb,vservergroup,eip,deploymentset,snapshotgroup,invocation,havip,fullnatentry,flowlog,mirrorsession,dedicatedhost,capacityreservation,elasticityassurance,enipermission" {
		t.Fatalf("effects in order %s", got)
	}
}

// fakeLookup answers Find from a slice, through the declared indexes.
type fakeLookup []Resource

func (f fakeLookup) Find(_ context.Context, kind string, filters ...Filter) ([]Resource, error) {
	var out []Resource
next:
	for _, r := range f {
		if r.Kind() != kind {
			continue
		}
		for _, fl := range filters {
			hit := false
			for _, ix := range r.Indexes() {
				for _, v := range fl.Values {
					hit = hit || ix.Name == fl.Index && ix.Value == v
				}
			}
			if !hit {
				continue next
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// TestPolicyAdvance: a policy's firing finds its disks through the lookup.
func TestPolicyAdvance(t *testing.T) {
	k, _ := KindOf(KindAutoSnapshotPolicy)
	p := AutoSnapshotPolicy{ID: "sp-1", Region: "r", TimePoints: []int{1}, RepeatWeekdays: []int{1, 2, 3, 4, 5, 6, 7},
		Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := Disk{ID: "d-1", Region: "r", Status: DiskInUse, AutoSnapshotPolicy: "sp-1", EnableAutoSnapshot: true, InstanceID: "i-1", Category: "cloud_essd"}
	tr, err := k.Advance(context.Background(), fakeLookup{d, p}, p, p.NextDue(), DefaultConfig(ProfileFast))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Also) != 1 || tr.Also[0].(Snapshot).SourceDiskID != "d-1" {
		t.Fatalf("firing made %v", tr.Also)
	}
	if !tr.Next.(AutoSnapshotPolicy).NextDue().After(p.NextDue()) {
		t.Fatalf("the policy did not move to its next firing")
	}
}

// TestNextFreeIP: the allocation skips taken addresses, wraps round the
// block once, and reports a full block.
func TestNextFreeIP(t *testing.T) {
	v := VSwitch{ID: "vsw-1", CidrBlock: "10.0.0.0/29"} // hosts .1 to .4: the last three are reserved
	taken := map[string]bool{"10.0.0.1": true, "10.0.0.3": true}
	inUse := func(ip string) (bool, error) { return taken[ip], nil }
	var got []string
	for range 3 {
		next, ip, ok, err := NextFreeIP(v, inUse)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			got = append(got, "full")
			break
		}
		v, taken[ip] = next, true
		got = append(got, ip)
	}
	if strings.Join(got, ",") != "10.0.0.2,10.0.0.4,full" {
		t.Fatalf("handed out %v", got)
	}
	for _, tc := range []struct{ ip, code string }{{"10.0.0.2", ""}, {"x", "InvalidParameter"}, {"10.0.0.7", "InvalidVSwitchId.IpInvalid"}, {"10.0.1.2", "InvalidVSwitchId.IpInvalid"}} {
		if got := codeOf(CheckChosenIP(v, tc.ip, "PrimaryIpAddress")); got != tc.code {
			t.Errorf("CheckChosenIP(%s) = %q, want %q", tc.ip, got, tc.code)
		}
	}
}

// TestReleaseNetworkEffects: what a release does to EIPs and load
// balancers, for the instance itself and for ENIs it removed.
func TestReleaseNetworkEffects(t *testing.T) {
	gone := func(id string) bool { return id == "eni-gone" }
	for _, c := range []struct {
		name    string
		e       EIP
		changed bool
	}{
		{"on the instance", EIP{Status: EIPInUse, InstanceID: "i-1", InstanceType: "EcsInstance"}, true},
		{"on a released ENI", EIP{Status: EIPInUse, InstanceID: "eni-gone", InstanceType: EIPOnENI}, true},
		{"on a kept ENI", EIP{Status: EIPInUse, InstanceID: "eni-kept", InstanceType: EIPOnENI}, false},
		{"on another instance", EIP{Status: EIPInUse, InstanceID: "i-2", InstanceType: "EcsInstance"}, false},
	} {
		next, changed := ReleaseEIP(c.e, "i-1", gone)
		if changed != c.changed || changed && (next.Status != EIPAvailable || next.InstanceID != "") {
			t.Errorf("EIP %s: %+v changed %v", c.name, next, changed)
		}
	}
	l := LoadBalancer{Backends: []BackendServer{{ServerID: "i-1", Type: "ecs"}, {ServerID: "eni-gone", Type: BackendENI}, {ServerID: "eni-kept", Type: BackendENI}, {ServerID: "i-2", Type: "ecs"}}}
	next, changed := ReleaseBackends(l, "i-1", gone)
	var left []string
	for _, b := range next.Backends {
		left = append(left, b.ServerID)
	}
	if !changed || strings.Join(left, ",") != "eni-kept,i-2" {
		t.Errorf("backends after release: %v (changed %v)", left, changed)
	}
	if _, changed := ReleaseBackends(LoadBalancer{Backends: []BackendServer{{ServerID: "i-2", Type: "ecs"}}}, "i-1", gone); changed {
		t.Error("a load balancer without the instance changed")
	}
}
