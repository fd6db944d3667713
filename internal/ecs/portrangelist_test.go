package ecs_test

import (
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func createPortRangeList(tb testing.TB, c *ecs.Client, name string, max int32, ranges ...string) (string, error) {
	tb.Helper()
	r := &ecs.CreatePortRangeListRequest{RegionId: dara.String(sgRegion), PortRangeListName: dara.String(name), MaxEntries: dara.Int32(max)}
	for _, pr := range ranges {
		r.Entry = append(r.Entry, &ecs.CreatePortRangeListRequestEntry{PortRange: dara.String(pr)})
	}
	resp, err := c.CreatePortRangeList(r)
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.PortRangeListId), nil
}

// TestPortRangeLists: create and modify within MaxEntries, name in TCP/UDP
// rules, associations, and deletion refused while a rule names the list.
func TestPortRangeLists(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	id, err := createPortRangeList(t, c, "web", 3, "80/80", "443/443")
	sdktest.OK(t, err)
	entries := func() []string {
		resp, err := c.DescribePortRangeListEntries(&ecs.DescribePortRangeListEntriesRequest{RegionId: dara.String(sgRegion), PortRangeListId: dara.String(id)})
		sdktest.OK(t, err)
		var out []string
		for _, e := range resp.Body.Entries {
			out = append(out, dara.StringValue(e.PortRange))
		}
		return out
	}
	if got := entries(); !slices.Equal(got, []string{"80/80", "443/443"}) {
		t.Fatalf("entries %v", got)
	}
	for _, bad := range [][]string{{"0/80"}, {"90/80"}, {"80"}, {"80/80", "80/80"}} {
		_, err = createPortRangeList(t, c, "bad", 5, bad...)
		sdktest.WantFail(t, err, 400, "InvalidParameter")
	}
	_, err = createPortRangeList(t, c, "full", 1, "1/2", "3/4")
	sdktest.WantFail(t, err, 400, "InvalidParameter.EntryCountExceeded")
	_, err = c.ModifyPortRangeList(&ecs.ModifyPortRangeListRequest{RegionId: dara.String(sgRegion), PortRangeListId: dara.String(id),
		AddEntry: []*ecs.ModifyPortRangeListRequestAddEntry{{PortRange: dara.String("8080/8090")}}, RemoveEntry: []*ecs.ModifyPortRangeListRequestRemoveEntry{{PortRange: dara.String("80/80")}}})
	sdktest.OK(t, err)
	if got := entries(); !slices.Equal(got, []string{"443/443", "8080/8090"}) {
		t.Fatalf("entries after modify %v", got)
	}
	_, err = c.ModifyPortRangeList(&ecs.ModifyPortRangeListRequest{RegionId: dara.String(sgRegion), PortRangeListId: dara.String(id),
		RemoveEntry: []*ecs.ModifyPortRangeListRequestRemoveEntry{{PortRange: dara.String("22/22")}}})
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	sg := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	auth := func(p *ecs.AuthorizeSecurityGroupRequestPermissions) error {
		_, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
			Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{p}})
		return err
	}
	sdktest.OK(t, auth(&ecs.AuthorizeSecurityGroupRequestPermissions{IpProtocol: dara.String("tcp"), PortRangeListId: dara.String(id), SourceCidrIp: dara.String("0.0.0.0/0")}))
	sdktest.WantFail(t, auth(&ecs.AuthorizeSecurityGroupRequestPermissions{IpProtocol: dara.String("icmp"), PortRangeListId: dara.String(id), SourceCidrIp: dara.String("0.0.0.0/0")}), 400, "InvalidParameter")
	sdktest.WantFail(t, auth(&ecs.AuthorizeSecurityGroupRequestPermissions{IpProtocol: dara.String("tcp"), PortRangeListId: dara.String("prl-nothere"), SourceCidrIp: dara.String("0.0.0.0/0")}), 404, "InvalidPortRangeListId.NotFound")
	attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg)})
	sdktest.OK(t, err)
	if p := attr.Body.Permissions.Permission; len(p) != 1 || dara.StringValue(p[0].PortRangeListId) != id {
		t.Fatalf("rules %+v", p)
	}
	lists, err := c.DescribePortRangeLists(&ecs.DescribePortRangeListsRequest{RegionId: dara.String(sgRegion), PortRangeListName: dara.String("web")})
	sdktest.OK(t, err)
	if l := lists.Body.PortRangeLists; len(l) != 1 || dara.Int32Value(l[0].AssociationCount) != 1 {
		t.Fatalf("DescribePortRangeLists %+v", l)
	}
	assoc, err := c.DescribePortRangeListAssociations(&ecs.DescribePortRangeListAssociationsRequest{RegionId: dara.String(sgRegion), PortRangeListId: dara.String(id)})
	sdktest.OK(t, err)
	if a := assoc.Body.PortRangeListAssociations; len(a) != 1 || dara.StringValue(a[0].ResourceId) != sg {
		t.Fatalf("associations %+v", a)
	}
	del := func() error {
		_, err := c.DeletePortRangeList(&ecs.DeletePortRangeListRequest{RegionId: dara.String(sgRegion), PortRangeListId: dara.String(id)})
		return err
	}
	sdktest.WantFail(t, del(), 403, "DependencyViolation.PortRangeList")
	_, err = c.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
		Permissions: []*ecs.RevokeSecurityGroupRequestPermissions{{IpProtocol: dara.String("tcp"), PortRangeListId: dara.String(id), SourceCidrIp: dara.String("0.0.0.0/0")}}})
	sdktest.OK(t, err)
	sdktest.OK(t, del())
	sdktest.WantFail(t, del(), 404, "InvalidPortRangeListId.NotFound")
}
