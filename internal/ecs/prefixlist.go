package ecs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerPrefixLists adds the prefix list actions.
func (s *Service) registerPrefixLists(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreatePrefixList", s.CreatePrefixList)
	rpc.Handle(t, v, "ModifyPrefixList", s.ModifyPrefixList)
	rpc.Handle(t, v, "DeletePrefixList", s.DeletePrefixList)
	rpc.Handle(t, v, "DescribePrefixLists", s.DescribePrefixLists)
	rpc.Handle(t, v, "DescribePrefixListAttributes", s.DescribePrefixListAttributes)
	rpc.Handle(t, v, "DescribePrefixListAssociations", s.DescribePrefixListAssociations)
}

// validPrefixListName: 2 to 128 characters, starting with a letter, not
// with http://, https:// or com.aliyun (names the cloud keeps for itself).
func validPrefixListName(n string) bool {
	return validSGName(n) && !strings.HasPrefix(n, "com.aliyun")
}

// bindEntries reads Entry.N (or AddEntry.N): canonical CIDR blocks, none twice.
func bindEntries(p *rpc.Params, name string) []cloud.PrefixListEntry {
	var out []cloud.PrefixListEntry
	for i, q := range p.Objects(name) {
		e := cloud.PrefixListEntry{Cidr: q.String("Cidr"), Description: q.String("Description")}
		param := fmt.Sprintf("%s.%d.Cidr", name, i+1)
		switch {
		case e.Cidr == "":
			p.Fail(apierr.MissingParameter.New(param))
		case cloud.PrefixCidrFamily(e.Cidr) == "":
			p.Fail(apierr.InvalidParameter.New(param))
		case slices.ContainsFunc(out, func(x cloud.PrefixListEntry) bool { return x.Cidr == e.Cidr }):
			p.Fail(apierr.InvalidParameter.New(param))
		}
		if e.Description != "" && !validDescription(e.Description, 32) {
			p.Fail(apierr.InvalidParameter.New(fmt.Sprintf("%s.%d.Description", name, i+1)))
		}
		out = append(out, e)
	}
	return out
}

// checkFamily refuses entries of another address family than family.
func checkFamily(entries []cloud.PrefixListEntry, family, name string) error {
	for i, e := range entries {
		if cloud.PrefixCidrFamily(e.Cidr) != family {
			return apierr.InvalidParameter.New(fmt.Sprintf("%s.%d.Cidr", name, i+1))
		}
	}
	return nil
}

// CreatePrefixListRequest makes a prefix list.
type CreatePrefixListRequest struct {
	RegionID, Name, Description, AddressFamily, ResourceGroupID, ClientToken string
	MaxEntries                                                               int
	Entries                                                                  []cloud.PrefixListEntry
	Tags                                                                     []rpc.Tag
	fingerprint                                                              string
}

// Bind implements rpc.Binder.
func (r *CreatePrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("PrefixListName")
	r.AddressFamily = p.Required("AddressFamily")
	p.Required("MaxEntries")
	if r.Name != "" && !validPrefixListName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("PrefixListName"))
	}
	if r.AddressFamily != "" && r.AddressFamily != "IPv4" && r.AddressFamily != "IPv6" {
		p.Fail(apierr.InvalidParameter.New("AddressFamily"))
	}
	r.MaxEntries = p.Int("MaxEntries", 0, 1, cloud.MaxPrefixListEntries)
	r.Description = p.String("Description")
	if r.Description != "" && !validDescription(r.Description, 256) {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.Entries = bindEntries(p, "Entry")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = bindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreatePrefixListResponse names the new list.
type CreatePrefixListResponse struct {
	rpc.Base
	PrefixListID string `json:"PrefixListId"`
}

// CreatePrefixList makes a list of up to MaxEntries blocks of one family.
func (s *Service) CreatePrefixList(ctx context.Context, call *rpc.Call, req *CreatePrefixListRequest) (*CreatePrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if err := checkFamily(req.Entries, req.AddressFamily, "Entry"); err != nil {
		return nil, err
	}
	if len(req.Entries) > req.MaxEntries {
		return nil, apierr.PrefixListEntriesExceed.New()
	}
	resp := &CreatePrefixListResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		l := cloud.PrefixList{
			ID: s.ids.ID("pl", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			AddressFamily: req.AddressFamily, MaxEntries: req.MaxEntries, Entries: req.Entries,
			ResourceGroup: req.ResourceGroupID, Tags: cloudTags(req.Tags), Created: tx.Now(),
		}
		if err := store.Put(ctx, tx, l); err != nil {
			return err
		}
		resp.PrefixListID = l.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// loadPrefixList reads a prefix list of region.
func loadPrefixList(ctx context.Context, tx store.Tx, region, id string) (cloud.PrefixList, error) {
	l, err := store.GetIn[cloud.PrefixList](ctx, tx, region, id)
	return l, notFound(err, apierr.PrefixListNotFound)
}

// ModifyPrefixListRequest renames a list and adds and removes entries.
type ModifyPrefixListRequest struct {
	RegionID, ID      string
	Name, Description *string
	Add               []cloud.PrefixListEntry
	Remove            []string
}

// Bind implements rpc.Binder.
func (r *ModifyPrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
	if r.Name = optString(p, "PrefixListName"); r.Name != nil && !validPrefixListName(*r.Name) {
		p.Fail(apierr.InvalidParameter.New("PrefixListName"))
	}
	if r.Description = optString(p, "Description"); r.Description != nil && *r.Description != "" && !validDescription(*r.Description, 256) {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.Add = bindEntries(p, "AddEntry")
	for i, q := range p.Objects("RemoveEntry") {
		c := q.String("Cidr")
		if c == "" {
			p.Fail(apierr.MissingParameter.New(fmt.Sprintf("RemoveEntry.%d.Cidr", i+1)))
		}
		r.Remove = append(r.Remove, c)
	}
}

// ModifyPrefixListResponse is {RequestId}.
type ModifyPrefixListResponse struct{ rpc.Base }

// ModifyPrefixList removes RemoveEntry.N (each must be an entry) and adds
// AddEntry.N (of the list's family, not already there), within MaxEntries;
// the rules that name the list follow it.
func (s *Service) ModifyPrefixList(ctx context.Context, call *rpc.Call, req *ModifyPrefixListRequest) (*ModifyPrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPrefixList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		entries := slices.Clone(l.Entries)
		for i, c := range req.Remove {
			j := slices.IndexFunc(entries, func(e cloud.PrefixListEntry) bool { return e.Cidr == c })
			if j < 0 {
				return apierr.InvalidParameter.New(fmt.Sprintf("RemoveEntry.%d.Cidr", i+1))
			}
			entries = slices.Delete(entries, j, j+1)
		}
		if err := checkFamily(req.Add, l.AddressFamily, "AddEntry"); err != nil {
			return err
		}
		for i, e := range req.Add {
			if slices.ContainsFunc(entries, func(x cloud.PrefixListEntry) bool { return x.Cidr == e.Cidr }) {
				return apierr.InvalidParameter.New(fmt.Sprintf("AddEntry.%d.Cidr", i+1))
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
	return &ModifyPrefixListResponse{}, nil
}

// DeletePrefixListRequest names a list.
type DeletePrefixListRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DeletePrefixListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
}

// DeletePrefixListResponse is {RequestId}.
type DeletePrefixListResponse struct{ rpc.Base }

// DeletePrefixList removes a list no security group rule names
// (DependencyViolation.PrefixList otherwise).
func (s *Service) DeletePrefixList(ctx context.Context, call *rpc.Call, req *DeletePrefixListRequest) (*DeletePrefixListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPrefixList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		n, err := store.Count[cloud.SecurityGroup](ctx, tx, l.Region, store.Where(string(cloud.IdxPrefixList), l.ID))
		if err != nil {
			return err
		}
		if n > 0 {
			return apierr.PrefixListInUse.New().WithDetail("%d security group(s) name %s", n, l.ID)
		}
		return store.Delete[cloud.PrefixList](ctx, tx, l.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeletePrefixListResponse{}, nil
}

// DescribePrefixListsRequest filters lists; it pages by token.
type DescribePrefixListsRequest struct {
	RegionID   string
	IDs        []string
	Filters    []store.Filter
	MaxResults int
	AfterSeq   int64
}

// Bind implements rpc.Binder.
func (r *DescribePrefixListsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("PrefixListId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("PrefixListId"))
	}
	if v := p.Enum("AddressFamily", "", "IPv4", "IPv6"); v != "" {
		r.Filters = append(r.Filters, store.Where(string(cloud.IdxIPVersion), v))
	}
	if v := p.String("PrefixListName"); v != "" {
		r.Filters = append(r.Filters, store.Where(string(cloud.IdxName), v))
	}
	if v := p.String("ResourceGroupId"); v != "" {
		r.Filters = append(r.Filters, store.Where(string(cloud.IdxResourceGroup), v))
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = nextToken(p)
}

// PrefixListItem is one list of DescribePrefixLists.
type PrefixListItem struct {
	PrefixListID     string `json:"PrefixListId"`
	PrefixListName   string `json:"PrefixListName"`
	Description      string `json:"Description"`
	AddressFamily    string `json:"AddressFamily"`
	MaxEntries       int    `json:"MaxEntries"`
	AssociationCount int    `json:"AssociationCount"`
	CreationTime     string `json:"CreationTime"`
	ResourceGroupID  string `json:"ResourceGroupId"`
	Tags             Tags   `json:"Tags"`
}

// DescribePrefixListsResponse wraps PrefixLists.PrefixList[].
type DescribePrefixListsResponse struct {
	rpc.Base
	NextToken   string `json:"NextToken"`
	PrefixLists struct {
		PrefixList []PrefixListItem `json:"PrefixList"`
	} `json:"PrefixLists"`
}

// associations are the security groups whose rules name the list.
func associations(ctx context.Context, tx store.Tx, l cloud.PrefixList) ([]cloud.SecurityGroup, error) {
	return store.AllShared[cloud.SecurityGroup](ctx, tx, l.Region, store.Where(string(cloud.IdxPrefixList), l.ID))
}

// DescribePrefixLists lists the region's lists with how many security
// groups name each.
func (s *Service) DescribePrefixLists(ctx context.Context, call *rpc.Call, req *DescribePrefixListsRequest) (*DescribePrefixListsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePrefixListsResponse{}
	resp.PrefixLists.PrefixList = []PrefixListItem{}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, AfterSeq: req.AfterSeq, Limit: req.MaxResults}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.PrefixList](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, l := range list {
			groups, err := associations(ctx, tx, l)
			if err != nil {
				return err
			}
			resp.PrefixLists.PrefixList = append(resp.PrefixLists.PrefixList, PrefixListItem{
				PrefixListID: l.ID, PrefixListName: l.Name, Description: l.Description, AddressFamily: l.AddressFamily,
				MaxEntries: l.MaxEntries, AssociationCount: len(groups), CreationTime: cloud.FormatSecond(l.Created),
				ResourceGroupID: l.ResourceGroup, Tags: tagsOf(l.Tags),
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

// DescribePrefixListAttributesRequest names a list.
type DescribePrefixListAttributesRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DescribePrefixListAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
}

// PrefixListEntryItem is one entry of DescribePrefixListAttributes.
type PrefixListEntryItem struct {
	Cidr        string `json:"Cidr"`
	Description string `json:"Description"`
}

// DescribePrefixListAttributesResponse is one list with its entries.
type DescribePrefixListAttributesResponse struct {
	rpc.Base
	PrefixListID   string `json:"PrefixListId"`
	PrefixListName string `json:"PrefixListName"`
	Description    string `json:"Description"`
	AddressFamily  string `json:"AddressFamily"`
	MaxEntries     int    `json:"MaxEntries"`
	CreationTime   string `json:"CreationTime"`
	Entries        struct {
		Entry []PrefixListEntryItem `json:"Entry"`
	} `json:"Entries"`
}

// DescribePrefixListAttributes answers a list and its entries.
func (s *Service) DescribePrefixListAttributes(ctx context.Context, call *rpc.Call, req *DescribePrefixListAttributesRequest) (*DescribePrefixListAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePrefixListAttributesResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPrefixList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		resp.PrefixListID, resp.PrefixListName, resp.Description, resp.AddressFamily = l.ID, l.Name, l.Description, l.AddressFamily
		resp.MaxEntries, resp.CreationTime = l.MaxEntries, cloud.FormatSecond(l.Created)
		resp.Entries.Entry = []PrefixListEntryItem{}
		for _, e := range l.Entries {
			resp.Entries.Entry = append(resp.Entries.Entry, PrefixListEntryItem(e))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribePrefixListAssociationsRequest names a list; it pages by token.
type DescribePrefixListAssociationsRequest struct {
	RegionID, ID string
	MaxResults   int
	AfterSeq     int64
}

// Bind implements rpc.Binder.
func (r *DescribePrefixListAssociationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PrefixListId")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = nextToken(p)
}

// PrefixListAssociation is a resource that names a list.
type PrefixListAssociation struct {
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
}

// DescribePrefixListAssociationsResponse wraps PrefixListAssociations.PrefixListAssociation[].
type DescribePrefixListAssociationsResponse struct {
	rpc.Base
	NextToken              string `json:"NextToken"`
	PrefixListAssociations struct {
		PrefixListAssociation []PrefixListAssociation `json:"PrefixListAssociation"`
	} `json:"PrefixListAssociations"`
}

// DescribePrefixListAssociations lists the security groups whose rules
// name the list, through the groups' "prefixList" index.
func (s *Service) DescribePrefixListAssociations(ctx context.Context, call *rpc.Call, req *DescribePrefixListAssociationsRequest) (*DescribePrefixListAssociationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribePrefixListAssociationsResponse{}
	resp.PrefixListAssociations.PrefixListAssociation = []PrefixListAssociation{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		l, err := loadPrefixList(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		q := store.Query{Region: l.Region, Filters: []store.Filter{store.Where(string(cloud.IdxPrefixList), l.ID)}, AfterSeq: req.AfterSeq, Limit: req.MaxResults}
		groups, page, err := store.Find[cloud.SecurityGroup](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, g := range groups {
			resp.PrefixListAssociations.PrefixListAssociation = append(resp.PrefixListAssociations.PrefixListAssociation,
				PrefixListAssociation{ResourceID: g.ID, ResourceType: "securitygroup"})
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
