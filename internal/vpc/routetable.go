package vpc

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// DescribeRouteTableListRequest is §5.2 DescribeRouteTableList.
type DescribeRouteTableListRequest struct {
	RegionID, VpcID, RouterID, RouterType, RouteTableType, RouteTableName, ResourceGroupID string
	RouteTableIDs                                                                          []string
	Tags                                                                                   []rpc.Tag
	PageNumber, PageSize                                                                   int
}

// Bind implements rpc.Binder.
func (r *DescribeRouteTableListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.String("VpcId")
	r.RouteTableIDs = idList(p.String("RouteTableId"))
	r.RouterID = p.String("RouterId")
	r.RouterType = p.Enum("RouterType", "", RouterVRouter, "VBR")
	r.RouteTableType = p.Enum("RouteTableType", "", RouteTableSystem, RouteTableCustom)
	r.RouteTableName = p.String("RouteTableName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.PageNumber, r.PageSize = paging(p)
}

// RouteTableItem is one table of DescribeRouteTableList.
type RouteTableItem struct {
	RouteTableID    string `json:"RouteTableId"`
	RouteTableType  string `json:"RouteTableType"`
	RouteTableName  string `json:"RouteTableName"`
	RouterID        string `json:"RouterId"`
	RouterType      string `json:"RouterType"`
	VpcID           string `json:"VpcId"`
	OwnerID         int64  `json:"OwnerId"`
	Status          string `json:"Status"`
	CreationTime    string `json:"CreationTime"`
	Description     string `json:"Description"`
	ResourceGroupID string `json:"ResourceGroupId"`
	AssociateType   string `json:"AssociateType"`
	VSwitchIDs      struct {
		VSwitchID []string `json:"VSwitchId"`
	} `json:"VSwitchIds"`
	GatewayIDs struct {
		GatewayIDs []string `json:"GatewayIds"`
	} `json:"GatewayIds"`
	Tags Tags `json:"Tags"`
}

// DescribeRouteTableListResponse wraps RouterTableList.RouterTableListType[].
// The real answer also carries Code/Success/Message; they are left out
// because pop-core treats any top-level Code as an error (protocol.md §6).
type DescribeRouteTableListResponse struct {
	rpc.Base
	TotalCount      int `json:"TotalCount"`
	PageNumber      int `json:"PageNumber"`
	PageSize        int `json:"PageSize"`
	RouterTableList struct {
		RouterTableListType []RouteTableItem `json:"RouterTableListType"`
	} `json:"RouterTableList"`
}

// DescribeRouteTableList lists a region's route tables; every filter is an
// index lookup.
func (s *Service) DescribeRouteTableList(ctx context.Context, call *rpc.Call, req *DescribeRouteTableListRequest) (*DescribeRouteTableListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.RouteTableIDs, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	for _, f := range []struct{ name, value string }{
		{"vpc", req.VpcID}, {"router", req.RouterID}, {"routerType", req.RouterType}, {"type", req.RouteTableType},
		{"name", req.RouteTableName}, {"resourceGroup", req.ResourceGroupID},
	} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	q.Filters = append(q.Filters, tagging.Filters(req.Tags)...)
	resp := &DescribeRouteTableListResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.RouterTableList.RouterTableListType = []RouteTableItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		tables, page, err := store.Find[cloud.RouteTable](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, t := range tables {
			item, err := routeTableItem(ctx, tx, t, call.Account)
			if err != nil {
				return err
			}
			resp.RouterTableList.RouterTableListType = append(resp.RouterTableList.RouterTableListType, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// routeTableItem shapes one table: a custom table serves the vSwitches
// associated with it, the system table every other vSwitch of its VPC.
func routeTableItem(ctx context.Context, tx store.Tx, t cloud.RouteTable, account string) (RouteTableItem, error) {
	item := RouteTableItem{
		RouteTableID: t.ID, RouteTableType: t.Type, RouteTableName: t.Name, RouterID: t.RouterID,
		RouterType: t.RouterType, VpcID: t.VpcID, OwnerID: ownerID(account), Status: t.Status,
		CreationTime: cloud.FormatSecond(t.Created), Description: t.Description, ResourceGroupID: t.ResourceGroup,
		AssociateType: "VSwitch", Tags: tagsOf(t.Tags),
	}
	if t.AssociateType != "" {
		item.AssociateType = t.AssociateType
	}
	item.VSwitchIDs.VSwitchID = []string{}
	item.GatewayIDs.GatewayIDs = []string{}
	gws, err := store.All[cloud.Ipv4Gateway](ctx, tx, t.Region, store.Where("table", t.ID))
	if err != nil {
		return item, err
	}
	for _, g := range gws {
		item.GatewayIDs.GatewayIDs = append(item.GatewayIDs.GatewayIDs, g.ID)
	}
	ids, err := tableVSwitches(ctx, tx, t)
	item.VSwitchIDs.VSwitchID = append(item.VSwitchIDs.VSwitchID, ids...)
	return item, err
}

// tableVSwitches lists the vSwitches a table serves.
func tableVSwitches(ctx context.Context, tx store.Tx, t cloud.RouteTable) ([]string, error) {
	by := store.Where("table", t.ID)
	if t.Type == RouteTableSystem {
		by = store.Where("vpc", t.VpcID) // less those on a custom table: empty values are not indexed
	}
	vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, by)
	ids := make([]string, 0, len(vsws))
	for _, w := range vsws {
		if t.Type == RouteTableSystem && w.RouteTableID != "" {
			continue
		}
		ids = append(ids, w.ID)
	}
	return ids, err
}

// CreateRouteTableRequest is VPC CreateRouteTable.
type CreateRouteTableRequest struct {
	RegionID, VpcID, Name, Description, AssociateType, ClientToken string
	Tags                                                           []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateRouteTableRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.Name = p.String("RouteTableName")
	r.Description = p.String("Description")
	r.AssociateType = p.Enum("AssociateType", "VSwitch", "VSwitch", "Gateway")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
}

// CreateRouteTableResponse carries the new table's id.
type CreateRouteTableResponse struct {
	rpc.Base
	RouteTableID string `json:"RouteTableId"`
}

// CreateRouteTable makes a custom table on the VPC's vRouter, Available at
// once and serving no vSwitch until one is associated.
func (s *Service) CreateRouteTable(ctx context.Context, call *rpc.Call, req *CreateRouteTableRequest) (*CreateRouteTableResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateRouteTableResponse{}
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
		t := cloud.RouteTable{
			ID: s.ids.ID("vtb", req.RegionID), Region: req.RegionID, VpcID: v.ID, RouterID: v.VRouterID, Type: RouteTableCustom,
			AssociateType: req.AssociateType, Name: req.Name, Description: req.Description, Status: cloud.NetAvailable,
			Created: tx.Now(), RouterType: RouterVRouter, ResourceGroup: v.ResourceGroup, Tags: tagging.Cloud(req.Tags),
		}
		if err := store.Put(ctx, tx, t); err != nil {
			return err
		}
		resp.RouteTableID = t.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RouteTableRequest is the RegionId and RouteTableId of DeleteRouteTable.
type RouteTableRequest struct {
	RegionID, RouteTableID string
}

// Bind implements rpc.Binder.
func (r *RouteTableRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteTableID = p.Required("RouteTableId")
}

// RouteTableResponse is {RequestId}.
type RouteTableResponse struct{ rpc.Base }

// DeleteRouteTable removes a custom table holding no custom entries and
// serving no vSwitch.
func (s *Service) DeleteRouteTable(ctx context.Context, call *rpc.Call, req *RouteTableRequest) (*RouteTableResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		entries, err := store.Count[cloud.RouteEntry](ctx, tx, t.Region, store.Where("table", t.ID))
		if err != nil {
			return err
		}
		vsws, err := store.Count[cloud.VSwitch](ctx, tx, t.Region, store.Where("table", t.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteRouteTable(t, entries, vsws); err != nil {
			return err
		}
		if n, err := store.Count[cloud.Ipv4Gateway](ctx, tx, t.Region, store.Where("table", t.ID)); err != nil {
			return err
		} else if n > 0 {
			return apierr.GatewayRouteTableInUse.New().WithDetail("%s is bound to an IPv4 gateway", t.ID)
		}
		return store.Delete[cloud.RouteTable](ctx, tx, t.ID)
	})
	if err != nil {
		return nil, err
	}
	return &RouteTableResponse{}, nil
}

// AssociateRouteTableRequest is VPC AssociateRouteTable and
// UnassociateRouteTable.
type AssociateRouteTableRequest struct {
	RegionID, RouteTableID, VSwitchID string
}

// Bind implements rpc.Binder.
func (r *AssociateRouteTableRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteTableID = p.Required("RouteTableId")
	r.VSwitchID = p.Required("VSwitchId")
	p.ClientToken()
}

// AssociateRouteTable makes a vSwitch use a custom table of its VPC
// instead of the system one, at once.
func (s *Service) AssociateRouteTable(ctx context.Context, call *rpc.Call, req *AssociateRouteTableRequest) (*RouteTableResponse, error) {
	return s.association(ctx, call, req, func(t cloud.RouteTable, w cloud.VSwitch) (cloud.VSwitch, error) {
		if err := cloud.CheckAssociateRouteTable(t, w); err != nil {
			return w, err
		}
		w.RouteTableID = t.ID
		return w, nil
	})
}

// UnassociateRouteTable returns a vSwitch to its VPC's system table.
func (s *Service) UnassociateRouteTable(ctx context.Context, call *rpc.Call, req *AssociateRouteTableRequest) (*RouteTableResponse, error) {
	return s.association(ctx, call, req, func(t cloud.RouteTable, w cloud.VSwitch) (cloud.VSwitch, error) {
		if w.RouteTableID != t.ID {
			return w, apierr.VSwitchNotAssociated.New().WithDetail("%s does not use %s", w.ID, t.ID)
		}
		w.RouteTableID = ""
		return w, nil
	})
}

// association reads the table and the vSwitch and writes the vSwitch change decides.
func (s *Service) association(ctx context.Context, call *rpc.Call, req *AssociateRouteTableRequest, change func(cloud.RouteTable, cloud.VSwitch) (cloud.VSwitch, error)) (*RouteTableResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.InvalidVSwitchIDNotFound)
		}
		next, err := change(t, w)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &RouteTableResponse{}, nil
}

// ModifyRouteTableAttributesRequest is VPC ModifyRouteTableAttributes.
type ModifyRouteTableAttributesRequest struct {
	RegionID, RouteTableID string
	Name, Description      *string
}

// Bind implements rpc.Binder.
func (r *ModifyRouteTableAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteTableID = p.Required("RouteTableId")
	if p.Has("RouteTableName") {
		v := p.String("RouteTableName")
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
	p.OptBool("RoutePropagationEnable") // route propagation is not modelled
}

// ModifyRouteTableAttributes renames a table or changes its description
// (the system table too).
func (s *Service) ModifyRouteTableAttributes(ctx context.Context, call *rpc.Call, req *ModifyRouteTableAttributesRequest) (*RouteTableResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		rename(&t.Name, &t.Description, req.Name, req.Description)
		return store.Put(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &RouteTableResponse{}, nil
}
