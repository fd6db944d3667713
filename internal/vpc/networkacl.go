package vpc

// Network ACLs: ordered inbound and outbound rules of a VPC, applied to the
// vSwitches associated with them. A change makes the ACL Modifying for the
// VPC delay of the profile (0 s fast, 1 s realistic), as the cloud applies
// them asynchronously; a change meanwhile is IncorrectStatus.NetworkAcl.

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

func (s *Service) registerNetworkACLs(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateNetworkAcl", s.CreateNetworkAcl)
	rpc.Handle(t, v, "DeleteNetworkAcl", s.DeleteNetworkAcl)
	rpc.Handle(t, v, "DescribeNetworkAcls", s.DescribeNetworkAcls)
	rpc.Handle(t, v, "DescribeNetworkAclAttributes", s.DescribeNetworkAclAttributes)
	rpc.Handle(t, v, "ModifyNetworkAclAttributes", s.ModifyNetworkAclAttributes)
	rpc.Handle(t, v, "AssociateNetworkAcl", s.AssociateNetworkAcl)
	rpc.Handle(t, v, "UnassociateNetworkAcl", s.UnassociateNetworkAcl)
	rpc.Handle(t, v, "UpdateNetworkAclEntries", s.UpdateNetworkAclEntries)
	rpc.Handle(t, v, "CopyNetworkAclEntries", s.CopyNetworkAclEntries)
}

// NetworkACLEntryItem is one rule as the answers show it (an inbound rule
// has SourceCidrIp, an outbound one DestinationCidrIp).
type NetworkACLEntryItem struct {
	NetworkACLEntryID   string `json:"NetworkAclEntryId"`
	NetworkACLEntryName string `json:"NetworkAclEntryName"`
	Description         string `json:"Description"`
	Policy              string `json:"Policy"`
	Protocol            string `json:"Protocol"`
	Port                string `json:"Port"`
	EntryType           string `json:"EntryType"`
	IPVersion           string `json:"IpVersion"`
}

// IngressACLEntryItem is an inbound rule: its address is the source.
type IngressACLEntryItem struct {
	NetworkACLEntryItem
	SourceCidrIP string `json:"SourceCidrIp"`
}

// EgressACLEntryItem is an outbound rule: its address is the destination.
type EgressACLEntryItem struct {
	NetworkACLEntryItem
	DestinationCidrIP string `json:"DestinationCidrIp"`
}

// NetworkACLItem is one ACL of DescribeNetworkAcls and the attribute
// answers.
type NetworkACLItem struct {
	NetworkACLID      string `json:"NetworkAclId"`
	NetworkACLName    string `json:"NetworkAclName"`
	Description       string `json:"Description"`
	VpcID             string `json:"VpcId"`
	RegionID          string `json:"RegionId"`
	Status            string `json:"Status"`
	CreationTime      string `json:"CreationTime"`
	OwnerID           int64  `json:"OwnerId"`
	IngressACLEntries struct {
		IngressACLEntry []IngressACLEntryItem `json:"IngressAclEntry"`
	} `json:"IngressAclEntries"`
	EgressACLEntries struct {
		EgressACLEntry []EgressACLEntryItem `json:"EgressAclEntry"`
	} `json:"EgressAclEntries"`
	Resources struct {
		Resource []NetworkACLResourceItem `json:"Resource"`
	} `json:"Resources"`
	Tags Tags `json:"Tags"`
}

// NetworkACLResourceItem is one associated vSwitch.
type NetworkACLResourceItem struct {
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	Status       string `json:"Status"`
}

func networkACLItem(a cloud.NetworkACL, account string) NetworkACLItem {
	item := NetworkACLItem{
		NetworkACLID: a.ID, NetworkACLName: a.Name, Description: a.Description, VpcID: a.VpcID, RegionID: a.Region,
		Status: a.Status, CreationTime: cloud.FormatSecond(a.Created), OwnerID: ownerID(account), Tags: tagsOf(a.Tags),
	}
	item.IngressACLEntries.IngressACLEntry = []IngressACLEntryItem{}
	for _, e := range a.Ingress {
		item.IngressACLEntries.IngressACLEntry = append(item.IngressACLEntries.IngressACLEntry, IngressACLEntryItem{aclEntryItem(e), e.Cidr})
	}
	item.EgressACLEntries.EgressACLEntry = []EgressACLEntryItem{}
	for _, e := range a.Egress {
		item.EgressACLEntries.EgressACLEntry = append(item.EgressACLEntries.EgressACLEntry, EgressACLEntryItem{aclEntryItem(e), e.Cidr})
	}
	item.Resources.Resource = []NetworkACLResourceItem{}
	for _, r := range a.Resources {
		item.Resources.Resource = append(item.Resources.Resource, NetworkACLResourceItem{ResourceID: r.ID, ResourceType: "VSwitch", Status: r.Status})
	}
	return item
}

func aclEntryItem(e cloud.NetworkACLEntry) NetworkACLEntryItem {
	return NetworkACLEntryItem{
		NetworkACLEntryID: e.ID, NetworkACLEntryName: e.Name, Description: e.Description, Policy: e.Policy,
		Protocol: e.Protocol, Port: e.Port, EntryType: e.Type, IPVersion: "IPv4",
	}
}

// aclChange loads an ACL for a change: it exists and is Available.
func aclChange(ctx context.Context, tx store.Tx, region, id string) (cloud.NetworkACL, error) {
	a, err := store.GetIn[cloud.NetworkACL](ctx, tx, region, id)
	if err != nil {
		return a, notFound(err, apierr.InvalidNetworkACLIDNotFound)
	}
	return a, cloud.CheckModifyACL(a)
}

// putModifying stores a, Modifying for the VPC delay of the profile.
func putModifying(ctx context.Context, tx store.Tx, a cloud.NetworkACL) error {
	cfg, err := store.LoadConfig(ctx, tx)
	if err != nil {
		return err
	}
	return store.Put(ctx, tx, a.Modifying(tx.Now().Add(cfg.Delays.VPC.D())))
}

// putBinding stores the vSwitches whose binding to a changed and a,
// Modifying; a dry run stops before.
func putBinding(ctx context.Context, tx store.Tx, a cloud.NetworkACL, vsws []cloud.VSwitch, dryRun bool) error {
	if dryRun {
		return apierr.DryRunOperation.New()
	}
	for _, w := range vsws {
		if err := store.Put(ctx, tx, w); err != nil {
			return err
		}
	}
	return putModifying(ctx, tx, a)
}

// CreateNetworkAclRequest is VPC CreateNetworkAcl.
type CreateNetworkAclRequest struct {
	RegionID, VpcID, Name, Description, ClientToken string
	Tags                                            []rpc.Tag
	DryRun                                          bool
}

// Bind implements rpc.Binder.
func (r *CreateNetworkAclRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	r.Name = p.String("NetworkAclName")
	r.Description = p.String("Description")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// CreateNetworkAclResponse carries the new ACL.
type CreateNetworkAclResponse struct {
	rpc.Base
	NetworkACLID        string         `json:"NetworkAclId"`
	NetworkACLAttribute NetworkACLItem `json:"NetworkAclAttribute"`
}

// CreateNetworkAcl makes an ACL in an Available VPC, Available at once,
// with one system rule per direction accepting everything.
func (s *Service) CreateNetworkAcl(ctx context.Context, call *rpc.Call, req *CreateNetworkAclRequest) (*CreateNetworkAclResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateNetworkAclResponse{}
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
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		in, out := cloud.SystemACLEntries(s.ids.ID("nae", req.RegionID), s.ids.ID("nae", req.RegionID))
		a := cloud.NetworkACL{
			ID: s.ids.ID("nacl", req.RegionID), Region: req.RegionID, VpcID: v.ID, Name: req.Name, Description: req.Description,
			Status: cloud.NetworkACLAvailable, Created: tx.Now(), Ingress: in, Egress: out, Tags: cloudTags(req.Tags),
		}
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		resp.NetworkACLID, resp.NetworkACLAttribute = a.ID, networkACLItem(a, call.Account)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// networkACLIDRequest names one ACL, with the ClientToken and DryRun most
// ACL actions take.
type networkACLIDRequest struct {
	rpc.RegionalID
	DryRun bool
}

func (r *networkACLIDRequest) bind(p *rpc.Params) {
	r.BindID(p, "NetworkAclId")
	p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteNetworkAclRequest is VPC DeleteNetworkAcl.
type DeleteNetworkAclRequest struct{ networkACLIDRequest }

// Bind implements rpc.Binder.
func (r *DeleteNetworkAclRequest) Bind(p *rpc.Params) { r.bind(p) }

// DeleteNetworkAclResponse is the bare RequestId.
type DeleteNetworkAclResponse struct{ rpc.Base }

// DeleteNetworkAcl removes an Available ACL no vSwitch is associated with.
func (s *Service) DeleteNetworkAcl(ctx context.Context, call *rpc.Call, req *DeleteNetworkAclRequest) (*DeleteNetworkAclResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := aclChange(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		if len(a.Resources) > 0 {
			return apierr.NetworkACLInUse.New().WithDetail("%d vSwitch(es)", len(a.Resources))
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.NetworkACL](ctx, tx, a.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNetworkAclResponse{}, nil
}

// DescribeNetworkAclsRequest is VPC DescribeNetworkAcls.
type DescribeNetworkAclsRequest struct {
	RegionID, NetworkACLID, Name, VpcID, ResourceID string
	Tags                                            []rpc.Tag
	PageNumber, PageSize                            int
}

// Bind implements rpc.Binder.
func (r *DescribeNetworkAclsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NetworkACLID = p.String("NetworkAclId")
	r.Name = p.String("NetworkAclName")
	r.VpcID = p.String("VpcId")
	r.ResourceID = p.String("ResourceId")
	p.Enum("ResourceType", "VSwitch", "VSwitch")
	r.Tags = tagging.BindTags(p, "Tags")
	p.ClientToken()
	r.PageNumber, r.PageSize = paging(p)
}

// DescribeNetworkAclsResponse wraps NetworkAcls.NetworkAcl[].
type DescribeNetworkAclsResponse struct {
	rpc.Base
	TotalCount  string `json:"TotalCount"`
	PageNumber  string `json:"PageNumber"`
	PageSize    string `json:"PageSize"`
	NetworkAcls struct {
		NetworkACL []NetworkACLItem `json:"NetworkAcl"`
	} `json:"NetworkAcls"`
}

// DescribeNetworkAcls lists a region's ACLs; every filter is an index
// lookup (ResourceId through the associated vSwitches).
func (s *Service) DescribeNetworkAcls(ctx context.Context, call *rpc.Call, req *DescribeNetworkAclsRequest) (*DescribeNetworkAclsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	if req.NetworkACLID != "" {
		q.IDs = []string{req.NetworkACLID}
	}
	for _, f := range []struct{ name, value string }{{"vpc", req.VpcID}, {"name", req.Name}, {"vswitch", req.ResourceID}} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	resp := &DescribeNetworkAclsResponse{PageNumber: itoa(req.PageNumber), PageSize: itoa(req.PageSize)}
	resp.NetworkAcls.NetworkACL = []NetworkACLItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.NetworkACL](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = itoa(page.Total)
		for _, a := range list {
			resp.NetworkAcls.NetworkACL = append(resp.NetworkAcls.NetworkACL, networkACLItem(a, call.Account))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeNetworkAclAttributesRequest is VPC DescribeNetworkAclAttributes.
type DescribeNetworkAclAttributesRequest struct{ rpc.RegionalID }

// Bind implements rpc.Binder.
func (r *DescribeNetworkAclAttributesRequest) Bind(p *rpc.Params) {
	r.BindID(p, "NetworkAclId")
	p.ClientToken()
}

// DescribeNetworkAclAttributesResponse carries one ACL.
type DescribeNetworkAclAttributesResponse struct {
	rpc.Base
	NetworkACLAttribute NetworkACLItem `json:"NetworkAclAttribute"`
}

// DescribeNetworkAclAttributes shows one ACL with its rules and vSwitches.
func (s *Service) DescribeNetworkAclAttributes(ctx context.Context, call *rpc.Call, req *DescribeNetworkAclAttributesRequest) (*DescribeNetworkAclAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeNetworkAclAttributesResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		a, err := store.GetIn[cloud.NetworkACL](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidNetworkACLIDNotFound)
		}
		resp.NetworkACLAttribute = networkACLItem(a, call.Account)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyNetworkAclAttributesRequest is VPC ModifyNetworkAclAttributes.
type ModifyNetworkAclAttributesRequest struct {
	networkACLIDRequest
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyNetworkAclAttributesRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Name = optString(p, "NetworkAclName")
	r.Description = optString(p, "Description")
}

// ModifyNetworkAclAttributesResponse is the bare RequestId.
type ModifyNetworkAclAttributesResponse struct{ rpc.Base }

// ModifyNetworkAclAttributes renames an ACL or changes its description;
// that touches no rule, so the ACL stays Available.
func (s *Service) ModifyNetworkAclAttributes(ctx context.Context, call *rpc.Call, req *ModifyNetworkAclAttributesRequest) (*ModifyNetworkAclAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := store.GetIn[cloud.NetworkACL](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidNetworkACLIDNotFound)
		}
		rename(&a.Name, &a.Description, req.Name, req.Description)
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyNetworkAclAttributesResponse{}, nil
}

// networkACLResourcesRequest is the shape of AssociateNetworkAcl and
// UnassociateNetworkAcl: Resource.N of vSwitches.
type networkACLResourcesRequest struct {
	networkACLIDRequest
	VSwitchIDs []string
}

func (r *networkACLResourcesRequest) bind(p *rpc.Params) {
	r.networkACLIDRequest.bind(p)
	for _, o := range p.Objects("Resource") {
		id := o.String("ResourceId")
		if typ := o.String("ResourceType"); typ != "" && typ != "VSwitch" {
			p.Fail(apierr.InvalidParameter.New(o.Name("ResourceType")))
		}
		if id != "" && !slices.Contains(r.VSwitchIDs, id) {
			r.VSwitchIDs = append(r.VSwitchIDs, id)
		}
	}
	if len(r.VSwitchIDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("Resource.N.ResourceId"))
	}
}

// AssociateNetworkAclRequest is VPC AssociateNetworkAcl.
type AssociateNetworkAclRequest struct{ networkACLResourcesRequest }

// Bind implements rpc.Binder.
func (r *AssociateNetworkAclRequest) Bind(p *rpc.Params) { r.bind(p) }

// AssociateNetworkAclResponse is the bare RequestId.
type AssociateNetworkAclResponse struct{ rpc.Base }

// AssociateNetworkAcl associates vSwitches of the ACL's VPC that have no
// ACL yet, all or none; they are BINDING while the ACL is Modifying.
func (s *Service) AssociateNetworkAcl(ctx context.Context, call *rpc.Call, req *AssociateNetworkAclRequest) (*AssociateNetworkAclResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := aclChange(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		var vsws []cloud.VSwitch
		for _, id := range req.VSwitchIDs {
			w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, id)
			if err != nil {
				return notFound(err, apierr.VSwitchNotFound)
			}
			switch {
			case w.VpcID != a.VpcID:
				return apierr.NetworkACLVpcMismatch.New().WithDetail("%s is in %s", w.ID, w.VpcID)
			case w.NetworkACLID != "":
				return apierr.VSwitchBoundToACL.New().WithDetail("%s uses %s", w.ID, w.NetworkACLID)
			}
			w.NetworkACLID = a.ID
			vsws = append(vsws, w)
			a.Resources = append(a.Resources, cloud.NetworkACLResource{ID: w.ID, Status: cloud.ACLBinding})
		}
		return putBinding(ctx, tx, a, vsws, req.DryRun)
	})
	if err != nil {
		return nil, err
	}
	return &AssociateNetworkAclResponse{}, nil
}

// UnassociateNetworkAclRequest is VPC UnassociateNetworkAcl.
type UnassociateNetworkAclRequest struct{ networkACLResourcesRequest }

// Bind implements rpc.Binder.
func (r *UnassociateNetworkAclRequest) Bind(p *rpc.Params) { r.bind(p) }

// UnassociateNetworkAclResponse is the bare RequestId.
type UnassociateNetworkAclResponse struct{ rpc.Base }

// UnassociateNetworkAcl frees vSwitches from the ACL, all or none; they
// are UNBINDING while the ACL is Modifying, and free for another ACL at once.
func (s *Service) UnassociateNetworkAcl(ctx context.Context, call *rpc.Call, req *UnassociateNetworkAclRequest) (*UnassociateNetworkAclResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := aclChange(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		var vsws []cloud.VSwitch
		for _, id := range req.VSwitchIDs {
			i := slices.IndexFunc(a.Resources, func(r cloud.NetworkACLResource) bool { return r.ID == id })
			if i < 0 {
				return apierr.VSwitchNotBoundToACL.New().WithDetail("%s", id)
			}
			a.Resources[i].Status = cloud.ACLUnbinding
			w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, id)
			if err != nil {
				return notFound(err, apierr.VSwitchNotFound)
			}
			w.NetworkACLID = ""
			vsws = append(vsws, w)
		}
		return putBinding(ctx, tx, a, vsws, req.DryRun)
	})
	if err != nil {
		return nil, err
	}
	return &UnassociateNetworkAclResponse{}, nil
}

// UpdateNetworkAclEntriesRequest is VPC UpdateNetworkAclEntries.
type UpdateNetworkAclEntriesRequest struct {
	networkACLIDRequest
	Ingress, Egress             []cloud.NetworkACLEntry
	UpdateIngress, UpdateEgress bool
}

// bindACLEntries reads IngressAclEntries.N or EgressAclEntries.N; cidr is
// the name of the rule's address parameter.
func bindACLEntries(p *rpc.Params, name, cidr string) []cloud.NetworkACLEntry {
	var out []cloud.NetworkACLEntry
	for _, o := range p.Objects(name) {
		e := cloud.NetworkACLEntry{
			ID: o.String("NetworkAclEntryId"), Name: o.String("NetworkAclEntryName"), Description: o.String("Description"),
			Policy: o.String("Policy"), Protocol: strings.ToLower(o.String("Protocol")), Cidr: o.String(cidr), Port: o.String("Port"),
			Type: "custom",
		}
		if t := o.String("EntryType"); t != "" && t != "custom" {
			p.Fail(apierr.InvalidParameter.New(o.Name("EntryType")))
		}
		if v := o.String("IpVersion"); v != "" && v != "IPv4" { // IPv6 rules are not modelled
			p.Fail(apierr.InvalidParameter.New(o.Name("IpVersion")))
		}
		if err := cloud.CheckNetworkACLEntry(e, o.Name(""), cidr); err != nil {
			p.Fail(err)
		}
		out = append(out, e)
	}
	return out
}

// Bind implements rpc.Binder.
func (r *UpdateNetworkAclEntriesRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Ingress = bindACLEntries(p, "IngressAclEntries", "SourceCidrIp")
	r.Egress = bindACLEntries(p, "EgressAclEntries", "DestinationCidrIp")
	r.UpdateIngress = p.Bool("UpdateIngressAclEntries", false)
	r.UpdateEgress = p.Bool("UpdateEgressAclEntries", false)
}

// UpdateNetworkAclEntriesResponse is the bare RequestId.
type UpdateNetworkAclEntriesResponse struct{ rpc.Base }

// UpdateNetworkAclEntries replaces the custom rules of each direction whose
// Update…AclEntries is true with the listed ones, in priority order (the
// reference: listing only a new rule overwrites the existing ones). An entry
// naming an existing NetworkAclEntryId keeps it; others get a new id.
func (s *Service) UpdateNetworkAclEntries(ctx context.Context, call *rpc.Call, req *UpdateNetworkAclEntriesRequest) (*UpdateNetworkAclEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := aclChange(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		withIDs := func(have, list []cloud.NetworkACLEntry) []cloud.NetworkACLEntry {
			out := slices.Clone(list)
			for i := range out {
				if out[i].ID == "" || !slices.ContainsFunc(have, func(e cloud.NetworkACLEntry) bool { return e.ID == out[i].ID && e.Type == "custom" }) {
					out[i].ID = s.ids.ID("nae", req.RegionID)
				}
			}
			return out
		}
		if req.UpdateIngress {
			if a.Ingress, err = cloud.ReplaceACLEntries(a.Ingress, withIDs(a.Ingress, req.Ingress)); err != nil {
				return err
			}
		}
		if req.UpdateEgress {
			if a.Egress, err = cloud.ReplaceACLEntries(a.Egress, withIDs(a.Egress, req.Egress)); err != nil {
				return err
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if !req.UpdateIngress && !req.UpdateEgress {
			return nil // nothing to apply
		}
		return putModifying(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateNetworkAclEntriesResponse{}, nil
}

// CopyNetworkAclEntriesRequest is VPC CopyNetworkAclEntries.
type CopyNetworkAclEntriesRequest struct {
	networkACLIDRequest
	SourceID string
}

// Bind implements rpc.Binder.
func (r *CopyNetworkAclEntriesRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.SourceID = p.Required("SourceNetworkAclId")
}

// CopyNetworkAclEntriesResponse is the bare RequestId.
type CopyNetworkAclEntriesResponse struct{ rpc.Base }

// CopyNetworkAclEntries replaces the ACL's custom rules, both directions,
// with copies (new ids) of another ACL's of the same VPC [choice: the
// reference does not say whether another VPC's may be copied].
func (s *Service) CopyNetworkAclEntries(ctx context.Context, call *rpc.Call, req *CopyNetworkAclEntriesRequest) (*CopyNetworkAclEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := aclChange(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		src, err := store.GetIn[cloud.NetworkACL](ctx, tx, req.RegionID, req.SourceID)
		if err != nil {
			return notFound(err, apierr.InvalidNetworkACLIDNotFound)
		}
		if src.ID == a.ID {
			return apierr.InvalidParameter.New("SourceNetworkAclId")
		}
		if src.VpcID != a.VpcID {
			return apierr.NetworkACLVpcMismatch.New().WithDetail("%s is in %s", src.ID, src.VpcID)
		}
		copyOf := func(list []cloud.NetworkACLEntry) []cloud.NetworkACLEntry {
			out := cloud.CustomACLEntries(list)
			for i := range out {
				out[i].ID = s.ids.ID("nae", req.RegionID)
			}
			return out
		}
		if a.Ingress, err = cloud.ReplaceACLEntries(a.Ingress, copyOf(src.Ingress)); err != nil {
			return err
		}
		if a.Egress, err = cloud.ReplaceACLEntries(a.Egress, copyOf(src.Egress)); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return putModifying(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return &CopyNetworkAclEntriesResponse{}, nil
}

// itoa writes the string counts some VPC answers use.
func itoa(n int) string { return strconv.Itoa(n) }
