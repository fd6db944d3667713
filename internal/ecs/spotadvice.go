package ecs

import (
	"context"
	"slices"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DescribeSpotAdviceRequest filters the types of a region for spot use.
type DescribeSpotAdviceRequest struct {
	RegionID, ZoneID, Family string
	Types                    []string
	Cores, MinCores          int
	Memory, MinMemory        float64
}

// Bind implements rpc.Binder.
func (r *DescribeSpotAdviceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.String("ZoneId")
	r.Family = p.String("InstanceTypeFamily")
	r.Types = p.List("InstanceTypes")
	r.Cores, r.MinCores = p.Int("Cores", 0, 1, 1<<10), p.Int("MinCores", 0, 1, 1<<10)
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"Memory", &r.Memory}, {"MinMemory", &r.MinMemory}} {
		if v := p.String(f.name); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n <= 0 {
				p.Fail(apierr.InvalidParameter.New(f.name))
			}
			*f.dst = n
		}
	}
	p.Enum("InstanceFamilyLevel", "", "EntryLevel", "EnterpriseLevel", "CreditEntryLevel")
	p.Int("GpuAmount", 0, 0, 64)
	p.String("GpuSpec")
}

// SpotResource is one type's spot outlook in a zone.
type SpotResource struct {
	InstanceType        string  `json:"InstanceType"`
	InterruptionRate    float64 `json:"InterruptionRate"`
	InterruptRateDesc   string  `json:"InterruptRateDesc"`
	AverageSpotDiscount int     `json:"AverageSpotDiscount"`
}

// SpotZone is one zone's spot outlook.
type SpotZone struct {
	ZoneID                 string `json:"ZoneId"`
	AvailableSpotResources struct {
		AvailableSpotResource []SpotResource `json:"AvailableSpotResource"`
	} `json:"AvailableSpotResources"`
}

// DescribeSpotAdviceResponse wraps AvailableSpotZones.AvailableSpotZone[].
type DescribeSpotAdviceResponse struct {
	rpc.Base
	RegionID           string `json:"RegionId"`
	AvailableSpotZones struct {
		AvailableSpotZone []SpotZone `json:"AvailableSpotZone"`
	} `json:"AvailableSpotZones"`
}

// DescribeSpotAdvice answers, per zone, the types on sale (not sold out)
// that match the filters, with the price table's spot discount (80%) and
// an interruption rate of 0: ecslocal never reclaims a spot instance.
func (s *Service) DescribeSpotAdvice(ctx context.Context, call *rpc.Call, req *DescribeSpotAdviceRequest) (*DescribeSpotAdviceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var cfg cloud.Config
	if err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		cfg, err = store.LoadConfig(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	resp := &DescribeSpotAdviceResponse{RegionID: req.RegionID}
	resp.AvailableSpotZones.AvailableSpotZone = []SpotZone{}
	for _, z := range s.catalog.Zones(req.RegionID) {
		if req.ZoneID != "" && z.ZoneID != req.ZoneID {
			continue
		}
		zone := SpotZone{ZoneID: z.ZoneID}
		zone.AvailableSpotResources.AvailableSpotResource = []SpotResource{}
		for _, id := range z.InstanceTypes {
			t, ok := s.catalog.InstanceType(id)
			switch {
			case !ok, cfg.SoldOut(z.ZoneID, id),
				req.Family != "" && t.InstanceTypeFamily != req.Family,
				len(req.Types) > 0 && !slices.Contains(req.Types, id),
				req.Cores > 0 && t.CPUCoreCount != req.Cores, req.MinCores > 0 && t.CPUCoreCount < req.MinCores,
				req.Memory > 0 && t.MemorySize != req.Memory, req.MinMemory > 0 && t.MemorySize < req.MinMemory:
				continue
			}
			zone.AvailableSpotResources.AvailableSpotResource = append(zone.AvailableSpotResources.AvailableSpotResource,
				SpotResource{InstanceType: id, InterruptRateDesc: "0-3%", AverageSpotDiscount: 80})
		}
		if len(zone.AvailableSpotResources.AvailableSpotResource) > 0 {
			resp.AvailableSpotZones.AvailableSpotZone = append(resp.AvailableSpotZones.AvailableSpotZone, zone)
		}
	}
	return resp, nil
}
