package vpc

import (
	"context"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerIpv4Gateways adds the IPv4 gateway actions.
func (s *Service) registerIpv4Gateways(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateIpv4Gateway", s.CreateIpv4Gateway)
	rpc.Handle(t, v, "GetIpv4GatewayAttribute", s.GetIpv4GatewayAttribute)
	rpc.Handle(t, v, "ListIpv4Gateways", s.ListIpv4Gateways)
	rpc.Handle(t, v, "UpdateIpv4GatewayAttribute", s.UpdateIpv4GatewayAttribute)
	rpc.Handle(t, v, "EnableVpcIpv4Gateway", s.EnableVpcIpv4Gateway)
	rpc.Handle(t, v, "DeleteIpv4Gateway", s.DeleteIpv4Gateway)
	rpc.Handle(t, v, "AssociateRouteTableWithGateway", s.AssociateRouteTableWithGateway)
	rpc.Handle(t, v, "DissociateRouteTableFromGateway", s.DissociateRouteTableFromGateway)
}

func getIpv4Gateway(ctx context.Context, tx store.Tx, region, id string) (cloud.Ipv4Gateway, error) {
	g, err := store.GetIn[cloud.Ipv4Gateway](ctx, tx, region, id)
	return g, notFound(err, apierr.Ipv4GatewayNotFound)
}

// CreateIpv4GatewayRequest is VPC CreateIpv4Gateway.
type CreateIpv4GatewayRequest struct {
	RegionID, VpcID, Name, Description, ResourceGroupID, ClientToken string
	DryRun                                                           bool
	Tags                                                             []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateIpv4GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.Name = p.String("Ipv4GatewayName")
	r.Description = p.String("Ipv4GatewayDescription")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateIpv4GatewayResponse carries the new gateway.
type CreateIpv4GatewayResponse struct {
	rpc.Base
	Ipv4GatewayID   string `json:"Ipv4GatewayId"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// CreateIpv4Gateway makes the only IPv4 gateway of an Available VPC, not
// yet enabled; it is Creating until the VPC delay passes.
func (s *Service) CreateIpv4Gateway(ctx context.Context, call *rpc.Call, req *CreateIpv4GatewayRequest) (*CreateIpv4GatewayResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateIpv4GatewayResponse{}
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
		if n, err := store.Count[cloud.Ipv4Gateway](ctx, tx, v.Region, store.Where("vpc", v.ID)); err != nil {
			return err
		} else if n > 0 {
			return apierr.Ipv4GatewayExists.New().WithDetail("%s has an IPv4 gateway", v.ID)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		g := cloud.Ipv4Gateway{
			ID: s.ids.ID("ipv4gw", v.Region), Region: v.Region, VpcID: v.ID, Name: req.Name, Description: req.Description,
			Status: cloud.Ipv4GatewayCreating, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: tagging.Cloud(req.Tags),
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		resp.Ipv4GatewayID, resp.ResourceGroupID = g.ID, g.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Ipv4GatewayRequest names one gateway (GetIpv4GatewayAttribute).
type Ipv4GatewayRequest struct {
	RegionID, ID string
}

// Bind implements rpc.Binder.
func (r *Ipv4GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv4GatewayId")
}

// GetIpv4GatewayAttributeResponse is one gateway.
type GetIpv4GatewayAttributeResponse struct {
	rpc.Base
	Ipv4GatewayID           string    `json:"Ipv4GatewayId"`
	VpcID                   string    `json:"VpcId"`
	Ipv4GatewayName         string    `json:"Ipv4GatewayName"`
	Ipv4GatewayDescription  string    `json:"Ipv4GatewayDescription"`
	Status                  string    `json:"Status"`
	Enabled                 bool      `json:"Enabled"`
	Ipv4GatewayRouteTableID string    `json:"Ipv4GatewayRouteTableId"`
	CreateTime              string    `json:"CreateTime"`
	ResourceGroupID         string    `json:"ResourceGroupId"`
	Tags                    []TagItem `json:"Tags"`
}

// GetIpv4GatewayAttribute answers one gateway.
func (s *Service) GetIpv4GatewayAttribute(ctx context.Context, call *rpc.Call, req *Ipv4GatewayRequest) (*GetIpv4GatewayAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetIpv4GatewayAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		g, err := getIpv4Gateway(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		i := ipv4GatewayItem(g)
		resp.Ipv4GatewayID, resp.VpcID, resp.Ipv4GatewayName, resp.Ipv4GatewayDescription = i.Ipv4GatewayID, i.VpcID, i.Ipv4GatewayName, i.Ipv4GatewayDescription
		resp.Status, resp.Enabled, resp.Ipv4GatewayRouteTableID, resp.CreateTime = i.Status, i.Enabled, i.Ipv4GatewayRouteTableID, i.GmtCreate
		resp.ResourceGroupID, resp.Tags = i.ResourceGroupID, i.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Ipv4GatewayItem is one gateway of ListIpv4Gateways.
type Ipv4GatewayItem struct {
	Ipv4GatewayID           string    `json:"Ipv4GatewayId"`
	VpcID                   string    `json:"VpcId"`
	Ipv4GatewayName         string    `json:"Ipv4GatewayName"`
	Ipv4GatewayDescription  string    `json:"Ipv4GatewayDescription"`
	Status                  string    `json:"Status"`
	Enabled                 bool      `json:"Enabled"`
	Ipv4GatewayRouteTableID string    `json:"Ipv4GatewayRouteTableId"`
	GmtCreate               string    `json:"GmtCreate"`
	ResourceGroupID         string    `json:"ResourceGroupId"`
	Tags                    []TagItem `json:"Tags"`
}

func ipv4GatewayItem(g cloud.Ipv4Gateway) Ipv4GatewayItem {
	return Ipv4GatewayItem{
		Ipv4GatewayID: g.ID, VpcID: g.VpcID, Ipv4GatewayName: g.Name, Ipv4GatewayDescription: g.Description, Status: g.Status,
		Enabled: g.Enabled, Ipv4GatewayRouteTableID: g.RouteTableID, GmtCreate: cloud.FormatSecond(g.Created),
		ResourceGroupID: g.ResourceGroup, Tags: tagsOf(g.Tags).Tag,
	}
}

// ListIpv4GatewaysRequest is VPC ListIpv4Gateways.
type ListIpv4GatewaysRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListIpv4GatewaysRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if id := p.String("Ipv4GatewayId"); id != "" {
		r.IDs = []string{id}
	}
	r.Filters = append(r.Filters, bindWhere(p, []where{{"Ipv4GatewayName", "name"}, {"VpcId", "vpc"}, {"ResourceGroupId", "resourceGroup"}})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.bindPaging(p)
}

// ListIpv4GatewaysResponse pages Ipv4GatewayModels[].
type ListIpv4GatewaysResponse struct {
	rpc.Base
	Ipv4GatewayModels []Ipv4GatewayItem `json:"Ipv4GatewayModels"`
	NextToken         string            `json:"NextToken"`
	TotalCount        string            `json:"TotalCount"`
}

// ListIpv4Gateways lists a region's gateways.
func (s *Service) ListIpv4Gateways(ctx context.Context, call *rpc.Call, req *ListIpv4GatewaysRequest) (*ListIpv4GatewaysResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListIpv4GatewaysResponse{Ipv4GatewayModels: []Ipv4GatewayItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: req.Offset, Limit: req.Max, Count: true}
		list, page, err := store.Find[cloud.Ipv4Gateway](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, g := range list {
			resp.Ipv4GatewayModels = append(resp.Ipv4GatewayModels, ipv4GatewayItem(g))
		}
		resp.TotalCount = strconv.Itoa(page.Total)
		resp.NextToken = req.next(len(list), page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UpdateIpv4GatewayAttributeRequest is VPC UpdateIpv4GatewayAttribute.
type UpdateIpv4GatewayAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *UpdateIpv4GatewayAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv4GatewayId")
	r.Name = optString(p, "Ipv4GatewayName")
	r.Description = optString(p, "Ipv4GatewayDescription")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// Ipv4GatewayResponse is {RequestId}.
type Ipv4GatewayResponse struct{ rpc.Base }

// UpdateIpv4GatewayAttribute renames or redescribes a gateway.
func (s *Service) UpdateIpv4GatewayAttribute(ctx context.Context, call *rpc.Call, req *UpdateIpv4GatewayAttributeRequest) (*Ipv4GatewayResponse, error) {
	return s.changeIpv4Gateway(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, g *cloud.Ipv4Gateway) error {
		rename(&g.Name, &g.Description, req.Name, req.Description)
		return nil
	})
}

// changeIpv4Gateway runs change on a Created gateway and writes it back.
func (s *Service) changeIpv4Gateway(ctx context.Context, call *rpc.Call, region, id string, dryRun bool, change func(tx store.Tx, g *cloud.Ipv4Gateway) error) (*Ipv4GatewayResponse, error) {
	err := changeOne(ctx, s, call, region, id, apierr.Ipv4GatewayNotFound, dryRun, func(tx store.Tx, g *cloud.Ipv4Gateway) (bool, error) {
		if err := cloud.CheckIpv4GatewayReady(*g); err != nil {
			return false, err
		}
		return true, change(tx, g)
	})
	if err != nil {
		return nil, err
	}
	return &Ipv4GatewayResponse{}, nil
}

// EnableVpcIpv4GatewayRequest is VPC EnableVpcIpv4Gateway.
type EnableVpcIpv4GatewayRequest struct {
	RegionID, ID string
	RouteTables  []string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *EnableVpcIpv4GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv4GatewayId")
	r.RouteTables = p.List("RouteTableList")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// EnableVpcIpv4Gateway activates a Created gateway: the VPC's Internet
// traffic is then governed by it. RouteTableList must name route tables
// of the VPC; the 0.0.0.0/0 routes the cloud adds to them are not
// modelled (docs/network.md).
func (s *Service) EnableVpcIpv4Gateway(ctx context.Context, call *rpc.Call, req *EnableVpcIpv4GatewayRequest) (*Ipv4GatewayResponse, error) {
	return s.changeIpv4Gateway(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, g *cloud.Ipv4Gateway) error {
		for _, id := range req.RouteTables {
			t, err := store.GetIn[cloud.RouteTable](ctx, tx, g.Region, id)
			if err != nil {
				return notFound(err, apierr.InvalidRouteTableIDNotFound)
			}
			if t.VpcID != g.VpcID {
				return apierr.GatewayRouteTableVpcMismatch.New().WithDetail("%s is in %s", t.ID, t.VpcID)
			}
		}
		g.Enabled = true
		return nil
	})
}

// DeleteIpv4GatewayRequest is VPC DeleteIpv4Gateway.
type DeleteIpv4GatewayRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder. InternetMode says what the VPC's Internet
// access becomes once an enabled gateway goes; it is read and checked,
// and not modelled further.
func (r *DeleteIpv4GatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("Ipv4GatewayId")
	p.Enum("InternetMode", "public", "public", "private")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteIpv4Gateway removes a Created gateway that no gateway route table
// is associated with.
func (s *Service) DeleteIpv4Gateway(ctx context.Context, call *rpc.Call, req *DeleteIpv4GatewayRequest) (*Ipv4GatewayResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := getIpv4Gateway(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		if err := cloud.CheckIpv4GatewayReady(g); err != nil {
			return err
		}
		if g.RouteTableID != "" {
			return apierr.Ipv4GatewayHasRouteTable.New().WithDetail("%s has %s", g.ID, g.RouteTableID)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.Ipv4Gateway](ctx, tx, g.ID)
	})
	if err != nil {
		return nil, err
	}
	return &Ipv4GatewayResponse{}, nil
}

// GatewayRouteTableRequest is VPC AssociateRouteTableWithGateway and
// DissociateRouteTableFromGateway.
type GatewayRouteTableRequest struct {
	RegionID, GatewayID, RouteTableID string
	DryRun                            bool
}

// Bind implements rpc.Binder: IPv4 gateways are the only gateways here.
func (r *GatewayRouteTableRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.GatewayID = p.Required("GatewayId")
	r.RouteTableID = p.Required("RouteTableId")
	p.Enum("GatewayType", "IPv4Gateway", "IPv4Gateway")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// AssociateRouteTableWithGateway binds a gateway route table of the VPC to
// its IPv4 gateway.
func (s *Service) AssociateRouteTableWithGateway(ctx context.Context, call *rpc.Call, req *GatewayRouteTableRequest) (*Ipv4GatewayResponse, error) {
	return s.changeIpv4Gateway(ctx, call, req.RegionID, req.GatewayID, req.DryRun, func(tx store.Tx, g *cloud.Ipv4Gateway) error {
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, g.Region, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		bound, err := store.All[cloud.Ipv4Gateway](ctx, tx, g.Region, store.Where("table", t.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckGatewayRouteTable(*g, t, bound); err != nil {
			return err
		}
		g.RouteTableID = t.ID
		return nil
	})
}

// DissociateRouteTableFromGateway unbinds the gateway's route table.
func (s *Service) DissociateRouteTableFromGateway(ctx context.Context, call *rpc.Call, req *GatewayRouteTableRequest) (*Ipv4GatewayResponse, error) {
	return s.changeIpv4Gateway(ctx, call, req.RegionID, req.GatewayID, req.DryRun, func(tx store.Tx, g *cloud.Ipv4Gateway) error {
		if _, err := store.GetIn[cloud.RouteTable](ctx, tx, g.Region, req.RouteTableID); err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		if g.RouteTableID != req.RouteTableID {
			return apierr.GatewayRouteTableNotBound.New().WithDetail("%s is not bound to %s", req.RouteTableID, g.ID)
		}
		g.RouteTableID = ""
		return nil
	})
}
