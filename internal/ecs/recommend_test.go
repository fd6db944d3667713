package ecs_test

import (
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestDescribeRecommendInstanceType: types of the same size on sale, the
// named one left out, within a price and of the families named.
func TestDescribeRecommendInstanceType(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rec := func(mod func(*classicecs.DescribeRecommendInstanceTypeRequest)) ([]string, error) {
		r := classicecs.CreateDescribeRecommendInstanceTypeRequest()
		r.NetworkType = "vpc"
		mod(r)
		resp, err := e.classic.DescribeRecommendInstanceType(r)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, x := range resp.Data.RecommendInstanceType {
			if x.InstanceType.Cores != 2 || x.InstanceType.Memory != 8192 || len(x.Zones.Zone) == 0 {
				t.Fatalf("recommendation %+v", x)
			}
			out = append(out, x.InstanceType.InstanceType)
		}
		return out, nil
	}
	got, err := rec(func(r *classicecs.DescribeRecommendInstanceTypeRequest) { r.InstanceType = itype })
	sdktest.OK(t, err)
	if len(got) == 0 || contains(got, itype) {
		t.Fatalf("like %s: %v", itype, got)
	}
	got, err = rec(func(r *classicecs.DescribeRecommendInstanceTypeRequest) {
		r.Cores, r.Memory, r.InstanceTypeFamily = "2", "8", &[]string{"ecs.g7"}
	})
	sdktest.OK(t, err)
	if len(got) != 1 || got[0] != itype {
		t.Fatalf("2 vCPUs 8 GiB of ecs.g7: %v", got)
	}
	got, err = rec(func(r *classicecs.DescribeRecommendInstanceTypeRequest) {
		r.Cores, r.Memory, r.MaxPrice = "2", "8", "0.01"
	})
	sdktest.OK(t, err)
	if len(got) != 0 {
		t.Fatalf("under 0.01 an hour: %v", got)
	}
	_, err = rec(func(r *classicecs.DescribeRecommendInstanceTypeRequest) {})
	sdktest.WantFail(t, err, 400, "MissingParameter")
	_, err = rec(func(r *classicecs.DescribeRecommendInstanceTypeRequest) { r.InstanceType = "ecs.nothere.large" })
	sdktest.WantFail(t, err, 400, "InvalidInstanceType.ValueNotSupported")
}
