package ecs

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerPortRangeLists adds the port range list actions.
func (s *Service) registerPortRangeLists(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreatePortRangeList", s.CreatePortRangeList)
	rpc.Handle(t, v, "ModifyPortRangeList", s.ModifyPortRangeList)
	rpc.Handle(t, v, "DeletePortRangeList", s.DeletePortRangeList)
	rpc.Handle(t, v, "DescribePortRangeLists", s.DescribePortRangeLists)
	rpc.Handle(t, v, "DescribePortRangeListEntries", s.DescribePortRangeListEntries)
	rpc.Handle(t, v, "DescribePortRangeListAssociations", s.DescribePortRangeListAssociations)
}

// bindPortEntries reads Entry.N (or AddEntry.N): TCP/UDP ranges
// ("from/to", 1 to 65535), none twice.
func bindPortEntries(p *rpc.Params, name string) []cloud.PortRangeEntry {
	var out []cloud.PortRangeEntry
	for i, q := range p.Objects(name) {
		e := cloud.PortRangeEntry{PortRange: q.String("PortRange"), Description: q.String("Description")}
		param := fmt.Sprintf("%s.%d.PortRange", name, i+1)
		switch {
		case e.PortRange == "":
			p.Fail(apierr.MissingParameter.New(param))
		case !validSGPortRange("TCP", e.PortRange),
			slices.ContainsFunc(out, func(x cloud.PortRangeEntry) bool { return x.PortRange == e.PortRange }):
			p.Fail(apierr.InvalidParameter.New(param))
		}
		if e.Description != "" && !validDescription(e.Description, 32) {
			p.Fail(apierr.InvalidParameter.New(fmt.Sprintf("%s.%d.Description", name, i+1)))
		}
		out = append(out, e)
	}
	return out
}

// CreatePortRangeListRequest makes a port range list.
type CreatePortRangeListRequest struct {
	RegionID, Name, Description, ResourceGroupID, ClientToken string
	MaxEntries                                                int
	Entries                                                   []cloud.PortRangeEntry
	Tags                                                      []rpc.Tag
	fingerprint                                               string
}

// Bind implements rpc.Binder.
func (r *CreatePortRangeListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("PortRangeListName")
	p.Required("MaxEntries")
	if r.Name != "" && !validPrefixListName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("PortRangeListName"))
	}
	r.MaxEntries = p.Int("MaxEntries", 0, 1, cloud.MaxPortRangeListEntries)
	r.Description = p.String("Description")
	if r.Description != "" && !validDescription(r.Description, 256) {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.Entries = bindPortEntries(p, "Entry")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = bindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreatePortRangeListResponse names the new list.
type CreatePortRangeListResponse struct {
	rpc.Base
	PortRangeListID string `json:"PortRangeListId"`
}

// CreatePortRangeList makes a list of up to MaxEntries port ranges.
func (s *Service) CreatePortRangeList(ctx context.Context, call *rpc.Call, req *CreatePortRangeListRequest) (*CreatePortRangeListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if len(req.Entries) > req.MaxEntries {
		return nil, apierr.PrefixListEntriesExceed.New()
	}
	resp := &CreatePortRangeListResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		l := cloud.PortRangeList{
			ID: s.ids.ID("prl", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			MaxEntries: req.MaxEntries, Entries: req.Entries, ResourceGroup: req.ResourceGroupID, Tags: cloudTags(req.Tags), Created: tx.Now(),
		}
		if err := store.Put(ctx, tx, l); err != nil {
			return err
		}
		resp.PortRangeListID = l.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func loadPortRangeList(ctx context.Context, tx store.Tx, region, id string) (cloud.PortRangeList, error) {
	l, err := store.GetIn[cloud.PortRangeList](ctx, tx, region, id)
	return l, notFound(err, apierr.PortRangeListNotFound)
}

// ModifyPortRangeListRequest renames a list and adds and removes ranges.
type ModifyPortRangeListRequest struct {
	RegionID, ID      string
	Name, Description *string
	Add               []cloud.PortRangeEntry
	Remove            []string
}

// Bind implements rpc.Binder.
func (r *ModifyPortRangeListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PortRangeListId")
	if r.Name = optString(p, "PortRangeListName"); r.Name != nil && !validPrefixListName(*r.Name) {
		p.Fail(apierr.InvalidParameter.New("PortRangeListName"))
	}
	if r.Description = optString(p, "Description"); r.Description != nil && *r.Description != "" && !validDescription(*r.Description, 256) {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.Add = bindPortEntries(p, "AddEntry")
	for i, q := range p.Objects("RemoveEntry") {
		pr := q.String("PortRange")
		if pr == "" {
			p.Fail(apierr.MissingParameter.New(fmt.Sprintf("RemoveEntry.%d.PortRange", i+1)))
		}
		r.Remove = append(r.Remove, pr)
	}
	p.ClientToken()
}

// ModifyPortRangeListResponse is {RequestId}.
type ModifyPortRangeListResponse struct{ rpc.Base }

// ModifyPortRangeList removes RemoveEntry.N (each must be an entry), then
// adds AddEntry.N (not already there), within MaxEntries.
func (s *Service) ModifyPortRangeList(ctx context.Context, call *rpc.Call, req *ModifyPortRangeListRequest) (*ModifyPortRangeListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPortRangeList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		entries := slices.Clone(l.Entries)
		for i, pr := range req.Remove {
			j := slices.IndexFunc(entries, func(e cloud.PortRangeEntry) bool { return e.PortRange == pr })
			if j < 0 {
				return apierr.InvalidParameter.New(fmt.Sprintf("RemoveEntry.%d.PortRange", i+1))
			}
			entries = slices.Delete(entries, j, j+1)
		}
		for i, e := range req.Add {
			if slices.ContainsFunc(entries, func(x cloud.PortRangeEntry) bool { return x.PortRange == e.PortRange }) {
				return apierr.InvalidParameter.New(fmt.Sprintf("AddEntry.%d.PortRange", i+1))
			}
			entries = append(entries, e)
		}
		if len(entries) > l.MaxEntries {
			return apierr.PrefixListEntriesExceed.New()
		}
		l.Entries = entries
		if req.Name != nil {
			l.Name = *req.Name
		}
		if req.Description != nil {
			l.Description = *req.Description
		}
		return store.Put(ctx, tx, l)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyPortRangeListResponse{}, nil
}

// DeletePortRangeListRequest names a list.
type DeletePortRangeListRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DeletePortRangeListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PortRangeListId")
}

// DeletePortRangeListResponse is {RequestId}.
type DeletePortRangeListResponse struct{ rpc.Base }

// DeletePortRangeList removes a list no security group rule names.
func (s *Service) DeletePortRangeList(ctx context.Context, call *rpc.Call, req *DeletePortRangeListRequest) (*DeletePortRangeListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPortRangeList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		n, err := store.Count[cloud.SecurityGroup](ctx, tx, l.Region, store.Where(string(cloud.IdxPortRangeList), l.ID))
		if err != nil {
			return err
		}
		if n > 0 {
			return apierr.PortRangeListInUse.New().WithDetail("%d security group(s) name %s", n, l.ID)
		}
		return store.Delete[cloud.PortRangeList](ctx, tx, l.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeletePortRangeListResponse{}, nil
}

// DescribePortRangeListsRequest filters lists; it pages by token.
type DescribePortRangeListsRequest struct {
	RegionID   string
	IDs        []string
	Filters    []store.Filter
	MaxResults int
	AfterSeq   int64
}

// Bind implements rpc.Binder.
func (r *DescribePortRangeListsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("PortRangeListId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("PortRangeListId"))
	}
	if v := p.String("PortRangeListName"); v != "" {
		r.Filters = append(r.Filters, store.Where(string(cloud.IdxName), v))
	}
	if v := p.String("ResourceGroupId"); v != "" {
		r.Filters = append(r.Filters, store.Where(string(cloud.IdxResourceGroup), v))
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = nextToken(p)
}

// PortRangeListItem is one list of DescribePortRangeLists.
type PortRangeListItem struct {
	PortRangeListID   string    `json:"PortRangeListId"`
	PortRangeListName string    `json:"PortRangeListName"`
	Description       string    `json:"Description"`
	MaxEntries        int       `json:"MaxEntries"`
	AssociationCount  int       `json:"AssociationCount"`
	CreationTime      string    `json:"CreationTime"`
	ResourceGroupID   string    `json:"ResourceGroupId"`
	Tags              []TagItem `json:"Tags"`
}

// DescribePortRangeListsResponse lists PortRangeLists[].
type DescribePortRangeListsResponse struct {
	rpc.Base
	NextToken      string              `json:"NextToken"`
	PortRangeLists []PortRangeListItem `json:"PortRangeLists"`
}

// DescribePortRangeLists lists the region's port range lists with how many
// security groups name each.
func (s *Service) DescribePortRangeLists(ctx context.Context, call *rpc.Call, req *DescribePortRangeListsRequest) (*DescribePortRangeListsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePortRangeListsResponse{PortRangeLists: []PortRangeListItem{}}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, AfterSeq: req.AfterSeq, Limit: req.MaxResults}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.PortRangeList](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, l := range list {
			n, err := store.Count[cloud.SecurityGroup](ctx, tx, l.Region, store.Where(string(cloud.IdxPortRangeList), l.ID))
			if err != nil {
				return err
			}
			resp.PortRangeLists = append(resp.PortRangeLists, PortRangeListItem{
				PortRangeListID: l.ID, PortRangeListName: l.Name, Description: l.Description, MaxEntries: l.MaxEntries,
				AssociationCount: n, CreationTime: cloud.FormatSecond(l.Created), ResourceGroupID: l.ResourceGroup, Tags: tagsOf(l.Tags).Tag,
			})
		}
		if page.More && len(page.Records) > 0 {
			resp.NextToken = encodeNextToken(page.Records[len(page.Records)-1].Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribePortRangeListEntriesRequest names a list.
type DescribePortRangeListEntriesRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DescribePortRangeListEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PortRangeListId")
}

// PortRangeEntryItem is one entry of DescribePortRangeListEntries.
type PortRangeEntryItem struct {
	PortRange   string `json:"PortRange"`
	Description string `json:"Description"`
}

// DescribePortRangeListEntriesResponse lists Entries[].
type DescribePortRangeListEntriesResponse struct {
	rpc.Base
	Entries []PortRangeEntryItem `json:"Entries"`
}

// DescribePortRangeListEntries answers a list's ranges.
func (s *Service) DescribePortRangeListEntries(ctx context.Context, call *rpc.Call, req *DescribePortRangeListEntriesRequest) (*DescribePortRangeListEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePortRangeListEntriesResponse{Entries: []PortRangeEntryItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPortRangeList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		for _, e := range l.Entries {
			resp.Entries = append(resp.Entries, PortRangeEntryItem(e))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribePortRangeListAssociationsRequest names a list; it pages by token.
type DescribePortRangeListAssociationsRequest struct {
	RegionID, ID string
	MaxResults   int
	AfterSeq     int64
}

// Bind implements rpc.Binder.
func (r *DescribePortRangeListAssociationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PortRangeListId")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = nextToken(p)
}

// DescribePortRangeListAssociationsResponse lists PortRangeListAssociations[].
type DescribePortRangeListAssociationsResponse struct {
	rpc.Base
	NextToken                 string                  `json:"NextToken"`
	PortRangeListAssociations []PrefixListAssociation `json:"PortRangeListAssociations"`
}

// DescribePortRangeListAssociations lists the security groups whose rules
// name the list, through the groups' "portRangeList" index.
func (s *Service) DescribePortRangeListAssociations(ctx context.Context, call *rpc.Call, req *DescribePortRangeListAssociationsRequest) (*DescribePortRangeListAssociationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePortRangeListAssociationsResponse{PortRangeListAssociations: []PrefixListAssociation{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPortRangeList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		q := store.Query{Region: l.Region, Filters: []store.Filter{store.Where(string(cloud.IdxPortRangeList), l.ID)}, AfterSeq: req.AfterSeq, Limit: req.MaxResults}
		groups, page, err := store.Find[cloud.SecurityGroup](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, g := range groups {
			resp.PortRangeListAssociations = append(resp.PortRangeListAssociations, PrefixListAssociation{ResourceID: g.ID, ResourceType: "securitygroup"})
		}
		if page.More && len(page.Records) > 0 {
			resp.NextToken = encodeNextToken(page.Records[len(page.Records)-1].Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
