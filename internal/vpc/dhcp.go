package vpc

// DHCP options sets: the domain name, name servers and leases the
// instances of the attached VPCs are given. A VPC takes one set at a time;
// attaching, detaching and replacing take effect at once [choice: the
// cloud's Pending window is not modelled].

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

func (s *Service) registerDhcp(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateDhcpOptionsSet", s.CreateDhcpOptionsSet)
	rpc.Handle(t, v, "DeleteDhcpOptionsSet", s.DeleteDhcpOptionsSet)
	rpc.Handle(t, v, "GetDhcpOptionsSet", s.GetDhcpOptionsSet)
	rpc.Handle(t, v, "ListDhcpOptionsSets", s.ListDhcpOptionsSets)
	rpc.Handle(t, v, "UpdateDhcpOptionsSetAttribute", s.UpdateDhcpOptionsSetAttribute)
	rpc.Handle(t, v, "AttachDhcpOptionsSetToVpc", s.AttachDhcpOptionsSetToVpc)
	rpc.Handle(t, v, "DetachDhcpOptionsSetFromVpc", s.DetachDhcpOptionsSetFromVpc)
	rpc.Handle(t, v, "ReplaceVpcDhcpOptionsSet", s.ReplaceVpcDhcpOptionsSet)
}

// attachedVpcs are the VPCs a set is attached to, through their index.
func attachedVpcs(ctx context.Context, tx store.Tx, d cloud.DhcpOptionsSet) ([]cloud.VPC, error) {
	return store.All[cloud.VPC](ctx, tx, d.Region, store.Where("dhcpOptionsSet", d.ID))
}

// dhcpStatus is InUse while a VPC is attached.
func dhcpStatus(attached int) string {
	if attached > 0 {
		return cloud.DhcpInUse
	}
	return cloud.DhcpAvailable
}

// DhcpOptionsItem is the DhcpOptions member of the answers.
type DhcpOptionsItem struct {
	DomainName        string `json:"DomainName"`
	DomainNameServers string `json:"DomainNameServers"`
	LeaseTime         string `json:"LeaseTime"`
	Ipv6LeaseTime     string `json:"Ipv6LeaseTime"`
}

func dhcpOptionsItem(o cloud.DhcpOptions) DhcpOptionsItem {
	return DhcpOptionsItem{DomainName: o.DomainName, DomainNameServers: o.DomainNameServers, LeaseTime: o.LeaseTime, Ipv6LeaseTime: o.Ipv6LeaseTime}
}

// bindDhcpOptions reads the options both Create and Update take; set
// tells which were given.
func bindDhcpOptions(p *rpc.Params) (o cloud.DhcpOptions, set map[string]bool) {
	set = map[string]bool{}
	for _, name := range []string{"DomainName", "DomainNameServers", "LeaseTime", "Ipv6LeaseTime"} {
		set[name] = p.Has(name)
	}
	o = cloud.DhcpOptions{
		DomainName: p.String("DomainName"), DomainNameServers: p.String("DomainNameServers"),
		LeaseTime: p.String("LeaseTime"), Ipv6LeaseTime: p.String("Ipv6LeaseTime"),
	}
	if err := cloud.CheckDhcpOptions(o); err != nil {
		p.Fail(err.(*apierr.Error))
	}
	return o, set
}

// CreateDhcpOptionsSetRequest is VPC CreateDhcpOptionsSet.
type CreateDhcpOptionsSetRequest struct {
	RegionID, Name, Description, ResourceGroupID, ClientToken string
	Options                                                   cloud.DhcpOptions
	Tags                                                      []rpc.Tag
	DryRun                                                    bool
}

// Bind implements rpc.Binder.
func (r *CreateDhcpOptionsSetRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("DhcpOptionsSetName")
	r.Description = p.String("DhcpOptionsSetDescription")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Options, _ = bindDhcpOptions(p)
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// CreateDhcpOptionsSetResponse carries the new set.
type CreateDhcpOptionsSetResponse struct {
	rpc.Base
	DhcpOptionsSetID string `json:"DhcpOptionsSetId"`
	ResourceGroupID  string `json:"ResourceGroupId"`
}

// CreateDhcpOptionsSet makes a set; the lease defaults to 87600h.
func (s *Service) CreateDhcpOptionsSet(ctx context.Context, call *rpc.Call, req *CreateDhcpOptionsSetRequest) (*CreateDhcpOptionsSetResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateDhcpOptionsSetResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		o := req.Options
		if o.LeaseTime == "" {
			o.LeaseTime = cloud.DefaultDhcpLeaseTime
		}
		if o.Ipv6LeaseTime == "" {
			o.Ipv6LeaseTime = cloud.DefaultDhcpLeaseTime
		}
		d := cloud.DhcpOptionsSet{
			ID: s.ids.ID("dopt", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Options: o, Created: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags),
		}
		if err := store.Put(ctx, tx, d); err != nil {
			return err
		}
		resp.DhcpOptionsSetID, resp.ResourceGroupID = d.ID, d.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// dhcpIDRequest names one set, with ClientToken and DryRun.
type dhcpIDRequest struct {
	rpc.RegionalID
	DryRun bool
}

func (r *dhcpIDRequest) bind(p *rpc.Params) {
	r.BindID(p, "DhcpOptionsSetId")
	p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteDhcpOptionsSetRequest is VPC DeleteDhcpOptionsSet.
type DeleteDhcpOptionsSetRequest struct{ dhcpIDRequest }

// Bind implements rpc.Binder.
func (r *DeleteDhcpOptionsSetRequest) Bind(p *rpc.Params) { r.bind(p) }

// DeleteDhcpOptionsSetResponse is the bare RequestId.
type DeleteDhcpOptionsSetResponse struct{ rpc.Base }

// DeleteDhcpOptionsSet removes a set no VPC is attached to.
func (s *Service) DeleteDhcpOptionsSet(ctx context.Context, call *rpc.Call, req *DeleteDhcpOptionsSetRequest) (*DeleteDhcpOptionsSetResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := store.GetIn[cloud.DhcpOptionsSet](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidDhcpOptionsSetIDNotFound)
		}
		if n, err := store.Count[cloud.VPC](ctx, tx, d.Region, store.Where("dhcpOptionsSet", d.ID)); err != nil {
			return err
		} else if n > 0 {
			return apierr.DhcpOptionsSetInUse.New().WithDetail("%d VPC(s)", n)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.DhcpOptionsSet](ctx, tx, d.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteDhcpOptionsSetResponse{}, nil
}

// GetDhcpOptionsSetRequest is VPC GetDhcpOptionsSet.
type GetDhcpOptionsSetRequest struct{ rpc.RegionalID }

// Bind implements rpc.Binder.
func (r *GetDhcpOptionsSetRequest) Bind(p *rpc.Params) { r.BindID(p, "DhcpOptionsSetId") }

// AssociateVpcItem is one VPC attached to a set.
type AssociateVpcItem struct {
	VpcID           string `json:"VpcId"`
	AssociateStatus string `json:"AssociateStatus"`
}

// GetDhcpOptionsSetResponse is one set with its VPCs.
type GetDhcpOptionsSetResponse struct {
	rpc.Base
	DhcpOptionsSetID          string             `json:"DhcpOptionsSetId"`
	DhcpOptionsSetName        string             `json:"DhcpOptionsSetName"`
	DhcpOptionsSetDescription string             `json:"DhcpOptionsSetDescription"`
	Status                    string             `json:"Status"`
	OwnerID                   int64              `json:"OwnerId"`
	CreationTime              string             `json:"CreationTime"`
	ResourceGroupID           string             `json:"ResourceGroupId"`
	DhcpOptions               DhcpOptionsItem    `json:"DhcpOptions"`
	AssociateVpcs             []AssociateVpcItem `json:"AssociateVpcs"`
	Tags                      []TagItem          `json:"Tags"`
}

// GetDhcpOptionsSet shows one set and the VPCs attached to it.
func (s *Service) GetDhcpOptionsSet(ctx context.Context, call *rpc.Call, req *GetDhcpOptionsSetRequest) (*GetDhcpOptionsSetResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetDhcpOptionsSetResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		d, err := store.GetIn[cloud.DhcpOptionsSet](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidDhcpOptionsSetIDNotFound)
		}
		vpcs, err := attachedVpcs(ctx, tx, d)
		if err != nil {
			return err
		}
		*resp = GetDhcpOptionsSetResponse{
			DhcpOptionsSetID: d.ID, DhcpOptionsSetName: d.Name, DhcpOptionsSetDescription: d.Description,
			Status: dhcpStatus(len(vpcs)), OwnerID: ownerID(call.Account), CreationTime: cloud.FormatSecond(d.Created),
			ResourceGroupID: d.ResourceGroup, DhcpOptions: dhcpOptionsItem(d.Options), AssociateVpcs: []AssociateVpcItem{},
			Tags: tagsOf(d.Tags).Tag,
		}
		for _, v := range vpcs {
			resp.AssociateVpcs = append(resp.AssociateVpcs, AssociateVpcItem{VpcID: v.ID, AssociateStatus: cloud.DhcpInUse})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListDhcpOptionsSetsRequest is VPC ListDhcpOptionsSets.
type ListDhcpOptionsSetsRequest struct {
	RegionID, Name, DomainName, ResourceGroupID string
	IDs                                         []string
	Tags                                        []rpc.Tag
	MaxResults                                  int
	AfterSeq                                    int64
}

// Bind implements rpc.Binder.
func (r *ListDhcpOptionsSetsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("DhcpOptionsSetId")
	if len(r.IDs) > 20 {
		p.Fail(apierr.InvalidParameter.New("DhcpOptionsSetId.N"))
	}
	r.Name = p.String("DhcpOptionsSetName")
	r.DomainName = p.String("DomainName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tags")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = tagging.BindSeqToken(p, apierr.InvalidNextToken)
}

// DhcpOptionsSetItem is one set of ListDhcpOptionsSets.
type DhcpOptionsSetItem struct {
	DhcpOptionsSetID          string          `json:"DhcpOptionsSetId"`
	DhcpOptionsSetName        string          `json:"DhcpOptionsSetName"`
	DhcpOptionsSetDescription string          `json:"DhcpOptionsSetDescription"`
	Status                    string          `json:"Status"`
	OwnerID                   int64           `json:"OwnerId"`
	CreationTime              string          `json:"CreationTime"`
	ResourceGroupID           string          `json:"ResourceGroupId"`
	AssociateVpcCount         int             `json:"AssociateVpcCount"`
	DhcpOptions               DhcpOptionsItem `json:"DhcpOptions"`
	Tags                      []TagItem       `json:"Tags"`
}

// ListDhcpOptionsSetsResponse pages DhcpOptionsSets[].
type ListDhcpOptionsSetsResponse struct {
	rpc.Base
	NextToken       string               `json:"NextToken"`
	TotalCount      string               `json:"TotalCount"`
	DhcpOptionsSets []DhcpOptionsSetItem `json:"DhcpOptionsSets"`
}

// ListDhcpOptionsSets lists a region's sets; every filter is an index lookup.
func (s *Service) ListDhcpOptionsSets(ctx context.Context, call *rpc.Call, req *ListDhcpOptionsSetsRequest) (*ListDhcpOptionsSetsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, AfterSeq: req.AfterSeq, Limit: req.MaxResults, Count: true}
	for _, f := range []struct{ name, value string }{{"name", req.Name}, {"domainName", req.DomainName}, {"resourceGroup", req.ResourceGroupID}} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	resp := &ListDhcpOptionsSetsResponse{DhcpOptionsSets: []DhcpOptionsSetItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.DhcpOptionsSet](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount, resp.NextToken = itoa(page.Total), tagging.SeqToken(page)
		for _, d := range list {
			n, err := store.Count[cloud.VPC](ctx, tx, d.Region, store.Where("dhcpOptionsSet", d.ID))
			if err != nil {
				return err
			}
			resp.DhcpOptionsSets = append(resp.DhcpOptionsSets, DhcpOptionsSetItem{
				DhcpOptionsSetID: d.ID, DhcpOptionsSetName: d.Name, DhcpOptionsSetDescription: d.Description,
				Status: dhcpStatus(n), OwnerID: ownerID(call.Account), CreationTime: cloud.FormatSecond(d.Created),
				ResourceGroupID: d.ResourceGroup, AssociateVpcCount: n, DhcpOptions: dhcpOptionsItem(d.Options), Tags: tagsOf(d.Tags).Tag,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UpdateDhcpOptionsSetAttributeRequest is VPC UpdateDhcpOptionsSetAttribute.
type UpdateDhcpOptionsSetAttributeRequest struct {
	dhcpIDRequest
	Name, Description *string
	Options           cloud.DhcpOptions
	set               map[string]bool
}

// Bind implements rpc.Binder.
func (r *UpdateDhcpOptionsSetAttributeRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Name = optString(p, "DhcpOptionsSetName")
	r.Description = optString(p, "DhcpOptionsSetDescription")
	r.Options, r.set = bindDhcpOptions(p)
}

// UpdateDhcpOptionsSetAttributeResponse is the bare RequestId.
type UpdateDhcpOptionsSetAttributeResponse struct{ rpc.Base }

// UpdateDhcpOptionsSetAttribute changes the options given, and the name and
// description; the attached VPCs use the new options.
func (s *Service) UpdateDhcpOptionsSetAttribute(ctx context.Context, call *rpc.Call, req *UpdateDhcpOptionsSetAttributeRequest) (*UpdateDhcpOptionsSetAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := store.GetIn[cloud.DhcpOptionsSet](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidDhcpOptionsSetIDNotFound)
		}
		rename(&d.Name, &d.Description, req.Name, req.Description)
		for _, o := range []struct {
			name string
			dst  *string
			src  string
		}{
			{"DomainName", &d.Options.DomainName, req.Options.DomainName},
			{"DomainNameServers", &d.Options.DomainNameServers, req.Options.DomainNameServers},
			{"LeaseTime", &d.Options.LeaseTime, req.Options.LeaseTime},
			{"Ipv6LeaseTime", &d.Options.Ipv6LeaseTime, req.Options.Ipv6LeaseTime},
		} {
			if req.set[o.name] {
				*o.dst = o.src
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, d)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateDhcpOptionsSetAttributeResponse{}, nil
}

// dhcpVpcRequest is the shape of Attach, Detach and Replace: a set and a VPC.
type dhcpVpcRequest struct {
	dhcpIDRequest
	VpcID string
}

func (r *dhcpVpcRequest) bind(p *rpc.Params) {
	r.dhcpIDRequest.bind(p)
	r.VpcID = p.Required("VpcId")
}

// dhcpVpc loads a set and a VPC for an attachment change.
func dhcpVpc(ctx context.Context, tx store.Tx, req *dhcpVpcRequest) (cloud.DhcpOptionsSet, cloud.VPC, error) {
	d, err := store.GetIn[cloud.DhcpOptionsSet](ctx, tx, req.RegionID, req.ID)
	if err != nil {
		return d, cloud.VPC{}, notFound(err, apierr.InvalidDhcpOptionsSetIDNotFound)
	}
	v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
	if err != nil {
		return d, v, notFound(err, apierr.InvalidVpcIDNotFound)
	}
	if v.Status != cloud.NetAvailable {
		return d, v, apierr.IncorrectVpcStatus.New()
	}
	return d, v, nil
}

// setVpcDhcp gives the VPC of r the set id next answers (none: ""), once
// dhcpVpc and next have found nothing against it.
func (s *Service) setVpcDhcp(ctx context.Context, call *rpc.Call, r *dhcpVpcRequest, next func(cloud.DhcpOptionsSet, cloud.VPC) (string, error)) error {
	if err := s.checkRegion(r.RegionID); err != nil {
		return err
	}
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, v, err := dhcpVpc(ctx, tx, r)
		if err != nil {
			return err
		}
		id, err := next(d, v)
		if err != nil {
			return err
		}
		if r.DryRun {
			return apierr.DryRunOperation.New()
		}
		v.DhcpOptionsSetID = id
		return store.Put(ctx, tx, v)
	})
}

// AttachDhcpOptionsSetToVpcRequest is VPC AttachDhcpOptionsSetToVpc.
type AttachDhcpOptionsSetToVpcRequest struct{ dhcpVpcRequest }

// Bind implements rpc.Binder.
func (r *AttachDhcpOptionsSetToVpcRequest) Bind(p *rpc.Params) { r.bind(p) }

// AttachDhcpOptionsSetToVpcResponse is the bare RequestId.
type AttachDhcpOptionsSetToVpcResponse struct{ rpc.Base }

// AttachDhcpOptionsSetToVpc attaches a set to a VPC without one.
func (s *Service) AttachDhcpOptionsSetToVpc(ctx context.Context, call *rpc.Call, req *AttachDhcpOptionsSetToVpcRequest) (*AttachDhcpOptionsSetToVpcResponse, error) {
	err := s.setVpcDhcp(ctx, call, &req.dhcpVpcRequest, func(d cloud.DhcpOptionsSet, v cloud.VPC) (string, error) {
		if v.DhcpOptionsSetID != "" {
			return "", apierr.VpcHasDhcpOptionsSet.New().WithDetail("%s uses %s", v.ID, v.DhcpOptionsSetID)
		}
		return d.ID, nil
	})
	if err != nil {
		return nil, err
	}
	return &AttachDhcpOptionsSetToVpcResponse{}, nil
}

// DetachDhcpOptionsSetFromVpcRequest is VPC DetachDhcpOptionsSetFromVpc.
type DetachDhcpOptionsSetFromVpcRequest struct{ dhcpVpcRequest }

// Bind implements rpc.Binder.
func (r *DetachDhcpOptionsSetFromVpcRequest) Bind(p *rpc.Params) { r.bind(p) }

// DetachDhcpOptionsSetFromVpcResponse is the bare RequestId.
type DetachDhcpOptionsSetFromVpcResponse struct{ rpc.Base }

// DetachDhcpOptionsSetFromVpc detaches the set from a VPC it is attached to.
func (s *Service) DetachDhcpOptionsSetFromVpc(ctx context.Context, call *rpc.Call, req *DetachDhcpOptionsSetFromVpcRequest) (*DetachDhcpOptionsSetFromVpcResponse, error) {
	err := s.setVpcDhcp(ctx, call, &req.dhcpVpcRequest, func(d cloud.DhcpOptionsSet, v cloud.VPC) (string, error) {
		if v.DhcpOptionsSetID != d.ID {
			return "", apierr.VpcNotAttachedDhcp.New().WithDetail("%s uses %q", v.ID, v.DhcpOptionsSetID)
		}
		return "", nil
	})
	if err != nil {
		return nil, err
	}
	return &DetachDhcpOptionsSetFromVpcResponse{}, nil
}

// ReplaceVpcDhcpOptionsSetRequest is VPC ReplaceVpcDhcpOptionsSet.
type ReplaceVpcDhcpOptionsSetRequest struct{ dhcpVpcRequest }

// Bind implements rpc.Binder.
func (r *ReplaceVpcDhcpOptionsSetRequest) Bind(p *rpc.Params) { r.bind(p) }

// ReplaceVpcDhcpOptionsSetResponse is the bare RequestId.
type ReplaceVpcDhcpOptionsSetResponse struct{ rpc.Base }

// ReplaceVpcDhcpOptionsSet gives a VPC that has a set another one instead.
func (s *Service) ReplaceVpcDhcpOptionsSet(ctx context.Context, call *rpc.Call, req *ReplaceVpcDhcpOptionsSetRequest) (*ReplaceVpcDhcpOptionsSetResponse, error) {
	err := s.setVpcDhcp(ctx, call, &req.dhcpVpcRequest, func(d cloud.DhcpOptionsSet, v cloud.VPC) (string, error) {
		if v.DhcpOptionsSetID == "" {
			return "", apierr.VpcNotAttachedDhcp.New().WithDetail("%s has no DHCP options set", v.ID)
		}
		return d.ID, nil
	})
	if err != nil {
		return nil, err
	}
	return &ReplaceVpcDhcpOptionsSetResponse{}, nil
}
