package ecs_test

import (
	"strings"
	"testing"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestBandwidthLimitationAndDeploymentFamilies: the bandwidth range
// ecslocal enforces, narrowed by an instance's own for an upgrade or a
// downgrade; the families a deployment set takes.
func TestBandwidthLimitationAndDeploymentFamilies(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	id := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.InternetMaxBandwidthOut = "10" })
	limit := func(op, res, typ string) (min, max int, err error) {
		r := classicecs.CreateDescribeBandwidthLimitationRequest()
		r.InstanceType, r.OperationType, r.ResourceId = typ, op, res
		resp, err := e.classic.DescribeBandwidthLimitation(r)
		if err != nil {
			return 0, 0, err
		}
		b := resp.Bandwidths.Bandwidth
		if len(b) != 2 || b[0].Unit != "Mbps" {
			t.Fatalf("bandwidths %+v", b)
		}
		return b[0].Min, b[0].Max, nil
	}
	lo, hi, err := limit("", "", itype)
	sdktest.OK(t, err)
	if lo != 0 || hi != 100 {
		t.Fatalf("create range %d..%d", lo, hi)
	}
	lo, hi, err = limit("Upgrade", id, itype)
	sdktest.OK(t, err)
	if lo != 10 || hi != 100 {
		t.Fatalf("upgrade range %d..%d", lo, hi)
	}
	lo, hi, err = limit("Downgrade", id, itype)
	sdktest.OK(t, err)
	if lo != 0 || hi != 10 {
		t.Fatalf("downgrade range %d..%d", lo, hi)
	}
	_, _, err = limit("Upgrade", "", itype)
	sdktest.WantFail(t, err, 400, "MissingParameter")
	_, _, err = limit("", "", "ecs.nothere.large")
	sdktest.WantFail(t, err, 400, "InvalidInstanceType.ValueNotSupported")
	_, _, err = limit("Upgrade", "i-nothere", itype)
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")

	r := classicecs.CreateDescribeDeploymentSetSupportedInstanceTypeFamilyRequest()
	r.Strategy = "Availability"
	resp, err := e.classic.DescribeDeploymentSetSupportedInstanceTypeFamily(r)
	sdktest.OK(t, err)
	if !strings.Contains(resp.InstanceTypeFamilies, "ecs.g7") {
		t.Fatalf("families %q", resp.InstanceTypeFamilies)
	}
	r.Strategy = "Scattered"
	_, err = e.classic.DescribeDeploymentSetSupportedInstanceTypeFamily(r)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}
