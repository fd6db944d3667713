package ecs

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxSpotPricePoints is how many points one DescribeSpotPriceHistory page holds.
const maxSpotPricePoints = 1000

// DescribeSpotPriceHistoryRequest asks a type's spot prices over a window.
type DescribeSpotPriceHistoryRequest struct {
	RegionID, ZoneID, InstanceType, NetworkType, IoOptimized string
	Start, End                                               string
	Offset                                                   int
}

// Bind implements rpc.Binder.
func (r *DescribeSpotPriceHistoryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceType = p.Required("InstanceType")
	r.NetworkType = p.Required("NetworkType")
	if r.NetworkType != "" && r.NetworkType != "vpc" && r.NetworkType != "classic" {
		p.Fail(apierr.InvalidParameter.New("NetworkType"))
	}
	r.ZoneID = p.String("ZoneId")
	r.IoOptimized = p.Enum("IoOptimized", "optimized", "optimized", "none")
	p.Enum("OSType", "linux", "linux", "windows")
	p.OptInt("SpotDuration", 0, 6)
	r.Start, r.End = p.String("StartTime"), p.String("EndTime")
	r.Offset = p.Int("Offset", 0, 0, 1<<30)
}

// SpotPriceItem is one price of one zone at one hour.
type SpotPriceItem struct {
	ZoneID       string  `json:"ZoneId"`
	InstanceType string  `json:"InstanceType"`
	IoOptimized  string  `json:"IoOptimized"`
	NetworkType  string  `json:"NetworkType"`
	Timestamp    string  `json:"Timestamp"`
	SpotPrice    float64 `json:"SpotPrice"`
	OriginPrice  float64 `json:"OriginPrice"`
}

// DescribeSpotPriceHistoryResponse wraps SpotPrices.SpotPriceType[].
type DescribeSpotPriceHistoryResponse struct {
	rpc.Base
	Currency   string `json:"Currency"`
	NextOffset int    `json:"NextOffset"`
	SpotPrices struct {
		SpotPriceType []SpotPriceItem `json:"SpotPriceType"`
	} `json:"SpotPrices"`
}

// DescribeSpotPriceHistory answers the type's spot price in each zone that
// offers it (or ZoneId), one point per hour of the window (StartTime to
// EndTime, RFC 3339; by default the 3 hours up to the emulated now), at
// most 30 days back: the table's fixed spot price (docs/compute.md),
// beside the pay-as-you-go price. Pages of 1000 points by Offset.
func (s *Service) DescribeSpotPriceHistory(ctx context.Context, call *rpc.Call, req *DescribeSpotPriceHistoryRequest) (*DescribeSpotPriceHistoryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	t, ok := s.catalog.InstanceType(req.InstanceType)
	if !ok {
		return nil, apierr.InvalidInstanceTypeNotFound.New()
	}
	var now time.Time
	if err := s.store.View(ctx, call.Account, func(tx store.Tx) error { now = tx.Now().UTC(); return nil }); err != nil {
		return nil, err
	}
	end, start := now, now.Add(-3*time.Hour)
	var err error
	if req.End != "" {
		if end, err = time.Parse(time.RFC3339, req.End); err != nil {
			return nil, apierr.InvalidParameter.New("EndTime")
		}
	}
	if req.Start != "" {
		if start, err = time.Parse(time.RFC3339, req.Start); err != nil {
			return nil, apierr.InvalidParameter.New("StartTime")
		}
	}
	if !end.After(start) || now.Sub(start) > 30*24*time.Hour {
		return nil, apierr.InvalidParameter.New("StartTime")
	}
	if end.After(now) {
		end = now
	}
	var zones []string
	for _, z := range s.catalog.Zones(req.RegionID) {
		if (req.ZoneID == "" || z.ZoneID == req.ZoneID) && s.catalog.ZoneOffers(z.ZoneID, t.InstanceTypeID) {
			zones = append(zones, z.ZoneID)
		}
	}
	if req.ZoneID != "" && len(zones) == 0 {
		return nil, apierr.ZoneTypeNotOffered.New()
	}
	var all []SpotPriceItem
	for _, z := range zones {
		for h := start.Truncate(time.Hour); !h.After(end); h = h.Add(time.Hour) {
			if h.Before(start) {
				continue
			}
			all = append(all, SpotPriceItem{ZoneID: z, InstanceType: t.InstanceTypeID, IoOptimized: req.IoOptimized, NetworkType: req.NetworkType,
				Timestamp: cloud.FormatSecond(h), SpotPrice: cloud.SpotHourPrice(t), OriginPrice: cents(cloud.InstanceHourPrice(t))})
		}
	}
	resp := &DescribeSpotPriceHistoryResponse{Currency: cloud.PriceCurrency}
	resp.SpotPrices.SpotPriceType = []SpotPriceItem{}
	if req.Offset < len(all) {
		page := all[req.Offset:min(req.Offset+maxSpotPricePoints, len(all))]
		resp.SpotPrices.SpotPriceType = page
		if req.Offset+len(page) < len(all) {
			resp.NextOffset = req.Offset + len(page)
		}
	}
	return resp, nil
}
