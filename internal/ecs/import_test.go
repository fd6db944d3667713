package ecs_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"reflect"
	"slices"
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// stripDerived drops region, due and attrs from every resource of a state
// document, as a fixture written by hand may: import must recompute them.
func stripDerived(t *testing.T, doc []byte) []byte {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal(doc, &st); err != nil {
		t.Fatal(err)
	}
	for _, acc := range st["accounts"].([]any) {
		for _, r := range acc.(map[string]any)["resources"].([]any) {
			res := r.(map[string]any)
			delete(res, "region")
			delete(res, "due")
			delete(res, "attrs")
		}
	}
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// accountsOf is the accounts part of a state document: every record with
// its region, due time and attributes.
func accountsOf(t *testing.T, doc []byte) any {
	t.Helper()
	var st struct {
		Accounts any `json:"accounts"`
	}
	if err := json.Unmarshal(doc, &st); err != nil {
		t.Fatal(err)
	}
	return st.Accounts
}

// kindsIn lists the kinds a state document holds.
func kindsIn(t *testing.T, doc []byte) []string {
	t.Helper()
	var st struct {
		Accounts []struct {
			Resources []struct{ Kind string } `json:"resources"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(doc, &st); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range st.Accounts {
		for _, r := range a.Resources {
			if !slices.Contains(out, r.Kind) {
				out = append(out, r.Kind)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestImport_ReindexesEveryKind: a world holding every kind the registry
// declares, made through the SDKs, exported, stripped of region, due and
// attrs, and imported again, reads and releases exactly as the world it
// came from: the instance's ENI is found through its index, the route
// entry holds the release back, and the release detaches the EIP, drops
// the backend and deletes the primary ENI.
func TestImport_ReindexesEveryKind(t *testing.T) {
	forEachDiskSDK(t, ecslocaltest.Options{}, func(t *testing.T, e *env, s diskSDK, d deleter) {
		c := sdktest.ClassicSLB(t, e.s)
		kp, fingerprint := e.createKeyPair(t, "import-kp")
		dsr := classicecs.CreateCreateDeploymentSetRequest()
		ds, err := e.classic.CreateDeploymentSet(dsr)
		sdktest.OK(t, err)
		id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.KeyPairName, r.DeploymentSetId = kp, ds.DeploymentSetId })
		data := e.newDisk(t, s, 40)
		e.attachDisk(t, s, id, data, nil)
		e.s.Clock.Advance(5 * time.Second)
		_, err = s.snapshot(e, data, 0)
		sdktest.OK(t, err)
		ci := classicecs.CreateCreateImageRequest()
		ci.InstanceId, ci.ImageName = id, "import-image"
		_, err = e.classic.CreateImage(ci)
		sdktest.OK(t, err)
		lt := classicecs.CreateCreateLaunchTemplateRequest()
		lt.LaunchTemplateName, lt.ImageId, lt.InstanceType = "import-lt", image, itype
		_, err = e.classic.CreateLaunchTemplate(lt)
		sdktest.OK(t, err)
		e.policyOn(t, s, `["1"]`, 3, data)
		eip := e.allocate(t)
		e.associate(t, eip, id, "")
		route := e.addRoute(t, "10.9.0.0/16", "Instance", id)
		e.s.Clock.Advance(5 * time.Second)
		lb := e.loadBalancer(t, c)
		sdktest.OK(t, addBackends(c, lb, id))
		cg := classicslb.CreateCreateVServerGroupRequest()
		cg.LoadBalancerId, cg.BackendServers = lb, `[{"ServerId":"`+id+`","Port":"80"}]`
		group, err := c.CreateVServerGroup(cg)
		sdktest.OK(t, err)
		ca := classicslb.CreateCreateAccessControlListRequest()
		ca.AclName = "office"
		_, err = c.CreateAccessControlList(ca)
		sdktest.OK(t, err)
		uc := classicslb.CreateUploadServerCertificateRequest()
		uc.ServerCertificate, uc.PrivateKey = selfSignedPEM(t)
		_, err = c.UploadServerCertificate(uc)
		sdktest.OK(t, err)
		e.s.Clock.Advance(5 * time.Second) // past the configuring window
		primary := e.primaryENI(t, eniSDKs[0], id).ID
		_, err = e.assignIPs(primary, 1) // a secondary address: the "secondaryIp" index
		sdktest.OK(t, err)
		pl, err := createPrefixList(t, e.v7, "import-pl", "IPv4", 5, "10.8.0.0/16") // named by a rule: the "prefixList" index
		sdktest.OK(t, err)
		au := classicecs.CreateAuthorizeSecurityGroupRequest()
		au.SecurityGroupId, au.IpProtocol, au.PortRange, au.SourcePrefixListId = e.sg, "tcp", "22/22", pl
		_, err = e.classic.AuthorizeSecurityGroup(au)
		sdktest.OK(t, err)
		_, err = createPortRangeList(t, e.v7, "import-prl", 5, "8000/8100")
		sdktest.OK(t, err)
		shared, err := e.createENI(t, "")
		sdktest.OK(t, err)
		e.grantENI(t, shared)
		nat, dnat := e.natWorld(t)
		fullTable := e.vpcTailWorld(t, primary)
		e.ramWorld(t)
		e.storageWorld(t, id)
		havip := e.vpcLongTailWorld(t, id)
		e.hostWorld(t)
		e.poolWorld(t)
		e.activationWorld(t)
		e.createWindow(t, "import-window")

		before := e.s.State.Export()
		var declared []string
		for _, k := range cloud.Kinds() {
			declared = append(declared, k.Name)
		}
		slices.Sort(declared)
		if got := kindsIn(t, before); !slices.Equal(got, declared) {
			t.Fatalf("the world holds kinds %v; every declared kind %v must be in it", got, declared)
		}
		e.s.State.Import(stripDerived(t, before))
		// Recomputed, every record is stored exactly as before.
		if a, b := accountsOf(t, e.s.State.Export()), accountsOf(t, before); !reflect.DeepEqual(a, b) {
			t.Fatalf("resources after the import differ from before:\nbefore %s\nafter  %s", b, a)
		}

		kr := classicecs.CreateDescribeKeyPairsRequest()
		kr.KeyPairFingerPrint = fingerprint
		kps, err := e.classic.DescribeKeyPairs(kr)
		sdktest.OK(t, err)
		if kps.TotalCount != 1 || kps.KeyPairs.KeyPair[0].KeyPairName != kp {
			t.Fatalf("DescribeKeyPairs KeyPairFingerPrint after import: %+v", kps.KeyPairs)
		}

		r := classicecs.CreateDescribeNetworkInterfacesRequest()
		r.InstanceId = id
		enis, err := e.classic.DescribeNetworkInterfaces(r)
		sdktest.OK(t, err)
		if enis.TotalCount != 1 || enis.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId != primary {
			t.Fatalf("DescribeNetworkInterfaces InstanceId=%s after import: %d ENIs", id, enis.TotalCount)
		}
		sdktest.WantFail(t, d.batch(e, []string{id}, del{Force: true}), 400, "DependencyViolation.RouteEntry")
		dr := classicvpc.CreateDeleteRouteEntryRequest()
		dr.RouteEntryId = route
		_, err = e.vpc.DeleteRouteEntry(dr)
		sdktest.OK(t, err)
		e.s.Clock.Advance(10 * time.Second)
		sdktest.OK(t, d.batch(e, []string{id}, del{Force: true}))
		e.s.Clock.Advance(10 * time.Second)
		e.wantStatus(t, id, "")
		if _, ok := e.eni(t, eniSDKs[0], primary); ok {
			t.Fatalf("primary ENI %s outlived its instance", primary)
		}
		if st, on := e.haVipAssociations(t, havip); st != "Available" || len(on) != 0 {
			t.Fatalf("HaVip after release: %s on %v", st, on)
		}
		if st, on, ok := e.eip(t, eip); !ok || st != "Available" || on != "" {
			t.Fatalf("EIP after release: %s on %q (exists %t)", st, on, ok)
		}
		if got := backendIDs(t, c, lb); slices.Contains(got, id) {
			t.Fatalf("backends still name the released instance: %v", got)
		}
		ga := classicslb.CreateDescribeVServerGroupAttributeRequest()
		ga.VServerGroupId = group.VServerGroupId
		members, err := c.DescribeVServerGroupAttribute(ga)
		sdktest.OK(t, err)
		if n := len(members.BackendServers.BackendServer); n != 0 {
			t.Fatalf("the VServer group still has %d members after the release", n)
		}
		dd := classicecs.CreateDeleteDeploymentSetRequest()
		dd.DeploymentSetId = ds.DeploymentSetId
		_, err = e.classic.DeleteDeploymentSet(dd)
		sdktest.OK(t, err) // the released instance left its set, after an import too
		if _, ok := e.disk(t, s, data); !ok {
			t.Fatalf("data disk %s (DeleteWithInstance false) went with the instance", data)
		}
		fr := classicvpc.CreateDescribeForwardTableEntriesRequest()
		fr.NatGatewayId = nat
		fwd, err := e.vpc.DescribeForwardTableEntries(fr)
		sdktest.OK(t, err)
		if fwd.TotalCount != 1 || fwd.ForwardTableEntries.ForwardTableEntry[0].ForwardEntryId != dnat {
			t.Fatalf("DNAT entries of %s after import: %+v", nat, fwd.ForwardTableEntries)
		}
		if n := e.fullNatEntries(t, fullTable, primary); n != 0 {
			t.Fatalf("%d FULLNAT entries and flow logs on the released instance's ENI outlived it after an import", n)
		}
		rl := classicvpc.CreateDescribeRouteTableListRequest()
		rl.RouteTableType = "Custom"
		rl.RouteTableId = e.vswTable(t)
		tables, err := e.vpc.DescribeRouteTableList(rl)
		sdktest.OK(t, err)
		if l := tables.RouterTableList.RouterTableListType; len(l) != 1 || !slices.Equal(l[0].VSwitchIds.VSwitchId, []string{e.vsw}) {
			t.Fatalf("custom route table after import: %+v", l)
		}
	})
}

// natWorld makes a NAT gateway in the env's vSwitch with an EIP, an SNAT
// entry for the vSwitch and a DNAT entry, through the classic VPC client.
func (e *env) natWorld(t *testing.T) (nat, dnat string) {
	t.Helper()
	r := classicvpc.CreateCreateNatGatewayRequest()
	r.VpcId, r.VSwitchId, r.NatType = e.vpcID, e.vsw, "Enhanced"
	n, err := e.vpc.CreateNatGateway(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	eip := e.allocate(t)
	e.associate(t, eip, n.NatGatewayId, "Nat")
	er := classicvpc.CreateDescribeEipAddressesRequest()
	er.AllocationId = eip
	eips, err := e.vpc.DescribeEipAddresses(er)
	sdktest.OK(t, err)
	ip := eips.EipAddresses.EipAddress[0].IpAddress
	sr := classicvpc.CreateCreateSnatEntryRequest()
	sr.SnatTableId, sr.SourceVSwitchId, sr.SnatIp = n.SnatTableIds.SnatTableId[0], e.vsw, ip
	_, err = e.vpc.CreateSnatEntry(sr)
	sdktest.OK(t, err)
	fr := classicvpc.CreateCreateForwardEntryRequest()
	fr.ForwardTableId, fr.ExternalIp, fr.ExternalPort = n.ForwardTableIds.ForwardTableId[0], ip, "22"
	fr.InternalIp, fr.InternalPort, fr.IpProtocol = "192.168.1.200", "22", "TCP"
	f, err := e.vpc.CreateForwardEntry(fr)
	sdktest.OK(t, err)
	// A custom route table the vSwitch uses, so its association is reindexed too.
	cr := classicvpc.CreateCreateRouteTableRequest()
	cr.VpcId = e.vpcID
	rt, err := e.vpc.CreateRouteTable(cr)
	sdktest.OK(t, err)
	ar := classicvpc.CreateAssociateRouteTableRequest()
	ar.RouteTableId, ar.VSwitchId = rt.RouteTableId, e.vsw
	_, err = e.vpc.AssociateRouteTable(ar)
	sdktest.OK(t, err)
	return n.NatGatewayId, f.ForwardEntryId
}

// selfSignedPEM makes a PEM certificate and its key, for the world's
// server certificate.
func selfSignedPEM(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sdktest.OK(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example.com"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	sdktest.OK(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	sdktest.OK(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}
