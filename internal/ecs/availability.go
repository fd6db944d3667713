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

func (s *Service) registerAvailability(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "DescribeAvailableResource", s.DescribeAvailableResource)
	rpc.Handle(t, v, "DescribeResourcesModification", s.DescribeResourcesModification)
	rpc.Handle(t, v, "DescribeInstanceTypeFamilies", s.DescribeInstanceTypeFamilies)
}

// DescribeAvailableResourceRequest reads the filters the provider and the
// CLI send.
type DescribeAvailableResourceRequest struct{ q cloud.AvailabilityQuery }

// Bind implements rpc.Binder.
func (r *DescribeAvailableResourceRequest) Bind(p *rpc.Params) {
	r.q.Region = p.Required("RegionId")
	r.q.Destination = p.Required("DestinationResource")
	if r.q.Destination != "" && !slices.Contains(cloud.DestinationResources, r.q.Destination) {
		p.Fail(apierr.InvalidParameter.New("DestinationResource"))
	}
	r.q.Zone = p.String("ZoneId")
	r.q.InstanceType = p.String("InstanceType")
	r.q.IoOptimized = p.Enum("IoOptimized", "", "optimized", "none")
	r.q.NetworkCategory = p.Enum("NetworkCategory", "", "vpc", "classic")
	r.q.SystemDiskCategory = p.String("SystemDiskCategory")
	r.q.DataDiskCategory = p.String("DataDiskCategory")
	r.q.Cores = p.Int("Cores", 0, 0, 1<<20)
	if m := p.String("Memory"); m != "" {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil || f < 0 {
			p.Fail(apierr.InvalidParameter.New("Memory"))
		}
		r.q.Memory = f
	}
	p.Enum("InstanceChargeType", "PostPaid", "PostPaid", "PrePaid")
	p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	p.Enum("ResourceType", "instance", "instance", "disk", "reservedinstance", "ddh", "scu")
	p.Enum("Scope", "", "Region", "Zone")
	p.Int("SpotDuration", 0, 0, 6)
	p.String("DedicatedHostId")
}

// SupportedResourceItem is one offered value.
type SupportedResourceItem struct {
	Value          string `json:"Value"`
	Status         string `json:"Status"`
	StatusCategory string `json:"StatusCategory"`
	Unit           string `json:"Unit,omitempty"`
	Min            int    `json:"Min,omitempty"`
	Max            int    `json:"Max,omitempty"`
}

// AvailableResourceItem is one resource type of a zone.
type AvailableResourceItem struct {
	Type               string `json:"Type"`
	SupportedResources struct {
		SupportedResource []SupportedResourceItem `json:"SupportedResource"`
	} `json:"SupportedResources"`
}

// AvailableZoneItem is one zone of the answer.
type AvailableZoneItem struct {
	ZoneID             string `json:"ZoneId"`
	RegionID           string `json:"RegionId"`
	Status             string `json:"Status"`
	StatusCategory     string `json:"StatusCategory"`
	AvailableResources struct {
		AvailableResource []AvailableResourceItem `json:"AvailableResource"`
	} `json:"AvailableResources"`
}

// DescribeAvailableResourceResponse wraps AvailableZones.AvailableZone[].
type DescribeAvailableResourceResponse struct {
	rpc.Base
	AvailableZones struct {
		AvailableZone []AvailableZoneItem `json:"AvailableZone"`
	} `json:"AvailableZones"`
}

func availableZones(region string, zones []cloud.AvailableZone) []AvailableZoneItem {
	out := []AvailableZoneItem{}
	for _, z := range zones {
		item := AvailableZoneItem{ZoneID: z.ZoneID, RegionID: region, Status: z.Status, StatusCategory: z.StatusCategory}
		res := AvailableResourceItem{Type: z.Type}
		res.SupportedResources.SupportedResource = []SupportedResourceItem{}
		for _, r := range z.Resources {
			res.SupportedResources.SupportedResource = append(res.SupportedResources.SupportedResource, SupportedResourceItem{
				Value: r.Value, Status: r.Status, StatusCategory: r.StatusCategory, Unit: r.Unit, Min: r.Min, Max: r.Max})
		}
		item.AvailableResources.AvailableResource = []AvailableResourceItem{res}
		out = append(out, item)
	}
	return out
}

// DescribeAvailableResource answers what the catalogue sells where, with the
// sold-out switch of the runtime configuration.
func (s *Service) DescribeAvailableResource(ctx context.Context, call *rpc.Call, req *DescribeAvailableResourceRequest) (*DescribeAvailableResourceResponse, error) {
	if err := s.checkRegion(req.q.Region); err != nil {
		return nil, err
	}
	var cfg cloud.Config
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		cfg, err = store.LoadConfig(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeAvailableResourceResponse{}
	resp.AvailableZones.AvailableZone = availableZones(req.q.Region, s.catalog.Available(req.q, cfg))
	return resp, nil
}

// DescribeResourcesModificationRequest asks what an instance may change to.
type DescribeResourcesModificationRequest struct {
	RegionID, ResourceID, Destination, OperationType, InstanceType string
	Cores                                                          int
}

// Bind implements rpc.Binder.
func (r *DescribeResourcesModificationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceID = p.Required("ResourceId")
	r.Destination = p.Required("DestinationResource")
	if r.Destination != "" && r.Destination != cloud.DestInstanceType && r.Destination != cloud.DestSystemDisk {
		p.Fail(apierr.InvalidParameter.New("DestinationResource"))
	}
	r.OperationType = p.Enum("OperationType", "Upgrade", "Upgrade", "Downgrade", "RenewDowngrade", "RenewModify")
	r.InstanceType = p.String("InstanceType")
	r.Cores = p.Int("Cores", 0, 0, 1<<20)
	p.String("Memory")
	p.Bool("MigrateAcrossZone", false)
	p.List("Conditions")
	p.String("ZoneId")
}

// DescribeResourcesModificationResponse has DescribeAvailableResource's shape.
type DescribeResourcesModificationResponse struct {
	rpc.Base
	AvailableZones struct {
		AvailableZone []AvailableZoneItem `json:"AvailableZone"`
	} `json:"AvailableZones"`
}

// DescribeResourcesModification lists the types (or system disk categories)
// of the instance's zone that an upgrade or downgrade may reach.
func (s *Service) DescribeResourcesModification(ctx context.Context, call *rpc.Call, req *DescribeResourcesModificationRequest) (*DescribeResourcesModificationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var inst cloud.Instance
	var cfg cloud.Config
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		if inst, err = store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.ResourceID); err != nil {
			return notFound(err, apierr.ModificationResourceNotFound)
		}
		cfg, err = store.LoadConfig(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	current, _ := s.catalog.InstanceType(inst.InstanceType)
	zones := s.catalog.Available(cloud.AvailabilityQuery{Region: req.RegionID, Zone: inst.Zone,
		Destination: req.Destination, InstanceType: req.InstanceType, Cores: req.Cores}, cfg)
	for k, z := range zones {
		if req.Destination != cloud.DestInstanceType {
			continue
		}
		zones[k].Resources = slices.DeleteFunc(z.Resources, func(r cloud.SupportedResource) bool {
			t, _ := s.catalog.InstanceType(r.Value)
			return !cloud.ModificationAllowed(current, t, req.OperationType)
		})
	}
	resp := &DescribeResourcesModificationResponse{}
	resp.AvailableZones.AvailableZone = availableZones(req.RegionID, zones)
	return resp, nil
}

// DescribeInstanceTypeFamiliesRequest is RegionId and an optional Generation.
type DescribeInstanceTypeFamiliesRequest struct{ RegionID, Generation string }

// Bind implements rpc.Binder.
func (r *DescribeInstanceTypeFamiliesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Generation = p.String("Generation")
}

// InstanceTypeFamilyItem is one family.
type InstanceTypeFamilyItem struct {
	InstanceTypeFamilyID string `json:"InstanceTypeFamilyId"`
	Generation           string `json:"Generation"`
}

// DescribeInstanceTypeFamiliesResponse wraps InstanceTypeFamilies.InstanceTypeFamily[].
type DescribeInstanceTypeFamiliesResponse struct {
	rpc.Base
	InstanceTypeFamilies struct {
		InstanceTypeFamily []InstanceTypeFamilyItem `json:"InstanceTypeFamily"`
	} `json:"InstanceTypeFamilies"`
}

// DescribeInstanceTypeFamilies lists the families some zone of the region sells.
func (s *Service) DescribeInstanceTypeFamilies(_ context.Context, _ *rpc.Call, req *DescribeInstanceTypeFamiliesRequest) (*DescribeInstanceTypeFamiliesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceTypeFamiliesResponse{}
	resp.InstanceTypeFamilies.InstanceTypeFamily = []InstanceTypeFamilyItem{}
	for _, f := range s.catalog.RegionFamilies(req.RegionID) {
		g := cloud.FamilyGeneration(f)
		if req.Generation != "" && req.Generation != g {
			continue
		}
		resp.InstanceTypeFamilies.InstanceTypeFamily = append(resp.InstanceTypeFamilies.InstanceTypeFamily,
			InstanceTypeFamilyItem{InstanceTypeFamilyID: f, Generation: g})
	}
	return resp, nil
}
