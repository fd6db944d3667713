package vpc

import (
	"context"

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

// routeTableItem shapes one table. A system table serves every vSwitch of
// its VPC (custom tables and their associations are not modelled yet).
func routeTableItem(ctx context.Context, tx store.Tx, t cloud.RouteTable, account string) (RouteTableItem, error) {
	item := RouteTableItem{
		RouteTableID: t.ID, RouteTableType: t.Type, RouteTableName: t.Name, RouterID: t.RouterID,
		RouterType: t.RouterType, VpcID: t.VpcID, OwnerID: ownerID(account), Status: t.Status,
		CreationTime: cloud.FormatSecond(t.Created), Description: t.Description, ResourceGroupID: t.ResourceGroup,
		AssociateType: "VSwitch", Tags: tagsOf(t.Tags),
	}
	item.VSwitchIDs.VSwitchID = []string{}
	item.GatewayIDs.GatewayIDs = []string{}
	if t.Type != RouteTableSystem {
		return item, nil
	}
	vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, store.Where("vpc", t.VpcID))
	if err != nil {
		return item, err
	}
	for _, w := range vsws {
		item.VSwitchIDs.VSwitchID = append(item.VSwitchIDs.VSwitchID, w.ID)
	}
	return item, nil
}
