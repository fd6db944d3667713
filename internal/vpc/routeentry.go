package vpc

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerRouteEntries adds the route entry actions. The ECS 2014-05-26 API
// keeps the legacy CreateRouteEntry, DeleteRouteEntry and DescribeRouteTables
// with the same parameters, so they answer there too.
func (s *Service) registerRouteEntries(t *rpc.Table) {
	for _, v := range []string{rpc.VersionVPC, rpc.VersionECS} {
		rpc.Handle(t, v, "CreateRouteEntry", s.CreateRouteEntry)
		rpc.Handle(t, v, "DeleteRouteEntry", s.DeleteRouteEntry)
		rpc.Handle(t, v, "DescribeRouteTables", s.DescribeRouteTables)
	}
	rpc.Handle(t, rpc.VersionVPC, "DescribeRouteEntryList", s.DescribeRouteEntryList)
}

// parseDestination reads a DestinationCidrBlock: an address without a mask
// is a /32 (CreateRouteEntry reference); anything else must be canonical IPv4.
func parseDestination(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		s += "/32"
	}
	return cloud.ParseCIDR(s)
}

// CreateRouteEntryRequest is spec/semantics.md §5.2 CreateRouteEntry.
type CreateRouteEntryRequest struct {
	RegionID, RouteTableID, DestinationCidrBlock, NextHopType, NextHopID string
	RouteEntryName, Description, ClientToken                             string
	DryRun                                                               bool
}

// Bind implements rpc.Binder.
func (r *CreateRouteEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteTableID = p.Required("RouteTableId")
	r.DestinationCidrBlock = p.Required("DestinationCidrBlock")
	r.NextHopType = p.String("NextHopType")
	if r.NextHopType == "" {
		r.NextHopType = cloud.NextHopInstance
	} else if !slices.Contains(cloud.NextHopTypes, r.NextHopType) {
		p.Fail(apierr.InvalidNextHopType.New())
	}
	// ECMP entries (NextHopList.N) are not modelled: one next hop is needed.
	r.NextHopID = p.Required("NextHopId")
	r.RouteEntryName = p.String("RouteEntryName")
	r.Description = p.String("Description")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// CreateRouteEntryResponse carries the new entry's id.
type CreateRouteEntryResponse struct {
	rpc.Base
	RouteEntryID string `json:"RouteEntryId"`
}

// CreateRouteEntry adds a custom entry to a route table; it is Pending until
// the "routeEntry" delay has passed (§2), and no other entry of the table
// may be added or deleted meanwhile.
func (s *Service) CreateRouteEntry(ctx context.Context, call *rpc.Call, req *CreateRouteEntryRequest) (*CreateRouteEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	dest, ok := parseDestination(req.DestinationCidrBlock)
	if !ok {
		return nil, apierr.InvalidCidrBlock.New()
	}
	resp := &CreateRouteEntryResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		v, err := store.Get[cloud.VPC](ctx, tx, t.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		hop := cloud.NextHop{Type: req.NextHopType, ID: req.NextHopID}
		if err := checkNextHop(ctx, tx, t, hop); err != nil {
			return err
		}
		siblings, err := store.All[cloud.RouteEntry](ctx, tx, t.Region, store.Where("table", t.ID))
		if err != nil {
			return err
		}
		vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, store.Where("vpc", t.VpcID))
		if err != nil {
			return err
		}
		blocks := make([]netip.Prefix, 0, len(vsws))
		for _, w := range vsws {
			if p, ok := cloud.ParseCIDR(w.CidrBlock); ok {
				blocks = append(blocks, p)
			}
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		e, err := cloud.CreateRoute(t, siblings, blocks, cloud.NewRoute{
			ID: s.ids.ID("rte", req.RegionID), Name: req.RouteEntryName, Description: req.Description,
			Destination: dest, NextHop: hop,
		}, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.RouteEntryID = e.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// checkNextHop judges the next hops the emulator models: an instance must
// be in the table's VPC and Running or Stopped, an ENI in the table's VPC.
// Other next-hop kinds (gateways, HaVips…) are not modelled and taken as given.
func checkNextHop(ctx context.Context, tx store.Tx, t cloud.RouteTable, hop cloud.NextHop) error {
	switch hop.Type {
	case cloud.NextHopInstance:
		inst, err := store.GetIn[cloud.Instance](ctx, tx, t.Region, hop.ID)
		if err != nil {
			return notFound(err, apierr.InvalidNextHopNotFound)
		}
		return cloud.CheckNextHopInstance(inst, t.VpcID)
	case cloud.NextHopENI:
		eni, err := store.GetIn[cloud.ENI](ctx, tx, t.Region, hop.ID)
		if err != nil {
			return notFound(err, apierr.InvalidNextHopNotFound)
		}
		if eni.VpcID != t.VpcID {
			return apierr.NextHopENIVpcMismatch.New().WithDetail("ENI %s is in %s", eni.ID, eni.VpcID)
		}
	}
	return nil
}

// DeleteRouteEntryRequest is §5.2 DeleteRouteEntry: an entry by id, or by
// table and destination (and next hop, when several share it).
type DeleteRouteEntryRequest struct {
	RegionID, RouteEntryID, RouteTableID, DestinationCidrBlock, NextHopID string
	DryRun                                                                bool
}

// Bind implements rpc.Binder.
func (r *DeleteRouteEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteEntryID = p.String("RouteEntryId")
	r.RouteTableID = p.String("RouteTableId")
	r.DestinationCidrBlock = p.String("DestinationCidrBlock")
	r.NextHopID = p.String("NextHopId")
	if r.RouteEntryID == "" {
		// Without an id the entry is named by its table and destination.
		p.Required("RouteTableId")
		p.Required("DestinationCidrBlock")
	}
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteRouteEntryResponse is the bare RequestId.
type DeleteRouteEntryResponse struct{ rpc.Base }

// DeleteRouteEntry starts deleting a custom entry: Deleting, then gone after
// the "routeEntry" delay. System entries answer OperationDenied.
func (s *Service) DeleteRouteEntry(ctx context.Context, call *rpc.Call, req *DeleteRouteEntryRequest) (*DeleteRouteEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var dest netip.Prefix
	if req.DestinationCidrBlock != "" {
		var ok bool
		if dest, ok = parseDestination(req.DestinationCidrBlock); !ok {
			return nil, apierr.InvalidCidrBlock.New()
		}
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := s.findEntry(ctx, tx, req, dest)
		if err != nil {
			return err
		}
		siblings, err := store.All[cloud.RouteEntry](ctx, tx, e.Region, store.Where("table", e.TableID))
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.DeleteRoute(e, siblings, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteRouteEntryResponse{}, nil
}

// findEntry resolves the entry DeleteRouteEntry names, system ones included
// (they exist only as derived values, so that deleting one is refused
// rather than unknown).
func (s *Service) findEntry(ctx context.Context, tx store.Tx, req *DeleteRouteEntryRequest, dest netip.Prefix) (cloud.RouteEntry, error) {
	if req.RouteEntryID != "" {
		e, err := store.GetIn[cloud.RouteEntry](ctx, tx, req.RegionID, req.RouteEntryID)
		if err == nil && (req.RouteTableID == "" || e.TableID == req.RouteTableID) {
			return e, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return e, err
		}
	}
	if req.RouteTableID == "" {
		return cloud.RouteEntry{}, apierr.InvalidRouteEntryNotFound.New()
	}
	t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
	if err != nil {
		return cloud.RouteEntry{}, notFound(err, apierr.InvalidRouteTableIDNotFound)
	}
	entries, err := tableEntries(ctx, tx, t)
	if err != nil {
		return cloud.RouteEntry{}, err
	}
	for _, e := range entries {
		switch {
		case req.RouteEntryID != "" && e.ID != req.RouteEntryID:
		case req.RouteEntryID == "" && e.DestinationCidrBlock != dest.String():
		case req.NextHopID != "" && !slices.ContainsFunc(e.NextHops, func(h cloud.NextHop) bool { return h.ID == req.NextHopID }):
		default:
			return e, nil
		}
	}
	return cloud.RouteEntry{}, apierr.InvalidRouteEntryNotFound.New()
}

// tableEntries are a table's entries as listings show them: the derived
// system entries first, then the stored custom ones in creation order.
func tableEntries(ctx context.Context, tx store.Tx, t cloud.RouteTable) ([]cloud.RouteEntry, error) {
	sys, err := systemEntries(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	custom, err := store.All[cloud.RouteEntry](ctx, tx, t.Region, store.Where("table", t.ID))
	if err != nil {
		return nil, err
	}
	return append(sys, custom...), nil
}

// systemEntries derives a table's system entries (cloud.SystemRoutes) from
// its VPC's vSwitches, read through the "vpc" index.
func systemEntries(ctx context.Context, tx store.Tx, t cloud.RouteTable) ([]cloud.RouteEntry, error) {
	vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, store.Where("vpc", t.VpcID))
	if err != nil {
		return nil, err
	}
	return cloud.SystemRoutes(t, vsws), nil
}

// DescribeRouteEntryListRequest is §5.2 DescribeRouteEntryList.
type DescribeRouteEntryListRequest struct {
	RegionID, RouteTableID, RouteEntryID, RouteEntryType, RouteEntryName string
	NextHopID, NextHopType, DestinationCidrBlock                         string
	DestCidrBlockList                                                    []string
	MaxResult, Offset                                                    int
}

// Bind implements rpc.Binder.
func (r *DescribeRouteEntryListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteTableID = p.Required("RouteTableId")
	r.RouteEntryID = p.String("RouteEntryId")
	r.RouteEntryType = p.Enum("RouteEntryType", "", cloud.RouteSystem, cloud.RouteCustom)
	r.RouteEntryName = p.String("RouteEntryName")
	r.NextHopID = p.String("NextHopId")
	r.NextHopType = p.String("NextHopType")
	r.DestinationCidrBlock = p.String("DestinationCidrBlock")
	for _, d := range p.List("DestCidrBlockList") {
		if pre, ok := parseDestination(d); ok {
			r.DestCidrBlockList = append(r.DestCidrBlockList, pre.String())
		} else {
			p.Fail(apierr.InvalidCidrBlock.New())
		}
	}
	p.String("IpVersion") // IPv4 only: every entry matches
	r.MaxResult = p.Int("MaxResult", 10, 1, 100)
	r.Offset = bindOffsetToken(p)
}

// NextHopItem is one next hop of a listed entry.
type NextHopItem struct {
	NextHopType        string   `json:"NextHopType"`
	NextHopID          string   `json:"NextHopId"`
	Enabled            int      `json:"Enabled"`
	Weight             int      `json:"Weight,omitempty"`
	NextHopRegionID    string   `json:"NextHopRegionId"`
	NextHopRelatedInfo struct{} `json:"NextHopRelatedInfo"`
}

// NextHops is the NextHops.NextHop[] wrapper.
type NextHops struct {
	NextHop []NextHopItem `json:"NextHop"`
}

// RouteEntryItem is one entry of DescribeRouteEntryList.
type RouteEntryItem struct {
	RouteEntryID         string   `json:"RouteEntryId"`
	RouteEntryName       string   `json:"RouteEntryName"`
	RouteTableID         string   `json:"RouteTableId"`
	DestinationCidrBlock string   `json:"DestinationCidrBlock"`
	Type                 string   `json:"Type"`
	Status               string   `json:"Status"`
	Description          string   `json:"Description"`
	IPVersion            string   `json:"IpVersion"`
	Origin               string   `json:"Origin"`
	GmtModified          string   `json:"GmtModified"`
	NextHops             NextHops `json:"NextHops"`
}

func nextHopsOf(e cloud.RouteEntry) NextHops {
	out := NextHops{NextHop: make([]NextHopItem, 0, len(e.NextHops))}
	for _, h := range e.NextHops {
		item := NextHopItem{NextHopType: h.Type, NextHopID: h.ID, Enabled: 1}
		if h.Type != cloud.NextHopLocal {
			item.NextHopRegionID = e.Region
		}
		out.NextHop = append(out.NextHop, item)
	}
	return out
}

func routeEntryItem(e cloud.RouteEntry) RouteEntryItem {
	origin, modified := "CustomCreate", e.Modified
	if e.Type == cloud.RouteSystem {
		origin = "SystemCreate"
	}
	if modified.IsZero() {
		modified = e.Created
	}
	return RouteEntryItem{
		RouteEntryID: e.ID, RouteEntryName: e.Name, RouteTableID: e.TableID, DestinationCidrBlock: e.DestinationCidrBlock,
		Type: e.Type, Status: e.Status, Description: e.Description, IPVersion: "ipv4", Origin: origin,
		GmtModified: cloud.FormatSecond(modified), NextHops: nextHopsOf(e),
	}
}

// DescribeRouteEntryListResponse wraps RouteEntrys.RouteEntry[].
type DescribeRouteEntryListResponse struct {
	rpc.Base
	NextToken   string `json:"NextToken"`
	RouteEntrys struct {
		RouteEntry []RouteEntryItem `json:"RouteEntry"`
	} `json:"RouteEntrys"`
}

// DescribeRouteEntryList lists a table's entries: the derived system ones
// first, then the custom ones through the entries' indexes. NextToken is the
// position in that combined order.
func (s *Service) DescribeRouteEntryList(ctx context.Context, call *rpc.Call, req *DescribeRouteEntryListRequest) (*DescribeRouteEntryListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var dest string
	if req.DestinationCidrBlock != "" {
		p, ok := parseDestination(req.DestinationCidrBlock)
		if !ok {
			return nil, apierr.InvalidCidrBlock.New()
		}
		dest = p.String()
	}
	resp := &DescribeRouteEntryListResponse{}
	resp.RouteEntrys.RouteEntry = []RouteEntryItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		t, err := store.GetIn[cloud.RouteTable](ctx, tx, req.RegionID, req.RouteTableID)
		if err != nil {
			return notFound(err, apierr.InvalidRouteTableIDNotFound)
		}
		var sys []cloud.RouteEntry
		if req.RouteEntryType != cloud.RouteCustom {
			all, err := systemEntries(ctx, tx, t)
			if err != nil {
				return err
			}
			for _, e := range all {
				if matchEntry(e, req, dest) {
					sys = append(sys, e)
				}
			}
		}
		page := []cloud.RouteEntry{}
		if req.Offset < len(sys) {
			page = append(page, sys[req.Offset:min(len(sys), req.Offset+req.MaxResult)]...)
		}
		more := req.Offset+req.MaxResult < len(sys)
		if req.RouteEntryType != cloud.RouteSystem {
			// Custom entries continue the order after the system ones; a page
			// already full of system entries only asks whether any exist.
			q := store.Query{Region: t.Region, Filters: []store.Filter{store.Where("table", t.ID)},
				Offset: max(req.Offset-len(sys), 0), Limit: req.MaxResult - len(page), Count: len(page) == req.MaxResult}
			if req.RouteEntryID != "" {
				q.IDs = []string{req.RouteEntryID}
			}
			for _, f := range []struct{ name, value string }{
				{"nextHopId", req.NextHopID}, {"nextHopType", req.NextHopType}, {"cidr", dest}, {"name", req.RouteEntryName},
			} {
				if f.value != "" {
					q.Filters = append(q.Filters, store.Where(f.name, f.value))
				}
			}
			if len(req.DestCidrBlockList) > 0 {
				q.Filters = append(q.Filters, store.Where("cidr", req.DestCidrBlockList...))
			}
			custom, p, err := store.Find[cloud.RouteEntry](ctx, tx, q)
			if err != nil {
				return err
			}
			page = append(page, custom...)
			more = more || p.More || q.Count && p.Total > 0
		}
		for _, e := range page {
			resp.RouteEntrys.RouteEntry = append(resp.RouteEntrys.RouteEntry, routeEntryItem(e))
		}
		resp.NextToken = offsetToken(req.Offset, len(page), more)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// matchEntry applies DescribeRouteEntryList's filters to a derived entry.
func matchEntry(e cloud.RouteEntry, req *DescribeRouteEntryListRequest, dest string) bool {
	hop := e.NextHops[0]
	return (req.RouteEntryID == "" || e.ID == req.RouteEntryID) &&
		(req.RouteEntryName == "" || e.Name == req.RouteEntryName) &&
		(req.NextHopID == "" || hop.ID == req.NextHopID) &&
		(req.NextHopType == "" || hop.Type == req.NextHopType) &&
		(dest == "" || e.DestinationCidrBlock == dest) &&
		(len(req.DestCidrBlockList) == 0 || slices.Contains(req.DestCidrBlockList, e.DestinationCidrBlock))
}

// DescribeRouteTablesRequest is the legacy DescribeRouteTables (§5.2 P2),
// which the Terraform provider still reads route entries through.
type DescribeRouteTablesRequest struct {
	RegionID, VRouterID, RouteTableID, RouteTableName, RouterType, ResourceGroupID, Type string
	PageNumber, PageSize                                                                 int
}

// Bind implements rpc.Binder.
func (r *DescribeRouteTablesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VRouterID = p.String("VRouterId")
	if r.VRouterID == "" {
		r.VRouterID = p.String("RouterId")
	}
	r.RouteTableID = p.String("RouteTableId")
	r.RouteTableName = p.String("RouteTableName")
	r.RouterType = p.Enum("RouterType", "", RouterVRouter, "VBR")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Type = p.Enum("Type", "", RouteTableSystem, RouteTableCustom)
	r.PageNumber, r.PageSize = paging(p)
}

// LegacyRouteEntry is one entry of DescribeRouteTables: the next hop also
// appears flat, as InstanceId and NextHopType.
type LegacyRouteEntry struct {
	RouteTableID         string   `json:"RouteTableId"`
	RouteEntryID         string   `json:"RouteEntryId"`
	RouteEntryName       string   `json:"RouteEntryName"`
	DestinationCidrBlock string   `json:"DestinationCidrBlock"`
	Type                 string   `json:"Type"`
	Status               string   `json:"Status"`
	InstanceID           string   `json:"InstanceId"`
	NextHopType          string   `json:"NextHopType"`
	Description          string   `json:"Description"`
	NextHops             NextHops `json:"NextHops"`
}

// LegacyRouteTable is one table of DescribeRouteTables.
type LegacyRouteTable struct {
	VRouterID       string `json:"VRouterId"`
	RouteTableID    string `json:"RouteTableId"`
	RouteTableType  string `json:"RouteTableType"`
	CreationTime    string `json:"CreationTime"`
	Status          string `json:"Status"`
	ResourceGroupID string `json:"ResourceGroupId"`
	RouteEntrys     struct {
		RouteEntry []LegacyRouteEntry `json:"RouteEntry"`
	} `json:"RouteEntrys"`
	VSwitchIDs struct {
		VSwitchID []string `json:"VSwitchId"`
	} `json:"VSwitchIds"`
}

// DescribeRouteTablesResponse wraps RouteTables.RouteTable[].
type DescribeRouteTablesResponse struct {
	rpc.Base
	TotalCount  int `json:"TotalCount"`
	PageNumber  int `json:"PageNumber"`
	PageSize    int `json:"PageSize"`
	RouteTables struct {
		RouteTable []LegacyRouteTable `json:"RouteTable"`
	} `json:"RouteTables"`
}

// DescribeRouteTables lists route tables with every entry of each.
func (s *Service) DescribeRouteTables(ctx context.Context, call *rpc.Call, req *DescribeRouteTablesRequest) (*DescribeRouteTablesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	if req.RouteTableID != "" {
		q.IDs = []string{req.RouteTableID}
	}
	for _, f := range []struct{ name, value string }{
		{"router", req.VRouterID}, {"routerType", req.RouterType}, {"type", req.Type},
		{"name", req.RouteTableName}, {"resourceGroup", req.ResourceGroupID},
	} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	resp := &DescribeRouteTablesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.RouteTables.RouteTable = []LegacyRouteTable{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		tables, page, err := store.Find[cloud.RouteTable](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, t := range tables {
			item := LegacyRouteTable{
				VRouterID: t.RouterID, RouteTableID: t.ID, RouteTableType: t.Type, CreationTime: cloud.FormatSecond(t.Created),
				Status: t.Status, ResourceGroupID: t.ResourceGroup,
			}
			item.RouteEntrys.RouteEntry = []LegacyRouteEntry{}
			item.VSwitchIDs.VSwitchID = []string{}
			entries, err := tableEntries(ctx, tx, t)
			if err != nil {
				return err
			}
			for _, e := range entries {
				le := LegacyRouteEntry{
					RouteTableID: t.ID, RouteEntryID: e.ID, RouteEntryName: e.Name, DestinationCidrBlock: e.DestinationCidrBlock,
					Type: e.Type, Status: e.Status, NextHopType: e.NextHops[0].Type, InstanceID: e.NextHops[0].ID,
					Description: e.Description, NextHops: nextHopsOf(e),
				}
				if e.Type == cloud.RouteSystem {
					le.NextHopType = ""
				}
				item.RouteEntrys.RouteEntry = append(item.RouteEntrys.RouteEntry, le)
			}
			if t.Type == RouteTableSystem {
				vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, store.Where("vpc", t.VpcID))
				if err != nil {
					return err
				}
				for _, w := range vsws {
					item.VSwitchIDs.VSwitchID = append(item.VSwitchIDs.VSwitchID, w.ID)
				}
			}
			resp.RouteTables.RouteTable = append(resp.RouteTables.RouteTable, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
