package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestDescribeRegions_BothSDKs(t *testing.T) {
	s := ecslocaltest.New(t, ecslocaltest.Options{})
	t.Run("classic", func(t *testing.T) {
		c := sdktest.ClassicECS(t, s)
		resp, err := c.DescribeRegions(classicecs.CreateDescribeRegionsRequest())
		sdktest.OK(t, err)
		if len(resp.Regions.Region) < 5 || resp.RequestId == "" {
			t.Fatalf("regions: %+v", resp)
		}
	})
	for _, alg := range []string{"", "v2"} {
		t.Run("v7"+alg, func(t *testing.T) {
			c := sdktest.ECS(t, s, alg)
			resp, err := c.DescribeRegions(&ecs.DescribeRegionsRequest{AcceptLanguage: dara.String("en-US")})
			sdktest.OK(t, err)
			found := false
			for _, r := range resp.Body.Regions.Region {
				if dara.StringValue(r.RegionId) == "cn-hangzhou" && dara.StringValue(r.LocalName) == "China (Hangzhou)" {
					found = true
				}
			}
			if !found {
				t.Fatalf("cn-hangzhou missing: %v", resp.Body)
			}
		})
	}
}
