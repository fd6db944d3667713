package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// PriceDetail is one resource's part of a price.
type PriceDetail struct {
	Resource      string  `json:"Resource"`
	OriginalPrice float64 `json:"OriginalPrice"`
	DiscountPrice float64 `json:"DiscountPrice"`
	TradePrice    float64 `json:"TradePrice"`
	SubRules      struct {
		Rule []PriceRule `json:"Rule"`
	} `json:"SubRules"`
}

// PriceRule is a promotion rule; ecslocal applies none.
type PriceRule struct {
	RuleID      int64  `json:"RuleId"`
	Description string `json:"Description"`
}

// PriceInfo is the price answer the three price actions share.
type PriceInfo struct {
	Price struct {
		Currency      string  `json:"Currency"`
		OriginalPrice float64 `json:"OriginalPrice"`
		DiscountPrice float64 `json:"DiscountPrice"`
		TradePrice    float64 `json:"TradePrice"`
		DetailInfos   struct {
			DetailInfo []PriceDetail `json:"DetailInfo"`
		} `json:"DetailInfos"`
	} `json:"Price"`
	Rules struct {
		Rule []PriceRule `json:"Rule"`
	} `json:"Rules"`
}

// pricePart is one resource's hourly list price.
type pricePart struct {
	resource string
	hourly   float64
}

// priceInfo prices parts over hours, each times amount; a subscription
// pays the table's discount.
func priceInfo(parts []pricePart, hours float64, amount int, subscribed bool) PriceInfo {
	var out PriceInfo
	out.Price.Currency = cloud.PriceCurrency
	out.Rules.Rule = []PriceRule{}
	out.Price.DetailInfos.DetailInfo = []PriceDetail{}
	for _, p := range parts {
		pr := cloud.PriceFor(p.hourly*float64(amount), hours, subscribed)
		d := PriceDetail{Resource: p.resource, OriginalPrice: pr.Original, TradePrice: pr.Trade, DiscountPrice: cents(pr.Original - pr.Trade)}
		d.SubRules.Rule = []PriceRule{}
		out.Price.DetailInfos.DetailInfo = append(out.Price.DetailInfos.DetailInfo, d)
		out.Price.OriginalPrice += pr.Original
		out.Price.TradePrice += pr.Trade
	}
	out.Price.OriginalPrice, out.Price.TradePrice = cents(out.Price.OriginalPrice), cents(out.Price.TradePrice)
	out.Price.DiscountPrice = cents(out.Price.OriginalPrice - out.Price.TradePrice)
	return out
}

func cents(v float64) float64 { return cloud.PriceFor(v, 1, false).Original }

// priceDisk is one disk of a price request.
type priceDisk struct {
	Category, Level string
	Size            int
}

// DescribePriceRequest prices a new instance, disk or bandwidth.
type DescribePriceRequest struct {
	RegionID, ResourceType, InstanceType, PriceUnit, InternetChargeType string
	Period, Amount, BandwidthOut                                        int
	SystemDisk                                                          priceDisk
	DataDisks                                                           []priceDisk
}

// Bind implements rpc.Binder.
func (r *DescribePriceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = p.Enum("ResourceType", "instance", "instance", "disk", "bandwidth")
	r.InstanceType = p.String("InstanceType")
	r.PriceUnit = p.Enum("PriceUnit", "Hour", "Hour", "Week", "Month", "Year")
	r.Period = p.Int("Period", 1, 1, 60)
	r.Amount = p.Int("Amount", 1, 1, 1000)
	r.BandwidthOut = p.Int("InternetMaxBandwidthOut", 0, 0, maxBandwidthOut)
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByTraffic", "PayByTraffic", "PayByBandwidth")
	r.SystemDisk = priceDisk{Category: p.String("SystemDisk.Category"), Level: p.String("SystemDisk.PerformanceLevel"), Size: p.Int("SystemDisk.Size", 0, 1, 65536)}
	for _, d := range p.Objects("DataDisk") {
		r.DataDisks = append(r.DataDisks, priceDisk{Category: cmpOr(d.String("Category"), cloud.DefaultDiskCategory),
			Level: d.String("PerformanceLevel"), Size: d.Int("Size", 0, 1, 65536)})
	}
	if len(r.DataDisks) > 16 {
		p.Fail(apierr.InvalidParameter.New("DataDisk"))
	}
	if r.ResourceType == "instance" && r.InstanceType == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceType"))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// DescribePriceResponse carries the price.
type DescribePriceResponse struct {
	rpc.Base
	PriceInfo PriceInfo `json:"PriceInfo"`
}

// DescribePrice prices a new resource from the price table of
// docs/compute.md: an instance (its type, system disk, data disks and
// bandwidth), a disk (its data disks, or the system disk), or bandwidth;
// PriceUnit Hour is pay-as-you-go, Week, Month and Year a subscription of
// Period units. The instance part agrees with RunInstances' TradePrice.
func (s *Service) DescribePrice(ctx context.Context, call *rpc.Call, req *DescribePriceRequest) (*DescribePriceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var parts []pricePart
	switch req.ResourceType {
	case "instance":
		t, ok := s.catalog.InstanceType(req.InstanceType)
		if !ok {
			return nil, apierr.InvalidInstanceTypeNotFound.New()
		}
		sys := req.SystemDisk
		sys.Category = cmpOr(sys.Category, cloud.DefaultDiskCategory)
		if sys.Size == 0 {
			sys.Size = 40
		}
		parts = append(parts, pricePart{"instanceType", cloud.InstanceHourPrice(t)}, pricePart{"systemDisk", cloud.DiskHourPrice(sys.Category, sys.Level, sys.Size)})
		parts = append(parts, dataDiskPart(req.DataDisks)...)
		if bw := cloud.BandwidthHourPrice(req.InternetChargeType, req.BandwidthOut); bw > 0 {
			parts = append(parts, pricePart{"bandwidth", bw})
		}
	case "disk":
		parts = dataDiskPart(req.DataDisks)
		if len(parts) == 0 && req.SystemDisk.Size > 0 {
			parts = []pricePart{{"systemDisk", cloud.DiskHourPrice(cmpOr(req.SystemDisk.Category, cloud.DefaultDiskCategory), req.SystemDisk.Level, req.SystemDisk.Size)}}
		}
		if len(parts) == 0 {
			return nil, apierr.MissingParameter.New("DataDisk.1.Size")
		}
	case "bandwidth":
		parts = []pricePart{{"bandwidth", cloud.BandwidthHourPrice("PayByBandwidth", max(req.BandwidthOut, 1))}}
	}
	return &DescribePriceResponse{PriceInfo: priceInfo(parts, cloud.PeriodHours(req.Period, req.PriceUnit), req.Amount, req.PriceUnit != "Hour")}, nil
}

// dataDiskPart is one "dataDisk" part of the data disks together.
func dataDiskPart(disks []priceDisk) []pricePart {
	if len(disks) == 0 {
		return nil
	}
	sum := 0.0
	for _, d := range disks {
		sum += cloud.DiskHourPrice(d.Category, d.Level, max(d.Size, 20))
	}
	return []pricePart{{"dataDisk", sum}}
}

// instanceParts are the hourly list prices of an instance as it is: its
// type, its disks (system disk and data disks together, as their own
// parts) and its PayByBandwidth bandwidth.
func instanceParts(ctx context.Context, tx store.Tx, inst cloud.Instance, itype cloud.InstanceType) ([]pricePart, error) {
	disks, err := store.All[cloud.Disk](ctx, tx, inst.Region, store.Where("instance", inst.ID))
	if err != nil {
		return nil, err
	}
	parts := []pricePart{{"instanceType", cloud.InstanceHourPrice(itype)}}
	sys, data := 0.0, 0.0
	for _, d := range disks {
		if d.Type == cloud.DiskSystem {
			sys += cloud.DiskHourPrice(d.Category, d.PerformanceLevel, d.Size)
		} else {
			data += cloud.DiskHourPrice(d.Category, d.PerformanceLevel, d.Size)
		}
	}
	parts = append(parts, pricePart{"systemDisk", sys})
	if data > 0 {
		parts = append(parts, pricePart{"dataDisk", data})
	}
	if bw := cloud.BandwidthHourPrice(inst.InternetChargeType, inst.BandwidthOut); bw > 0 {
		parts = append(parts, pricePart{"bandwidth", bw})
	}
	return parts, nil
}

// DescribeRenewalPriceRequest prices renewing a subscription.
type DescribeRenewalPriceRequest struct {
	RegionID, ResourceID, PriceUnit string
	Period                          int
}

// Bind implements rpc.Binder.
func (r *DescribeRenewalPriceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceID = p.Required("ResourceId")
	p.Enum("ResourceType", "instance", "instance")
	r.PriceUnit = p.Enum("PriceUnit", "Month", "Month", "Year", "Week")
	r.Period = p.Int("Period", 1, 1, 60)
	p.OptInt("ExpectedRenewDay", 1, 28)
}

// DescribeRenewalPriceResponse carries the price.
type DescribeRenewalPriceResponse struct {
	rpc.Base
	PriceInfo PriceInfo `json:"PriceInfo"`
}

// DescribeRenewalPrice prices renewing a subscription instance as it is
// (type, disks, bandwidth) for Period units; a pay-as-you-go instance
// answers ChargeTypeViolation.
func (s *Service) DescribeRenewalPrice(ctx context.Context, call *rpc.Call, req *DescribeRenewalPriceRequest) (*DescribeRenewalPriceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeRenewalPriceResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.ResourceID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		if inst.ChargeType != cloud.PrePaid {
			return apierr.ChargeTypeViolation.New()
		}
		itype, err := s.currentType(inst)
		if err != nil {
			return err
		}
		parts, err := instanceParts(ctx, tx, inst, itype)
		if err != nil {
			return err
		}
		resp.PriceInfo = priceInfo(parts, cloud.PeriodHours(req.Period, req.PriceUnit), 1, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceModificationPriceRequest prices a subscription's type upgrade.
type DescribeInstanceModificationPriceRequest struct {
	RegionID, InstanceID, InstanceType string
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceModificationPriceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.InstanceType = p.String("InstanceType")
	if r.InstanceType == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceType"))
	}
}

// DescribeInstanceModificationPriceResponse carries the price.
type DescribeInstanceModificationPriceResponse struct {
	rpc.Base
	PriceInfo PriceInfo `json:"PriceInfo"`
}

// DescribeInstanceModificationPrice prices upgrading a subscription to
// InstanceType for the rest of its term: the difference of the two types'
// hourly prices over the whole hours left, at the subscription discount. A
// type that is not an upgrade answers Downgrade.NotSupported; a
// pay-as-you-go instance ChargeTypeViolation.
func (s *Service) DescribeInstanceModificationPrice(ctx context.Context, call *rpc.Call, req *DescribeInstanceModificationPriceRequest) (*DescribeInstanceModificationPriceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceModificationPriceResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		if inst.ChargeType != cloud.PrePaid {
			return apierr.ChargeTypeViolation.New()
		}
		from, err := s.currentType(inst)
		if err != nil {
			return err
		}
		to, ok := s.catalog.InstanceType(req.InstanceType)
		if !ok {
			return apierr.InvalidInstanceTypeNotFound.New()
		}
		if !s.catalog.ZoneOffers(inst.Zone, to.InstanceTypeID) {
			return apierr.ZoneTypeNotOffered.New()
		}
		if to.InstanceTypeID == from.InstanceTypeID || !cloud.Upgrade(from, to) {
			return apierr.DowngradeNotSupported.New().WithDetail("%s to %s", from.InstanceTypeID, to.InstanceTypeID)
		}
		diff := cloud.InstanceHourPrice(to) - cloud.InstanceHourPrice(from)
		resp.PriceInfo = priceInfo([]pricePart{{"instanceType", diff}}, cloud.RemainingHours(inst, tx.Now()), 1, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
