package vpc_test

import (
	"slices"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// natGW is a gateway made for a test, with its tables.
type natGW struct{ id, snat, fwd string }

// createNat makes an enhanced gateway in the fixture's vSwitch (v6) and
// waits until it is Available.
func (f *netFixture) createNat(t *testing.T) natGW {
	t.Helper()
	resp, err := f.v6.CreateNatGateway(&vpc.CreateNatGatewayRequest{
		RegionId: dara.String(region), VpcId: dara.String(f.vpcID), VSwitchId: dara.String(f.vsw),
		NatType: dara.String("Enhanced"), Name: dara.String("gw"),
		Tag: []*vpc.CreateNatGatewayRequestTag{{Key: dara.String("team"), Value: dara.String("net")}},
	})
	sdktest.OK(t, err)
	f.s.Clock.Advance(5 * time.Second)
	b := resp.Body
	return natGW{dara.StringValue(b.NatGatewayId), dara.StringValue(b.SnatTableIds.SnatTableId[0]), dara.StringValue(b.ForwardTableIds.ForwardTableId[0])}
}

// eipIP is the address of an EIP.
func (f *netFixture) eipIP(t *testing.T, id string) string {
	t.Helper()
	return dara.StringValue(f.describeEip(t, id).IpAddress)
}

// natEIP allocates an EIP and associates it with the gateway; its address.
func (f *netFixture) natEIP(t *testing.T, nat string) (id, ip string) {
	t.Helper()
	id = f.allocate(t)
	sdktest.OK(t, f.associate(id, nat, "Nat"))
	return id, f.eipIP(t, id)
}

func (f *netFixture) snat(table, vsw, cidr, ip string) (string, error) {
	req := &vpc.CreateSnatEntryRequest{RegionId: dara.String(region), SnatTableId: dara.String(table), SnatIp: dara.String(ip)}
	if vsw != "" {
		req.SourceVSwitchId = dara.String(vsw)
	}
	if cidr != "" {
		req.SourceCIDR = dara.String(cidr)
	}
	resp, err := f.v6.CreateSnatEntry(req)
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.SnatEntryId), nil
}

func (f *netFixture) dnat(table, extIP, extPort, inIP, inPort, proto string) (string, error) {
	resp, err := f.v6.CreateForwardEntry(&vpc.CreateForwardEntryRequest{
		RegionId: dara.String(region), ForwardTableId: dara.String(table), ExternalIp: dara.String(extIP),
		ExternalPort: dara.String(extPort), InternalIp: dara.String(inIP), InternalPort: dara.String(inPort), IpProtocol: dara.String(proto),
	})
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.ForwardEntryId), nil
}

func (f *netFixture) deleteNat(id string, force bool) error {
	_, err := f.v6.DeleteNatGateway(&vpc.DeleteNatGatewayRequest{RegionId: dara.String(region), NatGatewayId: dara.String(id), Force: dara.Bool(force)})
	return err
}

// describeNat reads one gateway (v6); nil when it is not listed.
func (f *netFixture) describeNat(t *testing.T, id string) *vpc.DescribeNatGatewaysResponseBodyNatGatewaysNatGateway {
	t.Helper()
	resp, err := f.v6.DescribeNatGateways(&vpc.DescribeNatGatewaysRequest{RegionId: dara.String(region), NatGatewayId: dara.String(id)})
	sdktest.OK(t, err)
	if len(resp.Body.NatGateways.NatGateway) == 0 {
		return nil
	}
	return resp.Body.NatGateways.NatGateway[0]
}

// privateIP is an instance's primary private address (ECS v7).
func (f *netFixture) privateIP(t *testing.T, id string) string {
	t.Helper()
	resp, err := sdktest.ECS(t, f.s, "").DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String(region), InstanceIds: dara.String(`["` + id + `"]`)})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress[0])
}

// TestNatGateway_Lifecycle: create (Creating, then Available on the
// clock), describe with filters, modify, EIPs, SNAT and DNAT entries, the
// refusals while they remain, and deletion.
func TestNatGateway_Lifecycle(t *testing.T) {
	f := newNet(t, true)
	resp, err := f.v6.CreateNatGateway(&vpc.CreateNatGatewayRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID),
		VSwitchId: dara.String(f.vsw), NatType: dara.String("Enhanced")})
	sdktest.OK(t, err)
	id := dara.StringValue(resp.Body.NatGatewayId)
	if got := dara.StringValue(f.describeNat(t, id).Status); got != "Creating" {
		t.Fatalf("new gateway is %s", got)
	}
	eip := f.allocate(t)
	sdktest.WantFail(t, f.associate(eip, id, "Nat"), 400, "IncorrectStatus.NatGateway")
	f.s.Clock.Advance(5 * time.Second)
	g := f.describeNat(t, id)
	if dara.StringValue(g.Status) != "Available" || dara.StringValue(g.NatType) != "Enhanced" ||
		dara.StringValue(g.NatGatewayPrivateInfo.VswitchId) != f.vsw || dara.StringValue(g.NatGatewayPrivateInfo.PrivateIpAddress) == "" {
		t.Fatalf("gateway %+v", g)
	}
	sdktest.OK(t, f.associate(eip, id, "Nat"))
	ip := f.eipIP(t, eip)
	if e := f.describeEip(t, eip); dara.StringValue(e.InstanceType) != "Nat" || dara.StringValue(e.InstanceId) != id {
		t.Fatalf("EIP on %s %s", dara.StringValue(e.InstanceType), dara.StringValue(e.InstanceId))
	}
	if l := f.describeNat(t, id).IpLists.IpList; len(l) != 1 || dara.StringValue(l[0].IpAddress) != ip {
		t.Fatalf("IpLists %v", l)
	}

	snatTable := dara.StringValue(g.SnatTableIds.SnatTableId[0])
	fwdTable := dara.StringValue(g.ForwardTableIds.ForwardTableId[0])
	snat, err := f.snat(snatTable, f.vsw, "", ip)
	sdktest.OK(t, err)
	_, err = f.snat(snatTable, f.vsw, "", ip)
	sdktest.WantFail(t, err, 400, "Forbidden.SourceDuplicated")
	fwd, err := f.dnat(fwdTable, ip, "80", "192.168.1.50", "8080", "TCP")
	sdktest.OK(t, err)

	// The EIP is held by the entries: neither unassociated nor released.
	sdktest.WantFail(t, f.unassociate(eip, id), 400, "InvalidIpStatus.HasBeenUsedBySnatTable")
	sdktest.WantFail(t, f.release(eip), 400, "IncorrectEipStatus")
	// The gateway is held by its entries and EIPs without Force.
	sdktest.WantFail(t, f.deleteNat(id, false), 400, "DependencyViolation.SnatEntry")
	_, err = f.v6.DeleteSnatEntry(&vpc.DeleteSnatEntryRequest{RegionId: dara.String(region), SnatTableId: dara.String(snatTable), SnatEntryId: dara.String(snat)})
	sdktest.OK(t, err)
	sdktest.WantFail(t, f.unassociate(eip, id), 400, "InvalidIpStatus.HasBeenUsedByForwardEntry")
	sdktest.WantFail(t, f.deleteNat(id, false), 400, "DependencyViolation.ForwardEntry")
	_, err = f.v6.DeleteForwardEntry(&vpc.DeleteForwardEntryRequest{RegionId: dara.String(region), ForwardTableId: dara.String(fwdTable), ForwardEntryId: dara.String(fwd)})
	sdktest.OK(t, err)
	sdktest.WantFail(t, f.deleteNat(id, false), 400, "DependencyViolation.EIPS")
	sdktest.WantFail(t, f.v6DeleteVSwitch(f.vsw), 400, "DependencyViolation")
	sdktest.OK(t, f.unassociate(eip, id))
	sdktest.OK(t, f.deleteNat(id, false))
	if f.describeNat(t, id) != nil {
		t.Fatal("deleted gateway still listed")
	}
	sdktest.WantFail(t, f.deleteNat(id, false), 404, "InvalidNatGatewayId.NotFound")
}

func (f *netFixture) v6DeleteVSwitch(id string) error {
	_, err := f.v6.DeleteVSwitch(&vpc.DeleteVSwitchRequest{RegionId: dara.String(region), VSwitchId: dara.String(id)})
	return err
}

// TestNatGateway_ForceDelete: Force removes the entries and frees the EIPs.
func TestNatGateway_ForceDelete(t *testing.T) {
	f := newNet(t, false)
	g := f.createNat(t)
	eip, ip := f.natEIP(t, g.id)
	_, err := f.snat(g.snat, "", "192.168.1.0/25", ip)
	sdktest.OK(t, err)
	_, err = f.dnat(g.fwd, ip, "22", "192.168.1.9", "22", "TCP")
	sdktest.OK(t, err)
	sdktest.OK(t, f.deleteNat(g.id, true))
	if e := f.describeEip(t, eip); dara.StringValue(e.Status) != "Available" || dara.StringValue(e.InstanceId) != "" {
		t.Fatalf("EIP after forced delete: %s on %s", dara.StringValue(e.Status), dara.StringValue(e.InstanceId))
	}
	resp, err := f.v6.DescribeForwardTableEntries(&vpc.DescribeForwardTableEntriesRequest{RegionId: dara.String(region), ForwardTableId: dara.String(g.fwd)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 0 {
		t.Fatalf("%d DNAT entries outlived the gateway", n)
	}
	sdktest.OK(t, f.release(eip))
}

// TestNatGateway_Refusals: the codes of the NAT and entry actions.
func TestNatGateway_Refusals(t *testing.T) {
	f := newNet(t, false)
	other := createVpc(t, f.v6, "10.0.0.0/16", "other")
	f.s.Clock.Advance(5 * time.Second)
	create := func(vpcID, vsw, natType string) error {
		req := &vpc.CreateNatGatewayRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID), VSwitchId: dara.String(vsw)}
		if natType != "" {
			req.NatType = dara.String(natType)
		}
		_, err := f.v6.CreateNatGateway(req)
		return err
	}
	sdktest.WantFail(t, create("vpc-missing", f.vsw, ""), 404, "InvalidVpcId.NotFound")
	sdktest.WantFail(t, create(f.vpcID, "vsw-missing", ""), 404, "InvalidVSwitchId.NotFound")
	sdktest.WantFail(t, create(other, f.vsw, ""), 400, "InvalidVSwitchId.NotBelongToVpc")
	sdktest.WantFail(t, create(f.vpcID, f.vsw, "Normal"), 400, "InvalidParameter")

	g := f.createNat(t)
	_, ip := f.natEIP(t, g.id)
	stray := f.allocate(t)
	strayIP := f.eipIP(t, stray)
	cases := []struct {
		name   string
		err    func() error
		status int
		code   string
	}{
		{"snat table unknown", func() error { _, err := f.snat("stb-missing", f.vsw, "", ip); return err }, 404, "InvalidSnatTableId.NotFound"},
		{"snat ip not the gateway's", func() error { _, err := f.snat(g.snat, f.vsw, "", strayIP); return err }, 400, "InvalidIp.NotBelongToNatgw"},
		{"snat both sources", func() error { _, err := f.snat(g.snat, f.vsw, "192.168.1.0/24", ip); return err }, 400, "InvalidParameter.SourceVSwitchIdOrSourceCIDR"},
		{"snat bad cidr", func() error { _, err := f.snat(g.snat, "", "192.168.1.0/33", ip); return err }, 400, "InvalidSourceCIDR.Malformed"},
		{"dnat table unknown", func() error { _, err := f.dnat("ftb-missing", ip, "80", "192.168.1.5", "80", "TCP"); return err }, 404, "InvalidForwardTableId.NotFound"},
		{"dnat protocol", func() error { _, err := f.dnat(g.fwd, ip, "80", "192.168.1.5", "80", "ICMP"); return err }, 400, "InvalidProtocal.ValueNotSupported"},
		{"dnat port", func() error { _, err := f.dnat(g.fwd, ip, "70000", "192.168.1.5", "80", "TCP"); return err }, 400, "InvalidExternalPort.Malformed"},
		{"dnat internal ip", func() error { _, err := f.dnat(g.fwd, ip, "80", "not-an-ip", "80", "TCP"); return err }, 400, "InvalidInternalIp.Malformed"},
		{"dnat outside vpc", func() error { _, err := f.dnat(g.fwd, ip, "80", "10.1.1.1", "80", "TCP"); return err }, 400, "Forbidden.DestnationIpOutOfVpcCIDR"},
		{"dnat external ip not the gateway's", func() error { _, err := f.dnat(g.fwd, strayIP, "80", "192.168.1.5", "80", "TCP"); return err }, 400, "InvalidIp.NotBelongToNatgw"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { sdktest.WantFail(t, c.err(), c.status, c.code) })
	}
	_, err := f.dnat(g.fwd, ip, "80", "192.168.1.5", "80", "TCP")
	sdktest.OK(t, err)
	_, err = f.dnat(g.fwd, ip, "80", "192.168.1.6", "81", "TCP")
	sdktest.WantFail(t, err, 400, "Forbidden.ForwardEntryConflict")
	_, err = f.dnat(g.fwd, ip, "81", "192.168.1.5", "80", "TCP")
	sdktest.WantFail(t, err, 400, "OperationUnsupported.ForwardEntry")
	_, err = f.dnat(g.fwd, ip, "80", "192.168.1.5", "80", "UDP") // another protocol is another entry
	sdktest.OK(t, err)
}

// TestNatEntries_DescribeModify: the Describe filters and the Modify
// actions of both entry kinds, through the classic VPC client too.
func TestNatEntries_DescribeModify(t *testing.T) {
	f := newNet(t, false)
	g := f.createNat(t)
	_, ip := f.natEIP(t, g.id)
	_, ip2 := f.natEIP(t, g.id)
	second := createVSwitch(t, f.v6, f.vpcID, f.zone, "192.168.2.0/24", "")
	f.s.Clock.Advance(5 * time.Second)
	a, err := f.snat(g.snat, f.vsw, "", ip)
	sdktest.OK(t, err)
	_, err = f.snat(g.snat, second, "", ip+","+ip2)
	sdktest.OK(t, err)
	ds := classicvpc.CreateDescribeSnatTableEntriesRequest()
	ds.SnatTableId, ds.SourceVSwitchId = g.snat, f.vsw
	got, err := f.classic.DescribeSnatTableEntries(ds)
	sdktest.OK(t, err)
	if got.TotalCount != 1 || got.SnatTableEntries.SnatTableEntry[0].SnatEntryId != a ||
		got.SnatTableEntries.SnatTableEntry[0].SourceCIDR != "192.168.1.0/24" || got.SnatTableEntries.SnatTableEntry[0].Status != "Available" {
		t.Fatalf("SourceVSwitchId filter: %+v", got.SnatTableEntries)
	}
	ds = classicvpc.CreateDescribeSnatTableEntriesRequest()
	ds.NatGatewayId, ds.SnatIp = g.id, ip2
	got, err = f.classic.DescribeSnatTableEntries(ds)
	sdktest.OK(t, err)
	if got.TotalCount != 1 || got.SnatTableEntries.SnatTableEntry[0].SnatIp != ip+","+ip2 {
		t.Fatalf("SnatIp filter: %+v", got.SnatTableEntries)
	}
	_, err = f.v6.ModifySnatEntry(&vpc.ModifySnatEntryRequest{RegionId: dara.String(region), SnatTableId: dara.String(g.snat),
		SnatEntryId: dara.String(a), SnatEntryName: dara.String("web"), SnatIp: dara.String(ip2)})
	sdktest.OK(t, err)
	sr, err := f.v6.DescribeSnatTableEntries(&vpc.DescribeSnatTableEntriesRequest{RegionId: dara.String(region), SnatEntryName: dara.String("web")})
	sdktest.OK(t, err)
	if e := sr.Body.SnatTableEntries.SnatTableEntry; len(e) != 1 || dara.StringValue(e[0].SnatIp) != ip2 {
		t.Fatalf("after ModifySnatEntry: %v", e)
	}
	_, err = f.v6.ModifySnatEntry(&vpc.ModifySnatEntryRequest{RegionId: dara.String(region), SnatTableId: dara.String(g.snat),
		SnatEntryId: dara.String("snat-missing")})
	sdktest.WantFail(t, err, 404, "InvalidSnatEntryId.NotFound")

	fwd, err := f.dnat(g.fwd, ip, "80", "192.168.1.5", "8080", "TCP")
	sdktest.OK(t, err)
	_, err = f.dnat(g.fwd, ip2, "1000/1010", "192.168.1.6", "2000/2010", "UDP")
	sdktest.OK(t, err)
	df := classicvpc.CreateDescribeForwardTableEntriesRequest()
	df.ForwardTableId, df.IpProtocol, df.InternalPort = g.fwd, "TCP", "8080"
	fr, err := f.classic.DescribeForwardTableEntries(df)
	sdktest.OK(t, err)
	if fr.TotalCount != 1 || fr.ForwardTableEntries.ForwardTableEntry[0].ForwardEntryId != fwd {
		t.Fatalf("forward filters: %+v", fr.ForwardTableEntries)
	}
	mf := classicvpc.CreateModifyForwardEntryRequest()
	mf.ForwardTableId, mf.ForwardEntryId, mf.InternalPort, mf.ExternalPort, mf.ForwardEntryName = g.fwd, fwd, "9090", "90", "web"
	mf.PortBreak = requests.NewBoolean(false)
	_, err = f.classic.ModifyForwardEntry(mf)
	sdktest.OK(t, err)
	df = classicvpc.CreateDescribeForwardTableEntriesRequest()
	df.ForwardEntryName = "web"
	fr, err = f.classic.DescribeForwardTableEntries(df)
	sdktest.OK(t, err)
	if e := fr.ForwardTableEntries.ForwardTableEntry; len(e) != 1 || e[0].InternalPort != "9090" || e[0].ExternalPort != "90" {
		t.Fatalf("after ModifyForwardEntry: %+v", e)
	}

	// DescribeNatGateways filters, tags and ModifyNatGatewayAttribute.
	_, err = f.v6.ModifyNatGatewayAttribute(&vpc.ModifyNatGatewayAttributeRequest{RegionId: dara.String(region),
		NatGatewayId: dara.String(g.id), Name: dara.String("renamed"), Description: dara.String("d")})
	sdktest.OK(t, err)
	for _, req := range []*vpc.DescribeNatGatewaysRequest{
		{VpcId: dara.String(f.vpcID)}, {Name: dara.String("renamed")}, {NatType: dara.String("Enhanced")}, {ZoneId: dara.String(f.zone)},
		{Tag: []*vpc.DescribeNatGatewaysRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}},
	} {
		req.RegionId = dara.String(region)
		resp, err := f.v6.DescribeNatGateways(req)
		sdktest.OK(t, err)
		if n := resp.Body.NatGateways.NatGateway; len(n) != 1 || dara.StringValue(n[0].Description) != "d" || len(n[0].Tags.Tag) != 1 {
			t.Fatalf("DescribeNatGateways %v: %v", req, n)
		}
	}
	resp, err := f.v6.DescribeNatGateways(&vpc.DescribeNatGatewaysRequest{RegionId: dara.String(region), Name: dara.String("gw")})
	sdktest.OK(t, err)
	if n := len(resp.Body.NatGateways.NatGateway); n != 0 {
		t.Fatalf("old name still matches %d", n)
	}
	// The gateway is a taggable kind of the VPC tag actions.
	sdktest.OK(t, f.tag("NATGATEWAY", []string{g.id}, "env", "prod"))
	if got := f.listTags(t, "NATGATEWAY", []string{g.id}); !slices.Equal(got, []string{g.id + "/team=net", g.id + "/env=prod"}) {
		t.Fatalf("gateway tags %v", got)
	}
}

// TestNatRelease_DNATEntryStays: releasing the instance a DNAT entry
// forwards to neither waits for nor changes the entry; it keeps pointing
// at the address, which the next resource of the vSwitch may get.
func TestNatRelease_DNATEntryStays(t *testing.T) {
	f := newNet(t, false)
	g := f.createNat(t)
	_, ip := f.natEIP(t, g.id)
	inst := f.run(t, nil)
	internal := f.privateIP(t, inst)
	fwd, err := f.dnat(g.fwd, ip, "22", internal, "22", "TCP")
	sdktest.OK(t, err)
	releaseInstance(t, f.s, inst)
	resp, err := f.v6.DescribeForwardTableEntries(&vpc.DescribeForwardTableEntriesRequest{RegionId: dara.String(region), ForwardEntryId: dara.String(fwd)})
	sdktest.OK(t, err)
	e := resp.Body.ForwardTableEntries.ForwardTableEntry
	if len(e) != 1 || dara.StringValue(e[0].InternalIp) != internal || dara.StringValue(e[0].Status) != "Available" {
		t.Fatalf("DNAT entry after the release of %s: %v", inst, e)
	}
}

// TestNat_ClientTokenAndDryRun: CreateNatGateway with a ClientToken made
// twice answers the same gateway; DryRun on entry actions checks and
// writes nothing.
func TestNat_ClientTokenAndDryRun(t *testing.T) {
	f := newNet(t, false)
	req := &vpc.CreateNatGatewayRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID), VSwitchId: dara.String(f.vsw),
		ClientToken: dara.String("token-1")}
	a, err := f.v6.CreateNatGateway(req)
	sdktest.OK(t, err)
	b, err := f.v6.CreateNatGateway(req)
	sdktest.OK(t, err)
	if dara.StringValue(a.Body.NatGatewayId) != dara.StringValue(b.Body.NatGatewayId) {
		t.Fatalf("ClientToken made two gateways: %s, %s", dara.StringValue(a.Body.NatGatewayId), dara.StringValue(b.Body.NatGatewayId))
	}
	resp, err := f.v6.DescribeNatGateways(&vpc.DescribeNatGatewaysRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 1 {
		t.Fatalf("%d gateways", n)
	}
	f.s.Clock.Advance(5 * time.Second)
	id := dara.StringValue(a.Body.NatGatewayId)
	_, ip := f.natEIP(t, id)
	_, err = f.v6.CreateSnatEntry(&vpc.CreateSnatEntryRequest{RegionId: dara.String(region), SnatTableId: a.Body.SnatTableIds.SnatTableId[0],
		SourceVSwitchId: dara.String(f.vsw), SnatIp: dara.String(ip), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	_, err = f.v6.CreateForwardEntry(&vpc.CreateForwardEntryRequest{RegionId: dara.String(region), ForwardTableId: a.Body.ForwardTableIds.ForwardTableId[0],
		ExternalIp: dara.String(ip), ExternalPort: dara.String("80"), InternalIp: dara.String("192.168.1.7"), InternalPort: dara.String("80"),
		IpProtocol: dara.String("TCP"), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	_, err = f.v6.DescribeNatGateways(&vpc.DescribeNatGatewaysRequest{RegionId: dara.String(region), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	// No entry was written: only the EIP holds the gateway.
	sdktest.WantFail(t, f.deleteNat(id, false), 400, "DependencyViolation.EIPS")
}

// TestForwardEntry_ProtocolCase: the Terraform provider sends "tcp", "udp"
// and "any" and reads IpProtocol back unchanged (its acceptance test against
// the cloud); the reference lists TCP, UDP and Any. Either case is taken and
// answered in lower case, "any" ports too; an unknown protocol is refused.
func TestForwardEntry_ProtocolCase(t *testing.T) {
	f := newNet(t, true)
	g := f.createNat(t)
	_, ip := f.natEIP(t, g.id)
	tcp, err := f.dnat(g.fwd, ip, "2222", "192.168.1.5", "22", "tcp")
	sdktest.OK(t, err)
	_, err = f.dnat(g.fwd, ip, "2222", "192.168.1.6", "22", "TCP")
	sdktest.WantFail(t, err, 400, "Forbidden.ForwardEntryConflict") // the same protocol, whatever its case
	anyEntry, err := f.dnat(g.fwd, ip, "Any", "192.168.1.7", "ANY", "Any")
	sdktest.OK(t, err)
	_, err = f.dnat(g.fwd, ip, "53", "192.168.1.8", "53", "icmp")
	sdktest.WantFail(t, err, 400, "InvalidProtocal.ValueNotSupported")

	for _, c := range []struct{ filter, id, proto, port string }{{"TCP", tcp, "tcp", "22"}, {"any", anyEntry, "any", "any"}} {
		resp, err := f.v6.DescribeForwardTableEntries(&vpc.DescribeForwardTableEntriesRequest{RegionId: dara.String(region),
			ForwardTableId: dara.String(g.fwd), IpProtocol: dara.String(c.filter)})
		sdktest.OK(t, err)
		e := resp.Body.ForwardTableEntries.ForwardTableEntry
		if len(e) != 1 || dara.StringValue(e[0].ForwardEntryId) != c.id || dara.StringValue(e[0].IpProtocol) != c.proto ||
			dara.StringValue(e[0].InternalPort) != c.port {
			t.Fatalf("IpProtocol=%s: %v", c.filter, e)
		}
	}
	_, err = f.v6.ModifyForwardEntry(&vpc.ModifyForwardEntryRequest{RegionId: dara.String(region), ForwardTableId: dara.String(g.fwd),
		ForwardEntryId: dara.String(tcp), IpProtocol: dara.String("UDP")})
	sdktest.OK(t, err)
	resp, err := f.v6.DescribeForwardTableEntries(&vpc.DescribeForwardTableEntriesRequest{RegionId: dara.String(region),
		ForwardTableId: dara.String(g.fwd), ForwardEntryId: dara.String(tcp)})
	sdktest.OK(t, err)
	if e := resp.Body.ForwardTableEntries.ForwardTableEntry; len(e) != 1 || dara.StringValue(e[0].IpProtocol) != "udp" {
		t.Fatalf("after ModifyForwardEntry IpProtocol=UDP: %v", e)
	}
}
