package ecs

import (
	"context"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DescribeBandwidthLimitationRequest asks the bandwidth range of a type.
type DescribeBandwidthLimitationRequest struct {
	RegionID, InstanceType, Operation, ResourceID string
}

// Bind implements rpc.Binder.
func (r *DescribeBandwidthLimitationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceType = p.Required("InstanceType")
	p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	r.Operation = p.Enum("OperationType", "Create", "Create", "Upgrade", "Downgrade")
	r.ResourceID = p.String("ResourceId")
	if r.Operation != "Create" && r.ResourceID == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("ResourceId"))
	}
}

// BandwidthRange is the outbound bandwidth one internet charge type allows.
type BandwidthRange struct {
	InternetChargeType string `json:"InternetChargeType"`
	Min                int    `json:"Min"`
	Max                int    `json:"Max"`
	Unit               string `json:"Unit"`
}

// DescribeBandwidthLimitationResponse wraps Bandwidths.Bandwidth[].
type DescribeBandwidthLimitationResponse struct {
	rpc.Base
	Bandwidths struct {
		Bandwidth []BandwidthRange `json:"Bandwidth"`
	} `json:"Bandwidths"`
}

// DescribeBandwidthLimitation answers the InternetMaxBandwidthOut range
// ecslocal enforces (0 to 100 Mbit/s for every type and charge type); for
// an upgrade of an instance (ResourceId) it starts at the instance's
// bandwidth, for a downgrade it ends there.
func (s *Service) DescribeBandwidthLimitation(ctx context.Context, call *rpc.Call, req *DescribeBandwidthLimitationRequest) (*DescribeBandwidthLimitationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if _, ok := s.catalog.InstanceType(req.InstanceType); !ok {
		return nil, apierr.InvalidInstanceTypeNotFound.New()
	}
	lo, hi := 0, maxBandwidthOut
	if req.Operation != "Create" {
		err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.ResourceID)
			if err != nil {
				return notFound(err, apierr.InvalidInstanceIDNotFound)
			}
			if req.Operation == "Upgrade" {
				lo = inst.BandwidthOut
			} else {
				hi = inst.BandwidthOut
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	resp := &DescribeBandwidthLimitationResponse{}
	for _, ct := range []string{"PayByTraffic", "PayByBandwidth"} {
		resp.Bandwidths.Bandwidth = append(resp.Bandwidths.Bandwidth, BandwidthRange{InternetChargeType: ct, Min: lo, Max: hi, Unit: "Mbps"})
	}
	return resp, nil
}

// DescribeDeploymentSetSupportedInstanceTypeFamilyRequest names a strategy.
type DescribeDeploymentSetSupportedInstanceTypeFamilyRequest struct{ RegionID string }

// Bind implements rpc.Binder.
func (r *DescribeDeploymentSetSupportedInstanceTypeFamilyRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.Enum("Strategy", "Availability", "Availability", "AvailabilityGroup", "LowLatency")
}

// DescribeDeploymentSetSupportedInstanceTypeFamilyResponse lists families, comma-separated.
type DescribeDeploymentSetSupportedInstanceTypeFamilyResponse struct {
	rpc.Base
	InstanceTypeFamilies string `json:"InstanceTypeFamilies"`
}

// DescribeDeploymentSetSupportedInstanceTypeFamily answers the families a
// deployment set takes: every family of the catalogue, for every strategy,
// as RunInstances and ModifyInstanceDeployment refuse none.
func (s *Service) DescribeDeploymentSetSupportedInstanceTypeFamily(_ context.Context, _ *rpc.Call, req *DescribeDeploymentSetSupportedInstanceTypeFamilyRequest) (*DescribeDeploymentSetSupportedInstanceTypeFamilyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var fams []string
	for _, t := range s.catalog.InstanceTypes() {
		if !slices.Contains(fams, t.InstanceTypeFamily) {
			fams = append(fams, t.InstanceTypeFamily)
		}
	}
	slices.Sort(fams)
	return &DescribeDeploymentSetSupportedInstanceTypeFamilyResponse{InstanceTypeFamilies: strings.Join(fams, ",")}, nil
}
