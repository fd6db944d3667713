package ecs_test

import (
	"testing"
	"time"

	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// TestDescribeSpotPriceHistory: an hourly point per zone at the table's spot
// price (20% of 0.36 for ecs.g7.large), beside the pay-as-you-go price.
func TestDescribeSpotPriceHistory(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	now := e.s.Clock.Now().UTC()
	q := func(zone, typ string, from, to time.Time) ([]classicecs.SpotPriceType, error) {
		r := classicecs.CreateDescribeSpotPriceHistoryRequest()
		r.InstanceType, r.NetworkType, r.ZoneId = typ, "vpc", zone
		if !from.IsZero() {
			r.StartTime, r.EndTime = from.Format(time.RFC3339), to.Format(time.RFC3339)
		}
		resp, err := e.classic.DescribeSpotPriceHistory(r)
		if err != nil {
			return nil, err
		}
		if resp.Currency != "CNY" {
			t.Fatalf("currency %q", resp.Currency)
		}
		return resp.SpotPrices.SpotPriceType, nil
	}
	pts, err := q(e.zone, itype, time.Time{}, time.Time{})
	sdktest.OK(t, err)
	if len(pts) < 3 || len(pts) > 4 || !near(pts[0].SpotPrice, 0.07) || !near(pts[0].OriginPrice, 0.36) || pts[0].ZoneId != e.zone {
		t.Fatalf("default window: %+v", pts)
	}
	pts, err = q(e.zone, itype, now.Add(-24*time.Hour), now)
	sdktest.OK(t, err)
	if len(pts) < 24 || len(pts) > 25 {
		t.Fatalf("a day: %d points", len(pts))
	}
	_, err = q(e.zone, itype, now.Add(-40*24*time.Hour), now)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = q(e.zone, itype, now, now.Add(-time.Hour))
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = q(e.zone, "ecs.nothere.large", time.Time{}, time.Time{})
	sdktest.WantFail(t, err, 400, "InvalidInstanceType.ValueNotSupported")
}
