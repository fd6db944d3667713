package vpc_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *netFixture) tag(typ string, ids []string, kv ...string) error {
	req := &vpc.TagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String(typ), ResourceId: dara.StringSlice(ids)}
	for i := 0; i+1 < len(kv); i += 2 {
		req.Tag = append(req.Tag, &vpc.TagResourcesRequestTag{Key: dara.String(kv[i]), Value: dara.String(kv[i+1])})
	}
	_, err := f.v6.TagResources(req)
	return err
}

// listTags answers "id/key=value" rows of ListTagResources (v6).
func (f *netFixture) listTags(t *testing.T, typ string, ids []string, kv ...string) []string {
	t.Helper()
	req := &vpc.ListTagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String(typ)}
	if ids != nil {
		req.ResourceId = dara.StringSlice(ids)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		req.Tag = append(req.Tag, &vpc.ListTagResourcesRequestTag{Key: dara.String(kv[i]), Value: dara.String(kv[i+1])})
	}
	resp, err := f.v6.ListTagResources(req)
	sdktest.OK(t, err)
	var out []string
	for _, r := range resp.Body.TagResources.TagResource {
		if got := dara.StringValue(r.ResourceType); got != typ {
			t.Errorf("ResourceType %q, want %q", got, typ)
		}
		out = append(out, dara.StringValue(r.ResourceId)+"/"+dara.StringValue(r.TagKey)+"="+dara.StringValue(r.TagValue))
	}
	return out
}

// TestVpcTags_EveryKind: TagResources, ListTagResources and UnTagResources
// on each taggable VPC kind, and the tag filter of its Describe action.
func TestVpcTags_EveryKind(t *testing.T) {
	f := newNet(t, false)
	eip := f.allocate(t)
	kinds := []struct{ typ, id string }{{"VPC", f.vpcID}, {"VSWITCH", f.vsw}, {"ROUTETABLE", f.table}, {"EIP", eip}}
	for _, k := range kinds {
		t.Run(k.typ, func(t *testing.T) {
			sdktest.OK(t, f.tag(k.typ, []string{k.id}, "env", "prod", "team", "net"))
			sdktest.OK(t, f.tag(k.typ, []string{k.id}, "env", "test"))
			want := []string{k.id + "/env=test", k.id + "/team=net"}
			if got := f.listTags(t, k.typ, []string{k.id}); !slices.Equal(got, want) {
				t.Fatalf("tags %v, want %v", got, want)
			}
			if got := f.listTags(t, k.typ, nil, "team", "net"); !slices.Equal(got, want) {
				t.Fatalf("tags by filter %v, want %v", got, want)
			}
			_, err := f.v6.UnTagResources(&vpc.UnTagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String(k.typ),
				ResourceId: dara.StringSlice([]string{k.id}), TagKey: dara.StringSlice([]string{"env", "absent"})})
			sdktest.OK(t, err)
			if got := f.listTags(t, k.typ, []string{k.id}); !slices.Equal(got, want[1:]) {
				t.Fatalf("after untag %v", got)
			}
		})
	}
	// Each Describe action filters by Tag.N and shows the tags.
	tag := []*vpc.DescribeVpcsRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}
	vpcs, err := f.v6.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: dara.String(region), Tag: tag})
	sdktest.OK(t, err)
	if n := len(vpcs.Body.Vpcs.Vpc); n != 1 || dara.StringValue(vpcs.Body.Vpcs.Vpc[0].Tags.Tag[0].Key) != "team" {
		t.Fatalf("DescribeVpcs Tag.N: %v", vpcs.Body)
	}
	vsws, err := f.v6.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: dara.String(region),
		Tag: []*vpc.DescribeVSwitchesRequestTag{{Key: dara.String("team"), Value: dara.String("other")}}})
	sdktest.OK(t, err)
	if n := len(vsws.Body.VSwitches.VSwitch); n != 0 {
		t.Fatalf("DescribeVSwitches Tag.N other: %d", n)
	}
	eips, err := f.v6.DescribeEipAddresses(&vpc.DescribeEipAddressesRequest{RegionId: dara.String(region),
		Tag: []*vpc.DescribeEipAddressesRequestTag{{Key: dara.String("team")}}})
	sdktest.OK(t, err)
	if n := len(eips.Body.EipAddresses.EipAddress); n != 1 || dara.StringValue(eips.Body.EipAddresses.EipAddress[0].Tags.Tag[0].Value) != "net" {
		t.Fatalf("DescribeEipAddresses Tag.N: %v", eips.Body)
	}
	tables, err := f.v6.DescribeRouteTableList(&vpc.DescribeRouteTableListRequest{RegionId: dara.String(region),
		Tag: []*vpc.DescribeRouteTableListRequestTag{{Key: dara.String("team"), Value: dara.String("net")}}})
	sdktest.OK(t, err)
	if n := len(tables.Body.RouterTableList.RouterTableListType); n != 1 {
		t.Fatalf("DescribeRouteTableList Tag.N: %d", n)
	}
}

// TestVpcTags_Classic: the classic VPC client, a lower-case ResourceType
// (the reference calls it case-insensitive) and All=true.
func TestVpcTags_Classic(t *testing.T) {
	f := newNet(t, false)
	r := classicvpc.CreateTagResourcesRequest()
	r.RegionId, r.ResourceType, r.ResourceId = region, "vpc", &[]string{f.vpcID}
	r.Tag = &[]classicvpc.TagResourcesTag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
	_, err := f.classic.TagResources(r)
	sdktest.OK(t, err)
	l := classicvpc.CreateListTagResourcesRequest()
	l.RegionId, l.ResourceType, l.ResourceId = region, "VPC", &[]string{f.vpcID}
	resp, err := f.classic.ListTagResources(l)
	sdktest.OK(t, err)
	if n := len(resp.TagResources.TagResource); n != 2 {
		t.Fatalf("classic list: %d tags", n)
	}
	u := classicvpc.CreateUnTagResourcesRequest()
	u.RegionId, u.ResourceType, u.ResourceId, u.All = region, "VPC", &[]string{f.vpcID}, requests.NewBoolean(true)
	_, err = f.classic.UnTagResources(u)
	sdktest.OK(t, err)
	if got := f.listTags(t, "VPC", []string{f.vpcID}); len(got) != 0 {
		t.Fatalf("after All=true: %v", got)
	}
}

// TestVpcTags_Refusals: the limits and codes of the tag references.
func TestVpcTags_Refusals(t *testing.T) {
	f := newNet(t, false)
	var many []string
	for i := range 21 {
		many = append(many, fmt.Sprintf("k%d", i), "v")
	}
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"unknown type", f.tag("DISK", []string{f.vpcID}, "a", "b"), 404, "InvalidResourceType.NotFound"},
		{"unknown id", f.tag("VPC", []string{"vpc-missing"}, "a", "b"), 404, "InvalidResourceId.NotFound"},
		{"id of another kind", f.tag("VSWITCH", []string{f.vpcID}, "a", "b"), 404, "InvalidResourceId.NotFound"},
		{"kept no such type", f.tag("HAVIP", []string{"havip-1"}, "a", "b"), 404, "InvalidResourceId.NotFound"},
		{"no tag", f.tag("VPC", []string{f.vpcID}), 400, "MissingParameter"},
		{"21 tags in a request", f.tag("VPC", []string{f.vpcID}, many...), 400, "NumberExceed.Tags"},
		{"duplicate key", f.tag("VPC", []string{f.vpcID}, "a", "1", "a", "2"), 400, "Duplicate.TagKey"},
		{"aliyun key", f.tag("VPC", []string{f.vpcID}, "aliyun:x", "1"), 400, "InvalidTagKey.Malformed"},
		{"url value", f.tag("VPC", []string{f.vpcID}, "a", "http://x"), 400, "InvalidTagValue.Malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { sdktest.WantFail(t, c.err, c.status, c.code) })
	}
	// 20 tags fit; one more on the resource is over its quota, and nothing
	// of that request is written.
	sdktest.OK(t, f.tag("VPC", []string{f.vpcID}, many[:40]...))
	sdktest.WantFail(t, f.tag("VPC", []string{f.vpcID}, "extra", "1"), 400, "OperationDenied.QuotaExceed")
	if got := f.listTags(t, "VPC", []string{f.vpcID}); len(got) != 20 {
		t.Fatalf("after quota refusal: %d tags", len(got))
	}
}

// TestVpcTags_ListPaging: MaxResults resources a page, NextToken to go on,
// a bad token refused.
func TestVpcTags_ListPaging(t *testing.T) {
	f := newNet(t, false)
	var eips []string
	for range 3 {
		id := f.allocate(t)
		sdktest.OK(t, f.tag("EIP", []string{id}, "app", "web"))
		eips = append(eips, id)
	}
	var got []string
	token := ""
	for pages := 0; ; pages++ {
		req := &vpc.ListTagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String("EIP"), MaxResults: dara.Int32(2),
			Tag: []*vpc.ListTagResourcesRequestTag{{Key: dara.String("app"), Value: dara.String("web")}}}
		if token != "" {
			req.NextToken = dara.String(token)
		}
		resp, err := f.v6.ListTagResources(req)
		sdktest.OK(t, err)
		for _, r := range resp.Body.TagResources.TagResource {
			got = append(got, dara.StringValue(r.ResourceId))
		}
		if token = dara.StringValue(resp.Body.NextToken); token == "" {
			if pages != 1 {
				t.Fatalf("%d pages, want 2", pages+1)
			}
			break
		}
	}
	if !slices.Equal(got, eips) {
		t.Fatalf("listed %v, want %v", got, eips)
	}
	_, err := f.v6.ListTagResources(&vpc.ListTagResourcesRequest{RegionId: dara.String(region), ResourceType: dara.String("EIP"), NextToken: dara.String("!!")})
	sdktest.WantFail(t, err, 403, "Invalid.NextToken")
}
