package slb

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxACLEntriesCall is how many entries one Add/RemoveAccessControlListEntry
// call may name (the references' limit).
const maxACLEntriesCall = 50

// splitIDs reads a comma-separated id list.
func splitIDs(raw string) []string {
	var out []string
	for _, id := range strings.Split(raw, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// aclEntries reads AclEntrys, a JSON array of {"entry":"cidr","comment":"…"};
// the CIDR blocks are judged against the ACL's IP version when it is read.
func aclEntries(p *rpc.Params, required bool) []cloud.ACLEntry {
	var raw string
	if required {
		raw = p.Required("AclEntrys")
	} else {
		raw = p.String("AclEntrys")
	}
	if raw = strings.TrimSpace(raw); raw == "" {
		p.Fail(apierr.ACLEntryEmpty.New())
		return nil
	}
	var items []struct {
		Entry   string `json:"entry"`
		Comment string `json:"comment"`
	}
	if err := json.Unmarshal([]byte(singleQuoted(raw)), &items); err != nil {
		p.Fail(apierr.InvalidParameter.New("AclEntrys"))
		return nil
	}
	if len(items) == 0 {
		p.Fail(apierr.ACLEntryEmpty.New())
		return nil
	}
	if len(items) > maxACLEntriesCall {
		p.Fail(apierr.InvalidParameter.New("AclEntrys"))
		return nil
	}
	out := make([]cloud.ACLEntry, 0, len(items))
	for _, it := range items {
		out = append(out, cloud.ACLEntry{CIDR: strings.TrimSpace(it.Entry), Comment: it.Comment})
	}
	return out
}

// normalEntries checks each entry's block against the ACL's IP version.
func normalEntries(a cloud.ACL, in []cloud.ACLEntry) ([]cloud.ACLEntry, error) {
	out := make([]cloud.ACLEntry, 0, len(in))
	for _, e := range in {
		cidr, ok := cloud.CheckACLEntry(a.AddressIPVersion, e.CIDR)
		if !ok {
			return nil, apierr.InvalidParameter.New("AclEntrys").WithDetail("entry %q is not an %s block", e.CIDR, a.AddressIPVersion)
		}
		out = append(out, cloud.ACLEntry{CIDR: cidr, Comment: e.Comment})
	}
	return out, nil
}

func acl(ctx context.Context, tx store.Tx, region, id string) (cloud.ACL, error) {
	a, err := store.GetIn[cloud.ACL](ctx, tx, region, id)
	if err != nil {
		return a, notFound(err, apierr.ACLNotFound)
	}
	return a, nil
}

// checkACLName refuses a name another ACL of the region has.
func checkACLName(ctx context.Context, tx store.Tx, region, name, self string) error {
	q := store.Query{Region: region, Filters: []store.Filter{store.Where(string(cloud.IdxName), name)}, Limit: 2}
	same, _, err := store.Find[cloud.ACL](ctx, tx, q)
	if err != nil {
		return err
	}
	for _, a := range same {
		if a.ID != self {
			return apierr.ACLNameExists.New().WithDetail("%s is named %q", a.ID, name)
		}
	}
	return nil
}

// CreateAccessControlListRequest is CreateAccessControlList.
type CreateAccessControlListRequest struct {
	RegionID, Name, AddressIPVersion, ResourceGroupID string
}

// Bind implements rpc.Binder.
func (r *CreateAccessControlListRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("AclName")
	r.AddressIPVersion = p.Enum("AddressIPVersion", "ipv4", "ipv4", "ipv6")
	r.ResourceGroupID = p.String("ResourceGroupId")
}

// CreateAccessControlListResponse carries the new ACL's id.
type CreateAccessControlListResponse struct {
	rpc.Base
	AclID string `json:"AclId"`
}

// CreateAccessControlList makes an empty ACL; names are unique per region.
func (s *Service) CreateAccessControlList(ctx context.Context, call *rpc.Call, req *CreateAccessControlListRequest) (*CreateAccessControlListResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateAccessControlListResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if err := checkACLName(ctx, tx, req.RegionID, req.Name, ""); err != nil {
			return err
		}
		a := cloud.ACL{ID: s.ids.ID("acl", req.RegionID), Region: req.RegionID, Name: req.Name, AddressIPVersion: req.AddressIPVersion,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Created: tx.Now()}
		resp.AclID = a.ID
		return store.Put(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ACLRequest names one ACL.
type ACLRequest struct{ RegionID, AclID string }

// Bind implements rpc.Binder.
func (r *ACLRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.AclID = p.Required("AclId")
}

// aclUsers are the load balancers with a listener naming the ACL.
func aclUsers(ctx context.Context, tx store.Tx, a cloud.ACL) ([]cloud.LoadBalancer, error) {
	q := store.Query{Region: a.Region, Filters: []store.Filter{store.Where(string(cloud.IdxACL), a.ID)}, Limit: 1 << 30}
	lbs, _, err := store.Find[cloud.LoadBalancer](ctx, tx, q)
	return lbs, err
}

// DeleteAccessControlList removes an ACL no listener names.
func (s *Service) DeleteAccessControlList(ctx context.Context, call *rpc.Call, req *ACLRequest) (*EmptyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := acl(ctx, tx, req.RegionID, req.AclID)
		if err != nil {
			return err
		}
		users, err := aclUsers(ctx, tx, a)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return apierr.ACLInUse.New().WithDetail("load balancer %s uses %s", users[0].ID, a.ID)
		}
		return store.Delete[cloud.ACL](ctx, tx, a.ID)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// DescribeAccessControlListsRequest is DescribeAccessControlLists.
type DescribeAccessControlListsRequest struct {
	RegionID             string
	Filters              []store.Filter
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeAccessControlListsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, f := range []struct {
		param string
		index cloud.IndexName
	}{{"AclName", cloud.IdxName}, {"AddressIPVersion", cloud.IdxIPVersion}, {"ResourceGroupId", cloud.IdxResourceGroup}} {
		if v := p.String(f.param); v != "" {
			r.Filters = append(r.Filters, store.Where(string(f.index), v))
		}
	}
	r.PageNumber, r.PageSize = p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 50, 1, 100)
}

// ACLItem is one ACL of DescribeAccessControlLists.
type ACLItem struct {
	AclID            string `json:"AclId"`
	AclName          string `json:"AclName"`
	AddressIPVersion string `json:"AddressIPVersion"`
	ResourceGroupID  string `json:"ResourceGroupId"`
	CreateTime       string `json:"CreateTime"`
}

func aclItem(a cloud.ACL) ACLItem {
	return ACLItem{AclID: a.ID, AclName: a.Name, AddressIPVersion: a.AddressIPVersion, ResourceGroupID: a.ResourceGroup, CreateTime: cloud.FormatMinute(a.Created)}
}

// DescribeAccessControlListsResponse wraps Acls.Acl[].
type DescribeAccessControlListsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	Count      int `json:"Count"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	Acls       struct {
		Acl []ACLItem `json:"Acl"`
	} `json:"Acls"`
}

// DescribeAccessControlLists lists the region's ACLs, filtered by index.
func (s *Service) DescribeAccessControlLists(ctx context.Context, call *rpc.Call, req *DescribeAccessControlListsRequest) (*DescribeAccessControlListsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeAccessControlListsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Acls.Acl = []ACLItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
		acls, page, err := store.Find[cloud.ACL](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, a := range acls {
			resp.Acls.Acl = append(resp.Acls.Acl, aclItem(a))
		}
		resp.Count = len(resp.Acls.Acl)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeACLAttributeRequest is DescribeAccessControlListAttribute.
type DescribeACLAttributeRequest struct {
	ACLRequest
	Comment string
}

// Bind implements rpc.Binder.
func (r *DescribeACLAttributeRequest) Bind(p *rpc.Params) {
	r.ACLRequest.Bind(p)
	r.Comment = p.String("AclEntryComment")
}

// ACLEntryItem is one entry as the answer shows it.
type ACLEntryItem struct {
	AclEntryIP      string `json:"AclEntryIP"`
	AclEntryComment string `json:"AclEntryComment"`
}

// RelatedListenerItem is one listener naming the ACL.
type RelatedListenerItem struct {
	LoadBalancerID string `json:"LoadBalancerId"`
	ListenerPort   int    `json:"ListenerPort"`
	Protocol       string `json:"Protocol"`
	AclType        string `json:"AclType"`
}

// DescribeACLAttributeResponse is one ACL with its entries and listeners.
type DescribeACLAttributeResponse struct {
	rpc.Base
	ACLItem
	TotalAclEntry int `json:"TotalAclEntry"`
	AclEntrys     struct {
		AclEntry []ACLEntryItem `json:"AclEntry"`
	} `json:"AclEntrys"`
	RelatedListeners struct {
		RelatedListener []RelatedListenerItem `json:"RelatedListener"`
	} `json:"RelatedListeners"`
}

// DescribeAccessControlListAttribute shows an ACL, its entries (filtered
// by comment when asked) and the listeners that name it.
func (s *Service) DescribeAccessControlListAttribute(ctx context.Context, call *rpc.Call, req *DescribeACLAttributeRequest) (*DescribeACLAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeACLAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		a, err := acl(ctx, tx, req.RegionID, req.AclID)
		if err != nil {
			return err
		}
		resp.ACLItem = aclItem(a)
		resp.AclEntrys.AclEntry = []ACLEntryItem{}
		for _, e := range a.Entries {
			if req.Comment == "" || e.Comment == req.Comment {
				resp.AclEntrys.AclEntry = append(resp.AclEntrys.AclEntry, ACLEntryItem{AclEntryIP: e.CIDR, AclEntryComment: e.Comment})
			}
		}
		resp.TotalAclEntry = len(resp.AclEntrys.AclEntry)
		resp.RelatedListeners.RelatedListener = []RelatedListenerItem{}
		users, err := aclUsers(ctx, tx, a)
		if err != nil {
			return err
		}
		for _, l := range users {
			for _, x := range l.ListenersUsing("AclId", a.ID) {
				resp.RelatedListeners.RelatedListener = append(resp.RelatedListeners.RelatedListener,
					RelatedListenerItem{LoadBalancerID: l.ID, ListenerPort: x.Port, Protocol: x.Protocol, AclType: x.Str("AclType")})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ACLEntriesRequest is Add/RemoveAccessControlListEntry.
type ACLEntriesRequest struct {
	ACLRequest
	Entries []cloud.ACLEntry
}

// Bind implements rpc.Binder.
func (r *ACLEntriesRequest) Bind(p *rpc.Params) {
	r.ACLRequest.Bind(p)
	r.Entries = aclEntries(p, false)
}

// changeACL runs one write of an ACL in a transaction.
func (s *Service) changeACL(ctx context.Context, call *rpc.Call, region, id string, change func(store.Tx, cloud.ACL) (cloud.ACL, error)) (*EmptyResponse, error) {
	if err := s.checkRegion(region); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := acl(ctx, tx, region, id)
		if err != nil {
			return err
		}
		next, err := change(tx, a)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &EmptyResponse{}, nil
}

// AddAccessControlListEntry adds entries; a repeated block refuses the call.
func (s *Service) AddAccessControlListEntry(ctx context.Context, call *rpc.Call, req *ACLEntriesRequest) (*EmptyResponse, error) {
	return s.changeACL(ctx, call, req.RegionID, req.AclID, func(_ store.Tx, a cloud.ACL) (cloud.ACL, error) {
		entries, err := normalEntries(a, req.Entries)
		if err != nil {
			return a, err
		}
		return cloud.AddACLEntries(a, entries)
	})
}

// RemoveAccessControlListEntry removes entries; others are ignored.
func (s *Service) RemoveAccessControlListEntry(ctx context.Context, call *rpc.Call, req *ACLEntriesRequest) (*EmptyResponse, error) {
	return s.changeACL(ctx, call, req.RegionID, req.AclID, func(_ store.Tx, a cloud.ACL) (cloud.ACL, error) {
		entries, err := normalEntries(a, req.Entries)
		if err != nil {
			return a, err
		}
		return cloud.RemoveACLEntries(a, entries), nil
	})
}

// SetACLAttributeRequest is SetAccessControlListAttribute.
type SetACLAttributeRequest struct {
	ACLRequest
	Name string
}

// Bind implements rpc.Binder.
func (r *SetACLAttributeRequest) Bind(p *rpc.Params) {
	r.ACLRequest.Bind(p)
	r.Name = p.Required("AclName")
}

// SetAccessControlListAttribute renames an ACL; names stay unique.
func (s *Service) SetAccessControlListAttribute(ctx context.Context, call *rpc.Call, req *SetACLAttributeRequest) (*EmptyResponse, error) {
	return s.changeACL(ctx, call, req.RegionID, req.AclID, func(tx store.Tx, a cloud.ACL) (cloud.ACL, error) {
		if err := checkACLName(ctx, tx, a.Region, req.Name, a.ID); err != nil {
			return a, err
		}
		a.Name = req.Name
		return a, nil
	})
}
