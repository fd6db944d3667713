package ecs_test

import (
	"math"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.006 }

// TestDescribePrice: the documented table (ecs.g7.large: 2 vCPUs × 0.1 +
// 8 GiB × 0.02 = 0.36 an hour; cloud_efficiency 0.0005 per GiB-hour;
// PayByBandwidth 0.063 per Mbit/s-hour; ESSD PL1 0.0015 per GiB-hour; a
// subscription pays 70% of 720 hours a month), agreeing with RunInstances.
func TestDescribePrice(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	price := func(mod func(*ecs.DescribePriceRequest)) (*ecs.DescribePriceResponseBodyPriceInfoPrice, error) {
		r := &ecs.DescribePriceRequest{RegionId: dara.String(region)}
		mod(r)
		resp, err := e.v7.DescribePrice(r)
		if err != nil {
			return nil, err
		}
		return resp.Body.PriceInfo.Price, nil
	}
	p, err := price(func(r *ecs.DescribePriceRequest) { r.InstanceType = dara.String(itype) })
	sdktest.OK(t, err)
	if tp := float64(dara.Float32Value(p.TradePrice)); !near(tp, 0.38) || dara.StringValue(p.Currency) != "CNY" || len(p.DetailInfos.DetailInfo) != 2 {
		t.Fatalf("hourly price %v (%d parts)", tp, len(p.DetailInfos.DetailInfo))
	}
	run := e.runReq()
	rr, err := e.classic.RunInstances(run)
	sdktest.OK(t, err)
	if inst := float64(dara.Float32Value(p.DetailInfos.DetailInfo[0].TradePrice)); !near(rr.TradePrice, inst) {
		t.Fatalf("RunInstances TradePrice %v, DescribePrice instanceType %v", rr.TradePrice, inst)
	}
	p, err = price(func(r *ecs.DescribePriceRequest) {
		r.InstanceType, r.PriceUnit, r.Period, r.Amount = dara.String(itype), dara.String("Month"), dara.Int32(2), dara.Int32(3)
		r.InternetChargeType, r.InternetMaxBandwidthOut = dara.String("PayByBandwidth"), dara.Int32(5)
		r.DataDisk = []*ecs.DescribePriceRequestDataDisk{{Category: dara.String("cloud_essd"), Size: dara.Int64(100), PerformanceLevel: dara.String("PL1")}}
	})
	sdktest.OK(t, err)
	hourly := 0.36 + 0.02 + 0.15 + 0.315
	if orig, trade := float64(dara.Float32Value(p.OriginalPrice)), float64(dara.Float32Value(p.TradePrice)); !near(orig, hourly*1440*3) || !near(trade, hourly*1440*3*0.7) {
		t.Fatalf("two months of three: original %v trade %v, want %v %v", orig, trade, hourly*1440*3, hourly*1440*3*0.7)
	}
	p, err = price(func(r *ecs.DescribePriceRequest) {
		r.ResourceType = dara.String("disk")
		r.DataDisk = []*ecs.DescribePriceRequestDataDisk{{Category: dara.String("cloud_essd"), Size: dara.Int64(100)}}
	})
	sdktest.OK(t, err)
	if tp := float64(dara.Float32Value(p.TradePrice)); !near(tp, 0.15) {
		t.Fatalf("disk price %v", tp)
	}
	_, err = price(func(r *ecs.DescribePriceRequest) { r.InstanceType = dara.String("ecs.nothere.large") })
	sdktest.WantFail(t, err, 400, "InvalidInstanceType.ValueNotSupported")
	_, err = price(func(r *ecs.DescribePriceRequest) {})
	sdktest.WantFail(t, err, 400, "MissingParameter")
	_, err = price(func(r *ecs.DescribePriceRequest) {
		r.InstanceType, r.PriceUnit = dara.String(itype), dara.String("Decade")
	})
	sdktest.WantFail(t, err, 400, "InvalidParameter")
}

// TestRenewalAndModificationPrice: a subscription's renewal is its type and
// disks for the period; an upgrade costs the difference for the hours left.
func TestRenewalAndModificationPrice(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	sub := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requests.NewInteger(1), "Month"
	})
	post := e.run1(t, nil)
	rp := classicecs.CreateDescribeRenewalPriceRequest()
	rp.ResourceId, rp.Period, rp.PriceUnit = sub, requests.NewInteger(1), "Month"
	resp, err := e.classic.DescribeRenewalPrice(rp)
	sdktest.OK(t, err)
	details := resp.PriceInfo.Price.DetailInfos.DetailInfo
	if len(details) < 2 || details[0].Resource != "instanceType" || !near(details[0].TradePrice, 0.36*720*0.7) {
		t.Fatalf("renewal details %+v", details)
	}
	sum := 0.0
	for _, d := range details {
		sum += d.TradePrice
	}
	if !near(sum, resp.PriceInfo.Price.TradePrice) {
		t.Fatalf("renewal parts %v, total %v", sum, resp.PriceInfo.Price.TradePrice)
	}
	rp.ResourceId = post
	_, err = e.classic.DescribeRenewalPrice(rp)
	sdktest.WantFail(t, err, 403, "ChargeTypeViolation")
	rp.ResourceId = "i-nothere"
	_, err = e.classic.DescribeRenewalPrice(rp)
	sdktest.WantFail(t, err, 404, "InvalidInstanceId.NotFound")

	mp := classicecs.CreateDescribeInstanceModificationPriceRequest()
	mp.InstanceId, mp.InstanceType = sub, "ecs.g7.xlarge"
	mresp, err := e.classic.DescribeInstanceModificationPrice(mp)
	sdktest.OK(t, err)
	hours := mresp.PriceInfo.Price.TradePrice / (0.36 * 0.7) // (0.72 - 0.36) an hour, 70%
	if hours < 28*24-1 || hours > 31*24+1 {
		t.Fatalf("upgrade price %v: %v hours left", mresp.PriceInfo.Price.TradePrice, hours)
	}
	mp.InstanceType = "ecs.c7.large"
	_, err = e.classic.DescribeInstanceModificationPrice(mp)
	sdktest.WantFail(t, err, 400, "Downgrade.NotSupported")
	mp.InstanceId, mp.InstanceType = post, "ecs.g7.xlarge"
	_, err = e.classic.DescribeInstanceModificationPrice(mp)
	sdktest.WantFail(t, err, 403, "ChargeTypeViolation")
}
