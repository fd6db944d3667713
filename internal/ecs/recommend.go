package ecs

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxRecommendations is how many types DescribeRecommendInstanceType answers.
const maxRecommendations = 10

// DescribeRecommendInstanceTypeRequest asks types like a given one or of a
// given size.
type DescribeRecommendInstanceTypeRequest struct {
	RegionID, ZoneID, InstanceType, ChargeType, SpotStrategy, Priority string
	Families                                                           []string
	Cores                                                              int
	Memory, MaxPrice                                                   float64
}

// Bind implements rpc.Binder: InstanceType, or Cores and Memory.
func (r *DescribeRecommendInstanceTypeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if nt := p.Required("NetworkType"); nt != "" && nt != "vpc" && nt != "classic" {
		p.Fail(apierr.InvalidParameter.New("NetworkType"))
	}
	r.ZoneID = p.String("ZoneId")
	r.InstanceType = p.String("InstanceType")
	r.Families = p.List("InstanceTypeFamily")
	r.Cores = p.Int("Cores", 0, 1, 1<<10)
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"Memory", &r.Memory}, {"MaxPrice", &r.MaxPrice}} {
		if v := p.String(f.name); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n <= 0 {
				p.Fail(apierr.InvalidParameter.New(f.name))
			}
			*f.dst = n
		}
	}
	r.ChargeType = p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	r.SpotStrategy = p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	r.Priority = p.Enum("PriorityStrategy", "InventoryFirst", "InventoryFirst", "PriceFirst", "NewProductFirst")
	p.Enum("ZoneMatchMode", "Include", "Include", "Strict")
	p.Enum("Scene", "CREATE", "CREATE", "UPGRADE")
	p.Enum("IoOptimized", "optimized", "optimized", "none")
	p.String("SystemDiskCategory")
	p.Enum("InstanceFamilyLevel", "", "EntryLevel", "EnterpriseLevel", "CreditEntryLevel")
	if r.InstanceType == "" && (r.Cores == 0 || r.Memory == 0) && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceType"))
	}
}

// RecommendedType is one recommendation.
type RecommendedType struct {
	RegionID           string `json:"RegionId"`
	ZoneID             string `json:"ZoneId"`
	CommodityCode      string `json:"CommodityCode"`
	InstanceChargeType string `json:"InstanceChargeType"`
	SpotStrategy       string `json:"SpotStrategy"`
	NetworkType        string `json:"NetworkType"`
	Priority           int    `json:"Priority"`
	Scene              string `json:"Scene"`
	InstanceType       struct {
		InstanceType       string `json:"InstanceType"`
		InstanceTypeFamily string `json:"InstanceTypeFamily"`
		Generation         string `json:"Generation"`
		Cores              int    `json:"Cores"`
		Memory             int    `json:"Memory"`
		SupportIoOptimized string `json:"SupportIoOptimized"`
	} `json:"InstanceType"`
	Zones struct {
		Zone []RecommendZone `json:"zone"` // lower case in both SDKs
	} `json:"Zones"`
}

// RecommendZone is a zone a recommended type is on sale in.
type RecommendZone struct {
	ZoneNo       string `json:"ZoneNo"`
	NetworkTypes struct {
		NetworkType []string `json:"NetworkType"`
	} `json:"NetworkTypes"`
}

// DescribeRecommendInstanceTypeResponse wraps Data.RecommendInstanceType[].
type DescribeRecommendInstanceTypeResponse struct {
	rpc.Base
	Data struct {
		RecommendInstanceType []RecommendedType `json:"RecommendInstanceType"`
	} `json:"Data"`
}

// DescribeRecommendInstanceType answers up to 10 types of the catalogue
// with the vCPUs and memory of InstanceType (or Cores and Memory), of the
// families named, on sale in the region (or ZoneId) and within MaxPrice an
// hour (the price table; spot at its spot price); the named type itself is
// left out. PriceFirst orders by price, the other strategies by family
// then name [choice].
func (s *Service) DescribeRecommendInstanceType(ctx context.Context, call *rpc.Call, req *DescribeRecommendInstanceTypeRequest) (*DescribeRecommendInstanceTypeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	cores, mem := req.Cores, req.Memory
	if req.InstanceType != "" {
		t, ok := s.catalog.InstanceType(req.InstanceType)
		if !ok {
			return nil, apierr.InvalidInstanceTypeNotFound.New()
		}
		cores, mem = t.CPUCoreCount, t.MemorySize
	}
	var cfg cloud.Config
	if err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		cfg, err = store.LoadConfig(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	zonesOf := map[string][]string{}
	for _, z := range s.catalog.Zones(req.RegionID) {
		if req.ZoneID != "" && z.ZoneID != req.ZoneID {
			continue
		}
		for _, id := range z.InstanceTypes {
			if !cfg.SoldOut(z.ZoneID, id) {
				zonesOf[id] = append(zonesOf[id], z.ZoneID)
			}
		}
	}
	price := func(t cloud.InstanceType) float64 {
		if req.SpotStrategy != "NoSpot" {
			return cloud.SpotHourPrice(t)
		}
		return cloud.InstanceHourPrice(t)
	}
	var picks []cloud.InstanceType
	for _, t := range s.catalog.InstanceTypes() {
		switch {
		case t.InstanceTypeID == req.InstanceType, len(zonesOf[t.InstanceTypeID]) == 0,
			t.CPUCoreCount != cores || t.MemorySize != mem,
			len(req.Families) > 0 && !slices.Contains(req.Families, t.InstanceTypeFamily),
			req.MaxPrice > 0 && price(t) > req.MaxPrice:
			continue
		}
		picks = append(picks, t)
	}
	slices.SortStableFunc(picks, func(a, b cloud.InstanceType) int {
		if req.Priority == "PriceFirst" {
			if c := cmp.Compare(price(a), price(b)); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.InstanceTypeID, b.InstanceTypeID)
	})
	resp := &DescribeRecommendInstanceTypeResponse{}
	resp.Data.RecommendInstanceType = []RecommendedType{}
	for i, t := range picks[:min(len(picks), maxRecommendations)] {
		rec := RecommendedType{RegionID: req.RegionID, ZoneID: zonesOf[t.InstanceTypeID][0], CommodityCode: "ecs", InstanceChargeType: req.ChargeType,
			SpotStrategy: req.SpotStrategy, NetworkType: "vpc", Priority: i + 1, Scene: "CREATE"}
		rec.InstanceType.InstanceType, rec.InstanceType.InstanceTypeFamily = t.InstanceTypeID, t.InstanceTypeFamily
		rec.InstanceType.Cores, rec.InstanceType.Memory, rec.InstanceType.SupportIoOptimized = t.CPUCoreCount, int(t.MemorySize*1024), "optimized"
		rec.Zones.Zone = []RecommendZone{}
		for _, z := range zonesOf[t.InstanceTypeID] {
			rz := RecommendZone{ZoneNo: z}
			rz.NetworkTypes.NetworkType = []string{"vpc"}
			rec.Zones.Zone = append(rec.Zones.Zone, rz)
		}
		resp.Data.RecommendInstanceType = append(resp.Data.RecommendInstanceType, rec)
	}
	return resp, nil
}
