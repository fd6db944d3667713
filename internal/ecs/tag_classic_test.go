package ecs_test

import (
	"slices"
	"strconv"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// describeTags answers DescribeTags as "key=value:instances/disks" rows.
func describeTags(t *testing.T, e *env, r *ecs.DescribeTagsRequest) []string {
	t.Helper()
	r.RegionId = dara.String(region)
	resp, err := e.v7.DescribeTags(r)
	sdktest.OK(t, err)
	var out []string
	for _, tag := range resp.Body.Tags.Tag {
		c := tag.ResourceTypeCount
		out = append(out, dara.StringValue(tag.TagKey)+"="+dara.StringValue(tag.TagValue)+":"+
			itoa(dara.Int32Value(c.Instance))+"/"+itoa(dara.Int32Value(c.Disk)))
	}
	return out
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// AddTags, RemoveTags and DescribeTags work on the tags TagResources keeps.
func TestClassicTags_SameStore(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.Tag = &[]classicecs.RunInstancesTag{{Key: "env", Value: "test"}}
	})
	e.tagDisk(t, kv{"env", "test"})

	add := &ecs.AddTagsRequest{RegionId: dara.String(region), ResourceType: dara.String("instance"), ResourceId: dara.String(id),
		Tag: []*ecs.AddTagsRequestTag{{Key: dara.String("team"), Value: dara.String("a")}}}
	_, err := e.v7.AddTags(add)
	sdktest.OK(t, err)

	got := describeTags(t, e, &ecs.DescribeTagsRequest{})
	if want := []string{"env=test:1/1", "team=a:1/0"}; !slices.Equal(got, want) {
		t.Fatalf("DescribeTags: %v, want %v", got, want)
	}
	got = describeTags(t, e, &ecs.DescribeTagsRequest{ResourceType: dara.String("disk")})
	if want := []string{"env=test:0/1"}; !slices.Equal(got, want) {
		t.Fatalf("DescribeTags disk: %v, want %v", got, want)
	}
	got = describeTags(t, e, &ecs.DescribeTagsRequest{ResourceType: dara.String("instance"), ResourceId: dara.String(id),
		Tag: []*ecs.DescribeTagsRequestTag{{Key: dara.String("team")}}})
	if want := []string{"team=a:1/0"}; !slices.Equal(got, want) {
		t.Fatalf("DescribeTags by id and key: %v, want %v", got, want)
	}
	// An image: a valid type of which nothing is kept, as alicloud_images asks.
	if got := describeTags(t, e, &ecs.DescribeTagsRequest{ResourceType: dara.String("image"), ResourceId: dara.String("ubuntu_22_04_x64_20G_alibase_20240101.vhd")}); len(got) != 0 {
		t.Fatalf("DescribeTags image: %v", got)
	}

	rm := classicecs.CreateRemoveTagsRequest()
	rm.RegionId, rm.ResourceType, rm.ResourceId = region, "instance", id
	rm.Tag = &[]classicecs.RemoveTagsTag{{Key: "env"}}
	_, err = e.classic.RemoveTags(rm)
	sdktest.OK(t, err)
	got = describeTags(t, e, &ecs.DescribeTagsRequest{})
	if want := []string{"env=test:0/1", "team=a:1/0"}; !slices.Equal(got, want) {
		t.Fatalf("after RemoveTags: %v, want %v", got, want)
	}

	_, err = e.v7.DescribeTags(&ecs.DescribeTagsRequest{RegionId: dara.String(region), ResourceType: dara.String("bucket")})
	sdktest.WantFail(t, err, 404, "InvalidResourceType.NotFound")
	add.ResourceId = dara.String("i-bp1nosuchinstance00")
	_, err = e.v7.AddTags(add)
	sdktest.WantFail(t, err, 404, "InvalidResourceId.NotFound")
	_, err = e.v7.AddTags(&ecs.AddTagsRequest{RegionId: dara.String(region), ResourceType: dara.String("instance"), ResourceId: dara.String(id)})
	sdktest.WantFail(t, err, 400, "MissingParameter")
}
