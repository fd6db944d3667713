package ecs_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const sgRegion = sdktest.Region

// sgServer starts a fast, frozen-clock server with one VPC and returns the
// VPC's id.
func sgServer(tb testing.TB) (*ecslocaltest.Server, string) {
	tb.Helper()
	s := ecslocaltest.New(tb, ecslocaltest.Options{Seed: 11})
	return s, sgVpc(tb, s, sgRegion)
}

// sgVpc makes a VPC through the v6 VPC SDK.
func sgVpc(tb testing.TB, s *ecslocaltest.Server, region string) string {
	tb.Helper()
	resp, err := sdktest.VPC(tb, s, "").CreateVpc(&vpc.CreateVpcRequest{RegionId: dara.String(region)})
	sdktest.OK(tb, err)
	return dara.StringValue(resp.Body.VpcId)
}

// createSG makes a security group through the v7 SDK.
func createSG(tb testing.TB, c *ecs.Client, req *ecs.CreateSecurityGroupRequest) string {
	tb.Helper()
	req.RegionId = dara.String(sgRegion)
	resp, err := c.CreateSecurityGroup(req)
	sdktest.OK(tb, err)
	return dara.StringValue(resp.Body.SecurityGroupId)
}

// describeSG reads one group through the v7 SDK.
func describeSG(tb testing.TB, c *ecs.Client, id string) *ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroup {
	tb.Helper()
	resp, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id)})
	sdktest.OK(tb, err)
	if n := len(resp.Body.SecurityGroups.SecurityGroup); n != 1 {
		tb.Fatalf("DescribeSecurityGroups %s: %d groups", id, n)
	}
	return resp.Body.SecurityGroups.SecurityGroup[0]
}

// rulesOf lists a group's rules through the v7 SDK as compact strings.
func rulesOf(tb testing.TB, c *ecs.Client, id, direction string) []string {
	tb.Helper()
	req := &ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id)}
	if direction != "" {
		req.Direction = dara.String(direction)
	}
	resp, err := c.DescribeSecurityGroupAttribute(req)
	sdktest.OK(tb, err)
	var out []string
	for _, p := range resp.Body.Permissions.Permission {
		peer := dara.StringValue(p.SourceCidrIp) + dara.StringValue(p.SourceGroupId)
		if dara.StringValue(p.Direction) == "egress" {
			peer = dara.StringValue(p.DestCidrIp) + dara.StringValue(p.DestGroupId)
		}
		out = append(out, strings.Join([]string{dara.StringValue(p.Direction), dara.StringValue(p.IpProtocol), dara.StringValue(p.PortRange),
			peer, dara.StringValue(p.Policy), dara.StringValue(p.Priority), dara.StringValue(p.NicType)}, " "))
	}
	return out
}

func TestCreateSecurityGroup_Classic(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ClassicECS(t, s)
	req := classicecs.CreateCreateSecurityGroupRequest()
	req.VpcId, req.SecurityGroupName, req.Description, req.SecurityGroupType = vpcID, "web", "web tier", "enterprise"
	req.Tag = &[]classicecs.CreateSecurityGroupTag{{Key: "env", Value: "prod"}}
	resp, err := c.CreateSecurityGroup(req)
	sdktest.OK(t, err)
	if !strings.HasPrefix(resp.SecurityGroupId, "sg-bp1") {
		t.Fatalf("SecurityGroupId %q", resp.SecurityGroupId)
	}
	d := classicecs.CreateDescribeSecurityGroupsRequest()
	d.SecurityGroupIds = `["` + resp.SecurityGroupId + `"]`
	got, err := c.DescribeSecurityGroups(d)
	sdktest.OK(t, err)
	if got.TotalCount != 1 || got.RegionId != sgRegion || got.PageNumber != 1 || got.PageSize != 10 || len(got.SecurityGroups.SecurityGroup) != 1 {
		t.Fatalf("DescribeSecurityGroups: %+v", got)
	}
	g := got.SecurityGroups.SecurityGroup[0]
	if g.SecurityGroupId != resp.SecurityGroupId || g.SecurityGroupName != "web" || g.Description != "web tier" || g.VpcId != vpcID ||
		g.SecurityGroupType != "enterprise" || g.EcsCount != 0 || g.AvailableInstanceAmount != 65536 || !strings.HasPrefix(g.ResourceGroupId, "rg-acfm") ||
		g.CreationTime == "" || g.RuleCount != 0 {
		t.Errorf("group: %+v", g)
	}
	if len(g.Tags.Tag) != 1 || g.Tags.Tag[0].TagKey != "env" || g.Tags.Tag[0].TagValue != "prod" {
		t.Errorf("tags: %+v", g.Tags)
	}
	// Both products derive the account's default resource group alike.
	vpcs, err := sdktest.VPC(t, s, "").DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(sgRegion), VpcId: dara.String(vpcID)})
	sdktest.OK(t, err)
	if rg := dara.StringValue(vpcs.Body.Vpcs.Vpc[0].ResourceGroupId); rg != g.ResourceGroupId {
		t.Errorf("security group in %s, its VPC in %s", g.ResourceGroupId, rg)
	}
	a := classicecs.CreateDescribeSecurityGroupAttributeRequest()
	a.SecurityGroupId = resp.SecurityGroupId
	attr, err := c.DescribeSecurityGroupAttribute(a)
	sdktest.OK(t, err)
	if attr.SecurityGroupName != "web" || attr.VpcId != vpcID || attr.InnerAccessPolicy != "Drop" || len(attr.Permissions.Permission) != 0 {
		t.Errorf("attribute: %+v", attr)
	}
}

func TestCreateSecurityGroup_V7(t *testing.T) {
	for _, alg := range []string{"", "v2"} {
		t.Run("v7"+alg, func(t *testing.T) {
			s, vpcID := sgServer(t)
			c := sdktest.ECS(t, s, alg)
			id := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID), SecurityGroupName: dara.String("db"),
				ResourceGroupId: dara.String("rg-team")})
			g := describeSG(t, c, id)
			if dara.StringValue(g.SecurityGroupType) != "normal" || dara.StringValue(g.VpcId) != vpcID || dara.StringValue(g.ResourceGroupId) != "rg-team" ||
				dara.Int32Value(g.AvailableInstanceAmount) != 2000 || dara.Int32Value(g.EcsCount) != 0 || g.Tags == nil || len(g.Tags.Tag) != 0 {
				t.Errorf("group: %v", g)
			}
			attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id)})
			sdktest.OK(t, err)
			if dara.StringValue(attr.Body.InnerAccessPolicy) != "Accept" || dara.StringValue(attr.Body.SecurityGroupName) != "db" ||
				attr.Body.Permissions == nil || len(attr.Body.Permissions.Permission) != 0 {
				t.Errorf("attribute: %v", attr.Body)
			}
		})
	}
}

func TestCreateSecurityGroup_Refusals(t *testing.T) {
	s, vpcID := sgServer(t)
	other := sgVpc(t, s, "cn-shanghai")
	c := sdktest.ECS(t, s, "")
	for _, tc := range []struct {
		name   string
		req    *ecs.CreateSecurityGroupRequest
		status int
		code   string
	}{
		{"no VPC", &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion)}, 404, "InvalidVpcId.NotFound"},
		{"unknown VPC", &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion), VpcId: dara.String("vpc-bp1doesnotexist00")}, 404, "InvalidVpcId.NotFound"},
		{"VPC of another region", &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion), VpcId: dara.String(other)}, 404, "InvalidVpcId.NotFound"},
		{"bad type", &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion), VpcId: dara.String(vpcID), SecurityGroupType: dara.String("fancy")}, 400, "InvalidParameter"},
		{"unknown region", &ecs.CreateSecurityGroupRequest{RegionId: dara.String("mars-north-1"), VpcId: dara.String(vpcID)}, 404, "InvalidRegionId.NotFound"},
		{"no region", &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)}, 400, "MissingParameter"},
		{"system tag", &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion), VpcId: dara.String(vpcID),
			Tag: []*ecs.CreateSecurityGroupRequestTag{{Key: dara.String("aliyun:x"), Value: dara.String("y")}}}, 400, "InvalidTagKey.Malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateSecurityGroup(tc.req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	t.Run("classic no VPC", func(t *testing.T) {
		_, err := sdktest.ClassicECS(t, s).CreateSecurityGroup(classicecs.CreateCreateSecurityGroupRequest())
		sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
	})
	resp, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: dara.String(sgRegion)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 0 {
		t.Fatalf("refusals made %d groups", n)
	}
}

func TestCreateSecurityGroup_ClientToken(t *testing.T) {
	s, vpcID := sgServer(t)
	t.Run("v7", func(t *testing.T) {
		c := sdktest.ECS(t, s, "")
		req := &ecs.CreateSecurityGroupRequest{RegionId: dara.String(sgRegion), VpcId: dara.String(vpcID), ClientToken: dara.String("sg-token")}
		a, err := c.CreateSecurityGroup(req)
		sdktest.OK(t, err)
		b, err := c.CreateSecurityGroup(req)
		sdktest.OK(t, err)
		if dara.StringValue(a.Body.SecurityGroupId) != dara.StringValue(b.Body.SecurityGroupId) {
			t.Fatalf("replay made a new group")
		}
		req.SecurityGroupName = dara.String("other")
		_, err = c.CreateSecurityGroup(req)
		sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
	})
	t.Run("classic", func(t *testing.T) {
		c := sdktest.ClassicECS(t, s)
		req := classicecs.CreateCreateSecurityGroupRequest()
		req.VpcId, req.ClientToken = vpcID, "classic-sg-token"
		a, err := c.CreateSecurityGroup(req)
		sdktest.OK(t, err)
		b, err := c.CreateSecurityGroup(req)
		sdktest.OK(t, err)
		if a.SecurityGroupId != b.SecurityGroupId {
			t.Fatalf("replay made a new group")
		}
		req.SecurityGroupType = "enterprise"
		_, err = c.CreateSecurityGroup(req)
		sdktest.WantFail(t, err, 400, "IdempotentParameterMismatch")
	})
	resp, err := sdktest.ECS(t, s, "").DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: dara.String(sgRegion)})
	sdktest.OK(t, err)
	if n := dara.Int32Value(resp.Body.TotalCount); n != 2 {
		t.Fatalf("%d groups, want one per token", n)
	}
}

func TestDescribeSecurityGroups_PagingAndFilters(t *testing.T) {
	s, vpcA := sgServer(t)
	vpcB := sgVpc(t, s, sgRegion)
	c := sdktest.ECS(t, s, "")
	var ids []string
	for i := range 12 {
		req := &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcA), SecurityGroupName: dara.String(fmt.Sprintf("g%d", i%4))}
		if i >= 10 {
			req.VpcId = dara.String(vpcB)
			req.SecurityGroupType = dara.String("enterprise")
		}
		if i%3 == 0 {
			req.Tag = []*ecs.CreateSecurityGroupRequestTag{{Key: dara.String("app"), Value: dara.String(fmt.Sprint(i % 2))}}
		}
		ids = append(ids, createSG(t, c, req))
	}
	type result struct {
		total int
		ids   []string
		next  string
	}
	describe := func(t *testing.T, req *ecs.DescribeSecurityGroupsRequest) result {
		t.Helper()
		req.RegionId = dara.String(sgRegion)
		resp, err := c.DescribeSecurityGroups(req)
		sdktest.OK(t, err)
		r := result{total: int(dara.Int32Value(resp.Body.TotalCount)), next: dara.StringValue(resp.Body.NextToken)}
		for _, g := range resp.Body.SecurityGroups.SecurityGroup {
			r.ids = append(r.ids, dara.StringValue(g.SecurityGroupId))
		}
		return r
	}
	t.Run("pages", func(t *testing.T) {
		var all []string
		for page := int32(1); page <= 3; page++ {
			r := describe(t, &ecs.DescribeSecurityGroupsRequest{PageNumber: dara.Int32(page), PageSize: dara.Int32(5)})
			if r.total != 12 || r.next != "" {
				t.Fatalf("page %d: %+v", page, r)
			}
			all = append(all, r.ids...)
		}
		if !slices.Equal(all, ids) {
			t.Fatalf("pages gave %v", all)
		}
	})
	t.Run("tokens", func(t *testing.T) {
		first := describe(t, &ecs.DescribeSecurityGroupsRequest{MaxResults: dara.Int32(10)})
		if first.next == "" || !slices.Equal(first.ids, ids[:10]) {
			t.Fatalf("first token page: %+v", first)
		}
		second := describe(t, &ecs.DescribeSecurityGroupsRequest{MaxResults: dara.Int32(10), NextToken: dara.String(first.next)})
		if second.next != "" || !slices.Equal(second.ids, ids[10:]) {
			t.Fatalf("second token page: %+v", second)
		}
	})
	for _, tc := range []struct {
		name   string
		req    *ecs.DescribeSecurityGroupsRequest
		status int
		code   string
	}{
		{"page size", &ecs.DescribeSecurityGroupsRequest{PageSize: dara.Int32(51)}, 400, "InvalidParameter"},
		{"max results", &ecs.DescribeSecurityGroupsRequest{MaxResults: dara.Int32(101)}, 400, "InvalidParameter"},
		{"next token", &ecs.DescribeSecurityGroupsRequest{NextToken: dara.String("garbage")}, 400, "InvalidNextToken.Malformed"},
		{"ids not JSON", &ecs.DescribeSecurityGroupsRequest{SecurityGroupIds: dara.String("sg-1,sg-2")}, 400, "InvalidParameter"},
		{"dry run", &ecs.DescribeSecurityGroupsRequest{DryRun: dara.Bool(true)}, 400, "DryRunOperation"},
		{"unknown region", &ecs.DescribeSecurityGroupsRequest{RegionId: dara.String("mars-north-1")}, 404, "InvalidRegionId.NotFound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.RegionId == nil {
				tc.req.RegionId = dara.String(sgRegion)
			}
			_, err := c.DescribeSecurityGroups(tc.req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	for _, tc := range []struct {
		name string
		req  *ecs.DescribeSecurityGroupsRequest
		want []string
	}{
		{"ids", &ecs.DescribeSecurityGroupsRequest{SecurityGroupIds: dara.String(`["` + ids[7] + `","` + ids[2] + `"]`)}, []string{ids[2], ids[7]}},
		{"id", &ecs.DescribeSecurityGroupsRequest{SecurityGroupId: dara.String(ids[5])}, ids[5:6]},
		{"id outside ids", &ecs.DescribeSecurityGroupsRequest{SecurityGroupId: dara.String(ids[5]), SecurityGroupIds: dara.String(`["` + ids[4] + `"]`)}, nil},
		{"vpc", &ecs.DescribeSecurityGroupsRequest{VpcId: dara.String(vpcB)}, ids[10:]},
		{"name", &ecs.DescribeSecurityGroupsRequest{SecurityGroupName: dara.String("g1")}, []string{ids[1], ids[5], ids[9]}},
		{"name and vpc", &ecs.DescribeSecurityGroupsRequest{SecurityGroupName: dara.String("g2"), VpcId: dara.String(vpcB)}, ids[10:11]},
		{"type", &ecs.DescribeSecurityGroupsRequest{SecurityGroupType: dara.String("enterprise")}, ids[10:]},
		{"tag", &ecs.DescribeSecurityGroupsRequest{Tag: []*ecs.DescribeSecurityGroupsRequestTag{{Key: dara.String("app"), Value: dara.String("1")}}}, []string{ids[3], ids[9]}},
		{"tag key", &ecs.DescribeSecurityGroupsRequest{Tag: []*ecs.DescribeSecurityGroupsRequestTag{{Key: dara.String("app")}}}, []string{ids[0], ids[3], ids[6], ids[9]}},
		{"classic network", &ecs.DescribeSecurityGroupsRequest{NetworkType: dara.String("classic")}, nil},
		{"vpc network", &ecs.DescribeSecurityGroupsRequest{NetworkType: dara.String("vpc"), PageSize: dara.Int32(50)}, ids},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := describe(t, tc.req)
			if r.total != len(tc.want) || !slices.Equal(r.ids, tc.want) {
				t.Fatalf("got %d %v, want %v", r.total, r.ids, tc.want)
			}
		})
	}
	t.Run("classic", func(t *testing.T) {
		req := classicecs.CreateDescribeSecurityGroupsRequest()
		req.VpcId, req.MaxResults = vpcA, requests.NewInteger(10)
		resp, err := sdktest.ClassicECS(t, s).DescribeSecurityGroups(req)
		sdktest.OK(t, err)
		if resp.TotalCount != 10 || len(resp.SecurityGroups.SecurityGroup) != 10 || resp.NextToken != "" {
			t.Fatalf("DescribeSecurityGroups: total %d, %d groups, token %q", resp.TotalCount, len(resp.SecurityGroups.SecurityGroup), resp.NextToken)
		}
		req.Tag = &[]classicecs.DescribeSecurityGroupsTag{{Key: "app", Value: "0"}}
		resp, err = sdktest.ClassicECS(t, s).DescribeSecurityGroups(req)
		sdktest.OK(t, err)
		if resp.TotalCount != 2 || resp.SecurityGroups.SecurityGroup[0].SecurityGroupId != ids[0] || resp.SecurityGroups.SecurityGroup[1].SecurityGroupId != ids[6] {
			t.Fatalf("tag filter: %+v", resp.SecurityGroups)
		}
	})
}

func TestSecurityGroupRules_V7(t *testing.T) {
	for _, alg := range []string{"", "v2"} {
		t.Run("v7"+alg, func(t *testing.T) {
			s, vpcID := sgServer(t)
			c := sdktest.ECS(t, s, alg)
			id := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
			peer := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID), SecurityGroupName: dara.String("peer")})
			// The form Terraform's alicloud_security_group_rule sends.
			ssh := &ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourceCidrIp: dara.String("0.0.0.0/0"),
				NicType: dara.String("intranet"), Policy: dara.String("accept"), Priority: dara.String("1"), Description: dara.String("ssh")}
			_, err := c.AuthorizeSecurityGroup(ssh)
			sdktest.OK(t, err)
			// The same rule again is accepted and not added twice.
			_, err = c.AuthorizeSecurityGroup(ssh)
			sdktest.OK(t, err)
			_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{
					{IpProtocol: dara.String("ALL"), PortRange: dara.String("-1/-1"), SourceGroupId: dara.String(peer), Priority: dara.String("5")},
					{IpProtocol: dara.String("udp"), PortRange: dara.String("53/53"), SourceCidrIp: dara.String("10.0.0.0/8"), Policy: dara.String("drop")},
				}})
			sdktest.OK(t, err)
			_, err = c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				Permissions: []*ecs.AuthorizeSecurityGroupEgressRequestPermissions{
					{IpProtocol: dara.String("icmp"), PortRange: dara.String("-1/-1"), DestCidrIp: dara.String("192.168.0.1")},
				}})
			sdktest.OK(t, err)
			want := []string{
				"ingress TCP 22/22 0.0.0.0/0 Accept 1 intranet",
				"ingress ALL -1/-1 " + peer + " Accept 5 intranet",
				"ingress UDP 53/53 10.0.0.0/8 Drop 1 intranet",
				"egress ICMP -1/-1 192.168.0.1 Accept 1 intranet",
			}
			if got := rulesOf(t, c, id, ""); !slices.Equal(got, want) {
				t.Fatalf("rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if got := rulesOf(t, c, id, "egress"); !slices.Equal(got, want[3:]) {
				t.Fatalf("egress rules: %v", got)
			}
			attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
				SecurityGroupId: dara.String(id), Direction: dara.String("ingress")})
			sdktest.OK(t, err)
			first := attr.Body.Permissions.Permission[0]
			if !strings.HasPrefix(dara.StringValue(first.SecurityGroupRuleId), "sgr-") || dara.StringValue(first.Description) != "ssh" || dara.StringValue(first.CreateTime) == "" {
				t.Errorf("permission: %v", first)
			}
			if p := attr.Body.Permissions.Permission[1]; dara.StringValue(p.SourceGroupName) != "peer" {
				t.Errorf("peer rule: %v", p)
			}
			g := describeSG(t, c, id)
			if dara.Int32Value(g.RuleCount) != 4 || dara.Int32Value(g.GroupToGroupRuleCount) != 1 {
				t.Errorf("counts: %v", g)
			}

			// Revoke by parameters (Terraform) and by rule id.
			revoke := &ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourceCidrIp: dara.String("0.0.0.0/0"),
				NicType: dara.String("intranet"), Policy: dara.String("accept"), Priority: dara.String("1")}
			_, err = c.RevokeSecurityGroup(revoke)
			sdktest.OK(t, err)
			_, err = c.RevokeSecurityGroup(revoke)
			sdktest.WantFail(t, err, 400, "InvalidSecurityGroupRule.RuleNotExist")
			_, err = c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				SecurityGroupRuleId: []*string{attr.Body.Permissions.Permission[1].SecurityGroupRuleId}})
			sdktest.OK(t, err)
			// An ingress rule id does not name an egress rule.
			_, err = c.RevokeSecurityGroupEgress(&ecs.RevokeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				SecurityGroupRuleId: []*string{attr.Body.Permissions.Permission[2].SecurityGroupRuleId}})
			sdktest.WantFail(t, err, 404, "InvalidSecurityGroupRuleId.NotFound")
			_, err = c.RevokeSecurityGroupEgress(&ecs.RevokeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
				Permissions: []*ecs.RevokeSecurityGroupEgressRequestPermissions{
					{IpProtocol: dara.String("ICMP"), PortRange: dara.String("-1/-1"), DestCidrIp: dara.String("192.168.0.1")},
				}})
			sdktest.OK(t, err)
			if got := rulesOf(t, c, id, ""); !slices.Equal(got, want[2:3]) {
				t.Fatalf("after revoking: %v", got)
			}
		})
	}
}

func TestSecurityGroupRules_Classic(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ClassicECS(t, s)
	id := createSG(t, sdktest.ECS(t, s, ""), &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	auth := classicecs.CreateAuthorizeSecurityGroupRequest()
	auth.SecurityGroupId, auth.IpProtocol, auth.PortRange, auth.SourceCidrIp, auth.Priority = id, "tcp", "80/443", "10.0.0.0/8", "10"
	_, err := c.AuthorizeSecurityGroup(auth)
	sdktest.OK(t, err)
	egress := classicecs.CreateAuthorizeSecurityGroupEgressRequest()
	egress.SecurityGroupId = id
	egress.Permissions = &[]classicecs.AuthorizeSecurityGroupEgressPermissions{{IpProtocol: "all", PortRange: "-1/-1", DestCidrIp: "0.0.0.0/0", Policy: "drop", Priority: "100"}}
	_, err = c.AuthorizeSecurityGroupEgress(egress)
	sdktest.OK(t, err)
	a := classicecs.CreateDescribeSecurityGroupAttributeRequest()
	a.SecurityGroupId = id
	attr, err := c.DescribeSecurityGroupAttribute(a)
	sdktest.OK(t, err)
	if len(attr.Permissions.Permission) != 2 {
		t.Fatalf("permissions: %+v", attr.Permissions)
	}
	in, out := attr.Permissions.Permission[0], attr.Permissions.Permission[1]
	if in.Direction != "ingress" || in.IpProtocol != "TCP" || in.PortRange != "80/443" || in.SourceCidrIp != "10.0.0.0/8" || in.Priority != "10" ||
		in.Policy != "Accept" || in.NicType != "intranet" || in.DestCidrIp != "" {
		t.Errorf("ingress: %+v", in)
	}
	if out.Direction != "egress" || out.IpProtocol != "ALL" || out.DestCidrIp != "0.0.0.0/0" || out.Policy != "Drop" || out.Priority != "100" || out.SourceCidrIp != "" {
		t.Errorf("egress: %+v", out)
	}
	a.Direction, a.NicType = "egress", "internet"
	none, err := c.DescribeSecurityGroupAttribute(a)
	sdktest.OK(t, err)
	if len(none.Permissions.Permission) != 0 {
		t.Errorf("internet rules: %+v", none.Permissions.Permission)
	}
	rev := classicecs.CreateRevokeSecurityGroupRequest()
	rev.SecurityGroupId = id
	rev.SecurityGroupRuleId = &[]string{in.SecurityGroupRuleId}
	_, err = c.RevokeSecurityGroup(rev)
	sdktest.OK(t, err)
	revOut := classicecs.CreateRevokeSecurityGroupEgressRequest()
	revOut.SecurityGroupId, revOut.IpProtocol, revOut.PortRange, revOut.DestCidrIp, revOut.Policy = id, "all", "-1/-1", "0.0.0.0/0", "drop"
	_, err = c.RevokeSecurityGroupEgress(revOut)
	sdktest.OK(t, err)
	_, err = c.RevokeSecurityGroupEgress(revOut)
	sdktest.WantFail(t, err, 400, "InvalidSecurityGroupRule.RuleNotExist")
	if got := rulesOf(t, sdktest.ECS(t, s, ""), id, ""); len(got) != 0 {
		t.Fatalf("rules left: %v", got)
	}
}

func TestSecurityGroupRules_Refusals(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	id := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	advanced := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID), SecurityGroupType: dara.String("enterprise")})
	elsewhere := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(sgVpc(t, s, sgRegion))})
	rule := func(edit func(r *ecs.AuthorizeSecurityGroupRequest)) *ecs.AuthorizeSecurityGroupRequest {
		r := &ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourceCidrIp: dara.String("0.0.0.0/0")}
		edit(r)
		return r
	}
	for _, tc := range []struct {
		name   string
		req    *ecs.AuthorizeSecurityGroupRequest
		status int
		code   string
	}{
		{"unknown group", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.SecurityGroupId = dara.String("sg-bp1doesnotexist00") }), 404, "InvalidSecurityGroupId.NotFound"},
		{"no group", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.SecurityGroupId = nil }), 400, "MissingParameter"},
		{"protocol", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.IpProtocol = dara.String("sctp") }), 400, "InvalidIpProtocol.ValueNotSupported"},
		{"no protocol", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.IpProtocol = nil }), 400, "MissingParameter"},
		{"no port range", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.PortRange = nil }), 400, "InvalidPortRange.Malformed"},
		{"tcp with -1/-1", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.PortRange = dara.String("-1/-1") }), 400, "InvalidIpPortRange.Malformed"},
		{"reversed range", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.PortRange = dara.String("80/22") }), 400, "InvalidIpPortRange.Malformed"},
		{"port 65536", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.PortRange = dara.String("1/65536") }), 400, "InvalidIpPortRange.Malformed"},
		{"single port", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.PortRange = dara.String("22") }), 400, "InvalidIpPortRange.Malformed"},
		{"all with ports", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.IpProtocol = dara.String("all") }), 400, "InvalidIpPortRange.Malformed"},
		{"no source", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.SourceCidrIp = nil }), 400, "MissingParameter"},
		{"bad source", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.SourceCidrIp = dara.String("10.0.0.0/40") }), 400, "InvalidSourceCidrIp.Malformed"},
		{"policy", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.Policy = dara.String("allow") }), 400, "InvalidPolicy.Malformed"},
		{"priority 0", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.Priority = dara.String("0") }), 400, "InvalidPriority.Malformed"},
		{"priority 101", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.Priority = dara.String("101") }), 400, "InvalidPriority.Malformed"},
		{"nic type", rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.NicType = dara.String("wired") }), 400, "InvalidNicType.ValueNotSupported"},
		{"unknown peer", rule(func(r *ecs.AuthorizeSecurityGroupRequest) {
			r.SourceCidrIp, r.SourceGroupId = nil, dara.String("sg-bp1doesnotexist00")
		}), 404, "InvalidSourceGroupId.NotFound"},
		{"peer in another VPC", rule(func(r *ecs.AuthorizeSecurityGroupRequest) {
			r.SourceCidrIp, r.SourceGroupId = nil, dara.String(elsewhere)
		}), 400, "InvalidSourceGroupId.Mismatch"},
		{"advanced group, drop", rule(func(r *ecs.AuthorizeSecurityGroupRequest) {
			r.SecurityGroupId, r.Policy = dara.String(advanced), dara.String("drop")
		}), 400, "InvalidGroupParameter.OperationDenied"},
		{"advanced group, peer", rule(func(r *ecs.AuthorizeSecurityGroupRequest) {
			r.SecurityGroupId, r.SourceCidrIp, r.SourceGroupId = dara.String(advanced), nil, dara.String(id)
		}), 400, "InvalidGroupAuthParameter.OperationDenied"},
		{"both forms", rule(func(r *ecs.AuthorizeSecurityGroupRequest) {
			r.Permissions = []*ecs.AuthorizeSecurityGroupRequestPermissions{{IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2"), SourceCidrIp: dara.String("1.1.1.1")}}
		}), 400, "InvalidParam.Permissions"},
		{"bad permission", &ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{
				{IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2"), SourceCidrIp: dara.String("1.1.1.1")},
				{IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2")},
			}}, 400, "MissingParameter"},
		{"duplicate permissions", &ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{
				{IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2"), SourceCidrIp: dara.String("1.1.1.1")},
				{IpProtocol: dara.String("TCP"), PortRange: dara.String("1/2"), SourceCidrIp: dara.String("1.1.1.1"), Description: dara.String("again")},
			}}, 400, "InvalidParam.DuplicatePermissions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.AuthorizeSecurityGroup(tc.req)
			sdktest.WantFail(t, err, tc.status, tc.code)
		})
	}
	// A VPC group takes NicType internet and keeps the rule intranet, as the
	// cloud does (the Packer builder opens its VPC group this way); revoking
	// with internet finds it.
	t.Run("internet in a VPC", func(t *testing.T) {
		_, err := c.AuthorizeSecurityGroup(rule(func(r *ecs.AuthorizeSecurityGroupRequest) { r.NicType = dara.String("internet") }))
		sdktest.OK(t, err)
		if got := rulesOf(t, c, id, "ingress"); len(got) != 1 || got[0] != "ingress TCP 22/22 0.0.0.0/0 Accept 1 intranet" {
			t.Fatalf("rules: %v", got)
		}
		_, err = c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourceCidrIp: dara.String("0.0.0.0/0"), NicType: dara.String("internet")})
		sdktest.OK(t, err)
		if got := rulesOf(t, c, id, "ingress"); len(got) != 0 {
			t.Fatalf("rules left: %v", got)
		}
	})
	t.Run("egress without destination", func(t *testing.T) {
		_, err := c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2"), SourceCidrIp: dara.String("1.1.1.1")})
		sdktest.WantFail(t, err, 400, "MissingParameter")
	})
	t.Run("egress bad destination", func(t *testing.T) {
		_, err := c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			IpProtocol: dara.String("tcp"), PortRange: dara.String("1/2"), DestCidrIp: dara.String("::/0")})
		sdktest.WantFail(t, err, 400, "InvalidDestCidrIp.Malformed")
	})
	t.Run("rule limit", func(t *testing.T) {
		for batch := range 2 {
			var perms []*ecs.AuthorizeSecurityGroupRequestPermissions
			for i := range 100 {
				port := fmt.Sprintf("%d/%d", 1000+batch*100+i, 1000+batch*100+i)
				perms = append(perms, &ecs.AuthorizeSecurityGroupRequestPermissions{IpProtocol: dara.String("tcp"), PortRange: dara.String(port), SourceCidrIp: dara.String("10.0.0.0/8")})
			}
			_, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(elsewhere), Permissions: perms})
			sdktest.OK(t, err)
		}
		_, err := c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(elsewhere),
			IpProtocol: dara.String("all"), PortRange: dara.String("-1/-1"), DestCidrIp: dara.String("0.0.0.0/0")})
		sdktest.WantFail(t, err, 403, "AuthorizationLimitExceed")
	})
	t.Run("revoke both forms", func(t *testing.T) {
		_, err := c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			SecurityGroupRuleId: []*string{dara.String("sgr-x")}, IpProtocol: dara.String("tcp")})
		sdktest.WantFail(t, err, 400, "InvalidParam.Permissions")
	})
	t.Run("revoke repeated id", func(t *testing.T) {
		_, err := c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
			SecurityGroupRuleId: []*string{dara.String("sgr-x"), dara.String("sgr-x")}})
		sdktest.WantFail(t, err, 400, "InvalidParam.SecurityGroupRuleIdRepeated")
	})
	t.Run("revoke unknown group", func(t *testing.T) {
		_, err := c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String("sg-bp1doesnotexist00"),
			SecurityGroupRuleId: []*string{dara.String("sgr-x")}})
		sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
	})
	t.Run("attribute of unknown group", func(t *testing.T) {
		_, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String("sg-bp1doesnotexist00")})
		sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
	})
	t.Run("attribute bad direction", func(t *testing.T) {
		_, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id), Direction: dara.String("up")})
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	})
	if got := rulesOf(t, c, id, ""); len(got) != 0 {
		t.Fatalf("refusals added rules: %v", got)
	}
}

func TestDeleteSecurityGroup(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	c := sdktest.ECS(t, e.s, "v2")
	id := e.sg
	deleteSG := func(id string) error {
		_, err := c.DeleteSecurityGroup(&ecs.DeleteSecurityGroupRequest{RegionId: dara.String(region), SecurityGroupId: dara.String(id)})
		return err
	}
	sdktest.WantFail(t, deleteSG("sg-bp1doesnotexist00"), 404, "InvalidSecurityGroupId.NotFound")
	_, err := c.DeleteSecurityGroup(&ecs.DeleteSecurityGroupRequest{RegionId: dara.String(region)})
	sdktest.WantFail(t, err, 400, "MissingParameter")

	members := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(2) })
	resp, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: dara.String(region), SecurityGroupId: dara.String(id)})
	sdktest.OK(t, err)
	g := resp.Body.SecurityGroups.SecurityGroup[0]
	if dara.Int32Value(g.EcsCount) != 2 || dara.Int32Value(g.AvailableInstanceAmount) != 1998 {
		t.Fatalf("EcsCount %d, AvailableInstanceAmount %d", dara.Int32Value(g.EcsCount), dara.Int32Value(g.AvailableInstanceAmount))
	}
	sdktest.WantFail(t, deleteSG(id), 403, "DependencyViolation")
	// Members leave as they are released, not when the release is accepted.
	sdktest.OK(t, deleters[0].batch(e, members[:1], del{Force: true}))
	sdktest.WantFail(t, deleteSG(id), 403, "DependencyViolation")
	e.s.Clock.Advance(10 * time.Second)
	cl := sdktest.ClassicECS(t, e.s)
	req := classicecs.CreateDeleteSecurityGroupRequest()
	req.SecurityGroupId = id
	_, err = cl.DeleteSecurityGroup(req)
	sdktest.WantFail(t, err, 403, "DependencyViolation")
	sdktest.OK(t, deleters[0].batch(e, members[1:], del{Force: true}))
	e.s.Clock.Advance(10 * time.Second)
	_, err = cl.DeleteSecurityGroup(req)
	sdktest.OK(t, err)
	_, err = cl.DeleteSecurityGroup(req)
	sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
}
