package vpc

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerPrefixLists adds the VPC prefix list actions.
func (s *Service) registerPrefixLists(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateVpcPrefixList", s.CreateVpcPrefixList)
	rpc.Handle(t, v, "ListPrefixLists", s.ListPrefixLists)
	rpc.Handle(t, v, "GetVpcPrefixListEntries", s.GetVpcPrefixListEntries)
	rpc.Handle(t, v, "GetVpcPrefixListAssociations", s.GetVpcPrefixListAssociations)
	rpc.Handle(t, v, "ModifyVpcPrefixList", s.ModifyVpcPrefixList)
	rpc.Handle(t, v, "DeleteVpcPrefixList", s.DeleteVpcPrefixList)
}

// prefixListCreated is the status of every prefix list: changes are at once.
const prefixListCreated = "Created"

// bindEntries reads Name.N.Cidr and Name.N.Description.
func bindEntries(p *rpc.Params, name string) []cloud.VpcPrefixListEntry {
	var out []cloud.VpcPrefixListEntry
	for _, o := range p.Objects(name) {
		out = append(out, cloud.VpcPrefixListEntry{CIDR: o.String("Cidr"), Description: o.String("Description")})
	}
	return out
}

// CreateVpcPrefixListRequest is VPC CreateVpcPrefixList.
type CreateVpcPrefixListRequest struct {
	RegionID, Name, Description, IPVersion, ResourceGroupID, ClientToken string
	MaxEntries                                                           int
	Entries                                                              []cloud.VpcPrefixListEntry
	DryRun                                                               bool
	Tags                                                                 []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateVpcPrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("PrefixListName")
	r.Description = p.String("PrefixListDescription")
	r.IPVersion = p.Enum("IpVersion", "IPv4", "IPv4", "IPv6")
	r.MaxEntries = p.Int("MaxEntries", cloud.DefaultVpcPrefixListEntries, 1, cloud.MaxVpcPrefixListEntries)
	r.Entries = bindEntries(p, "PrefixListEntries")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateVpcPrefixListResponse carries the new list.
type CreateVpcPrefixListResponse struct {
	rpc.Base
	PrefixListID    string `json:"PrefixListId"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// CreateVpcPrefixList makes a list of CIDR blocks of one IP version.
func (s *Service) CreateVpcPrefixList(ctx context.Context, call *rpc.Call, req *CreateVpcPrefixListRequest) (*CreateVpcPrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateVpcPrefixListResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		l := cloud.VpcPrefixList{
			ID: s.ids.ID("pl", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description, IPVersion: req.IPVersion,
			Status: prefixListCreated, Created: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: tagging.Cloud(req.Tags),
		}
		l, err := cloud.EditVpcPrefixList(l, req.Entries, nil, req.MaxEntries)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, l); err != nil {
			return err
		}
		resp.PrefixListID, resp.ResourceGroupID = l.ID, l.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListPrefixListsRequest is VPC ListPrefixLists.
type ListPrefixListsRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListPrefixListsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("PrefixListIds")
	r.Filters = append(r.Filters, bindWhere(p, []where{{"PrefixListName", "name"}, {"ResourceGroupId", "resourceGroup"}})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.bindPaging(p)
}

// PrefixListItem is one list of ListPrefixLists.
type PrefixListItem struct {
	PrefixListID          string    `json:"PrefixListId"`
	PrefixListName        string    `json:"PrefixListName"`
	PrefixListDescription string    `json:"PrefixListDescription"`
	PrefixListStatus      string    `json:"PrefixListStatus"`
	PrefixListType        string    `json:"PrefixListType"`
	Status                string    `json:"Status"`
	IPVersion             string    `json:"IpVersion"`
	MaxEntries            int       `json:"MaxEntries"`
	CidrBlocks            []string  `json:"CidrBlocks"`
	CreationTime          string    `json:"CreationTime"`
	OwnerID               string    `json:"OwnerId"`
	RegionID              string    `json:"RegionId"`
	ResourceGroupID       string    `json:"ResourceGroupId"`
	Tags                  []TagItem `json:"Tags"`
}

// ListPrefixListsResponse pages PrefixLists[].
type ListPrefixListsResponse struct {
	rpc.Base
	PrefixLists []PrefixListItem `json:"PrefixLists"`
	MaxResults  int64            `json:"MaxResults"`
	NextToken   string           `json:"NextToken"`
	TotalCount  int64            `json:"TotalCount"`
}

// ListPrefixLists lists a region's prefix lists with their blocks.
func (s *Service) ListPrefixLists(ctx context.Context, call *rpc.Call, req *ListPrefixListsRequest) (*ListPrefixListsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListPrefixListsResponse{PrefixLists: []PrefixListItem{}, MaxResults: int64(req.Max)}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: req.Offset, Limit: req.Max, Count: true}
		list, page, err := store.Find[cloud.VpcPrefixList](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, l := range list {
			item := PrefixListItem{
				PrefixListID: l.ID, PrefixListName: l.Name, PrefixListDescription: l.Description, PrefixListStatus: l.Status,
				PrefixListType: "Custom", Status: l.Status, IPVersion: l.IPVersion, MaxEntries: l.MaxEntries, CidrBlocks: []string{},
				CreationTime: cloud.FormatSecond(l.Created), OwnerID: call.Account, RegionID: l.Region, ResourceGroupID: l.ResourceGroup,
				Tags: tagsOf(l.Tags).Tag,
			}
			for _, e := range l.Entries {
				item.CidrBlocks = append(item.CidrBlocks, e.CIDR)
			}
			resp.PrefixLists = append(resp.PrefixLists, item)
		}
		resp.TotalCount = int64(page.Total)
		resp.NextToken = req.next(len(list), page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PrefixListPageRequest is GetVpcPrefixListEntries and
// GetVpcPrefixListAssociations.
type PrefixListPageRequest struct {
	RegionID, ID string
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *PrefixListPageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
	r.bindPaging(p)
}

// PrefixListEntryItem is one block of GetVpcPrefixListEntries.
type PrefixListEntryItem struct {
	Cidr         string `json:"Cidr"`
	Description  string `json:"Description"`
	PrefixListID string `json:"PrefixListId"`
	RegionID     string `json:"RegionId"`
}

// GetVpcPrefixListEntriesResponse pages PrefixListEntry[].
type GetVpcPrefixListEntriesResponse struct {
	rpc.Base
	PrefixListEntry []PrefixListEntryItem `json:"PrefixListEntry"`
	Count           int64                 `json:"Count"`
	TotalCount      int64                 `json:"TotalCount"`
	NextToken       string                `json:"NextToken"`
}

// GetVpcPrefixListEntries pages a list's blocks in the order they were added.
func (s *Service) GetVpcPrefixListEntries(ctx context.Context, call *rpc.Call, req *PrefixListPageRequest) (*GetVpcPrefixListEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetVpcPrefixListEntriesResponse{PrefixListEntry: []PrefixListEntryItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		l, err := store.GetIn[cloud.VpcPrefixList](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.PrefixListNotFound)
		}
		from, to, next := pageOf(len(l.Entries), req.Offset, req.Max)
		page := l.Entries[from:to]
		for _, e := range page {
			resp.PrefixListEntry = append(resp.PrefixListEntry, PrefixListEntryItem{Cidr: e.CIDR, Description: e.Description, PrefixListID: l.ID, RegionID: l.Region})
		}
		resp.Count, resp.TotalCount = int64(len(page)), int64(len(l.Entries))
		resp.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PrefixListAssociationItem is one resource that refers to a list.
type PrefixListAssociationItem struct {
	PrefixListID string `json:"PrefixListId"`
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	Status       string `json:"Status"`
	RegionID     string `json:"RegionId"`
}

// GetVpcPrefixListAssociationsResponse pages PrefixListAssociation[].
type GetVpcPrefixListAssociationsResponse struct {
	rpc.Base
	PrefixListAssociation []PrefixListAssociationItem `json:"PrefixListAssociation"`
	Count                 int64                       `json:"Count"`
	TotalCount            int64                       `json:"TotalCount"`
	NextToken             string                      `json:"NextToken"`
}

// GetVpcPrefixListAssociations answers the route tables and security
// groups that refer to a list. Neither route entries nor security group
// rules take a prefix list here, so a list is never associated and the
// answer is empty (docs/network.md).
func (s *Service) GetVpcPrefixListAssociations(ctx context.Context, call *rpc.Call, req *PrefixListPageRequest) (*GetVpcPrefixListAssociationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetVpcPrefixListAssociationsResponse{PrefixListAssociation: []PrefixListAssociationItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		_, err := store.GetIn[cloud.VpcPrefixList](ctx, tx, req.RegionID, req.ID)
		return notFound(err, apierr.PrefixListNotFound)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyVpcPrefixListRequest is VPC ModifyVpcPrefixList.
type ModifyVpcPrefixListRequest struct {
	RegionID, ID      string
	Name, Description *string
	MaxEntries        *int
	Add               []cloud.VpcPrefixListEntry
	Remove            []string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *ModifyVpcPrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
	r.Name = optString(p, "PrefixListName")
	r.Description = optString(p, "PrefixListDescription")
	r.MaxEntries = p.OptInt("MaxEntries", 1, cloud.MaxVpcPrefixListEntries)
	r.Add = bindEntries(p, "AddPrefixListEntry")
	for _, e := range bindEntries(p, "RemovePrefixListEntry") {
		r.Remove = append(r.Remove, e.CIDR)
	}
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifyVpcPrefixListResponse is {RequestId}.
type ModifyVpcPrefixListResponse struct{ rpc.Base }

// ModifyVpcPrefixList removes, then adds blocks, and renames or resizes a
// list, all or nothing.
func (s *Service) ModifyVpcPrefixList(ctx context.Context, call *rpc.Call, req *ModifyVpcPrefixListRequest) (*ModifyVpcPrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := store.GetIn[cloud.VpcPrefixList](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.PrefixListNotFound)
		}
		maxEntries := l.MaxEntries
		if req.MaxEntries != nil {
			maxEntries = *req.MaxEntries
		}
		if l, err = cloud.EditVpcPrefixList(l, req.Add, req.Remove, maxEntries); err != nil {
			return err
		}
		rename(&l.Name, &l.Description, req.Name, req.Description)
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, l)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyVpcPrefixListResponse{}, nil
}

// DeleteVpcPrefixListRequest is VPC DeleteVpcPrefixList.
type DeleteVpcPrefixListRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *DeleteVpcPrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteVpcPrefixListResponse is {RequestId}.
type DeleteVpcPrefixListResponse struct{ rpc.Base }

// DeleteVpcPrefixList removes a list at once; no list is associated here,
// so none is held back.
func (s *Service) DeleteVpcPrefixList(ctx context.Context, call *rpc.Call, req *DeleteVpcPrefixListRequest) (*DeleteVpcPrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := store.GetIn[cloud.VpcPrefixList](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.PrefixListNotFound)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.VpcPrefixList](ctx, tx, l.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteVpcPrefixListResponse{}, nil
}
