package ecs_test

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// vpcTailWorld adds to the import world a VPC NAT gateway with a NAT IP
// CIDR block, a NAT IP and a FULLNAT entry on the ENI eni, a flow log of
// eni, a prefix list, a contiguous EIP group, a public IP address pool
// with an EIP, a traffic mirror filter and session, an IPv6 gateway, an
// Internet Shared Bandwidth instance holding an EIP, and an IPv4 gateway
// with a gateway route table; the entry's
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
	// The flow log service and a flow log of the ENI.
	_, err = e.vpc.OpenFlowLogService(classicvpc.CreateOpenFlowLogServiceRequest())
	sdktest.OK(t, err)
	lr := classicvpc.CreateCreateFlowLogRequest()
	lr.ResourceType, lr.ResourceId, lr.TrafficType, lr.ProjectName, lr.LogStoreName = "NetworkInterface", eni, "All", "p", "l"
	_, err = e.vpc.CreateFlowLog(lr)
	sdktest.OK(t, err)
	// A prefix list.
	pl := classicvpc.CreateCreateVpcPrefixListRequest()
	pl.PrefixListEntries = &[]classicvpc.CreateVpcPrefixListPrefixListEntries{{Cidr: "10.0.0.0/8"}}
	_, err = e.vpc.CreateVpcPrefixList(pl)
	sdktest.OK(t, err)
	// A group of contiguous EIPs.
	sg := classicvpc.CreateAllocateEipSegmentAddressRequest()
	sg.EipMask = "28"
	_, err = e.vpc.AllocateEipSegmentAddress(sg)
	sdktest.OK(t, err)
	// A public IP address pool with a block and an EIP drawn from it.
	_, err = e.vpc.OpenPublicIpAddressPoolService(classicvpc.CreateOpenPublicIpAddressPoolServiceRequest())
	sdktest.OK(t, err)
	pp, err := e.vpc.CreatePublicIpAddressPool(classicvpc.CreateCreatePublicIpAddressPoolRequest())
	sdktest.OK(t, err)
	pb := classicvpc.CreateAddPublicIpAddressPoolCidrBlockRequest()
	pb.PublicIpAddressPoolId, pb.CidrBlock = pp.PublicIpAddressPoolId, "120.55.10.0/30"
	_, err = e.vpc.AddPublicIpAddressPoolCidrBlock(pb)
	sdktest.OK(t, err)
	pe := classicvpc.CreateAllocateEipAddressRequest()
	pe.PublicIpAddressPoolId = pp.PublicIpAddressPoolId
	_, err = e.vpc.AllocateEipAddress(pe)
	sdktest.OK(t, err)
	// A traffic mirror filter and a session from the ENI to a secondary ENI;
	// the release takes the ENI out of the session's sources.
	_, err = e.vpc.OpenTrafficMirrorService(classicvpc.CreateOpenTrafficMirrorServiceRequest())
	sdktest.OK(t, err)
	mf, err := e.vpc.CreateTrafficMirrorFilter(classicvpc.CreateCreateTrafficMirrorFilterRequest())
	sdktest.OK(t, err)
	ni := classicecs.CreateCreateNetworkInterfaceRequest()
	ni.VSwitchId, ni.SecurityGroupId = e.vsw, e.sg
	target, err := e.classic.CreateNetworkInterface(ni)
	sdktest.OK(t, err)
	ms := classicvpc.CreateCreateTrafficMirrorSessionRequest()
	ms.TrafficMirrorFilterId, ms.TrafficMirrorTargetId, ms.TrafficMirrorTargetType = mf.TrafficMirrorFilterId, target.NetworkInterfaceId, "NetworkInterface"
	ms.TrafficMirrorSourceIds, ms.Priority = &[]string{eni}, requests.NewInteger(1)
	_, err = e.vpc.CreateTrafficMirrorSession(ms)
	sdktest.OK(t, err)
	// An IPv6 gateway.
	g6 := classicvpc.CreateCreateIpv6GatewayRequest()
	g6.VpcId = e.vpcID
	_, err = e.vpc.CreateIpv6Gateway(g6)
	sdktest.OK(t, err)
	// An IPv4 gateway with a gateway route table bound to it.
	gr := classicvpc.CreateCreateIpv4GatewayRequest()
	gr.VpcId = e.vpcID
	gw, err := e.vpc.CreateIpv4Gateway(gr)
	sdktest.OK(t, err)
	tr := classicvpc.CreateCreateRouteTableRequest()
	tr.VpcId, tr.AssociateType = e.vpcID, "Gateway"
	table, err := e.vpc.CreateRouteTable(tr)
	sdktest.OK(t, err)
	e.s.Clock.Advance(5 * time.Second)
	br := classicvpc.CreateAssociateRouteTableWithGatewayRequest()
	br.GatewayId, br.RouteTableId = gw.Ipv4GatewayId, table.RouteTableId
	_, err = e.vpc.AssociateRouteTableWithGateway(br)
	sdktest.OK(t, err)
	return n.FullNatTableIds.FullNatTableId[0]
}

// fullNatEntries counts a FULLNAT table's entries and the flow logs of
// the ENI eni, and the traffic mirror sessions it is a source of.
func (e *env) fullNatEntries(t *testing.T, table, eni string) int {
	t.Helper()
	r := classicvpc.CreateListFullNatEntriesRequest()
	r.FullNatTableId = table
	resp, err := e.vpc.ListFullNatEntries(r)
	sdktest.OK(t, err)
	fr := classicvpc.CreateDescribeFlowLogsRequest()
	fr.ResourceId = eni
	logs, err := e.vpc.DescribeFlowLogs(fr)
	sdktest.OK(t, err)
	mr := classicvpc.CreateListTrafficMirrorSessionsRequest()
	mr.TrafficMirrorSourceId = eni
	sessions, err := e.vpc.ListTrafficMirrorSessions(mr)
	sdktest.OK(t, err)
	return int(resp.TotalCount) + len(logs.FlowLogs.FlowLog) + len(sessions.TrafficMirrorSessions)
}

// vswTable is the custom route table the env's vSwitch uses, found before
// any check, so the gateway route table of vpcTailWorld stays apart.
func (e *env) vswTable(t *testing.T) string {
	t.Helper()
	r := classicvpc.CreateDescribeVSwitchesRequest()
	r.VSwitchId = e.vsw
	w, err := e.vpc.DescribeVSwitches(r)
	sdktest.OK(t, err)
	return w.VSwitches.VSwitch[0].RouteTable.RouteTableId
}
