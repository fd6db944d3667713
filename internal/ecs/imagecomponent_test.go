package ecs_test

import (
	"net/http"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestImageComponents(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rg := dara.String(region)
	_, err := e.v7.CreateImageComponent(&ecs.CreateImageComponentRequest{RegionId: rg, Name: dara.String("base")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	_, err = e.v7.CreateImageComponent(&ecs.CreateImageComponentRequest{RegionId: rg, Name: dara.String("base"), Content: dara.String("RUN x"),
		ComponentVersion: dara.String("1.0")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	mk := func(version, kind string) (string, error) {
		r, err := e.v7.CreateImageComponent(&ecs.CreateImageComponentRequest{RegionId: rg, Name: dara.String("base"), Content: dara.String("RUN yum -y update"),
			ComponentVersion: dara.String(version), ComponentType: dara.String(kind), Tag: []*ecs.CreateImageComponentRequestTag{{Key: dara.String("team"), Value: dara.String("os")}}})
		if err != nil {
			return "", err
		}
		return dara.StringValue(r.Body.ImageComponentId), nil
	}
	v1, err := mk("1.0.0", "Build")
	sdktest.OK(t, err)
	_, err = mk("1.0.0", "Build")
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidName.Duplicated")
	v2, err := mk("1.1.0", "Test")
	sdktest.OK(t, err)
	list, err := e.v7.DescribeImageComponents(&ecs.DescribeImageComponentsRequest{RegionId: rg, Name: dara.String("base"), ComponentType: dara.String("Test")})
	sdktest.OK(t, err)
	if c := list.Body.ImageComponent.ImageComponentSet; len(c) != 1 || dara.StringValue(c[0].ImageComponentId) != v2 ||
		dara.StringValue(c[0].SystemType) != "Linux" || dara.StringValue(c[0].Owner) != "SELF" || len(c[0].Tags.Tag) != 1 {
		t.Fatalf("components: %v", list.Body)
	}
	list, err = e.v7.DescribeImageComponents(&ecs.DescribeImageComponentsRequest{RegionId: rg, Owner: dara.String("ALIYUN")})
	sdktest.OK(t, err)
	if dara.Int32Value(list.Body.TotalCount) != 0 {
		t.Fatalf("ALIYUN: %v", list.Body)
	}
	list, err = e.v7.DescribeImageComponents(&ecs.DescribeImageComponentsRequest{RegionId: rg, MaxResults: dara.Int32(1)})
	sdktest.OK(t, err)
	if len(list.Body.ImageComponent.ImageComponentSet) != 1 || dara.StringValue(list.Body.NextToken) == "" {
		t.Fatalf("page: %v", list.Body)
	}
	_, err = e.v7.DeleteImageComponent(&ecs.DeleteImageComponentRequest{RegionId: rg, ImageComponentId: dara.String(v1)})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteImageComponent(&ecs.DeleteImageComponentRequest{RegionId: rg, ImageComponentId: dara.String(v1)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidImageComponentId.NotFound")
}
