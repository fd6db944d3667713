package ecs_test

import (
	"slices"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func createPrefixList(tb testing.TB, c *ecs.Client, name, family string, max int32, cidrs ...string) (string, error) {
	tb.Helper()
	r := &ecs.CreatePrefixListRequest{RegionId: dara.String(sgRegion), PrefixListName: dara.String(name), AddressFamily: dara.String(family), MaxEntries: dara.Int32(max)}
	for _, c := range cidrs {
		r.Entry = append(r.Entry, &ecs.CreatePrefixListRequestEntry{Cidr: dara.String(c)})
	}
	resp, err := c.CreatePrefixList(r)
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.PrefixListId), nil
}

func prefixEntries(tb testing.TB, c *ecs.Client, id string) []string {
	tb.Helper()
	resp, err := c.DescribePrefixListAttributes(&ecs.DescribePrefixListAttributesRequest{RegionId: dara.String(sgRegion), PrefixListId: dara.String(id)})
	sdktest.OK(tb, err)
	var out []string
	for _, e := range resp.Body.Entries.Entry {
		out = append(out, dara.StringValue(e.Cidr))
	}
	return out
}

// TestPrefixLists: create, modify within MaxEntries and the family,
// describe with filters and tags, name in security group rules, deletion
// refused while a rule names the list.
func TestPrefixLists(t *testing.T) {
	s, vpcID := sgServer(t)
	c := sdktest.ECS(t, s, "")
	id, err := createPrefixList(t, c, "office", "IPv4", 3, "10.0.0.0/8", "192.168.0.0/16")
	sdktest.OK(t, err)
	if got := prefixEntries(t, c, id); !slices.Equal(got, []string{"10.0.0.0/8", "192.168.0.0/16"}) {
		t.Fatalf("entries %v", got)
	}
	v6, err := createPrefixList(t, c, "office6", "IPv6", 2, "2001:db8::/32")
	sdktest.OK(t, err)
	for _, bad := range []struct {
		name, family string
		max          int32
		cidrs        []string
		code         string
	}{
		{"4office", "IPv4", 3, nil, "InvalidParameter"},
		{"com.aliyun.x", "IPv4", 3, nil, "InvalidParameter"},
		{"office", "IPv5", 3, nil, "InvalidParameter"},
		{"office", "IPv4", 201, nil, "InvalidParameter"},
		{"office", "IPv4", 3, []string{"10.0.0.1/8"}, "InvalidParameter"},
		{"office", "IPv4", 3, []string{"2001:db8::/32"}, "InvalidParameter"},
		{"office", "IPv4", 1, []string{"10.0.0.0/8", "11.0.0.0/8"}, "InvalidParameter.EntryCountExceeded"},
	} {
		_, err = createPrefixList(t, c, bad.name, bad.family, bad.max, bad.cidrs...)
		sdktest.WantFail(t, err, 400, bad.code)
	}

	mod := func(add, remove []string) error {
		r := &ecs.ModifyPrefixListRequest{RegionId: dara.String(sgRegion), PrefixListId: dara.String(id)}
		for _, a := range add {
			r.AddEntry = append(r.AddEntry, &ecs.ModifyPrefixListRequestAddEntry{Cidr: dara.String(a)})
		}
		for _, x := range remove {
			r.RemoveEntry = append(r.RemoveEntry, &ecs.ModifyPrefixListRequestRemoveEntry{Cidr: dara.String(x)})
		}
		_, err := c.ModifyPrefixList(r)
		return err
	}
	sdktest.OK(t, mod([]string{"172.16.0.0/12"}, []string{"10.0.0.0/8"}))
	if got := prefixEntries(t, c, id); !slices.Equal(got, []string{"192.168.0.0/16", "172.16.0.0/12"}) {
		t.Fatalf("entries after modify %v", got)
	}
	sdktest.WantFail(t, mod([]string{"1.0.0.0/8", "2.0.0.0/8"}, nil), 400, "InvalidParameter.EntryCountExceeded")
	sdktest.WantFail(t, mod(nil, []string{"10.0.0.0/8"}), 400, "InvalidParameter")
	sdktest.WantFail(t, mod([]string{"192.168.0.0/16"}, nil), 400, "InvalidParameter")
	sdktest.WantFail(t, mod([]string{"2001:db8::/32"}, nil), 400, "InvalidParameter")

	// Rules name the list as their peer; DescribeSecurityGroupAttribute answers it.
	sg := createSG(t, c, &ecs.CreateSecurityGroupRequest{VpcId: dara.String(vpcID)})
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
		IpProtocol: dara.String("tcp"), PortRange: dara.String("22/22"), SourcePrefixListId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = c.AuthorizeSecurityGroupEgress(&ecs.AuthorizeSecurityGroupEgressRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
		IpProtocol: dara.String("tcp"), PortRange: dara.String("443/443"), DestPrefixListId: dara.String(id)})
	sdktest.OK(t, err)
	attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg)})
	sdktest.OK(t, err)
	var peers []string
	for _, p := range attr.Body.Permissions.Permission {
		peers = append(peers, dara.StringValue(p.SourcePrefixListId)+dara.StringValue(p.DestPrefixListId))
	}
	if !slices.Equal(peers, []string{id, id}) {
		t.Fatalf("rule peers %v", peers)
	}
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
		IpProtocol: dara.String("tcp"), PortRange: dara.String("80/80"), SourcePrefixListId: dara.String("pl-nothere")})
	sdktest.WantFail(t, err, 404, "InvalidPrefixListId.NotFound")
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: dara.String(sgRegion), SecurityGroupId: dara.String(sg),
		IpProtocol: dara.String("tcp"), PortRange: dara.String("80/80"), SourcePrefixListId: dara.String(v6)})
	sdktest.WantFail(t, err, 400, "InvalidParam.PrefixListAddressFamilyMismatch")

	lists, err := c.DescribePrefixLists(&ecs.DescribePrefixListsRequest{RegionId: dara.String(sgRegion), AddressFamily: dara.String("IPv4")})
	sdktest.OK(t, err)
	if n := len(lists.Body.PrefixLists.PrefixList); n != 1 || dara.Int32Value(lists.Body.PrefixLists.PrefixList[0].AssociationCount) != 1 {
		t.Fatalf("DescribePrefixLists IPv4: %d lists", n)
	}
	assoc, err := c.DescribePrefixListAssociations(&ecs.DescribePrefixListAssociationsRequest{RegionId: dara.String(sgRegion), PrefixListId: dara.String(id)})
	sdktest.OK(t, err)
	if a := assoc.Body.PrefixListAssociations.PrefixListAssociation; len(a) != 1 || dara.StringValue(a[0].ResourceId) != sg || dara.StringValue(a[0].ResourceType) != "securitygroup" {
		t.Fatalf("associations %+v", a)
	}
	del := func(id string) error {
		_, err := c.DeletePrefixList(&ecs.DeletePrefixListRequest{RegionId: dara.String(sgRegion), PrefixListId: dara.String(id)})
		return err
	}
	sdktest.WantFail(t, del(id), 403, "DependencyViolation.PrefixList")

	// Tags and paging.
	_, err = c.TagResources(&ecs.TagResourcesRequest{RegionId: dara.String(sgRegion), ResourceType: dara.String("prefixlist"),
		ResourceId: []*string{dara.String(v6)}, Tag: []*ecs.TagResourcesRequestTag{{Key: dara.String("env"), Value: dara.String("prod")}}})
	sdktest.OK(t, err)
	lists, err = c.DescribePrefixLists(&ecs.DescribePrefixListsRequest{RegionId: dara.String(sgRegion),
		Tag: []*ecs.DescribePrefixListsRequestTag{{Key: dara.String("env"), Value: dara.String("prod")}}})
	sdktest.OK(t, err)
	if n := len(lists.Body.PrefixLists.PrefixList); n != 1 || dara.StringValue(lists.Body.PrefixLists.PrefixList[0].PrefixListId) != v6 {
		t.Fatalf("DescribePrefixLists by tag: %d", n)
	}
	page, err := c.DescribePrefixLists(&ecs.DescribePrefixListsRequest{RegionId: dara.String(sgRegion), MaxResults: dara.Int32(1)})
	sdktest.OK(t, err)
	next, err := c.DescribePrefixLists(&ecs.DescribePrefixListsRequest{RegionId: dara.String(sgRegion), MaxResults: dara.Int32(1), NextToken: page.Body.NextToken})
	sdktest.OK(t, err)
	if dara.StringValue(page.Body.NextToken) == "" || len(next.Body.PrefixLists.PrefixList) != 1 ||
		dara.StringValue(next.Body.PrefixLists.PrefixList[0].PrefixListId) == dara.StringValue(page.Body.PrefixLists.PrefixList[0].PrefixListId) {
		t.Fatalf("paging: %+v then %+v", page.Body, next.Body)
	}

	// Revoking the rules frees the list for deletion.
	rv := classicecs.CreateRevokeSecurityGroupRequest()
	rv.SecurityGroupId, rv.IpProtocol, rv.PortRange, rv.SourcePrefixListId = sg, "tcp", "22/22", id
	_, err = sdktest.ClassicECS(t, s).RevokeSecurityGroup(rv)
	sdktest.OK(t, err)
	sdktest.WantFail(t, del(id), 403, "DependencyViolation.PrefixList") // the egress rule still names it
	re := classicecs.CreateRevokeSecurityGroupEgressRequest()
	re.SecurityGroupId, re.IpProtocol, re.PortRange, re.DestPrefixListId = sg, "tcp", "443/443", id
	_, err = sdktest.ClassicECS(t, s).RevokeSecurityGroupEgress(re)
	sdktest.OK(t, err)
	sdktest.OK(t, del(id))
	sdktest.WantFail(t, del(id), 404, "InvalidPrefixListId.NotFound")
	_, err = c.DescribePrefixListAttributes(&ecs.DescribePrefixListAttributesRequest{RegionId: dara.String(sgRegion), PrefixListId: dara.String(id)})
	sdktest.WantFail(t, err, 404, "InvalidPrefixListId.NotFound")
}
