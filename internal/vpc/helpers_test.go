package vpc_test

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/sdktest"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
)

// region is where the tests build their networks.
const region = sdktest.Region

// v6Algorithms are the two signature styles the v6 SDK speaks: ACS3 ("")
// and v1 ("v2").
var v6Algorithms = []string{"", "v2"}

// secondPrecision is the CreationTime shape of VPC answers.
var secondPrecision = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// newServer starts a fast, frozen-clock server; realistic switches to the
// realistic delays, so that networks stay Pending until the clock moves.
func newServer(tb testing.TB, realistic bool) *ecslocaltest.Server {
	tb.Helper()
	s := ecslocaltest.New(tb, ecslocaltest.Options{Seed: 7})
	if realistic {
		s.Config.Patch(map[string]any{"profile": "realistic"})
	}
	return s
}

// newSeededServer starts a server over a SQLite file and opens the same
// file a second time, so a test can write records no public action makes
// yet (instances); ecslocaltest exposes no store of its own.
func newSeededServer(tb testing.TB) (*ecslocaltest.Server, store.Store) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "ecslocal.db")
	s := ecslocaltest.New(tb, ecslocaltest.Options{Store: "sqlite:" + path, Seed: 7})
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return s, st
}

// putInstance stores an instance record directly: enough for the indexes
// DeleteVSwitch, DescribeVSwitches and DeleteSecurityGroup read.
func putInstance(tb testing.TB, s *ecslocaltest.Server, st store.Store, inst cloud.Instance) {
	tb.Helper()
	ctx := context.Background()
	err := st.Update(ctx, s.Account, func(tx store.Tx) error { return store.Put(ctx, tx, inst) })
	if err != nil {
		tb.Fatal(err)
	}
}

// deleteInstance removes a record putInstance wrote, as a release would.
func deleteInstance(tb testing.TB, s *ecslocaltest.Server, st store.Store, id string) {
	tb.Helper()
	ctx := context.Background()
	err := st.Update(ctx, s.Account, func(tx store.Tx) error { return store.Delete[cloud.Instance](ctx, tx, id) })
	if err != nil {
		tb.Fatal(err)
	}
}

// instanceIn is a stopped pay-as-you-go instance in a vSwitch and groups.
func instanceIn(id, vpcID, vswID string, groups ...string) cloud.Instance {
	return cloud.Instance{
		ID: id, Region: region, Zone: region + "-k", Name: id, InstanceType: "ecs.g7.large", Status: cloud.StatusStopped,
		ChargeType: cloud.PostPaid, VpcID: vpcID, VSwitchID: vswID, SecurityGroups: groups, PrivateIP: "172.16.0.253",
	}
}

// createVpc makes a VPC through the v6 SDK and returns its id.
func createVpc(tb testing.TB, c *vpc.Client, cidr, name string) string {
	tb.Helper()
	req := &vpc.CreateVpcRequest{RegionId: dara.String(region), VpcName: dara.String(name)}
	if cidr != "" {
		req.CidrBlock = dara.String(cidr)
	}
	resp, err := c.CreateVpc(req)
	sdktest.OK(tb, err)
	return dara.StringValue(resp.Body.VpcId)
}

// createVSwitch makes a vSwitch through the v6 SDK and returns its id.
func createVSwitch(tb testing.TB, c *vpc.Client, vpcID, zone, cidr, name string) string {
	tb.Helper()
	resp, err := c.CreateVSwitch(&vpc.CreateVSwitchRequest{
		RegionId: dara.String(region), VpcId: dara.String(vpcID), ZoneId: dara.String(zone),
		CidrBlock: dara.String(cidr), VSwitchName: dara.String(name),
	})
	sdktest.OK(tb, err)
	return dara.StringValue(resp.Body.VSwitchId)
}

// describeVpc reads one VPC through the v6 SDK.
func describeVpc(tb testing.TB, c *vpc.Client, id string) *vpc.DescribeVpcsResponseBodyVpcsVpc {
	tb.Helper()
	resp, err := c.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(region), VpcId: dara.String(id)})
	sdktest.OK(tb, err)
	if n := len(resp.Body.Vpcs.Vpc); n != 1 {
		tb.Fatalf("DescribeVpcs %s: %d VPCs", id, n)
	}
	return resp.Body.Vpcs.Vpc[0]
}

// describeVSwitch reads one vSwitch through the v6 SDK.
func describeVSwitch(tb testing.TB, c *vpc.Client, id string) *vpc.DescribeVSwitchesResponseBodyVSwitchesVSwitch {
	tb.Helper()
	resp, err := c.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: dara.String(region), VSwitchId: dara.String(id)})
	sdktest.OK(tb, err)
	if n := len(resp.Body.VSwitches.VSwitch); n != 1 {
		tb.Fatalf("DescribeVSwitches %s: %d vSwitches", id, n)
	}
	return resp.Body.VSwitches.VSwitch[0]
}

// vpcCount is DescribeVpcs' TotalCount in the test region.
func vpcCount(tb testing.TB, c *vpc.Client) int {
	tb.Helper()
	resp, err := c.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(region)})
	sdktest.OK(tb, err)
	return int(dara.Int32Value(resp.Body.TotalCount))
}

// strs dereferences an SDK string list.
func strs(in []*string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, dara.StringValue(s))
	}
	return out
}
