package vpc

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// GetNatGatewayAttributeRequest is VPC GetNatGatewayAttribute.
type GetNatGatewayAttributeRequest struct {
	RegionID, NatGatewayID string
}

// Bind implements rpc.Binder.
func (r *GetNatGatewayAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
}

// GetNatGatewayAttributeResponse is one gateway with its tables' counts.
type GetNatGatewayAttributeResponse struct {
	rpc.Base
	NatGatewayID       string `json:"NatGatewayId"`
	RegionID           string `json:"RegionId"`
	VpcID              string `json:"VpcId"`
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	NatType            string `json:"NatType"`
	NetworkType        string `json:"NetworkType"`
	Status             string `json:"Status"`
	BusinessStatus     string `json:"BusinessStatus"`
	CreationTime       string `json:"CreationTime"`
	ExpiredTime        string `json:"ExpiredTime"`
	ResourceGroupID    string `json:"ResourceGroupId"`
	EcsMetricEnabled   bool   `json:"EcsMetricEnabled"`
	EnableSessionLog   bool   `json:"EnableSessionLog"`
	PrivateLinkEnabled bool   `json:"PrivateLinkEnabled"`
	BillingConfig      struct {
		AutoPay            string `json:"AutoPay"`
		InstanceChargeType string `json:"InstanceChargeType"`
		InternetChargeType string `json:"InternetChargeType"`
		Spec               string `json:"Spec"`
	} `json:"BillingConfig"`
	DeletionProtectionInfo struct {
		Enabled bool `json:"Enabled"`
	} `json:"DeletionProtectionInfo"`
	SnatTable struct {
		SnatEntryCount int    `json:"SnatEntryCount"`
		SnatTableID    string `json:"SnatTableId"`
	} `json:"SnatTable"`
	ForwardTable struct {
		ForwardEntryCount int    `json:"ForwardEntryCount"`
		ForwardTableID    string `json:"ForwardTableId"`
	} `json:"ForwardTable"`
	FullNatTable struct {
		FullNatEntryCount int64  `json:"FullNatEntryCount"`
		FullNatTableID    string `json:"FullNatTableId"`
	} `json:"FullNatTable"`
	PrivateInfo struct {
		EniInstanceID    string `json:"EniInstanceId"`
		IzNo             string `json:"IzNo"`
		MaxBandwidth     int    `json:"MaxBandwidth"`
		PrivateIPAddress string `json:"PrivateIpAddress"`
		VswitchID        string `json:"VswitchId"`
	} `json:"PrivateInfo"`
	IPList []GatewayIPItem `json:"IpList"`
}

// GatewayIPItem is one EIP of GetNatGatewayAttribute's IpList.
type GatewayIPItem struct {
	AllocationID string `json:"AllocationId"`
	IPAddress    string `json:"IpAddress"`
	UsingStatus  string `json:"UsingStatus"`
}

// GetNatGatewayAttribute answers one gateway as DescribeNatGateways does,
// with the number of entries in each of its tables.
func (s *Service) GetNatGatewayAttribute(ctx context.Context, call *rpc.Call, req *GetNatGatewayAttributeRequest) (*GetNatGatewayAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetNatGatewayAttributeResponse{IPList: []GatewayIPItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return notFound(err, apierr.InvalidNatGatewayIDNotFound)
		}
		item, err := natItem(ctx, tx, n)
		if err != nil {
			return err
		}
		of := store.Where("natGateway", n.ID)
		snat, err := store.Count[cloud.SnatEntry](ctx, tx, n.Region, of)
		if err != nil {
			return err
		}
		fwd, err := store.Count[cloud.ForwardEntry](ctx, tx, n.Region, of)
		if err != nil {
			return err
		}
		full, err := store.Count[cloud.FullNatEntry](ctx, tx, n.Region, of)
		if err != nil {
			return err
		}
		resp.NatGatewayID, resp.RegionID, resp.VpcID, resp.Name, resp.Description = n.ID, n.Region, n.VpcID, n.Name, n.Description
		resp.NatType, resp.NetworkType, resp.Status, resp.BusinessStatus = n.NatType, n.NetworkType, n.Status, item.BusinessStatus
		resp.CreationTime, resp.ResourceGroupID = item.CreationTime, n.ResourceGroup
		resp.BillingConfig.AutoPay, resp.BillingConfig.InstanceChargeType = "false", n.InstanceChargeType
		resp.BillingConfig.InternetChargeType, resp.BillingConfig.Spec = n.InternetChargeType, n.Spec
		resp.SnatTable.SnatEntryCount, resp.SnatTable.SnatTableID = snat, n.SnatTableID
		resp.ForwardTable.ForwardEntryCount, resp.ForwardTable.ForwardTableID = fwd, n.ForwardTableID
		resp.FullNatTable.FullNatEntryCount, resp.FullNatTable.FullNatTableID = int64(full), n.FullNatTableID
		resp.PrivateInfo.IzNo, resp.PrivateInfo.PrivateIPAddress, resp.PrivateInfo.VswitchID = n.Zone, n.PrivateIP, n.VSwitchID
		for _, ip := range item.IPLists.IPList {
			resp.IPList = append(resp.IPList, GatewayIPItem{AllocationID: ip.AllocationID, IPAddress: ip.IPAddress, UsingStatus: ip.UsingStatus})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// natSpecs are the specifications of a pay-by-specification gateway.
var natSpecs = []string{"Small", "Middle", "Large", "XLarge.1"}

// ModifyNatGatewaySpecRequest is VPC ModifyNatGatewaySpec.
type ModifyNatGatewaySpecRequest struct {
	RegionID, NatGatewayID, Spec, ClientToken string
}

// Bind implements rpc.Binder.
func (r *ModifyNatGatewaySpecRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.Spec = p.Required("Spec")
	if r.Spec != "" {
		r.Spec = p.Enum("Spec", "", natSpecs...)
	}
	p.Bool("AutoPay", false) // no order is placed: the change is at once
	r.ClientToken = p.ClientToken()
}

// ModifyNatGatewaySpecResponse is {RequestId}.
type ModifyNatGatewaySpecResponse struct{ rpc.Base }

// ModifyNatGatewaySpec changes the specification of an Available
// pay-by-specification gateway; a pay-by-CU gateway has none to change.
func (s *Service) ModifyNatGatewaySpec(ctx context.Context, call *rpc.Call, req *ModifyNatGatewaySpecRequest) (*ModifyNatGatewaySpecResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyNatGatewaySpecResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return notFound(err, apierr.InvalidNatGatewayIDNotFound)
		}
		if err := cloud.CheckNatReady(n); err != nil {
			return err
		}
		if n.InternetChargeType != "PayBySpec" {
			return apierr.NatSpecNotPayBySpec.New().WithDetail("%s is %s", n.ID, n.InternetChargeType)
		}
		n.Spec = req.Spec
		if err := store.Put(ctx, tx, n); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListEnhanhcedNatGatewayAvailableZonesRequest is the VPC action of that
// (misspelt) name.
type ListEnhanhcedNatGatewayAvailableZonesRequest struct {
	RegionID, AcceptLanguage string
}

// Bind implements rpc.Binder. Filter.N narrows the zones by features
// (PrivateLink support, …) that every zone here has, so it keeps them all.
func (r *ListEnhanhcedNatGatewayAvailableZonesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, f := range p.Objects("Filter") {
		f.String("Key")
		f.String("Value")
	}
	r.AcceptLanguage = p.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US")
}

// NatZoneItem is one zone of the answer.
type NatZoneItem struct {
	ZoneID    string `json:"ZoneId"`
	LocalName string `json:"LocalName"`
}

// ListEnhanhcedNatGatewayAvailableZonesResponse lists Zones[].
type ListEnhanhcedNatGatewayAvailableZonesResponse struct {
	rpc.Base
	Zones []NatZoneItem `json:"Zones"`
}

// ListEnhanhcedNatGatewayAvailableZones answers the region's zones of the
// catalogue: an enhanced gateway can be made in a vSwitch of any of them.
func (s *Service) ListEnhanhcedNatGatewayAvailableZones(ctx context.Context, call *rpc.Call, req *ListEnhanhcedNatGatewayAvailableZonesRequest) (*ListEnhanhcedNatGatewayAvailableZonesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListEnhanhcedNatGatewayAvailableZonesResponse{Zones: []NatZoneItem{}}
	for _, z := range s.catalog.Zones(req.RegionID) {
		name := z.LocalName
		if req.AcceptLanguage == "en-US" && z.LocalNameEn != "" {
			name = z.LocalNameEn
		}
		resp.Zones = append(resp.Zones, NatZoneItem{ZoneID: z.ZoneID, LocalName: name})
	}
	return resp, nil
}
