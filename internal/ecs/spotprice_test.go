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

// TestDescribeSpotAdvice: the types of each zone that match, at the
// table's discount, never interrupted; sold-out types are left out.
func TestDescribeSpotAdvice(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	advice := func(mod func(*classicecs.DescribeSpotAdviceRequest)) map[string][]string {
		r := classicecs.CreateDescribeSpotAdviceRequest()
		mod(r)
		resp, err := e.classic.DescribeSpotAdvice(r)
		sdktest.OK(t, err)
		out := map[string][]string{}
		for _, z := range resp.AvailableSpotZones.AvailableSpotZone {
			for _, x := range z.AvailableSpotResources.AvailableSpotResource {
				if x.AverageSpotDiscount != 80 || x.InterruptionRate != 0 {
					t.Fatalf("resource %+v", x)
				}
				out[z.ZoneId] = append(out[z.ZoneId], x.InstanceType)
			}
		}
		return out
	}
	got := advice(func(r *classicecs.DescribeSpotAdviceRequest) { r.ZoneId, r.Cores, r.Memory = e.zone, "2", "8" })
	if len(got) != 1 || !contains(got[e.zone], itype) {
		t.Fatalf("2 vCPU 8 GiB in %s: %v", e.zone, got)
	}
	for _, typ := range got[e.zone] {
		if typ == "ecs.c7.large" {
			t.Fatalf("ecs.c7.large has 4 GiB: %v", got)
		}
	}
	e.s.Config.Patch(map[string]any{"soldOutResources": []string{e.zone + "/" + itype}})
	got = advice(func(r *classicecs.DescribeSpotAdviceRequest) { r.ZoneId, r.Cores, r.Memory = e.zone, "2", "8" })
	if contains(got[e.zone], itype) {
		t.Fatalf("a sold-out type is advised: %v", got)
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
