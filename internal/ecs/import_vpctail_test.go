package ecs_test

import (
	"testing"
	"time"

	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// vpcTailWorld adds to the import world a VPC NAT gateway with a NAT IP
// CIDR block, a NAT IP and a FULLNAT entry on the ENI eni, and an
// Internet Shared Bandwidth instance holding an EIP; the entry's
// table is returned, so the release's removal of it is checked after the
// import.
func (e *env) vpcTailWorld(t *testing.T, eni string) (fullTable string) {
	t.Helper()
	r := classicvpc.CreateCreateNatGatewayRequest()
	r.VpcId, r.VSwitchId, r.NatType, r.NetworkType = e.vpcID, e.vsw, "Enhanced", "intranet"
	n, err := e.vpc.CreateNatGateway(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	cr := classicvpc.CreateCreateNatIpCidrRequest()
	cr.NatGatewayId, cr.NatIpCidr = n.NatGatewayId, "172.16.0.0/24"
	_, err = e.vpc.CreateNatIpCidr(cr)
	sdktest.OK(t, err)
	ir := classicvpc.CreateCreateNatIpRequest()
	ir.NatGatewayId, ir.NatIpCidr = n.NatGatewayId, "172.16.0.0/24"
	ip, err := e.vpc.CreateNatIp(ir)
	sdktest.OK(t, err)
	fr := classicvpc.CreateCreateFullNatEntryRequest()
	fr.FullNatTableId, fr.NatIp, fr.NatIpPort, fr.AccessPort, fr.IpProtocol = n.FullNatTableIds.FullNatTableId[0], ip.NatIp, "80", "80", "TCP"
	fr.NetworkInterfaceId = eni
	_, err = e.vpc.CreateFullNatEntry(fr)
	sdktest.OK(t, err)
	// An Internet Shared Bandwidth instance holding an EIP.
	pr := classicvpc.CreateCreateCommonBandwidthPackageRequest()
	pr.Bandwidth = "10"
	pkg, err := e.vpc.CreateCommonBandwidthPackage(pr)
	sdktest.OK(t, err)
	ar := classicvpc.CreateAddCommonBandwidthPackageIpRequest()
	ar.BandwidthPackageId, ar.IpInstanceId = pkg.BandwidthPackageId, e.allocate(t)
	_, err = e.vpc.AddCommonBandwidthPackageIp(ar)
	sdktest.OK(t, err)
	return n.FullNatTableIds.FullNatTableId[0]
}

// fullNatEntries counts a FULLNAT table's entries.
func (e *env) fullNatEntries(t *testing.T, table string) int {
	t.Helper()
	r := classicvpc.CreateListFullNatEntriesRequest()
	r.FullNatTableId = table
	resp, err := e.vpc.ListFullNatEntries(r)
	sdktest.OK(t, err)
	return int(resp.TotalCount)
}
