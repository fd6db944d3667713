package vpc_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
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

// runInstance launches a Running instance in a vSwitch through the classic
// ECS SDK, with a security group of its own in the VPC.
func runInstance(tb testing.TB, s *ecslocaltest.Server, vpcID, vswID string) string {
	tb.Helper()
	ecs := sdktest.ClassicECS(tb, s)
	sg := classicecs.CreateCreateSecurityGroupRequest()
	sg.VpcId = vpcID
	g, err := ecs.CreateSecurityGroup(sg)
	sdktest.OK(tb, err)
	r := classicecs.CreateRunInstancesRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = "aliyun_3_x64_20G_alibase_20240528.vhd", "ecs.g7.large", vswID, g.SecurityGroupId
	resp, err := ecs.RunInstances(r)
	sdktest.OK(tb, err)
	s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet[0]
}

// releaseInstance releases an instance and waits, on the emulated clock,
// until it is gone.
func releaseInstance(tb testing.TB, s *ecslocaltest.Server, id string) {
	tb.Helper()
	r := classicecs.CreateDeleteInstancesRequest()
	r.InstanceId, r.Force = &[]string{id}, requests.NewBoolean(true)
	_, err := sdktest.ClassicECS(tb, s).DeleteInstances(r)
	sdktest.OK(tb, err)
	s.Clock.Advance(10 * time.Second)
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
