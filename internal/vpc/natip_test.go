package vpc_test

import (
	"encoding/json"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// vpcNat is a VPC (intranet) NAT gateway made for a test.
type vpcNat struct{ id, snat, fwd, full string }

// createVpcNat makes a VPC NAT gateway in the fixture's vSwitch and waits
// until it is Available.
func (f *netFixture) createVpcNat(t *testing.T) vpcNat {
	t.Helper()
	resp, err := f.v6.CreateNatGateway(&vpc.CreateNatGatewayRequest{
		RegionId: dara.String(region), VpcId: dara.String(f.vpcID), VSwitchId: dara.String(f.vsw), NetworkType: dara.String("intranet"),
	})
	sdktest.OK(t, err)
	f.s.Clock.Advance(5 * time.Second)
	b := resp.Body
	if len(b.FullNatTableIds.FullNatTableId) != 1 {
		t.Fatalf("a VPC NAT gateway has FullNatTableIds %v", b.FullNatTableIds.FullNatTableId)
	}
	return vpcNat{dara.StringValue(b.NatGatewayId), dara.StringValue(b.SnatTableIds.SnatTableId[0]),
		dara.StringValue(b.ForwardTableIds.ForwardTableId[0]), dara.StringValue(b.FullNatTableIds.FullNatTableId[0])}
}

func (f *netFixture) natIPs(t *testing.T, nat string) []*vpc.ListNatIpsResponseBodyNatIps {
	t.Helper()
	resp, err := f.v6.ListNatIps(&vpc.ListNatIpsRequest{RegionId: dara.String(region), NatGatewayId: dara.String(nat)})
	sdktest.OK(t, err)
	return resp.Body.NatIps
}

func (f *netFixture) createNatIP(nat, cidr, ip string) (id, addr string, err error) {
	req := &vpc.CreateNatIpRequest{RegionId: dara.String(region), NatGatewayId: dara.String(nat), NatIpCidr: dara.String(cidr), NatIpName: dara.String("ip")}
	if ip != "" {
		req.NatIp = dara.String(ip)
	}
	resp, err := f.v6.CreateNatIp(req)
	if err != nil {
		return "", "", err
	}
	return dara.StringValue(resp.Body.NatIpId), dara.StringValue(resp.Body.NatIp), nil
}

func (f *netFixture) createNatIPCidr(nat, cidr string) error {
	_, err := f.v6.CreateNatIpCidr(&vpc.CreateNatIpCidrRequest{RegionId: dara.String(region), NatGatewayId: dara.String(nat),
		NatIpCidr: dara.String(cidr), NatIpCidrName: dara.String("block")})
	return err
}

// primaryENI is an instance's primary ENI (ECS v7).
func (f *netFixture) primaryENI(t *testing.T, inst string) string {
	t.Helper()
	resp, err := sdktest.ECS(t, f.s, "").DescribeNetworkInterfaces(&ecs.DescribeNetworkInterfacesRequest{RegionId: dara.String(region),
		InstanceId: dara.String(inst), Type: dara.String("Primary")})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId)
}

// TestNatIp_Lifecycle: a VPC NAT gateway's default block and NAT IP, a
// new block, NAT IPs drawn from each, their listing, renaming, and the
// refusals of DeleteNatIp and DeleteNatIpCidr.
func TestNatIp_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	g := f.createVpcNat(t)
	ips := f.natIPs(t, g.id)
	if len(ips) != 1 || !dara.BoolValue(ips[0].IsDefault) || dara.StringValue(ips[0].NatIpCidr) != "192.168.1.0/24" {
		t.Fatalf("default NAT IPs %v", ips)
	}
	defaultIP := dara.StringValue(ips[0].NatIpId)
	if got := dara.StringValue(f.describeNat(t, g.id).NatGatewayPrivateInfo.PrivateIpAddress); got != dara.StringValue(ips[0].NatIp) {
		t.Fatalf("default NAT IP %s, gateway address %s", dara.StringValue(ips[0].NatIp), got)
	}
	cidrs, err := f.v6.ListNatIpCidrs(&vpc.ListNatIpCidrsRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id)})
	sdktest.OK(t, err)
	if l := cidrs.Body.NatIpCidrs; len(l) != 1 || !dara.BoolValue(l[0].IsDefault) || dara.StringValue(cidrs.Body.TotalCount) != "1" {
		t.Fatalf("default blocks %v", l)
	}

	sdktest.WantFail(t, f.createNatIPCidr(g.id, "8.8.8.0/24"), 400, "IllegalParam.NatIpCidr")
	sdktest.WantFail(t, f.createNatIPCidr(g.id, "172.16.0.0/8"), 400, "IllegalParam.NatIpCidr")
	sdktest.WantFail(t, f.createNatIPCidr(g.id, "192.168.1.128/25"), 400, "OperationFailed.NatIpCidrConflict")
	sdktest.WantFail(t, f.createNatIPCidr("ngw-missing", "172.16.0.0/24"), 404, "InvalidNatGatewayId.NotFound")
	_, err = f.v6.CreateNatIpCidr(&vpc.CreateNatIpCidrRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id),
		NatIpCidr: dara.String("172.16.0.0/24"), DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	sdktest.OK(t, f.createNatIPCidr(g.id, "172.16.0.0/24"))

	id, addr, err := f.createNatIP(g.id, "172.16.0.0/24", "")
	sdktest.OK(t, err)
	if addr != "172.16.0.1" {
		t.Fatalf("first NAT IP of 172.16.0.0/24: %s", addr)
	}
	_, _, err = f.createNatIP(g.id, "172.16.0.0/24", "172.16.0.1")
	sdktest.WantFail(t, err, 400, "OperationConflict.NatIpUsed")
	_, _, err = f.createNatIP(g.id, "172.16.0.0/24", "172.16.1.9")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, _, err = f.createNatIP(g.id, "172.17.0.0/24", "")
	sdktest.WantFail(t, err, 404, "ResourceNotFound.NatIpCidr")
	_, vswIP, err := f.createNatIP(g.id, "192.168.1.0/24", "")
	sdktest.OK(t, err)
	if vswIP == "" || vswIP == dara.StringValue(ips[0].NatIp) {
		t.Fatalf("NAT IP from the vSwitch block: %q", vswIP)
	}
	if n := len(f.natIPs(t, g.id)); n != 3 {
		t.Fatalf("%d NAT IPs, want 3", n)
	}
	byCidr, err := f.v6.ListNatIps(&vpc.ListNatIpsRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id), NatIpCidr: dara.String("172.16.0.0/24")})
	sdktest.OK(t, err)
	if l := byCidr.Body.NatIps; len(l) != 1 || dara.StringValue(l[0].NatIpId) != id {
		t.Fatalf("NAT IPs of 172.16.0.0/24: %v", l)
	}
	_, err = f.v6.ModifyNatIpAttribute(&vpc.ModifyNatIpAttributeRequest{RegionId: dara.String(region), NatIpId: dara.String(id), NatIpName: dara.String("renamed")})
	sdktest.OK(t, err)
	named, err := f.v6.ListNatIps(&vpc.ListNatIpsRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id), NatIpName: []*string{dara.String("renamed")}})
	sdktest.OK(t, err)
	if l := named.Body.NatIps; len(l) != 1 || dara.StringValue(l[0].NatIpId) != id {
		t.Fatalf("NAT IPs named renamed: %v", l)
	}
	_, err = f.v6.ModifyNatIpCidrAttribute(&vpc.ModifyNatIpCidrAttributeRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id),
		NatIpCidr: dara.String("172.16.0.0/24"), NatIpCidrDescription: dara.String("second")})
	sdktest.OK(t, err)

	// An SNAT entry of a VPC NAT gateway translates to a NAT IP, and holds it.
	_, err = f.snat(g.snat, f.vsw, "", "47.98.1.1")
	sdktest.WantFail(t, err, 400, "InvalidIp.NotBelongToNatgw")
	snat, err := f.snat(g.snat, f.vsw, "", addr)
	sdktest.OK(t, err)
	deleteIP := func(id string) error {
		_, err := f.v6.DeleteNatIp(&vpc.DeleteNatIpRequest{RegionId: dara.String(region), NatIpId: dara.String(id)})
		return err
	}
	deleteCidr := func(cidr string) error {
		_, err := f.v6.DeleteNatIpCidr(&vpc.DeleteNatIpCidrRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id), NatIpCidr: dara.String(cidr)})
		return err
	}
	sdktest.WantFail(t, deleteIP(id), 400, "DependencyViolation.NatIp")
	sdktest.WantFail(t, deleteIP(defaultIP), 400, "OperationFailed.DefaultNatIp")
	sdktest.WantFail(t, deleteCidr("172.16.0.0/24"), 400, "DependencyViolation.NatIpCidr")
	sdktest.WantFail(t, deleteCidr("192.168.1.0/24"), 400, "OperationFailed.DefaultNatIpCidr")
	_, err = f.v6.DeleteSnatEntry(&vpc.DeleteSnatEntryRequest{RegionId: dara.String(region), SnatTableId: dara.String(g.snat), SnatEntryId: dara.String(snat)})
	sdktest.OK(t, err)
	sdktest.OK(t, deleteIP(id))
	sdktest.WantFail(t, deleteIP(id), 404, "ResourceNotFound.NatIp")
	sdktest.OK(t, deleteCidr("172.16.0.0/24"))
	sdktest.WantFail(t, deleteCidr("172.16.0.0/24"), 404, "ResourceNotFound.NatIpCidr")

	// An Internet gateway has no NAT IPs.
	inet := f.createNat(t)
	_, err = f.v6.ListNatIps(&vpc.ListNatIpsRequest{RegionId: dara.String(region), NatGatewayId: dara.String(inet.id)})
	sdktest.WantFail(t, err, 400, "OperationUnsupported.NetworkType")

	// Deleting the gateway takes its NAT IPs and blocks with it.
	sdktest.OK(t, f.deleteNat(g.id, false))
	sdktest.WantFail(t, deleteIP(defaultIP), 404, "ResourceNotFound.NatIp")
}

// TestFullNatEntry_Lifecycle: FULLNAT entries on an instance's ENI —
// create (the classic SDK too), list with filters, modify, the refusals,
// DeleteNatIp and DeleteNatGateway held back by them — and the release
// of the instance removing the entries on its ENI.
func TestFullNatEntry_Lifecycle(t *testing.T) {
	f := newNet(t, false)
	g := f.createVpcNat(t)
	_, natIP, err := f.createNatIP(g.id, "192.168.1.0/24", "192.168.1.200")
	sdktest.OK(t, err)
	inst := f.run(t, nil)
	eni := f.primaryENI(t, inst)
	create := func(ip, port, proto, eni, access string) (string, error) {
		req := &vpc.CreateFullNatEntryRequest{RegionId: dara.String(region), FullNatTableId: dara.String(g.full), NatIp: dara.String(ip),
			AccessPort: dara.String(port), IpProtocol: dara.String(proto), NetworkInterfaceId: dara.String(eni), NatIpPort: dara.String("80")}
		if access != "" {
			req.AccessIp = dara.String(access)
		}
		resp, err := f.v6.CreateFullNatEntry(req)
		if err != nil {
			return "", err
		}
		return dara.StringValue(resp.Body.FullNatEntryId), nil
	}
	entry, err := create(natIP, "8080", "TCP", eni, "")
	sdktest.OK(t, err)
	_, err = create(natIP, "8081", "TCP", eni, "")
	sdktest.WantFail(t, err, 400, "Forbidden.FullNatEntryConflict")
	_, err = create(natIP, "8080", "ICMP", eni, "")
	sdktest.WantFail(t, err, 400, "InvalidProtocal.ValueNotSupported")
	_, err = create("10.9.9.9", "8080", "UDP", eni, "")
	sdktest.WantFail(t, err, 400, "InvalidIp.NotBelongToNatgw")
	_, err = create(natIP, "8080", "UDP", "eni-missing", "")
	sdktest.WantFail(t, err, 404, "InvalidEniId.NotFound")
	_, err = create(natIP, "8080", "UDP", eni, "192.168.1.250")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = f.v6.CreateFullNatEntry(&vpc.CreateFullNatEntryRequest{RegionId: dara.String(region), FullNatTableId: dara.String("fulltb-missing"),
		NatIp: dara.String(natIP), AccessPort: dara.String("1"), IpProtocol: dara.String("TCP"), NetworkInterfaceId: dara.String(eni)})
	sdktest.WantFail(t, err, 404, "InvalidFullNatTableId.NotFound")

	// The classic SDK, without NatIpPort: the port is drawn.
	cr := classicvpc.CreateCreateFullNatEntryRequest()
	cr.FullNatTableId, cr.NatIp, cr.AccessPort, cr.IpProtocol, cr.NetworkInterfaceId = g.full, natIP, "53", "UDP", eni
	classic, err := f.classic.CreateFullNatEntry(cr)
	sdktest.OK(t, err)

	list := func(req *vpc.ListFullNatEntriesRequest) []*vpc.ListFullNatEntriesResponseBodyFullNatEntries {
		t.Helper()
		req.RegionId = dara.String(region)
		resp, err := f.v6.ListFullNatEntries(req)
		sdktest.OK(t, err)
		return resp.Body.FullNatEntries
	}
	all := list(&vpc.ListFullNatEntriesRequest{NatGatewayId: dara.String(g.id)})
	if len(all) != 2 || dara.StringValue(all[0].AccessIp) != f.privateIP(t, inst) || dara.StringValue(all[0].NetworkInterfaceType) != "Primary" ||
		dara.StringValue(all[1].NatIpPort) != "1024" || dara.StringValue(all[1].FullNatEntryId) != classic.FullNatEntryId {
		t.Fatalf("FULLNAT entries %v", all)
	}
	if l := list(&vpc.ListFullNatEntriesRequest{FullNatTableId: dara.String(g.full), IpProtocol: dara.String("UDP")}); len(l) != 1 {
		t.Fatalf("UDP entries %v", l)
	}
	_, err = f.v6.ModifyFullNatEntryAttribute(&vpc.ModifyFullNatEntryAttributeRequest{RegionId: dara.String(region), FullNatTableId: dara.String(g.full),
		FullNatEntryId: dara.String(entry), AccessPort: dara.String("9090"), FullNatEntryName: dara.String("web")})
	sdktest.OK(t, err)
	if l := list(&vpc.ListFullNatEntriesRequest{FullNatTableId: dara.String(g.full), FullNatEntryNames: []*string{dara.String("web")}}); len(l) != 1 ||
		dara.StringValue(l[0].AccessPort) != "9090" {
		t.Fatalf("modified entry %v", l)
	}

	// The entries hold the NAT IP and, without Force, the gateway.
	var natIPID string
	for _, ip := range f.natIPs(t, g.id) {
		if dara.StringValue(ip.NatIp) == natIP {
			natIPID = dara.StringValue(ip.NatIpId)
		}
	}
	_, err = f.v6.DeleteNatIp(&vpc.DeleteNatIpRequest{RegionId: dara.String(region), NatIpId: dara.String(natIPID)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.NatIp")
	sdktest.WantFail(t, f.deleteNat(g.id, false), 400, "DependencyViolation.FullNatEntry")
	_, err = f.v6.DeleteFullNatEntry(&vpc.DeleteFullNatEntryRequest{RegionId: dara.String(region), FullNatTableId: dara.String(g.full), FullNatEntryId: dara.String(classic.FullNatEntryId)})
	sdktest.OK(t, err)
	_, err = f.v6.DeleteFullNatEntry(&vpc.DeleteFullNatEntryRequest{RegionId: dara.String(region), FullNatTableId: dara.String(g.full), FullNatEntryId: dara.String(classic.FullNatEntryId)})
	sdktest.WantFail(t, err, 404, "InvalidFullNatEntryId.NotFound")

	// Releasing the instance removes the entries on its (removed) ENI.
	releaseInstance(t, f.s, inst)
	if l := list(&vpc.ListFullNatEntriesRequest{NatGatewayId: dara.String(g.id)}); len(l) != 0 {
		t.Fatalf("FULLNAT entries outlived the instance's ENI: %v", l)
	}
	attr, err := f.v6.GetNatGatewayAttribute(&vpc.GetNatGatewayAttributeRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id)})
	sdktest.OK(t, err)
	if b := attr.Body; dara.StringValue(b.FullNatTable.FullNatTableId) != g.full || dara.Int64Value(b.FullNatTable.FullNatEntryCount) != 0 ||
		dara.StringValue(b.NetworkType) != "intranet" || dara.StringValue(b.SnatTable.SnatTableId) != g.snat {
		t.Fatalf("GetNatGatewayAttribute %v", b)
	}
	sdktest.OK(t, f.deleteNat(g.id, false))
}

// TestNatGateway_AttributeSpecZones: GetNatGatewayAttribute of an Internet
// gateway, ModifyNatGatewaySpec, and the zones enhanced gateways take.
func TestNatGateway_AttributeSpecZones(t *testing.T) {
	f := newNet(t, false)
	g := f.createNat(t)
	_, ip := f.natEIP(t, g.id)
	_, err := f.snat(g.snat, f.vsw, "", ip)
	sdktest.OK(t, err)
	attr, err := f.v6.GetNatGatewayAttribute(&vpc.GetNatGatewayAttributeRequest{RegionId: dara.String(region), NatGatewayId: dara.String(g.id)})
	sdktest.OK(t, err)
	b := attr.Body
	if dara.Int32Value(b.SnatTable.SnatEntryCount) != 1 || len(b.IpList) != 1 || dara.StringValue(b.IpList[0].UsingStatus) != "UsedBySnatTable" ||
		dara.StringValue(b.BillingConfig.InternetChargeType) != "PayByLcu" || dara.StringValue(b.PrivateInfo.VswitchId) != f.vsw {
		t.Fatalf("GetNatGatewayAttribute %v", b)
	}
	_, err = f.v6.GetNatGatewayAttribute(&vpc.GetNatGatewayAttributeRequest{RegionId: dara.String(region), NatGatewayId: dara.String("ngw-missing")})
	sdktest.WantFail(t, err, 404, "InvalidNatGatewayId.NotFound")

	spec := func(id, s string) error {
		_, err := f.v6.ModifyNatGatewaySpec(&vpc.ModifyNatGatewaySpecRequest{RegionId: dara.String(region), NatGatewayId: dara.String(id), Spec: dara.String(s)})
		return err
	}
	sdktest.WantFail(t, spec(g.id, "Middle"), 400, "OperationUnsupported.PayByLcu")
	bySpec, err := f.v6.CreateNatGateway(&vpc.CreateNatGatewayRequest{RegionId: dara.String(region), VpcId: dara.String(f.vpcID),
		VSwitchId: dara.String(f.vsw), InternetChargeType: dara.String("PayBySpec"), Spec: dara.String("Small")})
	sdktest.OK(t, err)
	id := dara.StringValue(bySpec.Body.NatGatewayId)
	f.s.Clock.Advance(5 * time.Second)
	sdktest.WantFail(t, spec(id, "Huge"), 400, "InvalidParameter")
	sdktest.OK(t, spec(id, "Large"))
	if got := dara.StringValue(f.describeNat(t, id).Spec); got != "Large" {
		t.Fatalf("Spec after ModifyNatGatewaySpec: %s", got)
	}

	zones, err := f.v6.ListEnhanhcedNatGatewayAvailableZones(&vpc.ListEnhanhcedNatGatewayAvailableZonesRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	found := false
	for _, z := range zones.Body.Zones {
		found = found || dara.StringValue(z.ZoneId) == f.zone && dara.StringValue(z.LocalName) != ""
	}
	if !found {
		t.Fatalf("zones %v lack %s", zones.Body.Zones, f.zone)
	}
	_, err = f.v6.ListEnhanhcedNatGatewayAvailableZones(&vpc.ListEnhanhcedNatGatewayAvailableZonesRequest{RegionId: dara.String("xx-nowhere-1")})
	sdktest.WantFail(t, err, 404, "InvalidRegionId.NotFound")
}

// TestNatIp_Attributes: GetNatIpAttribute and GetNatIpCidrAttribute, which
// no SDK of this build models, through the classic SDK's common request.
func TestNatIp_Attributes(t *testing.T) {
	f := newNet(t, false)
	g := f.createVpcNat(t)
	sdktest.OK(t, f.createNatIPCidr(g.id, "172.16.0.0/24"))
	id, addr, err := f.createNatIP(g.id, "172.16.0.0/24", "")
	sdktest.OK(t, err)
	call := func(action string, params map[string]string) (map[string]any, error) {
		r := requests.NewCommonRequest()
		r.Product, r.Version, r.ApiName, r.Domain, r.Scheme = "Vpc", "2016-04-28", action, f.s.Endpoint, "http"
		r.QueryParams = map[string]string{"RegionId": region}
		for k, v := range params {
			r.QueryParams[k] = v
		}
		resp, err := f.classic.ProcessCommonRequest(r)
		if err != nil {
			return nil, err
		}
		var out map[string]any
		return out, json.Unmarshal(resp.GetHttpContentBytes(), &out)
	}
	got, err := call("GetNatIpAttribute", map[string]string{"NatIpId": id})
	sdktest.OK(t, err)
	if got["NatIp"] != addr || got["NatIpCidr"] != "172.16.0.0/24" || got["NatGatewayId"] != g.id || got["NatIpName"] != "ip" ||
		got["NatIpStatus"] != "Available" || !secondPrecision.MatchString(got["CreationTime"].(string)) {
		t.Fatalf("GetNatIpAttribute %v", got)
	}
	_, err = call("GetNatIpAttribute", map[string]string{"NatIpId": "vpcnatip-missing"})
	sdktest.WantFail(t, err, 404, "ResourceNotFound.NatIp")
	_, err = call("GetNatIpAttribute", map[string]string{"NatIpId": id, "DryRun": "true"})
	sdktest.WantFail(t, err, 400, "DryRunOperation")
	got, err = call("GetNatIpCidrAttribute", map[string]string{"NatGatewayId": g.id, "NatIpCidr": "172.16.0.0/24"})
	sdktest.OK(t, err)
	if got["NatIpCidr"] != "172.16.0.0/24" || got["NatIpCidrName"] != "block" || got["NatIpCidrStatus"] != "Available" || got["NatIpCidrId"] == "" {
		t.Fatalf("GetNatIpCidrAttribute %v", got)
	}
	_, err = call("GetNatIpCidrAttribute", map[string]string{"NatGatewayId": g.id, "NatIpCidr": "10.1.0.0/24"})
	sdktest.WantFail(t, err, 404, "ResourceNotFound.NatIpCidr")
	_, err = call("GetNatIpCidrAttribute", map[string]string{"NatGatewayId": g.id})
	sdktest.WantFail(t, err, 400, "MissingParameter")
}
