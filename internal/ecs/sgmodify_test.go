package ecs_test

import (
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// ruleIDOf is the id of the group's only rule of a direction.
func ruleIDOf(tb testing.TB, c *ecs.Client, sg, direction string) string {
	tb.Helper()
	resp, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: dara.String(sg), Direction: dara.String(direction)})
	sdktest.OK(tb, err)
	if n := len(resp.Body.Permissions.Permission); n != 1 {
		tb.Fatalf("%s has %d %s rules", sg, n, direction)
	}
	return dara.StringValue(resp.Body.Permissions.Permission[0].SecurityGroupRuleId)
}

func TestModifySecurityGroupAttribute(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	id := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID), SecurityGroupName: dara.String("old")})
	_, err := c.ModifySecurityGroupAttribute(&ecs.ModifySecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: dara.String(id), SecurityGroupName: dara.String("web-1"), Description: dara.String("the web tier")})
	sdktest.OK(t, err)
	g := describeSG(t, c, id)
	if dara.StringValue(g.SecurityGroupName) != "web-1" || dara.StringValue(g.Description) != "the web tier" {
		t.Fatalf("after modify: %s %q", dara.StringValue(g.SecurityGroupName), dara.StringValue(g.Description))
	}
	byName, err := c.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: dara.String(sgRegion), SecurityGroupName: dara.String("web-1")})
	sdktest.OK(t, err)
	if len(byName.Body.SecurityGroups.SecurityGroup) != 1 {
		t.Fatalf("DescribeSecurityGroups by the new name: %d", len(byName.Body.SecurityGroups.SecurityGroup))
	}
	for _, bad := range []struct{ name, desc, code string }{
		{"1abc", "", "InvalidSecurityGroupName.Malformed"},
		{"http://x", "", "InvalidSecurityGroupName.Malformed"},
		{"", "https://x", "InvalidSecurityGroupDiscription.Malformed"},
	} {
		req := &ecs.ModifySecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id)}
		if bad.name != "" {
			req.SecurityGroupName = dara.String(bad.name)
		}
		if bad.desc != "" {
			req.Description = dara.String(bad.desc)
		}
		_, err = c.ModifySecurityGroupAttribute(req)
		sdktest.WantFail(t, err, 400, bad.code)
	}
	_, err = c.ModifySecurityGroupAttribute(&ecs.ModifySecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: dara.String("sg-nothere"), SecurityGroupName: dara.String("x1")})
	sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
}

func TestModifySecurityGroupPolicy(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	basic := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	advanced := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID), SecurityGroupType: dara.String("enterprise")})
	policy := func(id string) string {
		t.Helper()
		resp, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id)})
		sdktest.OK(t, err)
		return dara.StringValue(resp.Body.InnerAccessPolicy)
	}
	set := func(id, p string) error {
		_, err := c.ModifySecurityGroupPolicy(&ecs.ModifySecurityGroupPolicyRequest{RegionId: dara.String(sgRegion),
			SecurityGroupId: dara.String(id), InnerAccessPolicy: dara.String(p)})
		return err
	}
	if policy(basic) != "Accept" || policy(advanced) != "Drop" {
		t.Fatalf("defaults: %s %s", policy(basic), policy(advanced))
	}
	sdktest.OK(t, set(basic, "Drop"))
	if got := policy(basic); got != "Drop" {
		t.Fatalf("after Drop: %s", got)
	}
	sdktest.OK(t, set(basic, "accept"))
	if got := policy(basic); got != "Accept" {
		t.Fatalf("after accept: %s", got)
	}
	sdktest.WantFail(t, set(advanced, "Accept"), 400, "InvalidSecurityGroup.InvalidNetworkType")
	sdktest.WantFail(t, set(basic, "Maybe"), 400, "InvalidParameter")
	sdktest.WantFail(t, set("sg-nothere", "Drop"), 404, "InvalidSecurityGroupId.NotFound")
}

func TestModifySecurityGroupRule(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	id := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	peer := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	_, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{
			{IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourceCidrIp: dara.String("10.0.0.0/8")},
		}})
	sdktest.OK(t, err)
	_, err = c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		Permissions: []*ecs.AuthorizeSecurityGroupEgressRequestPermissions{
			{IpProtocol: dara.String("udp"), PortRange: dara.String("53/53"), DestCidrIp: dara.String("0.0.0.0/0")},
		}})
	sdktest.OK(t, err)
	in := ruleIDOf(t, c, id, "ingress")

	// By id: the attributes given change, the rest stay.
	_, err = c.ModifySecurityGroupRule(&ecs.ModifySecurityGroupRuleRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		SecurityGroupRuleId: dara.String(in), PortRange: dara.String("2222/2222"), SourceGroupId: dara.String(peer), Priority: dara.String("7")})
	sdktest.OK(t, err)
	if got, want := rulesOf(t, c, id, "ingress"), []string{"ingress TCP 2222/2222 " + peer + " Accept 7 intranet"}; !slices.Equal(got, want) {
		t.Fatalf("after modify by id: %q, want %q", got, want)
	}
	// The peer group now knows it is referenced.
	refs, err := c.DescribeSecurityGroupReferences(&ecs.DescribeSecurityGroupReferencesRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: []*string{dara.String(peer), dara.String(id)}})
	sdktest.OK(t, err)
	list := refs.Body.SecurityGroupReferences.SecurityGroupReference
	if len(list) != 1 || dara.StringValue(list[0].SecurityGroupId) != peer ||
		len(list[0].ReferencingSecurityGroups.ReferencingSecurityGroup) != 1 ||
		dara.StringValue(list[0].ReferencingSecurityGroups.ReferencingSecurityGroup[0].SecurityGroupId) != id {
		t.Fatalf("DescribeSecurityGroupReferences: %+v", refs.Body)
	}

	// Refusals by id: unknown id, an egress id on the ingress action, a port range the protocol does not take, a missing peer.
	for _, bad := range []struct {
		req    *ecs.ModifySecurityGroupRuleRequest
		status int
		code   string
	}{
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String("sgr-nothere"), Description: dara.String("x1")}, 404, "InvalidSecurityGroupRuleId.NotFound"},
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String(ruleIDOf(t, c, id, "egress")), Description: dara.String("x1")}, 404, "InvalidSecurityGroupRuleId.NotFound"},
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String(in), IpProtocol: dara.String("icmp")}, 400, "InvalidIpPortRange.Malformed"},
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String(in), SourceGroupId: dara.String("sg-nothere")}, 404, "InvalidSourceGroupId.NotFound"},
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String(in), Priority: dara.String("101")}, 400, "InvalidPriority.Malformed"},
		{&ecs.ModifySecurityGroupRuleRequest{SecurityGroupRuleId: dara.String(in), IpProtocol: dara.String("sctp")}, 400, "InvalidIpProtocol.ValueNotSupported"},
	} {
		bad.req.RegionId, bad.req.SecurityGroupId = dara.String(sgRegion), dara.String(id)
		_, err = c.ModifySecurityGroupRule(bad.req)
		sdktest.WantFail(t, err, bad.status, bad.code)
	}
	if got := rulesOf(t, c, id, "ingress"); len(got) != 1 || got[0] != "ingress TCP 2222/2222 "+peer+" Accept 7 intranet" {
		t.Fatalf("a refused modify changed the rule: %q", got)
	}

	// By match (classic SDK): the matching egress rule takes the description; no match is refused.
	m := classicecs.CreateModifySecurityGroupEgressRuleRequest()
	m.SecurityGroupId, m.IpProtocol, m.PortRange, m.DestCidrIp, m.Description = id, "udp", "53/53", "0.0.0.0/0", "dns"
	_, err = sdktest.ClassicECS(t, s).ModifySecurityGroupEgressRule(m)
	sdktest.OK(t, err)
	attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: dara.String(id), Direction: dara.String("egress")})
	sdktest.OK(t, err)
	if d := dara.StringValue(attr.Body.Permissions.Permission[0].Description); d != "dns" {
		t.Fatalf("egress description %q", d)
	}
	m.PortRange = "54/54"
	_, err = sdktest.ClassicECS(t, s).ModifySecurityGroupEgressRule(m)
	sdktest.WantFail(t, err, 400, "InvalidSecurityGroupRule.RuleNotExist")

	// By id, the egress rule: made a copy of another is refused.
	_, err = c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		IpProtocol: dara.String("tcp"), PortRange: dara.String("443/443"), DestCidrIp: dara.String("0.0.0.0/0")})
	sdktest.OK(t, err)
	attr, err = c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion),
		SecurityGroupId: dara.String(id), Direction: dara.String("egress")})
	sdktest.OK(t, err)
	dns := dara.StringValue(attr.Body.Permissions.Permission[0].SecurityGroupRuleId)
	_, err = c.ModifySecurityGroupEgressRule(&ecs.ModifySecurityGroupEgressRuleRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		SecurityGroupRuleId: dara.String(dns), IpProtocol: dara.String("tcp"), PortRange: dara.String("443/443")})
	sdktest.WantFail(t, err, 400, "InvalidSecurityGroupRule.RuleDuplicated")
	_, err = c.ModifySecurityGroupEgressRule(&ecs.ModifySecurityGroupEgressRuleRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id),
		SecurityGroupRuleId: dara.String(dns), IpProtocol: dara.String("tcp"), PortRange: dara.String("8443/8443"), DestGroupId: dara.String(peer)})
	sdktest.OK(t, err)
	if got := rulesOf(t, c, id, "egress"); !slices.Contains(got, "egress TCP 8443/8443 "+peer+" Accept 1 intranet") {
		t.Fatalf("egress after modify by id: %q", got)
	}

	// Revoking the rules that name the peer ends the reference.
	_, err = c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id), SecurityGroupRuleId: []*string{dara.String(in)}})
	sdktest.OK(t, err)
	_, err = c.RevokeSecurityGroupEgress(&ecs.RevokeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(id), SecurityGroupRuleId: []*string{dara.String(dns)}})
	sdktest.OK(t, err)
	refs, err = c.DescribeSecurityGroupReferences(&ecs.DescribeSecurityGroupReferencesRequest{RegionId: dara.String(sgRegion), SecurityGroupId: []*string{dara.String(peer)}})
	sdktest.OK(t, err)
	if n := len(refs.Body.SecurityGroupReferences.SecurityGroupReference); n != 0 {
		t.Fatalf("references after revoke: %d", n)
	}
	_, err = c.DescribeSecurityGroupReferences(&ecs.DescribeSecurityGroupReferencesRequest{RegionId: dara.String(sgRegion), SecurityGroupId: []*string{dara.String("sg-nothere")}})
	sdktest.WantFail(t, err, 404, "InvalidSecurityGroupId.NotFound")
}
