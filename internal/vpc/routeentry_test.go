package vpc_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// netFixture is a VPC (192.168.0.0/16) with one vSwitch and one security
// group, built through the SDKs, on a frozen clock.
type netFixture struct {
	s                           *ecslocaltest.Server
	v6                          *vpc.Client
	classic                     *classicvpc.Client
	ecs                         *classicecs.Client
	vpcID, table, vsw, zone, sg string
}

const (
	testImage = "aliyun_3_x64_20G_alibase_20240528.vhd"
	testType  = "ecs.g7.large"
)

func newNet(t *testing.T, realistic bool) *netFixture {
	t.Helper()
	s := newServer(t, realistic)
	f := &netFixture{s: s, v6: sdktest.VPC(t, s, ""), classic: sdktest.ClassicVPC(t, s), ecs: sdktest.ClassicECS(t, s)}
	created, err := f.v6.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region), CidrBlock: dara.String("192.168.0.0/16")})
	sdktest.OK(t, err)
	f.vpcID, f.table = dara.StringValue(created.Body.VpcId), dara.StringValue(created.Body.RouteTableId)
	s.Clock.Advance(5 * time.Second)
	zones, err := f.ecs.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	for _, z := range zones.Zones.Zone {
		if f.zone == "" && slices.Contains(z.AvailableInstanceTypes.InstanceTypes, testType) {
			f.zone = z.ZoneId
		}
	}
	f.vsw = createVSwitch(t, f.v6, f.vpcID, f.zone, "192.168.1.0/24", "")
	s.Clock.Advance(5 * time.Second)
	g := classicecs.CreateCreateSecurityGroupRequest()
	g.VpcId = f.vpcID
	gr, err := f.ecs.CreateSecurityGroup(g)
	sdktest.OK(t, err)
	f.sg = gr.SecurityGroupId
	return f
}

// run launches one instance and waits on the emulated clock until it runs.
func (f *netFixture) run(t *testing.T, mod func(*classicecs.RunInstancesRequest)) string {
	t.Helper()
	r := classicecs.CreateRunInstancesRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = testImage, testType, f.vsw, f.sg
	if mod != nil {
		mod(r)
	}
	resp, err := f.ecs.RunInstances(r)
	sdktest.OK(t, err)
	f.s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet[0]
}

// stop stops an instance and waits until it is Stopped.
func (f *netFixture) stop(t *testing.T, id string) {
	t.Helper()
	r := classicecs.CreateStopInstanceRequest()
	r.InstanceId = id
	_, err := f.ecs.StopInstance(r)
	sdktest.OK(t, err)
	f.s.Clock.Advance(10 * time.Second)
}

// addRoute calls CreateRouteEntry through the v6 SDK.
func (f *netFixture) addRoute(cidr, hopType, hopID string) (string, error) {
	req := &vpc.CreateRouteEntryRequest{RegionId: dara.String(region), RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String(cidr), NextHopId: dara.String(hopID)}
	if hopType != "" {
		req.NextHopType = dara.String(hopType)
	}
	resp, err := f.v6.CreateRouteEntry(req)
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.RouteEntryId), nil
}

// entries lists the table through DescribeRouteEntryList (v6).
func (f *netFixture) entries(t *testing.T, req *vpc.DescribeRouteEntryListRequest) []*vpc.DescribeRouteEntryListResponseBodyRouteEntrysRouteEntry {
	t.Helper()
	if req == nil {
		req = &vpc.DescribeRouteEntryListRequest{}
	}
	req.RegionId, req.RouteTableId = dara.String(region), dara.String(f.table)
	resp, err := f.v6.DescribeRouteEntryList(req)
	sdktest.OK(t, err)
	return resp.Body.RouteEntrys.RouteEntry
}

// customStatus is the status of a custom entry, "" when it is not listed.
func (f *netFixture) customStatus(t *testing.T, id string) string {
	t.Helper()
	for _, e := range f.entries(t, &vpc.DescribeRouteEntryListRequest{RouteEntryType: dara.String("Custom"), MaxResult: dara.Int32(100)}) {
		if dara.StringValue(e.RouteEntryId) == id {
			return dara.StringValue(e.Status)
		}
	}
	return ""
}

func TestRouteEntry_Lifecycle(t *testing.T) {
	f := newNet(t, true)
	inst := f.run(t, nil)
	id, err := f.addRoute("10.10.0.0/24", "", inst) // NextHopType defaults to Instance
	sdktest.OK(t, err)
	if !strings.HasPrefix(id, "rte-bp1") {
		t.Fatalf("RouteEntryId %q", id)
	}
	if got := f.customStatus(t, id); got != "Pending" {
		t.Fatalf("new entry is %q, want Pending", got)
	}
	// Another write to the table waits for the pending entry.
	_, err = f.addRoute("10.11.0.0/24", "Instance", inst)
	sdktest.WantFail(t, err, 400, "IncorrectRouteEntryStatus")
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "IncorrectRouteEntryStatus")
	f.s.Clock.Advance(time.Second) // routeEntry delay
	got := f.entries(t, &vpc.DescribeRouteEntryListRequest{RouteEntryId: dara.String(id)})
	if len(got) != 1 {
		t.Fatalf("DescribeRouteEntryList(RouteEntryId): %v", got)
	}
	e := got[0]
	if dara.StringValue(e.Status) != "Available" || dara.StringValue(e.Type) != "Custom" || dara.StringValue(e.RouteTableId) != f.table ||
		dara.StringValue(e.DestinationCidrBlock) != "10.10.0.0/24" || len(e.NextHops.NextHop) != 1 ||
		dara.StringValue(e.NextHops.NextHop[0].NextHopType) != "Instance" || dara.StringValue(e.NextHops.NextHop[0].NextHopId) != inst ||
		!secondPrecision.MatchString(dara.StringValue(e.GmtModified)) {
		t.Fatalf("entry: %v", e)
	}
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: dara.String(id)})
	sdktest.OK(t, err)
	if got := f.customStatus(t, id); got != "Deleting" {
		t.Fatalf("deleted entry is %q, want Deleting", got)
	}
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "IncorrectRouteEntryStatus")
	f.s.Clock.Advance(time.Second)
	if got := f.customStatus(t, id); got != "" {
		t.Fatalf("entry still listed as %q", got)
	}
	_, err = f.v6.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "InvalidRouteEntry.NotFound")
}

func TestCreateRouteEntry_Classic(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	req := classicvpc.CreateCreateRouteEntryRequest()
	req.RouteTableId, req.DestinationCidrBlock, req.NextHopType, req.NextHopId = f.table, "10.20.0.5", "Instance", inst
	req.RouteEntryName, req.Description = "to-nat", "via the instance"
	resp, err := f.classic.CreateRouteEntry(req)
	sdktest.OK(t, err)
	d := classicvpc.CreateDescribeRouteEntryListRequest()
	d.RouteTableId, d.NextHopId = f.table, inst
	list, err := f.classic.DescribeRouteEntryList(d)
	sdktest.OK(t, err)
	if len(list.RouteEntrys.RouteEntry) != 1 {
		t.Fatalf("DescribeRouteEntryList: %+v", list.RouteEntrys)
	}
	e := list.RouteEntrys.RouteEntry[0]
	// An address without a mask is a /32; the fast profile makes it Available at once.
	if e.RouteEntryId != resp.RouteEntryId || e.DestinationCidrBlock != "10.20.0.5/32" || e.Status != "Available" ||
		e.RouteEntryName != "to-nat" || e.Description != "via the instance" || e.NextHops.NextHop[0].NextHopId != inst {
		t.Fatalf("entry: %+v", e)
	}
	del := classicvpc.CreateDeleteRouteEntryRequest()
	del.RouteTableId, del.DestinationCidrBlock, del.NextHopId = f.table, "10.20.0.5/32", inst
	_, err = f.classic.DeleteRouteEntry(del)
	sdktest.OK(t, err)
	list, err = f.classic.DescribeRouteEntryList(d)
	sdktest.OK(t, err)
	if len(list.RouteEntrys.RouteEntry) != 0 {
		t.Fatalf("entry still listed: %+v", list.RouteEntrys)
	}
}

func TestCreateRouteEntry_Refusals(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	_, err := f.addRoute("10.10.0.0/24", "Instance", inst)
	sdktest.OK(t, err)
	otherVpc := createVpc(t, f.v6, "10.0.0.0/8", "other")
	otherVsw := createVSwitch(t, f.v6, otherVpc, f.zone, "10.1.0.0/24", "")
	f.s.Clock.Advance(5 * time.Second)
	g := classicecs.CreateCreateSecurityGroupRequest()
	g.VpcId = otherVpc
	gr, err := f.ecs.CreateSecurityGroup(g)
	sdktest.OK(t, err)
	foreign := f.run(t, func(r *classicecs.RunInstancesRequest) { r.VSwitchId, r.SecurityGroupId = otherVsw, gr.SecurityGroupId })
	for _, tc := range []struct {
		name                    string
		table, cidr, typ, hopID string
		status                  int
		code                    string
	}{
		{"unknown table", "vtb-nope", "10.12.0.0/24", "Instance", inst, 404, "InvalidRouteTableId.NotFound"},
		{"unknown instance", f.table, "10.12.0.0/24", "Instance", "i-bp1doesnotexist000", 400, "InvalidNextHop.NotFound"},
		{"instance of another VPC", f.table, "10.12.0.0/24", "Instance", foreign, 404, "OperationFailed.InstanceDismatchCurrentVpc"},
		{"unknown ENI", f.table, "10.12.0.0/24", "NetworkInterface", "eni-nope", 400, "InvalidNextHop.NotFound"},
		{"bad next hop type", f.table, "10.12.0.0/24", "Teleporter", inst, 400, "InvalidNextHopType"},
		{"malformed block", f.table, "10.12.0.1/24", "Instance", inst, 400, "InvalidCidrBlock.Malformed"},
		{"not IPv4", f.table, "fd00::/64", "Instance", inst, 400, "InvalidCidrBlock.Malformed"},
		{"vSwitch block", f.table, "192.168.1.0/24", "Instance", inst, 400, "InvalidCidrBlock"},
		{"inside the cloud service block", f.table, "100.64.8.0/24", "Instance", inst, 400, "InvalidCidrBlock"},
		{"same entry again", f.table, "10.10.0.0/24", "Instance", inst, 400, "RouterEntryConflict.Duplicated"},
		{"same block, other next hop", f.table, "10.10.0.0/24", "HaVip", "havip-1", 400, "InvalidCIDRBlock.Duplicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.v6.CreateRouteEntry(&vpc.CreateRouteEntryRequest{
				RegionId: dara.String(region), RouteTableId: dara.String(tc.table), DestinationCidrBlock: dara.String(tc.cidr),
				NextHopType: dara.String(tc.typ), NextHopId: dara.String(tc.hopID),
			})
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	t.Run("missing next hop", func(t *testing.T) {
		_, err := f.v6.CreateRouteEntry(&vpc.CreateRouteEntryRequest{RegionId: dara.String(region), RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("10.13.0.0/24")})
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
	t.Run("next hop not Running or Stopped", func(t *testing.T) {
		rf := newNet(t, true)
		id := rf.run(t, nil)
		r := classicecs.CreateRebootInstanceRequest()
		r.InstanceId = id
		_, err := rf.ecs.RebootInstance(r)
		sdktest.OK(t, err)
		_, err = rf.addRoute("10.14.0.0/24", "Instance", id)
		sdktest.WantFail(t, err, 403, "IncorrectInstanceStatus")
		rf.s.Clock.Advance(10 * time.Second)
		rf.stop(t, id)
		_, err = rf.addRoute("10.14.0.0/24", "Instance", id) // Stopped is fine
		sdktest.OK(t, err)
	})
	t.Run("dry run", func(t *testing.T) {
		_, err := f.v6.CreateRouteEntry(&vpc.CreateRouteEntryRequest{
			RegionId: dara.String(region), RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("10.15.0.0/24"),
			NextHopId: dara.String(inst), DryRun: dara.Bool(true),
		})
		sdktest.WantFail(t, err, 400, "DryRunOperation")
		if n := len(f.entries(t, &vpc.DescribeRouteEntryListRequest{DestinationCidrBlock: dara.String("10.15.0.0/24")})); n != 0 {
			t.Fatalf("dry run created %d entries", n)
		}
	})
	t.Run("client token", func(t *testing.T) {
		req := &vpc.CreateRouteEntryRequest{
			RegionId: dara.String(region), RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("10.16.0.0/24"),
			NextHopId: dara.String(inst), ClientToken: dara.String("rte-token"),
		}
		first, err := f.v6.CreateRouteEntry(req)
		sdktest.OK(t, err)
		again, err := f.v6.CreateRouteEntry(req)
		sdktest.OK(t, err)
		if dara.StringValue(first.Body.RouteEntryId) != dara.StringValue(again.Body.RouteEntryId) {
			t.Fatalf("replay made %s then %s", dara.StringValue(first.Body.RouteEntryId), dara.StringValue(again.Body.RouteEntryId))
		}
		req.DestinationCidrBlock = dara.String("10.17.0.0/24")
		_, err = f.v6.CreateRouteEntry(req)
		sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
	})
}

func TestRouteEntry_QuotaExceeded(t *testing.T) {
	f := newNet(t, false)
	for i := range 200 {
		_, err := f.addRoute("10.50."+strconv.Itoa(i)+".0/24", "HaVip", "havip-1")
		sdktest.OK(t, err)
	}
	_, err := f.addRoute("10.51.0.0/24", "HaVip", "havip-1")
	sdktest.WantFail(t, err, 400, "QuotaExceeded")
}

func TestDeleteRouteEntry_Refusals(t *testing.T) {
	f := newNet(t, false)
	system := f.entries(t, &vpc.DescribeRouteEntryListRequest{RouteEntryType: dara.String("System")})
	for _, tc := range []struct {
		name   string
		req    *vpc.DeleteRouteEntryRequest
		status int
		code   string
	}{
		{"unknown id", &vpc.DeleteRouteEntryRequest{RouteEntryId: dara.String("rte-nope")}, 400, "InvalidRouteEntry.NotFound"},
		{"unknown block", &vpc.DeleteRouteEntryRequest{RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("10.99.0.0/24")}, 400, "InvalidRouteEntry.NotFound"},
		{"unknown table", &vpc.DeleteRouteEntryRequest{RouteTableId: dara.String("vtb-nope"), DestinationCidrBlock: dara.String("10.99.0.0/24")}, 404, "InvalidRouteTableId.NotFound"},
		{"system entry by block", &vpc.DeleteRouteEntryRequest{RouteTableId: dara.String(f.table), DestinationCidrBlock: dara.String("192.168.1.0/24")}, 400, "OperationDenied"},
		{"system entry by id", &vpc.DeleteRouteEntryRequest{RouteTableId: dara.String(f.table), RouteEntryId: system[0].RouteEntryId}, 400, "OperationDenied"},
		{"neither id nor table", &vpc.DeleteRouteEntryRequest{DestinationCidrBlock: dara.String("10.99.0.0/24")}, 400, "MissingParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.RegionId = dara.String(region)
			_, err := f.v6.DeleteRouteEntry(tc.req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
}

func TestDescribeRouteEntryList_SystemAndPaging(t *testing.T) {
	f := newNet(t, false)
	createVSwitch(t, f.v6, f.vpcID, f.zone, "192.168.2.0/24", "")
	var custom []string
	for i := range 4 {
		id, err := f.addRoute("10.60."+strconv.Itoa(i)+".0/24", "HaVip", "havip-"+strconv.Itoa(i%2))
		sdktest.OK(t, err)
		custom = append(custom, id)
	}
	cidrs := func(list []*vpc.DescribeRouteEntryListResponseBodyRouteEntrysRouteEntry) []string {
		var out []string
		for _, e := range list {
			out = append(out, dara.StringValue(e.DestinationCidrBlock))
		}
		return out
	}
	sys := f.entries(t, &vpc.DescribeRouteEntryListRequest{RouteEntryType: dara.String("System")})
	if got, want := cidrs(sys), []string{"192.168.1.0/24", "192.168.2.0/24", "100.64.0.0/10"}; !slices.Equal(got, want) {
		t.Fatalf("system entries %v, want %v", got, want)
	}
	for _, e := range sys {
		if dara.StringValue(e.Type) != "System" || dara.StringValue(e.Status) != "Available" || dara.StringValue(e.NextHops.NextHop[0].NextHopType) != "local" {
			t.Errorf("system entry: %v", e)
		}
	}
	for _, tc := range []struct {
		name string
		req  *vpc.DescribeRouteEntryListRequest
		want []string
	}{
		{"all", &vpc.DescribeRouteEntryListRequest{MaxResult: dara.Int32(20)},
			[]string{"192.168.1.0/24", "192.168.2.0/24", "100.64.0.0/10", "10.60.0.0/24", "10.60.1.0/24", "10.60.2.0/24", "10.60.3.0/24"}},
		{"custom", &vpc.DescribeRouteEntryListRequest{RouteEntryType: dara.String("Custom")},
			[]string{"10.60.0.0/24", "10.60.1.0/24", "10.60.2.0/24", "10.60.3.0/24"}},
		{"next hop", &vpc.DescribeRouteEntryListRequest{NextHopId: dara.String("havip-1")}, []string{"10.60.1.0/24", "10.60.3.0/24"}},
		{"next hop type local", &vpc.DescribeRouteEntryListRequest{NextHopType: dara.String("local")}, []string{"192.168.1.0/24", "192.168.2.0/24", "100.64.0.0/10"}},
		{"destination", &vpc.DescribeRouteEntryListRequest{DestinationCidrBlock: dara.String("10.60.2.0/24")}, []string{"10.60.2.0/24"}},
		{"destination list", &vpc.DescribeRouteEntryListRequest{DestCidrBlockList: dara.StringSlice([]string{"10.60.3.0/24", "192.168.2.0/24"})}, []string{"192.168.2.0/24", "10.60.3.0/24"}},
		{"id", &vpc.DescribeRouteEntryListRequest{RouteEntryId: dara.String(custom[1])}, []string{"10.60.1.0/24"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cidrs(f.entries(t, tc.req)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		var all []string
		token := ""
		for pages := 0; ; pages++ {
			req := &vpc.DescribeRouteEntryListRequest{RegionId: dara.String(region), RouteTableId: dara.String(f.table), MaxResult: dara.Int32(3)}
			if token != "" {
				req.NextToken = dara.String(token)
			}
			resp, err := f.v6.DescribeRouteEntryList(req)
			sdktest.OK(t, err)
			if n := len(resp.Body.RouteEntrys.RouteEntry); n > 3 || n == 0 {
				t.Fatalf("page %d has %d entries", pages, n)
			}
			all = append(all, cidrs(resp.Body.RouteEntrys.RouteEntry)...)
			if token = dara.StringValue(resp.Body.NextToken); token == "" {
				break
			}
		}
		if len(all) != 7 || all[3] != "10.60.0.0/24" {
			t.Fatalf("paged through %v", all)
		}
	})
	t.Run("unknown table", func(t *testing.T) {
		_, err := f.v6.DescribeRouteEntryList(&vpc.DescribeRouteEntryListRequest{RegionId: dara.String(region), RouteTableId: dara.String("vtb-nope")})
		sdktest.WantFail(t, err, 404, "InvalidRouteTableId.NotFound")
	})
	t.Run("bad token", func(t *testing.T) {
		_, err := f.v6.DescribeRouteEntryList(&vpc.DescribeRouteEntryListRequest{RegionId: dara.String(region), RouteTableId: dara.String(f.table), NextToken: dara.String("!!")})
		sdktest.WantFail(t, err, 400, "InvalidNextToken.Malformed")
	})
}

// DescribeRouteTables is the legacy listing the Terraform provider reads
// route entries through; the classic ECS SDK calls its ECS twin.
func TestDescribeRouteTables_Legacy(t *testing.T) {
	f := newNet(t, false)
	inst := f.run(t, nil)
	id, err := f.addRoute("10.70.0.0/24", "Instance", inst)
	sdktest.OK(t, err)
	req := classicvpc.CreateDescribeRouteTablesRequest()
	req.RouteTableId = f.table
	resp, err := f.classic.DescribeRouteTables(req)
	sdktest.OK(t, err)
	if resp.TotalCount != 1 || len(resp.RouteTables.RouteTable) != 1 {
		t.Fatalf("DescribeRouteTables: %+v", resp)
	}
	rt := resp.RouteTables.RouteTable[0]
	if rt.RouteTableId != f.table || rt.RouteTableType != "System" || !slices.Equal(rt.VSwitchIds.VSwitchId, []string{f.vsw}) || len(rt.RouteEntrys.RouteEntry) != 3 {
		t.Fatalf("route table: %+v", rt)
	}
	e := rt.RouteEntrys.RouteEntry[2]
	if e.RouteEntryId != id || e.Type != "Custom" || e.InstanceId != inst || e.NextHopType != "Instance" || e.Status != "Available" {
		t.Fatalf("custom entry: %+v", e)
	}
	er := classicecs.CreateDescribeRouteTablesRequest()
	er.RouteTableId = f.table
	eresp, err := f.ecs.DescribeRouteTables(er)
	sdktest.OK(t, err)
	if len(eresp.RouteTables.RouteTable) != 1 || len(eresp.RouteTables.RouteTable[0].RouteEntrys.RouteEntry) != 3 {
		t.Fatalf("ECS DescribeRouteTables: %+v", eresp.RouteTables)
	}
}

func TestDeleteVpc_RouteEntryDependency(t *testing.T) {
	s := newServer(t, false)
	c := sdktest.VPC(t, s, "")
	created, err := c.CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region)})
	sdktest.OK(t, err)
	vpcID, table := dara.StringValue(created.Body.VpcId), dara.StringValue(created.Body.RouteTableId)
	entry, err := c.CreateRouteEntry(&vpc.CreateRouteEntryRequest{
		RegionId: dara.String(region), RouteTableId: dara.String(table), DestinationCidrBlock: dara.String("10.0.0.0/8"),
		NextHopType: dara.String("HaVip"), NextHopId: dara.String("havip-1"),
	})
	sdktest.OK(t, err)
	_, err = c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
	sdktest.WantFail(t, err, 400, "DependencyViolation.RouteEntry")
	_, err = c.DeleteRouteEntry(&vpc.DeleteRouteEntryRequest{RegionId: dara.String(region), RouteEntryId: entry.Body.RouteEntryId})
	sdktest.OK(t, err)
	_, err = c.DeleteVpc(&vpc.DeleteVpcRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
	sdktest.OK(t, err)
}
