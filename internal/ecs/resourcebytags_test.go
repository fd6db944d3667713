package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestDescribeResourceByTags: resources of one type or of every type that
// carry all the tags named.
func TestDescribeResourceByTags(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	inst := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.Tag = &[]classicecs.RunInstancesTag{{Key: "team", Value: "web"}}
	})
	tr := classicecs.CreateTagResourcesRequest()
	tr.ResourceType, tr.ResourceId, tr.Tag = "securitygroup", &[]string{e.sg}, &[]classicecs.TagResourcesTag{{Key: "team", Value: "web"}}
	_, err := e.classic.TagResources(tr)
	sdktest.OK(t, err)
	find := func(rt string, tags ...classicecs.DescribeResourceByTagsTag) map[string]string {
		r := classicecs.CreateDescribeResourceByTagsRequest()
		r.ResourceType, r.Tag = rt, &tags
		resp, err := e.classic.DescribeResourceByTags(r)
		sdktest.OK(t, err)
		out := map[string]string{}
		for _, x := range resp.Resources.Resource {
			out[x.ResourceId] = x.ResourceType
		}
		if resp.TotalCount != len(out) {
			t.Fatalf("TotalCount %d, %d resources", resp.TotalCount, len(out))
		}
		return out
	}
	web := classicecs.DescribeResourceByTagsTag{Key: "team", Value: "web"}
	if got := find("", web); len(got) != 2 || got[inst] != "instance" || got[e.sg] != "securitygroup" {
		t.Fatalf("every type: %v", got)
	}
	if got := find("instance", web); len(got) != 1 || got[inst] != "instance" {
		t.Fatalf("instances: %v", got)
	}
	if got := find("instance", classicecs.DescribeResourceByTagsTag{Key: "team", Value: "db"}); len(got) != 0 {
		t.Fatalf("team=db: %v", got)
	}
	r := classicecs.CreateDescribeResourceByTagsRequest()
	r.ResourceType = "unicorn"
	_, err = e.classic.DescribeResourceByTags(r)
	sdktest.WantFail(t, err, 404, "InvalidResourceType.NotFound")
}
