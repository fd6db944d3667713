package vpc

// ModifyRouteEntry, the batch CreateRouteEntries and DeleteRouteEntries,
// and GetVpcRouteEntrySummary.

import (
	"context"
	"errors"
	"net/netip"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxBatchRouteEntries is how many entries one batch call may name.
const maxBatchRouteEntries = 50

func (s *Service) registerRouteBatch(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "ModifyRouteEntry", s.ModifyRouteEntry)
	rpc.Handle(t, v, "CreateRouteEntries", s.CreateRouteEntries)
	rpc.Handle(t, v, "DeleteRouteEntries", s.DeleteRouteEntries)
	rpc.Handle(t, v, "GetVpcRouteEntrySummary", s.GetVpcRouteEntrySummary)
}

// ModifyRouteEntryRequest is VPC ModifyRouteEntry: the entry by id, or by
// table and destination.
type ModifyRouteEntryRequest struct {
	RegionID, RouteEntryID, RouteTableID, DestinationCidrBlock string
	Name, Description                                          *string
	NewNextHopID, NewNextHopType                               string
	DryRun                                                     bool
}

// Bind implements rpc.Binder.
func (r *ModifyRouteEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.RouteEntryID = p.String("RouteEntryId")
	r.RouteTableID = p.String("RouteTableId")
	r.DestinationCidrBlock = p.String("DestinationCidrBlock")
	if r.RouteEntryID == "" {
		p.Required("RouteTableId")
		p.Required("DestinationCidrBlock")
	}
	r.Name = optString(p, "RouteEntryName")
	r.Description = optString(p, "Description")
	r.NewNextHopID = p.String("NewNextHopId")
	r.NewNextHopType = p.String("NewNextHopType")
	if r.NewNextHopType != "" && !slices.Contains(cloud.NextHopTypes, r.NewNextHopType) {
		p.Fail(apierr.InvalidNextHopType.New())
	}
	if (r.NewNextHopType == "") != (r.NewNextHopID == "") { // a next hop is its type and its id
		if r.NewNextHopID == "" {
			p.Fail(apierr.MissingParameter.New("NewNextHopId"))
		} else {
			p.Fail(apierr.MissingParameter.New("NewNextHopType"))
		}
	}
	r.DryRun = p.Bool("DryRun", false)
}

// ModifyRouteEntryResponse is the bare RequestId.
type ModifyRouteEntryResponse struct{ rpc.Base }

// ModifyRouteEntry renames a custom entry, changes its description, or
// moves it to another next hop (Modifying for the route entry delay).
// System entries are derived, not stored, so they are refused
// (OperationDenied) [choice: the cloud lets them be renamed].
func (s *Service) ModifyRouteEntry(ctx context.Context, call *rpc.Call, req *ModifyRouteEntryRequest) (*ModifyRouteEntryResponse, error) {
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
		e, err := s.findEntry(ctx, tx, &DeleteRouteEntryRequest{
			RegionID: req.RegionID, RouteEntryID: req.RouteEntryID, RouteTableID: req.RouteTableID,
		}, dest)
		if err != nil {
			return err
		}
		if e.Type == cloud.RouteSystem {
			return apierr.RouteEntryModifySystem.New().WithDetail("route entry %s is a system entry", e.ID)
		}
		if req.NewNextHopID != "" {
			t, err := store.GetIn[cloud.RouteTable](ctx, tx, e.Region, e.TableID)
			if err != nil {
				return notFound(err, apierr.InvalidRouteTableIDNotFound)
			}
			hop := cloud.NextHop{Type: req.NewNextHopType, ID: req.NewNextHopID}
			if err := checkNextHop(ctx, tx, t, hop); err != nil {
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
			if e, err = cloud.ModifyRouteNextHop(e, siblings, hop, tx.Now(), cfg.Delays); err != nil {
				return err
			}
		}
		rename(&e.Name, &e.Description, req.Name, req.Description)
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyRouteEntryResponse{}, nil
}

// batchEntry is one RouteEntries.N of a batch call.
type batchEntry struct {
	RouteTableID, DstCidrBlock, NextHop, NextHopType, Name, Description, RouteEntryID string
}

// bindBatch reads RouteEntries.N: at most 50; each needs a table, and a
// destination unless (on delete) it names the entry's id.
func bindBatch(p *rpc.Params, create bool) []batchEntry {
	objs := p.Objects("RouteEntries")
	if len(objs) > maxBatchRouteEntries {
		p.Fail(apierr.RouteEntryCountExceeded.New())
	}
	out := make([]batchEntry, 0, len(objs))
	for _, o := range objs {
		e := batchEntry{RouteTableID: o.String("RouteTableId"), DstCidrBlock: o.String("DstCidrBlock"), NextHop: o.String("NextHop")}
		if create {
			e.RouteTableID = o.Required("RouteTableId")
			e.DstCidrBlock = o.Required("DstCidrBlock")
			e.NextHop = o.Required("NextHop")
			e.NextHopType = o.Required("NextHopType")
			if e.NextHopType != "" && !slices.Contains(cloud.NextHopTypes, e.NextHopType) {
				p.Fail(apierr.InvalidNextHopType.New())
			}
			e.Name, e.Description = o.String("Name"), o.String("Description")
			if v := o.String("IpVersion"); v != "" && v != "IPv4" && v != "4" { // IPv6 routes are not modelled
				p.Fail(apierr.InvalidParameter.New(o.Name("IpVersion")))
			}
		} else {
			e.RouteEntryID = o.String("RouteEntryId")
			if e.RouteEntryID == "" {
				e.RouteTableID = o.Required("RouteTableId")
				e.DstCidrBlock = o.Required("DstCidrBlock")
			}
		}
		out = append(out, e)
	}
	return out
}

// FailedRouteEntry is one entry a batch call could not apply.
type FailedRouteEntry struct {
	DstCidrBlock  string `json:"DstCidrBlock"`
	NextHop       string `json:"NextHop"`
	FailedCode    string `json:"FailedCode"`
	FailedMessage string `json:"FailedMessage"`
	RouteEntryID  string `json:"RouteEntryId,omitempty"`
}

func failedEntry(e batchEntry, err error) (FailedRouteEntry, error) {
	var ae *apierr.Error
	if !errors.As(err, &ae) {
		return FailedRouteEntry{}, err // an internal failure fails the call
	}
	return FailedRouteEntry{DstCidrBlock: e.DstCidrBlock, NextHop: e.NextHop, FailedCode: ae.Code, FailedMessage: ae.Message, RouteEntryID: e.RouteEntryID}, nil
}

// CreateRouteEntriesRequest is VPC CreateRouteEntries.
type CreateRouteEntriesRequest struct {
	RegionID string
	Entries  []batchEntry
	DryRun   bool
}

// Bind implements rpc.Binder.
func (r *CreateRouteEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if len(p.Objects("RouteEntries")) == 0 {
		p.Required("RouteEntries.1.RouteTableId")
	}
	r.Entries = bindBatch(p, true)
	r.DryRun = p.Bool("DryRun", false)
}

// CreateRouteEntriesResponse counts what was made and what failed.
type CreateRouteEntriesResponse struct {
	rpc.Base
	SuccessCount       int                `json:"SuccessCount"`
	FailedCount        int                `json:"FailedCount"`
	RouteEntryIDs      []string           `json:"RouteEntryIds"`
	FailedRouteEntries []FailedRouteEntry `json:"FailedRouteEntries"`
}

// CreateRouteEntries adds up to 50 custom entries, each judged as
// CreateRouteEntry judges one, against the tables as the entries before it
// in the request left them. As in the cloud, an entry that fails does not
// stop the others: it is listed in FailedRouteEntries with its code. The
// entries of one call do not make each other's table busy. DryRun answers
// the first failure, or DryRunOperation when every entry would be made.
func (s *Service) CreateRouteEntries(ctx context.Context, call *rpc.Call, req *CreateRouteEntriesRequest) (*CreateRouteEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateRouteEntriesResponse{RouteEntryIDs: []string{}, FailedRouteEntries: []FailedRouteEntry{}}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		made := map[string][]cloud.RouteEntry{} // by table, this call's entries
		for _, be := range req.Entries {
			e, err := s.batchCreate(ctx, tx, req.RegionID, be, made[be.RouteTableID], cfg)
			if err != nil {
				if req.DryRun {
					return err
				}
				f, err := failedEntry(be, err)
				if err != nil {
					return err
				}
				resp.FailedRouteEntries = append(resp.FailedRouteEntries, f)
				continue
			}
			made[be.RouteTableID] = append(made[be.RouteTableID], e)
			resp.RouteEntryIDs = append(resp.RouteEntryIDs, e.ID)
			if !req.DryRun {
				if err := store.Put(ctx, tx, e); err != nil {
					return err
				}
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.SuccessCount, resp.FailedCount = len(resp.RouteEntryIDs), len(resp.FailedRouteEntries)
	return resp, nil
}

// batchCreate judges and makes one entry of CreateRouteEntries; made are
// the entries this call already made in the same table.
func (s *Service) batchCreate(ctx context.Context, tx store.Tx, region string, be batchEntry, made []cloud.RouteEntry, cfg cloud.Config) (cloud.RouteEntry, error) {
	dest, ok := parseDestination(be.DstCidrBlock)
	if !ok {
		return cloud.RouteEntry{}, apierr.InvalidCidrBlock.New()
	}
	t, err := store.GetIn[cloud.RouteTable](ctx, tx, region, be.RouteTableID)
	if err != nil {
		return cloud.RouteEntry{}, notFound(err, apierr.InvalidRouteTableIDNotFound)
	}
	v, err := store.Get[cloud.VPC](ctx, tx, t.VpcID)
	if err != nil {
		return cloud.RouteEntry{}, notFound(err, apierr.InvalidRouteTableIDNotFound)
	}
	if v.Status != cloud.NetAvailable {
		return cloud.RouteEntry{}, apierr.IncorrectVpcStatus.New()
	}
	hop := cloud.NextHop{Type: be.NextHopType, ID: be.NextHop}
	if err := checkNextHop(ctx, tx, t, hop); err != nil {
		return cloud.RouteEntry{}, err
	}
	siblings, err := store.All[cloud.RouteEntry](ctx, tx, t.Region, store.Where("table", t.ID))
	if err != nil {
		return cloud.RouteEntry{}, err
	}
	// This call's entries are counted and compared, but do not make the
	// table busy; under DryRun they were not written.
	for _, m := range made {
		if i := slices.IndexFunc(siblings, func(x cloud.RouteEntry) bool { return x.ID == m.ID }); i >= 0 {
			siblings[i].Status = cloud.RouteAvailable
		} else {
			m.Status = cloud.RouteAvailable
			siblings = append(siblings, m)
		}
	}
	vsws, err := store.All[cloud.VSwitch](ctx, tx, t.Region, store.Where("vpc", t.VpcID))
	if err != nil {
		return cloud.RouteEntry{}, err
	}
	blocks := make([]netip.Prefix, 0, len(vsws))
	for _, w := range vsws {
		if p, ok := cloud.ParseCIDR(w.CidrBlock); ok {
			blocks = append(blocks, p)
		}
	}
	return cloud.CreateRoute(t, siblings, blocks, cloud.NewRoute{
		ID: s.ids.ID("rte", region), Name: be.Name, Description: be.Description, Destination: dest, NextHop: hop,
	}, tx.Now(), cfg.Delays)
}

// DeleteRouteEntriesRequest is VPC DeleteRouteEntries.
type DeleteRouteEntriesRequest struct {
	RegionID string
	Entries  []batchEntry
	DryRun   bool
}

// Bind implements rpc.Binder.
func (r *DeleteRouteEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Entries = bindBatch(p, false)
	if len(r.Entries) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("RouteEntries.N"))
	}
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteRouteEntriesResponse counts what was deleted and what failed.
type DeleteRouteEntriesResponse struct {
	rpc.Base
	SuccessCount       int                `json:"SuccessCount"`
	FailedCount        int                `json:"FailedCount"`
	FailedRouteEntries []FailedRouteEntry `json:"FailedRouteEntries"`
}

// DeleteRouteEntries starts deleting up to 50 custom entries, each judged
// as DeleteRouteEntry judges one (the entries of one call do not make each
// other's table busy); failures are listed, the rest deleted.
func (s *Service) DeleteRouteEntries(ctx context.Context, call *rpc.Call, req *DeleteRouteEntriesRequest) (*DeleteRouteEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DeleteRouteEntriesResponse{FailedRouteEntries: []FailedRouteEntry{}}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		deleting := map[string]bool{}
		for _, be := range req.Entries {
			next, err := s.batchDelete(ctx, tx, req.RegionID, be, deleting, cfg)
			if err != nil {
				if req.DryRun {
					return err
				}
				f, err := failedEntry(be, err)
				if err != nil {
					return err
				}
				resp.FailedRouteEntries = append(resp.FailedRouteEntries, f)
				continue
			}
			deleting[next.ID] = true
			resp.SuccessCount++
			if !req.DryRun {
				if err := store.Put(ctx, tx, next); err != nil {
					return err
				}
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.FailedCount = len(resp.FailedRouteEntries)
	return resp, nil
}

// batchDelete judges one entry of DeleteRouteEntries; deleting are the
// entries this call already started deleting.
func (s *Service) batchDelete(ctx context.Context, tx store.Tx, region string, be batchEntry, deleting map[string]bool, cfg cloud.Config) (cloud.RouteEntry, error) {
	var dest netip.Prefix
	if be.DstCidrBlock != "" {
		var ok bool
		if dest, ok = parseDestination(be.DstCidrBlock); !ok {
			return cloud.RouteEntry{}, apierr.InvalidCidrBlock.New()
		}
	}
	e, err := s.findEntry(ctx, tx, &DeleteRouteEntryRequest{
		RegionID: region, RouteEntryID: be.RouteEntryID, RouteTableID: be.RouteTableID, NextHopID: be.NextHop,
	}, dest)
	if err != nil {
		return e, err
	}
	if deleting[e.ID] {
		return e, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s is named twice", e.ID)
	}
	siblings, err := store.All[cloud.RouteEntry](ctx, tx, e.Region, store.Where("table", e.TableID))
	if err != nil {
		return e, err
	}
	siblings = slices.DeleteFunc(siblings, func(x cloud.RouteEntry) bool { return deleting[x.ID] })
	return cloud.DeleteRoute(e, siblings, tx.Now(), cfg.Delays)
}

// GetVpcRouteEntrySummaryRequest is VPC GetVpcRouteEntrySummary.
type GetVpcRouteEntrySummaryRequest struct {
	RegionID, VpcID, RouteTableID, RouteEntryType string
}

// Bind implements rpc.Binder.
func (r *GetVpcRouteEntrySummaryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.RouteEntryType = p.Required("RouteEntryType")
	if r.RouteEntryType != "" && !slices.Contains([]string{"All", "Custom", "System", "BGP", "CEN"}, r.RouteEntryType) {
		p.Fail(apierr.InvalidParameter.New("RouteEntryType"))
	}
	r.RouteTableID = p.String("RouteTableId")
}

// EntrySummary counts one type of entry.
type EntrySummary struct {
	RouteEntryType string `json:"RouteEntryType"`
	Count          int    `json:"Count"`
}

// RouteEntrySummary is one route table's counts.
type RouteEntrySummary struct {
	RouteTableID  string         `json:"RouteTableId"`
	EntrySummarys []EntrySummary `json:"EntrySummarys"`
}

// GetVpcRouteEntrySummaryResponse lists the counts per table.
type GetVpcRouteEntrySummaryResponse struct {
	rpc.Base
	RouteEntrySummarys []RouteEntrySummary `json:"RouteEntrySummarys"`
}

// GetVpcRouteEntrySummary counts the entries of the VPC's route tables
// (or of one) by type. BGP and CEN routes are not modelled: their count is 0.
func (s *Service) GetVpcRouteEntrySummary(ctx context.Context, call *rpc.Call, req *GetVpcRouteEntrySummaryRequest) (*GetVpcRouteEntrySummaryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	types := []string{req.RouteEntryType}
	if req.RouteEntryType == "All" {
		types = []string{cloud.RouteCustom, cloud.RouteSystem, "BGP", "CEN"}
	}
	resp := &GetVpcRouteEntrySummaryResponse{RouteEntrySummarys: []RouteEntrySummary{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		tables, err := store.All[cloud.RouteTable](ctx, tx, v.Region, store.Where("vpc", v.ID))
		if err != nil {
			return err
		}
		if req.RouteTableID != "" {
			tables = slices.DeleteFunc(tables, func(t cloud.RouteTable) bool { return t.ID != req.RouteTableID })
			if len(tables) == 0 {
				return apierr.InvalidRouteTableIDNotFound.New()
			}
		}
		for _, t := range tables {
			entries, err := tableEntries(ctx, tx, t)
			if err != nil {
				return err
			}
			sum := RouteEntrySummary{RouteTableID: t.ID, EntrySummarys: []EntrySummary{}}
			for _, typ := range types {
				n := 0
				for _, e := range entries {
					if e.Type == typ {
						n++
					}
				}
				sum.EntrySummarys = append(sum.EntrySummarys, EntrySummary{RouteEntryType: typ, Count: n})
			}
			resp.RouteEntrySummarys = append(resp.RouteEntrySummarys, sum)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
