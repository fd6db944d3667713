package slb_test

import (
	"fmt"
	"testing"

	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func (f *fixture) tagList(t *testing.T, lb string) string {
	t.Helper()
	r := classicslb.CreateListTagResourcesRequest()
	r.ResourceType, r.ResourceId = "instance", &[]string{lb}
	resp, err := f.slb.ListTagResources(r)
	sdktest.OK(t, err)
	out := []string{}
	for _, x := range resp.TagResources.TagResource {
		out = append(out, x.TagKey+"="+x.TagValue)
	}
	return fmt.Sprint(out)
}

// TestTags_Classic: the newer and the older tag actions over one load
// balancer, read back through ListTagResources and DescribeTags.
func TestTags_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)

	tr := classicslb.CreateTagResourcesRequest()
	tr.ResourceType, tr.ResourceId = "instance", &[]string{lb}
	tr.Tag = &[]classicslb.TagResourcesTag{{Key: "env", Value: "prod"}, {Key: "team", Value: "web"}}
	_, err := f.slb.TagResources(tr)
	sdktest.OK(t, err)
	if got := f.tagList(t, lb); got != "[env=prod team=web]" {
		t.Fatalf("after TagResources: %s", got)
	}

	bad := classicslb.CreateTagResourcesRequest()
	bad.ResourceType, bad.ResourceId = "instance", &[]string{"lb-nope"}
	bad.Tag = &[]classicslb.TagResourcesTag{{Key: "env", Value: "prod"}}
	_, err = f.slb.TagResources(bad)
	sdktest.WantFail(t, err, 404, "InvalidResourceId.NotFound")
	bad2 := classicslb.CreateTagResourcesRequest()
	bad2.ResourceType, bad2.ResourceId = "disk", &[]string{lb}
	bad2.Tag = &[]classicslb.TagResourcesTag{{Key: "env", Value: "prod"}}
	_, err = f.slb.TagResources(bad2)
	sdktest.WantFail(t, err, 404, "InvalidResourceType.NotFound")

	add := classicslb.CreateAddTagsRequest()
	add.LoadBalancerId, add.Tags = lb, `[{"TagKey":"env","TagValue":"stage"},{"TagKey":"cost","TagValue":"42"}]`
	_, err = f.slb.AddTags(add)
	sdktest.OK(t, err)
	if got := f.tagList(t, lb); got != "[env=stage team=web cost=42]" {
		t.Fatalf("after AddTags: %s", got)
	}
	badAdd := classicslb.CreateAddTagsRequest()
	badAdd.LoadBalancerId, badAdd.Tags = lb, `not json`
	_, err = f.slb.AddTags(badAdd)
	sdktest.WantFail(t, err, 400, "InvalidParameter")

	d := classicslb.CreateDescribeTagsRequest()
	d.LoadBalancerId = lb
	tags, err := f.slb.DescribeTags(d)
	sdktest.OK(t, err)
	if tags.TotalCount != 3 || tags.TagSets.TagSet[0].TagKey != "cost" || tags.TagSets.TagSet[0].InstanceCount != 1 {
		t.Fatalf("DescribeTags = %+v", tags.TagSets)
	}

	rm := classicslb.CreateRemoveTagsRequest()
	rm.LoadBalancerId, rm.Tags = lb, `[{"TagKey":"cost","TagValue":"42"}]`
	_, err = f.slb.RemoveTags(rm)
	sdktest.OK(t, err)
	un := classicslb.CreateUntagResourcesRequest()
	un.ResourceType, un.ResourceId, un.TagKey = "instance", &[]string{lb}, &[]string{"team"}
	_, err = f.slb.UntagResources(un)
	sdktest.OK(t, err)
	if got := f.tagList(t, lb); got != "[env=stage]" {
		t.Fatalf("after removals: %s", got)
	}
}
