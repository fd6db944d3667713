package vpc

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerIpv6Gateways adds the IPv6 gateway actions.
func (s *Service) registerIpv6Gateways(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateIpv6Gateway", s.CreateIpv6Gateway)
	rpc.Handle(t, v, "DescribeIpv6Gateways", s.DescribeIpv6Gateways)
	rpc.Handle(t, v, "DescribeIpv6GatewayAttribute", s.DescribeIpv6GatewayAttribute)
	rpc.Handle(t, v, "ModifyIpv6GatewayAttribute", s.ModifyIpv6GatewayAttribute)
	rpc.Handle(t, v, "DeleteIpv6Gateway", s.DeleteIpv6Gateway)
}

// CreateIpv6GatewayRequest is VPC CreateIpv6Gateway.
type CreateIpv6GatewayRequest struct {
	RegionID, VpcID, Name, Description, ResourceGroupID, ClientToken string
	DryRun                                                           bool
	Tags                                                             []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateIpv6GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateIpv6GatewayResponse carries the new gateway.
type CreateIpv6GatewayResponse struct {
	rpc.Base
	Ipv6GatewayID   string `json:"Ipv6GatewayId"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// CreateIpv6Gateway makes the only IPv6 gateway of an Available VPC; it is
// Creating until the VPC delay passes.
func (s *Service) CreateIpv6Gateway(ctx context.Context, call *rpc.Call, req *CreateIpv6GatewayRequest) (*CreateIpv6GatewayResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateIpv6GatewayResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		if n, err := store.Count[cloud.Ipv6Gateway](ctx, tx, v.Region, store.Where("vpc", v.ID)); err != nil {
			return err
		} else if n > 0 {
			return apierr.Ipv6GatewayExists.New().WithDetail("%s has an IPv6 gateway", v.ID)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		g := cloud.Ipv6Gateway{
			ID: s.ids.ID("ipv6gw", v.Region), Region: v.Region, VpcID: v.ID, Name: req.Name, Description: req.Description, Spec: "Small",
			Status: cloud.Ipv6GatewayCreating, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: tagging.Cloud(req.Tags),
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		resp.Ipv6GatewayID, resp.ResourceGroupID = g.ID, g.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Ipv6GatewayItem is one gateway as both Describe actions show it.
type Ipv6GatewayItem struct {
	Ipv6GatewayID      string `json:"Ipv6GatewayId"`
	VpcID              string `json:"VpcId"`
	RegionID           string `json:"RegionId"`
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	Spec               string `json:"Spec"`
	Status             string `json:"Status"`
	BusinessStatus     string `json:"BusinessStatus"`
	InstanceChargeType string `json:"InstanceChargeType"`
	CreationTime       string `json:"CreationTime"`
	ExpiredTime        string `json:"ExpiredTime"`
	ResourceGroupID    string `json:"ResourceGroupId"`
	Tags               Tags   `json:"Tags"`
}

func ipv6GatewayItem(g cloud.Ipv6Gateway) Ipv6GatewayItem {
	return Ipv6GatewayItem{
		Ipv6GatewayID: g.ID, VpcID: g.VpcID, RegionID: g.Region, Name: g.Name, Description: g.Description, Spec: g.Spec,
		Status: g.Status, BusinessStatus: "Normal", InstanceChargeType: cloud.PostPaid, CreationTime: cloud.FormatSecond(g.Created),
		ResourceGroupID: g.ResourceGroup, Tags: tagsOf(g.Tags),
	}
}

// DescribeIpv6GatewaysRequest is VPC DescribeIpv6Gateways.
type DescribeIpv6GatewaysRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeIpv6GatewaysRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("Ipv6GatewayId"))
	r.Filters = append(r.Filters, bindWhere(p, []where{{"Name", "name"}, {"VpcId", "vpc"}, {"ResourceGroupId", "resourceGroup"}})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.PageNumber, r.PageSize = paging(p)
}

// DescribeIpv6GatewaysResponse wraps Ipv6Gateways.Ipv6Gateway[].
type DescribeIpv6GatewaysResponse struct {
	rpc.Base
	TotalCount   int `json:"TotalCount"`
	PageNumber   int `json:"PageNumber"`
	PageSize     int `json:"PageSize"`
	Ipv6Gateways struct {
		Ipv6Gateway []Ipv6GatewayItem `json:"Ipv6Gateway"`
	} `json:"Ipv6Gateways"`
}

// DescribeIpv6Gateways lists a region's IPv6 gateways.
func (s *Service) DescribeIpv6Gateways(ctx context.Context, call *rpc.Call, req *DescribeIpv6GatewaysRequest) (*DescribeIpv6GatewaysResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeIpv6GatewaysResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Ipv6Gateways.Ipv6Gateway = []Ipv6GatewayItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
		list, page, err := store.Find[cloud.Ipv6Gateway](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, g := range list {
			resp.Ipv6Gateways.Ipv6Gateway = append(resp.Ipv6Gateways.Ipv6Gateway, ipv6GatewayItem(g))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Ipv6GatewayRequest names one gateway.
type Ipv6GatewayRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *Ipv6GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv6GatewayId")
}

// DescribeIpv6GatewayAttributeResponse is one gateway.
type DescribeIpv6GatewayAttributeResponse struct {
	rpc.Base
	Ipv6GatewayItem
	GatewayRouteTableID string `json:"GatewayRouteTableId"`
}

// DescribeIpv6GatewayAttribute answers one gateway; gateway route tables
// are bound to IPv4 gateways only here, so GatewayRouteTableId is empty.
func (s *Service) DescribeIpv6GatewayAttribute(ctx context.Context, call *rpc.Call, req *Ipv6GatewayRequest) (*DescribeIpv6GatewayAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeIpv6GatewayAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.Ipv6Gateway](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.Ipv6GatewayNotFound)
		}
		resp.Ipv6GatewayItem = ipv6GatewayItem(g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyIpv6GatewayAttributeRequest is VPC ModifyIpv6GatewayAttribute.
type ModifyIpv6GatewayAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *ModifyIpv6GatewayAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv6GatewayId")
	r.Name = optString(p, "Name")
	r.Description = optString(p, "Description")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// Ipv6GatewayResponse is {RequestId}.
type Ipv6GatewayResponse struct{ rpc.Base }

// ModifyIpv6GatewayAttribute renames or redescribes an Available gateway.
func (s *Service) ModifyIpv6GatewayAttribute(ctx context.Context, call *rpc.Call, req *ModifyIpv6GatewayAttributeRequest) (*Ipv6GatewayResponse, error) {
	return s.changeIpv6Gateway(ctx, call, req.RegionID, req.ID, req.DryRun, func(g *cloud.Ipv6Gateway) bool {
		rename(&g.Name, &g.Description, req.Name, req.Description)
		return true
	})
}

// DeleteIpv6GatewayRequest is VPC DeleteIpv6Gateway.
type DeleteIpv6GatewayRequest struct {
	Ipv6GatewayRequest
}

// Bind implements rpc.Binder.
func (r *DeleteIpv6GatewayRequest) Bind(p *rpc.Params) {
	r.Ipv6GatewayRequest.Bind(p)
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteIpv6Gateway removes an Available gateway at once.
func (s *Service) DeleteIpv6Gateway(ctx context.Context, call *rpc.Call, req *DeleteIpv6GatewayRequest) (*Ipv6GatewayResponse, error) {
	return s.changeIpv6Gateway(ctx, call, req.RegionID, req.ID, req.DryRun, func(*cloud.Ipv6Gateway) bool { return false })
}

// changeIpv6Gateway runs change on an Available gateway and writes it
// back, or deletes it when change answers false.
func (s *Service) changeIpv6Gateway(ctx context.Context, call *rpc.Call, region, id string, dryRun bool, change func(*cloud.Ipv6Gateway) bool) (*Ipv6GatewayResponse, error) {
	err := changeOne(ctx, s, call, region, id, apierr.Ipv6GatewayNotFound, dryRun, func(_ store.Tx, g *cloud.Ipv6Gateway) (bool, error) {
		if g.Status != cloud.Ipv6GatewayAvailable {
			return false, apierr.IncorrectIpv6GatewayStatus.New().WithDetail("%s is %s", g.ID, g.Status)
		}
		return change(g), nil
	})
	if err != nil {
		return nil, err
	}
	return &Ipv6GatewayResponse{}, nil
}
